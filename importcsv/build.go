package importcsv

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
	"github.com/google/uuid"
)

// DefaultOrgName is the name of a new organization when Options.OrgName is
// empty.
const DefaultOrgName = "Imported organization"

// ViewName is the name of the view an import creates or updates: it
// selects every item and exports with the file's columns.
const ViewName = "All items"

// Options configure Build.
type Options struct {
	// OrgID is the organization to import into. Required.
	OrgID uuid.UUID
	// OrgName names a new organization; empty means DefaultOrgName. An
	// existing organization keeps its name unless OrgName is set.
	OrgName string
	// Terminology is the words of a new organization. The zero value
	// means the words of the older variant's "Type name" column, else
	// goalpost.DefaultTerminology. An existing organization keeps its
	// terminology.
	Terminology goalpost.Terminology
	// Owner, when non-nil, is made an owner of the organization. The
	// caller resolves it (by UPN: an existing user, or a new one with a
	// fresh ID). Without it the organization's owner with the lowest id
	// stands in for the importer; a new organization needs Owner.
	Owner *goalpost.User
	// ViewID is the id of the "All items" view; uuid.Nil means an id
	// derived from OrgID.
	ViewID uuid.UUID
	// Now is the creation time of the records the file has no time for,
	// cut to the second; zero means the current time.
	Now time.Time
}

// csvNumber formats a number as the file does; two numbers that format
// alike are the same number as far as the file can tell.
var csvNumber = csvexport.FormatNumber

// percentMetric is the plain 0 → 100 % metric, as the demo data has it.
var percentMetric = goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionReach}

// Build turns the file into the dataset that GoalsStore.ImportOrganization
// writes, given what the organization holds now (existing: its
// Organizations slice is empty when the organization is new; nil is an
// empty dataset). The rules are those of the package documentation. Build
// is deterministic: the same file, existing data and options give the same
// dataset, and a second import of a file (existing being what the first
// wrote) gives back existing's records unchanged.
//
// Problems of the file that need the organization to be seen (an unknown
// kind word, a missing or mistitled parent, a cycle) are returned like
// Parse's, as one EINVALID *goalpost.Error naming lines and columns.
// Build neither changes existing nor keeps references to its records.
func (f *File) Build(existing *goalpost.Dataset, opts Options) (*goalpost.Dataset, error) {
	if existing == nil {
		existing = &goalpost.Dataset{}
	}
	if opts.OrgID == uuid.Nil {
		return nil, invalid("import: the organization id is required")
	}
	if opts.Owner != nil && opts.Owner.ID == uuid.Nil {
		return nil, invalid("import: the owner has no id")
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	b := &builder{f: f, ex: existing, opts: opts, now: now.UTC().Truncate(time.Second)}
	if err := b.index(); err != nil {
		return nil, err
	}
	if err := b.organization(); err != nil {
		return nil, err
	}
	if err := b.importer(); err != nil {
		return nil, err
	}
	b.fileRows = make(map[int64]*Row, len(f.Rows))
	for _, row := range f.Rows {
		b.fileRows[row.ID] = row
	}
	for _, row := range f.Rows {
		b.item(row)
	}
	b.alignments()
	if !b.p.any() {
		b.cycles()
	}
	if err := b.p.err(); err != nil {
		return nil, err
	}
	b.finishItems()
	return b.dataset(), nil
}

// builder holds the state of one Build.
type builder struct {
	f    *File
	ex   *goalpost.Dataset
	opts Options
	now  time.Time
	p    problems

	org *goalpost.Organization

	// Existing records, indexed.
	members      map[uuid.UUID]*goalpost.User // users with a membership of the organization
	memberships  map[uuid.UUID]goalpost.Membership
	memberNamed  map[string]*goalpost.User // display name → the member with the lowest id
	exTeams      map[string]*goalpost.Team // name → the team with the lowest id
	exTeamByID   map[uuid.UUID]*goalpost.Team
	exPeriods    map[string]*goalpost.TimePeriod // name → the period with the lowest id
	exPeriodByID map[uuid.UUID]*goalpost.TimePeriod
	exItems      map[int64]*goalpost.Item
	exAlign      map[int64][]goalpost.Alignment // by child, in order
	exCheckIns   map[int64][]*goalpost.CheckIn  // by item, in order
	exView       *goalpost.ExplorerView

	importerID uuid.UUID // the owner who stands for the import

	// Resolved names.
	userByName  map[string]uuid.UUID
	newUsers    map[uuid.UUID]*goalpost.User
	teamNamed   map[string]uuid.UUID
	teams       map[uuid.UUID]*goalpost.Team // the teams of the dataset
	periodNamed map[string]uuid.UUID
	periods     map[uuid.UUID]*goalpost.TimePeriod // the periods of the dataset
	newPeriods  map[uuid.UUID]bool

	fileRows map[int64]*Row
	items    []*goalpost.Item // in file order
	built    map[int64]*goalpost.Item
	align    map[int64][]goalpost.Alignment // by child
	checkIns map[int64][]*goalpost.CheckIn  // by item, oldest first
}

// index indexes the existing records.
func (b *builder) index() error {
	ex, org := b.ex, b.opts.OrgID
	for _, o := range ex.Organizations {
		switch {
		case o == nil: // "no organization" spelled as a nil record
		case o.ID == org:
			c := *o
			b.org = &c
		default:
			return fmt.Errorf("import: the existing dataset holds organization %s, not %s", o.ID, org)
		}
	}
	b.memberships = make(map[uuid.UUID]goalpost.Membership)
	for _, m := range ex.Memberships {
		if m.OrgID == org {
			b.memberships[m.UserID] = m
		}
	}
	b.members = make(map[uuid.UUID]*goalpost.User)
	b.memberNamed = make(map[string]*goalpost.User)
	for _, u := range ex.Users {
		if _, ok := b.memberships[u.ID]; !ok {
			continue
		}
		b.members[u.ID] = u
		if b.isNamesake(u) {
			continue // found through namesake, not by name
		}
		if v, ok := b.memberNamed[u.DisplayName]; !ok || lessUUID(u.ID, v.ID) {
			b.memberNamed[u.DisplayName] = u
		}
	}
	b.exTeams = make(map[string]*goalpost.Team)
	b.exTeamByID = make(map[uuid.UUID]*goalpost.Team)
	for _, t := range ex.Teams {
		b.exTeamByID[t.ID] = t
		if v, ok := b.exTeams[t.Name]; !ok || lessUUID(t.ID, v.ID) {
			b.exTeams[t.Name] = t
		}
	}
	b.exPeriods = make(map[string]*goalpost.TimePeriod)
	b.exPeriodByID = make(map[uuid.UUID]*goalpost.TimePeriod)
	for _, t := range ex.TimePeriods {
		b.exPeriodByID[t.ID] = t
		if v, ok := b.exPeriods[t.Name]; !ok || lessUUID(t.ID, v.ID) {
			b.exPeriods[t.Name] = t
		}
	}
	b.exItems = make(map[int64]*goalpost.Item, len(ex.Items))
	for _, it := range ex.Items {
		b.exItems[it.ID] = it
	}
	b.exAlign = make(map[int64][]goalpost.Alignment)
	for _, a := range ex.Alignments {
		b.exAlign[a.ChildID] = append(b.exAlign[a.ChildID], a)
	}
	b.exCheckIns = make(map[int64][]*goalpost.CheckIn)
	for _, c := range ex.CheckIns {
		b.exCheckIns[c.ItemID] = append(b.exCheckIns[c.ItemID], c)
	}
	for _, v := range ex.Views {
		if v.ID == b.viewID() {
			b.exView = v
		}
	}
	b.userByName = make(map[string]uuid.UUID)
	b.newUsers = make(map[uuid.UUID]*goalpost.User)
	b.teamNamed = make(map[string]uuid.UUID)
	b.teams = make(map[uuid.UUID]*goalpost.Team)
	b.periodNamed = make(map[string]uuid.UUID)
	b.periods = make(map[uuid.UUID]*goalpost.TimePeriod)
	b.newPeriods = make(map[uuid.UUID]bool)
	b.built = make(map[int64]*goalpost.Item)
	b.align = make(map[int64][]goalpost.Alignment)
	b.checkIns = make(map[int64][]*goalpost.CheckIn)
	return nil
}

func lessUUID(a, b uuid.UUID) bool { return strings.Compare(string(a[:]), string(b[:])) < 0 }

// derivedID returns the id of an imported record: a name-based (SHA-1)
// UUID in the organization's namespace, so that the same name gets the
// same id in every import.
func (b *builder) derivedID(kind, name string) uuid.UUID {
	return uuid.NewSHA1(b.opts.OrgID, []byte(kind+":"+name))
}

func (b *builder) viewID() uuid.UUID {
	if b.opts.ViewID != uuid.Nil {
		return b.opts.ViewID
	}
	return b.derivedID("view", ViewName)
}

// organization sets up the organization: the existing one (renamed when
// OrgName is set), or a new one.
func (b *builder) organization() error {
	if b.org != nil {
		if b.opts.OrgName != "" {
			b.org.Name = b.opts.OrgName
		}
		return nil
	}
	name := b.opts.OrgName
	if name == "" {
		name = DefaultOrgName
	}
	b.org = &goalpost.Organization{ID: b.opts.OrgID, Name: name, Terminology: b.newTerminology(), CreatedAt: b.now}
	return b.p.err()
}

// newTerminology returns the words of a new organization.
func (b *builder) newTerminology() goalpost.Terminology {
	if b.opts.Terminology != (goalpost.Terminology{}) {
		return b.opts.Terminology
	}
	t := goalpost.DefaultTerminology
	if b.f.Variant != VariantOlder || !b.f.has(colTypeName) {
		return t
	}
	col := b.f.colName(colTypeName)
	type word struct {
		word string
		line int
	}
	words := make(map[goalpost.ItemKind]word)
	for _, row := range b.f.Rows {
		if row.Kind == "" || row.TypeName == "" {
			continue
		}
		if w, ok := words[row.Kind]; ok {
			if !strings.EqualFold(w.word, row.TypeName) {
				b.p.add(row.Line, col, "expected %s for OKR type %s, as on line %d; got %s",
					quote(w.word), okrTypeLabel(row.Kind), w.line, quote(row.TypeName))
			}
			continue
		}
		words[row.Kind] = word{row.TypeName, row.Line}
	}
	kinds := []goalpost.ItemKind{goalpost.KindObjective, goalpost.KindKeyResult, goalpost.KindInitiative}
	for _, k := range kinds {
		if w, ok := words[k]; ok {
			setWord(&t, k, w.word)
		}
	}
	// The three words must differ, or the organization's own exports could
	// not be read back.
	for i, k := range kinds {
		for _, prev := range kinds[:i] {
			if strings.EqualFold(t.Word(k), t.Word(prev)) {
				line := words[k].line
				if line == 0 {
					line = words[prev].line
				}
				b.p.add(line, col, "%s would name both OKR types %s and %s",
					quote(t.Word(k)), okrTypeLabel(prev), okrTypeLabel(k))
			}
		}
	}
	return t
}

func setWord(t *goalpost.Terminology, k goalpost.ItemKind, w string) {
	switch k {
	case goalpost.KindObjective:
		t.Objective = w
	case goalpost.KindKeyResult:
		t.KeyResult = w
	case goalpost.KindInitiative:
		t.Initiative = w
	}
}

// okrTypeLabel is the older variant's English word for a kind.
func okrTypeLabel(k goalpost.ItemKind) string {
	switch k {
	case goalpost.KindObjective:
		return "Objective"
	case goalpost.KindKeyResult:
		return "Key Result"
	case goalpost.KindInitiative:
		return "Initiative"
	}
	return string(k)
}

// importer decides who stands for the import: Options.Owner, else the
// organization's owner with the lowest id.
func (b *builder) importer() error {
	if o := b.opts.Owner; o != nil {
		b.importerID = o.ID
		return nil
	}
	for id, m := range b.memberships {
		if m.Role == goalpost.RoleOwner && (b.importerID == uuid.Nil || lessUUID(id, b.importerID)) {
			b.importerID = id
		}
	}
	if b.importerID == uuid.Nil {
		return invalid("import: the organization has no owner; name one (Options.Owner)")
	}
	return nil
}

// user resolves a display name: Options.Owner when the name is theirs, an
// existing member with the name (the lowest id among several), or a new
// user. An empty name is no user.
func (b *builder) user(name string) uuid.UUID {
	if name == "" {
		return uuid.Nil
	}
	if id, ok := b.userByName[name]; ok {
		return id
	}
	var id uuid.UUID
	if o := b.opts.Owner; o != nil && o.DisplayName == name {
		id = o.ID
	} else if u, ok := b.memberNamed[name]; ok {
		id = u.ID
	} else if id = b.derivedID("user", name); b.members[id] == nil {
		// A member with the derived id was imported under this name and
		// renamed since: they stay who they are.
		b.newUsers[id] = &goalpost.User{ID: id, DisplayName: name}
	}
	b.userByName[name] = id
	return id
}

// maxNamesakes bounds the namesakes one cell may name (see namesake).
const maxNamesakes = 50

// namesake resolves the k-th (k ≥ 2) of several people with one display
// name in one cell: "Chloé Schmidt, Olu Schmidt, Chloé Schmidt" names two
// different Chloé Schmidts, as an export of an item that both own writes
// it. The file cannot say which of them is which elsewhere, so the second
// is always the same user, with the id uuid.NewSHA1(OrgID,
// "user:<name>#2"), created when new; Creator and check-in users are the
// first. An export of the import then names both again.
func (b *builder) namesake(name string, k int) uuid.UUID {
	if k == 1 {
		return b.user(name)
	}
	key := name + "#" + strconv.Itoa(k)
	if id, ok := b.userByName[key]; ok {
		return id
	}
	id := b.derivedID("user", key)
	if b.members[id] == nil {
		b.newUsers[id] = &goalpost.User{ID: id, DisplayName: name}
	}
	b.userByName[key] = id
	return id
}

// isNamesake reports whether u is the k-th namesake (k ≥ 2) of an earlier
// import: namesake finds such users by their id, never by name.
func (b *builder) isNamesake(u *goalpost.User) bool {
	for k := 2; k <= maxNamesakes; k++ {
		if u.ID == b.derivedID("user", u.DisplayName+"#"+strconv.Itoa(k)) {
			return true
		}
	}
	return false
}

// users resolves a list of display names; a name given twice is two
// people (see namesake).
func (b *builder) users(names []string) []uuid.UUID {
	var ids []uuid.UUID
	seen := make(map[string]int, len(names))
	for _, n := range names {
		if n == "" {
			continue
		}
		seen[n]++
		if seen[n] > maxNamesakes {
			continue
		}
		if id := b.namesake(n, seen[n]); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// team resolves a team name: an existing team with the name, or a new one
// owned by the importer.
func (b *builder) team(name string) uuid.UUID {
	if id, ok := b.teamNamed[name]; ok {
		return id
	}
	var id uuid.UUID
	if t, ok := b.exTeams[name]; ok {
		id = b.keepTeam(t.ID)
	} else {
		id = b.derivedID("team", name)
		if b.teams[id] == nil {
			b.teams[id] = &goalpost.Team{ID: id, OrgID: b.opts.OrgID, Name: name, OwnerID: b.importerID}
		}
	}
	b.teamNamed[name] = id
	return id
}

// keepTeam adds the existing team with the id to the dataset.
func (b *builder) keepTeam(id uuid.UUID) uuid.UUID {
	if b.teams[id] != nil {
		return id
	}
	if t, ok := b.exTeamByID[id]; ok {
		b.teams[id] = cloneTeam(t)
	}
	return id
}

// period resolves a period name: an existing period with the name, or a new
// one whose dates finishItems sets. An empty name is no period.
func (b *builder) period(name string) uuid.UUID {
	if name == "" {
		return uuid.Nil
	}
	if id, ok := b.periodNamed[name]; ok {
		return id
	}
	var id uuid.UUID
	if p, ok := b.exPeriods[name]; ok {
		id = b.keepPeriod(p.ID)
	} else {
		id = b.derivedID("period", name)
		if b.periods[id] == nil {
			b.periods[id] = &goalpost.TimePeriod{ID: id, OrgID: b.opts.OrgID, Name: name}
			b.newPeriods[id] = true
		}
	}
	b.periodNamed[name] = id
	return id
}

// keepPeriod adds the existing period with the id to the dataset.
func (b *builder) keepPeriod(id uuid.UUID) uuid.UUID {
	if id == uuid.Nil || b.periods[id] != nil {
		return id
	}
	if p, ok := b.exPeriodByID[id]; ok {
		c := *p
		b.periods[id] = &c
	}
	return id
}

// kind resolves a row's kind: OKR type (older variant), else Object Type
// through the organization's terminology, ignoring case.
func (b *builder) kind(row *Row) goalpost.ItemKind {
	if b.f.Variant == VariantOlder {
		return row.Kind
	}
	t := b.org.Terminology
	kinds := []goalpost.ItemKind{goalpost.KindObjective, goalpost.KindKeyResult, goalpost.KindInitiative}
	for _, k := range kinds {
		if strings.EqualFold(row.ObjectType, t.Word(k)) {
			return k
		}
	}
	b.p.add(row.Line, b.f.colName(colObjectType), "expected one of %s, %s, %s; got %s",
		t.Word(kinds[0]), t.Word(kinds[1]), t.Word(kinds[2]), quote(row.ObjectType))
	return ""
}

// item builds the item of a row on the existing item with its id, if any:
// the columns the file has set their fields, the others keep them.
func (b *builder) item(row *Row) {
	f := b.f
	ex := b.exItems[row.ID]
	it := &goalpost.Item{
		ID:           row.ID,
		GoalType:     goalpost.GoalAspirational,
		Metric:       percentMetric,
		ProgressMode: goalpost.ProgressManual,
		Status:       goalpost.StatusNotStarted,
		Visibility:   goalpost.VisibilityEveryone,
		CreatedAt:    b.now,
	}
	if ex != nil {
		*it = *ex
		it.TeamIDs, it.OwnerIDs, it.Tags = slices.Clone(ex.TeamIDs), slices.Clone(ex.OwnerIDs), slices.Clone(ex.Tags)
		it.Score = clonePtr(ex.Score)
	}
	it.OrgID = b.opts.OrgID
	if k := b.kind(row); k != "" {
		it.Kind = k
	}
	it.Title = keepText(it.Title, row.Title)
	if f.has(colDescription) {
		it.Description = keepText(it.Description, row.Description)
	}
	if f.has(colTeam) {
		var ids []uuid.UUID
		for _, n := range row.Teams {
			if id := b.team(n); !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		it.TeamIDs = keepList(it.TeamIDs, ids)
	} else {
		for _, id := range it.TeamIDs {
			b.keepTeam(id)
		}
	}
	if f.has(colOwner) {
		it.OwnerIDs = keepList(it.OwnerIDs, b.users(row.Owners))
	}
	if f.has(colCreator) {
		it.CreatorID = b.user(row.Creator)
	}
	if f.has(colPeriod) {
		it.PeriodID = b.period(row.Period)
	} else {
		b.keepPeriod(it.PeriodID)
	}
	if f.has(colStartDate) {
		it.StartDate = row.StartDate
	}
	if f.has(colEndDate) {
		it.EndDate = row.EndDate
	}
	if f.has(colGoalType) {
		it.GoalType = row.GoalType
	}
	if f.has(colCreatedAt) && !row.CreatedAt.IsZero() && !sameSecond(it.CreatedAt, row.CreatedAt) {
		it.CreatedAt = row.CreatedAt
	}
	it.Metric = b.metric(row, it.Metric)
	if f.has(colProgress) {
		it.Progress = keepNumber(it.Progress, row.Progress)
	}
	if f.has(colActual) {
		it.Current = keepNumber(it.Current, row.Current)
	}
	if f.has(colStatus) {
		it.Status = row.Status
	}
	switch {
	case it.Status != goalpost.StatusClosed:
		if f.has(colScore) && row.Score != nil && !f.has(colStatus) {
			b.p.add(row.Line, f.colName(colScore), "expected an empty cell, the status is not Closed; got %s", quote(csvNumber(*row.Score)))
		}
		it.Score = nil // only a closed item has a score
	case f.has(colScore):
		if row.Score == nil || it.Score == nil || csvNumber(*it.Score) != csvNumber(*row.Score) {
			it.Score = clonePtr(row.Score)
		}
	}
	switch f.TagMode {
	case goalpost.TagsOneColumn:
		it.Tags = keepList(it.Tags, slices.Clone(row.Tags))
	case goalpost.TagsPerColumn:
		// The columns do not keep the order of an item's tags.
		if !sameSet(it.Tags, row.Tags) {
			it.Tags = slices.Clone(row.Tags)
		}
	}
	if f.has(colCheckins) {
		b.checkIns[row.ID] = b.rowCheckIns(row)
	} else if ex != nil {
		for _, c := range b.exCheckIns[row.ID] {
			cc := *c
			b.checkIns[row.ID] = append(b.checkIns[row.ID], &cc)
		}
	}
	switch {
	case f.has(colLastCheckIn) || f.has(colLastNote):
		if f.has(colLastCheckIn) {
			it.LastCheckIn = row.LastCheckIn
		}
		if f.has(colLastNote) {
			it.LastCheckInNote = keepText(it.LastCheckInNote, row.LastCheckInNote)
		}
	case f.has(colCheckins):
		// The newest check-in tells.
		var date goalpost.Date
		var note string
		if len(row.CheckIns) > 0 {
			date, note = row.CheckIns[0].Date, row.CheckIns[0].Note
		}
		it.LastCheckIn, it.LastCheckInNote = date, keepText(it.LastCheckInNote, note)
	}
	if ex == nil {
		it.UpdatedAt = it.CreatedAt
	}
	b.items = append(b.items, it)
	b.built[it.ID] = it
}

// metric returns the metric of a row on the item's current metric: the
// metric columns the file has replace their part. Progress, %, 100, 0 is
// the percent metric. A metric that reads as the current one keeps it
// whole (its direction and unrounded numbers); any other named metric
// increases from its start when the target is above it, decreases from it
// when below, and stays above it when equal.
func (b *builder) metric(row *Row, cur goalpost.Metric) goalpost.Metric {
	f := b.f
	name, unit, target, start := metricCells(cur)
	if f.has(colMetricName) {
		name = row.MetricName
	}
	if f.has(colUnit) {
		unit = row.Unit
	}
	if f.has(colTarget) {
		target = row.Target
	}
	if f.has(colStart) {
		start = row.Start
	}
	cn, cu, ct, cs := metricCells(cur)
	if name == cn && unit == cu && csvNumber(target) == csvNumber(ct) && csvNumber(start) == csvNumber(cs) {
		return cur
	}
	if name == "Progress" && unit == "%" && target == 100 && start == 0 {
		return percentMetric
	}
	m := goalpost.Metric{Name: name, Unit: unit, Target: target, Start: start, Direction: goalpost.DirectionIncreaseFrom}
	switch {
	case target < start:
		m.Direction = goalpost.DirectionDecreaseFrom
	case target == start:
		m.Direction = goalpost.DirectionStayAbove
	}
	return m
}

// metricCells returns the metric cells the writer writes for m.
func metricCells(m goalpost.Metric) (name, unit string, target, start float64) {
	if m.IsPercent() {
		return "Progress", "%", 100, 0
	}
	return m.Name, m.Unit, m.Target, m.Start
}

// rowCheckIns returns the check-ins of a row, oldest first: an existing
// check-in of the item that reads as one of the row's keeps its record (ID
// and Version), the others are new (ID 0).
func (b *builder) rowCheckIns(row *Row) []*goalpost.CheckIn {
	exs := b.exCheckIns[row.ID]
	used := make([]bool, len(exs))
	out := make([]*goalpost.CheckIn, 0, len(row.CheckIns))
	for i := len(row.CheckIns) - 1; i >= 0; i-- {
		cell := row.CheckIns[i]
		c := &goalpost.CheckIn{
			ItemID:     row.ID,
			Date:       cell.Date,
			UserID:     b.user(cell.User),
			Note:       cell.Note,
			Status:     cell.Status,
			Value:      cell.Value,
			ActivityAt: cell.ActivityAt,
		}
		for j, e := range exs {
			if !used[j] && sameCheckIn(e, c) {
				used[j] = true
				cc := *e
				c = &cc
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// sameCheckIn reports whether the existing check-in e reads as c.
func sameCheckIn(e, c *goalpost.CheckIn) bool {
	return e.Date == c.Date && sameSecond(e.ActivityAt, c.ActivityAt) && e.UserID == c.UserID &&
		e.Status == c.Status && csvNumber(e.Value) == csvNumber(c.Value) && sameText(e.Note, c.Note)
}

// alignments builds the alignments of every item of the file, checking
// that each parent exists and has the title the cell gives it.
func (b *builder) alignments() {
	f := b.f
	col := f.colName(colAligned)
	for _, row := range f.Rows {
		if !f.has(colAligned) {
			b.align[row.ID] = slices.Clone(b.exAlign[row.ID])
			continue
		}
		var list []goalpost.Alignment
		for _, a := range row.AlignedTo {
			var title string
			if p, ok := b.built[a.ID]; ok {
				title = p.Title
			} else if p, ok := b.exItems[a.ID]; ok {
				title = p.Title
			} else {
				b.p.add(row.Line, col, "parent Id %d is neither in the file nor in the organization", a.ID)
				continue
			}
			if !sameText(title, a.Title) {
				b.p.add(row.Line, col, "expected the title of item %d, %s; got %s", a.ID, quote(title), quote(a.Title))
				continue
			}
			al := goalpost.Alignment{ChildID: row.ID, ParentID: a.ID, Weight: a.Weight}
			for _, e := range b.exAlign[row.ID] {
				if e.ParentID == a.ID {
					if csvNumber(e.Weight) == csvNumber(a.Weight) {
						al = e
					} else {
						al.Version = e.Version
					}
				}
			}
			list = append(list, al)
		}
		b.align[row.ID] = list
	}
}

// cycles reports a cycle among the alignments: the file's, and the
// existing ones of items the file does not have. The store keeps the
// alignments acyclic, so a cycle runs through an item of the file; the
// message names the line of the first such item (in file order) and the
// cycle from it.
func (b *builder) cycles() {
	parents := func(id int64) []goalpost.Alignment {
		if _, ok := b.fileRows[id]; ok {
			return b.align[id]
		}
		return b.exAlign[id]
	}
	starts := make([]int64, len(b.f.Rows))
	for i, row := range b.f.Rows {
		starts[i] = row.ID
	}
	if cycle := goalpost.AlignmentCycle(starts, parents); cycle != nil {
		b.reportCycle(cycle)
	}
}

// reportCycle reports a cycle of items (each aligned to the next, the last
// to the first) at the line of its first item in file order.
func (b *builder) reportCycle(cycle []int64) {
	start := -1
	for i, id := range cycle {
		if row, ok := b.fileRows[id]; ok && (start < 0 || row.Line < b.fileRows[cycle[start]].Line) {
			start = i
		}
	}
	cycle = append(cycle[start:], cycle[:start]...)
	ids := make([]string, 0, len(cycle)+1)
	for _, id := range append(cycle, cycle[0]) {
		ids = append(ids, fmt.Sprint(id))
	}
	row := b.fileRows[cycle[0]]
	b.p.add(row.Line, b.f.colName(colAligned), "the alignments form a cycle: %s", strings.Join(ids, " → "))
}

// finishItems sets what needs every item: the level of new items, the
// dates of new periods, and UpdatedAt of changed items.
func (b *builder) finishItems() {
	for _, it := range b.items {
		ex := b.exItems[it.ID]
		if ex == nil {
			switch {
			case len(it.TeamIDs) > 0:
				it.Level = goalpost.LevelTeam
			case it.Kind == goalpost.KindObjective && len(b.align[it.ID]) == 0:
				it.Level = goalpost.LevelOrganization
			default:
				it.Level = goalpost.LevelIndividual
			}
			continue
		}
		if sameItem(ex, it) {
			it.UpdatedAt = ex.UpdatedAt
		} else {
			it.UpdatedAt = b.now
		}
	}
	for _, p := range b.periods {
		if !b.newPeriods[p.ID] {
			continue
		}
		if s, e, ok := periodDates(p.Name); ok {
			p.Start, p.End = s, e
			continue
		}
		var starts, ends []goalpost.Date
		for _, it := range b.items {
			if it.PeriodID != p.ID {
				continue
			}
			if !it.StartDate.IsZero() {
				starts = append(starts, it.StartDate)
			}
			if !it.EndDate.IsZero() {
				ends = append(ends, it.EndDate)
			}
		}
		today := goalpost.DateOf(b.now)
		p.Start, p.End = today, today
		all := append(slices.Clone(starts), ends...)
		if len(all) > 0 {
			first := slices.MinFunc(all, compareDates)
			last := slices.MaxFunc(all, compareDates)
			p.Start, p.End = first, last
			if len(starts) > 0 {
				p.Start = slices.MinFunc(starts, compareDates)
			}
			if len(ends) > 0 {
				p.End = slices.MaxFunc(ends, compareDates)
			}
			if p.End.Before(p.Start) {
				p.Start, p.End = first, last
			}
		}
	}
}

func compareDates(a, b goalpost.Date) int { return a.Time().Compare(b.Time()) }

// dataset assembles the result: the organization, the users and
// memberships its records name, their teams and periods, the items with
// their alignments and check-ins, and the view.
func (b *builder) dataset() *goalpost.Dataset {
	ds := &goalpost.Dataset{Organizations: []*goalpost.Organization{b.org}}

	// Users, in order of first mention: the importer first.
	seen := make(map[uuid.UUID]bool)
	var userIDs []uuid.UUID
	mention := func(id uuid.UUID) {
		if id != uuid.Nil && !seen[id] {
			seen[id] = true
			userIDs = append(userIDs, id)
		}
	}
	mention(b.importerID)
	teamSeen := make(map[uuid.UUID]bool)
	periodSeen := make(map[uuid.UUID]bool)
	for _, it := range b.items {
		mention(it.CreatorID)
		for _, id := range it.OwnerIDs {
			mention(id)
		}
		for _, id := range it.TeamIDs {
			if t, ok := b.teams[id]; ok && !teamSeen[id] {
				teamSeen[id] = true
				mention(t.OwnerID)
				ds.Teams = append(ds.Teams, t)
			}
		}
		if p, ok := b.periods[it.PeriodID]; ok && !periodSeen[it.PeriodID] {
			periodSeen[it.PeriodID] = true
			ds.TimePeriods = append(ds.TimePeriods, p)
		}
	}
	for _, it := range b.items {
		for _, c := range b.checkIns[it.ID] {
			mention(c.UserID)
		}
	}
	b.assignUPNs(userIDs)
	for _, id := range userIDs {
		var u *goalpost.User
		switch o := b.opts.Owner; {
		case b.members[id] != nil:
			c := *b.members[id]
			u = &c
		case o != nil && o.ID == id:
			c := *o
			u = &c
		case b.newUsers[id] != nil:
			u = b.newUsers[id]
		default:
			continue // kept by an item from before, no longer a member
		}
		m, ok := b.memberships[id]
		if !ok {
			m = goalpost.Membership{OrgID: b.opts.OrgID, UserID: id, Role: goalpost.RoleMember}
		}
		if o := b.opts.Owner; o != nil && o.ID == id {
			m.Role = goalpost.RoleOwner
		}
		ds.Users = append(ds.Users, u)
		ds.Memberships = append(ds.Memberships, m)
	}

	ds.Items = b.items
	for _, it := range b.items {
		ds.Alignments = append(ds.Alignments, b.align[it.ID]...)
		ds.CheckIns = append(ds.CheckIns, b.checkIns[it.ID]...)
	}
	ds.Views = []*goalpost.ExplorerView{b.view()}
	return ds
}

// assignUPNs gives the new users among ids their UPNs. A slug that another
// new user or an existing member has too gets the user's id in the UPN.
func (b *builder) assignUPNs(ids []uuid.UUID) {
	taken := make(map[string]int) // lower-cased UPN without the id → users
	for _, u := range b.members {
		taken[strings.ToLower(u.UPN)]++
	}
	if o := b.opts.Owner; o != nil {
		taken[strings.ToLower(o.UPN)]++
	}
	plain := make(map[uuid.UUID]string)
	for _, id := range ids {
		if u := b.newUsers[id]; u != nil {
			plain[id] = upnFor(u.DisplayName, id, b.opts.OrgID, false)
		}
	}
	newCount := make(map[string]int)
	for _, upn := range plain {
		newCount[upn]++
	}
	for id, upn := range plain {
		u := b.newUsers[id]
		u.UPN = upn
		if taken[upn] > 0 || newCount[upn] > 1 {
			u.UPN = upnFor(u.DisplayName, id, b.opts.OrgID, true)
		}
	}
}

// view returns the "All items" view: public, every item, the file's
// columns and tag mode.
func (b *builder) view() *goalpost.ExplorerView {
	v := &goalpost.ExplorerView{
		ID:         b.viewID(),
		OrgID:      b.opts.OrgID,
		Name:       ViewName,
		Visibility: goalpost.ViewPublic,
		CreatorID:  b.importerID,
		Export:     b.f.exportSettings(),
		CreatedAt:  b.now,
	}
	if e := b.exView; e != nil {
		v.CreatedAt, v.Version = e.CreatedAt, e.Version
		if len(e.Export.Columns) == 0 && len(v.Export.Columns) == 0 {
			v.Export.Columns = slices.Clone(e.Export.Columns) // nil and empty alike
		}
	}
	return v
}

// exportSettings returns the export settings that write the file's
// columns: Columns nil for exactly the default columns, else the file's
// (OKR type as Object Type, without Type name, with "Tag" where the tag
// columns are unless that is where the writer puts them anyway: after
// Title, or first without Title).
func (f *File) exportSettings() goalpost.ExportSettings {
	var cols []string
	tagAt := -1
	for _, c := range f.cols {
		switch c.kind {
		case colOverflow, colTypeName:
		case colTag, colTagEach:
			if tagAt < 0 {
				tagAt = len(cols)
			}
		case colOKRType:
			cols = append(cols, colNameObjectType)
		default:
			cols = append(cols, c.canon)
		}
	}
	if tagAt >= 0 {
		auto := slices.Index(cols, colNameTitle) + 1 // 0 without Title
		if tagAt != auto {
			cols = slices.Insert(cols, tagAt, goalpost.TagColumnName)
		}
	}
	if slices.Equal(cols, goalpost.DefaultColumns) {
		cols = nil
	}
	return goalpost.ExportSettings{Columns: cols, Tags: f.TagMode}
}

// sameItem reports whether two versions of an item agree in everything
// but UpdatedAt and Version.
func sameItem(a, b *goalpost.Item) bool {
	x, y := *a, *b
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	x.Version, y.Version = 0, 0
	if !slices.Equal(x.TeamIDs, y.TeamIDs) || !slices.Equal(x.OwnerIDs, y.OwnerIDs) || !slices.Equal(x.Tags, y.Tags) {
		return false
	}
	if (x.Score == nil) != (y.Score == nil) || x.Score != nil && *x.Score != *y.Score {
		return false
	}
	if !x.CreatedAt.Equal(y.CreatedAt) {
		return false
	}
	x.TeamIDs, y.TeamIDs, x.OwnerIDs, y.OwnerIDs, x.Tags, y.Tags = nil, nil, nil, nil, nil, nil
	x.Score, y.Score = nil, nil
	x.CreatedAt, y.CreatedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

// keepText returns cur when the file's text s reads as cur (line breaks
// aside, which the CSV writes as CRLF and reads as LF), else s.
func keepText(cur, s string) string {
	if sameText(cur, s) {
		return cur
	}
	return s
}

// sameText reports whether a and b are equal once their line breaks (CRLF,
// CR, LF) are all LF.
func sameText(a, b string) bool {
	if a == b {
		return true
	}
	return normalizeBreaks(a) == normalizeBreaks(b)
}

var breaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func normalizeBreaks(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return breaks.Replace(s)
}

// keepNumber returns cur when v formats as cur does (the file rounds to two
// decimals), else v.
func keepNumber(cur, v float64) float64 {
	if csvNumber(cur) == csvNumber(v) {
		return cur
	}
	return v
}

// keepList returns cur when it holds the same elements as v in the same
// order (nil and empty alike), else v.
func keepList[T comparable](cur, v []T) []T {
	if slices.Equal(cur, v) {
		return cur
	}
	return v
}

// sameSet reports whether a and b hold the same elements, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, s := range b {
		if !slices.Contains(a, s) {
			return false
		}
	}
	return true
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneTeam(t *goalpost.Team) *goalpost.Team {
	c := *t
	c.Members = slices.Clone(t.Members)
	return &c
}

// sameSecond reports whether a and b fall in the same second, as the file
// writes times.
func sameSecond(a, b time.Time) bool {
	return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
}
