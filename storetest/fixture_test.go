package storetest

import "testing"

// TestFixture checks the fixture against itself, so that a mistake in it
// shows here rather than as a store's failure.
func TestFixture(t *testing.T) {
	ds := fixture()
	items := map[int64]bool{}
	for _, it := range ds.Items {
		if items[it.ID] {
			t.Errorf("item %d twice", it.ID)
		}
		items[it.ID] = true
	}
	for _, a := range ds.Alignments {
		if !items[a.ChildID] || !items[a.ParentID] {
			t.Errorf("alignment %d → %d names a missing item", a.ChildID, a.ParentID)
		}
	}
	for _, c := range ds.CheckIns {
		if !items[c.ItemID] {
			t.Errorf("check-in %d of missing item %d", c.ID, c.ItemID)
		}
	}
	inA := 0
	for _, it := range ds.Items {
		if it.OrgID == orgA {
			inA++
		}
	}
	if len(orderAdmin) != inA {
		t.Errorf("orderAdmin has %d items, orgA %d", len(orderAdmin), inA)
	}
	seen := map[int64]bool{}
	for _, id := range orderAdmin {
		if seen[id] || !items[id] {
			t.Errorf("orderAdmin: item %d twice or missing", id)
		}
		seen[id] = true
	}
}
