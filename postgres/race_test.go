//go:build race

package postgres_test

// raceEnabled reports whether the race detector is on. It slows pgx's
// decoding of the rows, so the large tests shrink under it.
const raceEnabled = true
