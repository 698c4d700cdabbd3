package halo

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmarks below measure what the worst answers a server can send
// cost to decode: their peak heap (peak-heap-MiB, sampled every
// millisecond over the live heap at the start) beside the time. `make
// gobench` runs them; docs/halo-api.md ("What a hostile server cannot
// do") quotes the figures.

// peakHeap samples the live heap while f runs and returns its peak above
// the heap before f.
func peakHeap(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if h := read(); h > peak {
				peak = h
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	if h := read(); h > peak {
		peak = h
	}
	if peak < base {
		return 0
	}
	return peak - base
}

// worstAnswers are bodies at or past every limit, each at most the body
// cap (32 MiB).
func worstAnswers() map[string][]byte {
	fields := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"f%d":0`, i)
		}
		b.WriteString("}")
		return b.String()
	}
	repeat := func(item string, n int) []byte {
		return []byte("[" + strings.Repeat(item+",", n-1) + item + "]")
	}
	return map[string][]byte{
		// The report's case: 31 MiB of {} (31 KB gzipped).
		"empty objects, 31 MiB": repeat("{}", 31<<20/3),
		// Just under the object and value limits: the most maps.
		"objects of 9 fields, up to the object limit": repeat(fields(9), defaultDecodeLimits.MaxObjects-1),
		// Just under the value limit: the most values.
		"numbers, up to the value limit": repeat("0", defaultDecodeLimits.MaxValues-1),
		// Strings up to the body cap: the most bytes copied.
		"one 32 MiB string": []byte(`"` + strings.Repeat("x", 32<<20-2) + `"`),
		// Nesting past the depth limit.
		"nested 10M deep": []byte(strings.Repeat("[", 10<<20)),
	}
}

func BenchmarkDecodeWorstCase(b *testing.B) {
	for name, body := range worstAnswers() {
		b.Run(name, func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() { _, _, _ = decodeJSONWithin(body, defaultDecodeLimits) }))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(len(body))/(1<<20), "body-MiB")
		})
	}
}

// BenchmarkCollectWorstCase collects a tenant whose answers are the
// worst that are still kept: every list as long as a list may be (10,000
// objects of 40 fields), every detail answer the right object carrying an
// array up to the value limit, with as many requests in flight as the
// client allows, until the collection's budget of values stops it. The
// peak of a whole hostile collection.
func BenchmarkCollectWorstCase(b *testing.B) {
	fields := make([]string, 40)
	for i := range fields {
		fields[i] = fmt.Sprintf(`"f%d":%d`, i, i)
	}
	listOf := func(prefix string, quoted bool) string {
		items := make([]string, maxListObjects)
		for i := range items {
			id := fmt.Sprintf("%d", i+1)
			if quoted {
				id = fmt.Sprintf(`"%s-%d"`, prefix, i+1)
			}
			items[i] = `{"id":` + id + `,"name":"x",` + strings.Join(fields, ",") + `}`
		}
		return "[" + strings.Join(items, ",") + "]"
	}
	junk := strings.Repeat("0,", defaultDecodeLimits.MaxValues-20) + "0"
	detail := func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		if !strings.HasPrefix(id, "r-") && !strings.HasPrefix(id, "a-") {
			id = `"` + id + `"`
			id = strings.Trim(id, `"`)
		} else {
			id = `"` + id + `"`
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":%s,"claims":[],"scopes":[],"junk":[%s]}`, id, junk)
	}
	routes := map[string]http.HandlerFunc{
		"/api/Roles":       answerStatus(http.StatusOK, "application/json", listOf("r", true)),
		"/api/Agent":       answerStatus(http.StatusOK, "application/json", listOf("", false)),
		"/api/Application": answerStatus(http.StatusOK, "application/json", listOf("a", true)),
		"/api/Category":    answerStatus(http.StatusOK, "application/json", "[]"),
		"/api/Control":     answerStatus(http.StatusOK, "application/json", "{}"),
	}
	t := &testing.T{}
	ts := newTenantServer(t, routes)
	defer ts.Close()
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Count(r.URL.Path, "/") == 3 && r.Header.Get("Authorization") != "" {
			detail(w, r)
			return
		}
		ts.serve(w, r)
	})
	var peak uint64
	for b.Loop() {
		cfg := testConfig(ts, newFakeClock())
		cfg.MaxRequestsPerWindow = 1 << 20
		client := newTestClient(t, cfg)
		peak = max(peak, peakHeap(func() {
			if _, err := Collect(context.Background(), client, Plan{Full: true}, nil); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
