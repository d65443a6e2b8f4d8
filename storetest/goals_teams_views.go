package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The contract of GoalsStore's teams and explorer views.

// wantInvalid fails t unless err is EINVALID naming target.
func wantInvalid(t *testing.T, err error, target string) {
	t.Helper()
	if e := wantCode(t, err, goalpost.EINVALID, ""); e.Target != target {
		t.Fatalf("err = %v with target %q, want target %q", err, e.Target, target)
	}
}

// teamIDsOf returns the IDs of teams, in order.
func teamIDsOf(ts []*goalpost.Team) []uuid.UUID {
	out := make([]uuid.UUID, len(ts))
	for i, tm := range ts {
		out[i] = tm.ID
	}
	return out
}

// viewIDsOf returns the IDs of views, in order.
func viewIDsOf(vs []*goalpost.ExplorerView) []uuid.UUID {
	out := make([]uuid.UUID, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

// mustFindTeam returns a team or fails t.
func mustFindTeam(t *testing.T, s goalpost.Store, orgID, id uuid.UUID) *goalpost.Team {
	t.Helper()
	tm, err := s.FindTeam(context.Background(), orgID, id)
	if err != nil {
		t.Fatalf("FindTeam(%s): %v", id, err)
	}
	return tm
}

// wantTeamCount fails t unless orgA has n teams: a refused write created none.
func wantTeamCount(t *testing.T, s goalpost.Store, n int) {
	t.Helper()
	ts, err := s.ListTeams(context.Background(), orgA, goalpost.Page{})
	if err != nil || len(ts) != n {
		t.Fatalf("ListTeams = %d teams, %v; want %d", len(ts), err, n)
	}
}

func testTeams(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	t.Run("List", func(t *testing.T) {
		ts, err := s.ListTeams(ctx, orgA, goalpost.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := teamIDsOf(ts), ids(teamEng, teamSales, teamSquad); !slices.Equal(got, want) {
			t.Fatalf("ListTeams = %v, want %v", got, want)
		}
		want := &goalpost.Team{ID: teamSquad, OrgID: orgA, Name: "Platform squad", ParentID: teamEng, OwnerID: noah,
			Type: "squad", Members: ids(noah, tina), Version: 1}
		if !reflect.DeepEqual(ts[2], want) {
			t.Fatalf("ListTeams[2] = %+v, want %+v", ts[2], want)
		}
		if !slices.Equal(ts[0].Members, ids(mia, noah)) || !slices.Equal(ts[1].Members, ids(tina)) {
			t.Fatalf("members = %v, %v; want [mia noah], [tina]", ts[0].Members, ts[1].Members)
		}
		first, err := s.ListTeams(ctx, orgA, goalpost.Page{Limit: 2})
		if err != nil || !slices.Equal(teamIDsOf(first), ids(teamEng, teamSales)) {
			t.Fatalf("ListTeams(limit 2) = %v, %v", teamIDsOf(first), err)
		}
		rest, err := s.ListTeams(ctx, orgA, goalpost.Page{Limit: 2, After: teamSales.String()})
		if err != nil || !slices.Equal(teamIDsOf(rest), ids(teamSquad)) || !slices.Equal(rest[0].Members, ids(noah, tina)) {
			t.Fatalf("ListTeams(after Sales) = %+v, %v; want Platform squad with its members", rest, err)
		}
		b, err := s.ListTeams(ctx, orgB, goalpost.Page{})
		if err != nil || !slices.Equal(teamIDsOf(b), ids(teamB)) || !b[0].Archived {
			t.Fatalf("ListTeams(B) = %+v, %v; want the archived Fabrikam team", b, err)
		}
		_, err = s.ListTeams(ctx, uuid.New(), goalpost.Page{})
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.ListTeams(ctx, orgA, goalpost.Page{After: "not a guid"})
		wantInvalid(t, err, "$skiptoken")
	})

	t.Run("Find", func(t *testing.T) {
		tm := mustFindTeam(t, s, orgA, teamEng)
		if tm.Name != "Engineering" || tm.ParentID != uuid.Nil || tm.OwnerID != noah || !slices.Equal(tm.Members, ids(mia, noah)) {
			t.Fatalf("FindTeam(Engineering) = %+v", tm)
		}
		_, err := s.FindTeam(ctx, orgA, uuid.New())
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.FindTeam(ctx, orgA, teamB)
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	// Created below and used by the later subtests, which run in order.
	var design *goalpost.Team

	t.Run("Create", func(t *testing.T) {
		design = &goalpost.Team{OrgID: orgA, Name: "Design", ParentID: teamEng, OwnerID: maria, Type: "squad",
			Members: ids(tina, mia, maria)}
		if err := s.CreateTeam(ctx, design); err != nil {
			t.Fatal(err)
		}
		if design.ID == uuid.Nil || design.Version != 1 {
			t.Fatalf("CreateTeam = %+v, want a new id at version 1", design)
		}
		if got := mustFindTeam(t, s, orgA, design.ID); !reflect.DeepEqual(got, design) {
			t.Fatalf("FindTeam(created) = %+v, want %+v (members in the order given)", got, design)
		}
		// A given ID is kept; a team without owner, parent or members is fine.
		bare := &goalpost.Team{ID: uuid.MustParse("a0000000-0000-4000-8000-0000000000e9"), OrgID: orgA, Name: "Bare"}
		if err := s.CreateTeam(ctx, bare); err != nil {
			t.Fatal(err)
		}
		if got := mustFindTeam(t, s, orgA, bare.ID); !reflect.DeepEqual(got, bare) {
			t.Fatalf("FindTeam(bare) = %+v, want %+v", got, bare)
		}
		wantCode(t, s.CreateTeam(ctx, &goalpost.Team{ID: bare.ID, OrgID: orgA, Name: "Again"}), goalpost.ECONFLICT, "")
		wantTeamCount(t, s, 5)

		for _, c := range []struct {
			name   string
			team   goalpost.Team
			target string
		}{
			{"blank name", goalpost.Team{Name: " "}, "name"},
			{"own parent", goalpost.Team{ID: uuid.MustParse("a0000000-0000-4000-8000-0000000000ea"), Name: "Self",
				ParentID: uuid.MustParse("a0000000-0000-4000-8000-0000000000ea")}, "parentId"},
			{"missing parent", goalpost.Team{Name: "Orphan", ParentID: uuid.New()}, "parentId"},
			{"parent of another org", goalpost.Team{Name: "Cross", ParentID: teamB}, "parentId"},
			{"owner of another org", goalpost.Team{Name: "Cross", OwnerID: otto}, "ownerId"},
			{"unknown owner", goalpost.Team{Name: "Ghost", OwnerID: uuid.New()}, "ownerId"},
			{"member of another org", goalpost.Team{Name: "Cross", Members: ids(mia, otto)}, "members"},
			{"member twice", goalpost.Team{Name: "Twice", Members: ids(mia, noah, mia)}, "members"},
			{"nil member", goalpost.Team{Name: "Nil", Members: ids(uuid.Nil)}, "members"},
		} {
			tm := c.team
			tm.OrgID = orgA
			err := s.CreateTeam(ctx, &tm)
			if err == nil {
				t.Fatalf("%s: CreateTeam succeeded", c.name)
			}
			wantInvalid(t, err, c.target)
		}
		wantTeamCount(t, s, 5)
		err := s.CreateTeam(ctx, &goalpost.Team{OrgID: uuid.New(), Name: "Nowhere"})
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	t.Run("Update", func(t *testing.T) {
		up, err := s.UpdateTeam(ctx, orgA, design.ID, 1, func(tm *goalpost.Team) error {
			tm.Name = "Product design"
			tm.Members = ids(maria, tina) // replaced, in this order
			tm.OwnerID = tina
			tm.Archived = true
			tm.ID, tm.OrgID, tm.Version = teamEng, orgB, 99 // ignored
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := &goalpost.Team{ID: design.ID, OrgID: orgA, Name: "Product design", ParentID: teamEng, OwnerID: tina,
			Type: "squad", Archived: true, Members: ids(maria, tina), Version: 2}
		if !reflect.DeepEqual(up, want) {
			t.Fatalf("UpdateTeam = %+v, want %+v", up, want)
		}
		if got := mustFindTeam(t, s, orgA, design.ID); !reflect.DeepEqual(got, want) {
			t.Fatalf("FindTeam(updated) = %+v, want %+v", got, want)
		}
		// Unconditional updates work; members may be emptied and a parent cleared.
		up, err = s.UpdateTeam(ctx, orgA, design.ID, 0, func(tm *goalpost.Team) error {
			tm.Members, tm.ParentID, tm.Archived = nil, uuid.Nil, false
			return nil
		})
		if err != nil || up.Version != 3 || up.Members != nil || up.ParentID != uuid.Nil {
			t.Fatalf("UpdateTeam(clear) = %+v, %v", up, err)
		}
		design = mustFindTeam(t, s, orgA, design.ID)
		if design.Members != nil || design.Version != 3 {
			t.Fatalf("FindTeam(cleared) = %+v", design)
		}

		// Refusals change nothing.
		before := mustFindTeam(t, s, orgA, design.ID)
		eng := mustFindTeam(t, s, orgA, teamEng)
		refuse := func(id uuid.UUID, ifVersion int64, code, target string, fn func(*goalpost.Team)) {
			t.Helper()
			_, err := s.UpdateTeam(ctx, orgA, id, ifVersion, func(tm *goalpost.Team) error {
				tm.Name = "Changed"
				fn(tm)
				return nil
			})
			if e := wantCode(t, err, code, ""); target != "" && e.Target != target {
				t.Fatalf("err = %v with target %q, want %q", err, e.Target, target)
			}
		}
		refuse(design.ID, 1, goalpost.EPRECONDITION, "", func(*goalpost.Team) {})
		refuse(design.ID, 0, goalpost.EINVALID, "name", func(tm *goalpost.Team) { tm.Name = "" })
		refuse(design.ID, 0, goalpost.EINVALID, "parentId", func(tm *goalpost.Team) { tm.ParentID = design.ID })
		refuse(design.ID, 0, goalpost.EINVALID, "parentId", func(tm *goalpost.Team) { tm.ParentID = teamB })
		refuse(design.ID, 0, goalpost.EINVALID, "ownerId", func(tm *goalpost.Team) { tm.OwnerID = otto })
		refuse(design.ID, 0, goalpost.EINVALID, "members", func(tm *goalpost.Team) { tm.Members = ids(mia, otto) })
		refuse(design.ID, 0, goalpost.EINVALID, "members", func(tm *goalpost.Team) { tm.Members = ids(mia, mia) })
		// Engineering → Platform squad → Engineering.
		refuse(teamEng, 0, goalpost.ECONFLICT, "", func(tm *goalpost.Team) { tm.ParentID = teamSquad })
		// Engineering → Design → Platform squad → Engineering, two levels down.
		if _, err := s.UpdateTeam(ctx, orgA, design.ID, 0, func(tm *goalpost.Team) error { tm.ParentID = teamSquad; return nil }); err != nil {
			t.Fatal(err)
		}
		refuse(teamEng, 0, goalpost.ECONFLICT, "", func(tm *goalpost.Team) { tm.ParentID = design.ID })
		if got := mustFindTeam(t, s, orgA, teamEng); !reflect.DeepEqual(got, eng) {
			t.Fatalf("Engineering after refused updates = %+v, want %+v", got, eng)
		}
		if _, err := s.UpdateTeam(ctx, orgA, design.ID, 0, func(tm *goalpost.Team) error { tm.ParentID = uuid.Nil; return nil }); err != nil {
			t.Fatal(err)
		}
		before.Version += 2 // the two parent changes above
		if got := mustFindTeam(t, s, orgA, design.ID); !reflect.DeepEqual(got, before) {
			t.Fatalf("Design after refused updates = %+v, want %+v", got, before)
		}

		// An error of fn is returned and nothing is written.
		errStop := errors.New("stop")
		_, err = s.UpdateTeam(ctx, orgA, design.ID, 0, func(tm *goalpost.Team) error { tm.Name = "Lost"; return errStop })
		if !errors.Is(err, errStop) {
			t.Fatalf("UpdateTeam(fn fails) = %v, want %v", err, errStop)
		}
		if got := mustFindTeam(t, s, orgA, design.ID); got.Name != before.Name {
			t.Fatalf("name after a failed fn = %q, want %q", got.Name, before.Name)
		}

		_, err = s.UpdateTeam(ctx, orgA, uuid.New(), 0, func(*goalpost.Team) error { return nil })
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.UpdateTeam(ctx, orgA, teamB, 0, func(*goalpost.Team) error { return nil })
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.UpdateTeam(ctx, orgB, teamEng, 0, func(*goalpost.Team) error { return nil })
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	t.Run("UpdateKeepsFormerMembers", func(t *testing.T) {
		// Mia leaves the organization but stays on Engineering's list:
		// only references a write changes are checked.
		if err := s.RemoveMember(ctx, orgA, mia, 0); err != nil {
			t.Fatal(err)
		}
		up, err := s.UpdateTeam(ctx, orgA, teamEng, 0, func(tm *goalpost.Team) error {
			tm.Name = "Engineering & Research"
			tm.Members = append(tm.Members, maria)
			return nil
		})
		if err != nil || !slices.Equal(up.Members, ids(mia, noah, maria)) {
			t.Fatalf("UpdateTeam(with a former member) = %+v, %v", up, err)
		}
		_, err = s.UpdateTeam(ctx, orgA, design.ID, 0, func(tm *goalpost.Team) error { tm.Members = ids(mia); return nil })
		wantInvalid(t, err, "members")
	})

	t.Run("Delete", func(t *testing.T) {
		// Sales is named by items 100, 101, 102, 104 and 106.
		err := s.DeleteTeam(ctx, orgA, teamSales, 0)
		if e := wantCode(t, err, goalpost.ECONFLICT, ""); !strings.Contains(e.Message, "5 items") {
			t.Fatalf("DeleteTeam(in use) message %q, want the count of items", e.Message)
		}
		mustFindTeam(t, s, orgA, teamSales)

		// Design's child becomes top-level when Design goes.
		child := &goalpost.Team{OrgID: orgA, Name: "Design systems", ParentID: design.ID}
		if err := s.CreateTeam(ctx, child); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.DeleteTeam(ctx, orgA, design.ID, 1), goalpost.EPRECONDITION, "")
		mustFindTeam(t, s, orgA, design.ID)
		wantCode(t, s.DeleteTeam(ctx, orgB, design.ID, 0), goalpost.ENOTFOUND, "")
		wantCode(t, s.DeleteTeam(ctx, orgA, teamB, 0), goalpost.ENOTFOUND, "")
		if err := s.DeleteTeam(ctx, orgA, design.ID, mustFindTeam(t, s, orgA, design.ID).Version); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindTeam(ctx, orgA, design.ID)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		got := mustFindTeam(t, s, orgA, child.ID)
		if got.ParentID != uuid.Nil || got.Version != 2 {
			t.Fatalf("child after its parent's deletion = %+v, want top-level at version 2", got)
		}
		wantCode(t, s.DeleteTeam(ctx, orgA, design.ID, 0), goalpost.ENOTFOUND, "")
		wantCode(t, s.DeleteTeam(ctx, uuid.New(), child.ID, 0), goalpost.ENOTFOUND, "")
	})
}

// mustListViews returns the IDs of the views viewer may use in org.
func mustListViews(t *testing.T, s goalpost.Store, org, viewer uuid.UUID, p goalpost.Page) []uuid.UUID {
	t.Helper()
	vs, err := s.ListViews(context.Background(), org, viewer, p)
	if err != nil {
		t.Fatalf("ListViews: %v", err)
	}
	return viewIDsOf(vs)
}

// wantView fails t unless got equals want (times compared as instants).
func wantView(t *testing.T, got, want *goalpost.ExplorerView) {
	t.Helper()
	g, w := *got, *want
	if !g.CreatedAt.Equal(w.CreatedAt) {
		t.Fatalf("view created at %v, want %v", g.CreatedAt, w.CreatedAt)
	}
	g.CreatedAt, w.CreatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("view = %+v\nwant %+v", g, w)
	}
}

// findView returns the view id of orgA as the management API sees it,
// through a listing by its creator, or nil.
func findView(t *testing.T, s goalpost.Store, creator, id uuid.UUID) *goalpost.ExplorerView {
	t.Helper()
	vs, err := s.ListViews(context.Background(), orgA, creator, goalpost.Page{Limit: goalpost.MaxPageSize})
	if err != nil {
		t.Fatalf("ListViews: %v", err)
	}
	for _, v := range vs {
		if v.ID == id {
			return v
		}
	}
	return nil
}

func testViews(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)

	t.Run("List", func(t *testing.T) {
		vs, err := s.ListViews(ctx, orgA, mia, goalpost.Page{})
		if err != nil || !slices.Equal(viewIDsOf(vs), ids(viewAll, viewMine)) {
			t.Fatalf("ListViews(Mia) = %v, %v; want All objectives and her private view", viewIDsOf(vs), err)
		}
		// The filter and export settings come back as they were stored.
		want := fixture().Views[1]
		want.Version = 1
		wantView(t, vs[1], want)

		if got := mustListViews(t, s, orgA, olivia, goalpost.Page{}); !slices.Equal(got, ids(viewAll)) {
			t.Fatalf("ListViews(Olivia) = %v, want only the public view", got)
		}
		if got := mustListViews(t, s, orgA, mia, goalpost.Page{Limit: 1}); !slices.Equal(got, ids(viewAll)) {
			t.Fatalf("ListViews(limit 1) = %v", got)
		}
		if got := mustListViews(t, s, orgA, mia, goalpost.Page{After: viewAll.String()}); !slices.Equal(got, ids(viewMine)) {
			t.Fatalf("ListViews(after All) = %v", got)
		}
		if got := mustListViews(t, s, orgB, otto, goalpost.Page{}); !slices.Equal(got, ids(viewB)) {
			t.Fatalf("ListViews(B) = %v", got)
		}
		_, err = s.ListViews(ctx, uuid.New(), mia, goalpost.Page{})
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.ListViews(ctx, orgA, mia, goalpost.Page{After: "x"})
		wantInvalid(t, err, "$skiptoken")
	})

	var mine *goalpost.ExplorerView // Maria's private view, created below

	t.Run("Create", func(t *testing.T) {
		mine = &goalpost.ExplorerView{OrgID: orgA, Name: "My team's risks", Visibility: goalpost.ViewPrivate, CreatorID: maria,
			Filter: goalpost.ViewFilter{
				Statuses:  []goalpost.Status{goalpost.StatusAtRisk, goalpost.StatusBehind},
				Teams:     ids(teamSales, uuid.MustParse("a0000000-0000-4000-8000-0000000000ef")), // not checked
				Managers:  ids(maria),
				Tags:      tags("growth"),
				Keyword:   "revenue",
				Due:       &goalpost.DateFilter{Op: goalpost.DateBefore, Date: date("2025-06-30")},
				Updated:   &goalpost.DateFilter{Op: goalpost.DateLessThanDaysAgo, Days: 7},
				Aligned:   &goalpost.AlignedFilter{Mode: goalpost.AlignedAny},
				TeamTypes: []string{"department"},
			},
			Export: goalpost.ExportSettings{Columns: []string{"Id", "Title", "Tag", "Status"}, Tags: goalpost.TagsOneColumn}}
		if err := s.CreateView(ctx, mine); err != nil {
			t.Fatal(err)
		}
		if mine.ID == uuid.Nil || mine.Version != 1 || mine.CreatedAt.IsZero() {
			t.Fatalf("CreateView = %+v, want a new id, version 1 and a creation time", mine)
		}
		got := findView(t, s, maria, mine.ID)
		if got == nil {
			t.Fatal("the created view is not listed for its creator")
		}
		wantView(t, got, mine)
		// The export side reads the view as the management side wrote it.
		found, err := s.FindViewByID(ctx, orgA, mine.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantView(t, found, mine)
		if findView(t, s, mia, mine.ID) != nil {
			t.Fatal("Maria's private view is listed for Mia")
		}

		// A given ID and creation time are kept.
		pub := &goalpost.ExplorerView{ID: uuid.MustParse("a0000000-0000-4000-8000-0000000000cf"), OrgID: orgA, Name: "Everything",
			Visibility: goalpost.ViewPublic, CreatorID: oscar, TopLevelOnly: true, CreatedAt: at("2025-02-01 10:30")}
		if err := s.CreateView(ctx, pub); err != nil {
			t.Fatal(err)
		}
		if got := findView(t, s, mia, pub.ID); got == nil {
			t.Fatal("a public view is not listed for others")
		} else {
			wantView(t, got, pub)
		}
		wantCode(t, s.CreateView(ctx, &goalpost.ExplorerView{ID: pub.ID, OrgID: orgA, Name: "Dup",
			Visibility: goalpost.ViewPublic, CreatorID: oscar}), goalpost.ECONFLICT, "")

		for _, c := range []struct {
			name   string
			view   goalpost.ExplorerView
			target string
		}{
			{"blank name", goalpost.ExplorerView{Name: "", Visibility: goalpost.ViewPublic, CreatorID: mia}, "name"},
			{"no visibility", goalpost.ExplorerView{Name: "V", CreatorID: mia}, "visibility"},
			{"bad progress", goalpost.ExplorerView{Name: "V", Visibility: goalpost.ViewPublic, CreatorID: mia,
				Filter: goalpost.ViewFilter{Progress: &goalpost.ProgressRange{Min: 50, Max: 10}}}, "filter.progress"},
			{"bad column", goalpost.ExplorerView{Name: "V", Visibility: goalpost.ViewPublic, CreatorID: mia,
				Export: goalpost.ExportSettings{Columns: []string{"Nope"}}}, "export.columns"},
			{"no creator", goalpost.ExplorerView{Name: "V", Visibility: goalpost.ViewPublic}, "creatorId"},
			{"creator of another org", goalpost.ExplorerView{Name: "V", Visibility: goalpost.ViewPublic, CreatorID: otto}, "creatorId"},
			{"unknown creator", goalpost.ExplorerView{Name: "V", Visibility: goalpost.ViewPublic, CreatorID: uuid.New()}, "creatorId"},
		} {
			v := c.view
			v.OrgID = orgA
			err := s.CreateView(ctx, &v)
			if err == nil {
				t.Fatalf("%s: CreateView succeeded", c.name)
			}
			wantInvalid(t, err, c.target)
		}
		if got := mustListViews(t, s, orgA, uuid.Nil, goalpost.Page{}); len(got) != 2 {
			t.Fatalf("public views after refused creates = %v, want All objectives and Everything", got)
		}
		err = s.CreateView(ctx, &goalpost.ExplorerView{OrgID: uuid.New(), Name: "V", Visibility: goalpost.ViewPublic, CreatorID: mia})
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	t.Run("Update", func(t *testing.T) {
		up, err := s.UpdateView(ctx, orgA, mine.ID, 1, func(v *goalpost.ExplorerView) error {
			v.Name = "Team risks"
			v.Visibility = goalpost.ViewPublic
			v.Filter = goalpost.ViewFilter{Owners: []string{goalpost.OwnerUnassigned}}
			v.TopLevelOnly = true
			v.Export = goalpost.ExportSettings{IncludeChildren: true}
			// Ignored: the view keeps its identity, creator and creation time.
			v.ID, v.OrgID, v.CreatorID, v.CreatedAt, v.Version = viewAll, orgB, mia, at("2020-01-01 00:00"), 42
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := &goalpost.ExplorerView{ID: mine.ID, OrgID: orgA, Name: "Team risks", Visibility: goalpost.ViewPublic,
			CreatorID: maria, Filter: goalpost.ViewFilter{Owners: []string{goalpost.OwnerUnassigned}}, TopLevelOnly: true,
			Export: goalpost.ExportSettings{IncludeChildren: true}, CreatedAt: mine.CreatedAt, Version: 2}
		wantView(t, up, want)
		got := findView(t, s, mia, mine.ID) // public now
		if got == nil {
			t.Fatal("the view made public is not listed for others")
		}
		wantView(t, got, want)

		refuse := func(ifVersion int64, code, target string, fn func(*goalpost.ExplorerView)) {
			t.Helper()
			_, err := s.UpdateView(ctx, orgA, mine.ID, ifVersion, func(v *goalpost.ExplorerView) error {
				v.Name = "Changed"
				fn(v)
				return nil
			})
			if e := wantCode(t, err, code, ""); target != "" && e.Target != target {
				t.Fatalf("err = %v with target %q, want %q", err, e.Target, target)
			}
		}
		refuse(1, goalpost.EPRECONDITION, "", func(*goalpost.ExplorerView) {})
		refuse(0, goalpost.EINVALID, "name", func(v *goalpost.ExplorerView) { v.Name = " " })
		refuse(0, goalpost.EINVALID, "visibility", func(v *goalpost.ExplorerView) { v.Visibility = "secret" })
		refuse(0, goalpost.EINVALID, "filter.due.op", func(v *goalpost.ExplorerView) {
			v.Filter.Due = &goalpost.DateFilter{Op: "someday"}
		})
		refuse(0, goalpost.EINVALID, "export.tags", func(v *goalpost.ExplorerView) { v.Export.Tags = "all" })
		if got := findView(t, s, mia, mine.ID); got == nil {
			t.Fatal("the view is gone after refused updates")
		} else {
			wantView(t, got, want)
		}

		_, err = s.UpdateView(ctx, orgA, uuid.New(), 0, func(*goalpost.ExplorerView) error { return nil })
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.UpdateView(ctx, orgA, viewB, 0, func(*goalpost.ExplorerView) error { return nil })
		wantCode(t, err, goalpost.ENOTFOUND, "")
		_, err = s.UpdateView(ctx, orgB, viewAll, 0, func(*goalpost.ExplorerView) error { return nil })
		wantCode(t, err, goalpost.ENOTFOUND, "")
	})

	t.Run("Delete", func(t *testing.T) {
		// An export job of the view outlives it.
		job := newJobMaker(7).job(t, orgA, mine.ID, maria, fixtureNow)
		create(t, s, job)

		wantCode(t, s.DeleteView(ctx, orgA, mine.ID, 1), goalpost.EPRECONDITION, "")
		if findView(t, s, maria, mine.ID) == nil {
			t.Fatal("a stale delete deleted the view")
		}
		wantCode(t, s.DeleteView(ctx, orgB, mine.ID, 0), goalpost.ENOTFOUND, "")
		wantCode(t, s.DeleteView(ctx, orgA, viewB, 0), goalpost.ENOTFOUND, "")
		if err := s.DeleteView(ctx, orgA, mine.ID, 2); err != nil {
			t.Fatal(err)
		}
		if findView(t, s, maria, mine.ID) != nil {
			t.Fatal("the deleted view is still listed")
		}
		_, err := s.FindViewByID(ctx, orgA, mine.ID)
		wantCode(t, err, goalpost.ENOTFOUND, "")
		if _, err := s.FindExportJob(ctx, job.ID); err != nil {
			t.Fatalf("FindExportJob(job of the deleted view): %v", err)
		}
		wantCode(t, s.DeleteView(ctx, orgA, mine.ID, 0), goalpost.ENOTFOUND, "")
		// Private views of others can be deleted: who may is the API's concern.
		if err := s.DeleteView(ctx, orgA, viewMine, 1); err != nil {
			t.Fatal(err)
		}
		if got := mustListViews(t, s, orgA, mia, goalpost.Page{}); slices.Contains(got, viewMine) {
			t.Fatalf("ListViews(Mia) after deleting her view = %v", got)
		}
	})
}
