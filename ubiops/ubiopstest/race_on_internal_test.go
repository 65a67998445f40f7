//go:build race

package ubiopstest

// raceEnabled: the tests run under the race detector, which makes streaming a gigabyte slow.
const raceEnabled = true
