// Package ubiops is the Go client for the UbiOps MLOps platform API (v2.1).
//
// Create one Client and share it: it is safe for concurrent use and reuses connections.
//
//	client, err := ubiops.NewClient() // token from UBIOPS_API_TOKEN, host from UBIOPS_API_HOST
//	projects, err := client.Projects.List(ctx, nil)
//
// Operations are grouped by resource (client.Projects, client.Deployments, client.Versions, ...);
// every method takes a context first and returns (value, error). A method's documentation names
// the API operation it calls (deployments_get), and the sections below hold the guarantees the
// methods share.
//
// # Configuration
//
// NewClient takes Options: WithToken ("abc", "Token abc" or "Bearer xyz"; default
// UBIOPS_API_TOKEN), WithBaseURL (normalised like the official clients: https:// and /v2.1 are
// added when missing; default UBIOPS_API_HOST, then DefaultBaseURL), WithHTTPClient,
// WithMiddleware, WithLogger, WithRetryPolicy, WithMaxRetries, WithAttemptTimeout,
// WithMaxResponseBytes, WithUserAgent, WithInsecureHTTP and WithDefaults. NewClient fails at once
// on a missing token or an unusable base URL rather than letting every call fail later. The token
// is never logged, printed or kept in an error, even when a server echoes it.
//
// # Per-call options
//
// Every method, iterator, waiter and batch helper takes the same trailing ...CallOption, and a
// helper passes them on to every call it makes (an iterator's pages, a waiter's polls, a batch
// helper's chunks):
//
//   - for any call: WithHeader, WithCallRetryPolicy, WithNoRetry, WithIdempotent,
//     WithCallAttemptTimeout, WithCallMaxResponseBytes, WithProgress (uploads and downloads) and
//     WithResponseInto;
//   - for a helper's own behaviour, ignored by the calls they do not concern: WithPageSize and
//     WithMaxItems (iterators), WithWaitOptions (waiters), WithBatchOptions (batch helpers).
//
// WithDefaults gives a client call options that apply before each call's own. The *Params
// arguments are not settings but the operation's query parameters; nil sends none.
//
// # Models
//
// The request and answer types (DeploymentCreate, DeploymentVersionDetail, ...) and their enums
// are the generated models of package github.com/ubiops/ubiops-go/gen, re-exported here under the
// same names; their fields are documented there (go doc github.com/ubiops/ubiops-go/gen.DeploymentCreate)
// and follow the module's versioning. An optional request field is a pointer (Ptr makes one), so
// 0, false and "" are sent when set; Update methods send only the fields that are set. An answer
// field the API may send as null is a pointer, nil when null or absent (Value reads it as its zero
// value when nil); the few request fields where null means something are Nullable. Date-times are
// Time, which also reads the date-only and offset-less forms the API answers with.
//
// # Errors
//
// Errors are typed and never contain the token:
//   - *APIError: an answer with a non-2xx status, with the operation, method, path, status, the
//     API's message, its headers and the attempts made; errors.Is works with ErrBadRequest,
//     ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited and ErrServer;
//   - *RequestError: a request that got no answer (connection, timeout, context), with the cause;
//     *AttemptTimeoutError inside it when an attempt timed out;
//   - *ValidationError: an argument rejected before anything was sent (an empty or "." path
//     name, a batch over 250 ids, an input that cannot be encoded);
//   - *DecodeError, *ResponseTooLargeError, *ContentTypeError: a 2xx answer that is not the
//     documented JSON, is longer than the bound (DefaultMaxResponseBytes), or, for a download, is
//     not a file;
//   - *WaitError (ErrWaitFailed), *BatchError, *RequestFailedError (ErrRequestFailed),
//     *StreamError (ErrStreamBroken), *SaveError, *PackageError: the helpers' own outcomes.
//
// # Retries
//
// GET, HEAD, OPTIONS, PUT and DELETE are retried on connection errors and on 408, 429, 500, 502,
// 503 and 504. POST and PATCH create or change things and UbiOps has no idempotency keys, so they
// are retried only when the request provably never reached the server (the connection could not be
// opened) or was rejected with 429 (rate-limited requests are not processed); never after a timeout
// or a 5xx. WithIdempotent marks a single call as safe to retry. Waits honour Retry-After and
// x-ratelimit-reset, otherwise use full-jitter exponential backoff, and always end with the context.
// An upload is retried only when its connection could not be opened, and only if its source can be
// read again.
//
// # Pagination
//
// Every paginated list has a List method that returns one page and an All method that returns an
// iter.Seq2 over every item:
//
//	for inst, err := range client.Instances.AllProject(ctx, "my-project", nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(inst.ID)
//	}
//
// The iterators share these guarantees:
//   - Lazy: nothing is fetched until the sequence is ranged over.
//   - Restartable: each range starts again from the first page; the caller's params are copied
//     when All is called and never modified.
//   - A break stops at once: no further page is fetched and nothing keeps running.
//   - An error is yielded once, as (zero value, err), and ends the iteration.
//   - The context is checked before every page.
//   - Cursor lists stop when there is no next page, and end with ErrRepeatedCursor if the server
//     hands out a cursor it handed out before, or with ErrRepeatedPage after 3 pages in a row that
//     hold no item yet point to a next page (a server defect must not loop forever).
//   - Offset lists stop at the first short page, and end with ErrRepeatedPage at a full page that
//     brings nothing new: every item on it was on the previous page, or it is a page seen before.
//     A server that ignores offset and keeps answering the first page is stopped after its second
//     answer.
//
// Offset lists and concurrent changes: offset lists (audit events, requests) are newest first by
// default, so items created while iterating push older ones to later offsets. The iterator drops
// items it already yielded on the previous page, so no item is yielded twice provided fewer than a
// page of items is created between two page fetches. Items deleted while iterating pull later
// items to earlier offsets, and those may be skipped; filter by date for a stable snapshot.
// Collect drains an iterator into a slice.
//
// # Logs
//
// LogsService.List calls logs_list, the live API's log endpoint (ListDeprecated the pages'
// projects_log_list). LogsService.Read walks the lines a LogQuery selects, forward or backward,
// page after page, without yielding a line twice; Follow reads forward and then keeps polling
// for new lines until the context ends. LogFilter builds the query's filter.
//
// # Files
//
// Uploads and downloads stream: memory use does not depend on the file's size. An upload's body is
// the multipart envelope around the source, read from the source as the transport sends it (a
// directory is packaged by ZipDir into a pipe as it is read); a download is copied straight from
// the connection. Download, Open and DownloadFile check the byte count against Content-Length;
// DownloadFile writes atomically (a temp file, synced, renamed), so a failure leaves nothing
// behind. A download whose answer is not a file (a captive portal's text/html) is a
// *ContentTypeError before anything is written. ZipDir packages a directory like the official
// clients (deployment_package/, .ubiops-ignore); Unzip extracts safely (no zip-slip, no
// symlinks, bounded sizes). Client.Deploy packages, uploads and waits in one call.
//
// # Batches
//
// The API creates, collects and deletes at most 250 requests per call and rejects a whole batch if
// one input is bad. BatchCreateAll, BatchCreateSeq, RunBatch and the CollectAll, WaitAll,
// DeleteAll and CancelAll methods take any number, split them into chunks (BatchOptions.ChunkSize,
// at most 250), send the chunks with bounded concurrency (BatchOptions.Concurrency) and put the
// results back in the caller's order.
//
// The reconciliation contract of the batch creates: every input ends up in exactly one of three
// states, reported per input (BatchResult; RunBatch's BatchOutcome keeps them).
//   - Created: the server answered with the request's id.
//   - Failed (BatchResult.Err set, Unknown false): the chunk was not created, because the server
//     answered with an error (it rejects batches whole), or the connection could not be opened, or
//     the context ended before the chunk was sent. Resending these inputs cannot duplicate anything.
//   - Unknown (Unknown true): the chunk was sent but no usable answer came back (the connection
//     broke after sending, a timeout, a gateway error 502/504, an unreadable 2xx answer). The
//     requests may exist. They are never resent automatically; check with List or Collect before
//     resending them.
//
// A chunk POST follows the client's retry rules for creates: it is retried only when the connection
// could not be opened or on 429 (rate-limited requests are not processed). Inputs are encoded before
// anything is sent, so an input that cannot be encoded is reported with its index and nothing is
// sent. When a CancelAll or DeleteAll call fails, its requests are read back and only those not
// cancelled (or not deleted) are reported.
//
// # Waiting
//
// UbiOps does its slow work asynchronously: an upload answers as soon as the revision exists and
// the build runs afterwards; a batch request answers while still pending. The Wait methods
// (RevisionsService.Wait, EnvironmentBuildsService.Wait, VersionsService.WaitAvailable,
// RequestsService.Wait, RequestsService.WaitAll) poll such work until it reaches a final status.
// Every waiter runs the same loop: poll at once, then back off exponentially with jitter (each
// delay drawn from [d/2, d]), report each new status to WaitOptions.OnStatus, and stop at a success
// status, a failure status (a *WaitError carrying the object and its error message), the
// WaitOptions timeout (an error for which errors.Is(err, context.DeadlineExceeded) holds, naming
// what was awaited and the last status seen) or the end of the context. An error from a poll (one
// the client's own retries could not overcome) ends the wait as it is.
//
// # Response metadata and tracing
//
// WithResponseInto captures a successful call's *http.Response (status and headers); RateLimitOf
// reads its x-ratelimit-* headers. OperationID returns the API operation of the request a context
// belongs to: middleware installed with WithMiddleware sees every attempt (it runs below the
// retries) and can name a span after it; the debug log line of each attempt (WithLogger) and the
// errors carry it too. examples/otel in the repository wires OpenTelemetry this way.
//
// # Testing
//
// Package github.com/ubiops/ubiops-go/ubiops/ubiopstest is a stateful fake of the API that
// validates every request and answer against the API's OpenAPI description: ubiopstest.NewServer(t)
// starts one for a test and srv.Client() returns a Client for it, whose waiters poll at test speed.
// Faults, latency and rate limits can be injected per operation.
package ubiops
