package importcsv_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/importcsv"
	"github.com/google/uuid"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	contosoID  = uuid.MustParse("3d9a8150-90fd-42bd-9777-25ba783d4a05")
	fabrikamID = uuid.MustParse("9ab0fcab-c1d4-4b26-963b-a3c33155f853")
	orgID      = uuid.MustParse("0f8e1c52-6f0b-4d8e-9a51-2b7c7a1d9e01")

	adele = goalpost.User{ID: uuid.MustParse("12aab60f-79b7-4140-b3f2-a8b232aaf00a"), UPN: "adele@contoso.com", DisplayName: "Adele Vance"}
	megan = goalpost.User{ID: uuid.MustParse("c47a891b-6d33-4985-8e52-75d6a26334e9"), UPN: "megan@fabrikam.com", DisplayName: "Megan Bowen"}
	admin = goalpost.User{ID: uuid.MustParse("5b0c7e9a-3f41-4d2a-8c6e-9d1f2a3b4c5d"), UPN: "it@example.com", DisplayName: "IT Admin"}

	now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
)

func ptr[T any](v T) *T { return &v }

// goldenCase is a file of testdata built into a new organization.
type goldenCase struct {
	name string
	opts importcsv.Options
	// roundTrip: exporting the dataset gives the file back byte for byte.
	roundTrip bool
}

var goldenCases = []goldenCase{
	{
		// Every default column and a Tag column: 11 items in three trees,
		// two owners and two teams, multi-parent alignments, 0 to 8
		// check-ins, quoted line breaks, text beyond ASCII.
		name:      "contoso",
		opts:      importcsv.Options{OrgID: contosoID, OrgName: "Contoso", Owner: ptr(adele), Now: now},
		roundTrip: true,
	},
	{
		// A subset of the columns, reordered (Checkins in the middle), one
		// column per tag, the organization's own words.
		name: "fabrikam",
		opts: importcsv.Options{OrgID: fabrikamID, OrgName: "Fabrikam", Owner: ptr(megan), Now: now,
			Terminology: goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"}},
		roundTrip: true,
	},
	{
		// A few columns: periods whose dates come from their items, a
		// check-in without a user, a title that needs quoting.
		name:      "northwind",
		opts:      importcsv.Options{OrgID: orgID, Owner: ptr(admin), ViewID: uuid.MustParse("7d1d3c9e-0a55-4a7e-b2a2-6b5c1f1e0c11"), Now: now},
		roundTrip: true,
	},
	{
		// The older variant, with a byte order mark and LF line ends: OKR
		// type and Type name (the terminology of the new organization),
		// names that make the same UPN slug, names without ASCII letters.
		name: "tailspin",
		opts: importcsv.Options{OrgID: orgID, OrgName: "Tailspin Toys", Owner: ptr(admin), Now: now},
	},
}

// readFile parses testdata/name.csv.
func readFile(tb testing.TB, name string) (*importcsv.File, []byte) {
	tb.Helper()
	in, err := os.ReadFile(filepath.Join("testdata", name+".csv"))
	if err != nil {
		tb.Fatal(err)
	}
	f, err := importcsv.Parse(bytes.NewReader(in))
	if err != nil {
		tb.Fatalf("Parse %s: %v", name, err)
	}
	return f, in
}

// build builds f and fails the test on error.
func build(tb testing.TB, f *importcsv.File, existing *goalpost.Dataset, opts importcsv.Options) *goalpost.Dataset {
	tb.Helper()
	ds, err := f.Build(existing, opts)
	if err != nil {
		tb.Fatalf("Build: %v", err)
	}
	return ds
}

func marshal(tb testing.TB, ds *goalpost.Dataset) []byte {
	tb.Helper()
	b, err := json.MarshalIndent(ds, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return append(b, '\n')
}

// TestGolden builds each file into a new organization and compares the
// dataset, as indented JSON, with testdata/<name>.golden.json.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := readFile(t, c.name)
			got := marshal(t, build(t, f, &goalpost.Dataset{}, c.opts))
			path := filepath.Join("testdata", c.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./importcsv -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
				for i := range max(len(gl), len(wl)) {
					if i >= len(gl) || i >= len(wl) || gl[i] != wl[i] {
						t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q", path, i+1, at(gl, i), at(wl, i))
					}
				}
			}
		})
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<end>"
}

// TestBuildTwice builds each file, then again with the first result as what
// the organization holds: the second dataset equals the first, and Build
// changed neither its input nor its earlier result.
func TestBuildTwice(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := readFile(t, c.name)
			first := build(t, f, nil, c.opts)
			before := marshal(t, first)
			opts := c.opts
			opts.Now = now.Add(72 * time.Hour) // a later import
			opts.OrgName = ""                  // keeps the name
			second := build(t, f, first, opts)
			if !reflect.DeepEqual(first, second) {
				t.Errorf("second build differs:\n%s", diffLines(before, marshal(t, second)))
			}
			if after := marshal(t, first); !bytes.Equal(before, after) {
				t.Errorf("Build changed existing:\n%s", diffLines(before, after))
			}
		})
	}
}

// TestBuildTwiceStored is TestBuildTwice with what a store gives back: ids
// for the check-ins and versions for every record.
func TestBuildTwiceStored(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := readFile(t, c.name)
			stored := store(build(t, f, nil, c.opts))
			want := marshal(t, stored)
			got := build(t, f, stored, c.opts)
			if !reflect.DeepEqual(stored, got) {
				t.Errorf("second build differs:\n%s", diffLines(want, marshal(t, got)))
			}
		})
	}
}

// store returns ds as a store would hold it after writing it: check-ins get
// ids in dataset order (after the largest it has), every record version 1
// (or one more).
func store(ds *goalpost.Dataset) *goalpost.Dataset {
	var c goalpost.Dataset
	b, _ := json.Marshal(ds)
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	next := int64(1)
	for _, ci := range c.CheckIns {
		next = max(next, ci.ID+1)
	}
	for _, ci := range c.CheckIns {
		if ci.ID == 0 {
			ci.ID = next
			next++
		}
		ci.Version++
	}
	for _, o := range c.Organizations {
		o.Version++
	}
	for i := range c.Memberships {
		c.Memberships[i].Version++
	}
	for _, t := range c.Teams {
		t.Version++
	}
	for _, p := range c.TimePeriods {
		p.Version++
	}
	for _, it := range c.Items {
		it.Version++
	}
	for i := range c.Alignments {
		c.Alignments[i].Version++
	}
	for _, v := range c.Views {
		v.Version++
	}
	return &c
}

// diffLines returns the first lines where a and b differ.
func diffLines(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	var out []string
	for i := range max(len(al), len(bl)) {
		if at(al, i) != at(bl, i) {
			out = append(out, "- "+at(al, i), "+ "+at(bl, i))
			if len(out) >= 20 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// buildErr builds csv into a new organization and returns the error.
func buildErr(tb testing.TB, csv string, existing *goalpost.Dataset) error {
	tb.Helper()
	f, err := importcsv.Parse(strings.NewReader(csv))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	_, err = f.Build(existing, importcsv.Options{OrgID: orgID, Owner: ptr(admin), Now: now})
	return err
}

const alignedHeader = "Id,Title,Object Type,\"Aligned To (weight, Objective ID)\"\n"

// TestBuildErrors has one file per problem that Build finds, with the exact
// message.
func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name, csv, want string
	}{
		{
			"unknown object type", minimalHeader + "1,A,Objective\n2,B,Milestone\n",
			`line 3, column "Object Type": expected one of Objective, Key result, Initiative; got "Milestone"`,
		},
		{
			"parent not found", alignedHeader + "1,A,Objective,\n2,B,Key result,\"A(weight: 50%, Id: 1) / Z(weight: 50%, Id: 99)\"\n",
			`line 3, column "Aligned To (weight, Objective ID)": parent Id 99 is neither in the file nor in the organization`,
		},
		{
			"parent title mismatch", alignedHeader + "1,Grow revenue,Objective,\n2,B,Key result,\"Grow sales(weight: 100%, Id: 1)\"\n",
			`line 3, column "Aligned To (weight, Objective ID)": expected the title of item 1, "Grow revenue"; got "Grow sales"`,
		},
		{
			"parent later in the file is fine, a cycle is not", alignedHeader +
				"1,A,Objective,\"C(weight: 100%, Id: 3)\"\n2,B,Key result,\"A(weight: 100%, Id: 1)\"\n3,C,Key result,\"B(weight: 100%, Id: 2)\"\n",
			`line 2, column "Aligned To (weight, Objective ID)": the alignments form a cycle: 1 → 3 → 2 → 1`,
		},
		{
			"self alignment", alignedHeader + "1,A,Objective,\n2,B,Key result,\"B(weight: 100%, Id: 2)\"\n",
			`line 3, column "Aligned To (weight, Objective ID)": the alignments form a cycle: 2 → 2`,
		},
		{
			"type name conflict", "Id,Title,OKR type,Type name\n1,A,Objective,Goal\n2,B,Objective,Aim\n",
			`line 3, column "Type name": expected "Goal" for OKR type Objective, as on line 2; got "Aim"`,
		},
		{
			"type name names two kinds", "Id,Title,OKR type,Type name\n1,A,Objective,Goal\n2,B,Key Result,goal\n",
			`line 3, column "Type name": "goal" would name both OKR types Objective and Key Result`,
		},
		{
			"type name takes a default word", "Id,Title,OKR type,Type name\n1,A,Objective,Initiative\n",
			`line 2, column "Type name": "Initiative" would name both OKR types Objective and Initiative`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantInvalid(t, buildErr(t, tc.csv, nil), tc.want)
		})
	}
}

func TestBuildOptionsErrors(t *testing.T) {
	f := parse(t, minimalHeader+"1,A,Objective\n")
	if _, err := f.Build(nil, importcsv.Options{Owner: ptr(admin)}); goalpost.ErrorCode(err) != goalpost.EINVALID {
		t.Errorf("no OrgID: got %v, want EINVALID", err)
	}
	_, err := f.Build(nil, importcsv.Options{OrgID: orgID})
	wantInvalid(t, err, "import: the organization has no owner; name one (Options.Owner)")
	if _, err := f.Build(nil, importcsv.Options{OrgID: orgID, Owner: &goalpost.User{DisplayName: "x"}}); goalpost.ErrorCode(err) != goalpost.EINVALID {
		t.Errorf("owner without id: got %v, want EINVALID", err)
	}
	other := &goalpost.Dataset{Organizations: []*goalpost.Organization{{ID: contosoID, Name: "Contoso"}}}
	if _, err := f.Build(other, importcsv.Options{OrgID: orgID, Owner: ptr(admin)}); err == nil {
		t.Error("existing data of another organization: got no error")
	}
	none := &goalpost.Dataset{Organizations: []*goalpost.Organization{nil}}
	if _, err := f.Build(none, importcsv.Options{OrgID: orgID, Owner: ptr(admin)}); err != nil {
		t.Errorf("a nil organization: %v", err)
	}
}

// fabrikamExisting is Fabrikam as a store might hold it before an import of
// testdata/fabrikam.csv: its own terminology, Megan and Johanna as members
// with their real UPNs, items 2001 and 2002 with precise numbers, a
// restricted visibility and rolled-up progress, a check-in that the file
// has, one it does not, and item 2099, which the file does not have.
func fabrikamExisting() *goalpost.Dataset {
	johanna := &goalpost.User{ID: uuid.MustParse("554056e6-8433-4fb1-a0e9-fb91c855c29c"), UPN: "johanna@fabrikam.com", DisplayName: "Johanna Lorenz"}
	grady1 := &goalpost.User{ID: uuid.MustParse("d9c5433f-48ad-42be-86aa-fef58e8350a3"), UPN: "grady@fabrikam.com", DisplayName: "Grady Archie"}
	grady2 := &goalpost.User{ID: uuid.MustParse("ffffffff-48ad-42be-86aa-fef58e8350a3"), UPN: "grady2@fabrikam.com", DisplayName: "Grady Archie"}
	created := time.Date(2025, 1, 2, 8, 0, 0, 250e6, time.UTC) // 2025-01-02 08:00:00.25
	return &goalpost.Dataset{
		Organizations: []*goalpost.Organization{{ID: fabrikamID, Name: "Fabrikam, Inc.", CreatedAt: created, Version: 9,
			Terminology: goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"}}},
		Users: []*goalpost.User{ptr(megan), johanna, grady1, grady2},
		Memberships: []goalpost.Membership{
			{OrgID: fabrikamID, UserID: megan.ID, Role: goalpost.RoleOwner, Version: 3},
			{OrgID: fabrikamID, UserID: johanna.ID, Role: goalpost.RoleAdmin, Version: 2},
			{OrgID: fabrikamID, UserID: grady1.ID, Role: goalpost.RoleMember, Version: 1},
			{OrgID: fabrikamID, UserID: grady2.ID, Role: goalpost.RoleObserver, Version: 1},
		},
		Items: []*goalpost.Item{
			{ID: 2001, OrgID: fabrikamID, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization, Title: "Close the books in five days",
				OwnerIDs: []uuid.UUID{megan.ID, johanna.ID}, GoalType: goalpost.GoalAspirational, Tags: []string{"finance"},
				Metric:  goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				Current: 60.004, Progress: 60.004, ProgressMode: goalpost.ProgressRollup, Status: goalpost.StatusOnTrack,
				Visibility: goalpost.VisibilityRestricted, CreatedAt: created, UpdatedAt: created.Add(time.Hour), Version: 7,
				LastCheckIn: goalpost.MustParseDate("2025-03-28"), LastCheckInNote: "March close took 6 days."},
			{ID: 2002, OrgID: fabrikamID, Kind: goalpost.KindKeyResult, Level: goalpost.LevelTeam, Title: "Automate bank reconciliation",
				OwnerIDs: []uuid.UUID{johanna.ID}, GoalType: goalpost.GoalCommitted, Tags: []string{"q2-focus", "finance"},
				Metric: goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionReach}, Current: 80, Progress: 80,
				ProgressMode: goalpost.ProgressManual, Status: goalpost.StatusOnTrack, Visibility: goalpost.VisibilityEveryone,
				CreatedAt: time.Date(2025, 1, 3, 9, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Version: 4},
			{ID: 2099, OrgID: fabrikamID, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization, Title: "An item the file does not have",
				Metric: goalpost.Metric{Unit: "%", Target: 100}, Status: goalpost.StatusNotStarted, Visibility: goalpost.VisibilityEveryone,
				ProgressMode: goalpost.ProgressManual, GoalType: goalpost.GoalAspirational},
		},
		Alignments: []goalpost.Alignment{
			{ChildID: 2002, ParentID: 2001, Weight: 200.0 / 3, WeightFixed: true, Version: 5},
			{ChildID: 2002, ParentID: 2099, Weight: 50, Version: 1},
		},
		CheckIns: []*goalpost.CheckIn{
			{ID: 501, ItemID: 2001, Date: goalpost.MustParseDate("2025-01-31"), UserID: megan.ID, Note: "Baseline: 11 days.",
				Status: goalpost.StatusNotStarted, Value: 0.001, ActivityAt: time.Date(2025, 2, 3, 8, 0, 0, 123e6, time.UTC), Version: 2},
			{ID: 502, ItemID: 2001, Date: goalpost.MustParseDate("2025-01-15"), UserID: megan.ID, Note: "Not in the file.",
				Status: goalpost.StatusNotStarted, Value: 0, ActivityAt: time.Date(2025, 1, 15, 8, 0, 0, 0, time.UTC), Version: 1},
		},
		Views: []*goalpost.ExplorerView{{ID: uuid.NewSHA1(fabrikamID, []byte("view:All items")), OrgID: fabrikamID, Name: "Old name",
			Visibility: goalpost.ViewPrivate, CreatedAt: created, Version: 6}},
	}
}

// TestBuildOnExisting imports testdata/fabrikam.csv into an organization
// that holds some of it already.
func TestBuildOnExisting(t *testing.T) {
	f, _ := readFile(t, "fabrikam")
	ex := fabrikamExisting()
	exJSON := marshal(t, ex)
	ds := build(t, f, ex, importcsv.Options{OrgID: fabrikamID, Now: now})
	if !bytes.Equal(exJSON, marshal(t, ex)) {
		t.Fatal("Build changed existing")
	}

	org := ds.Organizations[0]
	if org.Name != "Fabrikam, Inc." || org.Version != 9 || org.Terminology.Objective != "Goal" {
		t.Errorf("organization: got %+v, want the existing one", org)
	}
	users := make(map[string]*goalpost.User)
	for _, u := range ds.Users {
		users[u.DisplayName] = u
	}
	if u := users["Megan Bowen"]; u == nil || u.UPN != megan.UPN {
		t.Errorf("Megan: got %+v, want the existing member", u)
	}
	if u := users["Grady Archie"]; u == nil || u.UPN != "grady@fabrikam.com" {
		t.Errorf("Grady: got %+v, want the member with the lowest id", u)
	}
	if u := users["Pradeep Gupta"]; u == nil || u.UPN != "pradeep.gupta.9ab0fcab@imported.invalid" ||
		u.ID != uuid.NewSHA1(fabrikamID, []byte("user:Pradeep Gupta")) {
		t.Errorf("Pradeep: got %+v, want a new user", u)
	}
	roles := make(map[uuid.UUID]goalpost.Membership)
	for _, m := range ds.Memberships {
		roles[m.UserID] = m
	}
	if m := roles[megan.ID]; m.Role != goalpost.RoleOwner || m.Version != 3 {
		t.Errorf("Megan's membership: got %+v", m)
	}
	if m := roles[users["Johanna Lorenz"].ID]; m.Role != goalpost.RoleAdmin || m.Version != 2 {
		t.Errorf("Johanna's membership: got %+v, want it unchanged", m)
	}

	items := make(map[int64]*goalpost.Item)
	for _, it := range ds.Items {
		items[it.ID] = it
	}
	if _, ok := items[2099]; ok {
		t.Error("the dataset holds item 2099, which the file does not have")
	}
	// 2001: what the file cannot express stays, and nothing else changed.
	if it, want := items[2001], ex.Items[0]; !reflect.DeepEqual(it, want) {
		t.Errorf("item 2001:\n got %+v\nwant %+v", it, want)
	}
	// 2002: closed with a score now; tags in the existing order.
	it := items[2002]
	if it.Status != goalpost.StatusClosed || it.Score == nil || *it.Score != 0.7 || it.Progress != 100 {
		t.Errorf("item 2002: status %q, score %v, progress %v", it.Status, it.Score, it.Progress)
	}
	if !slices.Equal(it.Tags, []string{"q2-focus", "finance"}) || it.Level != goalpost.LevelTeam || it.Version != 4 {
		t.Errorf("item 2002: tags %q, level %q, version %d", it.Tags, it.Level, it.Version)
	}
	if !it.UpdatedAt.Equal(now) {
		t.Errorf("item 2002 changed: UpdatedAt %v, want %v", it.UpdatedAt, now)
	}
	if !it.CreatedAt.Equal(ex.Items[1].CreatedAt) {
		t.Errorf("item 2002: CreatedAt %v", it.CreatedAt)
	}

	// The alignment to 2001 reads the same weight: kept whole. The one to
	// 2099 is not in the file.
	var got []goalpost.Alignment
	for _, a := range ds.Alignments {
		if a.ChildID == 2002 {
			got = append(got, a)
		}
	}
	if want := ex.Alignments[:1]; !slices.Equal(got, want) {
		t.Errorf("alignments of 2002: got %+v, want %+v", got, want)
	}

	// The check-in of 2001 that the file has keeps its id and version.
	var ids []int64
	for _, c := range ds.CheckIns {
		if c.ItemID == 2001 {
			ids = append(ids, c.ID)
		}
	}
	if want := []int64{501, 0, 0}; !slices.Equal(ids, want) {
		t.Errorf("check-in ids of 2001, oldest first: got %v, want %v", ids, want)
	}

	v := ds.Views[0]
	if v.Name != importcsv.ViewName || v.Visibility != goalpost.ViewPublic || v.Version != 6 || !v.CreatedAt.Equal(ex.Views[0].CreatedAt) ||
		v.CreatorID != megan.ID || v.Export.Tags != goalpost.TagsPerColumn {
		t.Errorf("view: got %+v", v)
	}

	// And a second import changes nothing.
	again := build(t, f, store(ds), importcsv.Options{OrgID: fabrikamID, Now: now.Add(time.Hour)})
	if want := store(ds); !reflect.DeepEqual(again, want) {
		t.Errorf("second import differs:\n%s", diffLines(marshal(t, want), marshal(t, again)))
	}
}

// TestBuildSubset: a file with fewer columns leaves the other fields, and
// the alignments and check-ins, of existing items alone.
func TestBuildSubset(t *testing.T) {
	f, _ := readFile(t, "contoso")
	opts := importcsv.Options{OrgID: contosoID, Owner: ptr(adele), Now: now}
	full := store(build(t, f, nil, opts))

	sub := parse(t, "Id,Title,Object Type,Status\n1002,Increase ARR to €2.4M,key result,At Risk\n")
	ds := build(t, sub, full, opts)
	if len(ds.Items) != 1 {
		t.Fatalf("items: got %d, want 1", len(ds.Items))
	}
	it := ds.Items[0]
	want := *full.Items[1]
	want.Status, want.UpdatedAt = goalpost.StatusAtRisk, now
	if !reflect.DeepEqual(*it, want) {
		t.Errorf("item 1002:\n got %+v\nwant %+v", *it, want)
	}
	var align, checkIns int
	for _, a := range ds.Alignments {
		if a.ChildID == 1002 && a.Version == 1 {
			align++
		}
	}
	for _, c := range ds.CheckIns {
		if c.ItemID == 1002 && c.ID != 0 {
			checkIns++
		}
	}
	if align != 1 || checkIns != 2 {
		t.Errorf("kept alignments %d (want 1), check-ins %d (want 2)", align, checkIns)
	}
	for _, u := range ds.Users {
		if u.DisplayName == "Megan Bowen" {
			return // the owner of 1002 is in the dataset
		}
	}
	t.Error("the dataset does not hold the owner of item 1002")
}

// TestBuildExistingParent aligns to an item the organization has and the
// file does not, and finds a cycle through the organization's alignments.
func TestBuildExistingParent(t *testing.T) {
	ex := &goalpost.Dataset{
		Organizations: []*goalpost.Organization{{ID: orgID, Name: "Org", Terminology: goalpost.DefaultTerminology}},
		Users:         []*goalpost.User{ptr(admin)},
		Memberships:   []goalpost.Membership{{OrgID: orgID, UserID: admin.ID, Role: goalpost.RoleOwner}},
		Items: []*goalpost.Item{
			{ID: 10, OrgID: orgID, Kind: goalpost.KindObjective, Title: "Line one\r\nline two"},
			{ID: 11, OrgID: orgID, Kind: goalpost.KindKeyResult, Title: "Eleven"},
		},
		Alignments: []goalpost.Alignment{{ChildID: 11, ParentID: 1, Weight: 100}},
	}
	ok := alignedHeader + "1,A,Objective,\n2,B,Key result,\"Line one\nline two(weight: 100%, Id: 10)\"\n"
	f := parse(t, ok)
	ds := build(t, f, ex, importcsv.Options{OrgID: orgID, Now: now})
	if got := ds.Alignments; len(got) != 1 || got[0].ParentID != 10 {
		t.Errorf("alignments: got %+v", got)
	}
	cycle := alignedHeader + "1,A,Objective,\"Eleven(weight: 100%, Id: 11)\"\n"
	wantInvalid(t, buildErr(t, cycle, ex),
		`line 2, column "Aligned To (weight, Objective ID)": the alignments form a cycle: 1 → 11 → 1`)
}

// TestBuildOwnerByName: the owner's display name in the file is the owner.
func TestBuildOwnerByName(t *testing.T) {
	f := parse(t, "Id,Title,Object Type,Owner,Creator\n1,A,Objective,\"IT Admin, Zoë Ångström\",IT Admin\n")
	ds := build(t, f, nil, importcsv.Options{OrgID: orgID, Owner: ptr(admin), Now: now})
	if got := ds.Items[0].OwnerIDs; len(got) != 2 || got[0] != admin.ID {
		t.Errorf("owners: got %v", got)
	}
	if len(ds.Users) != 2 || ds.Memberships[0].Role != goalpost.RoleOwner || ds.Memberships[1].Role != goalpost.RoleMember {
		t.Errorf("users %+v, memberships %+v", ds.Users, ds.Memberships)
	}
}

// TestBuildViewColumns checks the view's export settings for header shapes.
func TestBuildViewColumns(t *testing.T) {
	def := strings.Join(goalpost.DefaultColumns, ",")
	def = strings.Replace(def, "Aligned To (weight, Objective ID)", `"Aligned To (weight, Objective ID)"`, 1)
	for _, tc := range []struct {
		name   string
		header string
		want   goalpost.ExportSettings
	}{
		{"default", def + ",,", goalpost.ExportSettings{}},
		{"default with tag", strings.Replace(def, "Title,", "Title,Tag,", 1), goalpost.ExportSettings{Tags: goalpost.TagsOneColumn}},
		{"tag placed", "Id,Title,Object Type,Tag", goalpost.ExportSettings{Columns: []string{"Id", "Title", "Object Type", "Tag"}, Tags: goalpost.TagsOneColumn}},
		{"tags first without title", "Tag: a,Id,Title,Object Type", goalpost.ExportSettings{Columns: []string{"Tag", "Id", "Title", "Object Type"}, Tags: goalpost.TagsPerColumn}},
		{"older", "Id,Title,OKR type,Type name,Status", goalpost.ExportSettings{Columns: []string{"Id", "Title", "Object Type", "Status"}}},
		{"canonical names", "id,title,object type", goalpost.ExportSettings{Columns: []string{"Id", "Title", "Object Type"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, tc.header+"\n")
			ds := build(t, f, nil, importcsv.Options{OrgID: orgID, Owner: ptr(admin), Now: now})
			if got := ds.Views[0].Export; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestBuildMetric checks how the metric cells become a metric.
func TestBuildMetric(t *testing.T) {
	for _, tc := range []struct {
		cells string
		want  goalpost.Metric
	}{
		{"Progress,%,100,0", goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionReach}},
		{"Progress,%,100,10", goalpost.Metric{Name: "Progress", Unit: "%", Target: 100, Start: 10, Direction: goalpost.DirectionIncreaseFrom}},
		{"ARR,$,1500000,1000000", goalpost.Metric{Name: "ARR", Unit: "$", Target: 1500000, Start: 1000000, Direction: goalpost.DirectionIncreaseFrom}},
		{"Churn,%,2,3.5", goalpost.Metric{Name: "Churn", Unit: "%", Target: 2, Start: 3.5, Direction: goalpost.DirectionDecreaseFrom}},
		{"Uptime,%,99.9,99.9", goalpost.Metric{Name: "Uptime", Unit: "%", Target: 99.9, Start: 99.9, Direction: goalpost.DirectionStayAbove}},
	} {
		t.Run(tc.cells, func(t *testing.T) {
			f := parse(t, "Id,Title,Object Type,Metric Name,Unit,Target,Start\n1,A,Objective,"+tc.cells+"\n")
			ds := build(t, f, nil, importcsv.Options{OrgID: orgID, Owner: ptr(admin), Now: now})
			if got := ds.Items[0].Metric; got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestBuildLevels checks the level of new items.
func TestBuildLevels(t *testing.T) {
	f := parse(t, "Id,Title,Object Type,Team,\"Aligned To (weight, Objective ID)\"\n"+
		"1,A,Objective,,\n2,B,Objective,Sales,\n3,C,Objective,,\"A(weight: 100%, Id: 1)\"\n4,D,Key result,,\n")
	ds := build(t, f, nil, importcsv.Options{OrgID: orgID, Owner: ptr(admin), Now: now})
	want := []goalpost.Level{goalpost.LevelOrganization, goalpost.LevelTeam, goalpost.LevelIndividual, goalpost.LevelIndividual}
	for i, it := range ds.Items {
		if it.Level != want[i] {
			t.Errorf("item %d: got %q, want %q", it.ID, it.Level, want[i])
		}
	}
}

// TestBuildNamesakes: a name given twice in one Owner cell is two people,
// the same two on every import, and the first is the one other cells name.
func TestBuildNamesakes(t *testing.T) {
	f := parse(t, "Id,Title,Object Type,Owner,Creator\n"+
		"1,A,Objective,\"Chloé Schmidt, Olu Schmidt, Chloé Schmidt\",Chloé Schmidt\n"+
		"2,B,Objective,\"Chloé Schmidt, Chloé Schmidt\",\n")
	opts := importcsv.Options{OrgID: orgID, Owner: ptr(admin), Now: now}
	first := build(t, f, nil, opts)
	a, b := first.Items[0], first.Items[1]
	if len(a.OwnerIDs) != 3 || a.OwnerIDs[0] == a.OwnerIDs[2] || a.CreatorID != a.OwnerIDs[0] {
		t.Fatalf("item 1: owners %v, creator %v; want three people, the first the creator", a.OwnerIDs, a.CreatorID)
	}
	if !slices.Equal(b.OwnerIDs, []uuid.UUID{a.OwnerIDs[0], a.OwnerIDs[2]}) {
		t.Errorf("item 2: owners %v, want the same two Chloés %v", b.OwnerIDs, []uuid.UUID{a.OwnerIDs[0], a.OwnerIDs[2]})
	}
	names := map[uuid.UUID]string{}
	for _, u := range first.Users {
		names[u.ID] = u.DisplayName
	}
	if names[a.OwnerIDs[0]] != "Chloé Schmidt" || names[a.OwnerIDs[2]] != "Chloé Schmidt" {
		t.Errorf("namesakes named %q and %q", names[a.OwnerIDs[0]], names[a.OwnerIDs[2]])
	}
	second := build(t, f, store(first), opts)
	if !slices.Equal(second.Items[0].OwnerIDs, a.OwnerIDs) || !slices.Equal(second.Items[1].OwnerIDs, b.OwnerIDs) {
		t.Errorf("a second import resolves the namesakes to %v, %v; want %v, %v",
			second.Items[0].OwnerIDs, second.Items[1].OwnerIDs, a.OwnerIDs, b.OwnerIDs)
	}
}
