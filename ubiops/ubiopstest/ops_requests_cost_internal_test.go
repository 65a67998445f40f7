package ubiopstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// direct calls the server's handler in-process and returns the status and body.
func direct(t testing.TB, s *Server, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Authorization", "Token "+s.Token())
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func mustDirect(t testing.TB, s *Server, method, path string, body any, want int) []byte {
	t.Helper()
	status, b := direct(t, s, method, path, body)
	require.Equal(t, want, status, "%s %s: %s", method, path, b)
	return b
}

// requestsServer is a server with a project p and plain deployments, each with a version v.
func requestsServer(t testing.TB, deployments []string, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	t.Cleanup(s.Close)
	mustDirect(t, s, http.MethodPost, "/v2.1/projects", map[string]any{"name": "p", "organization_name": "o"}, http.StatusCreated)
	for _, d := range deployments {
		mustDirect(t, s, http.MethodPost, "/v2.1/projects/p/deployments", map[string]any{"name": d, "input_type": "plain", "output_type": "plain"}, http.StatusCreated)
		mustDirect(t, s, http.MethodPost, "/v2.1/projects/p/deployments/"+d+"/versions", map[string]any{"version": "v"}, http.StatusCreated)
	}
	return s
}

// batchRequests creates n batch requests of a deployment, 250 per call.
func batchRequests(t testing.TB, s *Server, deployment string, n int) []string {
	t.Helper()
	var ids []string
	for n > 0 {
		k := min(n, 250)
		in := make([]string, k)
		for i := range in {
			in[i] = "input " + strconv.Itoa(len(ids)+i)
		}
		var out []struct{ ID string }
		require.NoError(t, json.Unmarshal(mustDirect(t, s, http.MethodPost, "/v2.1/projects/p/deployments/"+deployment+"/requests/batch", in, http.StatusCreated), &out))
		for _, r := range out {
			ids = append(ids, r.ID)
		}
		n -= k
	}
	return ids
}

// TestRequestListPageCostIsIndependentOfTheRequestCount: a page of a request list costs about the
// same for a deployment with 20,000 requests as for one with 1,000, in allocated bytes and in time,
// the first page and the last, without filters and with a filter most requests match.
func TestRequestListPageCostIsIndependentOfTheRequestCount(t *testing.T) {
	const small, large = 1000, 20000
	s := requestsServer(t, []string{"small", "large"}, WithRequestDuration(time.Hour))
	batchRequests(t, s, "small", small)
	batchRequests(t, s, "large", large)

	// cost is the bytes allocated and the time of one call, the least of several runs.
	cost := func(path string) (bytesPerCall uint64, perCall time.Duration) {
		var ids []json.RawMessage
		require.NoError(t, json.Unmarshal(mustDirect(t, s, http.MethodGet, path, nil, http.StatusOK), &ids))
		require.Len(t, ids, 50, path)
		const calls = 10
		for run := 0; run < 5; run++ {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			for i := 0; i < calls; i++ {
				mustDirect(t, s, http.MethodGet, path, nil, http.StatusOK)
			}
			d := time.Since(start) / calls
			runtime.ReadMemStats(&after)
			b := (after.TotalAlloc - before.TotalAlloc) / calls
			if run == 0 || b < bytesPerCall {
				bytesPerCall = b
			}
			if run == 0 || d < perCall {
				perCall = d
			}
		}
		return bytesPerCall, perCall
	}
	for _, q := range []struct {
		query       string
		deepOffsets bool
	}{
		{"limit=50&offset=%d", true},
		{"limit=50&offset=%d&sort=asc", true},
		{"limit=50&offset=%d&status=pending", false},
	} {
		offsets := []int{0}
		if q.deepOffsets {
			offsets = append(offsets, -50) // the last page
		}
		for _, off := range offsets {
			path := func(d string, n int) string {
				o := off
				if o < 0 {
					o += n
				}
				return "/v2.1/projects/p/deployments/" + d + "/requests?" + fmt.Sprintf(q.query, o)
			}
			bSmall, tSmall := cost(path("small", small))
			bLarge, tLarge := cost(path("large", large))
			t.Logf("%s: %d requests: %d B, %v per page; %d requests: %d B, %v per page", path("large", large), small, bSmall, tSmall, large, bLarge, tLarge)
			assert.LessOrEqual(t, bLarge, bSmall+bSmall/2+16<<10, "%s: bytes allocated per page grow with the requests", path("large", large))
			if !raceEnabled { // the race detector's timings are too noisy to compare
				assert.LessOrEqual(t, tLarge, 4*tSmall+time.Millisecond, "%s: the time per page grows with the requests", path("large", large))
			}
		}
	}
}
