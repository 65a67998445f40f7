package ubiopstest

import "fmt"

// Name indexes: projects, a project's deployments and a deployment's versions are found by name
// in a map, so that serving a request costs the same however many of them the fake holds. The
// slices keep their order (of creation) for the lists; the maps follow every create, delete and
// rename through the functions below, and nothing else changes a name. checkIndexes (run by the
// fuzz and robustness tests after every request) holds the two to each other.

// addProject stores a new project.
func (st *state) addProject(p *project) {
	st.projects = append(st.projects, p)
	if st.projectsByName == nil {
		st.projectsByName = map[string]*project{}
	}
	st.projectsByName[p.detail.Name] = p
}

// removeProject deletes a project.
func (st *state) removeProject(p *project) {
	st.projects = removeItem(st.projects, p)
	if st.projectsByName[p.detail.Name] == p {
		delete(st.projectsByName, p.detail.Name)
	}
}

// setProjectName renames a project in the index (renameProject renames it everywhere).
func (st *state) setProjectName(p *project, name string) {
	if st.projectsByName[p.detail.Name] == p {
		delete(st.projectsByName, p.detail.Name)
	}
	p.detail.Name = name
	st.projectsByName[name] = p
}

// addDeployment stores a new deployment of the project.
func (p *project) addDeployment(d *deployment) {
	p.deployments = append(p.deployments, d)
	if p.deploymentsByName == nil {
		p.deploymentsByName = map[string]*deployment{}
	}
	p.deploymentsByName[d.detail.Name] = d
}

// removeDeployment deletes a deployment of the project.
func (p *project) removeDeployment(d *deployment) {
	p.deployments = removeItem(p.deployments, d)
	if p.deploymentsByName[d.detail.Name] == d {
		delete(p.deploymentsByName, d.detail.Name)
	}
}

// setDeploymentName renames a deployment in the index (renameDeployment renames it everywhere).
func (p *project) setDeploymentName(d *deployment, name string) {
	if p.deploymentsByName[d.detail.Name] == d {
		delete(p.deploymentsByName, d.detail.Name)
	}
	d.detail.Name = name
	p.deploymentsByName[name] = d
}

// addVersion stores a new version of the deployment.
func (d *deployment) addVersion(v *version) {
	d.versions = append(d.versions, v)
	if d.versionsByName == nil {
		d.versionsByName = map[string]*version{}
	}
	d.versionsByName[v.detail.Version] = v
}

// removeVersion deletes a version of the deployment.
func (d *deployment) removeVersion(v *version) {
	d.versions = removeItem(d.versions, v)
	if d.versionsByName[v.detail.Version] == v {
		delete(d.versionsByName, v.detail.Version)
	}
}

// versionRenamed moves a version in the index from its old name to its current one.
func (d *deployment) versionRenamed(v *version, old string) {
	if d.versionsByName[old] == v {
		delete(d.versionsByName, old)
	}
	d.versionsByName[v.detail.Version] = v
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
