package main

import (
	"testing"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// TestQuickstart runs the README's first command end to end against the in-process fake, so CI
// proves it keeps working.
func TestQuickstart(t *testing.T) {
	t.Setenv(ubiops.EnvToken, "") // never the real API from a test
	r := &report{start: time.Now()}
	if err := run(r, "", time.Minute); err != nil {
		t.Fatalf("quickstart failed after %d steps: %v", r.steps, err)
	}
	if r.steps < 10 {
		t.Fatalf("quickstart ran %d steps, want the whole flow", r.steps)
	}
}
