package ubiopstest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Files: uploads (revisions_file_upload, environment_revisions_file_upload) and downloads.
//
// The dispatcher leaves the multipart body of an upload operation to its handler: it validates the
// parameters and the security of the call but not the body, and reads nothing of it (the body is
// hidden from kin-openapi's security check, which would read any body whole). The handler
// streams the body without the state lock (multipartUpload, from inside c.unlocked), checks each
// form field against the operation's multipart schema in the spec by hand (an undocumented field,
// or a value the schema refuses, is a 400 naming the field), and spools the file part into a blob:
// in memory up to spoolInMemory bytes, else into a file of the server's spool directory, which Close
// removes. It reads what the build needs from the blob (analyzePackage, readEnvironmentArchive),
// still without the lock (bounding the archive's directory: checkArchiveDirectory), and takes
// the lock only to record the revision. A stalled or slow upload therefore holds no lock, and the
// fake's memory does not grow with the size of a package. Downloads stream the blob after the
// lock is released, with its Content-Length.

const (
	// maxUpload bounds an uploaded file.
	maxUpload = 4 << 30
	// spoolInMemory is the largest uploaded file kept in memory; larger ones go to the spool
	// directory.
	spoolInMemory = 1 << 20
	// maxFormField bounds the value of a form field other than the file.
	maxFormField = 4096
	// uploadReadBuffer is how much of an upload's body is read from the connection at a time.
	// mime/multipart reads its input 4 KiB at a time, and so does the HTTP server's connection
	// reader, so without a larger buffer in between every 4 KiB of a package cost a read system
	// call (and a wait on the network poller whenever the sender is slower than the fake).
	uploadReadBuffer = 256 << 10
	// spoolWriteBuffer is how much of a spooled file is written to its spool file at a time (a
	// multipart part yields at most 4 KiB per read).
	spoolWriteBuffer = 256 << 10
)

// blob is the content of a stored file: a deployment package or an environment file. It never
// changes once stored, so revisions that copy a file share its blob. A blob in the spool directory
// is removed when no revision refers to it any more (and with the directory, on Close).
type blob struct {
	data []byte // the content, when held in memory (path == "")
	path string // the spool file holding the content otherwise
	size int64
	// cleanup removes the spool file once the blob is unreachable.
	cleanup runtime.Cleanup

	// What builds read of the content, worked out once: by the upload that stored the blob
	// before anything else can see it, or later under the state lock.
	pkg *packageInfo
	env *envFileInfo
}

// memBlob is a blob held in memory.
func memBlob(b []byte) *blob { return &blob{data: b, size: int64(len(b))} }

// blobReader reads a blob's content.
type blobReader interface {
	io.Reader
	io.ReaderAt
	io.Closer
}

type memReader struct{ *bytes.Reader }

func (memReader) Close() error { return nil }

// open returns a reader of the blob's content, to be closed.
func (b *blob) open() (blobReader, error) {
	if b.path == "" {
		return memReader{bytes.NewReader(b.data)}, nil
	}
	f, err := os.Open(b.path)
	runtime.KeepAlive(b) // its cleanup must not remove the file before it is open
	return f, err
}

// bytes returns a copy of the whole content.
func (b *blob) bytes() ([]byte, error) {
	if b.path == "" {
		return append([]byte{}, b.data...), nil
	}
	data, err := os.ReadFile(b.path)
	runtime.KeepAlive(b)
	return data, err
}

// discard removes the spool file of a blob nothing refers to (an upload that was refused).
func (b *blob) discard() {
	if b != nil && b.path != "" {
		b.cleanup.Stop()
		_ = os.Remove(b.path)
	}
}

// packageInfo is what a build of a deployment package finds in it (see analyzePackage).
type packageInfo struct {
	failure                 string
	hasRequest, hasRequests bool
}

// packageInfo analyzes the blob as a deployment package, once.
func (b *blob) packageInfo() packageInfo {
	if b.pkg == nil {
		var info packageInfo
		if rd, err := b.open(); err != nil {
			info.failure = "Cannot read the deployment package: " + err.Error()
		} else {
			info.failure, info.hasRequest, info.hasRequests = analyzePackage(rd, b.size)
			_ = rd.Close()
		}
		b.pkg = &info
	}
	return *b.pkg
}

// envFileInfo is what a build of an environment file finds in it (see readEnvironmentArchive).
type envFileInfo struct {
	deps    []ubiops.EnvironmentBuildDependency
	failure string
}

// environmentFiles reads the blob as an environment archive, once.
func (b *blob) environmentFiles() envFileInfo {
	if b.env == nil {
		var info envFileInfo
		if rd, err := b.open(); err != nil {
			info.failure = "Could not read the environment file: " + err.Error()
		} else {
			info.deps, info.failure = readEnvironmentArchive(rd, b.size)
			_ = rd.Close()
		}
		b.env = &info
	}
	return *b.env
}

// spool is the directory where a server keeps the uploaded files too large for memory. It is made
// at the first such upload and removed by Close.
type spool struct {
	mu     sync.Mutex
	dir    string
	closed bool
}

var errSpoolClosed = errors.New("the server is closed")

func (sp *spool) create() (*os.File, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.closed {
		return nil, errSpoolClosed
	}
	if sp.dir == "" {
		dir, err := os.MkdirTemp("", "ubiopstest-uploads-")
		if err != nil {
			return nil, err
		}
		sp.dir = dir
	}
	return os.CreateTemp(sp.dir, "upload-")
}

func (sp *spool) close() {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.closed = true
	if sp.dir != "" {
		_ = os.RemoveAll(sp.dir)
		sp.dir = ""
	}
}

// spoolError is a failure to store an upload that is the fake's own, not the sender's: it cannot
// write its spool directory, or it is closed.
type spoolError struct{ err error }

func (e *spoolError) Error() string { return e.err.Error() }

// errTooLarge is an uploaded file larger than maxUpload.
var errTooLarge = errors.New("too large")

// spoolFile reads an uploaded file into a blob: in memory when it is at most spoolInMemory bytes,
// else into a new file of the spool directory. Errors are the sender's (a read error, or
// errTooLarge) unless they are a *spoolError.
func (s *Server) spoolFile(r io.Reader) (*blob, error) {
	var head bytes.Buffer
	n, err := head.ReadFrom(io.LimitReader(r, spoolInMemory+1))
	if err != nil {
		return nil, err
	}
	if n <= spoolInMemory {
		return memBlob(head.Bytes()), nil
	}
	f, err := s.spool.create()
	if err != nil {
		return nil, &spoolError{err}
	}
	b := &blob{path: f.Name()}
	fail := func(err error) (*blob, error) {
		_ = f.Close()
		b.discard()
		return nil, err
	}
	if _, err := f.Write(head.Bytes()); err != nil {
		return fail(&spoolError{err})
	}
	head = bytes.Buffer{} // not held while the rest streams
	w := bufio.NewWriterSize(writerOnly{f}, spoolWriteBuffer)
	rest, err := io.Copy(w, io.LimitReader(r, maxUpload+1-n))
	if err == nil {
		err = w.Flush()
	}
	var werr *writeError
	switch {
	case errors.As(err, &werr):
		return fail(&spoolError{werr.err})
	case err != nil:
		return fail(err)
	case n+rest > maxUpload:
		return fail(errTooLarge)
	}
	if err := f.Close(); err != nil {
		return fail(&spoolError{err})
	}
	b.size = n + rest
	// Remove the file once no revision (or answer) refers to the blob any more.
	b.cleanup = runtime.AddCleanup(b, func(path string) { _ = os.Remove(path) }, b.path)
	return b, nil
}

// writerOnly hides *os.File's ReadFrom from io.Copy and bufio.Writer (which would hand it each
// small read of a part) and tells its write errors from read errors.
type writerOnly struct{ f *os.File }

type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

func (w writerOnly) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		return n, &writeError{err}
	}
	return n, nil
}

// upload is a parsed multipart/form-data upload.
type upload struct {
	fields   map[string]string
	file     *blob
	fileName string
	hasFile  bool
}

// uploadSchema is the multipart/form-data schema of an operation's request body, or nil when the
// operation takes no multipart body.
func uploadSchema(op *openapi3.Operation) *openapi3.Schema {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content["multipart/form-data"]
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// operation finds an operation of the spec by its operationId.
func (a *specRouter) operation(id string) *openapi3.Operation {
	if so := a.paths.byID[id]; so != nil {
		return so.route.Operation
	}
	return nil
}

// multipartUpload reads the multipart body of the operation being served. Call it without the
// state lock (from c.unlocked): it streams the body as it arrives. Each form field is checked
// against the operation's multipart schema in the spec: one the schema does not document, or
// whose value the schema refuses, is a 400 naming it. The "file" part is spooled (see spoolFile);
// when a part is given twice, the last one counts.
func (c *call) multipartUpload() (*upload, answer, bool) {
	boundary, schema, a, good := c.uploadFormat()
	if !good {
		return nil, a, false
	}
	up := &upload{fields: map[string]string{}}
	fail := func(a answer) (*upload, answer, bool) {
		up.file.discard()
		return nil, a, false
	}
	mr := multipart.NewReader(c.uploadBody(), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(apiError(http.StatusBadRequest, "request body: malformed multipart: %v", err))
		}
		if a, good := c.readUploadPart(up, schema, part); !good {
			return fail(a)
		}
	}
	return up, answer{}, true
}

// uploadFormat is the boundary of the call's multipart body (400 when it has none) and the
// operation's multipart schema (500 when it has none: a defect of the fake).
func (c *call) uploadFormat() (string, *openapi3.Schema, answer, bool) {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return "", nil, apiError(http.StatusBadRequest, "request body: want multipart/form-data with a boundary"), false
	}
	schema := uploadSchema(c.s.api.operation(c.op))
	if schema == nil {
		return "", nil, apiError(http.StatusInternalServerError, "ubiopstest: %s takes no multipart body", c.op), false
	}
	return params["boundary"], schema, answer{}, true
}

// uploadBody is the call's body behind a read buffer of uploadReadBuffer bytes, or of the whole
// body when it is smaller.
func (c *call) uploadBody() io.Reader {
	size := uploadReadBuffer
	if n := c.r.ContentLength; n >= 0 && n < uploadReadBuffer {
		size = int(n) + 1 // a small body is read whole at once, without the large buffer
	}
	return bufio.NewReaderSize(c.r.Body, size)
}

// readUploadPart reads one part of an upload into up: the file (spooled, replacing an earlier
// file part) or a documented form field (checked against its schema).
func (c *call) readUploadPart(up *upload, schema *openapi3.Schema, part *multipart.Part) (answer, bool) {
	name := part.FormName()
	prop := schema.Properties[name]
	switch {
	case name == "file":
		b, err := c.s.spoolFile(part)
		if err != nil {
			return spoolFailure(err), false
		}
		up.file.discard() // an earlier file part
		up.file, up.fileName, up.hasFile = b, part.FileName(), true
	case prop != nil && prop.Value != nil:
		b, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
		if err != nil {
			return apiError(http.StatusBadRequest, "request body field %s: %v", name, err), false
		}
		if len(b) > maxFormField {
			return apiError(http.StatusBadRequest, "request body field %s: longer than %d bytes", name, maxFormField), false
		}
		if err := prop.Value.VisitJSON(string(b)); err != nil {
			return apiError(http.StatusBadRequest, "request body field %s%s", name, describeSchemaError(err)), false
		}
		up.fields[name] = string(b)
	default:
		return apiError(http.StatusBadRequest, "request body field %s: not a documented field (want file or %s)", name, strings.Join(documentedFields(schema), ", ")), false
	}
	return answer{}, true
}

// spoolFailure answers a file part that spoolFile could not store: the sender's fault (400, 413)
// or the fake's (503 while it closes, else 500).
func spoolFailure(err error) answer {
	var serr *spoolError
	switch {
	case errors.Is(err, errTooLarge):
		return apiError(http.StatusRequestEntityTooLarge, "request body field file: larger than %d bytes", maxUpload)
	case errors.As(err, &serr) && errors.Is(serr.err, errSpoolClosed):
		return apiError(http.StatusServiceUnavailable, "The server is shutting down")
	case errors.As(err, &serr):
		return apiError(http.StatusInternalServerError, "ubiopstest: storing the uploaded file: %v", serr.err)
	}
	return apiError(http.StatusBadRequest, "request body field file: %v", err)
}

// documentedFields are the form fields of a multipart schema other than the file, sorted.
func documentedFields(schema *openapi3.Schema) []string {
	var documented []string
	for name := range schema.Properties {
		if name != "file" {
			documented = append(documented, name)
		}
	}
	sort.Strings(documented)
	return documented
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// download answers a file with its name in Content-Disposition. A blob in the spool directory is
// streamed from its file after the state lock is released (see writeFile).
func download(name string, b *blob) answer {
	h := http.Header{}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	if b.path != "" {
		return answer{status: http.StatusOK, file: b, header: h}
	}
	data := b.data
	if data == nil {
		data = []byte{}
	}
	return answer{status: http.StatusOK, raw: data, header: h}
}

// writeFile sends an answer whose body is a spooled file, streaming it with its Content-Length.
// Under WithStrictResponses the status and headers are validated; the body is the file as stored.
func (s *Server) writeFile(w http.ResponseWriter, in *openapi3filter.RequestValidationInput, ans answer) {
	rd, err := ans.file.open()
	if err != nil {
		msg := s.internalFailure(in.Route.Operation.OperationID, "opening a stored file: "+err.Error(), nil)
		writeJSON(w, http.StatusInternalServerError, nil, map[string]string{"error": msg})
		return
	}
	defer rd.Close()
	if s.opts.strict {
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: ans.status, Header: ans.header,
			Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true, ExcludeResponseBody: true},
		}
		if err := openapi3filter.ValidateResponse(in.Request.Context(), out); err != nil {
			msg := s.internalFailure(in.Route.Operation.OperationID, "the answer violates the spec: "+err.Error(), nil)
			writeJSON(w, http.StatusInternalServerError, nil, map[string]string{"error": msg})
			return
		}
	}
	for k, vs := range ans.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Length", strconv.FormatInt(ans.file.size, 10))
	w.WriteHeader(ans.status)
	_, _ = io.Copy(w, io.NewSectionReader(rd, 0, ans.file.size))
}

// readBody reads a request body that is not an upload (JSON or text), refusing one larger than
// maxJSONBody (413) without reading past the limit, and one that cannot be read (400).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, answer, bool) {
	if r.ContentLength > maxJSONBody {
		return nil, apiError(http.StatusRequestEntityTooLarge, "Request body too large"), false
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxJSONBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, apiError(http.StatusRequestEntityTooLarge, "Request body too large"), false
	case err != nil:
		return nil, apiError(http.StatusBadRequest, "request body: %v", err), false
	}
	return buf.Bytes(), answer{}, true
}

// Bounds on the directory of an uploaded zip archive that builds read: archive/zip holds every
// entry of the directory in memory, so a hostile archive of a few hundred megabytes of tiny entries
// would cost gigabytes. A build of an archive beyond them fails.
const (
	maxArchiveEntries   = 100_000
	maxArchiveDirectory = 16 << 20
)

// checkArchiveDirectory reads the end-of-directory record of a zip archive (zip64 included) and
// reports why its directory is too large to read ("" when it is not, or when the archive has no
// such record, which zip.NewReader then reports).
func checkArchiveDirectory(r io.ReaderAt, size int64) string {
	const eocdLen, locatorLen, maxComment = 22, 20, 1<<16 - 1
	tail := min(size, eocdLen+maxComment)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return ""
	}
	// The record is the last signature followed by a record whose comment fits the archive.
	at := len(buf)
	for {
		at = bytes.LastIndex(buf[:at], []byte("PK\x05\x06"))
		if at < 0 {
			return ""
		}
		if rest := buf[at:]; len(rest) >= eocdLen && eocdLen+int(le16(rest[20:])) <= len(rest) {
			break
		}
	}
	eocd := buf[at:]
	entries, dirSize := uint64(le16(eocd[10:])), uint64(le32(eocd[12:]))
	if entries == 0xffff || dirSize == 0xffffffff || le32(eocd[16:]) == 0xffffffff {
		// zip64: the locator before the record points at the zip64 end-of-directory record.
		loc := make([]byte, locatorLen)
		if pos := size - tail + int64(at) - locatorLen; pos >= 0 {
			if _, err := r.ReadAt(loc, pos); err == nil && string(loc[:4]) == "PK\x06\x07" {
				rec := make([]byte, 56)
				if off := int64(le64(loc[8:])); off >= 0 && off < size {
					if _, err := r.ReadAt(rec, off); err == nil && string(rec[:4]) == "PK\x06\x06" {
						entries, dirSize = le64(rec[32:]), le64(rec[40:])
					}
				}
			}
		}
	}
	switch {
	case entries > maxArchiveEntries:
		return fmt.Sprintf("the archive holds %d files; at most %d are supported", entries, maxArchiveEntries)
	case dirSize > maxArchiveDirectory:
		return fmt.Sprintf("the archive's directory is %d bytes; at most %d are supported", dirSize, maxArchiveDirectory)
	}
	return ""
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 { return uint32(le16(b)) | uint32(le16(b[2:]))<<16 }
func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }
