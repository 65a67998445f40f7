package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// benchBatch creates 10,000 requests through BatchCreateAll against the fake with 20 ms latency per
// call and compares the wall time (best of three runs) with the ideal: ceil(calls / concurrency) ×
// latency, which counts only the latency and none of the work on either side.
func benchBatch() (string, error) {
	const (
		inputs      = 10_000
		latency     = 20 * time.Millisecond
		concurrency = 4
	)
	srv, c, err := plainVersion()
	if err != nil {
		return "", err
	}
	defer srv.Close()
	ctx := context.Background()
	in := make([]any, inputs)
	for i := range in {
		in[i] = fmt.Sprintf("input %d", i)
	}
	// Warm up the fake's and the client's code paths with one small batch.
	if _, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", in[:10]); err != nil {
		return "", err
	}
	srv.SetLatency("batch_deployment_requests_create", latency)

	// Best of three runs: the least disturbed one on a noisy machine. Each creates 10,000 requests.
	var wall time.Duration
	for run := 0; run < 3; run++ {
		srv.ResetCounts()
		start := time.Now()
		results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", in, ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: concurrency}))
		d := time.Since(start)
		if err != nil {
			return "", err
		}
		if len(results) != inputs {
			return "", fmt.Errorf("%d results for %d inputs", len(results), inputs)
		}
		if run == 0 || d < wall {
			wall = d
		}
	}
	calls := srv.Received("batch_deployment_requests_create")
	ideal := time.Duration((calls+concurrency-1)/concurrency) * latency
	return fmt.Sprintf("batch: %d inputs, %d calls, wall %d ms, ideal %d ms, ratio %.2f",
		inputs, calls, wall.Milliseconds(), ideal.Milliseconds(), wall.Seconds()/ideal.Seconds()), nil
}

// plainVersion starts a fake whose batch requests stay pending, with project p, plain deployment
// d and version v.
func plainVersion() (*ubiopstest.Server, *ubiops.Client, error) {
	srv := ubiopstest.New(ubiopstest.WithRequestDuration(time.Hour))
	srv.Start()
	c := srv.Client()
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
	if err == nil {
		_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d",
			InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	}
	if err == nil {
		_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v"})
	}
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return srv, c, nil
}
