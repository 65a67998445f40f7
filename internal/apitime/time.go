// Package apitime holds the time type of the generated models: a time.Time that decodes every
// date-time form UbiOps answers with, not only RFC 3339. The ubiops package re-exports it as
// ubiops.Time.
package apitime

import (
	"bytes"
	"errors"
	"strconv"
	"time"
)

// Time is a point in time read from or written to the API. It embeds time.Time, so every method
// of time.Time works on it, and t.Time is the plain value.
//
// Decoding accepts RFC 3339 (with or without fractional seconds), a date-time without an offset
// (taken as UTC, as the API means it), a space instead of the "T", an offset without a colon, and a
// date alone (midnight UTC): the reference pages show project creation dates as "2018-10-26".
// JSON null leaves the value unchanged. Encoding writes RFC 3339 with nanoseconds, like time.Time.
type Time struct {
	time.Time
}

// New returns t as a Time.
func New(t time.Time) Time { return Time{Time: t} }

// layouts are tried in order, after a space between date and time became a "T"; the ones
// without a zone are read as UTC. Offsets may be "Z", "+hh:mm", "+hhmm" or "+hh"; seconds and
// fractions may be left out.
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04Z07",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ErrFormat is returned (wrapped in the decoding error) for a string that is no date or date-time.
var ErrFormat = errors.New("not a date-time the API uses")

// Parse reads s in any of the accepted forms.
func Parse(s string) (time.Time, error) {
	v := s
	if len(v) > 10 && v[10] == ' ' {
		v = v[:10] + "T" + v[11:]
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &time.ParseError{Layout: time.RFC3339, Value: s, Message: ": " + ErrFormat.Error()}
}

// UnmarshalJSON decodes a JSON string in any accepted form, or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err != nil || len(b) == 0 || b[0] != '"' {
		return &time.ParseError{Layout: time.RFC3339, Value: string(b), Message: ": a date-time must be a JSON string"}
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalJSON encodes t as an RFC 3339 string with nanoseconds, as time.Time does.
func (t Time) MarshalJSON() ([]byte, error) { return t.Time.MarshalJSON() }

// UnmarshalText decodes any accepted form (for query parameters and map keys).
func (t *Time) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalText encodes t as RFC 3339 with nanoseconds.
func (t Time) MarshalText() ([]byte, error) { return t.Time.MarshalText() }
