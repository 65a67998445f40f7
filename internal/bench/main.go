// Command bench measures ubiops-go against baselines run in the same process and prints one line
// per figure. `make bench` runs it. Figures are ratios or per-item counts, not wall times, because
// these machines are noisy.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

var benchmarks = map[string]func() (string, error){
	"iterate":     benchIterate,
	"upload":      benchUpload,
	"download":    benchDownload,
	"batch":       benchBatch,
	"overhead":    benchOverhead,
	"fake-upload": benchFakeUpload,
	"fake-list":   benchFakeList,
	"upload-fake": benchUploadFake,
	"fake-get":    benchFakeGet,
	"stream":      benchStream,
}

var order = []string{"overhead", "iterate", "upload", "download", "batch", "fake-upload", "fake-list", "fake-get", "upload-fake", "stream"}

func main() {
	if os.Getenv(fakeChildEnv) != "" {
		serveFakeChild() // the fake-upload benchmark's server process
		return
	}
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memprofile := flag.String("memprofile", "", "write an allocation profile (every allocation sampled) of the run to this file")
	flag.Parse()
	if *memprofile != "" {
		runtime.MemProfileRate = 1
		defer writeAllocs(*memprofile)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
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
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// writeAllocs writes the allocation profile to path (for -memprofile).
func writeAllocs(path string) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		_ = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
	}
}
