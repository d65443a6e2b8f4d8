package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/sqlite"
	"github.com/goalpost/goalpost/storetest"
)

// MustOpenStore opens a new store in a temporary directory and closes it
// when tb ends.
func MustOpenStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "goalpost.db"), sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) goalpost.Store { return MustOpenStore(t) })
}
