package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The contract of ReadOrganization and ImportOrganization: a whole
// organization read from one snapshot, and written back in one
// transaction that changes exactly what differs.

// fixtureOrgA returns orgA as ReadOrganization gives it after LoadDataset
// of the fixture: its records only, each kind in the order of its key,
// every version 1, each item's last check-in its newest check-in's.
func fixtureOrgA() *goalpost.Dataset {
	f := fixture()
	ds := &goalpost.Dataset{}
	for _, o := range f.Organizations {
		if o.ID == orgA {
			o.Version = 1
			ds.Organizations = append(ds.Organizations, o)
		}
	}
	users := make(map[uuid.UUID]*goalpost.User)
	for _, u := range f.Users {
		users[u.ID] = u
	}
	for _, m := range f.Memberships {
		if m.OrgID == orgA {
			m.Version = 1
			ds.Memberships = append(ds.Memberships, m)
			ds.Users = append(ds.Users, users[m.UserID])
		}
	}
	slices.SortFunc(ds.Memberships, func(a, b goalpost.Membership) int { return bytes.Compare(a.UserID[:], b.UserID[:]) })
	slices.SortFunc(ds.Users, func(a, b *goalpost.User) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	for _, tm := range f.Teams {
		if tm.OrgID == orgA {
			tm.Version = 1
			ds.Teams = append(ds.Teams, tm)
		}
	}
	slices.SortFunc(ds.Teams, func(a, b *goalpost.Team) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	for _, p := range f.TimePeriods {
		if p.OrgID == orgA {
			p.Version = 1
			ds.TimePeriods = append(ds.TimePeriods, p)
		}
	}
	slices.SortFunc(ds.TimePeriods, func(a, b *goalpost.TimePeriod) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	items := make(map[int64]*goalpost.Item)
	for _, it := range f.Items {
		if it.OrgID == orgA {
			it.Version = 1
			ds.Items = append(ds.Items, it)
			items[it.ID] = it
		}
	}
	slices.SortFunc(ds.Items, func(a, b *goalpost.Item) int { return int(a.ID - b.ID) })
	// The loader keeps each child's parents in the fixture's order.
	for _, a := range f.Alignments {
		if items[a.ChildID] != nil {
			a.Version = 1
			ds.Alignments = append(ds.Alignments, a)
		}
	}
	slices.SortStableFunc(ds.Alignments, func(a, b goalpost.Alignment) int { return int(a.ChildID - b.ChildID) })
	newest := make(map[int64]*goalpost.CheckIn)
	for _, c := range f.CheckIns {
		it := items[c.ItemID]
		if it == nil {
			continue
		}
		c.Version = 1
		ds.CheckIns = append(ds.CheckIns, c)
		if n := newest[c.ItemID]; n == nil || newer(c, n) {
			newest[c.ItemID] = c
		}
	}
	slices.SortFunc(ds.CheckIns, func(a, b *goalpost.CheckIn) int { return int(a.ID - b.ID) })
	for id, c := range newest {
		items[id].LastCheckIn, items[id].LastCheckInNote = c.Date, c.Note
	}
	for _, v := range f.Views {
		if v.OrgID == orgA {
			v.Version = 1
			ds.Views = append(ds.Views, v)
		}
	}
	slices.SortFunc(ds.Views, func(a, b *goalpost.ExplorerView) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	return ds
}

// newer reports whether check-in a comes before b newest first: by date,
// then activity time, then id.
func newer(a, b *goalpost.CheckIn) bool {
	if a.Date != b.Date {
		return b.Date.Before(a.Date)
	}
	if !a.ActivityAt.Equal(b.ActivityAt) {
		return a.ActivityAt.After(b.ActivityAt)
	}
	return a.ID > b.ID
}

// wantDataset fails t unless got equals want record for record, naming the
// first record of each kind that differs.
func wantDataset(t *testing.T, got, want *goalpost.Dataset) {
	t.Helper()
	wantRecords(t, "organizations", got.Organizations, want.Organizations)
	wantRecords(t, "users", got.Users, want.Users)
	wantRecords(t, "memberships", got.Memberships, want.Memberships)
	wantRecords(t, "teams", got.Teams, want.Teams)
	wantRecords(t, "time periods", got.TimePeriods, want.TimePeriods)
	wantRecords(t, "items", got.Items, want.Items)
	wantRecords(t, "alignments", got.Alignments, want.Alignments)
	wantRecords(t, "check-ins", got.CheckIns, want.CheckIns)
	wantRecords(t, "views", got.Views, want.Views)
}

func wantRecords[T any](t *testing.T, kind string, got, want []T) {
	t.Helper()
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s[%d] =\n%s\nwant\n%s", kind, i, show(got[i]), show(want[i]))
			return
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d %s, want %d", len(got), kind, len(want))
	}
}

// show prints a record with what its pointers point to.
func show(v any) string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return fmt.Sprintf("%+v", v)
	}
	var b strings.Builder
	b.WriteString("{")
	for i := range rv.NumField() {
		f := rv.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			fmt.Fprintf(&b, "%s:&%+v ", rv.Type().Field(i).Name, f.Elem().Interface())
			continue
		}
		fmt.Fprintf(&b, "%s:%+v ", rv.Type().Field(i).Name, f.Interface())
	}
	return strings.TrimSpace(b.String()) + "}"
}

func mustRead(t *testing.T, s goalpost.Store, orgID uuid.UUID) *goalpost.Dataset {
	t.Helper()
	ds, err := s.ReadOrganization(context.Background(), orgID)
	if err != nil {
		t.Fatalf("ReadOrganization(%s): %v", orgID, err)
	}
	return ds
}

// counts is a compact form of one map of an ImportResult: kind → number,
// the kinds with 0 left out.
func counts(m map[string]int) map[string]int {
	out := make(map[string]int)
	for k, n := range m {
		if n != 0 {
			out[k] = n
		}
	}
	return out
}

// wantCounts fails t unless the result's non-zero counts are want's.
func wantCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if want == nil {
		want = map[string]int{}
	}
	if g := counts(got); !reflect.DeepEqual(g, want) {
		t.Errorf("%s = %v, want %v", what, g, want)
	}
}

func testReadOrganization(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	wantDataset(t, mustRead(t, s, orgA), fixtureOrgA())

	_, err := s.ReadOrganization(ctx, uuid.MustParse("f0000000-0000-4000-8000-00000000dead"))
	wantCode(t, err, goalpost.ENOTFOUND, "")

	// orgB's dataset holds Adam, a member of both, and only orgB's records.
	b := mustRead(t, s, orgB)
	if len(b.Users) != 2 || b.Users[0].ID != adam || b.Users[1].ID != otto || len(b.Items) != 2 ||
		len(b.Alignments) != 1 || len(b.CheckIns) != 1 || len(b.Views) != 1 || len(b.Teams) != 1 {
		t.Errorf("ReadOrganization(orgB) = %d users, %d teams, %d items, %d alignments, %d check-ins, %d views",
			len(b.Users), len(b.Teams), len(b.Items), len(b.Alignments), len(b.CheckIns), len(b.Views))
	}

	// A user who left the organization but whom its records still name is
	// among the users, without a membership, so that a restore finds them.
	if err := s.RemoveMember(ctx, orgA, oscar, 0); err != nil {
		t.Fatal(err)
	}
	ds := mustRead(t, s, orgA)
	if !slices.ContainsFunc(ds.Users, func(u *goalpost.User) bool { return u.ID == oscar }) {
		t.Errorf("users after Oscar left: %v, want Oscar, who owns item 150", ds.Users)
	}
	if slices.ContainsFunc(ds.Memberships, func(m goalpost.Membership) bool { return m.UserID == oscar }) {
		t.Errorf("memberships after Oscar left still hold him")
	}
}

// Ids of the organization the import tests create.
var (
	orgC    = uuid.MustParse("c0000000-0000-4000-8000-000000000001")
	cara    = uuid.MustParse("c0000000-0000-4000-8000-0000000000a1")
	teamC   = uuid.MustParse("c0000000-0000-4000-8000-0000000000e1")
	periodC = uuid.MustParse("c0000000-0000-4000-8000-0000000000f1")
	viewC   = uuid.MustParse("c0000000-0000-4000-8000-0000000000c1")
)

// datasetC is a new organization: a new owner, Adam (who exists) as a
// member, a team, a period, three items, two alignments, two check-ins
// (one without an id) and a private view.
func datasetC() *goalpost.Dataset {
	item := func(id int64, kind goalpost.ItemKind, title string) *goalpost.Item {
		return &goalpost.Item{ID: id, OrgID: orgC, Kind: kind, Level: goalpost.LevelTeam, Title: title,
			TeamIDs: ids(teamC), OwnerIDs: ids(cara, adam), CreatorID: cara, PeriodID: periodC,
			StartDate: date("2025-01-01"), EndDate: date("2025-03-31"), GoalType: goalpost.GoalAspirational,
			Metric:  goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionReach},
			Current: 20, Progress: 20, ProgressMode: goalpost.ProgressManual, Status: goalpost.StatusOnTrack,
			Visibility: goalpost.VisibilityEveryone, CreatedAt: at("2025-01-02 09:00"), UpdatedAt: at("2025-02-01 09:00"),
			LastCheckIn: date("2025-02-01"), LastCheckInNote: "Ünïcode ✓"}
	}
	restricted := item(902, goalpost.KindInitiative, "Restricted work")
	restricted.Visibility = goalpost.VisibilityRestricted
	restricted.Tags = tags("secret", "ops")
	restricted.Status, restricted.Score = goalpost.StatusClosed, ptr(0.5)
	return &goalpost.Dataset{
		Organizations: []*goalpost.Organization{{ID: orgC, Name: "Northwind Import", CreatedAt: at("2025-01-01 00:00"),
			Terminology: goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"}}},
		Users: []*goalpost.User{
			{ID: cara, UPN: "cara@northwind.test", DisplayName: "Cara Çelik", ManagerID: adam},
			{ID: adam, UPN: "adam@contoso.test", DisplayName: nameAdam},
		},
		Memberships: []goalpost.Membership{
			{OrgID: orgC, UserID: cara, Role: goalpost.RoleOwner},
			{OrgID: orgC, UserID: adam, Role: goalpost.RoleMember},
		},
		Teams:       []*goalpost.Team{{ID: teamC, OrgID: orgC, Name: "Ops", OwnerID: cara, Type: "department", Members: ids(cara, adam)}},
		TimePeriods: []*goalpost.TimePeriod{{ID: periodC, OrgID: orgC, Name: "Q1", Start: date("2025-01-01"), End: date("2025-03-31")}},
		Items: []*goalpost.Item{
			item(900, goalpost.KindObjective, "Run smoothly"),
			item(901, goalpost.KindKeyResult, "Fewer incidents"),
			restricted,
		},
		Alignments: []goalpost.Alignment{
			{ChildID: 901, ParentID: 900, Weight: 70, WeightFixed: true},
			{ChildID: 902, ParentID: 900, Weight: 30},
		},
		CheckIns: []*goalpost.CheckIn{
			{ID: 50, ItemID: 901, Date: date("2025-01-15"), UserID: cara, Note: "first", Status: goalpost.StatusOnTrack, Value: 10, ActivityAt: at("2025-01-15 10:00")},
			{ItemID: 901, Date: date("2025-02-01"), UserID: adam, Note: "Ünïcode ✓", Status: goalpost.StatusOnTrack, Value: 20, ActivityAt: at("2025-02-01 10:00")},
		},
		Views: []*goalpost.ExplorerView{{ID: viewC, OrgID: orgC, Name: "Mine", Visibility: goalpost.ViewPrivate, CreatorID: cara,
			Filter:    goalpost.ViewFilter{Owners: []string{goalpost.OwnerMe}, Statuses: []goalpost.Status{goalpost.StatusOnTrack}},
			CreatedAt: at("2025-01-01 00:00")}},
	}
}

// constant returns a build that returns ds whatever exists.
func constant(ds *goalpost.Dataset) func(*goalpost.Dataset) (*goalpost.Dataset, error) {
	return func(*goalpost.Dataset) (*goalpost.Dataset, error) { return ds, nil }
}

func testImportOrganization(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()

	t.Run("NewOrganization", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		var existing *goalpost.Dataset
		res, err := s.ImportOrganization(ctx, orgC, goalpost.ImportOptions{}, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			existing = ex
			return datasetC(), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if existing == nil || len(existing.Organizations) != 0 || len(existing.Items) != 0 {
			t.Errorf("build got %+v for a new organization, want an empty dataset", existing)
		}
		wantCounts(t, "Created", res.Created, map[string]int{"organizations": 1, "users": 1, "memberships": 2, "teams": 1,
			"timePeriods": 1, "items": 3, "alignments": 2, "checkIns": 2, "views": 1})
		wantCounts(t, "Unchanged", res.Unchanged, map[string]int{"users": 1}) // Adam exists
		wantCounts(t, "Updated", res.Updated, nil)
		wantCounts(t, "Deleted", res.Deleted, nil)
		if len(res.Created) != 9 || len(res.Deleted) != 9 {
			t.Errorf("result maps %v, %v: want every kind as a key", res.Created, res.Deleted)
		}

		// What was written is the dataset, at version 1, the check-in
		// without an id numbered after the deployment's largest (12).
		want := datasetC()
		want.Organizations[0].Version = 1
		want.Users = []*goalpost.User{want.Users[1], want.Users[0]} // by id: Adam (a0…), Cara (c0…)
		want.Memberships = []goalpost.Membership{want.Memberships[1], want.Memberships[0]}
		for i := range want.Memberships {
			want.Memberships[i].Version = 1
		}
		want.Teams[0].Version, want.TimePeriods[0].Version, want.Views[0].Version = 1, 1, 1
		for _, it := range want.Items {
			it.Version = 1
		}
		for i := range want.Alignments {
			want.Alignments[i].Version = 1
		}
		want.CheckIns[1].ID = 51
		for _, c := range want.CheckIns {
			c.Version = 1
		}
		wantDataset(t, mustRead(t, s, orgC), want)
		if u, err := s.FindUserByID(ctx, cara); err != nil || u.ManagerID != adam {
			t.Errorf("FindUserByID(Cara) = %+v, %v", u, err)
		}
		// orgA is untouched.
		wantDataset(t, mustRead(t, s, orgA), fixtureOrgA())
	})

	t.Run("SameTwice", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		// Every check-in with its id: one without would be a new one each
		// time (and the one before it deleted).
		build := func(*goalpost.Dataset) (*goalpost.Dataset, error) {
			ds := datasetC()
			ds.CheckIns[1].ID = 51
			return ds, nil
		}
		if _, err := s.ImportOrganization(ctx, orgC, goalpost.ImportOptions{}, build); err != nil {
			t.Fatal(err)
		}
		before := mustRead(t, s, orgC)
		for _, replace := range []bool{false, true} {
			res, err := s.ImportOrganization(ctx, orgC, goalpost.ImportOptions{Replace: replace}, build)
			if err != nil {
				t.Fatal(err)
			}
			if res.Changed() {
				t.Errorf("second import (replace %v) changed %v, %v, %v", replace, res.Created, res.Updated, res.Deleted)
			}
			wantCounts(t, "Unchanged", res.Unchanged, map[string]int{"organizations": 1, "users": 2, "memberships": 2, "teams": 1,
				"timePeriods": 1, "items": 3, "alignments": 2, "checkIns": 2, "views": 1})
		}
		wantDataset(t, mustRead(t, s, orgC), before)
		// Importing what ReadOrganization gives changes nothing either.
		res, err := s.ImportOrganization(ctx, orgC, goalpost.ImportOptions{Replace: true},
			func(ex *goalpost.Dataset) (*goalpost.Dataset, error) { return ex, nil })
		if err != nil {
			t.Fatal(err)
		}
		if res.Changed() {
			t.Errorf("importing what exists changed %v, %v, %v", res.Created, res.Updated, res.Deleted)
		}
		wantDataset(t, mustRead(t, s, orgC), before)

		// So does an import of the fixture's orgA as it was loaded.
		s2 := mustOpenLoaded(t, open)
		res, err = s2.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, constant(fixtureOrgA()))
		if err != nil {
			t.Fatal(err)
		}
		if res.Changed() {
			t.Errorf("importing the fixture over itself changed %v, %v, %v", res.Created, res.Updated, res.Deleted)
		}
		wantDataset(t, mustRead(t, s2, orgA), fixtureOrgA())
	})

	t.Run("ChangedTitle", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		res, err := s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{}, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			for _, it := range ex.Items {
				if it.ID == 102 {
					it.Title = "Raise NPS score above 45"
				}
			}
			return ex, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, "Updated", res.Updated, map[string]int{"items": 1})
		wantCounts(t, "Created", res.Created, nil)
		wantCounts(t, "Deleted", res.Deleted, nil)
		if res.Unchanged["items"] != 15 || res.Unchanged["checkIns"] != 11 || res.Unchanged["alignments"] != 12 {
			t.Errorf("Unchanged = %v", res.Unchanged)
		}
		got := mustRead(t, s, orgA)
		want := fixtureOrgA()
		it := mustItem(t, s, 102)
		if it.Title != "Raise NPS score above 45" || it.Version != 2 || !it.UpdatedAt.After(want.Items[2].UpdatedAt) {
			t.Errorf("item 102 = %q version %d updated %v; want the new title at version 2, updated now", it.Title, it.Version, it.UpdatedAt)
		}
		if got.Organizations[0].Version != 2 {
			t.Errorf("organization version %d, want 2: every change increments it", got.Organizations[0].Version)
		}
		// Everything else is as it was.
		want.Organizations[0].Version = 2
		want.Items[2] = it
		wantDataset(t, got, want)
	})

	t.Run("BuildError", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		errBuild := errors.New("build failed")
		_, err := s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			ex.Items[0].Title = "Changed and then failed"
			return nil, errBuild
		})
		if !errors.Is(err, errBuild) {
			t.Fatalf("err = %v, want build's error", err)
		}
		wantDataset(t, mustRead(t, s, orgA), fixtureOrgA())
		_, err = s.ImportOrganization(ctx, orgC, goalpost.ImportOptions{}, func(*goalpost.Dataset) (*goalpost.Dataset, error) {
			return nil, goalpost.Errorf(goalpost.EFORBIDDEN, "no")
		})
		wantCode(t, err, goalpost.EFORBIDDEN, "")
		_, err = s.FindOrganizationByID(ctx, orgC)
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	t.Run("Replace", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		// Zed is a member of orgA only, named by nothing.
		zed := &goalpost.Member{OrgID: orgA, User: goalpost.User{UPN: "zed@contoso.test", DisplayName: "Zed"}, Role: goalpost.RoleMember}
		if err := s.AddMember(ctx, zed); err != nil {
			t.Fatal(err)
		}
		// The dataset lacks items 130 and 131 (with 131's alignment and
		// check-in), their period, Mia's private view, and Zed.
		lacking := func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			ex.Items = slices.DeleteFunc(ex.Items, func(it *goalpost.Item) bool { return it.ID == 130 || it.ID == 131 })
			ex.Alignments = slices.DeleteFunc(ex.Alignments, func(a goalpost.Alignment) bool { return a.ChildID == 131 })
			ex.CheckIns = slices.DeleteFunc(ex.CheckIns, func(c *goalpost.CheckIn) bool { return c.ItemID == 131 })
			ex.TimePeriods = slices.DeleteFunc(ex.TimePeriods, func(p *goalpost.TimePeriod) bool { return p.ID == periodYear })
			ex.Views = slices.DeleteFunc(ex.Views, func(v *goalpost.ExplorerView) bool { return v.ID == viewMine })
			ex.Users = slices.DeleteFunc(ex.Users, func(u *goalpost.User) bool { return u.ID == zed.ID })
			ex.Memberships = slices.DeleteFunc(ex.Memberships, func(m goalpost.Membership) bool { return m.UserID == zed.ID })
			return ex, nil
		}
		// Without Replace, what the dataset lacks stays.
		res, err := s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{}, lacking)
		if err != nil {
			t.Fatal(err)
		}
		if res.Changed() {
			t.Errorf("import without Replace changed %v, %v, %v", res.Created, res.Updated, res.Deleted)
		}
		res, err = s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, lacking)
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, "Deleted", res.Deleted, map[string]int{"items": 2, "alignments": 1, "checkIns": 1, "timePeriods": 1,
			"views": 1, "memberships": 1, "users": 1})
		wantCounts(t, "Created", res.Created, nil)
		wantCounts(t, "Updated", res.Updated, nil)
		_, err = s.FindUserByID(ctx, zed.ID)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindTimePeriod(ctx, orgA, periodYear)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindViewByID(ctx, orgA, viewMine)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		want, _ := lacking(fixtureOrgA())
		got := mustRead(t, s, orgA)
		if got.Organizations[0].Version != 2 {
			t.Errorf("organization version %d, want 2", got.Organizations[0].Version)
		}
		want.Organizations[0].Version = 2
		wantDataset(t, got, want)
		// orgB keeps its records, Adam among its members.
		if b := mustRead(t, s, orgB); len(b.Items) != 2 || len(b.Users) != 2 {
			t.Errorf("orgB after the replace: %d items, %d users", len(b.Items), len(b.Users))
		}

		// Replacing with a dataset that drops a user's membership keeps a
		// user the records still name: Tina owns items.
		res, err = s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			ex.Memberships = slices.DeleteFunc(ex.Memberships, func(m goalpost.Membership) bool { return m.UserID == tina })
			return ex, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, "Deleted", res.Deleted, map[string]int{"memberships": 1})
		if _, err := s.FindUserByID(ctx, tina); err != nil {
			t.Errorf("Tina, still an owner of items: %v", err)
		}
	})

	t.Run("Alignments", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		// 111's parents swap places; 113 gets a second parent before its
		// first; 121 loses its parent; 105's weight becomes fixed.
		res, err := s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{}, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			var out []goalpost.Alignment
			for _, a := range ex.Alignments {
				switch {
				case a.ChildID == 111 && a.ParentID == 110:
					continue // re-added after 111 → 100
				case a.ChildID == 111:
					out = append(out, a, goalpost.Alignment{ChildID: 111, ParentID: 110, Weight: 50, Version: a.Version})
				case a.ChildID == 113:
					out = append(out, goalpost.Alignment{ChildID: 113, ParentID: 110, Weight: 10}, a)
				case a.ChildID == 121:
				case a.ChildID == 105:
					a.WeightFixed = true
					out = append(out, a)
				default:
					out = append(out, a)
				}
			}
			ex.Alignments = out
			return ex, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, "Created", res.Created, map[string]int{"alignments": 1})
		wantCounts(t, "Updated", res.Updated, map[string]int{"alignments": 3})
		wantCounts(t, "Deleted", res.Deleted, map[string]int{"alignments": 1})
		parents := func(child int64) []string {
			as, err := s.ListAlignments(ctx, orgA, goalpost.AlignmentFilter{ChildID: child})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range as {
				out = append(out, fmt.Sprintf("%d:%g:%v:v%d", a.ParentID, a.Weight, a.WeightFixed, a.Version))
			}
			return out
		}
		for child, want := range map[int64][]string{
			111: {"100:25:false:v2", "110:50:false:v2"},
			113: {"110:10:false:v1", "111:100:false:v1"},
			121: nil,
			105: {"104:100:true:v2"},
		} {
			if got := parents(child); !slices.Equal(got, want) {
				t.Errorf("parents of %d = %v, want %v", child, got, want)
			}
		}
		// A cycle is refused, and nothing is written.
		_, err = s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{}, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			ex.Alignments = append(ex.Alignments, goalpost.Alignment{ChildID: 100, ParentID: 113, Weight: 100})
			return ex, nil
		})
		wantCode(t, err, goalpost.ECONFLICT, "")
		if got := parents(100); got != nil {
			t.Errorf("parents of 100 after a refused cycle = %v", got)
		}
	})

	t.Run("Conflicts", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		before := mustRead(t, s, orgA)
		foreign := func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			ex.Items = append(ex.Items, &goalpost.Item{ID: 200, OrgID: orgA, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization,
				Title: "Not mine", Status: goalpost.StatusOnTrack, Visibility: goalpost.VisibilityEveryone,
				CreatedAt: at("2025-01-01 00:00"), UpdatedAt: at("2025-01-01 00:00")})
			ex.Items[0].Title = "Changed in a failed import"
			return ex, nil
		}
		_, err := s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{}, foreign)
		if e := wantCode(t, err, goalpost.ECONFLICT, ""); !strings.Contains(e.Message, "200") {
			t.Errorf("message %q does not name the item id 200", e.Message)
		}
		_, err = s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, foreign)
		wantCode(t, err, goalpost.ECONFLICT, "")
		wantDataset(t, mustRead(t, s, orgA), before)
		if it, err := s.FindItem(ctx, orgB, 200); err != nil || it.Title != "Fabrikam objective" {
			t.Errorf("orgB's item 200 = %+v, %v", it, err)
		}

		// A new user whose UPN another user has, in any case.
		_, err = s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{}, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
			ex.Users = append(ex.Users, &goalpost.User{ID: cara, UPN: "OTTO@fabrikam.test", DisplayName: "Otto Again"})
			return ex, nil
		})
		if e := wantCode(t, err, goalpost.ECONFLICT, ""); !strings.Contains(e.Message, "OTTO@fabrikam.test") {
			t.Errorf("message %q does not name the UPN", e.Message)
		}

		// A record of another organization, another organization, a record
		// that breaks a rule.
		for _, tt := range []struct {
			name  string
			code  string
			build func(*goalpost.Dataset) (*goalpost.Dataset, error)
		}{
			{"team of orgB", goalpost.EINVALID, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
				ex.Teams[0].OrgID = orgB
				return ex, nil
			}},
			{"orgB", goalpost.EINVALID, func(*goalpost.Dataset) (*goalpost.Dataset, error) {
				return mustRead(t, s, orgB), nil
			}},
			{"two organizations", goalpost.EINVALID, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
				ex.Organizations = append(ex.Organizations, mustRead(t, s, orgB).Organizations...)
				return ex, nil
			}},
			{"invalid item", goalpost.EINVALID, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
				ex.Items[3].Title = " "
				return ex, nil
			}},
			{"period of orgB", goalpost.EINVALID, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
				ex.Items[3].PeriodID = periodB
				return ex, nil
			}},
			{"unknown user", goalpost.EINVALID, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
				ex.Items[3].OwnerIDs = append(ex.Items[3].OwnerIDs, cara)
				return ex, nil
			}},
			{"last owner", goalpost.ECONFLICT, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
				ex.Memberships[0].Role = goalpost.RoleAdmin // Olivia, the only owner
				return ex, nil
			}},
			{"team cycle", goalpost.ECONFLICT, func(ex *goalpost.Dataset) (*goalpost.Dataset, error) {
				ex.Teams[0].ParentID = teamSquad // Platform squad is Engineering's child
				return ex, nil
			}},
		} {
			_, err := s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, tt.build)
			if code := goalpost.ErrorCode(err); code != tt.code {
				t.Errorf("%s: err = %v, want code %s", tt.name, err, tt.code)
			}
		}
		wantDataset(t, mustRead(t, s, orgA), before)
	})

	t.Run("RestoreRoundTrip", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		// Oscar leaves, so that the backup holds a user who is no member.
		if err := s.RemoveMember(ctx, orgA, oscar, 0); err != nil {
			t.Fatal(err)
		}
		orig := mustRead(t, s, orgA)

		fresh := open(t)
		res, err := fresh.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, constant(orig))
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, "Created", res.Created, map[string]int{"organizations": 1, "users": 7, "memberships": 6, "teams": 3,
			"timePeriods": 3, "items": 16, "alignments": 12, "checkIns": 11, "views": 2})
		restored := mustRead(t, fresh, orgA)
		// Versions start over at 1, which the fixture's are.
		wantDataset(t, restored, orig)

		// The restored organization exports as the original does.
		a, b := export(t, s, query(adam, goalpost.ViewFilter{})), export(t, fresh, query(adam, goalpost.ViewFilter{}))
		if !reflect.DeepEqual(a.rows, b.rows) {
			t.Errorf("export after restore differs:\n%+v\nwant\n%+v", b.rows, a.rows)
		}
	})
}
