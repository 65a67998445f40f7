package ubiopstest

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Deployment versions. A version's status, active revision and default flag are derived: its
// status and active_revision follow its builds (computed from timestamps by syncVersion), its
// default flag follows the deployment's default_version.

// Documented defaults of a new version.
const (
	defaultMaximumInstances     = 5
	defaultMinimumInstances     = 0
	defaultMaximumIdleTime      = 300
	defaultRequestRetentionTime = 604800 // one week
	defaultQueueSizeExpress     = 100
	defaultQueueSizeBatch       = 100000
	defaultQueueSize            = 100000 // maximum_queue_size, the live API's single queue bound
	defaultInstanceProcesses    = 1
	defaultScalingStrategy      = "default"
	defaultInstanceType         = "512mb"
	// defaultEnvironment is used when a version is created without one (if it exists).
	defaultEnvironment = "python3-11"
)

// scalingStrategies are the documented scaling strategies of a version.
var scalingStrategies = []string{"default", "moderate", "aggressive"}

// implicitGroupNamespace derives the ids of the implicit instance type groups that exist for every
// instance type (named after it), used when a version names an instance type rather than a group.
var implicitGroupNamespace = uuid.MustParse("8a6f0f5e-4c1b-4f3e-9a57-2d3c9b1e7f40")

// syncVersion brings a version's derived fields up to date at now: status ('building' while its
// latest build runs, else 'available' once a build succeeded, else 'unavailable'), active_revision
// (the revision of the latest successful build), has_request(s)_method (of the latest revision)
// and default. Handlers that read a version's status should call it first.
func (st *state) syncVersion(v *version, now time.Time) {
	dur := st.s.opts.buildDuration
	var active *ubiops.UUID
	building := false
	// The active revision is that of the last successful build: look from the newest build back,
	// so that a version with many builds costs no more to read.
	for i := len(v.builds) - 1; i >= 0; i-- {
		b := v.builds[i]
		status, _ := buildStatus(b, now, dur)
		if i == len(v.builds)-1 {
			building = status == ubiops.BuildListStatusQueued || status == ubiops.BuildListStatusBuilding
		}
		if status == ubiops.BuildListStatusSuccess {
			active = ubiops.Ptr(b.revision.id)
			break
		}
	}
	v.detail.ActiveRevision = active
	switch {
	case building:
		v.detail.Status = "building"
	case active != nil:
		v.detail.Status = "available"
	default:
		v.detail.Status = "unavailable"
	}
	if n := len(v.revisions); n > 0 {
		r := v.revisions[n-1]
		v.detail.LatestRevision = ubiops.Ptr(r.id)
		v.detail.HasRequestMethod = ubiops.Ptr(r.hasRequest)
		v.detail.HasRequestsMethod = ubiops.Ptr(r.hasRequests)
	} else {
		v.detail.LatestRevision = nil
		v.detail.HasRequestMethod = nil
		v.detail.HasRequestsMethod = nil
	}
}

// renameVersion follows a version's rename in its deployment's default, its audit events and the
// requests made to it.
func (c *call) renameVersion(p *project, d *deployment, v *version, old string) {
	d.versionRenamed(v, old)
	if defaultVersionName(d) == old {
		d.detail.DefaultVersion = ubiops.Ptr(v.detail.Version)
	}
	for i := range p.audit {
		if d.audit[p.audit[i].ID] == v.detail.ID {
			p.audit[i].ObjectName = ubiops.Ptr(v.detail.Version)
		}
	}
	for _, r := range p.requests {
		if r.deployment == d.detail.Name && r.version == old {
			r.version = v.detail.Version
		}
	}
}

// versionEnvironment resolves a version's environment: a project environment or a base
// environment (400 if there is none of that name). Without one, the default base environment.
func (c *call) versionEnvironment(p *project, name *string) (string, string, answer, bool) {
	if name == nil {
		if e := p.findEnvironment(c.st(), defaultEnvironment); e != nil {
			return e.detail.Name, envDisplayName(e), answer{}, true
		}
		for _, e := range c.st().baseEnvs {
			if !e.detail.Deprecated && !e.detail.Hidden {
				return e.detail.Name, envDisplayName(e), answer{}, true
			}
		}
		return defaultEnvironment, "Python 3.11", answer{}, true
	}
	e := p.findEnvironment(c.st(), *name)
	if e == nil {
		return "", "", apiError(http.StatusBadRequest, "request body field environment: environment %s does not exist", *name), false
	}
	return e.detail.Name, envDisplayName(e), answer{}, true
}

// versionGroup resolves a version's instance type group: by id (a group of the project, or the
// implicit group of an instance type), else by name (the first group of the project with that
// name, else an instance type's implicit group), else by the deprecated instance_type, else the
// default 512mb. It returns the group's id and name and the (deprecated) instance type name.
func (c *call) versionGroup(p *project, id *ubiops.UUID, name, instanceType *string) (ubiops.UUID, string, string, answer, bool) {
	switch {
	case id != nil:
		for _, g := range p.groups {
			if g.ID == *id {
				return g.ID, valueOf(g.Name), groupTypeName(g), answer{}, true
			}
		}
		for _, it := range c.st().catalogue {
			if implicitGroupID(it.Name) == *id {
				return *id, it.Name, it.Name, answer{}, true
			}
		}
		return uuid.Nil, "", "", apiError(http.StatusBadRequest, "request body field instance_type_group_id: instance type group %s does not exist", *id), false
	case name != nil:
		for _, g := range p.groups {
			if valueOf(g.Name) == *name {
				return g.ID, valueOf(g.Name), groupTypeName(g), answer{}, true
			}
		}
		if c.instanceTypeExists(*name) {
			return implicitGroupID(*name), *name, *name, answer{}, true
		}
		return uuid.Nil, "", "", apiError(http.StatusBadRequest, "request body field instance_type_group_name: instance type group %s does not exist", *name), false
	case instanceType != nil:
		if !c.instanceTypeExists(*instanceType) {
			return uuid.Nil, "", "", apiError(http.StatusBadRequest, "request body field instance_type: instance type %s does not exist", *instanceType), false
		}
		return implicitGroupID(*instanceType), *instanceType, *instanceType, answer{}, true
	}
	return implicitGroupID(defaultInstanceType), defaultInstanceType, defaultInstanceType, answer{}, true
}

func (c *call) instanceTypeExists(name string) bool {
	if len(c.st().catalogue) == 0 {
		return name == defaultInstanceType
	}
	for _, it := range c.st().catalogue {
		if it.Name == name {
			return true
		}
	}
	return false
}

// groupTypeName is the instance type a group schedules first (its highest priority one).
func groupTypeName(g *ubiops.InstanceTypeGroupList) string {
	if len(g.InstanceTypes) > 0 {
		best := g.InstanceTypes[0]
		for _, it := range g.InstanceTypes[1:] {
			if it.Priority < best.Priority {
				best = it
			}
		}
		return best.Name
	}
	return valueOf(g.Name)
}

func implicitGroupID(instanceType string) ubiops.UUID {
	return uuid.NewSHA1(implicitGroupNamespace, []byte(instanceType))
}

// checkVersionSettings refuses inconsistent scaling and port settings (400).
func checkVersionSettings(det *ubiops.DeploymentVersionDetail) (answer, bool) {
	switch {
	case det.MinimumInstances < 0:
		return apiError(http.StatusBadRequest, "request body field minimum_instances: must be at least 0"), false
	case det.MaximumInstances < 0:
		return apiError(http.StatusBadRequest, "request body field maximum_instances: must be at least 0"), false
	case det.MinimumInstances > det.MaximumInstances:
		return apiError(http.StatusBadRequest, "request body field minimum_instances: %d is more than maximum_instances %d", det.MinimumInstances, det.MaximumInstances), false
	case det.RequestRetentionTime < 0:
		return apiError(http.StatusBadRequest, "request body field request_retention_time: must be at least 0"), false
	case valueOr(det.MaximumQueueSizeExpress, 0) < 0:
		return apiError(http.StatusBadRequest, "request body field maximum_queue_size_express: must be at least 0"), false
	case valueOr(det.MaximumQueueSizeBatch, 0) < 0:
		return apiError(http.StatusBadRequest, "request body field maximum_queue_size_batch: must be at least 0"), false
	case valueOr(det.MaximumQueueSize, 0) < 0:
		return apiError(http.StatusBadRequest, "request body field maximum_queue_size: must be at least 0"), false
	case valueOr(det.InstanceProcesses, 1) < 1:
		return apiError(http.StatusBadRequest, "request body field instance_processes: must be at least 1"), false
	case !contains(scalingStrategies, valueOf(det.ScalingStrategy)):
		return apiError(http.StatusBadRequest, "request body field scaling_strategy: %q is not one of %s", valueOf(det.ScalingStrategy), strings.Join(scalingStrategies, ", ")), false
	}
	for i, pt := range det.Ports {
		if pt.PublicPort < 1 || pt.PublicPort > 65535 || pt.DeploymentPort < 1 || pt.DeploymentPort > 65535 {
			return apiError(http.StatusBadRequest, "request body field ports.%d: port numbers are between 1 and 65535", i), false
		}
		if p := strings.ToLower(pt.Protocol); p != "tcp" && p != "udp" {
			return apiError(http.StatusBadRequest, "request body field ports.%d.protocol: %q is not tcp or udp", i, pt.Protocol), false
		}
	}
	return answer{}, true
}

func copyPorts(in *[]ubiops.DeploymentVersionPort) []ubiops.DeploymentVersionPort {
	out := []ubiops.DeploymentVersionPort{}
	if in != nil {
		out = append(out, *in...)
	}
	return out
}

// givenOr is a copy of the value a PATCH body gives, or current when the body does not give it.
func givenOr[T any](given, current *T) *T {
	if given == nil {
		return current
	}
	return ubiops.Ptr(*given)
}

// nullableString copies a request's nullable string: unset or null is null.
func nullableString(in ubiops.Nullable[string]) *string {
	if in.IsSpecified() && !in.IsNull() {
		return ubiops.Ptr(in.MustGet())
	}
	return nil
}

// serveDeploymentVersionsList serves deployment_versions_list.
func serveDeploymentVersionsList(c *call) answer {
	_, d, a, ok := c.deployment()
	if !ok {
		return a
	}
	match, a, ok := labelFilter(c)
	if !ok {
		return a
	}
	out := []ubiops.DeploymentVersionList{}
	for _, v := range d.versions {
		if match(v.detail.Labels) {
			c.st().syncVersion(v, c.now())
			out = append(out, convert[ubiops.DeploymentVersionList](v.detail))
		}
	}
	return ok200(out)
}

// serveDeploymentVersionsCreate serves deployment_versions_create.
func serveDeploymentVersionsCreate(c *call) answer {
	p, d, a, ok := c.deployment()
	if !ok {
		return a
	}
	var in ubiops.DeploymentVersionCreate
	if err := c.decode(&in); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if a, ok := checkPathName("version", in.Version, maxObjectName); !ok {
		return a
	}
	if d.findVersion(in.Version) != nil {
		return apiError(http.StatusConflict, "A version with name %s already exists for deployment %s", in.Version, d.detail.Name)
	}
	envName, envDisplay, a, ok := c.versionEnvironment(p, in.Environment)
	if !ok {
		return a
	}
	groupID, groupName, typeName, a, ok := c.versionGroup(p, in.InstanceTypeGroupID, in.InstanceTypeGroupName, in.InstanceType)
	if !ok {
		return a
	}
	now := c.now()
	det := newVersionDetail(d, &in, now)
	det.Environment, det.EnvironmentDisplayName = envName, envDisplay
	det.InstanceType, det.InstanceTypeGroupID, det.InstanceTypeGroupName = ubiops.Ptr(typeName), groupID, groupName
	if a, ok := checkVersionSettings(&det); !ok {
		return a
	}
	v := &version{detail: det}
	d.addVersion(v)
	if defaultVersionName(d) == "" {
		setDefaultVersion(d, v) // the first version becomes the default
	}
	c.recordDeployment(p, d, v, ubiops.AuditListActionCreate, "Created version %s for deployment %s", v.detail.Version, d.detail.Name)
	c.st().syncVersion(v, now)
	return created(convert[ubiops.DeploymentVersionDetail](v.detail))
}

// newVersionDetail is a new version of d as a create body gives it, with the documented defaults
// for what the body leaves out. Its environment and instance type group are the caller's to set.
func newVersionDetail(d *deployment, in *ubiops.DeploymentVersionCreate, now time.Time) ubiops.DeploymentVersionDetail {
	det := ubiops.DeploymentVersionDetail{
		ID:                         newID(),
		Deployment:                 d.detail.Name,
		Version:                    in.Version,
		Description:                valueOr(in.Description, ""),
		Status:                     "unavailable",
		ActiveRevision:             nil,
		LatestRevision:             nil,
		MaximumInstances:           valueOr(in.MaximumInstances, defaultMaximumInstances),
		MinimumInstances:           valueOr(in.MinimumInstances, defaultMinimumInstances),
		MaximumIdleTime:            valueOr(in.MaximumIdleTime, defaultMaximumIdleTime),
		Labels:                     copyLabels(in.Labels),
		CreationDate:               stamp(now),
		LastUpdated:                stamp(now),
		LastFileUpload:             nil,
		Monitoring:                 nullableString(in.Monitoring),
		DefaultNotificationGroup:   nullableString(in.DefaultNotificationGroup),
		RequestRetentionTime:       valueOr(in.RequestRetentionTime, defaultRequestRetentionTime),
		RequestRetentionMode:       ubiops.DeploymentVersionDetailRequestRetentionModeFull,
		MaximumQueueSizeExpress:    ubiops.Ptr(valueOr(in.MaximumQueueSizeExpress, defaultQueueSizeExpress)),
		MaximumQueueSizeBatch:      ubiops.Ptr(valueOr(in.MaximumQueueSizeBatch, defaultQueueSizeBatch)),
		HasRequestMethod:           nil,
		HasRequestsMethod:          nil,
		StaticIP:                   valueOr(in.StaticIP, false),
		RestartRequestInterruption: valueOr(in.RestartRequestInterruption, false),
		Ports:                      copyPorts(in.Ports),
		InstanceProcesses:          ubiops.Ptr(valueOr(in.InstanceProcesses, defaultInstanceProcesses)),
		MaximumQueueSize:           ubiops.Ptr(valueOr(in.MaximumQueueSize, defaultQueueSize)),
		ScalingStrategy:            ubiops.Ptr(valueOr(in.ScalingStrategy, defaultScalingStrategy)),
	}
	if in.RequestRetentionMode != nil {
		det.RequestRetentionMode = ubiops.DeploymentVersionDetailRequestRetentionMode(*in.RequestRetentionMode)
	}
	return det
}

// serveDeploymentVersionsGet serves deployment_versions_get.
func serveDeploymentVersionsGet(c *call) answer {
	_, _, v, a, ok := c.version()
	if !ok {
		return a
	}
	c.st().syncVersion(v, c.now())
	return ok200(v.detail)
}

// serveDeploymentVersionsUpdate serves deployment_versions_update.
func serveDeploymentVersionsUpdate(c *call) answer {
	p, d, v, a, ok := c.version()
	if !ok {
		return a
	}
	var in ubiops.DeploymentVersionUpdate
	if err := c.decode(&in); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	det := v.detail // validated as a whole before it is stored
	if a, ok := c.updateVersionReferences(p, d, v, &det, &in); !ok {
		return a
	}
	updateVersionSettings(&det, &in)
	if a, ok := checkVersionSettings(&det); !ok {
		return a
	}

	old := v.detail.Version
	det.LastUpdated = stamp(c.now())
	v.detail = det
	if det.Version != old {
		c.renameVersion(p, d, v, old)
	}
	c.recordDeployment(p, d, v, ubiops.AuditListActionUpdate, "Updated version %s of deployment %s", v.detail.Version, d.detail.Name)
	c.st().syncVersion(v, c.now())
	return ok200(v.detail)
}

// updateVersionReferences applies what an update body gives of a version's name (unique in its
// deployment), environment and instance type group (which must exist) to det, refusing what it
// cannot apply, in that order.
func (c *call) updateVersionReferences(p *project, d *deployment, v *version, det *ubiops.DeploymentVersionDetail, in *ubiops.DeploymentVersionUpdate) (answer, bool) {
	if in.Version != nil {
		if a, ok := checkPathName("version", *in.Version, maxObjectName); !ok {
			return a, false
		}
		if o := d.findVersion(*in.Version); o != nil && o != v {
			return apiError(http.StatusConflict, "A version with name %s already exists for deployment %s", *in.Version, d.detail.Name), false
		}
		det.Version = *in.Version
	}
	if in.Environment != nil {
		name, display, a, ok := c.versionEnvironment(p, in.Environment)
		if !ok {
			return a, false
		}
		det.Environment, det.EnvironmentDisplayName = name, display
	}
	if in.InstanceTypeGroupID != nil || in.InstanceTypeGroupName != nil || in.InstanceType != nil {
		id, name, typ, a, ok := c.versionGroup(p, in.InstanceTypeGroupID, in.InstanceTypeGroupName, in.InstanceType)
		if !ok {
			return a, false
		}
		det.InstanceTypeGroupID, det.InstanceTypeGroupName, det.InstanceType = id, name, ubiops.Ptr(typ)
	}
	return answer{}, true
}

// updateVersionSettings applies the plain settings an update body gives to det, one field a line:
// each keeps its current value when the body leaves it out. checkVersionSettings checks the result.
func updateVersionSettings(det *ubiops.DeploymentVersionDetail, in *ubiops.DeploymentVersionUpdate) {
	det.Description = valueOr(in.Description, det.Description)
	if in.Labels != nil {
		det.Labels = copyLabels(in.Labels)
	}
	if in.Ports != nil {
		det.Ports = copyPorts(in.Ports)
	}
	det.MaximumInstances = valueOr(in.MaximumInstances, det.MaximumInstances)
	det.MinimumInstances = valueOr(in.MinimumInstances, det.MinimumInstances)
	det.MaximumIdleTime = valueOr(in.MaximumIdleTime, det.MaximumIdleTime)
	det.RequestRetentionTime = valueOr(in.RequestRetentionTime, det.RequestRetentionTime)
	det.MaximumQueueSizeExpress = givenOr(in.MaximumQueueSizeExpress, det.MaximumQueueSizeExpress)
	det.MaximumQueueSizeBatch = givenOr(in.MaximumQueueSizeBatch, det.MaximumQueueSizeBatch)
	det.StaticIP = valueOr(in.StaticIP, det.StaticIP)
	det.RestartRequestInterruption = valueOr(in.RestartRequestInterruption, det.RestartRequestInterruption)
	det.InstanceProcesses = givenOr(in.InstanceProcesses, det.InstanceProcesses)
	det.MaximumQueueSize = givenOr(in.MaximumQueueSize, det.MaximumQueueSize)
	det.ScalingStrategy = givenOr(in.ScalingStrategy, det.ScalingStrategy)
	if in.RequestRetentionMode != nil {
		det.RequestRetentionMode = ubiops.DeploymentVersionDetailRequestRetentionMode(*in.RequestRetentionMode)
	}
	if in.Monitoring.IsSpecified() {
		det.Monitoring = nullableString(in.Monitoring)
	}
	if in.DefaultNotificationGroup.IsSpecified() {
		det.DefaultNotificationGroup = nullableString(in.DefaultNotificationGroup)
	}
}

// serveDeploymentVersionsDelete serves deployment_versions_delete.
func serveDeploymentVersionsDelete(c *call) answer {
	p, d, v, a, ok := c.version()
	if !ok {
		return a
	}
	name := v.detail.Version
	c.recordDeployment(p, d, v, ubiops.AuditListActionDelete, "Deleted version %s of deployment %s", name, d.detail.Name)
	for i := range p.audit {
		if d.audit[p.audit[i].ID] == v.detail.ID {
			p.audit[i].ObjectName = nil
		}
	}
	wasDefault := defaultVersionName(d) == name
	d.removeVersion(v)
	if wasDefault {
		// Another version (the oldest remaining) becomes the default, or none is left.
		var next *version
		if len(d.versions) > 0 {
			next = d.versions[0]
		}
		setDefaultVersion(d, next)
	}
	// Cascade: revisions, builds, instances and variables go with the version; so do the
	// requests made to it.
	p.removeRequestsIf(func(r *request) bool { return r.deployment == d.detail.Name && r.version == name })
	return noContent()
}
