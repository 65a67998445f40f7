package ubiops

import "context"

// LogsService reads the logs of a project (projects_log_list).
type LogsService struct{ c *Client }

// List returns the log lines of a project that match query (projects_log_list).
func (s *LogsService) List(ctx context.Context, project string, query LogsCreate, opts ...CallOption) ([]Logs, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]Logs](ctx, s.c, opts, call2(s.c.raw.ProjectsLogList, project, query))
}
