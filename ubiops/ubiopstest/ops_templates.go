package ubiopstest

import (
	"archive/zip"
	"bytes"
	"time"

	"github.com/google/uuid"

	"github.com/ubiops/ubiops-go/ubiops"
)

// templateNamespace derives the template deployments' fixed ids from their names, so a template
// has the same id on every server.
var templateNamespace = uuid.MustParse("0d3b8f62-9a4e-4e0f-8c1d-6f2a7b5e3c19")

// templateCatalogue is the fixed list of template deployments (template_deployments_list); each
// carries a small deployment package that builds (deployment_package/deployment.py with a request
// method, and a requirements.txt), usable with revisions_file_upload's template_deployment_id.
func templateCatalogue(created time.Time) []template {
	type spec struct {
		name, description string
		inputType         ubiops.TemplateDeploymentListDetailsInputType
		outputType        ubiops.TemplateDeploymentListDetailsOutputType
		inputs, outputs   [][2]string // name, data_type
		code              string
		requirements      string
	}
	specs := []spec{
		{
			name: "hello-world", description: "Answers a greeting for the name it is given",
			inputType: "structured", outputType: "structured",
			inputs: [][2]string{{"name", "string"}}, outputs: [][2]string{{"greeting", "string"}},
			code: `class Deployment:
    def __init__(self, base_directory, context):
        print("Initialising the hello-world deployment")

    def request(self, data):
        return {"greeting": "Hello, " + str(data["name"]) + "!"}
`,
		},
		{
			name: "multiplication", description: "Multiplies a number by two",
			inputType: "structured", outputType: "structured",
			inputs: [][2]string{{"number", "double"}}, outputs: [][2]string{{"number_multiplied", "double"}},
			code: `class Deployment:
    def __init__(self, base_directory, context):
        pass

    def request(self, data):
        return {"number_multiplied": data["number"] * 2}
`,
		},
		{
			name: "text-length", description: "Counts the characters of a plain text input, one request or many at once",
			inputType: "plain", outputType: "plain",
			code: `class Deployment:
    def __init__(self, base_directory, context):
        pass

    def request(self, data):
        return str(len(data))

    def requests(self, data):
        return [str(len(item)) for item in data]
`,
			requirements: "numpy==1.26.4\n",
		},
	}
	out := make([]template, 0, len(specs))
	for _, s := range specs {
		inputs := make([]ubiops.TemplateDeploymentListDetailsInputField, 0, len(s.inputs))
		for _, f := range s.inputs {
			inputs = append(inputs, ubiops.TemplateDeploymentListDetailsInputField{Name: f[0], DataType: f[1]})
		}
		outputs := make([]ubiops.TemplateDeploymentListDetailsOutputField, 0, len(s.outputs))
		for _, f := range s.outputs {
			outputs = append(outputs, ubiops.TemplateDeploymentListDetailsOutputField{Name: f[0], DataType: f[1]})
		}
		labels := map[string]string{"template": "True"}
		versionLabels := map[string]string{"template": "True"}
		mode := ubiops.TemplateDeploymentListDetailsVersionRequestRetentionModeFull
		out = append(out, template{
			list: ubiops.TemplateDeploymentList{
				ID: uuid.NewSHA1(templateNamespace, []byte(s.name)),
				Details: ubiops.TemplateDeploymentListDetails{
					Name:         ubiops.Ptr(s.name),
					Description:  ubiops.Ptr(s.description),
					InputType:    ubiops.Ptr(s.inputType),
					OutputType:   ubiops.Ptr(s.outputType),
					InputFields:  &inputs,
					OutputFields: &outputs,
					Labels:       &labels,
					Version: &ubiops.TemplateDeploymentListDetailsVersion{
						Name:                 ubiops.Ptr("v1"),
						Environment:          ubiops.Ptr(defaultEnvironment),
						Description:          ubiops.Ptr(""),
						Labels:               &versionLabels,
						MaximumIdleTime:      ubiops.Ptr("300"),
						MaximumInstances:     ubiops.Ptr("1"),
						MinimumInstances:     ubiops.Ptr("0"),
						RequestRetentionMode: &mode,
						RequestRetentionTime: ubiops.Ptr(defaultRequestRetentionTime),
					},
				},
			},
			archive: templateArchive(created, s.code, s.requirements),
		})
	}
	return out
}

// templateArchive builds a template's deployment package in memory.
func templateArchive(modified time.Time, code, requirements string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := [][2]string{{"deployment_package/deployment.py", code}}
	if requirements != "" {
		files = append(files, [2]string{"deployment_package/requirements.txt", requirements})
	}
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: zip.Deflate, Modified: modified.UTC()})
		if err == nil {
			_, err = w.Write([]byte(f[1]))
		}
		if err != nil {
			panic("ubiopstest: building a template package: " + err.Error()) // writes to memory do not fail
		}
	}
	if err := zw.Close(); err != nil {
		panic("ubiopstest: building a template package: " + err.Error())
	}
	return buf.Bytes()
}
