package ubiops

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/ubiops/ubiops-go/gen"
)

// Package uploads and downloads stream: memory use does not depend on the file's size. An upload's
// body is the multipart envelope around the source, read from the source as the transport sends it
// (a directory is packaged by ZipDir into a pipe as it is read); a download is copied straight from
// the connection.

// RevisionUpload says what a new deployment revision is made of. Set exactly one of File, Path,
// Dir, SourceDeployment+SourceVersion and TemplateDeploymentID.
type RevisionUpload struct {
	// File is the deployment package, a zip archive, read once while it is sent. If it is also an
	// io.ReaderAt of known size (a *bytes.Reader, an *os.File, an *io.SectionReader, or Size set),
	// the Content-Length is sent and the upload can be retried after a failed connection attempt.
	File io.Reader
	// Size is File's length when File cannot tell it (0: unknown).
	Size int64
	// Path is a zip archive on disk; it is reopened if the upload has to be sent again.
	Path string
	// Dir is a directory, packaged with ZipDir while it is uploaded (no temporary file).
	Dir string
	// FileName is the name the package is sent under; default: the base name of Path, the
	// directory name plus ".zip" for Dir, otherwise "deployment.zip".
	FileName string
	// SourceDeployment and SourceVersion name a version whose package is copied.
	SourceDeployment string
	SourceVersion    string
	// TemplateDeploymentID names a template deployment whose package is copied.
	TemplateDeploymentID string
}

// EnvironmentRevisionUpload says what a new environment revision is made of. Set exactly one of
// File, Path, Dir and SourceEnvironment. The fields mean what they mean in RevisionUpload; a Dir is
// packaged with its files at the root of the archive.
type EnvironmentRevisionUpload struct {
	File     io.Reader
	Size     int64
	Path     string
	Dir      string
	FileName string
	// SourceEnvironment names an environment whose files are copied.
	SourceEnvironment string
}

type formField struct{ name, value string }

// uploadSource is the content of the file part. open may be called more than once when reopenable.
type uploadSource struct {
	name       string
	size       int64 // -1: unknown
	reopenable bool
	open       func() (io.ReadCloser, error)
}

// newSource picks the one content source that is set. folder is the ZipDir folder for a Dir.
func newSource(file io.Reader, size int64, path, dir, name, defaultName, folder string) (*uploadSource, int, error) {
	set := 0
	var src *uploadSource
	if file != nil {
		set++
		src = readerSource(file, size)
	}
	if path != "" {
		set++
		fi, err := os.Stat(path)
		if err != nil {
			return nil, set, &ValidationError{Field: "file", Reason: fmt.Sprintf("cannot read %s: %v", path, errors.Unwrap(err))}
		}
		if !fi.Mode().IsRegular() {
			return nil, set, &ValidationError{Field: "file", Reason: path + " is not a regular file"}
		}
		src = &uploadSource{name: filepath.Base(path), size: fi.Size(), reopenable: true,
			open: func() (io.ReadCloser, error) { return os.Open(path) }}
	}
	if dir != "" {
		set++
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() {
			return nil, set, &ValidationError{Field: "file", Reason: dir + " is not a directory"}
		}
		base := filepath.Base(filepath.Clean(dir))
		if base == "." || base == string(filepath.Separator) {
			base = "package"
		}
		zo := DefaultZipOptions() // honours .ubiops-ignore
		zo.Folder = folder
		src = &uploadSource{name: base + ".zip", size: -1, reopenable: true, open: func() (io.ReadCloser, error) {
			return zipStream(dir, zo), nil
		}}
	}
	if src != nil {
		switch {
		case name != "":
			src.name = name
		case src.name == "":
			src.name = defaultName
		}
	}
	return src, set, nil
}

// readerSource wraps a caller's reader; an io.ReaderAt of known size can be read again.
func readerSource(r io.Reader, size int64) *uploadSource {
	if size <= 0 {
		size = -1
		switch v := r.(type) {
		case interface{ Size() int64 }: // bytes.Reader, strings.Reader, io.SectionReader
			size = v.Size()
		case interface{ Stat() (os.FileInfo, error) }: // *os.File
			if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
				size = fi.Size()
			}
		}
	}
	if ra, ok := r.(io.ReaderAt); ok && size >= 0 {
		return &uploadSource{size: size, reopenable: true, open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(ra, 0, size)), nil
		}}
	}
	var used atomic.Bool
	return &uploadSource{size: size, open: func() (io.ReadCloser, error) {
		if used.Swap(true) {
			return nil, errors.New("ubiops: the upload source cannot be read twice")
		}
		return io.NopCloser(r), nil
	}}
}

// zipStream packages dir into a pipe while the reader reads it; Close stops the packaging.
func zipStream(dir string, opts *ZipOptions) io.ReadCloser {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = pw.CloseWithError(ZipDir(pw, dir, opts))
	}()
	return &pipeReadCloser{pr: pr, done: done}
}

type pipeReadCloser struct {
	pr   *io.PipeReader
	done chan struct{}
}

func (p *pipeReadCloser) Read(b []byte) (int, error) { return p.pr.Read(b) }

func (p *pipeReadCloser) Close() error {
	_ = p.pr.CloseWithError(errUploadEnded)
	<-p.done // the packaging goroutine stops at its next write
	return nil
}

func (u RevisionUpload) parts() ([]formField, *uploadSource, error) {
	src, set, err := newSource(u.File, u.Size, u.Path, u.Dir, u.FileName, "deployment.zip", "deployment_package")
	if err != nil {
		return nil, nil, err
	}
	if u.SourceDeployment != "" || u.SourceVersion != "" {
		set++
		if u.SourceDeployment == "" || u.SourceVersion == "" {
			return nil, nil, &ValidationError{Field: "source_version", Reason: "source_deployment and source_version go together"}
		}
	}
	if u.TemplateDeploymentID != "" {
		set++
		if _, err := ParseUUID(u.TemplateDeploymentID); err != nil {
			return nil, nil, &ValidationError{Field: "template_deployment_id", Reason: "not a UUID"}
		}
	}
	if set != 1 {
		return nil, nil, &ValidationError{Field: "file", Reason: "give exactly one of a file (File, Path or Dir), source_deployment with source_version, or template_deployment_id"}
	}
	var f []formField
	for _, kv := range []formField{
		{"source_deployment", u.SourceDeployment}, {"source_version", u.SourceVersion},
		{"template_deployment_id", u.TemplateDeploymentID},
	} {
		if kv.value != "" {
			f = append(f, kv)
		}
	}
	return f, src, nil
}

func (u EnvironmentRevisionUpload) parts() ([]formField, *uploadSource, error) {
	src, set, err := newSource(u.File, u.Size, u.Path, u.Dir, u.FileName, "environment.zip", "")
	if err != nil {
		return nil, nil, err
	}
	if u.SourceEnvironment != "" {
		set++
	}
	if set != 1 {
		return nil, nil, &ValidationError{Field: "file", Reason: "give exactly one of a file (File, Path or Dir) or source_environment"}
	}
	var f []formField
	if u.SourceEnvironment != "" {
		f = append(f, formField{"source_environment", u.SourceEnvironment})
	}
	return f, src, nil
}

// Upload creates a revision of a version from a package or a copy, which starts a build
// (revisions_file_upload). The package is streamed. Because the upload creates a revision, it is
// sent again only when the connection could not be opened at all and the source can be reopened
// (Path, Dir, or a File that is an io.ReaderAt of known size). WithProgress reports bytes sent.
func (s *RevisionsService) Upload(ctx context.Context, project, deployment, version string, up RevisionUpload, opts ...CallOption) (*RevisionCreate, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	fields, src, err := up.parts()
	if err != nil {
		return nil, err
	}
	resp, err := s.c.sendMultipart(ctx, opts, fields, src,
		func(ctx context.Context, contentType string, body io.Reader, eds ...gen.RequestEditorFn) (*http.Response, error) {
			return s.c.raw.RevisionsFileUploadWithBody(ctx, project, deployment, version, contentType, body, eds...)
		})
	return decodeResponse[*RevisionCreate](s.c, opts, resp, err)
}

// Upload creates a revision of an environment from an archive or a copy, which starts a build
// (environment_revisions_file_upload). It streams and retries like RevisionsService.Upload.
func (s *EnvironmentRevisionsService) Upload(ctx context.Context, project, environment string, up EnvironmentRevisionUpload, opts ...CallOption) (*EnvironmentRevisionCreate, error) {
	if err := checkPath("project_name", project, "environment_name", environment); err != nil {
		return nil, err
	}
	fields, src, err := up.parts()
	if err != nil {
		return nil, err
	}
	resp, err := s.c.sendMultipart(ctx, opts, fields, src,
		func(ctx context.Context, contentType string, body io.Reader, eds ...gen.RequestEditorFn) (*http.Response, error) {
			return s.c.raw.EnvironmentRevisionsFileUploadWithBody(ctx, project, environment, contentType, body, eds...)
		})
	return decodeResponse[*EnvironmentRevisionCreate](s.c, opts, resp, err)
}

// errUploadEnded stops a directory packager whose request ended before the body was read.
var errUploadEnded = errors.New("ubiops: upload request ended")

type multipartCall func(ctx context.Context, contentType string, body io.Reader, eds ...gen.RequestEditorFn) (*http.Response, error)

// multipartBody is a multipart/form-data body with a fixed boundary. Everything but the file's
// content is known in advance (head: the fields and the file part's header; tail: the closing
// boundary), so the body is head, then the source, then tail: the file streams from its source
// with no goroutine and no extra copy, and opening it again yields the same bytes for a retry.
type multipartBody struct {
	boundary   string
	head, tail []byte
	src        *uploadSource // nil: fields only
	progress   func(sent, total int64)
}

func newMultipartBody(fields []formField, src *uploadSource, progress func(int64, int64)) (*multipartBody, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	m := &multipartBody{boundary: "ubiops-go-" + hex.EncodeToString(b[:]), src: src, progress: progress}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(m.boundary); err != nil {
		return nil, err
	}
	for _, f := range fields {
		if err := mw.WriteField(f.name, f.value); err != nil {
			return nil, err
		}
	}
	if src != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, sanitizeFormName(src.name)))
		h.Set("Content-Type", "application/octet-stream")
		if _, err := mw.CreatePart(h); err != nil {
			return nil, err
		}
	}
	headLen := buf.Len()
	if err := mw.Close(); err != nil {
		return nil, err
	}
	all := buf.Bytes()
	m.head, m.tail = all[:headLen:headLen], all[headLen:]
	return m, nil
}

func (m *multipartBody) contentType() string { return "multipart/form-data; boundary=" + m.boundary }

// length is the exact body size when the source's size is known, else -1.
func (m *multipartBody) length() int64 {
	n := int64(len(m.head) + len(m.tail))
	if m.src != nil {
		if m.src.size < 0 {
			return -1
		}
		n += m.src.size
	}
	return n
}

// open returns a fresh copy of the body; the transport closes it.
func (m *multipartBody) open() (io.ReadCloser, error) {
	var r io.Reader = bytes.NewReader(m.head)
	var closer io.Closer = io.NopCloser(nil)
	if m.src != nil {
		rc, err := m.src.open()
		if err != nil {
			return nil, err
		}
		r, closer = io.MultiReader(r, rc, bytes.NewReader(m.tail)), rc
	} else {
		r = io.MultiReader(r, bytes.NewReader(m.tail))
	}
	body := &countingBody{r: r, closer: closer, total: m.length(), progress: m.progress}
	if body.total < 0 {
		return &chunkedBody{body}, nil
	}
	return body, nil
}

// chunkSize is how much of a body of unknown size goes into one chunk (see chunkedBody).
const chunkSize = 256 << 10

// chunkedBody is a body of unknown size, which the transport sends with chunked transfer coding:
// one chunk per buffer it copies, each flushed to the connection. Its own copy buffer is 32 KiB,
// which costs the receiver a few reads (the chunk's data, then its end and the next chunk's
// header through a small buffer) for every 32 KiB of a package; WriteTo hands it 256 KiB chunks
// instead, filled by Read, from one buffer per attempt that does not grow.
type chunkedBody struct{ *countingBody }

// WriteTo is what io.Copy in the transport uses.
func (c *chunkedBody) WriteTo(w io.Writer) (int64, error) {
	return copyThrough(w, c.countingBody, chunkSize)
}

// copyThrough is io.Copy through a buffer of the given size, whatever w and r implement.
func copyThrough(w io.Writer, r io.Reader, size int) (int64, error) {
	return io.CopyBuffer(struct{ io.Writer }{w}, struct{ io.Reader }{r}, make([]byte, size))
}

// countingBody reports progress as the transport reads the body.
type countingBody struct {
	r        io.Reader
	closer   io.Closer
	sent     int64
	total    int64
	progress func(sent, total int64)
	closed   atomic.Bool
}

// Read fills p unless the body ends or fails first. The transport sends what each Read returns as
// it comes (when the size is unknown, as a chunk of its own, flushed to the connection), so a
// source that yields a few KiB at a time (the pipe from ZipDir, a network stream, a decompressor)
// would otherwise go out in many small chunks and TCP segments, each costing the receiver a read
// and a wake-up. No memory is added: p is the transport's own buffer.
func (c *countingBody) Read(p []byte) (int, error) {
	n := 0
	var err error
	for n < len(p) && err == nil {
		var k int
		k, err = c.r.Read(p[n:])
		n += k
		if k == 0 {
			break // a source with nothing to give yet: hand back what there is
		}
	}
	if n > 0 {
		c.sent += int64(n)
		if c.progress != nil {
			c.progress(c.sent, c.total)
		}
	}
	return n, err
}

func (c *countingBody) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	return c.closer.Close()
}

// sendMultipart streams a multipart/form-data request. Content-Length is set when the size is
// known; GetBody is set only for sources that can be read again, and the call is marked so that the
// retry layer resends it only after a failed connection attempt, never after the server may have
// seen it (the upload creates a revision).
func (c *Client) sendMultipart(ctx context.Context, opts []CallOption, fields []formField, src *uploadSource, call multipartCall) (*http.Response, error) {
	cc := c.callOptions(opts)
	body, err := newMultipartBody(fields, src, cc.progress)
	if err != nil {
		return nil, err
	}
	first, err := body.open()
	if err != nil {
		return nil, &ValidationError{Field: "file", Reason: err.Error()}
	}
	defer first.Close() // the transport closes it too; closing twice is harmless
	prepare := func(_ context.Context, req *http.Request) error {
		if n := body.length(); n >= 0 {
			req.ContentLength = n
		}
		if src == nil || src.reopenable {
			req.GetBody = body.open
		}
		return nil
	}
	return c.send(ctx, append(opts, withDialRetryOnly(), withEditor(prepare)), func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) {
		return call(ctx, body.contentType(), first, eds...)
	})
}

// sanitizeFormName keeps a file name from breaking out of its multipart header.
func sanitizeFormName(name string) string {
	if s := sanitizeFileName(name); s != "" {
		return s
	}
	return "file"
}

// FileDownload is a download being read: the body streams from the connection, and Read fails
// if it ends before Size bytes. Close it when done.
//
// A download is a file only if the answer says so: its Content-Type must be the one the API
// documents (application/octet-stream), or application/zip, application/x-zip-compressed,
// application/x-zip or binary/octet-stream (what object stores and proxies send for a zip), or
// absent (RFC 9110 lets a recipient treat a body without a type as application/octet-stream). Any
// other type, such as the text/html of a captive portal or a proxy's login page answered with 200,
// is a *ContentTypeError before anything is read, so nothing is written anywhere.
type FileDownload struct {
	io.ReadCloser
	// Name is the file name from Content-Disposition, sanitised (no directories, no "..", no
	// control characters); "" if the answer names none.
	Name string
	// Size is the Content-Length, or -1 if the server did not say.
	Size int64
}

// Open starts downloading a revision's package (revisions_file_download).
func (s *RevisionsService) Open(ctx context.Context, project, deployment, version, revisionID string, opts ...CallOption) (*FileDownload, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "revision_id", revisionID); err != nil {
		return nil, err
	}
	return s.c.openDownload(ctx, opts, call4(s.c.raw.RevisionsFileDownload, project, deployment, version, revisionID))
}

// Download writes a revision's package to w and returns the number of bytes written
// (revisions_file_download). A body shorter than its Content-Length is an error.
func (s *RevisionsService) Download(ctx context.Context, project, deployment, version, revisionID string, w io.Writer, opts ...CallOption) (int64, error) {
	d, err := s.Open(ctx, project, deployment, version, revisionID, opts...)
	if err != nil {
		return 0, err
	}
	return copyDownload(d, w)
}

// DownloadFile saves a revision's package at path atomically: it is written to a temporary file
// in the same directory, synced and renamed, and nothing is left behind on failure or
// cancellation. If path is a directory, the file takes the (sanitised) name the server gives. It
// returns the path written (revisions_file_download).
func (s *RevisionsService) DownloadFile(ctx context.Context, project, deployment, version, revisionID, path string, opts ...CallOption) (string, error) {
	d, err := s.Open(ctx, project, deployment, version, revisionID, opts...)
	if err != nil {
		return "", err
	}
	return saveDownload(d, path, fmt.Sprintf("%s_%s_%s.zip", deployment, version, revisionID))
}

// Open starts downloading an environment revision's archive (environment_revisions_file_download).
func (s *EnvironmentRevisionsService) Open(ctx context.Context, project, environment, revisionID string, opts ...CallOption) (*FileDownload, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID); err != nil {
		return nil, err
	}
	return s.c.openDownload(ctx, opts, call3(s.c.raw.EnvironmentRevisionsFileDownload, project, environment, revisionID))
}

// Download writes an environment revision's archive to w and returns the number of bytes written
// (environment_revisions_file_download).
func (s *EnvironmentRevisionsService) Download(ctx context.Context, project, environment, revisionID string, w io.Writer, opts ...CallOption) (int64, error) {
	d, err := s.Open(ctx, project, environment, revisionID, opts...)
	if err != nil {
		return 0, err
	}
	return copyDownload(d, w)
}

// DownloadFile saves an environment revision's archive at path atomically, like
// RevisionsService.DownloadFile (environment_revisions_file_download).
func (s *EnvironmentRevisionsService) DownloadFile(ctx context.Context, project, environment, revisionID, path string, opts ...CallOption) (string, error) {
	d, err := s.Open(ctx, project, environment, revisionID, opts...)
	if err != nil {
		return "", err
	}
	return saveDownload(d, path, fmt.Sprintf("%s_%s.zip", environment, revisionID))
}

// ErrUnexpectedContentType is matched by errors.Is against a *ContentTypeError.
var ErrUnexpectedContentType = errors.New("ubiops: unexpected content type")

// ContentTypeError is a successful answer to a download whose Content-Type says it is not the
// file (see FileDownload): an HTML login page, a JSON message, ... Nothing was read of it.
type ContentTypeError struct {
	Method string
	// Path is the request path, without the query string.
	Path       string
	StatusCode int
	// ContentType is the Content-Type the server sent (on one line, at most 200 bytes).
	ContentType string
}

// Error names the call and the content type.
func (e *ContentTypeError) Error() string {
	return safeText(fmt.Sprintf("ubiops: %s %s: %d answer of type %q is not a file (want application/octet-stream or application/zip)",
		e.Method, e.Path, e.StatusCode, e.ContentType))
}

// Is makes errors.Is(err, ErrUnexpectedContentType) hold.
func (e *ContentTypeError) Is(target error) bool { return target == ErrUnexpectedContentType }

// downloadTypes are the media types a download may have (see FileDownload).
var downloadTypes = map[string]bool{
	"application/octet-stream":     true, // what the spec documents
	"application/zip":              true,
	"application/x-zip-compressed": true,
	"application/x-zip":            true,
	"binary/octet-stream":          true, // S3's default for an object stored without a type
}

// checkDownloadType refuses an answer whose Content-Type is not a file's.
func (c *Client) checkDownloadType(resp *http.Response) error {
	ct := resp.Header.Get("Content-Type")
	if strings.TrimSpace(ct) == "" {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil && downloadTypes[mt] {
		return nil
	}
	method, path := requestOf(resp, c.redact)
	shown := c.redact.text(oneLine(ct))
	for len(shown) > 200 {
		_, size := utf8.DecodeLastRuneInString(shown)
		shown = shown[:len(shown)-size]
	}
	return &ContentTypeError{Method: method, Path: path, StatusCode: resp.StatusCode, ContentType: shown}
}

func (c *Client) openDownload(ctx context.Context, opts []CallOption, call rawCall) (*FileDownload, error) {
	cc := &callConfig{}
	for _, o := range opts {
		o(cc)
	}
	resp, err := c.send(ctx, opts, call)
	if err != nil {
		return nil, err
	}
	if err := c.checkDownloadType(resp); err != nil {
		drainAndClose(resp.Body)
		return nil, err
	}
	name := ""
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		name = sanitizeFileName(c.redact.text(params["filename"])) // server text: no token, no line breaks
	}
	body := &downloadBody{ctx: ctx, resp: resp, progress: cc.progress}
	return &FileDownload{ReadCloser: body, Name: name, Size: resp.ContentLength}, nil
}

// downloadBody counts what is read, checks it against Content-Length, reports progress, and lets
// a context error win over the read error it caused.
type downloadBody struct {
	ctx      context.Context
	resp     *http.Response
	n        int64
	progress func(received, total int64)
}

func (d *downloadBody) Read(p []byte) (int, error) {
	n, err := d.resp.Body.Read(p)
	d.n += int64(n)
	if n > 0 && d.progress != nil {
		d.progress(d.n, d.resp.ContentLength)
	}
	if errors.Is(err, io.EOF) && d.resp.ContentLength >= 0 && d.n != d.resp.ContentLength {
		err = fmt.Errorf("got %d of %d bytes: %w", d.n, d.resp.ContentLength, io.ErrUnexpectedEOF)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		rerr := &RequestError{Method: d.resp.Request.Method, Path: d.resp.Request.URL.EscapedPath(), Err: err}
		if ctxErr := d.ctx.Err(); ctxErr != nil {
			rerr.Err, rerr.Cause = ctxErr, err
		}
		return n, rerr
	}
	return n, err
}

func (d *downloadBody) Close() error { return d.resp.Body.Close() }

// downloadBuffer is what Download and DownloadFile copy a download through. A read of the
// connection takes at most the buffer it is given, and io.Copy's is 32 KiB (8 KiB into
// io.Discard), so a larger one saves most of the read system calls.
const downloadBuffer = 256 << 10

// copyDownload copies d to w through a downloadBuffer.
func copyDownload(d *FileDownload, w io.Writer) (int64, error) {
	defer d.Close()
	return copyThrough(w, d, downloadBuffer)
}

// SaveError is a download that could not be saved: the local file could not be created, written,
// synced, closed or renamed into place. Nothing is left behind. Err is the file system's error.
type SaveError struct {
	// Op is "create", "write", "sync", "close" or "rename".
	Op string
	// Path is the file the download was to be saved as.
	Path string
	Err  error
}

// Error names the file, the step that failed and why.
func (e *SaveError) Error() string {
	return safeText(fmt.Sprintf("ubiops: saving download as %s: %s: %v", e.Path, e.Op, e.Err))
}

// Unwrap returns the file system's error, so errors.Is(err, fs.ErrPermission) and the like work.
func (e *SaveError) Unwrap() error { return e.Err }

// tempPattern names the temporary file of a download: a fixed prefix and suffix around the random
// digits os.CreateTemp adds, at most 23 bytes whatever the final name, so a final name of up to
// 255 bytes (the usual file system limit) always has a temporary name that fits too.
const tempPattern = ".ubiops-*.part"

// fileWriter remembers a write error, to tell it from an error reading the download.
type fileWriter struct {
	f   *os.File
	err error
}

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		w.err = err
	}
	return n, err
}

// saveDownload writes d to path (or into it, if it is a directory) through a temporary file.
func saveDownload(d *FileDownload, path, fallbackName string) (final string, err error) {
	defer d.Close()
	target := path
	if fi, statErr := os.Stat(path); statErr == nil && fi.IsDir() {
		name := d.Name
		if name == "" {
			name = sanitizeFileName(fallbackName)
		}
		if name == "" {
			name = "download.zip"
		}
		target = filepath.Join(path, name)
	}
	fail := func(op string, err error) (string, error) { return "", &SaveError{Op: op, Path: target, Err: err} }
	tmp, err := os.CreateTemp(filepath.Dir(target), tempPattern)
	if err != nil {
		return fail("create", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	w := &fileWriter{f: tmp}
	if _, err = copyThrough(w, d, downloadBuffer); err != nil {
		if w.err != nil {
			return fail("write", w.err)
		}
		return "", err // reading the download failed: a *RequestError
	}
	if err = tmp.Sync(); err != nil {
		return fail("sync", err)
	}
	if err = tmp.Close(); err != nil {
		return fail("close", err)
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fail("rename", err)
	}
	return target, nil
}

// sanitizeFileName makes a server-supplied file name safe to use as a local file name: only its
// last path element (either separator), without control, format or line-separator characters
// (anything oneLine replaces), and never "", "." or ".." ("" is returned instead). It is at most
// 255 bytes.
func sanitizeFileName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || lineBreaking(r) || r == '"' || r == ':' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	name = strings.TrimSpace(name) // the cut may leave white space at the end, or only dots
	if name == "." || name == ".." || strings.Trim(name, ".") == "" {
		return ""
	}
	return name
}
