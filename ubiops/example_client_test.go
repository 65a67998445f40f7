package ubiops_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// A sign-in check, as the official CLI does it: is the service up, whose token is this, and which
// organizations can it create projects in.
func ExampleClient_User() {
	api := ubiopstest.New(ubiopstest.WithUser("ada@example.com", "Ada", "Lovelace"))
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()

	status, err := client.Status(ctx)
	if err != nil {
		log.Fatal(err) // a wrong host or token shows here, before any real work
	}
	user, err := client.User(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status.Status, user.Email, ubiops.Value(user.Name))

	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	orgs, err := client.Organizations(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, org := range orgs {
		fmt.Println("organization:", org.Name)
	}
	// Output:
	// ok ada@example.com Ada
	// organization: acme
}

// Raw and HTTPClient are escape hatches, for what the client's methods do not cover. Both share
// the client's transport and retries.
func ExampleClient_Raw() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	// The generated client answers with the raw *http.Response; it adds the token itself.
	resp, err := client.Raw().ServiceStatus(ctx)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println("raw:", resp.StatusCode)

	// HTTPClient sends any request, such as one to an endpoint newer than this library; it adds
	// neither the base URL nor the token.
	token := api.Token() // with a real account: your API token
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, client.BaseURL()+"/projects/demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+token)
	resp, err = client.HTTPClient().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println("http:", resp.StatusCode)
	// Output:
	// raw: 200
	// http: 200
}
