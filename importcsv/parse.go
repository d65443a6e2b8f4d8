package importcsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/goalpost/goalpost"
)

// Limits of a file.
const (
	// MaxRows is the most data rows (records after the header) a file may have.
	MaxRows = 1_000_000
	// MaxFieldBytes is the most bytes one field may have, after unquoting.
	MaxFieldBytes = 1 << 20
)

// maxRows is MaxRows, lowered by tests.
var maxRows = MaxRows

// Variant is the shape of a file's header.
type Variant int

// Header variants.
const (
	// VariantCurrent is the header of the 2025 Explorer exports, which
	// csvexport writes: the kind in "Object Type", in the organization's
	// words.
	VariantCurrent Variant = iota
	// VariantOlder is the header of the 2023–24 exports: the kind in
	// "OKR type" (in English) and the organization's word for it in
	// "Type name".
	VariantOlder
)

// String returns "current" or "older".
func (v Variant) String() string {
	switch v {
	case VariantCurrent:
		return "current"
	case VariantOlder:
		return "older"
	}
	return fmt.Sprintf("Variant(%d)", int(v))
}

// Names of the columns the parser treats specially.
const (
	colNameID         = "Id"
	colNameTitle      = "Title"
	colNameObjectType = "Object Type"
	colNameCheckins   = "Checkins"
	colNameOKRType    = "OKR type"
	colNameTypeName   = "Type name"
)

// colKind is what a column holds.
type colKind uint8

const (
	colUnknown colKind = iota
	colID
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
	colCheckins
	colOverflow // a header-less check-in column after Checkins
	colTag      // "Tag": tags joined with ", "
	colTagEach  // "Tag: <name>": one tag
	colOKRType  // older variant: the kind in English
	colTypeName // older variant: the organization's word for the kind
	numColKinds
)

// namedKinds maps each column name, lower-cased, to its kind and the
// canonical name. Names match ignoring case.
var namedKinds = func() map[string]namedKind {
	kinds := []colKind{
		colID, colTitle, colTeam, colCreator, colOwner, colPeriod, colStartDate, colEndDate, colDescription,
		colAligned, colMetricName, colUnit, colTarget, colObjectType, colGoalType, colStart, colCreatedAt,
		colLastCheckIn, colProgress, colActual, colStatus, colLastNote, colScore, colCheckins,
	}
	if len(kinds) != len(goalpost.DefaultColumns) {
		panic("importcsv: the column kinds do not match goalpost.DefaultColumns")
	}
	m := make(map[string]namedKind, len(kinds)+3)
	for i, name := range goalpost.DefaultColumns {
		m[strings.ToLower(name)] = namedKind{kinds[i], name}
	}
	m[strings.ToLower(goalpost.TagColumnName)] = namedKind{colTag, goalpost.TagColumnName}
	m[strings.ToLower(colNameOKRType)] = namedKind{colOKRType, colNameOKRType}
	m[strings.ToLower(colNameTypeName)] = namedKind{colTypeName, colNameTypeName}
	return m
}()

type namedKind struct {
	kind  colKind
	canon string
}

// expectColumns lists the known column names for the unknown-column error.
var expectColumns = "expected one of " + strings.Join(goalpost.DefaultColumns, ", ") +
	", Tag, Tag: <name>, " + colNameOKRType + ", " + colNameTypeName

// column is one cell position of the header.
type column struct {
	kind  colKind
	name  string // as messages name it: the header cell, or "Checkins (overflow n)"
	canon string // the canonical name of a named column
	tag   string // colTagEach: the tag
}

// File is a parsed Explorer CSV: its header and one Row per item. Build
// turns it into a dataset.
type File struct {
	// Header is the header row as written (without a byte order mark),
	// overflow cells included.
	Header []string
	// Rows are the records after the header, in file order. Records whose
	// cells are all empty are skipped.
	Rows []*Row
	// Variant is the header's variant.
	Variant Variant
	// TagMode is how the file writes tags: TagsNone without tag columns,
	// TagsOneColumn with a "Tag" column, TagsPerColumn with "Tag: <name>"
	// columns.
	TagMode goalpost.TagMode
	// Tags are the tags of the "Tag: <name>" columns, in header order.
	Tags []string

	cols []column         // one per header cell
	pos  [numColKinds]int // the header index of each single column; -1 when absent
}

// has reports whether the file has a column of kind k.
func (f *File) has(k colKind) bool { return f.pos[k] >= 0 }

// colName returns the header name of the column of kind k.
func (f *File) colName(k colKind) string {
	if i := f.pos[k]; i >= 0 {
		return f.cols[i].name
	}
	return ""
}

// Row is one record of a file: an item as the export shows it, with cells
// read but names (users, teams, period, parents) not yet resolved. A cell
// of a column the file does not have holds its zero value; Build keeps the
// existing item's field then.
type Row struct {
	// Line is the 1-based physical line where the record starts.
	Line int

	ID          int64
	Title       string
	Teams       []string // team names; the Team cell split on "; "
	Creator     string   // display name
	Owners      []string // display names; the Owner cell split on ", " (a repeat is a namesake)
	Period      string
	StartDate   goalpost.Date
	EndDate     goalpost.Date
	Description string
	// AlignedTo are the parents in cell order, titles as the cell writes
	// them.
	AlignedTo []goalpost.AlignedParent
	// MetricName, Unit, Target and Start are the metric cells; a percent
	// metric reads Progress, %, 100, 0.
	MetricName string
	Unit       string
	Target     float64
	Start      float64
	// ObjectType is the Object Type cell (current variant): the
	// organization's word for the kind, resolved by Build.
	ObjectType string
	// Kind is the kind read from OKR type (older variant); empty in the
	// current variant.
	Kind goalpost.ItemKind
	// TypeName is the Type name cell (older variant).
	TypeName    string
	GoalType    goalpost.GoalType // an empty cell is aspirational
	CreatedAt   time.Time         // zero when empty
	LastCheckIn goalpost.Date
	Progress    float64
	Current     float64
	Status      goalpost.Status // an empty cell is not started
	// LastCheckInNote is the Last Check-in Note cell.
	LastCheckInNote string
	Score           *float64 // nil when empty
	Tags            []string
	// CheckIns are the check-in cells, newest first as the file has them.
	CheckIns []goalpost.CheckInCell
}

// errTooLong stops reading a record that has outgrown every field limit.
var errTooLong = errors.New("record too long")

// guard limits how much a record may read before csv.Reader returns it, so
// that a huge field fails without being held in memory whole. Each field is
// checked against MaxFieldBytes once read; the guard is the backstop.
type guard struct {
	r      io.Reader
	read   int64
	offset func() int64 // the input offset of the end of the last record
	limit  int64
}

func (g *guard) Read(p []byte) (int, error) {
	if g.offset != nil && g.read-g.offset() > g.limit {
		return 0, errTooLong
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

// recordLimit is the most bytes a record of width fields may take in the
// file: every field at its limit, every byte a doubled quote.
func recordLimit(width int) int64 { return int64(width+1)*(2*MaxFieldBytes+3) + 64<<10 }

// Parse reads an Explorer CSV: UTF-8 with or without a byte order mark,
// RFC 4180, lines ending CRLF or LF, a header row, then one record per
// item. It checks the header and every cell that can be checked without
// the organization (Build checks the rest) and returns every problem as an
// *goalpost.Error with code EINVALID whose message names the line (the
// physical line where the record starts), the column (its header name, or
// "Checkins (overflow n)" for the n-th header-less column after Checkins)
// and what was expected, for example
//
//	line 7, column "Status": expected one of Not Started, On Track, Behind, At Risk, Closed, Postponed, Reopened; got "Done"
//
// Up to 20 problems are listed, one a line. Malformed CSV and the limits
// (MaxRows, MaxFieldBytes) stop the reading at once. An error reading r is
// returned wrapped, without a code.
func Parse(r io.Reader) (*File, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	g := &guard{r: br, limit: recordLimit(16)}
	cr := csv.NewReader(g)
	cr.FieldsPerRecord = -1
	g.offset = cr.InputOffset

	var p problems
	header, err := cr.Read()
	if err == io.EOF {
		return nil, invalid("line 1: the file is empty; expected a header row")
	}
	if err != nil {
		return nil, readError(err, 1)
	}
	f := &File{Header: header}
	if !f.parseHeader(header, &p) {
		return nil, p.err()
	}
	g.limit = recordLimit(len(header))

	ids := make(map[int64]int) // Id → line
	nextLine := 2              // where the next record starts at the earliest
	for n := 0; ; {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			perr := readError(err, nextLine)
			if goalpost.ErrorCode(perr) != goalpost.EINVALID {
				return nil, perr
			}
			return nil, p.fatal(goalpost.ErrorMessage(perr))
		}
		line, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(rec) - 1)
		nextLine = last + strings.Count(rec[len(rec)-1], "\n") + 1
		if n++; n > maxRows {
			return nil, p.fatal(fmt.Sprintf("line %d: the file has more than %d rows", line, maxRows))
		}
		if i := longField(rec); i >= 0 {
			name := fmt.Sprintf("field %d", i+1)
			if i < len(f.cols) || f.checkinsLast() {
				name = fmt.Sprintf("column %q", f.cellName(i))
			}
			return nil, p.fatal(fmt.Sprintf("line %d, %s: the field is longer than %d bytes", line, name, MaxFieldBytes))
		}
		if allEmpty(rec) {
			continue
		}
		row := f.parseRow(rec, line, &p)
		if row.ID > 0 {
			if first, dup := ids[row.ID]; dup {
				p.add(line, f.colName(colID), "duplicate Id %d, first on line %d", row.ID, first)
			} else {
				ids[row.ID] = line
			}
		}
		f.Rows = append(f.Rows, row)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return f, nil
}

// readError turns an error of csv.Reader into the error Parse returns.
// line is where the failing record starts at the earliest.
func readError(err error, line int) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errTooLong):
		return invalid("line %d: a field is longer than %d bytes", line, MaxFieldBytes)
	case errors.As(err, &pe):
		return invalid("line %d: malformed CSV: %v (line %d, byte %d)", pe.StartLine, pe.Err, pe.Line, pe.Column)
	}
	return fmt.Errorf("read csv: %w", err)
}

// longField returns the index of the first field longer than
// MaxFieldBytes, or -1.
func longField(rec []string) int {
	for i, s := range rec {
		if len(s) > MaxFieldBytes {
			return i
		}
	}
	return -1
}

func allEmpty(rec []string) bool {
	for _, s := range rec {
		if s != "" {
			return false
		}
	}
	return true
}

// cellName names the i-th cell of a record for messages, also beyond the
// header when Checkins ends it.
func (f *File) cellName(i int) string {
	if i < len(f.cols) {
		return f.cols[i].name
	}
	return f.overflowName(i)
}

// overflowName names the i-th cell as a check-in overflow column.
func (f *File) overflowName(i int) string {
	return fmt.Sprintf("%s (overflow %d)", colNameCheckins, i-f.pos[colCheckins])
}

// parseHeader reads the header row into f's column plan. It reports
// whether the header is usable.
func (f *File) parseHeader(header []string, p *problems) bool {
	for k := range f.pos {
		f.pos[k] = -1
	}
	f.cols = make([]column, len(header))
	first := make(map[string]int) // canonical or tag column name → 1-based position
	overflow := false             // in the run of empty cells after Checkins
	for i, name := range header {
		c := column{name: name}
		switch nk, known := namedKinds[strings.ToLower(name)]; {
		case name == "":
			if !overflow {
				p.add(1, "", `column %d has no name; only the check-in overflow columns right after "Checkins" may have none`, i+1)
				continue
			}
			c.kind = colOverflow
			c.name = f.overflowName(i)
		case known:
			c.kind, c.canon = nk.kind, nk.canon
		case len(name) >= len(goalpost.TagColumnPrefix) && strings.EqualFold(name[:len(goalpost.TagColumnPrefix)], goalpost.TagColumnPrefix):
			c.kind = colTagEach
			c.tag = name[len(goalpost.TagColumnPrefix):]
			c.canon = goalpost.TagColumnPrefix + c.tag
			if c.tag == "" {
				p.add(1, name, `expected a tag name after "Tag: "`)
				continue
			}
		default:
			p.add(1, name, "unknown column; %s", expectColumns)
			continue
		}
		overflow = c.kind == colCheckins || c.kind == colOverflow
		f.cols[i] = c
		if c.kind == colOverflow {
			continue
		}
		if j, dup := first[c.canon]; dup {
			p.add(1, name, "the column is named twice, as columns %d and %d", j, i+1)
			continue
		}
		first[c.canon] = i + 1
		if c.kind == colTagEach {
			f.Tags = append(f.Tags, c.tag)
		} else {
			f.pos[c.kind] = i
		}
	}
	if f.has(colTag) && len(f.Tags) > 0 {
		p.add(1, f.colName(colTag), `a file has one "Tag" column or "Tag: <name>" columns, not both`)
	}
	switch {
	case f.has(colTag):
		f.TagMode = goalpost.TagsOneColumn
	case len(f.Tags) > 0:
		f.TagMode = goalpost.TagsPerColumn
	}
	if f.has(colOKRType) {
		f.Variant = VariantOlder
		if f.has(colObjectType) {
			p.add(1, f.colName(colOKRType), `a file has "Object Type" or "OKR type", not both`)
		}
	} else if f.has(colTypeName) {
		p.add(1, f.colName(colTypeName), `the column belongs to the older variant, which also has "OKR type"`)
	}
	for _, req := range []struct {
		kind colKind
		name string
	}{{colID, colNameID}, {colTitle, colNameTitle}, {colObjectType, colNameObjectType}} {
		if f.has(req.kind) || req.kind == colObjectType && f.has(colOKRType) {
			continue
		}
		name := fmt.Sprintf("%q", req.name)
		if req.kind == colObjectType {
			name += ` (or "OKR type" and "Type name")`
		}
		p.add(1, "", "missing required column %s", name)
	}
	return !p.any()
}

// parseRow reads one record. Problems go to p; the row holds what could
// be read.
func (f *File) parseRow(rec []string, line int, p *problems) *Row {
	row := &Row{Line: line, Status: goalpost.StatusNotStarted, GoalType: goalpost.GoalAspirational}
	width := len(rec)
	if width > len(f.cols) {
		if !f.checkinsLast() {
			p.add(line, "", "the record has %d fields, the header %d", width, len(f.cols))
			width = len(f.cols)
		}
	}
	for i := range max(width, len(f.cols)) {
		cell := ""
		if i < len(rec) {
			cell = rec[i]
		}
		c := column{kind: colOverflow}
		if i < len(f.cols) {
			c = f.cols[i]
		} else if i >= width {
			continue
		} else {
			c.name = f.overflowName(i)
		}
		f.parseCell(row, c, cell, p)
	}
	if row.Score != nil && f.has(colStatus) && row.Status != goalpost.StatusClosed {
		p.add(line, f.colName(colScore), "expected an empty cell, the status is not Closed; got %s", quote(csvNumber(*row.Score)))
	}
	return row
}

// checkinsLast reports whether Checkins and its overflow columns end the
// header, so that a longer record holds further check-ins.
func (f *File) checkinsLast() bool {
	last := f.cols[len(f.cols)-1].kind
	return last == colCheckins || last == colOverflow
}

// parseCell reads one cell into row.
func (f *File) parseCell(row *Row, c column, cell string, p *problems) {
	line := row.Line
	bad := func(expected string) { p.add(line, c.name, "%s; got %s", expected, quote(cell)) }
	number := func(dst *float64) {
		if cell == "" {
			*dst = 0
			return
		}
		v, ok := parseNumber(cell)
		if !ok {
			bad(expectNumber)
			return
		}
		*dst = v
	}
	date := func(dst *goalpost.Date) {
		v, ok := parseDate(cell)
		if !ok {
			bad(expectDate)
			return
		}
		*dst = v
	}
	var ok bool
	switch c.kind {
	case colID:
		if row.ID, ok = parseID(cell); !ok {
			bad(expectID)
		}
	case colTitle:
		if strings.TrimSpace(cell) == "" {
			bad("expected a title")
		}
		row.Title = cell
	case colTeam:
		row.Teams = splitList(cell, "; ")
	case colCreator:
		row.Creator = cell
	case colOwner:
		row.Owners = splitNames(cell)
	case colPeriod:
		row.Period = cell
	case colStartDate:
		date(&row.StartDate)
	case colEndDate:
		date(&row.EndDate)
	case colDescription:
		row.Description = cell
	case colAligned:
		if row.AlignedTo, ok = parseAligned(cell); !ok {
			bad(expectAligned)
			break
		}
		seen := make(map[int64]bool, len(row.AlignedTo))
		for _, a := range row.AlignedTo {
			switch {
			case a.Weight < 0 || a.Weight > 100:
				p.add(line, c.name, "expected a weight from 0 to 100 %%; got %s for parent Id %d", quote(csvNumber(a.Weight)+"%"), a.ID)
			case seen[a.ID]:
				p.add(line, c.name, "parent Id %d is named twice", a.ID)
			}
			seen[a.ID] = true
		}
	case colMetricName:
		row.MetricName = cell
	case colUnit:
		row.Unit = cell
	case colTarget:
		number(&row.Target)
	case colStart:
		number(&row.Start)
	case colObjectType:
		row.ObjectType = cell
	case colOKRType:
		if row.Kind, ok = parseOKRType(cell); !ok {
			bad(expectOKRType)
		}
	case colTypeName:
		row.TypeName = cell
	case colGoalType:
		if row.GoalType, ok = parseGoalType(cell); !ok {
			bad(expectGoalType)
		}
	case colCreatedAt:
		if row.CreatedAt, ok = parseTimestamp(cell); !ok {
			bad(expectTimestamp)
		}
	case colLastCheckIn:
		date(&row.LastCheckIn)
	case colProgress:
		number(&row.Progress)
		if row.Progress < 0 || row.Progress > 100 {
			bad("expected a number from 0 to 100")
		}
	case colActual:
		number(&row.Current)
	case colStatus:
		if cell == "" {
			row.Status = goalpost.StatusNotStarted
		} else if row.Status, ok = parseStatus(cell); !ok {
			bad(expectStatus)
		}
	case colLastNote:
		row.LastCheckInNote = cell
	case colScore:
		if cell == "" {
			break
		}
		v, ok := parseNumber(cell)
		if !ok || v < 0 || v > 1 {
			bad("expected a score from 0 to 1")
			break
		}
		row.Score = &v
	case colCheckins, colOverflow:
		if cell == "" {
			break
		}
		ci, expected, got := parseCheckIn(cell)
		if expected != "" {
			p.add(line, c.name, "%s; got %s", expected, quote(got))
			break
		}
		row.CheckIns = append(row.CheckIns, ci)
	case colTag:
		row.Tags = splitList(cell, ", ")
	case colTagEach:
		switch {
		case cell == "":
		case cell == c.tag || strings.EqualFold(cell, "x"):
			row.Tags = append(row.Tags, c.tag)
		default:
			bad(fmt.Sprintf(`expected an empty cell, "x" or %q`, c.tag))
		}
	}
}
