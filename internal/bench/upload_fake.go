package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// upload-fake: the same generated deployment package uploaded to the fake (in a child process, so
// its CPU time is its own) by ubiops-go and by a plain hand-written multipart POST (mime/multipart
// and net/http only), the two alternating. It compares their throughput and the CPU the fake spends
// per MiB on each: the fake's multipart parsing, spooling and zip validation are the same code for
// both, so a difference comes from the shape of the body the client sends. Two ways of sending:
//   - from a file, with its Content-Length, as `curl -F file=@package.zip` sends it (the first
//     figures: ubiops-go given the Path);
//   - streamed as it is generated, of unknown size, so with chunked transfer coding (ubiops-go
//     given the reading end of a pipe as File; the plain POST a multipart.Writer on a pipe).

const (
	uploadFakeSize   = 256 << 20
	uploadFakeRounds = 10 // of each of the four uploads: single uploads vary by a factor of two on a busy machine
	// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100 on the Linux
	// architectures Go supports (it is part of the kernel's ABI, whatever CONFIG_HZ is).
	clockTicks = 100
)

// procCPU is the CPU time (user and system, all threads) a live process has used so far.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces: fields count from after it.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// plainMultipartFile POSTs path as the "file" field of a multipart/form-data body with its
// Content-Length, as curl -F does.
func plainMultipartFile(hc *http.Client, url, token, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if _, err := mw.CreateFormFile("file", filepath.Base(path)); err != nil {
		return err
	}
	headLen := head.Len()
	if err := mw.Close(); err != nil {
		return err
	}
	tail := append([]byte(nil), head.Bytes()[headLen:]...)
	head.Truncate(headLen)
	req, err := http.NewRequest(http.MethodPost, url, io.MultiReader(&head, f, bytes.NewReader(tail)))
	if err != nil {
		return err
	}
	req.ContentLength = int64(headLen) + fi.Size() + int64(len(tail))
	return plainSend(hc, req, token, mw.FormDataContentType())
}

// plainMultipartStream POSTs what write writes as the "file" field of a multipart/form-data body
// written into a pipe as it is sent: no Content-Length, so chunked.
func plainMultipartStream(hc *http.Client, url, token string, write func(io.Writer) error) error {
	pr, pw := io.Pipe()
	defer pr.Close() // stops the writer if the request ends early
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", "package.zip")
		if err == nil {
			err = write(part)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, url, pr)
	if err != nil {
		return err
	}
	return plainSend(hc, req, token, mw.FormDataContentType())
}

func plainSend(hc *http.Client, req *http.Request, token, contentType string) error {
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Token "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("plain upload: %s: %s", resp.Status, msg)
	}
	return nil
}

func benchUploadFake() (string, error) {
	dir, err := os.MkdirTemp("", "ubiops-bench-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	pkg := filepath.Join(dir, "package.zip")
	f, err := os.Create(pkg)
	if err != nil {
		return "", err
	}
	err = generatedPackage(f, uploadFakeSize)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(pkg)
	if err != nil {
		return "", err
	}
	mib := float64(fi.Size()) / (1 << 20) // the streamed package is the same bytes

	child, err := startFakeChild()
	if err != nil {
		return "", err
	}
	defer child.stop()
	c, err := ubiops.NewClient(ubiops.WithBaseURL("http://"+child.addr), ubiops.WithToken(child.token))
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	if _, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"}); err != nil {
		return "", err
	}
	if _, err := c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d"}); err != nil {
		return "", err
	}
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	url := func(version string) string {
		return c.BaseURL() + "/projects/p/deployments/d/versions/" + version + "/revisions"
	}
	generate := func(w io.Writer) error { return generatedPackage(w, uploadFakeSize) }

	// Each round runs the four uploads below in turn; each goes to a version of its own, deleted
	// afterwards, so that the fake's spool does not keep every package. Only the upload itself is
	// timed and its CPU counted; the best (least disturbed) round of each counts.
	uploads := []struct {
		send      func(version string) error
		wall, cpu time.Duration
	}{
		{send: func(version string) error { // plain, from the file
			return plainMultipartFile(hc, url(version), child.token, pkg)
		}},
		{send: func(version string) error { // ubiops, from the file
			_, err := c.Revisions.Upload(ctx, "p", "d", version, ubiops.RevisionUpload{Path: pkg})
			return err
		}},
		{send: func(version string) error { // plain, streamed
			return plainMultipartStream(hc, url(version), child.token, generate)
		}},
		{send: func(version string) error { // ubiops, streamed
			pr, pw := io.Pipe()
			defer pr.Close()
			go func() { pw.CloseWithError(generate(pw)) }()
			_, err := c.Revisions.Upload(ctx, "p", "d", version, ubiops.RevisionUpload{File: pr, FileName: "package.zip"})
			return err
		}},
	}
	n := 0
	for round := 0; round < uploadFakeRounds; round++ {
		for k := range uploads {
			// The order rotates every round, so that no upload always follows the same one (and
			// the deletion of its 256 MiB spool file).
			up := &uploads[(k+round)%len(uploads)]
			n++
			version := "v" + strconv.Itoa(n)
			if _, err := c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: version}); err != nil {
				return "", err
			}
			cpu0, err := procCPU(child.pid())
			if err != nil {
				return "", err
			}
			t0 := time.Now()
			if err := up.send(version); err != nil {
				return "", err
			}
			wall := time.Since(t0)
			cpu1, err := procCPU(child.pid())
			if err != nil {
				return "", err
			}
			if round == 0 || wall < up.wall {
				up.wall = wall
			}
			if round == 0 || cpu1-cpu0 < up.cpu {
				up.cpu = cpu1 - cpu0
			}
			// The fake must have taken the package: its build (instant here) succeeds.
			revs, err := c.Revisions.List(ctx, "p", "d", version)
			if err != nil {
				return "", err
			}
			if len(revs) != 1 {
				return "", fmt.Errorf("version %s has %d revisions", version, len(revs))
			}
			if st := ubiops.Value(revs[0].Status); st != ubiops.RevisionListStatusSuccess {
				return "", fmt.Errorf("the package uploaded to version %s did not build: %s", version, st)
			}
			if err := c.Versions.Delete(ctx, "p", "d", version); err != nil {
				return "", err
			}
		}
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 / mib }
	rate := func(d time.Duration) float64 { return mib / d.Seconds() }
	fp, fo, sp, so := uploads[0], uploads[1], uploads[2], uploads[3]
	return fmt.Sprintf("upload-fake: %.0f MiB, ubiops/plain-multipart %.2f in throughput (%.0f vs %.0f MiB/s), fake CPU per MiB %.2f ms (ubiops) vs %.2f ms (plain); "+
		"streamed (chunked) %.2f (%.0f vs %.0f MiB/s), %.2f ms vs %.2f ms",
		mib, fp.wall.Seconds()/fo.wall.Seconds(), rate(fo.wall), rate(fp.wall), ms(fo.cpu), ms(fp.cpu),
		sp.wall.Seconds()/so.wall.Seconds(), rate(so.wall), rate(sp.wall), ms(so.cpu), ms(sp.cpu)), nil
}
