package ubiopstest

import (
	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// The user of the token (user_get) and its organizations (organizations_list): what the official
// CLI asks at sign-in, and when it creates a project without an organization (it takes the first).
//
// The fake has no organization objects: a project belongs to whatever organization_name it was
// created with (projects_create accepts any). The organizations are those of the projects, in the
// order of their first project; with no project yet, there is one, defaultOrganization, so that a
// client that takes the first organization can create a project. Each organization's id is derived
// from its name (the same name, the same id, in every server), and its creation date is the moment
// the server started.

// defaultOrganization is the organization organizations_list answers while there is no project.
const defaultOrganization = "ubiopstest-org"

// userDetail and organizationList are the UserDetail and OrganizationList schemas of the spec.
type userDetail struct {
	ID      ubiops.UUID `json:"id"`
	Email   string      `json:"email"`
	Name    *string     `json:"name"`
	Surname *string     `json:"surname"`
}

type organizationList struct {
	ID           ubiops.UUID `json:"id"`
	Name         string      `json:"name"`
	CreationDate ubiops.Time `json:"creation_date"`
}

// organizationID is an organization's id, derived from its name.
func organizationID(name string) ubiops.UUID {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("ubiopstest-organization:"+name))
}

// serveUserGet serves user_get.
func serveUserGet(c *call) answer {
	u := c.st().user
	return ok(userDetail{ID: u.ID, Email: string(u.Email), Name: u.Name, Surname: u.Surname})
}

// serveOrganizationsList serves organizations_list.
func serveOrganizationsList(c *call) answer {
	var names []string
	seen := map[string]bool{}
	for _, p := range c.st().projects {
		if n := p.detail.OrganizationName; !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		names = []string{defaultOrganization}
	}
	out := make([]organizationList, 0, len(names))
	for _, n := range names {
		out = append(out, organizationList{ID: organizationID(n), Name: n, CreationDate: stamp(c.s.started)})
	}
	return ok(out)
}
