package ubiops

import "context"

// Status reports whether the API service is up (service_status, GET /status; from the official
// client, not on the reference pages). The official clients call it first to check the host and
// the token; a healthy service answers Status "ok".
func (c *Client) Status(ctx context.Context, opts ...CallOption) (*Status, error) {
	return decode[*Status](ctx, c, opts, call0(c.raw.ServiceStatus))
}
