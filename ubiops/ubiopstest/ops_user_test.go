package ubiopstest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// The calls the official CLI makes at sign-in (GET /status, GET /user) and when it creates a project
// without an organization (GET /organizations), in raw HTTP under strict responses.

func rawJSON[T any](t *testing.T, srv *ubiopstest.Server, method, path, body string) T {
	t.Helper()
	status, b := rqRaw(t, srv, method, path, body)
	require.Less(t, status, 300, b)
	var v T
	require.NoError(t, json.Unmarshal([]byte(b), &v), b)
	return v
}

type userAnswer struct {
	ID      string  `json:"id"`
	Email   string  `json:"email"`
	Name    *string `json:"name"`
	Surname *string `json:"surname"`
}

type orgAnswer struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	CreationDate string `json:"creation_date"`
}

func TestCLISignInCalls(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	status := rawJSON[map[string]any](t, srv, http.MethodGet, "/status", "")
	assert.Equal(t, "ok", status["status"])

	u := rawJSON[userAnswer](t, srv, http.MethodGet, "/user", "")
	assert.Equal(t, "user@example.com", u.Email)
	require.NotNil(t, u.Name)
	require.NotNil(t, u.Surname)
	assert.Equal(t, "Test", *u.Name)
	assert.Equal(t, "User", *u.Surname)
	assert.Len(t, u.ID, 36)
	// Stable: the same id in another server.
	other := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	assert.Equal(t, u.ID, rawJSON[userAnswer](t, other, http.MethodGet, "/user", "").ID)

	// The user is the project member and the creator the fake records.
	rawJSON[map[string]any](t, srv, http.MethodPost, "/projects", `{"name": "p", "organization_name": "acme"}`)
	members := rawJSON[[]map[string]any](t, srv, http.MethodGet, "/projects/p/users", "")
	require.Len(t, members, 1)
	assert.Equal(t, u.ID, members[0]["id"])
	assert.Equal(t, u.Email, members[0]["email"])

	// The token is needed.
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/v2.1/user", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token wrong")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestWithUser(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses(), ubiopstest.WithUser("ada@example.org", "Ada", ""))
	u := rawJSON[userAnswer](t, srv, http.MethodGet, "/user", "")
	assert.Equal(t, "ada@example.org", u.Email)
	require.NotNil(t, u.Name)
	assert.Equal(t, "Ada", *u.Name)
	assert.Nil(t, u.Surname, "an empty surname is null")
	def := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	assert.NotEqual(t, rawJSON[userAnswer](t, def, http.MethodGet, "/user", "").ID, u.ID, "the id follows the email")

	rawJSON[map[string]any](t, srv, http.MethodPost, "/projects", `{"name": "p", "organization_name": "acme"}`)
	audit := rawJSON[[]map[string]any](t, srv, http.MethodGet, "/projects/p/audit", "")
	require.NotEmpty(t, audit)
	assert.Equal(t, "ada@example.org", audit[0]["user"])
}

func TestOrganizations(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	// No project yet: one default organization, which a project can be created in (the CLI
	// takes the first organization when none is given).
	orgs := rawJSON[[]orgAnswer](t, srv, http.MethodGet, "/organizations", "")
	require.Len(t, orgs, 1)
	assert.Equal(t, "ubiopstest-org", orgs[0].Name)
	assert.Len(t, orgs[0].ID, 36)
	_, err := time.Parse(time.RFC3339Nano, orgs[0].CreationDate)
	require.NoError(t, err)
	p := rawJSON[map[string]any](t, srv, http.MethodPost, "/projects", `{"name": "first", "organization_name": "`+orgs[0].Name+`"}`)
	assert.Equal(t, "ubiopstest-org", p["organization_name"])
	again := rawJSON[[]orgAnswer](t, srv, http.MethodGet, "/organizations", "")
	assert.Equal(t, orgs, again, "the same organization, same id and date, now from the project")

	// The organizations of the projects, each once, in the order of their first project.
	rawJSON[map[string]any](t, srv, http.MethodPost, "/projects", `{"name": "second", "organization_name": "acme"}`)
	rawJSON[map[string]any](t, srv, http.MethodPost, "/projects", `{"name": "third", "organization_name": "ubiopstest-org"}`)
	rawJSON[map[string]any](t, srv, http.MethodPost, "/projects", `{"name": "fourth", "organization_name": "acme"}`)
	orgs = rawJSON[[]orgAnswer](t, srv, http.MethodGet, "/organizations", "")
	require.Len(t, orgs, 2)
	assert.Equal(t, "ubiopstest-org", orgs[0].Name)
	assert.Equal(t, "acme", orgs[1].Name)
	assert.NotEqual(t, orgs[0].ID, orgs[1].ID)

	// Ids follow the name, in any server; the default organization goes once a project exists.
	other := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	rawJSON[map[string]any](t, other, http.MethodPost, "/projects", `{"name": "x", "organization_name": "acme"}`)
	otherOrgs := rawJSON[[]orgAnswer](t, other, http.MethodGet, "/organizations", "")
	require.Len(t, otherOrgs, 1)
	assert.Equal(t, orgs[1].ID, otherOrgs[0].ID)
	assert.Equal(t, "acme", otherOrgs[0].Name)

	// Deleting the projects brings the default back.
	status, b := rqRaw(t, other, http.MethodDelete, "/projects/x", "")
	require.Equal(t, http.StatusNoContent, status, b)
	otherOrgs = rawJSON[[]orgAnswer](t, other, http.MethodGet, "/organizations", "")
	require.Len(t, otherOrgs, 1)
	assert.Equal(t, "ubiopstest-org", otherOrgs[0].Name)
}
