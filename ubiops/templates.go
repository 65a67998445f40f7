package ubiops

import "context"

// TemplatesService lists the deployment templates UbiOps offers (template_deployments_list).
type TemplatesService struct{ c *Client }

// ListDeployments returns the template deployments, which belong to no project (template_deployments_list).
func (s *TemplatesService) ListDeployments(ctx context.Context, opts ...CallOption) ([]TemplateDeploymentList, error) {
	return decode[[]TemplateDeploymentList](ctx, s.c, opts, call0(s.c.raw.TemplateDeploymentsList))
}
