// Command ubiops-fake serves the ubiopstest fake UbiOps API over HTTP, so that any UbiOps client
// (the official Python client, the CLI, curl) can be tested without an account:
//
//	go run ./cmd/ubiops-fake -addr 127.0.0.1:8765 -token my-test-token
//	export UBIOPS_API_HOST=http://127.0.0.1:8765/v2.1 UBIOPS_API_TOKEN="Token my-test-token"
//
// The official CLI signs in with "ubiops signin --token --api http://127.0.0.1:8765/v2.1"; the fake
// answers its sign-in calls (GET /status, GET /user) and GET /organizations. State is in memory and
// lost when the command stops. It stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8765", "address to listen on (host:port)")
	token := flag.String("token", "ubiops-fake-token", "API token the server accepts (clients send \"Token <token>\")")
	latency := flag.Duration("latency", 0, "delay added to every answer")
	build := flag.Duration("build-duration", 2*time.Second, "time a revision or environment build takes")
	request := flag.Duration("request-duration", time.Second, "time a batch request takes")
	rate := flag.Int("rate-limit", 0, "requests per minute before answering 429 (0: no limit)")
	strict := flag.Bool("strict", false, "validate every answer against the spec (a violation becomes a 500)")
	userEmail := flag.String("user-email", "user@example.com", "email of the user the token belongs to (GET /user)")
	userName := flag.String("user-name", "Test", "first name of that user (empty: null)")
	userSurname := flag.String("user-surname", "User", "last name of that user (empty: null)")
	flag.Parse()

	opts := []ubiopstest.Option{
		ubiopstest.WithToken(*token), ubiopstest.WithLatency(*latency),
		ubiopstest.WithBuildDuration(*build), ubiopstest.WithRequestDuration(*request),
		ubiopstest.WithUser(*userEmail, *userName, *userSurname),
	}
	if *rate > 0 {
		opts = append(opts, ubiopstest.WithRateLimit(*rate, time.Minute))
	}
	if *strict {
		opts = append(opts, ubiopstest.WithStrictResponses())
	}
	srv := ubiopstest.New(opts...)
	hs, ln, err := srv.Listen(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ubiops-fake:", err)
		os.Exit(1)
	}
	// The token is not printed: it is whatever -token says (default documented in -help).
	fmt.Printf("ubiops-fake: serving the UbiOps API v2.1 at http://%s/v2.1\n", ln.Addr())
	fmt.Printf("ubiops-fake: export UBIOPS_API_HOST=http://%s/v2.1 and UBIOPS_API_TOKEN to the -token value\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(shutdown)
	srv.Close()
	fmt.Println("ubiops-fake: stopped")
}
