package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/postgres"
	"github.com/goalpost/goalpost/storetest"
)

// testMaxConns is each test store's pool: small, because the contract suite
// opens many stores at once on one server.
const testMaxConns = 4

// MustDatabaseURL returns GOALPOST_TEST_POSTGRES_URL. When it is unset the
// test is skipped, or fails when CI is set: CI must run the PostgreSQL tests.
func MustDatabaseURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("GOALPOST_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("GOALPOST_TEST_POSTGRES_URL is unset, and CI must run the PostgreSQL tests")
		}
		tb.Skip("GOALPOST_TEST_POSTGRES_URL is unset")
	}
	return url
}

// MustCreateSchema creates a schema of a unique name for tb and drops it,
// with everything in it, when tb ends. It returns the database URL and the
// schema's name.
func MustCreateSchema(tb testing.TB) (url, schema string) {
	tb.Helper()
	url = MustDatabaseURL(tb)
	b := make([]byte, 8)
	rand.Read(b)
	schema = "goalpost_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			tb.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			tb.Error(err)
		}
	})
	return url, schema
}

// MustOpenStore opens a store in a new schema of its own and closes it (and
// drops the schema) when tb ends.
func MustOpenStore(tb testing.TB) *postgres.Store {
	tb.Helper()
	url, schema := MustCreateSchema(tb)
	s, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema, MaxConns: testMaxConns})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() }) // registered after the drop: runs first
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) goalpost.Store { return MustOpenStore(t) })
}
