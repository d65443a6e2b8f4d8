package storetest

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The contract of items, alignments and check-ins: their CRUD, the rules
// the data keeps (no cycles, weights that sum to 100 %), and the figures
// derived in the same transaction (progress from a metric, rolled up the
// alignment tree, an item's last check-in). The tests build their own
// trees in orgA through the API methods.

// wantField fails t unless err is EINVALID naming target.
func wantField(t *testing.T, err error, target string) {
	t.Helper()
	if e := wantCode(t, err, goalpost.EINVALID, ""); e.Target != target {
		t.Fatalf("err = %v with target %q, want target %q", err, e.Target, target)
	}
}

// approx reports whether a and b agree to 1e-9: the stores round rolled-up
// progress to that.
func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// newKR returns a manual key result of orgA on metric m at current.
func newKR(title string, m goalpost.Metric, current float64) *goalpost.Item {
	return &goalpost.Item{OrgID: orgA, Kind: goalpost.KindKeyResult, Title: title, OwnerIDs: ids(mia),
		CreatorID: olivia, PeriodID: periodQ1, Metric: m, Current: current}
}

// newRollup returns an objective of orgA on metric m whose progress rolls
// up from its contributors.
func newRollup(title string, m goalpost.Metric) *goalpost.Item {
	return &goalpost.Item{OrgID: orgA, Kind: goalpost.KindObjective, Title: title, OwnerIDs: ids(olivia),
		CreatorID: olivia, PeriodID: periodQ1, Metric: m, ProgressMode: goalpost.ProgressRollup}
}

func mustCreateItem(t *testing.T, s goalpost.Store, it *goalpost.Item) *goalpost.Item {
	t.Helper()
	if err := s.CreateItem(context.Background(), it); err != nil {
		t.Fatalf("CreateItem(%q): %v", it.Title, err)
	}
	return it
}

func mustItem(t *testing.T, s goalpost.Store, id int64) *goalpost.Item {
	t.Helper()
	it, err := s.FindItem(context.Background(), orgA, id)
	if err != nil {
		t.Fatalf("FindItem(%d): %v", id, err)
	}
	return it
}

// mustAlign aligns child to parent; a weight > 0 is fixed.
func mustAlign(t *testing.T, s goalpost.Store, child, parent int64, weight float64) *goalpost.Alignment {
	t.Helper()
	a := &goalpost.Alignment{ChildID: child, ParentID: parent, Weight: weight, WeightFixed: weight > 0}
	if err := s.CreateAlignment(context.Background(), orgA, a); err != nil {
		t.Fatalf("CreateAlignment(%d → %d): %v", child, parent, err)
	}
	return a
}

// wantWeights fails t unless the contributors of parent have the weights
// want (child id → weight).
func wantWeights(t *testing.T, s goalpost.Store, parent int64, want map[int64]float64) {
	t.Helper()
	as, err := s.ListAlignments(context.Background(), orgA, goalpost.AlignmentFilter{ParentID: parent})
	if err != nil {
		t.Fatalf("ListAlignments(parent %d): %v", parent, err)
	}
	got := make(map[int64]float64, len(as))
	for _, a := range as {
		got[a.ChildID] = a.Weight
	}
	ok := len(got) == len(want)
	for id, w := range want {
		if g, found := got[id]; !found || !approx(g, w) {
			ok = false
		}
	}
	if !ok {
		t.Fatalf("weights of the contributors of %d = %v, want %v", parent, got, want)
	}
}

// wantProgress fails t unless item id has the progress and current value
// want.
func wantProgress(t *testing.T, s goalpost.Store, id int64, progress, current float64) *goalpost.Item {
	t.Helper()
	it := mustItem(t, s, id)
	if !approx(it.Progress, progress) || !approx(it.Current, current) {
		t.Fatalf("item %d %q: progress %v, current %v; want %v, %v", id, it.Title, it.Progress, it.Current, progress, current)
	}
	return it
}

func itemIDsOf(its []*goalpost.Item) []int64 {
	out := make([]int64, len(its))
	for i, it := range its {
		out[i] = it.ID
	}
	return out
}

func testItems(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	// Lists: the viewer's items matching the filter, by id, in pages.
	all := []int64{100, 101, 102, 103, 104, 105, 106, 110, 111, 112, 113, 120, 121, 130, 131, 150}
	list := func(f goalpost.ItemFilter) []int64 {
		t.Helper()
		its, err := s.ListItems(ctx, f)
		if err != nil {
			t.Fatalf("ListItems(%+v): %v", f, err)
		}
		return itemIDsOf(its)
	}
	if got := list(goalpost.ItemFilter{OrgID: orgA, ViewerID: adam}); !slices.Equal(got, all) {
		t.Fatalf("ListItems(admin) = %v, want %v", got, all)
	}
	visible := slices.DeleteFunc(slices.Clone(all), func(id int64) bool { return id == 104 || id == 112 || id == 150 })
	if got := list(goalpost.ItemFilter{OrgID: orgA, ViewerID: mia}); !slices.Equal(got, visible) {
		t.Fatalf("ListItems(member) = %v, want %v (no restricted item of others)", got, visible)
	}
	var paged []int64
	for p := (goalpost.Page{Limit: 5}); ; {
		got := list(goalpost.ItemFilter{OrgID: orgA, ViewerID: adam, Page: p})
		if len(got) == 0 {
			break
		}
		if len(got) > 5 {
			t.Fatalf("a page of 5 has %d items", len(got))
		}
		paged = append(paged, got...)
		p.After = strconv.FormatInt(got[len(got)-1], 10)
	}
	if !slices.Equal(paged, all) {
		t.Fatalf("ListItems in pages of 5 = %v, want %v", paged, all)
	}
	objectives := goalpost.ItemFilter{OrgID: orgA, ViewerID: adam, Filter: goalpost.ViewFilter{Kinds: []goalpost.ItemKind{goalpost.KindObjective}}}
	if got, want := list(objectives), []int64{100, 110, 120, 130, 150}; !slices.Equal(got, want) {
		t.Fatalf("ListItems(objectives) = %v, want %v", got, want)
	}
	overdue := goalpost.ItemFilter{OrgID: orgA, ViewerID: adam, Today: date("2025-03-15"),
		Filter: goalpost.ViewFilter{Due: &goalpost.DateFilter{Op: goalpost.DateOverdue}}}
	if got, want := list(overdue), []int64{101}; !slices.Equal(got, want) {
		t.Fatalf("ListItems(overdue on 2025-03-15) = %v, want %v", got, want)
	}
	its, err := s.ListItems(ctx, goalpost.ItemFilter{OrgID: orgA, ViewerID: adam, Page: goalpost.Page{Limit: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if it := its[2]; it.ID != 102 || !slices.Equal(it.OwnerIDs, ids(mia, noah)) || !slices.Equal(it.TeamIDs, ids(teamEng, teamSales)) ||
		!slices.Equal(it.Tags, tags("customer", "growth")) || it.LastCheckIn != date("2025-03-12") || it.LastCheckInNote != "NPS 31" {
		t.Fatalf("listed item 102 = %+v", it)
	}
	_, err = s.ListItems(ctx, goalpost.ItemFilter{OrgID: uuid.New(), ViewerID: adam})
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.ListItems(ctx, goalpost.ItemFilter{OrgID: orgA, ViewerID: adam, Page: goalpost.Page{After: "x"}})
	wantField(t, err, "$skiptoken")

	// Find: any visibility, but only in its own organization.
	it := mustItem(t, s, 101)
	if it.Metric.Name != "Deals" || it.Current != 10 || it.Progress != 20 || it.Status != goalpost.StatusBehind || it.Version != 1 {
		t.Fatalf("FindItem(101) = %+v", it)
	}
	if r := mustItem(t, s, 104); r.Visibility != goalpost.VisibilityRestricted {
		t.Fatalf("FindItem(104) = %+v, want the restricted item", r)
	}
	_, err = s.FindItem(ctx, orgB, 101)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.FindItem(ctx, orgA, 999)
	wantCode(t, err, goalpost.ENOTFOUND, "")

	// Create: the next id of the deployment, defaults, progress from the
	// metric, version 1.
	kr := newKR("Win 40 customers", goalpost.Metric{Name: "Customers", Unit: "customers", Start: 10, Target: 50}, 20)
	kr.TeamIDs, kr.Tags = ids(teamSales, teamEng), tags("b", "a")
	mustCreateItem(t, s, kr)
	if kr.ID != 202 || kr.Version != 1 || kr.CreatedAt.IsZero() || !kr.UpdatedAt.Equal(kr.CreatedAt) {
		t.Fatalf("created %+v: want id 202 (after orgB's 201), version 1, creation and update time", kr)
	}
	if kr.Level != goalpost.LevelIndividual || kr.GoalType != goalpost.GoalAspirational || kr.ProgressMode != goalpost.ProgressManual ||
		kr.Status != goalpost.StatusNotStarted || kr.Visibility != goalpost.VisibilityEveryone || kr.Metric.Direction != goalpost.DirectionIncreaseFrom {
		t.Fatalf("created %+v: want the defaults", kr)
	}
	if kr.Progress != 25 {
		t.Fatalf("created progress %v, want 25 (20 on the way from 10 to 50)", kr.Progress)
	}
	got := mustItem(t, s, kr.ID)
	if !reflect.DeepEqual(got, kr) {
		t.Fatalf("FindItem(created) =\n%+v\nwant\n%+v", got, kr)
	}
	pct := mustCreateItem(t, s, &goalpost.Item{ID: 5000, OrgID: orgA, Kind: goalpost.KindInitiative, Title: "Percent", Current: 30,
		CreatedAt: time.Date(2025, 3, 1, 9, 0, 0, 123456789, time.UTC)})
	if pct.ID != 5000 || pct.Metric.Unit != "%" || pct.Metric.Target != 100 || pct.Progress != 30 ||
		!pct.CreatedAt.Equal(time.Date(2025, 3, 1, 9, 0, 0, 123000000, time.UTC)) {
		t.Fatalf("created %+v: want id 5000, a percent metric, progress 30, the creation time to the millisecond", pct)
	}
	if next := mustCreateItem(t, s, newKR("Next", goalpost.Metric{}, 0)); next.ID != 5001 {
		t.Fatalf("next id = %d, want 5001", next.ID)
	}
	ro := mustCreateItem(t, s, &goalpost.Item{OrgID: orgA, Kind: goalpost.KindObjective, Title: "Rolled", ProgressMode: goalpost.ProgressRollup,
		Metric: goalpost.Metric{Name: "Revenue", Unit: "$", Start: 100, Target: 200}, Current: 150})
	if ro.Progress != 0 || ro.Current != 100 {
		t.Fatalf("created rollup item: progress %v, current %v; want 0 and the metric's start 100 (no contributors)", ro.Progress, ro.Current)
	}
	for _, c := range []struct {
		target string
		edit   func(it *goalpost.Item)
	}{
		{"ownerIds", func(it *goalpost.Item) { it.OwnerIDs = ids(mia, otto) }},
		{"teamIds", func(it *goalpost.Item) { it.TeamIDs = ids(teamB) }},
		{"periodId", func(it *goalpost.Item) { it.PeriodID = periodB }},
		{"creatorId", func(it *goalpost.Item) { it.CreatorID = otto }},
		{"title", func(it *goalpost.Item) { it.Title = " " }},
		{"metric.target", func(it *goalpost.Item) {
			it.Metric = goalpost.Metric{Name: "Down", Start: 10, Target: 20, Direction: goalpost.DirectionDecreaseFrom}
		}},
		{"id", func(it *goalpost.Item) { it.ID = -1 }},
	} {
		it := newKR("Bad "+c.target, goalpost.Metric{}, 0)
		c.edit(it)
		wantField(t, s.CreateItem(ctx, it), c.target)
	}
	dup := newKR("Duplicate", goalpost.Metric{}, 0)
	dup.ID = 100
	wantCode(t, s.CreateItem(ctx, dup), goalpost.ECONFLICT, "")
	nowhere := newKR("Nowhere", goalpost.Metric{}, 0)
	nowhere.OrgID = uuid.New()
	wantCode(t, s.CreateItem(ctx, nowhere), goalpost.ENOTFOUND, "")
	if got := list(goalpost.ItemFilter{OrgID: orgA, ViewerID: adam, Page: goalpost.Page{After: "150"}}); !slices.Equal(got, []int64{202, 5000, 5001, 5002}) {
		t.Fatalf("items after the failed creates = %v, want only the created ones", got)
	}

	// Update: fn edits, the store keeps what is its own and recomputes
	// progress.
	up, err := s.UpdateItem(ctx, orgA, kr.ID, 1, func(it *goalpost.Item) error {
		it.Title = "Win 50 customers"
		it.Current = 40
		it.OwnerIDs = ids(noah, mia)
		it.Tags = nil
		it.ID, it.OrgID, it.CreatorID, it.Version = 1, orgB, adam, 99
		it.CreatedAt = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		it.Progress = 3
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if up.ID != kr.ID || up.OrgID != orgA || up.CreatorID != olivia || !up.CreatedAt.Equal(kr.CreatedAt) || up.Version != 2 ||
		up.Title != "Win 50 customers" || up.Progress != 75 || !slices.Equal(up.OwnerIDs, ids(noah, mia)) || up.Tags != nil ||
		up.UpdatedAt.Before(kr.UpdatedAt) {
		t.Fatalf("UpdateItem = %+v", up)
	}
	if got := mustItem(t, s, kr.ID); !reflect.DeepEqual(got, up) {
		t.Fatalf("FindItem(updated) =\n%+v\nwant\n%+v", got, up)
	}
	_, err = s.UpdateItem(ctx, orgA, kr.ID, 1, func(it *goalpost.Item) error { it.Title = "Lost"; return nil })
	wantCode(t, err, goalpost.EPRECONDITION, "")
	_, err = s.UpdateItem(ctx, orgA, kr.ID, 0, func(it *goalpost.Item) error { it.OwnerIDs = ids(otto); return nil })
	wantField(t, err, "ownerIds")
	_, err = s.UpdateItem(ctx, orgA, kr.ID, 0, func(it *goalpost.Item) error { it.Score = ptr(0.5); return nil })
	wantField(t, err, "score")
	if got := mustItem(t, s, kr.ID); !reflect.DeepEqual(got, up) {
		t.Fatalf("after refused updates: %+v, want it unchanged", got)
	}
	_, err = s.UpdateItem(ctx, orgB, kr.ID, 0, func(it *goalpost.Item) error { return nil })
	wantCode(t, err, goalpost.ENOTFOUND, "")
	// An owner who left the organization does not block other edits.
	if err := s.RemoveMember(ctx, orgA, tina, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateItem(ctx, orgA, 101, 0, func(it *goalpost.Item) error { it.Title = "Close 60 deals"; return nil }); err != nil {
		t.Fatalf("UpdateItem(owned by a former member): %v", err)
	}

	// Delete: refused while items contribute, else gone with its
	// check-ins.
	err = s.DeleteItem(ctx, orgA, 100, 0)
	if e := wantCode(t, err, goalpost.ECONFLICT, ""); !strings.Contains(e.Message, "5 contributing items") {
		t.Fatalf("delete with contributors: %q, want the count of 5 contributing items", e.Message)
	}
	wantCode(t, s.DeleteItem(ctx, orgA, 103, 2), goalpost.EPRECONDITION, "")
	wantCode(t, s.DeleteItem(ctx, orgB, 103, 0), goalpost.ENOTFOUND, "")
	if err := s.DeleteItem(ctx, orgA, 103, 1); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindItem(ctx, orgA, 103)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.FindCheckIn(ctx, orgA, 7)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	if as, err := s.ListAlignments(ctx, orgA, goalpost.AlignmentFilter{ParentID: 102}); err != nil || len(as) != 0 {
		t.Fatalf("contributors of 102 after deleting 103 = %v, %v; want none", as, err)
	}
	// 102 has no contributor left: it can go now.
	if err := s.DeleteItem(ctx, orgA, 102, 0); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteItem(ctx, orgA, 103, 0), goalpost.ENOTFOUND, "")
}

func testAlignments(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	parents, err := s.ListAlignments(ctx, orgA, goalpost.AlignmentFilter{ChildID: 111})
	if err != nil || len(parents) != 2 || parents[0].ParentID != 110 || parents[1].ParentID != 100 || parents[1].Weight != 25 {
		t.Fatalf("ListAlignments(child 111) = %+v, %v; want 110, then 100 at 25 %%", parents, err)
	}
	kids, err := s.ListAlignments(ctx, orgA, goalpost.AlignmentFilter{ParentID: 100})
	if err != nil || len(kids) != 5 || kids[0].ChildID != 101 || kids[4].ChildID != 111 {
		t.Fatalf("ListAlignments(parent 100) = %+v, %v; want 101, 102, 104, 106, 111", kids, err)
	}
	_, err = s.ListAlignments(ctx, orgA, goalpost.AlignmentFilter{})
	wantCode(t, err, goalpost.EINVALID, "")
	_, err = s.ListAlignments(ctx, orgA, goalpost.AlignmentFilter{ChildID: 201})
	wantCode(t, err, goalpost.ENOTFOUND, "")
	if a, err := s.FindAlignment(ctx, orgA, 111, 100); err != nil || a.Weight != 25 || a.Version != 1 {
		t.Fatalf("FindAlignment(111 → 100) = %+v, %v", a, err)
	}
	_, err = s.FindAlignment(ctx, orgB, 111, 100)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.FindAlignment(ctx, orgA, 101, 110)
	wantCode(t, err, goalpost.ENOTFOUND, "")

	// Three contributors share 100 % equally.
	p := mustCreateItem(t, s, newRollup("Parent", goalpost.Metric{})).ID
	a := mustCreateItem(t, s, newKR("A", goalpost.Metric{}, 30)).ID
	b := mustCreateItem(t, s, newKR("B", goalpost.Metric{}, 60)).ID
	c := mustCreateItem(t, s, newKR("C", goalpost.Metric{}, 90)).ID
	mustAlign(t, s, a, p, 0)
	wantWeights(t, s, p, map[int64]float64{a: 100})
	wantProgress(t, s, p, 30, 30)
	mustAlign(t, s, b, p, 0)
	wantWeights(t, s, p, map[int64]float64{a: 50, b: 50})
	third := mustAlign(t, s, c, p, 0)
	third3 := 100.0 / 3
	if third.Version != 1 || !approx(third.Weight, third3) {
		t.Fatalf("created alignment %+v, want version 1 and weight 33.33…", third)
	}
	wantWeights(t, s, p, map[int64]float64{a: third3, b: third3, c: third3})
	wantProgress(t, s, p, 60, 60)
	if first, err := s.FindAlignment(ctx, orgA, a, p); err != nil || first.Version != 3 {
		t.Fatalf("FindAlignment(A) = %+v, %v; want version 3 after two rebalances", first, err)
	}

	// The same pair twice, cycles, missing items.
	wantCode(t, s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: a, ParentID: p}), goalpost.ECONFLICT, "")
	wantCode(t, s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: p, ParentID: a}), goalpost.ECONFLICT, "")
	g := mustCreateItem(t, s, newRollup("Grandparent", goalpost.Metric{})).ID
	mustAlign(t, s, p, g, 0)
	wantCode(t, s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: g, ParentID: a}), goalpost.ECONFLICT, "")
	wantField(t, s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: a, ParentID: a}), "parentId")
	wantCode(t, s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: a, ParentID: 999}), goalpost.ENOTFOUND, "")
	wantCode(t, s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: a, ParentID: 200}), goalpost.ENOTFOUND, "")
	wantCode(t, s.CreateAlignment(ctx, orgB, &goalpost.Alignment{ChildID: 201, ParentID: a}), goalpost.ENOTFOUND, "")
	wantWeights(t, s, p, map[int64]float64{a: third3, b: third3, c: third3})

	// Fixing one at 50 leaves 25 and 25.
	up, err := s.UpdateAlignment(ctx, orgA, a, p, 3, func(al *goalpost.Alignment) error { al.Weight = 50; return nil })
	if err != nil || !up.WeightFixed || up.Weight != 50 || up.Version != 4 {
		t.Fatalf("UpdateAlignment(weight 50) = %+v, %v; want a fixed 50 at version 4", up, err)
	}
	wantWeights(t, s, p, map[int64]float64{a: 50, b: 25, c: 25})
	wantProgress(t, s, p, 0.5*30+0.25*60+0.25*90, 52.5)
	wantProgress(t, s, g, 52.5, 52.5)
	_, err = s.UpdateAlignment(ctx, orgA, a, p, 3, func(al *goalpost.Alignment) error { al.Weight = 10; return nil })
	wantCode(t, err, goalpost.EPRECONDITION, "")
	// Fixed weights summing over 100 % are refused, and change nothing.
	_, err = s.UpdateAlignment(ctx, orgA, b, p, 0, func(al *goalpost.Alignment) error { al.Weight = 60; return nil })
	wantField(t, err, "weight")
	wantWeights(t, s, p, map[int64]float64{a: 50, b: 25, c: 25})
	err = s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: mustCreateItem(t, s, newKR("D", goalpost.Metric{}, 0)).ID,
		ParentID: p, Weight: 51, WeightFixed: true})
	wantField(t, err, "weight")
	wantWeights(t, s, p, map[int64]float64{a: 50, b: 25, c: 25})

	// Deleting one rebalances the rest.
	wantCode(t, s.DeleteAlignment(ctx, orgA, c, p, 1), goalpost.EPRECONDITION, "")
	if err := s.DeleteAlignment(ctx, orgA, c, p, 0); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteAlignment(ctx, orgA, c, p, 0), goalpost.ENOTFOUND, "")
	wantWeights(t, s, p, map[int64]float64{a: 50, b: 50})
	wantProgress(t, s, p, 45, 45)
	wantProgress(t, s, g, 45, 45)
	// Clearing WeightFixed lets the weight be rebalanced again, even when
	// fn also sets a weight.
	if up, err := s.UpdateAlignment(ctx, orgA, a, p, 0, func(al *goalpost.Alignment) error {
		al.Weight, al.WeightFixed = 80, false
		return nil
	}); err != nil || up.WeightFixed || up.Weight != 50 {
		t.Fatalf("UpdateAlignment(clear fixed) = %+v, %v; want an unfixed 50", up, err)
	}
	// Both fixed at 50; removing one leaves the other alone at 100 %.
	for _, id := range []int64{a, b} {
		if _, err := s.UpdateAlignment(ctx, orgA, id, p, 0, func(al *goalpost.Alignment) error { al.WeightFixed = true; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteAlignment(ctx, orgA, b, p, 0); err != nil {
		t.Fatal(err)
	}
	wantWeights(t, s, p, map[int64]float64{a: 100})
	wantProgress(t, s, p, 30, 30)
	// Deleting a contributing item rebalances its parent's other
	// contributors and rolls the parent up.
	mustAlign(t, s, c, p, 0)
	if _, err := s.UpdateAlignment(ctx, orgA, a, p, 0, func(al *goalpost.Alignment) error { al.WeightFixed = false; return nil }); err != nil {
		t.Fatal(err)
	}
	wantWeights(t, s, p, map[int64]float64{a: 50, c: 50})
	wantProgress(t, s, p, 60, 60)
	if err := s.DeleteItem(ctx, orgA, c, 0); err != nil {
		t.Fatal(err)
	}
	wantWeights(t, s, p, map[int64]float64{a: 100})
	wantProgress(t, s, p, 30, 30)
	wantProgress(t, s, g, 30, 30)
}

func testRollup(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	// G (revenue from 0 to 200 $) ← O (percent) at an equal share with K4;
	// O ← K1 (percent, fixed at 50 %), K2 (customers from 100 up to 300),
	// K3 (churn from 10 % down to 5 %), 25 % each.
	g := mustCreateItem(t, s, newRollup("Grow revenue", goalpost.Metric{Name: "Revenue", Unit: "$", Start: 0, Target: 200})).ID
	o := mustCreateItem(t, s, newRollup("Delight customers", goalpost.Metric{})).ID
	k1 := mustCreateItem(t, s, newKR("Ship onboarding", goalpost.Metric{}, 40)).ID
	k2 := mustCreateItem(t, s, newKR("Win customers",
		goalpost.Metric{Name: "Customers", Unit: "customers", Start: 100, Target: 300, Direction: goalpost.DirectionIncreaseFrom}, 150)).ID
	k3 := mustCreateItem(t, s, newKR("Cut churn",
		goalpost.Metric{Name: "Churn", Unit: "%", Start: 10, Target: 5, Direction: goalpost.DirectionDecreaseFrom}, 8)).ID
	k4 := mustCreateItem(t, s, newKR("Done already", goalpost.Metric{}, 100)).ID
	mustAlign(t, s, o, g, 0)
	mustAlign(t, s, k4, g, 0)
	mustAlign(t, s, k2, o, 0)
	mustAlign(t, s, k3, o, 0)
	mustAlign(t, s, k1, o, 50)
	wantWeights(t, s, o, map[int64]float64{k1: 50, k2: 25, k3: 25})

	checkIn := func(item int64, value float64) {
		t.Helper()
		c := &goalpost.CheckIn{ItemID: item, Date: date("2025-03-14"), UserID: mia, Status: goalpost.StatusOnTrack, Value: value}
		if err := s.CreateCheckIn(ctx, orgA, c); err != nil {
			t.Fatalf("CreateCheckIn(%d, %v): %v", item, value, err)
		}
	}
	for _, c := range []struct {
		name         string
		do           func()
		k1, k2, k3   float64 // progress of the key results
		o, g, gValue float64
	}{
		{"built", func() {}, 40, 25, 40, 36.25, 68.125, 136.25},
		{"K2 reaches 300 customers", func() { checkIn(k2, 300) }, 40, 100, 40, 55, 77.5, 155},
		{"K3 down to 5 %", func() { checkIn(k3, 5) }, 40, 100, 100, 70, 85, 170},
		{"K1 back to 0", func() { checkIn(k1, 0) }, 0, 100, 100, 50, 75, 150},
		{"K3 up to 9 % by an edit", func() {
			if _, err := s.UpdateItem(ctx, orgA, k3, 0, func(it *goalpost.Item) error { it.Current = 9; return nil }); err != nil {
				t.Fatal(err)
			}
		}, 0, 100, 20, 30, 65, 130},
		{"K2 below its start", func() { checkIn(k2, 50) }, 0, 0, 20, 5, 52.5, 105},
	} {
		c.do()
		wantProgress(t, s, k1, c.k1, c.k1)
		wantProgress(t, s, o, c.o, c.o)
		wantProgress(t, s, g, c.g, c.gValue)
		if it := mustItem(t, s, k2); !approx(it.Progress, c.k2) {
			t.Fatalf("%s: K2 progress %v, want %v", c.name, it.Progress, c.k2)
		}
		if it := mustItem(t, s, k3); !approx(it.Progress, c.k3) {
			t.Fatalf("%s: K3 progress %v, want %v", c.name, it.Progress, c.k3)
		}
	}

	// A diamond: K1 contributes to O and to G, which O contributes to as
	// well. G is recomputed once, after O.
	mustAlign(t, s, k1, g, 0)
	wantWeights(t, s, g, map[int64]float64{o: 100.0 / 3, k4: 100.0 / 3, k1: 100.0 / 3})
	before := mustItem(t, s, g)
	checkIn(k1, 100)
	wantProgress(t, s, o, 0.5*100+0.25*0+0.25*20, 55)
	after := wantProgress(t, s, g, (55+100+100)/3.0, 200*(55+100+100)/3.0/100)
	if after.Version != before.Version+1 {
		t.Fatalf("G went from version %d to %d, want one change", before.Version, after.Version)
	}

	// A manual item stops the walk.
	if _, err := s.UpdateItem(ctx, orgA, o, 0, func(it *goalpost.Item) error {
		it.ProgressMode, it.Current = goalpost.ProgressManual, 10
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantProgress(t, s, o, 10, 10)
	wantProgress(t, s, g, (10+100+100)/3.0, 140)
	checkIn(k2, 300)
	wantProgress(t, s, o, 10, 10)
	wantProgress(t, s, g, (10+100+100)/3.0, 140)
	// Back to rollup: progress comes from the contributors again.
	if _, err := s.UpdateItem(ctx, orgA, o, 0, func(it *goalpost.Item) error { it.ProgressMode = goalpost.ProgressRollup; return nil }); err != nil {
		t.Fatal(err)
	}
	wantProgress(t, s, o, 0.5*100+0.25*100+0.25*20, 80)
	wantProgress(t, s, g, (80+100+100)/3.0, 200*(80+100+100)/3.0/100)
	// Deleting a contributor rolls the rest up.
	if err := s.DeleteItem(ctx, orgA, k4, 0); err != nil {
		t.Fatal(err)
	}
	wantWeights(t, s, g, map[int64]float64{o: 50, k1: 50})
	wantProgress(t, s, g, 90, 180)
}

func testCheckIns(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	// Lists: newest first (date, activity time, id), in pages.
	listIDs := func(item int64, p goalpost.Page) []int64 {
		t.Helper()
		cs, err := s.ListCheckIns(ctx, orgA, item, p)
		if err != nil {
			t.Fatalf("ListCheckIns(%d, %+v): %v", item, p, err)
		}
		out := make([]int64, len(cs))
		for i, c := range cs {
			out[i] = c.ID
		}
		return out
	}
	if got, want := listIDs(101, goalpost.Page{}), []int64{4, 5, 3}; !slices.Equal(got, want) {
		t.Fatalf("ListCheckIns(101) = %v, want %v", got, want)
	}
	var paged []int64
	for p := (goalpost.Page{Limit: 1}); ; {
		got := listIDs(101, p)
		if len(got) == 0 {
			break
		}
		paged = append(paged, got...)
		p.After = strconv.FormatInt(got[0], 10)
	}
	if want := []int64{4, 5, 3}; !slices.Equal(paged, want) {
		t.Fatalf("ListCheckIns(101) in pages of 1 = %v, want %v", paged, want)
	}
	_, err := s.ListCheckIns(ctx, orgA, 101, goalpost.Page{After: "x"})
	wantField(t, err, "$skiptoken")
	_, err = s.ListCheckIns(ctx, orgA, 101, goalpost.Page{After: "6"}) // a check-in of another item
	wantField(t, err, "$skiptoken")
	_, err = s.ListCheckIns(ctx, orgA, 201, goalpost.Page{})
	wantCode(t, err, goalpost.ENOTFOUND, "")
	if c, err := s.FindCheckIn(ctx, orgA, 5); err != nil || c.ItemID != 101 || c.Value != 9 || c.UserID != tina || c.Version != 1 ||
		c.Note != `Correction, "quoted"` || !c.ActivityAt.Equal(at("2025-03-10 08:00")) {
		t.Fatalf("FindCheckIn(5) = %+v, %v", c, err)
	}
	_, err = s.FindCheckIn(ctx, orgB, 5)
	wantCode(t, err, goalpost.ENOTFOUND, "")
	_, err = s.FindCheckIn(ctx, orgA, 12)
	wantCode(t, err, goalpost.ENOTFOUND, "")

	// G ← P ← K (deals from 0 to 50) and K2 (percent at 20).
	g := mustCreateItem(t, s, newRollup("Grow", goalpost.Metric{})).ID
	p := mustCreateItem(t, s, newRollup("Sell", goalpost.Metric{Name: "Revenue", Unit: "$", Start: 0, Target: 1000})).ID
	k := mustCreateItem(t, s, newKR("Close deals", goalpost.Metric{Name: "Deals", Unit: "number", Start: 0, Target: 50}, 0)).ID
	k2 := mustCreateItem(t, s, newKR("Train sellers", goalpost.Metric{}, 20)).ID
	mustAlign(t, s, p, g, 0)
	mustAlign(t, s, k, p, 0)
	mustAlign(t, s, k2, p, 0)
	wantProgress(t, s, p, 10, 100)
	wantProgress(t, s, g, 10, 10)

	type state struct {
		current, progress float64
		status            goalpost.Status
		last              string
		note              string
		p, g              float64
	}
	want := func(name string, w state) {
		t.Helper()
		it := wantProgress(t, s, k, w.progress, w.current)
		if it.Status != w.status || it.LastCheckIn != date(w.last) || it.LastCheckInNote != w.note {
			t.Fatalf("%s: K status %s, last check-in %v %q; want %s, %s %q", name, it.Status, it.LastCheckIn, it.LastCheckInNote, w.status, w.last, w.note)
		}
		wantProgress(t, s, p, w.p, w.p*10)
		wantProgress(t, s, g, w.g, w.g)
	}

	first := &goalpost.CheckIn{ItemID: k, Date: date("2025-03-14"), UserID: mia, Note: "Thirty", Status: goalpost.StatusOnTrack, Value: 30}
	if err := s.CreateCheckIn(ctx, orgA, first); err != nil {
		t.Fatal(err)
	}
	if first.ID != 13 || first.Version != 1 || first.ActivityAt.IsZero() {
		t.Fatalf("created %+v: want id 13 (after the fixture's 12), version 1 and an activity time", first)
	}
	if got, err := s.FindCheckIn(ctx, orgA, first.ID); err != nil || !reflect.DeepEqual(got, first) {
		t.Fatalf("FindCheckIn(created) = %+v, %v; want %+v", got, err, first)
	}
	want("first check-in", state{30, 60, goalpost.StatusOnTrack, "2025-03-14", "Thirty", 40, 40})
	kVersion := mustItem(t, s, k).Version

	// An older check-in is history: the item keeps its newest.
	older := &goalpost.CheckIn{ItemID: k, Date: date("2025-03-01"), UserID: noah, Note: "Ten", Status: goalpost.StatusBehind, Value: 10,
		ActivityAt: at("2025-03-01 10:00")}
	if err := s.CreateCheckIn(ctx, orgA, older); err != nil {
		t.Fatal(err)
	}
	want("older check-in", state{30, 60, goalpost.StatusOnTrack, "2025-03-14", "Thirty", 40, 40})
	if v := mustItem(t, s, k).Version; v != kVersion {
		t.Fatalf("an older check-in moved K from version %d to %d", kVersion, v)
	}
	// An edit of the item since its newest check-in stays when a check-in
	// behind the newest one is written.
	if _, err := s.UpdateItem(ctx, orgA, k, 0, func(it *goalpost.Item) error { it.Current = 35; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateCheckIn(ctx, orgA, older.ID, 0, func(c *goalpost.CheckIn) error { c.Note = "Ten, edited"; return nil }); err != nil {
		t.Fatal(err)
	}
	want("item edited, then an older check-in", state{35, 70, goalpost.StatusOnTrack, "2025-03-14", "Thirty", 45, 45})

	newer := &goalpost.CheckIn{ItemID: k, Date: date("2025-03-15"), UserID: mia, Note: "Slipping", Status: goalpost.StatusBehind, Value: 45,
		ActivityAt: at("2025-03-15 09:00")}
	if err := s.CreateCheckIn(ctx, orgA, newer); err != nil {
		t.Fatal(err)
	}
	want("newer check-in", state{45, 90, goalpost.StatusBehind, "2025-03-15", "Slipping", 55, 55})
	if got, want := listIDs(k, goalpost.Page{}), []int64{newer.ID, first.ID, older.ID}; !slices.Equal(got, want) {
		t.Fatalf("ListCheckIns(K) = %v, want %v", got, want)
	}

	// Deleting the newest restores the previous one's values.
	wantCode(t, s.DeleteCheckIn(ctx, orgA, newer.ID, 2), goalpost.EPRECONDITION, "")
	if err := s.DeleteCheckIn(ctx, orgA, newer.ID, 1); err != nil {
		t.Fatal(err)
	}
	want("newest deleted", state{30, 60, goalpost.StatusOnTrack, "2025-03-14", "Thirty", 40, 40})
	wantCode(t, s.DeleteCheckIn(ctx, orgA, newer.ID, 0), goalpost.ENOTFOUND, "")

	// Editing the newest moves the item; editing an older one does not.
	up, err := s.UpdateCheckIn(ctx, orgA, first.ID, 1, func(c *goalpost.CheckIn) error {
		c.Value, c.Note, c.Status = 40, "Forty", goalpost.StatusAtRisk
		c.ID, c.ItemID, c.Version = 1, 101, 7
		return nil
	})
	if err != nil || up.ID != first.ID || up.ItemID != k || up.Version != 2 || up.Value != 40 {
		t.Fatalf("UpdateCheckIn = %+v, %v", up, err)
	}
	want("newest edited", state{40, 80, goalpost.StatusAtRisk, "2025-03-14", "Forty", 50, 50})
	if _, err := s.UpdateCheckIn(ctx, orgA, older.ID, 0, func(c *goalpost.CheckIn) error { c.Value = 5; c.Note = "Five"; return nil }); err != nil {
		t.Fatal(err)
	}
	want("older edited", state{40, 80, goalpost.StatusAtRisk, "2025-03-14", "Forty", 50, 50})
	// An older one edited to be the newest takes over.
	if _, err := s.UpdateCheckIn(ctx, orgA, older.ID, 0, func(c *goalpost.CheckIn) error { c.Date = date("2025-03-20"); return nil }); err != nil {
		t.Fatal(err)
	}
	want("older moved to the front", state{5, 10, goalpost.StatusBehind, "2025-03-20", "Five", 15, 15})

	// Refused writes change nothing.
	_, err = s.UpdateCheckIn(ctx, orgA, first.ID, 1, func(c *goalpost.CheckIn) error { c.Value = 0; return nil })
	wantCode(t, err, goalpost.EPRECONDITION, "")
	_, err = s.UpdateCheckIn(ctx, orgA, first.ID, 0, func(c *goalpost.CheckIn) error { c.UserID = otto; return nil })
	wantField(t, err, "userId")
	_, err = s.UpdateCheckIn(ctx, orgB, first.ID, 0, func(c *goalpost.CheckIn) error { return nil })
	wantCode(t, err, goalpost.ENOTFOUND, "")
	for _, c := range []struct {
		target string
		edit   func(c *goalpost.CheckIn)
	}{
		{"userId", func(c *goalpost.CheckIn) { c.UserID = otto }},
		{"userId", func(c *goalpost.CheckIn) { c.UserID = uuid.Nil }},
		{"date", func(c *goalpost.CheckIn) { c.Date = goalpost.Date{} }},
		{"status", func(c *goalpost.CheckIn) { c.Status = "fine" }},
		{"value", func(c *goalpost.CheckIn) { c.Value = math.Inf(1) }},
	} {
		ci := &goalpost.CheckIn{ItemID: k, Date: date("2025-03-31"), UserID: mia, Status: goalpost.StatusOnTrack, Value: 50}
		c.edit(ci)
		wantField(t, s.CreateCheckIn(ctx, orgA, ci), c.target)
	}
	wantCode(t, s.CreateCheckIn(ctx, orgA, &goalpost.CheckIn{ItemID: 201, Date: date("2025-03-31"), UserID: mia, Status: goalpost.StatusOnTrack}),
		goalpost.ENOTFOUND, "")
	wantCode(t, s.CreateCheckIn(ctx, orgA, &goalpost.CheckIn{ItemID: 999, Date: date("2025-03-31"), UserID: mia, Status: goalpost.StatusOnTrack}),
		goalpost.ENOTFOUND, "")
	want("after refused writes", state{5, 10, goalpost.StatusBehind, "2025-03-20", "Five", 15, 15})

	// A rolled-up item's status follows its check-ins; its progress stays
	// rolled up.
	if err := s.CreateCheckIn(ctx, orgA, &goalpost.CheckIn{ItemID: p, Date: date("2025-03-14"), UserID: olivia, Note: "Watch it",
		Status: goalpost.StatusAtRisk, Value: 999}); err != nil {
		t.Fatal(err)
	}
	if it := wantProgress(t, s, p, 15, 150); it.Status != goalpost.StatusAtRisk || it.LastCheckInNote != "Watch it" {
		t.Fatalf("rollup item after a check-in: %+v, want status atRisk and the note", it)
	}

	// A check-in that reopens a closed item drops its score: only a closed
	// item has one.
	if err := s.CreateCheckIn(ctx, orgA, &goalpost.CheckIn{ItemID: 103, Date: date("2025-03-14"), UserID: mia,
		Status: goalpost.StatusReopened, Value: 90}); err != nil {
		t.Fatal(err)
	}
	if it := wantProgress(t, s, 103, 90, 90); it.Status != goalpost.StatusReopened || it.Score != nil || it.Version != 2 {
		t.Fatalf("reopened item 103 = %+v, want status reopened, no score, version 2", it)
	}

	// Without check-ins, the last check-in is empty and the values stay.
	for _, id := range []int64{first.ID, older.ID} {
		if err := s.DeleteCheckIn(ctx, orgA, id, 0); err != nil {
			t.Fatal(err)
		}
	}
	want("no check-ins", state{5, 10, goalpost.StatusBehind, "", "", 15, 15})
}

func testConcurrentCheckIns(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	p := mustCreateItem(t, s, newRollup("Parent", goalpost.Metric{})).ID
	k1 := mustCreateItem(t, s, newKR("K1", goalpost.Metric{}, 0)).ID
	k2 := mustCreateItem(t, s, newKR("K2", goalpost.Metric{Name: "Units", Unit: "number", Start: 0, Target: 40}, 0)).ID
	mustAlign(t, s, k1, p, 0)
	mustAlign(t, s, k2, p, 0)

	// Two writers check in on the siblings at once, each round starting
	// together (rounds[i] is a barrier). They give ids of their own, so
	// that nothing but the organization's lock orders them.
	const n = 20
	base := at("2025-03-14 09:00")
	value := func(w, i int) float64 { return float64((i*7 + w*3) % 41) }
	var rounds [n]sync.WaitGroup
	for i := range rounds {
		rounds[i].Add(2)
	}
	var wg sync.WaitGroup
	for w, item := range []int64{k1, k2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				rounds[i].Done()
				rounds[i].Wait()
				c := &goalpost.CheckIn{ID: int64(1000*(w+1) + i), ItemID: item, Date: date("2025-03-14"), UserID: mia,
					Status: goalpost.StatusOnTrack, Value: value(w, i), ActivityAt: base.Add(time.Duration(i) * time.Minute)}
				if err := s.CreateCheckIn(ctx, orgA, c); err != nil {
					t.Errorf("writer %d, check-in %d: %v", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	i1 := wantProgress(t, s, k1, value(0, n-1), value(0, n-1))
	i2 := wantProgress(t, s, k2, value(1, n-1)/40*100, value(1, n-1))
	want := goalpost.RollupProgress([]goalpost.Contribution{{Weight: 50, Progress: i1.Progress}, {Weight: 50, Progress: i2.Progress}})
	wantProgress(t, s, p, want, want)

	// Writers of two organizations at once get ids the stores assign from
	// one sequence for the deployment: check-ins (older than K1's, so K1
	// keeps its values) and items.
	var created sync.Map // item id → true
	for w, org := range []uuid.UUID{orgA, orgB} {
		item, user, period := k1, mia, periodQ1
		if org == orgB {
			item, user, period = 201, otto, periodB
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range n {
				c := &goalpost.CheckIn{ItemID: item, Date: date("2025-03-01"), UserID: user, Status: goalpost.StatusBehind,
					Value: 1, ActivityAt: base.Add(time.Duration(i) * time.Minute)}
				if err := s.CreateCheckIn(ctx, org, c); err != nil {
					t.Errorf("check-in writer %d, check-in %d: %v", w, i, err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := range n {
				it := &goalpost.Item{OrgID: org, Kind: goalpost.KindKeyResult, Title: "Concurrent " + strconv.Itoa(i),
					OwnerIDs: ids(user), CreatorID: user, PeriodID: period}
				if err := s.CreateItem(ctx, it); err != nil {
					t.Errorf("item writer %d, item %d: %v", w, i, err)
					return
				}
				if _, dup := created.LoadOrStore(it.ID, true); dup {
					t.Errorf("item writer %d got the id %d twice", w, it.ID)
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	wantProgress(t, s, k1, value(0, n-1), value(0, n-1))
	for _, c := range []struct {
		org  uuid.UUID
		item int64
		want int
	}{{orgA, k1, 2 * n}, {orgA, k2, n}, {orgB, 201, n + 1}} {
		cs, err := s.ListCheckIns(ctx, c.org, c.item, goalpost.Page{Limit: goalpost.MaxPageSize})
		if err != nil || len(cs) != c.want {
			t.Fatalf("ListCheckIns(%d) = %d, %v; want %d", c.item, len(cs), err, c.want)
		}
	}
}
