package ubiops

import "context"

// AuditService reads audit events (project_audit_events_list, deployment_audit_events_list).
type AuditService struct{ c *Client }

// ListProject returns the audit events of a project; params may be nil (project_audit_events_list).
func (s *AuditService) ListProject(ctx context.Context, project string, params *ProjectAuditEventsListParams, opts ...CallOption) ([]AuditList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]AuditList](ctx, s.c, opts, call2(s.c.raw.ProjectAuditEventsList, project, params))
}

// ListDeployment returns the audit events of a deployment; params may be nil (deployment_audit_events_list).
func (s *AuditService) ListDeployment(ctx context.Context, project, deployment string, params *DeploymentAuditEventsListParams, opts ...CallOption) ([]AuditList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[[]AuditList](ctx, s.c, opts, call3(s.c.raw.DeploymentAuditEventsList, project, deployment, params))
}
