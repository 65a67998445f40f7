// Command bench measures ubiops-go against baselines run in the same process and prints one line
// per figure. `make bench` runs it. Figures are ratios or per-item counts, not wall times, because
// these machines are noisy.
package main

import (
	"flag"
	"fmt"
	"os"
)

var benchmarks = map[string]func() (string, error){
	"iterate":  benchIterate,
	"upload":   benchUpload,
	"download": benchDownload,
}

var order = []string{"iterate", "upload", "download"}

func main() {
	flag.Parse()
	names := flag.Args()
	if len(names) == 0 {
		names = order
	}
	failed := false
	for _, name := range names {
		fn, ok := benchmarks[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "bench: unknown benchmark %q\n", name)
			os.Exit(2)
		}
		line, err := fn()
		if err != nil {
			fmt.Printf("%s: FAILED: %v\n", name, err)
			failed = true
			continue
		}
		fmt.Println(line)
	}
	if failed {
		os.Exit(1)
	}
}
