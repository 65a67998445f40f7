package main

// The program, run as a test: deploy, batch and typed results against the embedded fake.
func Example() {
	main()
	// Output:
	// input 1.5: completed, output 1.5
	// input 20: completed, output 20
	// input 300: completed, output 300
}
