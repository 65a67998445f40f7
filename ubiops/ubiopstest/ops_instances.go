package ubiopstest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Instance types, instance type groups and the (synthetic) instances of deployment versions.
//
// The instance type catalogue is fixed: the same types, with the same ids, in every project and on
// every server. Instance type groups are kept per project as ubiops.InstanceTypeGroupList values
// (project.groups), their instance types sorted by priority. Every instance type also has an
// implicit group (id implicitGroupID(name), named after the type) that versions naming an instance
// type use: it can be read (get, usage) but not changed, and is not listed.
//
// Instances are synthetic: the fake runs no code in them. A version that never had instances gets
// two running ones, each with a short history of events, the first time its instances are read;
// Server.SeedInstances replaces them with as many as a test needs. A version's instances field is
// nil until then; an empty non-nil slice means "explicitly none" (SeedInstances with 0).

// groupScheduleTimeout is the schedule_timeout of an instance type in a group unless the group sets
// one: how long UbiOps waits for a type to be scheduled before trying the next one (the documented
// examples use 3600).
const groupScheduleTimeout = 3600

// catalogueNamespace derives the catalogue's fixed ids from the instance type names.
var catalogueNamespace = uuid.MustParse("5c1e7d0e-1f4b-4a53-9d2e-7b0f3d6a9c21")

// instanceCatalogue is the fixed list of instance types every project offers: CPU types from
// 256 MB to 16 GB (vCPU = memory/4096, storage = 4 x memory, 1 credit per GB per hour, as in the
// documented examples) and a GPU type on a dedicated node.
func instanceCatalogue(created time.Time) []ubiops.InstanceTypeList {
	type spec struct {
		name, display, cluster string
		cpu, memory, gpu       float64
		credits                float64
		dedicated              bool
	}
	specs := []spec{
		{"256mb", "256 MB", "gcp", 0.0625, 256, 0, 0.25, false},
		{"512mb", "512 MB", "gcp", 0.125, 512, 0, 0.5, false},
		{"1024mb", "1024 MB", "gcp", 0.25, 1024, 0, 1, false},
		{"2048mb", "2048 MB", "gcp", 0.5, 2048, 0, 2, false},
		{"4096mb", "4096 MB", "aws", 1, 4096, 0, 4, false},
		{"8192mb", "8192 MB", "aws", 2, 8192, 0, 8, false},
		{"16384mb", "16384 MB", "gcp", 4, 16384, 0, 16, false},
		{"16384mb_t4", "16384 MB + 4 vCPU + NVIDIA Tesla T4", "gcp", 4, 16384, 1, 40, true},
	}
	out := make([]ubiops.InstanceTypeList, 0, len(specs))
	for _, s := range specs {
		out = append(out, ubiops.InstanceTypeList{
			ID:            uuid.NewSHA1(catalogueNamespace, []byte(s.name)),
			TimeCreated:   nullStamp(created.UTC()),
			Name:          s.name,
			DisplayName:   ubiops.Ptr(s.display),
			CPU:           ubiops.Ptr(s.cpu),
			Memory:        ubiops.Ptr(s.memory),
			Storage:       ubiops.Ptr(s.memory * 4),
			Accelerator:   ubiops.Ptr(s.gpu),
			CreditRate:    s.credits,
			DedicatedNode: ubiops.Ptr(s.dedicated),
			NodePool: ubiops.Ptr(ubiops.InstanceTypeListNodePool{
				Cluster: ubiops.Ptr(ubiops.InstanceTypeListNodePoolCluster{Type: ubiops.Ptr(s.cluster)}),
			}),
		})
	}
	return out
}

// SeedInstances replaces the instances of a deployment version with n synthetic ones, each with
// eventsPerInstance events, for tests that need many (paging beyond 1000 items, say). Instances are
// listed newest first; instance i (0-based, in list order) has status running, pending,
// initialising, stopping for i%4 = 0, 1, 2, 3. Pending instances have no instance type, node
// address or node pool yet. It fails if the project, deployment or version does not exist.
func (s *Server) SeedInstances(project, deployment, version string, instances, eventsPerInstance int) error {
	if instances < 0 || eventsPerInstance < 0 {
		return fmt.Errorf("ubiopstest: SeedInstances: negative count (%d instances, %d events)", instances, eventsPerInstance)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.state.findProject(project)
	if p == nil {
		return fmt.Errorf("ubiopstest: SeedInstances: project %q does not exist", project)
	}
	d := p.findDeployment(deployment)
	if d == nil {
		return fmt.Errorf("ubiopstest: SeedInstances: deployment %q does not exist in project %q", deployment, project)
	}
	v := d.findVersion(version)
	if v == nil {
		return fmt.Errorf("ubiopstest: SeedInstances: version %q does not exist in deployment %q of project %q", version, deployment, project)
	}
	statuses := []ubiops.InstanceDetailStatus{
		ubiops.InstanceDetailStatusRunning, ubiops.InstanceDetailStatusPending,
		ubiops.InstanceDetailStatusInitialising, ubiops.InstanceDetailStatusStopping,
	}
	v.instances = s.state.synthInstances(p, d, v, s.now(), instances, eventsPerInstance, func(i int) ubiops.InstanceDetailStatus {
		return statuses[i%len(statuses)]
	})
	return nil
}

// ensureInstances gives a version that never had instances its two default running ones.
func (st *state) ensureInstances(p *project, d *deployment, v *version, now time.Time) {
	if v.instances != nil {
		return
	}
	v.instances = st.synthInstances(p, d, v, now, 2, -1, func(int) ubiops.InstanceDetailStatus {
		return ubiops.InstanceDetailStatusRunning
	})
}

// projectInstances returns every instance in the project: by deployment, then version, then in
// each version's own order (newest first), materialising default instances on the way.
func (st *state) projectInstances(p *project, now time.Time) []*instance {
	var out []*instance
	for _, d := range p.deployments {
		for _, v := range d.versions {
			st.ensureInstances(p, d, v, now)
			out = append(out, v.instances...)
		}
	}
	return out
}

// instanceListItem is an instance's list shape.
func instanceListItem(in *instance) ubiops.InstanceList {
	d := in.detail
	return ubiops.InstanceList{
		ID: d.ID, Status: ubiops.InstanceListStatus(d.Status), TimeCreated: d.TimeCreated, TimeUpdated: d.TimeUpdated,
		InstanceType: d.InstanceType,
	}
}

func findVersionInstance(v *version, id string) *instance {
	for _, in := range v.instances {
		if in.detail.ID.String() == strings.ToLower(id) {
			return in
		}
	}
	return nil
}

// instanceStatusFilter reads the status query parameter: a comma-separated list of statuses, any
// of which matches. An unknown status is a 400.
func instanceStatusFilter(c *call) (func(*instance) bool, answer, bool) {
	raw := c.query.Get("status")
	if raw == "" {
		return func(*instance) bool { return true }, answer{}, true
	}
	want := map[string]bool{}
	for _, s := range strings.Split(raw, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		switch s {
		case "pending", "initialising", "running", "stopping":
			want[s] = true
		default:
			return nil, apiError(http.StatusBadRequest, "query parameter status: %q is not one of pending, initialising, running, stopping", s), false
		}
	}
	return func(in *instance) bool { return want[string(in.detail.Status)] }, answer{}, true
}

// synthInstances makes n instances of a version, newest first, all created before now. events < 0
// means each gets the events of its life so far (5 for a running one: created, scheduling,
// scheduled, initialising, running); otherwise each gets exactly that many.
func (st *state) synthInstances(p *project, d *deployment, v *version, now time.Time, n, events int, status func(int) ubiops.InstanceDetailStatus) []*instance {
	it := st.versionInstanceType(p, v)
	cluster := "gcp"
	if t := valueOf(valueOf(it.NodePool).Cluster).Type; t != nil {
		cluster = *t
	}
	pool := instNodePoolName(cluster, it)
	out := make([]*instance, 0, n)
	now = now.UTC()
	for i := 0; i < n; i++ {
		st.eventCounter++
		seq := st.eventCounter
		s := status(i)
		// Instance i was created i+1 seconds before now; its events fill the first half-second.
		created := now.Add(-time.Duration(i+1) * time.Second)
		descs := instanceEventDescriptions(s, it.Name, pool, cluster, events)
		step := 500 * time.Millisecond / time.Duration(len(descs)+1)
		evs := make([]ubiops.InstanceEvent, len(descs))
		for j, desc := range descs {
			// newest first
			evs[len(descs)-1-j] = ubiops.InstanceEvent{ID: newID(), TimeCreated: stamp(created.Add(time.Duration(j) * step)), Description: ubiops.Ptr(desc)}
		}
		updated := stamp(created)
		if len(evs) > 0 {
			updated = evs[0].TimeCreated
		}
		node := ubiops.InstanceDetailNode{Ipv4Address: nil, Ipv6Address: nil}
		det := ubiops.InstanceDetail{
			ID: newID(), Status: s, TimeCreated: stamp(created), TimeUpdated: ubiops.Ptr(updated),
			Deployment: ubiops.Ptr(d.detail.Name), Version: ubiops.Ptr(v.detail.Version),
			InstanceType: nil,
			NodePool:     nil,
		}
		if s != ubiops.InstanceDetailStatusPending {
			det.InstanceType = ubiops.Ptr(ubiops.InstanceDetailInstanceType{ID: it.ID, Name: it.Name, DisplayName: it.DisplayName})
			node.Ipv4Address = ubiops.Ptr(fmt.Sprintf("10.%d.%d.%d", 16+(seq>>16)%16, (seq>>8)%256, seq%256))
			det.NodePool = ubiops.Ptr(ubiops.InstanceDetailNodePool{
				Cluster: ubiops.Ptr(ubiops.InstanceDetailNodePoolCluster{Type: ubiops.Ptr(cluster)}),
			})
		}
		det.Node = ubiops.Ptr(node)
		out = append(out, &instance{detail: det, events: evs})
	}
	return out
}

// instanceEventDescriptions is the history of an instance, oldest first. With want >= 0 it is cut
// or padded (with health checks before the last status change) to exactly want events.
func instanceEventDescriptions(status ubiops.InstanceDetailStatus, typeName, pool, cluster string, want int) []string {
	life := []string{
		"Instance created",
		fmt.Sprintf("Attempting to deploy with instance type '%s' on node pool '%s' (%s cluster)", typeName, pool, strings.ToUpper(cluster)),
	}
	if status != ubiops.InstanceDetailStatusPending {
		life = append(life, fmt.Sprintf("Deployed on node pool '%s'", pool), "Instance status changed to initialising")
	}
	if status == ubiops.InstanceDetailStatusRunning || status == ubiops.InstanceDetailStatusStopping {
		life = append(life, "Instance status changed to running")
	}
	if status == ubiops.InstanceDetailStatusStopping {
		life = append(life, "Instance status changed to stopping")
	}
	if want < 0 {
		return life
	}
	if want <= len(life) {
		return life[:want]
	}
	filler := "Instance passed its health check"
	if status == ubiops.InstanceDetailStatusPending {
		filler = fmt.Sprintf("Waiting for capacity in node pool '%s'", pool)
	}
	out := make([]string, 0, want)
	out = append(out, life[:len(life)-1]...)
	for len(out) < want-1 {
		out = append(out, filler)
	}
	return append(out, life[len(life)-1])
}

func instNodePoolName(cluster string, it ubiops.InstanceTypeList) string {
	kind := "CPU"
	if it.Accelerator != nil && *it.Accelerator > 0 {
		kind = "GPU"
	}
	if cluster == "aws" {
		return "AWS " + kind
	}
	return "Google " + kind
}

// versionInstanceType is the instance type a version's instances run on: the highest-priority
// type of its instance type group (a project's group or an instance type's implicit one), else the catalogue type named by its (deprecated) instance_type,
// else 512mb.
func (st *state) versionInstanceType(p *project, v *version) ubiops.InstanceTypeList {
	if g := st.itgResolve(p, v.detail.InstanceTypeGroupID.String()); g != nil && len(g.InstanceTypes) > 0 {
		if it, found := st.catalogueType(g.InstanceTypes[0].ID.String()); found {
			return it
		}
	}
	for _, it := range st.catalogue {
		if it.Name == valueOr(v.detail.InstanceType, "") {
			return it
		}
	}
	for _, it := range st.catalogue {
		if it.Name == "512mb" {
			return it
		}
	}
	return ubiops.InstanceTypeList{ID: uuid.NewSHA1(catalogueNamespace, []byte("512mb")), Name: "512mb", DisplayName: ubiops.Ptr("512 MB"), CreditRate: 0.5}
}

func (st *state) catalogueType(id string) (ubiops.InstanceTypeList, bool) {
	for _, it := range st.catalogue {
		if it.ID.String() == strings.ToLower(id) {
			return it, true
		}
	}
	return ubiops.InstanceTypeList{}, false
}

// itgFind returns the project's instance type group with this id (nil if none).
func itgFind(p *project, id string) *ubiops.InstanceTypeGroupList {
	for _, g := range p.groups {
		if g.ID.String() == strings.ToLower(id) {
			return g
		}
	}
	return nil
}

// itgFindByName returns the first instance type group with this name (nil if none).
func itgFindByName(p *project, name string) *ubiops.InstanceTypeGroupList {
	for _, g := range p.groups {
		if valueOf(g.Name) == name {
			return g
		}
	}
	return nil
}

// instanceTypeGroup looks up the group named in the path.
func (c *call) instanceTypeGroup() (*project, *ubiops.InstanceTypeGroupList, answer, bool) {
	p, a, found := c.project()
	if !found {
		return nil, nil, a, false
	}
	if g := c.st().itgResolve(p, c.path["instance_type_group_id"]); g != nil {
		return p, g, answer{}, true
	}
	return nil, nil, notFound("Instance type group"), false
}

// itgResolve returns the group with this id: one of the project's, else the implicit group of an
// instance type (see implicitGroupID, which versions that name an instance type rather than a group
// use), made up on the spot: named after the instance type, holding just that type.
func (st *state) itgResolve(p *project, id string) *ubiops.InstanceTypeGroupList {
	if g := itgFind(p, id); g != nil {
		return g
	}
	for _, it := range st.catalogue {
		if implicitGroupID(it.Name).String() != strings.ToLower(id) {
			continue
		}
		types, _ := itgMembers(st, []ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(it.ID)}})
		return &ubiops.InstanceTypeGroupList{
			ID: implicitGroupID(it.Name), Name: ubiops.Ptr(it.Name), TimeCreated: it.TimeCreated, TimeUpdated: it.TimeCreated, InstanceTypes: types,
		}
	}
	return nil
}

// groupUsers returns the versions of the project that use a group.
func groupUsers(p *project, g *ubiops.InstanceTypeGroupList) []*version {
	var out []*version
	for _, d := range p.deployments {
		for _, v := range d.versions {
			if v.detail.InstanceTypeGroupID == g.ID {
				out = append(out, v)
			}
		}
	}
	return out
}

// checkGroupName refuses an empty name (400) and one another group of the project has (409).
func checkGroupName(p *project, name string, self *ubiops.InstanceTypeGroupList) (answer, bool) {
	if strings.TrimSpace(name) == "" {
		return apiError(http.StatusBadRequest, "request body field name: may not be blank"), false
	}
	if g := itgFindByName(p, name); g != nil && g != self {
		return apiError(http.StatusConflict, "An instance type group with name %s already exists in the project", name), false
	}
	return answer{}, true
}

// groupInstanceTypes resolves a group's instance types against the catalogue (see itgMembers);
// a problem is a 400.
func (c *call) groupInstanceTypes(in []ubiops.InstanceTypeGroupCreateInstanceType) ([]ubiops.InstanceTypeGroupListInstanceType, answer, bool) {
	out, problem := itgMembers(c.st(), in)
	if problem != "" {
		return nil, apiError(http.StatusBadRequest, "request body field instance_types%s", problem), false
	}
	return out, answer{}, true
}

// itgMembers resolves a group's instance types against the catalogue: each must name (by id) a type
// that exists, once, and at least one is needed (else problem says what is wrong, naming the item).
// A type without a priority gets its position in the list; one without a schedule_timeout gets
// groupScheduleTimeout. The result is sorted by priority (lowest value, highest priority first),
// keeping the given order among equal priorities.
func itgMembers(st *state, in []ubiops.InstanceTypeGroupCreateInstanceType) (out []ubiops.InstanceTypeGroupListInstanceType, problem string) {
	if len(in) == 0 {
		return nil, ": at least one instance type is required"
	}
	seen := map[uuid.UUID]bool{}
	out = make([]ubiops.InstanceTypeGroupListInstanceType, 0, len(in))
	for i, ref := range in {
		if ref.ID == nil {
			return nil, fmt.Sprintf(".%d.id: the id of the instance type is required", i)
		}
		id := *ref.ID
		it, found := st.catalogueType(id.String())
		if !found {
			return nil, fmt.Sprintf(".%d.id: instance type %s does not exist", i, id)
		}
		if seen[id] {
			return nil, fmt.Sprintf(".%d.id: instance type %s is listed more than once", i, id)
		}
		seen[id] = true
		timeout := valueOr(ref.ScheduleTimeout, groupScheduleTimeout)
		if timeout < 0 {
			return nil, fmt.Sprintf(".%d.schedule_timeout: must be at least 0", i)
		}
		out = append(out, ubiops.InstanceTypeGroupListInstanceType{
			ID: it.ID, Name: it.Name, DisplayName: it.DisplayName, CreditRate: it.CreditRate, TimeCreated: it.TimeCreated,
			CPU: deref0(it.CPU), Memory: deref0(it.Memory), Storage: deref0(it.Storage), Accelerator: deref0(it.Accelerator),
			DedicatedNode: deref0(it.DedicatedNode), NodePool: it.NodePool,
			Priority: valueOr(ref.Priority, i), ScheduleTimeout: timeout,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Priority < out[j].Priority })
	return out, ""
}

// deref0 is *p, or the zero value for nil.
func deref0[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// serveInstanceTypesList serves instance_types_list.
func serveInstanceTypesList(c *call) answer {
	if _, a, found := c.project(); !found {
		return a
	}
	page, next, prev := cursorPage(c, c.st().catalogue)
	return ok(ubiops.InstanceTypeListPaginated{Next: next, Previous: prev, Results: page})
}

// serveInstanceTypeGroupsList serves instance_type_groups_list.
func serveInstanceTypeGroupsList(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	groups := make([]ubiops.InstanceTypeGroupList, 0, len(p.groups))
	for _, g := range p.groups {
		groups = append(groups, *g)
	}
	page, next, prev := cursorPage(c, groups)
	return ok(ubiops.InstanceTypeGroupListPaginated{Next: next, Previous: prev, Results: page})
}

// serveInstanceTypeGroupsCreate serves instance_type_groups_create.
func serveInstanceTypeGroupsCreate(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	var body ubiops.InstanceTypeGroupCreate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if a, found := checkGroupName(p, body.Name, nil); !found {
		return a
	}
	types, a, found := c.groupInstanceTypes(valueOr(body.InstanceTypes, nil))
	if !found {
		return a
	}
	now := nullStamp(c.now().UTC())
	g := &ubiops.InstanceTypeGroupList{ID: newID(), Name: ubiops.Ptr(body.Name), TimeCreated: now, TimeUpdated: now, InstanceTypes: types}
	p.groups = append(p.groups, g)
	c.record(p, ubiops.AuditListActionCreate, "instance_type_group", body.Name, fmt.Sprintf("Created instance type group %s", body.Name))
	return created(*g)
}

// serveInstanceTypeGroupsGet serves instance_type_groups_get.
func serveInstanceTypeGroupsGet(c *call) answer {
	_, g, a, found := c.instanceTypeGroup()
	if !found {
		return a
	}
	return ok(*g)
}

// serveInstanceTypeGroupsUpdate serves instance_type_groups_update.
func serveInstanceTypeGroupsUpdate(c *call) answer {
	p, g, a, found := c.instanceTypeGroup()
	if !found {
		return a
	}
	if itgFind(p, g.ID.String()) == nil {
		return apiError(http.StatusForbidden, "Instance type group %s is the default group of instance type %s and cannot be changed", g.ID, valueOf(g.Name))
	}
	// Every field is optional: only those sent change (a rename keeps the instance types).
	var body ubiops.InstanceTypeGroupUpdate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	name := valueOf(g.Name)
	if body.Name != nil {
		if a, found := checkGroupName(p, *body.Name, g); !found {
			return a
		}
		name = *body.Name
	}
	types := g.InstanceTypes
	if body.InstanceTypes != nil {
		var a answer
		if types, a, found = c.groupInstanceTypes(*body.InstanceTypes); !found {
			return a
		}
	}
	g.Name, g.InstanceTypes, g.TimeUpdated = ubiops.Ptr(name), types, nullStamp(c.now().UTC())
	// Versions show the name of their group: keep it current.
	for _, v := range groupUsers(p, g) {
		v.detail.InstanceTypeGroupName = name
	}
	c.record(p, ubiops.AuditListActionUpdate, "instance_type_group", name, fmt.Sprintf("Updated instance type group %s", name))
	return ok(*g)
}

// serveInstanceTypeGroupsDelete serves instance_type_groups_delete.
func serveInstanceTypeGroupsDelete(c *call) answer {
	p, g, a, found := c.instanceTypeGroup()
	if !found {
		return a
	}
	if users := groupUsers(p, g); len(users) > 0 {
		v := users[0]
		return apiError(http.StatusConflict, "Instance type group %s is used by %d deployment version(s), such as version %s of deployment %s",
			valueOf(g.Name), len(users), v.detail.Version, v.detail.Deployment)
	}
	if itgFind(p, g.ID.String()) == nil {
		return apiError(http.StatusForbidden, "Instance type group %s is the default group of instance type %s and cannot be deleted", g.ID, valueOf(g.Name))
	}
	for i, x := range p.groups {
		if x == g {
			p.groups = append(p.groups[:i], p.groups[i+1:]...)
			break
		}
	}
	c.record(p, ubiops.AuditListActionDelete, "instance_type_group", valueOf(g.Name), fmt.Sprintf("Deleted instance type group %s", valueOf(g.Name)))
	return noContent()
}

// serveInstanceTypeGroupsUsage serves instance_type_groups_usage.
func serveInstanceTypeGroupsUsage(c *call) answer {
	p, g, a, found := c.instanceTypeGroup()
	if !found {
		return a
	}
	rows := []ubiops.InstanceTypeGroupUsage{}
	for _, v := range groupUsers(p, g) {
		rows = append(rows, ubiops.InstanceTypeGroupUsage{
			ID: v.detail.ID, Deployment: ubiops.Ptr(v.detail.Deployment), Version: ubiops.Ptr(v.detail.Version),
			InstanceTypeGroupID: g.ID, InstanceTypeGroupName: g.Name,
		})
	}
	page, next, prev := cursorPage(c, rows)
	return ok(ubiops.InstanceTypeGroupUsagePaginated{Next: next, Previous: prev, Results: page})
}

// serveInstancesList serves instances_list.
func serveInstancesList(c *call) answer {
	p, d, v, a, found := c.version()
	if !found {
		return a
	}
	c.st().ensureInstances(p, d, v, c.now())
	filter, a, found := instanceStatusFilter(c)
	if !found {
		return a
	}
	var matching []*instance
	for _, in := range v.instances {
		if filter(in) {
			matching = append(matching, in)
		}
	}
	page, next, prev := cursorPage(c, matching)
	results := make([]ubiops.InstanceList, 0, len(page))
	for _, in := range page {
		results = append(results, instanceListItem(in))
	}
	return ok(ubiops.InstanceListPaginated{Next: next, Previous: prev, Results: results})
}

// serveInstancesGet serves instances_get.
func serveInstancesGet(c *call) answer {
	p, d, v, a, found := c.version()
	if !found {
		return a
	}
	c.st().ensureInstances(p, d, v, c.now())
	in := findVersionInstance(v, c.path["instance_id"])
	if in == nil {
		return notFound("Instance")
	}
	return ok(in.detail)
}

// serveInstanceEventsList serves instance_events_list.
func serveInstanceEventsList(c *call) answer {
	p, d, v, a, found := c.version()
	if !found {
		return a
	}
	c.st().ensureInstances(p, d, v, c.now())
	in := findVersionInstance(v, c.path["instance_id"])
	if in == nil {
		return notFound("Instance")
	}
	page, next, prev := cursorPage(c, in.events)
	return ok(ubiops.InstanceEventPaginated{Next: next, Previous: prev, Results: page})
}

// serveProjectInstancesList serves project_instances_list.
func serveProjectInstancesList(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	filter, a, found := instanceStatusFilter(c)
	if !found {
		return a
	}
	var matching []*instance
	for _, in := range c.st().projectInstances(p, c.now()) {
		if filter(in) {
			matching = append(matching, in)
		}
	}
	page, next, prev := cursorPage(c, matching)
	results := make([]ubiops.ProjectInstanceList, 0, len(page))
	for _, in := range page {
		l := instanceListItem(in)
		results = append(results, ubiops.ProjectInstanceList{
			ID: l.ID, Status: ubiops.ProjectInstanceListStatus(l.Status), TimeCreated: l.TimeCreated, TimeUpdated: l.TimeUpdated,
			InstanceType: l.InstanceType, Deployment: in.detail.Deployment, Version: in.detail.Version,
		})
	}
	return ok(ubiops.ProjectInstanceListPaginated{Next: next, Previous: prev, Results: results})
}

// serveProjectInstancesGet serves project_instances_get.
func serveProjectInstancesGet(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	id := c.path["instance_id"]
	for _, in := range c.st().projectInstances(p, c.now()) {
		if in.detail.ID.String() == strings.ToLower(id) {
			return ok(in.detail)
		}
	}
	return notFound("Instance")
}
