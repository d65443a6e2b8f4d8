// Package csvexport writes an export as the Explorer CSV that Viva Goals
// produced: UTF-8, RFC 4180 with CRLF line ends, a header row, then one
// record per item. The format is described in DOMAIN.md ("The export CSV").
package csvexport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goalpost/goalpost"
)

// Column names that the writer treats specially.
const (
	checkinsColumn = "Checkins"
	titleColumn    = "Title"
)

// bufferSize is the size of the buffer between the CSV encoder and the
// destination: big enough that a blob writer sees few, large writes.
const bufferSize = 64 << 10

// Compile-time check that Writer is an export sink.
var _ goalpost.ExportSink = (*Writer)(nil)

// colKind is what a column shows.
type colKind uint8

const (
	colID colKind = iota
	colTitle
	colTeam
	colCreator
	colOwner
	colPeriod
	colStartDate
	colEndDate
	colDescription
	colAligned
	colMetricName
	colUnit
	colTarget
	colObjectType
	colGoalType
	colStart
	colCreatedAt
	colLastCheckIn
	colProgress
	colActual
	colStatus
	colLastNote
	colScore
	colCheckins // max(1, MaxCheckIns) cells
	colTag      // TagsOneColumn: one cell
	colTagEach  // TagsPerColumn: one cell per tag of the header
)

// columnKinds maps each of goalpost.DefaultColumns to what it shows.
var columnKinds = map[string]colKind{
	"Id":                                colID,
	"Title":                             colTitle,
	"Team":                              colTeam,
	"Creator":                           colCreator,
	"Owner":                             colOwner,
	"Period":                            colPeriod,
	"Start Date":                        colStartDate,
	"End Date":                          colEndDate,
	"Description":                       colDescription,
	"Aligned To (weight, Objective ID)": colAligned,
	"Metric Name":                       colMetricName,
	"Unit":                              colUnit,
	"Target":                            colTarget,
	"Object Type":                       colObjectType,
	"Goal Type":                         colGoalType,
	"Start":                             colStart,
	"Created At":                        colCreatedAt,
	"Last Check-in":                     colLastCheckIn,
	"Progress %":                        colProgress,
	"Actual Progress":                   colActual,
	"Status":                            colStatus,
	"Last Check-in Note":                colLastNote,
	"Score":                             colScore,
	"Checkins":                          colCheckins,
}

// Writer writes an export as the Explorer CSV. It implements
// goalpost.ExportSink and streams: each Row is encoded and written through a
// bufio.Writer; memory does not grow with the rows.
//
// Call Begin once, then Row for each item, then Flush. A Writer is not safe
// for concurrent use.
type Writer struct {
	term    goalpost.Terminology
	names   []string // the selected columns, in order; "Tag" marks where tag columns go
	tagMode goalpost.TagMode

	csv *csv.Writer

	// Set by Begin.
	begun    bool
	header   []string
	plan     []colKind // one entry per selected column; colCheckins and colTagEach span several cells
	checkins int       // cells of colCheckins
	tagCells map[string]int

	// Reused for every row, so that a row costs one allocation: the string
	// that holds every cell (see rendering).
	record   []string
	scratch  []byte
	rendered rendering

	err error // the first write error; sticky
}

// New returns a Writer that writes to w, naming item kinds with term and
// choosing columns by s. It reports an error when s names a column that is
// not one of goalpost.DefaultColumns (or "Tag", which places the tag columns),
// names a column twice, or has an unknown tag mode.
func New(w io.Writer, term goalpost.Terminology, s goalpost.ExportSettings) (*Writer, error) {
	switch s.Tags {
	case goalpost.TagsNone, goalpost.TagsOneColumn, goalpost.TagsPerColumn:
	default:
		return nil, goalpost.Errorf(goalpost.EINVALID, "unknown export tag mode %q", s.Tags)
	}
	names := s.Columns
	if len(names) == 0 {
		names = goalpost.DefaultColumns
	}
	seen := make(map[string]bool, len(names))
	tagPlaced := false
	for _, n := range names {
		if _, ok := columnKinds[n]; !ok && n != goalpost.TagColumnName {
			return nil, goalpost.Errorf(goalpost.EINVALID, "unknown export column %q", n)
		}
		if seen[n] {
			return nil, goalpost.Errorf(goalpost.EINVALID, "export column %q is named twice", n)
		}
		seen[n] = true
		tagPlaced = tagPlaced || n == goalpost.TagColumnName
	}
	cols := make([]string, 0, len(names)+1)
	if s.Tags != goalpost.TagsNone && !tagPlaced {
		// Tag columns go right after Title, or first without Title.
		if !seen[titleColumn] {
			cols = append(cols, goalpost.TagColumnName)
		}
		for _, n := range names {
			cols = append(cols, n)
			if n == titleColumn {
				cols = append(cols, goalpost.TagColumnName)
			}
		}
	} else {
		cols = append(cols, names...)
	}
	tagMode := s.Tags
	if tagMode == goalpost.TagsNone {
		// Columns that name "Tag" without a tag mode get the one column.
		tagMode = goalpost.TagsOneColumn
	}
	// csv.NewWriter keeps a *bufio.Writer that is big enough as it is, so
	// this is the only buffer between the encoder and w.
	cw := csv.NewWriter(bufio.NewWriterSize(w, bufferSize))
	cw.UseCRLF = true
	return &Writer{term: term, names: cols, tagMode: tagMode, csv: cw}, nil
}

// Begin writes the header row. It must be called once, before any Row.
func (w *Writer) Begin(h goalpost.ExportHeader) error {
	if w.err != nil {
		return w.err
	}
	if w.begun {
		return errors.New("csvexport: begin called twice")
	}
	w.begun = true
	w.checkins = max(1, h.MaxCheckIns)
	for _, n := range w.names {
		if n == goalpost.TagColumnName {
			if w.tagMode == goalpost.TagsPerColumn {
				w.plan = append(w.plan, colTagEach)
				w.tagCells = make(map[string]int, len(h.Tags))
				for _, t := range h.Tags {
					if _, dup := w.tagCells[t]; dup {
						continue
					}
					w.tagCells[t] = len(w.header)
					w.header = append(w.header, goalpost.TagColumnPrefix+t)
				}
				continue
			}
			w.plan = append(w.plan, colTag)
			w.header = append(w.header, goalpost.TagColumnName)
			continue
		}
		k := columnKinds[n]
		w.plan = append(w.plan, k)
		w.header = append(w.header, n)
		if k == colCheckins {
			for range w.checkins - 1 {
				w.header = append(w.header, "")
			}
		}
	}
	w.record = make([]string, len(w.header))
	return w.write(w.header)
}

// Columns returns the header cells, overflow and per-tag cells included.
// It returns nil before Begin.
func (w *Writer) Columns() []string {
	if !w.begun {
		return nil
	}
	return append([]string(nil), w.header...)
}

// Row writes one item as a record of the export: from r.Rendered when it is
// set (see AppendRendered), from r's fields otherwise.
func (w *Writer) Row(r *goalpost.ExportRow) error {
	if w.err != nil {
		return w.err
	}
	if !w.begun {
		return errors.New("csvexport: row before begin")
	}
	b := r.Rendered
	if b == nil {
		w.scratch = AppendRendered(w.scratch[:0], r)
		b = w.scratch
	}
	rd := &w.rendered
	if err := rd.parse(b); err != nil {
		return fmt.Errorf("csvexport: item %d: %w", r.ID, err)
	}
	cell := 0
	for _, k := range w.plan {
		switch k {
		case colObjectType:
			w.record[cell] = w.term.Word(r.Kind)
		case colCheckins:
			if len(rd.checkIns) > w.checkins {
				return fmt.Errorf("csvexport: item %d has %d check-ins, the header has room for %d", r.ID, len(rd.checkIns), w.checkins)
			}
			n := copy(w.record[cell:cell+w.checkins], rd.checkIns)
			clear(w.record[cell+n : cell+w.checkins])
			cell += w.checkins
			continue
		case colTagEach:
			n := len(w.tagCells)
			clear(w.record[cell : cell+n])
			for _, t := range rd.tags {
				c, ok := w.tagCells[t]
				if !ok {
					return fmt.Errorf("csvexport: item %d has tag %q, which the header does not name", r.ID, t)
				}
				if hasLoneCR(t) {
					t = string(appendText(nil, t))
				}
				w.record[c] = t
			}
			cell += n
			continue
		default:
			w.record[cell] = rd.fixed[renderedCell[k]]
		}
		cell++
	}
	return w.write(w.record)
}

// Flush writes any buffered data to the underlying io.Writer and returns the
// first error met while writing. It must be called at the end of an export.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		w.err = fmt.Errorf("csvexport: flush: %w", err)
	}
	return w.err
}

// write encodes one record, remembering the first error.
func (w *Writer) write(record []string) error {
	if err := w.csv.Write(record); err != nil {
		w.err = fmt.Errorf("csvexport: write: %w", err)
	}
	return w.err
}

// metricName is the Metric Name cell: "Progress" for a percent metric.
func metricName(m goalpost.Metric) string {
	if m.IsPercent() {
		return "Progress"
	}
	return m.Name
}

// metricUnit is the Unit cell: "%" for a percent metric.
func metricUnit(m goalpost.Metric) string {
	if m.IsPercent() {
		return "%"
	}
	return m.Unit
}

// goalTypeLabel is the Goal Type cell; an item without a goal type is
// aspirational.
func goalTypeLabel(g goalpost.GoalType) string {
	switch g {
	case goalpost.GoalCommitted:
		return "Committed Goal"
	case goalpost.GoalAspirational, "":
		return "Aspirational Goal"
	}
	return string(g)
}

// appendCheckIn appends one check-in cell:
//
//	Checkin Date: 2025-03-10; User: Megan Bowen; Note: <text>; Metric Name: Progress; Status: On Track; Current Value: 25%; Activity Date: 2025-03-10 20:57:08 UTC;
func appendCheckIn(b []byte, c *goalpost.CheckInCell, m goalpost.Metric) []byte {
	b = append(b, "Checkin Date: "...)
	b = appendDate(b, c.Date)
	b = append(b, "; User: "...)
	b = appendText(b, c.User)
	b = append(b, "; Note: "...)
	b = appendText(b, c.Note)
	b = append(b, "; Metric Name: "...)
	b = appendText(b, metricName(m))
	b = append(b, "; Status: "...)
	b = appendText(b, c.Status.Label())
	b = append(b, "; Current Value: "...)
	b = appendNumber(b, c.Value)
	if metricUnit(m) == "%" {
		b = append(b, '%')
	}
	b = append(b, "; Activity Date: "...)
	b = appendTimestamp(b, c.ActivityAt)
	b = append(b, ';')
	return b
}

// appendDate appends d as YYYY-MM-DD; nothing for the zero Date.
func appendDate(b []byte, d goalpost.Date) []byte {
	if d.IsZero() {
		return b
	}
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	return appendPadded(b, d.Day, 2)
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v, width int) []byte {
	if v >= 0 {
		digits := 1
		for x := v; x >= 10; x /= 10 {
			digits++
		}
		for ; digits < width; digits++ {
			b = append(b, '0')
		}
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// appendTimestamp appends t in UTC as YYYY-MM-DD HH:MM:SS UTC; nothing for
// the zero time.
func appendTimestamp(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = t.UTC().AppendFormat(b, time.DateTime)
	return append(b, " UTC"...)
}

// FormatNumber formats v as the Explorer CSV writes numbers: rounded to at
// most two decimals (half away from zero), without trailing zeros, never in
// exponent form and never as "-0": 0, 50, 14.29, -2.5, 1500000. NaN and
// infinities print as strconv does ("NaN", "+Inf", "-Inf").
func FormatNumber(v float64) string {
	var buf [32]byte
	return string(appendNumber(buf[:0], v))
}

// tieDecimals are the two decimals of x.125, x.375, x.625 and x.875 rounded
// half away from zero, by eighths.
var tieDecimals = [8]string{1: ".13", 3: ".38", 5: ".63", 7: ".88"}

// appendNumber appends FormatNumber(v) to b.
func appendNumber(b []byte, v float64) []byte {
	// strconv rounds an exact tie to even (99.125 → 99.12); people and
	// spreadsheets round it away from zero. Only multiples of 1/8 can be
	// exact ties at the third decimal.
	a := math.Abs(v)
	if e := (a - math.Trunc(a)) * 8; e == math.Trunc(e) && int(e)%2 == 1 {
		if v < 0 {
			b = append(b, '-')
		}
		b = strconv.AppendFloat(b, math.Trunc(a), 'f', 0, 64)
		return append(b, tieDecimals[int(e)]...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', 2, 64)
	num := b[start:]
	dot := -1
	for i, c := range num {
		if c == '.' {
			dot = i
			break
		}
	}
	if dot < 0 {
		return b // NaN or ±Inf
	}
	end := len(num)
	for end > dot+1 && num[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot
	}
	if end == 2 && num[0] == '-' && num[1] == '0' {
		// A small negative number rounds to zero, which has no sign.
		b[start] = '0'
		return b[:start+1]
	}
	return b[:start+end]
}

// hasLoneCR reports whether s holds a carriage return that does not start a
// CRLF pair.
func hasLoneCR(s string) bool {
	for {
		i := strings.IndexByte(s, '\r')
		if i < 0 {
			return false
		}
		if i+1 == len(s) || s[i+1] != '\n' {
			return true
		}
		s = s[i+2:]
	}
}

// appendText appends s, turning each lone carriage return into a line feed.
// encoding/csv with UseCRLF writes every line feed in a field as CRLF and
// drops every carriage return, so an old-Mac line break ("a\rb") would
// otherwise vanish and join its two lines.
func appendText(b []byte, s string) []byte {
	if !hasLoneCR(s) {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' && (i+1 == len(s) || s[i+1] != '\n') {
			c = '\n'
		}
		b = append(b, c)
	}
	return b
}
