package ubiops

// Fuzz targets for the code that handles untrusted input: error bodies and Retry-After values from
// the server, base URLs and tokens from the environment, path parameters, server-supplied file
// names, zip archives, and the JSON of paginated answers.
//
// Each target asserts properties of the result, not only the absence of panics. The seeds (f.Add
// below and testdata/fuzz/<FuzzName>/) run as ordinary tests in `go test`; `make fuzz` fuzzes every
// target for FUZZTIME (30s by default) and .ci/fuzz.sh fuzzes each one briefly.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	openapi_types "github.com/oapi-codegen/runtime/types"
)

// ---------------------------------------------------------------------------------------------
// errorMessage

func FuzzErrorMessage(f *testing.F) {
	f.Add([]byte(`{"error": "Project not found"}`), "Project not found")
	f.Add([]byte(`{"error_message": "Rate limit exceeded"}`), "rate")
	f.Add([]byte(`{"error": ["name: too long", "labels: invalid"]}`), "x")
	f.Add([]byte(`{"error": {"name": ["required"]}}`), "nested")
	f.Add([]byte("Bad Gateway\n"), "bad gateway")
	f.Add([]byte("<html><body>502</body></html>"), "<html>")
	f.Add([]byte(strings.Repeat("x", 201)), "\xff\xfe")
	f.Add([]byte("\xff\xfe invalid utf-8"), "ünïcode \u2028 line separator")
	f.Add([]byte(`{"error": null, "error_message": ""}`), " ")

	f.Add([]byte(`{"error": "a\u2028b\u2029c\u0085d\u202ee\u2066f\u200bg"}`), "\u202e\u2066\u0085")

	f.Fuzz(func(t *testing.T, body []byte, s string) {
		got := errorMessage(body)
		if utf8.Valid(body) && !utf8.ValidString(got) {
			t.Fatalf("errorMessage(%q) = %q: not valid UTF-8 for a valid UTF-8 body", body, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf) {
				t.Fatalf("errorMessage(%q) = %q keeps %U, which can forge or disguise a line", body, got, r)
			}
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) != nil {
			// Not a JSON object (not JSON at all, or a bare string, number or array): the trimmed
			// body when it is a short (one line's worth) plain text, else "".
			text := strings.TrimSpace(string(body))
			want := oneLine(text) // control characters become spaces: no forged lines
			if text == "" || strings.HasPrefix(text, "<") || len(text) > 200 {
				want = ""
			}
			if got != want {
				t.Fatalf("errorMessage(%q) = %q, want %q", body, got, want)
			}
			if len(got) > 200 {
				t.Fatalf("errorMessage(%q) = %d bytes, more than 200 for a body that is no JSON object", body, len(got))
			}
		}

		if s == "" {
			return
		}
		// The decoded value of s as JSON carries it (json.Marshal replaces invalid UTF-8 with U+FFFD).
		want := oneLine(fuzzJSONString(t, s))
		for _, field := range []string{"error", "error_message"} {
			b := fuzzMarshal(t, map[string]string{field: s})
			if got := errorMessage(b); got != want {
				t.Fatalf("errorMessage(%s) = %q, want %q", b, got, want)
			}
		}
		// "error" wins over "error_message"; an empty or null "error" falls through to it.
		b := fuzzMarshal(t, map[string]string{"error": s, "error_message": "other"})
		if got := errorMessage(b); got != want {
			t.Fatalf("errorMessage(%s) = %q, want %q", b, got, want)
		}
		for _, empty := range []string{`""`, `null`} {
			b := []byte(`{"error":` + empty + `,"error_message":` + string(fuzzMarshal(t, s)) + `}`)
			if got := errorMessage(b); got != want {
				t.Fatalf("errorMessage(%s) = %q, want %q", b, got, want)
			}
		}
		// A list of strings is joined.
		b = fuzzMarshal(t, map[string][]string{"error": {s, s}})
		if got := errorMessage(b); got != want+"; "+want {
			t.Fatalf("errorMessage(%s) = %q, want %q", b, got, want+"; "+want)
		}
	})
}

func fuzzMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%#v): %v", v, err)
	}
	return b
}

func fuzzJSONString(t *testing.T, s string) string {
	t.Helper()
	var out string
	if err := json.Unmarshal(fuzzMarshal(t, s), &out); err != nil {
		t.Fatalf("json round trip of %q: %v", s, err)
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// parseRetryAfter / retryAfter

func FuzzRetryAfter(f *testing.F) {
	f.Add("120", int64(120), int64(1_700_000_000))
	f.Add("  3  ", int64(0), int64(0))
	f.Add("1.5", int64(86_400), int64(1_700_000_000))
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", int64(86_401), int64(1_445_412_000))
	f.Add("Sunday, 06-Nov-94 08:49:37 GMT", int64(-5), int64(784_111_700))
	f.Add("Sun Nov  6 08:49:37 1994", int64(1<<62), int64(-1))
	f.Add("-1", int64(7), int64(1_700_000_000))
	f.Add("NaN", int64(1), int64(1_700_000_000))
	f.Add("1e400", int64(1), int64(1_700_000_000))

	const maxWait = 24 * time.Hour
	f.Fuzz(func(t *testing.T, v string, secs, nowUnix int64) {
		// Any instant in years 1970..9999, whole seconds (HTTP dates have second precision).
		now := time.Unix(fuzzMod(nowUnix, 253_402_300_799), 0).UTC()

		d, ok := parseRetryAfter(v, now)
		if d < 0 || d > maxWait {
			t.Fatalf("parseRetryAfter(%q, %v) = %v, outside [0, 24h]", v, now, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseRetryAfter(%q, %v) = %v, false: a refused value must give 0", v, now, d)
		}
		if strings.TrimSpace(v) == "" && ok {
			t.Fatalf("parseRetryAfter(%q) accepted a blank value", v)
		}

		// Whole seconds parse exactly (capped at 24h), surrounding white space allowed.
		if secs >= 0 {
			want := maxWait
			if secs < int64(maxWait/time.Second) {
				want = time.Duration(secs) * time.Second
			}
			for _, s := range []string{strconv.FormatInt(secs, 10), " " + strconv.FormatInt(secs, 10) + "\t"} {
				if d, ok := parseRetryAfter(s, now); !ok || d != want {
					t.Fatalf("parseRetryAfter(%q) = %v, %v; want %v, true", s, d, ok, want)
				}
			}
		} else if d, ok := parseRetryAfter(strconv.FormatInt(secs, 10), now); ok || d != 0 {
			t.Fatalf("parseRetryAfter(%d) = %v, %v; a negative delay must be refused", secs, d, ok)
		}

		// An HTTP date k seconds from now waits exactly k seconds (0 when it has passed).
		k := fuzzMod(secs, 2*int64(maxWait/time.Second)) - int64(maxWait/time.Second) // [-24h, 24h)
		if at := now.Add(time.Duration(k) * time.Second); at.Year() >= 1 && at.Year() <= 9999 {
			date := at.Format(http.TimeFormat)
			want := time.Duration(max(k, 0)) * time.Second
			if d, ok := parseRetryAfter(date, now); !ok || d != want {
				t.Fatalf("parseRetryAfter(%q, %v) = %v, %v; want %v, true", date, now, d, ok, want)
			}
		}

		// Through the headers: the same bounds, and x-ratelimit-reset only on a 429.
		h := http.Header{}
		h.Set("X-Ratelimit-Reset", v)
		for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
			got := retryAfter(h, status, now)
			if got < 0 || got > maxWait {
				t.Fatalf("retryAfter(x-ratelimit-reset %q, %d) = %v, outside [0, 24h]", v, status, got)
			}
			if status != http.StatusTooManyRequests && got != 0 {
				t.Fatalf("retryAfter(x-ratelimit-reset %q, %d) = %v; the header counts only on a 429", v, status, got)
			}
		}
		h.Set("Retry-After", v)
		if got := retryAfter(h, http.StatusServiceUnavailable, now); got != d {
			t.Fatalf("retryAfter(Retry-After %q) = %v, want parseRetryAfter's %v", v, got, d)
		}
	})
}

// fuzzMod maps any int64 to [0, m).
func fuzzMod(v, m int64) int64 {
	r := v % m
	if r < 0 {
		r += m
	}
	return r
}

// ---------------------------------------------------------------------------------------------
// normalizeBaseURL

var fuzzVersionSegment = regexp.MustCompile(`^v\d+(\.\d+)?$`)

func FuzzNormalizeBaseURL(f *testing.F) {
	f.Add("https://api.ubiops.com/v2.1", false)
	f.Add("api.ubiops.com", false)
	f.Add("  https://API.UbiOps.com/v2.1/  ", false)
	f.Add("http://localhost:8080", false)
	f.Add("http://127.0.0.1:1/v2.1", false)
	f.Add("http://[::1]:9000/api/v3", false)
	f.Add("http://ubiops.internal/v2.1", true)
	f.Add("http://ubiops.internal/v2.1", false)
	f.Add("https://user:pass@api.ubiops.com", false)
	f.Add("https://api.ubiops.com/v2.1?x=1#frag", false)
	f.Add("ftp://api.ubiops.com", false)
	f.Add("https://onprem.example.com/ubiops/v2.1", false)
	f.Add("", false)

	f.Fuzz(func(t *testing.T, raw string, allowHTTP bool) {
		u, err := normalizeBaseURL(raw, allowHTTP)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Setting != "base URL" {
				t.Fatalf("normalizeBaseURL(%q) error %v (%T), want a *ConfigError for the base URL", raw, err, err)
			}
			return
		}
		fuzzCheckBaseURL(t, raw, allowHTTP, u)

		s := u.String()
		u2, err := normalizeBaseURL(s, allowHTTP)
		if err != nil {
			t.Fatalf("normalizeBaseURL(%q) = %q, which is refused when normalised again: %v", raw, s, err)
		}
		if s2 := u2.String(); s2 != s {
			t.Fatalf("normalizeBaseURL is not idempotent: %q -> %q -> %q", raw, s, s2)
		}
	})
}

func fuzzCheckBaseURL(t *testing.T, raw string, allowHTTP bool, u *url.URL) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("normalizeBaseURL(%q, allowHTTP=%v) = %q: %s", raw, allowHTTP, u.String(), fmt.Sprintf(format, args...))
	}
	host := u.Hostname()
	loopback := strings.EqualFold(host, "localhost")
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowHTTP && !loopback {
			fail("plain http to a non-loopback host")
		}
	default:
		fail("scheme %q", u.Scheme)
	}
	if u.Host == "" || host == "" {
		fail("no host name")
	}
	if u.User != nil {
		fail("user information kept")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "" {
		fail("query (even an empty one), fragment or opaque part kept")
	}
	hasVersion := false
	for _, seg := range strings.Split(u.Path, "/") {
		hasVersion = hasVersion || fuzzVersionSegment.MatchString(seg)
	}
	if !hasVersion {
		fail("no /vN segment in the path %q", u.Path)
	}
	// The generated client resolves "./projects/..." against the base URL plus "/": the operations
	// must end up exactly under the base path (resolution would remove dot segments, and a
	// trailing "?" would make it replace the last segment).
	server := u.String()
	if !strings.HasSuffix(server, "/") {
		server += "/"
	}
	su, err := url.Parse(server)
	if err != nil {
		fail("the base URL with a slash does not parse: %v", err)
	}
	op, err := su.Parse("./projects/p")
	if err != nil {
		fail("cannot resolve an operation path: %v", err)
	}
	if want := strings.TrimSuffix(u.Path, "/") + "/projects/p"; op.Path != want {
		fail("an operation resolves to %q, want %q", op.Path, want)
	}
}

// ---------------------------------------------------------------------------------------------
// normalizeToken

var fuzzSchemeName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._~+/-]*$`)

// fuzzTokenMessages are the only messages a refused token may produce: they depend on nothing the
// token contains.
var fuzzTokenMessages = []string{
	(&ConfigError{Setting: "token", Reason: "contains a control character"}).Error(),
	(&ConfigError{Setting: "token", Reason: `want "<token>" or "<scheme> <token>"`}).Error(),
	(&ConfigError{Setting: "token", Reason: "contains white space"}).Error(),
}

func FuzzNormalizeToken(f *testing.F) {
	f.Add("0123456789abcdef0123456789abcdef01234567")
	f.Add("Token 0123456789abcdef")
	f.Add("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")
	f.Add("  padded-token-value \n")
	f.Add("Token a b")
	f.Add("abc def")
	f.Add("token-with\r\nX-Injected: 1")
	f.Add("tab\tinside")
	f.Add("")
	f.Add("   ")

	f.Fuzz(func(t *testing.T, raw string) {
		v, err := normalizeToken(raw)
		trimmed := strings.TrimSpace(raw)
		if err != nil {
			if v != "" {
				t.Fatalf("normalizeToken(%q) returned a value with an error", raw)
			}
			if errors.Is(err, ErrNoToken) {
				if trimmed != "" {
					t.Fatalf("normalizeToken(%q) = ErrNoToken for a non-blank token", raw)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Setting != "token" {
				t.Fatalf("normalizeToken(%q) error %v (%T), want ErrNoToken or a token *ConfigError", raw, err, err)
			}
			msg := err.Error()
			known := false
			for _, m := range fuzzTokenMessages {
				known = known || msg == m
			}
			if !known {
				t.Fatalf("normalizeToken(%q): unexpected message %q", raw, msg)
			}
			// The message never carries the token. (Text that is part of the fixed messages
			// themselves, such as a token "contains white space", is not a leak.)
			for _, part := range append(strings.Fields(trimmed), trimmed) {
				if len(part) >= 8 && strings.Contains(msg, part) && !strings.Contains(strings.Join(fuzzTokenMessages, "\n"), part) {
					t.Fatalf("normalizeToken(%q): error %q contains the token text %q", raw, msg, part)
				}
			}
			return
		}

		if trimmed == "" {
			t.Fatalf("normalizeToken(%q) accepted a blank token", raw)
		}
		s := string(v)
		scheme, tok, ok := strings.Cut(s, " ")
		if !ok || !fuzzSchemeName.MatchString(scheme) || tok == "" {
			t.Fatalf("normalizeToken(%q) = %q, not of the form \"<Scheme> <token>\"", raw, s)
		}
		for _, r := range tok {
			if unicode.IsControl(r) || unicode.IsSpace(r) {
				t.Fatalf("normalizeToken(%q) = %q: control character or white space %U in the token", raw, s, r)
			}
		}
		if !schemeWord.MatchString(trimmed) && (scheme != "Token" || tok != trimmed) {
			t.Fatalf("normalizeToken(%q) = %q, want %q", raw, s, "Token "+trimmed)
		}
		if !strings.HasSuffix(trimmed, tok) {
			t.Fatalf("normalizeToken(%q) = %q: the token part is not the given token", raw, s)
		}
		if v2, err := normalizeToken(s); err != nil || v2 != v {
			t.Fatalf("normalizeToken is not idempotent on %q: %q, %v", raw, string(v2), err)
		}
		// Formatting never shows the value, whatever the verb.
		if out := fmt.Sprintf("%v|%s|%q|%#v|%x|%d", v, v, v, v, v, v); out != "REDACTED|REDACTED|REDACTED|REDACTED|REDACTED|REDACTED" {
			t.Fatalf("formatting the token %q gives %q", raw, out)
		}
		if v.String() != "REDACTED" || v.GoString() != `"REDACTED"` || v.LogValue().String() != "REDACTED" {
			t.Fatalf("String, GoString or LogValue of the token %q shows something else than REDACTED", raw)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// path parameters

// fuzzCapture is a RoundTripper that records the request and answers 404 without sending anything.
type fuzzCapture struct{ reqs []*http.Request }

func (c *fuzzCapture) RoundTrip(req *http.Request) (*http.Response, error) {
	c.reqs = append(c.reqs, req)
	return &http.Response{
		StatusCode: http.StatusNotFound,
		Status:     "404 Not Found",
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{"error": "not found"}`)),
		Request:    req,
	}, nil
}

func FuzzPathEscaping(f *testing.F) {
	f.Add("my-project", "my-deployment")
	f.Add("a/b", "../admin")
	f.Add("x?y=1#z", "%2e%2e")
	f.Add("..", "d")
	f.Add("p", ".")
	f.Add("", "d")
	f.Add("...", "./..")
	f.Add("ünïcode \x00\xff", "100%")
	f.Add(";param", "a//b")

	f.Fuzz(func(t *testing.T, project, deployment string) {
		capture := &fuzzCapture{}
		c, err := NewClient(WithToken("fuzz-token"), WithBaseURL("http://127.0.0.1:1"),
			WithHTTPClient(&http.Client{Transport: capture}), WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()

		_, err = c.Projects.Get(ctx, project)
		if fuzzRefusedName(project) {
			fuzzWantValidationError(t, err, "project_name", project)
		} else {
			segs := fuzzSentPath(t, capture, err, 4)
			fuzzWantSegments(t, segs, "", "v2.1", "projects", project)
		}

		capture.reqs = nil
		_, err = c.Deployments.Get(ctx, project, deployment)
		switch {
		case fuzzRefusedName(project):
			fuzzWantValidationError(t, err, "project_name", project)
		case fuzzRefusedName(deployment):
			fuzzWantValidationError(t, err, "deployment_name", deployment)
		default:
			segs := fuzzSentPath(t, capture, err, 6)
			fuzzWantSegments(t, segs, "", "v2.1", "projects", project, "deployments", deployment)
		}
		if len(capture.reqs) > 1 {
			t.Fatalf("%d requests sent for one call", len(capture.reqs))
		}
	})
}

func fuzzRefusedName(s string) bool { return s == "" || s == "." || s == ".." }

func fuzzWantValidationError(t *testing.T, err error, field, value string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != field {
		t.Fatalf("%s %q: got error %v (%T), want a *ValidationError for %s", field, value, err, err, field)
	}
}

// fuzzSentPath returns the raw path segments of the one request sent, which must be the only
// thing the call did, and carry no query or fragment.
func fuzzSentPath(t *testing.T, capture *fuzzCapture, err error, n int) []string {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Fatalf("got error %v (%T), want the transport's 404", err, err)
	}
	if len(capture.reqs) != 1 {
		t.Fatalf("%d requests sent, want 1", len(capture.reqs))
	}
	u := capture.reqs[0].URL
	if u.Host != "127.0.0.1:1" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		t.Fatalf("request URL %q: wrong host, or a query or fragment", u.String())
	}
	raw := u.EscapedPath()
	if !strings.HasPrefix(raw, "/v2.1/projects/") {
		t.Fatalf("request path %q does not start with /v2.1/projects/", raw)
	}
	segs := strings.Split(raw, "/")
	if len(segs) != n {
		t.Fatalf("request path %q has %d segments, want %d", raw, len(segs), n)
	}
	return segs
}

func fuzzWantSegments(t *testing.T, segs []string, want ...string) {
	t.Helper()
	for i, seg := range segs {
		got, err := url.PathUnescape(seg)
		if err != nil || got != want[i] {
			t.Fatalf("path %q: segment %d %q unescapes to %q (%v), want %q", strings.Join(segs, "/"), i, seg, got, err, want[i])
		}
		if seg == "." || seg == ".." {
			t.Fatalf("path %q: dot segment %q would address another path", strings.Join(segs, "/"), seg)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// redaction

// FuzzRedact: whatever surrounds it, the client's token never survives the redactor, and text
// without it or a credential sequence is left alone.
func FuzzRedact(f *testing.F) {
	f.Add("Invalid token header: Token s3cr3t-t0ken-value", "s3cr3t-t0ken-value")
	f.Add(`{"error":"s3cr3t-t0ken-valuexs3cr3t-t0ken-value"}`, "s3cr3t-t0ken-value")
	f.Add("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig123", "abcdef")
	f.Add("Token has expired", "0123456789abcdef")
	f.Add("TokenTokenToken  Token ", "Token")
	f.Fuzz(func(t *testing.T, text, token string) {
		tok, err := normalizeToken(token)
		if err != nil {
			return
		}
		scheme, cred, _ := strings.Cut(string(tok), " ")
		if strings.Contains(scheme+" "+redacted, cred) {
			return // a "token" such as "[" that the replacement itself spells
		}
		r := newRedactor(string(tok))
		got := r.text(text)
		if len(cred) >= minSecretLen && strings.Contains(got, cred) && !strings.Contains(strings.ReplaceAll(text, cred, ""), cred) {
			t.Fatalf("text(%q) = %q still holds the token %q", text, got, cred)
		}
		if strings.Contains(got, string(tok)) {
			t.Fatalf("text(%q) = %q still holds %q", text, got, string(tok))
		}
		if !strings.Contains(text, "Token ") && !strings.Contains(text, "Bearer ") && !strings.Contains(text, cred) && got != text {
			t.Fatalf("text(%q) = %q changed text holding no credential", text, got)
		}
		if again := r.text(got); again != got {
			t.Fatalf("redaction is not idempotent: %q -> %q -> %q", text, got, again)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// sanitizeFileName

func FuzzSanitizeFileName(f *testing.F) {
	f.Add("package.zip")
	f.Add("../../etc/passwd")
	f.Add(`..\..\windows\system.ini`)
	f.Add("a\x00b\nc\r.zip")
	f.Add("evil\u202egnp.zip")
	f.Add("line\u2028two\u2029\u0085.zip")
	f.Add("  spaced.zip  ")
	f.Add("...")
	f.Add("\xff\xfe.zip")
	f.Add(strings.Repeat("ü", 200) + ".zip")

	f.Fuzz(func(t *testing.T, name string) {
		got := sanitizeFileName(name)
		if strings.ContainsAny(got, `/\`) {
			t.Fatalf("sanitizeFileName(%q) = %q contains a path separator", name, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf) {
				t.Fatalf("sanitizeFileName(%q) = %q contains %U, a control, format or line-separator character", name, got, r)
			}
		}
		if got == "." || got == ".." {
			t.Fatalf("sanitizeFileName(%q) = %q", name, got)
		}
		if len(got) > 255 {
			t.Fatalf("sanitizeFileName(%q) is %d bytes long", name, len(got))
		}
		if utf8.ValidString(name) && !utf8.ValidString(got) {
			t.Fatalf("sanitizeFileName(%q) = %q is not valid UTF-8", name, got)
		}
		if again := sanitizeFileName(got); again != got {
			t.Fatalf("sanitizeFileName is not idempotent: %q -> %q -> %q", name, got, again)
		}
		if got != "" && !filepath.IsLocal(got) {
			t.Fatalf("sanitizeFileName(%q) = %q is not a local file name", name, got)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// Unzip

// fuzzUnzipLimits are small, so that the fuzzer reaches them.
var fuzzUnzipLimits = UnzipOptions{MaxFiles: 50, MaxFileSize: 1 << 20, MaxTotalSize: 4 << 20}

type fuzzZipEntry struct {
	name string
	body string
	mode fs.FileMode // 0: a regular 0644 file
}

// fuzzZip builds an archive with archive/zip.
func fuzzZip(entries ...fuzzZipEntry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			panic(err)
		}
		if _, err := io.WriteString(w, e.body); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// fuzzLyingZip is an archive with a well-formed entry in a nested directory, then one that claims
// 10 bytes but inflates to size zero bytes.
func fuzzLyingZip(size int) []byte {
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	zeros := make([]byte, size)
	_, _ = fw.Write(zeros)
	_ = fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	first, err := zw.Create("nested/dir/first.txt") // written, then removed again
	if err != nil {
		panic(err)
	}
	_, _ = io.WriteString(first, "well-formed")
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "bomb.bin", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(zeros),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: 10,
	})
	if err != nil {
		panic(err)
	}
	_, _ = w.Write(comp.Bytes())
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func fuzzUnzipSeeds() [][]byte {
	many := make([]fuzzZipEntry, 60)
	for i := range many {
		many[i] = fuzzZipEntry{name: fmt.Sprintf("f%02d.txt", i), body: "x"}
	}
	return [][]byte{
		fuzzZip(fuzzZipEntry{name: "deployment_package/deployment.py", body: "class Deployment:\n    pass\n"},
			fuzzZipEntry{name: "deployment_package/requirements.txt", body: "numpy\n"}),
		fuzzZip(fuzzZipEntry{name: "dir/", mode: fs.ModeDir | 0o755}, fuzzZipEntry{name: "dir/sub/file", body: "nested"},
			fuzzZipEntry{name: "./top.txt", body: "dot"}),
		fuzzZip(fuzzZipEntry{name: "ok.txt", body: "fine"}, fuzzZipEntry{name: "../escape.txt", body: "evil"}),
		fuzzZip(fuzzZipEntry{name: "/etc/absolute", body: "evil"}),
		fuzzZip(fuzzZipEntry{name: `dir\..\..\win.txt`, body: "evil"}),
		fuzzZip(fuzzZipEntry{name: "link", body: "/etc/passwd", mode: fs.ModeSymlink | 0o777},
			fuzzZipEntry{name: "link/passwd", body: "through the link"}),
		fuzzZip(fuzzZipEntry{name: "a", body: "file"}, fuzzZipEntry{name: "a/b", body: "under a file"}),
		fuzzZip(fuzzZipEntry{name: "dup", body: "1"}, fuzzZipEntry{name: "dup", body: "2"}),
		fuzzZip(many...),
		fuzzLyingZip(2 << 20),
		[]byte("PK\x03\x04 truncated"),
		{},
	}
}

func FuzzUnzip(f *testing.F) {
	for _, seed := range fuzzUnzipSeeds() {
		f.Add(seed)
	}
	base := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		// A fresh parent per input (os.MkdirTemp is much cheaper than t.TempDir).
		parent, err := os.MkdirTemp(base, "unzip")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(parent)
		out := filepath.Join(parent, "out")
		err = Unzip(bytes.NewReader(data), int64(len(data)), out, &fuzzUnzipLimits)

		// Nothing is ever written beside out; on error, not even out.
		entries, rerr := os.ReadDir(parent)
		if rerr != nil {
			t.Fatal(rerr)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if err != nil {
			var pe *PackageError
			if !errors.As(err, &pe) {
				t.Fatalf("Unzip error %v (%T), want a *PackageError", err, err)
			}
			if len(names) != 0 {
				t.Fatalf("Unzip failed (%v) but left %q behind", err, names)
			}
			return
		}
		if len(names) != 1 || names[0] != "out" {
			t.Fatalf("Unzip wrote %q beside the destination", names)
		}

		// Every file is a regular file (no links), within the limits, and holds exactly what
		// archive/zip reads from the entry of that name.
		files := map[string]int64{} // slash path relative to out -> size
		var dirs []string
		var total int64
		werr := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(out, p)
			if err != nil || !filepath.IsLocal(rel) && rel != "." {
				t.Fatalf("walked outside out: %q", p)
			}
			rel = filepath.ToSlash(rel)
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				t.Fatalf("Unzip created a symbolic link %q", rel)
			case d.IsDir():
				if rel != "." {
					dirs = append(dirs, rel)
				}
			case d.Type().IsRegular():
				fi, err := d.Info()
				if err != nil {
					return err
				}
				files[rel] = fi.Size()
				total += fi.Size()
				if fi.Size() > fuzzUnzipLimits.MaxFileSize {
					t.Fatalf("file %q is %d bytes, over the per-file limit", rel, fi.Size())
				}
			default:
				t.Fatalf("Unzip created %q of type %v", rel, d.Type())
			}
			return nil
		})
		if werr != nil {
			t.Fatal(werr)
		}
		if total > fuzzUnzipLimits.MaxTotalSize {
			t.Fatalf("Unzip wrote %d bytes, over the total limit", total)
		}
		if len(files) > fuzzUnzipLimits.MaxFiles {
			t.Fatalf("Unzip created %d files, more than the limit of %d entries", len(files), fuzzUnzipLimits.MaxFiles)
		}

		zr, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if zerr != nil && !errors.Is(zerr, zip.ErrInsecurePath) {
			t.Fatalf("Unzip accepted what archive/zip cannot read: %v", zerr)
		}
		wantFiles := map[string]bool{}
		wantDirs := map[string]bool{}
		for _, zf := range zr.File {
			clean := path.Clean(strings.TrimSuffix(zf.Name, "/"))
			for d := path.Dir(clean); d != "."; d = path.Dir(d) {
				wantDirs[d] = true
			}
			if zf.Mode().IsDir() || strings.HasSuffix(zf.Name, "/") {
				if clean != "." {
					wantDirs[clean] = true
				}
				continue
			}
			wantFiles[clean] = true
			got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(clean)))
			if err != nil {
				t.Fatalf("entry %q: %v", zf.Name, err)
			}
			rc, err := zf.Open()
			if err != nil {
				t.Fatalf("entry %q was extracted but cannot be opened: %v", zf.Name, err)
			}
			want, err := io.ReadAll(io.LimitReader(rc, fuzzUnzipLimits.MaxFileSize+1))
			_ = rc.Close()
			if err != nil {
				t.Fatalf("entry %q was extracted but cannot be read: %v", zf.Name, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("entry %q: extracted %d bytes that differ from the archive's %d", zf.Name, len(got), len(want))
			}
		}
		if len(files) != len(wantFiles) {
			t.Fatalf("extracted files %v, want the archive's %v", fuzzKeys(files), fuzzKeys(wantFiles))
		}
		for _, d := range dirs {
			if !wantDirs[d] {
				t.Fatalf("Unzip created the directory %q, which no entry names", d)
			}
		}
	})
}

func fuzzKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ---------------------------------------------------------------------------------------------
// ZipDir -> Unzip

type fuzzTreeFile struct {
	rel  string // slash-separated
	body []byte
}

// fuzzTree derives a small file tree from fuzz input: the first byte picks the archive folder, the
// rest is NUL-separated name, content, name, content, ... Names are reduced to safe characters,
// at most 3 components of at most 40 bytes; files that would collide are dropped.
func fuzzTree(data []byte) (folder string, files []fuzzTreeFile) {
	folders := []string{"deployment_package", "", "pkg/nested"}
	if len(data) > 0 {
		folder = folders[int(data[0])%len(folders)]
		data = data[1:]
	} else {
		folder = folders[0]
	}
	parts := bytes.Split(data, []byte{0})
	taken := map[string]bool{} // files and directories in use
	isDir := map[string]bool{}
	for i := 0; i < len(parts); i += 2 {
		if len(files) == 8 {
			break
		}
		var body []byte
		if i+1 < len(parts) {
			body = parts[i+1]
		}
		if len(body) > 4096 {
			body = body[:4096]
		}
		rel := fuzzSafePath(parts[i], len(files))
		clash := taken[rel]
		comps := strings.Split(rel, "/")
		for j := 1; j < len(comps); j++ {
			d := strings.Join(comps[:j], "/")
			clash = clash || (taken[d] && !isDir[d])
		}
		if clash {
			continue
		}
		for j := 1; j < len(comps); j++ {
			d := strings.Join(comps[:j], "/")
			taken[d], isDir[d] = true, true
		}
		taken[rel] = true
		files = append(files, fuzzTreeFile{rel: rel, body: body})
	}
	return folder, files
}

func fuzzSafePath(name []byte, i int) string {
	var comps []string
	for _, c := range strings.Split(string(name), "/") {
		b := []byte(c)
		for j, ch := range b {
			switch {
			case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '.', ch == '-', ch == '_':
			default:
				b[j] = '_'
			}
		}
		c = string(b)
		if len(c) > 40 {
			c = c[:40]
		}
		if c == "" {
			continue
		}
		if strings.Trim(c, ".") == "" {
			c = "dots" + c
		}
		comps = append(comps, c)
		if len(comps) == 3 {
			break
		}
	}
	if len(comps) == 0 {
		return fmt.Sprintf("file%d", i)
	}
	return strings.Join(comps, "/")
}

func fuzzWriteTree(t *testing.T, dir string, files []fuzzTreeFile, mode fs.FileMode, mtime time.Time) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.body, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

func FuzzZipDirRoundTrip(f *testing.F) {
	f.Add([]byte("\x00deployment.py\x00class Deployment:\n    pass\n\x00requirements.txt\x00numpy==1.26\n"))
	f.Add([]byte("\x01requirements.txt\x00pandas\n\x00ubiops.yaml\x00apt:\n  packages: [curl]\n"))
	f.Add([]byte("\x02a/b/c.txt\x00deep\x00a-b\x00sorts before a/\x00a.b\x00dot\x00..\x00dots only\x00\x00empty name"))
	f.Add([]byte("\x00a\x00file\x00a/b\x00clashes with the file a\x00empty\x00\x00.ubiops-ignore\x00*\n"))
	f.Add([]byte("\x00big.bin\x00" + strings.Repeat("\xff\x01", 2048)))

	f.Fuzz(func(t *testing.T, data []byte) {
		folder, files := fuzzTree(data)
		opts := &ZipOptions{Folder: folder}
		root := t.TempDir()

		// The same names and contents, created in opposite orders with different modes and times.
		dirA, dirB := filepath.Join(root, "a"), filepath.Join(root, "b")
		if err := os.Mkdir(dirA, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(dirB, 0o700); err != nil {
			t.Fatal(err)
		}
		fuzzWriteTree(t, dirA, files, 0o644, time.Date(2024, 5, 1, 8, 32, 14, 0, time.UTC))
		reversed := make([]fuzzTreeFile, len(files))
		for i, f := range files {
			reversed[len(files)-1-i] = f
		}
		fuzzWriteTree(t, dirB, reversed, 0o600, time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC))

		zipOf := func(dir string) []byte {
			var buf bytes.Buffer
			if err := ZipDir(&buf, dir, opts); err != nil {
				t.Fatalf("ZipDir(%q) with files %q: %v", dir, fuzzRels(files), err)
			}
			return buf.Bytes()
		}
		first := zipOf(dirA)
		if again := zipOf(dirA); !bytes.Equal(first, again) {
			t.Fatalf("ZipDir is not deterministic for files %q", fuzzRels(files))
		}
		if other := zipOf(dirB); !bytes.Equal(first, other) {
			t.Fatalf("ZipDir depends on creation order, modes or times for files %q", fuzzRels(files))
		}

		// The archive lists prefix+rel for every file, in byte order, deflated, at the zip epoch.
		prefix := ""
		if folder != "" {
			prefix = folder + "/"
		}
		want := map[string][]byte{}
		var wantNames []string
		for _, f := range files {
			want[f.rel] = f.body
			wantNames = append(wantNames, prefix+f.rel)
		}
		sort.Strings(wantNames)
		zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
		if err != nil {
			t.Fatalf("ZipDir wrote an unreadable archive: %v", err)
		}
		var gotNames []string
		for _, zf := range zr.File {
			gotNames = append(gotNames, zf.Name)
			if zf.Method != zip.Deflate || !zf.Modified.Equal(zipEpoch) || zf.Mode() != 0o644 {
				t.Fatalf("entry %q: method %d, time %v, mode %v; want deflate, %v, 0644", zf.Name, zf.Method, zf.Modified, zf.Mode(), zipEpoch)
			}
		}
		if strings.Join(gotNames, "\n") != strings.Join(wantNames, "\n") {
			t.Fatalf("archive entries %q, want %q", gotNames, wantNames)
		}

		out := filepath.Join(root, "out")
		if err := Unzip(bytes.NewReader(first), int64(len(first)), out, nil); err != nil {
			t.Fatalf("Unzip of ZipDir's archive of %q: %v", fuzzRels(files), err)
		}
		base := filepath.Join(out, filepath.FromSlash(folder))
		count := 0
		err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(base, p)
			if err != nil {
				return err
			}
			body, ok := want[filepath.ToSlash(rel)]
			if !ok || !d.Type().IsRegular() {
				t.Fatalf("Unzip produced %q (type %v), which was not packaged", p, d.Type())
			}
			got, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if !bytes.Equal(got, body) {
				t.Fatalf("%q: round trip changed the content (%d bytes, want %d)", rel, len(got), len(body))
			}
			count++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if count != len(files) {
			t.Fatalf("round trip gave %d files, want %d (%q)", count, len(files), fuzzRels(files))
		}
	})
}

func fuzzRels(files []fuzzTreeFile) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.rel
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// JSON of paginated answers

// FuzzDecodePaginated decodes arbitrary bytes into every cursor-paginated page type and every
// offset-list item type. The round-trip property is checked on the JSON encoding rather than with
// reflect.DeepEqual on the values, for two legitimate reasons:
//   - Nullable fields distinguish "absent" (nil map) from "null"; the types have no omitempty, so
//     an absent field encodes as null and decodes back as null. Absent and null mean the same to
//     the API (the spec marks these fields required and nullable), and both encode as null.
//   - time.Time values parsed with a numeric offset get a new *time.Location each time, so
//     DeepEqual tells two equal instants apart; the encoding (instant and offset) does not.
//
// So the property is: decode, encode (must succeed), decode (must succeed), encode again, and the
// two encodings are identical: one decode/encode pass loses nothing that survives the next.
//
// One further restriction: openapi_types.Email (AuditList.user) refuses to encode a value that
// net/mail cannot parse, and an absent "user" decodes to the empty Email, which then cannot be
// encoded. A decoded audit event without a valid user therefore cannot be re-encoded; that is
// the runtime type's documented validation, not a decoding defect, so ErrValidationEmail on
// encoding ends the check for that input.
func FuzzDecodePaginated(f *testing.F) {
	for _, seed := range fuzzPaginatedSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip[InstanceEventPaginated](t, data)
		fuzzRoundTrip[InstanceListPaginated](t, data)
		fuzzRoundTrip[ProjectInstanceListPaginated](t, data)
		fuzzRoundTrip[InstanceTypeListPaginated](t, data)
		fuzzRoundTrip[InstanceTypeGroupListPaginated](t, data)
		fuzzRoundTrip[InstanceTypeGroupUsagePaginated](t, data)
		fuzzRoundTrip[[]AuditList](t, data)
		fuzzRoundTrip[[]DeploymentRequestList](t, data)
		fuzzRoundTrip[[]RequestsOverview](t, data)
		fuzzRoundTrip[AuditList](t, data)
		fuzzRoundTrip[DeploymentRequestList](t, data)
		fuzzRoundTrip[RequestsOverview](t, data)
	})
}

func fuzzRoundTrip[T any](t *testing.T, data []byte) {
	t.Helper()
	var v1 T
	if json.Unmarshal(data, &v1) != nil {
		return
	}
	b1, err := json.Marshal(v1)
	if err != nil {
		if errors.Is(err, openapi_types.ErrValidationEmail) {
			return // see FuzzDecodePaginated
		}
		t.Fatalf("%T decoded from %q does not encode: %v", v1, data, err)
	}
	var v2 T
	if err := json.Unmarshal(b1, &v2); err != nil {
		t.Fatalf("%T: its own encoding %s does not decode: %v (input %q)", v1, b1, err, data)
	}
	b2, err := json.Marshal(v2)
	if err != nil {
		t.Fatalf("%T decoded from its own encoding %s does not encode: %v", v2, b1, err)
	}
	if !bytes.Equal(b1, b2) {
		t.Fatalf("%T round trip changed the value:\ninput  %q\nfirst  %s\nsecond %s", v1, data, b1, b2)
	}
}

// fuzzPaginatedSeeds are the examples api/openapi.yaml documents for these answers, plus pages
// with a next cursor and the edge cases of the nullable and optional fields.
var fuzzPaginatedSeeds = []string{
	// instances_list (example "instances")
	`{"previous": null, "next": null, "results": [{"id": "33a0541a-11a5-44f7-8722-b7428d1faf80", "status": "pending", "time_created": "2024-05-01T08:32:14.876451Z", "time_updated": "2024-05-01T08:32:14.876451Z", "instance_type": null}, {"id": "12d376cf-11ee-4bec-b52a-d76f4daf4314", "status": "running", "time_created": "2024-05-01T07:13:13.973651Z", "time_updated": "2024-05-01T08:32:14.876451Z", "instance_type": {"id": "fe1485df-f4d8-466e-913e-06d3569e4b39", "name": "512mb", "display_name": "512 MB"}}]}`,
	// instance_events_list (example "instance-events")
	`{"previous": null, "next": null, "results": [{"id": "d2727027-b681-43f1-be84-5f7bc7cbec4f", "time_created": "2023-05-01T16:25:11.195716Z", "description": "Instance status changed to initialising"}, {"id": "36489db5-0fa8-467a-b2d3-8edcb7479726", "time_created": "2023-05-01T16:25:05.987451Z", "description": "Deployed on node pool 'Google CPU'"}, {"id": "08c8bf93-4ece-4d99-9ecf-4f19d6703a58", "time_created": "2023-05-01T16:24:03.987451Z", "description": "Attempting to deploy with instance type '2048mb' on node pool 'Google CPU' (GCP cluster)"}, {"id": "63ef2820-71ba-4a90-ba4e-a57035d1350f", "time_created": "2023-05-01T16:23:15.456812Z", "description": "Instance created"}]}`,
	// project_instances_list (example "instances")
	`{"previous": null, "next": null, "results": [{"id": "33a0541a-11a5-44f7-8722-b7428d1faf80", "status": "pending", "time_created": "2024-05-01T08:32:14.876451Z", "time_updated": "2024-05-01T08:32:14.876451Z", "instance_type": null, "deployment": "deployment-1", "version": "v1"}, {"id": "12d376cf-11ee-4bec-b52a-d76f4daf4314", "status": "running", "time_created": "2024-05-01T07:13:13.973651Z", "time_updated": "2024-05-01T08:32:14.876451Z", "instance_type": {"id": "fe1485df-f4d8-466e-913e-06d3569e4b39", "name": "512mb", "display_name": "512 MB"}, "deployment": "deployment-2", "version": "v1"}]}`,
	// instance_types_list (examples "instance-types" and "instance-types-allocations")
	`{"previous": null, "next": null, "results": [{"id": "abe2e406-fae5-4bcf-a3bc-956d756e4ecb", "time_created": "2024-05-01T08:32:14.876451Z", "name": "512mb", "display_name": "512 MB", "cpu": 0.125, "memory": 512.0, "storage": 2048.0, "accelerator": 0, "credit_rate": 0.5, "dedicated_node": false, "node_pool": {"cluster": {"type": "gcp"}}}]}`,
	`{"next": null, "previous": null, "results": [{"id": "abe2e406-fae5-4bcf-a3bc-956d756e4ecb", "name": "512mb", "display_name": "512 MB", "memory_allocation": 512, "cpu_allocation": 0.125, "gpu_allocation": 0, "storage_allocation": 2048, "credit_rate": 0.5}]}`,
	// instance_type_groups_list (example "instance-type-groups")
	`{"previous": null, "next": null, "results": [{"id": "6e1b5dcb-cb35-4fa6-9120-cfc1ba0c5f07", "name": "high-memory-instance-type-group", "time_created": "2024-05-05T12:14:12.081753Z", "time_updated": "2024-05-05T12:14:12.081753Z", "instance_types": [{"id": "abe2e406-fae5-4bcf-a3bc-956d756e4ecb", "time_created": "2024-05-01T08:32:14.876451Z", "name": "16384mb", "display_name": "16384 MB", "cpu": 4, "memory": 16384, "accelerator": 0, "storage": 65536, "credit_rate": 16, "dedicated_node": false, "node_pool": {"cluster": {"type": "gcp"}}, "priority": 0, "schedule_timeout": 3600}, {"id": "64dfc63d-a1fd-41b6-a01f-90caa74a270b", "time_created": "2024-05-01T08:32:14.876451Z", "name": "8192mb", "display_name": "8192 MB", "cpu": 2, "memory": 8192, "accelerator": 0, "storage": 32768, "credit_rate": 8, "dedicated_node": false, "node_pool": {"cluster": {"type": "aws"}}, "priority": 1, "schedule_timeout": 3600}]}, {"id": "4bb1a7d8-24b4-49e3-9b63-34fbbf604c35", "name": "low-memory-instance-type-group", "time_created": "2024-05-06T15:32:49.916572Z", "time_updated": "2024-05-06T15:32:49.916572Z", "instance_types": [{"id": "abe2e406-fae5-4bcf-a3bc-956d756e4ecb", "time_created": "2024-05-01T08:32:14.876451Z", "name": "256mb", "display_name": "256 MB", "cpu": 0.0625, "memory": 256, "accelerator": 0, "storage": 1024, "credit_rate": 0.25, "dedicated_node": false, "node_pool": {"cluster": {"type": "gcp"}}, "priority": 0, "schedule_timeout": 3600}]}]}`,
	// instance_type_groups_usage (example "group-usage")
	`{"next": null, "previous": null, "results": [{"id": "4ae7d14b-4803-4e16-b96d-3b18caa4b605", "deployment": "deployment-1", "version": "version-1", "instance_type_group_id": "67615c94-547e-48f2-87a2-f57aca2921c5", "instance_type_group_name": "256 MB + 0.0625 vCPU"}, {"id": "24f6b80a-08c3-4d52-ac1a-2ea7e70f16a6", "deployment": "deployment-1", "version": "version-2", "instance_type_group_id": "67615c94-547e-48f2-87a2-f57aca2921c5", "instance_type_group_name": "256 MB + 0.0625 vCPU"}]}`,
	// project_audit_events_list (example "audit-events")
	`[{"id": "54c1ea23-5773-4821-8fd7-1b577cc301bc", "date": "2020-05-23T11:53:02.873+00:00", "action": "create", "user": "user@example.com", "event": "Created project test-project", "object_type": "project", "object_name": "test-project"}, {"id": "764e254c-7402-4445-ac79-009d08b21caa", "date": "2020-05-23T11:57:20.072+00:00", "action": "create", "user": "user@example.com", "event": "Created deployment deployment-1", "object_type": "deployment", "object_name": "deployment-1"}]`,
	// deployment_requests_list (example "recent-requests")
	`[{"id": "69eca481-8576-49e8-8e20-ea56f2005bcb", "deployment": "deployment-1", "version": "v1", "status": "pending", "success": null, "time_created": "2020-03-28T20:00:26.613+00:00", "time_started": null, "time_completed": null, "input_size": 10, "output_size": null}, {"id": "2521378e-263e-4e2e-85e9-a96254b36536", "deployment": "deployment-1", "version": "v1", "status": "completed", "success": true, "time_created": "2020-03-28T20:00:26.613+00:00", "time_started": "2020-03-28T20:00:41.276+00:00", "time_completed": "2020-03-28T20:00:42.241+00:00", "input_size": 10, "output_size": 10}]`,
	// project_requests_list (example "requests")
	`[{"id": "69eca481-8576-49e8-8e20-ea56f2005bcb", "deployment": "deployment-1", "pipeline": null, "version": "v1", "status": "pending", "success": false, "time_created": "2020-03-28T20:00:26.613+00:00", "time_started": "2020-03-28T20:00:41.276+00:00", "time_completed": "2020-03-28T20:00:42.241+00:00"}, {"id": "2521378e-263e-4e2e-85e9-a96254b36536", "deployment": null, "pipeline": "pipeline-1", "version": "v1", "status": "completed", "success": true, "time_created": "2020-03-28T20:00:26.613+00:00", "time_started": "2020-03-28T20:00:41.276+00:00", "time_completed": "2020-03-28T20:00:42.241+00:00"}]`,
	// A page with cursor links; absent nullable fields; offsets other than UTC; an object item.
	`{"next": "https://api.ubiops.com/v2.1/projects/p/instances?cursor=cD0yMDI0&limit=50", "previous": "https://api.ubiops.com/v2.1/projects/p/instances?cursor=cj0x", "results": []}`,
	`{"results": null}`,
	`{"id": "69eca481-8576-49e8-8e20-ea56f2005bcb", "status": "failed", "time_created": "2020-03-28T21:00:26.613+01:00", "time_started": "2020-03-28T20:00:26-00:00", "input_size": 0, "success": false}`,
}
