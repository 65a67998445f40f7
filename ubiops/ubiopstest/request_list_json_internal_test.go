package ubiopstest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRequestListJSONIsTheAPITypes: a page of a request list is written byte for byte as
// encoding/json writes the API's list types, for requests in every status (pending, processing,
// due, completed, failed, cancelled, cancelled_pending; direct and batch), for names that need
// escaping, and for dates in another zone and with nanoseconds; and the lists answer it.
func TestRequestListJSONIsTheAPITypes(t *testing.T) {
	zone := time.FixedZone("CEST", 2*60*60)
	clock := &testClock{now: time.Date(2025, 6, 1, 12, 0, 0, 123456789, zone)}
	const dep = "a\"<b>&c\u2028 modèle \\"
	s := New(WithRequestDuration(20 * time.Second))
	t.Cleanup(s.Close)
	s.opts.clock = clock.Now
	mustDirect(t, s, http.MethodPost, "/v2.1/projects", map[string]any{"name": "p", "organization_name": "o"}, http.StatusCreated)
	mustDirect(t, s, http.MethodPost, "/v2.1/projects/p/deployments", map[string]any{"name": dep, "input_type": "plain", "output_type": "plain"}, http.StatusCreated)
	at := "/v2.1/projects/p/deployments/" + url.PathEscape(dep)
	mustDirect(t, s, http.MethodPost, at+"/versions", map[string]any{"version": "v<1>"}, http.StatusCreated)
	s.HandleDeployment("p", dep, func(_ context.Context, input json.RawMessage) (any, error) {
		if strings.Contains(string(input), "fail") {
			return nil, errors.New("the input asked to fail")
		}
		return strings.Repeat("x", len(input)), nil
	})
	var ids []string
	batch := func(in ...string) {
		var out []struct{ ID string }
		require.NoError(t, json.Unmarshal(mustDirect(t, s, http.MethodPost, at+"/requests/batch", in, http.StatusCreated), &out))
		for _, r := range out {
			ids = append(ids, r.ID)
		}
	}
	mustDirect(t, s, http.MethodPost, at+"/requests", "direct", http.StatusCreated)
	mustDirect(t, s, http.MethodPost, at+"/requests", "direct fail", http.StatusCreated)
	batch("done", "fail", "cancelled while pending")
	direct(t, s, http.MethodPost, at+"/requests/cancel", []string{ids[2]})
	clock.Set(clock.Now().Add(30 * time.Second)) // all due
	mustDirect(t, s, http.MethodGet, at+"/requests?limit=100", nil, http.StatusOK)
	batch("processing", "cancelled while processing")
	clock.Set(clock.Now().Add(10 * time.Second)) // processing
	direct(t, s, http.MethodPost, at+"/requests/cancel", []string{ids[len(ids)-1]})
	batch("pending")
	clock.Set(clock.Now().Add(time.Second))

	s.mu.Lock()
	p := s.state.projects[0]
	c := &call{s: s}
	statuses := map[string]bool{}
	for _, r := range p.requests {
		statuses[c.requestStatus(r)] = true
	}
	for overview, want := range map[bool]any{false: c.requestListItems(p.requests), true: c.requestOverviews(p.requests)} {
		wantJSON, err := json.Marshal(want)
		require.NoError(t, err)
		got, good := c.appendRequestList(nil, p.requests, overview)
		require.True(t, good)
		assert.Equal(t, string(wantJSON), string(got), "overview %v", overview)
	}
	// A date RFC 3339 cannot carry goes through the types, which cannot encode it either.
	far := *p.requests[0]
	far.created = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, good := c.appendRequestList(nil, []*request{p.requests[1], &far}, false)
	assert.False(t, good)
	a := c.requestListAnswer([]*request{&far}, false)
	a.encodeBody()
	assert.Error(t, a.encodeErr)
	s.mu.Unlock()
	assert.Equal(t, map[string]bool{reqPending: true, reqProcessing: true, reqCompleted: true, reqFailed: true, reqCancelled: true, reqCancelledPending: true}, statuses)

	// The lists answer exactly that.
	s.mu.Lock()
	want, err := json.Marshal(c.requestListItems(reversed(p.requests)))
	require.NoError(t, err)
	wantOverview, err := json.Marshal(c.requestOverviews(reversed(p.requests)))
	require.NoError(t, err)
	s.mu.Unlock()
	assert.Equal(t, string(want), string(mustDirect(t, s, http.MethodGet, at+"/requests?limit=100", nil, http.StatusOK)))
	assert.Equal(t, string(wantOverview), string(mustDirect(t, s, http.MethodGet, "/v2.1/projects/p/requests?object_type=deployment&limit=100", nil, http.StatusOK)))
}

func reversed[T any](s []T) []T {
	out := make([]T, len(s))
	for i, x := range s {
		out[len(s)-1-i] = x
	}
	return out
}
