package ubiopstest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// maxUpload bounds an uploaded archive the fake keeps in memory.
const maxUpload = 4 << 30

// upload is a parsed multipart/form-data upload.
type upload struct {
	fields   map[string]string
	file     []byte
	fileName string
	hasFile  bool
}

// multipartUpload reads an upload, accepting only the form fields the operation documents
// (allowed) plus "file"; an unknown field or a malformed body is a 400 naming it.
func (c *call) multipartUpload(allowed ...string) (*upload, answer, bool) {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, apiError(http.StatusBadRequest, "request body: want multipart/form-data with a boundary"), false
	}
	up := &upload{fields: map[string]string{}}
	mr := multipart.NewReader(c.r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, apiError(http.StatusBadRequest, "request body: malformed multipart: %v", err), false
		}
		name := part.FormName()
		switch {
		case name == "file":
			var buf bytes.Buffer
			n, err := io.Copy(&buf, io.LimitReader(part, maxUpload+1))
			if err != nil {
				return nil, apiError(http.StatusBadRequest, "request body field file: %v", err), false
			}
			if n > maxUpload {
				return nil, apiError(http.StatusRequestEntityTooLarge, "request body field file: larger than %d bytes", maxUpload), false
			}
			up.file, up.fileName, up.hasFile = buf.Bytes(), part.FileName(), true
		case contains(allowed, name):
			b, err := io.ReadAll(io.LimitReader(part, 4096))
			if err != nil {
				return nil, apiError(http.StatusBadRequest, "request body field %s: %v", name, err), false
			}
			up.fields[name] = string(b)
		default:
			return nil, apiError(http.StatusBadRequest, "request body field %s: not a documented field (want file or %s)", name, strings.Join(allowed, ", ")), false
		}
	}
	return up, answer{}, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// download answers a file with its name in Content-Disposition.
func download(name string, data []byte) answer {
	h := http.Header{}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	if data == nil {
		data = []byte{}
	}
	return answer{status: http.StatusOK, raw: data, header: h}
}
