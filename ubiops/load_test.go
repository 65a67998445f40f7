package ubiops_test

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// TestLoadSharedClient: one Client shared by 64 goroutines makes 20,000 calls to the fake with no
// error, and reuses connections: the number of TCP connections opened stays bounded by the
// concurrency, not the number of calls.
func TestLoadSharedClient(t *testing.T) {
	const (
		workers = 64
		calls   = 20_000
	)
	srv := ubiopstest.NewServer(t)
	var dials atomic.Int64
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = workers
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dialer.DialContext(ctx, network, addr)
	}
	c := srv.Client(ubiops.WithHTTPClient(&http.Client{Transport: tr}))
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "load", OrganizationName: "o"})
	require.NoError(t, err)

	var wg sync.WaitGroup
	var errs atomic.Int64
	var next atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= calls {
				if _, err := c.Projects.Get(ctx, "load"); err != nil {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	tr.CloseIdleConnections()
	assert.Zero(t, errs.Load(), "no call failed")
	assert.Equal(t, calls, srv.Count("projects_get"))
	assert.LessOrEqual(t, dials.Load(), int64(2*workers), "connections are reused (%d opened for %d calls)", dials.Load(), calls)
	t.Logf("%d calls from %d goroutines over %d TCP connections", calls, workers, dials.Load())
}
