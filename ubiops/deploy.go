package ubiops

import "context"

// Deploy ships a directory as the new code of a deployment version: it packages dir with ZipDir
// (honouring .ubiops-ignore) while uploading it as a new revision, then waits for the revision's
// build. It returns the built revision; a failed build is a *WaitError carrying the revision and
// its error_message. opts apply to the upload and to every poll (WithWaitOptions sets the polling).
func (c *Client) Deploy(ctx context.Context, project, deployment, version, dir string, opts ...CallOption) (*RevisionList, error) {
	if dir == "" {
		return nil, &ValidationError{Field: "dir", Reason: "must not be empty"}
	}
	created, err := c.Revisions.Upload(ctx, project, deployment, version, RevisionUpload{Dir: dir}, opts...)
	if err != nil {
		return nil, err
	}
	return c.Revisions.Wait(ctx, project, deployment, version, created.Revision.String(), opts...)
}
