package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/goalpost/goalpost"
)

// ResolveExportRows makes s's exports resolve every row from the tables,
// ignoring the kept export rows and order, so that a test can compare the
// two.
func (s *Store) ResolveExportRows(resolve bool) { s.resolveRows = resolve }

// KeptExports returns how many exports read the kept export rows.
func (s *Store) KeptExports() int64 { return s.keptExports.Load() }

// OrderedExports returns how many exports read the kept export order.
func (s *Store) OrderedExports() int64 { return s.orderedExports.Load() }

// StaleExportRows returns how many items are marked for their export rows
// to be recomputed and organizations for their export order.
func (s *Store) StaleExportRows(ctx context.Context) (n int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM export_stale) + (SELECT count(*) FROM export_order_stale)`).Scan(&n)
	return n, err
}

// UnrenderExportRow makes item id's kept row look as a node of a version
// before migration 0005 leaves it: no rendering and no organization.
func (s *Store) UnrenderExportRow(ctx context.Context, id int64) error {
	_, err := s.pool.Exec(ctx, `UPDATE export_rows SET rendered = NULL, org_id = NULL WHERE item_id = $1`, id)
	return err
}

// WholeExport reports whether q, exported now without a refresh first,
// would read the kept order.
func (s *Store) WholeExport(ctx context.Context, q goalpost.ExportQuery) (bool, error) {
	_, sel, err := exportTree(q)
	if err != nil {
		return false, err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx)
	return wholeOrganization(ctx, tx, q, sel)
}
