package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/viewsql"
)

// orderWalkSQL inserts the export order of organization $1 (see migration
// 0005): every item of the organization with its path and depth, roots
// being the items without a parent and an item hanging under its first
// parent. It is exportTree's walk with every item of the organization
// exported, so that a view whose export holds every item gets the same
// order from it.
var orderWalkSQL = fmt.Sprintf(`WITH RECURSIVE
edge(child_id, parent_id) AS MATERIALIZED (
	SELECT DISTINCT ON (a.child_id) a.child_id, a.parent_id
	FROM alignments a JOIN items c ON c.id = a.child_id
	WHERE c.org_id = $1
	ORDER BY a.child_id, a.position, a.parent_id
),
tree(id, depth, path) AS (
	SELECT i.id, 0, ARRAY[i.id] FROM items i
	WHERE i.org_id = $1 AND NOT EXISTS (SELECT 1 FROM alignments a WHERE a.child_id = i.id)
	UNION ALL
	SELECT g.child_id, t.depth + 1, t.path || g.child_id
	FROM tree t JOIN edge g ON g.parent_id = t.id
	WHERE t.depth < %d
)
INSERT INTO export_order (org_id, path, item_id, depth) SELECT $1, path, id, depth FROM tree`, viewsql.MaxDepth)

// refreshExportOrders computes again the export order of every organization
// marked stale, one organization per transaction, and returns how many it
// computed. Like RefreshExportRows, each transaction deletes the mark it
// takes (skipping one that another node's refresh holds) before it walks:
// a change committed meanwhile marks the organization again. An
// organization that no longer exists loses its mark and its order.
func (s *Store) refreshExportOrders(ctx context.Context) (int, error) {
	n := 0
	for {
		done := false
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			var org uuid.UUID
			err := tx.QueryRow(ctx, `DELETE FROM export_order_stale WHERE org_id = (
				SELECT org_id FROM export_order_stale ORDER BY org_id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING org_id`).Scan(&org)
			if errors.Is(err, pgx.ErrNoRows) {
				done = true
				return nil
			} else if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM export_order WHERE org_id = $1`, org); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, orderWalkSQL, org)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("refresh export order: %w", err)
		}
		if done {
			return n, nil
		}
		n++
	}
}

// wholeHeaderSQL is the header of an export that holds every item of
// organization $1, from an index each: the most check-ins
// (export_rows_org_checkins) and the organization's tags, found by walking
// the distinct tags of item_tags_tag (a seek per tag, not a scan of every
// item's tags) and keeping those that an item of the organization has,
// sorted bytewise as exportHeaderSQL sorts them.
const wholeHeaderSQL = `WITH RECURSIVE distinct_tags(t) AS (
	SELECT min(tag) FROM item_tags
	UNION ALL
	SELECT (SELECT min(g.tag) FROM item_tags g WHERE g.tag > d.t) FROM distinct_tags d WHERE d.t IS NOT NULL
)
SELECT
	(SELECT coalesce(max(checkin_count), 0) FROM export_rows WHERE org_id = $1),
	ARRAY(SELECT d.t COLLATE "C" AS tag FROM distinct_tags d WHERE d.t IS NOT NULL AND EXISTS (
		SELECT 1 FROM item_tags g JOIN items i ON i.id = g.item_id WHERE g.tag = d.t AND i.org_id = $1)
		ORDER BY tag)`

// wholeRowsSQL returns the rows of an export that holds every item of
// organization $1, whose viewer sees every item, in the kept order: an
// index scan of export_order and one primary-key probe of the kept rows per
// row, with no walk and no sort. wholePlanSQL makes that the plan whatever
// the statistics say (right after a renumbering they may say nothing), and
// keeps it on one process: a parallel plan gathers its workers' rows in
// order through one more process, which on a machine with few cores only
// competes with the export itself.
const wholeRowsSQL = `SELECT o.depth, r.item_id, r.kind, r.title, r.description, r.teams, r.creator, r.owners, r.period,
	r.start_date, r.end_date, r.parents,
	r.metric_name, r.metric_unit, r.metric_start, r.metric_target, r.metric_direction,
	r.goal_type, r.created_at, r.last_checkin_date, r.progress, r.current_value, r.status, r.last_checkin_note, r.score,
	r.tags, r.checkins
FROM export_order o
JOIN export_rows r ON r.item_id = o.item_id
WHERE o.org_id = $1
ORDER BY o.path`

const wholePlanSQL = `SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_sort = off;
	SET LOCAL max_parallel_workers_per_gather = 0`

// wholeOrganization reports whether, in tx's snapshot, the export q holds
// every item of its organization in the kept order: its view has no filter
// and is not "top level only", its viewer owns or administers the
// organization (and so sees every item), the organization's order is up to
// date, and none of its kept rows lacks a rendering (one that a node of an
// earlier version computed during a rolling upgrade: it has no organization
// for the header either).
func wholeOrganization(ctx context.Context, tx pgx.Tx, q goalpost.ExportQuery, sel *viewsql.Selection) (bool, error) {
	if !sel.Whole() || q.View.TopLevelOnly {
		return false, nil
	}
	var whole bool
	err := tx.QueryRow(ctx, `SELECT `+sel.Admin()+`
		AND NOT EXISTS (SELECT 1 FROM export_order_stale WHERE org_id = $1)
		AND NOT EXISTS (SELECT 1 FROM export_rows r JOIN items i ON i.id = r.item_id WHERE r.rendered IS NULL AND i.org_id = $1)`,
		sel.Args[:2]...).Scan(&whole)
	return whole, err
}

// wholeRenderedRowsSQL is wholeRowsSQL for a sink that takes renderings: each
// row's kept rendering instead of its fields.
const wholeRenderedRowsSQL = `SELECT o.depth, r.item_id, r.kind, r.rendered
FROM export_order o
JOIN export_rows r ON r.item_id = o.item_id
WHERE o.org_id = $1
ORDER BY o.path`
