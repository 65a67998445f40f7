package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
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
		Credits: ubiops.Null[float64](), SuspendedReason: ubiops.Null[string](), CorsOrigins: []string{},
	})
	if err != nil {
		return nil, err
	}
	items := make([]ubiops.DeploymentRequestList, 1000)
	for i := range items {
		items[i] = ubiops.DeploymentRequestList{
			ID: ubiops.UUID{byte(i), byte(i >> 8), 7}, Deployment: ubiops.NullableValue("d"), Version: ubiops.NullableValue("v1"),
			Status:        ubiops.DeploymentRequestListStatusCompleted,
			Success:       ubiops.NullableValue(true),
			TimeCreated:   ubiops.NewTime(time.Date(2024, 5, 1, 8, 0, i%60, 0, time.UTC)),
			TimeStarted:   ubiops.NullableValue(ubiops.NewTime(time.Date(2024, 5, 1, 8, 1, 0, 0, time.UTC))),
			TimeCompleted: ubiops.NullableValue(ubiops.NewTime(time.Date(2024, 5, 1, 8, 2, 0, 0, time.UTC))),
			InputSize:     ubiops.NullableValue(10), OutputSize: ubiops.NullableValue(12),
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

// rawGet is the minimal hand-written client: build the request, set the token, decode the JSON.
func rawGet[T any](c *http.Client, url string) (T, error) {
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

// compare benchmarks ours and raw interleaved, five times each, and keeps each one's best.
func compare(ours, raw func() error) (o, r measured, err error) {
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
	for i := 0; i < 5; i++ {
		for _, side := range []struct {
			fn  func() error
			out *measured
		}{{raw, &r}, {ours, &o}} {
			res := run(side.fn)
			ns := float64(res.NsPerOp())
			if i == 0 || ns < side.out.nsPerOp {
				*side.out = measured{nsPerOp: ns, allocsPerOp: res.AllocsPerOp()}
			}
		}
	}
	return o, r, err
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
	raw := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	ctx := context.Background()

	oGet, rGet, err := compare(
		func() error { _, err := c.Projects.Get(ctx, "p"); return err },
		func() error { _, err := rawGet[ubiops.ProjectDetail](raw, srv.URL+"/v2.1/projects/p"); return err },
	)
	if err != nil {
		return "", err
	}
	oList, rList, err := compare(
		func() error { _, err := c.Requests.List(ctx, "p", "d", nil); return err },
		func() error {
			_, err := rawGet[[]ubiops.DeploymentRequestList](raw, srv.URL+"/v2.1/projects/p/deployments/d/requests")
			return err
		},
	)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("overhead-get: ubiops/raw %.2f (%.0f vs %.0f ns/call, %d vs %d allocs/call)\n"+
		"overhead-list1000: ubiops/raw %.2f (%.0f vs %.0f µs/call, %d vs %d allocs/call)",
		oGet.nsPerOp/rGet.nsPerOp, oGet.nsPerOp, rGet.nsPerOp, oGet.allocsPerOp, rGet.allocsPerOp,
		oList.nsPerOp/rList.nsPerOp, oList.nsPerOp/1000, rList.nsPerOp/1000, oList.allocsPerOp, rList.allocsPerOp), nil
}
