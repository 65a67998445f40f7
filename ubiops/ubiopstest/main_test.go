package ubiopstest

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them, idle keep-alive connections
// included: a test closes its clients' idle connections (Client.CloseIdleConnections), or the
// server they are connected to, before it ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
