package sqlite

import "context"

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
	err = s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM export_stale) + (SELECT count(*) FROM export_order_stale)`).Scan(&n)
	return n, err
}
