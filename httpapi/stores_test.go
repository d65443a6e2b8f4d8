package httpapi_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/jobs"
	"github.com/goalpost/goalpost/postgres"
	"github.com/goalpost/goalpost/sqlite"
)

// forEachStore runs fn on SQLite and, when GOALPOST_TEST_POSTGRES_URL is
// set (always under CI), on PostgreSQL: the HTTP surface must answer the
// same on both.
func forEachStore(t *testing.T, fn func(t *testing.T, store string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite") })
	t.Run("postgres", func(t *testing.T) {
		postgresURL(t)
		fn(t, "postgres")
	})
}

// postgresURL returns GOALPOST_TEST_POSTGRES_URL; without it the test is
// skipped, except under CI, where it must run.
func postgresURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("GOALPOST_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("GOALPOST_TEST_POSTGRES_URL is unset, and CI must run the PostgreSQL tests")
		}
		t.Skip("GOALPOST_TEST_POSTGRES_URL is unset")
	}
	return url
}

// testStore is a store with what the env needs of its database.
type testStore struct {
	goalpost.Store
	ping      func(context.Context) error
	exec      func(query string, args ...any) error
	newRunner func(jobs.Config) (testRunner, error)
}

type testRunner struct {
	Start     func(context.Context) error
	Stop      func(context.Context) error
	subscribe func(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// openStore opens an empty, migrated store of kind for t.
func openStore(t *testing.T, kind string) *testStore {
	t.Helper()
	ctx := context.Background()
	if kind == "postgres" {
		url := postgresURL(t)
		schema := "goalpost_httpapi_" + strings.ToLower(rand.Text()[:12])
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		conn.Close(ctx)
		s, err := postgres.Open(ctx, url, postgres.Options{Schema: schema, MaxConns: 8})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			s.Close()
			c, err := pgx.Connect(context.Background(), url)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close(context.Background())
			if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				t.Error(err)
			}
		})
		return &testStore{Store: s, ping: s.Ping,
			exec: func(q string, args ...any) error {
				_, err := s.Pool().Exec(ctx, dollarPlaceholders(q), args...)
				return err
			},
			newRunner: func(cfg jobs.Config) (testRunner, error) {
				r, err := jobs.New[pgx.Tx](riverpgxv5.New(s.Pool()), cfg)
				if err != nil {
					return testRunner{}, err
				}
				s.EnqueueExportFunc = r.EnqueueTx
				return testRunner{r.Start, r.Stop, r.Client().Subscribe}, nil
			}}
	}
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "goalpost.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &testStore{Store: s, ping: s.Ping,
		exec: func(q string, args ...any) error {
			_, err := s.DB().Exec(q, args...)
			return err
		},
		newRunner: func(cfg jobs.Config) (testRunner, error) {
			r, err := jobs.New[*sql.Tx](riversqlite.New(s.DB()), cfg)
			if err != nil {
				return testRunner{}, err
			}
			s.EnqueueExportFunc = r.EnqueueTx
			return testRunner{r.Start, r.Stop, r.Client().Subscribe}, nil
		}}
}

// dollarPlaceholders turns ? placeholders into PostgreSQL's $1, $2, ….
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
