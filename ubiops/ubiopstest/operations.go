package ubiopstest

import "github.com/ubiops/ubiops-go/gen"

// The operation ids the fake serves (the spec's operationIds), for InjectFault, SetLatency, Count
// and Received, which panic on an id the fake does not serve. TestOperationConstants keeps this
// list equal to the spec's.
const (
	OpOrganizationsList                           = gen.OperationOrganizationsList                           // organizations_list
	OpProjectsList                                = gen.OperationProjectsList                                // projects_list
	OpProjectsCreate                              = gen.OperationProjectsCreate                              // projects_create
	OpProjectsDelete                              = gen.OperationProjectsDelete                              // projects_delete
	OpProjectsGet                                 = gen.OperationProjectsGet                                 // projects_get
	OpProjectsUpdate                              = gen.OperationProjectsUpdate                              // projects_update
	OpProjectAuditEventsList                      = gen.OperationProjectAuditEventsList                      // project_audit_events_list
	OpDeploymentsList                             = gen.OperationDeploymentsList                             // deployments_list
	OpDeploymentsCreate                           = gen.OperationDeploymentsCreate                           // deployments_create
	OpDeploymentsDelete                           = gen.OperationDeploymentsDelete                           // deployments_delete
	OpDeploymentsGet                              = gen.OperationDeploymentsGet                              // deployments_get
	OpDeploymentsUpdate                           = gen.OperationDeploymentsUpdate                           // deployments_update
	OpDeploymentAuditEventsList                   = gen.OperationDeploymentAuditEventsList                   // deployment_audit_events_list
	OpDeploymentEnvironmentVariablesCopy          = gen.OperationDeploymentEnvironmentVariablesCopy          // deployment_environment_variables_copy
	OpDeploymentEnvironmentVariablesList          = gen.OperationDeploymentEnvironmentVariablesList          // deployment_environment_variables_list
	OpDeploymentEnvironmentVariablesCreate        = gen.OperationDeploymentEnvironmentVariablesCreate        // deployment_environment_variables_create
	OpDeploymentEnvironmentVariablesDelete        = gen.OperationDeploymentEnvironmentVariablesDelete        // deployment_environment_variables_delete
	OpDeploymentEnvironmentVariablesGet           = gen.OperationDeploymentEnvironmentVariablesGet           // deployment_environment_variables_get
	OpDeploymentEnvironmentVariablesUpdate        = gen.OperationDeploymentEnvironmentVariablesUpdate        // deployment_environment_variables_update
	OpDeploymentRequestsList                      = gen.OperationDeploymentRequestsList                      // deployment_requests_list
	OpDeploymentRequestsCreate                    = gen.OperationDeploymentRequestsCreate                    // deployment_requests_create
	OpBatchDeploymentRequestsCreate               = gen.OperationBatchDeploymentRequestsCreate               // batch_deployment_requests_create
	OpDeploymentRequestsBatchCancel               = gen.OperationDeploymentRequestsBatchCancel               // deployment_requests_batch_cancel
	OpDeploymentRequestsBatchGet                  = gen.OperationDeploymentRequestsBatchGet                  // deployment_requests_batch_get
	OpDeploymentRequestsBatchDelete               = gen.OperationDeploymentRequestsBatchDelete               // deployment_requests_batch_delete
	OpDeploymentRequestsStream                    = gen.OperationDeploymentRequestsStream                    // deployment_requests_stream
	OpDeploymentRequestsDelete                    = gen.OperationDeploymentRequestsDelete                    // deployment_requests_delete
	OpDeploymentRequestsGet                       = gen.OperationDeploymentRequestsGet                       // deployment_requests_get
	OpDeploymentRequestsUpdate                    = gen.OperationDeploymentRequestsUpdate                    // deployment_requests_update
	OpDeploymentVersionsList                      = gen.OperationDeploymentVersionsList                      // deployment_versions_list
	OpDeploymentVersionsCreate                    = gen.OperationDeploymentVersionsCreate                    // deployment_versions_create
	OpDeploymentVersionsDelete                    = gen.OperationDeploymentVersionsDelete                    // deployment_versions_delete
	OpDeploymentVersionsGet                       = gen.OperationDeploymentVersionsGet                       // deployment_versions_get
	OpDeploymentVersionsUpdate                    = gen.OperationDeploymentVersionsUpdate                    // deployment_versions_update
	OpBuildsGet                                   = gen.OperationBuildsGet                                   // builds_get
	OpDeploymentVersionEnvironmentVariablesCopy   = gen.OperationDeploymentVersionEnvironmentVariablesCopy   // deployment_version_environment_variables_copy
	OpDeploymentVersionEnvironmentVariablesList   = gen.OperationDeploymentVersionEnvironmentVariablesList   // deployment_version_environment_variables_list
	OpDeploymentVersionEnvironmentVariablesCreate = gen.OperationDeploymentVersionEnvironmentVariablesCreate // deployment_version_environment_variables_create
	OpDeploymentVersionEnvironmentVariablesDelete = gen.OperationDeploymentVersionEnvironmentVariablesDelete // deployment_version_environment_variables_delete
	OpDeploymentVersionEnvironmentVariablesGet    = gen.OperationDeploymentVersionEnvironmentVariablesGet    // deployment_version_environment_variables_get
	OpDeploymentVersionEnvironmentVariablesUpdate = gen.OperationDeploymentVersionEnvironmentVariablesUpdate // deployment_version_environment_variables_update
	OpInstancesList                               = gen.OperationInstancesList                               // instances_list
	OpInstancesGet                                = gen.OperationInstancesGet                                // instances_get
	OpInstanceEventsList                          = gen.OperationInstanceEventsList                          // instance_events_list
	OpDeploymentVersionRequestsList               = gen.OperationDeploymentVersionRequestsList               // deployment_version_requests_list
	OpDeploymentVersionRequestsCreate             = gen.OperationDeploymentVersionRequestsCreate             // deployment_version_requests_create
	OpBatchDeploymentVersionRequestsCreate        = gen.OperationBatchDeploymentVersionRequestsCreate        // batch_deployment_version_requests_create
	OpDeploymentVersionRequestsBatchCancel        = gen.OperationDeploymentVersionRequestsBatchCancel        // deployment_version_requests_batch_cancel
	OpDeploymentVersionRequestsBatchGet           = gen.OperationDeploymentVersionRequestsBatchGet           // deployment_version_requests_batch_get
	OpDeploymentVersionRequestsBatchDelete        = gen.OperationDeploymentVersionRequestsBatchDelete        // deployment_version_requests_batch_delete
	OpDeploymentVersionRequestsStream             = gen.OperationDeploymentVersionRequestsStream             // deployment_version_requests_stream
	OpDeploymentVersionRequestsDelete             = gen.OperationDeploymentVersionRequestsDelete             // deployment_version_requests_delete
	OpDeploymentVersionRequestsGet                = gen.OperationDeploymentVersionRequestsGet                // deployment_version_requests_get
	OpDeploymentVersionRequestsUpdate             = gen.OperationDeploymentVersionRequestsUpdate             // deployment_version_requests_update
	OpRevisionsList                               = gen.OperationRevisionsList                               // revisions_list
	OpRevisionsFileUpload                         = gen.OperationRevisionsFileUpload                         // revisions_file_upload
	OpRevisionsGet                                = gen.OperationRevisionsGet                                // revisions_get
	OpRevisionsFileDownload                       = gen.OperationRevisionsFileDownload                       // revisions_file_download
	OpRevisionsRebuild                            = gen.OperationRevisionsRebuild                            // revisions_rebuild
	OpProjectEnvironmentVariablesList             = gen.OperationProjectEnvironmentVariablesList             // project_environment_variables_list
	OpProjectEnvironmentVariablesCreate           = gen.OperationProjectEnvironmentVariablesCreate           // project_environment_variables_create
	OpProjectEnvironmentVariablesDelete           = gen.OperationProjectEnvironmentVariablesDelete           // project_environment_variables_delete
	OpProjectEnvironmentVariablesGet              = gen.OperationProjectEnvironmentVariablesGet              // project_environment_variables_get
	OpProjectEnvironmentVariablesUpdate           = gen.OperationProjectEnvironmentVariablesUpdate           // project_environment_variables_update
	OpEnvironmentsList                            = gen.OperationEnvironmentsList                            // environments_list
	OpEnvironmentsCreate                          = gen.OperationEnvironmentsCreate                          // environments_create
	OpEnvironmentsDelete                          = gen.OperationEnvironmentsDelete                          // environments_delete
	OpEnvironmentsGet                             = gen.OperationEnvironmentsGet                             // environments_get
	OpEnvironmentsUpdate                          = gen.OperationEnvironmentsUpdate                          // environments_update
	OpEnvironmentRevisionsList                    = gen.OperationEnvironmentRevisionsList                    // environment_revisions_list
	OpEnvironmentRevisionsFileUpload              = gen.OperationEnvironmentRevisionsFileUpload              // environment_revisions_file_upload
	OpEnvironmentRevisionsGet                     = gen.OperationEnvironmentRevisionsGet                     // environment_revisions_get
	OpEnvironmentBuildsList                       = gen.OperationEnvironmentBuildsList                       // environment_builds_list
	OpEnvironmentBuildsGet                        = gen.OperationEnvironmentBuildsGet                        // environment_builds_get
	OpEnvironmentBuildsUpdate                     = gen.OperationEnvironmentBuildsUpdate                     // environment_builds_update
	OpEnvironmentBuildDependenciesList            = gen.OperationEnvironmentBuildDependenciesList            // environment_build_dependencies_list
	OpEnvironmentRevisionsFileDownload            = gen.OperationEnvironmentRevisionsFileDownload            // environment_revisions_file_download
	OpEnvironmentRevisionsRebuild                 = gen.OperationEnvironmentRevisionsRebuild                 // environment_revisions_rebuild
	OpEnvironmentsUsage                           = gen.OperationEnvironmentsUsage                           // environments_usage
	OpInstanceTypeGroupsList                      = gen.OperationInstanceTypeGroupsList                      // instance_type_groups_list
	OpInstanceTypeGroupsCreate                    = gen.OperationInstanceTypeGroupsCreate                    // instance_type_groups_create
	OpInstanceTypeGroupsDelete                    = gen.OperationInstanceTypeGroupsDelete                    // instance_type_groups_delete
	OpInstanceTypeGroupsGet                       = gen.OperationInstanceTypeGroupsGet                       // instance_type_groups_get
	OpInstanceTypeGroupsUpdate                    = gen.OperationInstanceTypeGroupsUpdate                    // instance_type_groups_update
	OpInstanceTypeGroupsUsage                     = gen.OperationInstanceTypeGroupsUsage                     // instance_type_groups_usage
	OpInstanceTypesList                           = gen.OperationInstanceTypesList                           // instance_types_list
	OpProjectInstancesList                        = gen.OperationProjectInstancesList                        // project_instances_list
	OpProjectInstancesGet                         = gen.OperationProjectInstancesGet                         // project_instances_get
	OpLogsList                                    = gen.OperationLogsList                                    // logs_list
	OpProjectsLogList                             = gen.OperationProjectsLogList                             // projects_log_list
	OpQuotasList                                  = gen.OperationQuotasList                                  // quotas_list
	OpProjectRequestsList                         = gen.OperationProjectRequestsList                         // project_requests_list
	OpProjectsResourceUsage                       = gen.OperationProjectsResourceUsage                       // projects_resource_usage
	OpProjectsUsageGet                            = gen.OperationProjectsUsageGet                            // projects_usage_get
	OpProjectUsersList                            = gen.OperationProjectUsersList                            // project_users_list
	OpProjectUsersCreate                          = gen.OperationProjectUsersCreate                          // project_users_create
	OpProjectUsersDelete                          = gen.OperationProjectUsersDelete                          // project_users_delete
	OpProjectUsersGet                             = gen.OperationProjectUsersGet                             // project_users_get
	OpServiceStatus                               = gen.OperationServiceStatus                               // service_status
	OpTemplateDeploymentsList                     = gen.OperationTemplateDeploymentsList                     // template_deployments_list
	OpUserGet                                     = gen.OperationUserGet                                     // user_get
)

// operationConstants lists the constants above, for TestOperationConstants.
var operationConstants = []string{
	OpOrganizationsList,
	OpProjectsList,
	OpProjectsCreate,
	OpProjectsDelete,
	OpProjectsGet,
	OpProjectsUpdate,
	OpProjectAuditEventsList,
	OpDeploymentsList,
	OpDeploymentsCreate,
	OpDeploymentsDelete,
	OpDeploymentsGet,
	OpDeploymentsUpdate,
	OpDeploymentAuditEventsList,
	OpDeploymentEnvironmentVariablesCopy,
	OpDeploymentEnvironmentVariablesList,
	OpDeploymentEnvironmentVariablesCreate,
	OpDeploymentEnvironmentVariablesDelete,
	OpDeploymentEnvironmentVariablesGet,
	OpDeploymentEnvironmentVariablesUpdate,
	OpDeploymentRequestsList,
	OpDeploymentRequestsCreate,
	OpBatchDeploymentRequestsCreate,
	OpDeploymentRequestsBatchCancel,
	OpDeploymentRequestsBatchGet,
	OpDeploymentRequestsBatchDelete,
	OpDeploymentRequestsStream,
	OpDeploymentRequestsDelete,
	OpDeploymentRequestsGet,
	OpDeploymentRequestsUpdate,
	OpDeploymentVersionsList,
	OpDeploymentVersionsCreate,
	OpDeploymentVersionsDelete,
	OpDeploymentVersionsGet,
	OpDeploymentVersionsUpdate,
	OpBuildsGet,
	OpDeploymentVersionEnvironmentVariablesCopy,
	OpDeploymentVersionEnvironmentVariablesList,
	OpDeploymentVersionEnvironmentVariablesCreate,
	OpDeploymentVersionEnvironmentVariablesDelete,
	OpDeploymentVersionEnvironmentVariablesGet,
	OpDeploymentVersionEnvironmentVariablesUpdate,
	OpInstancesList,
	OpInstancesGet,
	OpInstanceEventsList,
	OpDeploymentVersionRequestsList,
	OpDeploymentVersionRequestsCreate,
	OpBatchDeploymentVersionRequestsCreate,
	OpDeploymentVersionRequestsBatchCancel,
	OpDeploymentVersionRequestsBatchGet,
	OpDeploymentVersionRequestsBatchDelete,
	OpDeploymentVersionRequestsStream,
	OpDeploymentVersionRequestsDelete,
	OpDeploymentVersionRequestsGet,
	OpDeploymentVersionRequestsUpdate,
	OpRevisionsList,
	OpRevisionsFileUpload,
	OpRevisionsGet,
	OpRevisionsFileDownload,
	OpRevisionsRebuild,
	OpProjectEnvironmentVariablesList,
	OpProjectEnvironmentVariablesCreate,
	OpProjectEnvironmentVariablesDelete,
	OpProjectEnvironmentVariablesGet,
	OpProjectEnvironmentVariablesUpdate,
	OpEnvironmentsList,
	OpEnvironmentsCreate,
	OpEnvironmentsDelete,
	OpEnvironmentsGet,
	OpEnvironmentsUpdate,
	OpEnvironmentRevisionsList,
	OpEnvironmentRevisionsFileUpload,
	OpEnvironmentRevisionsGet,
	OpEnvironmentBuildsList,
	OpEnvironmentBuildsGet,
	OpEnvironmentBuildsUpdate,
	OpEnvironmentBuildDependenciesList,
	OpEnvironmentRevisionsFileDownload,
	OpEnvironmentRevisionsRebuild,
	OpEnvironmentsUsage,
	OpInstanceTypeGroupsList,
	OpInstanceTypeGroupsCreate,
	OpInstanceTypeGroupsDelete,
	OpInstanceTypeGroupsGet,
	OpInstanceTypeGroupsUpdate,
	OpInstanceTypeGroupsUsage,
	OpInstanceTypesList,
	OpProjectInstancesList,
	OpProjectInstancesGet,
	OpLogsList,
	OpProjectsLogList,
	OpQuotasList,
	OpProjectRequestsList,
	OpProjectsResourceUsage,
	OpProjectsUsageGet,
	OpProjectUsersList,
	OpProjectUsersCreate,
	OpProjectUsersDelete,
	OpProjectUsersGet,
	OpServiceStatus,
	OpTemplateDeploymentsList,
	OpUserGet,
}
