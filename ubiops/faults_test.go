package ubiops_test

// The fault matrix: every kind of failure a network, a proxy or the API can produce, crossed with
// every kind of operation (a read, a create, a change, a delete, an upload, a download, a batch
// create and an offset list), each cell asserting what the client promises: whether the request
// was sent again, the error's type, that a create never runs twice unless the rules allow it, and
// that a failed download leaves no file. The hostile-server faults (huge, endless and gzip-bomb
// answers, an ignored offset, an echoed token, line-forging characters, an HTML page or odd file
// names for a download) are crossed with the operations they apply to, and every cell, whatever
// its fault, checks that no error text or log line holds the token or a line break. Run it alone
// with `make faults`.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// fmPolicy makes retries fast: two retries, backoff of at most a few milliseconds, and a server-
// directed wait (Retry-After, x-ratelimit-reset) capped at fmServerDelay.
const fmServerDelay = 50 * time.Millisecond

var fmPolicy = ubiops.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxServerDelay: fmServerDelay}

const (
	fmToken      = "fault-matrix-token"
	fmRevisionID = "7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e"
	fmInputs     = 300 // two batch chunks: 250 and 50
	fmFileName   = "package.zip"
)

// fmPackage is what downloads serve and uploads send.
var fmPackage = func() []byte {
	b := make([]byte, 64<<10)
	copy(b, "PK\x03\x04")
	for i := 4; i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	return b
}()

// Operations.
const (
	fmGet      = "GET"      // Projects.Get
	fmPost     = "POST"     // Projects.Create
	fmPatch    = "PATCH"    // Projects.Update
	fmDelete   = "DELETE"   // Projects.Delete
	fmUpload   = "upload"   // Revisions.Upload from a bytes.Reader
	fmDownload = "download" // Revisions.DownloadFile into a temporary directory
	fmBatch    = "batch"    // Requests.BatchCreateAll with 300 inputs, one chunk at a time
	fmList     = "list"     // Requests.All: an offset list of fmListed requests, pages of fmPage
)

// The offset list the API serves.
const (
	fmListed = 25
	fmPage   = 10
)

// fmFault is one way for a server to misbehave. serve writes the faulty answer for the first
// `times` requests (0: every request); later requests are answered correctly.
type fmFault struct {
	times          int
	attemptTimeout time.Duration // client option WithAttemptTimeout
	ctxTimeout     time.Duration // the call's context deadline
	refused        bool          // no server: the base URL is a closed port
	redirect       string        // "port": 307 to a second server on the same IP; "host": to 127.0.0.2
	tls            bool          // the API is served over HTTPS (the redirect target never is)
	maxResponse    int64         // client option WithMaxResponseBytes
	serve          func(e *fmEnv, w http.ResponseWriter, r *http.Request, body []byte)
}

func fmStatus(status int, header ...string) func(*fmEnv, http.ResponseWriter, *http.Request, []byte) {
	return func(_ *fmEnv, w http.ResponseWriter, _ *http.Request, _ []byte) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"error":"injected %d"}`, status)
	}
}

// fmBody answers 200 with the correct answer transformed by edit, under the content type given.
func fmBody(contentType string, edit func([]byte) []byte) func(*fmEnv, http.ResponseWriter, *http.Request, []byte) {
	return func(_ *fmEnv, w http.ResponseWriter, r *http.Request, body []byte) {
		_, _, payload := fmGood(r, body)
		payload = edit(payload)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(payload)
	}
}

// fmHalf sends the headers of the correct answer (its full Content-Length) and half its body, then
// closes the connection (stall=false) or waits until the client goes away (stall=true).
func fmHalf(stall bool) func(*fmEnv, http.ResponseWriter, *http.Request, []byte) {
	return func(e *fmEnv, w http.ResponseWriter, r *http.Request, body []byte) {
		status, header, payload := fmGood(r, body)
		for k, vs := range header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		w.WriteHeader(status)
		_, _ = w.Write(payload[:len(payload)/2])
		w.(http.Flusher).Flush()
		if stall {
			e.hang(r)
			return
		}
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	}
}

const fmHTML = `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`

// fmHuge answers 200 with the start of a JSON object whose string never ends, declaring a
// Content-Length of 2 GiB (declared) or none (chunked, until the client goes away or 1 GiB).
func fmHuge(declared bool) func(*fmEnv, http.ResponseWriter, *http.Request, []byte) {
	return func(e *fmEnv, w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		if declared {
			w.Header().Set("Content-Length", strconv.Itoa(2<<30))
		}
		w.WriteHeader(http.StatusOK)
		if _, err := io.WriteString(w, `{"name":"`); err != nil {
			return
		}
		for sent := 0; sent < 1<<30; sent += len(aaaa) {
			select {
			case <-e.quit:
				return
			default:
			}
			if _, err := w.Write(aaaa); err != nil {
				return
			}
		}
	}
}

// fmForging is an error message full of characters that would forge or disguise a line, and
// fmForgingOneLine what the client keeps of it.
const (
	fmForging        = "bad\nname\r\u0085forged: line\u2028two\u2029three \u202eevil\u2066 \u200bend"
	fmForgingOneLine = "bad name  forged: line two three  evil   end"
)

// fmFileOf answers a download under the file name given.
func fmFileOf(name string) func(*fmEnv, http.ResponseWriter, *http.Request, []byte) {
	return func(_ *fmEnv, w http.ResponseWriter, r *http.Request, body []byte) {
		status, header, payload := fmGood(r, body)
		for k, vs := range header {
			w.Header()[k] = vs
		}
		if strings.HasSuffix(r.URL.Path, "/download") {
			w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		}
		w.WriteHeader(status)
		_, _ = w.Write(payload)
	}
}

var (
	fmName255    = strings.Repeat("p", 251) + ".zip"
	fmName300    = strings.Repeat("q", 296) + ".zip"
	fmNameForged = "pack\u2028age\u202e\u0085.zip"
)

var fmFaults = map[string]fmFault{
	"refused": {refused: true},
	"reset-before": {times: 1, serve: func(_ *fmEnv, w http.ResponseWriter, _ *http.Request, _ []byte) {
		// The request was read in full; the connection is reset (RST) before any answer.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		_ = conn.Close()
	}},
	"reset-mid-body": {times: 1, serve: fmHalf(false)},
	"stall-mid-body": {ctxTimeout: 200 * time.Millisecond, serve: fmHalf(true)},
	"timeout": {times: 1, attemptTimeout: 150 * time.Millisecond, serve: func(e *fmEnv, _ http.ResponseWriter, r *http.Request, _ []byte) {
		e.hang(r)
	}},
	"deadline": {ctxTimeout: 150 * time.Millisecond, serve: func(e *fmEnv, _ http.ResponseWriter, r *http.Request, _ []byte) {
		e.hang(r)
	}},
	"408":                 {times: 1, serve: fmStatus(http.StatusRequestTimeout)},
	"429-retry-after":     {times: 1, serve: fmStatus(http.StatusTooManyRequests, "Retry-After", "1")},
	"429-ratelimit-reset": {times: 1, serve: fmStatus(http.StatusTooManyRequests, "X-Ratelimit-Limit", "100", "X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", "1")},
	"429-bare":            {times: 1, serve: fmStatus(http.StatusTooManyRequests)},
	"500":                 {serve: fmStatus(http.StatusInternalServerError)},
	"502":                 {times: 1, serve: fmStatus(http.StatusBadGateway)},
	"503":                 {times: 1, serve: fmStatus(http.StatusServiceUnavailable)},
	"504":                 {serve: fmStatus(http.StatusGatewayTimeout)},
	"502-html": {serve: func(_ *fmEnv, w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, fmHTML)
	}},
	"200-truncated-json":   {times: 1, serve: fmBody("application/json", func(b []byte) []byte { return b[:len(b)/2] })},
	"200-invalid-json":     {times: 1, serve: fmBody("application/json", func(b []byte) []byte { return bytes.Replace(b, []byte(`"`), []byte(`'`), 1) })},
	"200-empty":            {times: 1, serve: fmBody("application/json", func([]byte) []byte { return nil })},
	"200-text-plain-json":  {times: 1, serve: fmBody("text/plain; charset=utf-8", func(b []byte) []byte { return b })},
	"200-text-plain-other": {times: 1, serve: fmBody("text/plain; charset=utf-8", func([]byte) []byte { return []byte("upstream connect error or disconnect/reset before headers") })},
	"307-other-port":       {times: 1, redirect: "port"},
	"307-other-host":       {times: 1, redirect: "host"},
	"307-https-to-http":    {times: 1, redirect: "port", tls: true},

	// Hostile servers.
	"200-huge":    {times: 1, serve: fmHuge(true)},                        // Content-Length: 2 GiB
	"200-endless": {times: 1, maxResponse: 1 << 20, serve: fmHuge(false)}, // chunked, no end
	"200-gzip-bomb": {times: 1, maxResponse: 1 << 20, serve: func(_ *fmEnv, w http.ResponseWriter, r *http.Request, _ []byte) {
		gzipBombHandler(w, r) // 1 MiB that expands to 1 GiB
	}},
	"offset-ignored": {serve: func(_ *fmEnv, w http.ResponseWriter, r *http.Request, body []byte) {
		q := r.URL.Query()
		q.Set("offset", "0") // every page is the first
		r.URL.RawQuery = q.Encode()
		fmAnswer(w, r, body)
	}},
	"401-echoed-token": {serve: func(_ *fmEnv, w http.ResponseWriter, r *http.Request, _ []byte) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("WWW-Authenticate", auth)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = fmt.Fprintf(w, `{"error":"Invalid token header: %s","token":"%s"}`, auth, strings.TrimPrefix(auth, "Token "))
	}},
	"200-echoed-token": {times: 1, serve: func(e *fmEnv, w http.ResponseWriter, r *http.Request, body []byte) {
		auth := r.Header.Get("Authorization") // in a date field: the decoding error quotes it
		fmBody("application/json", func(b []byte) []byte {
			for _, date := range []string{"2018-10-26T00:00:00Z", "2024-01-01T00:00:00Z"} {
				b = bytes.ReplaceAll(b, []byte(date), []byte(auth))
			}
			return b
		})(e, w, r, body)
	}},
	"400-line-forging": {serve: func(_ *fmEnv, w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]string{"error": fmForging})
		_, _ = w.Write(b)
	}},
	"200-html": {serve: func(_ *fmEnv, w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8") // a captive portal's login page
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, loginPage)
	}},
	"200-name-255":    {serve: fmFileOf(fmName255)},
	"200-name-300":    {serve: fmFileOf(fmName300)},
	"200-name-forged": {serve: fmFileOf(fmNameForged)},
}

// fmGood is the correct answer to a request, in the shapes of api/openapi.yaml.
func fmGood(r *http.Request, body []byte) (int, http.Header, []byte) {
	h := http.Header{"Content-Type": {"application/json"}}
	project := `{"id":"e988ddc0-3ef1-42d2-ab30-9f810a5e7063","name":"p","creation_date":"2018-10-26T00:00:00Z",` +
		`"advanced_permissions":false,"organization_name":"o","credits":null,"suspended":false,"suspended_reason":null,"cors_origins":[]}`
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(p, "/requests"):
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		out := []map[string]any{}
		for i := offset; i < min(offset+limit, fmListed); i++ {
			out = append(out, map[string]any{"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "deployment": "d", "version": "v",
				"status": "completed", "time_created": "2024-01-01T00:00:00Z", "time_started": nil, "time_completed": nil,
				"input_size": 1, "output_size": 1})
		}
		b, _ := json.Marshal(out)
		return http.StatusOK, h, b
	case r.Method == http.MethodGet && strings.HasSuffix(p, "/download"):
		h = http.Header{"Content-Type": {"application/zip"}, "Content-Disposition": {`attachment; filename="` + fmFileName + `"`}}
		return http.StatusOK, h, fmPackage
	case r.Method == http.MethodGet, r.Method == http.MethodPatch:
		return http.StatusOK, h, []byte(project)
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/projects"):
		return http.StatusCreated, h, []byte(project)
	case r.Method == http.MethodDelete:
		return http.StatusNoContent, http.Header{}, nil
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/revisions"):
		return http.StatusCreated, h, []byte(`{"success":true,"revision":"` + fmRevisionID + `","build":"` + fmRevisionID + `"}`)
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/requests/batch"):
		var inputs []json.RawMessage
		_ = json.Unmarshal(body, &inputs)
		out := make([]map[string]string, len(inputs))
		for i := range out {
			out[i] = map[string]string{"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", fmSeq()), "deployment": "d",
				"version": "v", "status": "pending", "time_created": "2024-01-01T00:00:00Z"}
		}
		b, _ := json.Marshal(out)
		return http.StatusCreated, h, b
	}
	return http.StatusNotFound, h, []byte(`{"error":"fault matrix: no route for ` + r.Method + ` ` + p + `"}`)
}

var (
	fmSeqMu sync.Mutex
	fmSeqN  int
)

func fmSeq() int {
	fmSeqMu.Lock()
	defer fmSeqMu.Unlock()
	fmSeqN++
	return fmSeqN
}

// fmDelays records the waits the retry layer chose (the "retry_in" of its debug log), so a cell
// can check the delay itself rather than wall-clock gaps that a loaded machine stretches, and every
// record as a careless handler would print it (attribute values unescaped), so a cell can check
// that no log line holds the token or a forged line.
type fmDelays struct {
	mu    sync.Mutex
	d     []time.Duration
	lines []string
}

func (h *fmDelays) Enabled(context.Context, slog.Level) bool { return true }
func (h *fmDelays) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *fmDelays) WithGroup(string) slog.Handler            { return h }
func (h *fmDelays) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		line += " " + a.Key + "=" + a.Value.String()
		return true
	})
	h.mu.Lock()
	h.lines = append(h.lines, line)
	h.mu.Unlock()
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "retry_in" {
			h.mu.Lock()
			h.d = append(h.d, a.Value.Duration())
			h.mu.Unlock()
		}
		return true
	})
	return nil
}

func (h *fmDelays) logged() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.lines...)
}

func (h *fmDelays) all() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.d...)
}

// fmSeen is one request a server received.
type fmSeen struct {
	method, path, auth string
	at                 time.Time
}

// fmEnv is one cell's servers: the API (which applies the fault) and, for redirects, the other
// server the API points at.
type fmEnv struct {
	fault fmFault
	quit  chan struct{}
	other string // redirect target's root URL

	mu    sync.Mutex
	seen  []fmSeen // at the API
	moved []fmSeen // at the redirect target
}

// hang waits until the client goes away or the cell ends.
func (e *fmEnv) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-e.quit:
	}
}

func (e *fmEnv) record(list *[]fmSeen, r *http.Request) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	*list = append(*list, fmSeen{method: r.Method, path: r.URL.Path, auth: r.Header.Get("Authorization"), at: time.Now()})
	return len(*list)
}

func (e *fmEnv) snapshot() (seen, moved []fmSeen) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]fmSeen(nil), e.seen...), append([]fmSeen(nil), e.moved...)
}

func fmAnswer(w http.ResponseWriter, r *http.Request, body []byte) {
	status, header, payload := fmGood(r, body)
	for k, vs := range header {
		w.Header()[k] = vs
	}
	if payload != nil {
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
	}
	w.WriteHeader(status)
	_, _ = w.Write(payload)
}

// api serves the API: the fault for the first requests, then correct answers. It reads every
// request in full first, as a server that received the request would.
func (e *fmEnv) api(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	n := e.record(&e.seen, r)
	if e.fault.times == 0 || n <= e.fault.times {
		switch {
		case e.fault.redirect != "":
			http.Redirect(w, r, e.other+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		case e.fault.serve != nil:
			e.fault.serve(e, w, r, body)
			return
		}
	}
	fmAnswer(w, r, body)
}

// target serves the redirect target: always correct answers.
func (e *fmEnv) target(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	e.record(&e.moved, r)
	fmAnswer(w, r, body)
}

// Expected error types.
type fmKind int

const (
	fmKindNone         fmKind = iota
	fmKindAPI                 // *ubiops.APIError
	fmKindRequest             // *ubiops.RequestError (and no APIError, no DecodeError)
	fmKindDecode              // *ubiops.DecodeError
	fmKindTimeout             // *ubiops.AttemptTimeoutError inside a *ubiops.RequestError
	fmKindTooLarge            // *ubiops.ResponseTooLargeError (errors.Is ErrResponseTooLarge)
	fmKindContentType         // *ubiops.ContentTypeError (errors.Is ErrUnexpectedContentType)
	fmKindRepeatedPage        // errors.Is ErrRepeatedPage, and no other error type
)

// fmWant is what a cell expects.
type fmWant struct {
	ok       bool
	reqs     int // requests the API received (attempts that reached it)
	kind     fmKind
	status   int    // APIError.StatusCode
	msg      string // APIError.Message
	html     bool   // APIError.Body is the HTML page
	ra       time.Duration
	attempts int     // APIError/RequestError.Attempts; 0: not checked
	is       []error // errors.Is targets
	syntax   bool    // the DecodeError is a *json.SyntaxError

	// Batch: input ranges [from, to) reported failed and unknown; the rest must be created.
	failed, unknown [2]int

	// serverWait: the retry waited the server-directed delay (capped at MaxServerDelay); backoff:
	// it waited the short backoff instead (at most BaseDelay for a first retry).
	serverWait, backoff bool
	moved               int // requests at the redirect target

	file     string // download: the name the file is saved under (default fmFileName)
	items    int    // list: the items yielded (default: fmListed when ok, 0 otherwise)
	declared bool   // too large: refused on its Content-Length, before reading
}

func fmOK(reqs int) fmWant { return fmWant{ok: true, reqs: reqs} }

func fmOK429(reqs int, serverDirected bool) fmWant {
	w := fmOK(reqs)
	w.serverWait, w.backoff = serverDirected, !serverDirected
	return w
}

func fmOKMoved(reqs int) fmWant { w := fmOK(reqs); w.moved = 1; return w }

func fmAPIErr(status, attempts, reqs int) fmWant {
	w := fmWant{kind: fmKindAPI, status: status, attempts: attempts, reqs: reqs, msg: fmt.Sprintf("injected %d", status)}
	switch {
	case status >= 500:
		w.is = []error{ubiops.ErrServer}
	case status == http.StatusTooManyRequests:
		w.is = []error{ubiops.ErrRateLimited}
	}
	return w
}

func fmAPIHTML(attempts, reqs int) fmWant {
	w := fmAPIErr(http.StatusBadGateway, attempts, reqs)
	w.msg, w.html = "", true
	return w
}

func fmAPI429(reqs int, ra time.Duration) fmWant {
	w := fmAPIErr(http.StatusTooManyRequests, 1, reqs)
	w.ra = ra
	return w
}

func fmReqErr(attempts, reqs int, is ...error) fmWant {
	return fmWant{kind: fmKindRequest, attempts: attempts, reqs: reqs, is: is}
}

func fmDecodeErr(reqs int, syntax bool) fmWant {
	w := fmWant{kind: fmKindDecode, reqs: reqs, syntax: syntax}
	if !syntax {
		w.is = []error{io.ErrUnexpectedEOF}
	}
	return w
}

// fmTooLarge: the answer ran past the bound (or declared a length above it); the request ran.
func fmTooLarge(reqs int, declared bool) fmWant {
	return fmWant{kind: fmKindTooLarge, reqs: reqs, attempts: 0, is: []error{ubiops.ErrResponseTooLarge}, declared: declared}
}

// fmEcho: a 401 whose message echoed the token, kept redacted.
func fmEcho(attempts, reqs int) fmWant {
	w := fmAPIErr(http.StatusUnauthorized, attempts, reqs)
	w.msg, w.is = "Invalid token header: Token [REDACTED]", []error{ubiops.ErrUnauthorized}
	return w
}

// fmForged: a 400 whose message held line-forging characters, kept on one line.
func fmForged(attempts, reqs int) fmWant {
	w := fmAPIErr(http.StatusBadRequest, attempts, reqs)
	w.msg, w.is = fmForgingOneLine, []error{ubiops.ErrBadRequest}
	return w
}

// fmDecodeRedacted: a 2xx whose content could not be decoded, the decoding error's text redacted.
func fmDecodeRedacted(reqs int) fmWant { return fmWant{kind: fmKindDecode, reqs: reqs} }

func fmOKFile(name string) fmWant { w := fmOK(1); w.file = name; return w }

func fmTimeoutErr(reqs int) fmWant {
	return fmWant{kind: fmKindTimeout, attempts: 1, reqs: reqs, is: []error{context.DeadlineExceeded}}
}

// fmBatchErr: the chunk holding input 0 failed with first's error type; failed and unknown are the
// input ranges reported in each state.
func fmBatchErr(first fmWant, failed, unknown [2]int, reqs int) fmWant {
	first.failed, first.unknown, first.reqs = failed, unknown, reqs
	return first
}

var (
	fmNone   = [2]int{}
	fmChunk1 = [2]int{0, 250}
	fmChunk2 = [2]int{250, fmInputs}
	fmAll    = [2]int{0, fmInputs}
)

type fmCell struct {
	op, fault, want string
	exp             fmWant
}

func (c fmCell) name() string { return c.op + "/" + c.fault }

// fmCells is the matrix. Faults marked "once" hit only the first request; 500, 504, 502-html,
// deadline and stall-mid-body hit every request (so retries run out).
func fmCells() []fmCell {
	de := context.DeadlineExceeded
	return []fmCell{
		// GET: retried on connection errors, timeouts, 408, 429, 500, 502, 503, 504.
		{fmGet, "refused", "dial refused every time: 3 attempts, then *RequestError", fmReqErr(3, 0)},
		{fmGet, "reset-before", "reset before any answer: retried, the second answer is returned", fmOK(2)},
		{fmGet, "reset-mid-body", "body cut after half its Content-Length: *DecodeError wrapping io.ErrUnexpectedEOF; the answer had arrived, so not resent", fmDecodeErr(1, false)},
		{fmGet, "stall-mid-body", "half the body then silence: the context deadline ends the call (errors.Is DeadlineExceeded), sent once", fmWant{reqs: 1, kind: fmKindDecode, is: []error{de}}},
		{fmGet, "timeout", "no answer within the attempt timeout: retried, the second answer is returned", fmOK(2)},
		{fmGet, "deadline", "no answer before the context deadline: *RequestError, Err is context.DeadlineExceeded, sent once", fmReqErr(1, 1, de)},
		{fmGet, "408", "408 once: retried, the second answer is returned", fmOK(2)},
		{fmGet, "429-retry-after", "429 with Retry-After: 1 once: retried after the capped server delay", fmOK429(2, true)},
		{fmGet, "429-ratelimit-reset", "429 with only x-ratelimit-reset: 1: retried after the capped server delay", fmOK429(2, true)},
		{fmGet, "429-bare", "429 without wait headers: retried after the short backoff", fmOK429(2, false)},
		{fmGet, "500", "500 every time: 3 attempts, then *APIError 500 (ErrServer)", fmAPIErr(500, 3, 3)},
		{fmGet, "502", "502 once: retried, the second answer is returned", fmOK(2)},
		{fmGet, "503", "503 once: retried, the second answer is returned", fmOK(2)},
		{fmGet, "504", "504 every time: 3 attempts, then *APIError 504", fmAPIErr(504, 3, 3)},
		{fmGet, "502-html", "HTML 502 page every time: 3 attempts, *APIError 502 with no Message and the page in Body", fmAPIHTML(3, 3)},
		{fmGet, "200-truncated-json", "200 with half a JSON object: *DecodeError wrapping io.ErrUnexpectedEOF, not resent", fmDecodeErr(1, false)},
		{fmGet, "200-invalid-json", "200 with invalid JSON: *DecodeError (*json.SyntaxError), not resent", fmDecodeErr(1, true)},
		{fmGet, "200-empty", "200 with an empty body: *DecodeError wrapping io.ErrUnexpectedEOF", fmDecodeErr(1, false)},
		{fmGet, "200-text-plain-json", "200 text/plain holding the documented JSON: decoded", fmOK(1)},
		{fmGet, "200-text-plain-other", "200 text/plain proxy message: *DecodeError (*json.SyntaxError)", fmDecodeErr(1, true)},
		{fmGet, "307-other-port", "307 to a second server (same IP, other port): followed, no Authorization there", fmOKMoved(1)},
		{fmGet, "307-other-host", "307 to another host: followed, no Authorization there", fmOKMoved(1)},
		{fmGet, "307-https-to-http", "307 from the HTTPS API to plain HTTP (same IP): the token must not cross in clear text", fmOKMoved(1)},

		// POST create: retried only after a refused dial or a 429; never a duplicate create.
		{fmPost, "refused", "a refused dial proves nothing was sent: even a create is retried, 3 attempts, *RequestError", fmReqErr(3, 0)},
		{fmPost, "reset-before", "reset after the create was sent: may exist, so not resent; *RequestError, one POST", fmReqErr(1, 1)},
		{fmPost, "reset-mid-body", "created but the answer is cut: *DecodeError (io.ErrUnexpectedEOF), one POST", fmDecodeErr(1, false)},
		{fmPost, "timeout", "no answer within the attempt timeout: *AttemptTimeoutError (DeadlineExceeded), one POST", fmTimeoutErr(1)},
		{fmPost, "deadline", "no answer before the context deadline: *RequestError (DeadlineExceeded), one POST", fmReqErr(1, 1, de)},
		{fmPost, "408", "408: not resent (the create may have run); *APIError 408, one POST", fmAPIErr(408, 1, 1)},
		{fmPost, "429-retry-after", "429 means not processed: resent after the capped Retry-After; created once", fmOK429(2, true)},
		{fmPost, "429-ratelimit-reset", "429 means not processed: resent after the capped x-ratelimit-reset; created once", fmOK429(2, true)},
		{fmPost, "429-bare", "429 means not processed: resent after the backoff; created once", fmOK429(2, false)},
		{fmPost, "500", "500: never resent; *APIError 500, one POST", fmAPIErr(500, 1, 1)},
		{fmPost, "502", "502: never resent; *APIError 502, one POST", fmAPIErr(502, 1, 1)},
		{fmPost, "503", "503: never resent; *APIError 503, one POST", fmAPIErr(503, 1, 1)},
		{fmPost, "504", "504: never resent; *APIError 504, one POST", fmAPIErr(504, 1, 1)},
		{fmPost, "502-html", "HTML 502 page: never resent; *APIError 502 without Message", fmAPIHTML(1, 1)},
		{fmPost, "200-truncated-json", "2xx with half a JSON object: *DecodeError (io.ErrUnexpectedEOF), one POST", fmDecodeErr(1, false)},
		{fmPost, "200-invalid-json", "2xx with invalid JSON: *DecodeError (*json.SyntaxError), one POST", fmDecodeErr(1, true)},
		{fmPost, "200-empty", "2xx with an empty body: *DecodeError (io.ErrUnexpectedEOF), one POST", fmDecodeErr(1, false)},
		{fmPost, "200-text-plain-json", "text/plain holding the documented JSON: decoded, one POST", fmOK(1)},
		{fmPost, "200-text-plain-other", "text/plain proxy message: *DecodeError (*json.SyntaxError), one POST", fmDecodeErr(1, true)},
		{fmPost, "307-other-port", "307 to a second server (same IP, other port): body resent there without Authorization", fmOKMoved(1)},
		{fmPost, "307-other-host", "307 to another host: body resent there without Authorization", fmOKMoved(1)},

		// PATCH: the same rules as a create.
		{fmPatch, "refused", "refused dial: retried, 3 attempts, *RequestError", fmReqErr(3, 0)},
		{fmPatch, "reset-before", "reset after sending: not resent; *RequestError, one PATCH", fmReqErr(1, 1)},
		{fmPatch, "reset-mid-body", "answer cut: *DecodeError (io.ErrUnexpectedEOF), one PATCH", fmDecodeErr(1, false)},
		{fmPatch, "timeout", "attempt timeout: not resent; *AttemptTimeoutError, one PATCH", fmTimeoutErr(1)},
		{fmPatch, "deadline", "context deadline: *RequestError (DeadlineExceeded), one PATCH", fmReqErr(1, 1, de)},
		{fmPatch, "408", "408: not resent; *APIError 408", fmAPIErr(408, 1, 1)},
		{fmPatch, "429-retry-after", "429: resent after the capped Retry-After", fmOK429(2, true)},
		{fmPatch, "429-ratelimit-reset", "429: resent after the capped x-ratelimit-reset", fmOK429(2, true)},
		{fmPatch, "429-bare", "429: resent after the backoff", fmOK429(2, false)},
		{fmPatch, "500", "500: not resent; *APIError 500", fmAPIErr(500, 1, 1)},
		{fmPatch, "502", "502: not resent; *APIError 502", fmAPIErr(502, 1, 1)},
		{fmPatch, "503", "503: not resent; *APIError 503", fmAPIErr(503, 1, 1)},
		{fmPatch, "504", "504: not resent; *APIError 504", fmAPIErr(504, 1, 1)},
		{fmPatch, "502-html", "HTML 502 page: not resent; *APIError 502 without Message", fmAPIHTML(1, 1)},
		{fmPatch, "200-truncated-json", "half a JSON object: *DecodeError (io.ErrUnexpectedEOF)", fmDecodeErr(1, false)},
		{fmPatch, "200-invalid-json", "invalid JSON: *DecodeError (*json.SyntaxError)", fmDecodeErr(1, true)},
		{fmPatch, "200-empty", "empty body: *DecodeError (io.ErrUnexpectedEOF)", fmDecodeErr(1, false)},
		{fmPatch, "200-text-plain-json", "text/plain holding the documented JSON: decoded", fmOK(1)},
		{fmPatch, "200-text-plain-other", "text/plain proxy message: *DecodeError (*json.SyntaxError)", fmDecodeErr(1, true)},
		{fmPatch, "307-other-port", "307 to a second server (same IP, other port): followed without Authorization", fmOKMoved(1)},
		{fmPatch, "307-other-host", "307 to another host: followed without Authorization", fmOKMoved(1)},

		// DELETE: idempotent, retried like a GET; its (204) body is never read.
		{fmDelete, "refused", "refused dial: 3 attempts, *RequestError", fmReqErr(3, 0)},
		{fmDelete, "reset-before", "reset before any answer: retried, succeeds", fmOK(2)},
		{fmDelete, "timeout", "attempt timeout: retried, succeeds", fmOK(2)},
		{fmDelete, "deadline", "context deadline: *RequestError (DeadlineExceeded), sent once", fmReqErr(1, 1, de)},
		{fmDelete, "408", "408 once: retried, succeeds", fmOK(2)},
		{fmDelete, "429-retry-after", "429 with Retry-After: retried after the capped delay", fmOK429(2, true)},
		{fmDelete, "429-ratelimit-reset", "429 with x-ratelimit-reset: retried after the capped delay", fmOK429(2, true)},
		{fmDelete, "429-bare", "429 bare: retried after the backoff", fmOK429(2, false)},
		{fmDelete, "500", "500 every time: 3 attempts, *APIError 500", fmAPIErr(500, 3, 3)},
		{fmDelete, "502", "502 once: retried, succeeds", fmOK(2)},
		{fmDelete, "503", "503 once: retried, succeeds", fmOK(2)},
		{fmDelete, "504", "504 every time: 3 attempts, *APIError 504", fmAPIErr(504, 3, 3)},
		{fmDelete, "502-html", "HTML 502 every time: 3 attempts, *APIError 502 without Message", fmAPIHTML(3, 3)},
		{fmDelete, "200-truncated-json", "2xx with a cut body: the body of a delete is not read; success", fmOK(1)},
		{fmDelete, "200-invalid-json", "2xx with invalid JSON: not read; success", fmOK(1)},
		{fmDelete, "200-empty", "200 with an empty body: success", fmOK(1)},
		{fmDelete, "200-text-plain-json", "200 text/plain: success", fmOK(1)},
		{fmDelete, "200-text-plain-other", "200 text/plain proxy message: success", fmOK(1)},
		{fmDelete, "307-other-port", "307 to a second server (same IP, other port): followed without Authorization", fmOKMoved(1)},
		{fmDelete, "307-other-host", "307 to another host: followed without Authorization", fmOKMoved(1)},

		// Upload: creates a revision, so it is resent only after a refused dial (never after a 429).
		{fmUpload, "refused", "refused dial: the bytes.Reader is reopened and resent, 3 attempts, *RequestError", fmReqErr(3, 0)},
		{fmUpload, "reset-before", "reset after the body was sent: not resent; *RequestError, one upload", fmReqErr(1, 1)},
		{fmUpload, "reset-mid-body", "answer cut: *DecodeError (io.ErrUnexpectedEOF), one upload", fmDecodeErr(1, false)},
		{fmUpload, "timeout", "attempt timeout: not resent; *AttemptTimeoutError, one upload", fmTimeoutErr(1)},
		{fmUpload, "deadline", "context deadline: *RequestError (DeadlineExceeded), one upload", fmReqErr(1, 1, de)},
		{fmUpload, "408", "408: not resent; *APIError 408", fmAPIErr(408, 1, 1)},
		{fmUpload, "429-retry-after", "429 after the body was sent: not resent; *APIError 429 with RetryAfter 1s", fmAPI429(1, time.Second)},
		{fmUpload, "429-ratelimit-reset", "429 with x-ratelimit-reset: not resent; *APIError 429 with RetryAfter 1s", fmAPI429(1, time.Second)},
		{fmUpload, "429-bare", "429 bare: not resent; *APIError 429 with RetryAfter 0", fmAPI429(1, 0)},
		{fmUpload, "500", "500: not resent; *APIError 500", fmAPIErr(500, 1, 1)},
		{fmUpload, "502", "502: not resent; *APIError 502", fmAPIErr(502, 1, 1)},
		{fmUpload, "503", "503: not resent; *APIError 503", fmAPIErr(503, 1, 1)},
		{fmUpload, "504", "504: not resent; *APIError 504", fmAPIErr(504, 1, 1)},
		{fmUpload, "502-html", "HTML 502 page: not resent; *APIError 502 without Message", fmAPIHTML(1, 1)},
		{fmUpload, "200-truncated-json", "half a JSON object: *DecodeError (io.ErrUnexpectedEOF), one upload", fmDecodeErr(1, false)},
		{fmUpload, "200-invalid-json", "invalid JSON: *DecodeError (*json.SyntaxError), one upload", fmDecodeErr(1, true)},
		{fmUpload, "200-empty", "empty body: *DecodeError (io.ErrUnexpectedEOF), one upload", fmDecodeErr(1, false)},
		{fmUpload, "200-text-plain-json", "text/plain holding the documented JSON: decoded", fmOK(1)},
		{fmUpload, "200-text-plain-other", "text/plain proxy message: *DecodeError (*json.SyntaxError)", fmDecodeErr(1, true)},
		{fmUpload, "307-other-port", "307 to a second server (same IP, other port): the package is resent there without Authorization", fmOKMoved(1)},
		{fmUpload, "307-other-host", "307 to another host: the package is resent there without Authorization", fmOKMoved(1)},

		// Download: retried like a GET until the headers arrive; a body cut short is an error and
		// DownloadFile leaves nothing behind.
		{fmDownload, "refused", "refused dial: 3 attempts, *RequestError, no file", fmReqErr(3, 0)},
		{fmDownload, "reset-before", "reset before any answer: retried, the file is saved", fmOK(2)},
		{fmDownload, "reset-mid-body", "body cut at half its Content-Length: *RequestError (io.ErrUnexpectedEOF), no partial file", fmReqErr(0, 1, io.ErrUnexpectedEOF)},
		{fmDownload, "stall-mid-body", "half the body then silence: *RequestError (DeadlineExceeded) at the context deadline, no partial file", fmReqErr(0, 1, de)},
		{fmDownload, "timeout", "attempt timeout: retried, the file is saved", fmOK(2)},
		{fmDownload, "deadline", "context deadline: *RequestError (DeadlineExceeded), no file", fmReqErr(1, 1, de)},
		{fmDownload, "408", "408 once: retried, the file is saved", fmOK(2)},
		{fmDownload, "429-retry-after", "429 with Retry-After: retried after the capped delay, the file is saved", fmOK429(2, true)},
		{fmDownload, "429-ratelimit-reset", "429 with x-ratelimit-reset: retried after the capped delay", fmOK429(2, true)},
		{fmDownload, "429-bare", "429 bare: retried after the backoff", fmOK429(2, false)},
		{fmDownload, "500", "500 every time: 3 attempts, *APIError 500, no file", fmAPIErr(500, 3, 3)},
		{fmDownload, "502", "502 once: retried, the file is saved", fmOK(2)},
		{fmDownload, "503", "503 once: retried, the file is saved", fmOK(2)},
		{fmDownload, "504", "504 every time: 3 attempts, *APIError 504, no file", fmAPIErr(504, 3, 3)},
		{fmDownload, "502-html", "HTML 502 every time: 3 attempts, *APIError 502 without Message, no file", fmAPIHTML(3, 3)},
		{fmDownload, "307-other-port", "307 to a second server (same IP, other port): followed without Authorization, file saved", fmOKMoved(1)},
		{fmDownload, "307-other-host", "307 to another host: followed without Authorization, file saved", fmOKMoved(1)},

		// Batch create of 300 inputs (chunks 0-249 and 250-299, one at a time): the reconciliation
		// contract. Failed = the server refused the chunk (safe to resend); Unknown = may exist.
		{fmBatch, "refused", "refused dial: each chunk tried 3 times, all 300 Failed (never reached the server)", fmBatchErr(fmReqErr(3, 0), fmAll, fmNone, 0)},
		{fmBatch, "reset-before", "chunk 1 reset after sending: Unknown 0-249 (*RequestError), not resent; chunk 2 created", fmBatchErr(fmReqErr(1, 0), fmNone, fmChunk1, 2)},
		{fmBatch, "reset-mid-body", "chunk 1 answer cut: Unknown 0-249 (*DecodeError); chunk 2 created", fmBatchErr(fmDecodeErr(0, false), fmNone, fmChunk1, 2)},
		{fmBatch, "timeout", "chunk 1 attempt timeout: Unknown 0-249 (*AttemptTimeoutError), not resent; chunk 2 created", fmBatchErr(fmTimeoutErr(0), fmNone, fmChunk1, 2)},
		{fmBatch, "deadline", "deadline during chunk 1: Unknown 0-249; chunk 2 never sent: Failed 250-299", fmBatchErr(fmReqErr(1, 0, de), fmChunk2, fmChunk1, 1)},
		{fmBatch, "408", "chunk 1 answered 408: Failed 0-249 (the API refuses a batch whole); chunk 2 created", fmBatchErr(fmAPIErr(408, 1, 0), fmChunk1, fmNone, 2)},
		{fmBatch, "429-retry-after", "chunk 1 rate limited: resent after the capped Retry-After; all 300 created once", fmOK429(3, true)},
		{fmBatch, "429-ratelimit-reset", "chunk 1 rate limited: resent after the capped x-ratelimit-reset; all created once", fmOK429(3, true)},
		{fmBatch, "429-bare", "chunk 1 rate limited: resent after the backoff; all created once", fmOK429(3, false)},
		{fmBatch, "500", "500 for both chunks: all 300 Failed, nothing resent", fmBatchErr(fmAPIErr(500, 1, 0), fmAll, fmNone, 2)},
		{fmBatch, "502", "chunk 1 502 (a gateway's answer says nothing about the backend): Unknown 0-249; chunk 2 created", fmBatchErr(fmAPIErr(502, 1, 0), fmNone, fmChunk1, 2)},
		{fmBatch, "503", "chunk 1 503: Failed 0-249; chunk 2 created", fmBatchErr(fmAPIErr(503, 1, 0), fmChunk1, fmNone, 2)},
		{fmBatch, "504", "504 for both chunks: all 300 Unknown, nothing resent", fmBatchErr(fmAPIErr(504, 1, 0), fmNone, fmAll, 2)},
		{fmBatch, "502-html", "HTML 502 for both chunks: all 300 Unknown", fmBatchErr(fmAPIHTML(1, 0), fmNone, fmAll, 2)},
		{fmBatch, "200-truncated-json", "chunk 1 answer is half a JSON list: Unknown 0-249 (*DecodeError)", fmBatchErr(fmDecodeErr(0, false), fmNone, fmChunk1, 2)},
		{fmBatch, "200-invalid-json", "chunk 1 answer is invalid JSON: Unknown 0-249 (*DecodeError)", fmBatchErr(fmDecodeErr(0, true), fmNone, fmChunk1, 2)},
		{fmBatch, "200-empty", "chunk 1 answer is empty: Unknown 0-249 (*DecodeError)", fmBatchErr(fmDecodeErr(0, false), fmNone, fmChunk1, 2)},
		{fmBatch, "200-text-plain-json", "text/plain holding the documented JSON: all created", fmOK(2)},
		{fmBatch, "200-text-plain-other", "chunk 1 answer is a proxy message: Unknown 0-249 (*DecodeError)", fmBatchErr(fmDecodeErr(0, true), fmNone, fmChunk1, 2)},
		{fmBatch, "307-other-port", "chunk 1 redirected to a second server (same IP, other port): created there without Authorization", fmOKMoved(2)},
		{fmBatch, "307-other-host", "chunk 1 redirected to another host: created there without Authorization", fmOKMoved(2)},

		// Offset list of 25 requests in pages of 10: retried like a GET, page by page.
		{fmList, "refused", "refused dial: 3 attempts, *RequestError, nothing yielded", fmReqErr(3, 0)},
		{fmList, "reset-before", "first page reset before any answer: retried; all 25 items", fmOK(4)},
		{fmList, "503", "first page 503 once: retried; all 25 items", fmOK(4)},
		{fmList, "500", "500 every time: 3 attempts, *APIError 500, nothing yielded", fmAPIErr(500, 3, 3)},
		{fmList, "200-truncated-json", "first page cut: *DecodeError, nothing yielded", fmDecodeErr(1, false)},
		{fmList, "307-other-host", "first page redirected to another host: followed without Authorization; all 25", fmOKMoved(3)},

		// Hostile servers. An answer larger than the bound (default 64 MiB; 1 MiB where the fault
		// sets it) fails with *ResponseTooLargeError after reading at most the bound: a declared
		// 2 GiB at once, an endless body at the bound, a gzip bomb at the bound after decompression.
		// It is a 2xx, so it is not retried, and a create may have run (batch: Unknown).
		{fmGet, "200-huge", "Content-Length 2 GiB: refused before reading, *ResponseTooLargeError", fmTooLarge(1, true)},
		{fmGet, "200-endless", "endless chunked body: *ResponseTooLargeError at the 1 MiB bound", fmTooLarge(1, false)},
		{fmGet, "200-gzip-bomb", "1 MiB gzip expanding to 1 GiB: *ResponseTooLargeError at 1 MiB decompressed", fmTooLarge(1, false)},
		{fmPost, "200-huge", "create answered with 2 GiB: *ResponseTooLargeError, one POST", fmTooLarge(1, true)},
		{fmPost, "200-endless", "create answered endlessly: *ResponseTooLargeError, one POST", fmTooLarge(1, false)},
		{fmPost, "200-gzip-bomb", "create answered with a gzip bomb: *ResponseTooLargeError, one POST", fmTooLarge(1, false)},
		{fmPatch, "200-huge", "change answered with 2 GiB: *ResponseTooLargeError", fmTooLarge(1, true)},
		{fmPatch, "200-endless", "change answered endlessly: *ResponseTooLargeError", fmTooLarge(1, false)},
		{fmPatch, "200-gzip-bomb", "change answered with a gzip bomb: *ResponseTooLargeError", fmTooLarge(1, false)},
		{fmDelete, "200-huge", "delete answered with 2 GiB: the body of a delete is not read; success", fmOK(1)},
		{fmDelete, "200-endless", "delete answered endlessly: not read; success", fmOK(1)},
		{fmDelete, "200-gzip-bomb", "delete answered with a gzip bomb: not read; success", fmOK(1)},
		{fmUpload, "200-huge", "upload answered with 2 GiB: *ResponseTooLargeError, one upload", fmTooLarge(1, true)},
		{fmUpload, "200-endless", "upload answered endlessly: *ResponseTooLargeError, one upload", fmTooLarge(1, false)},
		{fmUpload, "200-gzip-bomb", "upload answered with a gzip bomb: *ResponseTooLargeError, one upload", fmTooLarge(1, false)},
		{fmBatch, "200-huge", "chunk 1 answered with 2 GiB: Unknown 0-249 (*ResponseTooLargeError); chunk 2 created", fmBatchErr(fmTooLarge(0, true), fmNone, fmChunk1, 2)},
		{fmBatch, "200-endless", "chunk 1 answered endlessly: Unknown 0-249; chunk 2 created", fmBatchErr(fmTooLarge(0, false), fmNone, fmChunk1, 2)},
		{fmBatch, "200-gzip-bomb", "chunk 1 answered with a gzip bomb: Unknown 0-249; chunk 2 created", fmBatchErr(fmTooLarge(0, false), fmNone, fmChunk1, 2)},
		{fmList, "200-huge", "first page of 2 GiB: *ResponseTooLargeError, nothing yielded", fmTooLarge(1, true)},
		{fmList, "200-endless", "endless first page: *ResponseTooLargeError", fmTooLarge(1, false)},
		{fmList, "200-gzip-bomb", "first page a gzip bomb: *ResponseTooLargeError", fmTooLarge(1, false)},

		// A server that ignores offset answers the first page forever: the iteration ends at the
		// second answer, having yielded the first page once.
		{fmList, "offset-ignored", "every offset answered with the first page: ErrRepeatedPage after 2 requests, 10 items yielded once", fmWant{kind: fmKindRepeatedPage, reqs: 2, items: fmPage, is: []error{ubiops.ErrRepeatedPage}}},

		// A server that echoes the Authorization header: the token is in no message, body, header,
		// error text or log line; the message stays readable.
		{fmGet, "401-echoed-token", "401 echoing the token: *APIError 401, message and body redacted, not retried", fmEcho(1, 1)},
		{fmPost, "401-echoed-token", "401 echoing the token: *APIError 401 redacted, one POST", fmEcho(1, 1)},
		{fmPatch, "401-echoed-token", "401 echoing the token: *APIError 401 redacted", fmEcho(1, 1)},
		{fmDelete, "401-echoed-token", "401 echoing the token: *APIError 401 redacted", fmEcho(1, 1)},
		{fmUpload, "401-echoed-token", "401 echoing the token: *APIError 401 redacted, one upload", fmEcho(1, 1)},
		{fmDownload, "401-echoed-token", "401 echoing the token: *APIError 401 redacted, no file", fmEcho(1, 1)},
		{fmBatch, "401-echoed-token", "401 echoing the token for both chunks: all 300 Failed, redacted", fmBatchErr(fmEcho(1, 0), fmAll, fmNone, 2)},
		{fmList, "401-echoed-token", "401 echoing the token: *APIError 401 redacted, nothing yielded", fmEcho(1, 1)},
		{fmGet, "200-echoed-token", "token in a date field: *DecodeError, its text redacted", fmDecodeRedacted(1)},
		{fmPost, "200-echoed-token", "token in a date field of the created project: *DecodeError redacted, one POST", fmDecodeRedacted(1)},
		{fmPatch, "200-echoed-token", "token in a date field: *DecodeError redacted", fmDecodeRedacted(1)},
		{fmBatch, "200-echoed-token", "token in chunk 1's dates: Unknown 0-249 (*DecodeError, redacted); chunk 2 created", fmBatchErr(fmDecodeRedacted(0), fmNone, fmChunk1, 2)},
		{fmList, "200-echoed-token", "token in the first page's dates: *DecodeError redacted", fmDecodeRedacted(1)},

		// Line-forging characters (newlines, NEL, U+2028, U+2029, bidi overrides, zero-width) in a
		// message: kept as spaces, never in an error text or a log line.
		{fmGet, "400-line-forging", "400 with a forging message: *APIError 400, Message on one line", fmForged(1, 1)},
		{fmPost, "400-line-forging", "400 with a forging message: *APIError 400 on one line, one POST", fmForged(1, 1)},
		{fmPatch, "400-line-forging", "400 with a forging message: one line", fmForged(1, 1)},
		{fmDelete, "400-line-forging", "400 with a forging message: one line", fmForged(1, 1)},
		{fmUpload, "400-line-forging", "400 with a forging message: one line, one upload", fmForged(1, 1)},
		{fmDownload, "400-line-forging", "400 with a forging message: one line, no file", fmForged(1, 1)},
		{fmBatch, "400-line-forging", "400 for both chunks: all 300 Failed, on one line", fmBatchErr(fmForged(1, 0), fmAll, fmNone, 2)},
		{fmList, "400-line-forging", "400 with a forging message: one line, nothing yielded", fmForged(1, 1)},
		{fmDownload, "200-name-forged", "a file name with U+2028, U+202E and NEL: saved without them", fmOKFile("package.zip")},

		// A 200 HTML page (a captive portal, a proxy's login page): a download refuses it before
		// writing anything; a JSON operation cannot decode it.
		{fmDownload, "200-html", "200 text/html: *ContentTypeError naming text/html, no file, no temporary file", fmWant{kind: fmKindContentType, reqs: 1, is: []error{ubiops.ErrUnexpectedContentType}}},
		{fmGet, "200-html", "200 text/html: *DecodeError (*json.SyntaxError)", fmDecodeErr(1, true)},
		{fmPost, "200-html", "200 text/html: *DecodeError (*json.SyntaxError), one POST", fmDecodeErr(1, true)},
		{fmPatch, "200-html", "200 text/html: *DecodeError (*json.SyntaxError)", fmDecodeErr(1, true)},
		{fmDelete, "200-html", "200 text/html: the body of a delete is not read; success", fmOK(1)},
		{fmUpload, "200-html", "200 text/html: *DecodeError, one upload", fmDecodeErr(1, true)},
		{fmBatch, "200-html", "200 text/html for both chunks: all 300 Unknown (*DecodeError)", fmBatchErr(fmDecodeErr(0, true), fmNone, fmAll, 2)},
		{fmList, "200-html", "200 text/html: *DecodeError, nothing yielded", fmDecodeErr(1, true)},

		// Long file names: the temporary name does not grow with the final one.
		{fmDownload, "200-name-255", "a 255-byte file name: saved under it", fmOKFile(fmName255)},
		{fmDownload, "200-name-300", "a 300-byte file name: saved under its first 255 bytes", fmOKFile(fmName300[:255])},
	}
}

// fmListen starts a server for h: on 127.0.0.2 when wanted and possible (another host than the
// API's 127.0.0.1), else on 127.0.0.1. It returns the server and the root URL to reach it.
func fmListen(t *testing.T, h http.Handler, otherHost bool) (*httptest.Server, string) {
	if !otherHost {
		s := httptest.NewServer(h)
		return s, s.URL
	}
	s := httptest.NewUnstartedServer(h)
	if ln, err := net.Listen("tcp", "127.0.0.2:0"); err == nil {
		_ = s.Listener.Close()
		s.Listener = ln
		s.Start()
		return s, s.URL
	}
	s.Start() // no 127.0.0.2: name the same address differently
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	t.Logf("127.0.0.2 unavailable; redirecting to localhost:%s", port)
	return s, "http://localhost:" + port
}

// fmClosedPort returns the URL of a port nothing listens on.
func fmClosedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr
}

// fmOutcome is what an operation returned.
type fmOutcome struct {
	err     error
	results []ubiops.BatchResult
	path    string // the file DownloadFile wrote
	dir     string // where it was asked to write
	items   int    // what a list yielded
}

func fmInputsN(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]int{"i": i}
	}
	return out
}

func fmRun(ctx context.Context, t *testing.T, c *ubiops.Client, op string) fmOutcome {
	var o fmOutcome
	switch op {
	case fmGet:
		var p *ubiops.ProjectDetail
		p, o.err = c.Projects.Get(ctx, "p")
		if o.err == nil && p.Name != "p" {
			o.err = fmt.Errorf("decoded project %q", p.Name)
		}
	case fmPost:
		var p *ubiops.ProjectDetail
		p, o.err = c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
		if o.err == nil && p.Name != "p" {
			o.err = fmt.Errorf("decoded project %q", p.Name)
		}
	case fmPatch:
		_, o.err = c.Projects.Update(ctx, "p", ubiops.ProjectUpdate{CorsOrigins: &[]string{"https://example.com"}})
	case fmDelete:
		o.err = c.Projects.Delete(ctx, "p")
	case fmUpload:
		var r *ubiops.RevisionCreate
		r, o.err = c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(fmPackage)})
		if o.err == nil && r.Revision.String() != fmRevisionID {
			o.err = fmt.Errorf("decoded revision %s", r.Revision)
		}
	case fmDownload:
		o.dir = t.TempDir()
		o.path, o.err = c.Revisions.DownloadFile(ctx, "p", "d", "v", fmRevisionID, o.dir)
	case fmBatch:
		o.results, o.err = ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", fmInputsN(fmInputs), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 1}))
	case fmList:
		// A list that never ends (a regression of ErrRepeatedPage) fails the cell instead of hanging.
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		seen := map[ubiops.UUID]bool{}
		for r, err := range c.Requests.All(ctx, "p", "d", nil, ubiops.WithPageSize(fmPage)) {
			if err != nil {
				o.err = err
				break
			}
			if seen[r.ID] {
				o.err = fmt.Errorf("request %s yielded twice", r.ID)
				break
			}
			seen[r.ID] = true
			o.items++
		}
	default:
		t.Fatalf("unknown operation %q", op)
	}
	return o
}

func (cell fmCell) run(t *testing.T) {
	f, found := fmFaults[cell.fault]
	require.True(t, found, "unknown fault %q", cell.fault)
	e := &fmEnv{fault: f, quit: make(chan struct{})}

	opts := []ubiops.Option{ubiops.WithToken(fmToken), ubiops.WithRetryPolicy(fmPolicy)}
	base := fmClosedPort(t)
	if !f.refused {
		var api *httptest.Server
		if f.tls {
			api = httptest.NewTLSServer(http.HandlerFunc(e.api))
			opts = append(opts, ubiops.WithHTTPClient(api.Client())) // trusts the test certificate
		} else {
			api = httptest.NewServer(http.HandlerFunc(e.api))
		}
		defer api.Close()
		base = api.URL
		if f.redirect != "" {
			other, url := fmListen(t, http.HandlerFunc(e.target), f.redirect == "host")
			defer other.Close()
			e.other = url
		}
	}
	defer close(e.quit) // before the servers close: release handlers that hang

	delays := &fmDelays{}
	opts = append(opts, ubiops.WithBaseURL(base), ubiops.WithLogger(slog.New(delays)))
	if f.attemptTimeout > 0 {
		opts = append(opts, ubiops.WithAttemptTimeout(f.attemptTimeout))
	}
	if f.maxResponse > 0 {
		opts = append(opts, ubiops.WithMaxResponseBytes(f.maxResponse))
	}
	c, err := ubiops.NewClient(opts...)
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	ctx := context.Background()
	if f.ctxTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.ctxTimeout)
		defer cancel()
	}
	start := time.Now()
	o := fmRun(ctx, t, c, cell.op)
	elapsed := time.Since(start)
	seen, moved := e.snapshot()
	t.Logf("got: %v (%d requests, %d redirected, %s)", o.err, len(seen), len(moved), elapsed.Round(time.Millisecond))

	w := cell.exp
	assert.Len(t, seen, w.reqs, "requests the API received")
	for _, s := range seen {
		assert.Equal(t, "Token "+fmToken, s.auth, "the API gets the token")
	}
	assert.Len(t, moved, w.moved, "requests the redirect target received")
	for _, s := range moved {
		if s.auth != "" {
			assert.Failf(t, "the token leaked: the Authorization header reached the redirect target",
				"%s %s on the other server carried the token (%d bytes)", s.method, s.path, len(s.auth))
		}
	}
	if w.serverWait || w.backoff {
		waits := delays.all()
		if assert.Len(t, waits, 1, "one retry, its wait logged as retry_in") {
			if w.serverWait {
				assert.Equal(t, fmServerDelay, waits[0], "the server's 1 s, capped at MaxServerDelay")
			} else {
				assert.LessOrEqual(t, waits[0], fmPolicy.BaseDelay, "backoff: no server-directed wait without Retry-After or x-ratelimit-reset")
			}
		}
		if w.serverWait && len(seen) >= 2 {
			assert.GreaterOrEqual(t, seen[1].at.Sub(seen[0].at), fmServerDelay, "the wait really happened")
		}
	}
	if f.ctxTimeout > 0 {
		assert.Less(t, elapsed, f.ctxTimeout+5*time.Second, "the call ended with its context")
	}

	fmCheckHostile(t, o, delays.logged())
	if cell.op == fmDownload {
		fmCheckDownload(t, o, w)
	}
	if cell.op == fmList {
		want := w.items
		if w.ok && want == 0 {
			want = fmListed
		}
		assert.Equal(t, want, o.items, "items yielded")
	}
	if cell.op == fmBatch {
		fmCheckBatch(t, o, w)
		return
	}
	if w.ok {
		assert.NoError(t, o.err)
		return
	}
	require.Error(t, o.err)
	w.checkErr(t, o.err)
}

// checkErr checks an error's type, attempts and wrapped causes.
func (w fmWant) checkErr(t *testing.T, err error) {
	t.Helper()
	var (
		apiErr *ubiops.APIError
		reqErr *ubiops.RequestError
		decErr *ubiops.DecodeError
		tmoErr *ubiops.AttemptTimeoutError
	)
	switch w.kind {
	case fmKindAPI:
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, w.status, apiErr.StatusCode, "status")
		assert.Equal(t, w.msg, apiErr.Message, "message")
		if w.attempts > 0 {
			assert.Equal(t, w.attempts, apiErr.Attempts, "attempts")
		}
		if w.html {
			assert.Contains(t, string(apiErr.Body), "<html>", "the page is kept in Body")
		}
		if w.status == http.StatusTooManyRequests {
			assert.Equal(t, w.ra, apiErr.RetryAfter, "RetryAfter")
		}
	case fmKindRequest:
		require.ErrorAs(t, err, &reqErr)
		assert.False(t, errors.As(err, &apiErr), "not an APIError")
		assert.False(t, errors.As(err, &decErr), "not a DecodeError")
		if w.attempts > 0 {
			assert.Equal(t, w.attempts, reqErr.Attempts, "attempts")
		}
	case fmKindDecode:
		require.ErrorAs(t, err, &decErr)
		if w.syntax {
			var se *json.SyntaxError
			assert.ErrorAs(t, err, &se, "a JSON syntax error")
		}
	case fmKindTimeout:
		require.ErrorAs(t, err, &reqErr)
		assert.ErrorAs(t, err, &tmoErr, "an AttemptTimeoutError")
		if w.attempts > 0 {
			assert.Equal(t, w.attempts, reqErr.Attempts, "attempts")
		}
	case fmKindTooLarge:
		var tl *ubiops.ResponseTooLargeError
		require.ErrorAs(t, err, &tl)
		assert.False(t, errors.As(err, &decErr), "not a DecodeError")
		if w.declared {
			assert.Equal(t, int64(2<<30), tl.Declared, "refused on its Content-Length")
		} else {
			assert.Equal(t, int64(-1), tl.Declared, "refused at the bound")
		}
		assert.Contains(t, err.Error(), tl.Method+" "+tl.Path, "the error names the call")
	case fmKindContentType:
		var cte *ubiops.ContentTypeError
		require.ErrorAs(t, err, &cte)
		assert.Equal(t, "text/html; charset=utf-8", cte.ContentType)
		assert.Contains(t, err.Error(), "text/html")
	case fmKindRepeatedPage:
		assert.False(t, errors.As(err, &apiErr) || errors.As(err, &reqErr) || errors.As(err, &decErr), "only ErrRepeatedPage: %v", err)
	}
	for _, target := range w.is {
		assert.ErrorIs(t, err, target)
	}
}

// fmForgingRunes are the characters no error text or log line may hold.
var fmForgingRunes = []string{"\n", "\r", "\u0085", "\u2028", "\u2029", "\u202e", "\u2066", "\u200b"}

// fmCheckHostile holds in every cell: no error text (of the call, of a batch result), nothing an
// APIError keeps, and no log line contains the token or a character that forges a line.
func fmCheckHostile(t *testing.T, o fmOutcome, logged []string) {
	t.Helper()
	var texts []string
	add := func(err error) {
		if err == nil {
			return
		}
		texts = append(texts, err.Error())
		var ae *ubiops.APIError
		if errors.As(err, &ae) {
			texts = append(texts, string(ae.Body), fmt.Sprint(ae.Header))
			assert.NotContains(t, ae.Message, fmToken, "APIError.Message holds the token")
			for _, r := range fmForgingRunes {
				assert.NotContains(t, ae.Message, r, "APIError.Message holds %q", r)
			}
		}
	}
	add(o.err)
	for _, r := range o.results {
		add(r.Err)
	}
	for _, s := range texts {
		assert.NotContains(t, s, fmToken, "the token leaked into what the client keeps")
	}
	for _, s := range append(texts[:min(len(texts), 1)], logged...) { // error text and log lines: one line each
		assert.NotContains(t, s, fmToken, "the token leaked")
		for _, r := range fmForgingRunes {
			assert.NotContains(t, s, r, "a forged line: %q", s)
		}
	}
}

// fmCheckDownload: a saved file holds the package and is alone in the directory; after a failure
// the directory is empty (no file, no temporary file).
func fmCheckDownload(t *testing.T, o fmOutcome, w fmWant) {
	t.Helper()
	ok := w.ok
	name := fmFileName
	if w.file != "" {
		name = w.file
	}
	entries, err := os.ReadDir(o.dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !ok {
		assert.Empty(t, names, "a failed download leaves nothing in the directory")
		return
	}
	if assert.Equal(t, []string{name}, names, "only the downloaded file") && assert.Equal(t, filepath.Join(o.dir, name), o.path) {
		got, err := os.ReadFile(o.path)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(fmPackage, got), "the file holds the package (%d bytes, want %d)", len(got), len(fmPackage))
	}
}

func fmRange(r [2]int) []int {
	var out []int
	for i := r[0]; i < r[1]; i++ {
		out = append(out, i)
	}
	return out
}

// fmCheckBatch checks the reconciliation contract: every input is created, failed or unknown, as
// the cell says, and the BatchError lists the same.
func fmCheckBatch(t *testing.T, o fmOutcome, w fmWant) {
	t.Helper()
	require.Len(t, o.results, fmInputs, "one result per input")
	ids := map[ubiops.UUID]bool{}
	for i, r := range o.results {
		require.Equal(t, i, r.Index, "results in input order")
		switch {
		case i >= w.failed[0] && i < w.failed[1]:
			assert.False(t, r.Created(), "input %d failed", i)
			assert.False(t, r.Unknown, "input %d is failed, not unknown", i)
		case i >= w.unknown[0] && i < w.unknown[1]:
			assert.False(t, r.Created(), "input %d unknown", i)
			assert.True(t, r.Unknown, "input %d may exist", i)
		default:
			if assert.True(t, r.Created(), "input %d created: %v", i, r.Err) {
				assert.False(t, ids[r.Request.ID], "input %d: request id %s given twice", i, r.Request.ID)
				ids[r.Request.ID] = true
			}
		}
	}
	if w.ok {
		assert.NoError(t, o.err)
		return
	}
	var be *ubiops.BatchError
	require.ErrorAs(t, o.err, &be)
	assert.Equal(t, fmRange(w.failed), be.FailedIndices(), "failed inputs")
	assert.Equal(t, fmRange(w.unknown), be.UnknownIndices(), "unknown inputs")
	first := o.results[0].Err
	require.Error(t, first, "input 0 has an error")
	w.checkErr(t, first)
	for _, target := range w.is {
		assert.ErrorIs(t, o.err, target, "the BatchError unwraps to the chunk errors")
	}
}

// fmFakeCell runs against ubiopstest, whose Count and Received tell what ran on the server.
type fmFakeCell struct {
	name, want string
	run        func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client)
}

func fmFakeSetup(t *testing.T, deployment bool, requestDuration time.Duration) (*ubiopstest.Server, *ubiops.Client) {
	opts := []ubiopstest.Option{ubiopstest.WithBuildDuration(0), ubiopstest.WithRequestDuration(requestDuration)}
	var srv *ubiopstest.Server
	if !deployment {
		srv = ubiopstest.NewServer(t, append(opts, ubiopstest.WithStrictResponses())...)
	} else {
		srv, _ = setupVersion(t, opts...) // project p, deployment d, version v (pagination_test.go)
		srv.ResetCounts()
	}
	c := srv.Client(ubiops.WithRetryPolicy(fmPolicy))
	t.Cleanup(c.CloseIdleConnections)
	return srv, c
}

// fmProjectsNamed counts the projects called name.
func fmProjectsNamed(t *testing.T, c *ubiops.Client, name string) int {
	t.Helper()
	list, err := c.Projects.List(context.Background(), nil)
	require.NoError(t, err)
	n := 0
	for _, p := range list {
		if p.Name == name {
			n++
		}
	}
	return n
}

func fmFakeCells() []fmFakeCell {
	ctx := context.Background()
	create := ubiops.ProjectCreate{Name: "p", OrganizationName: "o"}
	return []fmFakeCell{
		{"fake/POST/drop-after", "created, then the connection dropped: *RequestError, not resent; the project exists once", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			srv.InjectFault("projects_create", ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
			_, err := c.Projects.Create(ctx, create)
			var re *ubiops.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 1, re.Attempts)
			assert.Equal(t, 1, srv.Received("projects_create"), "sent once")
			assert.Equal(t, 1, srv.Count("projects_create"), "ran once")
			assert.Equal(t, 1, fmProjectsNamed(t, c, "p"), "the project exists exactly once")
		}},
		{"fake/POST/drop-before", "dropped before it ran: *RequestError, not resent (the client cannot know); nothing created", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			srv.InjectFault("projects_create", ubiopstest.Fault{Drop: ubiopstest.DropBefore, Times: 1})
			_, err := c.Projects.Create(ctx, create)
			var re *ubiops.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 1, srv.Received("projects_create"))
			assert.Equal(t, 0, srv.Count("projects_create"))
			assert.Equal(t, 0, fmProjectsNamed(t, c, "p"), "nothing was created")
			_, err = c.Projects.Get(ctx, "p")
			assert.ErrorIs(t, err, ubiops.ErrNotFound)
		}},
		{"fake/GET/503", "InjectFault 503 once on projects_get: retried, the project is returned; received 2, ran 1", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			_, err := c.Projects.Create(ctx, create)
			require.NoError(t, err)
			srv.InjectFault("projects_get", ubiopstest.Fault{Status: http.StatusServiceUnavailable, Times: 1})
			p, err := c.Projects.Get(ctx, "p")
			require.NoError(t, err)
			assert.Equal(t, "p", p.Name)
			assert.Equal(t, 2, srv.Received("projects_get"))
			assert.Equal(t, 1, srv.Count("projects_get"))
		}},
		{"fake/GET/drop-before", "connection dropped before the read: retried, the project is returned", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			_, err := c.Projects.Create(ctx, create)
			require.NoError(t, err)
			srv.InjectFault("projects_get", ubiopstest.Fault{Drop: ubiopstest.DropBefore, Times: 1})
			_, err = c.Projects.Get(ctx, "p")
			require.NoError(t, err)
			assert.Equal(t, 2, srv.Received("projects_get"))
			assert.Equal(t, 1, srv.Count("projects_get"))
		}},
		{"fake/PATCH/429", "InjectFault 429 with Retry-After once: resent after the capped wait; the change ran once", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			_, err := c.Projects.Create(ctx, create)
			require.NoError(t, err)
			srv.InjectFault("projects_update", ubiopstest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
			p, err := c.Projects.Update(ctx, "p", ubiops.ProjectUpdate{CorsOrigins: &[]string{"https://example.com"}})
			require.NoError(t, err)
			assert.Equal(t, []string{"https://example.com"}, p.CorsOrigins)
			assert.Equal(t, 2, srv.Received("projects_update"))
			assert.Equal(t, 1, srv.Count("projects_update"))
		}},
		{"fake/DELETE/drop-after", "deleted, then the connection dropped: the retry finds nothing, *APIError 404 after 2 attempts; the project is gone", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			_, err := c.Projects.Create(ctx, create)
			require.NoError(t, err)
			srv.InjectFault("projects_delete", ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
			err = c.Projects.Delete(ctx, "p")
			var ae *ubiops.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusNotFound, ae.StatusCode)
			assert.Equal(t, 2, ae.Attempts, "Attempts > 1 tells the caller the first attempt may have deleted it")
			assert.Equal(t, 2, srv.Received("projects_delete"))
			assert.Equal(t, 0, fmProjectsNamed(t, c, "p"))
		}},
		{"fake/upload/drop-after", "revision created, then the connection dropped: *RequestError, not resent; one revision exists", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			srv.InjectFault("revisions_file_upload", ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
			_, err := c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(fmPackage)})
			var re *ubiops.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 1, srv.Received("revisions_file_upload"))
			revs, err := c.Revisions.List(ctx, "p", "d", "v")
			require.NoError(t, err)
			assert.Len(t, revs, 1, "exactly one revision")
		}},
		{"fake/batch/drop-after", "chunk 1 created, then its connection dropped: Unknown 0-249, never resent; every input exists exactly once", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			srv.InjectFault("batch_deployment_requests_create", ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
			results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", fmInputsN(fmInputs), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 1}))
			var be *ubiops.BatchError
			require.ErrorAs(t, err, &be)
			assert.Equal(t, fmRange(fmChunk1), be.UnknownIndices())
			assert.Empty(t, be.FailedIndices())
			require.Len(t, results, fmInputs)
			assert.Equal(t, 2, srv.Received("batch_deployment_requests_create"), "nothing resent")
			var ids []ubiops.UUID
			for r, err := range c.Requests.All(ctx, "p", "d", nil, ubiops.WithPageSize(500)) {
				require.NoError(t, err)
				ids = append(ids, r.ID)
			}
			details, err := c.Requests.CollectAll(ctx, "p", "d", ids)
			require.NoError(t, err)
			var got []int
			for _, d := range details {
				var in struct{ I int }
				require.NoError(t, json.Unmarshal(d.RequestData, &in))
				got = append(got, in.I)
			}
			sort.Ints(got)
			assert.Equal(t, fmRange(fmAll), got, "each input exists exactly once")
		}},
		{"fake/cancel/drop-after", "every batch cancel runs, then its connection drops (retries too): the chunks read back cancelled, CancelAll returns nil", func(t *testing.T, srv *ubiopstest.Server, c *ubiops.Client) {
			results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", fmInputsN(fmInputs))
			require.NoError(t, err)
			ids := make([]ubiops.UUID, len(results))
			for i, r := range results {
				ids[i] = r.Request.ID
			}
			srv.InjectFault("deployment_requests_batch_cancel", ubiopstest.Fault{Drop: ubiopstest.DropAfter})
			require.NoError(t, c.Requests.CancelAll(ctx, "p", "d", ids))
			assert.Equal(t, 2*(1+fmPolicy.MaxRetries), srv.Received("deployment_requests_batch_cancel"), "each chunk sent and retried")
			details, err := c.Requests.CollectAll(ctx, "p", "d", ids)
			require.NoError(t, err)
			for _, d := range details {
				assert.Equal(t, ubiops.DeploymentRequestBatchDetailStatusCancelled, d.Status, "request %s", d.ID)
			}
		}},
	}
}

// TestFaultMatrix crosses faults with operations (see fmCells and fmFakeCells) and prints
// "faults: N cases, P passed" in verbose mode.
func TestFaultMatrix(t *testing.T) {
	cells := fmCells()
	fakes := fmFakeCells()
	total, passed := len(cells)+len(fakes), 0
	require.GreaterOrEqual(t, total, 40)
	names := map[string]bool{}
	record := func(t *testing.T) {
		if !t.Failed() {
			passed++
		}
	}
	for _, cell := range cells {
		require.False(t, names[cell.name()], "duplicate cell %s", cell.name())
		names[cell.name()] = true
		t.Run(cell.name(), func(t *testing.T) {
			defer record(t)
			t.Logf("%s: want %s", cell.name(), cell.want)
			cell.run(t)
		})
	}
	for _, cell := range fakes {
		t.Run(cell.name, func(t *testing.T) {
			defer record(t)
			t.Logf("%s: want %s", cell.name, cell.want)
			duration := time.Duration(0)
			if strings.Contains(cell.name, "/cancel/") {
				duration = time.Hour // pending until cancelled
			}
			srv, c := fmFakeSetup(t, strings.Contains(cell.name, "/upload/") || strings.Contains(cell.name, "/batch/") || strings.Contains(cell.name, "/cancel/"), duration)
			cell.run(t, srv, c)
		})
	}
	if testing.Verbose() {
		fmt.Printf("faults: %d cases, %d passed\n", total, passed)
	}
}
