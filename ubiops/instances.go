package ubiops

import (
	"context"
	"iter"
)

// InstancesService reads the running instances of deployment versions (instances_list, instances_get,
// instance_events_list, project_instances_list, project_instances_get).
type InstancesService struct{ c *Client }

// List returns one page of the instances of a deployment version; params may be nil (instances_list).
func (s *InstancesService) List(ctx context.Context, project, deployment, version string, params *InstancesListParams, opts ...CallOption) (*InstanceListPaginated, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[*InstanceListPaginated](ctx, s.c, opts, call4(s.c.raw.InstancesList, project, deployment, version, params))
}

// Get returns one instance of a deployment version (instances_get).
func (s *InstancesService) Get(ctx context.Context, project, deployment, version, instanceID string, opts ...CallOption) (*InstanceDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "instance_id", instanceID); err != nil {
		return nil, err
	}
	return decode[*InstanceDetail](ctx, s.c, opts, call4(s.c.raw.InstancesGet, project, deployment, version, instanceID))
}

// ListEvents returns one page of the events of an instance; params may be nil (instance_events_list).
func (s *InstancesService) ListEvents(ctx context.Context, project, deployment, version, instanceID string, params *InstanceEventsListParams, opts ...CallOption) (*InstanceEventPaginated, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "instance_id", instanceID); err != nil {
		return nil, err
	}
	return decode[*InstanceEventPaginated](ctx, s.c, opts, call5(s.c.raw.InstanceEventsList, project, deployment, version, instanceID, params))
}

// ListProject returns one page of the instances in a whole project; params may be nil (project_instances_list).
func (s *InstancesService) ListProject(ctx context.Context, project string, params *ProjectInstancesListParams, opts ...CallOption) (*ProjectInstanceListPaginated, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*ProjectInstanceListPaginated](ctx, s.c, opts, call2(s.c.raw.ProjectInstancesList, project, params))
}

// GetProject returns an instance by its id within a project (project_instances_get).
func (s *InstancesService) GetProject(ctx context.Context, project, instanceID string, opts ...CallOption) (*InstanceDetail, error) {
	if err := checkPath("project_name", project, "instance_id", instanceID); err != nil {
		return nil, err
	}
	return decode[*InstanceDetail](ctx, s.c, opts, call2(s.c.raw.ProjectInstancesGet, project, instanceID))
}

// InstanceTypesService lists the instance types available to a project (instance_types_list).
type InstanceTypesService struct{ c *Client }

// List returns one page of the instance types of a project; params may be nil (instance_types_list).
func (s *InstanceTypesService) List(ctx context.Context, project string, params *InstanceTypesListParams, opts ...CallOption) (*InstanceTypeListPaginated, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*InstanceTypeListPaginated](ctx, s.c, opts, call2(s.c.raw.InstanceTypesList, project, params))
}

// InstanceTypeGroupsService manages instance type groups (the instance_type_groups_* operations).
type InstanceTypeGroupsService struct{ c *Client }

// List returns one page of the instance type groups of a project; params may be nil (instance_type_groups_list).
func (s *InstanceTypeGroupsService) List(ctx context.Context, project string, params *InstanceTypeGroupsListParams, opts ...CallOption) (*InstanceTypeGroupListPaginated, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*InstanceTypeGroupListPaginated](ctx, s.c, opts, call2(s.c.raw.InstanceTypeGroupsList, project, params))
}

// Create creates an instance type group (instance_type_groups_create).
func (s *InstanceTypeGroupsService) Create(ctx context.Context, project string, body InstanceTypeGroupCreate, opts ...CallOption) (*InstanceTypeGroupList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*InstanceTypeGroupList](ctx, s.c, opts, call2(s.c.raw.InstanceTypeGroupsCreate, project, body))
}

// Get returns an instance type group (instance_type_groups_get).
func (s *InstanceTypeGroupsService) Get(ctx context.Context, project, groupID string, opts ...CallOption) (*InstanceTypeGroupList, error) {
	if err := checkPath("project_name", project, "instance_type_group_id", groupID); err != nil {
		return nil, err
	}
	return decode[*InstanceTypeGroupList](ctx, s.c, opts, call2(s.c.raw.InstanceTypeGroupsGet, project, groupID))
}

// Update changes an instance type group: only the fields set in body are sent, so a rename leaves
// the group's instance types alone; setting InstanceTypes replaces them (instance_type_groups_update).
func (s *InstanceTypeGroupsService) Update(ctx context.Context, project, groupID string, body InstanceTypeGroupUpdate, opts ...CallOption) (*InstanceTypeGroupList, error) {
	if err := checkPath("project_name", project, "instance_type_group_id", groupID); err != nil {
		return nil, err
	}
	return decode[*InstanceTypeGroupList](ctx, s.c, opts, call3(s.c.raw.InstanceTypeGroupsUpdate, project, groupID, body))
}

// Delete deletes an instance type group (instance_type_groups_delete).
func (s *InstanceTypeGroupsService) Delete(ctx context.Context, project, groupID string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "instance_type_group_id", groupID); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call2(s.c.raw.InstanceTypeGroupsDelete, project, groupID))
}

// Usage returns one page of the deployment versions using an instance type group; params may be nil (instance_type_groups_usage).
func (s *InstanceTypeGroupsService) Usage(ctx context.Context, project, groupID string, params *InstanceTypeGroupsUsageParams, opts ...CallOption) (*InstanceTypeGroupUsagePaginated, error) {
	if err := checkPath("project_name", project, "instance_type_group_id", groupID); err != nil {
		return nil, err
	}
	return decode[*InstanceTypeGroupUsagePaginated](ctx, s.c, opts, call3(s.c.raw.InstanceTypeGroupsUsage, project, groupID, params))
}

// All iterates over every instance of a version, fetching pages as needed (instances_list).
func (s *InstancesService) All(ctx context.Context, project, deployment, version string, params *InstancesListParams, opts ...CallOption) iter.Seq2[InstanceList, error] {
	base := copyOf(params)
	return cursorSeq(ctx, s.c.newIterConfig(opts, base.Limit), func(ctx context.Context, cursor *string, limit int, call []CallOption) ([]InstanceList, *string, error) {
		p := base
		p.Cursor, p.Limit = cursor, &limit
		page, err := s.List(ctx, project, deployment, version, &p, call...)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Next, nil
	})
}

// AllEvents iterates over every event of an instance (instance_events_list).
func (s *InstancesService) AllEvents(ctx context.Context, project, deployment, version, instanceID string, params *InstanceEventsListParams, opts ...CallOption) iter.Seq2[InstanceEvent, error] {
	base := copyOf(params)
	return cursorSeq(ctx, s.c.newIterConfig(opts, base.Limit), func(ctx context.Context, cursor *string, limit int, call []CallOption) ([]InstanceEvent, *string, error) {
		p := base
		p.Cursor, p.Limit = cursor, &limit
		page, err := s.ListEvents(ctx, project, deployment, version, instanceID, &p, call...)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Next, nil
	})
}

// AllProject iterates over every instance in a project (project_instances_list).
func (s *InstancesService) AllProject(ctx context.Context, project string, params *ProjectInstancesListParams, opts ...CallOption) iter.Seq2[ProjectInstanceList, error] {
	base := copyOf(params)
	return cursorSeq(ctx, s.c.newIterConfig(opts, base.Limit), func(ctx context.Context, cursor *string, limit int, call []CallOption) ([]ProjectInstanceList, *string, error) {
		p := base
		p.Cursor, p.Limit = cursor, &limit
		page, err := s.ListProject(ctx, project, &p, call...)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Next, nil
	})
}

// All iterates over every instance type available to a project (instance_types_list).
func (s *InstanceTypesService) All(ctx context.Context, project string, params *InstanceTypesListParams, opts ...CallOption) iter.Seq2[InstanceTypeList, error] {
	base := copyOf(params)
	return cursorSeq(ctx, s.c.newIterConfig(opts, base.Limit), func(ctx context.Context, cursor *string, limit int, call []CallOption) ([]InstanceTypeList, *string, error) {
		p := base
		p.Cursor, p.Limit = cursor, &limit
		page, err := s.List(ctx, project, &p, call...)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Next, nil
	})
}

// All iterates over every instance type group of a project (instance_type_groups_list).
func (s *InstanceTypeGroupsService) All(ctx context.Context, project string, params *InstanceTypeGroupsListParams, opts ...CallOption) iter.Seq2[InstanceTypeGroupList, error] {
	base := copyOf(params)
	return cursorSeq(ctx, s.c.newIterConfig(opts, base.Limit), func(ctx context.Context, cursor *string, limit int, call []CallOption) ([]InstanceTypeGroupList, *string, error) {
		p := base
		p.Cursor, p.Limit = cursor, &limit
		page, err := s.List(ctx, project, &p, call...)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Next, nil
	})
}

// AllUsage iterates over every usage row of an instance type group (instance_type_groups_usage).
func (s *InstanceTypeGroupsService) AllUsage(ctx context.Context, project, groupID string, params *InstanceTypeGroupsUsageParams, opts ...CallOption) iter.Seq2[InstanceTypeGroupUsage, error] {
	base := copyOf(params)
	return cursorSeq(ctx, s.c.newIterConfig(opts, base.Limit), func(ctx context.Context, cursor *string, limit int, call []CallOption) ([]InstanceTypeGroupUsage, *string, error) {
		p := base
		p.Cursor, p.Limit = cursor, &limit
		page, err := s.Usage(ctx, project, groupID, &p, call...)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Next, nil
	})
}
