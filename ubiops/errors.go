package ubiops

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors matched by errors.Is against an *APIError with the corresponding status.
var (
	ErrBadRequest   = errors.New("ubiops: bad request")  // 400
	ErrUnauthorized = errors.New("ubiops: unauthorized") // 401
	ErrForbidden    = errors.New("ubiops: forbidden")    // 403
	ErrNotFound     = errors.New("ubiops: not found")    // 404
	ErrConflict     = errors.New("ubiops: conflict")     // 409
	ErrRateLimited  = errors.New("ubiops: rate limited") // 429
	ErrServer       = errors.New("ubiops: server error") // any 5xx
)

// maxErrorBody caps how much of an error answer is kept: enough for any UbiOps error message, small
// enough that a misbehaving proxy cannot make an error hold megabytes.
const maxErrorBody = 64 << 10

// APIError is a non-2xx answer from the UbiOps API.
type APIError struct {
	// Operation is the API operation (operationId) of the call, such as "deployments_get".
	Operation  string
	StatusCode int
	Method     string
	// Path is the request path, without the query string.
	Path string
	// Message is the API's explanation, from the "error" or "error_message" field of the body.
	Message string
	// Body is the raw answer, at most 64 KiB of it.
	Body []byte
	// Header holds the answer's headers (the rate-limit headers among them).
	Header http.Header
	// RetryAfter is how long the server asked the client to wait (Retry-After, or x-ratelimit-reset
	// on a 429); zero if it did not say.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent, retries included.
	Attempts int
}

// Error describes the failure on one line; it never contains the token.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ubiops: %s%s %s: %d %s", operationPrefix(e.Operation), e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return safeText(b.String())
}

// Is makes errors.Is(err, ErrNotFound) and the other sentinels work on an *APIError.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// newAPIError reads (at most maxErrorBody of) a non-2xx response and closes its body. The token
// is redacted from everything kept (body, message, headers, path), since a server may echo it.
func newAPIError(resp *http.Response, attempts int, r *redactor) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	drainAndClose(resp.Body)
	body = r.bytes(body)
	e := &APIError{
		StatusCode: resp.StatusCode,
		Body:       body,
		Header:     r.header(resp.Header),
		Message:    r.text(errorMessage(body)), // the decoded message too: JSON may escape the token
		RetryAfter: retryAfter(resp.Header, resp.StatusCode, time.Now()),
		Attempts:   attempts,
	}
	e.Method, e.Path = requestOf(resp, r)
	return e
}

// requestOf returns the method and (escaped, redacted) path of the request that got resp.
// operationPrefix is "op: " for an error message, or "" when the operation is not known.
func operationPrefix(op string) string {
	if op == "" {
		return ""
	}
	return op + ": "
}

// operationOf is the operation of the call that resp answers.
func operationOf(resp *http.Response) string {
	if resp == nil || resp.Request == nil {
		return ""
	}
	return OperationID(resp.Request.Context())
}

func requestOf(resp *http.Response, r *redactor) (method, path string) {
	if resp == nil || resp.Request == nil {
		return "", ""
	}
	method = resp.Request.Method
	if resp.Request.URL != nil {
		path = r.text(resp.Request.URL.EscapedPath())
	}
	return method, path
}

// errorMessage extracts the explanation from an error body: "error", else "error_message" (some
// endpoints use it), else a short plain-text body.
func errorMessage(body []byte) string {
	return oneLine(rawErrorMessage(body))
}

func rawErrorMessage(body []byte) string {
	var v struct {
		Error        json.RawMessage `json:"error"`
		ErrorMessage json.RawMessage `json:"error_message"`
	}
	if json.Unmarshal(body, &v) == nil {
		for _, raw := range []json.RawMessage{v.Error, v.ErrorMessage} {
			if msg := messageText(raw); msg != "" {
				return msg
			}
		}
		return ""
	}
	text := strings.TrimSpace(string(body))
	if text == "" || strings.HasPrefix(text, "<") || len(text) > 200 {
		return "" // an HTML error page or a long dump says nothing useful in one line
	}
	return text
}

// oneLine replaces every character that can end a line or reorder one with a space, so a
// server's message can never forge extra lines in an error string or a log line, nor make a line
// display as something it does not say: control characters (C0 and C1, so newlines and NEL
// U+0085 among them), the line and paragraph separators U+2028 and U+2029, and the format
// characters of category Cf (the bidirectional overrides and isolates U+202A–U+202E and
// U+2066–U+2069, zero-width characters, ...). Bytes that are not UTF-8 become '?'. The message
// never grows.
func oneLine(msg string) string {
	if !needsOneLine(msg) {
		return msg
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return '?'
		case lineBreaking(r):
			return ' '
		}
		return r
	}, msg)
}

// lineBreaking reports the characters oneLine replaces.
func lineBreaking(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf)
}

// needsOneLine reports whether oneLine would change msg; plain ASCII text, by far the most common,
// is checked without decoding.
func needsOneLine(msg string) bool {
	for i := 0; i < len(msg); i++ {
		if c := msg[i]; c < 0x20 || c >= 0x7f {
			return strings.ContainsFunc(msg, func(r rune) bool { return r == utf8.RuneError || lineBreaking(r) })
		}
	}
	return false
}

// safeText is what every Error method returns: one line (see oneLine) with any "Token …" or
// "Bearer …" credential replaced, whatever server text the error holds.
func safeText(s string) string { return redactCredentials(oneLine(s)) }

// messageText accepts the shapes seen in error fields: a string, or a list or object of strings.
func messageText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "; ")
	}
	return string(raw)
}

// retryAfter returns the wait a response asks for: Retry-After as seconds or an HTTP date, or on a
// 429 the x-ratelimit-reset seconds. Zero when absent, unparsable or in the past.
func retryAfter(h http.Header, status int, now time.Time) time.Duration {
	if d, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
		return d
	}
	if status == http.StatusTooManyRequests {
		if d, ok := parseSeconds(h.Get("X-Ratelimit-Reset")); ok {
			return d
		}
	}
	return 0
}

// parseRetryAfter parses a Retry-After value (RFC 9110: delay-seconds or an HTTP date).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if d, ok := parseSeconds(v); ok {
		return d, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return min(d, maxServerDelay), true // a date far ahead is bounded like delay-seconds
	}
	return 0, true
}

// maxServerDelay bounds any server-directed wait we parse, so a hostile value cannot overflow.
const maxServerDelay = 24 * time.Hour

func parseSeconds(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != f { // f != f: NaN
		return 0, false
	}
	if f > maxServerDelay.Seconds() {
		return maxServerDelay, true
	}
	return time.Duration(f * float64(time.Second)), true
}

// ValidationError reports an argument rejected before any request was sent. Field names the
// parameter or body field as the API documents it (project_name, timeout, ...).
type ValidationError struct {
	Field  string
	Reason string
}

// Error describes the failure; it never contains the token.
func (e *ValidationError) Error() string { return "ubiops: invalid " + e.Field + ": " + e.Reason }

// RequestError is a request that got no HTTP answer: the connection failed, or the context ended.
// Err is the cause; when the context ended, Err is the context's error (so errors.Is(err,
// context.Canceled) holds) and Cause the transport error it provoked, if any.
type RequestError struct {
	// Operation is the API operation (operationId) of the call.
	Operation string
	Method    string
	Path      string
	Attempts  int
	Err       error
	Cause     error
}

// Error describes the failure on one line; it never contains the token.
func (e *RequestError) Error() string {
	s := fmt.Sprintf("ubiops: %s%s %s: %v", operationPrefix(e.Operation), e.Method, e.Path, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return safeText(s)
}

// Unwrap returns the cause, so errors.Is and errors.As see through a RequestError.
func (e *RequestError) Unwrap() error { return e.Err }

// DecodeError is a 2xx answer whose body could not be decoded into the documented type.
type DecodeError struct {
	// Operation is the API operation (operationId) of the call.
	Operation  string
	Method     string
	Path       string
	StatusCode int
	Err        error
}

// Error describes the failure on one line; it never contains the token.
func (e *DecodeError) Error() string {
	return safeText(fmt.Sprintf("ubiops: %s%s %s: decoding %d answer: %v", operationPrefix(e.Operation), e.Method, e.Path, e.StatusCode, e.Err))
}

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

func drainAndClose(body io.ReadCloser) {
	// Draining a little lets the connection be reused; past that, closing is cheaper than reading.
	// A decoded body is usually at its end already, so one read from a pooled buffer suffices.
	buf := drainBuffers.Get().(*[]byte)
	for read := 0; read < 4<<10; {
		n, err := body.Read(*buf)
		read += n
		if err != nil {
			break
		}
	}
	drainBuffers.Put(buf)
	_ = body.Close()
}

var drainBuffers = sync.Pool{New: func() any { b := make([]byte, 512); return &b }}
