package httpapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The JSON of /api/v1's resources. Each resource has its full form (what
// responses carry) and its writable form (what a POST body holds and a
// PATCH merge patch edits); the properties of the full form that the
// writable one lacks are read-only. Dates are "YYYY-MM-DD" (null when
// unset), times RFC 3339 in UTC with milliseconds, references GUIDs in
// their 36-character form (null when unset).

// ref is a GUID reference: null when uuid.Nil, only the 36-character form
// on input.
type ref uuid.UUID

// MarshalJSON writes the GUID, or null.
func (r ref) MarshalJSON() ([]byte, error) {
	if uuid.UUID(r) == uuid.Nil {
		return []byte("null"), nil
	}
	return json.Marshal(uuid.UUID(r).String())
}

// UnmarshalJSON reads a GUID string or null.
func (r *ref) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = ref(uuid.Nil)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("expected a GUID string")
	}
	id, ok := parseGUID(s)
	if !ok {
		return fmt.Errorf("%s is not a GUID", strconv.Quote(truncate(s, 64)))
	}
	*r = ref(id)
	return nil
}

func refs(ids []uuid.UUID) []ref {
	out := make([]ref, len(ids))
	for i, id := range ids {
		out[i] = ref(id)
	}
	return out
}

func uuids(rs []ref) []uuid.UUID {
	if rs == nil {
		return nil
	}
	out := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		out[i] = uuid.UUID(r)
	}
	return out
}

// nonNil returns s, or an empty slice for nil, so that lists are [] in JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Organizations.

type orgWrite struct {
	Name        string               `json:"name"`
	Terminology goalpost.Terminology `json:"terminology"`
}

type orgCreate struct {
	ID ref `json:"id"`
	orgWrite
}

type orgJSON struct {
	ID uuid.UUID `json:"id"`
	orgWrite
	CreatedAt string `json:"createdAt"`
	Version   int64  `json:"version"`
}

func orgOf(o *goalpost.Organization) orgJSON {
	return orgJSON{ID: o.ID, orgWrite: orgWrite{Name: o.Name, Terminology: o.Terminology},
		CreatedAt: apiTime(o.CreatedAt), Version: o.Version}
}

func (w orgWrite) apply(o *goalpost.Organization) { o.Name, o.Terminology = w.Name, w.Terminology }

var (
	orgShape       = bodyShape{typeName: "organization", writable: reflect.TypeFor[orgWrite](), full: reflect.TypeFor[orgJSON]()}
	orgCreateShape = bodyShape{typeName: "organization", writable: reflect.TypeFor[orgCreate](), full: reflect.TypeFor[orgJSON]()}
)

// Members.

type memberWrite struct {
	DisplayName string        `json:"displayName"`
	ManagerID   ref           `json:"managerId"`
	Role        goalpost.Role `json:"role"`
}

type memberCreate struct {
	ID  ref    `json:"id"`
	UPN string `json:"upn"`
	memberWrite
}

type memberJSON struct {
	ID    uuid.UUID `json:"id"`
	OrgID uuid.UUID `json:"orgId"`
	UPN   string    `json:"upn"`
	memberWrite
	Version int64 `json:"version"`
}

func memberOf(m *goalpost.Member) memberJSON {
	return memberJSON{ID: m.ID, OrgID: m.OrgID, UPN: m.UPN, Version: m.Version,
		memberWrite: memberWrite{DisplayName: m.DisplayName, ManagerID: ref(m.ManagerID), Role: m.Role}}
}

func (w memberWrite) apply(m *goalpost.Member) {
	m.DisplayName, m.ManagerID, m.Role = w.DisplayName, uuid.UUID(w.ManagerID), w.Role
}

var (
	memberShape       = bodyShape{typeName: "member", writable: reflect.TypeFor[memberWrite](), full: reflect.TypeFor[memberJSON]()}
	memberCreateShape = bodyShape{typeName: "member", writable: reflect.TypeFor[memberCreate](), full: reflect.TypeFor[memberJSON]()}
)

// Teams.

type teamWrite struct {
	Name      string `json:"name"`
	ParentID  ref    `json:"parentId"`
	OwnerID   ref    `json:"ownerId"`
	Type      string `json:"type"`
	Archived  bool   `json:"archived"`
	MemberIDs []ref  `json:"memberIds"`
}

type teamJSON struct {
	ID    uuid.UUID `json:"id"`
	OrgID uuid.UUID `json:"orgId"`
	teamWrite
	Version int64 `json:"version"`
}

func teamOf(t *goalpost.Team) teamJSON {
	return teamJSON{ID: t.ID, OrgID: t.OrgID, Version: t.Version, teamWrite: teamWrite{
		Name: t.Name, ParentID: ref(t.ParentID), OwnerID: ref(t.OwnerID), Type: t.Type, Archived: t.Archived,
		MemberIDs: refs(t.Members)}}
}

func (w teamWrite) apply(t *goalpost.Team) {
	t.Name, t.ParentID, t.OwnerID, t.Type, t.Archived = w.Name, uuid.UUID(w.ParentID), uuid.UUID(w.OwnerID), w.Type, w.Archived
	t.Members = uuids(w.MemberIDs)
}

var teamShape = bodyShape{typeName: "team", writable: reflect.TypeFor[teamWrite](), full: reflect.TypeFor[teamJSON]()}

// Time periods.

type periodWrite struct {
	Name      string        `json:"name"`
	StartDate goalpost.Date `json:"startDate"`
	EndDate   goalpost.Date `json:"endDate"`
}

type periodJSON struct {
	ID    uuid.UUID `json:"id"`
	OrgID uuid.UUID `json:"orgId"`
	periodWrite
	Version int64 `json:"version"`
}

func periodOf(p *goalpost.TimePeriod) periodJSON {
	return periodJSON{ID: p.ID, OrgID: p.OrgID, Version: p.Version,
		periodWrite: periodWrite{Name: p.Name, StartDate: p.Start, EndDate: p.End}}
}

func (w periodWrite) apply(p *goalpost.TimePeriod) {
	p.Name, p.Start, p.End = w.Name, w.StartDate, w.EndDate
}

var periodShape = bodyShape{typeName: "time period", writable: reflect.TypeFor[periodWrite](), full: reflect.TypeFor[periodJSON]()}

// Items.

type metricJSON struct {
	Name      string             `json:"name"`
	Unit      string             `json:"unit"`
	Start     float64            `json:"start"`
	Target    float64            `json:"target"`
	Direction goalpost.Direction `json:"direction"`
}

type itemWrite struct {
	Kind         goalpost.ItemKind     `json:"kind"`
	Level        goalpost.Level        `json:"level"`
	Title        string                `json:"title"`
	Description  string                `json:"description"`
	TeamIDs      []ref                 `json:"teamIds"`
	OwnerIDs     []ref                 `json:"ownerIds"`
	PeriodID     ref                   `json:"periodId"`
	StartDate    goalpost.Date         `json:"startDate"`
	EndDate      goalpost.Date         `json:"endDate"`
	GoalType     goalpost.GoalType     `json:"goalType"`
	Tags         []string              `json:"tags"`
	Metric       metricJSON            `json:"metric"`
	CurrentValue float64               `json:"currentValue"`
	ProgressMode goalpost.ProgressMode `json:"progressMode"`
	Status       goalpost.Status       `json:"status"`
	Score        *float64              `json:"score"`
	Visibility   goalpost.Visibility   `json:"visibility"`
}

// itemJSON is an item in the order of its properties in the API.
type itemJSON struct {
	ID              int64                 `json:"id"`
	OrgID           uuid.UUID             `json:"orgId"`
	Kind            goalpost.ItemKind     `json:"kind"`
	Level           goalpost.Level        `json:"level"`
	Title           string                `json:"title"`
	Description     string                `json:"description"`
	TeamIDs         []ref                 `json:"teamIds"`
	OwnerIDs        []ref                 `json:"ownerIds"`
	CreatorID       ref                   `json:"creatorId"`
	PeriodID        ref                   `json:"periodId"`
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
	CreatedAt       string                `json:"createdAt"`
	UpdatedAt       string                `json:"updatedAt"`
	LastCheckInDate goalpost.Date         `json:"lastCheckInDate"`
	LastCheckInNote string                `json:"lastCheckInNote"`
	Version         int64                 `json:"version"`
}

func itemOf(it *goalpost.Item) itemJSON {
	w := itemWriteOf(it)
	return itemJSON{
		ID: it.ID, OrgID: it.OrgID, Kind: w.Kind, Level: w.Level, Title: w.Title, Description: w.Description,
		TeamIDs: w.TeamIDs, OwnerIDs: w.OwnerIDs, CreatorID: ref(it.CreatorID), PeriodID: w.PeriodID,
		StartDate: w.StartDate, EndDate: w.EndDate, GoalType: w.GoalType, Tags: w.Tags, Metric: w.Metric,
		CurrentValue: w.CurrentValue, Progress: it.Progress, ProgressMode: w.ProgressMode, Status: w.Status,
		Score: w.Score, Visibility: w.Visibility, CreatedAt: apiTime(it.CreatedAt), UpdatedAt: apiTime(it.UpdatedAt),
		LastCheckInDate: it.LastCheckIn, LastCheckInNote: it.LastCheckInNote, Version: it.Version,
	}
}

func itemWriteOf(it *goalpost.Item) itemWrite {
	return itemWrite{
		Kind: it.Kind, Level: it.Level, Title: it.Title, Description: it.Description,
		TeamIDs: nonNil(refs(it.TeamIDs)), OwnerIDs: nonNil(refs(it.OwnerIDs)), PeriodID: ref(it.PeriodID),
		StartDate: it.StartDate, EndDate: it.EndDate, GoalType: it.GoalType, Tags: nonNil(it.Tags),
		Metric: metricJSON{Name: it.Metric.Name, Unit: it.Metric.Unit, Start: it.Metric.Start,
			Target: it.Metric.Target, Direction: it.Metric.Direction},
		CurrentValue: it.Current, ProgressMode: it.ProgressMode, Status: it.Status, Score: it.Score,
		Visibility: it.Visibility,
	}
}

func (w itemWrite) apply(it *goalpost.Item) {
	it.Kind, it.Level, it.Title, it.Description = w.Kind, w.Level, w.Title, w.Description
	it.TeamIDs, it.OwnerIDs, it.PeriodID = uuids(w.TeamIDs), uuids(w.OwnerIDs), uuid.UUID(w.PeriodID)
	it.StartDate, it.EndDate, it.GoalType, it.Tags = w.StartDate, w.EndDate, w.GoalType, w.Tags
	it.Metric = goalpost.Metric{Name: w.Metric.Name, Unit: w.Metric.Unit, Start: w.Metric.Start,
		Target: w.Metric.Target, Direction: w.Metric.Direction}
	it.Current, it.ProgressMode, it.Status, it.Score, it.Visibility = w.CurrentValue, w.ProgressMode, w.Status, w.Score, w.Visibility
}

var itemShape = bodyShape{typeName: "item", writable: reflect.TypeFor[itemWrite](), full: reflect.TypeFor[itemJSON]()}

// Alignments.

type alignmentWrite struct {
	Weight      float64 `json:"weight"`
	WeightFixed bool    `json:"weightFixed"`
}

type alignmentCreate struct {
	ParentID int64 `json:"parentId"`
	alignmentWrite
}

type alignmentJSON struct {
	ChildID  int64 `json:"childId"`
	ParentID int64 `json:"parentId"`
	alignmentWrite
	Version int64 `json:"version"`
}

func alignmentOf(a *goalpost.Alignment) alignmentJSON {
	return alignmentJSON{ChildID: a.ChildID, ParentID: a.ParentID, Version: a.Version,
		alignmentWrite: alignmentWrite{Weight: a.Weight, WeightFixed: a.WeightFixed}}
}

var (
	alignmentShape       = bodyShape{typeName: "alignment", writable: reflect.TypeFor[alignmentWrite](), full: reflect.TypeFor[alignmentJSON]()}
	alignmentCreateShape = bodyShape{typeName: "alignment", writable: reflect.TypeFor[alignmentCreate](), full: reflect.TypeFor[alignmentJSON]()}
)

// Check-ins.

type checkInWrite struct {
	Date   goalpost.Date   `json:"date"`
	Note   string          `json:"note"`
	Status goalpost.Status `json:"status"`
	Value  float64         `json:"value"`
}

type checkInJSON struct {
	ID     int64     `json:"id"`
	ItemID int64     `json:"itemId"`
	UserID uuid.UUID `json:"userId"`
	checkInWrite
	ActivityAt string `json:"activityAt"`
	Version    int64  `json:"version"`
}

func checkInOf(c *goalpost.CheckIn) checkInJSON {
	return checkInJSON{ID: c.ID, ItemID: c.ItemID, UserID: c.UserID, ActivityAt: apiTime(c.ActivityAt), Version: c.Version,
		checkInWrite: checkInWrite{Date: c.Date, Note: c.Note, Status: c.Status, Value: c.Value}}
}

func (w checkInWrite) apply(c *goalpost.CheckIn) {
	c.Date, c.Note, c.Status, c.Value = w.Date, w.Note, w.Status, w.Value
}

var checkInShape = bodyShape{typeName: "check-in", writable: reflect.TypeFor[checkInWrite](), full: reflect.TypeFor[checkInJSON]()}

// Explorer views.

type viewWrite struct {
	Name         string                  `json:"name"`
	Visibility   goalpost.ViewVisibility `json:"visibility"`
	Filter       goalpost.ViewFilter     `json:"filter"`
	TopLevelOnly bool                    `json:"topLevelOnly"`
	Export       goalpost.ExportSettings `json:"export"`
}

type viewJSON struct {
	ID        uuid.UUID `json:"id"`
	OrgID     uuid.UUID `json:"orgId"`
	CreatorID ref       `json:"creatorId"`
	viewWrite
	CreatedAt string `json:"createdAt"`
	Version   int64  `json:"version"`
}

func viewOf(v *goalpost.ExplorerView) viewJSON {
	return viewJSON{ID: v.ID, OrgID: v.OrgID, CreatorID: ref(v.CreatorID), CreatedAt: apiTime(v.CreatedAt), Version: v.Version,
		viewWrite: viewWrite{Name: v.Name, Visibility: v.Visibility, Filter: v.Filter, TopLevelOnly: v.TopLevelOnly, Export: v.Export}}
}

func (w viewWrite) apply(v *goalpost.ExplorerView) {
	v.Name, v.Visibility, v.Filter, v.TopLevelOnly, v.Export = w.Name, w.Visibility, w.Filter, w.TopLevelOnly, w.Export
}

var viewShape = bodyShape{typeName: "view", writable: reflect.TypeFor[viewWrite](), full: reflect.TypeFor[viewJSON]()}
