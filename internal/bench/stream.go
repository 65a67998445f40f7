package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// streamBytes is how much a streaming request sends: 1 GiB of small chunks.
const (
	streamBytes     = 1 << 30
	streamChunkSize = 100 // bytes of payload per "data:" line
)

// benchStream reads a 1 GiB stream of small chunks through Requests.Stream from a local server and
// reports the peak live heap while reading, sampled with runtime/metrics every 64k chunks: memory
// must not grow with the stream's length.
func benchStream() (string, error) {
	payload := make([]byte, streamChunkSize)
	for i := range payload {
		payload[i] = 'a' + byte(i%26)
	}
	line := append(append([]byte("data:"), payload...), '\n', '\n')
	chunks := streamBytes / len(line)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		bw := bufio.NewWriterSize(w, 64<<10)
		for range chunks {
			if _, err := bw.Write(line); err != nil {
				return
			}
		}
		fmt.Fprintln(bw, `{"id":"85ae32a7-fe3a-4a55-be27-9db88ae68501","deployment":"d","version":"v","status":"completed","success":true,"result":"done","error_message":null,"timeout":3600}`)
		_ = bw.Flush()
	}))
	defer srv.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("bench"))
	if err != nil {
		return "", err
	}
	defer c.HTTPClient().CloseIdleConnections()

	runtime.GC()
	base := liveHeap()
	peak := base
	n, size := 0, 0
	start := time.Now()
	st := c.Requests.Stream(context.Background(), "p", "d", "go", nil)
	for chunk, err := range st.Chunks() {
		if err != nil {
			return "", err
		}
		n++
		size += len(chunk)
		if n%(64<<10) == 0 {
			peak = max(peak, liveHeap())
		}
	}
	elapsed := time.Since(start)
	if n != chunks || size != chunks*streamChunkSize || st.Response() == nil {
		return "", fmt.Errorf("read %d chunks (%d bytes), want %d", n, size, chunks)
	}
	mib := float64(streamBytes) / (1 << 20)
	return fmt.Sprintf("stream: %d chunks (%.0f MiB), peak heap %.1f MiB above the start, %.0f MiB/s",
		n, mib, float64(peak-base)/(1<<20), mib/elapsed.Seconds()), nil
}

// liveHeap is the heap in use by live and not yet swept objects, in bytes.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
