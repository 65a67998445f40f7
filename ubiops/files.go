package ubiops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/ubiops/ubiops-go/gen"
)

// RevisionUpload says what a new deployment revision is made of: a package, or a copy of another
// version's or a template's package. Set exactly one of File, SourceDeployment+SourceVersion and
// TemplateDeploymentID.
type RevisionUpload struct {
	// File is the deployment package, a zip archive. It is streamed: nothing is buffered in memory.
	File io.Reader
	// FileName is the name sent with File; default "deployment.zip".
	FileName string
	// SourceDeployment and SourceVersion name a version whose package is copied.
	SourceDeployment string
	SourceVersion    string
	// TemplateDeploymentID names a template deployment whose package is copied.
	TemplateDeploymentID string
}

// EnvironmentRevisionUpload says what a new environment revision is made of: an archive, or a copy
// of another environment's. Set exactly one of File and SourceEnvironment.
type EnvironmentRevisionUpload struct {
	// File is the environment archive (a zip with requirements.txt, ubiops.yaml, ...), streamed.
	File io.Reader
	// FileName is the name sent with File; default "environment.zip".
	FileName string
	// SourceEnvironment names an environment whose files are copied.
	SourceEnvironment string
}

type formField struct{ name, value string }

func (u RevisionUpload) fields() ([]formField, error) {
	set := 0
	if u.File != nil {
		set++
	}
	if u.SourceDeployment != "" || u.SourceVersion != "" {
		set++
		if u.SourceDeployment == "" || u.SourceVersion == "" {
			return nil, &ValidationError{Field: "source_version", Reason: "source_deployment and source_version go together"}
		}
	}
	if u.TemplateDeploymentID != "" {
		set++
		if _, err := ParseUUID(u.TemplateDeploymentID); err != nil {
			return nil, &ValidationError{Field: "template_deployment_id", Reason: "not a UUID"}
		}
	}
	if set != 1 {
		return nil, &ValidationError{Field: "file", Reason: "give exactly one of a file, source_deployment with source_version, or template_deployment_id"}
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
	return f, nil
}

// Upload creates a revision of a version from a package or a copy, which starts a build
// (revisions_file_upload). The request is sent once: it creates a revision, so it is never retried
// after it may have reached the server.
func (s *RevisionsService) Upload(ctx context.Context, project, deployment, version string, up RevisionUpload, opts ...CallOption) (*RevisionCreate, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	fields, err := up.fields()
	if err != nil {
		return nil, err
	}
	name := up.FileName
	if name == "" {
		name = "deployment.zip"
	}
	resp, err := s.c.sendMultipart(ctx, opts, fields, up.File, name,
		func(ctx context.Context, contentType string, body io.Reader, eds ...gen.RequestEditorFn) (*http.Response, error) {
			return s.c.raw.RevisionsFileUploadWithBody(ctx, project, deployment, version, contentType, body, eds...)
		})
	return decodeResponse[*RevisionCreate](resp, err)
}

// Download writes a revision's package to w and returns the number of bytes written
// (revisions_file_download). A body shorter than its Content-Length is an error.
func (s *RevisionsService) Download(ctx context.Context, project, deployment, version, revisionID string, w io.Writer, opts ...CallOption) (int64, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "revision_id", revisionID); err != nil {
		return 0, err
	}
	resp, err := s.c.send(ctx, opts, call4(s.c.raw.RevisionsFileDownload, project, deployment, version, revisionID))
	if err != nil {
		return 0, err
	}
	return copyBody(ctx, resp, w)
}

// Upload creates a revision of an environment from an archive or a copy, which starts a build
// (environment_revisions_file_upload). Like all creates, it is not retried once it may have reached
// the server.
func (s *EnvironmentRevisionsService) Upload(ctx context.Context, project, environment string, up EnvironmentRevisionUpload, opts ...CallOption) (*EnvironmentRevisionCreate, error) {
	if err := checkPath("project_name", project, "environment_name", environment); err != nil {
		return nil, err
	}
	if (up.File == nil) == (up.SourceEnvironment == "") {
		return nil, &ValidationError{Field: "file", Reason: "give exactly one of a file or source_environment"}
	}
	var fields []formField
	if up.SourceEnvironment != "" {
		fields = append(fields, formField{"source_environment", up.SourceEnvironment})
	}
	name := up.FileName
	if name == "" {
		name = "environment.zip"
	}
	resp, err := s.c.sendMultipart(ctx, opts, fields, up.File, name,
		func(ctx context.Context, contentType string, body io.Reader, eds ...gen.RequestEditorFn) (*http.Response, error) {
			return s.c.raw.EnvironmentRevisionsFileUploadWithBody(ctx, project, environment, contentType, body, eds...)
		})
	return decodeResponse[*EnvironmentRevisionCreate](resp, err)
}

// Download writes an environment revision's archive to w and returns the number of bytes written
// (environment_revisions_file_download).
func (s *EnvironmentRevisionsService) Download(ctx context.Context, project, environment, revisionID string, w io.Writer, opts ...CallOption) (int64, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID); err != nil {
		return 0, err
	}
	resp, err := s.c.send(ctx, opts, call3(s.c.raw.EnvironmentRevisionsFileDownload, project, environment, revisionID))
	if err != nil {
		return 0, err
	}
	return copyBody(ctx, resp, w)
}

// errUploadEnded stops the part writer when the request is over before the body was fully read.
var errUploadEnded = errors.New("ubiops: upload request ended")

type multipartCall func(ctx context.Context, contentType string, body io.Reader, eds ...gen.RequestEditorFn) (*http.Response, error)

// sendMultipart streams a multipart/form-data body through a pipe: a goroutine writes the fields
// and the file while the transport reads, so memory use does not depend on the file's size. The
// body has no GetBody, so the retry layer never resends it. The goroutine always ends before
// sendMultipart returns.
func (c *Client) sendMultipart(ctx context.Context, opts []CallOption, fields []formField, file io.Reader, fileName string, call multipartCall) (*http.Response, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan error, 1)
	go func() {
		err := writeParts(mw, fields, file, fileName)
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err) // nil: the reader sees EOF
		done <- err
	}()
	resp, err := c.send(ctx, opts, func(ctx context.Context, eds ...gen.RequestEditorFn) (*http.Response, error) {
		return call(ctx, mw.FormDataContentType(), pr, eds...)
	})
	_ = pr.CloseWithError(errUploadEnded) // unblock the writer if the transport stopped reading
	writeErr := <-done
	if err != nil {
		var rerr *RequestError
		if writeErr != nil && !errors.Is(writeErr, errUploadEnded) && errors.As(err, &rerr) && rerr.Cause == nil {
			rerr.Cause = writeErr // say why the body broke off (e.g. the source failed to read)
		}
		return nil, err
	}
	if resp != nil && writeErr != nil && !errors.Is(writeErr, errUploadEnded) {
		drainAndClose(resp.Body)
		return nil, fmt.Errorf("ubiops: reading upload source: %w", writeErr)
	}
	return resp, nil
}

func writeParts(mw *multipart.Writer, fields []formField, file io.Reader, fileName string) error {
	for _, f := range fields {
		if err := mw.WriteField(f.name, f.value); err != nil {
			return err
		}
	}
	if file == nil {
		return nil
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, sanitizeFormName(fileName)))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(part, file)
	return err
}

// sanitizeFormName keeps a file name from breaking out of its header: no quotes, backslashes,
// control characters or directory parts.
func sanitizeFormName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// copyBody streams a download to w, checking the count against Content-Length and letting a
// context error win over the read error it caused.
func copyBody(ctx context.Context, resp *http.Response, w io.Writer) (int64, error) {
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("got %d of %d bytes: %w", n, resp.ContentLength, io.ErrUnexpectedEOF)
	}
	if err != nil {
		rerr := &RequestError{Method: resp.Request.Method, Path: resp.Request.URL.EscapedPath(), Err: err}
		if ctxErr := ctx.Err(); ctxErr != nil {
			rerr.Err, rerr.Cause = ctxErr, err
		}
		return n, rerr
	}
	return n, nil
}
