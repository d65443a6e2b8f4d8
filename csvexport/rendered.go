package csvexport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"github.com/goalpost/goalpost"
)

// A rendering is every cell of an item's record that depends only on the
// item: its text as the CSV shows it, before encoding/csv quotes it. The
// Writer builds each record from one (Row renders r's fields first unless
// r.Rendered holds one already), and a store may keep each item's
// rendering (goalpost.RenderedSink), so that an export of kept rows neither
// decodes nor formats a field. What depends on the export is left out: the
// Object Type cell (the organization's terminology) and which cells the
// settings choose and where.
//
// The encoding is renderingVersion, then each of the fixed cells (the order
// of renderedCell), then the number of tags and each tag as it is, then the
// number of check-ins and each check-in cell; every number a uvarint and every cell
// its length as a uvarint and then its bytes.
//
// A change to how any cell is rendered must change renderingVersion, and
// come with a migration of each store that marks every kept row for
// rendering again: a kept rendering of another version is an error, never
// written as it is.
const renderingVersion = 1

// The fixed cells of a rendering, in their order.
const (
	rID = iota
	rTitle
	rTeam
	rCreator
	rOwner
	rPeriod
	rStartDate
	rEndDate
	rDescription
	rAligned
	rMetricName
	rUnit
	rTarget
	rGoalType
	rStart
	rCreatedAt
	rLastCheckIn
	rProgress
	rActual
	rStatus
	rLastNote
	rScore
	rTag // every tag, in one cell
	fixedCells
)

// renderedCell is the fixed cell that each column kind shows.
var renderedCell = [...]int{
	colID:          rID,
	colTitle:       rTitle,
	colTeam:        rTeam,
	colCreator:     rCreator,
	colOwner:       rOwner,
	colPeriod:      rPeriod,
	colStartDate:   rStartDate,
	colEndDate:     rEndDate,
	colDescription: rDescription,
	colAligned:     rAligned,
	colMetricName:  rMetricName,
	colUnit:        rUnit,
	colTarget:      rTarget,
	colGoalType:    rGoalType,
	colStart:       rStart,
	colCreatedAt:   rCreatedAt,
	colLastCheckIn: rLastCheckIn,
	colProgress:    rProgress,
	colActual:      rActual,
	colStatus:      rStatus,
	colLastNote:    rLastNote,
	colScore:       rScore,
	colTag:         rTag,
}

// TakesRendered reports that w takes rows as renderings: it implements
// goalpost.RenderedSink.
func (w *Writer) TakesRendered() bool { return true }

// AppendRendered appends the rendering of r (see rendering) to b: what a
// store keeps as an item's rendering and passes back in
// goalpost.ExportRow.Rendered. r.Rendered itself is ignored.
func AppendRendered(b []byte, r *goalpost.ExportRow) []byte {
	b = append(b, renderingVersion)
	// Each cell is appended after a placeholder length byte, which is
	// then set, or widened when the cell is 128 bytes or longer.
	start := 0
	open := func() { b = append(b, 0); start = len(b) }
	closeCell := func() {
		n := len(b) - start
		if n < 0x80 {
			b[start-1] = byte(n)
			return
		}
		var lenBuf [binary.MaxVarintLen64]byte
		l := binary.PutUvarint(lenBuf[:], uint64(n))
		b = append(b, lenBuf[1:l]...) // room for the extra length bytes
		copy(b[start+l-1:], b[start:start+n])
		copy(b[start-1:], lenBuf[:l])
	}
	text := func(s string) { open(); b = appendText(b, s); closeCell() }
	join := func(a []string, sep string) {
		open()
		for i, s := range a {
			if i > 0 {
				b = append(b, sep...)
			}
			b = appendText(b, s)
		}
		closeCell()
	}
	number := func(v float64) { open(); b = appendNumber(b, v); closeCell() }
	date := func(d goalpost.Date) { open(); b = appendDate(b, d); closeCell() }

	percent := r.Metric.IsPercent()
	open()
	b = strconv.AppendInt(b, r.ID, 10)
	closeCell()
	text(r.Title)
	join(r.Teams, "; ")
	text(r.Creator)
	join(r.Owners, ", ")
	text(r.Period)
	date(r.StartDate)
	date(r.EndDate)
	text(r.Description)
	open()
	for i, p := range r.AlignedTo {
		if i > 0 {
			b = append(b, " / "...)
		}
		b = appendText(b, p.Title)
		b = append(b, "(weight: "...)
		b = appendNumber(b, p.Weight)
		b = append(b, "%, Id: "...)
		b = strconv.AppendInt(b, p.ID, 10)
		b = append(b, ')')
	}
	closeCell()
	text(metricName(r.Metric))
	text(metricUnit(r.Metric))
	if percent {
		text("100")
	} else {
		number(r.Metric.Target)
	}
	text(goalTypeLabel(r.GoalType))
	if percent {
		text("0")
	} else {
		number(r.Metric.Start)
	}
	open()
	b = appendTimestamp(b, r.CreatedAt)
	closeCell()
	date(r.LastCheckIn)
	number(r.Progress)
	number(r.Current)
	text(r.Status.Label())
	text(r.LastNote)
	if r.Status == goalpost.StatusClosed && r.Score != nil {
		number(*r.Score)
	} else {
		text("")
	}
	join(r.Tags, ", ")

	// The tags as they are, for the per-tag columns, which the header
	// names by tag.
	b = binary.AppendUvarint(b, uint64(len(r.Tags)))
	for _, t := range r.Tags {
		open()
		b = append(b, t...)
		closeCell()
	}
	b = binary.AppendUvarint(b, uint64(len(r.CheckIns)))
	for i := range r.CheckIns {
		open()
		b = appendCheckIn(b, &r.CheckIns[i], r.Metric)
		closeCell()
	}
	return b
}

// rendering is a parsed rendering: its cells are slices of one string.
type rendering struct {
	fixed    [fixedCells]string
	tags     []string
	checkIns []string
}

var errRendering = errors.New("malformed rendering")

// parse parses b into rd, reusing rd's slices. Its cells share one new
// string: a record costs one allocation.
func (rd *rendering) parse(b []byte) error {
	if len(b) == 0 {
		return errRendering
	}
	if b[0] != renderingVersion {
		return fmt.Errorf("a rendering of version %d, not %d", b[0], renderingVersion)
	}
	s := string(b) // the cells are slices of s at their offsets in b
	off := 1
	next := func() (uint64, bool) {
		n, l := binary.Uvarint(b[off:])
		if l <= 0 || n > uint64(len(b)-off-l) {
			return 0, false
		}
		off += l
		return n, true
	}
	cell := func() (string, bool) {
		n, ok := next()
		if !ok {
			return "", false
		}
		c := s[off : off+int(n)]
		off += int(n)
		return c, true
	}
	list := func(dst []string) ([]string, bool) {
		n, ok := next() // every cell takes a byte at least, so n is bounded
		if !ok {
			return dst, false
		}
		dst = dst[:0]
		for range n {
			c, ok := cell()
			if !ok {
				return dst, false
			}
			dst = append(dst, c)
		}
		return dst, true
	}
	var ok bool
	for i := range rd.fixed {
		if rd.fixed[i], ok = cell(); !ok {
			return errRendering
		}
	}
	if rd.tags, ok = list(rd.tags); !ok {
		return errRendering
	}
	if rd.checkIns, ok = list(rd.checkIns); !ok {
		return errRendering
	}
	if off != len(b) {
		return errRendering
	}
	return nil
}

// Compile-time check that Writer takes renderings.
var _ goalpost.RenderedSink = (*Writer)(nil)
