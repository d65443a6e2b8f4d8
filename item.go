package goalpost

import (
	"time"

	"github.com/google/uuid"
)

// ItemKind is what an item is: an objective, a key result or an initiative.
type ItemKind string

// Item kinds.
const (
	KindObjective  ItemKind = "objective"
	KindKeyResult  ItemKind = "keyResult"
	KindInitiative ItemKind = "initiative"
)

// Level is where in the organization an item sits.
type Level string

// Item levels.
const (
	LevelOrganization Level = "organization"
	LevelTeam         Level = "team"
	LevelIndividual   Level = "individual"
)

// Status is an item's state as its owners report it.
type Status string

// Item statuses.
const (
	StatusNotStarted Status = "notStarted"
	StatusOnTrack    Status = "onTrack"
	StatusBehind     Status = "behind"
	StatusAtRisk     Status = "atRisk"
	StatusClosed     Status = "closed"
	StatusPostponed  Status = "postponed"
	StatusReopened   Status = "reopened"
)

// Label returns the status as the Explorer CSV writes it ("On Track").
func (s Status) Label() string {
	switch s {
	case StatusNotStarted:
		return "Not Started"
	case StatusOnTrack:
		return "On Track"
	case StatusBehind:
		return "Behind"
	case StatusAtRisk:
		return "At Risk"
	case StatusClosed:
		return "Closed"
	case StatusPostponed:
		return "Postponed"
	case StatusReopened:
		return "Reopened"
	}
	return string(s)
}

// GoalType says whether an item is a stretch or a promise.
type GoalType string

// Goal types.
const (
	GoalAspirational GoalType = "aspirational"
	GoalCommitted    GoalType = "committed"
)

// Direction says how a metric's progress is measured against its target.
type Direction string

// Metric directions.
const (
	DirectionReach        Direction = "reach"
	DirectionIncreaseFrom Direction = "increaseFrom"
	DirectionDecreaseFrom Direction = "decreaseFrom"
	DirectionStayAbove    Direction = "stayAbove"
	DirectionStayBelow    Direction = "stayBelow"
	DirectionBaseline     Direction = "baseline"
)

// Metric is how an item measures progress. A percent metric (Name "") goes
// from 0 to 100 %.
type Metric struct {
	Name      string // "" for a plain percent metric
	Unit      string // "%", "number", "$", "customers", ...
	Start     float64
	Target    float64
	Direction Direction
}

// IsPercent reports whether m is the plain 0 → 100 % metric.
func (m Metric) IsPercent() bool { return m.Name == "" }

// ProgressMode says whether an item's progress is entered or rolled up.
type ProgressMode string

// Progress modes.
const (
	ProgressManual ProgressMode = "manual"
	ProgressRollup ProgressMode = "rollup"
)

// Visibility says who may see an item.
type Visibility string

// Item visibilities.
const (
	VisibilityEveryone   Visibility = "everyone"
	VisibilityRestricted Visibility = "restricted" // owners, their teams and admins
)

// Item is an objective, a key result or an initiative.
type Item struct {
	ID           int64 // numeric, stable, unique per deployment
	OrgID        uuid.UUID
	Kind         ItemKind
	Level        Level
	Title        string
	Description  string
	TeamIDs      []uuid.UUID // ordered
	OwnerIDs     []uuid.UUID // ordered; the first is the check-in owner
	CreatorID    uuid.UUID
	PeriodID     uuid.UUID
	StartDate    Date
	EndDate      Date
	GoalType     GoalType
	Tags         []string
	Metric       Metric
	Current      float64 // current metric value
	Progress     float64 // 0..100 percent
	ProgressMode ProgressMode
	Status       Status
	Score        *float64 // 0..1, only when closed
	Visibility   Visibility
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
	// LastCheckIn and LastCheckInNote are the newest check-in's date and
	// note (zero when the item has none), kept by the store.
	LastCheckIn     Date
	LastCheckInNote string
}

// Alignment says that Child contributes to Parent with a weight in percent.
type Alignment struct {
	ChildID  int64
	ParentID int64
	Weight   float64 // percent, 0..100
	// WeightFixed marks a weight set by hand: rebalancing keeps it and
	// splits what is left among the parent's other contributors.
	WeightFixed bool
	Version     int64
}

// CheckIn is one progress report on an item.
type CheckIn struct {
	ID         int64
	ItemID     int64
	Date       Date
	UserID     uuid.UUID
	Note       string
	Status     Status
	Value      float64
	ActivityAt time.Time // when it was recorded, UTC
	Version    int64
}
