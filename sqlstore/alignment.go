package sqlstore

import (
	"context"
	"fmt"
	"math"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// alignmentColumns are the columns scanAlignment reads, in its order, of
// the alignments table aliased a.
const alignmentColumns = `a.child_id, a.parent_id, a.weight, a.weight_fixed, a.version`

func scanAlignment(r Rows) (*goalpost.Alignment, error) {
	var a goalpost.Alignment
	err := r.Scan(&a.ChildID, &a.ParentID, &a.Weight, boolCol{&a.WeightFixed}, &a.Version)
	return &a, err
}

// ListAlignments lists the parents of f.ChildID in position order, or the
// contributors of f.ParentID by child id.
func (s *Store) ListAlignments(ctx context.Context, orgID uuid.UUID, f goalpost.AlignmentFilter) ([]*goalpost.Alignment, error) {
	if (f.ChildID == 0) == (f.ParentID == 0) {
		return nil, &goalpost.Error{Code: goalpost.EINVALID, Target: "childId",
			Message: "Alignments are listed for one item: give either the contributing item (childId) or the parent item (parentId)."}
	}
	var out []*goalpost.Alignment
	err := s.read(ctx, func(t tx) error {
		if err := t.orgExists(ctx, orgID); err != nil {
			return err
		}
		if f.ChildID != 0 {
			if err := t.itemExists(ctx, orgID, f.ChildID); err != nil {
				return err
			}
			var err error
			out, err = queryAll(ctx, t, scanAlignment, `SELECT `+alignmentColumns+` FROM alignments a
				WHERE a.child_id = ? ORDER BY a.position`, f.ChildID)
			return err
		}
		if err := t.itemExists(ctx, orgID, f.ParentID); err != nil {
			return err
		}
		var err error
		out, err = t.contributorsOf(ctx, f.ParentID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list alignments: %w", err)
	}
	return out, nil
}

// FindAlignment returns the alignment of childID to parentID.
func (s *Store) FindAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64) (*goalpost.Alignment, error) {
	var out *goalpost.Alignment
	err := s.read(ctx, func(t tx) (err error) {
		out, err = t.findAlignment(ctx, orgID, childID, parentID)
		return err
	})
	return out, err
}

func (t tx) findAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64) (*goalpost.Alignment, error) {
	as, err := queryAll(ctx, t, scanAlignment, `SELECT `+alignmentColumns+` FROM alignments a
		JOIN items c ON c.id = a.child_id WHERE c.org_id = ? AND a.child_id = ? AND a.parent_id = ?`,
		t.s.d.UUID(orgID), childID, parentID)
	if err != nil {
		return nil, fmt.Errorf("find alignment: %w", err)
	}
	if len(as) == 0 {
		return nil, &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "notFound",
			Message: fmt.Sprintf("The item %d is not aligned to the item %d.", childID, parentID)}
	}
	return as[0], nil
}

// contributorsOf returns the alignments to an item, by child id.
func (t tx) contributorsOf(ctx context.Context, parentID int64) ([]*goalpost.Alignment, error) {
	as, err := queryAll(ctx, t, scanAlignment, `SELECT `+alignmentColumns+` FROM alignments a
		WHERE a.parent_id = ? ORDER BY a.child_id`, parentID)
	if err != nil {
		return nil, fmt.Errorf("read contributors: %w", err)
	}
	return as, nil
}

// alignmentsOf returns all alignments of an organization's items, by child
// id and then in each child's position order.
func (t tx) alignmentsOf(ctx context.Context, orgID uuid.UUID) ([]*goalpost.Alignment, error) {
	as, err := queryAll(ctx, t, scanAlignment, `SELECT `+alignmentColumns+` FROM alignments a
		JOIN items c ON c.id = a.child_id WHERE c.org_id = ? ORDER BY a.child_id, a.position`, t.s.d.UUID(orgID))
	if err != nil {
		return nil, fmt.Errorf("read alignments: %w", err)
	}
	return as, nil
}

// CreateAlignment aligns a.ChildID to a.ParentID, after the child's other
// parents. Both items must be the organization's (ENOTFOUND), the pair new
// and the alignment no cycle (ECONFLICT). A fixed weight is kept; the
// parent's contributors are rebalanced and its progress rolled up.
func (s *Store) CreateAlignment(ctx context.Context, orgID uuid.UUID, a *goalpost.Alignment) error {
	a.Version = 1
	if err := goalpost.ValidateAlignment(a); err != nil {
		return err
	}
	return s.write(ctx, orgID, func(t tx) error {
		if err := t.itemExists(ctx, orgID, a.ChildID); err != nil {
			return err
		}
		if err := t.itemExists(ctx, orgID, a.ParentID); err != nil {
			return err
		}
		if _, err := t.findAlignment(ctx, orgID, a.ChildID, a.ParentID); err == nil {
			return goalpost.Errorf(goalpost.ECONFLICT, "The item %d is aligned to the item %d already.", a.ChildID, a.ParentID)
		} else if !goalpost.IsNotFound(err) {
			return err
		}
		if err := t.checkAlignmentCycle(ctx, a); err != nil {
			return err
		}
		if err := t.rebalanceParent(ctx, a.ParentID, a, false); err != nil {
			return err
		}
		if err := t.insertAlignment(ctx, a); err != nil {
			return err
		}
		return t.rollup(ctx, orgID, []int64{a.ParentID})
	})
}

// checkAlignmentCycle fails with ECONFLICT when a.ChildID is a.ParentID or
// one of its ancestors: the parent contributes to the child already,
// directly or through other items.
func (t tx) checkAlignmentCycle(ctx context.Context, a *goalpost.Alignment) error {
	var n int64
	_, err := t.queryRow(ctx, `WITH RECURSIVE up (id) AS (
			SELECT id FROM items WHERE id = ?
			UNION
			SELECT al.parent_id FROM alignments al JOIN up ON al.child_id = up.id
		) SELECT count(*) FROM up WHERE id = ?`, []any{a.ParentID, a.ChildID}, &n)
	if err != nil {
		return fmt.Errorf("check alignment cycle: %w", err)
	}
	if n > 0 {
		return goalpost.Errorf(goalpost.ECONFLICT,
			"The item %d cannot contribute to the item %d: the item %d contributes to the item %d already, directly or through other items, and alignments must not form a cycle.",
			a.ChildID, a.ParentID, a.ParentID, a.ChildID)
	}
	return nil
}

// UpdateAlignment edits an alignment's weight. A weight that fn changes
// becomes fixed, unless fn also cleared WeightFixed on a fixed one: the
// store compares the weight before and after fn and sets WeightFixed when
// it differs, except when the alignment was fixed and fn left it unfixed.
// The parent's contributors are then rebalanced and its progress rolled
// up.
func (s *Store) UpdateAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64, ifVersion int64, fn func(*goalpost.Alignment) error) (*goalpost.Alignment, error) {
	var out *goalpost.Alignment
	err := s.write(ctx, orgID, func(t tx) error {
		old, err := t.findAlignment(ctx, orgID, childID, parentID)
		if err != nil {
			return err
		}
		if err := checkVersion("alignment", old.Version, ifVersion); err != nil {
			return err
		}
		a := *old
		if err := fn(&a); err != nil {
			return err
		}
		a.ChildID, a.ParentID, a.Version = old.ChildID, old.ParentID, old.Version+1
		clearedFixed := old.WeightFixed && !a.WeightFixed
		if a.Weight != old.Weight && !clearedFixed {
			a.WeightFixed = true
		}
		if err := goalpost.ValidateAlignment(&a); err != nil {
			return err
		}
		if err := t.rebalanceParent(ctx, parentID, &a, false); err != nil {
			return err
		}
		if err := t.updateAlignment(ctx, &a); err != nil {
			return err
		}
		if err := t.rollup(ctx, orgID, []int64{parentID}); err != nil {
			return err
		}
		out = &a
		return nil
	})
	return out, err
}

// DeleteAlignment deletes an alignment; the parent's other contributors are
// rebalanced and its progress rolled up.
func (s *Store) DeleteAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64, ifVersion int64) error {
	return s.write(ctx, orgID, func(t tx) error {
		old, err := t.findAlignment(ctx, orgID, childID, parentID)
		if err != nil {
			return err
		}
		if err := checkVersion("alignment", old.Version, ifVersion); err != nil {
			return err
		}
		if err := t.deleteAlignment(ctx, childID, parentID); err != nil {
			return err
		}
		if err := t.rebalanceParent(ctx, parentID, nil, true); err != nil {
			return err
		}
		return t.rollup(ctx, orgID, []int64{parentID})
	})
}

// rebalanceParent rebalances the contributors of parentID (goalpost.
// Rebalance) and writes the weights that changed, incrementing their
// versions. target, when not nil, is the alignment being created or
// updated: it takes part with its new values in place of the stored one,
// gets its weight set, and is left for the caller to write. A rebalance
// that fails is the caller's EINVALID, unless removed says that a
// contributor was just removed (see rebalanceRemaining).
func (t tx) rebalanceParent(ctx context.Context, parentID int64, target *goalpost.Alignment, removed bool) error {
	stored, err := t.contributorsOf(ctx, parentID)
	if err != nil {
		return err
	}
	as := make([]*goalpost.Alignment, 0, len(stored)+1)
	before := make(map[*goalpost.Alignment]float64, len(stored))
	for _, a := range stored {
		if target != nil && a.ChildID == target.ChildID {
			continue
		}
		as = append(as, a)
		before[a] = a.Weight
	}
	if target != nil {
		as = append(as, target)
	}
	if removed {
		rebalanceRemaining(as)
	} else if err := goalpost.Rebalance(as); err != nil {
		return err
	}
	for _, a := range as {
		if a == target || a.Weight == before[a] {
			continue
		}
		a.Version++
		if err := t.updateAlignment(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// rebalanceRemaining rebalances the contributors left after one was
// removed. Removing one can leave weights that goalpost.Rebalance refuses,
// and a removal should not fail for them: when every remaining contributor
// is fixed and their weights no longer sum to 100 %, or fixed weights of
// earlier data sum to more, the fixed weights are scaled to sum to 100 %
// (keeping their ratios, and so the weighted progress of the parent) and
// the unfixed ones get 0; when all of them are 0 they share 100 % equally.
func rebalanceRemaining(as []*goalpost.Alignment) {
	if goalpost.Rebalance(as) == nil {
		return
	}
	var fixed float64
	for _, a := range as {
		if a.WeightFixed {
			fixed += max(0, min(100, a.Weight))
		}
	}
	for _, a := range as {
		switch {
		case fixed == 0:
			a.Weight = 100 / float64(len(as))
		case a.WeightFixed:
			a.Weight = math.Round(max(0, min(100, a.Weight))/fixed*100*1e9) / 1e9
		default:
			a.Weight = 0
		}
	}
}

// insertAlignment writes a new alignment after the child's other parents.
func (t tx) insertAlignment(ctx context.Context, a *goalpost.Alignment) error {
	_, err := t.exec(ctx, `INSERT INTO alignments (child_id, parent_id, weight, weight_fixed, position, version)
		VALUES (?, ?, ?, ?, (SELECT coalesce(max(position) + 1, 0) FROM alignments WHERE child_id = ?), ?)`,
		a.ChildID, a.ParentID, a.Weight, t.s.d.Bool(a.WeightFixed), a.ChildID, a.Version)
	if err != nil {
		return fmt.Errorf("create alignment: %w", err)
	}
	return nil
}

// updateAlignment writes an alignment's weight, whether it is fixed, and
// its version.
func (t tx) updateAlignment(ctx context.Context, a *goalpost.Alignment) error {
	_, err := t.exec(ctx, `UPDATE alignments SET weight = ?, weight_fixed = ?, version = ? WHERE child_id = ? AND parent_id = ?`,
		a.Weight, t.s.d.Bool(a.WeightFixed), a.Version, a.ChildID, a.ParentID)
	if err != nil {
		return fmt.Errorf("update alignment: %w", err)
	}
	return nil
}

// deleteAlignment deletes an alignment, rebalancing nothing.
func (t tx) deleteAlignment(ctx context.Context, childID, parentID int64) error {
	if _, err := t.exec(ctx, `DELETE FROM alignments WHERE child_id = ? AND parent_id = ?`, childID, parentID); err != nil {
		return fmt.Errorf("delete alignment: %w", err)
	}
	return nil
}
