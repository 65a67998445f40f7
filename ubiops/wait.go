package ubiops

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Defaults of a zero WaitOptions.
const (
	defaultWaitMinDelay = time.Second
	defaultWaitMaxDelay = 30 * time.Second
)

// Statuses a waiter looks for that the API documents only as free text (a version's status is a
// plain string, not an enumeration).
const (
	versionAvailable   = "available"
	versionUnavailable = "unavailable"
)

// WaitOptions tunes a Wait method. The zero value, like a nil *WaitOptions, is ready to use: it
// polls at once, then after about 1 s, backing off to one poll every 30 s at most, for as long as
// the context allows.
type WaitOptions struct {
	// MinDelay is the delay after the first poll (which is immediate); each later delay doubles, up
	// to MaxDelay. Every delay is drawn at random from [d/2, d], so that many clients waiting for the
	// same thing do not poll in lockstep. Zero means 1 s (or MaxDelay, if that is shorter).
	MinDelay time.Duration
	// MaxDelay caps the delay between two polls. Zero means 30 s; a MaxDelay below MinDelay is
	// raised to MinDelay.
	MaxDelay time.Duration
	// Timeout bounds the whole wait, every poll included. When it expires the wait returns an error
	// for which errors.Is(err, context.DeadlineExceeded) holds, naming what was awaited and the last
	// status seen. Zero (or negative) sets no bound of its own: only the context ends the wait.
	Timeout time.Duration
	// OnStatus, if set, is called with each new status: once per change, not once per poll. It runs
	// on the goroutine that called the Wait method, before the next poll, so it needs no locking of
	// its own and a slow OnStatus delays the wait. Waits that follow several objects in turn
	// (VersionsService.WaitAvailable) qualify the status with the object it belongs to, as in
	// "revision: building".
	OnStatus func(status string)
}

// ErrWaitFailed matches every *WaitError with errors.Is: the awaited work ended, but not in success.
var ErrWaitFailed = errors.New("ubiops: awaited work ended without success")

// WaitError ends a wait whose object reached a final status other than success: a failed or
// cancelled build, a failed or cancelled request, a version left unavailable by a failed revision.
// errors.Is(err, ErrWaitFailed) holds for it.
type WaitError struct {
	// Status is the final status, such as "failed" or "cancelled".
	Status string
	// Message is the object's error_message: why it failed. It is empty when the API gives no
	// reason, as for a cancellation.
	Message string
	// Object is the object as last fetched: a *RevisionList, *EnvironmentBuildList,
	// *DeploymentVersionDetail or *DeploymentRequestSingleDetail, depending on the wait.
	Object any

	// what names the awaited object in Error ("revision … of version v1 of deployment d"); a
	// WaitError built by hand has none and says "awaited object" instead.
	what string
}

// Error names the object, its final status and the reason given, on one line and without
// credentials.
func (e *WaitError) Error() string {
	what := e.what
	if what == "" {
		what = "awaited object"
	}
	s := fmt.Sprintf("ubiops: %s ended with status %q", what, e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return safeText(s) // the message is a build's or a deployment's text: it may span lines
}

// Is makes errors.Is(err, ErrWaitFailed) hold for every WaitError.
func (e *WaitError) Is(target error) bool { return target == ErrWaitFailed }

// Wait polls a revision until its build succeeds and returns the revision then (revisions_get).
// A revision is queued, then building, then success or failed; failed ends the wait with a
// *WaitError whose Message is the build's error message.
func (s *RevisionsService) Wait(ctx context.Context, project, deployment, version, revisionID string, opts ...CallOption) (*RevisionList, error) {
	w, err := s.c.newWaiter(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer w.stop()
	return waitFor(w, revisionSpec(s, project, deployment, version, revisionID, opts))
}

// Wait polls an environment build until it succeeds and returns the build then
// (environment_builds_get). A build is queued, then processing, then success, failed or
// cancelled; failed and cancelled end the wait with a *WaitError.
func (s *EnvironmentBuildsService) Wait(ctx context.Context, project, environment, revisionID, buildID string, opts ...CallOption) (*EnvironmentBuildList, error) {
	w, err := s.c.newWaiter(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer w.stop()
	return waitFor(w, environmentBuildSpec(s, project, environment, revisionID, buildID, opts))
}

// WaitAvailable waits until a version can serve requests and returns it then. It follows the
// chain of work that makes a version available, under one Timeout:
//
//  1. If the version runs in a custom environment of the project that has a build, that build
//     (the environment's latest) must succeed first (environments_get, environment_builds_get).
//  2. A version without a revision has nothing to build yet: it is polled until its
//     latest_revision appears, as when the upload is still on its way (deployment_versions_get).
//  3. The latest revision must build successfully (revisions_get).
//  4. The version is polled until its status is "available"; "unavailable" because its latest
//     revision failed ends the wait with a *WaitError.
//
// A failed or cancelled environment build and a failed revision end the wait with a *WaitError
// whose Object is that build or revision. OnStatus receives statuses qualified by the object
// they belong to: "environment build: processing", "revision: building", "version: available".
func (s *VersionsService) WaitAvailable(ctx context.Context, project, deployment, version string, opts ...CallOption) (*DeploymentVersionDetail, error) {
	w, err := s.c.newWaiter(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer w.stop()
	what := fmt.Sprintf("version %s of deployment %s", version, deployment)
	getVersion := func(ctx context.Context) (*DeploymentVersionDetail, error) {
		return s.Get(ctx, project, deployment, version, opts...)
	}
	v, err := waitFetch(w, what, "", getVersion)
	if err != nil {
		return nil, err
	}

	// 1. Deployment code runs inside its environment: until a custom environment is built, the
	// version's own build cannot succeed, and the environment build's error is the one that
	// explains a failure.
	if v != nil && v.Environment != "" {
		environment := v.Environment
		env, err := waitFetch(w, "environment "+environment, "", func(ctx context.Context) (*EnvironmentDetail, error) {
			return s.c.Environments.Get(ctx, project, environment, opts...)
		})
		switch {
		case errors.Is(err, ErrNotFound) || errors.Is(err, ErrForbidden):
			// The environment lookup only lets the wait report an environment failure as such; a
			// token allowed to see the version but not its environment can still wait for the
			// revision, whose build fails too if the environment does.
		case err != nil:
			return nil, err
		default:
			if revision, build, ok := customEnvironmentBuild(env); ok {
				spec := environmentBuildSpec(s.c.EnvironmentBuilds, project, environment, revision.String(), build.String(), opts)
				spec.label = "environment build"
				if _, err := waitFor(w, spec); err != nil {
					return nil, err
				}
			}
		}
	}

	// 2. No revision yet: the version has nothing to build until its code is uploaded.
	revisionID, ok := latestRevisionOf(v)
	if !ok {
		v, err = waitFor(w, waitSpec[*DeploymentVersionDetail]{
			what:   "the first revision of " + what,
			label:  "version",
			fetch:  getVersion,
			status: versionStatusOf,
			check: func(_ context.Context, v *DeploymentVersionDetail) (bool, error) {
				_, ok := latestRevisionOf(v)
				return ok, nil
			},
		})
		if err != nil {
			return nil, err
		}
		revisionID, _ = latestRevisionOf(v)
	}

	// 3. The revision's build.
	spec := revisionSpec(s.c.Revisions, project, deployment, version, revisionID.String(), opts)
	spec.label = "revision"
	if _, err := waitFor(w, spec); err != nil {
		return nil, err
	}

	// 4. The version itself. Its status may lag behind its revision's, so "unavailable" ends the
	// wait only when the latest revision (which may be newer than the one awaited above, if code was
	// uploaded meanwhile) has failed.
	return waitFor(w, waitSpec[*DeploymentVersionDetail]{
		what:    what + " to become available",
		label:   "version",
		fetch:   getVersion,
		status:  versionStatusOf,
		success: []string{versionAvailable},
		check: func(ctx context.Context, v *DeploymentVersionDetail) (bool, error) {
			id, ok := latestRevisionOf(v)
			if !ok || v.Status != versionUnavailable {
				return false, nil
			}
			r, err := s.c.Revisions.Get(ctx, project, deployment, version, id.String(), opts...)
			if err != nil {
				return false, err
			}
			if r != nil && Value(r.Status) == RevisionListStatusFailed {
				return false, &WaitError{Status: v.Status, Message: Value(r.ErrorMessage), Object: v, what: what}
			}
			return false, nil
		},
	})
}

// Wait polls a request to a deployment's default version until it completes, and returns it with
// its result then (deployment_requests_get). A request is pending, then processing, then
// completed, failed or cancelled; failed, cancelled and cancelled_pending end the wait with a
// *WaitError. The polls ask for metadata only, so a large input or result is fetched once, at the
// end, rather than on every poll.
func (s *RequestsService) Wait(ctx context.Context, project, deployment, requestID string, opts ...CallOption) (*DeploymentRequestSingleDetail, error) {
	what := fmt.Sprintf("request %s of deployment %s", requestID, deployment)
	return s.c.waitRequest(ctx, opts, what, func(ctx context.Context, metadataOnly bool) (*DeploymentRequestSingleDetail, error) {
		var params *DeploymentRequestsGetParams
		if metadataOnly {
			params = &DeploymentRequestsGetParams{MetadataOnly: Ptr(true)}
		}
		return s.Get(ctx, project, deployment, requestID, params, opts...)
	})
}

// WaitForVersion is Wait for a request to a given version (deployment_version_requests_get).
func (s *RequestsService) WaitForVersion(ctx context.Context, project, deployment, version, requestID string, opts ...CallOption) (*DeploymentRequestSingleDetail, error) {
	what := fmt.Sprintf("request %s of version %s of deployment %s", requestID, version, deployment)
	return s.c.waitRequest(ctx, opts, what, func(ctx context.Context, metadataOnly bool) (*DeploymentRequestSingleDetail, error) {
		var params *DeploymentVersionRequestsGetParams
		if metadataOnly {
			params = &DeploymentVersionRequestsGetParams{MetadataOnly: Ptr(true)}
		}
		return s.GetForVersion(ctx, project, deployment, version, requestID, params, opts...)
	})
}

// waitRequest polls a request (metadata only) until it is final, then fetches it in full.
func (c *Client) waitRequest(ctx context.Context, opts []CallOption, what string, get func(ctx context.Context, metadataOnly bool) (*DeploymentRequestSingleDetail, error)) (*DeploymentRequestSingleDetail, error) {
	w, err := c.newWaiter(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer w.stop()
	_, err = waitFor(w, waitSpec[*DeploymentRequestSingleDetail]{
		what: what,
		fetch: func(ctx context.Context) (*DeploymentRequestSingleDetail, error) {
			return get(ctx, true)
		},
		status: func(r *DeploymentRequestSingleDetail) string {
			if r == nil {
				return ""
			}
			return string(r.Status)
		},
		message: func(r *DeploymentRequestSingleDetail) string {
			msg := Value(r.ErrorMessage)
			return msg
		},
		success: []string{string(DeploymentRequestSingleDetailStatusCompleted)},
		failure: []string{
			string(DeploymentRequestSingleDetailStatusFailed),
			string(DeploymentRequestSingleDetailStatusCancelled),
			// cancelled_pending is not final for the API (the request becomes cancelled once the
			// instance stops working on it), but it is for the waiter: the cancellation has been
			// requested, so the result will never come, and waiting on would only delay the same
			// answer.
			string(DeploymentRequestSingleDetailStatusCancelledPending),
		},
	})
	if err != nil {
		return nil, err
	}
	// The polls left input and result out; fetch them once, now that the result exists.
	return waitFetch(w, what, string(DeploymentRequestSingleDetailStatusCompleted), func(ctx context.Context) (*DeploymentRequestSingleDetail, error) {
		return get(ctx, false)
	})
}

// revisionSpec waits for a revision's build.
func revisionSpec(s *RevisionsService, project, deployment, version, revisionID string, opts []CallOption) waitSpec[*RevisionList] {
	return waitSpec[*RevisionList]{
		what: fmt.Sprintf("revision %s of version %s of deployment %s", revisionID, version, deployment),
		fetch: func(ctx context.Context) (*RevisionList, error) {
			return s.Get(ctx, project, deployment, version, revisionID, opts...)
		},
		status: func(r *RevisionList) string {
			if r == nil {
				return ""
			}
			return string(Value(r.Status))
		},
		message: func(r *RevisionList) string { return Value(r.ErrorMessage) },
		success: []string{string(RevisionListStatusSuccess)},
		failure: []string{string(RevisionListStatusFailed)},
	}
}

// environmentBuildSpec waits for an environment build.
func environmentBuildSpec(s *EnvironmentBuildsService, project, environment, revisionID, buildID string, opts []CallOption) waitSpec[*EnvironmentBuildList] {
	return waitSpec[*EnvironmentBuildList]{
		what: fmt.Sprintf("build %s of environment %s", buildID, environment),
		fetch: func(ctx context.Context) (*EnvironmentBuildList, error) {
			return s.Get(ctx, project, environment, revisionID, buildID, opts...)
		},
		status: func(b *EnvironmentBuildList) string {
			if b == nil {
				return ""
			}
			return string(b.Status)
		},
		message: func(b *EnvironmentBuildList) string { return Value(b.ErrorMessage) },
		success: []string{string(EnvironmentBuildListStatusSuccess)},
		failure: []string{string(EnvironmentBuildListStatusFailed), string(EnvironmentBuildListStatusCancelled)},
	}
}

func versionStatusOf(v *DeploymentVersionDetail) string {
	if v == nil {
		return ""
	}
	return v.Status
}

// latestRevision returns a version's latest revision, if it has one.
func latestRevisionOf(v *DeploymentVersionDetail) (UUID, bool) {
	if v == nil {
		return UUID{}, false
	}
	if v.LatestRevision == nil {
		return UUID{}, false
	}
	return *v.LatestRevision, true
}

// customEnvironmentBuild returns the latest revision and build of a custom environment. Base
// environments (project null) are built by UbiOps and never need waiting for, and a custom
// environment without a build has nothing to wait for.
func customEnvironmentBuild(env *EnvironmentDetail) (revision, build UUID, ok bool) {
	if env == nil {
		return UUID{}, UUID{}, false
	}
	if env.Project == nil || env.LatestRevision == nil || env.LatestBuild == nil {
		return UUID{}, UUID{}, false
	}
	return *env.LatestRevision, *env.LatestBuild, true
}

// waitSpec describes one wait for waitFor: how to fetch the object, how to read its status, and
// which statuses end the wait.
type waitSpec[T any] struct {
	// what names the object in errors: "revision … of version v1 of deployment d".
	what string
	// label, when set, qualifies the statuses passed to OnStatus ("revision: building"), for waits
	// that follow several objects in turn.
	label   string
	fetch   func(ctx context.Context) (T, error)
	status  func(T) string
	message func(T) string // the error message of an object in a failure status
	success []string
	failure []string
	// check, if set, looks at an object in any other status: it may end the wait, successfully
	// (done) or with an error (such as a *WaitError).
	check func(ctx context.Context, v T) (done bool, err error)
}

// waiter is the state one Wait call shares across its polls (and, for WaitAvailable, across the
// objects it follows in turn): one deadline, one backoff configuration, one OnStatus history.
type waiter struct {
	parent context.Context // the caller's context
	ctx    context.Context // parent, bounded by the timeout; every poll and sleep uses it
	cancel context.CancelFunc
	// expired is the cause ctx carries when the timeout (rather than the caller) ends it; it is
	// allocated per wait so it can only come from this waiter's own timer.
	expired            error
	timeout            time.Duration
	minDelay, maxDelay time.Duration
	onStatus           func(string)
	reported           string
	hasReported        bool
}

func (c *Client) newWaiter(ctx context.Context, opts []CallOption) (*waiter, error) {
	if ctx == nil {
		return nil, &ValidationError{Field: "ctx", Reason: "nil context"}
	}
	var o WaitOptions
	if cc := c.callOptions(opts); cc.wait != nil {
		o = *cc.wait
	}
	w := &waiter{parent: ctx, timeout: o.Timeout, minDelay: o.MinDelay, maxDelay: o.MaxDelay, onStatus: o.OnStatus}
	if w.maxDelay <= 0 {
		w.maxDelay = defaultWaitMaxDelay
	}
	if w.minDelay <= 0 {
		w.minDelay = min(defaultWaitMinDelay, w.maxDelay)
	}
	w.maxDelay = max(w.maxDelay, w.minDelay)
	if w.timeout > 0 {
		w.expired = errors.New("ubiops: wait timeout expired")
		w.ctx, w.cancel = context.WithTimeoutCause(ctx, w.timeout, w.expired)
	} else {
		w.ctx, w.cancel = context.WithCancel(ctx)
	}
	return w, nil
}

// stop releases the timeout's timer.
func (w *waiter) stop() { w.cancel() }

// report passes a status to OnStatus if it differs from the last one passed.
func (w *waiter) report(label, status string) {
	if w.onStatus == nil || status == "" {
		return
	}
	if label != "" {
		status = label + ": " + status
	}
	if w.hasReported && status == w.reported {
		return
	}
	w.reported, w.hasReported = status, true
	w.onStatus(status)
}

// ended is the error of a wait whose context ended: the timeout's (wrapping
// context.DeadlineExceeded) or the caller's (wrapping the caller's context error). last is the
// last status seen of the awaited object, "" if none.
func (w *waiter) ended(what, last string) error {
	seen := "no status seen yet"
	if last != "" {
		seen = fmt.Sprintf("last status %q", last)
	}
	if w.expired != nil && context.Cause(w.ctx) == w.expired {
		return fmt.Errorf("ubiops: timed out after %s waiting for %s (%s): %w", w.timeout, what, seen, context.DeadlineExceeded)
	}
	err := w.parent.Err()
	if err == nil {
		err = w.ctx.Err()
	}
	return fmt.Errorf("ubiops: stopped waiting for %s (%s): %w", what, seen, err)
}

// sleep waits about d (a random time in [d/2, d]) or until the wait's context ends.
func (w *waiter) sleep(d time.Duration) error {
	t := time.NewTimer(d/2 + rand.N(d-d/2+1))
	defer t.Stop()
	select {
	case <-w.ctx.Done():
		return w.ctx.Err()
	case <-t.C:
		return nil
	}
}

// next doubles a delay, up to the maximum (without overflowing, however large the maximum).
func (w *waiter) next(d time.Duration) time.Duration {
	if d > w.maxDelay/2 {
		return w.maxDelay
	}
	return 2 * d
}

// waitFetch fetches once. A failure caused by the end of the wait's context becomes the wait's error
// (timeout or caller), so that the caller sees the same error whether the context ended during a
// poll or during a sleep; any other failure is returned as it is.
func waitFetch[T any](w *waiter, what, last string, fetch func(context.Context) (T, error)) (T, error) {
	var zero T
	if w.ctx.Err() != nil {
		return zero, w.ended(what, last)
	}
	v, err := fetch(w.ctx)
	if err != nil {
		return zero, w.failed(err, what, last)
	}
	return v, nil
}

// failed is the error a wait returns for a failed call: the wait's own error if the call failed
// because the wait's context ended, else the call's error as it is.
func (w *waiter) failed(err error, what, last string) error {
	if cerr := w.ctx.Err(); cerr != nil && errors.Is(err, cerr) {
		return w.ended(what, last)
	}
	return err
}

// waitFor is the polling loop every waiter shares: it fetches the object at once, then after
// exponentially growing delays, until its status is in s.success (the object is returned) or
// s.failure (a *WaitError), s.check ends the wait, or the context ends.
func waitFor[T any](w *waiter, s waitSpec[T]) (T, error) {
	var zero T
	last := ""
	delay := w.minDelay
	for {
		v, err := waitFetch(w, s.what, last, s.fetch)
		if err != nil {
			return zero, err
		}
		last = s.status(v)
		w.report(s.label, last)
		switch {
		case slices.Contains(s.success, last):
			return v, nil
		case slices.Contains(s.failure, last):
			return zero, &WaitError{Status: last, Message: s.message(v), Object: v, what: s.what}
		}
		if s.check != nil {
			done, err := s.check(w.ctx, v)
			if err != nil {
				return zero, w.failed(err, s.what, last)
			}
			if done {
				return v, nil
			}
		}
		if w.sleep(delay) != nil {
			return zero, w.ended(s.what, last)
		}
		delay = w.next(delay)
	}
}
