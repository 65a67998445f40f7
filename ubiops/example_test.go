package ubiops_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/ubiops/ubiops-go/ubiops"
)

// exampleAPI stands in for the UbiOps API in these examples: a few project endpoints, in memory.
func exampleAPI() *httptest.Server {
	var mu sync.Mutex
	projects := map[string]ubiops.ProjectDetail{}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		name := strings.TrimPrefix(r.URL.Path, "/v2.1/projects/")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v2.1/projects":
			var in ubiops.ProjectCreate
			_ = json.NewDecoder(r.Body).Decode(&in)
			p := ubiops.ProjectDetail{Name: in.Name, OrganizationName: in.OrganizationName}
			projects[in.Name] = p
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(p)
		case r.Method == http.MethodGet && projects[name].Name != "":
			_ = json.NewEncoder(w).Encode(projects[name])
		case r.Method == http.MethodPatch && projects[name].Name != "":
			var in ubiops.ProjectUpdate
			_ = json.NewDecoder(r.Body).Decode(&in)
			p := projects[name]
			if in.AdvancedPermissions != nil {
				p.AdvancedPermissions = *in.AdvancedPermissions
			}
			projects[name] = p
			_ = json.NewEncoder(w).Encode(p)
		case r.Method == http.MethodDelete && projects[name].Name != "":
			delete(projects, name)
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":"Project not found"}`))
		}
	}))
}

func ExampleNewClient() {
	// With no options, NewClient reads UBIOPS_API_TOKEN and UBIOPS_API_HOST, like the official
	// UbiOps clients. Options override the environment.
	client, err := ubiops.NewClient(
		ubiops.WithToken("my-api-token"), // sent as "Token my-api-token"
		ubiops.WithBaseURL("api.ubiops.com"),
		ubiops.WithMaxRetries(5),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	// Output: https://api.ubiops.com/v2.1
}

func Example_projectLifecycle() {
	api := exampleAPI()
	defer api.Close()
	client, err := ubiops.NewClient(ubiops.WithBaseURL(api.URL), ubiops.WithToken("my-api-token"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	created, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "fraud-detection", OrganizationName: "acme"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Name, "in", created.OrganizationName)

	// Update sends only the fields that are set.
	updated, err := client.Projects.Update(ctx, "fraud-detection", ubiops.ProjectUpdate{AdvancedPermissions: ubiops.Ptr(true)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("advanced permissions:", updated.AdvancedPermissions)

	got, err := client.Projects.Get(ctx, "fraud-detection")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("got:", got.Name)

	if err := client.Projects.Delete(ctx, "fraud-detection"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted")
	// Output:
	// created: fraud-detection in acme
	// advanced permissions: true
	// got: fraud-detection
	// deleted
}

func Example_errorHandling() {
	api := exampleAPI()
	defer api.Close()
	client, err := ubiops.NewClient(ubiops.WithBaseURL(api.URL), ubiops.WithToken("my-api-token"))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Projects.Get(context.Background(), "no-such-project")
	// Sentinels classify the failure...
	if errors.Is(err, ubiops.ErrNotFound) {
		fmt.Println("not found")
	}
	// ...and *APIError carries the details.
	var apiErr *ubiops.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
	}
	fmt.Println(err)

	// Arguments that would address the wrong resource are refused before anything is sent.
	_, err = client.Projects.Get(context.Background(), "..")
	var invalid *ubiops.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("invalid:", invalid.Field)
	}
	// Output:
	// not found
	// 404 Project not found
	// ubiops: GET /v2.1/projects/no-such-project: 404 Not Found: Project not found
	// invalid: project_name
}
