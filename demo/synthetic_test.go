package demo_test

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
	"github.com/google/uuid"
)

// synthIndex holds a synthetic dataset by ID.
// synthIndex is the index of a synthetic dataset, all of it in Northwind.
type synthIndex struct{ *index }

func newSynthIndex(t testing.TB, items int, seed int64) *synthIndex {
	t.Helper()
	x := &synthIndex{indexOf(demo.Synthetic(items, seed))}
	for _, m := range x.ds.Memberships {
		if m.OrgID != demo.NorthwindID {
			t.Errorf("membership %+v: not in Northwind", m)
		}
	}
	return x
}

// role returns user's role in Northwind.
func (x *synthIndex) role(user uuid.UUID) (goalpost.Role, bool) {
	r, ok := x.roles[[2]uuid.UUID{demo.NorthwindID, user}]
	return r, ok
}

func (x *synthIndex) canWrite(user uuid.UUID) bool {
	r, ok := x.role(user)
	return ok && r != goalpost.RoleObserver
}

func (x *synthIndex) olga() *goalpost.User {
	for _, u := range x.ds.Users {
		if u.UPN == demo.NorthwindOwnerUPN {
			return u
		}
	}
	return nil
}

func TestSyntheticDeterministic(t *testing.T) {
	a, b := demo.Synthetic(3000, 42), demo.Synthetic(3000, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls with the same items and seed differ")
	}

	c := demo.Synthetic(3000, 43)
	if reflect.DeepEqual(a, c) {
		t.Fatal("seeds 42 and 43 give the same dataset")
	}
	titles := 0
	for i := range a.Items {
		if a.Items[i].Title != c.Items[i].Title {
			titles++
		}
	}
	if titles < len(a.Items)/2 {
		t.Errorf("seeds 42 and 43: %d of %d titles differ, want most", titles, len(a.Items))
	}
	if a.Users[0].ID == c.Users[0].ID {
		t.Errorf("seeds 42 and 43 give Olga the same ID %s", a.Users[0].ID)
	}

	// Each call builds new values: changing one leaves the next alone.
	for _, it := range a.Items {
		if it.Score != nil {
			*it.Score = -1
		}
		if len(it.Tags) > 0 {
			it.Tags[0] = "changed"
		}
		if len(it.OwnerIDs) > 0 {
			it.OwnerIDs[0] = uuid.Nil
		}
	}
	a.Teams[0].Members[0] = uuid.Nil
	if d := demo.Synthetic(3000, 42); !reflect.DeepEqual(b, d) {
		t.Fatal("changing one dataset changed another")
	}
}

func TestSyntheticSizes(t *testing.T) {
	for _, n := range []int{0, 1, 2, 9, 100, 1234, 6000} {
		ds := demo.Synthetic(n, 1)
		if got := len(ds.Items); got != n {
			t.Errorf("Synthetic(%d): got %d items", n, got)
		}
		for i, it := range ds.Items {
			if want := demo.NorthwindFirstItemID + int64(i); it.ID != want {
				t.Errorf("Synthetic(%d): item %d has ID %d, want %d", n, i, it.ID, want)
				break
			}
		}
		if len(ds.Organizations) != 1 || ds.Organizations[0].ID != demo.NorthwindID ||
			ds.Organizations[0].Name != "Northwind" {
			t.Errorf("Synthetic(%d): got organizations %+v, want Northwind", n, ds.Organizations)
		}
		if got, want := len(ds.Users), min(max(n/25, 10), 5000); got != want {
			t.Errorf("Synthetic(%d): got %d users, want %d", n, got, want)
		}
		if got, want := len(ds.Memberships), len(ds.Users); got != want {
			t.Errorf("Synthetic(%d): got %d memberships, want %d", n, got, want)
		}
		if got, want := len(ds.Teams), max(n/200, 3); got != want {
			t.Errorf("Synthetic(%d): got %d teams, want %d", n, got, want)
		}
		if got := len(ds.TimePeriods); got != 5 {
			t.Errorf("Synthetic(%d): got %d time periods, want 5", n, got)
		}
		if got := len(ds.Views); got != 1+len(goalpost.DefaultViews) {
			t.Errorf("Synthetic(%d): got %d views, want %d", n, got, 1+len(goalpost.DefaultViews))
		}
		if n == 0 && (len(ds.Alignments) != 0 || len(ds.CheckIns) != 0) {
			t.Errorf("Synthetic(0): got %d alignments, %d check-ins; want none", len(ds.Alignments), len(ds.CheckIns))
		}
	}
}

func TestSyntheticLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 250,000 items")
	}
	ds := demo.Synthetic(250_000, 3)
	if got := len(ds.Items); got != 250_000 {
		t.Errorf("got %d items, want 250000", got)
	}
	if got := len(ds.Users); got != 5000 {
		t.Errorf("got %d users, want the maximum 5000", got)
	}
}

func TestSyntheticReferences(t *testing.T) {
	x := newSynthIndex(t, 6000, 7)
	ds := x.ds

	seen := make(map[uuid.UUID]string)
	add := func(kind string, id uuid.UUID) {
		t.Helper()
		if id == uuid.Nil {
			t.Errorf("%s with nil ID", kind)
		}
		if prev, ok := seen[id]; ok {
			t.Errorf("%s %s: ID already used by a %s", kind, id, prev)
		}
		seen[id] = kind
	}
	add("organization", demo.NorthwindID)
	upns := make(map[string]bool)
	for _, u := range ds.Users {
		add("user", u.ID)
		upn := strings.ToLower(u.UPN)
		if upns[upn] || !strings.HasSuffix(upn, "@northwind.com") || u.DisplayName == "" {
			t.Errorf("user %+v: UPN used twice, outside northwind.com or no name", u)
		}
		upns[upn] = true
	}
	for _, tm := range ds.Teams {
		add("team", tm.ID)
	}
	for _, p := range ds.TimePeriods {
		add("time period", p.ID)
	}
	for _, v := range ds.Views {
		add("view", v.ID)
	}
	if got := len(x.roles); got != len(ds.Users) || got != len(ds.Memberships) {
		t.Errorf("got %d members, %d users and %d memberships; want one membership per user",
			got, len(ds.Users), len(ds.Memberships))
	}

	// Managers and parent teams come first, so that a store may insert in
	// order; managers are fellow members.
	listed := make(map[uuid.UUID]bool)
	for _, u := range ds.Users {
		if u.ManagerID != uuid.Nil && (!listed[u.ManagerID] || x.users[u.ManagerID] == nil) {
			t.Errorf("%s: manager %s unknown or listed later", u.UPN, u.ManagerID)
		}
		listed[u.ID] = true
	}
	for _, tm := range ds.Teams {
		if tm.OrgID != demo.NorthwindID {
			t.Errorf("team %s: organization %s", tm.Name, tm.OrgID)
		}
		if tm.ParentID != uuid.Nil && !listed[tm.ParentID] {
			t.Errorf("team %s: parent %s unknown or listed later", tm.Name, tm.ParentID)
		}
		listed[tm.ID] = true
		if !slices.Contains(tm.Members, tm.OwnerID) || !x.canWrite(tm.OwnerID) {
			t.Errorf("team %s: owner %s no writing member of it", tm.Name, tm.OwnerID)
		}
		for _, u := range tm.Members {
			if _, ok := x.role(u); !ok {
				t.Errorf("team %s: member %s no member of Northwind", tm.Name, u)
			}
		}
	}
	for _, p := range ds.TimePeriods {
		if p.OrgID != demo.NorthwindID || p.End.Before(p.Start) || p.Start.Year != 2025 || p.End.Year != 2025 {
			t.Errorf("time period %+v: organization or dates", p)
		}
	}

	for _, it := range ds.Items {
		if it.OrgID != demo.NorthwindID {
			t.Errorf("item %d: organization %s", it.ID, it.OrgID)
		}
		for _, id := range it.TeamIDs {
			if x.teams[id] == nil {
				t.Errorf("item %d: unknown team %s", it.ID, id)
			}
		}
		for k, id := range it.OwnerIDs {
			if !x.canWrite(id) || slices.Contains(it.OwnerIDs[:k], id) {
				t.Errorf("item %d: owner %s twice or no writing member", it.ID, id)
			}
		}
		if !x.canWrite(it.CreatorID) {
			t.Errorf("item %d: creator %s no writing member", it.ID, it.CreatorID)
		}
		p := x.periods[it.PeriodID]
		if p == nil {
			t.Errorf("item %d: unknown time period %s", it.ID, it.PeriodID)
		} else if it.StartDate.Before(p.Start) || p.End.Before(it.EndDate) || it.EndDate.Before(it.StartDate) {
			t.Errorf("item %d: dates %s..%s outside %s", it.ID, it.StartDate, it.EndDate, p.Name)
		}
	}
	for _, a := range ds.Alignments {
		if x.items[a.ChildID] == nil || x.items[a.ParentID] == nil {
			t.Errorf("alignment %d → %d: unknown item", a.ChildID, a.ParentID)
		}
	}
	for _, c := range ds.CheckIns {
		if x.items[c.ItemID] == nil {
			t.Errorf("check-in %d: unknown item %d", c.ID, c.ItemID)
		}
		if !x.canWrite(c.UserID) {
			t.Errorf("check-in %d: user %s no writing member", c.ID, c.UserID)
		}
	}
	for _, v := range ds.Views {
		if v.OrgID != demo.NorthwindID || x.users[v.CreatorID] == nil {
			t.Errorf("view %s: organization %s or creator %s unknown", v.Name, v.OrgID, v.CreatorID)
		}
	}
}

func TestSyntheticAlignments(t *testing.T) {
	x := newSynthIndex(t, 6000, 11)
	pairs := make(map[[2]int64]bool)
	for _, a := range x.ds.Alignments {
		if a.ParentID >= a.ChildID {
			t.Errorf("alignment %d → %d: the parent's ID is not lower", a.ChildID, a.ParentID)
		}
		if a.Weight <= 0 || a.Weight > 100 {
			t.Errorf("alignment %d → %d: weight %v", a.ChildID, a.ParentID, a.Weight)
		}
		k := [2]int64{a.ChildID, a.ParentID}
		if pairs[k] {
			t.Errorf("alignment %d → %d twice", a.ChildID, a.ParentID)
		}
		pairs[k] = true
	}
	for parent, as := range x.children {
		sum := 0.0
		for _, a := range as {
			sum += a.Weight
		}
		if math.Abs(sum-100) > 1e-6 {
			t.Errorf("item %d: weights of its children sum to %v, want 100", parent, sum)
		}
	}

	// Key results sit under objectives, initiatives under key results, and
	// aligned objectives under a key result of the level above.
	twoParents := 0
	above := map[goalpost.Level]goalpost.Level{
		goalpost.LevelTeam: goalpost.LevelOrganization, goalpost.LevelIndividual: goalpost.LevelTeam,
	}
	for _, it := range x.ds.Items {
		ps := x.parents[it.ID]
		if len(ps) > 2 {
			t.Errorf("item %d: %d parents, want at most 2", it.ID, len(ps))
		}
		if len(ps) == 2 {
			twoParents++
		}
		if len(ps) == 0 {
			if it.Kind != goalpost.KindObjective {
				t.Errorf("item %d: unaligned %s", it.ID, it.Kind)
			}
			continue
		}
		p := x.items[ps[0].ParentID]
		switch it.Kind {
		case goalpost.KindObjective:
			if p.Kind != goalpost.KindKeyResult || p.Level != above[it.Level] {
				t.Errorf("%s objective %d under %s %s %d", it.Level, it.ID, p.Level, p.Kind, p.ID)
			}
		case goalpost.KindKeyResult:
			if p.Kind != goalpost.KindObjective || p.Level != it.Level {
				t.Errorf("%s key result %d under %s %s %d", it.Level, it.ID, p.Level, p.Kind, p.ID)
			}
		case goalpost.KindInitiative:
			if p.Kind != goalpost.KindKeyResult || p.Level != it.Level {
				t.Errorf("%s initiative %d under %s %s %d", it.Level, it.ID, p.Level, p.Kind, p.ID)
			}
		}
	}
	if twoParents == 0 {
		t.Error("no item aligned to two parents")
	}
}

func TestSyntheticProgress(t *testing.T) {
	x := newSynthIndex(t, 6000, 5)
	for _, it := range x.ds.Items {
		if it.Progress < 0 || it.Progress > 100 {
			t.Errorf("item %d: progress %v outside 0..100", it.ID, it.Progress)
		}
		if (it.Score != nil) != (it.Status == goalpost.StatusClosed) {
			t.Errorf("item %d: %s with score %v", it.ID, it.Status, it.Score)
		}
		if it.Score != nil && (*it.Score < 0 || *it.Score > 1) {
			t.Errorf("item %d: score %v outside 0..1", it.ID, *it.Score)
		}
		m := it.Metric
		if m.IsPercent() {
			if it.Current != it.Progress || m.Unit != "%" || m.Start != 0 || m.Target != 100 {
				t.Errorf("item %d: percent metric %+v with current %v, progress %v", it.ID, m, it.Current, it.Progress)
			}
		} else if m.Unit == "" || m.Direction == "" {
			t.Errorf("item %d: metric %+v without unit or direction", it.ID, m)
		}
		switch it.ProgressMode {
		case goalpost.ProgressRollup:
			children := x.children[it.ID]
			if !m.IsPercent() || len(children) == 0 {
				t.Errorf("item %d: rolled up with metric %q and %d children", it.ID, m.Name, len(children))
			}
			want := 0.0
			for _, a := range children {
				want += a.Weight / 100 * x.items[a.ChildID].Progress
			}
			if math.Abs(it.Progress-want) > 0.01 {
				t.Errorf("item %d: progress %v, want the weighted mean of its children %v", it.ID, it.Progress, want)
			}
		case goalpost.ProgressManual:
			switch m.Direction {
			case goalpost.DirectionReach, goalpost.DirectionIncreaseFrom, goalpost.DirectionDecreaseFrom:
				want := max(0, min(100, (it.Current-m.Start)/(m.Target-m.Start)*100))
				if math.Abs(it.Progress-want) > 0.01 {
					t.Errorf("item %d: progress %v, want %v from its metric %+v at %v", it.ID, it.Progress, want, m, it.Current)
				}
			}
		default:
			t.Errorf("item %d: progress mode %q", it.ID, it.ProgressMode)
		}
	}
}

func TestSyntheticCheckIns(t *testing.T) {
	x := newSynthIndex(t, 6000, 13)
	ids := make(map[int64]bool)
	for _, c := range x.ds.CheckIns {
		if c.ID < demo.NorthwindFirstCheckInID || ids[c.ID] {
			t.Errorf("check-in %d: ID used twice or below %d", c.ID, demo.NorthwindFirstCheckInID)
		}
		ids[c.ID] = true
		if c.ActivityAt.Location() != time.UTC || c.ActivityAt.Year() != 2025 {
			t.Errorf("check-in %d: activity %v not in 2025 UTC", c.ID, c.ActivityAt)
		}
		if goalpost.DateOf(c.ActivityAt).Before(c.Date) {
			t.Errorf("check-in %d: recorded %v before its date %s", c.ID, c.ActivityAt, c.Date)
		}
		it := x.items[c.ItemID]
		if !c.ActivityAt.After(it.CreatedAt) || it.UpdatedAt.Before(c.ActivityAt) {
			t.Errorf("check-in %d: recorded %v outside item %d's %v..%v", c.ID, c.ActivityAt, it.ID, it.CreatedAt, it.UpdatedAt)
		}
		if c.Date.Before(it.StartDate) || it.EndDate.Before(c.Date) {
			t.Errorf("check-in %d: date %s outside item %d's %s..%s", c.ID, c.Date, it.ID, it.StartDate, it.EndDate)
		}
	}
	for _, it := range x.ds.Items {
		for _, ts := range []time.Time{it.CreatedAt, it.UpdatedAt} {
			if ts.Year() != 2025 || ts.Location() != time.UTC {
				t.Errorf("item %d: timestamp %v not in 2025 UTC", it.ID, ts)
			}
		}
		if it.UpdatedAt.Before(it.CreatedAt) {
			t.Errorf("item %d: updated before created", it.ID)
		}
		cs := x.checkIns[it.ID]
		if len(cs) > 6 {
			t.Errorf("item %d: %d check-ins, want at most 6", it.ID, len(cs))
		}
		if len(cs) == 0 {
			if it.ProgressMode == goalpost.ProgressManual && (it.Status != goalpost.StatusNotStarted || it.Progress != 0) {
				t.Errorf("item %d: manual, no check-ins, but %s at %v%%", it.ID, it.Status, it.Progress)
			}
			continue
		}
		newest := cs[0]
		if newest.Value != it.Current || newest.Status != it.Status || !it.UpdatedAt.Equal(newest.ActivityAt) {
			t.Errorf("item %d: %s at %v, updated %v; newest check-in %s at %v, recorded %v",
				it.ID, it.Status, it.Current, it.UpdatedAt, newest.Status, newest.Value, newest.ActivityAt)
		}
		for k := 1; k < len(cs); k++ {
			if !cs[k].Date.Before(cs[k-1].Date) || !cs[k].ActivityAt.Before(cs[k-1].ActivityAt) {
				t.Errorf("item %d: two check-ins on %s, or recorded out of order", it.ID, cs[k].Date)
			}
		}
	}
}

// TestSyntheticShape checks that the data looks like a company's: the mix of
// kinds, levels, statuses, owners, teams, metrics, roles and text.
func TestSyntheticShape(t *testing.T) {
	x := newSynthIndex(t, 10_000, 17)
	items := x.ds.Items
	count := func(ok func(it *goalpost.Item) bool) int {
		n := 0
		for _, it := range items {
			if ok(it) {
				n++
			}
		}
		return n
	}
	share := func(what string, lo, hi float64, ok func(it *goalpost.Item) bool) {
		t.Helper()
		if f := float64(count(ok)) / float64(len(items)); f < lo || f > hi {
			t.Errorf("%s: %.2f%% of the items, want %.2f%%..%.2f%%", what, 100*f, 100*lo, 100*hi)
		}
	}
	for _, l := range []goalpost.Level{goalpost.LevelOrganization, goalpost.LevelTeam, goalpost.LevelIndividual} {
		n := count(func(it *goalpost.Item) bool { return it.Kind == goalpost.KindObjective && it.Level == l })
		if n < 150 || n > 1000 {
			t.Errorf("%d %s objectives, want a few hundred", n, l)
		}
	}
	objectives := count(func(it *goalpost.Item) bool { return it.Kind == goalpost.KindObjective })
	krs := count(func(it *goalpost.Item) bool { return it.Kind == goalpost.KindKeyResult })
	if krs < 2*objectives || len(items)-objectives-krs < objectives {
		t.Errorf("got %d objectives, %d key results, %d initiatives; want more key results and initiatives",
			objectives, krs, len(items)-objectives-krs)
	}
	for _, s := range []goalpost.Status{
		goalpost.StatusNotStarted, goalpost.StatusOnTrack, goalpost.StatusBehind, goalpost.StatusAtRisk,
		goalpost.StatusClosed, goalpost.StatusPostponed, goalpost.StatusReopened,
	} {
		share("status "+string(s), 0.02, 0.5, func(it *goalpost.Item) bool { return it.Status == s })
	}
	share("restricted", 0.01, 0.06, func(it *goalpost.Item) bool { return it.Visibility == goalpost.VisibilityRestricted })
	share("unassigned", 0.002, 0.05, func(it *goalpost.Item) bool { return len(it.OwnerIDs) == 0 })
	share("several owners", 0.05, 0.5, func(it *goalpost.Item) bool { return len(it.OwnerIDs) >= 2 })
	share("several teams", 0.01, 0.5, func(it *goalpost.Item) bool { return len(it.TeamIDs) >= 2 })
	share("no team", 0.01, 0.5, func(it *goalpost.Item) bool { return len(it.TeamIDs) == 0 })
	share("committed", 0.1, 0.5, func(it *goalpost.Item) bool { return it.GoalType == goalpost.GoalCommitted })
	share("tagged", 0.3, 0.9, func(it *goalpost.Item) bool { return len(it.Tags) > 0 })
	share("rolled up", 0.03, 0.3, func(it *goalpost.Item) bool { return it.ProgressMode == goalpost.ProgressRollup })
	share("named metric", 0.1, 0.5, func(it *goalpost.Item) bool { return !it.Metric.IsPercent() })
	share("title that needs CSV quoting", 0.01, 0.5, func(it *goalpost.Item) bool {
		return strings.ContainsAny(it.Title, `,"`)
	})
	share("title with non-ASCII", 0.01, 0.5, func(it *goalpost.Item) bool {
		return strings.ContainsFunc(it.Title, func(r rune) bool { return r > 127 })
	})
	share("description with a line break", 0.01, 0.5, func(it *goalpost.Item) bool {
		return strings.Contains(it.Description, "\n")
	})
	share("description with a comma, a quote and non-ASCII", 0.001, 0.5, func(it *goalpost.Item) bool {
		d := it.Description
		return strings.Contains(d, ",") && strings.Contains(d, `"`) && strings.ContainsFunc(d, func(r rune) bool { return r > 127 })
	})
	for _, d := range []goalpost.Direction{
		goalpost.DirectionReach, goalpost.DirectionIncreaseFrom, goalpost.DirectionDecreaseFrom,
		goalpost.DirectionStayAbove, goalpost.DirectionStayBelow, goalpost.DirectionBaseline,
	} {
		share("direction "+string(d), 0.001, 0.9, func(it *goalpost.Item) bool { return it.Metric.Direction == d })
	}
	tags := make(map[string]bool)
	for _, it := range items {
		for _, tag := range it.Tags {
			tags[tag] = true
		}
		if it.Level == goalpost.LevelIndividual && len(it.OwnerIDs) != 1 {
			t.Errorf("item %d: individual item with owners %v", it.ID, it.OwnerIDs)
		}
	}
	if len(tags) < 5 || len(tags) > 20 {
		t.Errorf("got %d tags, want a small vocabulary", len(tags))
	}
	perItem := make(map[int]int)
	for _, it := range items {
		perItem[len(x.checkIns[it.ID])]++
	}
	for n := range 7 {
		if perItem[n] == 0 {
			t.Errorf("no item with %d check-ins", n)
		}
	}

	roles := make(map[goalpost.Role]int)
	for _, r := range x.roles {
		roles[r]++
	}
	if roles[goalpost.RoleOwner] != 1 || roles[goalpost.RoleAdmin] < 2 || roles[goalpost.RoleAdmin] > len(x.roles)/20 ||
		roles[goalpost.RoleObserver] == 0 || roles[goalpost.RoleMember] < len(x.roles)/2 {
		t.Errorf("got roles %v, want one owner, a few admins, some observers and most members", roles)
	}
	olga := x.olga()
	if olga == nil || olga.DisplayName != "Olga Petrova" || olga.ManagerID != uuid.Nil || !x.isRole(olga.ID, goalpost.RoleOwner) {
		t.Fatalf("got owner %+v, want Olga Petrova, owner, without manager", olga)
	}
	for _, u := range x.ds.Users {
		if u.ID != olga.ID && u.ManagerID == uuid.Nil {
			t.Errorf("%s has no manager", u.UPN)
		}
	}
	types := make(map[string]bool)
	var sub, archived bool
	for _, tm := range x.ds.Teams {
		types[tm.Type] = true
		sub = sub || tm.ParentID != uuid.Nil
		archived = archived || tm.Archived
	}
	if len(types) < 3 || !sub || !archived {
		t.Errorf("teams: got types %v, a sub-team %v, an archived team %v; want several types and both", types, sub, archived)
	}
}

func TestSyntheticViews(t *testing.T) {
	if got := demo.NorthwindID.String(); got != "7b3e5c2a-1d4f-4e8b-9a6c-2f1e0d9c8b7a" {
		t.Errorf("got NorthwindID %s", got)
	}
	if got := demo.NorthwindEverythingViewID.String(); got != "4a2b6c8d-0e1f-4a3b-8c5d-6e7f8091a2b3" {
		t.Errorf("got NorthwindEverythingViewID %s", got)
	}
	x := newSynthIndex(t, 0, 1)
	olga := x.olga()
	if olga == nil {
		t.Fatal("no Olga")
	}
	want := map[uuid.UUID]struct {
		name   string
		filter goalpost.ViewFilter
	}{
		demo.NorthwindEverythingViewID: {"Everything", goalpost.ViewFilter{}},
	}
	filters := []goalpost.ViewFilter{
		{},
		{Owners: []string{goalpost.OwnerMe}},
		{Due: &goalpost.DateFilter{Op: goalpost.DateOverdue}},
		{CheckedIn: &goalpost.DateFilter{Op: goalpost.DateMoreThanDaysAgo, Days: 7}},
		{Statuses: []goalpost.Status{goalpost.StatusAtRisk, goalpost.StatusBehind}},
		{
			Statuses: []goalpost.Status{goalpost.StatusClosed},
			Updated:  &goalpost.DateFilter{Op: goalpost.DateLessThanDaysAgo, Days: 7},
		},
		{Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedNone}},
	}
	for i, name := range goalpost.DefaultViews {
		want[demo.NorthwindDefaultViewID(name)] = struct {
			name   string
			filter goalpost.ViewFilter
		}{name, filters[i]}
	}
	if len(want) != 8 || len(x.ds.Views) != 8 {
		t.Fatalf("got %d views and %d distinct IDs, want 8", len(x.ds.Views), len(want))
	}
	for id, w := range want {
		v := x.views[id]
		if v == nil {
			t.Errorf("no view %s (%s)", id, w.name)
			continue
		}
		if v.Name != w.name || v.OrgID != demo.NorthwindID || v.Visibility != goalpost.ViewPublic ||
			v.CreatorID != olga.ID || v.TopLevelOnly || !reflect.DeepEqual(v.Export, goalpost.ExportSettings{}) ||
			v.CreatedAt.Year() != 2025 {
			t.Errorf("view %s: got %+v, want public %q by Olga with default settings", id, v, w.name)
		}
		if !reflect.DeepEqual(v.Filter, w.filter) {
			t.Errorf("view %q: got filter %+v, want %+v", w.name, v.Filter, w.filter)
		}
	}
	// The view IDs do not depend on the seed.
	for _, v := range demo.Synthetic(0, 99).Views {
		if x.views[v.ID] == nil {
			t.Errorf("seed 99: view %q has ID %s, not the fixed one", v.Name, v.ID)
		}
	}
}

func BenchmarkSynthetic(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		demo.Synthetic(100_000, 1)
	}
}

func (x *synthIndex) isRole(user uuid.UUID, want goalpost.Role) bool {
	r, ok := x.role(user)
	return ok && r == want
}
