package main

// The honest baseline: a UbiOps client as someone would write it by hand with net/http and
// encoding/json, decoding into its own plain structs (pointers for nullable fields, time.Time for
// dates, string for UUIDs and enums). This file deliberately imports nothing of gen/ or ubiops/, so
// the cost of the library's generated types shows up in the overhead and iterate ratios instead of
// being paid on both sides.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// rawProject is the ProjectDetail answer (GET /v2.1/projects/{project}) with all of its fields:
// advanced_permissions, cors_origins, creation_date, credits, id, labels, name, organization_name,
// suspended, suspended_reason.
type rawProject struct {
	AdvancedPermissions bool              `json:"advanced_permissions"`
	CorsOrigins         []string          `json:"cors_origins"`
	CreationDate        time.Time         `json:"creation_date"`
	Credits             *float64          `json:"credits"`
	ID                  string            `json:"id"`
	Labels              map[string]string `json:"labels"`
	Name                string            `json:"name"`
	OrganizationName    string            `json:"organization_name"`
	Suspended           bool              `json:"suspended"`
	SuspendedReason     *string           `json:"suspended_reason"`
}

// rawDeployment is the DeploymentDetail answer (GET …/deployments/{deployment}) with all of its
// fields: creation_date, default_version, description, id, input_fields, input_type, labels,
// last_updated, name, output_fields, output_type, project, supports_request_format.
type rawDeployment struct {
	CreationDate          time.Time         `json:"creation_date"`
	DefaultVersion        *string           `json:"default_version"`
	Description           string            `json:"description"`
	ID                    string            `json:"id"`
	InputFields           []rawField        `json:"input_fields"`
	InputType             *string           `json:"input_type"`
	Labels                map[string]string `json:"labels"`
	LastUpdated           time.Time         `json:"last_updated"`
	Name                  string            `json:"name"`
	OutputFields          []rawField        `json:"output_fields"`
	OutputType            *string           `json:"output_type"`
	Project               string            `json:"project"`
	SupportsRequestFormat *bool             `json:"supports_request_format,omitempty"`
}

// rawField is an input or output field of a deployment: data_type, name, widget.
type rawField struct {
	DataType string     `json:"data_type"`
	Name     string     `json:"name"`
	Widget   *rawWidget `json:"widget,omitempty"`
}

// rawWidget is a field's widget: configuration, type.
type rawWidget struct {
	Configuration map[string]any `json:"configuration,omitempty"`
	Type          *string        `json:"type,omitempty"`
}

// rawRequest is one DeploymentRequestList item (GET …/deployments/{deployment}/requests) with all
// of its fields: deployment, id, input_size, output_size, status, success, time_completed,
// time_created, time_started, version.
type rawRequest struct {
	Deployment    *string    `json:"deployment"`
	ID            string     `json:"id"`
	InputSize     *int       `json:"input_size"`
	OutputSize    *int       `json:"output_size"`
	Status        string     `json:"status"`
	Success       *bool      `json:"success"`
	TimeCompleted *time.Time `json:"time_completed"`
	TimeCreated   time.Time  `json:"time_created"`
	TimeStarted   *time.Time `json:"time_started"`
	Version       *string    `json:"version"`
}

// rawEvent is one InstanceEvent with all of its fields: description, id, time_created.
type rawEvent struct {
	Description *string   `json:"description"`
	ID          string    `json:"id"`
	TimeCreated time.Time `json:"time_created"`
}

// rawEventPage is the InstanceEventPaginated answer with all of its fields: next, previous, results.
type rawEventPage struct {
	Next     *string    `json:"next"`
	Previous *string    `json:"previous"`
	Results  []rawEvent `json:"results"`
}

// rawClient is the hand-written client: base URL, token, one http.Client.
type rawClient struct {
	hc    *http.Client
	base  string // e.g. "https://api.ubiops.com/v2.1"
	token string
}

// get builds the request, sets the token, checks the status and decodes the JSON answer into v.
func (c *rawClient) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Token "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func (c *rawClient) project(ctx context.Context, name string) (*rawProject, error) {
	var p rawProject
	if err := c.get(ctx, "/projects/"+url.PathEscape(name), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

func (c *rawClient) deployment(ctx context.Context, project, name string) (*rawDeployment, error) {
	var d rawDeployment
	if err := c.get(ctx, "/projects/"+url.PathEscape(project)+"/deployments/"+url.PathEscape(name), &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (c *rawClient) requests(ctx context.Context, project, deployment string) ([]rawRequest, error) {
	var rs []rawRequest
	err := c.get(ctx, "/projects/"+url.PathEscape(project)+"/deployments/"+url.PathEscape(deployment)+"/requests", &rs)
	return rs, err
}

// requestPage is one page of a deployment's requests: limit requests from offset.
func (c *rawClient) requestPage(ctx context.Context, project, deployment string, limit, offset int) ([]rawRequest, error) {
	var rs []rawRequest
	q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
	err := c.get(ctx, "/projects/"+url.PathEscape(project)+"/deployments/"+url.PathEscape(deployment)+"/requests?"+q.Encode(), &rs)
	return rs, err
}

// eachEvent pages through an instance's events, limit per page, following the next cursor, and
// calls fn for every event until fn returns false: the loop a hand-written pager would have.
func (c *rawClient) eachEvent(ctx context.Context, project, deployment, version, instance string, limit int, fn func(rawEvent) bool) error {
	path := "/projects/" + url.PathEscape(project) + "/deployments/" + url.PathEscape(deployment) +
		"/versions/" + url.PathEscape(version) + "/instances/" + url.PathEscape(instance) + "/events"
	cursor := ""
	for {
		q := url.Values{"limit": {strconv.Itoa(limit)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page rawEventPage
		if err := c.get(ctx, path+"?"+q.Encode(), &page); err != nil {
			return err
		}
		for _, e := range page.Results {
			if !fn(e) {
				return nil
			}
		}
		if page.Next == nil {
			return nil
		}
		// The API's next is a link carrying ?cursor=; take the cursor from it, or the value itself.
		cursor = *page.Next
		if u, err := url.Parse(cursor); err == nil && u.Query().Has("cursor") {
			cursor = u.Query().Get("cursor")
		}
	}
}
