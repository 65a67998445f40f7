package ubiopstest

import (
	"archive/zip"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Revisions and builds of deployment versions. Every upload (or copy) stores the package as a new
// revision and starts a build; a rebuild starts another build of an existing revision. A build is
// queued for the first quarter of WithBuildDuration, building for the rest, and then succeeds, or
// fails when the package is unusable: not a zip archive, or without a deployment.py at its root or
// in its single top-level folder. The outcome is decided when the package arrives (analyzePackage)
// and shown once the build has run.

const (
	triggerUpload  = "Deployment file upload"
	triggerRebuild = "Rebuild"
	// maxDeploymentPy bounds how much of deployment.py is read to look for its methods.
	maxDeploymentPy = 16 << 20
)

var (
	requestMethod  = regexp.MustCompile(`(?m)\bdef\s+request\s*\(`)
	requestsMethod = regexp.MustCompile(`(?m)\bdef\s+requests\s*\(`)
)

// RevisionArchive returns the deployment package stored for a revision of a version (a copy, read
// whole into memory), and whether that revision exists.
func (s *Server) RevisionArchive(project, deployment, version, revisionID string) ([]byte, bool) {
	b := s.revisionBlob(project, deployment, version, revisionID)
	if b == nil {
		return nil, false
	}
	data, err := b.bytes() // without the lock: the blob never changes
	if err != nil {
		return nil, false // the server was closed, which removed its stored files
	}
	return data, true
}

func (s *Server) revisionBlob(project, deployment, version, revisionID string) *blob {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.state.findProject(project)
	if p == nil {
		return nil
	}
	d := p.findDeployment(deployment)
	if d == nil {
		return nil
	}
	v := d.findVersion(version)
	if v == nil {
		return nil
	}
	if r := findRevision(v, revisionID); r != nil {
		return r.archive
	}
	return nil
}

// startBuild starts a build of a revision and writes the log lines of its start and end.
func (c *call) startBuild(p *project, d *deployment, v *version, r *revision, trigger string) *build {
	now := c.now()
	b := &build{id: newID(), revision: r, created: now, trigger: trigger}
	v.builds = append(v.builds, b)
	dur := c.s.opts.buildDuration
	depName, verName, revID := d.detail.Name, v.detail.Version, r.id
	fill := func(level ubiops.LogsLevel) func(*ubiops.Logs) {
		return func(l *ubiops.Logs) {
			l.DeploymentName = ubiops.Ptr(depName)
			l.DeploymentVersion = ubiops.Ptr(verName)
			l.DeploymentVersionRevisionID = ubiops.Ptr(revID)
			l.BuildID = ubiops.Ptr(b.id.String())
			l.Level = ubiops.Ptr(level)
		}
	}
	st := c.st()
	st.logLine(p, now, fmt.Sprintf("Build %s of revision %s queued (%s)", b.id, r.id, trigger), fill(ubiops.LogsLevelInfo))
	st.logLine(p, now.Add(dur/4), fmt.Sprintf("Build %s of revision %s started", b.id, r.id), fill(ubiops.LogsLevelInfo))
	if r.failure != "" {
		st.logLine(p, now.Add(dur), fmt.Sprintf("Build %s of revision %s failed: %s", b.id, r.id, r.failure), fill(ubiops.LogsLevelError))
	} else {
		st.logLine(p, now.Add(dur), fmt.Sprintf("Build %s of revision %s succeeded", b.id, r.id), fill(ubiops.LogsLevelInfo))
	}
	return b
}

// buildStatus is a build's status at now, with its error message once it has failed.
func buildStatus(b *build, now time.Time, dur time.Duration) (ubiops.BuildListStatus, string) {
	queued, running := phase(b.created, now, dur)
	switch {
	case queued:
		return ubiops.BuildListStatusQueued, ""
	case running:
		return ubiops.BuildListStatusBuilding, ""
	case b.revision.failure != "":
		return ubiops.BuildListStatusFailed, b.revision.failure
	}
	return ubiops.BuildListStatusSuccess, ""
}

// revisionView is a revision as answered: its status is that of its latest build. A revision is
// empty when it holds no deployment package (an upload of zero bytes).
func (c *call) revisionView(v *version, r *revision) ubiops.RevisionList {
	out := ubiops.RevisionList{
		ID: r.id, Version: v.detail.Version, CreationDate: stamp(r.created), CreatedBy: r.createdBy,
		Status:           ubiops.Ptr(ubiops.RevisionListStatusQueued),
		ErrorMessage:     ubiops.Ptr(""),
		HasRequestMethod: ubiops.Ptr(r.hasRequest), HasRequestsMethod: ubiops.Ptr(r.hasRequests),
		Empty: ubiops.Ptr(r.archive.size == 0),
	}
	for i := len(v.builds) - 1; i >= 0; i-- {
		if b := v.builds[i]; b.revision == r {
			status, msg := buildStatus(b, c.now(), c.s.opts.buildDuration)
			out.Status, out.ErrorMessage = ubiops.Ptr(ubiops.RevisionListStatus(status)), ubiops.Ptr(msg)
			break
		}
	}
	return out
}

func findRevision(v *version, id string) *revision {
	id = strings.ToLower(id)
	for _, r := range v.revisions {
		if r.id.String() == id {
			return r
		}
	}
	return nil
}

// analyzePackage checks a deployment package the way a build would: it must be a zip archive with
// a deployment.py at its root or in its single top-level folder (such as deployment_package/).
// failure is the build's error message ("" when the package builds); the methods are those
// deployment.py defines. It reads the archive's directory and deployment.py, not the whole archive.
func analyzePackage(archive io.ReaderAt, size int64) (failure string, hasRequest, hasRequests bool) {
	if why := checkArchiveDirectory(archive, size); why != "" {
		return "The deployment package cannot be read: " + why, false, false
	}
	zr, err := zip.NewReader(archive, size)
	if err != nil {
		return "The deployment package is not a valid zip archive: " + err.Error(), false, false
	}
	var entry *zip.File
	for _, f := range zr.File {
		name := strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "./")
		if strings.HasPrefix(name, "__MACOSX/") || f.FileInfo().IsDir() {
			continue
		}
		parts := strings.Split(name, "/")
		switch {
		case name == "deployment.py":
			entry = f // at the root: wins over one in a folder
		case entry == nil && len(parts) == 2 && parts[0] != "" && parts[1] == "deployment.py":
			entry = f
		}
	}
	if entry == nil {
		return "No deployment.py found in the deployment package: it must be at the root of the zip archive or in its top-level folder (such as deployment_package/deployment.py)", false, false
	}
	rc, err := entry.Open()
	if err != nil {
		return "Cannot read deployment.py from the deployment package: " + err.Error(), false, false
	}
	defer rc.Close()
	code, err := io.ReadAll(io.LimitReader(rc, maxDeploymentPy))
	if err != nil {
		return "Cannot read deployment.py from the deployment package: " + err.Error(), false, false
	}
	return "", requestMethod.Match(code), requestsMethod.Match(code)
}

// serveRevisionsList serves revisions_list.
func serveRevisionsList(c *call) answer {
	_, _, v, a, ok := c.version()
	if !ok {
		return a
	}
	out := make([]ubiops.RevisionList, 0, len(v.revisions))
	for _, r := range v.revisions {
		out = append(out, c.revisionView(v, r))
	}
	return ok200(out)
}

// serveRevisionsGet serves revisions_get.
func serveRevisionsGet(c *call) answer {
	_, _, v, a, ok := c.version()
	if !ok {
		return a
	}
	r := findRevision(v, c.path["revision_id"])
	if r == nil {
		return notFound("Revision")
	}
	return ok200(c.revisionView(v, r))
}

// serveRevisionsFileUpload serves revisions_file_upload.
func serveRevisionsFileUpload(c *call) answer {
	if _, _, _, a, ok := c.version(); !ok {
		return a
	}
	// Read the body, and the package it carries, without the lock: a package can be large and
	// its sender slow. Then look the version up again: it may have changed meanwhile.
	var up *upload
	var a answer
	var ok bool
	c.unlocked(func() {
		if up, a, ok = c.multipartUpload(); ok && up.hasFile {
			up.file.packageInfo()
		}
	})
	if !ok {
		return a
	}
	p, d, v, a, ok := c.version()
	if !ok {
		up.file.discard()
		return a
	}
	if a, ok := checkRevisionSource(up); !ok {
		return a
	}
	var archive *blob
	var fileName, event string
	switch {
	case up.hasFile:
		archive, fileName, event = uploadedPackage(up, d, v)
	case up.fields["source_deployment"] != "":
		archive, event, a, ok = copiedPackage(p, d, v, up.fields["source_deployment"], up.fields["source_version"])
	default:
		archive, event, a, ok = c.templatePackage(d, v, up.fields["template_deployment_id"])
	}
	if !ok {
		return a
	}
	r, b := c.storeRevision(p, d, v, archive, fileName)
	c.recordDeployment(p, d, v, ubiops.AuditListActionCreate, "%s (revision %s)", event, r.id)
	return created(ubiops.RevisionCreate{Success: true, Revision: r.id, Build: ubiops.Ptr(b.id)})
}

// checkRevisionSource refuses an upload that does not give exactly one source of the package: a
// file, a version to copy (source_deployment with source_version) or a template deployment.
func checkRevisionSource(up *upload) (answer, bool) {
	srcDep, srcVer, tmplID := up.fields["source_deployment"], up.fields["source_version"], up.fields["template_deployment_id"]
	given := 0
	if up.hasFile {
		given++
	}
	if srcDep != "" || srcVer != "" {
		given++
		if srcDep == "" || srcVer == "" {
			up.file.discard() // a file sent along is not kept
			return apiError(http.StatusBadRequest, "request body: source_deployment and source_version must be given together"), false
		}
	}
	if tmplID != "" {
		given++
	}
	if given != 1 {
		up.file.discard()
		return apiError(http.StatusBadRequest, "request body: give exactly one of file, source_deployment with source_version, or template_deployment_id"), false
	}
	return answer{}, true
}

// uploadedPackage is the package of an uploaded file, with the file's base name ("" when it has
// none) and the audit event.
func uploadedPackage(up *upload, d *deployment, v *version) (archive *blob, fileName, event string) {
	fileName = path.Base(strings.ReplaceAll(up.fileName, `\`, "/"))
	if fileName == "." || fileName == "/" {
		fileName = ""
	}
	event = fmt.Sprintf("Uploaded a deployment file for version %s of deployment %s", v.detail.Version, d.detail.Name)
	return up.file, fileName, event
}

// copiedPackage is the latest package of another version of the project (400 when there is none),
// with the audit event.
func copiedPackage(p *project, d *deployment, v *version, srcDep, srcVer string) (*blob, string, answer, bool) {
	sd := p.findDeployment(srcDep)
	if sd == nil {
		return nil, "", apiError(http.StatusBadRequest, "request body field source_deployment: deployment %s does not exist", srcDep), false
	}
	sv := sd.findVersion(srcVer)
	if sv == nil {
		return nil, "", apiError(http.StatusBadRequest, "request body field source_version: deployment %s has no version %s", srcDep, srcVer), false
	}
	if len(sv.revisions) == 0 {
		return nil, "", apiError(http.StatusBadRequest, "request body field source_version: version %s of deployment %s has no deployment file", srcVer, srcDep), false
	}
	event := fmt.Sprintf("Copied the deployment file of version %s of deployment %s to version %s of deployment %s", srcVer, srcDep, v.detail.Version, d.detail.Name)
	return sv.revisions[len(sv.revisions)-1].archive, event, answer{}, true
}

// templatePackage is the package of a template deployment (400 when there is none of that id),
// with the audit event.
func (c *call) templatePackage(d *deployment, v *version, tmplID string) (*blob, string, answer, bool) {
	id, err := uuid.Parse(tmplID)
	if err != nil {
		return nil, "", apiError(http.StatusBadRequest, "request body field template_deployment_id: %q is not a UUID", tmplID), false
	}
	var tmpl *template
	for i := range c.st().templates {
		if c.st().templates[i].list.ID == id {
			tmpl = &c.st().templates[i]
		}
	}
	if tmpl == nil {
		return nil, "", apiError(http.StatusBadRequest, "request body field template_deployment_id: template deployment %s does not exist", id), false
	}
	event := fmt.Sprintf("Copied the deployment file of template deployment %s to version %s of deployment %s", id, v.detail.Version, d.detail.Name)
	return memBlob(tmpl.archive), event, answer{}, true
}

// storeRevision stores a package as a new revision of a version and starts its build.
func (c *call) storeRevision(p *project, d *deployment, v *version, archive *blob, fileName string) (*revision, *build) {
	now := c.now()
	r := &revision{id: newID(), created: now, createdBy: c.st().fakeUser(), archive: archive, fileName: fileName}
	info := archive.packageInfo() // worked out already, unless the package is a copy
	r.failure, r.hasRequest, r.hasRequests = info.failure, info.hasRequest, info.hasRequests
	v.revisions = append(v.revisions, r)
	b := c.startBuild(p, d, v, r, triggerUpload)
	v.detail.LastFileUpload = nullStamp(now)
	v.detail.LastFileUploaded = nullStamp(now)
	v.detail.LastUpdated = stamp(now)
	c.st().syncVersion(v, now)
	return r, b
}

// serveRevisionsFileDownload serves revisions_file_download.
func serveRevisionsFileDownload(c *call) answer {
	_, d, v, a, ok := c.version()
	if !ok {
		return a
	}
	r := findRevision(v, c.path["revision_id"])
	if r == nil {
		return notFound("Revision")
	}
	name := r.fileName
	if name == "" {
		name = fmt.Sprintf("%s_%s_%s.zip", d.detail.Name, v.detail.Version, r.id)
	}
	return download(name, r.archive)
}

// serveRevisionsRebuild serves revisions_rebuild.
func serveRevisionsRebuild(c *call) answer {
	p, d, v, a, ok := c.version()
	if !ok {
		return a
	}
	r := findRevision(v, c.path["revision_id"])
	if r == nil {
		return notFound("Revision")
	}
	c.startBuild(p, d, v, r, triggerRebuild)
	v.detail.LastUpdated = stamp(c.now())
	c.st().syncVersion(v, c.now())
	c.recordDeployment(p, d, v, ubiops.AuditListActionInfo, "Triggered a rebuild of revision %s of version %s of deployment %s", r.id, v.detail.Version, d.detail.Name)
	return ok200(c.revisionView(v, r))
}

// serveBuildsGet serves builds_get.
func serveBuildsGet(c *call) answer {
	_, _, v, a, ok := c.version()
	if !ok {
		return a
	}
	id := strings.ToLower(c.path["build_id"])
	for _, b := range v.builds {
		if b.id.String() == id {
			status, msg := buildStatus(b, c.now(), c.s.opts.buildDuration)
			return ok200(ubiops.BuildList{
				ID: b.id, Revision: b.revision.id, CreationDate: stamp(b.created), Status: status, ErrorMessage: msg,
				Trigger:          ubiops.Ptr(b.trigger),
				HasRequestMethod: ubiops.Ptr(b.revision.hasRequest), HasRequestsMethod: ubiops.Ptr(b.revision.hasRequests),
			})
		}
	}
	return notFound("Build")
}
