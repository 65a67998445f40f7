package ubiopstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Deployment requests.
//
// A direct request runs the deployment's handler (Server.HandleDeployment; by default it echoes the
// input) while the call waits, without the state lock, and answers completed or failed. A batch
// request is pending for the first quarter of WithRequestDuration and processing for the rest; the
// first read that finds it due runs its handler, so its result is ready when its status says so.
//
// The deployment-level operations (deployment_requests_*) address the requests of the deployment's
// default version, as documented; the version-level ones those of the version in the path.
//
// A direct request's input is the JSON body, or for a plain deployment also a text/plain body (as
// the official clients send a string input), stored as that string. The priority query parameter
// of the create operations is stored with each request; the fake's queue does not order by it.

// Request statuses.
const (
	reqPending          = "pending"
	reqProcessing       = "processing"
	reqCompleted        = "completed"
	reqFailed           = "failed"
	reqCancelled        = "cancelled"
	reqCancelledPending = "cancelled_pending"
)

const (
	defaultDirectTimeout = 300   // seconds, documented default of direct requests
	defaultBatchTimeout  = 14400 // seconds, documented default of batch requests
	maxRequestIDs        = 250   // documented maximum of ids or inputs per batch call
)

// requestScope is the version an operation addresses and its requests (oldest first).
type requestScope struct {
	p    *project
	d    *deployment
	v    *version // nil when a deployment-level operation finds no default version
	reqs []*request
}

// requestScope looks up the project, deployment and version (the path's, or the deployment's
// default version) and the requests made to that version (its index: do not modify).
func (c *call) requestScope(versioned bool) (requestScope, answer, bool) {
	sc, a, good := c.scopeTarget(versioned)
	if good && sc.v != nil {
		sc.reqs = sc.v.requests
	}
	return sc, a, good
}

// request finds a request made to the scope's version by its id.
func (sc requestScope) request(id ubiops.UUID) *request {
	if r := sc.p.requestIDs[id]; r != nil && sc.v != nil && r.ver == sc.v {
		return r
	}
	return nil
}

// scopeTarget resolves the project, deployment and version a request operation addresses.
func (c *call) scopeTarget(versioned bool) (requestScope, answer, bool) {
	var sc requestScope
	if versioned {
		p, d, v, a, good := c.version()
		if !good {
			return sc, a, false
		}
		sc.p, sc.d, sc.v = p, d, v
	} else {
		p, d, a, good := c.deployment()
		if !good {
			return sc, a, false
		}
		sc.p, sc.d = p, d
		if name := valueOf(d.detail.DefaultVersion); d.detail.DefaultVersion != nil {
			sc.v = d.findVersion(name)
		}
	}
	return sc, answer{}, true
}

// The request index. A project keeps its requests in p.requests and each version the requests
// made to it in v.requests, both in creation order: by creation date, and requests created at the
// same moment in the order they were made (seq). The project also finds them by id (p.requestIDs).
// Creating a request appends it (or, should the clock have gone back, inserts it in its place);
// deleting requests removes them from the index (a copy of the lists: O(n)); deleting a deployment
// or version removes its requests (removeRequestsIf). Lists are then slices of the index: see
// requestPage for what a page costs.

// requestSeq numbers requests in the order they are made.
var requestSeq atomic.Uint64

// addRequest puts a new request into its project's and its version's index.
func (p *project) addRequest(r *request) {
	r.seq = requestSeq.Add(1)
	if p.requestIDs == nil {
		p.requestIDs = map[ubiops.UUID]*request{}
	}
	p.requestIDs[r.id] = r
	p.requests = insertRequest(p.requests, r)
	r.ver.requests = insertRequest(r.ver.requests, r)
}

// insertRequest adds r to a list in creation order: at its end, unless the clock went back.
func insertRequest(list []*request, r *request) []*request {
	if n := len(list); n == 0 || !r.created.Before(list[n-1].created) {
		return append(list, r)
	}
	i := sort.Search(len(list), func(j int) bool { return list[j].created.After(r.created) })
	return slices.Insert(list, i, r)
}

// indexOf finds r in a list in creation order by binary search; -1 if it is not there.
func indexOf(list []*request, r *request) int {
	i := sort.Search(len(list), func(j int) bool {
		x := list[j]
		return !x.created.Before(r.created) && (x.created.After(r.created) || x.seq >= r.seq)
	})
	if i < len(list) && list[i] == r {
		return i
	}
	return -1
}

// removeRequest deletes one request from its project's and version's index.
func (p *project) removeRequest(r *request) {
	if i := indexOf(p.requests, r); i >= 0 {
		p.requests = slices.Delete(p.requests, i, i+1)
	}
	if i := indexOf(r.ver.requests, r); i >= 0 {
		r.ver.requests = slices.Delete(r.ver.requests, i, i+1)
	}
	delete(p.requestIDs, r.id)
}

// removeRequestsIf deletes the requests gone reports from the project's index and their versions'.
func (p *project) removeRequestsIf(gone func(*request) bool) {
	versions := map[*version]bool{}
	p.requests = slices.DeleteFunc(p.requests, func(r *request) bool {
		if !gone(r) {
			return false
		}
		delete(p.requestIDs, r.id)
		versions[r.ver] = true
		return true
	})
	for v := range versions {
		v.requests = slices.DeleteFunc(v.requests, gone)
	}
}

// parseRequestID reads a request id as a path gives it: the canonical form, in any case.
func parseRequestID(s string) (ubiops.UUID, bool) {
	if len(s) != 36 {
		return ubiops.UUID{}, false
	}
	id, err := uuid.Parse(s)
	return id, err == nil
}

// settledScope is requestScope after settling the requests pick chooses (all of them when pick is
// nil): settling may run deployment handlers without the lock, so the scope is looked up again
// afterwards.
func (c *call) settledScope(versioned bool, pick func(requestScope) []*request) (requestScope, answer, bool) {
	for i := 0; ; i++ {
		sc, a, good := c.requestScope(versioned)
		if !good || i == 3 {
			return sc, a, good
		}
		reqs := sc.reqs
		if pick != nil {
			reqs = pick(sc)
		}
		if !c.settle(sc.p, reqs) {
			return sc, a, good
		}
	}
}

// requestStatus derives a request's status now.
func (c *call) requestStatus(r *request) string { return c.requestStatusAt(r, c.now()) }

// requestStatusAt derives a request's status at a moment.
func (c *call) requestStatusAt(r *request, now time.Time) string {
	if r.final != "" {
		return r.final
	}
	if !r.batch {
		return reqProcessing
	}
	if r.cancelling {
		return reqCancelledPending
	}
	if queued, _ := phase(r.created, now, c.s.opts.requestDuration); queued {
		return reqPending
	}
	return reqProcessing // processing, or due and waiting for a read to run its handler
}

// settle finishes the batch requests among reqs whose processing time is over: a cancelled one
// becomes cancelled, the others run their deployment handler (without the lock, each request by one
// call only). It reports whether it released the lock, in which case callers look up again.
func (c *call) settle(p *project, reqs []*request) bool {
	now := c.now()
	d := c.s.opts.requestDuration
	type job struct {
		r       *request
		h       DeploymentHandler
		input   json.RawMessage
		timeout int
		result  json.RawMessage
		errMsg  string
	}
	var jobs []*job
	for _, r := range reqs {
		if !r.batch || r.final != "" || r.running {
			continue
		}
		if _, running := phase(r.created, now, d); running {
			continue
		}
		if r.cancelling {
			r.started = r.created.Add(d / 4)
			c.finishRequest(p, r, reqCancelled, nil, "", r.created.Add(d))
			continue
		}
		r.running = true
		jobs = append(jobs, &job{r: r, h: c.st().handlers[p.detail.Name+"/"+r.dep.detail.Name], input: r.input, timeout: r.timeout})
	}
	if len(jobs) == 0 {
		return false
	}
	c.unlocked(func() {
		for _, j := range jobs {
			j.result, j.errMsg = runDeployment(c.s.closeCtx, j.h, j.input, j.timeout)
		}
	})
	for _, j := range jobs {
		r := j.r
		r.running = false
		r.started = r.created.Add(d / 4)
		switch {
		case r.cancelling:
			c.finishRequest(p, r, reqCancelled, nil, "", c.now())
		case j.errMsg != "":
			c.finishRequest(p, r, reqFailed, nil, j.errMsg, c.now())
		default:
			c.finishRequest(p, r, reqCompleted, j.result, "", c.now())
		}
	}
	return true
}

// finishRequest records a request's final status and writes its log line. A request that ran
// (completed or failed) ran in an instance: its line names the version's running instance and the
// process, when the version's instances have been seen (the fake's instances are synthetic and
// appear when first read).
func (c *call) finishRequest(p *project, r *request, status string, result json.RawMessage, errMsg string, at time.Time) {
	r.final, r.result, r.errMsg, r.completed = status, result, errMsg, at
	text, level := "", ubiops.LogsLevelInfo
	switch status {
	case reqCompleted:
		text = "Request completed: " + abbreviate(string(result), 200)
	case reqFailed:
		text, level = "Request failed: "+errMsg, ubiops.LogsLevelError
	default:
		c.requestLog(p, r, at, "Request cancelled", level, nil)
		return
	}
	c.requestLog(p, r, at, text, level, func(l *ubiops.Logs) {
		for _, in := range r.ver.instances {
			if in.detail.Status == ubiops.InstanceDetailStatusRunning {
				l.InstanceID = ubiops.Ptr(in.detail.ID.String())
				l.ProcessID = ubiops.Ptr(0)
				return
			}
		}
	})
}

// requestLog writes a log line about a request; more, if not nil, adds to it.
func (c *call) requestLog(p *project, r *request, at time.Time, text string, level ubiops.LogsLevel, more func(*ubiops.Logs)) {
	c.st().logLine(p, at, text, func(l *ubiops.Logs) {
		l.DeploymentName = ubiops.Ptr(r.dep.detail.Name)
		l.DeploymentVersion = ubiops.Ptr(r.ver.detail.Version)
		l.DeploymentRequestID = ubiops.Ptr(r.id)
		l.Level = ubiops.Ptr(level)
		if more != nil {
			more(l)
		}
	})
}

// abbreviate cuts s to about n bytes, at a character boundary.
func abbreviate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// runDeployment runs a deployment's handler (nil echoes the input) with a context that ends after
// timeout seconds or when parent ends. It returns the JSON result, or the error message of a
// failed request: the handler's error, a panic, a timeout or a result that does not encode.
func runDeployment(parent context.Context, h DeploymentHandler, input json.RawMessage, timeout int) (result json.RawMessage, errMsg string) {
	ctx, cancel := context.WithTimeout(parent, time.Duration(timeout)*time.Second)
	defer cancel()
	var out any = input
	var err error
	if h != nil {
		func() {
			defer func() {
				if rec := recover(); rec != nil {
					err = fmt.Errorf("the deployment panicked: %v", rec)
				}
			}()
			out, err = h(ctx, append(json.RawMessage(nil), input...))
		}()
	}
	if ctx.Err() != nil {
		if parent.Err() != nil {
			return nil, "The request was aborted: the server is shutting down"
		}
		return nil, fmt.Sprintf("Timeout of %d seconds exceeded", timeout)
	}
	if err != nil {
		if msg := err.Error(); msg != "" {
			return nil, msg
		}
		return nil, "The deployment failed"
	}
	b, err := encodeResult(out)
	if err != nil {
		return nil, "The deployment's result is not valid JSON: " + err.Error()
	}
	return b, ""
}

func encodeResult(out any) (json.RawMessage, error) {
	var b []byte
	switch v := out.(type) {
	case json.RawMessage:
		if v == nil {
			return json.RawMessage("null"), nil
		}
		b = v
	default:
		var err error
		if b, err = json.Marshal(out); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkInput reports why a request input does not suit the deployment's input type ("" if it
// does). A direct request may also give a list of inputs (the deployment's 'requests' function).
func checkInput(d *deployment, input json.RawMessage, allowList bool) string {
	structured := isStructured(d)
	want := func(item json.RawMessage) string {
		k := jsonKind(item)
		if structured && k != '{' {
			return "a structured deployment takes an object of input fields"
		}
		if !structured && k != '"' {
			return "a plain deployment takes a string"
		}
		return ""
	}
	if allowList && jsonKind(input) == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(input, &items); err != nil {
			return err.Error()
		}
		for i, it := range items {
			if msg := want(it); msg != "" {
				return fmt.Sprintf("item %d: %s", i, msg)
			}
		}
		return ""
	}
	return want(input)
}

// isStructured reports whether a deployment's input is structured (the default without a type).
func isStructured(d *deployment) bool {
	return d.detail.InputType == nil || *d.detail.InputType != ubiops.DeploymentDetailInputTypePlain
}

// jsonKind returns the first character of a JSON value: '{', '[', '"', 'n', 't', 'f' or a digit.
func jsonKind(v json.RawMessage) byte {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return 0
	}
	return v[0]
}

func compactJSON(b []byte) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// targetVersion is requestScope for creates, which need a version to send the request to.
func (c *call) targetVersion(versioned bool) (requestScope, answer, bool) {
	sc, a, good := c.scopeTarget(versioned)
	if !good {
		return sc, a, false
	}
	if sc.v == nil {
		return sc, apiError(http.StatusBadRequest, "Deployment %s has no default version", sc.d.detail.Name), false
	}
	return sc, a, true
}

func (c *call) newRequest(sc requestScope, batch bool, input json.RawMessage, timeout int) *request {
	now := c.now()
	r := &request{
		id: newID(), deployment: sc.d.detail.Name, version: sc.v.detail.Version, dep: sc.d, ver: sc.v,
		batch: batch, created: now, input: input, timeout: timeout,
	}
	if c.query.Get("priority") != "" {
		r.priority = ubiops.Ptr(c.queryInt("priority", 0))
	}
	sc.p.addRequest(r)
	c.requestLog(sc.p, r, now, "Request received", ubiops.LogsLevelInfo, nil)
	return r
}

// startDirect records a direct (or streaming) request, running from now: the version it goes to,
// its input (JSON or text/plain) and its timeout (defaultTimeout when not given).
func (c *call) startDirect(versioned bool, defaultTimeout int) (requestScope, *request, answer, bool) {
	sc, a, good := c.targetVersion(versioned)
	if !good {
		return sc, nil, a, false
	}
	input, a, good := c.directInput(sc)
	if !good {
		return sc, nil, a, false
	}
	timeout := c.queryInt("timeout", defaultTimeout)
	if timeout < 1 {
		return sc, nil, apiError(http.StatusBadRequest, "query parameter timeout: must be at least 1"), false
	}
	r := c.newRequest(sc, false, input, timeout)
	r.started = r.created
	r.running = true
	return sc, r, answer{}, true
}

func (c *call) createDirectRequest(versioned bool) answer {
	sc, r, a, good := c.startDirect(versioned, defaultDirectTimeout)
	if !good {
		return a
	}
	input, timeout := r.input, r.timeout
	h := c.st().handlers[sc.p.detail.Name+"/"+sc.d.detail.Name]
	var result json.RawMessage
	var errMsg string
	c.unlocked(func() { result, errMsg = runDeployment(c.s.closeCtx, h, input, timeout) })
	r.running = false
	// The project may have been deleted meanwhile; the request keeps its own record either way.
	if errMsg != "" {
		c.finishRequest(sc.p, r, reqFailed, nil, errMsg, c.now())
	} else {
		c.finishRequest(sc.p, r, reqCompleted, result, "", c.now())
	}
	return created(createResponse(r))
}

// createResponse is the answer to a direct (or streamed) request once it has finished.
func createResponse(r *request) ubiops.DeploymentRequestCreateResponse {
	return ubiops.DeploymentRequestCreateResponse{
		ID: r.id, Deployment: ubiops.Ptr(r.dep.detail.Name), Version: ubiops.Ptr(r.ver.detail.Version),
		Status:       ubiops.DeploymentRequestCreateResponseStatus(r.final),
		Success:      ubiops.Ptr(r.final == reqCompleted),
		Result:       nullJSON(r.result),
		ErrorMessage: nullString(r.errMsg),
		Timeout:      ubiops.Ptr(r.timeout),
	}
}

// directInput reads the input of a direct or streaming request: JSON, or text/plain as a plain
// deployment's input string.
func (c *call) directInput(sc requestScope) (json.RawMessage, answer, bool) {
	var input json.RawMessage
	if c.mediaType == "text/plain" {
		if isStructured(sc.d) {
			return nil, apiError(http.StatusBadRequest, "request body: a structured deployment takes an object of input fields as application/json, not text/plain"), false
		}
		input, _ = json.Marshal(string(c.body))
	} else {
		var err error
		if input, err = compactJSON(c.body); err != nil {
			return nil, apiError(http.StatusBadRequest, "request body: %v", err), false
		}
	}
	if msg := checkInput(sc.d, input, true); msg != "" {
		return nil, apiError(http.StatusBadRequest, "request body: %s", msg), false
	}
	return input, answer{}, true
}

func (c *call) createBatchRequests(versioned bool) answer {
	sc, a, good := c.targetVersion(versioned)
	if !good {
		return a
	}
	// Decoding and checking the inputs needs only the deployment's input type, so it runs without
	// the state lock: concurrent batch calls then only serialise on creating the requests.
	shape := &deployment{detail: ubiops.DeploymentDetail{InputType: sc.d.detail.InputType}}
	var inputs []json.RawMessage
	var bad answer
	c.unlocked(func() { inputs, bad = checkBatchInputs(c, shape) })
	if bad.status != 0 {
		return bad
	}
	if sc, a, good = c.targetVersion(versioned); !good { // the state may have changed meanwhile
		return a
	}
	timeout := c.queryInt("timeout", defaultBatchTimeout)
	if timeout < 1 {
		return apiError(http.StatusBadRequest, "query parameter timeout: must be at least 1")
	}
	out := make([]ubiops.DeploymentRequestBatchCreateResponse, 0, len(inputs))
	for _, in := range inputs {
		r := c.newRequest(sc, true, in, timeout)
		r.notify = c.query.Get("notification_group")
		out = append(out, ubiops.DeploymentRequestBatchCreateResponse{
			ID: r.id, Deployment: ubiops.Ptr(r.dep.detail.Name), Version: ubiops.Ptr(r.ver.detail.Version),
			Status: ubiops.DeploymentRequestBatchCreateResponseStatus(reqPending), TimeCreated: stamp(r.created),
		})
	}
	return created(out)
}

// checkBatchInputs decodes a batch body and checks every input (all or nothing: a bad input
// rejects the call before anything is created).
func checkBatchInputs(c *call, shape *deployment) ([]json.RawMessage, answer) {
	var inputs []json.RawMessage
	if err := c.decode(&inputs); err != nil {
		return nil, apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if len(inputs) > maxRequestIDs {
		return nil, apiError(http.StatusBadRequest, "request body: %d requests; at most %d per call", len(inputs), maxRequestIDs)
	}
	for i, in := range inputs {
		if msg := checkInput(shape, in, false); msg != "" {
			return nil, apiError(http.StatusBadRequest, "request body item %d: %s; no request was created", i, msg)
		}
		compact, err := compactJSON(in)
		if err != nil {
			return nil, apiError(http.StatusBadRequest, "request body item %d: %v", i, err)
		}
		inputs[i] = compact
	}
	return inputs, answer{}
}

// decodeIDs reads a body of request ids (the spec has checked they are UUIDs, at most 250).
func (c *call) decodeIDs() ([]ubiops.UUID, answer, bool) {
	var ids []ubiops.UUID
	if err := c.decode(&ids); err != nil {
		return nil, apiError(http.StatusBadRequest, "request body: %v", err), false
	}
	if len(ids) > maxRequestIDs {
		return nil, apiError(http.StatusBadRequest, "request body: %d ids; at most %d per call", len(ids), maxRequestIDs), false
	}
	return ids, answer{}, true
}

// pickIDs finds the requests with the given ids in the scope; missing is the first unknown id.
func pickIDs(sc requestScope, ids []ubiops.UUID) (hits []*request, missing string) {
	for _, id := range ids {
		r := sc.request(id)
		if r == nil {
			return nil, id.String()
		}
		hits = append(hits, r)
	}
	return hits, ""
}

// settledIDs finds the requests with the given ids in the scope of the path, settled (their
// statuses brought up to date), or answers 404 naming the first unknown id (notFound is appended).
func (c *call) settledIDs(versioned bool, ids []ubiops.UUID, notFound string) (requestScope, []*request, answer, bool) {
	sc, a, good := c.settledScope(versioned, func(sc requestScope) []*request {
		hits, _ := pickIDs(sc, ids)
		return hits
	})
	if !good {
		return sc, nil, a, false
	}
	hits, missing := pickIDs(sc, ids)
	if missing != "" {
		return sc, nil, apiError(http.StatusNotFound, "Request %s not found%s", missing, notFound), false
	}
	return sc, hits, answer{}, true
}

func (c *call) collectRequests(versioned bool) answer {
	ids, a, good := c.decodeIDs()
	if !good {
		return a
	}
	_, hits, a, good := c.settledIDs(versioned, ids, "")
	if !good {
		return a
	}
	out := make([]ubiops.DeploymentRequestBatchDetail, 0, len(hits))
	for _, r := range hits {
		out = append(out, c.batchDetail(r))
	}
	return ok(out)
}

// settledRequest finds the request named in the path, settled (its status brought up to date),
// or answers 404.
func (c *call) settledRequest(versioned bool) (requestScope, *request, answer, bool) {
	id, valid := parseRequestID(c.path["request_id"])
	sc, a, good := c.settledScope(versioned, func(sc requestScope) []*request {
		if r := sc.request(id); valid && r != nil {
			return []*request{r}
		}
		return nil
	})
	if !good {
		return sc, nil, a, false
	}
	r := sc.request(id)
	if !valid || r == nil {
		return sc, nil, notFound("Request"), false
	}
	return sc, r, answer{}, true
}

func (c *call) getRequest(versioned bool) answer {
	_, r, a, good := c.settledRequest(versioned)
	if !good {
		return a
	}
	b := c.batchDetail(r)
	out := ubiops.DeploymentRequestSingleDetail{
		ID: b.ID, Deployment: b.Deployment, Version: b.Version,
		Status:  ubiops.DeploymentRequestSingleDetailStatus(b.Status),
		Success: b.Success, TimeCreated: b.TimeCreated, TimeStarted: b.TimeStarted, TimeCompleted: b.TimeCompleted,
		ErrorMessage: b.ErrorMessage, NotificationGroup: nullString(r.notify),
		Origin: ubiops.Ptr(ubiops.DeploymentRequestSingleDetailOrigin{
			Deployment: ubiops.Ptr(r.dep.detail.Name), DeploymentVersion: ubiops.Ptr(r.ver.detail.Version), CreatedBy: ubiops.Ptr(c.st().fakeUser()),
		}),
		Retries: b.Retries, InputSize: b.InputSize, OutputSize: b.OutputSize,
		AdditionalData: b.AdditionalData, Timeout: b.Timeout,
	}
	if metadataOnly, _ := c.queryBool("metadata_only"); !metadataOnly {
		out.RequestData, out.Result = b.RequestData, b.Result
	}
	return ok(out)
}

// batchDetail is the fullest view of a request; the other shapes are taken from it.
func (c *call) batchDetail(r *request) ubiops.DeploymentRequestBatchDetail {
	status := c.requestStatus(r)
	b := ubiops.DeploymentRequestBatchDetail{
		ID: r.id, Deployment: ubiops.Ptr(r.dep.detail.Name), Version: ubiops.Ptr(r.ver.detail.Version),
		Status:        ubiops.DeploymentRequestBatchDetailStatus(status),
		Success:       nil,
		TimeCreated:   stamp(r.created),
		TimeStarted:   nil,
		TimeCompleted: nil,
		RequestData:   r.input,
		Result:        json.RawMessage("null"),
		ErrorMessage:  nullString(r.errMsg),
		InputSize:     ubiops.Ptr(len(r.input)),
		OutputSize:    nil,
		Retries:       ubiops.Ptr(0), // deprecated, answered as before
		// Only requests made in an instance's own request format (which the fake does not serve)
		// have additional data.
		AdditionalData: nil,
		Timeout:        ubiops.Ptr(r.timeout),
	}
	switch {
	case !r.started.IsZero():
		b.TimeStarted = nullStamp(r.started)
	case r.final == "" && status != reqPending: // processing or cancelled_pending
		b.TimeStarted = nullStamp(r.created.Add(c.s.opts.requestDuration / 4))
	}
	if r.final != "" {
		b.Success = ubiops.Ptr(r.final == reqCompleted)
		b.TimeCompleted = nullStamp(r.completed)
	}
	if r.final == reqCompleted {
		b.Result = nullJSON(r.result)
		b.OutputSize = ubiops.Ptr(len(r.result))
	}
	return b
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return ubiops.Ptr(s)
}

func nullJSON(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

// requestFilter holds the documented filters and the order of a request list.
type requestFilter struct {
	status              string
	success, hasSuccess bool
	// nothing is set by filters no request of the fake matches: pipeline=true (the fake has no
	// pipelines) and request_schedule (nor request schedules).
	nothing          bool
	start, end       time.Time
	hasStart, hasEnd bool
	search           string
	asc              bool // sort=asc: oldest first
}

// requestFilter reads the list filters of the query.
func (c *call) requestFilter() (requestFilter, answer, bool) {
	var f requestFilter
	f.status = c.query.Get("status")
	f.success, f.hasSuccess = c.queryBool("success")
	pipeline, hasPipeline := c.queryBool("pipeline")
	f.nothing = (hasPipeline && pipeline) || c.query.Get("request_schedule") != ""
	f.start, f.hasStart = c.queryTime("start_date")
	f.end, f.hasEnd = c.queryTime("end_date")
	if c.query.Get("start_date") != "" && !f.hasStart {
		return f, apiError(http.StatusBadRequest, "query parameter start_date: not an ISO 8601 date"), false
	}
	if c.query.Get("end_date") != "" && !f.hasEnd {
		return f, apiError(http.StatusBadRequest, "query parameter end_date: not an ISO 8601 date"), false
	}
	f.search = strings.ToLower(c.query.Get("search_id"))
	f.asc = c.query.Get("sort") == "asc"
	return f, answer{}, true
}

// byStatus reports whether the filter depends on the requests' statuses, which settling changes.
func (f *requestFilter) byStatus() bool { return f.status != "" || f.hasSuccess }

// scans reports whether the filter looks at each request (more than its creation date).
func (f *requestFilter) scans() bool { return f.byStatus() || f.search != "" }

// matches applies the filters that scan (the dates bound the index instead).
func (c *call) matches(f *requestFilter, r *request) bool {
	switch {
	case f.status != "" && c.requestStatus(r) != f.status:
	case f.hasSuccess && (r.final == "" || (r.final == reqCompleted) != f.success):
	case f.search != "" && !strings.Contains(r.id.String(), f.search):
	default:
		return true
	}
	return false
}

// isDue reports whether settling a request would finish it now: a batch request whose processing
// time is over and that no call is running (see settle).
func (c *call) isDue(r *request, now time.Time) bool {
	if !r.batch || r.final != "" || r.running {
		return false
	}
	_, running := phase(r.created, now, c.s.opts.requestDuration)
	return !running
}

// requestPage picks the page the query asks for from reqs (an index in creation order), newest
// first unless sort=asc (requests created at the same moment keep their order of creation), and
// returns with it the requests that are due to be settled before it is answered (see isDue): those
// on the page, and, when the filter is by status, those it skipped for their status is about to
// change (with last set, these count by their status as it is: the caller settles no more).
//
// Its cost, for n requests in the index: without filters, or with the date filters only (which
// bound the index by binary search), O(log n + limit). The other filters (status, success,
// search_id) are checked request by request from the page's end of the index, only as far as the
// page needs: O(log n + k), where k is the number of requests looked at to find offset+limit
// matching ones: offset+limit when most requests match, up to n when few do.
func (c *call) requestPage(reqs []*request, f *requestFilter, last bool) (page, due []*request) {
	if f.nothing {
		return nil, nil
	}
	lo, hi := 0, len(reqs)
	if f.hasStart {
		lo = sort.Search(len(reqs), func(i int) bool { return !reqs[i].created.Before(f.start) })
	}
	if f.hasEnd {
		hi = sort.Search(len(reqs), func(i int) bool { return reqs[i].created.After(f.end) })
	}
	reqs = reqs[lo:max(lo, hi)]
	at := func(i int) *request { // the i-th request in the list's order
		if f.asc {
			return reqs[i]
		}
		return reqs[len(reqs)-1-i]
	}
	now := c.now()
	// The page among the matching requests, which are at most len(reqs).
	start, end := pageBounds(len(reqs), c.queryInt("offset", 0), c.queryInt("limit", 50))
	if !f.scans() {
		page = make([]*request, 0, end-start)
		for i := start; i < end; i++ {
			page = append(page, at(i))
		}
	} else {
		statusDue := f.byStatus() && !last
		for i, matched := 0, 0; i < len(reqs) && matched < end; i++ {
			r := at(i)
			if statusDue && c.isDue(r, now) {
				due = append(due, r)
				continue
			}
			if !c.matches(f, r) {
				continue
			}
			if matched >= start {
				page = append(page, r)
			}
			matched++
		}
	}
	for _, r := range page {
		if c.isDue(r, now) {
			due = append(due, r)
		}
	}
	return page, due
}

// listRequests answers deployment_requests_list and deployment_version_requests_list.
func (c *call) listRequests(versioned bool) answer {
	sc, a, good := c.requestScope(versioned)
	if !good {
		return a
	}
	f, a, good := c.requestFilter()
	if !good {
		return a
	}
	var page []*request
	for i := 0; ; i++ {
		var due []*request
		page, due = c.requestPage(sc.reqs, &f, i == 3)
		if len(due) == 0 || i == 3 {
			break
		}
		// Settle what the page depends on, then pick it again: settling may release the lock.
		c.settle(sc.p, due)
		if sc, a, good = c.requestScope(versioned); !good {
			return a
		}
	}
	return c.requestListAnswer(page, false)
}

func projectRequestsList(c *call) answer {
	p, a, good := c.project()
	if !good {
		return a
	}
	if c.query.Get("object_type") != "deployment" {
		return ok([]ubiops.RequestsOverview{}) // the fake has no pipelines
	}
	f, a, good := c.requestFilter()
	if !good {
		return a
	}
	var page []*request
	for i := 0; ; i++ {
		var due []*request
		page, due = c.requestPage(p.requests, &f, i == 3)
		if len(due) == 0 || i == 3 {
			break
		}
		c.settle(p, due)
		if p, a, good = c.project(); !good {
			return a
		}
	}
	return c.requestListAnswer(page, true)
}

func (c *call) updateRequest(versioned bool) answer {
	var body ubiops.DeploymentRequestUpdate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if body.Status != reqCancelled {
		return apiError(http.StatusBadRequest, "request body field status: a request can only be cancelled")
	}
	sc, r, a, good := c.settledRequest(versioned)
	if !good {
		return a
	}
	switch st := c.requestStatus(r); {
	case r.final != "":
		return apiError(http.StatusBadRequest, "Request %s is %s and can no longer be cancelled", r.id, st)
	case !r.batch:
		return apiError(http.StatusBadRequest, "Request %s is a direct request, which cannot be cancelled", r.id)
	case st == reqPending:
		c.finishRequest(sc.p, r, reqCancelled, nil, "", c.now())
	case st == reqProcessing:
		r.cancelling = true
		c.requestLog(sc.p, r, c.now(), "Request cancellation requested", ubiops.LogsLevelInfo, nil)
	}
	b := c.batchDetail(r)
	return ok(ubiops.DeploymentRequestUpdateResponse{
		ID: &b.ID, Deployment: ubiops.Ptr(r.dep.detail.Name), Version: ubiops.Ptr(r.ver.detail.Version),
		Status:  ubiops.Ptr(ubiops.DeploymentRequestUpdateResponseStatus(b.Status)),
		Success: b.Success, TimeCreated: &b.TimeCreated, TimeStarted: b.TimeStarted, TimeCompleted: b.TimeCompleted,
		RequestData: b.RequestData, Result: b.Result, ErrorMessage: b.ErrorMessage,
		NotificationGroup: nullString(r.notify), Retries: ubiops.Ptr(0), Timeout: ubiops.Ptr(r.timeout),
	})
}

func (c *call) deleteRequest(versioned bool) answer {
	sc, a, good := c.requestScope(versioned)
	if !good {
		return a
	}
	id, valid := parseRequestID(c.path["request_id"])
	r := sc.request(id)
	if !valid || r == nil {
		return notFound("Request")
	}
	sc.p.removeRequest(r)
	return noContent()
}

func (c *call) batchDeleteRequests(versioned bool) answer {
	ids, a, good := c.decodeIDs()
	if !good {
		return a
	}
	sc, a, good := c.requestScope(versioned)
	if !good {
		return a
	}
	hits, missing := pickIDs(sc, ids)
	if missing != "" {
		return apiError(http.StatusNotFound, "Request %s not found; no request was deleted", missing)
	}
	gone := make(map[*request]bool, len(hits))
	for _, r := range hits {
		gone[r] = true
	}
	sc.p.removeRequestsIf(func(r *request) bool { return gone[r] })
	return ok(map[string]any{})
}

// batchCancelRequests cancels requests by id, all or nothing on unknown ids (404, nothing
// changes), like batch deletes: a pending request is cancelled, a processing one becomes
// cancelled_pending (cancelled once its processing time is over). Requests that can no longer be
// cancelled (finished, cancelled, or direct requests, which are never cancellable) are left as
// they are. With the status query parameter, only the given requests in that status are cancelled.
func (c *call) batchCancelRequests(versioned bool) answer {
	ids, a, good := c.decodeIDs()
	if !good {
		return a
	}
	only := c.query.Get("status") // pending or processing (the spec checks it)
	// Settle the requests first: one whose processing time is over has finished, not started.
	sc, hits, a, good := c.settledIDs(versioned, ids, "; no request was cancelled")
	if !good {
		return a
	}
	for _, r := range hits {
		st := c.requestStatus(r)
		if r.final != "" || !r.batch || (only != "" && st != only) {
			continue
		}
		switch st {
		case reqPending:
			c.finishRequest(sc.p, r, reqCancelled, nil, "", c.now())
		case reqProcessing:
			r.cancelling = true
			c.requestLog(sc.p, r, c.now(), "Request cancellation requested", ubiops.LogsLevelInfo, nil)
		}
	}
	return ok(map[string]any{})
}
