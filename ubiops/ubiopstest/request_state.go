package ubiopstest

import (
	"encoding/json"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// request is a deployment request (direct or batch). Owned by ops_requests.go.
//
// A request belongs to the deployment and version objects it was made to (dep, ver): its answers
// show their current names, and a request whose deployment or version is gone is dropped when
// next seen. deployment and version are their names, which the deployment and version handlers
// keep up to date on renames and use to delete requests with their deployment or version.
type request struct {
	id         ubiops.UUID
	seq        uint64 // the order it was made in (see addRequest)
	deployment string
	version    string
	dep        *deployment
	ver        *version
	batch      bool
	created    time.Time
	input      json.RawMessage // compact JSON
	timeout    int             // seconds
	notify     string          // notification group ("" for none)
	priority   *int            // the priority query parameter of its create call, if given

	// final is the finished status (completed, failed or cancelled); "" while the request is
	// pending or processing, which a batch request derives from its age (see requestStatus).
	final     string
	started   time.Time // when processing started (set once known)
	completed time.Time // when the request finished
	result    json.RawMessage
	errMsg    string
	// running is set while a call runs the deployment handler for the request without the lock,
	// so that no other call runs it too.
	running bool
	// cancelling is set when a processing request is cancelled: it is cancelled_pending until its
	// processing time is over, then cancelled (its handler never runs, or its result is dropped).
	cancelling bool
}
