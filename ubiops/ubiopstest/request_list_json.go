package ubiopstest

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Request lists are the fake's longest answers and are read page after page, so a page is written
// as JSON straight from the requests: building the API's list types first (a map per nullable
// field) and encoding them by reflection cost several times as much. The bytes are those
// encoding/json writes for the API's types (requestListItems, requestOverviews), which
// TestRequestListJSONIsTheAPITypes checks; a page the fast path cannot write (a date outside the
// years 0 to 9999) goes through the types, which then report why it cannot be encoded.

// requestListAnswer answers a page of a request list: DeploymentRequestList items, or with
// overview (project_requests_list) RequestsOverview items.
func (c *call) requestListAnswer(page []*request, overview bool) answer {
	if b, good := c.appendRequestList(make([]byte, 0, 2+330*len(page)), page, overview); good {
		return answer{status: http.StatusOK, encoded: b}
	}
	if overview {
		return ok(c.requestOverviews(page))
	}
	return ok(c.requestListItems(page))
}

// requestListItems is a page as the API's DeploymentRequestList items.
func (c *call) requestListItems(page []*request) []ubiops.DeploymentRequestList {
	out := make([]ubiops.DeploymentRequestList, 0, len(page))
	for _, r := range page {
		b := c.batchDetail(r)
		out = append(out, ubiops.DeploymentRequestList{
			ID: b.ID, Deployment: b.Deployment, Version: b.Version,
			Status:  ubiops.DeploymentRequestListStatus(b.Status),
			Success: b.Success, TimeCreated: b.TimeCreated, TimeStarted: b.TimeStarted, TimeCompleted: b.TimeCompleted,
			InputSize: b.InputSize, OutputSize: b.OutputSize,
		})
	}
	return out
}

// requestOverviews is a page as the API's RequestsOverview items.
func (c *call) requestOverviews(page []*request) []ubiops.RequestsOverview {
	out := make([]ubiops.RequestsOverview, 0, len(page))
	for _, r := range page {
		b := c.batchDetail(r)
		out = append(out, ubiops.RequestsOverview{
			ID: b.ID, Deployment: b.Deployment, Pipeline: nil, Version: b.Version,
			Status:  ubiops.RequestsOverviewStatus(b.Status),
			Success: b.Success, TimeCreated: b.TimeCreated, TimeStarted: b.TimeStarted, TimeCompleted: b.TimeCompleted,
			InputSize: b.InputSize, OutputSize: b.OutputSize,
		})
	}
	return out
}

// appendRequestList appends the page as a JSON array; good is false if a date cannot be written.
func (c *call) appendRequestList(b []byte, page []*request, overview bool) (_ []byte, good bool) {
	now := c.now() // the statuses of the whole page at one moment
	b = append(b, '[')
	for i, r := range page {
		if i > 0 {
			b = append(b, ',')
		}
		if b, good = c.appendRequestItem(b, r, now, overview); !good {
			return nil, false
		}
	}
	return append(b, ']'), true
}

// appendRequestItem appends one request as batchDetail describes it at now, with the fields of the
// list types in their order (encoding/json's: the order of the generated struct's fields).
func (c *call) appendRequestItem(b []byte, r *request, now time.Time, overview bool) (_ []byte, good bool) {
	status := c.requestStatusAt(r, now)
	b = append(b, `{"deployment":`...)
	b = appendJSONString(b, r.dep.detail.Name)
	b = append(b, `,"id":"`...)
	b = appendUUID(b, r.id)
	b = append(b, `","input_size":`...)
	b = strconv.AppendInt(b, int64(len(r.input)), 10)
	// output_size is required (null until there is a result) in a list item, optional (left out
	// when null) in an overview; success is optional in both.
	switch {
	case r.final == reqCompleted:
		b = append(b, `,"output_size":`...)
		b = strconv.AppendInt(b, int64(len(r.result)), 10)
	case !overview:
		b = append(b, `,"output_size":null`...)
	}
	if overview {
		b = append(b, `,"pipeline":null`...)
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, status)
	if r.final != "" {
		b = append(b, `,"success":`...)
		b = strconv.AppendBool(b, r.final == reqCompleted)
	}
	b = append(b, `,"time_completed":`...)
	if r.final != "" {
		if b, good = appendJSONTime(b, r.completed); !good {
			return nil, false
		}
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"time_created":`...)
	if b, good = appendJSONTime(b, r.created); !good {
		return nil, false
	}
	b = append(b, `,"time_started":`...)
	switch {
	case !r.started.IsZero():
		b, good = appendJSONTime(b, r.started)
	case r.final == "" && status != reqPending: // processing or cancelled_pending
		b, good = appendJSONTime(b, r.created.Add(c.s.opts.requestDuration/4))
	default:
		b, good = append(b, "null"...), true
	}
	if !good {
		return nil, false
	}
	b = append(b, `,"version":`...)
	b = appendJSONString(b, r.ver.detail.Version)
	return append(b, '}'), true
}

// appendJSONTime appends t as encoding/json writes a time.Time (RFC 3339 with the nanoseconds it
// has); good is false if RFC 3339 cannot carry it.
func appendJSONTime(b []byte, t time.Time) (_ []byte, good bool) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	if err != nil {
		return nil, false
	}
	return append(b, '"'), true
}

// appendUUID appends the canonical form of id (lower-case hexadecimal in groups of 8-4-4-4-12).
func appendUUID(b []byte, id ubiops.UUID) []byte {
	var s [36]byte
	hex.Encode(s[0:8], id[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], id[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], id[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], id[8:10])
	s[23] = '-'
	hex.Encode(s[24:], id[10:])
	return append(b, s[:]...)
}

// appendJSONString appends s as a JSON string the way encoding/json writes it: as it is when it
// is printable ASCII that needs no escape, else through encoding/json (which escapes quotes,
// backslashes, control and HTML characters, U+2028 and U+2029, and replaces invalid UTF-8).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
