package ubiopstest

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Deployments, their audit events and the template deployment catalogue. Versions are in
// ops_versions.go, revisions and builds in ops_revisions.go.
//
// A deployment's audit events are the project's events recorded through recordDeployment (which
// remembers which deployment, or which of its versions, an event is about) plus events other
// handlers record with object_type "deployment" and the deployment's name. Like UbiOps, an event's
// object_name follows renames and becomes null once its object is deleted.

// ok200 answers v with status 200. (Answers are encoded before the state lock is released, see
// runHandler, so v may share maps and slices with the state.)
func ok200[T any](v T) answer { return ok(v) }

// valueOr is *p, or def when p is nil.
func valueOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// deploymentView is the deployment as answered, with its project's current name. It shares maps
// and slices with the state: answer it (see runHandler) or convert it, do not change it.
func deploymentView(p *project, d *deployment) ubiops.DeploymentDetail {
	d.detail.Project = p.detail.Name
	return d.detail
}

// deploymentListView is the list shape, where fields without a widget carry none (as documented).
func deploymentListView(p *project, d *deployment) ubiops.DeploymentList {
	l := convert[ubiops.DeploymentList](deploymentView(p, d))
	for i := range l.InputFields {
		if w := l.InputFields[i].Widget; w != nil && w.Type == nil && w.Configuration == nil {
			l.InputFields[i].Widget = nil
		}
	}
	for i := range l.OutputFields {
		if w := l.OutputFields[i].Widget; w != nil && w.Type == nil && w.Configuration == nil {
			l.OutputFields[i].Widget = nil
		}
	}
	return l
}

// checkFields refuses fields for a plain input/output and duplicate field names (400).
func checkFields(kind, typ string, n int, names []string) (answer, bool) {
	if typ == "plain" && n > 0 {
		return apiError(http.StatusBadRequest, "request body field %s_fields: a deployment with %s type plain has no %s fields", kind, kind, kind), false
	}
	seen := map[string]bool{}
	for i, name := range names {
		if strings.TrimSpace(name) == "" {
			return apiError(http.StatusBadRequest, "request body field %s_fields.%d.name: may not be blank", kind, i), false
		}
		if seen[name] {
			return apiError(http.StatusBadRequest, "request body field %s_fields.%d.name: the %s field name %s is used more than once", kind, i, kind, name), false
		}
		seen[name] = true
	}
	return answer{}, true
}

func inputFieldNames(fs []ubiops.DeploymentInputField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func outputFieldNames(fs []ubiops.DeploymentOutputField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// normalizeInputFields copies fields, giving a field without a widget the empty widget UbiOps
// answers ({}).
func normalizeInputFields(fs []ubiops.DeploymentInputField) []ubiops.DeploymentInputField {
	out := convert[[]ubiops.DeploymentInputField](fs)
	if out == nil {
		out = []ubiops.DeploymentInputField{}
	}
	for i := range out {
		if out[i].Widget == nil {
			out[i].Widget = &ubiops.DeploymentInputFieldWidget{}
		}
	}
	return out
}

func normalizeOutputFields(fs []ubiops.DeploymentOutputField) []ubiops.DeploymentOutputField {
	out := convert[[]ubiops.DeploymentOutputField](fs)
	if out == nil {
		out = []ubiops.DeploymentOutputField{}
	}
	for i := range out {
		if out[i].Widget == nil {
			out[i].Widget = &ubiops.DeploymentOutputFieldWidget{}
		}
	}
	return out
}

func copyLabels(in *map[string]string) map[string]string {
	out := map[string]string{}
	if in != nil {
		for k, v := range *in {
			out[k] = v
		}
	}
	return out
}

// labelFilter reads the labels query parameter: 'label:value' pairs separated by commas. As
// documented, an object matches when it has at least one of them.
func labelFilter(c *call) (func(map[string]string) bool, answer, bool) {
	raw := c.query.Get("labels")
	if strings.TrimSpace(raw) == "" {
		return func(map[string]string) bool { return true }, answer{}, true
	}
	type pair struct{ key, value string }
	var pairs []pair
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, found := strings.Cut(part, ":")
		if !found || strings.TrimSpace(k) == "" {
			return nil, apiError(http.StatusBadRequest, "query parameter labels: %q is not a 'label:value' pair", part), false
		}
		pairs = append(pairs, pair{key: strings.TrimSpace(k), value: strings.TrimSpace(v)})
	}
	return func(labels map[string]string) bool {
		for _, p := range pairs {
			if v, ok := labels[p.key]; ok && v == p.value {
				return true
			}
		}
		return len(pairs) == 0
	}, answer{}, true
}

// setDefaultVersion makes v (nil: none) the deployment's default version.
func setDefaultVersion(d *deployment, v *version) {
	if v == nil {
		d.detail.DefaultVersion = nil
	} else {
		d.detail.DefaultVersion = ubiops.Ptr(v.detail.Version)
	}
	for _, x := range d.versions {
		x.detail.Default = ubiops.Ptr(x == v)
	}
}

// defaultVersionName is the name of the deployment's default version ("" if none).
func defaultVersionName(d *deployment) string {
	if d.detail.DefaultVersion != nil {
		return *d.detail.DefaultVersion
	}
	return ""
}

// renameDeployment renames a deployment everywhere it is referred to by name.
func (c *call) renameDeployment(p *project, d *deployment, name string) {
	old := d.detail.Name
	// Claim the events that were matched by the old name before it changes.
	for i, e := range p.audit {
		_, mine := d.audit[e.ID]
		if mine || c.isDeploymentEvent(d, e) {
			if !mine {
				d.rememberEvent(e.ID, d.detail.ID)
			}
			if d.audit[e.ID] == d.detail.ID {
				p.audit[i].ObjectName = ubiops.Ptr(name)
			}
		}
	}
	p.setDeploymentName(d, name)
	for _, v := range d.versions {
		v.detail.Deployment = name
	}
	for _, r := range p.requests {
		if r.deployment == old {
			r.deployment = name
		}
	}
	st := c.st()
	oldKey, newKey := p.detail.Name+"/"+old, p.detail.Name+"/"+name
	if h, ok := st.handlers[oldKey]; ok {
		if _, taken := st.handlers[newKey]; !taken {
			st.handlers[newKey] = h
			delete(st.handlers, oldKey)
		}
	}
}

// recordDeployment records an audit event about a deployment (v nil, object_type "deployment") or
// one of its versions (object_type "deployment_version"), remembering which object it is about so
// the deployment's audit list finds it and renames and deletes update its object_name.
func (c *call) recordDeployment(p *project, d *deployment, v *version, action ubiops.AuditListAction, format string, args ...any) {
	objectType, objectName, objectID := "deployment", d.detail.Name, d.detail.ID
	if v != nil {
		objectType, objectName, objectID = "deployment_version", v.detail.Version, v.detail.ID
	}
	c.record(p, action, objectType, objectName, fmt.Sprintf(format, args...))
	d.rememberEvent(p.audit[len(p.audit)-1].ID, objectID)
}

func (d *deployment) rememberEvent(eventID, objectID ubiops.UUID) {
	if d.audit == nil {
		d.audit = map[ubiops.UUID]ubiops.UUID{}
	}
	d.audit[eventID] = objectID
}

// isDeploymentEvent reports whether an event another handler recorded (with object_type
// "deployment" and the deployment's name, since the deployment was created) is about d.
func (c *call) isDeploymentEvent(d *deployment, e ubiops.AuditList) bool {
	if e.ObjectType != "deployment" || e.Date.Before(d.detail.CreationDate.Time) {
		return false
	}
	if e.ObjectName == nil {
		return false
	}
	return *e.ObjectName == d.detail.Name
}

// removeItem removes x from a slice of pointers, keeping the order.
func removeItem[T any](items []*T, x *T) []*T {
	out := items[:0]
	for _, it := range items {
		if it != x {
			out = append(out, it)
		}
	}
	clear(items[len(out):])
	return out
}

// serveDeploymentsList serves deployments_list.
func serveDeploymentsList(c *call) answer {
	p, a, ok := c.project()
	if !ok {
		return a
	}
	match, a, ok := labelFilter(c)
	if !ok {
		return a
	}
	format, formatSet := c.queryBool("supports_request_format")
	out := []ubiops.DeploymentList{}
	for _, d := range p.deployments {
		if !match(d.detail.Labels) {
			continue
		}
		if formatSet && valueOr(d.detail.SupportsRequestFormat, false) != format {
			continue
		}
		out = append(out, deploymentListView(p, d))
	}
	return ok200(out)
}

// serveDeploymentsCreate serves deployments_create.
func serveDeploymentsCreate(c *call) answer {
	p, a, ok := c.project()
	if !ok {
		return a
	}
	var in ubiops.DeploymentCreate
	if err := c.decode(&in); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if a, ok := checkPathName("name", in.Name, maxObjectName); !ok {
		return a
	}
	if p.findDeployment(in.Name) != nil {
		return apiError(http.StatusConflict, "A deployment with name %s already exists in project %s", in.Name, p.detail.Name)
	}
	// The live API no longer requires the types: without one, a deployment is structured (and
	// without fields, unless some are given).
	inType, outType := ubiops.DeploymentDetailInputTypeStructured, ubiops.DeploymentDetailOutputTypeStructured
	if in.InputType != nil {
		inType = ubiops.DeploymentDetailInputType(*in.InputType)
	}
	if in.OutputType != nil {
		outType = ubiops.DeploymentDetailOutputType(*in.OutputType)
	}
	inFields := valueOr(in.InputFields, nil)
	outFields := valueOr(in.OutputFields, nil)
	if a, ok := checkFields("input", string(inType), len(inFields), inputFieldNames(inFields)); !ok {
		return a
	}
	if a, ok := checkFields("output", string(outType), len(outFields), outputFieldNames(outFields)); !ok {
		return a
	}
	now := c.now()
	d := &deployment{detail: ubiops.DeploymentDetail{
		ID:             newID(),
		Name:           in.Name,
		Project:        p.detail.Name,
		Description:    valueOr(in.Description, ""),
		InputType:      ubiops.Ptr(inType),
		OutputType:     ubiops.Ptr(outType),
		InputFields:    normalizeInputFields(inFields),
		OutputFields:   normalizeOutputFields(outFields),
		Labels:         copyLabels(in.Labels),
		CreationDate:   stamp(now),
		LastUpdated:    stamp(now),
		DefaultVersion: nil,
		// Whether the deployment takes requests in its instance's own format (such as OpenAI's);
		// the fake only records it.
		SupportsRequestFormat: ubiops.Ptr(valueOr(in.SupportsRequestFormat, false)),
	}}
	p.addDeployment(d)
	c.recordDeployment(p, d, nil, ubiops.AuditListActionCreate, "Created deployment %s", d.detail.Name)
	return created(convert[ubiops.DeploymentCreateResponse](deploymentView(p, d)))
}

// serveDeploymentsGet serves deployments_get.
func serveDeploymentsGet(c *call) answer {
	p, d, a, ok := c.deployment()
	if !ok {
		return a
	}
	return ok200(deploymentView(p, d))
}

// serveDeploymentsUpdate serves deployments_update.
func serveDeploymentsUpdate(c *call) answer {
	p, d, a, ok := c.deployment()
	if !ok {
		return a
	}
	var in ubiops.DeploymentUpdate
	if err := c.decode(&in); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	// Validate everything before changing anything.
	if in.Name != nil {
		if a, ok := checkPathName("name", *in.Name, maxObjectName); !ok {
			return a
		}
		if o := p.findDeployment(*in.Name); o != nil && o != d {
			return apiError(http.StatusConflict, "A deployment with name %s already exists in project %s", *in.Name, p.detail.Name)
		}
	}
	if in.DefaultVersion != nil && d.findVersion(*in.DefaultVersion) == nil {
		return apiError(http.StatusBadRequest, "request body field default_version: deployment %s has no version %s", d.detail.Name, *in.DefaultVersion)
	}
	if in.InputFields != nil {
		if a, ok := checkFields("input", string(valueOf(d.detail.InputType)), len(*in.InputFields), inputFieldNames(*in.InputFields)); !ok {
			return a
		}
	}
	if in.OutputFields != nil {
		if a, ok := checkFields("output", string(valueOf(d.detail.OutputType)), len(*in.OutputFields), outputFieldNames(*in.OutputFields)); !ok {
			return a
		}
	}

	if in.Name != nil && *in.Name != d.detail.Name {
		c.renameDeployment(p, d, *in.Name)
	}
	if in.Description != nil {
		d.detail.Description = *in.Description
	}
	if in.Labels != nil {
		d.detail.Labels = copyLabels(in.Labels)
	}
	if in.InputFields != nil {
		d.detail.InputFields = normalizeInputFields(*in.InputFields)
	}
	if in.OutputFields != nil {
		d.detail.OutputFields = normalizeOutputFields(*in.OutputFields)
	}
	if in.DefaultVersion != nil {
		setDefaultVersion(d, d.findVersion(*in.DefaultVersion))
	}
	d.detail.LastUpdated = stamp(c.now())
	c.recordDeployment(p, d, nil, ubiops.AuditListActionUpdate, "Updated deployment %s", d.detail.Name)
	return ok200(deploymentView(p, d))
}

// serveDeploymentsDelete serves deployments_delete.
func serveDeploymentsDelete(c *call) answer {
	p, d, a, ok := c.deployment()
	if !ok {
		return a
	}
	name := d.detail.Name
	c.recordDeployment(p, d, nil, ubiops.AuditListActionDelete, "Deleted deployment %s", name)
	// Its events keep existing in the project's audit trail, without an object name.
	for i := range p.audit {
		if _, mine := d.audit[p.audit[i].ID]; mine || c.isDeploymentEvent(d, p.audit[i]) {
			p.audit[i].ObjectName = nil
		}
	}
	p.removeDeployment(d)
	// Cascade: versions, revisions, builds, instances and variables go with the deployment;
	// so do its requests.
	p.removeRequestsIf(func(r *request) bool { return r.deployment == name })
	return noContent()
}

// serveDeploymentAuditEventsList serves deployment_audit_events_list.
func serveDeploymentAuditEventsList(c *call) answer {
	p, d, a, ok := c.deployment()
	if !ok {
		return a
	}
	action := c.query.Get("action")
	out := []ubiops.AuditList{}
	for i := len(p.audit) - 1; i >= 0; i-- { // newest first
		e := p.audit[i]
		if _, mine := d.audit[e.ID]; !mine && !c.isDeploymentEvent(d, e) {
			continue
		}
		if action != "" && string(e.Action) != action {
			continue
		}
		out = append(out, e)
	}
	return ok200(offsetPage(c, out))
}

// serveTemplateDeploymentsList serves template_deployments_list.
func serveTemplateDeploymentsList(c *call) answer {
	out := make([]ubiops.TemplateDeploymentList, 0, len(c.st().templates))
	for _, t := range c.st().templates {
		out = append(out, t.list)
	}
	return ok200(out)
}
