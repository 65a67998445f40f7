package ubiops_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// seedLogs adds n lines to project p, one every step starting at start, alternating between
// deployments a and b; every fifth line shares its timestamp with the one before, so pages and
// windows end inside groups of simultaneous lines.
func seedLogs(t *testing.T, srv *ubiopstest.Server, n int, start time.Time, step time.Duration) []ubiops.Logs {
	t.Helper()
	lines := make([]ubiops.Logs, n)
	at := start
	for i := range lines {
		if i%5 != 4 {
			at = at.Add(step)
		}
		dep := "a"
		if i%2 == 1 {
			dep = "b"
		}
		lines[i] = ubiops.Logs{Log: fmt.Sprintf("line %d", i), Date: ubiops.NewTime(at), DeploymentName: ubiops.Ptr(dep)}
	}
	require.NoError(t, srv.SeedLogs("p", lines...))
	return lines
}

func texts(ls []ubiops.Logs) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Log
	}
	return out
}

func TestLogReaderForwardAcrossDaysAndPages(t *testing.T) {
	srv, c := setupVersion(t)
	srv.ResetCounts()
	start := time.Now().Add(-72 * time.Hour).Truncate(time.Second)
	seeded := seedLogs(t, srv, 2500, start, 100*time.Second) // about 2.3 days
	ctx := context.Background()
	filters := ubiops.LogsCreateFilters{System: ubiops.Ptr(true)} // seeded lines only, not the fake's own

	got, err := ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Filters: filters, Start: start, End: time.Now(), PageSize: 100}))
	require.NoError(t, err)
	assert.Equal(t, texts(seeded), texts(got), "every line exactly once, in order")
	assert.Greater(t, srv.Count("projects_log_list"), 25, "it took many pages and windows")

	// Backward: newest first, the same lines.
	back, err := ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Filters: filters, Start: time.Now(), End: start, Backward: true, PageSize: 77}))
	require.NoError(t, err)
	require.Len(t, back, len(seeded))
	for i := range back {
		assert.Equal(t, seeded[len(seeded)-1-i].Log, back[i].Log)
	}
}

func TestLogReaderStartIDAndFilters(t *testing.T) {
	srv, c := setupVersion(t)
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	seedLogs(t, srv, 300, start, 10*time.Second)
	ctx := context.Background()

	all, err := ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Filters: ubiops.LogsCreateFilters{DeploymentName: ubiops.Ptr("a")}, Start: start, PageSize: 40}))
	require.NoError(t, err)
	assert.Len(t, all, 150)
	for _, l := range all {
		assert.Equal(t, "a", *l.DeploymentName)
	}

	// From a line's id: that line is included, and nothing before it.
	from := all[100]
	rest, err := ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Filters: ubiops.LogsCreateFilters{DeploymentName: ubiops.Ptr("a")}, StartID: from.ID, PageSize: 20}))
	require.NoError(t, err)
	assert.Equal(t, texts(all[100:]), texts(rest))

	_, err = ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Start: time.Now(), End: start}))
	var ve *ubiops.ValidationError
	assert.ErrorAs(t, err, &ve, "a forward read whose end precedes its start is refused")
}

func TestLogFollow(t *testing.T) {
	srv, c := setupVersion(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	filters := ubiops.LogsCreateFilters{DeploymentName: ubiops.Ptr("follow")}

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 5; i++ {
			time.Sleep(30 * time.Millisecond)
			batch := make([]ubiops.Logs, 4)
			for j := range batch {
				batch[j] = ubiops.Logs{Log: fmt.Sprintf("live %d", i*4+j), DeploymentName: ubiops.Ptr("follow")}
			}
			_ = srv.SeedLogs("p", batch...)
		}
	}()
	var got []string
	for l, err := range c.Logs.Follow(ctx, "p", ubiops.LogQuery{Filters: filters, Start: time.Now().Add(-time.Second), PollInterval: 20 * time.Millisecond}) {
		require.NoError(t, err)
		got = append(got, l.Log)
		if len(got) == 20 {
			break
		}
	}
	wg.Wait()
	want := make([]string, 20)
	for i := range want {
		want[i] = fmt.Sprintf("live %d", i)
	}
	assert.Equal(t, want, got, "each new line once, in order")

	// Follow ends quietly when its context ends.
	short, stop := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer stop()
	n := 0
	for _, err := range c.Logs.Follow(short, "p", ubiops.LogQuery{Filters: filters, PollInterval: 10 * time.Millisecond}) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n, "no new lines after now")
}
