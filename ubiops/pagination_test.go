package ubiops_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// setupVersion creates project p, deployment d (structured) and version v on a fake server.
func setupVersion(t *testing.T, opts ...ubiopstest.Option) (*ubiopstest.Server, *ubiops.Client) {
	t.Helper()
	srv := ubiopstest.NewServer(t, append([]ubiopstest.Option{ubiopstest.WithStrictResponses()}, opts...)...)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections) // goleak (main_test.go) allows no connection to outlive the tests
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
	require.NoError(t, err)
	_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypeStructured), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypeStructured),
		InputFields:  &[]ubiops.DeploymentInputField{{Name: "i", DataType: ubiops.DeploymentInputFieldDataTypeInt}},
		OutputFields: &[]ubiops.DeploymentOutputField{{Name: "i", DataType: ubiops.DeploymentOutputFieldDataTypeInt}},
	})
	require.NoError(t, err)
	_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v"})
	require.NoError(t, err)
	return srv, c
}

func TestCursorIteratorWalksEverything(t *testing.T) {
	srv, c := setupVersion(t)
	require.NoError(t, srv.SeedInstances("p", "d", "v", 1200, 1))
	ctx := context.Background()
	params := &ubiops.InstancesListParams{Limit: ubiops.Ptr(100)}

	seq := c.Instances.All(ctx, "p", "d", "v", params)
	assert.Equal(t, 0, srv.Count("instances_list"), "lazy: nothing is fetched before ranging")

	var first []ubiops.UUID
	seen := map[ubiops.UUID]bool{}
	for inst, err := range seq {
		require.NoError(t, err)
		require.False(t, seen[inst.ID], "yielded twice: %s", inst.ID)
		seen[inst.ID] = true
		first = append(first, inst.ID)
	}
	assert.Len(t, seen, 1200)
	assert.Equal(t, 12, srv.Count("instances_list"), "12 pages of 100")
	assert.Nil(t, params.Cursor, "the caller's params are never modified")
	assert.Equal(t, 100, *params.Limit)

	// Restartable: a second range starts again from the first page.
	var second []ubiops.UUID
	for inst, err := range seq {
		require.NoError(t, err)
		second = append(second, inst.ID)
	}
	assert.Equal(t, first, second)

	all, err := ubiops.Collect(c.InstanceTypes.All(ctx, "p", nil, ubiops.WithPageSize(3)))
	require.NoError(t, err)
	assert.NotEmpty(t, all)
}

func TestIteratorBreakFetchesNoMore(t *testing.T) {
	srv, c := setupVersion(t)
	require.NoError(t, srv.SeedInstances("p", "d", "v", 500, 1))
	n := 0
	for _, err := range c.Instances.All(context.Background(), "p", "d", "v", nil) {
		require.NoError(t, err)
		if n++; n == 60 {
			break
		}
	}
	assert.Equal(t, 2, srv.Count("instances_list"), "two pages of 50 were needed for 60 items; no third")
}

func TestIteratorMaxItems(t *testing.T) {
	srv, c := setupVersion(t)
	require.NoError(t, srv.SeedInstances("p", "d", "v", 500, 1))
	got, err := ubiops.Collect(c.Instances.All(context.Background(), "p", "d", "v", nil, ubiops.WithMaxItems(25)))
	require.NoError(t, err)
	assert.Len(t, got, 25)
	assert.Equal(t, 1, srv.Count("instances_list"))
}

// TestIteratorErrorOnPage3: the error is yielded once, after every item of pages 1 and 2, and the
// iteration stops.
func TestIteratorErrorOnPage3(t *testing.T) {
	srv, c := setupVersion(t)
	require.NoError(t, srv.SeedInstances("p", "d", "v", 1000, 1))
	items, errs := 0, 0
	var last error
	for _, err := range c.Instances.All(context.Background(), "p", "d", "v", nil,
		ubiops.WithPageSize(100), ubiops.WithNoRetry()) {
		if err != nil {
			errs++
			last = err
			continue
		}
		if items++; items == 200 {
			srv.InjectFault("instances_list", ubiopstest.Fault{Status: http.StatusInternalServerError, Times: 1})
		}
	}
	assert.Equal(t, 200, items)
	assert.Equal(t, 1, errs)
	assert.ErrorIs(t, last, ubiops.ErrServer)
	assert.Equal(t, 3, srv.Received("instances_list"))
}

func TestIteratorChecksContextBetweenPages(t *testing.T) {
	srv, c := setupVersion(t)
	require.NoError(t, srv.SeedInstances("p", "d", "v", 500, 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	items := 0
	var last error
	for _, err := range c.Instances.All(ctx, "p", "d", "v", nil) {
		if err != nil {
			last = err
			break
		}
		if items++; items == 10 {
			cancel()
		}
	}
	assert.Equal(t, 50, items, "the page in hand is finished")
	assert.ErrorIs(t, last, context.Canceled)
	assert.Equal(t, 1, srv.Count("instances_list"), "no page is fetched after cancellation")
}

// batchRequests creates n batch requests on p/d/v through the fake, 250 per call.
func batchRequests(t *testing.T, c *ubiops.Client, n int) {
	t.Helper()
	for sent := 0; sent < n; {
		k := min(250, n-sent)
		inputs := make([]any, k)
		for i := range inputs {
			inputs[i] = map[string]int{"i": sent + i}
		}
		_, err := c.Requests.BatchCreateForVersion(context.Background(), "p", "d", "v", inputs, nil)
		require.NoError(t, err)
		sent += k
	}
}

func TestOffsetIteratorWalksEverything(t *testing.T) {
	srv, c := setupVersion(t)
	batchRequests(t, c, 1050)
	ctx := context.Background()
	seen := map[ubiops.UUID]bool{}
	for r, err := range c.Requests.AllForVersion(ctx, "p", "d", "v", nil, ubiops.WithPageSize(100)) {
		require.NoError(t, err)
		require.False(t, seen[r.ID])
		seen[r.ID] = true
	}
	assert.Len(t, seen, 1050)
	assert.Equal(t, 11, srv.Count("deployment_version_requests_list"), "10 full pages and a short one")

	// The project-wide list and the default-version list see the same requests.
	project, err := ubiops.Collect(c.Requests.AllProject(ctx, "p", ubiops.ProjectRequestsListParamsObjectTypeDeployment, nil, ubiops.WithPageSize(500)))
	require.NoError(t, err)
	assert.Len(t, project, 1050)
	def, err := ubiops.Collect(c.Requests.All(ctx, "p", "d", nil))
	require.NoError(t, err)
	assert.Len(t, def, 1050)
}

// TestOffsetIteratorWithConcurrentCreates documents the guarantee for newest-first offset lists:
// requests created while iterating shift older ones down a page, and the iterator still yields each
// original request exactly once.
func TestOffsetIteratorWithConcurrentCreates(t *testing.T) {
	_, c := setupVersion(t)
	batchRequests(t, c, 100)
	ctx := context.Background()
	original, err := ubiops.Collect(c.Requests.AllForVersion(ctx, "p", "d", "v", nil, ubiops.WithPageSize(100)))
	require.NoError(t, err)
	require.Len(t, original, 100)

	seen := map[ubiops.UUID]int{}
	pages := 0
	for r, err := range c.Requests.AllForVersion(ctx, "p", "d", "v", nil, ubiops.WithPageSize(10)) {
		require.NoError(t, err)
		seen[r.ID]++
		if len(seen)%10 == 0 && pages < 5 {
			pages++
			batchRequests(t, c, 3) // newer requests push everything down three places
		}
	}
	for _, r := range original {
		assert.Equal(t, 1, seen[r.ID], "request %s", r.ID)
	}
	for id, n := range seen {
		assert.Equal(t, 1, n, "request %s yielded %d times", id, n)
	}
}

func TestOffsetIteratorAudit(t *testing.T) {
	_, c := setupVersion(t)
	ctx := context.Background()
	for i := 0; i < 30; i++ {
		_, err := c.EnvironmentVariables.Project.Create(ctx, "p", ubiops.EnvironmentVariableCreate{Name: fmt.Sprintf("V%c%c", 'A'+i/26, 'A'+i%26), Value: "x"})
		require.NoError(t, err)
	}
	all, err := ubiops.Collect(c.Audit.AllProject(ctx, "p", nil, ubiops.WithPageSize(7)))
	require.NoError(t, err)
	list, err := c.Audit.ListProject(ctx, "p", &ubiops.ProjectAuditEventsListParams{Limit: ubiops.Ptr(500)})
	require.NoError(t, err)
	assert.Equal(t, len(list), len(all))
	assert.GreaterOrEqual(t, len(all), 33)
	for i := 1; i < len(all); i++ {
		assert.False(t, all[i].Date.After(all[i-1].Date.Time), "newest first")
	}
	dep, err := ubiops.Collect(c.Audit.AllDeployment(ctx, "p", "d", nil))
	require.NoError(t, err)
	assert.NotEmpty(t, dep)
}

// TestCursorIteratorStopsOnRepeatedCursor: a server that hands out a cursor twice must not make
// the iterator loop forever.
func TestCursorIteratorStopsOnRepeatedCursor(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		next := fmt.Sprintf(`"http://%s%s?cursor=A"`, r.Host, r.URL.Path)
		if r.URL.Query().Get("cursor") == "A" {
			next = fmt.Sprintf(`"http://%s%s?cursor=B"`, r.Host, r.URL.Path)
		}
		if r.URL.Query().Get("cursor") == "B" {
			next = fmt.Sprintf(`"http://%s%s?cursor=A"`, r.Host, r.URL.Path) // back to A: a loop
		}
		_, _ = io.WriteString(w, `{"next":`+next+`,"previous":null,"results":[{"id":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e","name":"t","display_name":"T","credit_rate":1}]}`)
	}))
	defer srv.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("t"))
	require.NoError(t, err)
	items, err := ubiops.Collect(c.InstanceTypes.All(context.Background(), "p", nil))
	assert.ErrorIs(t, err, ubiops.ErrRepeatedCursor)
	assert.Len(t, items, 3, "pages at no cursor, A and B were yielded")
	assert.Equal(t, 3, calls)
}

func TestIteratorPathErrorsAreYielded(t *testing.T) {
	_, c := setupVersion(t)
	var errs []error
	for _, err := range c.Instances.All(context.Background(), "p", "..", "v", nil) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	var ve *ubiops.ValidationError
	assert.True(t, errors.As(errs[0], &ve))
}
