// Package goalpost is the domain of goalpost, a self-hosted goals (OKR)
// service whose export-job API is wire-compatible with the Microsoft Graph
// beta Viva Goals export API. It holds the types, the service interfaces and
// the error type; the packages beside it implement them on their dependency.
package goalpost

import (
	"time"

	"github.com/google/uuid"
)

// Role is a user's role in an organization.
type Role string

// Organization roles, from the most to the least privileged.
const (
	RoleOwner    Role = "owner"
	RoleAdmin    Role = "admin"
	RoleMember   Role = "member"
	RoleObserver Role = "observer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleMember, RoleObserver:
		return true
	}
	return false
}

// IsAdmin reports whether the role administers the organization.
func (r Role) IsAdmin() bool { return r == RoleOwner || r == RoleAdmin }

// Terminology is the words an organization uses for the kinds of items.
type Terminology struct {
	Objective  string `json:"objective"`
	KeyResult  string `json:"keyResult"`
	Initiative string `json:"initiative"`
}

// DefaultTerminology is what an organization calls its items unless it says otherwise.
var DefaultTerminology = Terminology{Objective: "Objective", KeyResult: "Key result", Initiative: "Initiative"}

// Word returns the organization's word for kind, falling back to the default.
func (t Terminology) Word(kind ItemKind) string {
	var w, d string
	switch kind {
	case KindObjective:
		w, d = t.Objective, DefaultTerminology.Objective
	case KindKeyResult:
		w, d = t.KeyResult, DefaultTerminology.KeyResult
	case KindInitiative:
		w, d = t.Initiative, DefaultTerminology.Initiative
	}
	if w == "" {
		return d
	}
	return w
}

// Organization is a tenant of goalpost: its members, teams, items and views
// belong to it.
type Organization struct {
	ID          uuid.UUID
	Name        string
	Terminology Terminology
	CreatedAt   time.Time
	Version     int64 // incremented by every change; the API's ETag
}

// User is a person who can sign in. ID is the OIDC object id (oid) when one
// is known.
type User struct {
	ID          uuid.UUID
	UPN         string // user principal name / e-mail, unique, case-insensitive
	DisplayName string
	ManagerID   uuid.UUID // uuid.Nil when none
}

// Membership is a user's role in one organization.
type Membership struct {
	OrgID  uuid.UUID
	UserID uuid.UUID
	Role   Role
	// Version is incremented by every change of the membership; with the
	// user's own version it makes the API's ETag of a member.
	Version int64
}

// Team is a group of users in an organization.
type Team struct {
	ID       uuid.UUID
	OrgID    uuid.UUID
	Name     string
	ParentID uuid.UUID // uuid.Nil when top-level
	OwnerID  uuid.UUID
	Type     string // free-form, e.g. "department", "squad"
	Archived bool
	Members  []uuid.UUID
	Version  int64
}

// TimePeriod is a named span of dates, such as "Q1 2025".
type TimePeriod struct {
	ID      uuid.UUID
	OrgID   uuid.UUID
	Name    string
	Start   Date
	End     Date
	Version int64
}
