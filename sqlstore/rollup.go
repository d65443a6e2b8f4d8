package sqlstore

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/viewsql"
)

// rollup recomputes the progress of the items from whose contributors may
// have changed, and of their ancestors as far as a change goes. An item in
// rollup mode takes the goalpost.RollupProgress of its contributors'
// weights and progress, and the current value that progress stands for on
// its metric; when either changed, its version and update time change too
// and its parents are recomputed in turn. A manual item stops the walk.
//
// Every item is recomputed at most once, after all of its contributors
// that changed: the walk reads the ancestors of from with the length of
// the longest path to each (an item comes after all its contributors in
// that order, diamonds included), their contributions, and then works in
// memory, writing only what changed. The walk is bounded by
// viewsql.MaxDepth levels; alignments have no cycles anyway.
func (t tx) rollup(ctx context.Context, orgID uuid.UUID, from []int64) error {
	if len(from) == 0 {
		return nil
	}
	type node struct {
		mode     goalpost.ProgressMode
		metric   goalpost.Metric
		current  float64
		progress float64
		version  int64
	}
	args := append([]any{t.s.d.UUID(orgID)}, inArgs(from, anyID)...)
	args = append(args, viewsql.MaxDepth)
	rows, err := t.queryUncached(ctx, `WITH RECURSIVE up (id, depth) AS (
			SELECT id, 0 FROM items WHERE org_id = ? AND id IN (`+marks(len(from))+`)
			UNION
			SELECT a.parent_id, up.depth + 1 FROM up JOIN alignments a ON a.child_id = up.id WHERE up.depth < ?
		)
		SELECT i.id, i.progress_mode, i.metric_name, i.metric_unit, i.metric_start, i.metric_target,
			i.metric_direction, i.current_value, i.progress, i.version
		FROM up JOIN items i ON i.id = up.id
		GROUP BY i.id
		ORDER BY max(up.depth), i.id`, args...)
	var order []int64
	nodes := make(map[int64]*node)
	if err == nil {
		err = eachRow(rows, func(r Rows) error {
			var id int64
			var n node
			m := &n.metric
			if err := r.Scan(&id, &n.mode, &m.Name, &m.Unit, &m.Start, &m.Target, &m.Direction,
				&n.current, &n.progress, &n.version); err != nil {
				return err
			}
			order = append(order, id)
			nodes[id] = &n
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("roll up progress: %w", err)
	}
	if len(order) == 0 {
		return nil
	}

	// The contributions to every item of the walk; the walk holds every
	// parent of its items, so they also give each item's parents.
	type edge struct {
		child    int64
		weight   float64
		progress float64 // the child's stored progress
	}
	rows, err = t.queryUncached(ctx, `SELECT a.parent_id, a.child_id, a.weight, c.progress
		FROM alignments a JOIN items c ON c.id = a.child_id
		WHERE a.parent_id IN (`+marks(len(order))+`) ORDER BY a.parent_id, a.child_id`, inArgs(order, anyID)...)
	contributors := make(map[int64][]edge)
	parents := make(map[int64][]int64)
	if err == nil {
		err = eachRow(rows, func(r Rows) error {
			var parent int64
			var e edge
			if err := r.Scan(&parent, &e.child, &e.weight, &e.progress); err != nil {
				return err
			}
			contributors[parent] = append(contributors[parent], e)
			parents[e.child] = append(parents[e.child], parent)
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("roll up progress: %w", err)
	}

	dirty := make(map[int64]bool, len(from))
	for _, id := range from {
		dirty[id] = true
	}
	at := now()
	for _, id := range order {
		n := nodes[id]
		if !dirty[id] || n.mode != goalpost.ProgressRollup {
			continue
		}
		cs := make([]goalpost.Contribution, 0, len(contributors[id]))
		for _, e := range contributors[id] {
			p := e.progress
			if c := nodes[e.child]; c != nil {
				p = c.progress // recomputed earlier in this walk
			}
			cs = append(cs, goalpost.Contribution{Weight: e.weight, Progress: p})
		}
		progress := goalpost.RollupProgress(cs)
		current := n.metric.ValueAt(progress)
		if progress == n.progress && current == n.current {
			continue
		}
		n.progress, n.current, n.version = progress, current, n.version+1
		if _, err := t.exec(ctx, `UPDATE items SET progress = ?, current_value = ?, version = ?, updated_at = ? WHERE id = ?`,
			progress, current, n.version, t.s.d.Timestamp(at), id); err != nil {
			return fmt.Errorf("roll up progress: %w", err)
		}
		for _, p := range parents[id] {
			dirty[p] = true
		}
	}
	return nil
}

// contributions returns the weights and progress of an item's
// contributors, by child id.
func (t tx) contributions(ctx context.Context, parentID int64) ([]goalpost.Contribution, error) {
	cs, err := queryAll(ctx, t, func(r Rows) (goalpost.Contribution, error) {
		var c goalpost.Contribution
		err := r.Scan(&c.Weight, &c.Progress)
		return c, err
	}, `SELECT a.weight, c.progress FROM alignments a JOIN items c ON c.id = a.child_id
		WHERE a.parent_id = ? ORDER BY a.child_id`, parentID)
	if err != nil {
		return nil, fmt.Errorf("read contributions: %w", err)
	}
	return cs, nil
}

// parentIDs returns the items an item contributes to, in position order.
func (t tx) parentIDs(ctx context.Context, childID int64) ([]int64, error) {
	ids, err := queryAll(ctx, t, func(r Rows) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	}, `SELECT parent_id FROM alignments WHERE child_id = ? ORDER BY position`, childID)
	if err != nil {
		return nil, fmt.Errorf("read parents: %w", err)
	}
	return ids, nil
}
