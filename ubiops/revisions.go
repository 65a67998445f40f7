package ubiops

import "context"

// RevisionsService reads and rebuilds the revisions (uploaded code packages) of a deployment version
// (revisions_list, revisions_get, revisions_rebuild), and uploads and downloads their packages
// (Upload, Download, Open, DownloadFile; see the Files section of the package documentation).
type RevisionsService struct{ c *Client }

// List returns the revisions of a version (revisions_list).
func (s *RevisionsService) List(ctx context.Context, project, deployment, version string, opts ...CallOption) ([]RevisionList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[[]RevisionList](ctx, s.c, opts, call3(s.c.raw.RevisionsList, project, deployment, version))
}

// Get returns a revision of a version (revisions_get).
func (s *RevisionsService) Get(ctx context.Context, project, deployment, version, revisionID string, opts ...CallOption) (*RevisionList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "revision_id", revisionID); err != nil {
		return nil, err
	}
	return decode[*RevisionList](ctx, s.c, opts, call4(s.c.raw.RevisionsGet, project, deployment, version, revisionID))
}

// Rebuild starts a new build of an existing revision (revisions_rebuild).
func (s *RevisionsService) Rebuild(ctx context.Context, project, deployment, version, revisionID string, opts ...CallOption) (*RevisionList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "revision_id", revisionID); err != nil {
		return nil, err
	}
	// The API requires an empty JSON object as the body.
	return decode[*RevisionList](ctx, s.c, opts, call5(s.c.raw.RevisionsRebuild, project, deployment, version, revisionID, map[string]any{}))
}

// BuildsService reads the builds of a deployment version's revisions (builds_get).
type BuildsService struct{ c *Client }

// Get returns a build of a version (builds_get).
func (s *BuildsService) Get(ctx context.Context, project, deployment, version, buildID string, opts ...CallOption) (*BuildList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "build_id", buildID); err != nil {
		return nil, err
	}
	return decode[*BuildList](ctx, s.c, opts, call4(s.c.raw.BuildsGet, project, deployment, version, buildID))
}
