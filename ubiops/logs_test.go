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

func texts[L ubiops.Logs | ubiops.LogList](ls []L) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		switch v := any(l).(type) {
		case ubiops.Logs:
			out[i] = v.Log
		case ubiops.LogList:
			out[i] = v.Log
		}
	}
	return out
}

// endpoints runs f against both log endpoints: logs_list (the default) and the deprecated
// projects_log_list, each with the same filter on deployment name and system.
func endpoints(t *testing.T, f func(t *testing.T, op string, q func(dep string, system *bool) ubiops.LogQuery)) {
	for _, deprecated := range []bool{false, true} {
		op := "logs_list"
		if deprecated {
			op = "projects_log_list"
		}
		t.Run(op, func(t *testing.T) {
			f(t, op, func(dep string, system *bool) ubiops.LogQuery {
				q := ubiops.LogQuery{Deprecated: deprecated}
				q.Filter = ubiops.LogFilter{DeploymentName: dep, System: system}
				if dep != "" {
					q.Filters.DeploymentName = ubiops.Ptr(dep)
				}
				q.Filters.System = system
				return q
			})
		})
	}
}

func TestLogReaderForwardAcrossDaysAndPages(t *testing.T) {
	endpoints(t, func(t *testing.T, op string, query func(string, *bool) ubiops.LogQuery) {
		srv, c := setupVersion(t)
		srv.ResetCounts()
		start := time.Now().Add(-72 * time.Hour).Truncate(time.Second)
		seeded := seedLogs(t, srv, 2500, start, 100*time.Second) // about 2.3 days
		ctx := context.Background()

		q := query("", ubiops.Ptr(true)) // seeded lines only, not the fake's own
		q.Start, q.End, q.PageSize = start, time.Now(), 100
		got, err := ubiops.Collect(c.Logs.Read(ctx, "p", q))
		require.NoError(t, err)
		assert.Equal(t, texts(seeded), texts(got), "every line exactly once, in order")
		assert.Greater(t, srv.Count(op), 25, "it took many pages")

		// Backward: newest first, the same lines.
		q = query("", ubiops.Ptr(true))
		q.Start, q.End, q.Backward, q.PageSize = time.Now(), start, true, 77
		back, err := ubiops.Collect(c.Logs.Read(ctx, "p", q))
		require.NoError(t, err)
		require.Len(t, back, len(seeded))
		for i := range back {
			assert.Equal(t, seeded[len(seeded)-1-i].Log, back[i].Log)
		}
	})
}

// TestLogReaderIdenticalLines: identical lines at one moment, split by a page boundary, all come
// through once each (logs_list lines have no id to tell them apart).
func TestLogReaderIdenticalLines(t *testing.T) {
	endpoints(t, func(t *testing.T, op string, query func(string, *bool) ubiops.LogQuery) {
		srv, c := setupVersion(t)
		at := time.Now().Add(-time.Hour).Truncate(time.Second)
		var lines []ubiops.Logs
		for i := range 12 {
			text := fmt.Sprintf("line %d", i)
			when := at.Add(time.Duration(i) * time.Second)
			if i >= 3 && i < 7 {
				text, when = "same", at.Add(3*time.Second) // four identical lines at one moment
			}
			lines = append(lines, ubiops.Logs{Log: text, Date: ubiops.NewTime(when), DeploymentName: ubiops.Ptr("a"), System: ubiops.Ptr(true)})
		}
		require.NoError(t, srv.SeedLogs("p", lines...))
		for _, page := range []int{5, 6, 7, 100} { // at least the four identical lines: a page must get past them
			q := query("a", ubiops.Ptr(true))
			q.Start, q.End, q.PageSize = at, time.Now(), page
			got, err := ubiops.Collect(c.Logs.Read(context.Background(), "p", q))
			require.NoError(t, err, "page size %d", page)
			assert.Equal(t, texts(lines), texts(got), "page size %d", page)
		}
	})
}

func TestLogReaderStartIDAndFilters(t *testing.T) {
	endpoints(t, func(t *testing.T, op string, query func(string, *bool) ubiops.LogQuery) {
		srv, c := setupVersion(t)
		start := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
		seedLogs(t, srv, 300, start, 10*time.Second)
		ctx := context.Background()

		q := query("a", nil)
		q.Start, q.PageSize = start, 40
		all, err := ubiops.Collect(c.Logs.Read(ctx, "p", q))
		require.NoError(t, err)
		assert.Len(t, all, 150)
		for _, l := range all {
			require.NotNil(t, l.Metadata)
			assert.Equal(t, "a", *l.Metadata.DeploymentName)
		}

		_, err = ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Deprecated: q.Deprecated, Start: time.Now(), End: start}))
		var ve *ubiops.ValidationError
		assert.ErrorAs(t, err, &ve, "a forward read whose end precedes its start is refused")
	})
}

// TestLogReaderStartID: on the deprecated endpoint a read can begin at a line's id (inclusive);
// logs_list lines have no id, so it is refused there.
func TestLogReaderStartID(t *testing.T) {
	srv, c := setupVersion(t)
	start := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	seedLogs(t, srv, 300, start, 10*time.Second)
	ctx := context.Background()
	filters := ubiops.LogsCreateFilters{DeploymentName: ubiops.Ptr("a")}
	all, err := c.Logs.ListDeprecated(ctx, "p", ubiops.LogsCreate{Filters: &filters, Date: ptrTime(start), DateRange: ubiops.Ptr(86400), Limit: ubiops.Ptr(5000)})
	require.NoError(t, err)
	require.Len(t, all, 150)
	rest, err := ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Deprecated: true, Filters: filters, StartID: all[100].ID, PageSize: 20}))
	require.NoError(t, err)
	assert.Equal(t, texts(all[100:]), texts(rest))

	_, err = ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{StartID: all[100].ID}))
	var ve *ubiops.ValidationError
	assert.ErrorAs(t, err, &ve)
}

func ptrTime(t time.Time) *ubiops.Time { v := ubiops.NewTime(t); return &v }

func TestLogFollow(t *testing.T) {
	endpoints(t, func(t *testing.T, op string, query func(string, *bool) ubiops.LogQuery) {
		srv, c := setupVersion(t)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()

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
		q := query("follow", nil)
		q.Start, q.PollInterval = time.Now().Add(-time.Second), 20*time.Millisecond
		for l, err := range c.Logs.Follow(ctx, "p", q) {
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
		q = query("follow", nil)
		q.PollInterval = 10 * time.Millisecond
		for _, err := range c.Logs.Follow(short, "p", q) {
			require.NoError(t, err)
			n++
		}
		assert.Zero(t, n, "no new lines after now")
	})
}
