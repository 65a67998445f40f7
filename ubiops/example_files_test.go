package ubiops_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// exampleCodeDir writes the code of a deployment that builds (deployment.py with a request method)
// to a new directory, for the examples below; with a real deployment, that is your code's
// directory. cleanup removes it.
func exampleCodeDir() (dir string, cleanup func()) {
	dir, err := os.MkdirTemp("", "deployment-")
	if err != nil {
		log.Fatal(err)
	}
	code := "class Deployment:\n    def __init__(self, base_directory, context):\n        pass\n\n    def request(self, data):\n        return data\n"
	if err := os.WriteFile(filepath.Join(dir, "deployment.py"), []byte(code), 0o644); err != nil {
		log.Fatal(err)
	}
	return dir, func() { os.RemoveAll(dir) }
}

// exampleRevision uploads exampleCodeDir as a revision of demo/echo/v1 and returns its id.
func exampleRevision(client *ubiops.Client) string {
	dir, cleanup := exampleCodeDir()
	defer cleanup()
	up, err := client.Revisions.Upload(context.Background(), "demo", "echo", "v1", ubiops.RevisionUpload{Dir: dir, FileName: "echo.zip"})
	if err != nil {
		log.Fatal(err)
	}
	return up.Revision.String()
}

// Download streams a revision's package to any writer; WithProgress follows the bytes.
func ExampleRevisionsService_Download() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	exampleRevision(client)

	revisions, err := client.Revisions.List(ctx, "demo", "echo", "v1")
	if err != nil {
		log.Fatal(err)
	}
	latest := revisions[len(revisions)-1]

	var pkg bytes.Buffer
	var done, total int64
	n, err := client.Revisions.Download(ctx, "demo", "echo", "v1", latest.ID.String(), &pkg,
		ubiops.WithProgress(func(d, t int64) { done, total = d, t })) // called often: keep it quick
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("complete:", n == int64(pkg.Len()), done == n, total == n)

	// Rebuild builds the same code again, for example after its environment changed.
	rebuilt, err := client.Revisions.Rebuild(ctx, "demo", "echo", "v1", latest.ID.String())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rebuilding:", rebuilt.ID == latest.ID)
	// Output:
	// complete: true true true
	// rebuilding: true
}

// Open hands over a download as a stream, with the file's name and size; Unzip extracts it within
// bounds.
func ExampleFileDownload() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	revision := exampleRevision(client)

	download, err := client.Revisions.Open(ctx, "demo", "echo", "v1", revision)
	if err != nil {
		log.Fatal(err)
	}
	defer download.Close()
	fmt.Println(download.Name, download.Size > 0)

	pkg, err := io.ReadAll(download) // Read fails if the body ends before Size bytes
	if err != nil {
		log.Fatal(err)
	}
	dest, err := os.MkdirTemp("", "revision-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dest)
	// A package from elsewhere is not trusted: cap what it may unpack to.
	limits := &ubiops.UnzipOptions{MaxFiles: 1000, MaxTotalSize: 100 << 20}
	if err := ubiops.Unzip(bytes.NewReader(pkg), int64(len(pkg)), dest, limits); err != nil {
		log.Fatal(err)
	}
	_, err = os.Stat(filepath.Join(dest, "deployment_package", "deployment.py"))
	fmt.Println("unpacked:", err == nil)
	// Output:
	// echo.zip true
	// unpacked: true
}

// DownloadFile saves a package atomically: the file is complete, or absent.
func ExampleRevisionsService_DownloadFile() {
	api, client := exampleProject()
	defer api.Close()
	revision := exampleRevision(client)
	dir, err := os.MkdirTemp("", "downloads-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Into a directory, the file takes the name the server gives it.
	path, err := client.Revisions.DownloadFile(context.Background(), "demo", "echo", "v1", revision, dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(path))
	// Output: echo.zip
}

// A download that cannot be saved is a *SaveError naming the step that failed; nothing is left
// behind.
func ExampleSaveError() {
	api, client := exampleProject()
	defer api.Close()
	revision := exampleRevision(client)
	dir, err := os.MkdirTemp("", "downloads-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	_, err = client.Revisions.DownloadFile(context.Background(), "demo", "echo", "v1", revision, filepath.Join(dir, "no-such-dir", "package.zip"))
	var saveErr *ubiops.SaveError
	if errors.As(err, &saveErr) {
		fmt.Println(saveErr.Op, errors.Is(err, fs.ErrNotExist))
	}
	// Output: create true
}

// A download answered with something other than a file (a proxy's login page, say) is a
// *ContentTypeError, before anything is read or written.
func ExampleContentTypeError() {
	api, client := exampleProject()
	defer api.Close()
	revision := exampleRevision(client)
	captivePortal := func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err == nil {
				resp.Header.Set("Content-Type", "text/html; charset=utf-8")
			}
			return resp, err
		})
	}
	behindPortal := api.Client(ubiops.WithMiddleware(captivePortal))

	var pkg bytes.Buffer
	_, err := behindPortal.Revisions.Download(context.Background(), "demo", "echo", "v1", revision, &pkg)
	var ctErr *ubiops.ContentTypeError
	if errors.As(err, &ctErr) {
		fmt.Println(ctErr.ContentType, errors.Is(err, ubiops.ErrUnexpectedContentType), pkg.Len())
	}
	// Output: text/html; charset=utf-8 true 0
}

// ZipDirFile writes a package to a file; start from DefaultZipOptions to change one setting.
func ExampleZipOptions() {
	dir, cleanup := exampleCodeDir()
	defer cleanup()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "train.csv"), []byte("a,b\n1,2\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	opts := ubiops.DefaultZipOptions()       // deployment_package/, .ubiops-ignore
	opts.Exclude = []string{"data"}          // the training data stays home
	out := filepath.Join(dir, "package.zip") // inside dir is fine: never packaged
	if err := ubiops.ZipDirFile(dir, out, opts); err != nil {
		log.Fatal(err)
	}

	dest, err := os.MkdirTemp("", "unpacked-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dest)
	f, err := os.Open(out)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		log.Fatal(err)
	}
	if err := ubiops.Unzip(f, info.Size(), dest, nil); err != nil {
		log.Fatal(err)
	}
	var names []string
	_ = filepath.WalkDir(dest, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dest, path)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	sort.Strings(names)
	fmt.Println(names)
	// Output: [deployment_package/deployment.py]
}

// What cannot be packaged safely is a *PackageError naming the file: here a link that points
// out of the directory.
func ExamplePackageError() {
	dir, cleanup := exampleCodeDir()
	defer cleanup()
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "passwords")); err != nil {
		log.Fatal(err)
	}

	err := ubiops.ZipDir(io.Discard, dir, nil)
	var pkgErr *ubiops.PackageError
	if errors.As(err, &pkgErr) {
		fmt.Println(filepath.Base(pkgErr.Path), "-", pkgErr.Reason)
	}
	// Output: passwords - symbolic link points outside the directory, to /etc/passwd
}

// An environment's archives download like a deployment's packages.
func ExampleEnvironmentRevisionsService_Download() {
	api := ubiopstest.New(ubiopstest.WithBuildDuration(0))
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{Name: "py311-nlp", BaseEnvironment: ubiops.Ptr("python3-11")}); err != nil {
		log.Fatal(err)
	}
	archive, err := os.MkdirTemp("", "environment-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(archive)
	if err := os.WriteFile(filepath.Join(archive, "requirements.txt"), []byte("numpy\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	created, err := client.EnvironmentRevisions.Upload(ctx, "demo", "py311-nlp", ubiops.EnvironmentRevisionUpload{Dir: archive})
	if err != nil {
		log.Fatal(err)
	}
	revision := created.Revision.String()

	var buf bytes.Buffer
	n, err := client.EnvironmentRevisions.Download(ctx, "demo", "py311-nlp", revision, &buf)
	if err != nil {
		log.Fatal(err)
	}
	download, err := client.EnvironmentRevisions.Open(ctx, "demo", "py311-nlp", revision)
	if err != nil {
		log.Fatal(err)
	}
	download.Close()
	fmt.Println(n == int64(buf.Len()), download.Size == n)

	path, err := client.EnvironmentRevisions.DownloadFile(ctx, "demo", "py311-nlp", revision, filepath.Join(archive, "saved.zip"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(path))

	// Rebuild makes a new build of the same files.
	build, err := client.EnvironmentRevisions.Rebuild(ctx, "demo", "py311-nlp", revision)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(build.Revision == created.Revision)
	// Output:
	// true true
	// saved.zip
	// true
}
