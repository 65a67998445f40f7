package ubiops

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"unicode"
)

// DefaultBaseURL is the UbiOps API endpoint used when neither WithBaseURL nor UBIOPS_API_HOST is set.
const DefaultBaseURL = "https://api.ubiops.com/v2.1"

// Environment variables read by NewClient when the corresponding option is not given. They are the
// ones the official UbiOps clients read, so one environment configures every client.
const (
	EnvToken = "UBIOPS_API_TOKEN"
	EnvHost  = "UBIOPS_API_HOST"
)

// ErrNoToken is returned by NewClient when no token was given and UBIOPS_API_TOKEN is unset or blank.
var ErrNoToken = errors.New("ubiops: no API token: use WithToken or set " + EnvToken)

// ConfigError reports an unusable client setting. It names the setting, never the token's value.
type ConfigError struct {
	Setting string // "token" or "base URL"
	Reason  string
}

// Error describes the failure; it never contains the token.
func (e *ConfigError) Error() string { return "ubiops: invalid " + e.Setting + ": " + e.Reason }

// secret holds the Authorization header value. Its String, GoString and LogValue never reveal it, so
// printing a Client or logging its configuration cannot leak the token.
type secret string

func (secret) String() string               { return "REDACTED" }
func (secret) GoString() string             { return `"REDACTED"` }
func (secret) LogValue() slog.Value         { return slog.StringValue("REDACTED") }
func (s secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("REDACTED")) }

var schemeWord = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._~+/-]*\s+\S`)

// normalizeToken trims the token and adds the "Token " scheme unless it already carries one
// ("Token abc", "Bearer xyz"), as the official clients do.
func normalizeToken(raw string) (secret, error) {
	t := strings.TrimSpace(raw)
	if t == "" {
		return "", ErrNoToken
	}
	for _, r := range t {
		if unicode.IsControl(r) {
			// A control character would let the value break out of its header line (C0 and DEL),
			// or is at least no part of a token (C1).
			return "", &ConfigError{Setting: "token", Reason: "contains a control character"}
		}
	}
	if schemeWord.MatchString(t) {
		fields := strings.Fields(t)
		if len(fields) != 2 {
			return "", &ConfigError{Setting: "token", Reason: `want "<token>" or "<scheme> <token>"`}
		}
		return secret(fields[0] + " " + fields[1]), nil
	}
	if strings.ContainsFunc(t, unicode.IsSpace) {
		return "", &ConfigError{Setting: "token", Reason: "contains white space"}
	}
	return secret("Token " + t), nil
}

var versionSegment = regexp.MustCompile(`^v\d+(\.\d+)?$`)

// normalizeBaseURL applies the official clients' rules: trim white space and one trailing "/", add
// https:// when no scheme is given, and add /v2.1 when the path names no API version.
func normalizeBaseURL(raw string, allowHTTP bool) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return nil, &ConfigError{Setting: "base URL", Reason: "empty"}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, &ConfigError{Setting: "base URL", Reason: err.Error()}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "https":
	case "http":
		if !allowHTTP && !isLoopback(u.Hostname()) {
			return nil, &ConfigError{Setting: "base URL", Reason: "plain http:// to a non-loopback host would send the token in clear text; use https:// or WithInsecureHTTP"}
		}
	default:
		return nil, &ConfigError{Setting: "base URL", Reason: fmt.Sprintf("unsupported scheme %q", u.Scheme)}
	}
	if u.Hostname() == "" { // "https://:443" has a Host but no host name
		return nil, &ConfigError{Setting: "base URL", Reason: "no host"}
	}
	if u.User != nil {
		return nil, &ConfigError{Setting: "base URL", Reason: "must not carry user information"}
	}
	// ForceQuery: a bare trailing "?" would survive into String() and make the generated client
	// resolve operation paths beside the base path instead of under it.
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, &ConfigError{Setting: "base URL", Reason: "must not carry a query or fragment"}
	}
	// Trailing slashes go (all of them, also encoded ones, so that normalising is idempotent), and
	// dot segments are refused: resolving operation paths would remove them, and "/v2.1/.." would
	// put the operations outside the versioned path.
	u.Path = strings.TrimRight(u.Path, "/")
	hasVersion := false
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, &ConfigError{Setting: "base URL", Reason: `path must not contain "." or ".." segments`}
		}
		if versionSegment.MatchString(seg) {
			hasVersion = true
		}
	}
	if !hasVersion {
		u.Path += "/v2.1"
	}
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// fromEnv returns the value of an environment variable; a separate variable so tests can swap it.
var fromEnv = os.Getenv
