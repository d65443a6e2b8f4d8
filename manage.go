package goalpost

import (
	"context"

	"github.com/google/uuid"
)

// This file is the contract of goalpost's own management API (/api/v1):
// the writes that keep an organization's goals current, the rules they
// keep, and the whole-organization reads and writes of import and backup.
//
// Every write runs in one transaction that first locks its organization, so
// that writes to one organization are serialized and the derived figures
// (weights, progress rolled up the alignment tree, an item's last check-in)
// are never computed from a stale read. Writes to different organizations
// run in parallel.
//
// Versions: every resource carries a Version that each change increments.
// Update and delete take ifVersion: 0 applies unconditionally, any other
// value must equal the stored version or the call fails with EPRECONDITION
// and changes nothing. Update takes a function that edits the stored record
// inside the transaction; the store validates the result (see Validate* in
// rules.go and the references it can only check itself) and writes it.

// Page sizes of the management API's lists.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// Page asks for one page of a list, in the order of the list's key.
type Page struct {
	// Limit is the page size, 1..MaxPageSize; 0 means DefaultPageSize.
	Limit int
	// After is the key of the last record of the previous page in its
	// canonical text form (a GUID, or an item or check-in id); "" asks for
	// the first page.
	After string
}

// Size returns the page size Limit asks for.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageSize
	case p.Limit > MaxPageSize:
		return MaxPageSize
	}
	return p.Limit
}

// Member is a user with their role in one organization.
type Member struct {
	User
	OrgID   uuid.UUID
	Role    Role
	Version int64 // the membership's version
}

// OrganizationFilter selects organizations, ordered by id.
type OrganizationFilter struct {
	// MemberID, when set, keeps the organizations the user belongs to.
	MemberID uuid.UUID
	Page
}

// ItemFilter selects the items of an organization that a viewer may see,
// ordered by id.
type ItemFilter struct {
	OrgID    uuid.UUID
	ViewerID uuid.UUID
	// Filter is a view filter; relative date filters count from Today.
	Filter ViewFilter
	Today  Date
	Page
}

// AlignmentFilter selects alignments of one item: the parents it
// contributes to (ChildID set), or its contributors (ParentID set).
type AlignmentFilter struct {
	ChildID  int64
	ParentID int64
}

// ImportOptions configure Store.ImportOrganization.
type ImportOptions struct {
	// Replace deletes the records of the organization that the dataset
	// does not hold (a restore). Without it records are created or
	// updated and none is deleted (an import).
	Replace bool
}

// ImportResult counts what an import did, by kind of record
// ("organizations", "users", "memberships", "teams", "timePeriods",
// "items", "alignments", "checkIns", "views").
type ImportResult struct {
	Created   map[string]int `json:"created"`
	Updated   map[string]int `json:"updated"`
	Unchanged map[string]int `json:"unchanged"`
	Deleted   map[string]int `json:"deleted"`
}

// Changed reports whether the import wrote anything.
func (r ImportResult) Changed() bool {
	for _, m := range []map[string]int{r.Created, r.Updated, r.Deleted} {
		for _, n := range m {
			if n > 0 {
				return true
			}
		}
	}
	return false
}

// GoalsStore is the management side of a store: one contract, the same
// implementations as Store (both stores share their SQL, see sqlstore),
// one contract suite (storetest).
//
// Finders and updates of a missing record fail with ENOTFOUND; records of
// another organization are missing. Invalid records fail with EINVALID and
// Target naming the field (the JSON name of the API). A rule that the write
// would break (a cycle, a last owner removed, an item with contributors
// deleted) fails with ECONFLICT.
type GoalsStore interface {
	// CreateOrganization creates org (ID given, CreatedAt and Version set
	// by the store), its default views, and makes owner (found by ID, else
	// by UPN, else created) its owner.
	CreateOrganization(ctx context.Context, org *Organization, owner *User) error
	ListOrganizations(ctx context.Context, f OrganizationFilter) ([]*Organization, error)
	UpdateOrganization(ctx context.Context, id uuid.UUID, ifVersion int64, fn func(*Organization) error) (*Organization, error)
	// DeleteOrganization deletes the organization with everything in it
	// and the users who belonged to no other organization.
	DeleteOrganization(ctx context.Context, id uuid.UUID, ifVersion int64) error

	ListMembers(ctx context.Context, orgID uuid.UUID, p Page) ([]*Member, error)
	FindMember(ctx context.Context, orgID, userID uuid.UUID) (*Member, error)
	// AddMember adds m.User (found by ID, else by UPN, else created with
	// m.User's fields) to the organization with m.Role. ECONFLICT when the
	// user is a member already.
	AddMember(ctx context.Context, m *Member) error
	// UpdateMember edits the role and the user's display name and
	// manager. The organization's last owner cannot stop being one.
	UpdateMember(ctx context.Context, orgID, userID uuid.UUID, ifVersion int64, fn func(*Member) error) (*Member, error)
	// RemoveMember ends a membership (the user stays). The organization's
	// last owner cannot be removed.
	RemoveMember(ctx context.Context, orgID, userID uuid.UUID, ifVersion int64) error

	ListTeams(ctx context.Context, orgID uuid.UUID, p Page) ([]*Team, error)
	FindTeam(ctx context.Context, orgID, id uuid.UUID) (*Team, error)
	// CreateTeam creates t; a zero ID is assigned.
	CreateTeam(ctx context.Context, t *Team) error
	UpdateTeam(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*Team) error) (*Team, error)
	// DeleteTeam refuses (ECONFLICT) while items name the team; child
	// teams become top-level.
	DeleteTeam(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error

	ListTimePeriods(ctx context.Context, orgID uuid.UUID, p Page) ([]*TimePeriod, error)
	FindTimePeriod(ctx context.Context, orgID, id uuid.UUID) (*TimePeriod, error)
	CreateTimePeriod(ctx context.Context, tp *TimePeriod) error
	UpdateTimePeriod(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*TimePeriod) error) (*TimePeriod, error)
	// DeleteTimePeriod refuses (ECONFLICT) while items are in the period.
	DeleteTimePeriod(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error

	// ListItems lists the items f's viewer may see that match f's filter.
	ListItems(ctx context.Context, f ItemFilter) ([]*Item, error)
	// FindItem returns an item whatever its visibility; callers apply
	// CanSeeItem.
	FindItem(ctx context.Context, orgID uuid.UUID, id int64) (*Item, error)
	// CreateItem creates it; a zero ID is assigned (one more than the
	// largest in the deployment). Progress follows from the metric and
	// the current value (manual) or from contributors (rollup: none yet).
	CreateItem(ctx context.Context, it *Item) error
	// UpdateItem edits an item. Progress is recomputed from the metric and
	// current value (manual) and rolled up to the item's parents.
	UpdateItem(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64, fn func(*Item) error) (*Item, error)
	// DeleteItem refuses (ECONFLICT) while other items contribute to it;
	// otherwise it deletes the item with its alignments and check-ins,
	// rebalances its parents' other contributors and rolls their progress
	// up the tree.
	DeleteItem(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64) error

	// ListAlignments lists the parents of f.ChildID in position order, or
	// the contributors of f.ParentID in child id order.
	ListAlignments(ctx context.Context, orgID uuid.UUID, f AlignmentFilter) ([]*Alignment, error)
	FindAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64) (*Alignment, error)
	// CreateAlignment aligns a.ChildID to a.ParentID (after its other
	// parents). A cycle fails with ECONFLICT. With WeightFixed the weight
	// is kept; the parent's other unfixed contributors share the rest
	// equally. The parent's progress is rolled up the tree.
	CreateAlignment(ctx context.Context, orgID uuid.UUID, a *Alignment) error
	// UpdateAlignment edits a weight (which becomes fixed unless fn clears
	// WeightFixed) and rebalances the parent's other contributors.
	UpdateAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64, ifVersion int64, fn func(*Alignment) error) (*Alignment, error)
	DeleteAlignment(ctx context.Context, orgID uuid.UUID, childID, parentID int64, ifVersion int64) error

	// ListCheckIns lists an item's check-ins newest first (by date, then
	// activity time, then id).
	ListCheckIns(ctx context.Context, orgID uuid.UUID, itemID int64, p Page) ([]*CheckIn, error)
	FindCheckIn(ctx context.Context, orgID uuid.UUID, id int64) (*CheckIn, error)
	// CreateCheckIn records c (a zero ID is assigned) and, in the same
	// transaction, sets the item's current value, progress, status and last
	// check-in from its newest check-in and rolls progress up the tree.
	CreateCheckIn(ctx context.Context, orgID uuid.UUID, c *CheckIn) error
	UpdateCheckIn(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64, fn func(*CheckIn) error) (*CheckIn, error)
	DeleteCheckIn(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64) error

	// ListViews lists the views of the organization that viewerID may use
	// (public ones and their own private ones), ordered by id.
	ListViews(ctx context.Context, orgID, viewerID uuid.UUID, p Page) ([]*ExplorerView, error)
	// CreateView creates v; a zero ID is assigned.
	CreateView(ctx context.Context, v *ExplorerView) error
	UpdateView(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*ExplorerView) error) (*ExplorerView, error)
	DeleteView(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error

	// ReadOrganization returns everything of one organization from one
	// snapshot: the organization, its members (as users and memberships),
	// teams, periods, items, alignments, check-ins and views.
	ReadOrganization(ctx context.Context, orgID uuid.UUID) (*Dataset, error)
	// ImportOrganization writes an organization in one transaction. build
	// gets what the organization holds now (an empty dataset with a nil
	// organization when it does not exist) and returns the dataset to
	// write: records are matched by id, created when new, updated when
	// they differ (their version incremented) and left alone when equal,
	// so importing the same data twice changes nothing. An error of build
	// rolls everything back.
	ImportOrganization(ctx context.Context, orgID uuid.UUID, opts ImportOptions, build func(existing *Dataset) (*Dataset, error)) (ImportResult, error)
}
