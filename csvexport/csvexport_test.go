package csvexport_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func ptr[T any](v T) *T { return &v }

func date(s string) goalpost.Date { return goalpost.MustParseDate(s) }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixtureRows are Contoso-like items that make every column do its job.
func fixtureRows() []*goalpost.ExportRow {
	return []*goalpost.ExportRow{
		{
			// A root objective: percent metric, two teams, two owners, three
			// check-ins, open with a score set (the Score cell stays empty).
			ID:          2295776,
			Kind:        goalpost.KindObjective,
			Title:       "Grow Contoso's enterprise customer base",
			Description: "Win and keep the customers who matter most in 2025.",
			Teams:       []string{"Sales", "Marketing"},
			Creator:     "Adele Vance",
			Owners:      []string{"Adele Vance", "Megan Bowen"},
			Period:      "Q1 2025",
			StartDate:   date("2025-01-01"),
			EndDate:     date("2025-03-31"),
			GoalType:    goalpost.GoalAspirational,
			CreatedAt:   at("2024-12-15T09:30:00-08:00"), // 17:30 UTC
			LastCheckIn: date("2025-03-10"),
			Progress:    45.5,
			Current:     45.5,
			Status:      goalpost.StatusOnTrack,
			LastNote:    "Pipeline is healthy.",
			Score:       ptr(0.7),
			Tags:        []string{"growth", "sales"},
			CheckIns: []goalpost.CheckInCell{
				{Date: date("2025-03-10"), User: "Megan Bowen", Note: "Pipeline is healthy.", Status: goalpost.StatusOnTrack, Value: 45.5, ActivityAt: at("2025-03-10T20:57:08Z")},
				{Date: date("2025-02-10"), User: "Adele Vance", Note: "Two new logos signed.", Status: goalpost.StatusBehind, Value: 25, ActivityAt: at("2025-02-10T09:05:00+01:00")},
				{Date: date("2025-01-13"), User: "Adele Vance", Note: "", Status: goalpost.StatusNotStarted, Value: 0, ActivityAt: at("2025-01-13T08:00:00Z")},
			},
		},
		{
			// A key result with a named metric, aligned to two parents with
			// weights 14.29% and 85.71%; committed; one check-in.
			ID:          2295777,
			Depth:       1,
			Kind:        goalpost.KindKeyResult,
			Title:       "Increase ARR to $1.5M",
			Description: "Annual recurring revenue from enterprise contracts.",
			Teams:       []string{"Sales"},
			Creator:     "Adele Vance",
			Owners:      []string{"Megan Bowen"},
			Period:      "Q1 2025",
			StartDate:   date("2025-01-01"),
			EndDate:     date("2025-03-31"),
			AlignedTo: []goalpost.AlignedParent{
				{ID: 2295776, Title: "Grow Contoso's enterprise customer base", Weight: 100.0 / 7},
				{ID: 2295780, Title: "Expand into APAC", Weight: 600.0 / 7},
			},
			Metric:      goalpost.Metric{Name: "ARR", Unit: "$", Start: 1000000, Target: 1500000, Direction: goalpost.DirectionIncreaseFrom},
			GoalType:    goalpost.GoalCommitted,
			CreatedAt:   at("2024-12-16T10:00:00Z"),
			LastCheckIn: date("2025-03-03"),
			Progress:    50,
			Current:     1250000,
			Status:      goalpost.StatusBehind,
			LastNote:    "Two deals slipped to April.",
			Tags:        []string{"sales"},
			CheckIns: []goalpost.CheckInCell{
				{Date: date("2025-03-03"), User: "Megan Bowen", Note: "Two deals slipped to April.", Status: goalpost.StatusBehind, Value: 1250000, ActivityAt: at("2025-03-03T16:42:11Z")},
			},
		},
		{
			// An initiative without dates, check-ins or goal type, aligned 50%.
			ID:        2295778,
			Depth:     2,
			Kind:      goalpost.KindInitiative,
			Title:     "Launch the partner referral programme",
			Teams:     nil,
			Creator:   "Megan Bowen",
			Owners:    nil,
			Period:    "Q1 2025",
			AlignedTo: []goalpost.AlignedParent{{ID: 2295777, Title: "Increase ARR to $1.5M", Weight: 50}},
			CreatedAt: at("2025-01-05T00:00:00Z"),
			Status:    goalpost.StatusNotStarted,
		},
		{
			// A closed key result with a score, a metric starting below zero,
			// aligned with weight 0%.
			ID:          2295779,
			Depth:       1,
			Kind:        goalpost.KindKeyResult,
			Title:       "Raise NPS above 40",
			Description: "Measured by the quarterly survey.",
			Teams:       []string{"Customer Success"},
			Creator:     "Adele Vance",
			Owners:      []string{"Adele Vance"},
			Period:      "Q1 2025",
			StartDate:   date("2025-01-01"),
			EndDate:     date("2025-03-31"),
			AlignedTo:   []goalpost.AlignedParent{{ID: 2295776, Title: "Grow Contoso's enterprise customer base", Weight: 0}},
			Metric:      goalpost.Metric{Name: "NPS", Unit: "number", Start: -2.5, Target: 40, Direction: goalpost.DirectionIncreaseFrom},
			GoalType:    goalpost.GoalAspirational,
			CreatedAt:   at("2024-12-20T14:15:16Z"),
			LastCheckIn: date("2025-03-28"),
			Progress:    100,
			Current:     41.333333,
			Status:      goalpost.StatusClosed,
			LastNote:    "Closed: survey results are in.",
			Score:       ptr(0.8),
			Tags:        []string{"customer"},
			CheckIns: []goalpost.CheckInCell{
				{Date: date("2025-03-28"), User: "Adele Vance", Note: "Closed: survey results are in.", Status: goalpost.StatusClosed, Value: 41.333333, ActivityAt: at("2025-03-28T11:00:00Z")},
			},
		},
		{
			// Everything that needs quoting, and text beyond ASCII.
			ID:          2295781,
			Depth:       0,
			Kind:        goalpost.KindObjective,
			Title:       `  Ship "Contoso Mobile", v2  `,
			Description: "Line one\r\nLine two, with a comma\nLine \"three\"\rOld-Mac line",
			Teams:       []string{"Mobile; iOS", "モバイル"},
			Creator:     "Zoë Müller",
			Owners:      []string{"Zoë Müller", "李雷"},
			Period:      "H1 2025",
			StartDate:   date("2025-01-01"),
			EndDate:     date("2025-06-30"),
			Metric:      goalpost.Metric{Name: "Crash-free sessions", Unit: "%", Start: 97.5, Target: 99.9, Direction: goalpost.DirectionIncreaseFrom},
			GoalType:    goalpost.GoalCommitted,
			CreatedAt:   at("2025-01-02T23:59:59-05:00"), // the next day in UTC
			LastCheckIn: date("2025-03-11"),
			Progress:    -0.001,
			Current:     99.125,
			Status:      goalpost.StatusAtRisk,
			LastNote:    "目標: 顧客満足度を上げる 🚀\r\nSee \"crash report\", p. 2",
			Score:       ptr(1.0),
			Tags:        []string{"mobile, apps", "🚀 launch"},
			CheckIns: []goalpost.CheckInCell{
				{Date: date("2025-03-11"), User: "李雷", Note: "目標: 顧客満足度を上げる 🚀\r\nSee \"crash report\", p. 2", Status: goalpost.StatusAtRisk, Value: 99.125, ActivityAt: at("2025-03-11T07:08:09+08:00")},
			},
		},
		{
			// A closed item with a perfect score and a percent metric.
			ID:          2295782,
			Depth:       1,
			Kind:        goalpost.KindKeyResult,
			Title:       "Publish the mobile roadmap",
			Teams:       []string{"Mobile; iOS"},
			Creator:     "Zoë Müller",
			Owners:      []string{"Zoë Müller"},
			Period:      "H1 2025",
			StartDate:   date("2025-01-01"),
			EndDate:     date("2025-02-28"),
			AlignedTo:   []goalpost.AlignedParent{{ID: 2295781, Title: `  Ship "Contoso Mobile", v2  `, Weight: 100}},
			CreatedAt:   at("2025-01-03T12:00:00Z"),
			LastCheckIn: date("2025-02-27"),
			Progress:    100,
			Current:     100,
			Status:      goalpost.StatusClosed,
			LastNote:    "Done.",
			Score:       ptr(1.0),
			CheckIns: []goalpost.CheckInCell{
				{Date: date("2025-02-27"), User: "Zoë Müller", Note: "Done.", Status: goalpost.StatusClosed, Value: 100, ActivityAt: at("2025-02-27T17:30:00Z")},
			},
		},
	}
}

// headerFor returns the header an export of rows would have.
func headerFor(rows []*goalpost.ExportRow) goalpost.ExportHeader {
	var h goalpost.ExportHeader
	for _, r := range rows {
		h.MaxCheckIns = max(h.MaxCheckIns, len(r.CheckIns))
		h.Tags = append(h.Tags, r.Tags...)
	}
	slices.Sort(h.Tags)
	h.Tags = slices.Compact(h.Tags)
	return h
}

// export writes rows with term and s and returns the CSV and the columns.
func export(tb testing.TB, term goalpost.Terminology, s goalpost.ExportSettings, h goalpost.ExportHeader, rows []*goalpost.ExportRow) ([]byte, []string) {
	tb.Helper()
	var buf bytes.Buffer
	w, err := csvexport.New(&buf, term, s)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	if err := w.Begin(h); err != nil {
		tb.Fatalf("Begin: %v", err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			tb.Fatalf("Row %d: %v", r.ID, err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatalf("Flush: %v", err)
	}
	return buf.Bytes(), w.Columns()
}

type goldenCase struct {
	name string
	term goalpost.Terminology
	set  goalpost.ExportSettings
	head func(rows []*goalpost.ExportRow) goalpost.ExportHeader
	rows func() []*goalpost.ExportRow
}

var goldenCases = []goldenCase{
	{
		// Every default column; check-ins 3, 1 and 0 per row.
		name: "default",
		term: goalpost.DefaultTerminology,
	},
	{
		name: "terminology",
		term: goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"},
		set:  goalpost.ExportSettings{Columns: []string{"Id", "Title", "Object Type", "Goal Type"}},
	},
	{
		name: "subset",
		term: goalpost.DefaultTerminology,
		set:  goalpost.ExportSettings{Columns: []string{"Status", "Checkins", "Title", "Id", "Progress %", "Score"}},
	},
	{
		// No check-in anywhere: Checkins is still one (empty) column.
		name: "no_checkins",
		term: goalpost.DefaultTerminology,
		set:  goalpost.ExportSettings{Columns: []string{"Id", "Title", "Checkins", "Status"}},
		rows: func() []*goalpost.ExportRow {
			rows := fixtureRows()
			for _, r := range rows {
				r.CheckIns = nil
			}
			return rows
		},
	},
	{
		// More check-in columns than any row fills.
		name: "checkins_padded",
		term: goalpost.DefaultTerminology,
		set:  goalpost.ExportSettings{Columns: []string{"Id", "Checkins"}},
		head: func(rows []*goalpost.ExportRow) goalpost.ExportHeader {
			h := headerFor(rows)
			h.MaxCheckIns = 4
			return h
		},
	},
	{
		name: "tags_column",
		term: goalpost.DefaultTerminology,
		set:  goalpost.ExportSettings{Columns: []string{"Id", "Title", "Owner"}, Tags: goalpost.TagsOneColumn},
	},
	{
		name: "tags_per_tag",
		term: goalpost.DefaultTerminology,
		set:  goalpost.ExportSettings{Columns: []string{"Id", "Title", "Status"}, Tags: goalpost.TagsPerColumn},
	},
	{
		// Without Title the tag columns come first.
		name: "tags_no_title",
		term: goalpost.DefaultTerminology,
		set:  goalpost.ExportSettings{Columns: []string{"Id", "Status"}, Tags: goalpost.TagsPerColumn},
	},
	{
		// Columns may place "Tag" themselves.
		name: "tags_placed",
		term: goalpost.DefaultTerminology,
		set:  goalpost.ExportSettings{Columns: []string{"Id", "Title", "Status", "Tag"}},
	},
}

func (c goldenCase) run(tb testing.TB) ([]byte, []string, []*goalpost.ExportRow) {
	rows := fixtureRows()
	if c.rows != nil {
		rows = c.rows()
	}
	head := headerFor
	if c.head != nil {
		head = c.head
	}
	out, cols := export(tb, c.term, c.set, head(rows), rows)
	return out, cols, rows
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			got, _, _ := c.run(t)
			path := filepath.Join("testdata", c.name+".csv")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./csvexport -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := bytes.Split(got, []byte("\r\n")), bytes.Split(want, []byte("\r\n"))
				for i := range max(len(gl), len(wl)) {
					var g, w []byte
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if !bytes.Equal(g, w) {
						t.Fatalf("%s differs at line %d:\n got: %q\nwant: %q", path, i+1, g, w)
					}
				}
				t.Fatalf("%s differs", path)
			}
		})
	}
}

// TestParseBack reads every export back with encoding/csv: every record has
// as many fields as the header, and the columns match Columns.
func TestParseBack(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			out, cols, rows := c.run(t)
			if bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
				t.Error("export starts with a BOM")
			}
			if !bytes.HasSuffix(out, []byte("\r\n")) {
				t.Error("export does not end with CRLF")
			}
			r := csv.NewReader(bytes.NewReader(out))
			r.FieldsPerRecord = len(cols)
			records, err := r.ReadAll()
			if err != nil {
				t.Fatalf("read back: %v", err)
			}
			if got, want := len(records), len(rows)+1; got != want {
				t.Fatalf("records: got %d, want %d", got, want)
			}
			if !slices.Equal(records[0], cols) {
				t.Errorf("header: got %q, want Columns %q", records[0], cols)
			}
		})
	}
}

// TestRoundTrip checks that text survives the trip through the CSV.
func TestRoundTrip(t *testing.T) {
	rows := fixtureRows()
	out, cols := export(t, goalpost.DefaultTerminology, goalpost.ExportSettings{}, headerFor(rows), rows)
	records, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int {
		i := slices.Index(cols, name)
		if i < 0 {
			t.Fatalf("no column %q in %q", name, cols)
		}
		return i
	}
	rec := records[5] // the quoting row
	// encoding/csv reads a quoted CRLF as LF; a lone CR was written as a line break.
	for _, tc := range []struct{ col, want string }{
		{"Title", `  Ship "Contoso Mobile", v2  `},
		{"Description", "Line one\nLine two, with a comma\nLine \"three\"\nOld-Mac line"},
		{"Team", "Mobile; iOS; モバイル"},
		{"Owner", "Zoë Müller, 李雷"},
		{"Last Check-in Note", "目標: 顧客満足度を上げる 🚀\nSee \"crash report\", p. 2"},
		{"Created At", "2025-01-03 04:59:59 UTC"},
		{"Progress %", "0"},
		{"Actual Progress", "99.13"},
		{"Score", ""},
		{"Checkins", "Checkin Date: 2025-03-11; User: 李雷; Note: 目標: 顧客満足度を上げる 🚀\nSee \"crash report\", p. 2; Metric Name: Crash-free sessions; Status: At Risk; Current Value: 99.13%; Activity Date: 2025-03-10 23:08:09 UTC;"},
	} {
		if got := rec[col(tc.col)]; got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.col, got, tc.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{50, "50"},
		{100, "100"},
		{100.0 / 7, "14.29"},
		{600.0 / 7, "85.71"},
		{100.0 / 3, "33.33"},
		{0.8, "0.8"},
		{1, "1"},
		{-2.5, "-2.5"},
		{-0.001, "0"},
		{-0.004999, "0"},
		{-0.005001, "-0.01"},
		{0.999, "1"},
		{1500000, "1500000"},
		{1e21, "1000000000000000000000"},
		{123456.789, "123456.79"},
		{-1500000.5, "-1500000.5"},
		// Exact ties round half away from zero; near-ties by their exact value.
		{0.125, "0.13"},
		{-0.125, "-0.13"},
		{99.125, "99.13"},
		{2.375, "2.38"},
		{-7.625, "-7.63"},
		{1.875, "1.88"},
		{0.25, "0.25"},
		{1.005, "1"},    // 1.00499999999999989…
		{2.675, "2.67"}, // 2.67499999999999982…
		{1<<50 + 0.25, "1125899906842624.25"},
	} {
		if got := csvexport.FormatNumber(tc.in); got != tc.want {
			t.Errorf("FormatNumber(%v): got %q, want %q", tc.in, got, tc.want)
		}
	}
	// Negative zero has no sign either.
	if got := csvexport.FormatNumber(negZero()); got != "0" {
		t.Errorf("FormatNumber(-0): got %q, want %q", got, "0")
	}
}

func negZero() float64 {
	z := 0.0
	return -z
}

func TestNewRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  goalpost.ExportSettings
		want string // in the message
	}{
		{"unknown", goalpost.ExportSettings{Columns: []string{"Id", "Titel"}}, `"Titel"`},
		{"case", goalpost.ExportSettings{Columns: []string{"id"}}, `"id"`},
		{"empty name", goalpost.ExportSettings{Columns: []string{"Id", ""}}, `""`},
		{"duplicate", goalpost.ExportSettings{Columns: []string{"Id", "Title", "Id"}}, `"Id"`},
		{"duplicate tag", goalpost.ExportSettings{Columns: []string{"Tag", "Id", "Tag"}}, `"Tag"`},
		{"per-tag name", goalpost.ExportSettings{Columns: []string{"Tag: sales"}}, `"Tag: sales"`},
		{"tag mode", goalpost.ExportSettings{Tags: "everywhere"}, `"everywhere"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := csvexport.New(io.Discard, goalpost.DefaultTerminology, tc.set)
			if err == nil {
				t.Fatalf("got a writer with columns %q, want an error", w.Columns())
			}
			if got := goalpost.ErrorCode(err); got != goalpost.EINVALID {
				t.Errorf("code: got %q, want %q", got, goalpost.EINVALID)
			}
			if msg := goalpost.ErrorMessage(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q does not name %s", msg, tc.want)
			}
		})
	}
}

func TestColumns(t *testing.T) {
	w, err := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Columns(); got != nil {
		t.Errorf("before Begin: got %q, want nil", got)
	}
	if err := w.Begin(goalpost.ExportHeader{MaxCheckIns: 2}); err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(goalpost.DefaultColumns), "")
	if got := w.Columns(); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRowErrors(t *testing.T) {
	row := fixtureRows()[0] // three check-ins, tags growth and sales

	t.Run("before begin", func(t *testing.T) {
		w, _ := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{})
		if err := w.Row(row); err == nil {
			t.Error("Row before Begin: got no error")
		}
	})
	t.Run("begin twice", func(t *testing.T) {
		w, _ := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{})
		if err := w.Begin(goalpost.ExportHeader{}); err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(goalpost.ExportHeader{}); err == nil {
			t.Error("second Begin: got no error")
		}
	})
	t.Run("check-in overflow", func(t *testing.T) {
		w, _ := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{})
		if err := w.Begin(goalpost.ExportHeader{MaxCheckIns: 2}); err != nil {
			t.Fatal(err)
		}
		if err := w.Row(row); err == nil {
			t.Error("3 check-ins under a header of 2: got no error")
		}
	})
	t.Run("check-ins not exported", func(t *testing.T) {
		w, _ := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{Columns: []string{"Id"}})
		if err := w.Begin(goalpost.ExportHeader{}); err != nil {
			t.Fatal(err)
		}
		if err := w.Row(row); err != nil {
			t.Errorf("check-ins without a Checkins column: %v", err)
		}
	})
	t.Run("tag not in header", func(t *testing.T) {
		w, _ := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{Tags: goalpost.TagsPerColumn})
		if err := w.Begin(goalpost.ExportHeader{MaxCheckIns: 3, Tags: []string{"growth"}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Row(row); err == nil {
			t.Error("tag missing from the header: got no error")
		}
	})
}

// failWriter fails every write.
type failWriter struct{}

var errDiskFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteError(t *testing.T) {
	w, err := csvexport.New(failWriter{}, goalpost.DefaultTerminology, goalpost.ExportSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Begin(goalpost.ExportHeader{MaxCheckIns: 3}); err != nil {
		t.Fatal(err) // buffered: nothing written yet
	}
	row := fixtureRows()[0]
	for i := 0; i < 10000 && err == nil; i++ {
		err = w.Row(row) // fails once the buffer fills
	}
	if !errors.Is(err, errDiskFull) {
		t.Errorf("Row: got %v, want %v", err, errDiskFull)
	}
	if err := w.Flush(); !errors.Is(err, errDiskFull) {
		t.Errorf("Flush: got %v, want %v", err, errDiskFull)
	}
	if err := w.Row(row); !errors.Is(err, errDiskFull) {
		t.Errorf("Row after an error: got %v, want %v", err, errDiskFull)
	}
}

// TestMemoryFlat writes 200,000 rows and checks that the heap in use after
// 200,000 rows is about what it was after 10,000: the writer streams.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200,000 rows")
	}
	rows := fixtureRows()
	w, err := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{Tags: goalpost.TagsPerColumn})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Begin(headerFor(rows)); err != nil {
		t.Fatal(err)
	}
	write := func(from, to int) {
		for i := from; i < to; i++ {
			r := rows[i%len(rows)]
			r.ID = int64(i) // vary the composed text a little
			if err := w.Row(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	write(0, 10_000)
	small := heap()
	write(10_000, 200_000)
	large := heap()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(w)
	t.Logf("heap in use: %d KiB after 10k rows, %d KiB after 200k rows", small>>10, large>>10)
	// A writer that kept its rows would hold well over 50 MiB by now; allow
	// 2 MiB of noise from the runtime and the test framework.
	const slack = 2 << 20
	if large > small+slack {
		t.Errorf("heap in use grew from %d to %d bytes between 10k and 200k rows", small, large)
	}
}

func BenchmarkRow(b *testing.B) {
	rows := fixtureRows()
	w, err := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{Tags: goalpost.TagsOneColumn})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Begin(headerFor(rows)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := w.Row(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
}
