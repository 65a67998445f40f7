package ubiopstest

// routes maps each operation the fake serves to its handler: one line per operation, grouped by
// the file that holds the handlers. The dispatcher looks an operation up here after routing the
// request by the spec; TestHandlers checks that every operation of the spec has a route.
var routes = map[string]handlerFunc{
	// ops_envvars.go: the same operations at three scopes.
	OpProjectEnvironmentVariablesList:             projectVars.list,
	OpProjectEnvironmentVariablesCreate:           projectVars.create,
	OpProjectEnvironmentVariablesGet:              projectVars.get,
	OpProjectEnvironmentVariablesUpdate:           projectVars.update,
	OpProjectEnvironmentVariablesDelete:           projectVars.delete,
	OpDeploymentEnvironmentVariablesList:          deploymentVars.list,
	OpDeploymentEnvironmentVariablesCreate:        deploymentVars.create,
	OpDeploymentEnvironmentVariablesGet:           deploymentVars.get,
	OpDeploymentEnvironmentVariablesUpdate:        deploymentVars.update,
	OpDeploymentEnvironmentVariablesDelete:        deploymentVars.delete,
	OpDeploymentVersionEnvironmentVariablesList:   versionVars.list,
	OpDeploymentVersionEnvironmentVariablesCreate: versionVars.create,
	OpDeploymentVersionEnvironmentVariablesGet:    versionVars.get,
	OpDeploymentVersionEnvironmentVariablesUpdate: versionVars.update,
	OpDeploymentVersionEnvironmentVariablesDelete: versionVars.delete,
	OpDeploymentEnvironmentVariablesCopy:          deploymentVars.copy,
	OpDeploymentVersionEnvironmentVariablesCopy:   versionVars.copy,
	// ops_requests.go and ops_stream.go: each operation at the deployment's default version, and at
	// a version of its own.
	OpDeploymentRequestsCreate:             atDefaultVersion((*call).createDirectRequest),
	OpDeploymentVersionRequestsCreate:      atVersion((*call).createDirectRequest),
	OpBatchDeploymentRequestsCreate:        atDefaultVersion((*call).createBatchRequests),
	OpBatchDeploymentVersionRequestsCreate: atVersion((*call).createBatchRequests),
	OpDeploymentRequestsBatchGet:           atDefaultVersion((*call).collectRequests),
	OpDeploymentVersionRequestsBatchGet:    atVersion((*call).collectRequests),
	OpDeploymentRequestsGet:                atDefaultVersion((*call).getRequest),
	OpDeploymentVersionRequestsGet:         atVersion((*call).getRequest),
	OpDeploymentRequestsList:               atDefaultVersion((*call).listRequests),
	OpDeploymentVersionRequestsList:        atVersion((*call).listRequests),
	OpDeploymentRequestsUpdate:             atDefaultVersion((*call).updateRequest),
	OpDeploymentVersionRequestsUpdate:      atVersion((*call).updateRequest),
	OpDeploymentRequestsDelete:             atDefaultVersion((*call).deleteRequest),
	OpDeploymentVersionRequestsDelete:      atVersion((*call).deleteRequest),
	OpDeploymentRequestsBatchDelete:        atDefaultVersion((*call).batchDeleteRequests),
	OpDeploymentVersionRequestsBatchDelete: atVersion((*call).batchDeleteRequests),
	OpDeploymentRequestsBatchCancel:        atDefaultVersion((*call).batchCancelRequests),
	OpDeploymentVersionRequestsBatchCancel: atVersion((*call).batchCancelRequests),
	OpDeploymentRequestsStream:             atDefaultVersion((*call).streamRequest),
	OpDeploymentVersionRequestsStream:      atVersion((*call).streamRequest),
	OpProjectRequestsList:                  projectRequestsList,
	// ops_logs.go, ops_logs_list.go, ops_status.go
	OpProjectsLogList: projectsLogList,
	OpLogsList:        logsList,
	OpServiceStatus:   serveServiceStatus,
	// ops_deployments.go
	OpDeploymentsList:           serveDeploymentsList,
	OpDeploymentsCreate:         serveDeploymentsCreate,
	OpDeploymentsGet:            serveDeploymentsGet,
	OpDeploymentsUpdate:         serveDeploymentsUpdate,
	OpDeploymentsDelete:         serveDeploymentsDelete,
	OpDeploymentAuditEventsList: serveDeploymentAuditEventsList,
	OpTemplateDeploymentsList:   serveTemplateDeploymentsList,
	// ops_environments.go
	OpEnvironmentsList:                 serveEnvironmentsList,
	OpEnvironmentsCreate:               serveEnvironmentsCreate,
	OpEnvironmentsGet:                  serveEnvironmentsGet,
	OpEnvironmentsUpdate:               serveEnvironmentsUpdate,
	OpEnvironmentsDelete:               serveEnvironmentsDelete,
	OpEnvironmentsUsage:                serveEnvironmentsUsage,
	OpEnvironmentRevisionsFileUpload:   serveEnvironmentRevisionsFileUpload,
	OpEnvironmentRevisionsList:         serveEnvironmentRevisionsList,
	OpEnvironmentRevisionsGet:          serveEnvironmentRevisionsGet,
	OpEnvironmentRevisionsFileDownload: serveEnvironmentRevisionsFileDownload,
	OpEnvironmentRevisionsRebuild:      serveEnvironmentRevisionsRebuild,
	OpEnvironmentBuildsList:            serveEnvironmentBuildsList,
	OpEnvironmentBuildsGet:             serveEnvironmentBuildsGet,
	OpEnvironmentBuildsUpdate:          serveEnvironmentBuildsUpdate,
	OpEnvironmentBuildDependenciesList: serveEnvironmentBuildDependenciesList,
	// ops_instances.go
	OpInstanceTypesList:        serveInstanceTypesList,
	OpInstanceTypeGroupsList:   serveInstanceTypeGroupsList,
	OpInstanceTypeGroupsCreate: serveInstanceTypeGroupsCreate,
	OpInstanceTypeGroupsGet:    serveInstanceTypeGroupsGet,
	OpInstanceTypeGroupsUpdate: serveInstanceTypeGroupsUpdate,
	OpInstanceTypeGroupsDelete: serveInstanceTypeGroupsDelete,
	OpInstanceTypeGroupsUsage:  serveInstanceTypeGroupsUsage,
	OpInstancesList:            serveInstancesList,
	OpInstancesGet:             serveInstancesGet,
	OpInstanceEventsList:       serveInstanceEventsList,
	OpProjectInstancesList:     serveProjectInstancesList,
	OpProjectInstancesGet:      serveProjectInstancesGet,
	// ops_projects.go
	OpProjectsList:           serveProjectsList,
	OpProjectsCreate:         serveProjectsCreate,
	OpProjectsGet:            serveProjectsGet,
	OpProjectsUpdate:         serveProjectsUpdate,
	OpProjectsDelete:         serveProjectsDelete,
	OpProjectUsersList:       serveProjectUsersList,
	OpProjectUsersCreate:     serveProjectUsersCreate,
	OpProjectUsersGet:        serveProjectUsersGet,
	OpProjectUsersDelete:     serveProjectUsersDelete,
	OpProjectAuditEventsList: serveProjectAuditEventsList,
	OpQuotasList:             serveQuotasList,
	OpProjectsResourceUsage:  serveProjectsResourceUsage,
	OpProjectsUsageGet:       serveProjectsUsageGet,
	// ops_revisions.go
	OpRevisionsList:         serveRevisionsList,
	OpRevisionsGet:          serveRevisionsGet,
	OpRevisionsFileUpload:   serveRevisionsFileUpload,
	OpRevisionsFileDownload: serveRevisionsFileDownload,
	OpRevisionsRebuild:      serveRevisionsRebuild,
	OpBuildsGet:             serveBuildsGet,
	// ops_user.go
	OpUserGet:           serveUserGet,
	OpOrganizationsList: serveOrganizationsList,
	// ops_versions.go
	OpDeploymentVersionsList:   serveDeploymentVersionsList,
	OpDeploymentVersionsCreate: serveDeploymentVersionsCreate,
	OpDeploymentVersionsGet:    serveDeploymentVersionsGet,
	OpDeploymentVersionsUpdate: serveDeploymentVersionsUpdate,
	OpDeploymentVersionsDelete: serveDeploymentVersionsDelete,
}

// atDefaultVersion and atVersion make a handler of a request operation that serves both the
// deployment-level path (the default version) and the version-level one.
func atDefaultVersion(h func(*call, bool) answer) handlerFunc {
	return func(c *call) answer { return h(c, false) }
}

func atVersion(h func(*call, bool) answer) handlerFunc {
	return func(c *call) answer { return h(c, true) }
}
