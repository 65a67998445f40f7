package ubiopstest

import (
	"archive/zip"
	"io"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Environments: the base environments UbiOps provides (shared by every project, project and
// base_environment null, read-only) and the custom environments of a project, each built on a base
// environment. Uploading an environment file (a zip with dependency files) or copying another
// environment's creates a revision and a build; a build's status is computed from its age
// (queued, processing, then success or failed) unless it was cancelled.
//
// A custom environment created without a base environment (the live API no longer requires one) is
// a custom image environment: its base_environment is null and its environment file is taken as a
// container image archive, which the fake cannot inspect, so any non-empty file builds (without
// dependency files) and an empty one fails.

// Trigger texts of environment builds, as the API reports them.
const (
	envTriggerUpload  = "Environment file upload"
	envTriggerRebuild = "Rebuild triggered"
)

// envDependencyFiles are the files an environment archive may hold, in the order they are listed.
var envDependencyFiles = []string{"environment.yaml", "install_packages.R", "requirements.txt", "ubiops.yaml"}

// baseEnvironments is the fixed catalogue of base environments every project may use. Their ids are
// derived from their names, so they are the same on every server.
func baseEnvironments(started time.Time) []*environment {
	type base struct {
		name, display, description string
		gpu                        bool
	}
	bases := []base{
		{"python3-8", "Python 3.8", "Base environment containing Python 3.8", false},
		{"python3-8-cuda", "Python 3.8 + CUDA 11.7", "Base environment containing Python 3.8 and CUDA 11.7", true},
		{"python3-9", "Python 3.9", "Base environment containing Python 3.9", false},
		{"python3-10", "Python 3.10", "Base environment containing Python 3.10", false},
		{"python3-11", "Python 3.11", "Base environment containing Python 3.11", false},
		{"python3-11-cuda", "Python 3.11 + CUDA 12.1", "Base environment containing Python 3.11 and CUDA 12.1", true},
		{"python3-12", "Python 3.12", "Base environment containing Python 3.12", false},
		{"python3-12-cuda", "Python 3.12 + CUDA 12.3", "Base environment containing Python 3.12 and CUDA 12.3", true},
		{"r4-0", "R 4.0", "Base environment containing R 4.0", false},
	}
	created := started.Add(-90 * 24 * time.Hour).UTC()
	out := make([]*environment, 0, len(bases))
	for _, b := range bases {
		out = append(out, &environment{detail: ubiops.EnvironmentDetail{
			ID:              uuid.NewSHA1(uuid.NameSpaceOID, []byte("ubiopstest/base-environment/"+b.name)),
			Name:            b.name,
			DisplayName:     ubiops.Ptr(b.display),
			BaseEnvironment: nil,
			Project:         nil,
			CreationDate:    stamp(created),
			LastUpdated:     stamp(created),
			Description:     b.description,
			Labels:          map[string]string{},
			GPURequired:     b.gpu,
			Status:          "active",
			ActiveRevision:  nil,
			ActiveBuild:     nil,
			LatestRevision:  nil,
			LatestBuild:     nil,
			// Base environments are the system's own; none takes requests in an instance format.
			System:                ubiops.Ptr(true),
			SupportsRequestFormat: ubiops.Ptr(false),
		}})
	}
	return out
}

// isBase reports whether an environment is one of the base environments (they belong to no project).
func (e *environment) isBase() bool { return e.detail.Project == nil }

// isImage reports whether a custom environment was created without a base environment (a custom
// image environment).
func (e *environment) isImage() bool { return !e.isBase() && valueOf(e.detail.BaseEnvironment) == "" }

// envDisplayName is an environment's display name, or its name when it has none.
func envDisplayName(e *environment) string {
	if n := valueOf(e.detail.DisplayName); n != "" {
		return n
	}
	return e.detail.Name
}

// readArchive reads an environment file the way the environment's builds use it.
func (e *environment) readArchive(b *blob) (deps []ubiops.EnvironmentBuildDependency, failure string) {
	if e.isImage() {
		if b.size == 0 {
			return nil, "The environment file is empty: a custom image environment needs an image archive"
		}
		return nil, ""
	}
	info := b.environmentFiles()
	return info.deps, info.failure
}

// findBaseEnvironment looks up a base environment by name; the dotted form of the documentation's
// examples ("python3.8" for "python3-8") is accepted too.
func (st *state) findBaseEnvironment(name string) *environment {
	for _, e := range st.baseEnvs {
		if e.detail.Name == name || e.detail.Name == strings.ReplaceAll(name, ".", "-") {
			return e
		}
	}
	return nil
}

// envBuildStatus computes a build's status at now.
func (c *call) envBuildStatus(b *envBuild) ubiops.EnvironmentBuildListStatus {
	if b.cancelled != nil {
		return ubiops.EnvironmentBuildListStatusCancelled
	}
	queued, running := phase(b.created, c.now(), c.s.opts.buildDuration)
	switch {
	case queued:
		return ubiops.EnvironmentBuildListStatusQueued
	case running:
		return ubiops.EnvironmentBuildListStatusProcessing
	case b.revision.failure != "":
		return ubiops.EnvironmentBuildListStatusFailed
	}
	return ubiops.EnvironmentBuildListStatusSuccess
}

func (c *call) envBuildView(b *envBuild) ubiops.EnvironmentBuildList {
	status := c.envBuildStatus(b)
	msg := ""
	if status == ubiops.EnvironmentBuildListStatusFailed {
		msg = b.revision.failure
	}
	// A build has a size (that of the environment file it built) once it succeeded.
	var size *int
	if status == ubiops.EnvironmentBuildListStatusSuccess {
		size = ubiops.Ptr(int(b.revision.archive.size))
	}
	return ubiops.EnvironmentBuildList{
		ID: b.id, Revision: b.revision.id, CreationDate: stamp(b.created), Status: status,
		ErrorMessage: ubiops.Ptr(msg), Trigger: b.trigger, Size: size,
	}
}

func envRevisionView(e *environment, r *envRevision) ubiops.EnvironmentRevisionDetail {
	return ubiops.EnvironmentRevisionDetail{
		ID: r.id, Environment: e.detail.Name, CreationDate: stamp(r.created), CreatedBy: r.createdBy, Expired: false,
	}
}

// envDetail brings the environment's active revision and build up to date (the most recent build
// that succeeded) and returns its details.
func (c *call) envDetail(e *environment) ubiops.EnvironmentDetail {
	e.detail.ActiveRevision, e.detail.ActiveBuild = nil, nil
	for i := len(e.builds) - 1; i >= 0; i-- {
		if b := e.builds[i]; c.envBuildStatus(b) == ubiops.EnvironmentBuildListStatusSuccess {
			e.detail.ActiveRevision = ubiops.Ptr(b.revision.id)
			e.detail.ActiveBuild = ubiops.Ptr(b.id)
			break
		}
	}
	return e.detail
}

// envRevision looks up the revision named in the path.
func (c *call) envRevision() (*project, *environment, *envRevision, answer, bool) {
	p, e, a, found := c.environment()
	if !found {
		return nil, nil, nil, a, false
	}
	if id, err := uuid.Parse(c.path["revision_id"]); err == nil {
		for _, r := range e.revisions {
			if r.id == id {
				return p, e, r, answer{}, true
			}
		}
	}
	return nil, nil, nil, notFound("Revision"), false
}

// envBuild looks up the build named in the path.
func (c *call) envBuild() (*project, *environment, *envBuild, answer, bool) {
	p, e, r, a, found := c.envRevision()
	if !found {
		return nil, nil, nil, a, false
	}
	if id, err := uuid.Parse(c.path["build_id"]); err == nil {
		for _, b := range r.builds {
			if b.id == id {
				return p, e, b, answer{}, true
			}
		}
	}
	return nil, nil, nil, notFound("Build"), false
}

// envVersionsUsing returns the deployment versions of a project that use an environment.
func envVersionsUsing(p *project, name string) []*version {
	var out []*version
	for _, d := range p.deployments {
		for _, v := range d.versions {
			if v.detail.Environment == name {
				out = append(out, v)
			}
		}
	}
	return out
}

// parseLabelFilter parses "k1:v1,k2:v2".
func parseLabelFilter(s string) (map[string][]string, bool) {
	out := map[string][]string{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		k, v, found := strings.Cut(pair, ":")
		if !found || k == "" {
			return nil, false
		}
		out[k] = append(out[k], v)
	}
	return out, true
}

// matchesLabels reports whether labels hold at least one of the filter's pairs.
func matchesLabels(labels map[string]string, filter map[string][]string) bool {
	for k, vs := range filter {
		if have, ok := labels[k]; ok {
			for _, v := range vs {
				if have == v {
					return true
				}
			}
		}
	}
	return false
}

// readEnvironmentArchive extracts the dependency files of an environment archive. They may be at
// the root of the zip or inside a single top-level folder. failure explains an unusable archive.
// It reads the archive's directory and the dependency files, not the whole archive.
func readEnvironmentArchive(data io.ReaderAt, size int64) (deps []ubiops.EnvironmentBuildDependency, failure string) {
	if why := checkArchiveDirectory(data, size); why != "" {
		return nil, "The environment file cannot be read: " + why
	}
	zr, err := zip.NewReader(data, size)
	if err != nil {
		return nil, "The environment file is not a valid zip archive"
	}
	var files []*zip.File
	tops := map[string]bool{}
	for _, f := range zr.File {
		name := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(f.Name, "\\", "/")), "/")
		if strings.HasSuffix(f.Name, "/") || name == "" || strings.HasPrefix(name, "__MACOSX") {
			continue
		}
		files = append(files, f)
		top, _, nested := strings.Cut(name, "/")
		if !nested {
			top = ""
		}
		tops[top] = true
	}
	prefix := ""
	if len(tops) == 1 {
		for t := range tops {
			if t != "" {
				prefix = t + "/"
			}
		}
	}
	found := map[string]string{}
	for _, f := range files {
		name := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(f.Name, "\\", "/")), "/")
		rel := strings.TrimPrefix(name, prefix)
		if !contains(envDependencyFiles, rel) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, "Could not read " + rel + " from the environment file: " + err.Error()
		}
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		_ = rc.Close()
		if err != nil {
			return nil, "Could not read " + rel + " from the environment file: " + err.Error()
		}
		found[rel] = string(b)
	}
	for _, name := range envDependencyFiles {
		if content, ok := found[name]; ok {
			deps = append(deps, ubiops.EnvironmentBuildDependency{Name: name, Content: ubiops.Ptr(content)})
		}
	}
	if len(deps) == 0 {
		return nil, "Could not find a dependency file (requirements.txt, ubiops.yaml, install_packages.R or environment.yaml) in the environment file"
	}
	return deps, ""
}

// startEnvBuild creates a build of a revision and writes the log lines of its course.
func (c *call) startEnvBuild(p *project, e *environment, r *envRevision, trigger string) *envBuild {
	b := &envBuild{id: newID(), revision: r, created: c.now(), trigger: trigger}
	r.builds = append(r.builds, b)
	e.builds = append(e.builds, b)
	e.detail.LatestBuild = ubiops.Ptr(b.id)

	d := c.s.opts.buildDuration
	envName := e.detail.Name
	fill := func(level ubiops.LogsLevel) func(*ubiops.Logs) {
		return func(l *ubiops.Logs) {
			l.EnvironmentName = ubiops.Ptr(envName)
			l.EnvironmentBuildID = ubiops.Ptr(b.id)
			l.BuildID = ubiops.Ptr(b.id.String())
			l.Level = ubiops.Ptr(level)
		}
	}
	st := c.st()
	st.logLine(p, b.created, "Environment build "+b.id.String()+" of environment "+envName+" queued ("+trigger+")", fill(ubiops.LogsLevelInfo))
	var names []string
	for _, dep := range r.deps {
		names = append(names, dep.Name)
	}
	building := "Building environment " + envName + " on base environment " + valueOf(e.detail.BaseEnvironment)
	if e.isImage() {
		building = "Building environment " + envName + " from its custom image"
	}
	if len(names) > 0 {
		building += ", installing dependencies from " + strings.Join(names, ", ")
	}
	st.logLine(p, b.created.Add(d/4), building, fill(ubiops.LogsLevelInfo))
	if r.failure != "" {
		st.logLine(p, b.created.Add(d), "Environment build failed: "+r.failure, fill(ubiops.LogsLevelError))
	} else {
		st.logLine(p, b.created.Add(d), "Environment build succeeded; environment "+envName+" is ready", fill(ubiops.LogsLevelInfo))
	}
	return b
}

// dropFutureEnvLogs removes the log lines a build would still write after now (it was cancelled or
// its environment deleted).
func (c *call) dropFutureEnvLogs(p *project, builds ...*envBuild) {
	ids := map[ubiops.UUID]bool{}
	for _, b := range builds {
		ids[b.id] = true
	}
	now := c.now()
	kept := p.logs[:0]
	for _, l := range p.logs {
		if l.EnvironmentBuildID != nil && ids[*l.EnvironmentBuildID] && l.Date.After(now) {
			continue
		}
		kept = append(kept, l)
	}
	clear(p.logs[len(kept):])
	p.logs = kept
}

// checkDisplayName holds an environment's display name to the length its answers allow (the
// request bodies' schemas set no bound): a longer one would be stored and then break every answer.
func checkDisplayName(name *string) (answer, bool) {
	if name == nil {
		return answer{}, true
	}
	if n := utf8.RuneCountInString(*name); n > maxEnvironmentName {
		return apiError(http.StatusBadRequest, "request body field display_name: at most %d characters, got %d", maxEnvironmentName, n), false
	}
	return answer{}, true
}

func forbiddenBase(e *environment, what string) answer {
	return apiError(http.StatusForbidden, "Environment %s is a base environment; base environments cannot be %s", e.detail.Name, what)
}

// envFileRevision is the revision whose file a copy takes: the active one, else the latest.
func envFileRevision(c *call, e *environment) *envRevision {
	d := c.envDetail(e)
	if id := d.ActiveRevision; id != nil {
		for _, r := range e.revisions {
			if r.id == *id {
				return r
			}
		}
	}
	if len(e.revisions) == 0 {
		return nil
	}
	return e.revisions[len(e.revisions)-1]
}

// serveEnvironmentsList serves environments_list.
func serveEnvironmentsList(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	var filter map[string][]string
	if s := c.query.Get("labels"); s != "" {
		if filter, found = parseLabelFilter(s); !found {
			return apiError(http.StatusBadRequest, "query parameter labels: want comma-separated label:value pairs, got %q", s)
		}
	}
	format, formatSet := c.queryBool("supports_request_format")
	typ := c.query.Get("environment_type")
	var envs []*environment
	if typ == "" || typ == "all" || typ == "base" {
		envs = append(envs, c.st().baseEnvs...)
	}
	if typ == "" || typ == "all" || typ == "custom" {
		envs = append(envs, p.environments...)
	}
	out := []ubiops.EnvironmentList{}
	for _, e := range envs {
		if filter != nil && !matchesLabels(e.detail.Labels, filter) {
			continue
		}
		if formatSet && valueOr(e.detail.SupportsRequestFormat, false) != format {
			continue
		}
		out = append(out, convert[ubiops.EnvironmentList](c.envDetail(e)))
	}
	return ok(out)
}

// serveEnvironmentsCreate serves environments_create.
func serveEnvironmentsCreate(c *call) answer {
	p, a, found := c.project()
	if !found {
		return a
	}
	var in ubiops.EnvironmentCreate
	if err := c.decode(&in); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if a, found := checkPathName("name", in.Name, maxEnvironmentName); !found {
		return a
	}
	if a, found := checkDisplayName(in.DisplayName); !found {
		return a
	}
	if p.findEnvironment(c.st(), in.Name) != nil {
		return apiError(http.StatusConflict, "An environment with name %s already exists", in.Name)
	}
	base, a, found := c.createBaseEnvironment(p, in.BaseEnvironment)
	if !found {
		return a
	}
	e := newEnvironment(p, &in, base, c.now())
	p.environments = append(p.environments, e)
	c.record(p, ubiops.AuditListActionCreate, "environment", e.detail.Name, "Created environment "+e.detail.Name)
	return created(convert[ubiops.EnvironmentList](c.envDetail(e)))
}

// createBaseEnvironment resolves the base environment a new environment names (400 when it names a
// custom environment or none). Without one (absent or null), the environment is a custom image
// environment (see the top of this file) and the base is nil.
func (c *call) createBaseEnvironment(p *project, name *string) (*environment, answer, bool) {
	if name == nil {
		return nil, answer{}, true
	}
	base := c.st().findBaseEnvironment(*name)
	if base == nil {
		if p.findEnvironment(c.st(), *name) != nil {
			return nil, apiError(http.StatusBadRequest, "request body field base_environment: %s is a custom environment; a custom environment must be based on a base environment", *name), false
		}
		return nil, apiError(http.StatusBadRequest, "request body field base_environment: base environment %s does not exist", *name), false
	}
	return base, answer{}, true
}

// newEnvironment is a new environment of p as a create body gives it, on base (nil for a custom
// image environment).
func newEnvironment(p *project, in *ubiops.EnvironmentCreate, base *environment, now time.Time) *environment {
	e := &environment{detail: ubiops.EnvironmentDetail{
		ID:              newID(),
		Name:            in.Name,
		DisplayName:     ubiops.Ptr(in.Name),
		BaseEnvironment: nil,
		Project:         ubiops.Ptr(p.detail.Name),
		CreationDate:    stamp(now),
		LastUpdated:     stamp(now),
		Labels:          map[string]string{},
		Status:          "active",
		ActiveRevision:  nil,
		ActiveBuild:     nil,
		LatestRevision:  nil,
		LatestBuild:     nil,
		System:          ubiops.Ptr(false),
		// Whether deployments on the environment take requests in the instance's own format
		// (such as OpenAI's); the fake only records it.
		SupportsRequestFormat: ubiops.Ptr(valueOr(in.SupportsRequestFormat, false)),
	}}
	if base != nil {
		e.detail.BaseEnvironment = ubiops.Ptr(base.detail.Name)
		e.detail.BaseEnvironmentDisplayName = ubiops.Ptr(envDisplayName(base))
		e.detail.GPURequired = base.detail.GPURequired
	}
	if in.DisplayName != nil && *in.DisplayName != "" {
		e.detail.DisplayName = ubiops.Ptr(*in.DisplayName)
	}
	if in.Description != nil {
		e.detail.Description = *in.Description
	}
	if in.Labels != nil && *in.Labels != nil {
		e.detail.Labels = *in.Labels
	}
	return e
}

// serveEnvironmentsGet serves environments_get.
func serveEnvironmentsGet(c *call) answer {
	_, e, a, found := c.environment()
	if !found {
		return a
	}
	return ok(c.envDetail(e))
}

// serveEnvironmentsUpdate serves environments_update.
func serveEnvironmentsUpdate(c *call) answer {
	p, e, a, found := c.environment()
	if !found {
		return a
	}
	if e.isBase() {
		return forbiddenBase(e, "changed")
	}
	var in ubiops.EnvironmentUpdate
	if err := c.decode(&in); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	oldName := e.detail.Name
	if c.has("name") && in.Name != nil && *in.Name != oldName {
		if a, found := checkPathName("name", *in.Name, maxEnvironmentName); !found {
			return a
		}
		if p.findEnvironment(c.st(), *in.Name) != nil {
			return apiError(http.StatusConflict, "An environment with name %s already exists", *in.Name)
		}
	}
	if a, found := checkDisplayName(in.DisplayName); !found {
		return a
	}
	users := envVersionsUsing(p, oldName)
	if c.has("name") && in.Name != nil {
		e.detail.Name = *in.Name
	}
	if c.has("display_name") && in.DisplayName != nil {
		e.detail.DisplayName = ubiops.Ptr(*in.DisplayName)
		if *in.DisplayName == "" {
			e.detail.DisplayName = ubiops.Ptr(e.detail.Name)
		}
	}
	if c.has("description") && in.Description != nil {
		e.detail.Description = *in.Description
	}
	if c.has("labels") {
		e.detail.Labels = map[string]string{}
		if in.Labels != nil && *in.Labels != nil {
			e.detail.Labels = *in.Labels
		}
	}
	e.detail.LastUpdated = stamp(c.now())
	// The versions refer to the environment itself, so they follow a rename.
	for _, v := range users {
		v.detail.Environment = e.detail.Name
		v.detail.EnvironmentDisplayName = envDisplayName(e)
	}
	event := "Updated environment " + e.detail.Name
	if e.detail.Name != oldName {
		event = "Renamed environment " + oldName + " to " + e.detail.Name
	}
	c.record(p, ubiops.AuditListActionUpdate, "environment", e.detail.Name, event)
	return ok(c.envDetail(e))
}

// serveEnvironmentsDelete serves environments_delete.
func serveEnvironmentsDelete(c *call) answer {
	p, e, a, found := c.environment()
	if !found {
		return a
	}
	if e.isBase() {
		return forbiddenBase(e, "deleted")
	}
	if users := envVersionsUsing(p, e.detail.Name); len(users) > 0 {
		names := make([]string, 0, len(users))
		for _, v := range users {
			names = append(names, v.detail.Deployment+"/"+v.detail.Version)
		}
		return apiError(http.StatusConflict, "Environment %s is used by deployment versions %s and cannot be deleted", e.detail.Name, strings.Join(names, ", "))
	}
	for i, x := range p.environments {
		if x == e {
			p.environments = append(p.environments[:i:i], p.environments[i+1:]...)
			break
		}
	}
	c.dropFutureEnvLogs(p, e.builds...)
	c.record(p, ubiops.AuditListActionDelete, "environment", e.detail.Name, "Deleted environment "+e.detail.Name)
	return noContent()
}

// serveEnvironmentsUsage serves environments_usage.
func serveEnvironmentsUsage(c *call) answer {
	p, e, a, found := c.environment()
	if !found {
		return a
	}
	switch c.query.Get("environment_type") {
	case "base":
		if !e.isBase() {
			return notFound("Environment")
		}
	case "custom":
		if e.isBase() {
			return notFound("Environment")
		}
	}
	out := []ubiops.EnvironmentUsage{}
	for _, v := range envVersionsUsing(p, e.detail.Name) {
		out = append(out, ubiops.EnvironmentUsage{
			ID: v.detail.ID, Deployment: v.detail.Deployment, Version: v.detail.Version,
			Environment: e.detail.Name, EnvironmentDisplayName: envDisplayName(e), Status: v.detail.Status,
		})
	}
	return ok(out)
}

// serveEnvironmentRevisionsFileUpload serves environment_revisions_file_upload.
func serveEnvironmentRevisionsFileUpload(c *call) answer {
	_, e, a, found := c.environment()
	if !found {
		return a
	}
	if e.isBase() {
		return forbiddenBase(e, "changed")
	}
	// Read the body, and the dependency files of the archive it carries, without the lock: an
	// archive can be large and its sender slow.
	var up *upload
	image := e.isImage()
	c.unlocked(func() {
		if up, a, found = c.multipartUpload(); found && up.hasFile && !image {
			up.file.environmentFiles()
		}
	})
	if !found {
		return a
	}
	var p *project
	// Look the environment up again: it may have changed while the body was read.
	if p, e, a, found = c.environment(); !found {
		up.file.discard()
		return a
	}
	source, hasSource := up.fields["source_environment"]
	if up.hasFile == hasSource {
		up.file.discard()
		return apiError(http.StatusBadRequest, "request body: give exactly one of file or source_environment")
	}
	r := &envRevision{id: newID(), created: c.now(), createdBy: c.st().fakeUser()}
	event := "Uploaded environment file for environment " + e.detail.Name
	if up.hasFile {
		r.archive, r.fileName = up.file, up.fileName
		if r.fileName == "" {
			r.fileName = "environment.zip"
		}
		r.deps, r.failure = e.readArchive(r.archive)
	} else {
		src := p.findEnvironment(c.st(), source)
		if src == nil {
			return apiError(http.StatusBadRequest, "request body field source_environment: environment %s does not exist", source)
		}
		from := envFileRevision(c, src)
		if from == nil {
			return apiError(http.StatusBadRequest, "request body field source_environment: environment %s has no environment file", source)
		}
		r.archive, r.fileName = from.archive, from.fileName
		r.deps, r.failure = e.readArchive(r.archive)
		event = "Copied the environment file of environment " + src.detail.Name + " to environment " + e.detail.Name
	}
	e.revisions = append(e.revisions, r)
	e.detail.LatestRevision = ubiops.Ptr(r.id)
	e.detail.LastUpdated = stamp(c.now())
	b := c.startEnvBuild(p, e, r, envTriggerUpload)
	c.record(p, ubiops.AuditListActionUpdate, "environment", e.detail.Name, event)
	return created(ubiops.EnvironmentRevisionCreate{Success: true, Revision: r.id, Build: b.id})
}

// serveEnvironmentRevisionsList serves environment_revisions_list.
func serveEnvironmentRevisionsList(c *call) answer {
	_, e, a, found := c.environment()
	if !found {
		return a
	}
	out := make([]ubiops.EnvironmentRevisionDetail, 0, len(e.revisions))
	for _, r := range e.revisions {
		out = append(out, envRevisionView(e, r))
	}
	return ok(out)
}

// serveEnvironmentRevisionsGet serves environment_revisions_get.
func serveEnvironmentRevisionsGet(c *call) answer {
	_, e, r, a, found := c.envRevision()
	if !found {
		return a
	}
	return ok(envRevisionView(e, r))
}

// serveEnvironmentRevisionsFileDownload serves environment_revisions_file_download.
func serveEnvironmentRevisionsFileDownload(c *call) answer {
	_, _, r, a, found := c.envRevision()
	if !found {
		return a
	}
	return download(r.fileName, r.archive)
}

// serveEnvironmentRevisionsRebuild serves environment_revisions_rebuild.
func serveEnvironmentRevisionsRebuild(c *call) answer {
	p, e, r, a, found := c.envRevision()
	if !found {
		return a
	}
	b := c.startEnvBuild(p, e, r, envTriggerRebuild)
	c.record(p, ubiops.AuditListActionUpdate, "environment", e.detail.Name, "Rebuilding revision "+r.id.String()+" of environment "+e.detail.Name)
	return ok(c.envBuildView(b))
}

// serveEnvironmentBuildsList serves environment_builds_list.
func serveEnvironmentBuildsList(c *call) answer {
	_, _, r, a, found := c.envRevision()
	if !found {
		return a
	}
	out := make([]ubiops.EnvironmentBuildList, 0, len(r.builds))
	for _, b := range r.builds {
		out = append(out, c.envBuildView(b))
	}
	return ok(out)
}

// serveEnvironmentBuildsGet serves environment_builds_get.
func serveEnvironmentBuildsGet(c *call) answer {
	_, _, b, a, found := c.envBuild()
	if !found {
		return a
	}
	return ok(c.envBuildView(b))
}

// serveEnvironmentBuildsUpdate serves environment_builds_update.
func serveEnvironmentBuildsUpdate(c *call) answer {
	p, e, b, a, found := c.envBuild()
	if !found {
		return a
	}
	var in ubiops.EnvironmentBuildUpdate
	if err := c.decode(&in); err != nil {
		return apiError(http.StatusBadRequest, "request body: %v", err)
	}
	if in.Status != ubiops.EnvironmentBuildUpdateStatusCancelled {
		return apiError(http.StatusBadRequest, "request body field status: only cancelled can be set")
	}
	switch status := c.envBuildStatus(b); status {
	case ubiops.EnvironmentBuildListStatusQueued, ubiops.EnvironmentBuildListStatusProcessing:
	default:
		return apiError(http.StatusBadRequest, "Build %s has already finished (%s) and cannot be cancelled", b.id, status)
	}
	now := c.now()
	b.cancelled = &now
	c.dropFutureEnvLogs(p, b)
	c.st().logLine(p, now, "Environment build "+b.id.String()+" of environment "+e.detail.Name+" cancelled", func(l *ubiops.Logs) {
		l.EnvironmentName = ubiops.Ptr(e.detail.Name)
		l.EnvironmentBuildID = ubiops.Ptr(b.id)
		l.BuildID = ubiops.Ptr(b.id.String())
	})
	c.record(p, ubiops.AuditListActionUpdate, "environment", e.detail.Name, "Cancelled build "+b.id.String()+" of environment "+e.detail.Name)
	return ok(c.envBuildView(b))
}

// serveEnvironmentBuildDependenciesList serves environment_build_dependencies_list.
func serveEnvironmentBuildDependenciesList(c *call) answer {
	_, _, b, a, found := c.envBuild()
	if !found {
		return a
	}
	out := append([]ubiops.EnvironmentBuildDependency{}, b.revision.deps...)
	return ok(out)
}
