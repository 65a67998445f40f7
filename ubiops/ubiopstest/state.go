package ubiopstest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/ubiops/ubiops-go/ubiops"
)

// The fake's state. Every handler runs with Server.mu held, so none of this needs its own locking.
// Objects are kept as the API's own types, so answers are the stored values; list shapes are
// derived with convert. Status transitions (builds, batch requests) are computed from timestamps
// when read, so the fake runs no goroutines.

// defaultUserEmail is the account the token belongs to, unless WithUser says otherwise.
const defaultUserEmail = "user@example.com"

type state struct {
	s        *Server
	handlers map[string]DeploymentHandler
	// streamHandlers serve streaming requests, by "project/deployment".
	streamHandlers map[string]StreamHandler
	projects       []*project
	projectsByName nameIndex[*project] // index.go
	user           ubiops.ProjectUserList
	catalogue      []ubiops.InstanceTypeList
	templates      []template
	baseEnvs       []*environment
	logSequence    int64
	eventCounter   int64
}

type project struct {
	detail       ubiops.ProjectDetail
	users        []ubiops.ProjectUserList
	envVars      []*ubiops.EnvironmentVariableList
	deployments  []*deployment
	environments []*environment
	groups       []*ubiops.InstanceTypeGroupList
	audit        []ubiops.AuditList
	requests     []*request // in creation order (see addRequest in ops_requests.go)
	requestIDs   map[ubiops.UUID]*request
	logs         []ubiops.Logs

	deploymentsByName nameIndex[*deployment] // the deployments by name (index.go)
}

type deployment struct {
	detail   ubiops.DeploymentDetail
	envVars  []*ubiops.EnvironmentVariableList
	versions []*version
	// audit maps the ids of the project's audit events about this deployment to the id of their
	// object (the deployment or one of its versions); see recordDeployment.
	audit map[ubiops.UUID]ubiops.UUID

	versionsByName nameIndex[*version] // the versions by name (index.go)
}

type version struct {
	detail    ubiops.DeploymentVersionDetail
	envVars   []*ubiops.EnvironmentVariableList
	revisions []*revision
	builds    []*build
	instances []*instance
	requests  []*request // the requests made to it, in creation order
}

type revision struct {
	id        ubiops.UUID
	created   time.Time
	createdBy string
	archive   *blob // the deployment package
	fileName  string
	// failure is the build's error message when the package is unusable ("" builds fine).
	failure                 string
	hasRequest, hasRequests bool
}

type build struct {
	id       ubiops.UUID
	revision *revision
	created  time.Time
	trigger  string
}

type environment struct {
	detail    ubiops.EnvironmentDetail
	revisions []*envRevision // oldest first
	builds    []*envBuild    // every build of every revision, oldest first
}

type envRevision struct {
	id        ubiops.UUID
	created   time.Time
	createdBy string
	archive   *blob // the environment file
	fileName  string
	deps      []ubiops.EnvironmentBuildDependency
	failure   string
	builds    []*envBuild
}

type envBuild struct {
	id        ubiops.UUID
	revision  *envRevision
	created   time.Time
	trigger   string
	cancelled *time.Time
}

type instance struct {
	detail ubiops.InstanceDetail
	events []ubiops.InstanceEvent
}

type template struct {
	list    ubiops.TemplateDeploymentList
	archive []byte
}

func newState(s *Server) *state {
	st := &state{s: s, handlers: map[string]DeploymentHandler{}, streamHandlers: map[string]StreamHandler{}}
	u := s.opts.user
	st.user = ubiops.ProjectUserList{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte(u.email)), Email: openapi_types.Email(u.email), Name: nullUnlessEmpty(u.name), Surname: nullUnlessEmpty(u.surname)}
	st.catalogue = instanceCatalogue(s.started)
	st.templates = templateCatalogue(s.started)
	st.baseEnvs = baseEnvironments(s.started)
	return st
}

func newID() ubiops.UUID { return uuid.New() }

// fakeUser is the email of the user the token belongs to.
func (st *state) fakeUser() string { return string(st.user.Email) }

// nullUnlessEmpty is s, or null when s is empty.
func nullUnlessEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return ubiops.Ptr(s)
}

// encodableTime reports whether a moment can be part of an answer: JSON dates (RFC 3339) have
// four-digit years, so a date from a request that an answer repeats must lie in the years 0 to 9999.
func encodableTime(t time.Time) bool { return t.Year() >= 0 && t.Year() <= 9999 }

// stamp turns a moment of the fake's clock into the models' date-time type.
func stamp(t time.Time) ubiops.Time { return ubiops.NewTime(t) }

// nullStamp is stamp for the date-time fields that may be null.
func nullStamp(t time.Time) *ubiops.Time { return ubiops.Ptr(stamp(t)) }

// valueOf reads a field that may be null or absent: its value, or T's zero value.
func valueOf[T any](p *T) T { return ubiops.Value(p) }

// convert re-encodes a stored object as another of the API's types (a Detail as its List shape).
func convert[T any](v any) T {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		panic("ubiopstest: convert: " + err.Error())
	}
	if err := json.Unmarshal(b, &out); err != nil {
		panic("ubiopstest: convert: " + err.Error())
	}
	return out
}

// Name bounds the spec's answers carry (and its create bodies, where the spec says so). The
// handlers also hold renames, and version names on create, to them, so that no answer breaks them.
const (
	maxObjectName      = 64   // projects, deployments, versions
	maxEnvironmentName = 1024 // environments
)

// checkName refuses a blank name and one longer than limit characters, naming the body field (400).
func checkName(field, name string, limit int) (answer, bool) {
	if strings.TrimSpace(name) == "" {
		return apiError(http.StatusBadRequest, "request body field %s: may not be blank", field), false
	}
	if n := utf8.RuneCountInString(name); n > limit {
		return apiError(http.StatusBadRequest, "request body field %s: at most %d characters, got %d", field, limit, n), false
	}
	return answer{}, true
}

// checkPathName is checkName for a name that is also a path segment of the API (deployments,
// versions, environments). The reference pages document no character rule for these names (the
// spec has only their lengths). The fake assumes the live API refuses only what cannot be a name in
// a path segment, and refuses that at create and rename (400 naming the field), so that every
// object it holds can be read and deleted again: "." and "..", which path resolution removes; a
// "/", which splits the segment; a control character (C0 such as NUL, tab and newline, DEL, C1);
// and invalid UTF-8 (which a JSON body cannot carry: decoding replaces it). Anything else is a
// name, spaces and non-ASCII letters included ("my model", "modèle"): clients escape them in paths.
func checkPathName(field, name string, limit int) (answer, bool) {
	if a, good := checkName(field, name, limit); !good {
		return a, false
	}
	switch {
	case name == "." || name == "..":
		return apiError(http.StatusBadRequest, "request body field %s: %q is not a valid name", field, name), false
	case !utf8.ValidString(name):
		return apiError(http.StatusBadRequest, "request body field %s: not valid UTF-8", field), false
	case strings.Contains(name, "/"):
		return apiError(http.StatusBadRequest, "request body field %s: may not contain a slash (/)", field), false
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return apiError(http.StatusBadRequest, "request body field %s: may not contain the control character %U", field, r), false
		}
	}
	return answer{}, true
}

// decode unmarshals the (already spec-validated) JSON body.
func (c *call) decode(v any) error { return json.Unmarshal(c.body, v) }

// has reports whether the JSON body sets a top-level field, so PATCH handlers change only what is
// sent.
func (c *call) has(field string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(c.body, &m) != nil {
		return false
	}
	_, ok := m[field]
	return ok
}

// queryInt reads an integer query parameter (def when absent or not an integer). A value beyond
// the range of int is taken as the nearest int, never wrapped. (The spec refuses integers beyond
// int64, and a limit or offset below its minimum, before a handler runs; the paging is safe with
// any value anyway, see pageBounds.)
func (c *call) queryInt(name string, def int) int {
	v := c.query.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) { // ParseInt saturates on ErrRange
		return def
	}
	return int(max(min(n, math.MaxInt), math.MinInt))
}

func (c *call) queryBool(name string) (value, set bool) {
	v := c.query.Get(name)
	if v == "" {
		return false, false
	}
	b, err := strconv.ParseBool(v)
	return b, err == nil
}

func (c *call) queryTime(name string) (time.Time, bool) {
	v := c.query.Get(name)
	if v == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t, err == nil
}

func (c *call) st() *state { return c.s.state }

func (c *call) now() time.Time { return c.s.now() }

// project looks up the project named in the path; ok is false (with a 404 answer) if it does not
// exist.
func (c *call) project() (*project, answer, bool) {
	if p := c.st().findProject(c.path["project_name"]); p != nil {
		return p, answer{}, true
	}
	return nil, notFound("Project"), false
}

func (c *call) deployment() (*project, *deployment, answer, bool) {
	p, a, ok := c.project()
	if !ok {
		return nil, nil, a, false
	}
	if d := p.findDeployment(c.path["deployment_name"]); d != nil {
		return p, d, answer{}, true
	}
	return nil, nil, notFound("Deployment"), false
}

func (c *call) version() (*project, *deployment, *version, answer, bool) {
	p, d, a, ok := c.deployment()
	if !ok {
		return nil, nil, nil, a, false
	}
	if v := d.findVersion(c.path["version"]); v != nil {
		return p, d, v, answer{}, true
	}
	return nil, nil, nil, notFound("Version"), false
}

func (c *call) environment() (*project, *environment, answer, bool) {
	p, a, ok := c.project()
	if !ok {
		return nil, nil, a, false
	}
	if e := p.findEnvironment(c.st(), c.path["environment_name"]); e != nil {
		return p, e, answer{}, true
	}
	return nil, nil, notFound("Environment"), false
}

// findEnvironment looks in the project's environments and then in the base environments.
func (p *project) findEnvironment(st *state, name string) *environment {
	for _, e := range p.environments {
		if e.detail.Name == name {
			return e
		}
	}
	for _, e := range st.baseEnvs {
		if e.detail.Name == name {
			return e
		}
	}
	return nil
}

// record appends an audit event; every mutation records one.
func (c *call) record(p *project, action ubiops.AuditListAction, objectType, objectName, event string) {
	p.audit = append(p.audit, ubiops.AuditList{
		ID: newID(), Date: stamp(c.now()), Action: action, User: c.st().user.Email, Event: event,
		ObjectType: objectType, ObjectName: ubiops.Ptr(objectName),
	})
}

// logLine appends a log line to the project. Ids are 24 hexadecimal characters, like UbiOps', and
// increase with time so that readers can page by id.
func (st *state) logLine(p *project, at time.Time, text string, fill func(*ubiops.Logs)) {
	st.logSequence++
	l := ubiops.Logs{ID: logID(at, st.logSequence), Log: text, Date: stamp(at), System: ubiops.Ptr(true), Level: ubiops.Ptr(ubiops.LogsLevelInfo)}
	if fill != nil {
		fill(&l)
	}
	// Keep logs sorted by date (lines can be recorded for moments in the past or future).
	i := sort.Search(len(p.logs), func(i int) bool { return p.logs[i].Date.After(at) })
	p.logs = append(p.logs, ubiops.Logs{})
	copy(p.logs[i+1:], p.logs[i:])
	p.logs[i] = l
}

func logID(at time.Time, seq int64) string {
	// Eight hexadecimal digits hold the seconds from 1970 to 2106; a line dated outside (SeedLogs
	// takes any date) gets the nearest, rather than an id of another length.
	secs := min(max(at.Unix(), 0), math.MaxUint32)
	return padHex(secs, 8) + padHex(seq, 16)
}

func padHex(n int64, width int) string {
	s := strconv.FormatInt(n, 16)
	return strings.Repeat("0", max(0, width-len(s))) + s
}

// offsetPage applies limit/offset (default limit 50, the documented default).
func offsetPage[T any](c *call, items []T) []T {
	start, end := pageBounds(len(items), c.queryInt("offset", 0), c.queryInt("limit", 50))
	if start == end {
		return []T{}
	}
	return items[start:end]
}

// pageBounds is the page [start, end) of n items that skips offset items and holds at most limit,
// for any offset and limit: it never overflows (offset+limit is not computed) and is always within
// [0, n]. The spec refuses a negative offset and a limit below 1; here a negative offset counts as
// 0 and such a limit as the default 50.
func pageBounds(n, offset, limit int) (start, end int) {
	if limit < 1 {
		limit = 50
	}
	start = min(max(offset, 0), n)
	end = start + min(limit, n-start)
	return start, end
}

// cursorPage applies cursor/limit and returns the page with links to the next and previous pages.
// A cursor is an opaque token; the links are absolute URLs carrying it, like UbiOps'.
func cursorPage[T any](c *call, items []T) (page []T, next, previous *string) {
	limit := c.queryInt("limit", 50)
	if limit < 1 { // refused by the spec
		limit = 50
	}
	offset := 0
	if cur := c.query.Get("cursor"); cur != "" {
		if b, err := base64.RawURLEncoding.DecodeString(cur); err == nil {
			if n, err := strconv.Atoi(strings.TrimPrefix(string(b), "o:")); err == nil && n >= 0 {
				offset = n
			}
		}
	}
	next, previous = nil, nil
	offset, end := pageBounds(len(items), offset, limit)
	page = items[offset:end]
	if end < len(items) {
		next = ubiops.Ptr(c.pageLink(end))
	}
	if offset > 0 {
		previous = ubiops.Ptr(c.pageLink(max(0, offset-limit))) // offset >= 0, limit >= 1: no overflow
	}
	return page, next, previous
}

func (c *call) pageLink(offset int) string {
	q := url.Values{}
	for k, v := range c.query {
		q[k] = v
	}
	q.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte("o:"+strconv.Itoa(offset))))
	u := url.URL{Scheme: "http", Host: c.r.Host, Path: c.r.URL.Path, RawQuery: q.Encode()}
	if c.r.TLS != nil {
		u.Scheme = "https"
	}
	return u.String()
}

// phase splits a duration into the stages of an asynchronous job: the first quarter is the queue.
func phase(created, now time.Time, d time.Duration) (queued, running bool) {
	elapsed := now.Sub(created)
	return elapsed < d/4, elapsed < d
}
