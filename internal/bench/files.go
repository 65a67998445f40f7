package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

const fileSize = 1 << 30 // 1 GiB

// pattern is a 64 KiB block repeated to form the test file, so no file is ever held in memory.
var pattern = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}()

// genFile is a generated file of a given size, readable at any offset.
type genFile struct{ size int64 }

func (g genFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= g.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < g.size {
		k := copy(p[n:], pattern[off%int64(len(pattern)):])
		if rest := g.size - off; int64(k) > rest {
			k = int(rest)
		}
		n += k
		off += int64(k)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// fileServer accepts uploads (streamed and discarded) and serves downloads of genFile.
func fileServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/revisions"):
			// Read and discard the body exactly as for the raw baseline, so the comparison measures
			// the clients (multipart parsing is server work the baseline would not pay for).
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"success":true,"revision":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e","build":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5f"}`)
		case r.Method == http.MethodPost: // the raw baseline
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusOK)
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", `attachment; filename="package.zip"`)
			w.Header().Set("Content-Length", strconv.Itoa(fileSize))
			_, _ = io.Copy(w, io.NewSectionReader(genFile{fileSize}, 0, fileSize))
		}
	}))
}

// resetPeakRSS restarts the kernel's peak-RSS (VmHWM) count for this process.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

// interleaved runs raw and ours alternately, rounds times each, and returns the best (least
// disturbed) time of each: both see the same machine noise.
func interleaved(rounds int, raw, ours func() error) (tRaw, tOurs time.Duration, err error) {
	for i := 0; i < rounds; i++ {
		for _, run := range []struct {
			fn  func() error
			out *time.Duration
		}{{raw, &tRaw}, {ours, &tOurs}} {
			start := time.Now()
			if err := run.fn(); err != nil {
				return 0, 0, err
			}
			if d := time.Since(start); i == 0 || d < *run.out {
				*run.out = d
			}
		}
	}
	return tRaw, tOurs, nil
}

func fileClient(url string) (*ubiops.Client, error) {
	return ubiops.NewClient(ubiops.WithBaseURL(url), ubiops.WithToken("bench"))
}

func benchUpload() (string, error) {
	srv := fileServer()
	defer srv.Close()
	c, err := fileClient(srv.URL)
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	ours := func() error {
		_, err := c.Revisions.Upload(ctx, "p", "d", "v", ubiops.RevisionUpload{
			File: io.NewSectionReader(genFile{fileSize}, 0, fileSize), FileName: "package.zip"})
		return err
	}
	raw := func() error {
		// A plain POST of the same bytes, with Content-Length like ours (http.Post alone would send
		// an io.SectionReader chunked).
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/raw", io.NewSectionReader(genFile{fileSize}, 0, fileSize))
		if err != nil {
			return err
		}
		req.ContentLength = fileSize
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	return measure("upload", ours, raw)
}

func benchDownload() (string, error) {
	srv := fileServer()
	defer srv.Close()
	c, err := fileClient(srv.URL)
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	ours := func() error {
		n, err := c.Revisions.Download(ctx, "p", "d", "v", "7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e", io.Discard)
		if err == nil && n != fileSize {
			err = fmt.Errorf("downloaded %d bytes", n)
		}
		return err
	}
	raw := func() error {
		resp, err := http.Get(srv.URL + "/raw")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return measure("download", ours, raw)
}

// measure reports our peak RSS over one run and the throughput ratio raw/ours, best of five
// interleaved runs each.
func measure(name string, ours, raw func() error) (string, error) {
	debug.FreeOSMemory()
	runtime.GC()
	resetPeakRSS()
	if err := ours(); err != nil {
		return "", err
	}
	rss := peakRSSMiB()
	tRaw, tOurs, err := interleaved(5, raw, ours)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: %d MiB, peak RSS %.0f MiB, throughput ratio vs raw io.Copy %.2f (ours %.0f MiB/s, raw %.0f MiB/s)",
		name, fileSize>>20, rss, tRaw.Seconds()/tOurs.Seconds(),
		float64(fileSize>>20)/tOurs.Seconds(), float64(fileSize>>20)/tRaw.Seconds()), nil
}
