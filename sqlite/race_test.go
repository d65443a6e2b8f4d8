//go:build race

package sqlite_test

// raceEnabled reports whether the race detector is on. It slows the
// transpiled SQLite some thirty times, so the large tests shrink under it.
const raceEnabled = true
