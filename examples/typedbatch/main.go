// Command typedbatch deploys a directory of code, sends typed inputs as batch requests and reads
// typed results, in one short program written from the package documentation alone. It runs
// against the embedded fake UbiOps; with a real token, use ubiops.NewClient() instead.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

type Score struct {
	Amount float64 `json:"amount"`
}

func main() {
	ctx := context.Background()
	fake := ubiopstest.New()
	fake.Start()
	defer fake.Close()
	client := fake.Client()

	dir, _ := os.MkdirTemp("", "model")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "deployment.py"), []byte("class Deployment:\n    def request(self, data):\n        return data\n"), 0o644)
	_, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	if err == nil {
		_, err = client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "scorer", InputFields: &[]ubiops.DeploymentInputField{{Name: "amount", DataType: "double"}}, OutputFields: &[]ubiops.DeploymentOutputField{{Name: "amount", DataType: "double"}}})
	}
	if err == nil {
		_, err = client.Versions.Create(ctx, "demo", "scorer", ubiops.DeploymentVersionCreate{Version: "v1"})
	}
	if err == nil {
		_, err = client.Deploy(ctx, "demo", "scorer", "v1", dir)
	}
	if err != nil {
		log.Fatal(err)
	}
	inputs := []Score{{1.5}, {20}, {300}}
	outcomes, err := ubiops.RunBatch[Score, Score](ctx, client.Requests, "demo", "scorer", inputs)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range outcomes {
		fmt.Printf("input %v: %s, output %v\n", inputs[o.Index].Amount, o.State, o.Output.Amount)
	}
}
