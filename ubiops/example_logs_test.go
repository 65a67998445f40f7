package ubiops_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Follow reads the lines so far and then keeps polling for new ones, like tail -f, until the
// context ends or the loop breaks.
func ExampleLogsService_Follow() {
	api, client := exampleProject()
	defer api.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if _, err := client.Requests.Create(ctx, "demo", "echo", "first", nil); err != nil {
		log.Fatal(err)
	}

	lines := 0
	for line, err := range client.Logs.Follow(ctx, "demo", ubiops.LogQuery{
		Start:        start,
		Filter:       ubiops.LogFilter{DeploymentName: "echo", Contains: []string{"completed"}},
		PollInterval: 20 * time.Millisecond, // the default, 2 s, spares the API
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(line.Log)
		lines++
		if lines == 1 {
			// A line written while following comes through at the next poll.
			if _, err := client.Requests.Create(ctx, "demo", "echo", "second", nil); err != nil {
				log.Fatal(err)
			}
		}
		if lines == 2 {
			break
		}
	}
	// Output:
	// Request completed: "first"
	// Request completed: "second"
}
