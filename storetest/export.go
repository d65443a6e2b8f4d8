package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
)

// orderAdmin is orgA's whole export as an owner or admin sees it:
// depth-first, children by id under their first parent.
var orderAdmin = []int64{100, 101, 102, 103, 104, 105, 106, 110, 111, 113, 112, 120, 121, 130, 131, 150}

// query returns the export of an orgA view with filter f, as viewer sees it
// at fixtureNow.
func query(viewer [16]byte, f goalpost.ViewFilter) goalpost.ExportQuery {
	return goalpost.ExportQuery{
		View:     &goalpost.ExplorerView{ID: viewAll, OrgID: orgA, Name: "test", Visibility: goalpost.ViewPublic, CreatorID: viewer, Filter: f},
		ViewerID: viewer,
		Now:      fixtureNow,
	}
}

// wantIDs fails t unless the recorded rows are exactly want, in order.
func wantIDs(t *testing.T, rec *recorder, want ...int64) {
	t.Helper()
	if got := rec.ids(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("exported ids = %v, want %v", got, want)
	}
}

// export runs q into a new recorder and checks the count it returns.
func export(t *testing.T, s goalpost.Store, q goalpost.ExportQuery) *recorder {
	t.Helper()
	rec := &recorder{}
	n, err := s.ExportView(context.Background(), q, rec)
	if err != nil {
		t.Fatalf("ExportView: %v", err)
	}
	if rec.begun != 1 {
		t.Fatalf("Begin called %d times, want 1", rec.begun)
	}
	if n != int64(len(rec.rows)) {
		t.Errorf("ExportView returned %d, sink got %d rows", n, len(rec.rows))
	}
	return rec
}

func dateF(op goalpost.DateOp, d string, days int) *goalpost.DateFilter {
	return &goalpost.DateFilter{Op: op, Date: date(d), Days: days}
}

func testExportView(t *testing.T, open func(t *testing.T) goalpost.Store) {
	// Exports only read: the subtests share one loaded store.
	s := mustOpenLoaded(t, open)

	t.Run("Filters", func(t *testing.T) {
		t.Parallel()
		type F = goalpost.ViewFilter
		for _, tc := range []struct {
			name   string
			viewer [16]byte
			f      F
			want   []int64
		}{
			{"none", adam, F{}, orderAdmin},
			{"time periods", adam, F{TimePeriods: ids(periodQ2, periodYear)}, []int64{110, 111, 113, 112, 130, 131}},
			{"kinds", adam, F{Kinds: []goalpost.ItemKind{goalpost.KindInitiative}}, []int64{103, 105, 113}},
			{"levels", adam, F{Levels: []goalpost.Level{goalpost.LevelOrganization}}, []int64{100, 106, 120, 150}},
			{"statuses", adam, F{Statuses: []goalpost.Status{goalpost.StatusBehind, goalpost.StatusAtRisk}}, []int64{101, 102, 131, 150}},
			{"owners", adam, F{Owners: []string{noah.String()}}, []int64{102, 110, 111, 113, 112}},
			{"owners upper-case GUID", adam, F{Owners: []string{"A0000000-0000-4000-8000-0000000000A5"}}, []int64{102, 110, 111, 113, 112}},
			{"owners me", mia, F{Owners: []string{goalpost.OwnerMe}}, []int64{102, 103, 106, 121, 130, 131}},
			{"owners unassigned", adam, F{Owners: []string{goalpost.OwnerUnassigned}}, []int64{120}},
			{"owners unassigned or Tina", adam, F{Owners: []string{goalpost.OwnerUnassigned, tina.String()}}, []int64{101, 104, 105, 120}},
			{"managers", adam, F{Managers: ids(maria)}, []int64{101, 102, 103, 104, 105, 106, 121, 130, 131}},
			{"managers of Noah", adam, F{Managers: ids(olivia)}, []int64{102, 110, 111, 113, 112}},
			{"teams", adam, F{Teams: ids(teamEng)}, []int64{102, 103, 106, 110}},
			{"teams any of", adam, F{Teams: ids(teamSquad, teamSales)}, []int64{100, 101, 102, 104, 106, 110, 111, 113, 112}},
			{"team types", adam, F{TeamTypes: []string{"squad"}}, []int64{110, 111, 113, 112}},
			{"team types department", adam, F{TeamTypes: []string{"department"}}, []int64{100, 101, 102, 103, 104, 106, 110}},
			{"tags", adam, F{Tags: []string{"customer"}}, []int64{102, 103}},
			{"progress", adam, F{Progress: &goalpost.ProgressRange{Min: 50, Max: 80}}, []int64{102, 106, 121, 150}},
			{"progress zero", adam, F{Progress: &goalpost.ProgressRange{Min: 0, Max: 0}}, []int64{105, 110, 113, 120}},
			{"keyword", adam, F{Keyword: "SECRET"}, []int64{104, 112}},
			{"keyword underscore is literal", adam, F{Keyword: "_core_"}, []int64{120}},
			{"keyword percent is literal", adam, F{Keyword: "%"}, []int64{120}},
			{"keyword backslash", adam, F{Keyword: `\`}, nil},
			{"aligned any", adam, F{Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedAny}}, []int64{101, 102, 103, 104, 105, 106, 111, 113, 112, 121, 131}},
			{"aligned none", adam, F{Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedNone}}, []int64{100, 110, 120, 130, 150}},
			// 105's only parent is hidden from Mia: to her it is unaligned.
			{"aligned none, restricted parent", mia, F{Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedNone}}, []int64{100, 105, 110, 120, 130}},
			{"aligned to item", adam, F{Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: 100}}, []int64{101, 102, 104, 106, 111}},
			{"aligned to second parent", adam, F{Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: 110}}, []int64{111, 112}},
			{"aligned to hidden item", mia, F{Aligned: &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: 104}}, nil},
			{"due overdue", adam, F{Due: dateF(goalpost.DateOverdue, "", 0)}, []int64{101}},
			{"due before", adam, F{Due: dateF(goalpost.DateBefore, "2025-03-20", 0)}, []int64{101, 103, 121}},
			{"due after", adam, F{Due: dateF(goalpost.DateAfter, "2025-06-30", 0)}, []int64{130}},
			{"due on", adam, F{Due: dateF(goalpost.DateOn, "2025-03-31", 0)}, []int64{100, 104, 150}},
			{"due within days", adam, F{Due: dateF(goalpost.DateWithinDays, "", 5)}, []int64{102, 121}},
			{"due within zero days", adam, F{Due: dateF(goalpost.DateWithinDays, "", 0)}, nil},
			{"start on", adam, F{StartDate: dateF(goalpost.DateOn, "2025-04-01", 0)}, []int64{110, 111, 113, 112}},
			{"start before", adam, F{StartDate: dateF(goalpost.DateBefore, "2025-01-10", 0)}, []int64{100, 101, 104, 106, 130, 131, 150}},
			{"start after", adam, F{StartDate: dateF(goalpost.DateAfter, "2025-02-01", 0)}, []int64{110, 111, 113, 112, 121}},
			{"start more than days ago", adam, F{StartDate: dateF(goalpost.DateMoreThanDaysAgo, "", 60)}, []int64{100, 101, 104, 106, 130, 131, 150}},
			{"start less than days ago", adam, F{StartDate: dateF(goalpost.DateLessThanDaysAgo, "", 60)}, []int64{102, 103, 110, 111, 113, 112, 121}},
			{"created on", adam, F{Created: dateF(goalpost.DateOn, "2025-03-02", 0)}, []int64{111, 112}},
			{"created on, whole day", adam, F{Created: dateF(goalpost.DateOn, "2025-01-02", 0)}, []int64{100}},
			{"created before", adam, F{Created: dateF(goalpost.DateBefore, "2025-01-02", 0)}, []int64{120, 130, 131}},
			{"created after", adam, F{Created: dateF(goalpost.DateAfter, "2025-03-02", 0)}, []int64{105, 113}},
			{"created less than days ago", adam, F{Created: dateF(goalpost.DateLessThanDaysAgo, "", 2)}, []int64{105}},
			{"created more than days ago", adam, F{Created: dateF(goalpost.DateMoreThanDaysAgo, "", 100)}, []int64{120, 130}},
			{"updated today", adam, F{Updated: dateF(goalpost.DateLessThanDaysAgo, "", 0)}, []int64{121, 150}},
			{"updated on", adam, F{Updated: dateF(goalpost.DateOn, "2025-03-14", 0)}, []int64{100, 105}},
			{"updated more than days ago", adam, F{Updated: dateF(goalpost.DateMoreThanDaysAgo, "", 60)}, []int64{120, 130}},
			{"last check-in more than days ago", adam, F{CheckedIn: dateF(goalpost.DateMoreThanDaysAgo, "", 7)}, []int64{100, 104, 105, 103, 110, 112, 113, 120, 130, 131, 150}},
			{"last check-in less than days ago", adam, F{CheckedIn: dateF(goalpost.DateLessThanDaysAgo, "", 7)}, []int64{101, 102, 106, 111, 121}},
			{"last check-in on", adam, F{CheckedIn: dateF(goalpost.DateOn, "2025-03-01", 0)}, []int64{100, 103}},
			{"last check-in before", adam, F{CheckedIn: dateF(goalpost.DateBefore, "2025-03-01", 0)}, []int64{131}},
			{"last check-in after", adam, F{CheckedIn: dateF(goalpost.DateAfter, "2025-03-12", 0)}, []int64{111, 121}},
			// AND across filters, OR within one.
			{"statuses and tags", adam, F{Statuses: []goalpost.Status{goalpost.StatusOnTrack}, Tags: []string{"platform", "revenue"}}, []int64{100, 106, 111, 112}},
			{"kinds, levels and period", adam, F{Kinds: []goalpost.ItemKind{goalpost.KindKeyResult}, Levels: []goalpost.Level{goalpost.LevelTeam}, TimePeriods: ids(periodQ1)}, []int64{101, 102, 104}},
			{"owners me and due", mia, F{Owners: []string{goalpost.OwnerMe}, Due: dateF(goalpost.DateWithinDays, "", 10)}, []int64{102, 106, 121}},
			{"disjoint", adam, F{Kinds: []goalpost.ItemKind{goalpost.KindInitiative}, Tags: []string{"revenue"}}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				rec := export(t, s, query(tc.viewer, tc.f))
				wantIDs(t, rec, tc.want...)
			})
		}
	})

	t.Run("RelativeToNow", func(t *testing.T) {
		t.Parallel()
		// Ten days earlier nothing was overdue yet, and 101 was due within
		// a week.
		q := query(adam, goalpost.ViewFilter{Due: dateF(goalpost.DateOverdue, "", 0)})
		q.Now = fixtureNow.AddDate(0, 0, -10)
		wantIDs(t, export(t, s, q))
		q = query(adam, goalpost.ViewFilter{Due: dateF(goalpost.DateWithinDays, "", 7)})
		q.Now = fixtureNow.AddDate(0, 0, -10)
		wantIDs(t, export(t, s, q), 101)
		// "Today" is Now's date in UTC, whatever Now's zone.
		q = query(adam, goalpost.ViewFilter{Updated: dateF(goalpost.DateLessThanDaysAgo, "", 0)})
		q.Now = time.Date(2025, 3, 16, 1, 0, 0, 0, time.FixedZone("UTC+5", 5*3600)) // 2025-03-15 20:00 UTC
		wantIDs(t, export(t, s, q), 121, 150)
	})

	t.Run("Visibility", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			name   string
			viewer [16]byte
			want   []int64
		}{
			{"owner", olivia, orderAdmin},
			{"admin", adam, orderAdmin},
			// 104 is Tina's; 112 is her squad's.
			{"owner of item and team member", tina, []int64{100, 101, 102, 103, 104, 105, 106, 110, 111, 113, 112, 120, 121, 130, 131}},
			// 105 loses its hidden parent 104 and becomes a root.
			{"member", mia, []int64{100, 101, 102, 103, 106, 105, 110, 111, 113, 120, 121, 130, 131}},
			{"owner of 112", noah, []int64{100, 101, 102, 103, 106, 105, 110, 111, 113, 112, 120, 121, 130, 131}},
			{"observer owning 150", oscar, []int64{100, 101, 102, 103, 106, 105, 110, 111, 113, 120, 121, 130, 131, 150}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				rec := export(t, s, query(tc.viewer, goalpost.ViewFilter{}))
				wantIDs(t, rec, tc.want...)
				for _, row := range rec.rows {
					for _, p := range row.AlignedTo {
						if !slices.Contains(tc.want, p.ID) {
							t.Errorf("row %d is aligned to hidden item %d (%q)", row.ID, p.ID, p.Title)
						}
					}
				}
				if !slices.Contains(tc.want, 104) {
					if got := rec.row(t, 105); len(got.AlignedTo) != 0 || got.Depth != 0 {
						t.Errorf("105 = AlignedTo %v depth %d, want no parents at depth 0", got.AlignedTo, got.Depth)
					}
					if slices.Contains(rec.header.Tags, "secret") {
						t.Errorf("header tags %v show the hidden item's tag", rec.header.Tags)
					}
				}
			})
		}
		// A restricted item with no other way in stays hidden even when the
		// filter names it.
		rec := export(t, s, query(mia, goalpost.ViewFilter{Keyword: "Secret"}))
		wantIDs(t, rec)
	})

	t.Run("Order", func(t *testing.T) {
		t.Parallel()
		rec := export(t, s, query(adam, goalpost.ViewFilter{}))
		wantDepths := map[int64]int{100: 0, 101: 1, 102: 1, 103: 2, 104: 1, 105: 2, 106: 1, 110: 0, 111: 1, 113: 2, 112: 1, 120: 0, 121: 1, 130: 0, 131: 1, 150: 0}
		for _, row := range rec.rows {
			if row.Depth != wantDepths[row.ID] {
				t.Errorf("depth of %d = %d, want %d", row.ID, row.Depth, wantDepths[row.ID])
			}
		}
		// Without its first parent (110) in the export, 111 hangs under its
		// second (100), after 106.
		rec = export(t, s, query(adam, goalpost.ViewFilter{Tags: []string{"revenue", "latency"}}))
		wantIDs(t, rec, 100, 106, 111)
		if d := rec.row(t, 111).Depth; d != 1 {
			t.Errorf("depth of 111 under 100 = %d, want 1", d)
		}
		// Its parents still show both, in alignment order.
		if got := rec.row(t, 111).AlignedTo; len(got) != 2 || got[0].ID != 110 || got[1].ID != 100 {
			t.Errorf("AlignedTo of 111 = %v, want 110 then 100", got)
		}
	})

	t.Run("IncludeChildren", func(t *testing.T) {
		t.Parallel()
		q := query(adam, goalpost.ViewFilter{Kinds: []goalpost.ItemKind{goalpost.KindObjective}})
		q.View.Export.IncludeChildren = true
		rec := export(t, s, q)
		wantIDs(t, rec, 100, 101, 102, 104, 106, 110, 111, 112, 120, 121, 130, 131, 150)
		// Only visible children come along.
		q.ViewerID = mia
		rec = export(t, s, q)
		wantIDs(t, rec, 100, 101, 102, 106, 110, 111, 120, 121, 130, 131)
		// A child that matches the filter itself is exported once.
		q = query(adam, goalpost.ViewFilter{Tags: []string{"customer"}})
		q.View.Export.IncludeChildren = true
		wantIDs(t, export(t, s, q), 102, 103)
	})

	t.Run("TopLevelOnly", func(t *testing.T) {
		t.Parallel()
		q := query(adam, goalpost.ViewFilter{})
		q.View.TopLevelOnly = true
		rec := export(t, s, q)
		wantIDs(t, rec, 100, 110, 120, 130, 150)
		if rec.header.MaxCheckIns != 2 {
			t.Errorf("MaxCheckIns of roots = %d, want 2 (item 100)", rec.header.MaxCheckIns)
		}
		if want := []string{"growth", "personal", "platform", "revenue"}; !slices.Equal(rec.header.Tags, want) {
			t.Errorf("header tags of roots = %v, want %v", rec.header.Tags, want)
		}
		q.ViewerID = mia
		wantIDs(t, export(t, s, q), 100, 105, 110, 120, 130)
		q = query(adam, goalpost.ViewFilter{Tags: []string{"revenue", "latency"}})
		q.View.TopLevelOnly = true
		wantIDs(t, export(t, s, q), 100)
		q = query(adam, goalpost.ViewFilter{Kinds: []goalpost.ItemKind{goalpost.KindObjective}})
		q.View.TopLevelOnly, q.View.Export.IncludeChildren = true, true
		wantIDs(t, export(t, s, q), 100, 110, 120, 130, 150)
	})

	t.Run("Header", func(t *testing.T) {
		t.Parallel()
		rec := export(t, s, query(adam, goalpost.ViewFilter{}))
		want := goalpost.ExportHeader{MaxCheckIns: 3, Tags: []string{"customer", "growth", "latency", "personal", "platform", "revenue", "sales", "secret"}}
		if !reflect.DeepEqual(rec.header, want) {
			t.Errorf("header = %+v, want %+v", rec.header, want)
		}
		rec = export(t, s, query(mia, goalpost.ViewFilter{Tags: []string{"customer", "secret"}}))
		want = goalpost.ExportHeader{MaxCheckIns: 1, Tags: []string{"customer", "growth"}}
		if !reflect.DeepEqual(rec.header, want) {
			t.Errorf("header = %+v, want %+v", rec.header, want)
		}
		rec = export(t, s, query(adam, goalpost.ViewFilter{Kinds: []goalpost.ItemKind{goalpost.KindInitiative}, Tags: []string{"revenue"}}))
		if rec.header.MaxCheckIns != 0 || len(rec.header.Tags) != 0 {
			t.Errorf("header of an empty export = %+v, want zero", rec.header)
		}
	})

	t.Run("Rows", func(t *testing.T) {
		t.Parallel()
		rec := export(t, s, query(adam, goalpost.ViewFilter{}))
		want := map[int64]goalpost.ExportRow{
			101: {
				ID: 101, Depth: 1, Kind: goalpost.KindKeyResult, Title: "Close 50 deals", Description: "About Close 50 deals",
				Teams: []string{"Sales"}, Creator: nameOlivia, Owners: []string{nameTina}, Period: "Q1 2025",
				StartDate: date("2025-01-01"), EndDate: date("2025-03-10"),
				AlignedTo: []goalpost.AlignedParent{{ID: 100, Title: "Grow revenue", Weight: 33.33}},
				Metric:    goalpost.Metric{Name: "Deals", Unit: "number", Start: 0, Target: 50, Direction: goalpost.DirectionIncreaseFrom},
				GoalType:  goalpost.GoalAspirational, CreatedAt: at("2025-01-05 09:00"), LastCheckIn: date("2025-03-10"),
				Progress: 20, Current: 10, Status: goalpost.StatusBehind, LastNote: "Slow month", Tags: []string{"sales"},
				CheckIns: []goalpost.CheckInCell{
					{Date: date("2025-03-10"), User: nameTina, Note: "Slow month", Status: goalpost.StatusBehind, Value: 10, ActivityAt: time.Date(2025, 3, 10, 20, 57, 8, 0, time.UTC)},
					{Date: date("2025-03-10"), User: nameTina, Note: "Correction, \"quoted\"", Status: goalpost.StatusBehind, Value: 9, ActivityAt: at("2025-03-10 08:00")},
					{Date: date("2025-02-10"), User: nameTina, Note: "First deals", Status: goalpost.StatusOnTrack, Value: 5, ActivityAt: at("2025-02-10 12:00")},
				},
			},
			102: {
				ID: 102, Depth: 1, Kind: goalpost.KindKeyResult, Title: "Raise NPS score above 40", Description: "About Raise NPS score above 40",
				Teams: []string{"Engineering", "Sales"}, Creator: nameOlivia, Owners: []string{nameMia, nameNoah}, Period: "Q1 2025",
				StartDate: date("2025-01-15"), EndDate: date("2025-03-20"),
				AlignedTo: []goalpost.AlignedParent{{ID: 100, Title: "Grow revenue", Weight: 33.33}},
				Metric:    goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				GoalType:  goalpost.GoalAspirational, CreatedAt: at("2025-01-10 09:00"), LastCheckIn: date("2025-03-12"),
				Progress: 55.5, Current: 55.5, Status: goalpost.StatusAtRisk, LastNote: "NPS 31", Tags: []string{"customer", "growth"},
				CheckIns: []goalpost.CheckInCell{
					{Date: date("2025-03-12"), User: nameMia, Note: "NPS 31", Status: goalpost.StatusAtRisk, Value: 55.5, ActivityAt: at("2025-03-12 09:00")},
				},
			},
			103: {
				ID: 103, Depth: 2, Kind: goalpost.KindInitiative, Title: "Survey customers", Description: "About Survey customers",
				Teams: []string{"Engineering"}, Creator: nameOlivia, Owners: []string{nameMia}, Period: "Q1 2025",
				StartDate: date("2025-02-01"), EndDate: date("2025-03-01"),
				AlignedTo: []goalpost.AlignedParent{{ID: 102, Title: "Raise NPS score above 40", Weight: 100}},
				Metric:    goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				GoalType:  goalpost.GoalAspirational, CreatedAt: at("2025-02-01 09:00"), LastCheckIn: date("2025-03-01"),
				Progress: 100, Current: 100, Status: goalpost.StatusClosed, LastNote: "Done", Score: ptr(0.8), Tags: []string{"customer"},
				CheckIns: []goalpost.CheckInCell{
					{Date: date("2025-03-01"), User: nameMia, Note: "Done", Status: goalpost.StatusClosed, Value: 100, ActivityAt: at("2025-03-01 09:00")},
				},
			},
			106: {
				ID: 106, Depth: 1, Kind: goalpost.KindKeyResult, Title: "Grow revenue per customer", Description: "About Grow revenue per customer",
				Teams: []string{"Sales", "Engineering"}, Creator: nameOlivia, Owners: []string{nameOlivia, nameMia}, Period: "Q1 2025",
				StartDate: date("2025-01-01"), EndDate: date("2025-03-25"),
				AlignedTo: []goalpost.AlignedParent{{ID: 100, Title: "Grow revenue", Weight: 33.34}},
				Metric:    goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				GoalType:  goalpost.GoalCommitted, CreatedAt: at("2025-01-03 09:00"), LastCheckIn: date("2025-03-08"),
				Progress: 80, Current: 80, Status: goalpost.StatusOnTrack, LastNote: "On plan", Tags: []string{"revenue"},
				CheckIns: []goalpost.CheckInCell{
					{Date: date("2025-03-08"), User: nameOlivia, Note: "On plan", Status: goalpost.StatusOnTrack, Value: 80, ActivityAt: at("2025-03-08 09:00")},
				},
			},
			111: {
				ID: 111, Depth: 1, Kind: goalpost.KindKeyResult, Title: "Cut latency", Description: "About Cut latency",
				Teams: []string{"Platform squad"}, Creator: nameOlivia, Owners: []string{nameNoah}, Period: "Q2 2025",
				StartDate: date("2025-04-01"), EndDate: date("2025-06-30"),
				AlignedTo: []goalpost.AlignedParent{{ID: 110, Title: "Improve platform", Weight: 50}, {ID: 100, Title: "Grow revenue", Weight: 25}},
				Metric:    goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				GoalType:  goalpost.GoalAspirational, CreatedAt: at("2025-03-02 09:00"), LastCheckIn: date("2025-03-13"),
				Progress: 10, Current: 10, Status: goalpost.StatusOnTrack, LastNote: "Baseline measured", Tags: []string{"platform", "latency"},
				CheckIns: []goalpost.CheckInCell{
					{Date: date("2025-03-13"), User: nameNoah, Note: "Baseline measured", Status: goalpost.StatusOnTrack, Value: 10, ActivityAt: at("2025-03-13 09:00")},
				},
			},
			120: {
				ID: 120, Depth: 0, Kind: goalpost.KindObjective, Title: "Ship 100% of _core_ features", Description: "About Ship 100% of _core_ features",
				Creator: nameOlivia, Period: "Q1 2025",
				Metric:   goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				GoalType: goalpost.GoalAspirational, CreatedAt: at("2024-12-01 09:00"),
				Status: goalpost.StatusPostponed,
			},
			150: {
				ID: 150, Depth: 0, Kind: goalpost.KindObjective, Title: "Observer's own goal", Description: "About Observer's own goal",
				Creator: nameOscar, Owners: []string{nameOscar}, Period: "Q1 2025",
				StartDate: date("2025-01-01"), EndDate: date("2025-03-31"),
				Metric:   goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				GoalType: goalpost.GoalAspirational, CreatedAt: at("2025-01-15 09:00"),
				Progress: 60, Current: 60, Status: goalpost.StatusAtRisk,
			},
		}
		for id, w := range want {
			got := rec.row(t, id)
			if !equalRows(got, w) {
				t.Errorf("row %d =\n%+v\nwant\n%+v", id, got, w)
			}
		}
		// 105's parent is restricted, and shown to those who may see it.
		if got := rec.row(t, 105).AlignedTo; !reflect.DeepEqual(got, []goalpost.AlignedParent{{ID: 104, Title: "Secret acquisition", Weight: 100}}) {
			t.Errorf("AlignedTo of 105 for an admin = %v", got)
		}
	})

	t.Run("OtherOrganization", func(t *testing.T) {
		t.Parallel()
		q := goalpost.ExportQuery{View: &goalpost.ExplorerView{ID: viewB, OrgID: orgB}, ViewerID: otto, Now: fixtureNow}
		rec := export(t, s, q)
		wantIDs(t, rec, 200, 201)
		if got := rec.row(t, 201); got.Depth != 1 || len(got.Teams) != 0 || got.GoalType != goalpost.GoalCommitted || len(got.CheckIns) != 1 || got.CheckIns[0].User != nameOtto {
			t.Errorf("row 201 = %+v", got)
		}
		if want := (goalpost.ExportHeader{MaxCheckIns: 1, Tags: []string{"fabrikam"}}); !reflect.DeepEqual(rec.header, want) {
			t.Errorf("header = %+v, want %+v", rec.header, want)
		}
	})

	t.Run("InvalidFilter", func(t *testing.T) {
		t.Parallel()
		for _, f := range []goalpost.ViewFilter{
			{Owners: []string{"not-a-guid"}},
			{Aligned: &goalpost.AlignedFilter{Mode: "sideways"}},
			{Due: &goalpost.DateFilter{Op: "someday"}},
			{Due: &goalpost.DateFilter{Op: goalpost.DateBefore}}, // no date
			{Created: &goalpost.DateFilter{Op: goalpost.DateOverdue}},
			{StartDate: &goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 3}},
		} {
			rec := &recorder{}
			_, err := s.ExportView(context.Background(), query(adam, f), rec)
			if goalpost.ErrorCode(err) != goalpost.EINVALID {
				t.Errorf("filter %+v: err = %v, want EINVALID", f, err)
			}
			if len(rec.rows) != 0 {
				t.Errorf("filter %+v: %d rows written", f, len(rec.rows))
			}
		}
	})

	t.Run("SinkError", func(t *testing.T) {
		t.Parallel()
		rec := &recorder{failAt: 3}
		n, err := s.ExportView(context.Background(), query(adam, goalpost.ViewFilter{}), rec)
		if !errors.Is(err, errSink) {
			t.Errorf("err = %v, want the sink's error", err)
		}
		if n != 2 || len(rec.rows) != 2 {
			t.Errorf("n = %d with %d rows, want 2", n, len(rec.rows))
		}
	})
}

// equalRows compares rows, times as instants and nil slices as empty.
func equalRows(a, b goalpost.ExportRow) bool {
	a.CheckIns, b.CheckIns = slices.Clone(a.CheckIns), slices.Clone(b.CheckIns)
	if !a.CreatedAt.Equal(b.CreatedAt) || len(a.CheckIns) != len(b.CheckIns) {
		return false
	}
	for i := range a.CheckIns {
		if !a.CheckIns[i].ActivityAt.Equal(b.CheckIns[i].ActivityAt) {
			return false
		}
		a.CheckIns[i].ActivityAt, b.CheckIns[i].ActivityAt = time.Time{}, time.Time{}
	}
	if (a.Score == nil) != (b.Score == nil) || (a.Score != nil && *a.Score != *b.Score) {
		return false
	}
	a.CreatedAt, b.CreatedAt = time.Time{}, time.Time{}
	a.Score, b.Score = nil, nil
	for _, r := range []*goalpost.ExportRow{&a, &b} {
		if len(r.Teams) == 0 {
			r.Teams = nil
		}
		if len(r.Owners) == 0 {
			r.Owners = nil
		}
		if len(r.AlignedTo) == 0 {
			r.AlignedTo = nil
		}
		if len(r.Tags) == 0 {
			r.Tags = nil
		}
		if len(r.CheckIns) == 0 {
			r.CheckIns = nil
		}
	}
	return reflect.DeepEqual(a, b)
}
