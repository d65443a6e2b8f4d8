package sqlite

// ResolveExportRows makes s's exports resolve every row from the tables,
// ignoring the kept export rows, so that a test can compare the two.
func (s *Store) ResolveExportRows(resolve bool) { s.resolveRows = resolve }

// KeptExports returns how many exports read the kept export rows.
func (s *Store) KeptExports() int64 { return s.keptExports.Load() }
