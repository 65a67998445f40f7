package apitime

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeEveryForm(t *testing.T) {
	utc := func(s string) time.Time { v, err := time.Parse(time.RFC3339Nano, s); require.NoError(t, err); return v }
	cases := map[string]time.Time{
		`"2018-10-26"`:                          utc("2018-10-26T00:00:00Z"),
		`"2018-10-26T17:12:43Z"`:                utc("2018-10-26T17:12:43Z"),
		`"2023-01-29T17:12:43.108+00:00"`:       utc("2023-01-29T17:12:43.108Z"),
		`"2020-05-12T16:23:15.456812Z"`:         utc("2020-05-12T16:23:15.456812Z"),
		`"2020-05-12T16:23:15.456812"`:          utc("2020-05-12T16:23:15.456812Z"),
		`"2020-05-12T16:23:15"`:                 utc("2020-05-12T16:23:15Z"),
		`"2020-05-12 16:23:15.456812"`:          utc("2020-05-12T16:23:15.456812Z"),
		`"2020-05-12 16:23:15+02:00"`:           utc("2020-05-12T14:23:15Z"),
		`"2020-05-12T16:23:15+0200"`:            utc("2020-05-12T14:23:15Z"),
		`"2020-05-12T16:23"`:                    utc("2020-05-12T16:23:00Z"),
		`"2020-05-12 16:23"`:                    utc("2020-05-12T16:23:00Z"),
		`"2020-05-12T16:23+0200"`:               utc("2020-05-12T14:23:00Z"),
		`"2020-05-12 16:23:15+02"`:              utc("2020-05-12T14:23:15Z"),
		`"2020-05-12T16:23:15.5-03"`:            utc("2020-05-12T19:23:15.5Z"),
		`"2020-05-12 16:23Z"`:                   utc("2020-05-12T16:23:00Z"),
		`"2020-05-12T16:23:15.123456789-05:00"`: utc("2020-05-12T21:23:15.123456789Z"),
	}
	for in, want := range cases {
		var got Time
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		assert.True(t, want.Equal(got.Time), "%s: got %s, want %s", in, got.Time, want)
	}
}

func TestDecodeNullKeepsValue(t *testing.T) {
	v := New(time.Unix(100, 0))
	require.NoError(t, json.Unmarshal([]byte("null"), &v))
	assert.Equal(t, int64(100), v.Unix())
}

func TestDecodeRefusesGarbage(t *testing.T) {
	for _, in := range []string{`"yesterday"`, `"2018-13-40"`, `12`, `""`, `"2018-10-26T25:00:00Z"`} {
		var got Time
		err := json.Unmarshal([]byte(in), &got)
		require.Error(t, err, in)
		var pe *time.ParseError
		assert.True(t, errors.As(err, &pe), "%s: %T", in, err)
	}
}

func TestRoundTrip(t *testing.T) {
	in := New(time.Date(2024, 2, 29, 23, 59, 58, 123000000, time.UTC))
	b, err := json.Marshal(struct {
		T Time  `json:"t"`
		P *Time `json:"p"`
	}{T: in, P: &in})
	require.NoError(t, err)
	assert.JSONEq(t, `{"t":"2024-02-29T23:59:58.123Z","p":"2024-02-29T23:59:58.123Z"}`, string(b))
	var out struct {
		T Time  `json:"t"`
		P *Time `json:"p"`
	}
	require.NoError(t, json.Unmarshal(b, &out))
	assert.True(t, in.Equal(out.T.Time))
	assert.True(t, in.Equal(out.P.Time))
}
