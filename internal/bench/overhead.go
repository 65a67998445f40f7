package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// overheadServer answers a project (GET /v2.1/projects/p) and a list of 1000 deployment requests
// (GET /v2.1/projects/p/deployments/d/requests) from pre-encoded bytes, so the server's cost is the
// same for both clients.
func overheadServer() (*httptest.Server, error) {
	project, err := json.Marshal(ubiops.ProjectDetail{
		ID: ubiops.UUID{1}, Name: "p", OrganizationName: "o", CreationDate: ubiops.NewTime(time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)),
		Credits: nil, SuspendedReason: nil, CorsOrigins: []string{},
		Labels: &map[string]string{"team": "ml"}, // present, so every field of the answer is decoded
	})
	if err != nil {
		return nil, err
	}
	items := make([]ubiops.DeploymentRequestList, 1000)
	for i := range items {
		items[i] = ubiops.DeploymentRequestList{
			ID: ubiops.UUID{byte(i), byte(i >> 8), 7}, Deployment: ubiops.Ptr("d"), Version: ubiops.Ptr("v1"),
			Status:        ubiops.DeploymentRequestListStatusCompleted,
			Success:       ubiops.Ptr(true),
			TimeCreated:   ubiops.NewTime(time.Date(2024, 5, 1, 8, 0, i%60, 0, time.UTC)),
			TimeStarted:   ubiops.Ptr(ubiops.NewTime(time.Date(2024, 5, 1, 8, 1, 0, 0, time.UTC))),
			TimeCompleted: ubiops.Ptr(ubiops.NewTime(time.Date(2024, 5, 1, 8, 2, 0, 0, time.UTC))),
			InputSize:     ubiops.Ptr(10), OutputSize: ubiops.Ptr(12),
		}
	}
	list, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/requests") {
			_, _ = w.Write(list)
			return
		}
		_, _ = w.Write(project)
	})), nil
}

// rawGenGet is the old baseline: hand-written net/http plumbing, but decoding into the library's own
// generated types. Against it the ratio shows the client's plumbing alone (the types' cost is on
// both sides), so its lines are labelled -gentypes.
func rawGenGet[T any](c *http.Client, url string) (T, error) {
	var v T
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return v, err
	}
	req.Header.Set("Authorization", "Token bench")
	resp, err := c.Do(req)
	if err != nil {
		return v, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return v, fmt.Errorf("status %d", resp.StatusCode)
	}
	err = json.NewDecoder(resp.Body).Decode(&v)
	return v, err
}

type measured struct {
	nsPerOp     float64
	allocsPerOp int64
}

// compare benchmarks the functions interleaved, compareRounds rounds of each in turn, and keeps
// each one's best time and fewest allocations.
// compareRounds is how many rounds compare runs: a GET takes about 70 µs on loopback, and a
// single round's figure moves by up to 8% on a busy machine.
const compareRounds = 8

func compare(fns ...func() error) (best []measured, err error) {
	run := func(fn func() error) testing.BenchmarkResult {
		return testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if e := fn(); e != nil && err == nil {
					err = e
				}
			}
		})
	}
	best = make([]measured, len(fns))
	for i := 0; i < compareRounds; i++ {
		for j, fn := range fns {
			res := run(fn)
			ns, allocs := float64(res.NsPerOp()), res.AllocsPerOp()
			if i == 0 || ns < best[j].nsPerOp {
				best[j].nsPerOp = ns
			}
			if i == 0 || allocs < best[j].allocsPerOp {
				best[j].allocsPerOp = allocs
			}
		}
	}
	return best, err
}

// sameAsServed checks that each decoded value, encoded again, is the answer the server sent, field
// for field, so no side of a comparison gets cheaper by skipping or mangling fields.
func sameAsServed(served []byte, decoded ...any) error {
	var want any
	if err := json.Unmarshal(served, &want); err != nil {
		return err
	}
	for i, d := range decoded {
		b, err := json.Marshal(d)
		if err != nil {
			return err
		}
		var got any
		if err := json.Unmarshal(b, &got); err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			return fmt.Errorf("decoded value %d (%T) differs from the served answer:\n got %.300s\nwant %.300s", i, d, b, served)
		}
	}
	return nil
}

func fetchBytes(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// checkOverheadSides decodes each answer once with every client and checks they decoded the same,
// complete answer.
func checkOverheadSides(ctx context.Context, c *ubiops.Client, raw *rawClient, gen *http.Client, base string) error {
	servedProject, err := fetchBytes(gen, base+"/v2.1/projects/p")
	if err != nil {
		return err
	}
	servedList, err := fetchBytes(gen, base+"/v2.1/projects/p/deployments/d/requests")
	if err != nil {
		return err
	}
	op, err := c.Projects.Get(ctx, "p")
	if err != nil {
		return err
	}
	rp, err := raw.project(ctx, "p")
	if err != nil {
		return err
	}
	gp, err := rawGenGet[ubiops.ProjectDetail](gen, base+"/v2.1/projects/p")
	if err != nil {
		return err
	}
	if rp.ID != op.ID.String() || rp.Name != op.Name || rp.Labels["team"] != (*op.Labels)["team"] || rp.Credits != nil {
		return fmt.Errorf("raw project %+v differs from ubiops's %+v", *rp, *op)
	}
	if err := sameAsServed(servedProject, op, rp, gp); err != nil {
		return err
	}
	ol, err := c.Requests.List(ctx, "p", "d", nil)
	if err != nil {
		return err
	}
	rl, err := raw.requests(ctx, "p", "d")
	if err != nil {
		return err
	}
	gl, err := rawGenGet[[]ubiops.DeploymentRequestList](gen, base+"/v2.1/projects/p/deployments/d/requests")
	if err != nil {
		return err
	}
	if len(rl) != 1000 || len(ol) != 1000 || rl[999].ID != ol[999].ID.String() || *rl[999].OutputSize != 12 {
		return fmt.Errorf("raw list (%d items) differs from ubiops's (%d items)", len(rl), len(ol))
	}
	return sameAsServed(servedList, ol, rl, gl)
}

func benchOverhead() (string, error) {
	srv, err := overheadServer()
	if err != nil {
		return "", err
	}
	defer srv.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("bench"))
	if err != nil {
		return "", err
	}
	newHTTP := func() *http.Client {
		return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	raw := &rawClient{hc: newHTTP(), base: srv.URL + "/v2.1", token: "bench"}
	gen := newHTTP()
	ctx := context.Background()
	if err := checkOverheadSides(ctx, c, raw, gen, srv.URL); err != nil {
		return "", err
	}

	get, err := compare(
		func() error { _, err := c.Projects.Get(ctx, "p"); return err },
		func() error { _, err := raw.project(ctx, "p"); return err },
		func() error { _, err := rawGenGet[ubiops.ProjectDetail](gen, srv.URL+"/v2.1/projects/p"); return err },
	)
	if err != nil {
		return "", err
	}
	list, err := compare(
		func() error { _, err := c.Requests.List(ctx, "p", "d", nil); return err },
		func() error { _, err := raw.requests(ctx, "p", "d"); return err },
		func() error {
			_, err := rawGenGet[[]ubiops.DeploymentRequestList](gen, srv.URL+"/v2.1/projects/p/deployments/d/requests")
			return err
		},
	)
	if err != nil {
		return "", err
	}
	o, r, g := get[0], get[1], get[2]
	lo, lr, lg := list[0], list[1], list[2]
	return fmt.Sprintf("overhead-get: ubiops/raw %.2f (%.0f vs %.0f ns/call, %d vs %d allocs/call)\n"+
		"overhead-list1000: ubiops/raw %.2f in time, %.2f in allocations (%.0f vs %.0f µs/call, %d vs %d allocs/call)\n"+
		"overhead-get-gentypes: ubiops/raw-into-generated-types %.2f (%.0f vs %.0f ns/call, %d vs %d allocs/call)\n"+
		"overhead-list1000-gentypes: ubiops/raw-into-generated-types %.2f in time, %.2f in allocations (%.0f vs %.0f µs/call, %d vs %d allocs/call)",
		o.nsPerOp/r.nsPerOp, o.nsPerOp, r.nsPerOp, o.allocsPerOp, r.allocsPerOp,
		lo.nsPerOp/lr.nsPerOp, float64(lo.allocsPerOp)/float64(lr.allocsPerOp), lo.nsPerOp/1000, lr.nsPerOp/1000, lo.allocsPerOp, lr.allocsPerOp,
		o.nsPerOp/g.nsPerOp, o.nsPerOp, g.nsPerOp, o.allocsPerOp, g.allocsPerOp,
		lo.nsPerOp/lg.nsPerOp, float64(lo.allocsPerOp)/float64(lg.allocsPerOp), lo.nsPerOp/1000, lg.nsPerOp/1000, lo.allocsPerOp, lg.allocsPerOp), nil
}
