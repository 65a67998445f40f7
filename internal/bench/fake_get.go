package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// What the fake costs the test suites that use it, beside what the client costs them: the fake
// serves from a child process (serveFakeChild), so its CPU (from /proc) is apart from this
// process's, which runs only the raw client (rawclient.go) while a figure is taken.

// fakeChild is the fake served by a child process of the bench binary.
type fakeChild struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string // host:port
	token string
}

// startFakeChild starts the bench binary as the fake (see serveFakeChild) and reads its address.
func startFakeChild() (*fakeChild, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), fakeChildEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	f := &fakeChild{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		f.stop()
		return nil, fmt.Errorf("fake child: %w", err)
	}
	f.addr, f.token, _ = strings.Cut(strings.TrimSpace(line), " ")
	return f, nil
}

// stop closes the child's stdin, which ends it, and waits for it (killing it after 10 s).
func (f *fakeChild) stop() {
	_ = f.stdin.Close()
	done := make(chan struct{})
	go func() { _ = f.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = f.cmd.Process.Kill()
		<-done
	}
}

func (f *fakeChild) pid() int { return f.cmd.Process.Pid }

// client is a ubiops.Client for the child, for setting it up.
func (f *fakeChild) client() (*ubiops.Client, error) {
	return ubiops.NewClient(ubiops.WithBaseURL("http://"+f.addr), ubiops.WithToken(f.token))
}

// raw is a raw client (rawclient.go) of the child with a connection pool of its own.
func (f *fakeChild) raw() *rawClient {
	return &rawClient{
		hc:   &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		base: "http://" + f.addr + "/v2.1", token: f.token,
	}
}

// cpu is the CPU time the child's threads have used so far, in nanoseconds, by thread: the first
// field of /proc/<pid>/task/<tid>/schedstat (time on a CPU). /proc/<pid>/stat counts in clock
// ticks of 10 ms, too coarse for runs of a few hundred milliseconds.
func (f *fakeChild) cpu() (map[string]time.Duration, error) {
	dir := fmt.Sprintf("/proc/%d/task", f.pid())
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	byTask := make(map[string]time.Duration, len(tasks))
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread has just ended
		}
		first, _, _ := strings.Cut(string(b), " ")
		ns, err := strconv.ParseInt(first, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s/%s/schedstat: %w", dir, t.Name(), err)
		}
		byTask[t.Name()] = time.Duration(ns)
	}
	return byTask, nil
}

// cpuSince is the CPU time the child's threads used since before (a reading of cpu): the growth of
// each thread's time, and all of a thread's that started since. (Go's runtime keeps its threads,
// so none that ran in between is missed.)
func (f *fakeChild) cpuSince(before map[string]time.Duration) (time.Duration, error) {
	now, err := f.cpu()
	if err != nil {
		return 0, err
	}
	var d time.Duration
	for tid, t := range now {
		d += t - before[tid]
	}
	return d, nil
}

// cpuSplit is what a call costs the client (this process) and the fake (the child) in CPU.
type cpuSplit struct {
	client, fake time.Duration // per call, in the least disturbed run
	ratio        float64       // fake / client, the median over the runs
}

// split runs fn (after 50 warm-up calls) until this process has used at least 200 ms of CPU, nine
// times. It gives the CPU per call of this process (the client) and of the child (the fake) in the
// least disturbed run, the one with the least CPU per call on both sides together, and the median
// of the nine runs' ratios. Both sides are measured over the same calls, so the machine's load
// weighs on both (a busy machine makes both sides spin and wait more, the server somewhat more).
func (f *fakeChild) split(fn func() error) (cpuSplit, error) {
	var best cpuSplit
	for i := 0; i < 50; i++ {
		if err := fn(); err != nil {
			return best, err
		}
	}
	var ratios []float64
	for run := 0; run < 9; run++ {
		fakeBefore, err := f.cpu()
		if err != nil {
			return best, err
		}
		start := cpuTime()
		n := 0
		for cpuTime()-start < 200*time.Millisecond || n < 20 {
			if err := fn(); err != nil {
				return best, err
			}
			n++
		}
		c := (cpuTime() - start) / time.Duration(n)
		fakeUsed, err := f.cpuSince(fakeBefore)
		if err != nil {
			return best, err
		}
		s := fakeUsed / time.Duration(n)
		if run == 0 || c+s < best.client+best.fake {
			best.client, best.fake = c, s
		}
		ratios = append(ratios, s.Seconds()/c.Seconds())
	}
	slices.Sort(ratios)
	best.ratio = ratios[len(ratios)/2]
	return best, nil
}

// String is the split as the bench lines print it.
func (c cpuSplit) String() string {
	return fmt.Sprintf("fake %.1f µs, raw client %.1f µs (ratio %.2f)", c.fake.Seconds()*1e6, c.client.Seconds()*1e6, c.ratio)
}

// benchFakeGet measures what one GET of a project, and of a deployment, costs the fake (routing,
// authentication, request validation, the handler, encoding and its HTTP server), beside what the
// same GET costs the raw client (building the request, its HTTP transport, decoding the answer).
// Target: the fake's CPU per GET is at most the raw client's.
func benchFakeGet() (string, error) {
	f, err := startFakeChild()
	if err != nil {
		return "", err
	}
	defer f.stop()
	c, err := f.client()
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	_, err = c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o", Labels: &map[string]string{"team": "ml"}})
	if err == nil {
		_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d", Description: ubiops.Ptr("the bench's deployment"),
			InputType:  ubiops.Ptr(ubiops.DeploymentCreateInputTypeStructured),
			OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypeStructured),
			InputFields: &[]ubiops.DeploymentInputField{
				{Name: "x", DataType: ubiops.DeploymentInputFieldDataTypeDouble},
				{Name: "text", DataType: ubiops.DeploymentInputFieldDataTypeString},
			},
			OutputFields: &[]ubiops.DeploymentOutputField{{Name: "y", DataType: ubiops.DeploymentOutputFieldDataTypeDouble}},
			Labels:       &map[string]string{"team": "ml"},
		})
	}
	if err == nil {
		_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v"})
	}
	if err != nil {
		return "", err
	}
	raw := f.raw()
	defer raw.hc.CloseIdleConnections()
	// The raw client decodes the whole answer: every field, encoded again, is the one served.
	for _, path := range []string{"/projects/p", "/projects/p/deployments/d"} {
		served, err := f.fetch(raw, path)
		if err != nil {
			return "", err
		}
		var decoded any = &rawProject{}
		if strings.Contains(path, "/deployments/") {
			decoded = &rawDeployment{}
		}
		if err := raw.get(ctx, path, decoded); err != nil {
			return "", err
		}
		if err := sameAsServed(served, decoded); err != nil {
			return "", fmt.Errorf("GET %s: %w", path, err)
		}
	}
	project, err := f.split(func() error {
		p, err := raw.project(ctx, "p")
		if err == nil && p.Name != "p" {
			err = fmt.Errorf("the raw client decoded the project %q", p.Name)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	deployment, err := f.split(func() error {
		d, err := raw.deployment(ctx, "p", "d")
		if err == nil && (d.Name != "d" || len(d.InputFields) != 2) {
			err = fmt.Errorf("the raw client decoded the deployment %q with %d input fields", d.Name, len(d.InputFields))
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("fake-get: CPU per GET of a project: %v; of a deployment: %v; target ratio <= 1", project, deployment), nil
}

// fetch is the body of a GET of path (under /v2.1) as the child serves it.
func (f *fakeChild) fetch(raw *rawClient, path string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, raw.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Token "+f.token)
	resp, err := raw.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d: %s", path, resp.StatusCode, b)
	}
	return b, err
}

// fakeListOverHTTP serves the fake from a child process with a deployment of n batch requests and
// returns the CPU per page of limit requests, at offset 0 and at the last page, of the fake and of
// the raw client that fetches and decodes it.
func fakeListOverHTTP(n, limit int) (pages [2]cpuSplit, err error) {
	f, err := startFakeChild()
	if err != nil {
		return pages, err
	}
	defer f.stop()
	c, err := f.client()
	if err != nil {
		return pages, err
	}
	ctx := context.Background()
	_, err = c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
	if err == nil {
		_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d",
			InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	}
	if err == nil {
		_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v"})
	}
	if err != nil {
		return pages, err
	}
	in := make([]any, n)
	for i := range in {
		in[i] = "input " + strconv.Itoa(i)
	}
	if _, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", in); err != nil {
		return pages, err
	}
	raw := f.raw()
	defer raw.hc.CloseIdleConnections()
	for i, offset := range []int{0, n - limit} {
		page := func() error {
			rs, err := raw.requestPage(ctx, "p", "d", limit, offset)
			if err == nil && (len(rs) != limit || rs[0].ID == "" || rs[0].TimeCreated.IsZero()) {
				err = fmt.Errorf("offset %d: the raw client decoded %d requests, want %d", offset, len(rs), limit)
			}
			return err
		}
		if pages[i], err = f.split(page); err != nil {
			return pages, err
		}
	}
	return pages, nil
}
