package ubiops

import "context"

// UsageService reports what a project uses (projects_usage_get, projects_resource_usage).
type UsageService struct{ c *Client }

// Get returns the metered usage of a project over a period; params may be nil (projects_usage_get).
func (s *UsageService) Get(ctx context.Context, project string, params *ProjectsUsageGetParams, opts ...CallOption) (*ProjectUsage, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*ProjectUsage](ctx, s.c, opts, call2(s.c.raw.ProjectsUsageGet, project, params))
}

// Resources returns the counts of resources a project currently holds (projects_resource_usage).
func (s *UsageService) Resources(ctx context.Context, project string, opts ...CallOption) (*ProjectResourceUsage, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*ProjectResourceUsage](ctx, s.c, opts, call1(s.c.raw.ProjectsResourceUsage, project))
}
