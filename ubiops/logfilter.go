package ubiops

import (
	"strconv"
	"strings"
)

// LogFilter builds the query of the logs_list endpoint, a filter in the style of Grafana LogQL:
// one label filter per field set (| label = `value`), then the text filters. Every set field must
// match; the zero LogFilter selects every line. String escapes values, so any text is safe.
type LogFilter struct {
	DeploymentID, DeploymentName              string
	DeploymentVersionID, DeploymentVersion    string // the version name needs DeploymentName
	DeploymentVersionRevisionID               string
	DeploymentRequestID                       string
	EnvironmentName, EnvironmentBuildID       string
	InstanceID                                string
	ProcessID                                 *int
	PipelineID, PipelineName, PipelineVersion string
	PipelineObjectID, PipelineObjectName      string
	PipelineRequestID                         string
	WebhookName                               string
	System                                    *bool  // true: lines the system wrote; false: user code
	Level                                     string // "info" or "error"
	Contains                                  []string
	Excludes                                  []string
	Matches                                   string // an RE2 regular expression the line must match
	Raw                                       string // appended as given: the escape hatch
}

// String is the query: label filters in the order the API documents (deployment_version after
// deployment_name), then |= "text" per Contains, != "text" per Excludes, |~ "re" for Matches, then
// Raw. A value is written in back-quotes, or in double quotes with escapes when it contains a
// back-quote.
func (f LogFilter) String() string {
	var process, system string
	if f.ProcessID != nil {
		process = strconv.Itoa(*f.ProcessID)
	}
	if f.System != nil {
		system = strconv.FormatBool(*f.System)
	}
	labels := [...]struct{ name, value string }{
		{"deployment_id", f.DeploymentID}, {"deployment_name", f.DeploymentName},
		{"deployment_version_id", f.DeploymentVersionID}, {"deployment_version", f.DeploymentVersion},
		{"deployment_version_revision_id", f.DeploymentVersionRevisionID}, {"deployment_request_id", f.DeploymentRequestID},
		{"environment_name", f.EnvironmentName}, {"environment_build_id", f.EnvironmentBuildID},
		{"instance_id", f.InstanceID}, {"process_id", process},
		{"pipeline_id", f.PipelineID}, {"pipeline_name", f.PipelineName}, {"pipeline_version", f.PipelineVersion},
		{"pipeline_object_id", f.PipelineObjectID}, {"pipeline_object_name", f.PipelineObjectName},
		{"pipeline_request_id", f.PipelineRequestID}, {"webhook_name", f.WebhookName},
		{"system", system}, {"level", f.Level},
	}
	var b strings.Builder
	for _, l := range labels {
		if l.value != "" {
			b.WriteString("| " + l.name + " = " + logValue(l.value) + " ")
		}
	}
	for _, t := range f.Contains {
		b.WriteString("|= " + strconv.Quote(t) + " ")
	}
	for _, t := range f.Excludes {
		b.WriteString("!= " + strconv.Quote(t) + " ")
	}
	if f.Matches != "" {
		b.WriteString("|~ " + strconv.Quote(f.Matches) + " ")
	}
	b.WriteString(f.Raw)
	return strings.TrimSpace(b.String())
}

// logValue quotes a label value: back-quotes hold anything but a back-quote.
func logValue(v string) string {
	if !strings.Contains(v, "`") {
		return "`" + v + "`"
	}
	return strconv.Quote(v)
}
