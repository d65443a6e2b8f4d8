package importcsv_test

import (
	"bytes"
	"cmp"
	"slices"
	"testing"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
	"github.com/google/uuid"
)

// exportDataset exports the view of ds (built by Build into a new
// organization) as the stores do: check-ins get ids in dataset order, every
// item of the organization is exported (the view selects all), roots by id,
// each item under its first parent, siblings by id, an item's parents in
// alignment order and its check-ins newest first (by date, activity time,
// id).
func exportDataset(tb testing.TB, ds *goalpost.Dataset) []byte {
	tb.Helper()
	ds = store(ds)
	org, view := ds.Organizations[0], ds.Views[0]
	users := make(map[uuid.UUID]string)
	for _, u := range ds.Users {
		users[u.ID] = u.DisplayName
	}
	teams := make(map[uuid.UUID]string)
	for _, t := range ds.Teams {
		teams[t.ID] = t.Name
	}
	periods := make(map[uuid.UUID]string)
	for _, p := range ds.TimePeriods {
		periods[p.ID] = p.Name
	}
	items := make(map[int64]*goalpost.Item)
	for _, it := range ds.Items {
		items[it.ID] = it
	}
	parents := make(map[int64][]goalpost.Alignment)
	children := make(map[int64][]int64)
	for _, a := range ds.Alignments {
		if len(parents[a.ChildID]) == 0 {
			children[a.ParentID] = append(children[a.ParentID], a.ChildID)
		}
		parents[a.ChildID] = append(parents[a.ChildID], a)
	}
	checkIns := make(map[int64][]*goalpost.CheckIn)
	for _, c := range ds.CheckIns {
		checkIns[c.ItemID] = append(checkIns[c.ItemID], c)
	}
	var roots []int64
	for _, it := range ds.Items {
		if len(parents[it.ID]) == 0 {
			roots = append(roots, it.ID)
		}
	}
	slices.Sort(roots)

	var rows []*goalpost.ExportRow
	var h goalpost.ExportHeader
	var walk func(id int64, depth int)
	walk = func(id int64, depth int) {
		it := items[id]
		r := &goalpost.ExportRow{
			ID: it.ID, Depth: depth, Kind: it.Kind, Title: it.Title, Description: it.Description,
			Creator: users[it.CreatorID], Period: periods[it.PeriodID], StartDate: it.StartDate, EndDate: it.EndDate,
			Metric: it.Metric, GoalType: it.GoalType, CreatedAt: it.CreatedAt, LastCheckIn: it.LastCheckIn,
			Progress: it.Progress, Current: it.Current, Status: it.Status, LastNote: it.LastCheckInNote, Score: it.Score,
			Tags: it.Tags,
		}
		for _, t := range it.TeamIDs {
			r.Teams = append(r.Teams, teams[t])
		}
		for _, o := range it.OwnerIDs {
			r.Owners = append(r.Owners, users[o])
		}
		for _, a := range parents[id] {
			r.AlignedTo = append(r.AlignedTo, goalpost.AlignedParent{ID: a.ParentID, Title: items[a.ParentID].Title, Weight: a.Weight})
		}
		cs := slices.Clone(checkIns[id])
		slices.SortFunc(cs, func(a, b *goalpost.CheckIn) int {
			return cmp.Or(-compareDates(a.Date, b.Date), -a.ActivityAt.Compare(b.ActivityAt), -cmp.Compare(a.ID, b.ID))
		})
		for _, c := range cs {
			r.CheckIns = append(r.CheckIns, goalpost.CheckInCell{Date: c.Date, User: users[c.UserID], Note: c.Note,
				Status: c.Status, Value: c.Value, ActivityAt: c.ActivityAt})
		}
		h.MaxCheckIns = max(h.MaxCheckIns, len(cs))
		h.Tags = append(h.Tags, it.Tags...)
		rows = append(rows, r)
		kids := slices.Clone(children[id])
		slices.Sort(kids)
		for _, k := range kids {
			walk(k, depth+1)
		}
	}
	for _, id := range roots {
		walk(id, 0)
	}
	slices.Sort(h.Tags)
	h.Tags = slices.Compact(h.Tags)

	var buf bytes.Buffer
	w, err := csvexport.New(&buf, org.Terminology, view.Export)
	if err != nil {
		tb.Fatalf("csvexport.New: %v", err)
	}
	if err := w.Begin(h); err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func compareDates(a, b goalpost.Date) int { return a.Time().Compare(b.Time()) }

// TestRoundTrip builds each current-variant file into a new organization,
// exports the dataset with csvexport and compares the export with the file,
// byte for byte.
func TestRoundTrip(t *testing.T) {
	for _, c := range goldenCases {
		if !c.roundTrip {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			f, in := readFile(t, c.name)
			got := exportDataset(t, build(t, f, nil, c.opts))
			if !bytes.Equal(got, in) {
				t.Errorf("the export differs from testdata/%s.csv:\n%s", c.name, diffLines(in, got))
			}
		})
	}
}

// TestRoundTripDataset exports the dataset of each file (the older
// variant's as the current variant) and reads it back: the same dataset.
func TestRoundTripDataset(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := readFile(t, c.name)
			first := build(t, f, nil, c.opts)
			out := exportDataset(t, first)
			g := parse(t, string(out))
			opts := c.opts
			opts.Terminology = first.Organizations[0].Terminology // Object Type holds the words
			second := build(t, g, nil, opts)
			if a, b := marshal(t, first), marshal(t, second); !bytes.Equal(a, b) {
				t.Errorf("the dataset differs after an export:\n%s", diffLines(a, b))
			}
		})
	}
}
