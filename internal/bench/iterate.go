package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"

	"github.com/ubiops/ubiops-go/ubiops"
)

const iterateItems = 100_000

// eventPages serves instance_events_list pages from memory, encoding each page into one reused
// buffer, so the allocations measured are the client's, and samples the heap once per page.
type eventPages struct {
	mu     sync.Mutex
	buf    []byte
	peak   uint64
	sample []metrics.Sample
}

func newEventPages() *eventPages {
	return &eventPages{sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
}

func (p *eventPages) heap() uint64 {
	metrics.Read(p.sample)
	return p.sample[0].Value.Uint64()
}

func (p *eventPages) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if h := p.heap(); h > p.peak {
		p.peak = h
	}
	q := r.URL.Query()
	offset := 0
	if c := q.Get("cursor"); c != "" {
		offset, _ = strconv.Atoi(c)
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	end := min(iterateItems, offset+limit)
	b := p.buf[:0]
	b = append(b, `{"previous":null,"next":`...)
	if end < iterateItems {
		b = append(b, '"')
		b = strconv.AppendInt(b, int64(end), 10)
		b = append(b, '"')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"results":[`...)
	for i := offset; i < end; i++ {
		if i > offset {
			b = append(b, ',')
		}
		b = append(b, `{"id":"d2727027-b681-43f1-be84-`...)
		b = fmt.Appendf(b, "%012d", i)
		b = append(b, `","time_created":"2023-05-01T16:25:11.195716Z","description":"Instance status changed to running on node pool 'Google CPU'"}`...)
	}
	b = append(b, "]}"...)
	p.buf = b
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: r}, nil
}

func benchIterate() (string, error) {
	pages := newEventPages()
	c, err := ubiops.NewClient(ubiops.WithBaseURL("https://api.example.invalid"), ubiops.WithToken("bench"),
		ubiops.WithHTTPClient(&http.Client{Transport: pages}))
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	seq := c.Instances.AllEvents(ctx, "p", "d", "v", "i", nil) // the documented default page size, 50

	// Warm up (connection-free here, but it loads code paths and pools), then measure.
	for _, err := range c.Instances.AllEvents(ctx, "p", "d", "v", "i", nil, ubiops.WithMaxItems(1000)) {
		if err != nil {
			return "", err
		}
	}
	runtime.GC()
	base := pages.heap()
	pages.peak = base
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for _, err := range seq {
		if err != nil {
			return "", err
		}
		n++
	}
	runtime.ReadMemStats(&after)
	if n != iterateItems {
		return "", fmt.Errorf("iterated %d items, want %d", n, iterateItems)
	}
	allocs := float64(after.Mallocs-before.Mallocs) / float64(n)
	peak := float64(pages.peak-base) / (1 << 20)

	// Baseline: a hand-written pager decoding the same pages into plain structs (rawclient.go),
	// after checking that it decodes the same events as the library.
	raw := &rawClient{hc: &http.Client{Transport: pages}, base: "https://api.example.invalid/v2.1", token: "bench"}
	if err := checkIterateSides(ctx, c, raw); err != nil {
		return "", err
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	rn := 0
	if err := raw.eachEvent(ctx, "p", "d", "v", "i", 50, func(rawEvent) bool { rn++; return true }); err != nil {
		return "", err
	}
	runtime.ReadMemStats(&after)
	if rn != iterateItems {
		return "", fmt.Errorf("raw pager iterated %d items, want %d", rn, iterateItems)
	}
	rawAllocs := float64(after.Mallocs-before.Mallocs) / float64(rn)

	// Reference: the same items collected into a slice, which holds all of them at once.
	runtime.GC()
	base = pages.heap()
	pages.peak = base
	all, err := ubiops.Collect(seq)
	if err != nil {
		return "", err
	}
	collected := float64(pages.peak-base) / (1 << 20)
	runtime.KeepAlive(all)
	return fmt.Sprintf("iterate: %d items, %.2f allocs/item (raw decode of the same pages: %.2f allocs/item, ratio %.2f), "+
		"peak heap %.1f MiB (Collect of the same items: %.1f MiB)",
		n, allocs, rawAllocs, allocs/rawAllocs, peak, collected), nil
}

// checkIterateSides compares the first 120 events (three pages' worth, so page boundaries are
// crossed) as the library and the raw pager decode them, every field, by encoding both again.
func checkIterateSides(ctx context.Context, c *ubiops.Client, raw *rawClient) error {
	const n = 120
	ours, err := ubiops.Collect(c.Instances.AllEvents(ctx, "p", "d", "v", "i", nil, ubiops.WithMaxItems(n)))
	if err != nil {
		return err
	}
	var theirs []rawEvent
	err = raw.eachEvent(ctx, "p", "d", "v", "i", 50, func(e rawEvent) bool { theirs = append(theirs, e); return len(theirs) < n })
	if err != nil {
		return err
	}
	if len(ours) != n || len(theirs) != n || theirs[n-1].ID != ours[n-1].ID.String() || theirs[n-1].Description == nil {
		return fmt.Errorf("raw pager decoded %d events, ubiops %d, or they differ", len(theirs), len(ours))
	}
	b, err := json.Marshal(ours)
	if err != nil {
		return err
	}
	return sameAsServed(b, theirs)
}
