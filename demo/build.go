package demo

import (
	"time"

	"github.com/goalpost/goalpost"
	"github.com/google/uuid"
)

// builder appends one organization's records to a Dataset and fills in what
// follows from them: an item's organization, dates from its period, its
// defaults, and its UpdatedAt from its check-ins.
type builder struct {
	ds          *goalpost.Dataset
	org         uuid.UUID
	periods     map[uuid.UUID]*goalpost.TimePeriod
	items       map[int64]*goalpost.Item
	lastCheckIn int64 // the ID of the last check-in added
}

func newBuilder(ds *goalpost.Dataset, org *goalpost.Organization, firstCheckInID int64) *builder {
	ds.Organizations = append(ds.Organizations, org)
	return &builder{
		ds:          ds,
		org:         org.ID,
		periods:     make(map[uuid.UUID]*goalpost.TimePeriod),
		items:       make(map[int64]*goalpost.Item),
		lastCheckIn: firstCheckInID - 1,
	}
}

// user adds a user and their membership of the builder's organization.
func (b *builder) user(id uuid.UUID, upn, name string, manager uuid.UUID, role goalpost.Role) {
	b.ds.Users = append(b.ds.Users, &goalpost.User{ID: id, UPN: upn, DisplayName: name, ManagerID: manager})
	b.ds.Memberships = append(b.ds.Memberships, goalpost.Membership{OrgID: b.org, UserID: id, Role: role})
}

func (b *builder) team(t goalpost.Team) {
	t.OrgID = b.org
	b.ds.Teams = append(b.ds.Teams, &t)
}

func (b *builder) period(id uuid.UUID, name, start, end string) {
	p := &goalpost.TimePeriod{
		ID:    id,
		OrgID: b.org,
		Name:  name,
		Start: goalpost.MustParseDate(start),
		End:   goalpost.MustParseDate(end),
	}
	b.periods[id] = p
	b.ds.TimePeriods = append(b.ds.TimePeriods, p)
}

// percent is the plain 0 → 100 % metric.
var percent = goalpost.Metric{Unit: "%", Start: 0, Target: 100, Direction: goalpost.DirectionReach}

// item adds it with these defaults: the period's dates, the percent metric
// (whose current value is the progress), manual progress, an aspirational
// goal, visible to everyone. Its period must have been added.
func (b *builder) item(it goalpost.Item) {
	p := b.periods[it.PeriodID]
	it.OrgID = b.org
	if it.StartDate.IsZero() {
		it.StartDate = p.Start
	}
	if it.EndDate.IsZero() {
		it.EndDate = p.End
	}
	if it.Metric == (goalpost.Metric{}) {
		it.Metric = percent
	}
	if it.Metric.IsPercent() {
		it.Current = it.Progress
	}
	if it.ProgressMode == "" {
		it.ProgressMode = goalpost.ProgressManual
	}
	if it.GoalType == "" {
		it.GoalType = goalpost.GoalAspirational
	}
	if it.Visibility == "" {
		it.Visibility = goalpost.VisibilityEveryone
	}
	it.UpdatedAt = it.CreatedAt
	b.items[it.ID] = &it
	b.ds.Items = append(b.ds.Items, &it)
}

// align makes child contribute weight percent to parent.
func (b *builder) align(child, parent int64, weight float64) {
	b.ds.Alignments = append(b.ds.Alignments, goalpost.Alignment{ChildID: child, ParentID: parent, Weight: weight})
}

// checkIn adds a check-in dated date and recorded at activity (UTC), and
// moves the item's UpdatedAt to it. Add an item's check-ins oldest first.
func (b *builder) checkIn(item int64, user uuid.UUID, date, activity string, status goalpost.Status, value float64, note string) {
	b.lastCheckIn++
	at := timestamp(activity)
	b.ds.CheckIns = append(b.ds.CheckIns, &goalpost.CheckIn{
		ID:         b.lastCheckIn,
		ItemID:     item,
		Date:       goalpost.MustParseDate(date),
		UserID:     user,
		Note:       note,
		Status:     status,
		Value:      value,
		ActivityAt: at,
	})
	if it := b.items[item]; at.After(it.UpdatedAt) {
		it.UpdatedAt = at
	}
}

func (b *builder) view(v goalpost.ExplorerView) {
	v.OrgID = b.org
	b.ds.Views = append(b.ds.Views, &v)
}

// defaultViews adds the views every organization has (goalpost.DefaultViews),
// public and created by creator at created, with the IDs in that order.
func (b *builder) defaultViews(creator uuid.UUID, created time.Time, ids [7]uuid.UUID) {
	b.ds.Views = append(b.ds.Views, goalpost.NewDefaultViews(b.org, creator, created, ids)...)
}

// timestamp parses "YYYY-MM-DD HH:MM:SS" as UTC.
func timestamp(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func score(v float64) *float64 { return &v }

// Short names that keep the data files readable.
const (
	objective  = goalpost.KindObjective
	keyResult  = goalpost.KindKeyResult
	initiative = goalpost.KindInitiative

	orgLevel   = goalpost.LevelOrganization
	teamLevel  = goalpost.LevelTeam
	individual = goalpost.LevelIndividual

	notStarted = goalpost.StatusNotStarted
	onTrack    = goalpost.StatusOnTrack
	behind     = goalpost.StatusBehind
	atRisk     = goalpost.StatusAtRisk
	closed     = goalpost.StatusClosed
	postponed  = goalpost.StatusPostponed
	reopened   = goalpost.StatusReopened

	committed = goalpost.GoalCommitted
	rollup    = goalpost.ProgressRollup
)

func ids(v ...uuid.UUID) []uuid.UUID { return v }
