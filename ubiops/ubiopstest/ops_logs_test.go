package ubiopstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

// rqLogIDs lists the ids of log lines.
func rqLogIDs(lines []ubiops.Logs) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.ID
	}
	return out
}

func rqChronological(t *testing.T, lines []ubiops.Logs) {
	t.Helper()
	for i := 1; i < len(lines); i++ {
		assert.False(t, lines[i].Date.Before(lines[i-1].Date.Time), "line %d is older than the one before", i)
	}
}

func TestLogsOfRequests(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1", "v2")
	e.deployment(t, "p", "f", false, "v1")
	e.srv.HandleDeployment("p", "f", func(context.Context, json.RawMessage) (any, error) {
		return nil, errors.New("model missing")
	})
	before := ubiops.NewTime(time.Now().Add(-time.Second))

	r1, err := e.c.Requests.Create(ctx, "p", "d", "one", nil)
	require.NoError(t, err)
	time.Sleep(2 * time.Millisecond)
	r2, err := e.c.Requests.CreateForVersion(ctx, "p", "d", "v2", "two", nil)
	require.NoError(t, err)
	time.Sleep(2 * time.Millisecond)
	r3, err := e.c.Requests.Create(ctx, "p", "f", "three", nil)
	require.NoError(t, err)

	// Requests write their lines; other helpers may log more (builds), so filter on deployments.
	logs := func(q ubiops.LogsCreate) []ubiops.Logs {
		t.Helper()
		out, err := e.c.Logs.ListDeprecated(ctx, "p", q)
		require.NoError(t, err)
		rqChronological(t, out)
		return out
	}
	byDeployment := func(name string, q ubiops.LogsCreate) []ubiops.Logs {
		t.Helper()
		if q.Filters == nil {
			q.Filters = &ubiops.LogsCreateFilters{}
		}
		q.Filters.DeploymentName = ubiops.Ptr(name)
		return logs(q)
	}

	d := byDeployment("d", ubiops.LogsCreate{})
	require.Len(t, d, 4)
	assert.Equal(t, "Request received", d[0].Log)
	assert.Equal(t, `Request completed: "one"`, d[1].Log)
	assert.Equal(t, r1.ID, *d[0].DeploymentRequestID)
	assert.Equal(t, "v1", *d[0].DeploymentVersion)
	assert.Equal(t, r2.ID, *d[2].DeploymentRequestID)
	assert.Equal(t, "v2", *d[3].DeploymentVersion)
	for _, l := range d {
		assert.Equal(t, "d", *l.DeploymentName)
		assert.Len(t, l.ID, 24)
	}

	// Filters: version, request id, level, system, and objects the fake does not have.
	v2 := byDeployment("d", ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{DeploymentVersion: ubiops.Ptr("v2")}})
	assert.Equal(t, rqLogIDs(d[2:]), rqLogIDs(v2))
	one := logs(ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{DeploymentRequestID: &r1.ID}})
	assert.Equal(t, rqLogIDs(d[:2]), rqLogIDs(one))
	errs := logs(ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{Level: ubiops.Ptr(ubiops.LogsCreateFiltersLevelError)}})
	require.Len(t, errs, 1)
	assert.Equal(t, r3.ID, *errs[0].DeploymentRequestID)
	assert.Equal(t, "Request failed: model missing", errs[0].Log)
	infoF := byDeployment("f", ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{Level: ubiops.Ptr(ubiops.LogsCreateFiltersLevelInfo)}})
	assert.Len(t, infoF, 1)
	assert.Len(t, byDeployment("d", ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{System: ubiops.Ptr(true)}}), 4)
	assert.Empty(t, byDeployment("d", ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{System: ubiops.Ptr(false)}}))
	assert.Empty(t, logs(ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{PipelineName: ubiops.Ptr("pipe")}}))
	assert.Empty(t, logs(ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{WebhookName: ubiops.Ptr("hook")}}))
	assert.Empty(t, byDeployment("nope", ubiops.LogsCreate{}))

	// Forwards from a date, backwards from now, and limits (the lines nearest the start).
	all := byDeployment("d", ubiops.LogsCreate{Date: &before, DateRange: ubiops.Ptr(3600)})
	assert.Equal(t, rqLogIDs(d), rqLogIDs(all))
	firstTwo := byDeployment("d", ubiops.LogsCreate{Date: &before, DateRange: ubiops.Ptr(3600), Limit: ubiops.Ptr(2)})
	assert.Equal(t, rqLogIDs(d[:2]), rqLogIDs(firstTwo))
	lastTwo := byDeployment("d", ubiops.LogsCreate{Limit: ubiops.Ptr(2)})
	assert.Equal(t, rqLogIDs(d[2:]), rqLogIDs(lastTwo), "backwards from now: the most recent lines, oldest first")
	assert.Empty(t, byDeployment("d", ubiops.LogsCreate{Date: &before, DateRange: ubiops.Ptr(-3600)}), "nothing before the requests")
	future := ubiops.NewTime(time.Now().Add(time.Hour))
	assert.Empty(t, byDeployment("d", ubiops.LogsCreate{Date: &future, DateRange: ubiops.Ptr(3600)}))
	// The date is inclusive.
	at := d[1].Date
	exact := byDeployment("d", ubiops.LogsCreate{Date: &at, DateRange: ubiops.Ptr(0)})
	assert.Contains(t, rqLogIDs(exact), d[1].ID)
	fromAt := byDeployment("d", ubiops.LogsCreate{Date: &at, DateRange: ubiops.Ptr(60)})
	assert.Equal(t, d[1].ID, fromAt[0].ID)
	toAt := byDeployment("d", ubiops.LogsCreate{Date: &at, DateRange: ubiops.Ptr(-60)})
	assert.Equal(t, d[1].ID, toAt[len(toAt)-1].ID)

	// An id starts the window and is part of the answer, in either direction.
	fwd := byDeployment("d", ubiops.LogsCreate{ID: &d[1].ID, DateRange: ubiops.Ptr(100)})
	assert.Equal(t, rqLogIDs(d[1:]), rqLogIDs(fwd))
	back := byDeployment("d", ubiops.LogsCreate{ID: &d[2].ID, DateRange: ubiops.Ptr(-100)})
	assert.Equal(t, rqLogIDs(d[:3]), rqLogIDs(back))
	backOne := byDeployment("d", ubiops.LogsCreate{ID: &d[2].ID, DateRange: ubiops.Ptr(-100), Limit: ubiops.Ptr(1)})
	assert.Equal(t, []string{d[2].ID}, rqLogIDs(backOne))
	fwdOne := byDeployment("d", ubiops.LogsCreate{ID: &d[2].ID, DateRange: ubiops.Ptr(100), Limit: ubiops.Ptr(1)})
	assert.Equal(t, []string{d[2].ID}, rqLogIDs(fwdOne))

	// Refused queries.
	for name, q := range map[string]ubiops.LogsCreate{
		"date and id":            {Date: &before, ID: &d[0].ID},
		"malformed id":           {ID: ubiops.Ptr("xyz")},
		"version without name":   {Filters: &ubiops.LogsCreateFilters{DeploymentVersion: ubiops.Ptr("v1")}},
		"pipeline version alone": {Filters: &ubiops.LogsCreateFilters{PipelineVersion: ubiops.Ptr("v1")}},
		"object without version": {Filters: &ubiops.LogsCreateFilters{PipelineName: ubiops.Ptr("p"), PipelineObjectName: ubiops.Ptr("o")}},
		"limit above 5000":       {Limit: ubiops.Ptr(5001)},
		"limit 0":                {Limit: ubiops.Ptr(0)},
		"range beyond a day":     {DateRange: ubiops.Ptr(86401)},
		"range beyond a day ago": {DateRange: ubiops.Ptr(-86401)},
	} {
		_, err := e.c.Logs.ListDeprecated(ctx, "p", q)
		assert.ErrorIs(t, err, ubiops.ErrBadRequest, name)
	}
	_, err = e.c.Logs.ListDeprecated(ctx, "nope", ubiops.LogsCreate{})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// The body is optional.
	status, body := rqRaw(t, e.srv, http.MethodPost, "/projects/p/logs", "")
	assert.Equal(t, http.StatusOK, status, body)
}

func TestLogsPaging(t *testing.T) {
	e := rqServer(t, 10*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")
	before := ubiops.NewTime(time.Now().Add(-time.Second))
	const n = 130 // 260 lines
	for i := range n {
		_, err := e.c.Requests.Create(ctx, "p", "d", fmt.Sprintf("r%d", i), nil)
		require.NoError(t, err)
	}
	filters := &ubiops.LogsCreateFilters{DeploymentName: ubiops.Ptr("d")}

	// The default limit is 1000 (the live API's; the pages say 50); 5000 at most.
	everything, err := e.c.Logs.ListDeprecated(ctx, "p", ubiops.LogsCreate{Filters: filters})
	require.NoError(t, err)
	require.Len(t, everything, 2*n)
	rqChronological(t, everything)
	most, err := e.c.Logs.ListDeprecated(ctx, "p", ubiops.LogsCreate{Filters: filters, Limit: ubiops.Ptr(5000)})
	require.NoError(t, err)
	assert.Equal(t, rqLogIDs(everything), rqLogIDs(most))
	lines, err := e.c.Logs.ListDeprecated(ctx, "p", ubiops.LogsCreate{Filters: filters, Limit: ubiops.Ptr(50)})
	require.NoError(t, err)
	assert.Equal(t, rqLogIDs(everything[2*n-50:]), rqLogIDs(lines), "the most recent 50")

	// Forwards: each page starts with the last line of the one before.
	var got []string
	q := ubiops.LogsCreate{Filters: filters, Date: &before, DateRange: ubiops.Ptr(3600), Limit: ubiops.Ptr(40)}
	for {
		page, err := e.c.Logs.ListDeprecated(ctx, "p", q)
		require.NoError(t, err)
		require.NotEmpty(t, page)
		if len(got) > 0 {
			require.Equal(t, got[len(got)-1], page[0].ID, "the id's line is included")
			page = page[1:]
		}
		got = append(got, rqLogIDs(page)...)
		if len(page) == 0 {
			break
		}
		q = ubiops.LogsCreate{Filters: filters, ID: &got[len(got)-1], DateRange: ubiops.Ptr(3600), Limit: ubiops.Ptr(40)}
	}
	assert.Equal(t, rqLogIDs(everything), got)

	// Backwards from the newest line.
	var back []string
	q = ubiops.LogsCreate{Filters: filters, Limit: ubiops.Ptr(70)}
	for {
		page, err := e.c.Logs.ListDeprecated(ctx, "p", q)
		require.NoError(t, err)
		require.NotEmpty(t, page)
		if len(back) > 0 {
			require.Equal(t, back[0], page[len(page)-1].ID, "the id's line is included")
			page = page[:len(page)-1]
		}
		back = append(rqLogIDs(page), back...)
		if len(page) == 0 {
			break
		}
		q = ubiops.LogsCreate{Filters: filters, ID: &back[0], DateRange: ubiops.Ptr(-3600), Limit: ubiops.Ptr(70)}
	}
	assert.Equal(t, rqLogIDs(everything), back)
}
