package ubiops

import (
	"context"
	"iter"
)

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

// AllProject iterates over every audit event of a project, newest first
// (project_audit_events_list). The Pagination section of the package documentation says what an offset list guarantees.
func (s *AuditService) AllProject(ctx context.Context, project string, params *ProjectAuditEventsListParams, opts ...CallOption) iter.Seq2[AuditList, error] {
	base := copyOf(params)
	return offsetSeq(ctx, s.c.newIterConfig(opts, base.Limit), auditKey, func(ctx context.Context, offset, limit int, call []CallOption) ([]AuditList, error) {
		p := base
		p.Offset, p.Limit = &offset, &limit
		return s.ListProject(ctx, project, &p, call...)
	})
}

// AllDeployment iterates over every audit event of a deployment, newest first
// (deployment_audit_events_list).
func (s *AuditService) AllDeployment(ctx context.Context, project, deployment string, params *DeploymentAuditEventsListParams, opts ...CallOption) iter.Seq2[AuditList, error] {
	base := copyOf(params)
	return offsetSeq(ctx, s.c.newIterConfig(opts, base.Limit), auditKey, func(ctx context.Context, offset, limit int, call []CallOption) ([]AuditList, error) {
		p := base
		p.Offset, p.Limit = &offset, &limit
		return s.ListDeployment(ctx, project, deployment, &p, call...)
	})
}

func auditKey(e AuditList) UUID { return e.ID }
