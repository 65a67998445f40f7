package ubiops_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// A Nullable field has three states: left out (the zero value), null (Null) and a value
// (NullableValue). A project's credits are one: null means no limit.
func ExampleNullable() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	setCredits := func(limit float64) {
		var credits ubiops.Nullable[float64] // zero: the update leaves the credits alone
		switch {
		case limit > 0:
			credits = ubiops.NullableValue(limit)
		case limit == 0:
			credits = ubiops.Null[float64]() // no limit
		}
		project, err := client.Projects.Update(ctx, "demo", ubiops.ProjectUpdate{Credits: credits})
		if err != nil {
			log.Fatal(err)
		}
		// In answers a field that may be null is a pointer: nil for null.
		if project.Credits == nil {
			fmt.Println("credits: no limit")
		} else {
			fmt.Println("credits:", *project.Credits)
		}
	}
	setCredits(500)
	setCredits(-1) // leaves the limit as it was
	setCredits(0)
	// Output:
	// credits: 500
	// credits: 500
	// credits: no limit
}

// Date-time fields are ubiops.Time: a time.Time that also reads the other forms the API answers
// with. NewTime makes one for a request body.
func ExampleTime() {
	api, client := exampleProject()
	defer api.Close()
	start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	_ = api.SeedLogs("demo",
		ubiops.Logs{Date: ubiops.NewTime(start.Add(time.Minute)), Log: "loading model"},
		ubiops.Logs{Date: ubiops.NewTime(start.Add(2 * time.Minute)), Log: "model loaded"})

	// The log query of the reference pages starts at a date, a Time.
	lines, err := client.Logs.ListDeprecated(context.Background(), "demo", ubiops.LogsCreate{
		Date:      ubiops.Ptr(ubiops.NewTime(start)),
		DateRange: ubiops.Ptr(3600), // seconds forward from Date
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range lines {
		// Time's methods are time.Time's; line.Date.Time is the plain value.
		fmt.Println(line.Date.Format(time.Kitchen), line.Log, line.Date.Time.Sub(start))
	}
	// Output:
	// 9:01AM loading model 1m0s
	// 9:02AM model loaded 2m0s
}

// Identifiers are UUIDs. ParseUUID reads one kept as text, such as a request id from a database.
func ExampleParseUUID() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	created, err := client.Requests.BatchCreate(ctx, "demo", "echo", []any{"hello"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	stored := created[0].ID.String() // as a program would store it

	id, err := ubiops.ParseUUID(stored)
	if err != nil {
		log.Fatal(err)
	}
	// The batch helpers take ids as UUIDs, the single-request methods as strings.
	done, err := client.Requests.WaitAll(ctx, "demo", "echo", []ubiops.UUID{id})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(done[0].ID == id, done[0].Status)

	_, err = ubiops.ParseUUID("not-an-id")
	fmt.Println(err != nil)
	// Output:
	// true completed
	// true
}
