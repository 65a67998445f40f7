package ubiopstest

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Projects, project users, audit events, quotas and usage (the projects_*, project_users_*,
// project_audit_events_list, quotas_list and projects_*usage* operations).

// projectNamePattern is the documented rule for project names (lowercase letters, digits and
// dashes, starting with a lowercase letter). The spec enforces it on create; renames follow it too.
var projectNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// suspendedByUser is the suspended_reason of a project suspended with projects_update.
const suspendedByUser = "The project was suspended by a user"

// quotas are the fixed quotas every project has.
var quotas = []ubiops.QuotaDetail{
	{Resource: "memory_standard", Quota: 274877906944},
	{Resource: "cpu_standard", Quota: 62},
	{Resource: "gpu_standard", Quota: 0},
}

// maxUsageIntervals bounds the usage answer (a day interval over years would be enormous).
const maxUsageIntervals = 1000

// defaultCreditRate is the credits per hour a version accrues when its instance type is not in the
// catalogue.
const defaultCreditRate = 1.0

// checkProjectName applies the documented rule for project names (projectNamePattern, at most
// maxObjectName characters), naming the body field (400). Such a name never needs escaping in a
// path.
func checkProjectName(name string) (answer, bool) {
	if a, found := checkName("name", name, maxObjectName); !found {
		return a, false
	}
	if !projectNamePattern.MatchString(name) {
		return apiError(http.StatusBadRequest, "request body field name: a project name consists of lowercase letters, digits and dashes and starts with a lowercase letter"), false
	}
	return answer{}, true
}

// renameProject renames a project and everything that carries its name: its deployments and
// environments, and the deployment handlers registered for it (they follow their deployments).
func (st *state) renameProject(p *project, name string) {
	old := p.detail.Name
	st.setProjectName(p, name)
	for _, d := range p.deployments {
		d.detail.Project = name
	}
	for _, e := range p.environments {
		if e.detail.Project != nil {
			e.detail.Project = ubiops.Ptr(name)
		}
	}
	for key, h := range st.handlers {
		if rest, found := strings.CutPrefix(key, old+"/"); found {
			delete(st.handlers, key)
			st.handlers[name+"/"+rest] = h
		}
	}
}

// findUser returns the index of a project user by id (any UUID spelling), or -1.
func (p *project) findUser(id string) int {
	want, err := uuid.Parse(id)
	if err != nil {
		return -1
	}
	for i, u := range p.users {
		if u.ID == want {
			return i
		}
	}
	return -1
}

// userFor returns the user with an id: the token's user, or a synthesised one whose email and name
// derive from the id, so the same id always gives the same user.
func (st *state) userFor(id ubiops.UUID) ubiops.ProjectUserList {
	if id == st.user.ID {
		return st.user
	}
	short := strings.ReplaceAll(id.String(), "-", "")[:8]
	return ubiops.ProjectUserList{
		ID: id, Email: openapi_types.Email("user-" + short + "@example.com"),
		Name: ubiops.Ptr("User"), Surname: ubiops.Ptr(short),
	}
}

// auditView returns audit events newest first, optionally only those of one action and those
// matching keep. An event's object_name is empty (null) when its object has since been deleted, as
// UbiOps reports it: an object is deleted if a later (or the same) delete event names it and no
// create event follows that delete.
func auditView(events []ubiops.AuditList, action string, keep func(ubiops.AuditList) bool) []ubiops.AuditList {
	type key struct{ typ, name string }
	deleted := map[key]bool{}
	gone := make([]bool, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.ObjectName == nil {
			continue
		}
		if e.ObjectType == "deployment" || e.ObjectType == "deployment_version" {
			// Their handlers null object_name exactly (by object id) when the object is deleted;
			// matching by name would confuse version v1 of one deployment with v1 of another.
			continue
		}
		name := *e.ObjectName
		k := key{e.ObjectType, name}
		switch e.Action {
		case ubiops.AuditListActionDelete:
			deleted[k] = true
		case ubiops.AuditListActionCreate:
			if deleted[k] {
				gone[i] = true
				delete(deleted, k) // events before this create belong to an earlier object
				continue
			}
		}
		gone[i] = deleted[k]
	}
	out := []ubiops.AuditList{}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if action != "" && string(e.Action) != action {
			continue
		}
		if keep != nil && !keep(e) {
			continue
		}
		if gone[i] {
			e.ObjectName = nil
		}
		out = append(out, e)
	}
	return out
}

type usagePeriod struct{ start, end time.Time }

// usageIntervals splits [start, end) into days or months (counted from start); the last one is
// cut at end. ok is false if there would be more than maxUsageIntervals.
func usageIntervals(start, end time.Time, interval string) ([]usagePeriod, bool) {
	var out []usagePeriod
	for i := 0; ; i++ {
		var s, e time.Time
		if interval == "day" {
			s, e = start.AddDate(0, 0, i), start.AddDate(0, 0, i+1)
		} else {
			s, e = start.AddDate(0, i, 0), start.AddDate(0, i+1, 0)
		}
		if !s.Before(end) {
			return out, true
		}
		if len(out) == maxUsageIntervals {
			return nil, false
		}
		if e.After(end) {
			e = end
		}
		out = append(out, usagePeriod{s, e})
	}
}

// projectUsage synthesises credit usage from the state: every version counts as running one
// instance (or its minimum_instances, if more) from its creation on, at the credit rate of its
// instance type (defaultCreditRate if the type is unknown). Like the live API, data_deployments
// has one entry per deployment version. Deleted deployments used nothing: their intervals are
// zero.
func (st *state) projectUsage(p *project, periods []usagePeriod, interval string, now time.Time) ubiops.ProjectUsage {
	rates := map[string]float64{}
	for _, it := range st.catalogue {
		rates[it.Name] = it.CreditRate
	}
	u := ubiops.ProjectUsage{
		Interval:        ubiops.ProjectUsageInterval(interval),
		DataProject:     make([]ubiops.ProjectUsageMetric, len(periods)),
		DataDeployments: []ubiops.ProjectUsageDeployment{},
	}
	deleted := make([]ubiops.ProjectUsageMetric, len(periods))
	for i, per := range periods {
		u.DataProject[i] = ubiops.ProjectUsageMetric{StartDate: stamp(per.start), EndDate: stamp(per.end)}
		deleted[i] = ubiops.ProjectUsageMetric{StartDate: stamp(per.start), EndDate: stamp(per.end)}
	}
	for _, d := range p.deployments {
		for _, v := range d.versions {
			dv := ubiops.ProjectUsageDeployment{
				DeploymentID: d.detail.ID, DeploymentName: d.detail.Name,
				Version: v.detail.Version, VersionID: v.detail.ID.String(),
				Data: make([]ubiops.ProjectUsageMetric, len(periods)),
			}
			rate, known := rates[valueOr(v.detail.InstanceType, "")]
			if !known {
				rate = defaultCreditRate
			}
			instances := float64(max(1, v.detail.MinimumInstances))
			for i, per := range periods {
				credits := overlapHours(v.detail.CreationDate.Time, now, per.start, per.end) * rate * instances
				credits = math.Round(credits*10000) / 10000
				dv.Data[i] = ubiops.ProjectUsageMetric{StartDate: stamp(per.start), EndDate: stamp(per.end), Value: credits}
				u.DataProject[i].Value += credits
			}
			u.DataDeployments = append(u.DataDeployments, dv)
		}
	}
	for i := range u.DataProject {
		u.DataProject[i].Value = math.Round(u.DataProject[i].Value*10000) / 10000
	}
	// The prose and the example name the deleted deployments' field differently; send both.
	deletedCopy := append([]ubiops.ProjectUsageMetric{}, deleted...)
	u.DataDeletedDeployments = deleted
	u.DataDeploymentsDeleted = &deletedCopy
	return u
}

// overlapHours is the length, in hours, of the overlap of [aStart, aEnd) and [bStart, bEnd).
func overlapHours(aStart, aEnd, bStart, bEnd time.Time) float64 {
	s, e := aStart, aEnd
	if bStart.After(s) {
		s = bStart
	}
	if bEnd.Before(e) {
		e = bEnd
	}
	if !e.After(s) {
		return 0
	}
	return e.Sub(s).Hours()
}

// serveProjectsList serves projects_list.
func serveProjectsList(c *call) answer {
	org := c.query.Get("organization")
	match, a, found := labelFilter(c)
	if !found {
		return a
	}
	out := []ubiops.ProjectList{}
	for _, p := range c.st().projects {
		if org != "" && p.detail.OrganizationName != org {
			continue
		}
		if !match(valueOr(p.detail.Labels, nil)) {
			continue
		}
		// The list carries credits (null: unlimited) and labels too.
		out = append(out, convert[ubiops.ProjectList](p.detail))
	}
	return ok(out)
}

// serveProjectsCreate serves projects_create.
func serveProjectsCreate(c *call) answer {
	var body ubiops.ProjectCreate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	// The spec's pattern and length have refused a bad name already; this keeps the rule
	// should the spec ever stop carrying it.
	if a, found := checkProjectName(body.Name); !found {
		return a
	}
	if c.st().findProject(body.Name) != nil {
		return apiError(http.StatusConflict, "A project with name %q already exists", body.Name)
	}
	d := ubiops.ProjectDetail{
		ID: newID(), Name: body.Name, CreationDate: stamp(c.now()), OrganizationName: body.OrganizationName,
		Credits: nil, SuspendedReason: nil, CorsOrigins: []string{},
		Labels: ubiops.Ptr(copyLabels(body.Labels)),
	}
	if body.AdvancedPermissions != nil {
		d.AdvancedPermissions = *body.AdvancedPermissions
	}
	if body.Credits.IsSpecified() && !body.Credits.IsNull() {
		d.Credits = ubiops.Ptr(body.Credits.MustGet())
	}
	if body.CorsOrigins != nil {
		d.CorsOrigins = append([]string{}, *body.CorsOrigins...)
	}
	p := &project{detail: d, users: []ubiops.ProjectUserList{c.st().user}}
	c.st().addProject(p)
	c.record(p, ubiops.AuditListActionCreate, "project", p.detail.Name, "Created project "+p.detail.Name)
	return created(p.detail)
}

// serveProjectsGet serves projects_get.
func serveProjectsGet(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	return ok(p.detail)
}

// serveProjectsUpdate serves projects_update.
func serveProjectsUpdate(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	var body ubiops.ProjectUpdate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	oldName := p.detail.Name
	if body.Name != nil && *body.Name != oldName {
		if a, found := checkProjectName(*body.Name); !found {
			return a
		}
		if c.st().findProject(*body.Name) != nil {
			return apiError(http.StatusConflict, "A project with name %q already exists", *body.Name)
		}
	}
	var changed []string
	for _, u := range projectUpdates {
		if u.apply(c, &body, p) {
			changed = append(changed, u.field)
		}
	}
	event := "Updated project " + p.detail.Name
	if p.detail.Name != oldName {
		event = fmt.Sprintf("Renamed project %s to %s", oldName, p.detail.Name)
	}
	if len(changed) > 0 {
		event += " (" + strings.Join(changed, ", ") + ")"
	}
	c.record(p, ubiops.AuditListActionUpdate, "project", p.detail.Name, event)
	return ok(p.detail)
}

// projectUpdates are the fields projects_update changes, in the order its audit event names them:
// apply sets the field when the body gives it (the name: a new one, already checked) and reports
// whether it did.
var projectUpdates = []struct {
	field string
	apply func(c *call, b *ubiops.ProjectUpdate, p *project) bool
}{
	{"name", func(c *call, b *ubiops.ProjectUpdate, p *project) bool {
		if b.Name == nil || *b.Name == p.detail.Name {
			return false
		}
		c.st().renameProject(p, *b.Name)
		return true
	}},
	{"advanced_permissions", func(_ *call, b *ubiops.ProjectUpdate, p *project) bool {
		if b.AdvancedPermissions == nil {
			return false
		}
		p.detail.AdvancedPermissions = *b.AdvancedPermissions
		return true
	}},
	{"credits", func(c *call, b *ubiops.ProjectUpdate, p *project) bool {
		if !c.has("credits") {
			return false
		}
		p.detail.Credits = nil // null: no limit
		if !b.Credits.IsNull() {
			p.detail.Credits = ubiops.Ptr(b.Credits.MustGet())
		}
		return true
	}},
	{"suspend", func(_ *call, b *ubiops.ProjectUpdate, p *project) bool {
		if b.Suspend == nil {
			return false
		}
		p.detail.Suspended, p.detail.SuspendedReason = *b.Suspend, nil
		if *b.Suspend {
			p.detail.SuspendedReason = ubiops.Ptr(suspendedByUser)
		}
		return true
	}},
	{"cors_origins", func(_ *call, b *ubiops.ProjectUpdate, p *project) bool {
		if b.CorsOrigins == nil {
			return false
		}
		p.detail.CorsOrigins = append([]string{}, *b.CorsOrigins...)
		return true
	}},
	{"labels", func(_ *call, b *ubiops.ProjectUpdate, p *project) bool {
		if b.Labels == nil {
			return false
		}
		p.detail.Labels = ubiops.Ptr(copyLabels(b.Labels))
		return true
	}},
}

// serveProjectsDelete serves projects_delete.
func serveProjectsDelete(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	// Everything in the project (deployments, versions, environments, variables, requests,
	// logs, audit events) lives in its struct and goes with it.
	c.st().removeProject(p)
	return noContent()
}

// serveProjectUsersList serves project_users_list.
func serveProjectUsersList(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	// Every user of the fake is a regular (human) user: a filter on service users finds none;
	// other values, including ones UbiOps may add, filter nothing.
	if t := strings.ToLower(c.query.Get("user_type")); t == "service" || t == "service_user" || t == "serviceuser" {
		return ok([]ubiops.ProjectUserList{})
	}
	return ok(append([]ubiops.ProjectUserList{}, p.users...))
}

// serveProjectUsersCreate serves project_users_create.
func serveProjectUsersCreate(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	var body ubiops.ProjectUserCreate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if i := p.findUser(body.UserID.String()); i >= 0 {
		return apiError(http.StatusConflict, "User %s is already a member of project %s", body.UserID, p.detail.Name)
	}
	u := c.st().userFor(body.UserID)
	p.users = append(p.users, u)
	c.record(p, ubiops.AuditListActionCreate, "user", string(u.Email), fmt.Sprintf("Added user %s to project %s", u.Email, p.detail.Name))
	return created(u)
}

// serveProjectUsersGet serves project_users_get.
func serveProjectUsersGet(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	i := p.findUser(c.path["user_id"])
	if i < 0 {
		return notFound("User")
	}
	return ok(p.users[i])
}

// serveProjectUsersDelete serves project_users_delete.
func serveProjectUsersDelete(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	i := p.findUser(c.path["user_id"])
	if i < 0 {
		return notFound("User")
	}
	u := p.users[i]
	p.users = append(p.users[:i:i], p.users[i+1:]...)
	c.record(p, ubiops.AuditListActionDelete, "user", string(u.Email), fmt.Sprintf("Removed user %s from project %s", u.Email, p.detail.Name))
	return noContent()
}

// serveProjectAuditEventsList serves project_audit_events_list.
func serveProjectAuditEventsList(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	return ok(offsetPage(c, auditView(p.audit, c.query.Get("action"), nil)))
}

// serveQuotasList serves quotas_list.
func serveQuotasList(c *call) answer {
	if _, a, found := c.project(); !found {
		return a
	}
	return ok(append([]ubiops.QuotaDetail{}, quotas...))
}

// serveProjectsResourceUsage serves projects_resource_usage.
func serveProjectsResourceUsage(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	u := ubiops.ProjectResourceUsage{Deployments: len(p.deployments), Environments: len(p.environments)}
	for _, d := range p.deployments {
		u.DeploymentVersions += len(d.versions)
	}
	return ok(u)
}

// serveProjectsUsageGet serves projects_usage_get.
func serveProjectsUsageGet(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	start, startSet := c.queryTime("start_date")
	if !startSet && c.query.Get("start_date") != "" {
		return apiError(http.StatusBadRequest, "query parameter start_date: not a date-time")
	}
	end, endSet := c.queryTime("end_date")
	if !endSet && c.query.Get("end_date") != "" {
		return apiError(http.StatusBadRequest, "query parameter end_date: not a date-time")
	}
	switch {
	case startSet && endSet:
	case startSet:
		end = start.AddDate(0, 1, 0)
	case endSet:
		start = end.AddDate(0, -1, 0)
	default:
		// The current subscription period: the fake's subscriptions follow calendar months.
		now := c.now().UTC()
		start = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		end = start.AddDate(0, 1, 0)
	}
	if !end.After(start) {
		return apiError(http.StatusBadRequest, "end_date must be after start_date")
	}
	// The answer carries the period's bounds (one month from a single date): they must be dates
	// JSON can carry.
	if !encodableTime(start) || !encodableTime(end) {
		return apiError(http.StatusBadRequest, "query parameters start_date and end_date: the period must lie within the years 0 to 9999")
	}
	interval := c.query.Get("interval")
	if interval == "" {
		interval = "month"
	}
	periods, okPeriods := usageIntervals(start, end, interval)
	if !okPeriods {
		return apiError(http.StatusBadRequest, "the period from start_date to end_date holds more than %d %ss", maxUsageIntervals, interval)
	}
	return ok(c.st().projectUsage(p, periods, interval, c.now()))
}
