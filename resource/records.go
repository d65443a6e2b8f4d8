package resource

import (
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The records, each with every field of its domain type, in the order of
// their properties in the API.

// Organization is a goalpost.Organization.
type Organization struct {
	ID          GUID                 `json:"id"`
	Name        string               `json:"name"`
	Terminology goalpost.Terminology `json:"terminology"`
	CreatedAt   Time                 `json:"createdAt"`
	Version     int64                `json:"version"`
}

// FromOrganization returns the JSON of o.
func FromOrganization(o *goalpost.Organization) Organization {
	return Organization{ID: GUID(o.ID), Name: o.Name, Terminology: o.Terminology, CreatedAt: Time(o.CreatedAt), Version: o.Version}
}

// ToOrganization returns the organization j holds.
func ToOrganization(j *Organization) *goalpost.Organization {
	return &goalpost.Organization{ID: uuid.UUID(j.ID), Name: j.Name, Terminology: j.Terminology,
		CreatedAt: time.Time(j.CreatedAt), Version: j.Version}
}

// User is a goalpost.User: a person, in whichever organizations. The API
// shows users as members; a backup holds them beside their memberships.
type User struct {
	ID          GUID   `json:"id"`
	UPN         string `json:"upn"`
	DisplayName string `json:"displayName"`
	ManagerID   GUID   `json:"managerId"`
}

// FromUser returns the JSON of u.
func FromUser(u *goalpost.User) User {
	return User{ID: GUID(u.ID), UPN: u.UPN, DisplayName: u.DisplayName, ManagerID: GUID(u.ManagerID)}
}

// ToUser returns the user j holds.
func ToUser(j *User) *goalpost.User {
	return &goalpost.User{ID: uuid.UUID(j.ID), UPN: j.UPN, DisplayName: j.DisplayName, ManagerID: uuid.UUID(j.ManagerID)}
}

// Membership is a goalpost.Membership: a user's role in an organization.
type Membership struct {
	OrgID   GUID          `json:"orgId"`
	UserID  GUID          `json:"userId"`
	Role    goalpost.Role `json:"role"`
	Version int64         `json:"version"`
}

// FromMembership returns the JSON of m.
func FromMembership(m *goalpost.Membership) Membership {
	return Membership{OrgID: GUID(m.OrgID), UserID: GUID(m.UserID), Role: m.Role, Version: m.Version}
}

// ToMembership returns the membership j holds.
func ToMembership(j *Membership) *goalpost.Membership {
	return &goalpost.Membership{OrgID: uuid.UUID(j.OrgID), UserID: uuid.UUID(j.UserID), Role: j.Role, Version: j.Version}
}

// Member is a goalpost.Member: a user with their membership of one
// organization. Version is the membership's.
type Member struct {
	ID          GUID          `json:"id"`
	OrgID       GUID          `json:"orgId"`
	UPN         string        `json:"upn"`
	DisplayName string        `json:"displayName"`
	ManagerID   GUID          `json:"managerId"`
	Role        goalpost.Role `json:"role"`
	Version     int64         `json:"version"`
}

// FromMember returns the JSON of m.
func FromMember(m *goalpost.Member) Member {
	return Member{ID: GUID(m.ID), OrgID: GUID(m.OrgID), UPN: m.UPN, DisplayName: m.DisplayName,
		ManagerID: GUID(m.ManagerID), Role: m.Role, Version: m.Version}
}

// ToMember returns the member j holds.
func ToMember(j *Member) *goalpost.Member {
	return &goalpost.Member{OrgID: uuid.UUID(j.OrgID), Role: j.Role, Version: j.Version,
		User: goalpost.User{ID: uuid.UUID(j.ID), UPN: j.UPN, DisplayName: j.DisplayName, ManagerID: uuid.UUID(j.ManagerID)}}
}

// Team is a goalpost.Team.
type Team struct {
	ID        GUID   `json:"id"`
	OrgID     GUID   `json:"orgId"`
	Name      string `json:"name"`
	ParentID  GUID   `json:"parentId"`
	OwnerID   GUID   `json:"ownerId"`
	Type      string `json:"type"`
	Archived  bool   `json:"archived"`
	MemberIDs []GUID `json:"memberIds"`
	Version   int64  `json:"version"`
}

// FromTeam returns the JSON of t.
func FromTeam(t *goalpost.Team) Team {
	return Team{ID: GUID(t.ID), OrgID: GUID(t.OrgID), Name: t.Name, ParentID: GUID(t.ParentID), OwnerID: GUID(t.OwnerID),
		Type: t.Type, Archived: t.Archived, MemberIDs: guids(t.Members), Version: t.Version}
}

// ToTeam returns the team j holds.
func ToTeam(j *Team) *goalpost.Team {
	return &goalpost.Team{ID: uuid.UUID(j.ID), OrgID: uuid.UUID(j.OrgID), Name: j.Name, ParentID: uuid.UUID(j.ParentID),
		OwnerID: uuid.UUID(j.OwnerID), Type: j.Type, Archived: j.Archived, Members: uuids(j.MemberIDs), Version: j.Version}
}

// TimePeriod is a goalpost.TimePeriod.
type TimePeriod struct {
	ID        GUID          `json:"id"`
	OrgID     GUID          `json:"orgId"`
	Name      string        `json:"name"`
	StartDate goalpost.Date `json:"startDate"`
	EndDate   goalpost.Date `json:"endDate"`
	Version   int64         `json:"version"`
}

// FromTimePeriod returns the JSON of p.
func FromTimePeriod(p *goalpost.TimePeriod) TimePeriod {
	return TimePeriod{ID: GUID(p.ID), OrgID: GUID(p.OrgID), Name: p.Name, StartDate: p.Start, EndDate: p.End, Version: p.Version}
}

// ToTimePeriod returns the time period j holds.
func ToTimePeriod(j *TimePeriod) *goalpost.TimePeriod {
	return &goalpost.TimePeriod{ID: uuid.UUID(j.ID), OrgID: uuid.UUID(j.OrgID), Name: j.Name,
		Start: j.StartDate, End: j.EndDate, Version: j.Version}
}

// Metric is a goalpost.Metric, the "metric" of an item.
type Metric struct {
	Name      string             `json:"name"`
	Unit      string             `json:"unit"`
	Start     float64            `json:"start"`
	Target    float64            `json:"target"`
	Direction goalpost.Direction `json:"direction"`
}

// Item is a goalpost.Item. CurrentValue is the domain's Current;
// LastCheckInDate its LastCheckIn.
type Item struct {
	ID              int64                 `json:"id"`
	OrgID           GUID                  `json:"orgId"`
	Kind            goalpost.ItemKind     `json:"kind"`
	Level           goalpost.Level        `json:"level"`
	Title           string                `json:"title"`
	Description     string                `json:"description"`
	TeamIDs         []GUID                `json:"teamIds"`
	OwnerIDs        []GUID                `json:"ownerIds"`
	CreatorID       GUID                  `json:"creatorId"`
	PeriodID        GUID                  `json:"periodId"`
	StartDate       goalpost.Date         `json:"startDate"`
	EndDate         goalpost.Date         `json:"endDate"`
	GoalType        goalpost.GoalType     `json:"goalType"`
	Tags            []string              `json:"tags"`
	Metric          Metric                `json:"metric"`
	CurrentValue    float64               `json:"currentValue"`
	Progress        float64               `json:"progress"`
	ProgressMode    goalpost.ProgressMode `json:"progressMode"`
	Status          goalpost.Status       `json:"status"`
	Score           *float64              `json:"score"`
	Visibility      goalpost.Visibility   `json:"visibility"`
	CreatedAt       Time                  `json:"createdAt"`
	UpdatedAt       Time                  `json:"updatedAt"`
	LastCheckInDate goalpost.Date         `json:"lastCheckInDate"`
	LastCheckInNote string                `json:"lastCheckInNote"`
	Version         int64                 `json:"version"`
}

// FromItem returns the JSON of it.
func FromItem(it *goalpost.Item) Item {
	return Item{
		ID: it.ID, OrgID: GUID(it.OrgID), Kind: it.Kind, Level: it.Level, Title: it.Title, Description: it.Description,
		TeamIDs: guids(it.TeamIDs), OwnerIDs: guids(it.OwnerIDs), CreatorID: GUID(it.CreatorID), PeriodID: GUID(it.PeriodID),
		StartDate: it.StartDate, EndDate: it.EndDate, GoalType: it.GoalType, Tags: strs(it.Tags), Metric: Metric(it.Metric),
		CurrentValue: it.Current, Progress: it.Progress, ProgressMode: it.ProgressMode, Status: it.Status, Score: copyFloat(it.Score),
		Visibility: it.Visibility, CreatedAt: Time(it.CreatedAt), UpdatedAt: Time(it.UpdatedAt),
		LastCheckInDate: it.LastCheckIn, LastCheckInNote: it.LastCheckInNote, Version: it.Version,
	}
}

// ToItem returns the item j holds.
func ToItem(j *Item) *goalpost.Item {
	return &goalpost.Item{
		ID: j.ID, OrgID: uuid.UUID(j.OrgID), Kind: j.Kind, Level: j.Level, Title: j.Title, Description: j.Description,
		TeamIDs: uuids(j.TeamIDs), OwnerIDs: uuids(j.OwnerIDs), CreatorID: uuid.UUID(j.CreatorID), PeriodID: uuid.UUID(j.PeriodID),
		StartDate: j.StartDate, EndDate: j.EndDate, GoalType: j.GoalType, Tags: strsDomain(j.Tags), Metric: goalpost.Metric(j.Metric),
		Current: j.CurrentValue, Progress: j.Progress, ProgressMode: j.ProgressMode, Status: j.Status, Score: copyFloat(j.Score),
		Visibility: j.Visibility, CreatedAt: time.Time(j.CreatedAt), UpdatedAt: time.Time(j.UpdatedAt),
		LastCheckIn: j.LastCheckInDate, LastCheckInNote: j.LastCheckInNote, Version: j.Version,
	}
}

// copyFloat returns a copy of *p, so that JSON and domain share no
// pointer, or nil.
func copyFloat(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Alignment is a goalpost.Alignment: ChildID contributes to ParentID.
type Alignment struct {
	ChildID     int64   `json:"childId"`
	ParentID    int64   `json:"parentId"`
	Weight      float64 `json:"weight"`
	WeightFixed bool    `json:"weightFixed"`
	Version     int64   `json:"version"`
}

// FromAlignment returns the JSON of a.
func FromAlignment(a *goalpost.Alignment) Alignment {
	return Alignment{ChildID: a.ChildID, ParentID: a.ParentID, Weight: a.Weight, WeightFixed: a.WeightFixed, Version: a.Version}
}

// ToAlignment returns the alignment j holds.
func ToAlignment(j *Alignment) *goalpost.Alignment {
	return &goalpost.Alignment{ChildID: j.ChildID, ParentID: j.ParentID, Weight: j.Weight, WeightFixed: j.WeightFixed, Version: j.Version}
}

// CheckIn is a goalpost.CheckIn. UserID is null for a check-in without a
// user, as an import can make.
type CheckIn struct {
	ID         int64           `json:"id"`
	ItemID     int64           `json:"itemId"`
	UserID     GUID            `json:"userId"`
	Date       goalpost.Date   `json:"date"`
	Note       string          `json:"note"`
	Status     goalpost.Status `json:"status"`
	Value      float64         `json:"value"`
	ActivityAt Time            `json:"activityAt"`
	Version    int64           `json:"version"`
}

// FromCheckIn returns the JSON of c.
func FromCheckIn(c *goalpost.CheckIn) CheckIn {
	return CheckIn{ID: c.ID, ItemID: c.ItemID, UserID: GUID(c.UserID), Date: c.Date, Note: c.Note, Status: c.Status,
		Value: c.Value, ActivityAt: Time(c.ActivityAt), Version: c.Version}
}

// ToCheckIn returns the check-in j holds.
func ToCheckIn(j *CheckIn) *goalpost.CheckIn {
	return &goalpost.CheckIn{ID: j.ID, ItemID: j.ItemID, UserID: uuid.UUID(j.UserID), Date: j.Date, Note: j.Note,
		Status: j.Status, Value: j.Value, ActivityAt: time.Time(j.ActivityAt), Version: j.Version}
}

// View is a goalpost.ExplorerView. Its filter and export settings are the
// domain's own JSON.
type View struct {
	ID           GUID                    `json:"id"`
	OrgID        GUID                    `json:"orgId"`
	CreatorID    GUID                    `json:"creatorId"`
	Name         string                  `json:"name"`
	Visibility   goalpost.ViewVisibility `json:"visibility"`
	Filter       goalpost.ViewFilter     `json:"filter"`
	TopLevelOnly bool                    `json:"topLevelOnly"`
	Export       goalpost.ExportSettings `json:"export"`
	CreatedAt    Time                    `json:"createdAt"`
	Version      int64                   `json:"version"`
}

// FromView returns the JSON of v.
func FromView(v *goalpost.ExplorerView) View {
	return View{ID: GUID(v.ID), OrgID: GUID(v.OrgID), CreatorID: GUID(v.CreatorID), Name: v.Name, Visibility: v.Visibility,
		Filter: v.Filter, TopLevelOnly: v.TopLevelOnly, Export: v.Export, CreatedAt: Time(v.CreatedAt), Version: v.Version}
}

// ToView returns the view j holds.
func ToView(j *View) *goalpost.ExplorerView {
	return &goalpost.ExplorerView{ID: uuid.UUID(j.ID), OrgID: uuid.UUID(j.OrgID), CreatorID: uuid.UUID(j.CreatorID), Name: j.Name,
		Visibility: j.Visibility, Filter: j.Filter, TopLevelOnly: j.TopLevelOnly, Export: j.Export,
		CreatedAt: time.Time(j.CreatedAt), Version: j.Version}
}
