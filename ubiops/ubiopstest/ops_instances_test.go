package ubiopstest_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// instFixture is a server with a project "inst" holding deployment "dep" with versions v1 and v2.
type instFixture struct {
	srv    *ubiopstest.Server
	client *ubiops.Client
	ctx    context.Context
}

const instProject, instDeployment = "inst", "dep"

func newInstFixture(t *testing.T, versions ...string) *instFixture {
	t.Helper()
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses(), ubiopstest.WithBuildDuration(20*time.Millisecond))
	f := &instFixture{srv: srv, client: srv.Client(), ctx: context.Background()}
	_, err := f.client.Projects.Create(f.ctx, ubiops.ProjectCreate{Name: instProject, OrganizationName: "org"})
	require.NoError(t, err)
	if len(versions) > 0 {
		_, err = f.client.Deployments.Create(f.ctx, instProject, ubiops.DeploymentCreate{
			Name: instDeployment, InputType: plainIn, OutputType: plainOut,
		})
		require.NoError(t, err)
		for _, v := range versions {
			_, err = f.client.Versions.Create(f.ctx, instProject, instDeployment, ubiops.DeploymentVersionCreate{Version: v})
			require.NoError(t, err)
		}
	}
	return f
}

// instCursor extracts the cursor from a next/previous link; ok is false when the link is null.
func instCursor(t *testing.T, link *string) (string, bool) {
	t.Helper()
	if link == nil {
		return "", false
	}
	s := *link
	u, err := url.Parse(s)
	require.NoError(t, err)
	c := u.Query().Get("cursor")
	require.NotEmpty(t, c, "link %s has no cursor", s)
	return c, true
}

func TestInstanceTypesCatalogue(t *testing.T) {
	f := newInstFixture(t)
	all, err := f.client.InstanceTypes.List(f.ctx, instProject, nil)
	require.NoError(t, err)
	assert.Nil(t, all.Next)
	assert.Nil(t, all.Previous)
	require.GreaterOrEqual(t, len(all.Results), 6)

	names := map[string]bool{}
	gpu := false
	for _, it := range all.Results {
		assert.False(t, names[it.Name], "duplicate instance type %s", it.Name)
		names[it.Name] = true
		assert.NotEqual(t, uuid.Nil, it.ID)
		assert.NotEmpty(t, it.DisplayName)
		assert.Positive(t, it.CreditRate)
		require.NotNil(t, it.CPU)
		require.NotNil(t, it.Memory)
		require.NotNil(t, it.Storage)
		require.NotNil(t, it.Accelerator)
		require.NotNil(t, it.NodePool)
		require.NotNil(t, val(it.NodePool).Cluster)
		if *it.Accelerator > 0 {
			gpu = true
		}
	}
	assert.True(t, gpu, "the catalogue has a GPU instance type")
	assert.True(t, names["512mb"])

	// The catalogue is the same on every server (fixed ids).
	other := newInstFixture(t)
	again, err := other.client.InstanceTypes.List(other.ctx, instProject, nil)
	require.NoError(t, err)
	assert.Equal(t, all.Results[0].ID, again.Results[0].ID)

	// Forward with limit 3 to the end, then back along the previous links.
	const limit = 3
	var pages [][]string
	var cursor *string
	for {
		page, err := f.client.InstanceTypes.List(f.ctx, instProject, &ubiops.InstanceTypesListParams{Limit: ubiops.Ptr(limit), Cursor: cursor})
		require.NoError(t, err)
		var ns []string
		for _, it := range page.Results {
			ns = append(ns, it.Name)
		}
		pages = append(pages, ns)
		if len(pages) == 1 {
			assert.Nil(t, page.Previous, "no previous link on the first page")
		} else {
			_, hasPrev := instCursor(t, page.Previous)
			assert.True(t, hasPrev)
		}
		next, hasNext := instCursor(t, page.Next)
		if !hasNext {
			break
		}
		cursor = &next
		require.Less(t, len(pages), 20, "paging does not end")
	}
	var flat []string
	for _, p := range pages {
		flat = append(flat, p...)
	}
	want := make([]string, 0, len(all.Results))
	for _, it := range all.Results {
		want = append(want, it.Name)
	}
	assert.Equal(t, want, flat)
	assert.Len(t, pages, (len(want)+limit-1)/limit)

	// Backwards: from the last page, previous links revisit the pages in reverse.
	last, err := f.client.InstanceTypes.List(f.ctx, instProject, &ubiops.InstanceTypesListParams{Limit: ubiops.Ptr(limit), Cursor: cursor})
	require.NoError(t, err)
	for i := len(pages) - 2; i >= 0; i-- {
		prev, hasPrev := instCursor(t, last.Previous)
		require.True(t, hasPrev, "page %d has a previous link", i+1)
		last, err = f.client.InstanceTypes.List(f.ctx, instProject, &ubiops.InstanceTypesListParams{Limit: ubiops.Ptr(limit), Cursor: &prev})
		require.NoError(t, err)
		var ns []string
		for _, it := range last.Results {
			ns = append(ns, it.Name)
		}
		assert.Equal(t, pages[i], ns)
	}
	assert.Nil(t, last.Previous)

	_, err = f.client.InstanceTypes.List(f.ctx, "no-such-project", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestInstanceTypeGroupsCRUD(t *testing.T) {
	f := newInstFixture(t)
	types, err := f.client.InstanceTypes.List(f.ctx, instProject, nil)
	require.NoError(t, err)
	byName := map[string]ubiops.InstanceTypeList{}
	for _, it := range types.Results {
		byName[it.Name] = it
	}
	small, large := byName["512mb"], byName["16384mb"]

	g, err := f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "mixed",
		InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{
			{ID: ubiops.Ptr(large.ID), Priority: ubiops.Ptr(1)}, {ID: ubiops.Ptr(small.ID), Priority: ubiops.Ptr(0)},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "mixed", val(g.Name))
	assert.NotEqual(t, uuid.Nil, g.ID)
	assert.False(t, val(g.TimeCreated).IsZero())
	assert.Equal(t, g.TimeCreated, g.TimeUpdated)
	require.Len(t, g.InstanceTypes, 2)
	// Sorted by priority, with the catalogue's details.
	assert.Equal(t, small.ID, g.InstanceTypes[0].ID)
	assert.Equal(t, 0, g.InstanceTypes[0].Priority)
	assert.Equal(t, "512mb", g.InstanceTypes[0].Name)
	assert.Equal(t, small.CreditRate, g.InstanceTypes[0].CreditRate)
	assert.Equal(t, *small.Memory, g.InstanceTypes[0].Memory)
	assert.Equal(t, large.ID, g.InstanceTypes[1].ID)
	assert.Positive(t, g.InstanceTypes[1].ScheduleTimeout)

	got, err := f.client.InstanceTypeGroups.Get(f.ctx, instProject, g.ID.String())
	require.NoError(t, err)
	assert.Equal(t, *g, *got)

	// Validation.
	_, err = f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "mixed", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(small.ID)}},
	})
	assert.ErrorIs(t, err, ubiops.ErrConflict, "duplicate name")
	_, err = f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "ghost", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(uuid.New())}},
	})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "unknown instance type")
	_, err = f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "empty", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{},
	})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "no instance types")
	_, err = f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "twice", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(small.ID)}, {ID: ubiops.Ptr(small.ID), Priority: ubiops.Ptr(1)}},
	})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "an instance type listed twice")
	_, err = f.client.InstanceTypeGroups.Create(f.ctx, "no-such-project", ubiops.InstanceTypeGroupCreate{
		Name: "x", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(small.ID)}},
	})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// More groups, and paging through them.
	var ids []uuid.UUID
	ids = append(ids, g.ID)
	for _, name := range []string{"gpu", "cheap"} {
		it := byName["256mb"]
		if name == "gpu" {
			for _, x := range types.Results {
				if x.Accelerator != nil && *x.Accelerator > 0 {
					it = x
				}
			}
		}
		ng, err := f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
			Name: name, InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(it.ID)}},
		})
		require.NoError(t, err)
		ids = append(ids, ng.ID)
	}
	var seen []uuid.UUID
	var cursor *string
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		page, err := f.client.InstanceTypeGroups.List(f.ctx, instProject, &ubiops.InstanceTypeGroupsListParams{Limit: ubiops.Ptr(2), Cursor: cursor})
		require.NoError(t, err)
		for _, x := range page.Results {
			seen = append(seen, x.ID)
		}
		next, ok := instCursor(t, page.Next)
		if !ok {
			break
		}
		cursor = &next
	}
	assert.Equal(t, ids, seen)

	// Update: rename and replace the instance types; a taken name is a conflict.
	time.Sleep(2 * time.Millisecond)
	up, err := f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{
		Name: ubiops.Ptr("large-only"), InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(large.ID), Priority: ubiops.Ptr(3)}},
	})
	require.NoError(t, err)
	assert.Equal(t, "large-only", val(up.Name))
	require.Len(t, up.InstanceTypes, 1)
	assert.Equal(t, large.ID, up.InstanceTypes[0].ID)
	assert.Equal(t, 3, up.InstanceTypes[0].Priority)
	assert.Equal(t, g.TimeCreated, up.TimeCreated)
	assert.True(t, val(up.TimeUpdated).After(val(g.TimeUpdated).Time))
	got, err = f.client.InstanceTypeGroups.Get(f.ctx, instProject, g.ID.String())
	require.NoError(t, err)
	assert.Equal(t, *up, *got)
	// The same name again is not a conflict with itself.
	_, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{
		Name: ubiops.Ptr("large-only"), InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(large.ID)}},
	})
	require.NoError(t, err)
	_, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{
		Name: ubiops.Ptr("gpu"), InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(large.ID)}},
	})
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{
		Name: ubiops.Ptr("large-only"), InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(uuid.New())}},
	})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, uuid.NewString(), ubiops.InstanceTypeGroupUpdate{
		Name: ubiops.Ptr("x"), InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(large.ID)}},
	})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// Usage of an unused group is empty.
	usage, err := f.client.InstanceTypeGroups.Usage(f.ctx, instProject, g.ID.String(), nil)
	require.NoError(t, err)
	assert.Empty(t, usage.Results)
	assert.Nil(t, usage.Next)
	_, err = f.client.InstanceTypeGroups.Usage(f.ctx, instProject, uuid.NewString(), nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// Delete; afterwards it is gone.
	require.NoError(t, f.client.InstanceTypeGroups.Delete(f.ctx, instProject, g.ID.String()))
	_, err = f.client.InstanceTypeGroups.Get(f.ctx, instProject, g.ID.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.ErrorIs(t, f.client.InstanceTypeGroups.Delete(f.ctx, instProject, g.ID.String()), ubiops.ErrNotFound)
	list, err := f.client.InstanceTypeGroups.List(f.ctx, instProject, nil)
	require.NoError(t, err)
	assert.Len(t, list.Results, 2)
	_, err = f.client.InstanceTypeGroups.Get(f.ctx, instProject, "not-a-uuid")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// Every change is audited.
	events, err := f.client.Audit.ListProject(f.ctx, instProject, &ubiops.ProjectAuditEventsListParams{Limit: ubiops.Ptr(100)})
	require.NoError(t, err)
	kinds := map[ubiops.AuditListAction]int{}
	for _, e := range events {
		if e.ObjectType == "instance_type_group" {
			kinds[e.Action]++
		}
	}
	assert.Equal(t, 3, kinds[ubiops.AuditListActionCreate])
	assert.Equal(t, 2, kinds[ubiops.AuditListActionUpdate])
	assert.Equal(t, 1, kinds[ubiops.AuditListActionDelete])
}

func TestInstanceTypeGroupUsedByVersion(t *testing.T) {
	f := newInstFixture(t)
	types, err := f.client.InstanceTypes.List(f.ctx, instProject, nil)
	require.NoError(t, err)
	g, err := f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "in-use", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(types.Results[2].ID)}},
	})
	require.NoError(t, err)
	_, err = f.client.Deployments.Create(f.ctx, instProject, ubiops.DeploymentCreate{
		Name: instDeployment, InputType: plainIn, OutputType: plainOut,
	})
	require.NoError(t, err)
	v1, err := f.client.Versions.Create(f.ctx, instProject, instDeployment, ubiops.DeploymentVersionCreate{Version: "v1", InstanceTypeGroupID: &g.ID})
	require.NoError(t, err)
	assert.Equal(t, g.ID, v1.InstanceTypeGroupID)
	_, err = f.client.Versions.Create(f.ctx, instProject, instDeployment, ubiops.DeploymentVersionCreate{Version: "v2", InstanceTypeGroupID: &g.ID})
	require.NoError(t, err)

	usage, err := f.client.InstanceTypeGroups.Usage(f.ctx, instProject, g.ID.String(), nil)
	require.NoError(t, err)
	require.Len(t, usage.Results, 2)
	assert.Equal(t, v1.ID, usage.Results[0].ID)
	assert.Equal(t, instDeployment, val(usage.Results[0].Deployment))
	assert.Equal(t, "v1", val(usage.Results[0].Version))
	assert.Equal(t, "v2", val(usage.Results[1].Version))
	assert.Equal(t, g.ID, usage.Results[1].InstanceTypeGroupID)
	assert.Equal(t, "in-use", val(usage.Results[1].InstanceTypeGroupName))
	page, err := f.client.InstanceTypeGroups.Usage(f.ctx, instProject, g.ID.String(), &ubiops.InstanceTypeGroupsUsageParams{Limit: ubiops.Ptr(1)})
	require.NoError(t, err)
	require.Len(t, page.Results, 1)
	next, ok := instCursor(t, page.Next)
	require.True(t, ok)
	page, err = f.client.InstanceTypeGroups.Usage(f.ctx, instProject, g.ID.String(), &ubiops.InstanceTypeGroupsUsageParams{Limit: ubiops.Ptr(1), Cursor: &next})
	require.NoError(t, err)
	require.Len(t, page.Results, 1)
	assert.Equal(t, "v2", val(page.Results[0].Version))
	assert.Nil(t, page.Next)

	// The instances of a version run on the group's first instance type.
	insts, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", nil)
	require.NoError(t, err)
	require.NotEmpty(t, insts.Results)
	it := insts.Results[0].InstanceType
	require.NotNil(t, it)
	assert.Equal(t, types.Results[2].ID, it.ID)

	// In use: cannot be deleted; a rename shows in the versions.
	err = f.client.InstanceTypeGroups.Delete(f.ctx, instProject, g.ID.String())
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{
		Name: ubiops.Ptr("renamed"), InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(types.Results[2].ID)}},
	})
	require.NoError(t, err)
	v, err := f.client.Versions.Get(f.ctx, instProject, instDeployment, "v1")
	require.NoError(t, err)
	assert.Equal(t, "renamed", v.InstanceTypeGroupName)

	require.NoError(t, f.client.Versions.Delete(f.ctx, instProject, instDeployment, "v1"))
	assert.ErrorIs(t, f.client.InstanceTypeGroups.Delete(f.ctx, instProject, g.ID.String()), ubiops.ErrConflict)
	require.NoError(t, f.client.Versions.Delete(f.ctx, instProject, instDeployment, "v2"))
	require.NoError(t, f.client.InstanceTypeGroups.Delete(f.ctx, instProject, g.ID.String()))
}

// A version that names no group uses the implicit group of its instance type: readable, not listed,
// not changeable.
func TestImplicitInstanceTypeGroup(t *testing.T) {
	f := newInstFixture(t, "v1")
	v1, err := f.client.Versions.Get(f.ctx, instProject, instDeployment, "v1")
	require.NoError(t, err)
	g, err := f.client.InstanceTypeGroups.Get(f.ctx, instProject, v1.InstanceTypeGroupID.String())
	require.NoError(t, err)
	assert.Equal(t, v1.InstanceTypeGroupName, val(g.Name))
	require.Len(t, g.InstanceTypes, 1)
	typeName := g.InstanceTypes[0].Name

	usage, err := f.client.InstanceTypeGroups.Usage(f.ctx, instProject, g.ID.String(), nil)
	require.NoError(t, err)
	require.Len(t, usage.Results, 1)
	assert.Equal(t, v1.ID, usage.Results[0].ID)

	list, err := f.client.InstanceTypeGroups.List(f.ctx, instProject, nil)
	require.NoError(t, err)
	assert.Empty(t, list.Results)

	_, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{
		Name: ubiops.Ptr("mine"), InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(g.InstanceTypes[0].ID)}},
	})
	assert.ErrorIs(t, err, ubiops.ErrForbidden)
	assert.ErrorIs(t, f.client.InstanceTypeGroups.Delete(f.ctx, instProject, g.ID.String()), ubiops.ErrConflict, "in use")

	insts, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", nil)
	require.NoError(t, err)
	require.NotEmpty(t, insts.Results)
	it := insts.Results[0].InstanceType
	require.NotNil(t, it)
	assert.Equal(t, typeName, it.Name)

	// The deprecated instance_type picks the instance type of the instances too.
	_, err = f.client.Versions.Create(f.ctx, instProject, instDeployment, ubiops.DeploymentVersionCreate{Version: "v2", InstanceType: ubiops.Ptr("2048mb")})
	require.NoError(t, err)
	insts, err = f.client.Instances.List(f.ctx, instProject, instDeployment, "v2", nil)
	require.NoError(t, err)
	require.NotEmpty(t, insts.Results)
	it = insts.Results[0].InstanceType
	require.NotNil(t, it)
	assert.Equal(t, "2048mb", it.Name)

	require.NoError(t, f.client.Versions.Delete(f.ctx, instProject, instDeployment, "v1"))
	assert.ErrorIs(t, f.client.InstanceTypeGroups.Delete(f.ctx, instProject, g.ID.String()), ubiops.ErrForbidden, "not in use, but implicit")
}

func TestInstancesDefault(t *testing.T) {
	f := newInstFixture(t, "v1", "v2")
	list, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", nil)
	require.NoError(t, err)
	require.Len(t, list.Results, 2)
	assert.Nil(t, list.Next)
	assert.Nil(t, list.Previous)
	for _, in := range list.Results {
		assert.Equal(t, ubiops.InstanceListStatusRunning, in.Status)
		assert.NotNil(t, in.InstanceType)
	}
	assert.NotEqual(t, list.Results[0].ID, list.Results[1].ID)
	again, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", nil)
	require.NoError(t, err)
	assert.Equal(t, list.Results, again.Results, "instances are stable and ordered deterministically")

	for _, in := range list.Results {
		d, err := f.client.Instances.Get(f.ctx, instProject, instDeployment, "v1", in.ID.String())
		require.NoError(t, err)
		assert.Equal(t, in.ID, d.ID)
		assert.Equal(t, instDeployment, val(d.Deployment))
		assert.Equal(t, "v1", val(d.Version))
		assert.Equal(t, ubiops.InstanceDetailStatusRunning, d.Status)
		assert.NotNil(t, d.NodePool)
		assert.NotNil(t, val(d.Node).Ipv4Address)

		evs, err := f.client.Instances.ListEvents(f.ctx, instProject, instDeployment, "v1", in.ID.String(), nil)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(evs.Results), 3)
		assert.Equal(t, "Instance created", val(evs.Results[len(evs.Results)-1].Description))
		assert.Equal(t, "Instance status changed to running", val(evs.Results[0].Description))
		for i := 1; i < len(evs.Results); i++ {
			assert.False(t, evs.Results[i].TimeCreated.After(evs.Results[i-1].TimeCreated.Time), "events newest first")
		}
		assert.False(t, evs.Results[0].TimeCreated.After(time.Now()))
	}

	// The status filter.
	none, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", &ubiops.InstancesListParams{Status: ubiops.Ptr("pending,stopping")})
	require.NoError(t, err)
	assert.Empty(t, none.Results)
	_, err = f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", &ubiops.InstancesListParams{Status: ubiops.Ptr("sleeping")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)

	// Project level: both versions' instances (v2's made on the way), with their names.
	proj, err := f.client.Instances.ListProject(f.ctx, instProject, nil)
	require.NoError(t, err)
	require.Len(t, proj.Results, 4)
	perVersion := map[string]int{}
	for _, in := range proj.Results {
		assert.Equal(t, instDeployment, val(in.Deployment))
		perVersion[val(in.Version)]++
	}
	assert.Equal(t, map[string]int{"v1": 2, "v2": 2}, perVersion)
	d, err := f.client.Instances.GetProject(f.ctx, instProject, list.Results[1].ID.String())
	require.NoError(t, err)
	assert.Equal(t, "v1", val(d.Version))
	assert.Equal(t, list.Results[1].ID, d.ID)

	// 404s.
	missing := uuid.NewString()
	_, err = f.client.Instances.Get(f.ctx, instProject, instDeployment, "v1", missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = f.client.Instances.Get(f.ctx, instProject, instDeployment, "v2", list.Results[0].ID.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound, "an instance of another version")
	_, err = f.client.Instances.ListEvents(f.ctx, instProject, instDeployment, "v1", missing, nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = f.client.Instances.GetProject(f.ctx, instProject, missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = f.client.Instances.List(f.ctx, instProject, instDeployment, "v9", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = f.client.Instances.List(f.ctx, instProject, "nodep", "v1", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = f.client.Instances.ListProject(f.ctx, "no-such-project", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = f.client.Instances.GetProject(f.ctx, "no-such-project", missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// Deleting a version takes its instances with it.
	require.NoError(t, f.client.Versions.Delete(f.ctx, instProject, instDeployment, "v2"))
	proj, err = f.client.Instances.ListProject(f.ctx, instProject, nil)
	require.NoError(t, err)
	assert.Len(t, proj.Results, 2)
}

func TestSeedInstancesPaging(t *testing.T) {
	f := newInstFixture(t, "v1", "v2")
	require.NoError(t, f.srv.SeedInstances(instProject, instDeployment, "v1", 1200, 2))
	assert.Error(t, f.srv.SeedInstances(instProject, instDeployment, "v9", 1, 1))
	assert.Error(t, f.srv.SeedInstances(instProject, "nodep", "v1", 1, 1))
	assert.Error(t, f.srv.SeedInstances("no-such-project", instDeployment, "v1", 1, 1))

	// Forward in pages of 100: every instance exactly once.
	seen := map[uuid.UUID]int{}
	var order []uuid.UUID
	var cursor *string
	pages := 0
	for {
		page, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", &ubiops.InstancesListParams{Limit: ubiops.Ptr(100), Cursor: cursor})
		require.NoError(t, err)
		pages++
		require.LessOrEqual(t, len(page.Results), 100)
		for _, in := range page.Results {
			seen[in.ID]++
			order = append(order, in.ID)
		}
		next, ok := instCursor(t, page.Next)
		if !ok {
			break
		}
		cursor = &next
		require.Less(t, pages, 50)
	}
	assert.Equal(t, 12, pages)
	assert.Len(t, seen, 1200)
	for id, n := range seen {
		require.Equal(t, 1, n, "instance %s seen %d times", id, n)
	}

	// Backwards from the last page: previous links lead to the first page.
	page, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", &ubiops.InstancesListParams{Limit: ubiops.Ptr(100), Cursor: cursor})
	require.NoError(t, err)
	back := 1
	for {
		prev, ok := instCursor(t, page.Previous)
		if !ok {
			break
		}
		page, err = f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", &ubiops.InstancesListParams{Limit: ubiops.Ptr(100), Cursor: &prev})
		require.NoError(t, err)
		back++
		require.Less(t, back, 50)
	}
	assert.Equal(t, 12, back)
	assert.Equal(t, order[:100], func() []uuid.UUID {
		var ids []uuid.UUID
		for _, in := range page.Results {
			ids = append(ids, in.ID)
		}
		return ids
	}())

	// Seeded statuses cycle running, pending, initialising, stopping.
	count := func(status string) int {
		n := 0
		var cur *string
		for {
			p, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", &ubiops.InstancesListParams{Limit: ubiops.Ptr(500), Cursor: cur, Status: &status})
			require.NoError(t, err)
			for _, in := range p.Results {
				assert.Contains(t, status, string(in.Status))
			}
			n += len(p.Results)
			next, ok := instCursor(t, p.Next)
			if !ok {
				return n
			}
			cur = &next
		}
	}
	assert.Equal(t, 300, count("running"))
	assert.Equal(t, 600, count("pending,stopping"))
	pending, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", &ubiops.InstancesListParams{Status: ubiops.Ptr("pending"), Limit: ubiops.Ptr(1)})
	require.NoError(t, err)
	require.Len(t, pending.Results, 1)
	assert.Nil(t, pending.Results[0].InstanceType, "a pending instance has no instance type yet")
	pd, err := f.client.Instances.Get(f.ctx, instProject, instDeployment, "v1", pending.Results[0].ID.String())
	require.NoError(t, err)
	assert.Nil(t, pd.NodePool)
	assert.Nil(t, val(pd.Node).Ipv4Address)

	// Project level: v1's 1200 and v2's default 2, each once, in pages of 100; status filter too.
	projSeen := map[uuid.UUID]bool{}
	cursor = nil
	for pages = 0; ; pages++ {
		require.Less(t, pages, 50)
		p, err := f.client.Instances.ListProject(f.ctx, instProject, &ubiops.ProjectInstancesListParams{Limit: ubiops.Ptr(100), Cursor: cursor})
		require.NoError(t, err)
		for _, in := range p.Results {
			require.False(t, projSeen[in.ID], "instance %s twice", in.ID)
			projSeen[in.ID] = true
		}
		next, ok := instCursor(t, p.Next)
		if !ok {
			break
		}
		cursor = &next
	}
	assert.Len(t, projSeen, 1202)
	running, err := f.client.Instances.ListProject(f.ctx, instProject, &ubiops.ProjectInstancesListParams{Status: ubiops.Ptr("running"), Limit: ubiops.Ptr(1000)})
	require.NoError(t, err)
	assert.Len(t, running.Results, 302)
	_, err = f.client.Instances.ListProject(f.ctx, instProject, &ubiops.ProjectInstancesListParams{Status: ubiops.Ptr("running,bogus")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)

	// Seeding zero leaves the version without instances (they are not re-made).
	require.NoError(t, f.srv.SeedInstances(instProject, instDeployment, "v2", 0, 0))
	empty, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v2", nil)
	require.NoError(t, err)
	assert.Empty(t, empty.Results)
}

func TestInstanceEventsPaging(t *testing.T) {
	f := newInstFixture(t, "v1")
	require.NoError(t, f.srv.SeedInstances(instProject, instDeployment, "v1", 3, 250))
	list, err := f.client.Instances.List(f.ctx, instProject, instDeployment, "v1", nil)
	require.NoError(t, err)
	require.Len(t, list.Results, 3)
	id := list.Results[0].ID.String()

	seen := map[uuid.UUID]bool{}
	var times []time.Time
	var cursor *string
	pages := 0
	for {
		page, err := f.client.Instances.ListEvents(f.ctx, instProject, instDeployment, "v1", id, &ubiops.InstanceEventsListParams{Limit: ubiops.Ptr(100), Cursor: cursor})
		require.NoError(t, err)
		pages++
		if pages == 1 {
			assert.Nil(t, page.Previous)
		}
		for _, e := range page.Results {
			require.False(t, seen[e.ID])
			seen[e.ID] = true
			times = append(times, e.TimeCreated.Time)
		}
		next, ok := instCursor(t, page.Next)
		if !ok {
			break
		}
		cursor = &next
		require.Less(t, pages, 10)
	}
	assert.Equal(t, 3, pages)
	assert.Len(t, seen, 250)
	for i := 1; i < len(times); i++ {
		assert.False(t, times[i].After(times[i-1]), "events newest first")
	}

	// The default page size is 50.
	first, err := f.client.Instances.ListEvents(f.ctx, instProject, instDeployment, "v1", id, nil)
	require.NoError(t, err)
	assert.Len(t, first.Results, 50)
	assert.NotNil(t, first.Next)

	// Events of another instance are its own.
	other, err := f.client.Instances.ListEvents(f.ctx, instProject, instDeployment, "v1", list.Results[1].ID.String(), &ubiops.InstanceEventsListParams{Limit: ubiops.Ptr(1)})
	require.NoError(t, err)
	require.Len(t, other.Results, 1)
	assert.False(t, seen[other.Results[0].ID])

	// Invalid limits are refused by validation.
	_, err = f.client.Instances.ListEvents(f.ctx, instProject, instDeployment, "v1", id, &ubiops.InstanceEventsListParams{Limit: ubiops.Ptr(0)})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
}
