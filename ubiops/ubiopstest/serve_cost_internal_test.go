package ubiopstest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What serving one request costs the fake, and that it does not grow with what the fake holds.
// The benchmarks are for profiling (go test -run X -bench Serve -cpuprofile ...); make bench's
// fake-get and fake-list take the figures over HTTP, beside the client's.

// getPath serves GET path with the server's token in-process and fails unless it answers 200.
func getPath(t testing.TB, h http.Handler, token, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Token "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
}

func benchServe(b *testing.B, s *Server, path string) {
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		getPath(b, h, s.Token(), path)
	}
}

func BenchmarkServeProjectGet(b *testing.B) {
	s := requestsServer(b, []string{"d"})
	benchServe(b, s, "/v2.1/projects/p")
}

func BenchmarkServeDeploymentGet(b *testing.B) {
	s := requestsServer(b, []string{"d"})
	benchServe(b, s, "/v2.1/projects/p/deployments/d")
}

func BenchmarkServeVersionGet(b *testing.B) {
	s := requestsServer(b, []string{"d"})
	benchServe(b, s, "/v2.1/projects/p/deployments/d/versions/v")
}

func BenchmarkServeRequestPage(b *testing.B) {
	s := requestsServer(b, []string{"d"}, WithRequestDuration(time.Hour))
	batchRequests(b, s, "d", 20000)
	benchServe(b, s, "/v2.1/projects/p/deployments/d/requests?limit=50&offset=19950")
}

// BenchmarkHTTPProjectGet is BenchmarkServeProjectGet over a loopback connection: with
// -cpuprofile, focus on net/http.(*conn).serve for the fake's side.
func BenchmarkHTTPProjectGet(b *testing.B) {
	s := requestsServer(b, []string{"d"})
	s.Start()
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer hc.CloseIdleConnections()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/v2.1/projects/p", nil)
		req.Header.Set("Authorization", "Token "+s.Token())
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// objectsServer is a server with n projects, n deployments in the last project and n versions of
// its last deployment; the last of each is named "last".
func objectsServer(t testing.TB, n int) *Server {
	t.Helper()
	s := New(WithBuildDuration(0))
	t.Cleanup(s.Close)
	name := func(i int) string {
		if i == n-1 {
			return "last"
		}
		return "o" + strconv.Itoa(i)
	}
	for i := range n {
		mustDirect(t, s, http.MethodPost, "/v2.1/projects", map[string]any{"name": name(i), "organization_name": "o"}, http.StatusCreated)
	}
	for i := range n {
		mustDirect(t, s, http.MethodPost, "/v2.1/projects/last/deployments", map[string]any{"name": name(i), "input_type": "plain", "output_type": "plain"}, http.StatusCreated)
	}
	for i := range n {
		mustDirect(t, s, http.MethodPost, "/v2.1/projects/last/deployments/last/versions", map[string]any{"version": name(i)}, http.StatusCreated)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	require.NoError(t, s.state.checkIndexes())
	return s
}

// TestGetCostIsIndependentOfTheObjectCount: a GET of a project, a deployment or a version costs the
// same allocations, and about the same time, with 10,000 projects, deployments and versions stored
// as with 10: objects are found by name in an index, not by a scan (which would not allocate, but
// takes tens of microseconds over 10,000 names, several times a GET).
func TestGetCostIsIndependentOfTheObjectCount(t *testing.T) {
	small, large := 10, 10_000
	if raceEnabled || testing.Short() {
		large = 1000 // the times are not compared then, only the allocations
	}
	sSmall, sLarge := objectsServer(t, small), objectsServer(t, large)
	// cost is the allocations of one GET and its time, the least of several runs taken in turn
	// with the other server's, so that both see the same load of the machine.
	cost := func(path string) (allocs [2]float64, least [2]time.Duration) {
		for i, s := range []*Server{sSmall, sLarge} {
			h := s.Handler()
			allocs[i] = testing.AllocsPerRun(20, func() { getPath(t, h, s.Token(), path) })
		}
		const calls = 50
		for run := 0; run < 15; run++ {
			for i, s := range []*Server{sSmall, sLarge} {
				h := s.Handler()
				start := time.Now()
				for range calls {
					getPath(t, h, s.Token(), path)
				}
				if d := time.Since(start) / calls; run == 0 || d < least[i] {
					least[i] = d
				}
			}
		}
		return allocs, least
	}
	for _, path := range []string{"/v2.1/projects/last", "/v2.1/projects/last/deployments/last", "/v2.1/projects/last/deployments/last/versions/last"} {
		allocs, least := cost(path)
		t.Logf("GET %s: %d of each: %.0f allocs, %v; %d of each: %.0f allocs, %v", path, small, allocs[0], least[0], large, allocs[1], least[1])
		assert.LessOrEqual(t, allocs[1], allocs[0]+2, "GET %s: the allocations grow with the objects stored", path)
		if !raceEnabled && !testing.Short() { // the race detector's timings are too noisy to compare
			assert.LessOrEqual(t, least[1], least[0]+least[0]/2+3*time.Microsecond, "GET %s: the time grows with the objects stored", path)
		}
	}
}
