package goalpost

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// This file holds the domain rules of the management API that need no
// database: validation of each record, progress from a metric and up the
// alignment tree, the rebalancing of weights, and the labels the Explorer
// CSV writes. The stores call them inside their write transactions; the
// rules that need the database (references, cycles, the last owner) are
// the stores' own.
//
// Every Validate* function returns nil or an *Error with the code EINVALID
// and Target set to the JSON name of the offending field, as the API spells
// it ("title", "metric.target", "filter.due.days"). It reports the first
// problem it finds and never changes its argument.

// Limits of the management API's records. Text lengths count characters
// (Unicode code points) unless they say bytes.
const (
	maxNameLen        = 200      // names of organizations, teams, periods, views; display names
	maxWordLen        = 64       // terminology words, team types, metric units
	maxUPNLen         = 256      // user principal names
	maxTitleLen       = 1024     // item titles
	maxDescription    = 64 << 10 // item descriptions, in bytes
	maxTags           = 50       // tags of one item
	maxTagLen         = 100      // one tag
	maxItemRefs       = 50       // owners or teams of one item
	maxNoteLen        = 16 << 10 // check-in notes, in bytes
	maxKeywordLen     = 200      // a view's keyword filter
	maxFilterList     = 100      // entries of one list in a view filter
	maxFilterDays     = 3650     // days of a relative date filter
	maxQuotedLen      = 64       // bytes of a bad value an error message quotes
	fixedSumTolerance = 1e-9     // rounding a sum of fixed weights may exceed 100 by
	fullSumTolerance  = 1e-6     // all-fixed weights may miss 100 by
	noiseScale        = 1e9      // progress is rounded to 1/noiseScale
)

// invalidField returns an EINVALID *Error naming the field target.
func invalidField(target, format string, args ...any) error {
	e := Errorf(EINVALID, format, args...)
	e.Target = target
	return e
}

// quoteClipped quotes s for an error message, cut to at most maxQuotedLen
// bytes on a character boundary so that a huge input is never echoed.
func quoteClipped(s string) string {
	if len(s) <= maxQuotedLen {
		return strconv.Quote(s)
	}
	n := maxQuotedLen
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + "…"
}

// formatPercent formats a weight or progress for a message: at most two
// decimals, no trailing zeros, as the Explorer CSV prints weights.
func formatPercent(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// checkEncoding reports text that a store could not keep as it is: invalid
// UTF-8, or NUL characters, which PostgreSQL's text type refuses.
func checkEncoding(target, what, s string) error {
	if !utf8.ValidString(s) {
		return invalidField(target, "The %s must be valid UTF-8 text.", what)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return invalidField(target, "The %s must not contain NUL characters.", what)
	}
	return nil
}

// checkRequiredText checks a text that must not be blank and is at most
// maxLen characters long.
func checkRequiredText(target, what, s string, maxLen int) error {
	if strings.TrimSpace(s) == "" {
		return invalidField(target, "The %s must not be empty.", what)
	}
	return checkOptionalText(target, what, s, maxLen)
}

// checkOptionalText checks a text that may be empty and is at most maxLen
// characters long.
func checkOptionalText(target, what, s string, maxLen int) error {
	if err := checkEncoding(target, what, s); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return invalidField(target, "The %s must be at most %d characters long; it has %d.", what, maxLen, n)
	}
	return nil
}

// checkTextBytes checks a text that may be empty and is at most maxBytes
// bytes long.
func checkTextBytes(target, what, s string, maxBytes int) error {
	if err := checkEncoding(target, what, s); err != nil {
		return err
	}
	if len(s) > maxBytes {
		return invalidField(target, "The %s must be at most %d KiB long; it has %d bytes.", what, maxBytes>>10, len(s))
	}
	return nil
}

// checkFinite reports a number that JSON cannot carry (NaN, ±Inf).
func checkFinite(target, what string, x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return invalidField(target, "The %s must be a finite number.", what)
	}
	return nil
}

// checkRange checks lo ≤ x ≤ hi for a finite x.
func checkRange(target, what string, x, lo, hi float64) error {
	if err := checkFinite(target, what, x); err != nil {
		return err
	}
	if x < lo || x > hi {
		return invalidField(target, "The %s must be between %g and %g, not %g.", what, lo, hi, x)
	}
	return nil
}

// checkKnown checks that v is one of known; an empty v is missing.
func checkKnown[T ~string](target, what string, v T, known ...T) error {
	if v == "" {
		return invalidField(target, "The %s is required.", what)
	}
	if !slices.Contains(known, v) {
		names := make([]string, len(known))
		for i, k := range known {
			names[i] = string(k)
		}
		return invalidField(target, "The %s %s is not one of %s.", what, quoteClipped(string(v)), strings.Join(names, ", "))
	}
	return nil
}

// checkIDs checks a list of references: at most maxLen, none nil, none twice.
func checkIDs(target, what string, ids []uuid.UUID, maxLen int) error {
	if len(ids) > maxLen {
		return invalidField(target, "At most %d %s may be given; there are %d.", maxLen, what, len(ids))
	}
	seen := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		if id == uuid.Nil {
			return invalidField(target, "The %s must not include the nil GUID.", what)
		}
		if seen[id] {
			return invalidField(target, "The %s list names %s more than once.", what, id)
		}
		seen[id] = true
	}
	return nil
}

// checkDateOrder checks start ≤ end when both are set.
func checkDateOrder(start, end Date) error {
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		return invalidField("endDate", "The end date %s is before the start date %s.", end, start)
	}
	return nil
}

// firstError returns the first non-nil error of errs.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ValidateOrganization checks an organization's name and terminology. An
// empty terminology word means the default word; the three words in effect
// must differ (ignoring case) so that an import can tell the kinds apart.
func ValidateOrganization(o *Organization) error {
	if err := checkRequiredText("name", "organization name", o.Name, maxNameLen); err != nil {
		return err
	}
	words := []struct {
		target, what, word string
		kind               ItemKind
	}{
		{"terminology.objective", "word for objectives", o.Terminology.Objective, KindObjective},
		{"terminology.keyResult", "word for key results", o.Terminology.KeyResult, KindKeyResult},
		{"terminology.initiative", "word for initiatives", o.Terminology.Initiative, KindInitiative},
	}
	for i, w := range words {
		if w.word != "" && strings.TrimSpace(w.word) == "" {
			return invalidField(w.target, "The %s must not be blank; leave it empty for the default.", w.what)
		}
		if err := checkOptionalText(w.target, w.what, w.word, maxWordLen); err != nil {
			return err
		}
		for _, prev := range words[:i] {
			if strings.EqualFold(o.Terminology.Word(prev.kind), o.Terminology.Word(w.kind)) {
				return invalidField(w.target, "The %s %s is already the %s.",
					w.what, quoteClipped(o.Terminology.Word(w.kind)), prev.what)
			}
		}
	}
	return nil
}

// ValidateUser checks a user's UPN and display name, and that the user is
// not their own manager.
func ValidateUser(u *User) error {
	return firstError(
		checkUPN(u.UPN),
		checkRequiredText("displayName", "display name", u.DisplayName, maxNameLen),
		checkManager(u),
	)
}

// checkUPN checks a user principal name: local@domain without whitespace.
func checkUPN(upn string) error {
	if upn == "" {
		return invalidField("upn", "The user principal name (upn) is required.")
	}
	if err := checkOptionalText("upn", "user principal name", upn, maxUPNLen); err != nil {
		return err
	}
	if strings.IndexFunc(upn, unicode.IsSpace) >= 0 {
		return invalidField("upn", "The user principal name %s must not contain whitespace.", quoteClipped(upn))
	}
	local, domain, ok := strings.Cut(upn, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return invalidField("upn", "The user principal name %s must have the form name@domain, with exactly one @.", quoteClipped(upn))
	}
	return nil
}

// checkManager refuses a user who manages themselves.
func checkManager(u *User) error {
	if u.ManagerID != uuid.Nil && u.ManagerID == u.ID {
		return invalidField("managerId", "A user cannot be their own manager.")
	}
	return nil
}

// ValidateMember checks a member's user (see ValidateUser) and role.
func ValidateMember(m *Member) error {
	if err := ValidateUser(&m.User); err != nil {
		return err
	}
	return checkKnown("role", "role", m.Role, RoleOwner, RoleAdmin, RoleMember, RoleObserver)
}

// ValidateTeam checks a team's name and type, and that it is not its own
// parent. Deeper cycles of parents need the database.
func ValidateTeam(t *Team) error {
	if err := checkRequiredText("name", "team name", t.Name, maxNameLen); err != nil {
		return err
	}
	if err := checkOptionalText("type", "team type", t.Type, maxWordLen); err != nil {
		return err
	}
	if t.ParentID != uuid.Nil && t.ParentID == t.ID {
		return invalidField("parentId", "A team cannot be its own parent.")
	}
	return nil
}

// ValidateTimePeriod checks a time period's name and dates: both dates are
// required and the start is not after the end (a one-day period is fine).
func ValidateTimePeriod(p *TimePeriod) error {
	if err := checkRequiredText("name", "time period name", p.Name, maxNameLen); err != nil {
		return err
	}
	if p.Start.IsZero() {
		return invalidField("startDate", "The start date is required.")
	}
	if p.End.IsZero() {
		return invalidField("endDate", "The end date is required.")
	}
	return checkDateOrder(p.Start, p.End)
}

// ApplyDefaults fills the fields a new item may leave out: an individual,
// aspirational, not started item with manual progress, visible to everyone.
// A percent metric gets its unit "%" and, when start and target are both
// zero, the target 100; a named metric without a direction increases from
// its start. Stores call it before ValidateItem on create; set fields are
// never changed.
func (it *Item) ApplyDefaults() {
	if it.Level == "" {
		it.Level = LevelIndividual
	}
	if it.GoalType == "" {
		it.GoalType = GoalAspirational
	}
	if it.ProgressMode == "" {
		it.ProgressMode = ProgressManual
	}
	if it.Status == "" {
		it.Status = StatusNotStarted
	}
	if it.Visibility == "" {
		it.Visibility = VisibilityEveryone
	}
	m := &it.Metric
	switch {
	case m.IsPercent():
		if m.Unit == "" {
			m.Unit = "%"
		}
		if m.Start == 0 && m.Target == 0 {
			m.Target = 100
		}
	case m.Direction == "":
		m.Direction = DirectionIncreaseFrom
	}
}

// ValidateItem checks an item on its own: every enumerated field holds a
// known value (call ApplyDefaults first to fill the defaults), the texts,
// tags, owners and teams are within their limits, the dates are in order,
// the metric is coherent, and progress and score are in range. References
// to teams, users, periods and other items need the database.
func ValidateItem(it *Item) error {
	return firstError(
		checkKnown("kind", "kind", it.Kind, KindObjective, KindKeyResult, KindInitiative),
		checkKnown("level", "level", it.Level, LevelOrganization, LevelTeam, LevelIndividual),
		checkRequiredText("title", "title", it.Title, maxTitleLen),
		checkTextBytes("description", "description", it.Description, maxDescription),
		checkKnown("goalType", "goal type", it.GoalType, GoalAspirational, GoalCommitted),
		checkKnown("status", "status", it.Status, allStatuses...),
		checkKnown("progressMode", "progress mode", it.ProgressMode, ProgressManual, ProgressRollup),
		checkKnown("visibility", "visibility", it.Visibility, VisibilityEveryone, VisibilityRestricted),
		checkTags(it.Tags),
		checkIDs("ownerIds", "owners", it.OwnerIDs, maxItemRefs),
		checkIDs("teamIds", "teams", it.TeamIDs, maxItemRefs),
		checkDateOrder(it.StartDate, it.EndDate),
		checkMetric(it.Metric),
		checkFinite("currentValue", "current value", it.Current),
		checkRange("progress", "progress", it.Progress, 0, 100),
		checkScore(it.Status, it.Score),
	)
}

// allStatuses are the item statuses in their lifecycle order.
var allStatuses = []Status{
	StatusNotStarted, StatusOnTrack, StatusBehind, StatusAtRisk, StatusClosed, StatusPostponed, StatusReopened,
}

// checkTags checks an item's tags: at most maxTags, each 1..maxTagLen
// characters, none twice (compared exactly, as filters match them).
func checkTags(tags []string) error {
	if len(tags) > maxTags {
		return invalidField("tags", "An item may have at most %d tags; it has %d.", maxTags, len(tags))
	}
	seen := make(map[string]bool, len(tags))
	for _, tag := range tags {
		if err := checkRequiredText("tags", "tag", tag, maxTagLen); err != nil {
			return err
		}
		if seen[tag] {
			return invalidField("tags", "The tag %s is given more than once.", quoteClipped(tag))
		}
		seen[tag] = true
	}
	return nil
}

// checkMetric checks that a metric's numbers are finite and fit its kind.
func checkMetric(m Metric) error {
	if err := firstError(
		checkFinite("metric.start", "metric start", m.Start),
		checkFinite("metric.target", "metric target", m.Target),
	); err != nil {
		return err
	}
	if m.IsPercent() {
		return checkPercentMetric(m)
	}
	return checkNamedMetric(m)
}

// checkPercentMetric checks the plain 0 → 100 % metric. Its direction,
// when given, must be one that goes up from 0 to 100.
func checkPercentMetric(m Metric) error {
	if m.Unit != "" && m.Unit != "%" {
		return invalidField("metric.unit", "A percent metric (without a name) has the unit %%, not %s; name the metric to use another unit.", quoteClipped(m.Unit))
	}
	if m.Start != 0 {
		return invalidField("metric.start", "A percent metric (without a name) starts at 0, not %g.", m.Start)
	}
	if m.Target != 100 && m.Target != 0 {
		return invalidField("metric.target", "A percent metric (without a name) has the target 100, not %g.", m.Target)
	}
	switch m.Direction {
	case "", DirectionReach, DirectionIncreaseFrom:
		return nil
	}
	return invalidField("metric.direction", "A percent metric (without a name) goes up from 0 to 100 %%; its direction must be reach or increaseFrom, not %s.", quoteClipped(string(m.Direction)))
}

// checkNamedMetric checks a named metric: its name, unit and direction,
// and a target on the side of the start that its direction heads to.
func checkNamedMetric(m Metric) error {
	if err := firstError(
		checkRequiredText("metric.name", "metric name", m.Name, maxNameLen),
		checkOptionalText("metric.unit", "metric unit", m.Unit, maxWordLen),
		checkKnown("metric.direction", "metric direction", m.Direction,
			DirectionReach, DirectionIncreaseFrom, DirectionDecreaseFrom, DirectionStayAbove, DirectionStayBelow, DirectionBaseline),
	); err != nil {
		return err
	}
	switch m.Direction {
	case DirectionReach, DirectionIncreaseFrom:
		if m.Target <= m.Start {
			return invalidField("metric.target", "A metric that goes up (%s) needs a target greater than its start %g; the target is %g.", m.Direction, m.Start, m.Target)
		}
	case DirectionDecreaseFrom:
		if m.Target >= m.Start {
			return invalidField("metric.target", "A metric that goes down (decreaseFrom) needs a target less than its start %g; the target is %g.", m.Start, m.Target)
		}
	}
	return nil
}

// checkScore checks that only a closed item has a score, and that it is in
// 0..1. A closed item need not have one.
func checkScore(s Status, score *float64) error {
	if score == nil {
		return nil
	}
	if s != StatusClosed {
		return invalidField("score", "Only a closed item has a score; this item is %s.", quoteClipped(string(s)))
	}
	return checkRange("score", "score", *score, 0, 1)
}

// ValidateCheckIn checks a check-in on its own: date, status, value, note
// and activity time. Its item and user need the database.
func ValidateCheckIn(c *CheckIn) error {
	if c.Date.IsZero() {
		return invalidField("date", "The check-in date is required.")
	}
	return firstError(
		checkKnown("status", "status", c.Status, allStatuses...),
		checkFinite("value", "value", c.Value),
		checkTextBytes("note", "note", c.Note, maxNoteLen),
		checkActivity(c),
	)
}

// checkActivity requires the time a check-in was recorded.
func checkActivity(c *CheckIn) error {
	if c.ActivityAt.IsZero() {
		return invalidField("activityAt", "The check-in's activity time is required.")
	}
	return nil
}

// ValidateAlignment checks an alignment on its own: two different items
// and a weight in 0..100 %. Cycles need the database.
func ValidateAlignment(a *Alignment) error {
	if a.ChildID <= 0 {
		return invalidField("childId", "The contributing item's id must be a positive number.")
	}
	if a.ParentID <= 0 {
		return invalidField("parentId", "The parent item's id must be a positive number.")
	}
	if a.ChildID == a.ParentID {
		return invalidField("parentId", "An item cannot contribute to itself.")
	}
	return checkRange("weight", "weight", a.Weight, 0, 100)
}

// ValidateView checks an explorer view: its name, visibility, filter and
// export settings. The items, periods, teams and users a filter names need
// the database (a filter naming something that does not exist simply
// matches nothing).
func ValidateView(v *ExplorerView) error {
	return firstError(
		checkRequiredText("name", "view name", v.Name, maxNameLen),
		checkKnown("visibility", "visibility", v.Visibility, ViewPublic, ViewPrivate),
		checkFilter(&v.Filter),
		checkExportSettings(&v.Export),
	)
}

// checkFilter checks a view filter.
func checkFilter(f *ViewFilter) error {
	return firstError(
		checkIDList("filter.timePeriods", "time periods", f.TimePeriods),
		checkKnownList("filter.kinds", "kind", f.Kinds, KindObjective, KindKeyResult, KindInitiative),
		checkKnownList("filter.levels", "level", f.Levels, LevelOrganization, LevelTeam, LevelIndividual),
		checkKnownList("filter.statuses", "status", f.Statuses, allStatuses...),
		checkOwnersFilter(f.Owners),
		checkIDList("filter.managers", "managers", f.Managers),
		checkIDList("filter.teams", "teams", f.Teams),
		checkTextList("filter.teamTypes", "team type", f.TeamTypes, maxWordLen),
		checkTextList("filter.tags", "tag", f.Tags, maxTagLen),
		checkProgressRange(f.Progress),
		checkOptionalText("filter.keyword", "keyword", f.Keyword, maxKeywordLen),
		checkAlignedFilter(f.Aligned),
		checkDateFilter("filter.due", f.Due, true),
		checkDateFilter("filter.startDate", f.StartDate, false),
		checkDateFilter("filter.created", f.Created, false),
		checkDateFilter("filter.updated", f.Updated, false),
		checkDateFilter("filter.lastCheckIn", f.CheckedIn, false),
	)
}

// checkListLen checks that a filter list has at most maxFilterList entries.
func checkListLen(target string, n int) error {
	if n > maxFilterList {
		return invalidField(target, "A filter list may have at most %d entries; this one has %d.", maxFilterList, n)
	}
	return nil
}

// checkIDList checks a filter's list of GUIDs; the nil GUID would match
// records without a reference, which no filter means.
func checkIDList(target, what string, ids []uuid.UUID) error {
	if err := checkListLen(target, len(ids)); err != nil {
		return err
	}
	if slices.Contains(ids, uuid.Nil) {
		return invalidField(target, "The %s filter must not include the nil GUID.", what)
	}
	return nil
}

// checkKnownList checks a filter's list of enumerated values.
func checkKnownList[T ~string](target, what string, vs []T, known ...T) error {
	if err := checkListLen(target, len(vs)); err != nil {
		return err
	}
	for _, v := range vs {
		if err := checkKnown(target, what, v, known...); err != nil {
			return err
		}
	}
	return nil
}

// checkTextList checks a filter's list of texts, each 1..maxLen characters.
func checkTextList(target, what string, vs []string, maxLen int) error {
	if err := checkListLen(target, len(vs)); err != nil {
		return err
	}
	for _, v := range vs {
		if err := checkRequiredText(target, what, v, maxLen); err != nil {
			return err
		}
	}
	return nil
}

// checkOwnersFilter checks the owners filter: user GUIDs, OwnerMe or
// OwnerUnassigned. GUIDs are in the 36-character form, in either case;
// stores compare them parsed.
func checkOwnersFilter(owners []string) error {
	const target = "filter.owners"
	if err := checkListLen(target, len(owners)); err != nil {
		return err
	}
	for _, o := range owners {
		if o == OwnerMe || o == OwnerUnassigned {
			continue
		}
		id, err := uuid.Parse(o)
		if err != nil || len(o) != 36 || id == uuid.Nil {
			return invalidField(target, "The owner %s is neither a user GUID nor %q nor %q.", quoteClipped(o), OwnerMe, OwnerUnassigned)
		}
	}
	return nil
}

// checkProgressRange checks 0 ≤ min ≤ max ≤ 100.
func checkProgressRange(r *ProgressRange) error {
	const target = "filter.progress"
	if r == nil {
		return nil
	}
	if err := firstError(
		checkRange(target, "minimum progress", r.Min, 0, 100),
		checkRange(target, "maximum progress", r.Max, 0, 100),
	); err != nil {
		return err
	}
	if r.Min > r.Max {
		return invalidField(target, "The minimum progress %g is greater than the maximum %g.", r.Min, r.Max)
	}
	return nil
}

// checkAlignedFilter checks the mode and that only mode item names an item.
func checkAlignedFilter(a *AlignedFilter) error {
	if a == nil {
		return nil
	}
	if err := checkKnown("filter.aligned.mode", "alignment filter mode", a.Mode, AlignedAny, AlignedNone, AlignedTo); err != nil {
		return err
	}
	switch {
	case a.Mode == AlignedTo && a.ItemID <= 0:
		return invalidField("filter.aligned.itemId", "The alignment filter mode %q needs the positive id of an item.", AlignedTo)
	case a.Mode != AlignedTo && a.ItemID != 0:
		return invalidField("filter.aligned.itemId", "Only the alignment filter mode %q takes an item id.", AlignedTo)
	}
	return nil
}

// checkDateFilter checks that a date filter's operation is known, allowed
// for this filter (due takes withinDays and overdue, the others do not),
// and given what it needs: a date for on, before and after; a number of
// days for the relative operations; nothing for overdue. A value the
// operation does not use is refused rather than ignored.
func checkDateFilter(target string, f *DateFilter, due bool) error {
	if f == nil {
		return nil
	}
	if err := checkKnown(target+".op", "date filter operation", f.Op,
		DateOn, DateBefore, DateAfter, DateMoreThanDaysAgo, DateLessThanDaysAgo, DateWithinDays, DateOverdue); err != nil {
		return err
	}
	if (f.Op == DateWithinDays || f.Op == DateOverdue) && !due {
		return invalidField(target+".op", "The date filter operation %s applies to the due date only.", f.Op)
	}
	needsDate := f.Op == DateOn || f.Op == DateBefore || f.Op == DateAfter
	needsDays := f.Op == DateMoreThanDaysAgo || f.Op == DateLessThanDaysAgo || f.Op == DateWithinDays
	switch {
	case needsDate && f.Date.IsZero():
		return invalidField(target+".date", "The date filter operation %s needs a date.", f.Op)
	case !needsDate && !f.Date.IsZero():
		return invalidField(target+".date", "The date filter operation %s takes no date.", f.Op)
	case needsDays && (f.Days < 0 || f.Days > maxFilterDays):
		return invalidField(target+".days", "The date filter operation %s needs a number of days from 0 to %d, not %d.", f.Op, maxFilterDays, f.Days)
	case !needsDays && f.Days != 0:
		return invalidField(target+".days", "The date filter operation %s takes no number of days.", f.Op)
	}
	return nil
}

// checkExportSettings checks the columns (default columns or "Tag", none
// twice) and the tag mode.
func checkExportSettings(s *ExportSettings) error {
	const target = "export.columns"
	seen := make(map[string]bool, len(s.Columns))
	for _, c := range s.Columns {
		if c != TagColumnName && !slices.Contains(DefaultColumns, c) {
			return invalidField(target, "The column %s is not an Explorer CSV column.", quoteClipped(c))
		}
		if seen[c] {
			return invalidField(target, "The column %s is given more than once.", quoteClipped(c))
		}
		seen[c] = true
	}
	switch s.Tags {
	case TagsNone, TagsOneColumn, TagsPerColumn:
		return nil
	}
	return invalidField("export.tags", "The tag mode %s is not one of %q, %q or empty.", quoteClipped(string(s.Tags)), TagsOneColumn, TagsPerColumn)
}

// ProgressOf returns the progress in percent (0..100) that value stands
// for on m:
//
//   - percent metric: the value itself;
//   - reach, increaseFrom: the share of the way from start up to target;
//   - decreaseFrom: the share of the way from start down to target;
//   - stayAbove: 100 while value ≥ target, else 0;
//   - stayBelow: 100 while value ≤ target, else 0;
//   - baseline: 0, a baseline only records values.
//
// A named metric without a known direction counts as increaseFrom, the
// default. When start equals target, progress is 100 once the value has
// reached the target and 0 before. A NaN value has no progress.
func (m Metric) ProgressOf(value float64) float64 {
	if math.IsNaN(value) {
		return 0
	}
	if m.IsPercent() {
		return clampPercent(value)
	}
	switch m.Direction {
	case DirectionStayAbove:
		return allOrNothing(value >= m.Target)
	case DirectionStayBelow:
		return allOrNothing(value <= m.Target)
	case DirectionBaseline:
		return 0
	case DirectionDecreaseFrom:
		return linearProgress(m.Start-value, m.Start-m.Target)
	}
	return linearProgress(value-m.Start, m.Target-m.Start)
}

// linearProgress returns done/span as a clamped percentage; a zero span is
// done once done ≥ 0.
func linearProgress(done, span float64) float64 {
	if span == 0 {
		return allOrNothing(done >= 0)
	}
	return clampPercent(denoise(done / span * 100))
}

// allOrNothing is the progress of a target that is met or not.
func allOrNothing(reached bool) float64 {
	if reached {
		return 100
	}
	return 0
}

// clampPercent limits x to 0..100.
func clampPercent(x float64) float64 { return max(0, min(100, x)) }

// denoise rounds x to 1e-9, so that sums like 0.1 + 0.2 come out as 0.3.
// It is meant for percentages, whose scaled values stay exact integers.
func denoise(x float64) float64 { return math.Round(x*noiseScale) / noiseScale }

// ValueAt returns the metric value that a rolled-up progress (0..100,
// clamped) stands for on m, the inverse of ProgressOf where there is one:
//
//   - percent metric: the progress itself;
//   - reach, increaseFrom, decreaseFrom: start + progress/100 × (target − start),
//     exactly start at 0 and exactly target at 100;
//   - stayAbove, stayBelow, baseline: target at 100 %, else start. These
//     metrics have no value between the two; a fully achieved roll-up
//     meets the target, anything less is reported as the starting value.
//
// A named metric without a known direction counts as increaseFrom.
func (m Metric) ValueAt(progress float64) float64 {
	if math.IsNaN(progress) {
		progress = 0
	}
	p := clampPercent(progress)
	if m.IsPercent() {
		return p
	}
	switch {
	case p >= 100:
		return m.Target
	case p <= 0:
		return m.Start
	}
	switch m.Direction {
	case DirectionStayAbove, DirectionStayBelow, DirectionBaseline:
		return m.Start
	}
	return m.Start + p/100*(m.Target-m.Start)
}

// Contribution is one contributor's share in a rolled-up progress: its
// alignment weight (percent) and its own progress (0..100).
type Contribution struct {
	Weight, Progress float64
}

// RollupProgress returns the progress of an item rolled up from its
// contributors: the weighted mean Σw·p / Σw. When every weight is zero it
// is the plain mean, so that contributors still count before anyone sets
// a weight; without contributors it is 0. The result is rounded to 1e-9 to
// drop floating-point noise, never further: the exports format it.
func RollupProgress(cs []Contribution) float64 {
	if len(cs) == 0 {
		return 0
	}
	var sumW, sumWP, sumP float64
	for _, c := range cs {
		sumW += c.Weight
		sumWP += c.Weight * c.Progress
		sumP += c.Progress
	}
	if sumW == 0 {
		return clampPercent(denoise(sumP / float64(len(cs))))
	}
	return clampPercent(denoise(sumWP / sumW))
}

// Rebalance sets the weights of as, all the contributors of one parent:
// fixed weights (WeightFixed) are kept, and what they leave of 100 % is
// split equally among the others, unrounded (100/7 each for seven). It
// fails with EINVALID (Target "weight") and changes nothing when a fixed
// weight is out of 0..100, when the fixed weights sum to more than 100 %,
// or when every contributor is fixed and their weights do not sum to
// 100 %. An empty slice is fine. as must not hold nil.
func Rebalance(as []*Alignment) error {
	var fixed float64
	unfixed := 0
	for _, a := range as {
		if !a.WeightFixed {
			unfixed++
			continue
		}
		if err := checkRange("weight", "weight", a.Weight, 0, 100); err != nil {
			return err
		}
		fixed += a.Weight
	}
	if fixed > 100+fixedSumTolerance {
		return invalidField("weight", "The fixed weights sum to %s %%, more than 100 %%.", formatPercent(fixed))
	}
	if unfixed == 0 {
		if len(as) > 0 && math.Abs(fixed-100) > fullSumTolerance {
			return invalidField("weight", "The weights of all contributors are fixed and sum to %s %%, but they must sum to 100 %%. "+
				"Clear weightFixed on another contributor to let it be rebalanced.", formatPercent(fixed))
		}
		return nil
	}
	share := max(0, 100-fixed) / float64(unfixed)
	for _, a := range as {
		if !a.WeightFixed {
			a.Weight = share
		}
	}
	return nil
}

// Label returns the goal type as the Explorer CSV writes it ("Committed
// Goal"); an item without a goal type is aspirational.
func (g GoalType) Label() string {
	switch g {
	case GoalCommitted:
		return "Committed Goal"
	case GoalAspirational, "":
		return "Aspirational Goal"
	}
	return string(g)
}

// ParseGoalTypeLabel returns the goal type of an Explorer CSV label
// ("Aspirational Goal", "Committed Goal") or of its API value
// ("aspirational", "committed"). Both must match exactly.
func ParseGoalTypeLabel(s string) (GoalType, bool) {
	for _, g := range []GoalType{GoalAspirational, GoalCommitted} {
		if s == g.Label() || s == string(g) {
			return g, true
		}
	}
	return "", false
}

// ParseStatusLabel returns the status of an Explorer CSV label ("On
// Track", see Status.Label) or of its API value ("onTrack"). Both must
// match exactly.
func ParseStatusLabel(s string) (Status, bool) {
	for _, st := range allStatuses {
		if s == st.Label() || s == string(st) {
			return st, true
		}
	}
	return "", false
}

// KindOf returns the kind whose word in t (the organization's word, or
// the default one where t has none, as Word gives it) equals word,
// ignoring case: the Object Type cell of an Explorer CSV read back.
// ValidateOrganization keeps the three words distinct.
func (t Terminology) KindOf(word string) (ItemKind, bool) {
	for _, k := range []ItemKind{KindObjective, KindKeyResult, KindInitiative} {
		if strings.EqualFold(t.Word(k), word) {
			return k, true
		}
	}
	return "", false
}

// AlignmentCycle looks for a cycle among alignments, starting from each of
// starts in turn: parents returns an item's alignments to its parents. It
// returns the items of the first cycle found, each aligned to the next and
// the last to the first, or nil when there is none. The walk is iterative
// and visits each item once, so deep trees cost no stack.
func AlignmentCycle(starts []int64, parents func(id int64) []Alignment) []int64 {
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[int64]int)
	type frame struct {
		id   int64
		next int
	}
	for _, start := range starts {
		if state[start] != unseen {
			continue
		}
		stack := []frame{{id: start}}
		state[start] = onPath
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			ps := parents(top.id)
			if top.next == len(ps) {
				state[top.id] = done
				stack = stack[:len(stack)-1]
				continue
			}
			p := ps[top.next].ParentID
			top.next++
			switch state[p] {
			case unseen:
				state[p] = onPath
				stack = append(stack, frame{id: p})
			case onPath:
				// The cycle is the stack from p up to the top.
				var cycle []int64
				for i := len(stack) - 1; i >= 0; i-- {
					cycle = append(cycle, stack[i].id)
					if stack[i].id == p {
						break
					}
				}
				slices.Reverse(cycle)
				return cycle
			}
		}
	}
	return nil
}
