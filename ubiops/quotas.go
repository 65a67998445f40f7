package ubiops

import "context"

// QuotasService reads the quotas of a project (quotas_list).
type QuotasService struct{ c *Client }

// List returns the quotas that apply to a project (quotas_list).
func (s *QuotasService) List(ctx context.Context, project string, opts ...CallOption) ([]QuotaDetail, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]QuotaDetail](ctx, s.c, opts, call1(s.c.raw.QuotasList, project))
}
