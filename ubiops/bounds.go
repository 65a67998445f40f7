package ubiops

import (
	"errors"
	"fmt"
	"io"
)

// DefaultMaxResponseBytes bounds every answer the client decodes (64 MiB), unless
// WithMaxResponseBytes or WithCallMaxResponseBytes say otherwise. Downloads (Open, Download,
// DownloadFile) stream and are not bounded; error answers are cut at 64 KiB.
//
// Why 64 MiB: measured on the examples of api/openapi.yaml, the largest pages the API serves are
// small. A request list item is about 300 bytes (1,000 of them: 0.3 MB), a log line about 410
// bytes (the 500 lines of a full log page: 0.2 MB; 5,000 lines: 2 MB), a collected request about
// 330 bytes before its input and result (250 of them: 0.1 MB), a version about 1 KB. What can make
// an answer large is the payloads a deployment request carries: a batch collect returns 250
// requests with their inputs and results, a direct request its result. 64 MiB leaves about 256 KiB
// of input and result for each of 250 collected requests, or one result of 64 MiB, while what a
// hostile or broken server (an endless body, a 2 GiB body, a gzip bomb) can make the client hold is
// in proportion to the bound, not to what it sends (the decoder's buffer grows to at most about
// twice the bound) before the call fails with ErrResponseTooLarge. A deployment with larger results
// needs a larger bound for its calls: WithCallMaxResponseBytes.
const DefaultMaxResponseBytes int64 = 64 << 20

// ErrResponseTooLarge is matched by errors.Is against a *ResponseTooLargeError.
var ErrResponseTooLarge = errors.New("ubiops: answer too large")

// ResponseTooLargeError is a 2xx answer longer than the bound on decoded answers
// (DefaultMaxResponseBytes, WithMaxResponseBytes, WithCallMaxResponseBytes). The client stops
// reading at the bound (after decompression, for a compressed answer) and closes the connection.
// The request was processed: for a create, the object may exist.
type ResponseTooLargeError struct {
	Method string
	// Path is the request path, without the query string.
	Path       string
	StatusCode int
	// Limit is the bound in bytes.
	Limit int64
	// Declared is the Content-Length the server announced above the bound, or -1 when the body ran
	// past the bound while it was read.
	Declared int64
}

// Error names the call and the bound.
func (e *ResponseTooLargeError) Error() string {
	s := fmt.Sprintf("ubiops: %s %s: %d answer larger than the limit of %d bytes", e.Method, e.Path, e.StatusCode, e.Limit)
	if e.Declared >= 0 {
		s += fmt.Sprintf(" (Content-Length %d)", e.Declared)
	}
	return safeText(s + "; see WithCallMaxResponseBytes")
}

// Is makes errors.Is(err, ErrResponseTooLarge) hold.
func (e *ResponseTooLargeError) Is(target error) bool { return target == ErrResponseTooLarge }

// WithMaxResponseBytes sets the bound on every answer the client decodes (default
// DefaultMaxResponseBytes); n <= 0 restores the default. Downloads are not bounded.
func WithMaxResponseBytes(n int64) Option { return func(s *settings) { s.maxResponse = n } }

// WithCallMaxResponseBytes sets the bound on one call's answer, for example a Collect of requests
// with large results; n <= 0 means the client's bound.
func WithCallMaxResponseBytes(n int64) CallOption {
	return func(cc *callConfig) { cc.maxResponse = n }
}

// errBoundExceeded is what boundedReader returns once the body runs past its bound.
var errBoundExceeded = errors.New("answer longer than the limit")

// boundedReader passes at most left bytes through; at the bound it reads one byte more to tell an
// answer of exactly the bound (then io.EOF) from a longer one (then errBoundExceeded, and never
// anything more).
type boundedReader struct {
	r        io.Reader
	left     int64
	exceeded bool
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.exceeded {
		return 0, errBoundExceeded
	}
	if b.left <= 0 {
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			b.exceeded = true
			return 0, errBoundExceeded
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
