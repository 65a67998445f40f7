package ubiops_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ubiops/ubiops-go/ubiops"
)

func ExampleZipDir() {
	// A deployment directory: code, requirements, and things that should stay home.
	dir, err := os.MkdirTemp("", "deployment")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for name, content := range map[string]string{
		"deployment.py":            "class Deployment: ...",
		"requirements.txt":         "numpy",
		"libs/helpers.py":          "def helper(): ...",
		"debug.log":                "noise",
		"__pycache__/helpers.pyc":  "bytecode",
		".ubiops-ignore":           "*.log\n__pycache__/\n",
		"libs/__pycache__/x.pyc":   "bytecode",
		"notebooks/scratch.ipynb":  "{}",
		"notebooks/.ubiops-ignore": "not special here",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			log.Fatal(err)
		}
	}

	// Stream the package wherever it goes: a buffer here, an *os.File or the upload itself
	// (client.Revisions.Upload with RevisionUpload{File: reader}) elsewhere.
	var buf bytes.Buffer
	if err := ubiops.ZipDir(&buf, dir, nil); err != nil {
		log.Fatal(err)
	}

	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range zr.File {
		fmt.Println(f.Name)
	}
	// Output:
	// deployment_package/deployment.py
	// deployment_package/libs/helpers.py
	// deployment_package/notebooks/.ubiops-ignore
	// deployment_package/notebooks/scratch.ipynb
	// deployment_package/requirements.txt
}

func ExampleUnzip() {
	// A package as it might come from client.Revisions.Download.
	var pkg bytes.Buffer
	zw := zip.NewWriter(&pkg)
	for _, name := range []string{"deployment_package/deployment.py", "../../etc/cron.d/evil"} {
		w, err := zw.Create(name)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(w, "contents of %s", name)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}

	dest, err := os.MkdirTemp("", "downloaded")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dest)
	err = ubiops.Unzip(bytes.NewReader(pkg.Bytes()), int64(pkg.Len()), dest, nil)
	fmt.Println(err)
	entries, _ := os.ReadDir(dest)
	fmt.Println("extracted:", len(entries))
	// Output:
	// ubiops: package "../../etc/cron.d/evil": path has a .. component
	// extracted: 0
}
