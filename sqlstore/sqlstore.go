// Package sqlstore implements goalpost.GoalsStore, the management side of a
// store, once for both databases. The sqlite and postgres stores share
// their schema table for table and column for column (see viewsql), so the
// SQL of the management API is written here once, with "?" placeholders,
// and runs on either through a DB adapter that each store provides. What
// differs between the databases (placeholders, column types, row locks) is
// behind Dialect.
//
// Every write runs in one transaction that first locks its organization's
// row (see Store.write), so writes to one organization are serialized and
// the figures they derive (weights, rolled-up progress, an item's last
// check-in) are computed from what the transaction sees. Writes to
// different organizations do not wait for each other.
package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/viewsql"
)

// Querier runs statements: a transaction of either database.
type Querier interface {
	// Exec runs a statement and returns the rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Query runs a query. The caller closes the rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Rows are a query's result, as database/sql and pgx both provide them.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// DB is a store's database as this package uses it.
type DB interface {
	// ReadTx runs fn in a read-only transaction that sees one snapshot.
	ReadTx(ctx context.Context, fn func(q Querier) error) error
	// WriteTx runs fn in a read-write transaction and commits it when fn
	// returns nil.
	WriteTx(ctx context.Context, fn func(q Querier) error) error
	// ErrorOf turns a database error into a goalpost error where it is one
	// (a unique or foreign-key violation), else returns err unchanged.
	ErrorOf(err error) error
}

// Dialect is what this package needs to know about a database beyond
// viewsql's.
type Dialect struct {
	viewsql.Dialect
	// LockRow is appended to the SELECT that locks an organization's row:
	// "FOR NO KEY UPDATE" in PostgreSQL (it does not block the key-share
	// locks of inserts that refer to the organization), "" in SQLite,
	// whose write transactions are serialized by the database.
	LockRow string
	// Bool returns b as boolean columns store it.
	Bool func(b bool) any
	// LockItemIDs and LockCheckInIDs lock the assignment of new item and
	// check-in ids (the largest in the deployment plus one) until the
	// transaction ends, so that writers of different organizations never
	// pick the same id: transaction-level advisory locks in PostgreSQL, ""
	// in SQLite, whose writes are serialized anyway. A transaction that
	// takes both takes the item lock first.
	LockItemIDs, LockCheckInIDs string
}

// SQLite stores booleans as 0 and 1.
var SQLite = Dialect{Dialect: viewsql.SQLite, Bool: func(b bool) any {
	if b {
		return 1
	}
	return 0
}}

// PostgreSQL has boolean columns and row locks.
var PostgreSQL = Dialect{Dialect: viewsql.PostgreSQL, LockRow: "FOR NO KEY UPDATE", Bool: func(b bool) any { return b },
	LockItemIDs:    "SELECT pg_advisory_xact_lock(1735352684, 1)", // 1735352684 is "goal" in ASCII
	LockCheckInIDs: "SELECT pg_advisory_xact_lock(1735352684, 2)",
}

// Store implements goalpost.GoalsStore over a DB.
type Store struct {
	db DB
	d  Dialect
	// queries caches the statements rewritten to the dialect's placeholders.
	queries sync.Map // string → string
}

var _ goalpost.GoalsStore = (*Store)(nil)

// New returns a store over db, which speaks d.
func New(db DB, d Dialect) *Store { return &Store{db: db, d: d} }

// tx is one transaction with the dialect's placeholders applied.
type tx struct {
	s *Store
	q Querier
}

func (t tx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	return t.q.Exec(ctx, t.s.rebind(query), args...)
}

func (t tx) query(ctx context.Context, query string, args ...any) (Rows, error) {
	return t.q.Query(ctx, t.s.rebind(query), args...)
}

// queryRow runs a query expected to return at most one row and scans it;
// it reports false when there is none.
func (t tx) queryRow(ctx context.Context, query string, args []any, dest ...any) (bool, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	if err := rows.Scan(dest...); err != nil {
		return false, err
	}
	return true, rows.Err()
}

// rebind rewrites the "?" placeholders of query to the dialect's.
func (s *Store) rebind(query string) string {
	if q, ok := s.queries.Load(query); ok {
		return q.(string)
	}
	q := s.numbered(query)
	s.queries.Store(query, q)
	return q
}

// numbered returns query with its "?" placeholders numbered in the
// dialect's way.
func (s *Store) numbered(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString(s.d.Placeholder(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// read runs fn in a read-only snapshot.
func (s *Store) read(ctx context.Context, fn func(t tx) error) error {
	return s.db.ReadTx(ctx, func(q Querier) error { return fn(tx{s: s, q: q}) })
}

// write runs fn in a write transaction that holds the lock of orgID's row
// first; a missing organization fails with ENOTFOUND.
func (s *Store) write(ctx context.Context, orgID uuid.UUID, fn func(t tx) error) error {
	return s.writeTx(ctx, func(t tx) error {
		if err := t.lockOrg(ctx, orgID); err != nil {
			return err
		}
		return fn(t)
	})
}

// writeTx runs fn in a write transaction and turns database errors into
// goalpost errors where they are one.
func (s *Store) writeTx(ctx context.Context, fn func(t tx) error) error {
	err := s.db.WriteTx(ctx, func(q Querier) error { return fn(tx{s: s, q: q}) })
	if err == nil {
		return nil
	}
	var e *goalpost.Error
	if errors.As(err, &e) {
		return err
	}
	return s.db.ErrorOf(err)
}

// lockOrg locks the organization's row for the rest of the transaction.
func (t tx) lockOrg(ctx context.Context, orgID uuid.UUID) error {
	var v int64
	ok, err := t.queryRow(ctx, `SELECT version FROM organizations WHERE id = ? `+t.s.d.LockRow, []any{t.s.d.UUID(orgID)}, &v)
	if err != nil {
		return fmt.Errorf("lock organization: %w", err)
	}
	if !ok {
		return goalpost.ErrOrganizationNotFound
	}
	return nil
}

// Dialect helpers for nullable columns.

func (s *Store) nullUUID(u uuid.UUID) any {
	if u == uuid.Nil {
		return nil
	}
	return s.d.UUID(u)
}

func (s *Store) nullDate(d goalpost.Date) any {
	if d.IsZero() {
		return nil
	}
	return s.d.Date(d)
}

// checkVersion fails with EPRECONDITION when want is set and differs from
// the stored version.
func checkVersion(what string, stored, want int64) error {
	if want != 0 && stored != want {
		return &goalpost.Error{Code: goalpost.EPRECONDITION, Inner: "versionMismatch",
			Message: fmt.Sprintf("The %s has changed: it is at version %d, the request expected version %d.", what, stored, want)}
	}
	return nil
}

// notFound is the ENOTFOUND error of a missing record.
func notFound(what string, id any) error {
	return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "notFound",
		Message: fmt.Sprintf("The %s %v does not exist.", what, id)}
}

// after parses a page's key for the list ordered by GUID; "" is the start.
func afterUUID(p goalpost.Page) (uuid.UUID, error) {
	if p.After == "" {
		return uuid.Nil, nil
	}
	u, err := uuid.Parse(p.After)
	if err != nil {
		return uuid.Nil, &goalpost.Error{Code: goalpost.EINVALID, Target: "$skiptoken", Message: "The page token is not valid."}
	}
	return u, nil
}

// afterInt parses a page's key for the list ordered by a numeric id.
func afterInt(p goalpost.Page) (int64, error) {
	if p.After == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(p.After, 10, 64)
	if err != nil {
		return 0, &goalpost.Error{Code: goalpost.EINVALID, Target: "$skiptoken", Message: "The page token is not valid."}
	}
	return n, nil
}

// queryAll runs a query and scans every row with scan, which returns the
// record the row holds.
func queryAll[T any](ctx context.Context, t tx, scan func(Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scan)
}

// queryUncached runs a query whose text varies with its arguments (a list
// of ids): its "?" placeholders are numbered here, without rebind's cache,
// which is meant for the package's fixed statements.
func (t tx) queryUncached(ctx context.Context, query string, args ...any) (Rows, error) {
	return t.q.Query(ctx, t.s.numbered(query), args...)
}

// eachRow calls fn for every row of rows, stopping at the first error, and
// closes them.
func eachRow(rows Rows, fn func(Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// collectRows scans every row of rows with scan and closes them.
func collectRows[T any](rows Rows, scan func(Rows) (T, error)) ([]T, error) {
	var out []T
	err := eachRow(rows, func(r Rows) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanUUID scans a row of one GUID column.
func scanUUID(r Rows) (uuid.UUID, error) {
	var id uuid.UUID
	err := r.Scan(uuidCol{&id})
	return id, err
}

// anyID binds a numeric id: as it is.
func anyID(id int64) any { return id }

// marks returns n comma-separated "?" placeholders.
func marks(n int) string {
	if n <= 0 {
		return ""
	}
	return "?" + strings.Repeat(", ?", n-1)
}

// inArgs returns the arguments of an IN list of keys, each as bind gives
// it to the database.
func inArgs[K any](keys []K, bind func(K) any) []any {
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = bind(k)
	}
	return args
}
