package demo_test

import (
	"context"
	"errors"
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

// index holds the dataset by ID.
type index struct {
	ds       *goalpost.Dataset
	orgs     map[uuid.UUID]*goalpost.Organization
	users    map[uuid.UUID]*goalpost.User
	roles    map[[2]uuid.UUID]goalpost.Role // {org, user}
	teams    map[uuid.UUID]*goalpost.Team
	periods  map[uuid.UUID]*goalpost.TimePeriod
	items    map[int64]*goalpost.Item
	views    map[uuid.UUID]*goalpost.ExplorerView
	checkIns map[int64][]*goalpost.CheckIn // by item, newest first
	parents  map[int64][]goalpost.Alignment
	children map[int64][]goalpost.Alignment
}

func newIndex(t *testing.T) *index {
	t.Helper()
	return indexOf(demo.Dataset())
}

// indexOf indexes a dataset's records by their ids.
func indexOf(ds *goalpost.Dataset) *index {
	x := &index{
		ds:       ds,
		orgs:     make(map[uuid.UUID]*goalpost.Organization),
		users:    make(map[uuid.UUID]*goalpost.User),
		roles:    make(map[[2]uuid.UUID]goalpost.Role),
		teams:    make(map[uuid.UUID]*goalpost.Team),
		periods:  make(map[uuid.UUID]*goalpost.TimePeriod),
		items:    make(map[int64]*goalpost.Item),
		views:    make(map[uuid.UUID]*goalpost.ExplorerView),
		checkIns: make(map[int64][]*goalpost.CheckIn),
		parents:  make(map[int64][]goalpost.Alignment),
		children: make(map[int64][]goalpost.Alignment),
	}
	for _, o := range ds.Organizations {
		x.orgs[o.ID] = o
	}
	for _, u := range ds.Users {
		x.users[u.ID] = u
	}
	for _, m := range ds.Memberships {
		x.roles[[2]uuid.UUID{m.OrgID, m.UserID}] = m.Role
	}
	for _, tm := range ds.Teams {
		x.teams[tm.ID] = tm
	}
	for _, p := range ds.TimePeriods {
		x.periods[p.ID] = p
	}
	for _, it := range ds.Items {
		x.items[it.ID] = it
	}
	for _, v := range ds.Views {
		x.views[v.ID] = v
	}
	for _, c := range ds.CheckIns {
		x.checkIns[c.ItemID] = append(x.checkIns[c.ItemID], c)
	}
	for _, cs := range x.checkIns {
		slices.SortFunc(cs, func(a, b *goalpost.CheckIn) int {
			if c := b.Date.Time().Compare(a.Date.Time()); c != 0 {
				return c
			}
			return b.ActivityAt.Compare(a.ActivityAt)
		})
	}
	for _, a := range ds.Alignments {
		x.parents[a.ChildID] = append(x.parents[a.ChildID], a)
		x.children[a.ParentID] = append(x.children[a.ParentID], a)
	}
	return x
}

func (x *index) isMember(org, user uuid.UUID) bool {
	_, ok := x.roles[[2]uuid.UUID{org, user}]
	return ok
}

// canWrite reports whether user is a member of org who may write (not an
// observer).
func (x *index) canWrite(org, user uuid.UUID) bool {
	r, ok := x.roles[[2]uuid.UUID{org, user}]
	return ok && r != goalpost.RoleObserver
}

func (x *index) orgItems(org uuid.UUID) []*goalpost.Item {
	var items []*goalpost.Item
	for _, it := range x.ds.Items {
		if it.OrgID == org {
			items = append(items, it)
		}
	}
	return items
}

func TestDatasetDeterministic(t *testing.T) {
	a, b := demo.Dataset(), demo.Dataset()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls of Dataset differ")
	}
	// Each call builds new values: changing one leaves the next alone.
	a.Items[0].Title = "changed"
	*a.Items[0] = goalpost.Item{}
	a.Views[0].Filter.Owners = append(a.Views[0].Filter.Owners, "x")
	if c := demo.Dataset(); !reflect.DeepEqual(b, c) {
		t.Fatal("changing one Dataset changed another")
	}
}

func TestFixedIDs(t *testing.T) {
	x := newIndex(t)
	for _, tt := range []struct {
		id   uuid.UUID
		want string
	}{
		{demo.ContosoID, "3d9a8150-90fd-42bd-9777-25ba783d4a05"},
		{demo.ContosoAllObjectivesViewID, "f5b62cb2-5e35-4ba1-862d-9c6cf0c88830"},
		{demo.FabrikamID, "9ab0fcab-c1d4-4b26-963b-a3c33155f853"},
		{demo.FabrikamAllObjectivesViewID, "2c8b5fd3-67c3-4677-8eb3-e0066c4d2fd7"},
	} {
		if got := tt.id.String(); got != tt.want {
			t.Errorf("got ID %s, want %s", got, tt.want)
		}
	}

	contoso, fabrikam := x.orgs[demo.ContosoID], x.orgs[demo.FabrikamID]
	if contoso == nil || contoso.Name != "Contoso" {
		t.Fatalf("got Contoso %+v", contoso)
	}
	if fabrikam == nil || fabrikam.Name != "Fabrikam" {
		t.Fatalf("got Fabrikam %+v", fabrikam)
	}
	if got := len(x.ds.Organizations); got != 2 {
		t.Errorf("got %d organizations, want 2", got)
	}
	if contoso.Terminology != goalpost.DefaultTerminology {
		t.Errorf("got Contoso terminology %+v, want the default", contoso.Terminology)
	}
	want := goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"}
	if fabrikam.Terminology != want {
		t.Errorf("got Fabrikam terminology %+v, want %+v", fabrikam.Terminology, want)
	}

	for _, tt := range []struct {
		id          uuid.UUID
		upn, name   string
		owner, none uuid.UUID
	}{
		{demo.AdeleID, "adele@contoso.com", "Adele Vance", demo.ContosoID, demo.FabrikamID},
		{demo.MeganID, "megan@fabrikam.com", "Megan Bowen", demo.FabrikamID, demo.ContosoID},
	} {
		u := x.users[tt.id]
		if u == nil || u.UPN != tt.upn || u.DisplayName != tt.name {
			t.Errorf("got user %+v, want %s (%s)", u, tt.upn, tt.name)
			continue
		}
		if got := x.roles[[2]uuid.UUID{tt.owner, tt.id}]; got != goalpost.RoleOwner {
			t.Errorf("%s: got role %q, want owner", tt.upn, got)
		}
		if x.isMember(tt.none, tt.id) {
			t.Errorf("%s is a member of %s", tt.upn, x.orgs[tt.none].Name)
		}
	}
	if demo.AdeleUPN != "adele@contoso.com" || demo.MeganUPN != "megan@fabrikam.com" {
		t.Errorf("got UPNs %q, %q", demo.AdeleUPN, demo.MeganUPN)
	}

	for _, tt := range []struct{ view, org uuid.UUID }{
		{demo.ContosoAllObjectivesViewID, demo.ContosoID},
		{demo.FabrikamAllObjectivesViewID, demo.FabrikamID},
	} {
		v := x.views[tt.view]
		if v == nil || v.OrgID != tt.org || v.Name != "All objectives" || v.Visibility != goalpost.ViewPublic {
			t.Errorf("got view %+v, want public All objectives of %s", v, tt.org)
		}
		if v != nil && !reflect.DeepEqual(v.Filter, goalpost.ViewFilter{}) {
			t.Errorf("All objectives has filter %+v, want none", v.Filter)
		}
	}
}

func TestMemberships(t *testing.T) {
	x := newIndex(t)
	roles := make(map[uuid.UUID]map[goalpost.Role]int)
	for _, m := range x.ds.Memberships {
		if !m.Role.Valid() {
			t.Errorf("membership %+v: invalid role", m)
		}
		if roles[m.OrgID] == nil {
			roles[m.OrgID] = make(map[goalpost.Role]int)
		}
		roles[m.OrgID][m.Role]++
	}
	for _, r := range []goalpost.Role{goalpost.RoleOwner, goalpost.RoleAdmin, goalpost.RoleMember, goalpost.RoleObserver} {
		if roles[demo.ContosoID][r] == 0 {
			t.Errorf("Contoso has no %s", r)
		}
	}
	for org, rs := range roles {
		if rs[goalpost.RoleOwner] != 1 {
			t.Errorf("%s has %d owners, want 1", x.orgs[org].Name, rs[goalpost.RoleOwner])
		}
	}
	// No user belongs to both organizations.
	for _, u := range x.ds.Users {
		if x.isMember(demo.ContosoID, u.ID) == x.isMember(demo.FabrikamID, u.ID) {
			t.Errorf("%s belongs to both or neither organization", u.UPN)
		}
	}
	for _, tt := range []struct {
		user uuid.UUID
		role goalpost.Role
	}{
		{demo.PattiID, goalpost.RoleAdmin},
		{demo.DiegoID, goalpost.RoleMember},
		{demo.AlexID, goalpost.RoleMember},
		{demo.JoniID, goalpost.RoleObserver},
	} {
		if got := x.roles[[2]uuid.UUID{demo.ContosoID, tt.user}]; got != tt.role {
			t.Errorf("%s: got role %q, want %q", x.users[tt.user].UPN, got, tt.role)
		}
	}
}

func TestUniqueIDs(t *testing.T) {
	x := newIndex(t)
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
	for _, o := range x.ds.Organizations {
		add("organization", o.ID)
	}
	upns := make(map[string]bool)
	for _, u := range x.ds.Users {
		add("user", u.ID)
		upn := strings.ToLower(u.UPN)
		if upns[upn] {
			t.Errorf("UPN %s used twice", u.UPN)
		}
		upns[upn] = true
	}
	for _, tm := range x.ds.Teams {
		add("team", tm.ID)
	}
	for _, p := range x.ds.TimePeriods {
		add("time period", p.ID)
	}
	for _, v := range x.ds.Views {
		add("view", v.ID)
	}

	members := make(map[[2]uuid.UUID]bool)
	for _, m := range x.ds.Memberships {
		k := [2]uuid.UUID{m.OrgID, m.UserID}
		if members[k] {
			t.Errorf("membership %+v twice", m)
		}
		members[k] = true
	}
	items := make(map[int64]bool)
	for _, it := range x.ds.Items {
		if items[it.ID] {
			t.Errorf("item ID %d used twice", it.ID)
		}
		items[it.ID] = true
		switch it.OrgID {
		case demo.ContosoID:
			if it.ID < 2295770 || it.ID >= 3100001 {
				t.Errorf("Contoso item ID %d out of its range", it.ID)
			}
		case demo.FabrikamID:
			if it.ID < 3100001 {
				t.Errorf("Fabrikam item ID %d out of its range", it.ID)
			}
		}
	}
	checkIns := make(map[int64]bool)
	for _, c := range x.ds.CheckIns {
		if c.ID <= 0 || checkIns[c.ID] {
			t.Errorf("check-in ID %d used twice or not positive", c.ID)
		}
		checkIns[c.ID] = true
	}
	pairs := make(map[[2]int64]bool)
	for _, a := range x.ds.Alignments {
		k := [2]int64{a.ChildID, a.ParentID}
		if pairs[k] {
			t.Errorf("alignment %d → %d twice", a.ChildID, a.ParentID)
		}
		pairs[k] = true
	}
}

func TestReferences(t *testing.T) {
	x := newIndex(t)
	for _, m := range x.ds.Memberships {
		if x.orgs[m.OrgID] == nil || x.users[m.UserID] == nil {
			t.Errorf("membership %+v: unknown organization or user", m)
		}
	}
	for _, u := range x.ds.Users {
		if u.ManagerID == uuid.Nil {
			continue
		}
		shared := false
		for _, o := range x.ds.Organizations {
			shared = shared || x.isMember(o.ID, u.ID) && x.isMember(o.ID, u.ManagerID)
		}
		if !shared || u.ManagerID == u.ID {
			t.Errorf("%s: manager %s is not a fellow member", u.UPN, u.ManagerID)
		}
	}
	for _, tm := range x.ds.Teams {
		if x.orgs[tm.OrgID] == nil {
			t.Errorf("team %s: unknown organization", tm.Name)
		}
		if tm.ParentID != uuid.Nil {
			if p := x.teams[tm.ParentID]; p == nil || p.OrgID != tm.OrgID || p.ID == tm.ID {
				t.Errorf("team %s: parent %s outside its organization", tm.Name, tm.ParentID)
			}
		}
		if !x.isMember(tm.OrgID, tm.OwnerID) {
			t.Errorf("team %s: owner %s is no member", tm.Name, tm.OwnerID)
		}
		if len(tm.Members) == 0 || !slices.Contains(tm.Members, tm.OwnerID) {
			t.Errorf("team %s: owner is not among its members %v", tm.Name, tm.Members)
		}
		for _, u := range tm.Members {
			if !x.isMember(tm.OrgID, u) {
				t.Errorf("team %s: member %s is no member of the organization", tm.Name, u)
			}
		}
	}
	for _, p := range x.ds.TimePeriods {
		if x.orgs[p.OrgID] == nil || p.End.Before(p.Start) || p.Start.Year != 2025 || p.End.Year != 2025 {
			t.Errorf("time period %+v: unknown organization or bad dates", p)
		}
	}
	for _, it := range x.ds.Items {
		if x.orgs[it.OrgID] == nil {
			t.Errorf("item %d: unknown organization", it.ID)
		}
		for _, id := range it.TeamIDs {
			if tm := x.teams[id]; tm == nil || tm.OrgID != it.OrgID {
				t.Errorf("item %d: team %s outside its organization", it.ID, id)
			}
		}
		owners := make(map[uuid.UUID]bool)
		for _, id := range it.OwnerIDs {
			if !x.canWrite(it.OrgID, id) {
				t.Errorf("item %d: owner %s is no writing member of its organization", it.ID, id)
			}
			if owners[id] {
				t.Errorf("item %d: owner %s twice", it.ID, id)
			}
			owners[id] = true
		}
		if !x.canWrite(it.OrgID, it.CreatorID) {
			t.Errorf("item %d: creator %s is no writing member of its organization", it.ID, it.CreatorID)
		}
		p := x.periods[it.PeriodID]
		if p == nil || p.OrgID != it.OrgID {
			t.Errorf("item %d: time period %s outside its organization", it.ID, it.PeriodID)
		} else if it.StartDate.Before(p.Start) || p.End.Before(it.EndDate) || it.EndDate.Before(it.StartDate) {
			t.Errorf("item %d: dates %s..%s outside %s", it.ID, it.StartDate, it.EndDate, p.Name)
		}
	}
	for _, a := range x.ds.Alignments {
		c, p := x.items[a.ChildID], x.items[a.ParentID]
		if c == nil || p == nil || c.OrgID != p.OrgID {
			t.Errorf("alignment %d → %d: unknown items or across organizations", a.ChildID, a.ParentID)
		}
	}
	for _, c := range x.ds.CheckIns {
		it := x.items[c.ItemID]
		if it == nil {
			t.Errorf("check-in %d: unknown item %d", c.ID, c.ItemID)
			continue
		}
		if !x.canWrite(it.OrgID, c.UserID) {
			t.Errorf("check-in %d: user %s is no writing member of the item's organization", c.ID, c.UserID)
		}
	}
	for _, v := range x.ds.Views {
		if x.orgs[v.OrgID] == nil || !x.isMember(v.OrgID, v.CreatorID) {
			t.Errorf("view %s: unknown organization or creator", v.Name)
		}
		f := v.Filter
		for _, id := range f.TimePeriods {
			if p := x.periods[id]; p == nil || p.OrgID != v.OrgID {
				t.Errorf("view %s: time period %s outside its organization", v.Name, id)
			}
		}
		for _, id := range f.Teams {
			if tm := x.teams[id]; tm == nil || tm.OrgID != v.OrgID {
				t.Errorf("view %s: team %s outside its organization", v.Name, id)
			}
		}
		for _, id := range f.Managers {
			if !x.isMember(v.OrgID, id) {
				t.Errorf("view %s: manager %s outside its organization", v.Name, id)
			}
		}
		for _, o := range f.Owners {
			if o == goalpost.OwnerMe || o == goalpost.OwnerUnassigned {
				continue
			}
			if id, err := uuid.Parse(o); err != nil || !x.isMember(v.OrgID, id) {
				t.Errorf("view %s: owner %q outside its organization", v.Name, o)
			}
		}
		if a := f.Aligned; a != nil && a.Mode == goalpost.AlignedTo {
			if it := x.items[a.ItemID]; it == nil || it.OrgID != v.OrgID {
				t.Errorf("view %s: aligned item %d outside its organization", v.Name, a.ItemID)
			}
		}
		for _, col := range v.Export.Columns {
			if !slices.Contains(goalpost.DefaultColumns, col) {
				t.Errorf("view %s: unknown column %q", v.Name, col)
			}
		}
	}
}

// A store may insert records in the order given: managers before their
// reports, parent teams before their sub-teams.
func TestInsertOrder(t *testing.T) {
	x := newIndex(t)
	seen := make(map[uuid.UUID]bool)
	for _, u := range x.ds.Users {
		if u.ManagerID != uuid.Nil && !seen[u.ManagerID] {
			t.Errorf("%s listed before their manager", u.UPN)
		}
		seen[u.ID] = true
	}
	for _, tm := range x.ds.Teams {
		if tm.ParentID != uuid.Nil && !seen[tm.ParentID] {
			t.Errorf("team %s listed before its parent", tm.Name)
		}
		seen[tm.ID] = true
	}
}

func TestAlignmentsAcyclic(t *testing.T) {
	x := newIndex(t)
	const (
		unvisited = iota
		active
		done
	)
	state := make(map[int64]int)
	var visit func(id int64, path []int64)
	visit = func(id int64, path []int64) {
		switch state[id] {
		case active:
			t.Fatalf("alignment cycle: %v", append(path, id))
		case done:
			return
		}
		state[id] = active
		for _, a := range x.parents[id] {
			visit(a.ParentID, append(path, id))
		}
		state[id] = done
	}
	for _, it := range x.ds.Items {
		visit(it.ID, nil)
	}
}

func TestAlignmentWeights(t *testing.T) {
	x := newIndex(t)
	for parent, as := range x.children {
		sum := 0.0
		for _, a := range as {
			if a.Weight <= 0 || a.Weight > 100 {
				t.Errorf("alignment %d → %d: weight %v", a.ChildID, a.ParentID, a.Weight)
			}
			sum += a.Weight
		}
		if math.Abs(sum-100) > 1e-6 {
			t.Errorf("item %d: weights of its children sum to %v, want 100", parent, sum)
		}
	}

	seven := x.children[demo.ContosoSevenChildrenItemID]
	if len(seven) != 7 {
		t.Fatalf("item %d has %d children, want 7", demo.ContosoSevenChildrenItemID, len(seven))
	}
	sum := 0.0
	for _, a := range seven {
		if a.Weight != 100.0/7 {
			t.Errorf("alignment %d → %d: weight %v, want 100/7", a.ChildID, a.ParentID, a.Weight)
		}
		sum += a.Weight
	}
	if math.Abs(sum-100) > 1e-9 {
		t.Errorf("seven weights sum to %v, want 100", sum)
	}

	ps := x.parents[demo.ContosoMultiParentItemID]
	if len(ps) != 2 || ps[0].ParentID != demo.ContosoPipelineObjectiveID || ps[0].Weight == ps[1].Weight {
		t.Errorf("multi-parent item: got alignments %+v, want two with different weights, first to %d",
			ps, demo.ContosoPipelineObjectiveID)
	}
}

func TestProgress(t *testing.T) {
	x := newIndex(t)
	for _, it := range x.ds.Items {
		if it.Progress < 0 || it.Progress > 100 {
			t.Errorf("item %d: progress %v outside 0..100", it.ID, it.Progress)
		}
		if it.Metric.IsPercent() {
			if it.Current != it.Progress {
				t.Errorf("item %d: percent item with current %v ≠ progress %v", it.ID, it.Current, it.Progress)
			}
			if it.Metric.Unit != "%" || it.Metric.Start != 0 || it.Metric.Target != 100 {
				t.Errorf("item %d: percent metric %+v", it.ID, it.Metric)
			}
		}
		switch it.ProgressMode {
		case goalpost.ProgressRollup:
			if !it.Metric.IsPercent() {
				t.Errorf("item %d: rolled up with metric %q", it.ID, it.Metric.Name)
			}
			children := x.children[it.ID]
			if len(children) == 0 {
				t.Errorf("item %d: rolled up without children", it.ID)
			}
			want := 0.0
			for _, a := range children {
				want += a.Weight / 100 * x.items[a.ChildID].Progress
			}
			if math.Abs(it.Progress-want) > 0.01 {
				t.Errorf("item %d: progress %v, want the weighted mean of its children %v", it.ID, it.Progress, want)
			}
		case goalpost.ProgressManual:
			m := it.Metric
			var want float64
			switch m.Direction {
			case goalpost.DirectionReach, goalpost.DirectionIncreaseFrom, goalpost.DirectionDecreaseFrom:
				want = (it.Current - m.Start) / (m.Target - m.Start) * 100
			default:
				t.Errorf("item %d: direction %q has no linear progress", it.ID, m.Direction)
			}
			want = max(0, min(100, want))
			if math.Abs(it.Progress-want) > 0.01 {
				t.Errorf("item %d: progress %v, want %v from its metric", it.ID, it.Progress, want)
			}
		default:
			t.Errorf("item %d: progress mode %q", it.ID, it.ProgressMode)
		}
	}
}

func TestCheckIns(t *testing.T) {
	x := newIndex(t)
	for _, c := range x.ds.CheckIns {
		if c.ActivityAt.Location() != time.UTC {
			t.Errorf("check-in %d: activity %v not in UTC", c.ID, c.ActivityAt)
		}
		if goalpost.DateOf(c.ActivityAt).Before(c.Date) {
			t.Errorf("check-in %d: recorded %v before its date %s", c.ID, c.ActivityAt, c.Date)
		}
		it := x.items[c.ItemID]
		if c.ActivityAt.Before(it.CreatedAt) || it.UpdatedAt.Before(c.ActivityAt) {
			t.Errorf("check-in %d: recorded %v outside item %d's %v..%v", c.ID, c.ActivityAt, it.ID, it.CreatedAt, it.UpdatedAt)
		}
		if c.Date.Before(it.StartDate) || it.EndDate.Before(c.Date) {
			t.Errorf("check-in %d: date %s outside item %d's %s..%s", c.ID, c.Date, it.ID, it.StartDate, it.EndDate)
		}
	}
	for _, it := range x.ds.Items {
		cs := x.checkIns[it.ID]
		if len(cs) > 5 {
			t.Errorf("item %d: %d check-ins, want at most 5", it.ID, len(cs))
		}
		if len(cs) == 0 {
			if it.ProgressMode == goalpost.ProgressManual && (it.Status != goalpost.StatusNotStarted || it.Progress != 0) {
				t.Errorf("item %d: manual, no check-ins, but %s at %v%%", it.ID, it.Status, it.Progress)
			}
			continue
		}
		newest := cs[0]
		if newest.Value != it.Current {
			t.Errorf("item %d: current %v, newest check-in %v", it.ID, it.Current, newest.Value)
		}
		if newest.Status != it.Status {
			t.Errorf("item %d: status %s, newest check-in %s", it.ID, it.Status, newest.Status)
		}
		if !it.UpdatedAt.Equal(newest.ActivityAt) {
			t.Errorf("item %d: updated %v, newest check-in recorded %v", it.ID, it.UpdatedAt, newest.ActivityAt)
		}
	}
}

func TestItems(t *testing.T) {
	x := newIndex(t)
	for _, it := range x.ds.Items {
		if it.Title == "" {
			t.Errorf("item %d: no title", it.ID)
		}
		if (it.Score != nil) != (it.Status == goalpost.StatusClosed) {
			t.Errorf("item %d: %s with score %v", it.ID, it.Status, it.Score)
		}
		if it.Score != nil && (*it.Score < 0 || *it.Score > 1) {
			t.Errorf("item %d: score %v outside 0..1", it.ID, *it.Score)
		}
		for _, ts := range []time.Time{it.CreatedAt, it.UpdatedAt} {
			if ts.Year() != 2025 || ts.Location() != time.UTC {
				t.Errorf("item %d: timestamp %v not in 2025 UTC", it.ID, ts)
			}
		}
		if it.UpdatedAt.Before(it.CreatedAt) {
			t.Errorf("item %d: updated before created", it.ID)
		}
		if it.Level == goalpost.LevelIndividual && len(it.OwnerIDs) != 1 {
			t.Errorf("item %d: individual item with owners %v", it.ID, it.OwnerIDs)
		}
		if it.Visibility != goalpost.VisibilityEveryone && it.Visibility != goalpost.VisibilityRestricted {
			t.Errorf("item %d: visibility %q", it.ID, it.Visibility)
		}
		if it.GoalType != goalpost.GoalAspirational && it.GoalType != goalpost.GoalCommitted {
			t.Errorf("item %d: goal type %q", it.ID, it.GoalType)
		}
	}
	// Items are listed in export order: every parent before its children.
	pos := make(map[int64]int)
	for i, it := range x.ds.Items {
		pos[it.ID] = i
	}
	for _, a := range x.ds.Alignments {
		if a.ChildID != demo.ContosoMultiParentItemID && pos[a.ParentID] > pos[a.ChildID] {
			t.Errorf("item %d listed before its parent %d", a.ChildID, a.ParentID)
		}
	}
}

func TestContosoCoverage(t *testing.T) {
	x := newIndex(t)
	items := x.orgItems(demo.ContosoID)
	if n := len(items); n < 30 || n > 45 {
		t.Errorf("Contoso has %d items, want 30..45", n)
	}

	has := func(what string, ok func(it *goalpost.Item) bool) {
		t.Helper()
		if !slices.ContainsFunc(items, ok) {
			t.Errorf("Contoso has no %s", what)
		}
	}
	has("restricted item", func(it *goalpost.Item) bool { return it.Visibility == goalpost.VisibilityRestricted })
	has("closed item with a score", func(it *goalpost.Item) bool { return it.Status == goalpost.StatusClosed && it.Score != nil })
	has("item with several owners", func(it *goalpost.Item) bool { return len(it.OwnerIDs) >= 2 })
	has("item with three check-ins", func(it *goalpost.Item) bool { return len(x.checkIns[it.ID]) >= 3 })
	has("item with several teams", func(it *goalpost.Item) bool { return len(it.TeamIDs) >= 2 })
	has("item with several parents", func(it *goalpost.Item) bool { return len(x.parents[it.ID]) >= 2 })
	has("item without owner", func(it *goalpost.Item) bool { return len(it.OwnerIDs) == 0 })
	has("item without team", func(it *goalpost.Item) bool { return len(it.TeamIDs) == 0 })
	has("committed item", func(it *goalpost.Item) bool { return it.GoalType == goalpost.GoalCommitted })
	has("tagged item", func(it *goalpost.Item) bool { return len(it.Tags) > 0 })
	has("manual parent", func(it *goalpost.Item) bool {
		return it.ProgressMode == goalpost.ProgressManual && len(x.children[it.ID]) > 0
	})
	has("description that needs CSV quoting", func(it *goalpost.Item) bool {
		d := it.Description
		return strings.Contains(d, ",") && strings.Contains(d, `"`) && strings.Contains(d, "\n") &&
			strings.ContainsFunc(d, func(r rune) bool { return r > 127 })
	})
	has("title with CJK characters", func(it *goalpost.Item) bool { return strings.Contains(it.Title, "東京") })
	for _, s := range []goalpost.Status{
		goalpost.StatusNotStarted, goalpost.StatusOnTrack, goalpost.StatusBehind, goalpost.StatusAtRisk,
		goalpost.StatusClosed, goalpost.StatusPostponed, goalpost.StatusReopened,
	} {
		has("item "+string(s), func(it *goalpost.Item) bool { return it.Status == s })
	}
	for _, k := range []goalpost.ItemKind{goalpost.KindObjective, goalpost.KindKeyResult, goalpost.KindInitiative} {
		has(string(k), func(it *goalpost.Item) bool { return it.Kind == k })
	}
	for _, l := range []goalpost.Level{goalpost.LevelOrganization, goalpost.LevelTeam, goalpost.LevelIndividual} {
		has("objective at level "+string(l), func(it *goalpost.Item) bool {
			return it.Kind == goalpost.KindObjective && it.Level == l
		})
	}
	for _, m := range []struct {
		name, unit string
		dir        goalpost.Direction
	}{
		{"Annual recurring revenue", "$", goalpost.DirectionIncreaseFrom},
		{"Net promoter score", "number", goalpost.DirectionIncreaseFrom},
		{"Churn rate", "%", goalpost.DirectionDecreaseFrom},
	} {
		has("metric "+m.name, func(it *goalpost.Item) bool {
			return it.Metric.Name == m.name && it.Metric.Unit == m.unit && it.Metric.Direction == m.dir
		})
	}
	if n := len(x.checkIns[demo.ContosoQualifiedPipelineKeyResultID]); n != 5 {
		t.Errorf("qualified pipeline has %d check-ins, want 5", n)
	}

	r := x.items[demo.ContosoRestrictedItemID]
	if r == nil || r.Visibility != goalpost.VisibilityRestricted || slices.Contains(r.OwnerIDs, demo.AdeleID) {
		t.Errorf("got restricted item %+v, want restricted and not owned by Adele", r)
	}
	if it := x.items[demo.ContosoUnassignedItemID]; it == nil || len(it.OwnerIDs) != 0 {
		t.Errorf("got unassigned item %+v", it)
	}
	if d := x.items[demo.ContosoQuotingItemID].Description; !strings.Contains(d, "Zürich") {
		t.Errorf("got quoting description %q", d)
	}

	var periods []string
	for _, p := range x.ds.TimePeriods {
		if p.OrgID == demo.ContosoID {
			periods = append(periods, p.Name+" "+p.Start.String()+" "+p.End.String())
		}
	}
	wantPeriods := []string{
		"Q1 2025 2025-01-01 2025-03-31", "Q2 2025 2025-04-01 2025-06-30", "Q3 2025 2025-07-01 2025-09-30",
		"Q4 2025 2025-10-01 2025-12-31", "Annual 2025 2025-01-01 2025-12-31",
	}
	if !reflect.DeepEqual(periods, wantPeriods) {
		t.Errorf("got Contoso periods %q, want %q", periods, wantPeriods)
	}

	var sub, archived bool
	for _, tm := range x.ds.Teams {
		if tm.OrgID == demo.ContosoID {
			sub = sub || tm.ParentID != uuid.Nil
			archived = archived || tm.Archived
		}
	}
	if !sub || !archived {
		t.Errorf("Contoso teams: got a sub-team %v, an archived team %v; want both", sub, archived)
	}
}

func TestDefaultViews(t *testing.T) {
	x := newIndex(t)
	for _, tt := range []struct {
		org, creator uuid.UUID
	}{
		{demo.ContosoID, demo.AdeleID},
		{demo.FabrikamID, demo.MeganID},
	} {
		byName := make(map[string]*goalpost.ExplorerView)
		for _, v := range x.ds.Views {
			if v.OrgID == tt.org {
				if byName[v.Name] != nil {
					t.Errorf("%s has two views named %q", x.orgs[tt.org].Name, v.Name)
				}
				byName[v.Name] = v
			}
		}
		for _, name := range goalpost.DefaultViews {
			v := byName[name]
			if v == nil {
				t.Errorf("%s has no view %q", x.orgs[tt.org].Name, name)
				continue
			}
			if v.Visibility != goalpost.ViewPublic || v.CreatorID != tt.creator || v.TopLevelOnly ||
				!reflect.DeepEqual(v.Export, goalpost.ExportSettings{}) {
				t.Errorf("%s view %q: got %+v, want public, by the owner, default settings", x.orgs[tt.org].Name, name, v)
			}
		}
		wantFilters := map[string]goalpost.ViewFilter{
			"All objectives":    {},
			"All my objectives": {Owners: []string{goalpost.OwnerMe}},
			"Overdue OKRs":      {Due: &goalpost.DateFilter{Op: goalpost.DateOverdue}},
			"Not updated in the last 7 days": {
				CheckedIn: &goalpost.DateFilter{Op: goalpost.DateMoreThanDaysAgo, Days: 7},
			},
			"At risk or behind": {Statuses: []goalpost.Status{goalpost.StatusAtRisk, goalpost.StatusBehind}},
			"Recently completed": {
				Statuses: []goalpost.Status{goalpost.StatusClosed},
				Updated:  &goalpost.DateFilter{Op: goalpost.DateLessThanDaysAgo, Days: 7},
			},
			"Unaligned OKRs": {Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedNone}},
		}
		for name, want := range wantFilters {
			if v := byName[name]; v != nil && !reflect.DeepEqual(v.Filter, want) {
				t.Errorf("view %q: got filter %+v, want %+v", name, v.Filter, want)
			}
		}
	}
}

func TestContosoViews(t *testing.T) {
	x := newIndex(t)
	p := x.views[demo.ContosoPrivateViewID]
	if p == nil || p.OrgID != demo.ContosoID || p.Visibility != goalpost.ViewPrivate || p.CreatorID == demo.AdeleID ||
		!x.canWrite(demo.ContosoID, p.CreatorID) {
		t.Errorf("got private view %+v, want private to a Contoso member other than Adele", p)
	}
	for _, v := range x.ds.Views {
		if v.ID != demo.ContosoPrivateViewID && v.Visibility != goalpost.ViewPublic {
			t.Errorf("view %q: visibility %q, want public", v.Name, v.Visibility)
		}
	}
	br := x.views[demo.ContosoBusinessReviewViewID]
	if br == nil || br.Visibility != goalpost.ViewPublic || len(br.Export.Columns) == 0 ||
		len(br.Export.Columns) >= len(goalpost.DefaultColumns) || br.Export.Tags != goalpost.TagsOneColumn ||
		!br.Export.IncludeChildren {
		t.Errorf("got business review view %+v, want a column subset, a Tag column and children", br)
	}
	if v := x.views[demo.ContosoCompanyObjectivesViewID]; v == nil || !v.TopLevelOnly {
		t.Errorf("got company objectives view %+v, want top-level only", v)
	}
	if v := x.views[demo.ContosoGrowthTagsViewID]; v == nil || v.Export.Tags != goalpost.TagsPerColumn {
		t.Errorf("got growth tags view %+v, want one column per tag", v)
	}
	for _, v := range x.ds.Views {
		if v.CreatedAt.Year() != 2025 || v.CreatedAt.Location() != time.UTC {
			t.Errorf("view %q: created %v", v.Name, v.CreatedAt)
		}
	}
}

func TestFabrikam(t *testing.T) {
	x := newIndex(t)
	items := x.orgItems(demo.FabrikamID)
	if n := len(items); n < 8 || n > 15 {
		t.Errorf("Fabrikam has %d items, want 8..15", n)
	}
	for _, it := range items {
		if it.ID < 3100001 {
			t.Errorf("Fabrikam item %d below 3100001", it.ID)
		}
	}
	f := x.orgs[demo.FabrikamID]
	for _, tt := range []struct {
		kind goalpost.ItemKind
		want string
	}{
		{goalpost.KindObjective, "Goal"},
		{goalpost.KindKeyResult, "Metric"},
		{goalpost.KindInitiative, "Deliverable"},
	} {
		if got := f.Terminology.Word(tt.kind); got != tt.want {
			t.Errorf("Fabrikam's word for %s: got %q, want %q", tt.kind, got, tt.want)
		}
	}
}

func TestExportOrder(t *testing.T) {
	// Item IDs follow the depth-first export order within each
	// organization, so the demo CSV lists them ascending.
	x := newIndex(t)
	for _, org := range []uuid.UUID{demo.ContosoID, demo.FabrikamID} {
		var got []int64
		var walk func(id int64)
		seen := make(map[int64]bool)
		walk = func(id int64) {
			if seen[id] {
				return
			}
			seen[id] = true
			got = append(got, id)
			for _, a := range x.children[id] {
				if ps := x.parents[a.ChildID]; ps[0].ParentID == id {
					walk(a.ChildID)
				}
			}
		}
		items := x.orgItems(org)
		for _, it := range items {
			if len(x.parents[it.ID]) == 0 {
				walk(it.ID)
			}
		}
		if !slices.IsSorted(got) || len(got) != len(items) {
			t.Errorf("%s: export order %v is not ascending or incomplete", x.orgs[org].Name, got)
		}
	}
}

// fakeStore is a goalpost.Store that knows organizations and counts loads.
type fakeStore struct {
	goalpost.Store // nil: Load must call nothing else
	orgs           map[uuid.UUID]bool
	loads          int
	findErr        error
	loadErr        error
	loadCreates    bool // LoadDataset creates the organizations even when it fails (a lost race)
}

func (s *fakeStore) FindOrganizationByID(_ context.Context, id uuid.UUID) (*goalpost.Organization, error) {
	if s.findErr != nil {
		return nil, s.findErr
	}
	if !s.orgs[id] {
		return nil, goalpost.Errorf(goalpost.ENOTFOUND, "organization not found")
	}
	return &goalpost.Organization{ID: id}, nil
}

func (s *fakeStore) LoadDataset(_ context.Context, ds *goalpost.Dataset) error {
	s.loads++
	if s.loadErr == nil || s.loadCreates {
		for _, o := range ds.Organizations {
			s.orgs[o.ID] = true
		}
	}
	return s.loadErr
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	s := &fakeStore{orgs: make(map[uuid.UUID]bool)}
	if loaded, err := demo.Load(ctx, s); err != nil || !loaded {
		t.Fatalf("first Load: got %v, %v; want true, nil", loaded, err)
	}
	if loaded, err := demo.Load(ctx, s); err != nil || loaded {
		t.Fatalf("second Load: got %v, %v; want false, nil", loaded, err)
	}
	if s.loads != 1 {
		t.Errorf("got %d LoadDataset calls, want 1", s.loads)
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("boom")
	for _, tt := range []struct {
		name       string
		store      *fakeStore
		wantLoaded bool
		wantErr    error
		wantLoads  int
	}{
		{"find fails", &fakeStore{findErr: boom}, false, boom, 0},
		{"load fails", &fakeStore{loadErr: boom}, false, boom, 1},
		{"lost race", &fakeStore{loadErr: boom, loadCreates: true}, false, nil, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.store.orgs = make(map[uuid.UUID]bool)
			loaded, err := demo.Load(ctx, tt.store)
			if loaded != tt.wantLoaded || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("got %v, %v; want %v, %v", loaded, err, tt.wantLoaded, tt.wantErr)
			}
			if tt.store.loads != tt.wantLoads {
				t.Errorf("got %d LoadDataset calls, want %d", tt.store.loads, tt.wantLoads)
			}
		})
	}
}
