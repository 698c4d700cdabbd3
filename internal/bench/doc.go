// Package bench measures halolint's performance figures (docs/performance.md): the
// requests one collection spends against a fake HaloPSA server with real
// latency and the hosted rate limit, the evaluation of a large snapshot by
// the halolint binary against `opa eval` on the same policies and input,
// the peak memory of that run, and the start-up time of the binary.
//
// It asserts nothing about time: it prints figures beside their goals
// (cmd/halobench, `make bench`), and docs/performance.md records them.
package bench
