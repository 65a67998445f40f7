package ubiopstest

import (
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Environment variables at project, deployment and version scope (the
// project_environment_variables_*, deployment_environment_variables_* and
// deployment_version_environment_variables_* operations).
//
// Variables are stored with their real value, secret or not (so the fake could hand them to
// deployment code); every answer hides a secret variable's value as null. A variable at a narrower
// scope overrides one with the same name at a wider scope in the deployment and version lists.

// envScope is the list of variables of one project, deployment or version, with what audit events
// and lists say about it.
type envScope struct {
	vars *[]*ubiops.EnvironmentVariableList
	// what names the scope in audit events: "project p", "deployment d", "version v of deployment d".
	what string
	// objectType and objectName name the owner in audit events of copies.
	objectType, objectName string
}

const envVarObjectType = "environment_variable"

func projectEnvScope(p *project) envScope {
	return envScope{vars: &p.envVars, what: "project " + p.detail.Name, objectType: "project", objectName: p.detail.Name}
}

func deploymentEnvScope(d *deployment) envScope {
	return envScope{vars: &d.envVars, what: "deployment " + d.detail.Name, objectType: "deployment", objectName: d.detail.Name}
}

func versionEnvScope(d *deployment, v *version) envScope {
	return envScope{
		vars: &v.envVars, what: fmt.Sprintf("version %s of deployment %s", v.detail.Version, d.detail.Name),
		objectType: "deployment_version", objectName: v.detail.Version,
	}
}

// envVarOps serves the environment variable operations of one scope: resolve finds the objects in
// the path and the scope's variables, inherited lists the wider scopes' variables, narrowest first
// (nil for the project).
type envVarOps struct {
	resolve   func(c *call) (*project, envScope, answer, bool)
	inherited func(p *project, c *call) []inheritedScope
}

// projectVars serves the project's variables (project_environment_variables_*).
var projectVars = envVarOps{
	resolve: func(c *call) (*project, envScope, answer, bool) {
		p, a, found := c.project()
		if !found {
			return nil, envScope{}, a, false
		}
		return p, projectEnvScope(p), answer{}, true
	},
}

// deploymentVars serves a deployment's variables (deployment_environment_variables_*).
var deploymentVars = envVarOps{
	resolve: func(c *call) (*project, envScope, answer, bool) {
		p, d, a, found := c.deployment()
		if !found {
			return nil, envScope{}, a, false
		}
		return p, deploymentEnvScope(d), answer{}, true
	},
	inherited: func(p *project, _ *call) []inheritedScope {
		return []inheritedScope{{"project", p.detail.Name, p.envVars}}
	},
}

// versionVars serves a version's variables (deployment_version_environment_variables_*).
var versionVars = envVarOps{
	resolve: func(c *call) (*project, envScope, answer, bool) {
		p, d, v, a, found := c.version()
		if !found {
			return nil, envScope{}, a, false
		}
		return p, versionEnvScope(d, v), answer{}, true
	},
	inherited: func(p *project, c *call) []inheritedScope {
		d := p.findDeployment(c.path["deployment_name"])
		return []inheritedScope{{"deployment", d.detail.Name, d.envVars}, {"project", p.detail.Name, p.envVars}}
	},
}

// list serves the scope's list operation.
func (sc envVarOps) list(c *call) answer {
	p, scope, a, found := sc.resolve(c)
	if !found {
		return a
	}
	if sc.inherited == nil {
		out := make([]ubiops.EnvironmentVariableList, 0, len(*scope.vars))
		for _, v := range *scope.vars {
			out = append(out, envVarAnswer(v))
		}
		return ok(out)
	}
	return ok(inheritedEnvVars(*scope.vars, sc.inherited(p, c)))
}

// create serves the scope's create operation.
func (sc envVarOps) create(c *call) answer {
	p, scope, a, found := sc.resolve(c)
	if !found {
		return a
	}
	var body ubiops.EnvironmentVariableCreate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if envVarByName(*scope.vars, body.Name) != nil {
		return apiError(http.StatusConflict, "An environment variable with name %q already exists for %s", body.Name, scope.what)
	}
	v := &ubiops.EnvironmentVariableList{ID: newID(), Name: body.Name, Value: ubiops.Ptr(body.Value), Secret: body.Secret}
	*scope.vars = append(*scope.vars, v)
	c.record(p, ubiops.AuditListActionCreate, envVarObjectType, v.Name, fmt.Sprintf("Created environment variable %s for %s", v.Name, scope.what))
	return created(envVarAnswer(v))
}

// get serves the scope's get operation.
func (sc envVarOps) get(c *call) answer {
	_, scope, i, a, found := resolveVar(c, sc.resolve)
	if !found {
		return a
	}
	return ok(envVarAnswer((*scope.vars)[i]))
}

// update serves the scope's update operation.
func (sc envVarOps) update(c *call) answer {
	p, scope, i, a, found := resolveVar(c, sc.resolve)
	if !found {
		return a
	}
	v := (*scope.vars)[i]
	var body ubiops.EnvironmentVariableCreate
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if v.Secret && !body.Secret {
		return apiError(http.StatusBadRequest, "request body field secret: a secret environment variable cannot be made non-secret")
	}
	if other := envVarByName(*scope.vars, body.Name); other != nil && other != v {
		return apiError(http.StatusConflict, "An environment variable with name %q already exists for %s", body.Name, scope.what)
	}
	oldName := v.Name
	v.Name, v.Value, v.Secret = body.Name, ubiops.Ptr(body.Value), body.Secret
	event := fmt.Sprintf("Updated environment variable %s for %s", v.Name, scope.what)
	if oldName != v.Name {
		event = fmt.Sprintf("Renamed environment variable %s to %s for %s", oldName, v.Name, scope.what)
	}
	c.record(p, ubiops.AuditListActionUpdate, envVarObjectType, v.Name, event)
	return ok(envVarAnswer(v))
}

// delete serves the scope's delete operation.
func (sc envVarOps) delete(c *call) answer {
	p, scope, i, a, found := resolveVar(c, sc.resolve)
	if !found {
		return a
	}
	v := (*scope.vars)[i]
	*scope.vars = append((*scope.vars)[:i:i], (*scope.vars)[i+1:]...)
	c.record(p, ubiops.AuditListActionDelete, envVarObjectType, v.Name, fmt.Sprintf("Deleted environment variable %s of %s", v.Name, scope.what))
	return noContent()
}

// copy serves the scope's copy operation.
func (sc envVarOps) copy(c *call) answer {
	p, scope, a, found := sc.resolve(c)
	if !found {
		return a
	}
	var body ubiops.EnvironmentVariableCopy
	if err := c.decode(&body); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	src := p.findDeployment(body.SourceDeployment)
	if src == nil {
		return notFound("Source deployment")
	}
	source, from := src.envVars, "deployment "+src.detail.Name
	if body.SourceVersion != nil {
		sv := src.findVersion(*body.SourceVersion)
		if sv == nil {
			return notFound("Source version")
		}
		source, from = sv.envVars, fmt.Sprintf("version %s of deployment %s", sv.detail.Version, src.detail.Name)
	}
	copied := copyEnvVars(scope.vars, source)
	c.record(p, ubiops.AuditListActionUpdate, scope.objectType, scope.objectName,
		fmt.Sprintf("Copied %d environment variables from %s to %s", len(copied), from, scope.what))
	out := make([]ubiops.InheritedEnvironmentVariableList, 0, len(copied))
	for _, v := range copied {
		out = append(out, inheritedAnswer(v, "", ""))
	}
	return created(out)
}

// inheritedScope is a wider scope's variables as seen from a narrower one.
type inheritedScope struct {
	kind, name string // inheritance_type and inheritance_name
	vars       []*ubiops.EnvironmentVariableList
}

// inheritedEnvVars lists a scope's own variables and then, narrowest scope first, the inherited
// variables that no narrower scope overrides.
func inheritedEnvVars(own []*ubiops.EnvironmentVariableList, wider []inheritedScope) []ubiops.InheritedEnvironmentVariableList {
	seen := map[string]bool{}
	out := []ubiops.InheritedEnvironmentVariableList{}
	for _, v := range own {
		seen[v.Name] = true
		out = append(out, inheritedAnswer(v, "", ""))
	}
	for _, w := range wider {
		for _, v := range w.vars {
			if seen[v.Name] {
				continue
			}
			seen[v.Name] = true
			out = append(out, inheritedAnswer(v, w.kind, w.name))
		}
	}
	return out
}

// copyEnvVars copies source's variables into target, overwriting the value of same-named ones (a
// secret target stays secret), and returns the target's copies.
func copyEnvVars(target *[]*ubiops.EnvironmentVariableList, source []*ubiops.EnvironmentVariableList) []*ubiops.EnvironmentVariableList {
	// Snapshot the source first: it may be the target itself.
	src := make([]ubiops.EnvironmentVariableList, 0, len(source))
	for _, v := range source {
		src = append(src, *v)
	}
	copied := make([]*ubiops.EnvironmentVariableList, 0, len(src))
	for _, s := range src {
		t := envVarByName(*target, s.Name)
		if t == nil {
			t = &ubiops.EnvironmentVariableList{ID: newID(), Name: s.Name}
			*target = append(*target, t)
		}
		t.Value = s.Value
		t.Secret = t.Secret || s.Secret
		copied = append(copied, t)
	}
	return copied
}

// envVarAnswer is a variable as answered: a secret's value is null.
func envVarAnswer(v *ubiops.EnvironmentVariableList) ubiops.EnvironmentVariableList {
	out := *v
	if out.Secret {
		out.Value = nil
	}
	return out
}

// inheritedAnswer is a variable in a deployment or version list; kind and name are empty for the
// scope's own (or copied) variables.
func inheritedAnswer(v *ubiops.EnvironmentVariableList, kind, name string) ubiops.InheritedEnvironmentVariableList {
	a := envVarAnswer(v)
	out := ubiops.InheritedEnvironmentVariableList{
		ID: a.ID, Name: a.Name, Value: a.Value, Secret: a.Secret,
		InheritanceType: nil, InheritanceName: nil,
	}
	if kind != "" {
		out.InheritanceType, out.InheritanceName = ubiops.Ptr(kind), ubiops.Ptr(name)
	}
	return out
}

func envVarByName(vars []*ubiops.EnvironmentVariableList, name string) *ubiops.EnvironmentVariableList {
	for _, v := range vars {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// envVarIndex finds a variable by id (any UUID spelling); -1 if it is not defined in vars.
func envVarIndex(vars []*ubiops.EnvironmentVariableList, id string) int {
	want, err := uuid.Parse(id)
	if err != nil {
		return -1
	}
	for i, v := range vars {
		if v.ID == want {
			return i
		}
	}
	return -1
}

// resolveVar resolves a scope and the variable of that scope named by {id}, or answers 404.
func resolveVar(c *call, resolve func(*call) (*project, envScope, answer, bool)) (*project, envScope, int, answer, bool) {
	p, scope, a, found := resolve(c)
	if !found {
		return nil, scope, -1, a, false
	}
	i := envVarIndex(*scope.vars, c.path["id"])
	if i < 0 {
		return nil, scope, -1, notFound("Environment variable"), false
	}
	return p, scope, i, answer{}, true
}
