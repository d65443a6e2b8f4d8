package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
	"github.com/goalpost/goalpost/internal/rowpipe"
	"github.com/goalpost/goalpost/viewsql"
)

// exportTree returns the WITH clause that every export query starts with:
// the shared selection of viewsql (sel, the items of the view that the viewer
// may see, and exp, those and with IncludeChildren their visible direct
// children), and
//
//   - tree(id, depth, path): the exported items in the alignment tree
//     restricted to exp. Roots are the items of exp with no parent in exp;
//     an item hangs under its tree parent, its first parent (lowest
//     alignment position) in exp, so an item aligned to two exported
//     parents appears once, under the first. path is the fixed-width hex
//     ids from the root down, so ordering by path is depth-first with
//     siblings by id. With TopLevelOnly only the roots remain.
func exportTree(q goalpost.ExportQuery) (string, *viewsql.Selection, error) {
	sel, err := viewsql.Select(q, viewsql.SQLite)
	if err != nil {
		return "", nil, err
	}
	// The recursive select's ORDER BY makes its queue a priority queue
	// on path: SQLite extracts, and so emits, the smallest path first,
	// which is depth-first order, and holds only the frontier of the walk
	// at a time. The rows query relies on this order instead of sorting
	// whole rows. TopLevelOnly stops the walk at the roots.
	//
	// The unary + on the columns tested against exp keeps SQLite from
	// driving an index seek with every id of exp (quadratic); instead it
	// seeks by the other column and probes exp's ephemeral index.
	maxDepth := viewsql.MaxDepth
	if q.View.TopLevelOnly {
		maxDepth = 0
	}
	return fmt.Sprintf(`WITH RECURSIVE
%s,
tree(id, depth, path) AS (
	SELECT e.id, 0, printf('%%016x', e.id) FROM exp e
	WHERE NOT EXISTS (SELECT 1 FROM alignments a WHERE a.child_id = e.id AND +a.parent_id IN (SELECT id FROM exp))
	UNION ALL
	SELECT a.child_id, t.depth + 1, t.path || printf('%%016x', a.child_id)
	FROM tree t JOIN alignments a ON a.parent_id = t.id
	WHERE t.depth < %d
		AND +a.child_id IN (SELECT id FROM exp)
		AND a.parent_id = (
			SELECT f.parent_id FROM alignments f
			WHERE f.child_id = a.child_id AND +f.parent_id IN (SELECT id FROM exp)
			ORDER BY f.position, f.parent_id LIMIT 1)
	ORDER BY 3
)
`, sel.CTEs, maxDepth), sel, nil
}

// exportHeaderSQL computes the header of the export of tree (exp, see
// viewsql.HeaderSQL): the most
// check-ins of any exported item and the exported items' tags, sorted.
const exportHeaderSQL = `SELECT
	(SELECT coalesce(max(n), 0) FROM (
		SELECT count(*) AS n FROM checkins c WHERE c.item_id IN (SELECT id FROM tree) GROUP BY c.item_id)),
	(SELECT json_group_array(tag ORDER BY tag) FROM (
		SELECT DISTINCT g.tag FROM item_tags g WHERE g.item_id IN (SELECT id FROM tree)))`

// The lists of the item whose id is the SQL expression id, each a JSON
// array: names and tags as strings, parents and check-ins as objects whose
// keys are the fields of goalpost.AlignedParent and the keys that
// viewsql.DecodeCheckIns reads.
//
// Each list aggregates an ordered subquery that an index delivers in order
// (the *_position indexes, alignments_child_position, checkins_item_newest),
// so no row needs a sort. SQLite keeps a FROM-subquery's ORDER BY when the
// outer query aggregates with anything but count, min or max; the contract
// suite checks every list's order.
func teamsSQL(id string) string {
	return `(SELECT json_group_array(name) FROM (SELECT tm.name FROM item_teams it JOIN teams tm ON tm.id = it.team_id
		WHERE it.item_id = ` + id + ` ORDER BY it.position))`
}

func ownersSQL(id string) string {
	return `(SELECT json_group_array(display_name) FROM (SELECT u.display_name FROM item_owners o JOIN users u ON u.id = o.user_id
		WHERE o.item_id = ` + id + ` ORDER BY o.position))`
}

// parentsSQL lists the parents for which visibleP (a condition on the
// parent aliased p) holds; "1" for every parent.
func parentsSQL(id, visibleP string) string {
	return `(SELECT json_group_array(json_object('ID', id, 'Title', title, 'Weight', weight)) FROM (
		SELECT p.id, p.title, a.weight FROM alignments a JOIN items p ON p.id = a.parent_id
		WHERE a.child_id = ` + id + ` AND ` + visibleP + ` ORDER BY a.position))`
}

func tagsSQL(id string) string {
	return `(SELECT json_group_array(tag) FROM (SELECT g.tag FROM item_tags g WHERE g.item_id = ` + id + ` ORDER BY g.position))`
}

func checkInsSQL(id string) string {
	return `(SELECT json_group_array(json_object('d', checkin_date, 'u', user, 'n', note, 's', status, 'v', value, 'a', activity_at)) FROM (
		SELECT c.checkin_date, coalesce(cu2.display_name, '') AS user, c.note, c.status, c.value, c.activity_at
		FROM checkins c LEFT JOIN users cu2 ON cu2.id = c.user_id
		WHERE c.item_id = ` + id + ` ORDER BY c.checkin_date DESC, c.activity_at DESC, c.id DESC))`
}

// resolvedRowsSQL returns the rows of the export of tree, in the order the
// tree walk emits them (path order), with every list of a row resolved from
// the tables. visibleP is the visibility condition of the parent aliased p.
func resolvedRowsSQL(visibleP string) string {
	return `SELECT t.path, t.depth, i.id, i.kind, i.title, i.description,
	` + teamsSQL("i.id") + `,
	coalesce(cu.display_name, ''),
	` + ownersSQL("i.id") + `,
	coalesce(tp.name, ''), i.start_date, i.end_date,
	` + parentsSQL("i.id", visibleP) + `,
	i.metric_name, i.metric_unit, i.metric_start, i.metric_target, i.metric_direction,
	i.goal_type, i.created_at, i.last_checkin_date, i.progress, i.current_value, i.status, i.last_checkin_note, i.score,
	` + tagsSQL("i.id") + `,
	` + checkInsSQL("i.id") + `
FROM tree t
CROSS JOIN items i ON i.id = t.id
LEFT JOIN users cu ON cu.id = i.creator_id
LEFT JOIN time_periods tp ON tp.id = i.period_id`
}

// keptRowsSQL returns the same rows as resolvedRowsSQL from the kept export
// rows (see migration 0004): one lookup per row. A row with a restricted
// parent lists its parents as the viewer may see them, unless the viewer
// sees everything (admin, a scalar subquery SQLite runs once).
func keptRowsSQL(visibleP, admin string) string {
	return `SELECT t.path, t.depth, r.item_id, r.kind, r.title, r.description, r.teams, r.creator, r.owners,
	r.period, r.start_date, r.end_date,
	CASE WHEN r.restricted_parent = 0 OR ` + admin + ` THEN r.parents ELSE ` + parentsSQL("r.item_id", visibleP) + ` END,
	r.metric_name, r.metric_unit, r.metric_start, r.metric_target, r.metric_direction,
	r.goal_type, r.created_at, r.last_checkin_date, r.progress, r.current_value, r.status, r.last_checkin_note, r.score,
	r.tags, r.checkins
FROM tree t
CROSS JOIN export_rows r ON r.item_id = t.id`
}

// keptHeaderSQL is exportHeaderSQL with the check-in counts kept.
const keptHeaderSQL = `SELECT
	(SELECT coalesce(max(r.checkin_count), 0) FROM export_rows r WHERE r.item_id IN (SELECT id FROM tree)),
	(SELECT json_group_array(tag ORDER BY tag) FROM (
		SELECT DISTINCT g.tag FROM item_tags g WHERE g.item_id IN (SELECT id FROM tree)))`

// refreshRowsSQL recomputes the export rows of the items whose ids are the
// JSON array ?1 and returns them as exportSlot scans them, for renderRows.
var refreshRowsSQL = `INSERT OR REPLACE INTO export_rows
SELECT i.id, i.kind, i.title, i.description,
	` + teamsSQL("i.id") + `,
	coalesce(cu.display_name, ''),
	` + ownersSQL("i.id") + `,
	coalesce(tp.name, ''), i.start_date, i.end_date,
	` + parentsSQL("i.id", "1") + `,
	EXISTS (SELECT 1 FROM alignments a JOIN items p ON p.id = a.parent_id WHERE a.child_id = i.id AND p.visibility <> 'everyone'),
	i.metric_name, i.metric_unit, i.metric_start, i.metric_target, i.metric_direction,
	i.goal_type, i.created_at, i.last_checkin_date, i.progress, i.current_value, i.status, i.last_checkin_note, i.score,
	` + tagsSQL("i.id") + `,
	` + checkInsSQL("i.id") + `,
	(SELECT count(*) FROM checkins c WHERE c.item_id = i.id),
	i.org_id,
	NULL
FROM items i
LEFT JOIN users cu ON cu.id = i.creator_id
LEFT JOIN time_periods tp ON tp.id = i.period_id
WHERE i.id IN (SELECT value FROM json_each(?1))
RETURNING '', 0, item_id, kind, title, description, teams, creator, owners,
	period, start_date, end_date, parents,
	metric_name, metric_unit, metric_start, metric_target, metric_direction,
	goal_type, created_at, last_checkin_date, progress, current_value, status, last_checkin_note, score,
	tags, checkins`

// refreshBatch is how many export rows one transaction recomputes, so that
// a large refresh (after a bulk load) holds the writer a moment at a time.
const refreshBatch = 5000

// RefreshExportRows recomputes every export row that a change has marked
// stale, in transactions of refreshBatch rows, and returns how many it
// recomputed; then the export order of every organization marked stale (one
// transaction each). Exports call it first; a bulk load calls it after it
// commits, so that the first export after it finds its rows ready.
func (s *Store) RefreshExportRows(ctx context.Context) (int64, error) {
	// Most exports find nothing marked: asking the read pool first spares
	// them the single writer, which API writes may be holding.
	var stale, unrendered bool
	if err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM export_stale),
		EXISTS (SELECT 1 FROM export_rows WHERE rendered IS NULL)`).Scan(&stale, &unrendered); err != nil {
		return 0, fmt.Errorf("refresh export rows: %w", err)
	}
	if unrendered {
		// Rows that a node of an earlier version computed (see migration
		// 0005) are computed again.
		if err := s.writeTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO export_stale SELECT item_id FROM export_rows WHERE rendered IS NULL
				ON CONFLICT DO NOTHING`)
			return err
		}); err != nil {
			return 0, fmt.Errorf("refresh export rows: %w", err)
		}
		stale = true
	}
	var total int64
	if !stale {
		_, err := s.refreshExportOrders(ctx)
		return total, err
	}
	for {
		var n int64
		err := s.writeTx(ctx, func(tx *sql.Tx) error {
			var ids string
			if err := tx.QueryRowContext(ctx, `SELECT json_group_array(item_id) FROM (
				SELECT item_id FROM export_stale ORDER BY item_id LIMIT ?)`, refreshBatch).Scan(&ids); err != nil {
				return err
			}
			if ids == "[]" {
				return nil
			}
			if err := renderRows(ctx, tx, ids); err != nil {
				return fmt.Errorf("render: %w", err)
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM export_stale WHERE item_id IN (SELECT value FROM json_each(?1))`, ids)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("refresh export rows: %w", err)
		}
		if n == 0 {
			_, err := s.refreshExportOrders(ctx)
			return total, err
		}
		total += n
	}
}

// renderRows recomputes the export rows of the items whose ids are the JSON
// array ids, then sets their renderings (csvexport.AppendRendered) from
// what the rows hold. The renderings are collected before they are
// written: the rows come from the insert's RETURNING, which SQLite
// produces only once the insert is done.
func renderRows(ctx context.Context, tx *sql.Tx, ids string) error {
	rows, err := tx.QueryContext(ctx, refreshRowsSQL, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		sl    exportSlot
		buf   []byte
		items []int64
		ends  []int
	)
	for rows.Next() {
		if err := sl.scan(rows); err != nil {
			return err
		}
		if err := sl.decode(); err != nil {
			return err
		}
		buf = csvexport.AppendRendered(buf, &sl.r)
		items = append(items, sl.r.ID)
		ends = append(ends, len(buf))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	stmt, err := tx.PrepareContext(ctx, `UPDATE export_rows SET rendered = ? WHERE item_id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	start := 0
	for i, id := range items {
		if _, err := stmt.ExecContext(ctx, buf[start:ends[i]], id); err != nil {
			return err
		}
		start = ends[i]
	}
	return nil
}

// keptRowsFresh reports whether, in tx's snapshot, every export row of the
// organization is up to date.
func keptRowsFresh(ctx context.Context, tx *sql.Tx, orgID uuid.UUID) (bool, error) {
	var stale bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (
		SELECT 1 FROM export_stale s JOIN items i ON i.id = s.item_id WHERE i.org_id = ?)`, orgID.String()).Scan(&stale)
	return !stale, err
}

// ExportView streams the rows of q's view, as q's viewer may see them, to
// sink from one read transaction: the header (the most check-ins of any
// exported item and the exported tags), then every row depth-first through
// the alignment tree. Selection, visibility, order and every list of a row
// are computed by the database. An export of a whole organization by someone
// who sees all of it reads the kept order instead of walking the tree (see
// migration 0005). The rows flow from the database's cursor to sink in a few
// small batches that are reused (internal/rowpipe: reading on one
// goroutine, decoding and sink on the caller's), so memory does not grow
// with the export. sink is called on the caller's goroutine.
//
// The *ExportRow that sink.Row receives, and its slices, are reused for the
// next row: a sink must not keep them after Row returns.
func (s *Store) ExportView(ctx context.Context, q goalpost.ExportQuery, sink goalpost.ExportSink) (int64, error) {
	if q.View == nil {
		return 0, goalpost.Errorf(goalpost.EINVALID, "Export query has no view")
	}
	start := time.Now()
	n, err := s.exportView(ctx, q, sink)
	if err != nil && goalpost.ErrorCode(err) == goalpost.EINTERNAL {
		return n, fmt.Errorf("export view %s: %w", q.View.ID, err)
	}
	s.logger.DebugContext(ctx, "exported view", "view_id", q.View.ID, "rows", n, "duration", time.Since(start), "err", err)
	return n, err
}

func (s *Store) exportView(ctx context.Context, q goalpost.ExportQuery, sink goalpost.ExportSink) (int64, error) {
	cte, sel, err := exportTree(q)
	if err != nil {
		return 0, err
	}
	args := sel.Args
	kept, rendered := !s.resolveRows, false
	if kept {
		if _, err := s.RefreshExportRows(ctx); err != nil {
			return 0, err
		}
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if kept {
		// A write may have come between the refresh and this snapshot;
		// then this export resolves its rows itself.
		if kept, err = keptRowsFresh(ctx, tx, q.View.OrgID); err != nil {
			return 0, fmt.Errorf("export rows: %w", err)
		}
	}
	headerSQL, rowsSQL := cte+viewsql.HeaderSQL(exportHeaderSQL, q), cte+resolvedRowsSQL(sel.Visible("p"))
	if kept {
		headerSQL, rowsSQL = cte+viewsql.HeaderSQL(keptHeaderSQL, q), cte+keptRowsSQL(sel.Visible("p"), sel.Admin())
		s.keptExports.Add(1)
		whole, err := wholeOrganization(ctx, tx, q, sel)
		if err != nil {
			return 0, fmt.Errorf("export order: %w", err)
		}
		if whole {
			headerSQL, rowsSQL, args = wholeHeaderSQL, wholeRowsSQL, []any{q.View.OrgID.String()}
			if rendered = viewsql.TakesRendered(sink); rendered {
				rowsSQL = wholeRenderedRowsSQL
			}
			s.orderedExports.Add(1)
		}
	}

	var h goalpost.ExportHeader
	var tags string
	if err := tx.QueryRowContext(ctx, headerSQL, args...).Scan(&h.MaxCheckIns, &tags); err != nil {
		return 0, fmt.Errorf("header: %w", err)
	}
	if err := json.Unmarshal([]byte(tags), &h.Tags); err != nil {
		return 0, fmt.Errorf("header tags: %w", err)
	}
	if err := sink.Begin(h); err != nil {
		return 0, err
	}

	// The parents' visibility uses the selection's organization and viewer
	// parameters.
	rows, err := tx.QueryContext(ctx, rowsSQL, args...)
	if err != nil {
		return 0, fmt.Errorf("rows: %w", err)
	}
	defer rows.Close()

	// Reading rows (SQLite's work and the driver's) and handling them
	// (decoding the lists, then the sink's CSV encoding, hashing and
	// writing) are about even; rowpipe runs them on two cores.
	var (
		n        int64  // rows drained, on the caller's goroutine
		read     int64  // rows read, on fill's
		prevPath []byte // the last row's path, on fill's
	)
	fill := func(ctx context.Context, batch []exportSlot) (int, error) {
		for i := range batch {
			if err := ctx.Err(); err != nil {
				return i, err
			}
			if !rows.Next() {
				return i, rows.Err()
			}
			sl := &batch[i]
			scan := sl.scan
			if rendered {
				scan = sl.scanRendered
			}
			if err := scan(rows); err != nil {
				return i, fmt.Errorf("row: %w", err)
			}
			// The rows arrive in path order (see exportTree and
			// wholeRowsSQL). Checking it costs a comparison per row and
			// turns a change in SQLite's behaviour into an error instead
			// of a silently misordered export.
			if read > 0 && string(sl.path) <= string(prevPath) {
				return i, fmt.Errorf("rows out of depth-first order at item %d", sl.r.ID)
			}
			prevPath = append(prevPath[:0], sl.path...)
			read++
		}
		return len(batch), nil
	}
	drain := viewsql.Drain(sink, &n, func(sl *exportSlot) (*goalpost.ExportRow, error) {
		if rendered {
			sl.r.Kind, sl.r.Rendered = goalpost.ItemKind(sl.kind), sl.rendered
			return &sl.r, nil
		}
		return &sl.r, sl.decode()
	})
	err = rowpipe.Run(ctx, exportBatch, fill, drain)
	return n, err
}

// exportBatch is how many rows pass between the two goroutines of an
// export at a time.
const exportBatch = 64

// exportSlot is one row of an export on its way from the database to the
// sink: scanned on the reading goroutine, with its lists as the JSON the
// database built, then decoded on the sink's goroutine. Its buffers are
// reused for the rows that later take its place.
type exportSlot struct {
	r                                  goalpost.ExportRow
	path                               []byte
	kind, goalType, status, direction  string
	startDate, endDate, lastCheckIn    sql.NullString
	createdAt                          int64
	score                              sql.NullFloat64
	scoreVal                           float64
	teams, owners, parents, tags, ckin []byte
	rendered                           []byte
}

// scanRendered reads the current row of rows as wholeRenderedRowsSQL
// returns it.
func (sl *exportSlot) scanRendered(rows *sql.Rows) error {
	var path, rendered sql.RawBytes
	if err := rows.Scan(&path, &sl.r.Depth, &sl.r.ID, &sl.kind, &rendered); err != nil {
		return err
	}
	if rendered == nil {
		return fmt.Errorf("item %d: the kept row has no rendering", sl.r.ID)
	}
	sl.path = append(sl.path[:0], path...)
	sl.rendered = append(sl.rendered[:0], rendered...)
	return nil
}

// scan reads the current row of rows, copying what the driver lends.
func (sl *exportSlot) scan(rows *sql.Rows) error {
	var path, teams, owners, parents, tags, checkIns sql.RawBytes
	r := &sl.r
	if err := rows.Scan(&path, &r.Depth, &r.ID, &sl.kind, &r.Title, &r.Description,
		&teams, &r.Creator, &owners, &r.Period, &sl.startDate, &sl.endDate, &parents,
		&r.Metric.Name, &r.Metric.Unit, &r.Metric.Start, &r.Metric.Target, &sl.direction,
		&sl.goalType, &sl.createdAt, &sl.lastCheckIn, &r.Progress, &r.Current, &sl.status, &r.LastNote, &sl.score,
		&tags, &checkIns); err != nil {
		return err
	}
	sl.path = append(sl.path[:0], path...)
	sl.teams = append(sl.teams[:0], teams...)
	sl.owners = append(sl.owners[:0], owners...)
	sl.parents = append(sl.parents[:0], parents...)
	sl.tags = append(sl.tags[:0], tags...)
	sl.ckin = append(sl.ckin[:0], checkIns...)
	return nil
}

// decode completes the row from what scan read.
func (sl *exportSlot) decode() (err error) {
	r := &sl.r
	r.Kind = goalpost.ItemKind(sl.kind)
	r.GoalType = goalpost.GoalType(sl.goalType)
	r.Status = goalpost.Status(sl.status)
	r.Metric.Direction = goalpost.Direction(sl.direction)
	r.CreatedAt = fromMillis(sl.createdAt)
	r.Score = nil
	if sl.score.Valid {
		sl.scoreVal = sl.score.Float64
		r.Score = &sl.scoreVal
	}
	if r.StartDate, err = parseNullDate(sl.startDate); err != nil {
		return fmt.Errorf("item %d start date: %w", r.ID, err)
	}
	if r.EndDate, err = parseNullDate(sl.endDate); err != nil {
		return fmt.Errorf("item %d end date: %w", r.ID, err)
	}
	if r.LastCheckIn, err = parseNullDate(sl.lastCheckIn); err != nil {
		return fmt.Errorf("item %d last check-in: %w", r.ID, err)
	}
	if r.Teams, err = viewsql.DecodeStrings(sl.teams, r.Teams); err != nil {
		return fmt.Errorf("item %d teams: %w", r.ID, err)
	}
	if r.Owners, err = viewsql.DecodeStrings(sl.owners, r.Owners); err != nil {
		return fmt.Errorf("item %d owners: %w", r.ID, err)
	}
	if r.AlignedTo, err = viewsql.DecodeParents(sl.parents, r.AlignedTo); err != nil {
		return fmt.Errorf("item %d parents: %w", r.ID, err)
	}
	if r.Tags, err = viewsql.DecodeStrings(sl.tags, r.Tags); err != nil {
		return fmt.Errorf("item %d tags: %w", r.ID, err)
	}
	if r.CheckIns, err = viewsql.DecodeCheckIns(sl.ckin, r.CheckIns); err != nil {
		return fmt.Errorf("item %d check-ins: %w", r.ID, err)
	}
	return nil
}
