package importcsv

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalpost/goalpost"
)

// This file reads single cells. Each reader returns the value and, when the
// cell is wrong, what was expected (the caller names line and column).

// Status labels, in lifecycle order, as the writer spells them.
var statusLabels = []struct {
	label  string
	status goalpost.Status
}{
	{"Not Started", goalpost.StatusNotStarted},
	{"On Track", goalpost.StatusOnTrack},
	{"Behind", goalpost.StatusBehind},
	{"At Risk", goalpost.StatusAtRisk},
	{"Closed", goalpost.StatusClosed},
	{"Postponed", goalpost.StatusPostponed},
	{"Reopened", goalpost.StatusReopened},
}

const expectStatus = "expected one of Not Started, On Track, Behind, At Risk, Closed, Postponed, Reopened"

// parseStatus reads a status label, ignoring case.
func parseStatus(s string) (goalpost.Status, bool) {
	for _, l := range statusLabels {
		if strings.EqualFold(s, l.label) {
			return l.status, true
		}
	}
	return "", false
}

const expectGoalType = "expected one of Aspirational Goal, Committed Goal"

// parseGoalType reads a Goal Type label, ignoring case; empty is aspirational.
func parseGoalType(s string) (goalpost.GoalType, bool) {
	switch {
	case s == "", strings.EqualFold(s, "Aspirational Goal"):
		return goalpost.GoalAspirational, true
	case strings.EqualFold(s, "Committed Goal"):
		return goalpost.GoalCommitted, true
	}
	return "", false
}

const expectOKRType = "expected one of Objective, Key Result, Initiative, Project"

// parseOKRType reads the older variant's OKR type: the kind in English.
func parseOKRType(s string) (goalpost.ItemKind, bool) {
	switch strings.ToLower(s) {
	case "objective":
		return goalpost.KindObjective, true
	case "key result":
		return goalpost.KindKeyResult, true
	case "initiative", "project":
		return goalpost.KindInitiative, true
	}
	return "", false
}

const expectID = "expected a positive whole number"

// parseID reads an item Id: decimal digits, greater than zero.
func parseID(s string) (int64, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil && v > 0
}

const expectNumber = "expected a number"

// parseNumber reads a number as the writer formats it (FormatNumber), and
// more generally any finite decimal: an optional sign, digits with an
// optional fraction, an optional exponent. No thousands separators, no
// NaN or infinities.
func parseNumber(s string) (float64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// isDecimal reports whether s is [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	n := digits()
	if i < len(s) && s[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

const expectDate = "expected a date YYYY-MM-DD"

// parseDate reads YYYY-MM-DD; empty is the zero Date.
func parseDate(s string) (goalpost.Date, bool) {
	if s == "" {
		return goalpost.Date{}, true
	}
	d, err := goalpost.ParseDate(s)
	return d, err == nil
}

const expectTimestamp = "expected a time YYYY-MM-DD HH:MM:SS UTC"

// parseTimestamp reads YYYY-MM-DD HH:MM:SS UTC; empty is the zero time.
func parseTimestamp(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	v, ok := strings.CutSuffix(s, " UTC")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(time.DateTime, v, time.UTC)
	return t, err == nil
}

// splitList splits a cell on sep, dropping empty parts and repeats.
// splitNames splits an Owner cell on ", ", keeping repeats: a name given
// twice is two people of that name (see builder.namesake).
func splitNames(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ", ") {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func splitList(s, sep string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for part := range strings.SplitSeq(s, sep) {
		if part != "" && !slices.Contains(out, part) {
			out = append(out, part)
		}
	}
	return out
}

// Parts of an Aligned To cell: Title(weight: 14.29%, Id: 2295776), several
// joined with alignedSep.
const (
	alignedWeight = "(weight: "
	alignedID     = "%, Id: "
	alignedSep    = " / "
)

const expectAligned = `expected parents as Title(weight: 50%, Id: 2295776), several joined with " / "`

// parseAligned reads an Aligned To cell. Titles are taken verbatim; a
// title may hold " / " or parentheses, but not a whole
// "(weight: n%, Id: n)" followed by " / " or the end of the cell.
func parseAligned(s string) ([]goalpost.AlignedParent, bool) {
	var out []goalpost.AlignedParent
	for s != "" {
		found := false
		for from := 0; ; {
			j := strings.Index(s[from:], alignedWeight)
			if j < 0 {
				break
			}
			k := from + j
			w, id, n, ok := parseAlignedTail(s[k:])
			if ok && (k+n == len(s) || strings.HasPrefix(s[k+n:], alignedSep)) {
				out = append(out, goalpost.AlignedParent{ID: id, Title: s[:k], Weight: w})
				s = s[k+n:]
				if s != "" {
					s = s[len(alignedSep):]
					if s == "" {
						return nil, false // a trailing separator
					}
				}
				found = true
				break
			}
			from = k + 1
		}
		if !found {
			return nil, false
		}
	}
	return out, true
}

// parseAlignedTail reads "(weight: W%, Id: N)" at the start of s and
// returns the weight, the id and the bytes read.
func parseAlignedTail(s string) (weight float64, id int64, n int, ok bool) {
	rest, _ := strings.CutPrefix(s, alignedWeight)
	i := strings.Index(rest, alignedID)
	if i < 0 {
		return 0, 0, 0, false
	}
	weight, ok = parseNumber(rest[:i])
	if !ok {
		return 0, 0, 0, false
	}
	rest = rest[i+len(alignedID):]
	j := strings.IndexByte(rest, ')')
	if j < 0 {
		return 0, 0, 0, false
	}
	id, ok = parseID(rest[:j])
	if !ok {
		return 0, 0, 0, false
	}
	return weight, id, len(s) - len(rest) + j + 1, true
}

// The fixed fields of a check-in cell, in order:
//
//	Checkin Date: 2025-03-10; User: Megan Bowen; Note: <text>; Metric Name: Progress; Status: On Track; Current Value: 25%; Activity Date: 2025-03-10 20:57:08 UTC;
const (
	checkInDate     = "Checkin Date: "
	checkInUser     = "; User: "
	checkInNote     = "; Note: "
	checkInMetric   = "; Metric Name: "
	checkInStatus   = "; Status: "
	checkInValue    = "; Current Value: "
	checkInActivity = "; Activity Date: "
)

const expectCheckIn = "expected a check-in as Checkin Date: YYYY-MM-DD; User: …; Note: …; Metric Name: …; " +
	"Status: …; Current Value: …; Activity Date: YYYY-MM-DD HH:MM:SS UTC;"

// parseCheckIn reads one check-in cell. On failure it returns what was
// expected and the part of the cell that was wrong.
//
// A note may hold "; " and even "; Note: ": the note runs from the first
// "; Note: " after the user to the LAST "; Metric Name: ". So a display name
// must not hold "; Note: " and a metric name must not hold
// "; Metric Name: ", "; Status: ", "; Current Value: " or
// "; Activity Date: " (the fields after the note are found from the end).
func parseCheckIn(s string) (c goalpost.CheckInCell, expected, got string) {
	cell := strings.TrimRight(s, " \t\r\n")
	rest, ok := strings.CutPrefix(cell, checkInDate)
	if !ok {
		return c, expectCheckIn, s
	}
	date, rest, ok := strings.Cut(rest, checkInUser)
	if !ok {
		return c, expectCheckIn, s
	}
	user, rest, ok := strings.Cut(rest, checkInNote)
	if !ok {
		return c, expectCheckIn, s
	}
	m := strings.LastIndex(rest, checkInMetric)
	if m < 0 {
		return c, expectCheckIn, s
	}
	note, rest := rest[:m], rest[m+len(checkInMetric):]
	rest, ok = strings.CutSuffix(rest, ";")
	if !ok {
		return c, expectCheckIn, s
	}
	a := strings.LastIndex(rest, checkInActivity)
	if a < 0 {
		return c, expectCheckIn, s
	}
	activity, rest := rest[a+len(checkInActivity):], rest[:a]
	v := strings.LastIndex(rest, checkInValue)
	if v < 0 {
		return c, expectCheckIn, s
	}
	value, rest := rest[v+len(checkInValue):], rest[:v]
	st := strings.LastIndex(rest, checkInStatus)
	if st < 0 {
		return c, expectCheckIn, s
	}
	status := rest[st+len(checkInStatus):]

	c.User, c.Note = user, note
	if c.Date, ok = parseDate(date); !ok || c.Date.IsZero() {
		return c, "check-in date: " + expectDate, date
	}
	if c.Status, ok = parseStatus(status); !ok {
		return c, "check-in status: " + expectStatus, status
	}
	if c.Value, ok = parseNumber(strings.TrimSuffix(value, "%")); !ok {
		return c, "check-in value: " + expectNumber, value
	}
	if c.ActivityAt, ok = parseTimestamp(activity); !ok || c.ActivityAt.IsZero() {
		return c, "check-in activity date: " + expectTimestamp, activity
	}
	return c, "", ""
}
