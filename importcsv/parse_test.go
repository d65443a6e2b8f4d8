package importcsv_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/importcsv"
)

// parse parses s and fails the test on error.
func parse(tb testing.TB, s string) *importcsv.File {
	tb.Helper()
	f, err := importcsv.Parse(strings.NewReader(s))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return f
}

// wantInvalid checks that err is an EINVALID *goalpost.Error with message want.
func wantInvalid(tb testing.TB, err error, want string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %q", want)
	}
	var e *goalpost.Error
	if !errors.As(err, &e) {
		tb.Fatalf("got %T %v, want a *goalpost.Error", err, err)
	}
	if e.Code != goalpost.EINVALID {
		tb.Errorf("code: got %q, want %q", e.Code, goalpost.EINVALID)
	}
	if e.Message != want {
		tb.Errorf("message:\n got: %s\nwant: %s", e.Message, want)
	}
}

const minimalHeader = "Id,Title,Object Type\n"

// TestParseErrors has one malformed file per problem that Parse finds, with
// the exact message.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, csv, want string
	}{
		{
			"empty file", "",
			`line 1: the file is empty; expected a header row`,
		},
		{
			"bad Id", minimalHeader + "1,A,Objective\n12x,B,Objective\n",
			`line 3, column "Id": expected a positive whole number; got "12x"`,
		},
		{
			"zero Id", minimalHeader + "0,A,Objective\n",
			`line 2, column "Id": expected a positive whole number; got "0"`,
		},
		{
			"duplicate Id", minimalHeader + "7,A,Objective\n8,B,Objective\n7,C,Objective\n",
			`line 4, column "Id": duplicate Id 7, first on line 2`,
		},
		{
			"empty title", minimalHeader + "7,  ,Objective\n",
			`line 2, column "Title": expected a title; got "  "`,
		},
		{
			"bad date", "Id,Title,Object Type,Start Date\n1,A,Objective,2025-02-30\n",
			`line 2, column "Start Date": expected a date YYYY-MM-DD; got "2025-02-30"`,
		},
		{
			"date format", "Id,Title,Object Type,End Date\n1,A,Objective,31/03/2025\n",
			`line 2, column "End Date": expected a date YYYY-MM-DD; got "31/03/2025"`,
		},
		{
			"bad timestamp", "Id,Title,Object Type,Created At\n1,A,Objective,2025-01-02T03:04:05Z\n",
			`line 2, column "Created At": expected a time YYYY-MM-DD HH:MM:SS UTC; got "2025-01-02T03:04:05Z"`,
		},
		{
			"bad number", "Id,Title,Object Type,Target\n1,A,Objective,\"1,500\"\n",
			`line 2, column "Target": expected a number; got "1,500"`,
		},
		{
			"NaN", "Id,Title,Object Type,Actual Progress\n1,A,Objective,NaN\n",
			`line 2, column "Actual Progress": expected a number; got "NaN"`,
		},
		{
			"progress out of range", "Id,Title,Object Type,Progress %\n1,A,Objective,120\n",
			`line 2, column "Progress %": expected a number from 0 to 100; got "120"`,
		},
		{
			"unknown status", "Id,Title,Object Type,Status\n1,A,Objective,On Track\n2,B,Objective,Done\n",
			`line 3, column "Status": expected one of Not Started, On Track, Behind, At Risk, Closed, Postponed, Reopened; got "Done"`,
		},
		{
			"unknown goal type", "Id,Title,Object Type,Goal Type\n1,A,Objective,Stretch\n",
			`line 2, column "Goal Type": expected one of Aspirational Goal, Committed Goal; got "Stretch"`,
		},
		{
			"score without closed", "Id,Title,Object Type,Status,Score\n1,A,Objective,On Track,0.8\n",
			`line 2, column "Score": expected an empty cell, the status is not Closed; got "0.8"`,
		},
		{
			"score out of range", "Id,Title,Object Type,Status,Score\n1,A,Objective,Closed,80\n",
			`line 2, column "Score": expected a score from 0 to 1; got "80"`,
		},
		{
			"bad aligned-to cell", "Id,Title,Object Type,\"Aligned To (weight, Objective ID)\"\n1,A,Objective,\"Grow (weight: 50, Id: 2)\"\n",
			`line 2, column "Aligned To (weight, Objective ID)": expected parents as Title(weight: 50%, Id: 2295776), several joined with " / "; got "Grow (weight: 50, Id: 2)"`,
		},
		{
			"aligned-to trailing separator", "Id,Title,Object Type,\"Aligned To (weight, Objective ID)\"\n1,A,Objective,\"B(weight: 50%, Id: 2) / \"\n",
			`line 2, column "Aligned To (weight, Objective ID)": expected parents as Title(weight: 50%, Id: 2295776), several joined with " / "; got "B(weight: 50%, Id: 2) / "`,
		},
		{
			"weight out of range", "Id,Title,Object Type,\"Aligned To (weight, Objective ID)\"\n1,A,Objective,\"B(weight: 150%, Id: 2)\"\n",
			`line 2, column "Aligned To (weight, Objective ID)": expected a weight from 0 to 100 %; got "150%" for parent Id 2`,
		},
		{
			"parent named twice", "Id,Title,Object Type,\"Aligned To (weight, Objective ID)\"\n1,A,Objective,\"B(weight: 50%, Id: 2) / B(weight: 50%, Id: 2)\"\n",
			`line 2, column "Aligned To (weight, Objective ID)": parent Id 2 is named twice`,
		},
		{
			"bad check-in cell", "Id,Title,Object Type,Checkins\n1,A,Objective,\"Checkin Date: 2025-03-10; User: Megan Bowen; Note: ok\"\n",
			`line 2, column "Checkins": expected a check-in as Checkin Date: YYYY-MM-DD; User: …; Note: …; Metric Name: …; Status: …; Current Value: …; Activity Date: YYYY-MM-DD HH:MM:SS UTC;; got "Checkin Date: 2025-03-10; User: Megan Bowen; Note: ok"`,
		},
		{
			"bad check-in status in overflow", "Id,Title,Object Type,Checkins,\n1,A,Objective,," +
				"Checkin Date: 2025-03-10; User: M; Note: ; Metric Name: Progress; Status: Done; Current Value: 5%; Activity Date: 2025-03-10 20:57:08 UTC;\n",
			`line 2, column "Checkins (overflow 1)": check-in status: expected one of Not Started, On Track, Behind, At Risk, Closed, Postponed, Reopened; got "Done"`,
		},
		{
			"bad check-in value", "Id,Title,Object Type,Checkins\n1,A,Objective," +
				"Checkin Date: 2025-03-10; User: M; Note: ; Metric Name: Progress; Status: Behind; Current Value: five%; Activity Date: 2025-03-10 20:57:08 UTC;\n",
			`line 2, column "Checkins": check-in value: expected a number; got "five%"`,
		},
		{
			"bad check-in activity", "Id,Title,Object Type,Checkins\n1,A,Objective," +
				"Checkin Date: 2025-03-10; User: M; Note: ; Metric Name: Progress; Status: Behind; Current Value: 5%; Activity Date: yesterday;\n",
			`line 2, column "Checkins": check-in activity date: expected a time YYYY-MM-DD HH:MM:SS UTC; got "yesterday"`,
		},
		{
			"unknown column", "Id,Titel,Object Type\n",
			`line 1, column "Titel": unknown column; expected one of Id, Title, Team, Creator, Owner, Period, Start Date, End Date, Description, Aligned To (weight, Objective ID), Metric Name, Unit, Target, Object Type, Goal Type, Start, Created At, Last Check-in, Progress %, Actual Progress, Status, Last Check-in Note, Score, Checkins, Tag, Tag: <name>, OKR type, Type name` +
				"\n" + `line 1: missing required column "Title"`,
		},
		{
			"duplicate column", "Id,Title,Object Type,Status,status\n",
			`line 1, column "status": the column is named twice, as columns 4 and 5`,
		},
		{
			"duplicate tag column", "Id,Title,Object Type,Tag: a,Tag: a\n",
			`line 1, column "Tag: a": the column is named twice, as columns 4 and 5`,
		},
		{
			"missing required column", "Id,Title,Status\n",
			`line 1: missing required column "Object Type" (or "OKR type" and "Type name")`,
		},
		{
			"empty header cell", "Id,,Title,Object Type\n",
			`line 1: column 2 has no name; only the check-in overflow columns right after "Checkins" may have none`,
		},
		{
			"empty tag name", "Id,Title,Object Type,Tag: \n",
			`line 1, column "Tag: ": expected a tag name after "Tag: "`,
		},
		{
			"both tag modes", "Id,Title,Tag,Tag: a,Object Type\n",
			`line 1, column "Tag": a file has one "Tag" column or "Tag: <name>" columns, not both`,
		},
		{
			"both kind columns", "Id,Title,Object Type,OKR type\n",
			`line 1, column "OKR type": a file has "Object Type" or "OKR type", not both`,
		},
		{
			"type name alone", "Id,Title,Object Type,Type name\n",
			`line 1, column "Type name": the column belongs to the older variant, which also has "OKR type"`,
		},
		{
			"bad OKR type", "Id,Title,OKR type,Type name\n1,A,Milestone,Milestone\n",
			`line 2, column "OKR type": expected one of Objective, Key Result, Initiative, Project; got "Milestone"`,
		},
		{
			"bad tag cell", "Id,Title,Object Type,Tag: sales\n1,A,Objective,no\n",
			`line 2, column "Tag: sales": expected an empty cell, "x" or "sales"; got "no"`,
		},
		{
			"record too wide", minimalHeader + "1,A,Objective,extra\n",
			`line 2: the record has 4 fields, the header 3`,
		},
		{
			"malformed CSV", minimalHeader + "1,A \"quoted\" B,Objective\n",
			`line 2: malformed CSV: bare " in non-quoted-field (line 2, byte 5)`,
		},
		{
			"unterminated quote", minimalHeader + "1,\"A,Objective\n2,B,Objective\n",
			`line 2: malformed CSV: extraneous or missing " in quoted-field (line 3, byte 15)`,
		},
		{
			"problems before malformed CSV", minimalHeader + "x,A,Objective\n1,A \"q\",Objective\n",
			`line 2, column "Id": expected a positive whole number; got "x"` + "\n" +
				`line 3: malformed CSV: bare " in non-quoted-field (line 3, byte 5)`,
		},
		{
			"long value quoted short", "Id,Title,Object Type,Status\n1,A,Objective," + strings.Repeat("é", 40) + "\n",
			`line 2, column "Status": expected one of Not Started, On Track, Behind, At Risk, Closed, Postponed, Reopened; got "` + strings.Repeat("é", 32) + `"…`,
		},
		{
			"a multi-line record is named by its first line", "Id,Description,Title,Object Type\n1,\"a\nb\nc\",A,Objective\n2,\"d\ne\",,Objective\n",
			`line 5, column "Title": expected a title; got ""`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := importcsv.Parse(strings.NewReader(tc.csv))
			if err == nil {
				t.Fatalf("got %d rows, want an error", len(f.Rows))
			}
			wantInvalid(t, err, tc.want)
		})
	}
}

// TestParseManyProblems lists up to 20 problems and counts the rest.
func TestParseManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("Id,Title,Object Type,Status\n")
	for range 25 {
		b.WriteString("x,A,Objective,Done\n")
	}
	_, err := importcsv.Parse(strings.NewReader(b.String()))
	msg := goalpost.ErrorMessage(err)
	lines := strings.Split(msg, "\n")
	if got, want := len(lines), 21; got != want {
		t.Fatalf("got %d lines, want %d:\n%s", got, want, msg)
	}
	if got, want := lines[1], `line 2, column "Status": expected one of Not Started, On Track, Behind, At Risk, Closed, Postponed, Reopened; got "Done"`; got != want {
		t.Errorf("second line: got %q, want %q", got, want)
	}
	if got, want := lines[20], "(and 30 more problems)"; got != want {
		t.Errorf("last line: got %q, want %q", got, want)
	}
}

func TestParseLimits(t *testing.T) {
	t.Run("rows", func(t *testing.T) {
		defer importcsv.SetMaxRows(3)()
		ok := minimalHeader + "1,A,Objective\n2,B,Objective\n\n3,C,Objective\n"
		if _, err := importcsv.Parse(strings.NewReader(ok)); err != nil {
			t.Fatalf("3 rows: %v", err)
		}
		_, err := importcsv.Parse(strings.NewReader(ok + "4,D,Objective\n"))
		wantInvalid(t, err, "line 6: the file has more than 3 rows")
	})
	t.Run("field", func(t *testing.T) {
		big := strings.Repeat("a", importcsv.MaxFieldBytes)
		if _, err := importcsv.Parse(strings.NewReader(minimalHeader + "1," + big + ",Objective\n")); err != nil {
			t.Fatalf("a field of MaxFieldBytes: %v", err)
		}
		_, err := importcsv.Parse(strings.NewReader(minimalHeader + "1,\"" + big + "\"\"\",Objective\n"))
		wantInvalid(t, err, `line 2, column "Title": the field is longer than 1048576 bytes`)
	})
	t.Run("record", func(t *testing.T) {
		// A quoted field that never ends stops at the guard, not at the
		// end of the input.
		r := &endless{prefix: minimalHeader + "1,\""}
		_, err := importcsv.Parse(r)
		wantInvalid(t, err, "line 2: a field is longer than 1048576 bytes")
		if r.n > 64<<20 {
			t.Errorf("read %d bytes before giving up", r.n)
		}
	})
	t.Run("read error", func(t *testing.T) {
		_, err := importcsv.Parse(&endless{prefix: minimalHeader, err: errBroken})
		if !errors.Is(err, errBroken) {
			t.Errorf("got %v, want %v", err, errBroken)
		}
		if goalpost.ErrorCode(err) != goalpost.EINTERNAL {
			t.Errorf("code: got %q, want %q", goalpost.ErrorCode(err), goalpost.EINTERNAL)
		}
	})
}

var errBroken = errors.New("connection reset")

// endless reads prefix, then "a" forever, or err once prefix is read.
type endless struct {
	prefix string
	err    error
	n      int
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n < len(e.prefix) {
		k := copy(p, e.prefix[e.n:])
		e.n += k
		return k, nil
	}
	if e.err != nil {
		return 0, e.err
	}
	for i := range p {
		p[i] = 'a'
	}
	e.n += len(p)
	return len(p), nil
}

func TestParseHeader(t *testing.T) {
	for _, tc := range []struct {
		name    string
		csv     string
		variant importcsv.Variant
		tagMode goalpost.TagMode
		tags    []string
	}{
		{"current", minimalHeader, importcsv.VariantCurrent, goalpost.TagsNone, nil},
		{"names ignore case", "ID,TITLE,object type\n", importcsv.VariantCurrent, goalpost.TagsNone, nil},
		{"tag column", "Id,Title,Tag,Object Type\n", importcsv.VariantCurrent, goalpost.TagsOneColumn, nil},
		{"tag columns", "Id,Title,Tag: b,tag: a,Object Type\n", importcsv.VariantCurrent, goalpost.TagsPerColumn, []string{"b", "a"}},
		{"older", "\ufeffId,Title,Tag,OKR type,Type name\n", importcsv.VariantOlder, goalpost.TagsOneColumn, nil},
		{"older without type name", "Id,Title,OKR Type\n", importcsv.VariantOlder, goalpost.TagsNone, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, tc.csv)
			if f.Variant != tc.variant {
				t.Errorf("variant: got %v, want %v", f.Variant, tc.variant)
			}
			if f.TagMode != tc.tagMode {
				t.Errorf("tag mode: got %q, want %q", f.TagMode, tc.tagMode)
			}
			if !slices.Equal(f.Tags, tc.tags) {
				t.Errorf("tags: got %q, want %q", f.Tags, tc.tags)
			}
			if strings.HasPrefix(f.Header[0], "\ufeff") {
				t.Errorf("header keeps the byte order mark: %q", f.Header[0])
			}
		})
	}
}

func TestParseCells(t *testing.T) {
	const checkIn = "Checkin Date: 2025-03-10; User: Megan Bowen; Note: Call; Status: unclear; Metric Name: Progress; really; Metric Name: Progress; Status: On Track; Current Value: 45.5%; Activity Date: 2025-03-10 20:57:08 UTC;"
	in := "\ufeffId,Title,Object Type,Tag: sales,Tag: q2,Owner,Team,\"Aligned To (weight, Objective ID)\",Target,Start,Created At,Score,Status,Checkins\r\n" +
		"1,A / B,Objective,x,q2,\"Zoë Ångström, 李雷, Zoë Ångström\",Sales; ; Marketing,\"A / B (draft)(weight: 14.29%, Id: 7) / C(weight: 0%, Id: 8)\",1e3,-2.5,2024-12-15 09:30:00 UTC,1,closed," + checkIn + ",,\"" + checkIn + "\"\r\n" +
		",,,,,,,,,,,,,\r\n" + // skipped
		"2,B,Objective\n" // short: the missing cells are empty
	f := parse(t, in)
	if got := len(f.Rows); got != 2 {
		t.Fatalf("rows: got %d, want 2", got)
	}
	r := f.Rows[0]
	if r.Line != 2 || f.Rows[1].Line != 4 {
		t.Errorf("lines: got %d and %d, want 2 and 4", r.Line, f.Rows[1].Line)
	}
	if want := []string{"sales", "q2"}; !slices.Equal(r.Tags, want) {
		t.Errorf("tags: got %q, want %q", r.Tags, want)
	}
	if want := []string{"Zoë Ångström", "李雷", "Zoë Ångström"}; !slices.Equal(r.Owners, want) { // a repeat is a namesake
		t.Errorf("owners: got %q, want %q", r.Owners, want)
	}
	if want := []string{"Sales", "Marketing"}; !slices.Equal(r.Teams, want) {
		t.Errorf("teams: got %q, want %q", r.Teams, want)
	}
	wantAligned := []goalpost.AlignedParent{{ID: 7, Title: "A / B (draft)", Weight: 14.29}, {ID: 8, Title: "C", Weight: 0}}
	if !slices.Equal(r.AlignedTo, wantAligned) {
		t.Errorf("aligned to: got %+v, want %+v", r.AlignedTo, wantAligned)
	}
	if r.Target != 1000 || r.Start != -2.5 {
		t.Errorf("target, start: got %v, %v, want 1000, -2.5", r.Target, r.Start)
	}
	if want := time.Date(2024, 12, 15, 9, 30, 0, 0, time.UTC); !r.CreatedAt.Equal(want) {
		t.Errorf("created at: got %v, want %v", r.CreatedAt, want)
	}
	if r.Status != goalpost.StatusClosed || r.Score == nil || *r.Score != 1 {
		t.Errorf("status, score: got %q, %v", r.Status, r.Score)
	}
	wantCheckIn := goalpost.CheckInCell{
		Date: goalpost.MustParseDate("2025-03-10"), User: "Megan Bowen",
		Note:   "Call; Status: unclear; Metric Name: Progress; really",
		Status: goalpost.StatusOnTrack, Value: 45.5, ActivityAt: time.Date(2025, 3, 10, 20, 57, 8, 0, time.UTC),
	}
	if len(r.CheckIns) != 2 || r.CheckIns[0] != wantCheckIn || r.CheckIns[1] != wantCheckIn {
		t.Errorf("check-ins: got %+v, want twice %+v", r.CheckIns, wantCheckIn)
	}
	if r2 := f.Rows[1]; r2.Title != "B" || r2.Status != goalpost.StatusNotStarted || r2.GoalType != goalpost.GoalAspirational {
		t.Errorf("short row: got %+v", r2)
	}
}

// TestParseOverflowBeyondHeader: when Checkins ends the header, a longer
// record holds more check-ins.
func TestParseOverflowBeyondHeader(t *testing.T) {
	ci := func(day string) string {
		return "Checkin Date: 2025-03-" + day + "; User: M; Note: ; Metric Name: Progress; Status: Behind; Current Value: 5%; Activity Date: 2025-03-" + day + " 10:00:00 UTC;"
	}
	f := parse(t, minimalHeader[:len(minimalHeader)-1]+",Checkins\n1,A,Objective,"+ci("03")+","+ci("02")+","+ci("01")+"\n")
	if got := len(f.Rows[0].CheckIns); got != 3 {
		t.Fatalf("check-ins: got %d, want 3", got)
	}
	_, err := importcsv.Parse(strings.NewReader("Id,Title,Object Type,Checkins,Status\n1,A,Objective,,Behind,x\n"))
	wantInvalid(t, err, "line 2: the record has 6 fields, the header 5")
	_, err = importcsv.Parse(strings.NewReader("Id,Title,Object Type,Checkins\n1,A,Objective,,bad\n"))
	wantInvalid(t, err, `line 2, column "Checkins (overflow 1)": `+
		`expected a check-in as Checkin Date: YYYY-MM-DD; User: …; Note: …; Metric Name: …; Status: …; Current Value: …; Activity Date: YYYY-MM-DD HH:MM:SS UTC;; got "bad"`)
}

// TestParseLineEnds reads the same file with CRLF and LF line ends.
func TestParseLineEnds(t *testing.T) {
	lf := "Id,Title,Object Type,Description\n1,A,Objective,\"one\ntwo\"\n2,B,Objective,\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	a, b := parse(t, lf), parse(t, crlf)
	for i := range a.Rows {
		if a.Rows[i].Description != b.Rows[i].Description || a.Rows[i].Line != b.Rows[i].Line {
			t.Errorf("row %d: LF %+v, CRLF %+v", i, a.Rows[i], b.Rows[i])
		}
	}
	if got := b.Rows[0].Description; got != "one\ntwo" {
		t.Errorf("description: got %q, want %q", got, "one\ntwo")
	}
	if got := b.Rows[1].Line; got != 4 {
		t.Errorf("line after a quoted line break: got %d, want 4", got)
	}
}

func TestVariantString(t *testing.T) {
	if got := importcsv.VariantOlder.String(); got != "older" {
		t.Errorf("got %q", got)
	}
	var buf bytes.Buffer
	buf.WriteString(importcsv.VariantCurrent.String())
	if buf.String() != "current" {
		t.Errorf("got %q", buf.String())
	}
}
