package ubiops_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// packageZip builds a small valid deployment package.
func packageZip(t *testing.T, extra int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("deployment_package/deployment.py")
	require.NoError(t, err)
	_, _ = io.WriteString(w, "class Deployment:\n    def request(self, data):\n        return data\n")
	if extra > 0 {
		w, err = zw.CreateHeader(&zip.FileHeader{Name: "deployment_package/weights.bin", Method: zip.Store})
		require.NoError(t, err)
		_, err = io.Copy(w, io.LimitReader(patternReader{}, int64(extra)))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// patternReader yields a repeating, non-trivial byte pattern forever.
type patternReader struct{ off int64 }

func (p patternReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte((p.off+int64(i))*31 + (p.off+int64(i))>>9)
	}
	return len(b), nil
}

// block is the 64 KiB pattern bigSource repeats; filling with copy keeps the race detector, which
// instruments every single-byte store, out of the hot loop.
var block = func() []byte {
	b := make([]byte, 64<<10+1)
	for i := range b {
		b[i] = byte(i*31 + i>>9)
	}
	return b
}()

// bigSource is a large generated file readable at any offset, never held in memory. The block
// length is odd so the content does not repeat at power-of-two offsets.
type bigSource struct{ size int64 }

func (s bigSource) ReadAt(p []byte, off int64) (int, error) {
	if off >= s.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < s.size {
		k := copy(p[n:], block[off%int64(len(block)):])
		k = int(min(int64(k), s.size-off))
		n += k
		off += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func TestUploadDownloadRoundTripSmall(t *testing.T) {
	srv, c := setupVersion(t, ubiopstest.WithBuildDuration(0))
	ctx := context.Background()
	pkg := packageZip(t, 4096)

	var sent, total int64
	created, err := c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(pkg), FileName: "model.zip"},
		ubiops.WithProgress(func(done, all int64) { sent, total = done, all }))
	require.NoError(t, err)
	assert.Equal(t, sent, total, "progress reaches the known total")
	assert.Greater(t, total, int64(len(pkg)), "the total is the whole multipart body")

	var buf bytes.Buffer
	n, err := c.Revisions.Download(ctx, "p", "d", "v", created.Revision.String(), &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(len(pkg)), n)
	assert.Equal(t, pkg, buf.Bytes())
	stored, ok := srv.RevisionArchive("p", "d", "v", created.Revision.String())
	require.True(t, ok)
	assert.Equal(t, pkg, stored)

	// Open exposes the sanitised name and size; DownloadFile into a directory uses the name.
	d, err := c.Revisions.Open(ctx, "p", "d", "v", created.Revision.String())
	require.NoError(t, err)
	assert.Equal(t, "model.zip", d.Name)
	assert.Equal(t, int64(len(pkg)), d.Size)
	require.NoError(t, d.Close())
	dir := t.TempDir()
	path, err := c.Revisions.DownloadFile(ctx, "p", "d", "v", created.Revision.String(), dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "model.zip"), path)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, pkg, got)
	assertOnlyFiles(t, dir, "model.zip")
}

// TestUploadDownloadRoundTripLarge streams a 256 MiB package both ways and compares checksums.
func TestUploadDownloadRoundTripLarge(t *testing.T) {
	_, c := setupVersion(t, ubiopstest.WithBuildDuration(0))
	ctx := context.Background()
	const size = 256 << 20
	src := bigSource{size}
	h := sha256.New()
	_, err := io.Copy(h, io.NewSectionReader(src, 0, size))
	require.NoError(t, err)
	want := h.Sum(nil)

	created, err := c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: io.NewSectionReader(src, 0, size)})
	require.NoError(t, err)
	h.Reset()
	var got int64
	n, err := c.Revisions.Download(ctx, "p", "d", "v", created.Revision.String(), h, ubiops.WithProgress(func(done, _ int64) { got = done }))
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)
	assert.Equal(t, int64(size), got)
	assert.Equal(t, want, h.Sum(nil), "byte-for-byte identical")
}

func TestUploadFromPathAndDir(t *testing.T) {
	_, c := setupVersion(t, ubiopstest.WithBuildDuration(0))
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "pkg.zip")
	require.NoError(t, os.WriteFile(path, packageZip(t, 0), 0o644))
	created, err := c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{Path: path})
	require.NoError(t, err)
	rev, err := c.Revisions.Get(ctx, "p", "d", "v", created.Revision.String())
	require.NoError(t, err)
	assert.Equal(t, ubiops.Ptr(ubiops.RevisionListStatusSuccess), rev.Status)

	// A directory is packaged while it is uploaded.
	src := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "deployment.py"), []byte("class Deployment:\n    def requests(self, data):\n        return data\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "requirements.txt"), []byte("numpy\n"), 0o644))
	created, err = c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{Dir: src})
	require.NoError(t, err)
	rev, err = c.Revisions.Get(ctx, "p", "d", "v", created.Revision.String())
	require.NoError(t, err)
	assert.Equal(t, ubiops.Ptr(ubiops.RevisionListStatusSuccess), rev.Status, rev.ErrorMessage)
	assert.True(t, *rev.HasRequestsMethod)

	var buf bytes.Buffer
	_, err = c.Revisions.Download(ctx, "p", "d", "v", created.Revision.String(), &buf)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"deployment_package/deployment.py", "deployment_package/requirements.txt"}, names)
}

func TestUploadValidation(t *testing.T) {
	_, c := setupVersion(t)
	ctx := context.Background()
	cases := []ubiops.RevisionUpload{
		{},
		{File: bytes.NewReader(nil), Path: "x.zip"},
		{SourceDeployment: "d"},
		{TemplateDeploymentID: "not-a-uuid"},
		{Path: filepath.Join(t.TempDir(), "missing.zip")},
		{Dir: filepath.Join(t.TempDir(), "missing")},
	}
	for i, up := range cases {
		_, err := c.Revisions.Upload(ctx, "p", "d", "v", up)
		var ve *ubiops.ValidationError
		assert.ErrorAs(t, err, &ve, "case %d", i)
	}
}

// TestUploadRetriesOnlyWhenNothingWasSent: a failed connection attempt is retried for a source that
// can be reopened; a 429 or 5xx after the body was sent is not, because the revision may exist.
func TestUploadRetriesOnlyWhenNothingWasSent(t *testing.T) {
	var refused atomic.Int32
	refuseOnce := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if refused.Add(1) == 1 {
				if r.Body != nil {
					_ = r.Body.Close()
				}
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
			}
			return next.RoundTrip(r)
		})
	}
	srv, _ := setupVersion(t, ubiopstest.WithBuildDuration(0))
	c := srv.Client(ubiops.WithMiddleware(refuseOnce))
	ctx := context.Background()
	pkg := packageZip(t, 0)

	_, err := c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(pkg)})
	require.NoError(t, err, "a reopenable source is sent again after the refused dial")
	assert.Equal(t, 1, srv.Count("revisions_file_upload"))

	refused.Store(0)
	_, err = c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: io.MultiReader(bytes.NewReader(pkg))})
	require.Error(t, err, "a plain reader cannot be read again")
	assert.Equal(t, 1, srv.Count("revisions_file_upload"))

	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		srv.InjectFault("revisions_file_upload", ubiopstest.Fault{Status: status, Times: 1})
		_, err = srv.Client().Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(pkg)})
		var apiErr *ubiops.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, status, apiErr.StatusCode)
		assert.Equal(t, 1, apiErr.Attempts, "an upload the server saw is not sent again")
	}
}

// TestUploadContentLength: a source of known size is sent with Content-Length; an unknown one is
// chunked.
func TestUploadContentLength(t *testing.T) {
	var lengths []int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lengths = append(lengths, r.ContentLength)
		n, _ := io.Copy(io.Discard, r.Body)
		if r.ContentLength >= 0 && n != r.ContentLength {
			t.Errorf("body %d bytes, Content-Length %d", n, r.ContentLength)
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"success":true,"revision":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e","build":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5f"}`)
	}))
	defer srv.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("t"))
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(make([]byte, 1000))})
	require.NoError(t, err)
	_, err = c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: io.LimitReader(patternReader{}, 1000)})
	require.NoError(t, err)
	require.Len(t, lengths, 2)
	assert.Greater(t, lengths[0], int64(1000))
	assert.Equal(t, int64(-1), lengths[1])
}

// slowReader yields a little, then blocks until its context ends.
type slowReader struct {
	ctx  context.Context
	sent int
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.sent < 1<<20 {
		n := min(len(p), 64<<10)
		s.sent += n
		return n, nil
	}
	<-s.ctx.Done()
	return 0, s.ctx.Err()
}

func TestUploadCancelled(t *testing.T) {
	_, c := setupVersion(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{File: &slowReader{ctx: ctx}})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	// goleak (TestMain) proves the part writer ended.
}

// hostileDownloads serves downloads that misbehave in the ways named by the path.
func hostileDownloads(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The type the spec documents; the cases are named by .../revisions/<case>/download.
		w.Header().Set("Content-Type", "application/octet-stream")
		switch filepath.Base(filepath.Dir(r.URL.Path)) {
		case "truncated": // promises 1 MiB, sends half, drops the connection
			w.Header().Set("Content-Length", strconv.Itoa(1<<20))
			w.WriteHeader(http.StatusOK)
			_, _ = io.CopyN(w, patternReader{}, 1<<19)
			w.(http.Flusher).Flush()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case "slow": // streams forever, slowly
			w.Header().Set("Content-Disposition", `attachment; filename="slow.zip"`)
			for r.Context().Err() == nil {
				_, _ = w.Write(make([]byte, 1024))
				w.(http.Flusher).Flush()
				time.Sleep(5 * time.Millisecond)
			}
		case "evil-name":
			w.Header().Set("Content-Disposition", `attachment; filename="../../../tmp/evil\npwn.zip"`)
			_, _ = io.WriteString(w, "content")
		default:
			t.Errorf("unexpected request %s", r.URL.Path)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	assert.ElementsMatch(t, names, got, "files in %s", dir)
}

func TestDownloadFailuresLeaveNoFile(t *testing.T) {
	srv := hostileDownloads(t)
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("t"))
	require.NoError(t, err)
	dir := t.TempDir()

	// A body cut short is an error, never a silently truncated file.
	_, err = c.Revisions.DownloadFile(context.Background(), "p", "d", "v", "truncated", filepath.Join(dir, "out.zip"))
	require.Error(t, err)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	var buf bytes.Buffer
	n, err := c.Revisions.Download(context.Background(), "p", "d", "v", "truncated", &buf)
	require.Error(t, err, "Download reports the short body too (read %d bytes)", n)

	// Cancellation mid-download.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = c.Revisions.DownloadFile(ctx, "p", "d", "v", "slow", dir)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)

	assertOnlyFiles(t, dir) // no file, no temporary file
}

func TestDownloadSanitisesContentDisposition(t *testing.T) {
	srv := hostileDownloads(t)
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("t"))
	require.NoError(t, err)
	dir := t.TempDir()
	path, err := c.Revisions.DownloadFile(context.Background(), "p", "d", "v", "evil-name", dir)
	require.NoError(t, err)
	assert.Equal(t, dir, filepath.Dir(path), "the file stays in the directory asked for")
	assertOnlyFiles(t, dir, filepath.Base(path))
	assert.NotContains(t, filepath.Base(path), "..")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestDeploy(t *testing.T) {
	_, c := setupVersion(t, ubiopstest.WithBuildDuration(40*time.Millisecond))
	ctx := context.Background()
	wait := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond})

	good := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(good, "deployment.py"), []byte("class Deployment:\n    def request(self, data):\n        return data\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(good, ".ubiops-ignore"), []byte("*.ckpt\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(good, "scratch.ckpt"), []byte("large"), 0o644))
	rev, err := c.Deploy(ctx, "p", "d", "v", good, wait)
	require.NoError(t, err)
	assert.Equal(t, ubiops.Ptr(ubiops.RevisionListStatusSuccess), rev.Status)

	// The package on the server is the directory minus the ignored file.
	var buf bytes.Buffer
	_, err = c.Revisions.Download(ctx, "p", "d", "v", rev.ID.String(), &buf)
	require.NoError(t, err)
	out := t.TempDir()
	require.NoError(t, ubiops.Unzip(bytes.NewReader(buf.Bytes()), int64(buf.Len()), out, nil))
	_, err = os.Stat(filepath.Join(out, "deployment_package", "deployment.py"))
	assert.NoError(t, err)
	_, err = os.Stat(filepath.Join(out, "deployment_package", "scratch.ckpt"))
	assert.True(t, os.IsNotExist(err), "ignored files are not shipped")

	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "main.py"), []byte("print(1)\n"), 0o644))
	_, err = c.Deploy(ctx, "p", "d", "v", bad, wait)
	var we *ubiops.WaitError
	require.ErrorAs(t, err, &we, "a package without deployment.py fails its build")
	assert.Contains(t, we.Message, "deployment.py")

	_, err = c.Deploy(ctx, "p", "d", "v", "", wait)
	var ve *ubiops.ValidationError
	assert.ErrorAs(t, err, &ve)
}
