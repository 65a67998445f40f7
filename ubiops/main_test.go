package ubiops

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them (iterators, uploads, retries,
// and idle keep-alive connections: a test closes its clients' idle connections, as the helpers do
// with t.Cleanup(client.CloseIdleConnections), or the server they are connected to, before it ends).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
