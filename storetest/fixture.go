package storetest

import (
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The fixture: two organizations. Contoso (orgA) has a user of every role,
// three teams of two types, three time periods, 16 items covering every
// filter dimension (three of them restricted, one with two parents) and
// check-ins; Fabrikam (orgB) has two items that must never show in orgA's
// exports. "Today" for the relative filters is fixtureNow.
//
// Alignment tree of orgA (first parent first; 111 also aligns to 100):
//
//	100 Grow revenue            (objective)
//	├── 101 Close 50 deals
//	├── 102 Raise NPS score above 40
//	│   └── 103 Survey customers
//	├── 104 Secret acquisition  (restricted: Tina, team Sales)
//	│   └── 105 Due diligence
//	└── 106 Grow revenue per customer
//	110 Improve platform        (objective)
//	├── 111 Cut latency         (parents 110 at 50 %, then 100 at 25 %)
//	│   └── 113 Add caching
//	└── 112 Harden secrets vault (restricted: Noah, team Platform squad)
//	120 Ship 100% of _core_ features (objective, no owner)
//	└── 121 Write docs
//	130 Learn Go                (objective)
//	└── 131 Read the spec
//	150 Observer's own goal     (objective, restricted: Oscar)

// fixtureNow is "now" for every export of the fixture: today is 2025-03-15.
var fixtureNow = time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)

var (
	orgA = uuid.MustParse("a0000000-0000-4000-8000-000000000001")
	orgB = uuid.MustParse("b0000000-0000-4000-8000-000000000001")

	olivia = uuid.MustParse("a0000000-0000-4000-8000-0000000000a1") // owner of A
	adam   = uuid.MustParse("a0000000-0000-4000-8000-0000000000a2") // admin of A, member of B
	maria  = uuid.MustParse("a0000000-0000-4000-8000-0000000000a3") // member of A, manager of Mia and Tina
	mia    = uuid.MustParse("a0000000-0000-4000-8000-0000000000a4") // member of A
	noah   = uuid.MustParse("a0000000-0000-4000-8000-0000000000a5") // member of A, managed by Olivia
	tina   = uuid.MustParse("a0000000-0000-4000-8000-0000000000a6") // member of A
	oscar  = uuid.MustParse("a0000000-0000-4000-8000-0000000000a7") // observer of A
	otto   = uuid.MustParse("b0000000-0000-4000-8000-0000000000b1") // owner of B

	teamEng   = uuid.MustParse("a0000000-0000-4000-8000-0000000000e1") // department: Mia, Noah
	teamSales = uuid.MustParse("a0000000-0000-4000-8000-0000000000e2") // department: Tina
	teamSquad = uuid.MustParse("a0000000-0000-4000-8000-0000000000e3") // squad: Noah, Tina
	teamB     = uuid.MustParse("b0000000-0000-4000-8000-0000000000e1")

	periodQ1   = uuid.MustParse("a0000000-0000-4000-8000-0000000000f1")
	periodQ2   = uuid.MustParse("a0000000-0000-4000-8000-0000000000f2")
	periodYear = uuid.MustParse("a0000000-0000-4000-8000-0000000000f3")
	periodB    = uuid.MustParse("b0000000-0000-4000-8000-0000000000f1")

	viewAll  = uuid.MustParse("a0000000-0000-4000-8000-0000000000c1") // public, no filter
	viewMine = uuid.MustParse("a0000000-0000-4000-8000-0000000000c2") // Mia's private "All my objectives"
	viewB    = uuid.MustParse("b0000000-0000-4000-8000-0000000000c1")
)

// Display names, as exports show them.
const (
	nameOlivia = "Olivia Owner"
	nameAdam   = "Adam Admin"
	nameMaria  = "Maria Manager"
	nameMia    = "Mia Member"
	nameNoah   = "Noah Member"
	nameTina   = "Tina Teammate"
	nameOscar  = "Oscar Observer"
	nameOtto   = "Otto Outsider"
)

// at returns the UTC instant of "YYYY-MM-DD HH:MM".
func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// date parses YYYY-MM-DD; "" is the zero Date.
func date(s string) goalpost.Date {
	if s == "" {
		return goalpost.Date{}
	}
	return goalpost.MustParseDate(s)
}

func ptr[T any](v T) *T { return &v }

// item is a compact row of the fixture's item table.
type item struct {
	id           int64
	kind         goalpost.ItemKind
	level        goalpost.Level
	title        string
	owners       []uuid.UUID
	teams        []uuid.UUID
	tags         []string
	period       uuid.UUID
	start, end   string
	status       goalpost.Status
	progress     float64
	restricted   bool
	created, upd string
}

// fixtureItems is orgA's item table. The check-ins below set last check-in
// dates: 100 03-01, 101 03-10, 102 03-12, 103 03-01, 106 03-08, 111 03-13,
// 121 03-15, 131 02-01; the others have none.
var fixtureItems = []item{
	{100, goalpost.KindObjective, goalpost.LevelOrganization, "Grow revenue", ids(olivia), ids(teamSales), tags("growth", "revenue"), periodQ1, "2025-01-01", "2025-03-31", goalpost.StatusOnTrack, 40, false, "2025-01-02 09:00", "2025-03-14 10:00"},
	{101, goalpost.KindKeyResult, goalpost.LevelTeam, "Close 50 deals", ids(tina), ids(teamSales), tags("sales"), periodQ1, "2025-01-01", "2025-03-10", goalpost.StatusBehind, 20, false, "2025-01-05 09:00", "2025-03-10 21:00"},
	{102, goalpost.KindKeyResult, goalpost.LevelTeam, "Raise NPS score above 40", ids(mia, noah), ids(teamEng, teamSales), tags("customer", "growth"), periodQ1, "2025-01-15", "2025-03-20", goalpost.StatusAtRisk, 55.5, false, "2025-01-10 09:00", "2025-03-12 09:00"},
	{103, goalpost.KindInitiative, goalpost.LevelIndividual, "Survey customers", ids(mia), ids(teamEng), tags("customer"), periodQ1, "2025-02-01", "2025-03-01", goalpost.StatusClosed, 100, false, "2025-02-01 09:00", "2025-03-01 09:00"},
	{104, goalpost.KindKeyResult, goalpost.LevelTeam, "Secret acquisition", ids(tina), ids(teamSales), tags("secret"), periodQ1, "2025-01-01", "2025-03-31", goalpost.StatusOnTrack, 30, true, "2025-01-20 09:00", "2025-03-05 09:00"},
	{105, goalpost.KindInitiative, goalpost.LevelIndividual, "Due diligence", ids(tina), nil, nil, periodQ1, "", "2025-04-15", goalpost.StatusNotStarted, 0, false, "2025-03-14 09:00", "2025-03-14 09:30"},
	{106, goalpost.KindKeyResult, goalpost.LevelOrganization, "Grow revenue per customer", ids(olivia, mia), ids(teamSales, teamEng), tags("revenue"), periodQ1, "2025-01-01", "2025-03-25", goalpost.StatusOnTrack, 80, false, "2025-01-03 09:00", "2025-03-08 09:00"},
	{110, goalpost.KindObjective, goalpost.LevelTeam, "Improve platform", ids(noah), ids(teamEng, teamSquad), tags("platform"), periodQ2, "2025-04-01", "2025-06-30", goalpost.StatusNotStarted, 0, false, "2025-03-01 09:00", "2025-03-01 09:00"},
	{111, goalpost.KindKeyResult, goalpost.LevelTeam, "Cut latency", ids(noah), ids(teamSquad), tags("platform", "latency"), periodQ2, "2025-04-01", "2025-06-30", goalpost.StatusOnTrack, 10, false, "2025-03-02 09:00", "2025-03-13 09:00"},
	{112, goalpost.KindKeyResult, goalpost.LevelTeam, "Harden secrets vault", ids(noah), ids(teamSquad), tags("platform"), periodQ2, "2025-04-01", "2025-06-30", goalpost.StatusOnTrack, 5, true, "2025-03-02 10:00", "2025-03-02 10:00"},
	{113, goalpost.KindInitiative, goalpost.LevelTeam, "Add caching", ids(noah), ids(teamSquad), nil, periodQ2, "2025-04-01", "2025-05-15", goalpost.StatusNotStarted, 0, false, "2025-03-03 09:00", "2025-03-03 09:00"},
	{120, goalpost.KindObjective, goalpost.LevelOrganization, "Ship 100% of _core_ features", nil, nil, nil, periodQ1, "", "", goalpost.StatusPostponed, 0, false, "2024-12-01 09:00", "2024-12-15 09:00"},
	{121, goalpost.KindKeyResult, goalpost.LevelIndividual, "Write docs", ids(mia), nil, nil, periodQ1, "2025-02-20", "2025-03-18", goalpost.StatusOnTrack, 70, false, "2025-02-20 09:00", "2025-03-15 08:00"},
	{130, goalpost.KindObjective, goalpost.LevelIndividual, "Learn Go", ids(mia), nil, tags("personal"), periodYear, "2025-01-01", "2025-12-31", goalpost.StatusReopened, 25, false, "2024-11-01 09:00", "2025-01-10 09:00"},
	{131, goalpost.KindKeyResult, goalpost.LevelIndividual, "Read the spec", ids(mia), nil, tags("personal"), periodYear, "2025-01-01", "2025-06-30", goalpost.StatusBehind, 15, false, "2025-01-01 09:00", "2025-02-01 09:00"},
	{150, goalpost.KindObjective, goalpost.LevelOrganization, "Observer's own goal", ids(oscar), nil, nil, periodQ1, "2025-01-01", "2025-03-31", goalpost.StatusAtRisk, 60, true, "2025-01-15 09:00", "2025-03-15 09:00"},
}

func ids(us ...uuid.UUID) []uuid.UUID { return us }
func tags(ts ...string) []string      { return ts }

// fixtureAlignments are orgA's and orgB's alignments. 111 aligns to 110
// first and to 100 second: its first parent has the higher id.
var fixtureAlignments = []goalpost.Alignment{
	{ChildID: 101, ParentID: 100, Weight: 33.33},
	{ChildID: 102, ParentID: 100, Weight: 33.33},
	{ChildID: 103, ParentID: 102, Weight: 100},
	{ChildID: 104, ParentID: 100, Weight: 0},
	{ChildID: 105, ParentID: 104, Weight: 100},
	{ChildID: 106, ParentID: 100, Weight: 33.34},
	{ChildID: 111, ParentID: 110, Weight: 50},
	{ChildID: 111, ParentID: 100, Weight: 25},
	{ChildID: 112, ParentID: 110, Weight: 50},
	{ChildID: 113, ParentID: 111, Weight: 100},
	{ChildID: 121, ParentID: 120, Weight: 100},
	{ChildID: 131, ParentID: 130, Weight: 100},
	{ChildID: 201, ParentID: 200, Weight: 100},
}

// fixtureCheckIns are listed out of order on purpose: exports show them
// newest first by date and then activity time.
var fixtureCheckIns = []*goalpost.CheckIn{
	{ID: 1, ItemID: 100, Date: date("2025-02-01"), UserID: olivia, Note: "Started", Status: goalpost.StatusOnTrack, Value: 10, ActivityAt: at("2025-02-01 10:00")},
	{ID: 2, ItemID: 100, Date: date("2025-03-01"), UserID: olivia, Note: "Halfway there", Status: goalpost.StatusOnTrack, Value: 40, ActivityAt: at("2025-03-01 10:00")},
	{ID: 3, ItemID: 101, Date: date("2025-02-10"), UserID: tina, Note: "First deals", Status: goalpost.StatusOnTrack, Value: 5, ActivityAt: at("2025-02-10 12:00")},
	{ID: 4, ItemID: 101, Date: date("2025-03-10"), UserID: tina, Note: "Slow month", Status: goalpost.StatusBehind, Value: 10, ActivityAt: time.Date(2025, 3, 10, 20, 57, 8, 0, time.UTC)},
	{ID: 5, ItemID: 101, Date: date("2025-03-10"), UserID: tina, Note: "Correction, \"quoted\"", Status: goalpost.StatusBehind, Value: 9, ActivityAt: at("2025-03-10 08:00")},
	{ID: 6, ItemID: 102, Date: date("2025-03-12"), UserID: mia, Note: "NPS 31", Status: goalpost.StatusAtRisk, Value: 55.5, ActivityAt: at("2025-03-12 09:00")},
	{ID: 7, ItemID: 103, Date: date("2025-03-01"), UserID: mia, Note: "Done", Status: goalpost.StatusClosed, Value: 100, ActivityAt: at("2025-03-01 09:00")},
	{ID: 8, ItemID: 106, Date: date("2025-03-08"), UserID: olivia, Note: "On plan", Status: goalpost.StatusOnTrack, Value: 80, ActivityAt: at("2025-03-08 09:00")},
	{ID: 9, ItemID: 111, Date: date("2025-03-13"), UserID: noah, Note: "Baseline measured", Status: goalpost.StatusOnTrack, Value: 10, ActivityAt: at("2025-03-13 09:00")},
	{ID: 10, ItemID: 121, Date: date("2025-03-15"), UserID: mia, Note: "Draft ready", Status: goalpost.StatusOnTrack, Value: 70, ActivityAt: at("2025-03-15 07:30")},
	{ID: 11, ItemID: 131, Date: date("2025-02-01"), UserID: mia, Note: "Chapter 1", Status: goalpost.StatusBehind, Value: 15, ActivityAt: at("2025-02-01 09:00")},
	{ID: 12, ItemID: 201, Date: date("2025-03-01"), UserID: otto, Note: "Fabrikam check-in", Status: goalpost.StatusOnTrack, Value: 50, ActivityAt: at("2025-03-01 09:00")},
}

// fixture returns a fresh copy of the fixture dataset.
func fixture() *goalpost.Dataset {
	ds := &goalpost.Dataset{
		Organizations: []*goalpost.Organization{
			{ID: orgA, Name: "Contoso Test", Terminology: goalpost.DefaultTerminology, CreatedAt: at("2024-10-01 00:00")},
			{ID: orgB, Name: "Fabrikam Test", Terminology: goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"}, CreatedAt: at("2024-10-02 00:00")},
		},
		Users: []*goalpost.User{
			// Mia comes before her manager: a dataset's order is free.
			{ID: mia, UPN: "mia@contoso.test", DisplayName: nameMia, ManagerID: maria},
			{ID: olivia, UPN: "olivia@contoso.test", DisplayName: nameOlivia},
			{ID: adam, UPN: "adam@contoso.test", DisplayName: nameAdam},
			{ID: maria, UPN: "maria@contoso.test", DisplayName: nameMaria},
			{ID: noah, UPN: "noah@contoso.test", DisplayName: nameNoah, ManagerID: olivia},
			{ID: tina, UPN: "tina@contoso.test", DisplayName: nameTina, ManagerID: maria},
			{ID: oscar, UPN: "oscar@contoso.test", DisplayName: nameOscar},
			{ID: otto, UPN: "otto@fabrikam.test", DisplayName: nameOtto},
		},
		Memberships: []goalpost.Membership{
			{OrgID: orgA, UserID: olivia, Role: goalpost.RoleOwner},
			{OrgID: orgA, UserID: adam, Role: goalpost.RoleAdmin},
			{OrgID: orgA, UserID: maria, Role: goalpost.RoleMember},
			{OrgID: orgA, UserID: mia, Role: goalpost.RoleMember},
			{OrgID: orgA, UserID: noah, Role: goalpost.RoleMember},
			{OrgID: orgA, UserID: tina, Role: goalpost.RoleMember},
			{OrgID: orgA, UserID: oscar, Role: goalpost.RoleObserver},
			{OrgID: orgB, UserID: otto, Role: goalpost.RoleOwner},
			{OrgID: orgB, UserID: adam, Role: goalpost.RoleMember},
		},
		Teams: []*goalpost.Team{
			{ID: teamEng, OrgID: orgA, Name: "Engineering", OwnerID: noah, Type: "department", Members: ids(mia, noah)},
			{ID: teamSales, OrgID: orgA, Name: "Sales", OwnerID: tina, Type: "department", Members: ids(tina)},
			{ID: teamSquad, OrgID: orgA, Name: "Platform squad", ParentID: teamEng, OwnerID: noah, Type: "squad", Members: ids(noah, tina)},
			{ID: teamB, OrgID: orgB, Name: "Fabrikam team", OwnerID: otto, Type: "department", Archived: true, Members: ids(otto)},
		},
		TimePeriods: []*goalpost.TimePeriod{
			{ID: periodQ1, OrgID: orgA, Name: "Q1 2025", Start: date("2025-01-01"), End: date("2025-03-31")},
			{ID: periodQ2, OrgID: orgA, Name: "Q2 2025", Start: date("2025-04-01"), End: date("2025-06-30")},
			{ID: periodYear, OrgID: orgA, Name: "Annual 2025", Start: date("2025-01-01"), End: date("2025-12-31")},
			{ID: periodB, OrgID: orgB, Name: "FY25", Start: date("2024-07-01"), End: date("2025-06-30")},
		},
		Alignments: append([]goalpost.Alignment(nil), fixtureAlignments...),
		Views: []*goalpost.ExplorerView{
			{ID: viewAll, OrgID: orgA, Name: "All objectives", Visibility: goalpost.ViewPublic, CreatorID: olivia, CreatedAt: at("2024-10-01 00:00")},
			{ID: viewMine, OrgID: orgA, Name: "All my objectives", Visibility: goalpost.ViewPrivate, CreatorID: mia,
				Filter: goalpost.ViewFilter{
					Owners:    []string{goalpost.OwnerMe},
					Kinds:     []goalpost.ItemKind{goalpost.KindObjective, goalpost.KindKeyResult},
					Progress:  &goalpost.ProgressRange{Min: 0, Max: 100},
					Due:       &goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 30},
					CheckedIn: &goalpost.DateFilter{Op: goalpost.DateOn, Date: date("2025-03-01")},
					Aligned:   &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: 100},
				},
				TopLevelOnly: true,
				Export:       goalpost.ExportSettings{Columns: []string{"Id", "Title"}, Tags: goalpost.TagsPerColumn, IncludeChildren: true},
				CreatedAt:    at("2025-01-01 12:00")},
			{ID: viewB, OrgID: orgB, Name: "All objectives", Visibility: goalpost.ViewPublic, CreatorID: otto, CreatedAt: at("2024-10-02 00:00")},
		},
	}
	for _, it := range fixtureItems {
		ds.Items = append(ds.Items, it.item())
	}
	ds.Items = append(ds.Items,
		&goalpost.Item{ID: 200, OrgID: orgB, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization, Title: "Fabrikam objective",
			OwnerIDs: ids(otto), TeamIDs: ids(teamB), CreatorID: otto, PeriodID: periodB, GoalType: goalpost.GoalAspirational,
			Tags: tags("fabrikam"), Status: goalpost.StatusOnTrack, Progress: 50, ProgressMode: goalpost.ProgressManual,
			Visibility: goalpost.VisibilityEveryone, CreatedAt: at("2025-01-01 09:00"), UpdatedAt: at("2025-03-01 09:00")},
		&goalpost.Item{ID: 201, OrgID: orgB, Kind: goalpost.KindKeyResult, Level: goalpost.LevelTeam, Title: "Fabrikam key result",
			OwnerIDs: ids(otto), CreatorID: otto, PeriodID: periodB, GoalType: goalpost.GoalCommitted,
			Status: goalpost.StatusOnTrack, Progress: 50, ProgressMode: goalpost.ProgressManual,
			Visibility: goalpost.VisibilityEveryone, CreatedAt: at("2025-01-01 09:00"), UpdatedAt: at("2025-03-01 09:00")},
	)
	for _, c := range fixtureCheckIns {
		cc := *c
		ds.CheckIns = append(ds.CheckIns, &cc)
	}
	return ds
}

// item returns the fixture row as a goalpost.Item. Every item is created
// by Olivia; 101 has a named metric, 103 is closed with a score, 106 is a
// committed goal rolled up from its children.
func (it item) item() *goalpost.Item {
	i := &goalpost.Item{
		ID: it.id, OrgID: orgA, Kind: it.kind, Level: it.level, Title: it.title,
		Description: "About " + it.title,
		TeamIDs:     it.teams, OwnerIDs: it.owners, CreatorID: olivia, PeriodID: it.period,
		StartDate: date(it.start), EndDate: date(it.end), GoalType: goalpost.GoalAspirational, Tags: it.tags,
		Metric:  goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionIncreaseFrom},
		Current: it.progress, Progress: it.progress, ProgressMode: goalpost.ProgressManual, Status: it.status,
		Visibility: goalpost.VisibilityEveryone, CreatedAt: at(it.created), UpdatedAt: at(it.upd),
	}
	if it.restricted {
		i.Visibility = goalpost.VisibilityRestricted
	}
	switch it.id {
	case 101:
		i.Metric = goalpost.Metric{Name: "Deals", Unit: "number", Start: 0, Target: 50, Direction: goalpost.DirectionIncreaseFrom}
		i.Current = 10
	case 103:
		i.Score = ptr(0.8)
	case 106:
		i.GoalType = goalpost.GoalCommitted
		i.ProgressMode = goalpost.ProgressRollup
	case 150:
		i.CreatorID = oscar
	}
	return i
}
