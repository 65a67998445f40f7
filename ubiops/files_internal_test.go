package ubiops

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSanitizeFileName(t *testing.T) {
	cases := map[string]string{
		"package.zip":              "package.zip",
		"../../etc/passwd":         "passwd",
		`..\..\windows\system.ini`: "system.ini",
		"/abs/path/x.zip":          "x.zip",
		"..":                       "",
		".":                        "",
		"...":                      "",
		"dir/":                     "",
		"a\x00b\nc\r.zip":          "abc.zip",
		"evil\u202egnp.zip":        "evilgnp.zip", // right-to-left override
		`quo"te.zip`:               "quote.zip",
		"C:secret.txt":             "Csecret.txt",
		"  spaced.zip  ":           "spaced.zip",
		"ok-ünïcode.zip":           "ok-ünïcode.zip",
	}
	for in, want := range cases {
		assert.Equal(t, want, sanitizeFileName(in), "%q", in)
	}
	long := sanitizeFileName(string(make([]byte, 0)) + stringOf('a', 300) + ".zip")
	assert.LessOrEqual(t, len(long), 255)
}

func stringOf(r rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return string(out)
}

// trickle yields n bytes of a pattern, at most step at a time, and counts what was read.
type trickle struct {
	n, step, read int
}

func (s *trickle) Read(p []byte) (int, error) {
	if s.read >= s.n {
		return 0, io.EOF
	}
	k := min(len(p), s.step, s.n-s.read)
	for i := range p[:k] {
		p[i] = byte((s.read + i) * 7)
	}
	s.read += k
	return k, nil
}

// TestUploadBodyCoalescesSmallReads: a source that yields a little at a time is sent in full
// buffers, not one small write per read. Of unknown size, the body goes out in chunks of chunkSize
// (the last one shorter), read from the source only as they are sent: at most one chunk ahead. Of
// known size, each Read fills the transport's buffer.
func TestUploadBodyCoalescesSmallReads(t *testing.T) {
	const size = 3*chunkSize + 777
	src := &trickle{n: size, step: 1000}
	var progress []int64
	m, err := newMultipartBody(nil, readerSource(src, 0), func(sent, _ int64) { progress = append(progress, sent) })
	require.NoError(t, err)
	require.Equal(t, int64(-1), m.length())
	rc, err := m.open()
	require.NoError(t, err)
	wt, ok := rc.(io.WriterTo)
	require.True(t, ok, "a body of unknown size is an io.WriterTo, which the transport's io.Copy uses")
	var got bytes.Buffer
	var writes []int
	_, err = wt.WriteTo(writerFunc(func(p []byte) (int, error) {
		writes = append(writes, len(p))
		assert.LessOrEqual(t, src.read-(got.Len()-len(m.head)), chunkSize, "read ahead of what was sent")
		return got.Write(p)
	}))
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	total := len(m.head) + size + len(m.tail)
	require.Equal(t, total, got.Len())
	for i, n := range writes {
		if i < len(writes)-1 {
			assert.Equal(t, chunkSize, n, "write %d", i)
		}
	}
	assert.Len(t, writes, (total+chunkSize-1)/chunkSize)
	assert.Equal(t, int64(total), progress[len(progress)-1])
	want := &trickle{n: size, step: size}
	body := got.Bytes()
	assert.Equal(t, string(m.head), string(body[:len(m.head)]))
	data, _ := io.ReadAll(want)
	assert.True(t, bytes.Equal(data, body[len(m.head):len(m.head)+size]), "the file's bytes, in order")
	assert.Equal(t, string(m.tail), string(body[len(m.head)+size:]))

	// Known size: each Read fills the buffer it is given.
	m, err = newMultipartBody(nil, readerSource(&trickle{n: size, step: 1000}, size), nil)
	require.NoError(t, err)
	require.Equal(t, int64(total), m.length())
	rc, err = m.open()
	require.NoError(t, err)
	_, isWriterTo := rc.(io.WriterTo)
	assert.False(t, isWriterTo, "a body of known size is copied with the transport's Content-Length limit")
	buf := make([]byte, 32<<10)
	sent := 0
	for {
		n, err := rc.Read(buf)
		sent += n
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if sent < total {
			assert.Equal(t, len(buf), n)
		}
	}
	assert.Equal(t, total, sent)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestUnknownSizeUploadIsSentInLargeChunks reads an upload of unknown size off the wire: it is
// chunked, in chunks of chunkSize bytes but the last, whatever the size of the source's reads.
func TestUnknownSizeUploadIsSentInLargeChunks(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	chunks := make(chan []int, 1)
	go func() {
		var sizes []int
		defer func() { chunks <- sizes }()
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		chunked := false
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if strings.EqualFold(strings.TrimSpace(line), "Transfer-Encoding: chunked") {
				chunked = true
			}
			if line == "\r\n" {
				break
			}
		}
		if !chunked {
			return
		}
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			n, err := strconv.ParseInt(strings.TrimSpace(line), 16, 64)
			if err != nil {
				return
			}
			if _, err := io.CopyN(io.Discard, br, n+2); err != nil {
				return
			}
			if n == 0 {
				break
			}
			sizes = append(sizes, int(n))
		}
		const answer = `{"success":true,"revision":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e","build":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5f"}`
		_, _ = fmt.Fprintf(conn, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(answer), answer)
	}()
	c, err := NewClient(WithBaseURL("http://"+ln.Addr().String()), WithToken("t"))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	const size = 2*chunkSize + 12345
	_, err = c.Revisions.Upload(context.Background(), "p", "d", "v", RevisionUpload{File: &trickle{n: size, step: 4096}})
	require.NoError(t, err)
	sizes := <-chunks
	require.NotEmpty(t, sizes, "the body was chunked")
	total := 0
	for i, n := range sizes {
		total += n
		if i < len(sizes)-1 {
			assert.Equal(t, chunkSize, n, "chunk %d", i)
		}
	}
	assert.Greater(t, total, size)
	assert.Len(t, sizes, 3)
}

// readSizes is a response body of n bytes that records the size of each Read's buffer.
type readSizes struct {
	n     int
	sizes []int
}

func (r *readSizes) Read(p []byte) (int, error) {
	r.sizes = append(r.sizes, len(p))
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func (r *readSizes) Close() error { return nil }

// TestDownloadCopiesThroughALargeBuffer: Download reads the connection with downloadBuffer-sized
// reads, whatever the writer (io.Discard alone would read 8 KiB at a time), and a writer's error
// is returned as it is.
func TestDownloadCopiesThroughALargeBuffer(t *testing.T) {
	open := func(size int) (*FileDownload, *readSizes) {
		body := &readSizes{n: size}
		req, err := http.NewRequest(http.MethodGet, "http://x/f", nil)
		require.NoError(t, err)
		resp := &http.Response{Body: body, ContentLength: int64(size), Request: req}
		return &FileDownload{ReadCloser: &downloadBody{ctx: context.Background(), resp: resp}, Size: int64(size)}, body
	}
	const size = 3*downloadBuffer + 5
	d, body := open(size)
	n, err := copyDownload(d, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)
	for _, s := range body.sizes {
		assert.Equal(t, downloadBuffer, s)
	}

	full := errors.New("disk full")
	d, _ = open(size)
	n, err = copyDownload(d, writerFunc(func(p []byte) (int, error) { return 0, full }))
	assert.Equal(t, int64(0), n)
	assert.Same(t, full, err)
}
