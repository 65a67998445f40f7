package ubiops

import "time"

// Per-call options for the helpers. Every method, iterator, waiter and batch helper takes the same
// ...CallOption: the options below configure a helper's own behaviour and are ignored by calls
// they do not concern (a page size means nothing to a Get), so one set of options can be passed
// down a chain of calls, as Deploy does to its upload and its wait.

// WithPageSize sets how many items each page request of an iterator (an All method) asks for
// (default: the params' limit if set, otherwise 50, the API's default).
func WithPageSize(n int) CallOption { return func(c *callConfig) { c.pageSize = n } }

// WithMaxItems stops an iterator after n items (n <= 0: no limit).
func WithMaxItems(n int) CallOption { return func(c *callConfig) { c.maxItems = n } }

// WithWaitOptions sets how a waiter polls (delays, overall timeout, status callback). See the
// Waiting section of the package documentation.
func WithWaitOptions(w WaitOptions) CallOption { return func(c *callConfig) { c.wait = &w } }

// WithBatchOptions sets how a batch helper splits and sends its work (version, chunk size,
// concurrency, the requests' timeout and notification group). See the Batches section of the
// package documentation.
func WithBatchOptions(b BatchOptions) CallOption { return func(c *callConfig) { c.batch = &b } }

// WithCallAttemptTimeout bounds each attempt of one call (see WithAttemptTimeout); d <= 0 means
// the client's setting.
func WithCallAttemptTimeout(d time.Duration) CallOption {
	return func(c *callConfig) { c.attemptTimeout = d }
}

// WithDefaults sets call options that apply to every call of the client, before each call's own
// options: a setting the call makes replaces the default's, except headers, which add up. Use it
// for a header on every request, a retry policy, or, in tests, fast WaitOptions.
func WithDefaults(opts ...CallOption) Option {
	return func(s *settings) {
		for _, o := range opts {
			if o != nil {
				s.defaults = append(s.defaults, o)
			}
		}
	}
}

// callOptions applies the client's defaults, then opts.
func (c *Client) callOptions(opts []CallOption) *callConfig {
	cc := &callConfig{}
	for _, o := range c.defaults {
		o(cc)
	}
	for _, o := range opts {
		if o != nil { // a nil option (a nil func) does nothing rather than panic
			o(cc)
		}
	}
	return cc
}
