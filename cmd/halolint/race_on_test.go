//go:build race

package main

// raceEnabled reports a -race build: the scripts skip what is too slow
// under it (see testdata/script/policy.txtar).
const raceEnabled = true
