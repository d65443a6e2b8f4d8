package backup

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The records of a backup as JSON, one type per domain type, every field
// written. They map to and from the domain types here and nowhere else.

// optionalID is a reference that may be unset: null in JSON, uuid.Nil in
// the domain.
type optionalID uuid.UUID

func (id optionalID) MarshalJSON() ([]byte, error) {
	if uuid.UUID(id) == uuid.Nil {
		return []byte("null"), nil
	}
	return json.Marshal(uuid.UUID(id).String())
}

func (id *optionalID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = optionalID(uuid.Nil)
		return nil
	}
	var u uuid.UUID
	if err := json.Unmarshal(b, &u); err != nil {
		return fmt.Errorf("invalid GUID %s", b)
	}
	*id = optionalID(u)
	return nil
}

// requiredID is a GUID that must be set.
type requiredID uuid.UUID

func (id requiredID) MarshalJSON() ([]byte, error) { return json.Marshal(uuid.UUID(id).String()) }

func (id *requiredID) UnmarshalJSON(b []byte) error {
	var u uuid.UUID
	if string(b) == "null" || json.Unmarshal(b, &u) != nil {
		return fmt.Errorf("invalid GUID %s", b)
	}
	if u == uuid.Nil {
		return fmt.Errorf("the nil GUID is not an id")
	}
	*id = requiredID(u)
	return nil
}

// required fails when the GUID field name is missing.
func required(name string, ids ...requiredID) error {
	for _, id := range ids {
		if uuid.UUID(id) == uuid.Nil {
			return fmt.Errorf("%q is required", name)
		}
	}
	return nil
}

// firstErr returns the first error of errs.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ids converts between a list of GUIDs and its JSON, which is [] when
// empty.
func idsJSON(us []uuid.UUID) []requiredID {
	out := make([]requiredID, len(us))
	for i, u := range us {
		out[i] = requiredID(u)
	}
	return out
}

func idsDomain(js []requiredID) []uuid.UUID {
	if len(js) == 0 {
		return nil
	}
	out := make([]uuid.UUID, len(js))
	for i, j := range js {
		out[i] = uuid.UUID(j)
	}
	return out
}

// strings returns ss for JSON ([] when empty) or for the domain (nil when
// empty).
func stringsJSON(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func stringsDomain(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	return ss
}

// timestamp is a time in UTC, RFC 3339 with milliseconds; null when zero.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(timeLayout))
}

func (t *timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = timestamp{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("invalid time %s: expected an RFC 3339 string", b)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("invalid time %q: expected RFC 3339, such as 2025-03-15T12:00:00.000Z", s)
	}
	*t = timestamp(v.UTC())
	return nil
}

type organizationJSON struct {
	ID          requiredID           `json:"id"`
	Name        string               `json:"name"`
	Terminology goalpost.Terminology `json:"terminology"`
	CreatedAt   timestamp            `json:"createdAt"`
	Version     int64                `json:"version"`
}

func fromOrganization(o *goalpost.Organization) organizationJSON {
	return organizationJSON{ID: requiredID(o.ID), Name: o.Name, Terminology: o.Terminology,
		CreatedAt: timestamp(o.CreatedAt), Version: o.Version}
}

func (j *organizationJSON) domain() (*goalpost.Organization, error) {
	if err := required("id", j.ID); err != nil {
		return nil, err
	}
	return &goalpost.Organization{ID: uuid.UUID(j.ID), Name: j.Name, Terminology: j.Terminology,
		CreatedAt: time.Time(j.CreatedAt), Version: j.Version}, nil
}

type userJSON struct {
	ID          requiredID `json:"id"`
	UPN         string     `json:"upn"`
	DisplayName string     `json:"displayName"`
	ManagerID   optionalID `json:"managerId"`
}

func fromUser(u *goalpost.User) userJSON {
	return userJSON{ID: requiredID(u.ID), UPN: u.UPN, DisplayName: u.DisplayName, ManagerID: optionalID(u.ManagerID)}
}

func (j *userJSON) domain() (*goalpost.User, error) {
	if err := required("id", j.ID); err != nil {
		return nil, err
	}
	return &goalpost.User{ID: uuid.UUID(j.ID), UPN: j.UPN, DisplayName: j.DisplayName, ManagerID: uuid.UUID(j.ManagerID)}, nil
}

type membershipJSON struct {
	OrgID   requiredID    `json:"orgId"`
	UserID  requiredID    `json:"userId"`
	Role    goalpost.Role `json:"role"`
	Version int64         `json:"version"`
}

func fromMembership(m goalpost.Membership) membershipJSON {
	return membershipJSON{OrgID: requiredID(m.OrgID), UserID: requiredID(m.UserID), Role: m.Role, Version: m.Version}
}

func (j *membershipJSON) domain() (goalpost.Membership, error) {
	if err := firstErr(required("orgId", j.OrgID), required("userId", j.UserID)); err != nil {
		return goalpost.Membership{}, err
	}
	return goalpost.Membership{OrgID: uuid.UUID(j.OrgID), UserID: uuid.UUID(j.UserID), Role: j.Role, Version: j.Version}, nil
}

type teamJSON struct {
	ID       requiredID   `json:"id"`
	OrgID    requiredID   `json:"orgId"`
	Name     string       `json:"name"`
	ParentID optionalID   `json:"parentId"`
	OwnerID  optionalID   `json:"ownerId"`
	Type     string       `json:"type"`
	Archived bool         `json:"archived"`
	Members  []requiredID `json:"members"`
	Version  int64        `json:"version"`
}

func fromTeam(t *goalpost.Team) teamJSON {
	return teamJSON{ID: requiredID(t.ID), OrgID: requiredID(t.OrgID), Name: t.Name, ParentID: optionalID(t.ParentID),
		OwnerID: optionalID(t.OwnerID), Type: t.Type, Archived: t.Archived, Members: idsJSON(t.Members), Version: t.Version}
}

func (j *teamJSON) domain() (*goalpost.Team, error) {
	if err := firstErr(required("id", j.ID), required("orgId", j.OrgID)); err != nil {
		return nil, err
	}
	return &goalpost.Team{ID: uuid.UUID(j.ID), OrgID: uuid.UUID(j.OrgID), Name: j.Name, ParentID: uuid.UUID(j.ParentID),
		OwnerID: uuid.UUID(j.OwnerID), Type: j.Type, Archived: j.Archived, Members: idsDomain(j.Members), Version: j.Version}, nil
}

type timePeriodJSON struct {
	ID        requiredID    `json:"id"`
	OrgID     requiredID    `json:"orgId"`
	Name      string        `json:"name"`
	StartDate goalpost.Date `json:"startDate"`
	EndDate   goalpost.Date `json:"endDate"`
	Version   int64         `json:"version"`
}

func fromTimePeriod(p *goalpost.TimePeriod) timePeriodJSON {
	return timePeriodJSON{ID: requiredID(p.ID), OrgID: requiredID(p.OrgID), Name: p.Name, StartDate: p.Start, EndDate: p.End, Version: p.Version}
}

func (j *timePeriodJSON) domain() (*goalpost.TimePeriod, error) {
	if err := firstErr(required("id", j.ID), required("orgId", j.OrgID)); err != nil {
		return nil, err
	}
	return &goalpost.TimePeriod{ID: uuid.UUID(j.ID), OrgID: uuid.UUID(j.OrgID), Name: j.Name, Start: j.StartDate, End: j.EndDate, Version: j.Version}, nil
}

type metricJSON struct {
	Name      string             `json:"name"`
	Unit      string             `json:"unit"`
	Start     float64            `json:"start"`
	Target    float64            `json:"target"`
	Direction goalpost.Direction `json:"direction"`
}

type itemJSON struct {
	ID              int64                 `json:"id"`
	OrgID           requiredID            `json:"orgId"`
	Kind            goalpost.ItemKind     `json:"kind"`
	Level           goalpost.Level        `json:"level"`
	Title           string                `json:"title"`
	Description     string                `json:"description"`
	TeamIDs         []requiredID          `json:"teamIds"`
	OwnerIDs        []requiredID          `json:"ownerIds"`
	CreatorID       optionalID            `json:"creatorId"`
	PeriodID        optionalID            `json:"periodId"`
	StartDate       goalpost.Date         `json:"startDate"`
	EndDate         goalpost.Date         `json:"endDate"`
	GoalType        goalpost.GoalType     `json:"goalType"`
	Tags            []string              `json:"tags"`
	Metric          metricJSON            `json:"metric"`
	CurrentValue    float64               `json:"currentValue"`
	Progress        float64               `json:"progress"`
	ProgressMode    goalpost.ProgressMode `json:"progressMode"`
	Status          goalpost.Status       `json:"status"`
	Score           *float64              `json:"score"`
	Visibility      goalpost.Visibility   `json:"visibility"`
	CreatedAt       timestamp             `json:"createdAt"`
	UpdatedAt       timestamp             `json:"updatedAt"`
	LastCheckIn     goalpost.Date         `json:"lastCheckIn"`
	LastCheckInNote string                `json:"lastCheckInNote"`
	Version         int64                 `json:"version"`
}

func fromItem(it *goalpost.Item) itemJSON {
	return itemJSON{
		ID: it.ID, OrgID: requiredID(it.OrgID), Kind: it.Kind, Level: it.Level, Title: it.Title, Description: it.Description,
		TeamIDs: idsJSON(it.TeamIDs), OwnerIDs: idsJSON(it.OwnerIDs), CreatorID: optionalID(it.CreatorID), PeriodID: optionalID(it.PeriodID),
		StartDate: it.StartDate, EndDate: it.EndDate, GoalType: it.GoalType, Tags: stringsJSON(it.Tags),
		Metric: metricJSON{Name: it.Metric.Name, Unit: it.Metric.Unit, Start: it.Metric.Start, Target: it.Metric.Target,
			Direction: it.Metric.Direction},
		CurrentValue: it.Current, Progress: it.Progress, ProgressMode: it.ProgressMode, Status: it.Status, Score: it.Score,
		Visibility: it.Visibility, CreatedAt: timestamp(it.CreatedAt), UpdatedAt: timestamp(it.UpdatedAt),
		LastCheckIn: it.LastCheckIn, LastCheckInNote: it.LastCheckInNote, Version: it.Version,
	}
}

func (j *itemJSON) domain() (*goalpost.Item, error) {
	if j.ID <= 0 {
		return nil, fmt.Errorf("the item id must be a positive number, not %d", j.ID)
	}
	if err := required("orgId", j.OrgID); err != nil {
		return nil, err
	}
	var score *float64
	if j.Score != nil {
		s := *j.Score
		score = &s
	}
	return &goalpost.Item{
		ID: j.ID, OrgID: uuid.UUID(j.OrgID), Kind: j.Kind, Level: j.Level, Title: j.Title, Description: j.Description,
		TeamIDs: idsDomain(j.TeamIDs), OwnerIDs: idsDomain(j.OwnerIDs), CreatorID: uuid.UUID(j.CreatorID), PeriodID: uuid.UUID(j.PeriodID),
		StartDate: j.StartDate, EndDate: j.EndDate, GoalType: j.GoalType, Tags: stringsDomain(j.Tags),
		Metric: goalpost.Metric{Name: j.Metric.Name, Unit: j.Metric.Unit, Start: j.Metric.Start, Target: j.Metric.Target,
			Direction: j.Metric.Direction},
		Current: j.CurrentValue, Progress: j.Progress, ProgressMode: j.ProgressMode, Status: j.Status, Score: score,
		Visibility: j.Visibility, CreatedAt: time.Time(j.CreatedAt), UpdatedAt: time.Time(j.UpdatedAt),
		LastCheckIn: j.LastCheckIn, LastCheckInNote: j.LastCheckInNote, Version: j.Version,
	}, nil
}

type alignmentJSON struct {
	ChildID     int64   `json:"childId"`
	ParentID    int64   `json:"parentId"`
	Weight      float64 `json:"weight"`
	WeightFixed bool    `json:"weightFixed"`
	Version     int64   `json:"version"`
}

func fromAlignment(a goalpost.Alignment) alignmentJSON {
	return alignmentJSON{ChildID: a.ChildID, ParentID: a.ParentID, Weight: a.Weight, WeightFixed: a.WeightFixed, Version: a.Version}
}

func (j *alignmentJSON) domain() (goalpost.Alignment, error) {
	if j.ChildID <= 0 || j.ParentID <= 0 {
		return goalpost.Alignment{}, fmt.Errorf("an alignment needs the positive ids of its child and parent")
	}
	return goalpost.Alignment{ChildID: j.ChildID, ParentID: j.ParentID, Weight: j.Weight, WeightFixed: j.WeightFixed, Version: j.Version}, nil
}

type checkInJSON struct {
	ID         int64           `json:"id"`
	ItemID     int64           `json:"itemId"`
	Date       goalpost.Date   `json:"date"`
	UserID     optionalID      `json:"userId"`
	Note       string          `json:"note"`
	Status     goalpost.Status `json:"status"`
	Value      float64         `json:"value"`
	ActivityAt timestamp       `json:"activityAt"`
	Version    int64           `json:"version"`
}

func fromCheckIn(c *goalpost.CheckIn) checkInJSON {
	return checkInJSON{ID: c.ID, ItemID: c.ItemID, Date: c.Date, UserID: optionalID(c.UserID), Note: c.Note, Status: c.Status,
		Value: c.Value, ActivityAt: timestamp(c.ActivityAt), Version: c.Version}
}

func (j *checkInJSON) domain() (*goalpost.CheckIn, error) {
	if j.ItemID <= 0 || j.ID < 0 {
		return nil, fmt.Errorf("a check-in needs the positive id of its item, and an id that is not negative")
	}
	return &goalpost.CheckIn{ID: j.ID, ItemID: j.ItemID, Date: j.Date, UserID: uuid.UUID(j.UserID), Note: j.Note, Status: j.Status,
		Value: j.Value, ActivityAt: time.Time(j.ActivityAt), Version: j.Version}, nil
}

type viewJSON struct {
	ID           requiredID              `json:"id"`
	OrgID        requiredID              `json:"orgId"`
	Name         string                  `json:"name"`
	Visibility   goalpost.ViewVisibility `json:"visibility"`
	CreatorID    optionalID              `json:"creatorId"`
	Filter       goalpost.ViewFilter     `json:"filter"`
	TopLevelOnly bool                    `json:"topLevelOnly"`
	Export       goalpost.ExportSettings `json:"export"`
	CreatedAt    timestamp               `json:"createdAt"`
	Version      int64                   `json:"version"`
}

func fromView(v *goalpost.ExplorerView) viewJSON {
	return viewJSON{ID: requiredID(v.ID), OrgID: requiredID(v.OrgID), Name: v.Name, Visibility: v.Visibility,
		CreatorID: optionalID(v.CreatorID), Filter: v.Filter, TopLevelOnly: v.TopLevelOnly, Export: v.Export,
		CreatedAt: timestamp(v.CreatedAt), Version: v.Version}
}

func (j *viewJSON) domain() (*goalpost.ExplorerView, error) {
	if err := firstErr(required("id", j.ID), required("orgId", j.OrgID)); err != nil {
		return nil, err
	}
	return &goalpost.ExplorerView{ID: uuid.UUID(j.ID), OrgID: uuid.UUID(j.OrgID), Name: j.Name, Visibility: j.Visibility,
		CreatorID: uuid.UUID(j.CreatorID), Filter: j.Filter, TopLevelOnly: j.TopLevelOnly, Export: j.Export,
		CreatedAt: time.Time(j.CreatedAt), Version: j.Version}, nil
}
