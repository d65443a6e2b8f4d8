// Package sqlite implements goalpost.Store on SQLite (modernc.org/sqlite, pure
// Go, WAL). River's SQLite driver runs on the same database, so that an export
// job's row and its queued work are written in one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/sqlstore"
)

// Store is goalpost.Store on one SQLite database file.
//
// It keeps two connection pools on the file: a write pool of exactly one
// connection, used for every write and by River (River's SQLite driver asks
// for one connection, and one connection makes the store the file's single
// writer, so writers queue in Go instead of spinning on SQLITE_BUSY), and a
// read pool of query-only connections for reads, so that a long export reads
// its WAL snapshot without holding up writes or polls.
type Store struct {
	// Store is the management API (goalpost.GoalsStore), whose SQL both
	// stores share.
	*sqlstore.Store

	// EnqueueExportFunc is called inside CreateExportJob's transaction after
	// the job row is inserted; if it fails the transaction rolls back. The
	// server wires River's InsertTx here (tx is the *sql.Tx of the write
	// pool). Nil enqueues nothing.
	EnqueueExportFunc func(ctx context.Context, tx *sql.Tx, job *goalpost.ExportJob) error

	write  *sql.DB
	read   *sql.DB
	logger *slog.Logger
	// stmts are the lookups every request makes, prepared once on the read
	// pool (database/sql prepares them on each connection as it is used).
	stmts readStmts

	// resolveRows makes exports resolve every row from the tables instead
	// of reading the kept export rows (tests compare the two), and
	// keptExports counts the exports that read the kept rows.
	resolveRows bool
	keptExports atomic.Int64
	// orderedExports counts the exports that read the kept order.
	orderedExports atomic.Int64
}

// readStmts are the prepared statements of the hot lookups: an export-job
// poll makes three (the caller by UPN, their membership, the job), and
// preparing each query anew costs about as much as running it.
type readStmts struct {
	job, userByUPN, userByID, membership *sql.Stmt
}

// prepare prepares the hot lookups on the read pool.
func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		st    **sql.Stmt
		query string
	}{
		{&s.stmts.job, `SELECT ` + jobColumns + ` FROM export_jobs WHERE id = ?`},
		{&s.stmts.userByUPN, `SELECT ` + userColumns + ` FROM users WHERE upn = ?`},
		{&s.stmts.userByID, `SELECT ` + userColumns + ` FROM users WHERE id = ?`},
		{&s.stmts.membership, `SELECT role, version FROM memberships WHERE org_id = ? AND user_id = ?`},
	} {
		st, err := s.read.PrepareContext(ctx, p.query)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		*p.st = st
	}
	return nil
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
	// ReadConns is the size of the read pool, the most reads (exports
	// included) that run at once. Default 4.
	ReadConns int
}

// busyTimeout is how long a connection waits for a lock held by another
// process before SQLITE_BUSY. Within one process the write pool's single
// connection already serializes writers.
const busyTimeout = 10 * time.Second

// Open opens the database at path, creating the file (and its directory) when
// missing, and applies goalpost's migrations and then River's.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = 4
	}
	write, err := openWritePool(path)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, write, opts.Logger); err != nil {
		write.Close()
		return nil, err
	}
	read, err := openPool(path, true)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(opts.ReadConns)
	read.SetMaxIdleConns(opts.ReadConns)
	read.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{write: write, read: read, logger: opts.Logger}
	s.Store = sqlstore.New(goalsDB{s}, sqlstore.SQLite)
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Migrate applies goalpost's and River's migrations to the database at path
// and closes it: `goalpost migrate`.
func Migrate(ctx context.Context, path string) error {
	write, err := openWritePool(path)
	if err != nil {
		return err
	}
	defer write.Close()
	return migrate(ctx, write, slog.New(slog.DiscardHandler))
}

// Close closes both pools.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.stmts.job, s.stmts.userByUPN, s.stmts.userByID, s.stmts.membership} {
		if st != nil {
			st.Close()
		}
	}
	return errors.Join(s.read.Close(), s.write.Close())
}

// DB returns the write pool, for River's riversqlite driver. Everything
// written through it is serialized with the store's own writes.
func (s *Store) DB() *sql.DB { return s.write }

// Ping checks that both pools reach the database and that goalpost's
// migrations are applied: /readyz.
func (s *Store) Ping(ctx context.Context) error {
	want := migrations[len(migrations)-1].Version
	for _, p := range []struct {
		name string
		db   *sql.DB
	}{{"write", s.write}, {"read", s.read}} {
		var got int
		if err := p.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM goalpost_migrations`).Scan(&got); err != nil {
			return fmt.Errorf("ping %s pool: %w", p.name, err)
		}
		if got < want {
			return fmt.Errorf("ping %s pool: schema version %d, want %d", p.name, got, want)
		}
	}
	return nil
}

// openWritePool opens the single-connection pool that does every write.
func openWritePool(path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	db, err := openPool(path, false)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// openPool opens a pool on path. Every connection gets WAL, the busy
// timeout, foreign keys and synchronous=NORMAL (durable in WAL mode up to
// the last checkpoint-free commit, and much faster than FULL). Write
// connections begin their transactions IMMEDIATE, so a transaction that
// will write takes the write lock at BEGIN and never fails to upgrade a read
// lock later; read connections are query-only.
func openPool(path string, readOnly bool) (*sql.DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open database: invalid path %q", path)
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		// An export's materialized selection and its tree walk's queue
		// are temporary b-trees: on file they live in the (bounded) page
		// cache instead of growing the process with the export.
		q.Add("_pragma", "temp_store(FILE)")
	} else {
		q.Set("_txlock", "immediate")
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// readTx begins a read transaction on the read pool: every query in it sees
// one snapshot of the database.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	return s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// writeTx runs fn in a transaction of the write pool and commits it when fn
// returns nil.
func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// sqliteCode returns the extended result code of err's SQLite error, or 0.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUniqueViolation(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// nullUUID returns u for a query, or NULL for uuid.Nil.
func nullUUID(u uuid.UUID) any {
	if u == uuid.Nil {
		return nil
	}
	return u.String()
}

// nullDate returns d as 'YYYY-MM-DD' for a query, or NULL for the zero Date.
func nullDate(d goalpost.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// millis returns t as unix milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis returns the UTC time of unix milliseconds.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// fromNullMillis returns the UTC time of unix milliseconds, or the zero time.
func fromNullMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMillis(ms.Int64)
}

// parseNullDate parses a nullable 'YYYY-MM-DD' column.
func parseNullDate(s sql.NullString) (goalpost.Date, error) {
	if !s.Valid || s.String == "" {
		return goalpost.Date{}, nil
	}
	return goalpost.ParseDate(s.String)
}

// parseNullUUID parses a nullable GUID column.
func parseNullUUID(s sql.NullString) (uuid.UUID, error) {
	if !s.Valid || s.String == "" {
		return uuid.Nil, nil
	}
	return uuid.Parse(s.String)
}
