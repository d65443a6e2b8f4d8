package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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
//   - edge(child_id, parent_id): each item of exp with a parent in exp, and
//     its tree parent: its first parent (lowest alignment position) in exp
//     (joined, not tested with IN: exp's ids are unique, and IN made the
//     planner deduplicate them and probe the alignments once per id);
//   - tree(id, depth, path): the exported items in the alignment tree
//     restricted to exp. Roots are the items of exp with no parent in exp,
//     and an item hangs under its tree parent, so an item aligned to two
//     exported parents appears once, under the first. path is the array of
//     ids from the root down; arrays compare element by element and a
//     prefix first, so ordering by path is depth-first with siblings by id.
//     With TopLevelOnly only the roots remain.
func exportTree(q goalpost.ExportQuery) (string, *viewsql.Selection, error) {
	sel, err := viewsql.Select(q, viewsql.PostgreSQL)
	if err != nil {
		return "", nil, err
	}
	maxDepth := viewsql.MaxDepth
	if q.View.TopLevelOnly {
		maxDepth = 0
	}
	return fmt.Sprintf(`WITH RECURSIVE
%s,
edge(child_id, parent_id) AS MATERIALIZED (
	SELECT DISTINCT ON (a.child_id) a.child_id, a.parent_id
	FROM alignments a JOIN exp c ON c.id = a.child_id JOIN exp p ON p.id = a.parent_id
	ORDER BY a.child_id, a.position, a.parent_id
),
tree(id, depth, path) AS (
	SELECT e.id, 0, ARRAY[e.id] FROM exp e
	WHERE NOT EXISTS (SELECT 1 FROM edge g WHERE g.child_id = e.id)
	UNION ALL
	SELECT g.child_id, t.depth + 1, t.path || g.child_id
	FROM tree t JOIN edge g ON g.parent_id = t.id
	WHERE t.depth < %d
)
`, sel.CTEs, maxDepth), sel, nil
}

// exportHeaderSQL computes the header of the export of tree (exp, see
// viewsql.HeaderSQL): the most
// check-ins of any exported item and the exported items' tags, sorted
// bytewise (COLLATE "C") as SQLite sorts them, whatever the database's
// collation.
const exportHeaderSQL = `SELECT
	(SELECT coalesce(max(n), 0) FROM (
		SELECT count(*) AS n FROM checkins c WHERE c.item_id IN (SELECT id FROM tree) GROUP BY c.item_id) counts),
	ARRAY(SELECT DISTINCT g.tag COLLATE "C" AS tag FROM item_tags g WHERE g.item_id IN (SELECT id FROM tree) ORDER BY tag)`

// The lists and names of the item aliased i: names and tags as text
// arrays, parents and check-ins as JSON arrays of objects whose keys are the
// fields of goalpost.AlignedParent and the keys that viewsql.DecodeCheckIns
// reads (NULL when empty). Each list is an ordered subquery that an index
// delivers in order (the *_position indexes, alignments_child_position,
// checkins_item_newest), and names are looked up by primary key in scalar
// subqueries, so that every row costs a few index probes whatever the
// planner estimates (right after a large import the tables have no
// statistics yet).
const (
	teamsSQL = `ARRAY(SELECT (SELECT tm.name FROM teams tm WHERE tm.id = it.team_id)
			FROM item_teams it WHERE it.item_id = i.id ORDER BY it.position)`
	creatorSQL = `coalesce((SELECT cu.display_name FROM users cu WHERE cu.id = i.creator_id), '')`
	ownersSQL  = `ARRAY(SELECT (SELECT u.display_name FROM users u WHERE u.id = o.user_id)
			FROM item_owners o WHERE o.item_id = i.id ORDER BY o.position)`
	periodSQL   = `coalesce((SELECT tp.name FROM time_periods tp WHERE tp.id = i.period_id), '')`
	tagsSQL     = `ARRAY(SELECT g.tag FROM item_tags g WHERE g.item_id = i.id ORDER BY g.position)`
	checkInsSQL = `(SELECT json_agg(json_build_object('d', c.checkin_date,
				'u', coalesce((SELECT cu.display_name FROM users cu WHERE cu.id = c.user_id), ''),
				'n', c.note, 's', c.status, 'v', c.value, 'a', (extract(epoch FROM c.activity_at) * 1000)::bigint)
				ORDER BY c.checkin_date DESC, c.activity_at DESC, c.id DESC)
			FROM checkins c WHERE c.item_id = i.id)`
)

// parentsSQL lists the parents of the item whose id is the SQL expression
// id for which visibleP (a condition on the parent aliased p) holds.
func parentsSQL(id, visibleP string) string {
	return `(SELECT json_agg(json_build_object('ID', p.id, 'Title', p.title, 'Weight', a.weight) ORDER BY a.position)
			FROM alignments a CROSS JOIN LATERAL (
				SELECT p.id, p.title, p.visibility FROM items p WHERE p.id = a.parent_id OFFSET 0) p
			WHERE a.child_id = ` + id + ` AND ` + visibleP + `)`
}

// resolvedRowsSQL returns the rows of the export of tree in path order,
// with every list of a row resolved from the tables. visibleP is the
// visibility condition of the parent aliased p.
//
// Only the tree (ids, depths and paths) is sorted. Each row is then built by
// a LATERAL subquery, run once per tree row in path order: a nested loop
// keeps the order of its outer side, so the ORDER BY needs no second sort of
// whole rows, and OFFSET 0 keeps the planner from flattening the subquery
// into a join that it might hash.
func resolvedRowsSQL(visibleP string) string {
	return `SELECT t.depth, r.*
FROM (SELECT id, depth, path FROM tree ORDER BY path) t
CROSS JOIN LATERAL (
	SELECT i.id, i.kind, i.title, i.description, ` + teamsSQL + `, ` + creatorSQL + `, ` + ownersSQL + `, ` + periodSQL + `,
		i.start_date, i.end_date, ` + parentsSQL("i.id", visibleP) + `,
		i.metric_name, i.metric_unit, i.metric_start, i.metric_target, i.metric_direction,
		i.goal_type, i.created_at, i.last_checkin_date, i.progress, i.current_value, i.status, i.last_checkin_note, i.score,
		` + tagsSQL + `, ` + checkInsSQL + `
	FROM items i
	WHERE i.id = t.id
	OFFSET 0
) r
ORDER BY t.path`
}

// keptRowsSQL returns the same rows as resolvedRowsSQL from the kept export
// rows (see migration 0004): one primary-key probe per row. A row with a
// restricted parent lists its parents as the viewer may see them, unless the
// viewer sees everything (admin, an uncorrelated subquery PostgreSQL runs
// once).
func keptRowsSQL(visibleP, admin string) string {
	return `SELECT t.depth, r.*
FROM (SELECT id, depth, path FROM tree ORDER BY path) t
CROSS JOIN LATERAL (
	SELECT r.item_id, r.kind, r.title, r.description, r.teams, r.creator, r.owners, r.period,
		r.start_date, r.end_date,
		CASE WHEN NOT r.restricted_parent OR ` + admin + ` THEN r.parents ELSE ` + parentsSQL("r.item_id", visibleP) + ` END,
		r.metric_name, r.metric_unit, r.metric_start, r.metric_target, r.metric_direction,
		r.goal_type, r.created_at, r.last_checkin_date, r.progress, r.current_value, r.status, r.last_checkin_note, r.score,
		r.tags, r.checkins
	FROM export_rows r
	WHERE r.item_id = t.id
	OFFSET 0
) r
ORDER BY t.path`
}

// keptHeaderSQL is exportHeaderSQL with the check-in counts kept. It joins
// the tree (or exp, see viewsql.HeaderSQL), whose ids are unique, instead
// of testing IN: the planner then hashes or scans as the sizes say, where
// IN made it deduplicate the ids first and probe once per id, which took
// a third of a 1,000,000-item export.
const keptHeaderSQL = `SELECT
	(SELECT coalesce(max(r.checkin_count), 0) FROM (SELECT id FROM tree) e JOIN export_rows r ON r.item_id = e.id),
	ARRAY(SELECT DISTINCT g.tag COLLATE "C" AS tag FROM (SELECT id FROM tree) e JOIN item_tags g ON g.item_id = e.id ORDER BY tag)`

// refreshRowsSQL recomputes the export rows of the items $1 and returns them
// as exportSlot scans them, for renderRows.
var refreshRowsSQL = `INSERT INTO export_rows
SELECT i.id, i.kind, i.title, i.description, ` + teamsSQL + `, ` + creatorSQL + `, ` + ownersSQL + `, ` + periodSQL + `,
	i.start_date, i.end_date, ` + parentsSQL("i.id", "true") + `,
	EXISTS (SELECT 1 FROM alignments a JOIN items p ON p.id = a.parent_id WHERE a.child_id = i.id AND p.visibility <> 'everyone'),
	i.metric_name, i.metric_unit, i.metric_start, i.metric_target, i.metric_direction,
	i.goal_type, i.created_at, i.last_checkin_date, i.progress, i.current_value, i.status, i.last_checkin_note, i.score,
	` + tagsSQL + `, ` + checkInsSQL + `,
	(SELECT count(*) FROM checkins c WHERE c.item_id = i.id),
	i.org_id,
	NULL
FROM items i
WHERE i.id = ANY($1)
RETURNING 0, item_id, kind, title, description, teams, creator, owners, period,
	start_date, end_date, parents,
	metric_name, metric_unit, metric_start, metric_target, metric_direction,
	goal_type, created_at, last_checkin_date, progress, current_value, status, last_checkin_note, score,
	tags, checkins`

// refreshBatch is how many export rows one transaction recomputes.
const refreshBatch = 5000

// RefreshExportRows recomputes every export row that a change has marked
// stale, in transactions of refreshBatch rows, and returns how many it
// recomputed; then the export order of every organization marked stale (one
// transaction each). Exports call it first; a bulk load calls it after it
// commits, so that the first export after it finds its rows ready.
//
// Each transaction deletes the marks it takes (skipping any that another
// node's refresh holds) before it computes their rows: a change committed
// meanwhile marks its rows again, after this transaction, so no change is
// lost between the computation and the deletion of its mark.
func (s *Store) RefreshExportRows(ctx context.Context) (int64, error) {
	// Rows that a node of an earlier version computed during a rolling
	// upgrade have no rendering (see migration 0005): compute them again.
	if _, err := s.pool.Exec(ctx, `INSERT INTO export_stale SELECT item_id FROM export_rows WHERE rendered IS NULL
		ORDER BY 1 ON CONFLICT DO NOTHING`); err != nil {
		return 0, fmt.Errorf("refresh export rows: %w", err)
	}
	var total int64
	for {
		var n int64
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `DELETE FROM export_stale WHERE item_id IN (
				SELECT item_id FROM export_stale ORDER BY item_id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING item_id`, refreshBatch)
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil || len(ids) == 0 {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM export_rows WHERE item_id = ANY($1)`, ids); err != nil {
				return err
			}
			if err := renderRows(ctx, tx, ids); err != nil {
				return err
			}
			n = int64(len(ids))
			return nil
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

// renderRows recomputes the export rows of the items ids, then sets their
// renderings (csvexport.AppendRendered) from what the rows hold. The update
// leaves a dead version of each row it renders, which vacuum reclaims (a
// bulk load vacuums right after it refreshes).
func renderRows(ctx context.Context, tx pgx.Tx, ids []int64) error {
	rows, err := tx.Query(ctx, refreshRowsSQL, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		sl        exportSlot
		items     []int64
		rendering [][]byte
		buf       []byte
	)
	for rows.Next() {
		if err := sl.scan(rows); err != nil {
			return err
		}
		if err := sl.decode(); err != nil {
			return err
		}
		start := len(buf)
		buf = csvexport.AppendRendered(buf, &sl.r)
		items = append(items, sl.r.ID)
		rendering = append(rendering, buf[start:len(buf):len(buf)])
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// buf may have moved as it grew: slice the renderings again.
	start := 0
	for i, r := range rendering {
		rendering[i] = buf[start : start+len(r) : start+len(r)]
		start += len(r)
	}
	_, err = tx.Exec(ctx, `UPDATE export_rows r SET rendered = u.rendered
		FROM unnest($1::bigint[], $2::bytea[]) AS u (item_id, rendered) WHERE r.item_id = u.item_id`, items, rendering)
	return err
}

// keptRowsFresh reports whether, in tx's snapshot, every export row of the
// organization is up to date.
func keptRowsFresh(ctx context.Context, tx pgx.Tx, orgID uuid.UUID) (bool, error) {
	var stale bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (
		SELECT 1 FROM export_stale s JOIN items i ON i.id = s.item_id WHERE i.org_id = $1)`, orgID).Scan(&stale)
	return !stale, err
}

// ExportView streams the rows of q's view, as q's viewer may see them, to
// sink from one REPEATABLE READ READ ONLY transaction, so that the header and
// every row come from one snapshot however long the export takes and
// whatever is written meanwhile: the header (the most check-ins of any
// exported item and the exported tags), then every row depth-first through
// the alignment tree. Selection, visibility, order and every list of a row
// are computed by the database. An export of a whole organization by someone
// who sees all of it reads the kept order instead of walking the tree (see
// migration 0005). The rows flow from pgx's read of the connection to sink
// in a few small batches that are reused (internal/rowpipe: reading on one
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
	kept := !s.resolveRows
	if kept {
		if _, err := s.RefreshExportRows(ctx); err != nil {
			return 0, err
		}
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, err
	}
	// Read only: rolling back ends it as well as a commit would.
	defer tx.Rollback(context.WithoutCancel(ctx))
	if kept {
		// A write may have come between the refresh and this snapshot;
		// then this export resolves its rows itself.
		if kept, err = keptRowsFresh(ctx, tx, q.View.OrgID); err != nil {
			return 0, fmt.Errorf("export rows: %w", err)
		}
	}
	args, rendered := sel.Args, false
	headerSQL, rowsSQL := cte+viewsql.HeaderSQL(exportHeaderSQL, q), cte+resolvedRowsSQL(sel.Visible("p"))
	if kept {
		headerSQL, rowsSQL = cte+viewsql.HeaderSQL(keptHeaderSQL, q), cte+keptRowsSQL(sel.Visible("p"), sel.Admin())
		s.keptExports.Add(1)
		whole, err := wholeOrganization(ctx, tx, q, sel)
		if err != nil {
			return 0, fmt.Errorf("export order: %w", err)
		}
		if whole {
			headerSQL, rowsSQL, args = wholeHeaderSQL, wholeRowsSQL, []any{q.View.OrgID}
			if rendered = viewsql.TakesRendered(sink); rendered {
				rowsSQL = wholeRenderedRowsSQL
			}
			if _, err := tx.Exec(ctx, wholePlanSQL); err != nil {
				return 0, fmt.Errorf("settings: %w", err)
			}
			s.orderedExports.Add(1)
		}
	}
	// An export's plan is a few index probes per row. The JIT compiler only
	// delays it (by a second or more on a large export, whose estimated
	// cost grows with the rows). And the probes look up the same small
	// tables (teams, users) over and over, so their pages are in memory:
	// a random read costs about what a sequential one does, and without
	// saying so the planner would rather scan a table of a few hundred
	// teams from the start for every row than probe its primary key.
	if _, err := tx.Exec(ctx, `SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1`); err != nil {
		return 0, fmt.Errorf("settings: %w", err)
	}

	var h goalpost.ExportHeader
	if err := tx.QueryRow(ctx, headerSQL, args...).Scan(&h.MaxCheckIns, &h.Tags); err != nil {
		return 0, fmt.Errorf("header: %w", err)
	}
	if err := sink.Begin(h); err != nil {
		return 0, err
	}

	// The parents' visibility uses the selection's organization and viewer
	// parameters.
	//
	// An export that stops early (its sink failed) cancels the query
	// before closing its rows: pgx would otherwise read every remaining
	// row to make the connection reusable; cancelled, it drops the
	// connection and the pool opens another. After the last row the
	// cancel does nothing.
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows, err := tx.Query(qctx, rowsSQL, args...)
	if err != nil {
		return 0, fmt.Errorf("rows: %w", err)
	}
	defer func() {
		cancel()
		rows.Close()
	}()

	// Reading rows (pgx's work) and handling them (decoding the lists,
	// then the sink's CSV encoding, hashing and writing) run on two
	// cores, beside the server's own.
	var n int64
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
// sink: scanned on the reading goroutine, with its parents and check-ins as
// the JSON the database built, then decoded on the sink's goroutine. Its
// buffers are reused for the rows that later take its place.
type exportSlot struct {
	r                                 goalpost.ExportRow
	kind, goalType, status, direction string
	startDate, endDate, lastCheckIn   *time.Time
	score                             *float64
	scoreVal                          float64
	parents, checkIns                 []byte
	rendered                          []byte
}

// scanRendered reads the current row of rows as wholeRenderedRowsSQL
// returns it.
func (sl *exportSlot) scanRendered(rows pgx.Rows) error {
	var rendered []byte
	if err := rows.Scan(&sl.r.Depth, &sl.r.ID, &sl.kind, &rendered); err != nil {
		return err
	}
	if rendered == nil {
		return fmt.Errorf("item %d: the kept row has no rendering", sl.r.ID)
	}
	sl.rendered = append(sl.rendered[:0], rendered...)
	return nil
}

// scan reads the current row of rows, copying what pgx lends.
func (sl *exportSlot) scan(rows pgx.Rows) error {
	var parents, checkIns []byte
	r := &sl.r
	if err := rows.Scan(&r.Depth, &r.ID, &sl.kind, &r.Title, &r.Description,
		&r.Teams, &r.Creator, &r.Owners, &r.Period, &sl.startDate, &sl.endDate, &parents,
		&r.Metric.Name, &r.Metric.Unit, &r.Metric.Start, &r.Metric.Target, &sl.direction,
		&sl.goalType, &r.CreatedAt, &sl.lastCheckIn, &r.Progress, &r.Current, &sl.status, &r.LastNote, &sl.score,
		&r.Tags, &checkIns); err != nil {
		return err
	}
	sl.parents = append(sl.parents[:0], parents...)
	sl.checkIns = append(sl.checkIns[:0], checkIns...)
	return nil
}

// decode completes the row from what scan read.
func (sl *exportSlot) decode() (err error) {
	r := &sl.r
	r.Kind = goalpost.ItemKind(sl.kind)
	r.GoalType = goalpost.GoalType(sl.goalType)
	r.Status = goalpost.Status(sl.status)
	r.Metric.Direction = goalpost.Direction(sl.direction)
	r.CreatedAt = r.CreatedAt.UTC()
	r.StartDate, r.EndDate, r.LastCheckIn = dateOf(sl.startDate), dateOf(sl.endDate), dateOf(sl.lastCheckIn)
	r.Score = nil
	if sl.score != nil {
		sl.scoreVal = *sl.score
		r.Score = &sl.scoreVal
	}
	if r.AlignedTo, err = viewsql.DecodeParents(sl.parents, r.AlignedTo); err != nil {
		return fmt.Errorf("item %d parents: %w", r.ID, err)
	}
	if r.CheckIns, err = viewsql.DecodeCheckIns(sl.checkIns, r.CheckIns); err != nil {
		return fmt.Errorf("item %d check-ins: %w", r.ID, err)
	}
	return nil
}
