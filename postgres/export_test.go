package postgres

import "context"

// ResolveExportRows makes s's exports resolve every row from the tables,
// ignoring the kept export rows, so that a test can compare the two.
func (s *Store) ResolveExportRows(resolve bool) { s.resolveRows = resolve }

// KeptExports returns how many exports read the kept export rows.
func (s *Store) KeptExports() int64 { return s.keptExports.Load() }

// StaleExportRows returns how many items are marked for their export rows
// to be recomputed.
func (s *Store) StaleExportRows(ctx context.Context) (n int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM export_stale`).Scan(&n)
	return n, err
}
