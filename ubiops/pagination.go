package ubiops

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"slices"
)

// ErrRepeatedCursor ends a cursor iteration whose server returned a cursor it had already returned.
var ErrRepeatedCursor = errors.New("ubiops: pagination cursor repeated")

// ErrRepeatedPage ends an iteration whose server keeps answering pages that bring nothing new,
// which would otherwise be fetched forever: an offset list whose full page repeats the previous
// page or an earlier one (the server ignores offset; or a whole page of items was created between
// two fetches, which an offset list cannot reconcile), or a cursor list whose pages hold no items
// yet keep pointing to a next page.
var ErrRepeatedPage = errors.New("ubiops: pagination made no progress")

// maxEmptyPages is how many pages in a row a cursor list may answer with no item and a next page.
const maxEmptyPages = 3

// defaultPageSize is the documented default page size of the API's lists.
const defaultPageSize = 50

// iterConfig is an iterator's settings: its page size and item cap (WithPageSize, WithMaxItems),
// and the options every page request is sent with.
type iterConfig struct {
	pageSize int
	maxItems int
	call     []CallOption
}

// newIterConfig reads an iterator's settings from its options; paramsLimit is the limit the
// caller's params carry, if any.
func (c *Client) newIterConfig(opts []CallOption, paramsLimit *int) iterConfig {
	cc := c.callOptions(opts)
	cfg := iterConfig{pageSize: cc.pageSize, maxItems: cc.maxItems, call: opts}
	if cfg.pageSize <= 0 && paramsLimit != nil && *paramsLimit > 0 {
		cfg.pageSize = *paramsLimit
	}
	if cfg.pageSize <= 0 {
		cfg.pageSize = defaultPageSize
	}
	return cfg
}

// Collect drains a sequence into a slice, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// cursorFetch fetches the page at cursor (nil: the first page) and returns its items and the
// link (or cursor) of the next page.
type cursorFetch[T any] func(ctx context.Context, cursor *string, limit int, opts []CallOption) ([]T, *string, error)

// cursorSeq iterates a cursor-paginated list.
func cursorSeq[T any](ctx context.Context, cfg iterConfig, fetch cursorFetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var cursor *string
		seen := map[string]struct{}{}
		count, empty := 0, 0
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, err := fetch(ctx, cursor, cfg.pageSize, cfg.call)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
				if count++; cfg.maxItems > 0 && count >= cfg.maxItems {
					return
				}
			}
			link := Value(next)
			if link == "" {
				return // null, absent or empty: the last page
			}
			empty++
			if len(items) > 0 {
				empty = 0
			}
			if empty >= maxEmptyPages {
				yield(zero, fmt.Errorf("%w: %d pages in a row held no item but pointed to a next page", ErrRepeatedPage, empty))
				return
			}
			c := cursorFromLink(link)
			if _, dup := seen[c]; dup {
				yield(zero, fmt.Errorf("%w: %q", ErrRepeatedCursor, c))
				return
			}
			seen[c] = struct{}{}
			cursor = &c
		}
	}
}

// cursorFromLink extracts the cursor from a next-page link ("https://…?cursor=abc&limit=50");
// a value that is not such a link is taken to be the cursor itself.
func cursorFromLink(link string) string {
	if u, err := url.Parse(link); err == nil {
		if q := u.Query(); q.Has("cursor") {
			return q.Get("cursor")
		}
	}
	return link
}

// offsetFetch fetches limit items starting at offset.
type offsetFetch[T any] func(ctx context.Context, offset, limit int, opts []CallOption) ([]T, error)

// offsetSeq iterates an offset-paginated list. key identifies an item, to drop items a shifting
// list repeats from the previous page.
func offsetSeq[T any](ctx context.Context, cfg iterConfig, key func(T) UUID, fetch offsetFetch[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		offset, count := 0, 0
		var previous map[UUID]struct{}
		pages := map[[sha256.Size]byte]struct{}{} // the full pages answered so far
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, err := fetch(ctx, offset, cfg.pageSize, cfg.call)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(items) >= cfg.pageSize {
				// A full page means another fetch; it must bring something new, or the next one
				// would not either (a server that ignores offset answers the same page forever).
				fp := pageFingerprint(items, key)
				_, again := pages[fp]
				if again || !slices.ContainsFunc(items, func(it T) bool { _, dup := previous[key(it)]; return !dup }) {
					yield(zero, fmt.Errorf("%w: the page at offset %d repeats an earlier page (does the server ignore offset?)", ErrRepeatedPage, offset))
					return
				}
				pages[fp] = struct{}{}
			}
			current := make(map[UUID]struct{}, len(items))
			for _, it := range items {
				k := key(it)
				current[k] = struct{}{}
				if _, dup := previous[k]; dup {
					continue // pushed down by an item created since the previous page
				}
				if !yield(it, nil) {
					return
				}
				if count++; cfg.maxItems > 0 && count >= cfg.maxItems {
					return
				}
			}
			if len(items) < cfg.pageSize {
				return
			}
			offset += len(items)
			previous = current
		}
	}
}

// pageFingerprint identifies a page by the set of its items' keys, whatever their order.
func pageFingerprint[T any](items []T, key func(T) UUID) [sha256.Size]byte {
	keys := make([]UUID, len(items))
	for i, it := range items {
		keys[i] = key(it)
	}
	slices.SortFunc(keys, func(a, b UUID) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	for _, k := range keys {
		h.Write(k[:])
	}
	var fp [sha256.Size]byte
	h.Sum(fp[:0])
	return fp
}

// copyOf returns a copy of *p (the zero value for nil), so iterators never share or modify the
// caller's params.
func copyOf[P any](p *P) P {
	var v P
	if p != nil {
		v = *p
	}
	return v
}
