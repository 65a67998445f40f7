package ubiops

import "context"

// Status reports whether the API service is up (service_status, GET /status; from the official
// client, not on the reference pages). The official clients call it first to check the host and
// the token; a healthy service answers Status "ok".
func (c *Client) Status(ctx context.Context, opts ...CallOption) (*Status, error) {
	return decode[*Status](ctx, c, opts, call0(c.raw.ServiceStatus))
}

// User returns the user (or service user) the API token belongs to (user_get, GET /user; from the
// official CLI, which calls it at sign-in, not on the reference pages).
func (c *Client) User(ctx context.Context, opts ...CallOption) (*UserDetail, error) {
	return decode[*UserDetail](ctx, c, opts, call0(c.raw.UserGet))
}

// Organizations lists the organizations the token's user belongs to (organizations_list, GET
// /organizations; from the official CLI, not on the reference pages).
func (c *Client) Organizations(ctx context.Context, opts ...CallOption) ([]OrganizationList, error) {
	return decode[[]OrganizationList](ctx, c, opts, call0(c.raw.OrganizationsList))
}
