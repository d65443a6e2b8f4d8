package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/viewsql"
)

// orderWalkSQL walks the whole alignment tree of organization ?1 and
// returns each item's path, id and depth, in path order (see migration
// 0005): roots are the items without a parent, and an item hangs under
// its first parent. It is exportTree's walk with every item of the
// organization exported, so that a view whose export holds every item gets
// the same order from it.
var orderWalkSQL = fmt.Sprintf(`WITH RECURSIVE tree(id, depth, path) AS (
	SELECT i.id, 0, printf('%%016x', i.id) FROM items i
	WHERE i.org_id = ?1 AND NOT EXISTS (SELECT 1 FROM alignments a WHERE a.child_id = i.id)
	UNION ALL
	SELECT a.child_id, t.depth + 1, t.path || printf('%%016x', a.child_id)
	FROM tree t JOIN alignments a ON a.parent_id = t.id
	WHERE t.depth < %d
		AND a.parent_id = (
			SELECT f.parent_id FROM alignments f
			WHERE f.child_id = a.child_id
			ORDER BY f.position, f.parent_id LIMIT 1)
	ORDER BY 3
)
SELECT path, id, depth FROM tree`, viewsql.MaxDepth)

// refreshExportOrders computes again the export order of every organization
// marked stale, one organization per transaction, and returns how many it
// computed. An organization that no longer exists loses its mark and its
// order.
func (s *Store) refreshExportOrders(ctx context.Context) (int, error) {
	var stale bool
	if err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM export_order_stale)`).Scan(&stale); err != nil {
		return 0, fmt.Errorf("refresh export order: %w", err)
	}
	n := 0
	for stale {
		err := s.writeTx(ctx, func(tx *sql.Tx) error {
			var org string
			err := tx.QueryRowContext(ctx, `SELECT org_id FROM export_order_stale ORDER BY org_id LIMIT 1`).Scan(&org)
			if errors.Is(err, sql.ErrNoRows) {
				stale = false
				return nil
			} else if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM export_order WHERE org_id = ?`, org); err != nil {
				return err
			}
			if err := insertOrder(ctx, tx, org); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM export_order_stale WHERE org_id = ?`, org)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("refresh export order: %w", err)
		}
		if stale {
			n++
		}
	}
	return n, nil
}

// orderBatch is how many items of an organization's order one statement
// inserts.
const orderBatch = 5000

// insertOrder inserts the export order of organization org, which has
// none, as orderWalkSQL walks it, orderBatch items per statement. One
// INSERT … SELECT of the whole walk would keep a statement journal of every
// page it reuses (the pages the order it replaces freed), and the writer
// keeps its temporary files in memory: a million items made a server of 40
// MiB peak at 250 MiB. In batches the journal holds one batch's pages.
func insertOrder(ctx context.Context, tx *sql.Tx, org string) error {
	rows, err := tx.QueryContext(ctx, orderWalkSQL, org)
	if err != nil {
		return err
	}
	defer rows.Close()
	// A batch is a JSON array of [path, id, depth]; paths are hex digits,
	// so nothing needs escaping.
	var (
		batch []byte
		n     int
		path  sql.RawBytes
		id    int64
		depth int64
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		batch = append(batch, ']')
		_, err := tx.ExecContext(ctx, `INSERT INTO export_order (org_id, path, item_id, depth)
			SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(?2) j`, org, batch)
		batch, n = batch[:0], 0
		return err
	}
	for rows.Next() {
		if err := rows.Scan(&path, &id, &depth); err != nil {
			return err
		}
		if n == 0 {
			batch = append(batch, '[')
		} else {
			batch = append(batch, ',')
		}
		batch = append(batch, `["`...)
		batch = append(batch, path...)
		batch = append(batch, `",`...)
		batch = strconv.AppendInt(batch, id, 10)
		batch = append(batch, ',')
		batch = strconv.AppendInt(batch, depth, 10)
		batch = append(batch, ']')
		if n++; n == orderBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// wholeHeaderSQL is the header of an export that holds every item of
// organization ?1, from an index each: the most check-ins
// (export_rows_org_checkins) and the organization's tags, found by walking
// the distinct tags of item_tags_tag (a seek per tag, not a scan of every
// item's tags) and keeping those that an item of the organization has.
const wholeHeaderSQL = `WITH RECURSIVE distinct_tags(t) AS (
	SELECT min(tag) FROM item_tags
	UNION ALL
	SELECT (SELECT min(g.tag) FROM item_tags g WHERE g.tag > d.t) FROM distinct_tags d WHERE d.t IS NOT NULL
)
SELECT
	(SELECT coalesce(max(checkin_count), 0) FROM export_rows WHERE org_id = ?1),
	(SELECT json_group_array(t) FROM (
		SELECT d.t FROM distinct_tags d WHERE d.t IS NOT NULL AND EXISTS (
			SELECT 1 FROM item_tags g CROSS JOIN items i ON i.id = g.item_id WHERE g.tag = d.t AND i.org_id = ?1)
		ORDER BY t))`

// wholeRowsSQL returns the rows of an export that holds every item of
// organization ?1, whose viewer sees every item, in the kept order: one
// primary-key probe of the kept rows per row, in the order of
// export_order's primary key, with no walk and no sort.
const wholeRowsSQL = `SELECT o.path, o.depth, r.item_id, r.kind, r.title, r.description, r.teams, r.creator, r.owners,
	r.period, r.start_date, r.end_date, r.parents,
	r.metric_name, r.metric_unit, r.metric_start, r.metric_target, r.metric_direction,
	r.goal_type, r.created_at, r.last_checkin_date, r.progress, r.current_value, r.status, r.last_checkin_note, r.score,
	r.tags, r.checkins
FROM export_order o
CROSS JOIN export_rows r ON r.item_id = o.item_id
WHERE o.org_id = ?1
ORDER BY o.path`

// wholeOrganization reports whether, in tx's snapshot, the export q holds
// every item of its organization in the kept order: its view has no filter
// and is not "top level only", its viewer owns or administers the
// organization (and so sees every item), the organization's order is up to
// date, and none of its kept rows lacks a rendering (one that a node of an
// earlier version computed: it has no organization for the header either).
func wholeOrganization(ctx context.Context, tx *sql.Tx, q goalpost.ExportQuery, sel *viewsql.Selection) (bool, error) {
	if !sel.Whole() || q.View.TopLevelOnly {
		return false, nil
	}
	var whole bool
	err := tx.QueryRowContext(ctx, `SELECT `+sel.Admin()+`
		AND NOT EXISTS (SELECT 1 FROM export_order_stale WHERE org_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM export_rows r CROSS JOIN items i ON i.id = r.item_id WHERE r.rendered IS NULL AND i.org_id = ?1)`,
		sel.Args[:2]...).Scan(&whole)
	return whole, err
}

// wholeRenderedRowsSQL is wholeRowsSQL for a sink that takes renderings: each
// row's kept rendering instead of its fields.
const wholeRenderedRowsSQL = `SELECT o.path, o.depth, r.item_id, r.kind, r.rendered
FROM export_order o
CROSS JOIN export_rows r ON r.item_id = o.item_id
WHERE o.org_id = ?1
ORDER BY o.path`
