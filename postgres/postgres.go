// Package postgres implements goalpost.Store on PostgreSQL with pgx. River's
// pgx driver runs on the same database (Store.Pool), so that an export job's
// row and its queued work are written in one transaction, and any number of
// goalpost processes on any machines can share one database.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/sqlstore"
)

// Store is goalpost.Store on a PostgreSQL database, through one pgx pool
// that River shares.
type Store struct {
	// Store is the management API (goalpost.GoalsStore), whose SQL both
	// stores share.
	*sqlstore.Store

	// EnqueueExportFunc is called inside CreateExportJob's transaction after
	// the job row is inserted; if it fails the transaction rolls back. The
	// server wires River's InsertTx here. Nil enqueues nothing.
	EnqueueExportFunc func(ctx context.Context, tx pgx.Tx, job *goalpost.ExportJob) error

	pool   *pgxpool.Pool
	logger *slog.Logger

	// resolveRows makes exports resolve every row from the tables instead
	// of reading the kept export rows (tests compare the two), and
	// keptExports counts the exports that read the kept rows.
	resolveRows bool
	keptExports atomic.Int64
	// orderedExports counts the exports that read the kept order.
	orderedExports atomic.Int64
}

var (
	_ goalpost.Store      = (*Store)(nil)
	_ goalpost.GoalsStore = (*Store)(nil)
)

// Options configure Open.
type Options struct {
	// Logger receives the store's and River's migration logs. Default: a
	// logger that discards everything.
	Logger *slog.Logger
	// MaxConns is the size of the pool, which River shares. The server
	// sizes it with PoolSize(workers): a connection for each export that
	// runs at once, four for API requests, and two for River's own
	// maintenance and notifier. Default: PoolSize(2), for the server's
	// default of two workers.
	MaxConns int32
	// Schema, when set, is the search_path of every connection, so that the
	// store's tables and River's live in that schema. It must exist. Tests
	// use it to give each test a schema of its own.
	Schema string
}

// PoolSize returns the pool size for a node that runs workers exports at
// once: one connection per worker (an export holds its connection while it
// streams), four for API requests (short queries and job inserts), and two for
// River (its leader's maintenance and its notifier's LISTEN).
func PoolSize(workers int) int32 { return int32(max(workers, 0)) + 4 + 2 }

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string), applies goalpost's migrations and then River's, and
// returns the store. Several processes may open one database at once; the
// migrations are applied once.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = PoolSize(2)
	}
	cfg, err := poolConfig(url, opts.Schema)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = opts.MaxConns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := migrate(ctx, pool, opts.Logger); err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool, logger: opts.Logger}
	s.Store = sqlstore.New(goalsDB{s}, sqlstore.PostgreSQL)
	return s, nil
}

// Migrate applies goalpost's and River's migrations to the database at url
// and disconnects: `goalpost migrate`. A search_path in url (for example
// ?search_path=goalpost) chooses the schema.
func Migrate(ctx context.Context, url string) error {
	cfg, err := poolConfig(url, "")
	if err != nil {
		return err
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer pool.Close()
	return migrate(ctx, pool, slog.New(slog.DiscardHandler))
}

// poolConfig parses url and sets the search_path of every connection to
// schema, when given.
func poolConfig(url, schema string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's error leaves out the password.
		return nil, fmt.Errorf("open database: %w", err)
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	}
	// Idle connections are closed after a while, so that a quiet node
	// does not hold its whole pool.
	cfg.MaxConnIdleTime = 5 * time.Minute
	return cfg, nil
}

// Pool returns the pool, for River's riverpgxv5 driver.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool, waiting for the connections in use to be released.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database is reachable and that goalpost's migrations
// are applied: /readyz.
func (s *Store) Ping(ctx context.Context) error {
	want := migrations[len(migrations)-1].Version
	var got int
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM goalpost_migrations`).Scan(&got); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if got < want {
		return fmt.Errorf("ping: schema version %d, want %d", got, want)
	}
	return nil
}

// inTx runs fn in a transaction and commits it when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// SQLSTATE codes the store tells apart.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// pgError returns err's PostgreSQL error, or nil.
func pgError(err error) *pgconn.PgError {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// isCode reports whether err is a PostgreSQL error with the SQLSTATE code.
func isCode(err error, code string) bool {
	e := pgError(err)
	return e != nil && e.Code == code
}

// notFound is the ENOTFOUND error of a finder.
func notFound(inner, msg string) error {
	return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: inner, Message: msg}
}

// ms returns t in UTC truncated to the millisecond: the precision SQLite
// keeps, so that a time reads back the same from either store.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// nullDate returns d as midnight UTC for a date column, or NULL for the zero
// Date.
func nullDate(d goalpost.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// dateOf returns the Date of a nullable date column, read as midnight UTC.
func dateOf(t *time.Time) goalpost.Date {
	if t == nil {
		return goalpost.Date{}
	}
	return goalpost.DateOf(*t) // pgx reads a date as midnight UTC
}

// timeOf returns a nullable timestamp in UTC, or the zero time.
func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
