package postgres

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/sqlstore"
)

// goalsDB is the store's database as package sqlstore, which implements
// the management API for both stores, uses it.
type goalsDB struct{ s *Store }

func (g goalsDB) ReadTx(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	tx, err := g.s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	return fn(pgxTx{tx})
}

func (g goalsDB) WriteTx(ctx context.Context, fn func(q sqlstore.Querier) error) error {
	return g.s.inTx(ctx, func(tx pgx.Tx) error { return fn(pgxTx{tx}) })
}

func (g goalsDB) ErrorOf(err error) error {
	switch {
	case isCode(err, uniqueViolation):
		return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: "alreadyExists", Message: "A record with that key exists already."}
	case isCode(err, foreignKeyViolation):
		return &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidReference", Message: "The request refers to a record that does not exist."}
	}
	return err
}

// pgxTx is a pgx transaction as a sqlstore.Querier.
type pgxTx struct{ tx pgx.Tx }

func (q pgxTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (q pgxTx) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

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
