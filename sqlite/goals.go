package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/sqlstore"
)

// goalsDB is the store's database as package sqlstore, which implements
// the management API for both stores, uses it: reads from the read pool,
// writes on the single writer connection.
type goalsDB struct{ s *Store }

func (g goalsDB) ReadTx(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	tx, err := g.s.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(sqlTx{tx})
}

func (g goalsDB) WriteTx(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	return g.s.writeTx(ctx, func(tx *sql.Tx) error { return fn(sqlTx{tx}) })
}

func (g goalsDB) ErrorOf(err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: "alreadyExists", Message: "A record with that key exists already."}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidReference", Message: "The request refers to a record that does not exist."}
	}
	return err
}

// sqlTx is a database/sql transaction as a sqlstore.Querier.
type sqlTx struct{ tx *sql.Tx }

func (q sqlTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("rows affected: %w", err)
	}
	return n, nil
}

func (q sqlTx) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// sqlRows are database/sql rows as sqlstore.Rows.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

// ImportOrganization is the management API's import (see
// sqlstore.Store.ImportOrganization), followed by computing the export rows
// it marked, so that the first export after a large import or restore finds
// its rows ready. The import is committed by then; a failure to refresh is
// only logged (the next export refreshes them too).
func (s *Store) ImportOrganization(ctx context.Context, orgID uuid.UUID, opts goalpost.ImportOptions, build func(existing *goalpost.Dataset) (*goalpost.Dataset, error)) (goalpost.ImportResult, error) {
	res, err := s.Store.ImportOrganization(ctx, orgID, opts, build)
	if err == nil {
		if _, err := s.RefreshExportRows(ctx); err != nil {
			s.logger.WarnContext(ctx, "refreshing export rows after an import", "err", err)
		}
	}
	return res, err
}
