package backup_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/backup"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	orgID   = uuid.MustParse("a0000000-0000-4000-8000-000000000001")
	olivia  = uuid.MustParse("a0000000-0000-4000-8000-0000000000a1")
	mia     = uuid.MustParse("a0000000-0000-4000-8000-0000000000a4")
	teamEng = uuid.MustParse("a0000000-0000-4000-8000-0000000000e1")
	teamOps = uuid.MustParse("a0000000-0000-4000-8000-0000000000e2")
	periodQ = uuid.MustParse("a0000000-0000-4000-8000-0000000000f1")
	viewAll = uuid.MustParse("a0000000-0000-4000-8000-0000000000c1")
	viewMia = uuid.MustParse("a0000000-0000-4000-8000-0000000000c2")
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// dataset is one organization with every kind of record and the cases a
// backup must keep: unicode text, empty and missing lists, a restricted
// item, a closed item with a score, a named metric, a fixed weight, a
// private view with filters and export settings, times with milliseconds.
func dataset() *goalpost.Dataset {
	return &goalpost.Dataset{
		Organizations: []*goalpost.Organization{{ID: orgID, Name: "Contoso – Zürich 東京",
			Terminology: goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"},
			CreatedAt:   at("2024-10-01T00:00:00.123Z"), Version: 3}},
		Users: []*goalpost.User{
			{ID: olivia, UPN: "olivia@contoso.test", DisplayName: "Olivia Øwner"},
			{ID: mia, UPN: "mia@contoso.test", DisplayName: "Mia \"Quoted\" Member", ManagerID: olivia},
		},
		Memberships: []goalpost.Membership{
			{OrgID: orgID, UserID: olivia, Role: goalpost.RoleOwner, Version: 1},
			{OrgID: orgID, UserID: mia, Role: goalpost.RoleMember, Version: 4},
		},
		Teams: []*goalpost.Team{
			{ID: teamEng, OrgID: orgID, Name: "Engineering", OwnerID: mia, Type: "department", Members: []uuid.UUID{mia, olivia}, Version: 2},
			{ID: teamOps, OrgID: orgID, Name: "Ops", ParentID: teamEng, Type: "squad", Archived: true, Members: []uuid.UUID{}, Version: 1},
		},
		TimePeriods: []*goalpost.TimePeriod{
			{ID: periodQ, OrgID: orgID, Name: "Q1 2025", Start: goalpost.MustParseDate("2025-01-01"), End: goalpost.MustParseDate("2025-03-31"), Version: 1},
		},
		Items: []*goalpost.Item{
			{ID: 100, OrgID: orgID, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization, Title: "Grow revenue 📈",
				Description: "Line one\nline two, \"quoted\" <b> & more", TeamIDs: []uuid.UUID{teamEng, teamOps}, OwnerIDs: []uuid.UUID{olivia, mia},
				CreatorID: olivia, PeriodID: periodQ, StartDate: goalpost.MustParseDate("2025-01-01"), EndDate: goalpost.MustParseDate("2025-03-31"),
				GoalType: goalpost.GoalCommitted, Tags: []string{"growth", "révenue"},
				Metric:  goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionIncreaseFrom},
				Current: 40, Progress: 40, ProgressMode: goalpost.ProgressRollup, Status: goalpost.StatusOnTrack,
				Visibility: goalpost.VisibilityEveryone, CreatedAt: at("2025-01-02T09:00:00Z"), UpdatedAt: at("2025-03-14T10:00:00.999Z"),
				Version: 7, LastCheckIn: goalpost.MustParseDate("2025-03-01"), LastCheckInNote: "Halfway"},
			{ID: 101, OrgID: orgID, Kind: goalpost.KindKeyResult, Level: goalpost.LevelIndividual, Title: "Secret deals",
				OwnerIDs: []uuid.UUID{mia}, Tags: []string{}, GoalType: goalpost.GoalAspirational,
				Metric:  goalpost.Metric{Name: "Deals", Unit: "number", Start: 5, Target: 50.5, Direction: goalpost.DirectionReach},
				Current: 9.25, Progress: 9.444444444444445, ProgressMode: goalpost.ProgressManual, Status: goalpost.StatusClosed, Score: ptr(0.8),
				Visibility: goalpost.VisibilityRestricted, CreatedAt: at("2025-01-05T09:00:00Z"), UpdatedAt: at("2025-01-05T09:00:00Z"), Version: 1},
		},
		Alignments: []goalpost.Alignment{
			{ChildID: 101, ParentID: 100, Weight: 33.34, WeightFixed: true, Version: 2},
		},
		CheckIns: []*goalpost.CheckIn{
			{ID: 1, ItemID: 100, Date: goalpost.MustParseDate("2025-03-01"), UserID: olivia, Note: "Halfway", Status: goalpost.StatusOnTrack,
				Value: 40, ActivityAt: at("2025-03-01T10:00:00.5Z"), Version: 1},
			{ID: 2, ItemID: 101, Date: goalpost.MustParseDate("2025-02-01"), Note: "", Status: goalpost.StatusBehind,
				Value: 9.25, ActivityAt: at("2025-02-01T23:59:59.001+02:00"), Version: 3},
		},
		Views: []*goalpost.ExplorerView{
			{ID: viewAll, OrgID: orgID, Name: "All objectives", Visibility: goalpost.ViewPublic, CreatorID: olivia,
				CreatedAt: at("2024-10-01T00:00:00Z"), Version: 1},
			{ID: viewMia, OrgID: orgID, Name: "Mine, überall", Visibility: goalpost.ViewPrivate, CreatorID: mia,
				Filter: goalpost.ViewFilter{
					TimePeriods: []uuid.UUID{periodQ},
					Owners:      []string{goalpost.OwnerMe, goalpost.OwnerUnassigned},
					Kinds:       []goalpost.ItemKind{goalpost.KindObjective},
					Progress:    &goalpost.ProgressRange{Min: 0, Max: 50},
					Keyword:     "revenue",
					Due:         &goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 30},
					CheckedIn:   &goalpost.DateFilter{Op: goalpost.DateOn, Date: goalpost.MustParseDate("2025-03-01")},
					Aligned:     &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: 100},
				},
				TopLevelOnly: true,
				Export:       goalpost.ExportSettings{Columns: []string{"Id", "Title", "Tag"}, Tags: goalpost.TagsOneColumn, IncludeChildren: true},
				CreatedAt:    at("2025-01-01T12:00:00Z"), Version: 5},
		},
	}
}

// normalize makes equal what a backup cannot tell apart: empty and nil
// lists, and times in other zones or below the millisecond.
func normalize(ds *goalpost.Dataset) *goalpost.Dataset {
	tm := func(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }
	for _, o := range ds.Organizations {
		o.CreatedAt = tm(o.CreatedAt)
	}
	for _, t := range ds.Teams {
		if len(t.Members) == 0 {
			t.Members = nil
		}
	}
	for _, it := range ds.Items {
		if len(it.Tags) == 0 {
			it.Tags = nil
		}
		if len(it.OwnerIDs) == 0 {
			it.OwnerIDs = nil
		}
		if len(it.TeamIDs) == 0 {
			it.TeamIDs = nil
		}
		it.CreatedAt, it.UpdatedAt = tm(it.CreatedAt), tm(it.UpdatedAt)
	}
	for _, c := range ds.CheckIns {
		c.ActivityAt = tm(c.ActivityAt)
	}
	for _, v := range ds.Views {
		v.CreatedAt = tm(v.CreatedAt)
	}
	return ds
}

var exportedAt = func() time.Time { return at("2025-03-15T12:00:00Z") }

func encode(t *testing.T, ds *goalpost.Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (backup.Encoder{NowFunc: exportedAt}).Encode(&buf, ds); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	b := encode(t, dataset())
	got, err := backup.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := normalize(dataset())
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode(Encode(ds)) differs:\ngot  %s\nwant %s", encode(t, got), encode(t, want))
	}
	// Decode gives nil for an empty list, as the stores do.
	if got.Teams[1].Members != nil || got.Items[1].Tags != nil {
		t.Errorf("empty lists decode as %#v and %#v, want nil", got.Teams[1].Members, got.Items[1].Tags)
	}
	if loc := got.CheckIns[1].ActivityAt.Location(); loc != time.UTC {
		t.Errorf("decoded time in %v, want UTC", loc)
	}
	// Encoding what was decoded gives the same bytes.
	if again := encode(t, got); !bytes.Equal(again, b) {
		t.Errorf("re-encoding differs:\n%s\nwant\n%s", again, b)
	}

	// An organization without records round-trips too.
	empty := &goalpost.Dataset{Organizations: dataset().Organizations}
	got, err = backup.Decode(bytes.NewReader(encode(t, empty)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, normalize(empty)) {
		t.Errorf("empty organization: got %+v", got)
	}
}

func TestGolden(t *testing.T) {
	b := encode(t, dataset())
	path := filepath.Join("testdata", "org.golden.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("Encode differs from %s (run go test -update to accept):\n%s", path, b)
	}
	// The golden file is a backup that Decode reads.
	if _, err := backup.Decode(bytes.NewReader(want)); err != nil {
		t.Errorf("Decode(golden): %v", err)
	}
}

func TestEncodeOneOrganization(t *testing.T) {
	ds := dataset()
	ds.Organizations = append(ds.Organizations, &goalpost.Organization{ID: uuid.New(), Name: "Other"})
	err := backup.Encode(io.Discard, ds)
	if goalpost.ErrorCode(err) != goalpost.EINVALID {
		t.Fatalf("Encode(two organizations) = %v, want EINVALID", err)
	}
}

// edit decodes the golden backup as generic JSON text and replaces old
// with new once, so that each error case changes one thing of a valid
// backup.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	s := string(encode(t, dataset()))
	if !strings.Contains(s, old) {
		t.Fatalf("backup has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

func TestDecodeErrors(t *testing.T) {
	other := uuid.MustParse("b0000000-0000-4000-8000-000000000001")
	tests := []struct {
		name, in, code, msg string
	}{
		{"empty", "", goalpost.EINVALID, "The backup is empty."},
		{"array", "[]", goalpost.EINVALID, "The backup must be a JSON object."},
		{"not json", "Id,Title\n", goalpost.EINVALID, "The backup is not valid JSON: invalid character 'I' looking for beginning of value (at byte 1)."},
		{"other format", `{"format": "vivagoals.export", "formatVersion": 1}`, goalpost.EINVALID,
			`The file is not a goalpost organization backup: its format is "vivagoals.export", not "goalpost.organization".`},
		{"no format", `{"formatVersion": 1}`, goalpost.EINVALID, `The file is not a goalpost organization backup: it has no "format".`},
		{"unknown member first", `{"name": "x"}`, goalpost.EINVALID, `The file is not a goalpost organization backup: it has an unknown member "name".`},
		{"no version", `{"format": "goalpost.organization"}`, goalpost.EINVALID, `The backup has no "formatVersion".`},
		{"newer version", edit(t, `"formatVersion": 1`, `"formatVersion": 2`), goalpost.EINVALID,
			"The backup's format version 2 is not supported; this goalpost reads version 1."},
		{"no organization", `{"format": "goalpost.organization", "formatVersion": 1, "users": []}`, goalpost.EINVALID,
			"The backup has no organization."},
		{"unknown member", edit(t, `"exportedAt"`, `"exportedBy": "me", "exportedAt"`), goalpost.EINVALID,
			`The backup has an unknown member "exportedBy".`},
		{"twice", edit(t, `"exportedAt"`, `"formatVersion": 1, "exportedAt"`), goalpost.EINVALID,
			`The backup has "formatVersion" twice.`},
		{"unknown field", edit(t, `"upn": "mia@contoso.test"`, `"upn": "mia@contoso.test", "email": "x"`), goalpost.EINVALID,
			`The backup is not valid in users[1]: json: unknown field "email".`},
		{"unknown filter field", edit(t, `"keyword": "revenue"`, `"keyword": "revenue", "colour": "red"`), goalpost.EINVALID,
			`The backup is not valid in views[1]: json: unknown field "colour".`},
		{"bad date", edit(t, `"startDate": "2025-01-01"`, `"startDate": "01/01/2025"`), goalpost.EINVALID,
			`The backup is not valid in timePeriods[0]: invalid date "01/01/2025": expected YYYY-MM-DD.`},
		{"bad time", edit(t, `"createdAt": "2025-01-02T09:00:00.000Z"`, `"createdAt": "2025-01-02 09:00"`), goalpost.EINVALID,
			`The backup is not valid in items[0]: invalid time "2025-01-02 09:00": expected RFC 3339, such as 2025-03-15T12:00:00.000Z.`},
		{"bad GUID", edit(t, `"managerId": "`+olivia.String()+`"`, `"managerId": "olivia"`), goalpost.EINVALID,
			`The backup is not valid in users[1]: "olivia" is not a GUID.`},
		{"missing id", edit(t, `"id": "`+teamOps.String()+`",`, ``), goalpost.EINVALID,
			`The backup is not valid in teams[1]: "id" is required.`},
		{"null record", edit(t, `"alignments": [`, `"alignments": [null,`), goalpost.EINVALID,
			"The backup is not valid in alignments[0]: the record is null."},
		{"list not array", edit(t, `"views": [`, `"views": {"a": [`) + "}", goalpost.EINVALID,
			`The backup's "views" must be an array.`},
		{"another organization's record", edit(t, `"orgId": "`+orgID.String()+`",
      "name": "Ops"`, `"orgId": "`+other.String()+`",
      "name": "Ops"`), goalpost.EINVALID,
			"The team a0000000-0000-4000-8000-0000000000e2 belongs to organization b0000000-0000-4000-8000-000000000001, not to the backup's organization a0000000-0000-4000-8000-000000000001."},
		{"cut short", string(encode(t, dataset())[:500]), goalpost.EINVALID, "The backup ends early in users[0]: the file is cut short."},
		{"trailing data", string(encode(t, dataset())) + "{}", goalpost.EINVALID, "The backup has data after its closing brace."},
		{"trailing garbage", string(encode(t, dataset())) + "x", goalpost.EINVALID, "The backup has data after its closing brace."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := backup.Decode(strings.NewReader(tt.in))
			var e *goalpost.Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode = %v, want a *goalpost.Error", err)
			}
			if e.Code != tt.code || e.Message != tt.msg {
				t.Errorf("Decode error = %s: %q\nwant          %s: %q", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestDecodeTooLarge(t *testing.T) {
	b := encode(t, dataset())
	defer backup.SetLimit(int64(len(b)))()
	if _, err := backup.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("Decode(exactly the limit): %v", err)
	}
	// One byte more, even white space after the document, is too much.
	_, err := backup.Decode(io.MultiReader(bytes.NewReader(b), strings.NewReader(" ")))
	if goalpost.ErrorCode(err) != goalpost.ETOOLARGE || goalpost.ErrorMessage(err) != "The backup is larger than 1 GiB, the most goalpost reads." {
		t.Fatalf("Decode(beyond the limit) = %v, want ETOOLARGE", err)
	}
	// Beyond the limit inside a record.
	defer backup.SetLimit(int64(len(b) / 2))()
	_, err = backup.Decode(bytes.NewReader(b))
	if goalpost.ErrorCode(err) != goalpost.ETOOLARGE {
		t.Fatalf("Decode(beyond the limit) = %v, want ETOOLARGE", err)
	}
}

func TestDecodeBOM(t *testing.T) {
	b := append([]byte{0xEF, 0xBB, 0xBF}, encode(t, dataset())...)
	if _, err := backup.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("Decode(with BOM): %v", err)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`{"format"`, true},
		{"\xEF\xBB\xBF \r\n\t{", true},
		{"  {", true},
		{"Id,Title,Team", false},
		{"\xEF\xBB\xBFId,Title", false},
		{`"Id","Title"`, false},
		{"", false},
		{"   ", false},
		{"[{}]", false},
	}
	for _, tt := range tests {
		if got := backup.Detect([]byte(tt.in)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
