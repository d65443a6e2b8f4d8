package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/google/uuid"
)

// Northwind is the synthetic organization that Synthetic builds for
// benchmarks and multi-process tests. Its organization, time period and view
// IDs are fixed; its users' and teams' IDs follow from the seed.
var (
	// NorthwindID is the organization Northwind.
	NorthwindID = uuid.MustParse("7b3e5c2a-1d4f-4e8b-9a6c-2f1e0d9c8b7a")
	// NorthwindEverythingViewID is "Everything": public, created by Olga,
	// no filter.
	NorthwindEverythingViewID = uuid.MustParse("4a2b6c8d-0e1f-4a3b-8c5d-6e7f8091a2b3")
)

const (
	// NorthwindOwnerUPN is Olga Petrova, the owner of Northwind.
	NorthwindOwnerUPN = "olga@northwind.com"
	// NorthwindFirstItemID is the ID of Northwind's first item; the others
	// follow without gaps. It keeps clear of the demo's item IDs (2295770…
	// and 3100001…).
	NorthwindFirstItemID int64 = 10_000_000
	// NorthwindFirstCheckInID is the ID of Northwind's first check-in; the
	// others follow without gaps. It keeps clear of the demo's check-in IDs
	// (5000001… and 5100001…) and reads differently from an item ID.
	NorthwindFirstCheckInID int64 = 100_000_000
)

// NorthwindDefaultViewID returns the fixed ID of Northwind's default view
// name (one of goalpost.DefaultViews).
func NorthwindDefaultViewID(name string) uuid.UUID {
	return uuid.NewSHA1(NorthwindID, []byte("view/"+name))
}

// Synthetic returns the organization Northwind with exactly items items, for
// benchmarks and multi-process tests: its owner Olga Petrova
// (NorthwindOwnerUPN), about one user per 25 items (10 to 5,000) under a
// management hierarchy, about one team per 200 items (at least 3), the four
// quarters and the year 2025, the view "Everything" and the default views.
//
// The items are shaped like a real company's: organization, team and
// individual objectives (team and individual ones often aligned under a key
// result of the level above), key results under objectives, initiatives
// under key results; every status, named metrics and the percent metric,
// rolled-up progress, restricted items (about 3%), items aligned to a second
// parent, up to six check-ins each. Item IDs start at NorthwindFirstItemID
// and every parent has a lower ID than its children, so alignments never
// form a cycle and the IDs follow the depth-first export order (but for an
// item's second parent).
//
// The same items and seed give a deep-equal dataset; another seed gives
// another one. To keep a million items within a few hundred megabytes,
// items share their tag slices with each other, and their owner and team
// slices with their parent where those are the same: change an item's
// slices by replacing them, not in place.
func Synthetic(items int, seed int64) *goalpost.Dataset {
	items = max(items, 0)
	ds := &goalpost.Dataset{}
	g := &synth{
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)),
		seed:  seed,
		ds:    ds,
		total: items,
		items: make([]goalpost.Item, items),
		aux:   make([]synthAux, items),
	}
	b := newBuilder(ds, &goalpost.Organization{
		ID:          NorthwindID,
		Name:        "Northwind",
		Terminology: goalpost.DefaultTerminology,
		CreatedAt:   synthCreated,
	}, NorthwindFirstCheckInID)
	g.users(b)
	g.teams(b)
	g.periods(b)
	g.pools()
	g.generate()
	g.weigh()
	g.rollUp()
	g.checkIns()

	olga := g.userIDs[0]
	b.view(goalpost.ExplorerView{
		ID:         NorthwindEverythingViewID,
		Name:       "Everything",
		Visibility: goalpost.ViewPublic,
		CreatorID:  olga,
		CreatedAt:  synthCreated,
	})
	var views [7]uuid.UUID
	for i, name := range goalpost.DefaultViews {
		views[i] = NorthwindDefaultViewID(name)
	}
	b.defaultViews(olga, synthCreated, views)
	return ds
}

// synthCreated is when Northwind and its views were created; synthYear is
// the start of 2025, day 0 of the days that synth counts in; synthAsOf is
// the day the data was taken: check-ins stop there.
var (
	synthCreated = time.Date(2025, time.January, 2, 8, 0, 0, 0, time.UTC)
	synthYear    = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
)

const synthAsOf = 348 // 2025-12-15, as a day of 2025 (0 is January 1)

// synth builds one Synthetic dataset. The items are made into one array in
// ID order (items[i] has the ID NorthwindFirstItemID+i), and per-item
// bookkeeping lives in aux, in the same order, instead of maps.
type synth struct {
	rng   *rand.Rand
	seed  int64
	ds    *goalpost.Dataset
	total int
	items []goalpost.Item
	aux   []synthAux
	n     int // items made so far

	userIDs   []uuid.UUID
	writers   []int32   // users who may own items and check in (no observers)
	leaders   []int32   // writers at the top of the hierarchy: organization-level owners
	userTeams [][]int32 // the active teams of each user
	team      []synthTeam
	depts     int     // team[:depts] are the departments
	active    []int32 // the teams that are not archived
	period    [5]synthPeriod

	tagSets      [][]string
	descriptions []string
	notes        []string
	objectives   []int64 // the IDs of the objectives made so far: second parents

	uuids    synthSlab[uuid.UUID]
	scores   synthSlab[float64]
	checkins synthSlab[goalpost.CheckIn]
}

// synthAux is what the later passes need to know about an item.
type synthAux struct {
	children            int32 // items aligned to it
	team                int32 // index of its first team, -1 when none
	start, end, created int16 // days of 2025
	period              uint8 // index into synth.period
	metric              int8  // index into synthMetrics, -1 for percent
}

type synthTeam struct {
	owner   int32
	members []int32
}

type synthPeriod struct {
	id         uuid.UUID
	start, end int // days of 2025
	past       bool
}

// synthSlab hands out small slices cut from larger arrays: far fewer
// allocations than one per item. The slices are capped, so appending to one
// copies it instead of overwriting its neighbour.
type synthSlab[T any] struct{ buf []T }

func (s *synthSlab[T]) take(n int) []T {
	if len(s.buf) < n {
		s.buf = make([]T, max(n, 4096))
	}
	v := s.buf[:n:n]
	s.buf = s.buf[n:]
	return v
}

func (g *synth) id(kind string, i int) uuid.UUID {
	return uuid.NewSHA1(NorthwindID, []byte(kind+"/"+strconv.FormatInt(g.seed, 10)+"/"+strconv.Itoa(i)))
}

func (g *synth) chance(p float64) bool { return g.rng.Float64() < p }

// between returns an int in [lo, hi].
func (g *synth) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func (g *synth) uniform(lo, hi float64) float64 { return lo + g.rng.Float64()*(hi-lo) }

// weighted returns i with the probability weights[i]/sum(weights).
func (g *synth) weighted(weights ...int) int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	r := g.rng.IntN(sum)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

func synthPick[T any](g *synth, s []T) T { return s[g.rng.IntN(len(s))] }

// users adds Olga, the owner, and the others under her: each manager has
// four to seven reports, and a manager comes before their reports.
func (g *synth) users(b *builder) {
	n := min(max(g.total/25, 10), 5000)
	admins := 2 + n/1000
	g.userIDs = make([]uuid.UUID, n)
	g.userTeams = make([][]int32, n)
	g.ds.Users = make([]*goalpost.User, 0, n)
	g.ds.Memberships = make([]goalpost.Membership, 0, n)
	upns := make(map[string]int, n)
	for i := range n {
		id := g.id("user", i)
		g.userIDs[i] = id
		if i == 0 {
			b.user(id, NorthwindOwnerUPN, "Olga Petrova", uuid.Nil, goalpost.RoleOwner)
			g.writers = append(g.writers, 0)
			continue
		}
		first, last := synthPick(g, synthFirstNames), synthPick(g, synthLastNames)
		local := first.ascii + "." + last.ascii
		upns[local]++
		if k := upns[local]; k > 1 {
			local += strconv.Itoa(k)
		}
		lo, hi := (i-1)/7, (i-1)/4
		manager := g.userIDs[g.between(lo, hi)]
		role := goalpost.RoleMember
		switch {
		case i <= admins:
			role = goalpost.RoleAdmin
		case g.chance(0.07):
			role = goalpost.RoleObserver
		}
		b.user(id, local+"@northwind.com", first.name+" "+last.name, manager, role)
		if role != goalpost.RoleObserver {
			g.writers = append(g.writers, int32(i))
		}
	}
	top := max(5, n/50)
	for _, w := range g.writers {
		if int(w) < top {
			g.leaders = append(g.leaders, w)
		}
	}
}

// teams adds the departments, then teams under them and under each other,
// each with an owner and three to nine members who may write.
func (g *synth) teams(b *builder) {
	n := max(3, g.total/200)
	g.depts = max(2, min(len(synthDepartments), n/6))
	g.team = make([]synthTeam, n)
	ids := make([]uuid.UUID, n)
	dept := make([]int, n) // the department a team is under
	names := make(map[string]int, n)
	g.ds.Teams = make([]*goalpost.Team, 0, n)
	for i := range n {
		ids[i] = g.id("team", i)
		t := goalpost.Team{ID: ids[i], Type: "department"}
		var owner int32
		if i < g.depts {
			dept[i] = i
			t.Name = synthDepartments[i]
			owner = g.leaders[(i+1)%len(g.leaders)]
		} else {
			parent := g.rng.IntN(g.depts)
			if i > g.depts && g.chance(0.4) {
				parent = g.between(g.depts, i-1)
			}
			dept[i] = dept[parent]
			t.ParentID = ids[parent]
			t.Type = "squad"
			if parent < g.depts {
				t.Type = synthPick(g, synthTeamTypes)
			}
			t.Name = synthDepartments[dept[i]] + " – " + synthPick(g, synthTeamFocus)
			names[t.Name]++
			if k := names[t.Name]; k > 1 {
				t.Name += " " + strconv.Itoa(k)
			}
			t.Archived = g.chance(0.06)
			owner = synthPick(g, g.writers)
		}
		members := []int32{owner}
		for want, tries := g.between(3, 9), 0; len(members) < want && tries < 30; tries++ {
			if u := synthPick(g, g.writers); !slices.Contains(members, u) {
				members = append(members, u)
			}
		}
		t.OwnerID = g.userIDs[owner]
		t.Members = make([]uuid.UUID, len(members))
		for k, u := range members {
			t.Members[k] = g.userIDs[u]
			if !t.Archived {
				g.userTeams[u] = append(g.userTeams[u], int32(i))
			}
		}
		if !t.Archived {
			g.active = append(g.active, int32(i))
		}
		g.team[i] = synthTeam{owner: owner, members: members}
		b.team(t)
	}
}

// synthAnnual is the index of Annual 2025 in synth.period; the quarters
// come before it, in order.
const synthAnnual = 4

func (g *synth) periods(b *builder) {
	for i, p := range []struct{ name, start, end string }{
		{"Q1 2025", "2025-01-01", "2025-03-31"},
		{"Q2 2025", "2025-04-01", "2025-06-30"},
		{"Q3 2025", "2025-07-01", "2025-09-30"},
		{"Q4 2025", "2025-10-01", "2025-12-31"},
		{"Annual 2025", "2025-01-01", "2025-12-31"},
	} {
		id := uuid.NewSHA1(NorthwindID, []byte("period/"+p.name))
		b.period(id, p.name, p.start, p.end)
		start, end := synthDay(goalpost.MustParseDate(p.start)), synthDay(goalpost.MustParseDate(p.end))
		g.period[i] = synthPeriod{id: id, start: start, end: end, past: end < synthAsOf}
	}
}

// synthDay returns d as a day of 2025.
func synthDay(d goalpost.Date) int { return int(d.Time().Sub(synthYear) / (24 * time.Hour)) }

// synthDate returns the date of a day of 2025.
func synthDate(day int) goalpost.Date { return synthDates[day] }

var synthDates = func() (ds [365]goalpost.Date) {
	for day := range ds {
		ds[day] = goalpost.DateOf(synthYear.AddDate(0, 0, day))
	}
	return ds
}()

// pools makes the tag sets, descriptions and check-in notes that items share.
func (g *synth) pools() {
	for _, t := range synthTags {
		g.tagSets = append(g.tagSets, []string{t})
	}
	for range 24 {
		set := make([]string, 0, 3)
		for want := g.between(2, 3); len(set) < want; {
			if t := synthPick(g, synthTags); !slices.Contains(set, t) {
				set = append(set, t)
			}
		}
		g.tagSets = append(g.tagSets, set[:len(set):len(set)])
	}
	for range 256 {
		var d string
		for k, n := 0, g.between(1, 3); k < n; k++ {
			s := synthPick(g, synthSentences)
			switch {
			case strings.Contains(d, s):
				continue
			case d == "":
			case g.chance(0.25):
				d += "\n"
			default:
				d += " "
			}
			d += s
		}
		g.descriptions = append(g.descriptions, d)
	}
	for range 256 {
		note := synthPick(g, synthNotes)
		if more := synthPick(g, synthNotes); note != "" && more != "" && more != note && g.chance(0.3) {
			note += " " + more
		}
		g.notes = append(g.notes, note)
	}
}

// generate makes the items depth-first, tree after tree, until there are
// g.total of them; the last tree may end early.
func (g *synth) generate() {
	g.ds.Items = make([]*goalpost.Item, g.total)
	for i := range g.items {
		g.ds.Items[i] = &g.items[i]
	}
	g.ds.Alignments = make([]goalpost.Alignment, 0, g.total+g.total/20)
	for g.n < g.total {
		switch g.weighted(50, 30, 20) {
		case 0:
			g.objective(goalpost.LevelOrganization, nil)
		case 1:
			g.objective(goalpost.LevelTeam, nil)
		default:
			g.objective(goalpost.LevelIndividual, nil)
		}
	}
}

// objective makes an objective at level with its key results, their
// initiatives and, under some key results, an objective of the level below.
func (g *synth) objective(level goalpost.Level, parent *goalpost.Item) {
	o := g.item(goalpost.KindObjective, level, parent)
	if o == nil {
		return
	}
	g.objectives = append(g.objectives, o.ID)
	var krs, inits int
	switch level {
	case goalpost.LevelOrganization:
		krs, inits = g.between(3, 5), 2
	case goalpost.LevelTeam:
		krs, inits = g.between(2, 4), 3
	default:
		krs, inits = g.between(1, 3), 2
	}
	for range krs {
		kr := g.item(goalpost.KindKeyResult, level, o)
		if kr == nil {
			return
		}
		for range g.between(0, inits) {
			if g.item(goalpost.KindInitiative, level, kr) == nil {
				return
			}
		}
		if level != goalpost.LevelIndividual && g.chance(0.3) {
			below := goalpost.LevelTeam
			if level == goalpost.LevelTeam {
				below = goalpost.LevelIndividual
			}
			g.objective(below, kr)
		}
	}
}

// item makes the next item, aligned to parent unless that is nil, or
// returns nil when all items are made. Its status and progress are manual;
// rollUp changes them for the items whose progress rolls up.
func (g *synth) item(kind goalpost.ItemKind, level goalpost.Level, parent *goalpost.Item) *goalpost.Item {
	if g.n == g.total {
		return nil
	}
	i := g.n
	g.n++
	it, a := &g.items[i], &g.aux[i]
	it.ID = NorthwindFirstItemID + int64(i)
	it.OrgID = NorthwindID
	it.Kind, it.Level = kind, level
	var pa *synthAux
	if parent != nil {
		pa = &g.aux[parent.ID-NorthwindFirstItemID]
		g.align(it.ID, parent.ID, pa)
		if g.chance(0.04) && len(g.objectives) > 0 {
			if second := synthPick(g, g.objectives); second != parent.ID {
				g.align(it.ID, second, &g.aux[second-NorthwindFirstItemID])
			}
		}
	}

	g.dates(it, a, pa)
	g.people(it, a, parent, pa)

	switch {
	case parent != nil && parent.Tags != nil && g.chance(0.7):
		it.Tags = parent.Tags
	case g.chance(0.6):
		it.Tags = synthPick(g, g.tagSets)
	}
	// The chances of being committed, of a named metric and of a
	// description.
	var pCommitted, pNamed, pDescribed float64
	switch kind {
	case goalpost.KindObjective:
		pCommitted, pNamed, pDescribed = 0.25, 0, 0.7
	case goalpost.KindKeyResult:
		pCommitted, pNamed, pDescribed = 0.4, 0.7, 0.5
	default:
		pCommitted, pNamed, pDescribed = 0.2, 0.08, 0.35
	}
	it.GoalType = goalpost.GoalAspirational
	if g.chance(pCommitted) {
		it.GoalType = goalpost.GoalCommitted
	}
	// About 3 %: a few roots are restricted with their whole tree, a few
	// items on their own.
	restricted := 0.01
	if parent == nil {
		restricted = 0.02
	}
	it.Visibility = goalpost.VisibilityEveryone
	if parent != nil && parent.Visibility == goalpost.VisibilityRestricted || g.chance(restricted) {
		it.Visibility = goalpost.VisibilityRestricted
	}

	a.metric = -1
	it.Metric = percent
	var m *synthMetric
	if g.chance(pNamed) {
		a.metric = int8(g.rng.IntN(len(synthMetrics)))
		m = &synthMetrics[a.metric]
		it.Metric = g.metric(m)
	}
	it.Title = g.title(it, m)
	if g.chance(pDescribed) {
		it.Description = synthPick(g, g.descriptions)
	}
	it.ProgressMode = goalpost.ProgressManual
	g.status(it, g.pickStatus(a), m)
	return it
}

// align records child → parent; weigh sets the weights once every child is
// known.
func (g *synth) align(child, parent int64, pa *synthAux) {
	g.ds.Alignments = append(g.ds.Alignments, goalpost.Alignment{ChildID: child, ParentID: parent})
	pa.children++
}

// dates picks the item's period (a child keeps its parent's quarter, or
// takes a quarter of its parent's year), its dates and when it was created:
// at most two weeks before it starts and at most five days after.
func (g *synth) dates(it *goalpost.Item, a, pa *synthAux) {
	annual := 0.3 // the chance of a root to be for the whole year
	switch it.Level {
	case goalpost.LevelOrganization:
		annual = 0.5
	case goalpost.LevelTeam:
		annual = 0.25
	}
	switch {
	case pa != nil && (pa.period != synthAnnual || g.chance(0.5)):
		a.period = pa.period
	case pa == nil && g.chance(annual):
		a.period = synthAnnual
	default:
		a.period = uint8(g.weighted(20, 25, 25, 30))
	}
	p := &g.period[a.period]
	start, end := p.start, p.end
	if g.chance(0.15) {
		start += g.rng.IntN(31)
		end -= g.rng.IntN(31)
	}
	created := max(0, start+g.between(-14, 5))
	a.start, a.end, a.created = int16(start), int16(end), int16(created)
	it.PeriodID = p.id
	it.StartDate, it.EndDate = synthDate(start), synthDate(end)
	it.CreatedAt = synthYear.Add(time.Duration(created)*24*time.Hour + time.Duration(g.between(7*3600, 19*3600))*time.Second)
}

// people picks the item's teams, owners and creator: organization-level
// items belong to departments and leaders, team-level ones to a team and its
// members, individual ones to one person.
func (g *synth) people(it *goalpost.Item, a *synthAux, parent *goalpost.Item, pa *synthAux) {
	a.team = -1
	var pool []int32 // whom the owners are picked from
	switch it.Level {
	case goalpost.LevelOrganization:
		if parent != nil && parent.Level == it.Level && g.chance(0.7) {
			it.TeamIDs, a.team = parent.TeamIDs, pa.team
		} else {
			a.team = int32(g.rng.IntN(g.depts))
			if a.team != 0 && g.chance(0.3) {
				it.TeamIDs = g.teamIDs(0, a.team)
			} else {
				it.TeamIDs = g.teamIDs(a.team)
			}
		}
		pool = g.leaders
	case goalpost.LevelTeam:
		if parent != nil && parent.Level == it.Level && g.chance(0.8) {
			it.TeamIDs, a.team = parent.TeamIDs, pa.team
		} else {
			a.team = synthPick(g, g.active)
			if second := synthPick(g, g.active); second != a.team && g.chance(0.15) {
				it.TeamIDs = g.teamIDs(a.team, second)
			} else {
				it.TeamIDs = g.teamIDs(a.team)
			}
		}
		pool = g.team[a.team].members
	default:
		if parent != nil && parent.Level == it.Level {
			it.TeamIDs, it.OwnerIDs, it.CreatorID, a.team = parent.TeamIDs, parent.OwnerIDs, parent.CreatorID, pa.team
			return
		}
		// Someone of the parent's team, or anyone.
		owner := synthPick(g, g.writers)
		if pa != nil && pa.team >= 0 {
			owner = synthPick(g, g.team[pa.team].members)
		}
		if ts := g.userTeams[owner]; len(ts) > 0 && g.chance(0.5) {
			a.team = synthPick(g, ts)
			it.TeamIDs = g.teamIDs(a.team)
		}
		it.OwnerIDs = g.uuids.take(1)
		it.OwnerIDs[0] = g.userIDs[owner]
		it.CreatorID = it.OwnerIDs[0]
		return
	}

	var owners int // how many: none (a few), mostly one, up to three
	switch it.Kind {
	case goalpost.KindObjective:
		owners = g.weighted(1, 55, 35, 9)
	case goalpost.KindKeyResult:
		owners = g.weighted(3, 72, 20, 5)
	default:
		owners = g.weighted(3, 82, 12, 3)
	}
	if owners > 0 {
		picked := make([]int32, 0, 3)
		for tries := 0; len(picked) < owners && tries < 10; tries++ {
			if u := synthPick(g, pool); !slices.Contains(picked, u) {
				picked = append(picked, u)
			}
		}
		it.OwnerIDs = g.uuids.take(len(picked))
		for k, u := range picked {
			it.OwnerIDs[k] = g.userIDs[u]
		}
	}
	switch {
	case len(it.OwnerIDs) > 0 && g.chance(0.7):
		it.CreatorID = it.OwnerIDs[0]
	case parent != nil && g.chance(0.5):
		it.CreatorID = parent.CreatorID
	default:
		it.CreatorID = g.userIDs[g.team[a.team].owner]
	}
}

func (g *synth) teamIDs(teams ...int32) []uuid.UUID {
	ids := g.uuids.take(len(teams))
	for k, t := range teams {
		ids[k] = g.ds.Teams[t].ID
	}
	return ids
}

// pickStatus picks a status, most of them closed in the past quarters and
// under way in the current ones.
func (g *synth) pickStatus(a *synthAux) goalpost.Status {
	if g.period[a.period].past {
		return synthStatuses[g.weighted(6, 10, 9, 7, 50, 12, 6)]
	}
	return synthStatuses[g.weighted(12, 45, 15, 10, 8, 5, 5)]
}

var synthStatuses = []goalpost.Status{
	goalpost.StatusNotStarted, goalpost.StatusOnTrack, goalpost.StatusBehind, goalpost.StatusAtRisk,
	goalpost.StatusClosed, goalpost.StatusPostponed, goalpost.StatusReopened,
}

// status sets the item's status and a progress that fits it, its current
// metric value and, when it is closed, its score.
func (g *synth) status(it *goalpost.Item, s goalpost.Status, m *synthMetric) {
	var p float64
	switch s {
	case goalpost.StatusNotStarted:
		p = 0
	case goalpost.StatusOnTrack:
		p = float64(g.between(10, 95))
	case goalpost.StatusBehind:
		p = float64(g.between(5, 60))
	case goalpost.StatusAtRisk:
		p = float64(g.between(0, 40))
	case goalpost.StatusClosed:
		p = 100
		if g.chance(0.6) {
			p = float64(g.between(40, 99))
		}
	case goalpost.StatusPostponed:
		p = float64(g.between(0, 30))
	case goalpost.StatusReopened:
		p = float64(g.between(30, 90))
	}
	it.Status = s
	met := it.Metric
	switch {
	case met.IsPercent():
		it.Progress, it.Current = p, p
	case s == goalpost.StatusNotStarted:
		it.Progress, it.Current = 0, met.Start
	case met.Direction == goalpost.DirectionStayAbove || met.Direction == goalpost.DirectionStayBelow:
		good := s == goalpost.StatusOnTrack || s == goalpost.StatusClosed || s == goalpost.StatusReopened
		off := m.step * float64(g.between(1, 5))
		if good == (met.Direction == goalpost.DirectionStayBelow) {
			off = -off
		}
		it.Current = max(0, synthRound(met.Target+off, m.step))
		if met.Unit == "%" {
			it.Current = min(100, it.Current)
		}
		it.Progress = 100
		if !good {
			ratio := it.Current / met.Target
			if met.Direction == goalpost.DirectionStayBelow {
				ratio = met.Target / it.Current
			}
			it.Progress = synthRound(max(0, min(100, ratio*100)), 0.01)
		}
	case met.Direction == goalpost.DirectionBaseline:
		it.Current = synthRound(met.Start*g.uniform(0.95, 1.05), m.step)
		it.Progress = p
	default:
		it.Current = synthRound(met.Start+(met.Target-met.Start)*p/100, m.step)
		it.Progress = synthRound(max(0, min(100, (it.Current-met.Start)/(met.Target-met.Start)*100)), 0.01)
	}
	it.Score = nil
	if s == goalpost.StatusClosed {
		sc := g.scores.take(1)
		sc[0] = max(0, min(1, synthRound(it.Progress/100+g.uniform(-0.1, 0.1), 0.1)))
		it.Score = &sc[0]
	}
}

// synthRound rounds v to a multiple of step (1000, 1, 0.1, 0.01), exactly
// as a decimal would read when step is below 1.
func synthRound(v, step float64) float64 {
	if step >= 1 {
		return math.Round(v/step) * step
	}
	inv := math.Round(1 / step)
	return math.Round(v*inv) / inv
}

// weigh splits every parent's 100 % equally among its children.
func (g *synth) weigh() {
	for k := range g.ds.Alignments {
		a := &g.ds.Alignments[k]
		a.Weight = 100 / float64(g.aux[a.ParentID-NorthwindFirstItemID].children)
	}
}

// rollUp makes most objectives with children, and some percent key results,
// roll their progress up: the weighted mean of their children's. Children
// have higher IDs than their parents, so going down the IDs meets every
// child before its parents. The alignments are in child order too.
func (g *synth) rollUp() {
	sum := make([]float64, g.total)
	al := g.ds.Alignments
	k := len(al) - 1
	for i := g.total - 1; i >= 0; i-- {
		it, a := &g.items[i], &g.aux[i]
		if a.children > 0 && it.Metric.IsPercent() &&
			(it.Kind == goalpost.KindObjective && g.chance(0.85) || it.Kind == goalpost.KindKeyResult && g.chance(0.3)) {
			it.ProgressMode = goalpost.ProgressRollup
			s := g.pickStatus(a)
			if s == goalpost.StatusNotStarted && sum[i] > 0 {
				s = goalpost.StatusOnTrack
			}
			g.status(it, s, nil)
			it.Progress = synthRound(sum[i], 0.01)
			it.Current = it.Progress
			if it.Score != nil {
				*it.Score = synthRound(it.Progress/100, 0.1)
			}
		}
		for ; k >= 0 && al[k].ChildID == it.ID; k-- {
			sum[al[k].ParentID-NorthwindFirstItemID] += al[k].Weight / 100 * it.Progress
		}
	}
}

// checkIns adds each item's check-ins, oldest first, on days between its
// creation and the earlier of its end and synthAsOf: the newest one has the
// item's status and current value. An item is updated when its newest
// check-in was recorded, or within two days of its creation.
func (g *synth) checkIns() {
	g.ds.CheckIns = make([]*goalpost.CheckIn, 0, g.total*5/2)
	id := NorthwindFirstCheckInID
	for i := range g.items {
		it, a := &g.items[i], &g.aux[i]
		var n int
		switch {
		case it.Status == goalpost.StatusNotStarted:
			n = g.weighted(75, 25)
		case it.ProgressMode == goalpost.ProgressRollup:
			n = g.weighted(40, 25, 20, 15)
		default:
			n = 1 + g.weighted(20, 25, 22, 15, 10, 8)
		}
		lo, hi := max(int(a.start), int(a.created)+1), min(int(a.end), synthAsOf)
		days := hi - lo + 1
		n = min(n, days)
		it.UpdatedAt = it.CreatedAt.Add(time.Duration(g.rng.IntN(48*3600)) * time.Second)
		cs := g.checkins.take(n)
		for k := range cs {
			c := &cs[k]
			from, to := lo+k*days/n, lo+(k+1)*days/n
			day := from + g.rng.IntN(to-from)
			at := day
			if k == n-1 && g.chance(0.1) {
				at++ // recorded the next day
			}
			c.ID, c.ItemID = id, it.ID
			id++
			c.Date = synthDate(day)
			c.ActivityAt = synthYear.Add(time.Duration(at)*24*time.Hour + time.Duration(g.between(7*3600, 20*3600))*time.Second)
			c.UserID = it.CreatorID
			if len(it.OwnerIDs) > 0 && !g.chance(0.1) {
				c.UserID = it.OwnerIDs[0]
				if len(it.OwnerIDs) > 1 && g.chance(0.2) {
					c.UserID = it.OwnerIDs[1]
				}
			}
			c.Note = synthPick(g, g.notes)
			if k == n-1 {
				c.Status, c.Value = it.Status, it.Current
				if it.Status == goalpost.StatusClosed {
					c.Note = synthPick(g, synthClosingNotes)
				}
				it.UpdatedAt = c.ActivityAt
			} else {
				c.Status, c.Value = g.earlier(it, k, n)
			}
			g.ds.CheckIns = append(g.ds.CheckIns, c)
		}
	}
}

// earlier returns the status and value of the item's k-th of n check-ins,
// not the newest: on the way from the metric's start to the current value.
func (g *synth) earlier(it *goalpost.Item, k, n int) (goalpost.Status, float64) {
	s := synthStatuses[1+g.weighted(60, 25, 15)] // on track, behind, at risk
	switch {
	case it.Status == goalpost.StatusNotStarted:
		return it.Status, it.Current
	case it.Status == goalpost.StatusReopened && k == n-2:
		s = goalpost.StatusClosed
	}
	m, step := it.Metric, 1.0
	if a := g.aux[it.ID-NorthwindFirstItemID]; a.metric >= 0 {
		step = synthMetrics[a.metric].step
	}
	switch m.Direction {
	case goalpost.DirectionStayAbove, goalpost.DirectionStayBelow, goalpost.DirectionBaseline:
		v := max(0, synthRound(it.Current*g.uniform(0.99, 1.01), step))
		if m.Unit == "%" {
			v = min(100, v)
		}
		return s, v
	}
	f := float64(k+1) / float64(n) * g.uniform(0.6, 1)
	return s, synthRound(m.Start+(it.Current-m.Start)*f, step)
}

// synthMetric is a named metric an item may measure, with the ranges its
// start and target are drawn from.
type synthMetric struct {
	name, unit string
	dir        goalpost.Direction
	phrase     string  // in titles: "Grow <phrase> from … to …"
	verb, noun string  // reach titles: "<verb> 8 <noun>"
	lo, hi     float64 // the start (the target for reach and stay metrics)
	change     float64 // the largest relative change to the target
	step       float64 // values are multiples of it
	suffix     bool    // titles write the unit after numbers
}

var synthMetrics = []synthMetric{
	{name: "Annual recurring revenue", unit: "$", dir: goalpost.DirectionIncreaseFrom, phrase: "annual recurring revenue",
		lo: 2e6, hi: 2e7, change: 0.5, step: 1000},
	{name: "Net promoter score", unit: "number", dir: goalpost.DirectionIncreaseFrom, phrase: "net promoter score",
		lo: 20, hi: 45, change: 0.4, step: 1},
	{name: "Churn rate", unit: "%", dir: goalpost.DirectionDecreaseFrom, phrase: "monthly churn",
		lo: 3, hi: 8, change: 0.5, step: 0.1},
	{name: "Customer satisfaction", unit: "%", dir: goalpost.DirectionIncreaseFrom, phrase: "customer satisfaction (CSAT)",
		lo: 70, hi: 85, change: 0.12, step: 0.1},
	{name: "P1 incidents per quarter", unit: "number", dir: goalpost.DirectionDecreaseFrom, phrase: "P1 incidents per quarter",
		lo: 8, hi: 20, change: 0.7, step: 1},
	{name: "Monthly active users", unit: "users", dir: goalpost.DirectionIncreaseFrom, phrase: "monthly active users",
		lo: 5000, hi: 200_000, change: 0.6, step: 100},
	{name: "Engineers hired", unit: "people", dir: goalpost.DirectionReach, verb: "Hire", noun: "engineers",
		lo: 3, hi: 20, step: 1},
	{name: "New enterprise customers", unit: "customers", dir: goalpost.DirectionReach, verb: "Sign", noun: "new enterprise customers",
		lo: 5, hi: 30, step: 1},
	{name: "Deals closed", unit: "deals", dir: goalpost.DirectionReach, verb: "Close", noun: "deals over €50,000",
		lo: 4, hi: 40, step: 1},
	{name: "Cloud certifications", unit: "certificates", dir: goalpost.DirectionReach, verb: "Earn", noun: "cloud certifications",
		lo: 1, hi: 5, step: 1},
	{name: "Cost per ticket", unit: "€", dir: goalpost.DirectionDecreaseFrom, phrase: "cost per support ticket",
		lo: 8, hi: 25, change: 0.4, step: 0.1},
	{name: "First response time", unit: "hours", dir: goalpost.DirectionDecreaseFrom, phrase: "first response time",
		lo: 6, hi: 48, change: 0.6, step: 0.5, suffix: true},
	{name: "Employee engagement score", unit: "number", dir: goalpost.DirectionIncreaseFrom, phrase: "the employee engagement score",
		lo: 60, hi: 75, change: 0.2, step: 1},
	{name: "Carbon emissions", unit: "tCO₂e", dir: goalpost.DirectionDecreaseFrom, phrase: "carbon emissions",
		lo: 500, hi: 5000, change: 0.3, step: 10, suffix: true},
	{name: "Qualified pipeline", unit: "$", dir: goalpost.DirectionIncreaseFrom, phrase: "qualified pipeline",
		lo: 1e6, hi: 8e6, change: 0.8, step: 10_000},
	{name: "Uptime", unit: "%", dir: goalpost.DirectionStayAbove, phrase: "uptime",
		lo: 99.5, hi: 99.9, step: 0.1},
	{name: "Page load time (p95)", unit: "ms", dir: goalpost.DirectionStayBelow, phrase: "p95 page load time",
		lo: 800, hi: 2000, step: 10, suffix: true},
	{name: "Gross margin", unit: "%", dir: goalpost.DirectionBaseline, phrase: "gross margin",
		lo: 30, hi: 60, step: 0.1},
}

// metric draws a start and a target for m.
func (g *synth) metric(m *synthMetric) goalpost.Metric {
	out := goalpost.Metric{Name: m.name, Unit: m.unit, Direction: m.dir}
	v := synthRound(g.uniform(m.lo, m.hi), m.step)
	change := g.uniform(0.1, max(0.1, m.change))
	switch m.dir {
	case goalpost.DirectionReach:
		out.Start, out.Target = 0, max(m.step, v)
	case goalpost.DirectionIncreaseFrom:
		out.Start, out.Target = v, max(v+m.step, synthRound(v*(1+change), m.step))
	case goalpost.DirectionDecreaseFrom:
		out.Start, out.Target = v, max(0, min(v-m.step, synthRound(v*(1-change), m.step)))
	case goalpost.DirectionStayAbove:
		out.Start, out.Target = synthRound(v+m.step, m.step), v
	case goalpost.DirectionStayBelow:
		out.Start, out.Target = synthRound(v-m.step*float64(g.between(1, 5)), m.step), v
	default: // baseline
		out.Start, out.Target = v, v
	}
	return out
}

// title writes a title from the word lists; m is the item's named metric or
// nil.
func (g *synth) title(it *goalpost.Item, m *synthMetric) string {
	tail := func(p float64) string {
		if g.chance(p) {
			return synthPick(g, synthTails)
		}
		return ""
	}
	switch {
	case it.Kind == goalpost.KindObjective:
		if it.Level == goalpost.LevelIndividual && g.chance(0.6) {
			return synthPick(g, synthGrowVerbs) + " " + synthPick(g, synthGrowInto)
		}
		switch g.rng.IntN(3) {
		case 0:
			return synthPick(g, synthWinVerbs) + " " + synthPick(g, synthCustomers) + tail(0.5)
		case 1:
			return "Make " + synthPick(g, synthAreas) + " " + synthPick(g, synthQualities)
		default:
			return synthPick(g, synthBuildVerbs) + " " + synthPick(g, synthAdjectives) + " " + synthPick(g, synthFunctions)
		}
	case m != nil:
		met := it.Metric
		num := func(v float64) string { return synthFormat(v, m) }
		var s string
		switch m.dir {
		case goalpost.DirectionReach:
			s = m.verb + " " + num(met.Target) + " " + m.noun
		case goalpost.DirectionIncreaseFrom:
			s = synthPick(g, synthIncreaseVerbs) + " " + m.phrase +
				" from " + num(met.Start) + " to " + num(met.Target)
		case goalpost.DirectionDecreaseFrom:
			s = synthPick(g, synthDecreaseVerbs) + " " + m.phrase +
				" from " + num(met.Start) + " to " + num(met.Target)
		case goalpost.DirectionStayAbove:
			s = "Keep " + m.phrase + " above " + num(met.Target)
		case goalpost.DirectionStayBelow:
			s = "Keep " + m.phrase + " below " + num(met.Target)
		default:
			s = "Establish a baseline for " + m.phrase
		}
		return s + tail(0.25)
	case it.Kind == goalpost.KindKeyResult:
		return synthPick(g, synthDeliverVerbs) + " " + synthPick(g, synthThings) + tail(0.4)
	default:
		return synthPick(g, synthInitiativeVerbs) + " " + synthPick(g, synthThings) + tail(0.4)
	}
}

// synthFormat writes a metric value for a title: "$1.2M", "4.5%", "12,000",
// "800 ms".
func synthFormat(v float64, m *synthMetric) string {
	short := func(v float64) string { return strconv.FormatFloat(synthRound(v, 0.1), 'f', -1, 64) }
	switch m.unit {
	case "$", "€":
		switch {
		case v >= 1e6:
			return m.unit + short(v/1e6) + "M"
		case v >= 1e4:
			return m.unit + short(v/1e3) + "K"
		}
		return m.unit + synthGroup(v)
	case "%":
		return short(v) + "%"
	}
	if m.suffix {
		return synthGroup(v) + " " + m.unit
	}
	return synthGroup(v)
}

// synthGroup writes v with thousands separators: 12,000 or 2.5.
func synthGroup(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var sb strings.Builder
	for k, r := range whole {
		if k > 0 && (len(whole)-k)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(r)
	}
	if frac != "" {
		sb.WriteString("." + frac)
	}
	return sb.String()
}

// The word lists. Some words need CSV quoting (commas, double quotes, line
// breaks) and some are not ASCII, so that exports exercise both.
var (
	synthFirstNames = []struct{ name, ascii string }{
		{"Anna", "anna"}, {"Ben", "ben"}, {"Carlos", "carlos"}, {"Chloé", "chloe"}, {"Dmitri", "dmitri"},
		{"Elif", "elif"}, {"Emma", "emma"}, {"Farid", "farid"}, {"Grace", "grace"}, {"Hiroshi", "hiroshi"},
		{"Inès", "ines"}, {"Jakub", "jakub"}, {"Jonas", "jonas"}, {"Kofi", "kofi"}, {"Lars", "lars"},
		{"Léa", "lea"}, {"Liam", "liam"}, {"Maja", "maja"}, {"Mateo", "mateo"}, {"Mei", "mei"},
		{"Nadia", "nadia"}, {"Noah", "noah"}, {"Olu", "olu"}, {"Priya", "priya"}, {"Rafael", "rafael"},
		{"Renée", "renee"}, {"Sofia", "sofia"}, {"Søren", "soren"}, {"Tariq", "tariq"}, {"Yuki", "yuki"},
		{"Zoë", "zoe"}, {"Åsa", "asa"}, {"Björn", "bjorn"}, {"François", "francois"}, {"José", "jose"},
		{"Łukasz", "lukasz"}, {"Ngozi", "ngozi"}, {"Aisha", "aisha"}, {"Marco", "marco"}, {"Hannah", "hannah"},
	}
	synthLastNames = []struct{ name, ascii string }{
		{"Andersen", "andersen"}, {"Bauer", "bauer"}, {"Costa", "costa"}, {"Dubois", "dubois"},
		{"Eriksson", "eriksson"}, {"Fischer", "fischer"}, {"García", "garcia"}, {"Hansen", "hansen"},
		{"Ivanova", "ivanova"}, {"Jensen", "jensen"}, {"Kowalski", "kowalski"}, {"López", "lopez"},
		{"Müller", "muller"}, {"Nakamura", "nakamura"}, {"O'Brien", "obrien"}, {"Patel", "patel"},
		{"Quinn", "quinn"}, {"Rossi", "rossi"}, {"Schmidt", "schmidt"}, {"Tanaka", "tanaka"},
		{"Novák", "novak"}, {"van der Berg", "vanderberg"}, {"Wang", "wang"}, {"Yılmaz", "yilmaz"},
		{"Zhang", "zhang"}, {"Nguyễn", "nguyen"}, {"Okafor", "okafor"}, {"Silva", "silva"},
		{"Haddad", "haddad"}, {"Kim", "kim"},
	}
	synthDepartments = []string{
		"Leadership", "Sales", "Marketing", "Engineering", "Product", "Customer Success", "Finance",
		"People & Culture", "Operations", "Legal, Risk & Compliance",
	}
	synthTeamTypes = []string{"squad", "region", "chapter", "program"}
	synthTeamFocus = []string{
		"Payments", "Checkout", "Growth", "Platform", "Data", "Mobile", "EMEA", "Americas", "APAC", "DACH",
		"Nordics", "Enterprise", "SMB", "Brand", "Content", "Recruiting", "Learning", "Procurement",
		"Logistics", "Security", "Zürich", "São Paulo", "Infrastructure", "Partnerships", "Support Tier 2",
	}
	synthTags = []string{
		"growth", "revenue", "customer", "quality", "security", "cost", "hiring", "platform", "compliance",
		"sustainability", "brand", "AI", "go-to-market", "expansion", "Zürich",
	}
	synthWinVerbs = []string{
		"Become the first choice for", "Delight", "Win over", "Earn the trust of", "Grow our share of",
		"Build lasting relationships with", "Serve",
	}
	synthCustomers = []string{
		"mid-market retailers", "enterprise customers", "families across Europe", "small businesses",
		"hospital networks", "public-sector buyers", "café owners", "logistics partners", "first-time buyers",
	}
	synthAreas = []string{
		"checkout", "onboarding", "our supply chain", "support", "the platform", "hiring", "reporting", "billing",
	}
	synthQualities = []string{
		"fast, reliable and secure", "effortless", "world-class", "predictable", "twice as fast",
		`"boringly" reliable`, "a competitive advantage",
	}
	synthIncreaseVerbs   = []string{"Grow", "Increase", "Raise", "Lift"}
	synthDecreaseVerbs   = []string{"Reduce", "Cut", "Bring down", "Lower"}
	synthDeliverVerbs    = []string{"Complete", "Deliver", "Finish", "Roll out"}
	synthBuildVerbs      = []string{"Build a", "Run a", "Create a", "Grow a"}
	synthAdjectives      = []string{"lean", "predictable", "data-driven", "customer-obsessed", "sustainable", "high-performing"}
	synthFunctions       = []string{"finance function", "engineering organization", "sales engine", "partner ecosystem", "support team", "product culture", "supply chain"}
	synthGrowVerbs       = []string{"Grow as", "Become", "Develop into"}
	synthGrowInto        = []string{"a better manager", "a certified cloud architect", "a confident public speaker", "an expert in data privacy", "a mentor to new joiners"}
	synthInitiativeVerbs = []string{
		"Launch", "Pilot", "Roll out", "Automate", "Migrate", "Run", "Redesign", "Document", "Localize", "Retire",
	}
	synthThings = []string{
		"the partner portal", "self-service onboarding", "the new pricing page", `the "Atlas" data platform`,
		"weekly pipeline reviews", "a customer advisory board", "single sign-on for internal tools",
		"the returns workflow", "the mobile checkout", "the warehouse scanner app", "quarterly business reviews",
		"the on-call handbook", "the Kubernetes migration", "the café loyalty programme",
		"the Montréal distribution centre", "the employee referral programme", "zero-downtime deployments",
		"the 東京 showroom", "the data retention policy", "the supplier scorecard", "the Düsseldorf pop-up store",
		"the accessibility audit", "invoice automation", "security awareness training",
	}
	synthTails = []string{
		" in 2025", " in Zürich and Geneva", " across EMEA", " in São Paulo", " in 東京", ", region by region",
		" in Kraków and Łódź", " in Montréal", " for all stores", ", phase 2", " (pilot)", " — company-wide",
		", end to end", ` with the "Tiger" team`,
	}
	synthSentences = []string{
		"Agreed at the planning offsite.", "Owned jointly with Finance.", "Measured monthly from the BI dashboard.",
		"Counts paying customers only, not trials.", `See "How we measure" in the wiki.`,
		"Scope: DACH, Benelux and the Nordics.", "Zürich, Genève and Lausanne first; Montréal later.",
		"Ask Łukasz or Zoë for the raw data.", "Includes the 東京 and 大阪 offices.",
		"Budget: €120,000, approved in January.", "Depends on the platform team's Q2 release.",
		"Why: customers told us, loud and clear, that it matters.", "A stretch target set with the board.",
		"Reported in the monthly business review.", "Naïve estimates first, then refine.",
		`Follow-up from last year's retro: "less, but better".`,
	}
	synthNotes = []string{
		"On plan.", "Slipped a week; recovering.", `Blocked on legal review of the "vendor terms".`,
		"Two launches this week, one fix.", "Numbers are in, and they look good.",
		"Waiting for data from the Zürich team.", "Hiring is slower than planned.",
		"Scope cut, but the core is on track.", "Customer feedback is positive: 4.6/5.",
		"Dependencies on Platform resolved.", "Budget approved (€45,000).", "Renée joined; the pace picks up.",
		"Still at risk: the supplier missed two deadlines.", "", "Weekly update, no change.",
		"Good progress, see the dashboard.", "First results from the São Paulo pilot.", "Kick-off done.",
	}
	synthClosingNotes = []string{
		"Done.", "Closed: target met.", "Closed — thanks, everyone!",
		"Closed short of the target; lessons in the retro doc.", "Closed: live in all stores, Malmö included.",
	}
)
