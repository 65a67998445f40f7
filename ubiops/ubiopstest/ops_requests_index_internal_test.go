package ubiopstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testClock is a clock a test sets.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// referencePage is how request lists were answered before the index: every request of the scope
// (in the order they were made), filtered, sorted by creation date (stably, newest first unless
// sort=asc) and paged.
func referencePage(c *call, reqs []*request) []string {
	reqs = append([]*request(nil), reqs...)
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].seq < reqs[j].seq })
	status := c.query.Get("status")
	success, hasSuccess := c.queryBool("success")
	pipeline, hasPipeline := c.queryBool("pipeline")
	schedule := c.query.Get("request_schedule")
	start, hasStart := c.queryTime("start_date")
	end, hasEnd := c.queryTime("end_date")
	search := strings.ToLower(c.query.Get("search_id"))
	out := make([]*request, 0, len(reqs))
	for _, r := range reqs {
		st := c.requestStatus(r)
		switch {
		case status != "" && st != status:
		case hasSuccess && (r.final == "" || (r.final == reqCompleted) != success):
		case hasPipeline && pipeline:
		case schedule != "":
		case hasStart && r.created.Before(start):
		case hasEnd && r.created.After(end):
		case search != "" && !strings.Contains(r.id.String(), search):
		default:
			out = append(out, r)
		}
	}
	if c.query.Get("sort") == "asc" {
		sort.SliceStable(out, func(i, j int) bool { return out[i].created.Before(out[j].created) })
	} else {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].created.After(out[j].created) })
	}
	ids := []string{}
	for _, r := range offsetPage(c, out) {
		ids = append(ids, r.id.String())
	}
	return ids
}

// checkRequestIndex checks the index against the project's requests: the project's list in
// creation order, each version's list its part of it, and the lookup by id.
func checkRequestIndex(t *testing.T, p *project) {
	t.Helper()
	require.True(t, sort.SliceIsSorted(p.requests, func(i, j int) bool {
		a, b := p.requests[i], p.requests[j]
		return a.created.Before(b.created) || (a.created.Equal(b.created) && a.seq < b.seq)
	}), "the project's requests are in creation order")
	require.Len(t, p.requestIDs, len(p.requests))
	for _, r := range p.requests {
		require.Same(t, r, p.requestIDs[r.id])
	}
	for _, d := range p.deployments {
		for _, v := range d.versions {
			var want []*request
			for _, r := range p.requests {
				if r.ver == v {
					want = append(want, r)
				}
			}
			require.Equal(t, len(want), len(v.requests), "requests of %s/%s", d.detail.Name, v.detail.Version)
			for i := range want {
				require.Same(t, want[i], v.requests[i], "requests of %s/%s", d.detail.Name, v.detail.Version)
			}
		}
	}
}

// TestRequestListsMatchTheReference answers random list queries (filters, orders, pages, at every
// level) over requests made at random moments, the clock going back now and then and many made at
// the same moment, with pending, processing, due, cancelled and failed requests, deletes in
// between, and compares every page with referencePage over the state the call left.
func TestRequestListsMatchTheReference(t *testing.T) {
	clock := &testClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	base := clock.Now()
	s := requestsServer(t, []string{"d", "e"}, WithRequestDuration(20*time.Second))
	s.opts.clock = clock.Now
	for _, d := range []string{"d", "e"} {
		s.HandleDeployment("p", d, func(_ context.Context, input json.RawMessage) (any, error) {
			if strings.Contains(string(input), "fail") {
				return nil, errors.New("the input asked to fail")
			}
			return input, nil
		})
	}
	mustDirect(t, s, http.MethodPost, "/v2.1/projects/p/deployments/d/versions", map[string]any{"version": "w"}, http.StatusCreated)
	rng := rand.New(rand.NewPCG(1, 2))

	var ids []string
	create := func() {
		// Mostly forward in time, sometimes back, often at the same moment as the last.
		switch rng.IntN(5) {
		case 0:
		case 1:
			clock.Set(clock.Now().Add(-time.Duration(rng.IntN(30)) * time.Second))
		default:
			clock.Set(clock.Now().Add(time.Duration(rng.IntN(4000)) * time.Millisecond))
		}
		dep, ver := []string{"d", "e"}[rng.IntN(2)], ""
		if dep == "d" && rng.IntN(2) == 0 {
			ver = "/versions/w"
		}
		at := "/v2.1/projects/p/deployments/" + dep + ver + "/requests"
		input := fmt.Sprintf("input %d", len(ids))
		if rng.IntN(5) == 0 {
			input += " fail"
		}
		if rng.IntN(4) == 0 {
			var out struct{ ID string }
			require.NoError(t, json.Unmarshal(mustDirect(t, s, http.MethodPost, at, input, http.StatusCreated), &out))
			ids = append(ids, out.ID)
			return
		}
		in := []string{input}
		for i := rng.IntN(4); i > 0; i-- {
			in = append(in, fmt.Sprintf("%s-%d", input, i))
		}
		var out []struct{ ID string }
		require.NoError(t, json.Unmarshal(mustDirect(t, s, http.MethodPost, at+"/batch", in, http.StatusCreated), &out))
		for _, r := range out {
			ids = append(ids, r.ID)
		}
	}
	for len(ids) < 400 {
		create()
	}
	statuses := []string{"", "", "", "pending", "processing", "completed", "failed", "cancelled", "cancelled_pending"}
	scopes := []string{"/v2.1/projects/p/deployments/d/requests", "/v2.1/projects/p/deployments/d/versions/w/requests",
		"/v2.1/projects/p/deployments/e/requests", "/v2.1/projects/p/requests"}
	moment := func() string {
		return base.Add(time.Duration(rng.IntN(400)-20) * time.Second).Format(time.RFC3339Nano)
	}
	nonEmpty, byStatus := 0, 0 // pages with requests on them, and those of a status filter
	for round := 0; round < 600; round++ {
		switch rng.IntN(12) {
		case 0:
			create()
		case 1: // time passes: requests become due
			clock.Set(clock.Now().Add(time.Duration(rng.IntN(10)) * time.Second))
		case 2, 3: // cancel one (the scope that has it cancels it)
			pick := []string{ids[rng.IntN(len(ids))]}
			for _, at := range scopes[:3] {
				direct(t, s, http.MethodPost, at+"/cancel", pick)
			}
		case 4: // delete one
			id := ids[rng.IntN(len(ids))]
			for _, at := range scopes[:3] {
				direct(t, s, http.MethodDelete, at+"/"+strings.ToUpper(id), nil)
			}
		}
		q := url.Values{}
		at := scopes[rng.IntN(len(scopes))]
		if strings.HasSuffix(at, "/p/requests") {
			q.Set("object_type", "deployment")
		}
		if st := statuses[rng.IntN(len(statuses))]; st != "" {
			q.Set("status", st)
		}
		if rng.IntN(4) == 0 {
			q.Set("success", strconv.FormatBool(rng.IntN(2) == 0))
		}
		if rng.IntN(3) == 0 {
			q.Set("sort", []string{"asc", "desc"}[rng.IntN(2)])
		}
		if rng.IntN(4) == 0 {
			q.Set("start_date", moment())
		}
		if rng.IntN(4) == 0 {
			q.Set("end_date", moment())
		}
		if rng.IntN(6) == 0 {
			q.Set("search_id", fmt.Sprintf("%x", rng.IntN(256)))
		}
		if rng.IntN(20) == 0 {
			q.Set("pipeline", "true")
		}
		if rng.IntN(3) > 0 {
			q.Set("limit", strconv.Itoa(1+rng.IntN(40)))
		}
		if rng.IntN(3) > 0 {
			q.Set("offset", strconv.Itoa(rng.IntN(100)))
		}
		var got []struct{ ID string }
		require.NoError(t, json.Unmarshal(mustDirect(t, s, http.MethodGet, at+"?"+q.Encode(), nil, http.StatusOK), &got))
		gotIDs := []string{}
		for _, r := range got {
			gotIDs = append(gotIDs, r.ID)
		}
		// The reference sees every request of the scope settled, as lists used to leave them:
		// a list of them all settles them all (the clock stands still meanwhile).
		all := url.Values{"limit": {"100000"}}
		if q.Has("object_type") {
			all.Set("object_type", "deployment")
		}
		mustDirect(t, s, http.MethodGet, at+"?"+all.Encode(), nil, http.StatusOK)

		s.mu.Lock()
		p := s.state.projects[0]
		c := &call{s: s, query: q}
		var scope []*request
		switch {
		case strings.HasSuffix(at, "/p/requests"):
			scope = p.requests
		default:
			v := p.findDeployment("d").findVersion("v")
			if strings.Contains(at, "/versions/w/") {
				v = p.findDeployment("d").findVersion("w")
			} else if strings.Contains(at, "/e/") {
				v = p.findDeployment("e").findVersion("v")
			}
			for _, r := range p.requests {
				if r.ver == v {
					scope = append(scope, r)
				}
			}
		}
		want := referencePage(c, scope)
		checkRequestIndex(t, p)
		s.mu.Unlock()
		require.Equal(t, want, gotIDs, "round %d: %s?%s", round, at, q.Encode())
		if len(gotIDs) > 0 {
			nonEmpty++
			if q.Get("status") != "" {
				byStatus++
			}
		}
	}
	t.Logf("%d of 600 pages had requests, %d of them filtered by status", nonEmpty, byStatus)
	assert.Greater(t, nonEmpty, 150)
	assert.Greater(t, byStatus, 30)

	// Deleting a version and a deployment takes their requests out of the index.
	mustDirect(t, s, http.MethodDelete, "/v2.1/projects/p/deployments/d/versions/w", nil, http.StatusNoContent)
	s.mu.Lock()
	checkRequestIndex(t, s.state.projects[0])
	s.mu.Unlock()
	mustDirect(t, s, http.MethodDelete, "/v2.1/projects/p/deployments/e", nil, http.StatusNoContent)
	s.mu.Lock()
	p := s.state.projects[0]
	checkRequestIndex(t, p)
	for _, r := range p.requests {
		assert.Equal(t, "d", r.dep.detail.Name)
		assert.Equal(t, "v", r.ver.detail.Version)
	}
	left := len(p.requests)
	s.mu.Unlock()
	var all []struct{ ID string }
	require.NoError(t, json.Unmarshal(mustDirect(t, s, http.MethodGet, "/v2.1/projects/p/requests?object_type=deployment&limit=1000", nil, http.StatusOK), &all))
	assert.Len(t, all, left)
}
