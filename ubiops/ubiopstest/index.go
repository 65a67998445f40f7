package ubiopstest

import "fmt"

// Name indexes: projects, a project's deployments and a deployment's versions are found by name
// in a map, so that serving a request costs the same however many of them the fake holds. The
// slices keep their order (of creation) for the lists; the maps follow every create, delete and
// rename through the functions below, and nothing else changes a name. checkIndexes (run by the
// fuzz and robustness tests after every request) holds the two to each other.

// nameIndex finds one kind of object by name. The three kinds share it so that their indexes
// follow creates, deletes and renames the same way.
type nameIndex[T comparable] map[string]T

// add indexes v under name, making the map on first use.
func (m *nameIndex[T]) add(name string, v T) {
	if *m == nil {
		*m = nameIndex[T]{}
	}
	(*m)[name] = v
}

// remove drops name, if it still names v.
func (m nameIndex[T]) remove(name string, v T) {
	if m[name] == v {
		delete(m, name)
	}
}

// rename moves v from old to name.
func (m *nameIndex[T]) rename(old, name string, v T) {
	m.remove(old, v)
	m.add(name, v)
}

// addProject stores a new project.
func (st *state) addProject(p *project) {
	st.projects = append(st.projects, p)
	st.projectsByName.add(p.detail.Name, p)
}

// removeProject deletes a project.
func (st *state) removeProject(p *project) {
	st.projects = removeItem(st.projects, p)
	st.projectsByName.remove(p.detail.Name, p)
}

// setProjectName renames a project in the index (renameProject renames it everywhere).
func (st *state) setProjectName(p *project, name string) {
	old := p.detail.Name
	p.detail.Name = name
	st.projectsByName.rename(old, name, p)
}

// addDeployment stores a new deployment of the project.
func (p *project) addDeployment(d *deployment) {
	p.deployments = append(p.deployments, d)
	p.deploymentsByName.add(d.detail.Name, d)
}

// removeDeployment deletes a deployment of the project.
func (p *project) removeDeployment(d *deployment) {
	p.deployments = removeItem(p.deployments, d)
	p.deploymentsByName.remove(d.detail.Name, d)
}

// setDeploymentName renames a deployment in the index (renameDeployment renames it everywhere).
func (p *project) setDeploymentName(d *deployment, name string) {
	old := d.detail.Name
	d.detail.Name = name
	p.deploymentsByName.rename(old, name, d)
}

// addVersion stores a new version of the deployment.
func (d *deployment) addVersion(v *version) {
	d.versions = append(d.versions, v)
	d.versionsByName.add(v.detail.Version, v)
}

// removeVersion deletes a version of the deployment.
func (d *deployment) removeVersion(v *version) {
	d.versions = removeItem(d.versions, v)
	d.versionsByName.remove(v.detail.Version, v)
}

// versionRenamed moves a version in the index from its old name to its current one.
func (d *deployment) versionRenamed(v *version, old string) {
	d.versionsByName.rename(old, v.detail.Version, v)
}

// findProject returns the project with the given name, or nil.
func (st *state) findProject(name string) *project { return st.projectsByName[name] }

// findDeployment returns the project's deployment with the given name, or nil.
func (p *project) findDeployment(name string) *deployment { return p.deploymentsByName[name] }

// findVersion returns the deployment's version with the given name, or nil.
func (d *deployment) findVersion(name string) *version { return d.versionsByName[name] }

// checkIndexes reports how the name indexes differ from the slices they index, if they do.
func (st *state) checkIndexes() error {
	if len(st.projectsByName) != len(st.projects) {
		return fmt.Errorf("%d projects, %d indexed", len(st.projects), len(st.projectsByName))
	}
	for _, p := range st.projects {
		if st.projectsByName[p.detail.Name] != p {
			return fmt.Errorf("project %q is not indexed by its name", p.detail.Name)
		}
		if len(p.deploymentsByName) != len(p.deployments) {
			return fmt.Errorf("project %q: %d deployments, %d indexed", p.detail.Name, len(p.deployments), len(p.deploymentsByName))
		}
		for _, d := range p.deployments {
			if p.deploymentsByName[d.detail.Name] != d {
				return fmt.Errorf("deployment %q of project %q is not indexed by its name", d.detail.Name, p.detail.Name)
			}
			if len(d.versionsByName) != len(d.versions) {
				return fmt.Errorf("deployment %q: %d versions, %d indexed", d.detail.Name, len(d.versions), len(d.versionsByName))
			}
			for _, v := range d.versions {
				if d.versionsByName[v.detail.Version] != v {
					return fmt.Errorf("version %q of deployment %q is not indexed by its name", v.detail.Version, d.detail.Name)
				}
			}
		}
	}
	return nil
}
