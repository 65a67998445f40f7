// Command generate runs the pinned oapi-codegen on the live view of api/openapi.yaml (api.Load),
// so gen/ describes what the live API sends and accepts. It runs from gen/ (go generate), where
// config.yaml is; everything after the program name is passed to oapi-codegen.
package main

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/ubiops/ubiops-go/api"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	live, err := api.LiveJSON()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "ubiops-live-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(live); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cmd := exec.Command("go", append(append([]string{"run", "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"}, args...), f.Name())...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}
