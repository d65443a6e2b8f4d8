package storetest

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
)

// keptRows is what a store with kept export rows exposes to its own tests
// (from an export_test.go): a switch that makes its exports resolve every
// row from the tables instead, how many exports read the kept rows, and how
// many rows are marked stale.
type keptRows interface {
	ResolveExportRows(resolve bool)
	KeptExports() int64
	OrderedExports() int64
	StaleExportRows(ctx context.Context) (int64, error)
	UnrenderExportRow(ctx context.Context, id int64) error
	WholeExport(ctx context.Context, q goalpost.ExportQuery) (bool, error)
}

// testExportRowsKept: after every kind of write that changes what an export
// shows (names of users, teams and periods, an item's own fields and its
// lists, a parent's title and visibility, alignments, check-ins, deletions,
// an import), an export from the kept rows is exactly the export resolved
// from the tables, for viewers who see everything and viewers who do not,
// with and without filters.
func testExportRowsKept(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()
	s := mustOpenLoaded(t, open)
	k, ok := s.(keptRows)
	if !ok {
		t.Fatalf("%T has no ResolveExportRows and KeptExports in its tests", s)
	}
	defer k.ResolveExportRows(false)

	queries := map[string]goalpost.ExportQuery{}
	for name, viewer := range map[string]uuid.UUID{"owner": olivia, "member": mia, "observer": oscar, "teamMember": tina} {
		queries[name] = query(viewer, goalpost.ViewFilter{})
		queries[name+"/Q1"] = query(viewer, goalpost.ViewFilter{TimePeriods: []uuid.UUID{periodQ1}})
		withChildren := query(viewer, goalpost.ViewFilter{Kinds: []goalpost.ItemKind{goalpost.KindObjective}})
		withChildren.View.Export.IncludeChildren = true
		queries[name+"/objectivesAndChildren"] = withChildren
	}
	queries["fabrikam"] = goalpost.ExportQuery{View: &goalpost.ExplorerView{ID: viewB, OrgID: orgB}, ViewerID: otto, Now: fixtureNow}

	check := func(step string) {
		t.Helper()
		for name, q := range queries {
			before, ordered := k.KeptExports(), k.OrderedExports()
			kept := export(t, s, q)
			if k.KeptExports() != before+1 {
				t.Fatalf("%s, %s: the export did not read the kept rows", step, name)
			}
			// The owners' exports of their whole organization read the kept
			// order; the others walk the tree over their selection.
			if wantOrdered := name == "owner" || name == "fabrikam"; (k.OrderedExports() == ordered+1) != wantOrdered {
				t.Fatalf("%s, %s: read the kept order: %v, want %v", step, name, !wantOrdered, wantOrdered)
			}
			k.ResolveExportRows(true)
			resolved := export(t, s, q)
			resolvedCSV, _ := exportCSV(t, s, q)
			k.ResolveExportRows(false)
			// The same export through the CSV writer, which takes kept
			// renderings where the store has them: the owners' exports.
			keptCSV, rendered := exportCSV(t, s, q)
			if wantRendered := name == "owner" || name == "fabrikam"; (rendered > 0) != wantRendered {
				t.Errorf("%s, %s: %d rows came as renderings, want them to: %v", step, name, rendered, wantRendered)
			}
			if !bytes.Equal(keptCSV, resolvedCSV) {
				t.Errorf("%s, %s: CSV from kept rows\n%s\nresolved\n%s", step, name, keptCSV, resolvedCSV)
			}
			if !reflect.DeepEqual(kept.header, resolved.header) {
				t.Errorf("%s, %s: header from kept rows %+v, resolved %+v", step, name, kept.header, resolved.header)
			}
			if len(kept.rows) != len(resolved.rows) {
				t.Errorf("%s, %s: %d rows from kept rows, %d resolved", step, name, len(kept.rows), len(resolved.rows))
				continue
			}
			for i := range kept.rows {
				if !equalRows(kept.rows[i], resolved.rows[i]) {
					t.Errorf("%s, %s: row %d from kept rows\n%+v\nresolved\n%+v", step, name, i, kept.rows[i], resolved.rows[i])
				}
			}
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	item := func(id int64, fn func(*goalpost.Item)) {
		t.Helper()
		_, err := s.UpdateItem(ctx, orgA, id, 0, func(it *goalpost.Item) error { fn(it); return nil })
		must(err)
	}

	wantFresh := func(after string) {
		t.Helper()
		if n, err := k.StaleExportRows(ctx); err != nil || n != 0 {
			t.Errorf("after %s: %d export rows stale (%v), want them computed", after, n, err)
		}
	}
	// Bulk loads and imports compute the rows they mark before they
	// return, so that the first export finds them ready.
	wantFresh("LoadDataset")
	check("loaded")
	steps := []struct {
		name string
		do   func()
	}{
		{"a user renamed", func() {
			_, err := s.UpdateMember(ctx, orgA, mia, 0, func(m *goalpost.Member) error { m.DisplayName = "Mia Renamed"; return nil })
			must(err)
		}},
		{"a team renamed", func() {
			_, err := s.UpdateTeam(ctx, orgA, teamSales, 0, func(tm *goalpost.Team) error { tm.Name = "Sales & Success"; return nil })
			must(err)
		}},
		{"a period renamed", func() {
			_, err := s.UpdateTimePeriod(ctx, orgA, periodQ1, 0, func(tp *goalpost.TimePeriod) error { tp.Name = "Q1 FY25"; return nil })
			must(err)
		}},
		{"a parent retitled", func() { item(100, func(it *goalpost.Item) { it.Title = "Grow revenue, \"fast\"" }) }},
		{"a parent restricted", func() { item(102, func(it *goalpost.Item) { it.Visibility = goalpost.VisibilityRestricted }) }},
		{"a parent opened", func() { item(104, func(it *goalpost.Item) { it.Visibility = goalpost.VisibilityEveryone }) }},
		{"an item's lists changed", func() {
			item(131, func(it *goalpost.Item) {
				it.OwnerIDs = ids(noah, mia)
				it.TeamIDs = ids(teamSquad, teamEng)
				it.Tags = tags("personal", "zeta", "alpha")
				it.Description = "Now with a description"
			})
		}},
		{"a check-in added", func() {
			must(s.CreateCheckIn(ctx, orgA, &goalpost.CheckIn{ItemID: 131, Date: date("2025-03-14"), UserID: tina, Note: "Chapter 2",
				Status: goalpost.StatusOnTrack, Value: 30, ActivityAt: at("2025-03-14 09:00")}))
		}},
		{"a check-in changed", func() {
			_, err := s.UpdateCheckIn(ctx, orgA, 11, 0, func(c *goalpost.CheckIn) error { c.Note = "Chapter 1, again"; return nil })
			must(err)
		}},
		{"a check-in deleted", func() {
			must(s.DeleteCheckIn(ctx, orgA, 3, 0))
			// An ordinary write marks the rows it touches; the next
			// export computes them.
			if n, err := k.StaleExportRows(ctx); err != nil || n == 0 {
				t.Errorf("after a check-in was deleted: %d export rows stale (%v), want its item's", n, err)
			}
		}},
		{"an alignment added", func() {
			must(s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: 121, ParentID: 100, Weight: 10}))
		}},
		{"an alignment reweighted", func() {
			_, err := s.UpdateAlignment(ctx, orgA, 111, 100, 0, func(a *goalpost.Alignment) error { a.Weight = 40; return nil })
			must(err)
		}},
		// 111 moves from under its first parent 110 to under 100.
		{"an alignment deleted", func() { must(s.DeleteAlignment(ctx, orgA, 111, 110, 0)) }},
		// The root 130 and its child move under 121.
		{"a root aligned", func() {
			must(s.CreateAlignment(ctx, orgA, &goalpost.Alignment{ChildID: 130, ParentID: 121, Weight: 50}))
		}},
		{"an item created", func() {
			must(s.CreateItem(ctx, &goalpost.Item{ID: 160, OrgID: orgA, Kind: goalpost.KindObjective, Title: "A new one",
				OwnerIDs: ids(tina), TeamIDs: ids(teamEng), CreatorID: noah, PeriodID: periodQ2, Tags: tags("new")}))
		}},
		{"an item deleted", func() { must(s.DeleteItem(ctx, orgA, 113, 0)) }},
		{"a member removed", func() { must(s.RemoveMember(ctx, orgA, tina, 0)) }},
		// A node of a version before the renderings recomputed a row
		// during a rolling upgrade: until a refresh renders it again, the
		// owner's export walks the tree.
		{"a row without a rendering", func() {
			must(k.UnrenderExportRow(ctx, 101))
			whole, err := k.WholeExport(ctx, queries["owner"])
			must(err)
			if whole {
				t.Error("with a row without a rendering, the owner's export would read the kept order")
			}
		}},
		{"the organization imported again", func() {
			_, err := s.ImportOrganization(ctx, orgA, goalpost.ImportOptions{Replace: true}, func(existing *goalpost.Dataset) (*goalpost.Dataset, error) {
				for _, it := range existing.Items {
					it.Title += " (imported)"
				}
				return existing, nil
			})
			must(err)
			wantFresh("ImportOrganization")
		}},
	}
	for _, st := range steps {
		st.do()
		check(st.name)
	}
}

// exportCSV exports q through csvexport (every default column, a column per
// tag) and returns the CSV and how many rows came as renderings.
func exportCSV(t *testing.T, s goalpost.Store, q goalpost.ExportQuery) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	w, err := csvexport.New(&buf, goalpost.DefaultTerminology, goalpost.ExportSettings{Tags: goalpost.TagsPerColumn})
	if err != nil {
		t.Fatal(err)
	}
	c := &renderedCounter{Writer: w}
	if _, err := s.ExportView(context.Background(), q, c); err != nil {
		t.Fatalf("export %+v: %v", q.View.Filter, err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), c.rendered
}

// renderedCounter counts the rows that come to its Writer as renderings.
type renderedCounter struct {
	*csvexport.Writer
	rendered int
}

func (c *renderedCounter) Row(r *goalpost.ExportRow) error {
	if r.Rendered != nil {
		c.rendered++
	}
	return c.Writer.Row(r)
}
