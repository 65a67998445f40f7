package ubiopstest_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// In a test, NewServer starts the fake, stops it when the test ends, and fails the test if the fake
// itself went wrong (a defect of the fake is never mistaken for an answer of the API):
//
//	func TestScoring(t *testing.T) {
//		srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
//		client := srv.Client()
//		// ... run the code under test with client ...
//	}
//
// Outside a test, as in this example, New, Start and Close do the same, and InternalFailures is
// checked by hand.
func ExampleNewServer() {
	// Options are values: a test helper can take them and pass them on.
	opts := []ubiopstest.Option{
		ubiopstest.WithStrictResponses(),  // check every answer against the spec, too
		ubiopstest.WithBuildDuration(0),   // builds finish at once
		ubiopstest.WithRequestDuration(0), // and so do batch requests
	}
	srv := ubiopstest.New(opts...)
	srv.Start()
	defer srv.Close()

	client := srv.Client() // polls at test speed
	project, err := client.Projects.Create(context.Background(), ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", project.Name)
	fmt.Println("internal failures:", len(srv.InternalFailures()))
	// Output:
	// created demo
	// internal failures: 0
}

// Any UbiOps client can use a started fake: the API is under URL()+"/v2.1", and Token is the token
// it accepts (random unless WithToken sets it).
func ExampleServer_URL() {
	srv := ubiopstest.New(ubiopstest.WithToken("test-token"))
	srv.Start()
	defer srv.Close()

	// What Server.Client does, by hand: for options of your own, or to test your configuration
	// code. (For another program: UBIOPS_API_HOST=URL()+"/v2.1", UBIOPS_API_TOKEN=Token().)
	client, err := ubiops.NewClient(
		ubiops.WithBaseURL(srv.URL()+"/v2.1"), // plain http is allowed to a loopback address
		ubiops.WithToken(srv.Token()),
		ubiops.WithDefaults(ubiopstest.TestWaiting), // the waiters poll every 10 ms, not every second
	)
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections() // Close only closes those of the clients it made

	status, err := client.Status(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(status.Status)
	// Output: ok
}

// Handler serves the fake on a server of your own: here over TLS.
func ExampleServer_Handler() {
	srv := ubiopstest.New()
	defer srv.Close()
	ts := httptest.NewTLSServer(srv.Handler())
	defer ts.Close()

	// The test server's own client trusts its certificate.
	client, err := ubiops.NewClient(ubiops.WithBaseURL(ts.URL), ubiops.WithToken(srv.Token()), ubiops.WithHTTPClient(ts.Client()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()

	status, err := client.Status(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL()[:8], status.Status)
	// Output: https:// ok
}

// Listen serves the fake on an address of your choice, as cmd/ubiops-fake does for programs in
// other languages.
func ExampleServer_Listen() {
	srv := ubiopstest.New()
	defer srv.Close()
	httpSrv, ln, err := srv.Listen("127.0.0.1:0") // port 0: any free port
	if err != nil {
		log.Fatal(err)
	}
	defer httpSrv.Close()

	client, err := ubiops.NewClient(ubiops.WithBaseURL("http://"+ln.Addr().String()), ubiops.WithToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	projects, err := client.Projects.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("projects:", len(projects))
	// Output: projects: 0
}
