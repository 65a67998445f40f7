package ubiops

import (
	"time"

	"github.com/google/uuid"
	"github.com/oapi-codegen/nullable"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/ubiops/ubiops-go/gen"
	"github.com/ubiops/ubiops-go/internal/apitime"
)

// Time is the type of every date-time field of the models: a time.Time (embedded, so its methods
// work and t.Time is the plain value) that also decodes the forms the API answers with besides RFC
// 3339: a date alone, a date-time without an offset (UTC) and a space instead of the "T".
type Time = apitime.Time

// NewTime returns t as a Time, for the date-time fields of request bodies.
func NewTime(t time.Time) Time { return apitime.New(t) }

// The API's types, re-exported from the generated layer so callers never import package gen. They are
// aliases: a value of ubiops.ProjectDetail is a gen.ProjectDetail. Names are the documented model names.

// Models (request bodies and answers): aliases of package gen's types, where each field is
// documented. For the fields of a model, run go doc on its gen name, as in
// `go doc github.com/ubiops/ubiops-go/gen.DeploymentCreate` (pkg.go.dev links the alias to it).
type (
	AdditionalData                           = gen.AdditionalData
	Status                                   = gen.Status
	AuditList                                = gen.AuditList
	LogList                                  = gen.LogList
	LogMetadata                              = gen.LogMetadata
	OrganizationList                         = gen.OrganizationList
	UserDetail                               = gen.UserDetail
	BuildList                                = gen.BuildList
	DeploymentCreate                         = gen.DeploymentCreate
	DeploymentCreateResponse                 = gen.DeploymentCreateResponse
	DeploymentDetail                         = gen.DeploymentDetail
	DeploymentInputField                     = gen.DeploymentInputField
	DeploymentInputFieldWidget               = gen.DeploymentInputFieldWidget
	DeploymentList                           = gen.DeploymentList
	DeploymentOutputField                    = gen.DeploymentOutputField
	DeploymentOutputFieldWidget              = gen.DeploymentOutputFieldWidget
	DeploymentRequestBatchCreateResponse     = gen.DeploymentRequestBatchCreateResponse
	DeploymentRequestBatchDetail             = gen.DeploymentRequestBatchDetail
	DeploymentRequestCreateResponse          = gen.DeploymentRequestCreateResponse
	DeploymentRequestData                    = gen.DeploymentRequestData
	DeploymentRequestList                    = gen.DeploymentRequestList
	DeploymentRequestSingleDetail            = gen.DeploymentRequestSingleDetail
	DeploymentRequestSingleDetailOrigin      = gen.DeploymentRequestSingleDetailOrigin
	DeploymentRequestUpdate                  = gen.DeploymentRequestUpdate
	DeploymentRequestUpdateResponse          = gen.DeploymentRequestUpdateResponse
	DeploymentUpdate                         = gen.DeploymentUpdate
	DeploymentVersionCreate                  = gen.DeploymentVersionCreate
	DeploymentVersionDetail                  = gen.DeploymentVersionDetail
	DeploymentVersionList                    = gen.DeploymentVersionList
	DeploymentVersionPort                    = gen.DeploymentVersionPort
	DeploymentVersionUpdate                  = gen.DeploymentVersionUpdate
	EnvironmentBuildDependency               = gen.EnvironmentBuildDependency
	EnvironmentBuildList                     = gen.EnvironmentBuildList
	EnvironmentBuildUpdate                   = gen.EnvironmentBuildUpdate
	EnvironmentCreate                        = gen.EnvironmentCreate
	EnvironmentDetail                        = gen.EnvironmentDetail
	EnvironmentList                          = gen.EnvironmentList
	EnvironmentRevisionCreate                = gen.EnvironmentRevisionCreate
	EnvironmentRevisionDetail                = gen.EnvironmentRevisionDetail
	EnvironmentUpdate                        = gen.EnvironmentUpdate
	EnvironmentUsage                         = gen.EnvironmentUsage
	EnvironmentVariableCopy                  = gen.EnvironmentVariableCopy
	EnvironmentVariableCreate                = gen.EnvironmentVariableCreate
	EnvironmentVariableList                  = gen.EnvironmentVariableList
	Error                                    = gen.Error
	InheritedEnvironmentVariableList         = gen.InheritedEnvironmentVariableList
	InstanceDetail                           = gen.InstanceDetail
	InstanceDetailInstanceType               = gen.InstanceDetailInstanceType
	InstanceDetailNode                       = gen.InstanceDetailNode
	InstanceDetailNodePool                   = gen.InstanceDetailNodePool
	InstanceDetailNodePoolCluster            = gen.InstanceDetailNodePoolCluster
	InstanceEvent                            = gen.InstanceEvent
	InstanceEventPaginated                   = gen.InstanceEventPaginated
	InstanceList                             = gen.InstanceList
	InstanceListPaginated                    = gen.InstanceListPaginated
	InstanceTypeGroupCreate                  = gen.InstanceTypeGroupCreate
	InstanceTypeGroupUpdate                  = gen.InstanceTypeGroupUpdate
	InstanceTypeGroupCreateInstanceType      = gen.InstanceTypeGroupCreateInstanceType
	InstanceTypeGroupList                    = gen.InstanceTypeGroupList
	InstanceTypeGroupListInstanceType        = gen.InstanceTypeGroupListInstanceType
	InstanceTypeGroupListPaginated           = gen.InstanceTypeGroupListPaginated
	InstanceTypeGroupUsage                   = gen.InstanceTypeGroupUsage
	InstanceTypeGroupUsagePaginated          = gen.InstanceTypeGroupUsagePaginated
	InstanceTypeList                         = gen.InstanceTypeList
	InstanceTypeListNodePool                 = gen.InstanceTypeListNodePool
	InstanceTypeListNodePoolCluster          = gen.InstanceTypeListNodePoolCluster
	InstanceTypeListPaginated                = gen.InstanceTypeListPaginated
	Logs                                     = gen.Logs
	LogsCreate                               = gen.LogsCreate
	LogsCreateFilters                        = gen.LogsCreateFilters
	ProjectCreate                            = gen.ProjectCreate
	ProjectDetail                            = gen.ProjectDetail
	ProjectInstanceList                      = gen.ProjectInstanceList
	ProjectInstanceListPaginated             = gen.ProjectInstanceListPaginated
	ProjectList                              = gen.ProjectList
	ProjectResourceUsage                     = gen.ProjectResourceUsage
	ProjectUpdate                            = gen.ProjectUpdate
	ProjectUsage                             = gen.ProjectUsage
	ProjectUsageDeployment                   = gen.ProjectUsageDeployment
	ProjectUsageMetric                       = gen.ProjectUsageMetric
	ProjectUserCreate                        = gen.ProjectUserCreate
	ProjectUserList                          = gen.ProjectUserList
	QuotaDetail                              = gen.QuotaDetail
	RequestsOverview                         = gen.RequestsOverview
	RevisionCreate                           = gen.RevisionCreate
	RevisionList                             = gen.RevisionList
	TemplateDeploymentList                   = gen.TemplateDeploymentList
	TemplateDeploymentListDetails            = gen.TemplateDeploymentListDetails
	TemplateDeploymentListDetailsInputField  = gen.TemplateDeploymentListDetailsInputField
	TemplateDeploymentListDetailsOutputField = gen.TemplateDeploymentListDetailsOutputField
	TemplateDeploymentListDetailsVersion     = gen.TemplateDeploymentListDetailsVersion
)

// Query parameters of list and other operations. A nil *XParams sends no parameters. Their fields
// are documented in package gen: `go doc github.com/ubiops/ubiops-go/gen.DeploymentRequestsListParams`.
type (
	BatchDeploymentRequestsCreateParams        = gen.BatchDeploymentRequestsCreateParams
	BatchDeploymentVersionRequestsCreateParams = gen.BatchDeploymentVersionRequestsCreateParams
	DeploymentAuditEventsListParams            = gen.DeploymentAuditEventsListParams
	DeploymentRequestsBatchCancelParams        = gen.DeploymentRequestsBatchCancelParams
	DeploymentRequestsCreateParams             = gen.DeploymentRequestsCreateParams
	LogsListParams                             = gen.LogsListParams
	DeploymentRequestsStreamParams             = gen.DeploymentRequestsStreamParams
	DeploymentRequestsGetParams                = gen.DeploymentRequestsGetParams
	DeploymentRequestsListParams               = gen.DeploymentRequestsListParams
	DeploymentVersionRequestsBatchCancelParams = gen.DeploymentVersionRequestsBatchCancelParams
	DeploymentVersionRequestsCreateParams      = gen.DeploymentVersionRequestsCreateParams
	DeploymentVersionRequestsStreamParams      = gen.DeploymentVersionRequestsStreamParams
	DeploymentVersionRequestsGetParams         = gen.DeploymentVersionRequestsGetParams
	DeploymentVersionRequestsListParams        = gen.DeploymentVersionRequestsListParams
	DeploymentVersionsListParams               = gen.DeploymentVersionsListParams
	DeploymentsListParams                      = gen.DeploymentsListParams
	EnvironmentsListParams                     = gen.EnvironmentsListParams
	EnvironmentsUsageParams                    = gen.EnvironmentsUsageParams
	InstanceEventsListParams                   = gen.InstanceEventsListParams
	InstanceTypeGroupsListParams               = gen.InstanceTypeGroupsListParams
	InstanceTypeGroupsUsageParams              = gen.InstanceTypeGroupsUsageParams
	InstanceTypesListParams                    = gen.InstanceTypesListParams
	InstancesListParams                        = gen.InstancesListParams
	ProjectAuditEventsListParams               = gen.ProjectAuditEventsListParams
	ProjectInstancesListParams                 = gen.ProjectInstancesListParams
	ProjectRequestsListParams                  = gen.ProjectRequestsListParams
	ProjectUsersListParams                     = gen.ProjectUsersListParams
	ProjectsListParams                         = gen.ProjectsListParams
	ProjectsUsageGetParams                     = gen.ProjectsUsageGetParams
)

// Enumerations (string types) of model fields and query parameters.
type (
	AuditListAction                                          = gen.AuditListAction
	BuildListStatus                                          = gen.BuildListStatus
	DeploymentAuditEventsListParamsAction                    = gen.DeploymentAuditEventsListParamsAction
	DeploymentCreateInputType                                = gen.DeploymentCreateInputType
	DeploymentCreateOutputType                               = gen.DeploymentCreateOutputType
	DeploymentCreateResponseInputType                        = gen.DeploymentCreateResponseInputType
	DeploymentCreateResponseOutputType                       = gen.DeploymentCreateResponseOutputType
	DeploymentDetailInputType                                = gen.DeploymentDetailInputType
	DeploymentDetailOutputType                               = gen.DeploymentDetailOutputType
	DeploymentInputFieldDataType                             = gen.DeploymentInputFieldDataType
	DeploymentInputFieldWidgetType                           = gen.DeploymentInputFieldWidgetType
	DeploymentListInputType                                  = gen.DeploymentListInputType
	DeploymentListOutputType                                 = gen.DeploymentListOutputType
	DeploymentOutputFieldDataType                            = gen.DeploymentOutputFieldDataType
	DeploymentOutputFieldWidgetType                          = gen.DeploymentOutputFieldWidgetType
	DeploymentRequestBatchCreateResponseStatus               = gen.DeploymentRequestBatchCreateResponseStatus
	DeploymentRequestBatchDetailStatus                       = gen.DeploymentRequestBatchDetailStatus
	DeploymentRequestCreateResponseStatus                    = gen.DeploymentRequestCreateResponseStatus
	DeploymentRequestListStatus                              = gen.DeploymentRequestListStatus
	DeploymentRequestSingleDetailStatus                      = gen.DeploymentRequestSingleDetailStatus
	DeploymentRequestUpdateResponseStatus                    = gen.DeploymentRequestUpdateResponseStatus
	DeploymentRequestUpdateStatus                            = gen.DeploymentRequestUpdateStatus
	DeploymentRequestsListParamsSort                         = gen.DeploymentRequestsListParamsSort
	DeploymentRequestsBatchCancelParamsStatus                = gen.DeploymentRequestsBatchCancelParamsStatus
	DeploymentRequestsListParamsStatus                       = gen.DeploymentRequestsListParamsStatus
	DeploymentVersionCreateRequestRetentionMode              = gen.DeploymentVersionCreateRequestRetentionMode
	DeploymentVersionDetailRequestRetentionMode              = gen.DeploymentVersionDetailRequestRetentionMode
	DeploymentVersionListRequestRetentionMode                = gen.DeploymentVersionListRequestRetentionMode
	DeploymentVersionRequestsListParamsSort                  = gen.DeploymentVersionRequestsListParamsSort
	DeploymentVersionRequestsBatchCancelParamsStatus         = gen.DeploymentVersionRequestsBatchCancelParamsStatus
	DeploymentVersionRequestsListParamsStatus                = gen.DeploymentVersionRequestsListParamsStatus
	DeploymentVersionUpdateRequestRetentionMode              = gen.DeploymentVersionUpdateRequestRetentionMode
	EnvironmentBuildListStatus                               = gen.EnvironmentBuildListStatus
	EnvironmentBuildUpdateStatus                             = gen.EnvironmentBuildUpdateStatus
	EnvironmentsListParamsEnvironmentType                    = gen.EnvironmentsListParamsEnvironmentType
	EnvironmentsUsageParamsEnvironmentType                   = gen.EnvironmentsUsageParamsEnvironmentType
	InstanceDetailStatus                                     = gen.InstanceDetailStatus
	InstanceListStatus                                       = gen.InstanceListStatus
	LogsCreateFiltersLevel                                   = gen.LogsCreateFiltersLevel
	LogsLevel                                                = gen.LogsLevel
	ProjectAuditEventsListParamsAction                       = gen.ProjectAuditEventsListParamsAction
	ProjectInstanceListStatus                                = gen.ProjectInstanceListStatus
	ProjectRequestsListParamsObjectType                      = gen.ProjectRequestsListParamsObjectType
	ProjectRequestsListParamsSort                            = gen.ProjectRequestsListParamsSort
	ProjectRequestsListParamsStatus                          = gen.ProjectRequestsListParamsStatus
	ProjectUsageInterval                                     = gen.ProjectUsageInterval
	ProjectsUsageGetParamsInterval                           = gen.ProjectsUsageGetParamsInterval
	RequestsOverviewStatus                                   = gen.RequestsOverviewStatus
	RevisionListStatus                                       = gen.RevisionListStatus
	TemplateDeploymentListDetailsInputType                   = gen.TemplateDeploymentListDetailsInputType
	TemplateDeploymentListDetailsOutputType                  = gen.TemplateDeploymentListDetailsOutputType
	TemplateDeploymentListDetailsVersionRequestRetentionMode = gen.TemplateDeploymentListDetailsVersionRequestRetentionMode
)

// Values of the enumerations.
const (
	AuditListActionCreate                                            = gen.AuditListActionCreate
	AuditListActionDelete                                            = gen.AuditListActionDelete
	AuditListActionInfo                                              = gen.AuditListActionInfo
	AuditListActionUpdate                                            = gen.AuditListActionUpdate
	BuildListStatusBuilding                                          = gen.BuildListStatusBuilding
	BuildListStatusFailed                                            = gen.BuildListStatusFailed
	BuildListStatusQueued                                            = gen.BuildListStatusQueued
	BuildListStatusSuccess                                           = gen.BuildListStatusSuccess
	BuildListStatusValidating                                        = gen.BuildListStatusValidating
	DeploymentAuditEventsListParamsActionCreate                      = gen.DeploymentAuditEventsListParamsActionCreate
	DeploymentAuditEventsListParamsActionDelete                      = gen.DeploymentAuditEventsListParamsActionDelete
	DeploymentAuditEventsListParamsActionInfo                        = gen.DeploymentAuditEventsListParamsActionInfo
	DeploymentAuditEventsListParamsActionUpdate                      = gen.DeploymentAuditEventsListParamsActionUpdate
	DeploymentCreateInputTypePlain                                   = gen.DeploymentCreateInputTypePlain
	DeploymentCreateInputTypeStructured                              = gen.DeploymentCreateInputTypeStructured
	DeploymentCreateOutputTypePlain                                  = gen.DeploymentCreateOutputTypePlain
	DeploymentCreateOutputTypeStructured                             = gen.DeploymentCreateOutputTypeStructured
	DeploymentCreateResponseInputTypePlain                           = gen.DeploymentCreateResponseInputTypePlain
	DeploymentCreateResponseInputTypeStructured                      = gen.DeploymentCreateResponseInputTypeStructured
	DeploymentCreateResponseOutputTypePlain                          = gen.DeploymentCreateResponseOutputTypePlain
	DeploymentCreateResponseOutputTypeStructured                     = gen.DeploymentCreateResponseOutputTypeStructured
	DeploymentDetailInputTypePlain                                   = gen.DeploymentDetailInputTypePlain
	DeploymentDetailInputTypeStructured                              = gen.DeploymentDetailInputTypeStructured
	DeploymentDetailOutputTypePlain                                  = gen.DeploymentDetailOutputTypePlain
	DeploymentDetailOutputTypeStructured                             = gen.DeploymentDetailOutputTypeStructured
	DeploymentInputFieldDataTypeArrayDouble                          = gen.DeploymentInputFieldDataTypeArrayDouble
	DeploymentInputFieldDataTypeArrayFile                            = gen.DeploymentInputFieldDataTypeArrayFile
	DeploymentInputFieldDataTypeArrayInt                             = gen.DeploymentInputFieldDataTypeArrayInt
	DeploymentInputFieldDataTypeArrayString                          = gen.DeploymentInputFieldDataTypeArrayString
	DeploymentInputFieldDataTypeBool                                 = gen.DeploymentInputFieldDataTypeBool
	DeploymentInputFieldDataTypeDict                                 = gen.DeploymentInputFieldDataTypeDict
	DeploymentInputFieldDataTypeDouble                               = gen.DeploymentInputFieldDataTypeDouble
	DeploymentInputFieldDataTypeFile                                 = gen.DeploymentInputFieldDataTypeFile
	DeploymentInputFieldDataTypeInt                                  = gen.DeploymentInputFieldDataTypeInt
	DeploymentInputFieldDataTypeString                               = gen.DeploymentInputFieldDataTypeString
	DeploymentInputFieldWidgetTypeButton                             = gen.DeploymentInputFieldWidgetTypeButton
	DeploymentInputFieldWidgetTypeDrawer                             = gen.DeploymentInputFieldWidgetTypeDrawer
	DeploymentInputFieldWidgetTypeDropdown                           = gen.DeploymentInputFieldWidgetTypeDropdown
	DeploymentInputFieldWidgetTypeImagePreview                       = gen.DeploymentInputFieldWidgetTypeImagePreview
	DeploymentInputFieldWidgetTypeNumberbox                          = gen.DeploymentInputFieldWidgetTypeNumberbox
	DeploymentInputFieldWidgetTypeSlider                             = gen.DeploymentInputFieldWidgetTypeSlider
	DeploymentInputFieldWidgetTypeSwitch                             = gen.DeploymentInputFieldWidgetTypeSwitch
	DeploymentInputFieldWidgetTypeTextbox                            = gen.DeploymentInputFieldWidgetTypeTextbox
	DeploymentListInputTypePlain                                     = gen.DeploymentListInputTypePlain
	DeploymentListInputTypeStructured                                = gen.DeploymentListInputTypeStructured
	DeploymentListOutputTypePlain                                    = gen.DeploymentListOutputTypePlain
	DeploymentListOutputTypeStructured                               = gen.DeploymentListOutputTypeStructured
	DeploymentOutputFieldDataTypeArrayDouble                         = gen.DeploymentOutputFieldDataTypeArrayDouble
	DeploymentOutputFieldDataTypeArrayFile                           = gen.DeploymentOutputFieldDataTypeArrayFile
	DeploymentOutputFieldDataTypeArrayInt                            = gen.DeploymentOutputFieldDataTypeArrayInt
	DeploymentOutputFieldDataTypeArrayString                         = gen.DeploymentOutputFieldDataTypeArrayString
	DeploymentOutputFieldDataTypeBool                                = gen.DeploymentOutputFieldDataTypeBool
	DeploymentOutputFieldDataTypeDict                                = gen.DeploymentOutputFieldDataTypeDict
	DeploymentOutputFieldDataTypeDouble                              = gen.DeploymentOutputFieldDataTypeDouble
	DeploymentOutputFieldDataTypeFile                                = gen.DeploymentOutputFieldDataTypeFile
	DeploymentOutputFieldDataTypeInt                                 = gen.DeploymentOutputFieldDataTypeInt
	DeploymentOutputFieldDataTypeString                              = gen.DeploymentOutputFieldDataTypeString
	DeploymentOutputFieldWidgetTypeButton                            = gen.DeploymentOutputFieldWidgetTypeButton
	DeploymentOutputFieldWidgetTypeImagePreview                      = gen.DeploymentOutputFieldWidgetTypeImagePreview
	DeploymentOutputFieldWidgetTypeTextbox                           = gen.DeploymentOutputFieldWidgetTypeTextbox
	DeploymentRequestBatchCreateResponseStatusCancelled              = gen.DeploymentRequestBatchCreateResponseStatusCancelled
	DeploymentRequestBatchCreateResponseStatusCancelledPending       = gen.DeploymentRequestBatchCreateResponseStatusCancelledPending
	DeploymentRequestBatchCreateResponseStatusCompleted              = gen.DeploymentRequestBatchCreateResponseStatusCompleted
	DeploymentRequestBatchCreateResponseStatusFailed                 = gen.DeploymentRequestBatchCreateResponseStatusFailed
	DeploymentRequestBatchCreateResponseStatusPending                = gen.DeploymentRequestBatchCreateResponseStatusPending
	DeploymentRequestBatchCreateResponseStatusProcessing             = gen.DeploymentRequestBatchCreateResponseStatusProcessing
	DeploymentRequestBatchDetailStatusCancelled                      = gen.DeploymentRequestBatchDetailStatusCancelled
	DeploymentRequestBatchDetailStatusCancelledPending               = gen.DeploymentRequestBatchDetailStatusCancelledPending
	DeploymentRequestBatchDetailStatusCompleted                      = gen.DeploymentRequestBatchDetailStatusCompleted
	DeploymentRequestBatchDetailStatusFailed                         = gen.DeploymentRequestBatchDetailStatusFailed
	DeploymentRequestBatchDetailStatusPending                        = gen.DeploymentRequestBatchDetailStatusPending
	DeploymentRequestBatchDetailStatusProcessing                     = gen.DeploymentRequestBatchDetailStatusProcessing
	DeploymentRequestCreateResponseStatusCompleted                   = gen.DeploymentRequestCreateResponseStatusCompleted
	DeploymentRequestCreateResponseStatusFailed                      = gen.DeploymentRequestCreateResponseStatusFailed
	DeploymentRequestListStatusCancelled                             = gen.DeploymentRequestListStatusCancelled
	DeploymentRequestListStatusCancelledPending                      = gen.DeploymentRequestListStatusCancelledPending
	DeploymentRequestListStatusCompleted                             = gen.DeploymentRequestListStatusCompleted
	DeploymentRequestListStatusFailed                                = gen.DeploymentRequestListStatusFailed
	DeploymentRequestListStatusPending                               = gen.DeploymentRequestListStatusPending
	DeploymentRequestListStatusProcessing                            = gen.DeploymentRequestListStatusProcessing
	DeploymentRequestSingleDetailStatusCancelled                     = gen.DeploymentRequestSingleDetailStatusCancelled
	DeploymentRequestSingleDetailStatusCancelledPending              = gen.DeploymentRequestSingleDetailStatusCancelledPending
	DeploymentRequestSingleDetailStatusCompleted                     = gen.DeploymentRequestSingleDetailStatusCompleted
	DeploymentRequestSingleDetailStatusFailed                        = gen.DeploymentRequestSingleDetailStatusFailed
	DeploymentRequestSingleDetailStatusPending                       = gen.DeploymentRequestSingleDetailStatusPending
	DeploymentRequestSingleDetailStatusProcessing                    = gen.DeploymentRequestSingleDetailStatusProcessing
	DeploymentRequestUpdateResponseStatusCancelled                   = gen.DeploymentRequestUpdateResponseStatusCancelled
	DeploymentRequestUpdateResponseStatusCancelledPending            = gen.DeploymentRequestUpdateResponseStatusCancelledPending
	DeploymentRequestUpdateResponseStatusCompleted                   = gen.DeploymentRequestUpdateResponseStatusCompleted
	DeploymentRequestUpdateResponseStatusFailed                      = gen.DeploymentRequestUpdateResponseStatusFailed
	DeploymentRequestUpdateResponseStatusPending                     = gen.DeploymentRequestUpdateResponseStatusPending
	DeploymentRequestUpdateResponseStatusProcessing                  = gen.DeploymentRequestUpdateResponseStatusProcessing
	DeploymentRequestUpdateStatusCancelled                           = gen.DeploymentRequestUpdateStatusCancelled
	DeploymentRequestsListParamsSortAsc                              = gen.DeploymentRequestsListParamsSortAsc
	DeploymentRequestsListParamsSortDesc                             = gen.DeploymentRequestsListParamsSortDesc
	DeploymentRequestsBatchCancelParamsStatusPending                 = gen.DeploymentRequestsBatchCancelParamsStatusPending
	DeploymentRequestsBatchCancelParamsStatusProcessing              = gen.DeploymentRequestsBatchCancelParamsStatusProcessing
	DeploymentRequestsListParamsStatusCancelled                      = gen.DeploymentRequestsListParamsStatusCancelled
	DeploymentRequestsListParamsStatusCancelledPending               = gen.DeploymentRequestsListParamsStatusCancelledPending
	DeploymentRequestsListParamsStatusCompleted                      = gen.DeploymentRequestsListParamsStatusCompleted
	DeploymentRequestsListParamsStatusFailed                         = gen.DeploymentRequestsListParamsStatusFailed
	DeploymentRequestsListParamsStatusPending                        = gen.DeploymentRequestsListParamsStatusPending
	DeploymentRequestsListParamsStatusProcessing                     = gen.DeploymentRequestsListParamsStatusProcessing
	DeploymentVersionCreateRequestRetentionModeFull                  = gen.DeploymentVersionCreateRequestRetentionModeFull
	DeploymentVersionCreateRequestRetentionModeMetadata              = gen.DeploymentVersionCreateRequestRetentionModeMetadata
	DeploymentVersionCreateRequestRetentionModeNone                  = gen.DeploymentVersionCreateRequestRetentionModeNone
	DeploymentVersionDetailRequestRetentionModeFull                  = gen.DeploymentVersionDetailRequestRetentionModeFull
	DeploymentVersionDetailRequestRetentionModeMetadata              = gen.DeploymentVersionDetailRequestRetentionModeMetadata
	DeploymentVersionDetailRequestRetentionModeNone                  = gen.DeploymentVersionDetailRequestRetentionModeNone
	DeploymentVersionListRequestRetentionModeFull                    = gen.DeploymentVersionListRequestRetentionModeFull
	DeploymentVersionListRequestRetentionModeMetadata                = gen.DeploymentVersionListRequestRetentionModeMetadata
	DeploymentVersionListRequestRetentionModeNone                    = gen.DeploymentVersionListRequestRetentionModeNone
	DeploymentVersionRequestsListParamsSortAsc                       = gen.DeploymentVersionRequestsListParamsSortAsc
	DeploymentVersionRequestsListParamsSortDesc                      = gen.DeploymentVersionRequestsListParamsSortDesc
	DeploymentVersionRequestsBatchCancelParamsStatusPending          = gen.DeploymentVersionRequestsBatchCancelParamsStatusPending
	DeploymentVersionRequestsBatchCancelParamsStatusProcessing       = gen.DeploymentVersionRequestsBatchCancelParamsStatusProcessing
	DeploymentVersionRequestsListParamsStatusCancelled               = gen.DeploymentVersionRequestsListParamsStatusCancelled
	DeploymentVersionRequestsListParamsStatusCancelledPending        = gen.DeploymentVersionRequestsListParamsStatusCancelledPending
	DeploymentVersionRequestsListParamsStatusCompleted               = gen.DeploymentVersionRequestsListParamsStatusCompleted
	DeploymentVersionRequestsListParamsStatusFailed                  = gen.DeploymentVersionRequestsListParamsStatusFailed
	DeploymentVersionRequestsListParamsStatusPending                 = gen.DeploymentVersionRequestsListParamsStatusPending
	DeploymentVersionRequestsListParamsStatusProcessing              = gen.DeploymentVersionRequestsListParamsStatusProcessing
	DeploymentVersionUpdateRequestRetentionModeFull                  = gen.DeploymentVersionUpdateRequestRetentionModeFull
	DeploymentVersionUpdateRequestRetentionModeMetadata              = gen.DeploymentVersionUpdateRequestRetentionModeMetadata
	DeploymentVersionUpdateRequestRetentionModeNone                  = gen.DeploymentVersionUpdateRequestRetentionModeNone
	EnvironmentBuildListStatusCancelled                              = gen.EnvironmentBuildListStatusCancelled
	EnvironmentBuildListStatusFailed                                 = gen.EnvironmentBuildListStatusFailed
	EnvironmentBuildListStatusProcessing                             = gen.EnvironmentBuildListStatusProcessing
	EnvironmentBuildListStatusQueued                                 = gen.EnvironmentBuildListStatusQueued
	EnvironmentBuildListStatusSuccess                                = gen.EnvironmentBuildListStatusSuccess
	EnvironmentBuildUpdateStatusCancelled                            = gen.EnvironmentBuildUpdateStatusCancelled
	EnvironmentsListParamsEnvironmentTypeAll                         = gen.EnvironmentsListParamsEnvironmentTypeAll
	EnvironmentsListParamsEnvironmentTypeBase                        = gen.EnvironmentsListParamsEnvironmentTypeBase
	EnvironmentsListParamsEnvironmentTypeCustom                      = gen.EnvironmentsListParamsEnvironmentTypeCustom
	EnvironmentsUsageParamsEnvironmentTypeAll                        = gen.EnvironmentsUsageParamsEnvironmentTypeAll
	EnvironmentsUsageParamsEnvironmentTypeBase                       = gen.EnvironmentsUsageParamsEnvironmentTypeBase
	EnvironmentsUsageParamsEnvironmentTypeCustom                     = gen.EnvironmentsUsageParamsEnvironmentTypeCustom
	InstanceDetailStatusInitialising                                 = gen.InstanceDetailStatusInitialising
	InstanceDetailStatusPending                                      = gen.InstanceDetailStatusPending
	InstanceDetailStatusRunning                                      = gen.InstanceDetailStatusRunning
	InstanceDetailStatusStopping                                     = gen.InstanceDetailStatusStopping
	InstanceListStatusInitialising                                   = gen.InstanceListStatusInitialising
	InstanceListStatusPending                                        = gen.InstanceListStatusPending
	InstanceListStatusRunning                                        = gen.InstanceListStatusRunning
	InstanceListStatusStopping                                       = gen.InstanceListStatusStopping
	LogsCreateFiltersLevelError                                      = gen.LogsCreateFiltersLevelError
	LogsCreateFiltersLevelInfo                                       = gen.LogsCreateFiltersLevelInfo
	LogsLevelError                                                   = gen.LogsLevelError
	LogsLevelInfo                                                    = gen.LogsLevelInfo
	ProjectAuditEventsListParamsActionCreate                         = gen.ProjectAuditEventsListParamsActionCreate
	ProjectAuditEventsListParamsActionDelete                         = gen.ProjectAuditEventsListParamsActionDelete
	ProjectAuditEventsListParamsActionInfo                           = gen.ProjectAuditEventsListParamsActionInfo
	ProjectAuditEventsListParamsActionUpdate                         = gen.ProjectAuditEventsListParamsActionUpdate
	ProjectInstanceListStatusInitialising                            = gen.ProjectInstanceListStatusInitialising
	ProjectInstanceListStatusPending                                 = gen.ProjectInstanceListStatusPending
	ProjectInstanceListStatusRunning                                 = gen.ProjectInstanceListStatusRunning
	ProjectInstanceListStatusStopping                                = gen.ProjectInstanceListStatusStopping
	ProjectRequestsListParamsObjectTypeDeployment                    = gen.ProjectRequestsListParamsObjectTypeDeployment
	ProjectRequestsListParamsObjectTypePipeline                      = gen.ProjectRequestsListParamsObjectTypePipeline
	ProjectRequestsListParamsSortAsc                                 = gen.ProjectRequestsListParamsSortAsc
	ProjectRequestsListParamsSortDesc                                = gen.ProjectRequestsListParamsSortDesc
	ProjectRequestsListParamsStatusCancelled                         = gen.ProjectRequestsListParamsStatusCancelled
	ProjectRequestsListParamsStatusCancelledPending                  = gen.ProjectRequestsListParamsStatusCancelledPending
	ProjectRequestsListParamsStatusCompleted                         = gen.ProjectRequestsListParamsStatusCompleted
	ProjectRequestsListParamsStatusFailed                            = gen.ProjectRequestsListParamsStatusFailed
	ProjectRequestsListParamsStatusPending                           = gen.ProjectRequestsListParamsStatusPending
	ProjectRequestsListParamsStatusProcessing                        = gen.ProjectRequestsListParamsStatusProcessing
	ProjectUsageIntervalDay                                          = gen.ProjectUsageIntervalDay
	ProjectUsageIntervalMonth                                        = gen.ProjectUsageIntervalMonth
	ProjectsUsageGetParamsIntervalDay                                = gen.ProjectsUsageGetParamsIntervalDay
	ProjectsUsageGetParamsIntervalMonth                              = gen.ProjectsUsageGetParamsIntervalMonth
	RequestsOverviewStatusCancelled                                  = gen.RequestsOverviewStatusCancelled
	RequestsOverviewStatusCancelledPending                           = gen.RequestsOverviewStatusCancelledPending
	RequestsOverviewStatusCompleted                                  = gen.RequestsOverviewStatusCompleted
	RequestsOverviewStatusFailed                                     = gen.RequestsOverviewStatusFailed
	RequestsOverviewStatusPending                                    = gen.RequestsOverviewStatusPending
	RequestsOverviewStatusProcessing                                 = gen.RequestsOverviewStatusProcessing
	RevisionListStatusBuilding                                       = gen.RevisionListStatusBuilding
	RevisionListStatusFailed                                         = gen.RevisionListStatusFailed
	RevisionListStatusQueued                                         = gen.RevisionListStatusQueued
	RevisionListStatusSuccess                                        = gen.RevisionListStatusSuccess
	TemplateDeploymentListDetailsInputTypePlain                      = gen.TemplateDeploymentListDetailsInputTypePlain
	TemplateDeploymentListDetailsInputTypeStructured                 = gen.TemplateDeploymentListDetailsInputTypeStructured
	TemplateDeploymentListDetailsOutputTypePlain                     = gen.TemplateDeploymentListDetailsOutputTypePlain
	TemplateDeploymentListDetailsOutputTypeStructured                = gen.TemplateDeploymentListDetailsOutputTypeStructured
	TemplateDeploymentListDetailsVersionRequestRetentionModeFull     = gen.TemplateDeploymentListDetailsVersionRequestRetentionModeFull
	TemplateDeploymentListDetailsVersionRequestRetentionModeMetadata = gen.TemplateDeploymentListDetailsVersionRequestRetentionModeMetadata
	TemplateDeploymentListDetailsVersionRequestRetentionModeNone     = gen.TemplateDeploymentListDetailsVersionRequestRetentionModeNone
)

// UUID is the type of the API's identifiers (a github.com/google/uuid UUID).
type UUID = openapi_types.UUID

// ParseUUID parses an identifier such as a request or revision id.
func ParseUUID(s string) (UUID, error) { return uuid.Parse(s) }

// Nullable is a request-body field that can be left out, set to null, or set to a value: the few
// create and update fields where null means something (a project's credits: null is no limit).
// Leave it zero to omit the field, use Null to send null and NullableValue to send a value.
// Answers never use it: an answer field that may be null is a pointer, nil when null or absent.
type Nullable[T any] = nullable.Nullable[T]

// Null returns a Nullable that sends an explicit JSON null.
func Null[T any]() Nullable[T] { return nullable.NewNullNullable[T]() }

// Value returns *p, or T's zero value when p is nil. It reads an answer field that may be null or
// absent (a pointer) when the zero value will do: ubiops.Value(rev.ErrorMessage).
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// NullableValue returns a Nullable that sends v.
func NullableValue[T any](v T) Nullable[T] { return nullable.NewNullableWithValue(v) }
