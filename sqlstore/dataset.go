package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// This file reads and writes a whole organization: ReadOrganization, the
// source of a backup, and ImportOrganization, which writes an Explorer CSV
// import or restores a backup in one transaction.

// idChunk is how many ids one statement names at most, well below the
// parameter limits of both databases.
const idChunk = 500

// ReadOrganization returns every record of an organization from one
// snapshot, each kind in the order of its key: the organization, its
// members (as users and memberships, by user id), teams, time periods,
// items (by id), alignments (by child, then in the child's order of
// parents), check-ins (by id) and views. Users holds, beside the members,
// the users the organization's records still name who are no longer
// members of it (former owners of items, a member's manager from another
// organization), so that a restore of the dataset finds every user it
// refers to.
func (s *Store) ReadOrganization(ctx context.Context, orgID uuid.UUID) (*goalpost.Dataset, error) {
	var ds *goalpost.Dataset
	err := s.read(ctx, func(t tx) error {
		org, err := t.findOrg(ctx, orgID)
		if err != nil {
			return err
		}
		ds, err = t.readOrg(ctx, org)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read organization: %w", err)
	}
	return ds, nil
}

// readOrg reads everything of org; see ReadOrganization.
func (t tx) readOrg(ctx context.Context, org *goalpost.Organization) (*goalpost.Dataset, error) {
	ds := &goalpost.Dataset{Organizations: []*goalpost.Organization{org}}
	members, err := t.membersOf(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		u := m.User
		ds.Users = append(ds.Users, &u)
		ds.Memberships = append(ds.Memberships, goalpost.Membership{OrgID: m.OrgID, UserID: m.ID, Role: m.Role, Version: m.Version})
	}
	if ds.Teams, err = t.teamsOf(ctx, org.ID); err != nil {
		return nil, err
	}
	if ds.TimePeriods, err = t.periodsOf(ctx, org.ID); err != nil {
		return nil, err
	}
	if ds.Items, err = t.itemsOf(ctx, org.ID); err != nil {
		return nil, err
	}
	as, err := t.alignmentsOf(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		ds.Alignments = append(ds.Alignments, *a)
	}
	if ds.CheckIns, err = t.checkInsOf(ctx, org.ID); err != nil {
		return nil, err
	}
	if ds.Views, err = t.viewsOf(ctx, org.ID); err != nil {
		return nil, err
	}
	// The users the records name who are not members, and their managers
	// in turn.
	known := make(map[uuid.UUID]bool, len(ds.Users))
	for _, u := range ds.Users {
		known[u.ID] = true
	}
	for missing := referencedUsers(ds, known); len(missing) > 0; missing = referencedUsers(ds, known) {
		us, err := t.usersByID(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, id := range missing {
			known[id] = true // found or not: a dangling reference is asked for once
		}
		ds.Users = append(ds.Users, us...)
	}
	slices.SortFunc(ds.Users, func(a, b *goalpost.User) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	return ds, nil
}

// referencedUsers returns the users that ds's records name and known does
// not hold, in a deterministic order.
func referencedUsers(ds *goalpost.Dataset, known map[uuid.UUID]bool) []uuid.UUID {
	var out []uuid.UUID
	seen := make(map[uuid.UUID]bool)
	eachUserRef(ds, func(id uuid.UUID) {
		if id != uuid.Nil && !known[id] && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	})
	return out
}

// eachUserRef calls fn with every user that a record of ds names, but for
// the users and memberships themselves: the users' managers, the teams'
// owners and members, the items' creators and owners, the check-ins' users
// and the views' creators, in that order; fn gets uuid.Nil where a
// reference is unset.
func eachUserRef(ds *goalpost.Dataset, fn func(uuid.UUID)) {
	for _, u := range ds.Users {
		fn(u.ManagerID)
	}
	for _, tm := range ds.Teams {
		fn(tm.OwnerID)
		for _, m := range tm.Members {
			fn(m)
		}
	}
	for _, it := range ds.Items {
		fn(it.CreatorID)
		for _, o := range it.OwnerIDs {
			fn(o)
		}
	}
	for _, c := range ds.CheckIns {
		fn(c.UserID)
	}
	for _, v := range ds.Views {
		fn(v.CreatorID)
	}
}

// membersOf returns the members of an organization by user id.
func (t tx) membersOf(ctx context.Context, orgID uuid.UUID) ([]*goalpost.Member, error) {
	ms, err := queryAll(ctx, t, scanMember, `SELECT `+memberColumns+` FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = ? ORDER BY m.user_id`, t.s.d.UUID(orgID))
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	return ms, nil
}

// periodsOf returns the time periods of an organization by id.
func (t tx) periodsOf(ctx context.Context, orgID uuid.UUID) ([]*goalpost.TimePeriod, error) {
	ps, err := queryAll(ctx, t, scanPeriod, `SELECT `+periodColumns+` FROM time_periods WHERE org_id = ? ORDER BY id`,
		t.s.d.UUID(orgID))
	if err != nil {
		return nil, fmt.Errorf("read time periods: %w", err)
	}
	return ps, nil
}

// usersByID returns the users of ids that exist, idChunk ids a statement.
func (t tx) usersByID(ctx context.Context, ids []uuid.UUID) ([]*goalpost.User, error) {
	return t.usersIn(ctx, `id`, inArgs(ids, t.s.d.UUID))
}

// usersByUPN returns the users whose UPN is one of upns, compared
// case-insensitively.
func (t tx) usersByUPN(ctx context.Context, upns []string) ([]*goalpost.User, error) {
	return t.usersIn(ctx, `lower(upn)`, inArgs(upns, func(u string) any { return strings.ToLower(u) }))
}

// usersIn returns the users whose column expression col is one of keys,
// idChunk keys a statement.
func (t tx) usersIn(ctx context.Context, col string, keys []any) ([]*goalpost.User, error) {
	var out []*goalpost.User
	for chunk := range slices.Chunk(keys, idChunk) {
		rows, err := t.queryUncached(ctx, `SELECT `+userColumns+` FROM users WHERE `+col+` IN (`+marks(len(chunk))+`)`, chunk...)
		if err != nil {
			return nil, fmt.Errorf("read users: %w", err)
		}
		us, err := collectRows(rows, scanUser)
		if err != nil {
			return nil, fmt.Errorf("read users: %w", err)
		}
		out = append(out, us...)
	}
	return out, nil
}

// takenKeys returns which of keys exist in the column key of table in
// another organization than orgID (or in any, for tables without org_id:
// orgCol ""). keys are GUIDs or numbers as the dialect binds them.
func (t tx) takenKeys(ctx context.Context, table, orgCol string, orgID uuid.UUID, keys []any) ([]any, error) {
	var out []any
	for chunk := range slices.Chunk(keys, idChunk) {
		query := `SELECT id FROM ` + table + ` WHERE id IN (` + marks(len(chunk)) + `)`
		args := slices.Clone(chunk)
		if orgCol != "" {
			query += ` AND ` + orgCol + ` <> ?`
			args = append(args, t.s.d.UUID(orgID))
		}
		rows, err := t.queryUncached(ctx, query, args...)
		var ids []any
		if err == nil {
			ids, err = collectRows(rows, func(r Rows) (any, error) {
				var id any
				err := r.Scan(&id)
				return id, err
			})
		}
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", table, err)
		}
		out = append(out, ids...)
	}
	return out, nil
}

// ImportOrganization writes an organization in one transaction: it locks
// the organization's row (when it exists), reads what the organization
// holds, hands a copy to build and writes the difference between the two.
//
// The dataset build returns must hold exactly the organization orgID and
// only records of it. Records are matched by their keys (memberships by
// user, alignments by child and parent) and validated as the management
// API validates them; their references must resolve in the dataset, the
// organization (what stays of it) or, for users, the deployment. A record
// that is new is created at version 1, one that differs in a stored field
// is updated and its version incremented, one that does not is not
// written. The items of the dataset get exactly the dataset's alignments
// (as children, in the dataset's order of parents) and check-ins; a
// check-in with ID 0 gets a new id. Items, check-ins and figures are
// written as given: nothing is rolled up or rebalanced, so that a restore
// gives back what was backed up.
//
// With opts.Replace every other record of the organization is deleted, and
// so are the users who were members and belong to no organization then
// (unless a record still names them).
//
// An item, check-in, team, period or view id of another organization, or a
// new user whose UPN another user has, fails with ECONFLICT; a dataset
// that breaks a rule fails with EINVALID; nothing is written then.
func (s *Store) ImportOrganization(ctx context.Context, orgID uuid.UUID, opts goalpost.ImportOptions, build func(existing *goalpost.Dataset) (*goalpost.Dataset, error)) (goalpost.ImportResult, error) {
	var res goalpost.ImportResult
	err := s.writeTx(ctx, func(t tx) error {
		im := newImporter(t, orgID, opts)
		if err := im.run(ctx, build); err != nil {
			return err
		}
		res = im.res
		return nil
	})
	if err != nil {
		var e *goalpost.Error
		if errors.As(err, &e) {
			return goalpost.ImportResult{}, err
		}
		return goalpost.ImportResult{}, fmt.Errorf("import organization: %w", err)
	}
	return res, nil
}

// Kinds of records, the keys of goalpost.ImportResult's maps.
const (
	kindOrganizations = "organizations"
	kindUsers         = "users"
	kindMemberships   = "memberships"
	kindTeams         = "teams"
	kindPeriods       = "timePeriods"
	kindItems         = "items"
	kindAlignments    = "alignments"
	kindCheckIns      = "checkIns"
	kindViews         = "views"
)

var importKinds = []string{kindOrganizations, kindUsers, kindMemberships, kindTeams, kindPeriods, kindItems,
	kindAlignments, kindCheckIns, kindViews}

// pair is the key of an alignment.
type pair struct{ child, parent int64 }

// The keys by which an import matches records.
func userKey(u *goalpost.User) uuid.UUID         { return u.ID }
func memberKey(m goalpost.Membership) uuid.UUID  { return m.UserID }
func teamKey(tm *goalpost.Team) uuid.UUID        { return tm.ID }
func periodKey(p *goalpost.TimePeriod) uuid.UUID { return p.ID }
func itemKey(it *goalpost.Item) int64            { return it.ID }
func alignmentKey(a goalpost.Alignment) pair     { return pair{a.ChildID, a.ParentID} }
func checkInKey(c *goalpost.CheckIn) int64       { return c.ID }
func viewKey(v *goalpost.ExplorerView) uuid.UUID { return v.ID }

// importer is one ImportOrganization.
type importer struct {
	t     tx
	orgID uuid.UUID
	opts  goalpost.ImportOptions
	res   goalpost.ImportResult
	now   time.Time

	old    *goalpost.Dataset // what the organization holds
	exists bool

	// What the organization holds, by key.
	oldUsers      map[uuid.UUID]*goalpost.User
	oldMembers    map[uuid.UUID]goalpost.Membership
	oldTeams      map[uuid.UUID]*goalpost.Team
	oldPeriods    map[uuid.UUID]*goalpost.TimePeriod
	oldItems      map[int64]*goalpost.Item
	oldAlignments map[pair]goalpost.Alignment
	oldParents    map[int64][]goalpost.Alignment // by child, in order
	oldCheckIns   map[int64]*goalpost.CheckIn
	oldViews      map[uuid.UUID]*goalpost.ExplorerView
	storeUsers    map[uuid.UUID]*goalpost.User // the users of the deployment the dataset names

	// What the dataset holds, by key.
	dsUsers      map[uuid.UUID]*goalpost.User
	dsMembers    map[uuid.UUID]goalpost.Membership
	dsTeams      map[uuid.UUID]*goalpost.Team
	dsPeriods    map[uuid.UUID]*goalpost.TimePeriod
	dsItems      map[int64]*goalpost.Item
	dsAlignments map[pair]goalpost.Alignment
	dsParents    map[int64][]goalpost.Alignment // by child, in the dataset's order
	dsCheckIns   map[int64]*goalpost.CheckIn    // by id, assigned ones included
	dsViews      map[uuid.UUID]*goalpost.ExplorerView
	// The dataset's items, check-ins and views in its order, as they are
	// to be stored: copies with ids assigned, defaults given, times cut to
	// milliseconds.
	dsItemOrder    []*goalpost.Item
	dsCheckInOrder []*goalpost.CheckIn
	dsViewOrder    []*goalpost.ExplorerView

	deletedItems map[int64]bool // the items write deleted, with their alignments and check-ins
}

func newImporter(t tx, orgID uuid.UUID, opts goalpost.ImportOptions) *importer {
	im := &importer{t: t, orgID: orgID, opts: opts, now: now()}
	im.res = goalpost.ImportResult{Created: map[string]int{}, Updated: map[string]int{}, Unchanged: map[string]int{}, Deleted: map[string]int{}}
	for _, k := range importKinds {
		im.res.Created[k], im.res.Updated[k], im.res.Unchanged[k], im.res.Deleted[k] = 0, 0, 0, 0
	}
	return im
}

// invalidf is the EINVALID error of a dataset that breaks a rule.
func invalidf(format string, args ...any) error {
	return goalpost.Errorf(goalpost.EINVALID, format, args...)
}

// conflictf is the ECONFLICT error of a dataset that clashes with another
// organization's records.
func conflictf(format string, args ...any) error {
	return goalpost.Errorf(goalpost.ECONFLICT, format, args...)
}

// recordError prefixes a validation error with the record it is about.
func recordError(what string, err error) error {
	var e *goalpost.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Message = what + ": " + e.Message
	return &c
}

func (im *importer) run(ctx context.Context, build func(*goalpost.Dataset) (*goalpost.Dataset, error)) error {
	t := im.t
	switch err := t.lockOrg(ctx, im.orgID); {
	case err == nil:
		im.exists = true
	case !goalpost.IsNotFound(err):
		return err
	}
	im.old = &goalpost.Dataset{}
	if im.exists {
		org, err := t.findOrg(ctx, im.orgID)
		if err != nil {
			return err
		}
		if im.old, err = t.readOrg(ctx, org); err != nil {
			return err
		}
	}
	ds, err := build(cloneDataset(im.old))
	if err != nil {
		return err
	}
	if ds == nil {
		return invalidf("The import produced no dataset.")
	}
	im.indexOld()
	org, err := im.checkOwnership(ds)
	if err != nil {
		return err
	}
	if err := im.index(ctx, ds); err != nil {
		return err
	}
	if err := im.validate(ctx, ds); err != nil {
		return err
	}
	return im.write(ctx, ds, org)
}

// indexOld indexes what the organization holds.
func (im *importer) indexOld() {
	o := im.old
	im.oldUsers = byKey(o.Users, userKey)
	im.oldMembers = byKey(o.Memberships, memberKey)
	im.oldTeams = byKey(o.Teams, teamKey)
	im.oldPeriods = byKey(o.TimePeriods, periodKey)
	im.oldItems = byKey(o.Items, itemKey)
	im.oldAlignments = byKey(o.Alignments, alignmentKey)
	im.oldParents = make(map[int64][]goalpost.Alignment)
	for _, a := range o.Alignments {
		im.oldParents[a.ChildID] = append(im.oldParents[a.ChildID], a)
	}
	im.oldCheckIns = byKey(o.CheckIns, checkInKey)
	im.oldViews = byKey(o.Views, viewKey)
}

// byKey indexes records by their keys.
func byKey[K comparable, R any](recs []R, key func(R) K) map[K]R {
	m := make(map[K]R, len(recs))
	for _, r := range recs {
		m[key(r)] = r
	}
	return m
}

// checkOwnership checks that ds is of the organization: it holds exactly
// the organization, and every record names it.
func (im *importer) checkOwnership(ds *goalpost.Dataset) (*goalpost.Organization, error) {
	if len(ds.Organizations) != 1 || ds.Organizations[0] == nil {
		return nil, invalidf("The dataset must hold exactly one organization, %s; it holds %d.", im.orgID, len(ds.Organizations))
	}
	org := ds.Organizations[0]
	if org.ID != im.orgID {
		return nil, invalidf("The dataset holds the organization %s, not %s.", org.ID, im.orgID)
	}
	if err := cmp.Or(nilRecord("a team", ds.Teams), nilRecord("a time period", ds.TimePeriods),
		nilRecord("an item", ds.Items), nilRecord("a check-in", ds.CheckIns), nilRecord("a view", ds.Views)); err != nil {
		return nil, err
	}
	err := cmp.Or(
		foreignRecord(im.orgID, "membership of user", ds.Memberships,
			func(m goalpost.Membership) (any, uuid.UUID) { return m.UserID, m.OrgID }),
		foreignRecord(im.orgID, "team", ds.Teams, func(tm *goalpost.Team) (any, uuid.UUID) { return tm.ID, tm.OrgID }),
		foreignRecord(im.orgID, "time period", ds.TimePeriods,
			func(p *goalpost.TimePeriod) (any, uuid.UUID) { return p.ID, p.OrgID }),
		foreignRecord(im.orgID, "item", ds.Items, func(it *goalpost.Item) (any, uuid.UUID) { return it.ID, it.OrgID }),
		foreignRecord(im.orgID, "view", ds.Views, func(v *goalpost.ExplorerView) (any, uuid.UUID) { return v.ID, v.OrgID }),
	)
	if err != nil {
		return nil, err
	}
	return org, nil
}

// nilRecord refuses a dataset whose list of records holds nil; what names
// a record of the kind ("a team").
func nilRecord[T any](what string, recs []*T) error {
	if slices.Contains(recs, nil) {
		return invalidf("The dataset holds %s that is nil.", what)
	}
	return nil
}

// foreignRecord refuses a record of recs that is of another organization
// than orgID; of returns a record's key and organization.
func foreignRecord[R any](orgID uuid.UUID, what string, recs []R, of func(R) (any, uuid.UUID)) error {
	for _, r := range recs {
		if id, org := of(r); org != orgID {
			return invalidf("The %s %v belongs to the organization %s, not to %s.", what, id, org, orgID)
		}
	}
	return nil
}

// index indexes the dataset, refusing records given twice, and assigns the
// ids of new check-ins.
func (im *importer) index(ctx context.Context, ds *goalpost.Dataset) error {
	im.dsUsers = make(map[uuid.UUID]*goalpost.User, len(ds.Users))
	upns := make(map[string]uuid.UUID, len(ds.Users))
	for _, u := range ds.Users {
		if u == nil || u.ID == uuid.Nil {
			return invalidf("A user of the dataset has no id.")
		}
		if im.dsUsers[u.ID] != nil {
			return invalidf("The dataset has the user %s twice.", u.ID)
		}
		if err := goalpost.ValidateUser(u); err != nil {
			return recordError("User "+u.ID.String(), err)
		}
		key := strings.ToLower(u.UPN)
		if other, ok := upns[key]; ok {
			return invalidf("The users %s and %s of the dataset have the same user principal name %s.", other, u.ID, u.UPN)
		}
		upns[key] = u.ID
		im.dsUsers[u.ID] = u
	}
	im.dsMembers = make(map[uuid.UUID]goalpost.Membership, len(ds.Memberships))
	for _, m := range ds.Memberships {
		if _, ok := im.dsMembers[m.UserID]; ok {
			return invalidf("The dataset has the membership of user %s twice.", m.UserID)
		}
		if !m.Role.Valid() {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "role",
				Message: fmt.Sprintf("Membership of user %s: the role %q is not one of owner, admin, member, observer.", m.UserID, m.Role)}
		}
		im.dsMembers[m.UserID] = m
	}
	im.dsTeams = make(map[uuid.UUID]*goalpost.Team, len(ds.Teams))
	for _, tm := range ds.Teams {
		if tm.ID == uuid.Nil {
			return invalidf("The team %q has no id.", tm.Name)
		}
		if im.dsTeams[tm.ID] != nil {
			return invalidf("The dataset has the team %s twice.", tm.ID)
		}
		if err := validateTeam(tm); err != nil {
			return recordError("Team "+tm.ID.String(), err)
		}
		im.dsTeams[tm.ID] = tm
	}
	im.dsPeriods = make(map[uuid.UUID]*goalpost.TimePeriod, len(ds.TimePeriods))
	for _, p := range ds.TimePeriods {
		if p.ID == uuid.Nil {
			return invalidf("The time period %q has no id.", p.Name)
		}
		if im.dsPeriods[p.ID] != nil {
			return invalidf("The dataset has the time period %s twice.", p.ID)
		}
		if err := goalpost.ValidateTimePeriod(p); err != nil {
			return recordError("Time period "+p.ID.String(), err)
		}
		im.dsPeriods[p.ID] = p
	}
	im.dsItems = make(map[int64]*goalpost.Item, len(ds.Items))
	for _, it := range ds.Items {
		if it.ID <= 0 {
			return invalidf("The item %q needs a positive id, not %d.", it.Title, it.ID)
		}
		if im.dsItems[it.ID] != nil {
			return invalidf("The dataset has the item %d twice.", it.ID)
		}
		c, err := im.prepareItem(it)
		if err != nil {
			return err
		}
		im.dsItems[it.ID] = c
		im.dsItemOrder = append(im.dsItemOrder, c)
	}
	im.dsAlignments = make(map[pair]goalpost.Alignment, len(ds.Alignments))
	im.dsParents = make(map[int64][]goalpost.Alignment)
	for _, a := range ds.Alignments {
		k := pair{a.ChildID, a.ParentID}
		if _, ok := im.dsAlignments[k]; ok {
			return invalidf("The dataset has the alignment of item %d to item %d twice.", a.ChildID, a.ParentID)
		}
		if err := goalpost.ValidateAlignment(&a); err != nil {
			return recordError(fmt.Sprintf("Alignment of item %d to item %d", a.ChildID, a.ParentID), err)
		}
		if im.dsItems[a.ChildID] == nil {
			return invalidf("The alignment of item %d to item %d is of an item the dataset does not hold.", a.ChildID, a.ParentID)
		}
		im.dsAlignments[k] = a
		im.dsParents[a.ChildID] = append(im.dsParents[a.ChildID], a)
	}
	im.dsCheckIns = make(map[int64]*goalpost.CheckIn, len(ds.CheckIns))
	var maxID int64
	var unassigned []*goalpost.CheckIn
	for _, c := range ds.CheckIns {
		if c.ID < 0 {
			return invalidf("The check-in id %d is negative.", c.ID)
		}
		if c.ID != 0 && im.dsCheckIns[c.ID] != nil {
			return invalidf("The dataset has the check-in %d twice.", c.ID)
		}
		if im.dsItems[c.ItemID] == nil {
			return invalidf("The check-in %d is of the item %d, which the dataset does not hold.", c.ID, c.ItemID)
		}
		if err := goalpost.ValidateCheckIn(c); err != nil {
			return recordError(fmt.Sprintf("Check-in %d of item %d", c.ID, c.ItemID), err)
		}
		cc := *c
		cc.ActivityAt = millis(c.ActivityAt)
		im.dsCheckInOrder = append(im.dsCheckInOrder, &cc)
		if c.ID == 0 {
			unassigned = append(unassigned, &cc)
			continue
		}
		im.dsCheckIns[c.ID] = &cc
		maxID = max(maxID, c.ID)
	}
	if len(unassigned) > 0 {
		next, err := im.t.nextCheckInID(ctx)
		if err != nil {
			return err
		}
		next = max(next, maxID+1)
		for _, c := range unassigned {
			c.ID = next
			im.dsCheckIns[c.ID] = c
			next++
		}
	}
	im.dsViews = make(map[uuid.UUID]*goalpost.ExplorerView, len(ds.Views))
	for _, v := range ds.Views {
		if v.ID == uuid.Nil {
			return invalidf("The view %q has no id.", v.Name)
		}
		if im.dsViews[v.ID] != nil {
			return invalidf("The dataset has the view %s twice.", v.ID)
		}
		c := *v
		if c.CreatedAt.IsZero() {
			c.CreatedAt = im.now
			if old := im.oldViews[v.ID]; old != nil {
				c.CreatedAt = old.CreatedAt
			}
		}
		c.CreatedAt = millis(c.CreatedAt)
		if err := goalpost.ValidateView(&c); err != nil {
			return recordError("View "+v.ID.String(), err)
		}
		im.dsViews[v.ID] = &c
		im.dsViewOrder = append(im.dsViewOrder, &c)
	}
	return nil
}

// prepareItem returns a copy of an item of the dataset as it is to be
// stored: a new item with the defaults CreateItem gives (and created now
// when it has no creation time), times cut to milliseconds; and checks it.
func (im *importer) prepareItem(in *goalpost.Item) (*goalpost.Item, error) {
	it := cloneItem(in)
	if old := im.oldItems[in.ID]; old == nil {
		it.ApplyDefaults()
		if it.CreatedAt.IsZero() {
			it.CreatedAt = im.now
		}
		if it.UpdatedAt.IsZero() {
			it.UpdatedAt = it.CreatedAt
		}
	} else if it.CreatedAt.IsZero() {
		it.CreatedAt = old.CreatedAt
	}
	it.CreatedAt, it.UpdatedAt = millis(it.CreatedAt), millis(it.UpdatedAt)
	if err := goalpost.ValidateItem(it); err != nil {
		return nil, recordError(fmt.Sprintf("Item %d", it.ID), err)
	}
	return it, nil
}

// millis is a time as the stores keep it: UTC, at millisecond precision.
func millis(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// keeps reports whether a record of the organization that the dataset does
// not hold stays: it does unless the import replaces.
func (im *importer) keeps() bool { return !im.opts.Replace }

// validate checks what needs more than one record: references, the
// owner, cycles, and ids of other organizations.
func (im *importer) validate(ctx context.Context, ds *goalpost.Dataset) error {
	t := im.t
	// Users: those the dataset names that it does not hold must exist.
	var lookup []uuid.UUID
	seen := make(map[uuid.UUID]bool)
	want := func(id uuid.UUID) {
		if id != uuid.Nil && !seen[id] && im.oldUsers[id] == nil {
			seen[id] = true
			lookup = append(lookup, id)
		}
	}
	for _, u := range ds.Users {
		want(u.ID)
	}
	for _, m := range ds.Memberships {
		want(m.UserID)
	}
	eachUserRef(ds, want)
	found, err := t.usersByID(ctx, lookup)
	if err != nil {
		return err
	}
	im.storeUsers = make(map[uuid.UUID]*goalpost.User, len(im.oldUsers)+len(found))
	for id, u := range im.oldUsers {
		im.storeUsers[id] = u
	}
	for _, u := range found {
		im.storeUsers[u.ID] = u
	}
	userExists := func(id uuid.UUID) bool { return im.dsUsers[id] != nil || im.storeUsers[id] != nil }
	checkUser := func(what string, id uuid.UUID) error {
		if id != uuid.Nil && !userExists(id) {
			return invalidf("%s names the user %s, who is neither in the dataset nor in goalpost.", what, id)
		}
		return nil
	}
	for _, u := range ds.Users {
		if err := checkUser("The user "+u.ID.String(), u.ManagerID); err != nil {
			return err
		}
	}
	if err := im.checkSharedUsers(ctx, ds); err != nil {
		return err
	}
	if err := im.checkUPNs(ctx, ds); err != nil {
		return err
	}

	// Memberships: of users that exist, and an owner among them.
	owner := false
	for _, m := range ds.Memberships {
		if err := checkUser("The membership", m.UserID); err != nil {
			return err
		}
		owner = owner || m.Role == goalpost.RoleOwner
	}
	if im.keeps() {
		for id, m := range im.oldMembers {
			if _, ok := im.dsMembers[id]; !ok && m.Role == goalpost.RoleOwner {
				owner = true
			}
		}
	}
	if !owner {
		if im.exists {
			return conflictf("An organization needs an owner: the import would leave the organization %s without one.", im.orgID)
		}
		return invalidf("An organization needs an owner: the dataset makes no member the owner of %s.", im.orgID)
	}

	// Teams: parents among the teams that stay, no cycle, users that exist.
	teamStays := func(id uuid.UUID) bool {
		return im.dsTeams[id] != nil || (im.keeps() && im.oldTeams[id] != nil)
	}
	parentOf := func(id uuid.UUID) uuid.UUID {
		if tm := im.dsTeams[id]; tm != nil {
			return tm.ParentID
		}
		if tm := im.oldTeams[id]; tm != nil && im.keeps() {
			return tm.ParentID
		}
		return uuid.Nil
	}
	for _, tm := range ds.Teams {
		what := "The team " + tm.ID.String()
		if tm.ParentID != uuid.Nil && !teamStays(tm.ParentID) {
			return invalidf("%s has the parent team %s, which is not a team of the organization.", what, tm.ParentID)
		}
		if err := checkUser(what, tm.OwnerID); err != nil {
			return err
		}
		for _, m := range tm.Members {
			if err := checkUser(what, m); err != nil {
				return err
			}
		}
		// A chain of parents longer than the teams has a cycle.
		p, n := tm.ParentID, 0
		for p != uuid.Nil && n <= len(im.dsTeams)+len(im.oldTeams) {
			if p == tm.ID {
				return conflictf("%s is one of its own parent teams: team parents must not form a cycle.", what)
			}
			p, n = parentOf(p), n+1
		}
	}

	// Items: periods and teams that stay, users that exist, ids of no
	// other organization.
	periodStays := func(id uuid.UUID) bool {
		return im.dsPeriods[id] != nil || (im.keeps() && im.oldPeriods[id] != nil)
	}
	itemStays := func(id int64) bool {
		return im.dsItems[id] != nil || (im.keeps() && im.oldItems[id] != nil)
	}
	for _, it := range ds.Items {
		what := fmt.Sprintf("The item %d", it.ID)
		if it.PeriodID != uuid.Nil && !periodStays(it.PeriodID) {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "periodId",
				Message: fmt.Sprintf("%s is in the time period %s, which is not a time period of the organization.", what, it.PeriodID)}
		}
		for _, tm := range it.TeamIDs {
			if !teamStays(tm) {
				return &goalpost.Error{Code: goalpost.EINVALID, Target: "teamIds",
					Message: fmt.Sprintf("%s names the team %s, which is not a team of the organization.", what, tm)}
			}
		}
		if err := checkUser(what, it.CreatorID); err != nil {
			return err
		}
		for _, o := range it.OwnerIDs {
			if err := checkUser(what, o); err != nil {
				return err
			}
		}
	}
	for _, a := range ds.Alignments {
		if !itemStays(a.ParentID) {
			return invalidf("The item %d is aligned to the item %d, which is not an item of the organization.", a.ChildID, a.ParentID)
		}
	}
	if err := im.checkCycles(ds); err != nil {
		return err
	}
	for _, c := range im.dsCheckInOrder {
		if err := checkUser(fmt.Sprintf("The check-in %d", c.ID), c.UserID); err != nil {
			return err
		}
	}
	for _, v := range ds.Views {
		if err := checkUser("The view "+v.ID.String(), v.CreatorID); err != nil {
			return err
		}
	}
	return im.checkForeignKeys(ctx, ds)
}

// checkSharedUsers refuses to change a user who belongs to another
// organization too: a user's UPN, display name and manager are the
// deployment's, so one organization's import must not rewrite what another
// organization's members are (a changed UPN would hand their sign-in to
// whoever holds the new one).
func (im *importer) checkSharedUsers(ctx context.Context, ds *goalpost.Dataset) error {
	var changed []uuid.UUID
	for _, u := range ds.Users {
		if old := im.storeUsers[u.ID]; old != nil && (old.UPN != u.UPN || old.DisplayName != u.DisplayName || old.ManagerID != u.ManagerID) {
			changed = append(changed, u.ID)
		}
	}
	for _, id := range changed {
		shared, err := im.t.inOtherOrganization(ctx, im.orgID, id)
		if err != nil {
			return err
		}
		if shared {
			return errSharedUser(id)
		}
	}
	return nil
}

// checkUPNs refuses a user whose UPN another user of the deployment has.
func (im *importer) checkUPNs(ctx context.Context, ds *goalpost.Dataset) error {
	var upns []string
	for _, u := range ds.Users {
		if old := im.storeUsers[u.ID]; old == nil || !strings.EqualFold(old.UPN, u.UPN) {
			upns = append(upns, u.UPN)
		}
	}
	if len(upns) == 0 {
		return nil
	}
	found, err := im.t.usersByUPN(ctx, upns)
	if err != nil {
		return err
	}
	byUPN := make(map[string]*goalpost.User, len(found))
	for _, u := range found {
		byUPN[strings.ToLower(u.UPN)] = u
	}
	for _, u := range ds.Users {
		if other := byUPN[strings.ToLower(u.UPN)]; other != nil && other.ID != u.ID {
			return &goalpost.Error{Code: goalpost.ECONFLICT, Target: "upn",
				Message: fmt.Sprintf("The user principal name %s belongs to another user, %s.", u.UPN, other.ID)}
		}
	}
	return nil
}

// checkCycles refuses alignments that form a cycle once written: the
// dataset's, and the other items' that stay.
func (im *importer) checkCycles(ds *goalpost.Dataset) error {
	parents := func(id int64) []goalpost.Alignment {
		if im.dsItems[id] != nil {
			return im.dsParents[id]
		}
		if im.keeps() {
			return im.oldParents[id]
		}
		return nil
	}
	// The organization's alignments have no cycle, so every cycle runs
	// through an item of the dataset.
	starts := make([]int64, len(ds.Items))
	for i, it := range ds.Items {
		starts[i] = it.ID
	}
	if cycle := goalpost.AlignmentCycle(starts, parents); cycle != nil {
		return conflictf("The item %d cannot contribute to the item %d: the alignments would form a cycle.", cycle[len(cycle)-1], cycle[0])
	}
	return nil
}

// checkForeignKeys refuses ids of the dataset that records of another
// organization have: items and check-ins (numbered across the
// deployment), teams, periods and views.
func (im *importer) checkForeignKeys(ctx context.Context, ds *goalpost.Dataset) error {
	bindUUID := im.t.s.d.UUID
	checks := []struct {
		table, orgCol, what string
		keys                []any
	}{
		{"items", "org_id", "item id", newKeys(ds.Items, itemKey, im.oldItems, anyID)},
		// None of this organization: they are new to it.
		{"checkins", "", "check-in id", newKeys(im.dsCheckInOrder, checkInKey, im.oldCheckIns, anyID)},
		{"teams", "org_id", "team id", newKeys(ds.Teams, teamKey, im.oldTeams, bindUUID)},
		{"time_periods", "org_id", "time period id", newKeys(ds.TimePeriods, periodKey, im.oldPeriods, bindUUID)},
		{"explorer_views", "org_id", "view id", newKeys(ds.Views, viewKey, im.oldViews, bindUUID)},
	}
	for _, c := range checks {
		if len(c.keys) == 0 {
			continue
		}
		taken, err := im.t.takenKeys(ctx, c.table, c.orgCol, im.orgID, c.keys)
		if err != nil {
			return err
		}
		if len(taken) > 0 {
			return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: "alreadyExists",
				Message: fmt.Sprintf("The %s %v belongs to another organization.", c.what, keyText(taken[0]))}
		}
	}
	return nil
}

// newKeys returns the keys of recs that old does not hold, as bind gives
// them to the database.
func newKeys[R any, K comparable, V any](recs []R, key func(R) K, old map[K]V, bind func(K) any) []any {
	var out []any
	for _, r := range recs {
		k := key(r)
		if _, ok := old[k]; !ok {
			out = append(out, bind(k))
		}
	}
	return out
}

// keyText prints a key as scanned from either database.
func keyText(k any) string {
	switch v := k.(type) {
	case []byte:
		if len(v) == 16 {
			return uuid.UUID(v).String()
		}
		return string(v)
	case [16]byte:
		return uuid.UUID(v).String()
	}
	return fmt.Sprint(k)
}

// write writes the difference between the organization and ds.
func (im *importer) write(ctx context.Context, ds *goalpost.Dataset, dsOrg *goalpost.Organization) error {
	t := im.t
	res := &im.res

	// The organization.
	org := *dsOrg
	var oldOrg *goalpost.Organization
	if im.exists {
		oldOrg = im.old.Organizations[0]
		if org.CreatedAt.IsZero() {
			org.CreatedAt = oldOrg.CreatedAt
		}
	} else if org.CreatedAt.IsZero() {
		org.CreatedAt = im.now
	}
	org.CreatedAt = millis(org.CreatedAt)
	if err := goalpost.ValidateOrganization(&org); err != nil {
		return recordError("Organization "+org.ID.String(), err)
	}
	orgChanged := false
	switch {
	case oldOrg == nil:
		org.Version = 1
		if err := t.insertOrg(ctx, &org); err != nil {
			return err
		}
		res.Created[kindOrganizations]++
	case !orgEqual(oldOrg, &org):
		orgChanged = true
		res.Updated[kindOrganizations]++
	default:
		res.Unchanged[kindOrganizations]++
	}

	// Users, memberships, teams and time periods.
	err := writeRecords(res, ds.Users, importKind[*goalpost.User]{
		kind:   kindUsers,
		stored: findIn(im.storeUsers, userKey),
		equal: func(old, u *goalpost.User) bool {
			return old.UPN == u.UPN && old.DisplayName == u.DisplayName && old.ManagerID == u.ManagerID
		},
		insert: func(u *goalpost.User) error { return t.insertUser(ctx, u) },
		update: func(_, u *goalpost.User) error { return t.updateUser(ctx, u) },
	})
	if err != nil {
		return err
	}
	members := make([]*goalpost.Membership, len(ds.Memberships))
	for i, m := range ds.Memberships {
		members[i] = &m
	}
	err = writeRecords(res, members, importKind[*goalpost.Membership]{
		kind: kindMemberships,
		stored: func(m *goalpost.Membership) (*goalpost.Membership, bool) {
			old, ok := im.oldMembers[m.UserID]
			return &old, ok // a copy: only rec's version is written
		},
		equal:   func(old, m *goalpost.Membership) bool { return old.Role == m.Role },
		version: func(m *goalpost.Membership) *int64 { return &m.Version },
		insert:  func(m *goalpost.Membership) error { return t.insertMembership(ctx, m) },
		update:  func(_, m *goalpost.Membership) error { return t.updateMembership(ctx, m) },
	})
	if err != nil {
		return err
	}
	var removedMembers []uuid.UUID
	err = deleteDropped(im, kindMemberships, im.old.Memberships,
		has(im.dsMembers, memberKey),
		func(m goalpost.Membership) error {
			removedMembers = append(removedMembers, m.UserID)
			return t.deleteMembership(ctx, im.orgID, m.UserID)
		})
	if err != nil {
		return err
	}
	err = writeRecords(res, cloneEach(ds.Teams, clonePtr), importKind[*goalpost.Team]{
		kind:    kindTeams,
		stored:  findIn(im.oldTeams, teamKey),
		equal:   teamEqual,
		version: func(tm *goalpost.Team) *int64 { return &tm.Version },
		insert:  func(tm *goalpost.Team) error { return t.insertTeam(ctx, tm) },
		update:  func(_, tm *goalpost.Team) error { return t.updateTeam(ctx, tm) },
	})
	if err != nil {
		return err
	}
	err = writeRecords(res, cloneEach(ds.TimePeriods, clonePtr), importKind[*goalpost.TimePeriod]{
		kind:   kindPeriods,
		stored: findIn(im.oldPeriods, periodKey),
		equal: func(old, p *goalpost.TimePeriod) bool {
			return old.Name == p.Name && old.Start == p.Start && old.End == p.End
		},
		version: func(p *goalpost.TimePeriod) *int64 { return &p.Version },
		insert:  func(p *goalpost.TimePeriod) error { return t.insertPeriod(ctx, p) },
		update:  func(_, p *goalpost.TimePeriod) error { return t.updatePeriod(ctx, p) },
	})
	if err != nil {
		return err
	}

	// Items: the ones that go first, with their alignments and check-ins.
	im.deletedItems = make(map[int64]bool)
	err = deleteDropped(im, kindItems, im.old.Items,
		has(im.dsItems, itemKey),
		func(it *goalpost.Item) error {
			im.deletedItems[it.ID] = true
			return t.deleteItem(ctx, it.ID)
		})
	if err != nil {
		return err
	}
	err = writeRecords(res, im.dsItemOrder, importKind[*goalpost.Item]{
		kind:    kindItems,
		stored:  findIn(im.oldItems, itemKey),
		equal:   itemEqual,
		version: func(it *goalpost.Item) *int64 { return &it.Version },
		insert:  func(it *goalpost.Item) error { return t.insertItem(ctx, it) },
		update: func(old, it *goalpost.Item) error {
			// A change that leaves the update time as it was (or unset)
			// happens now.
			if it.UpdatedAt.IsZero() || it.UpdatedAt.Equal(old.UpdatedAt) {
				it.UpdatedAt = im.now
			}
			return t.updateItem(ctx, it)
		},
	})
	if err != nil {
		return err
	}

	// Alignments: the dataset items' own become the dataset's.
	err = deleteOfItems(im, kindAlignments, im.old.Alignments,
		func(a goalpost.Alignment) int64 { return a.ChildID },
		has(im.dsAlignments, alignmentKey),
		func(a goalpost.Alignment) error { return t.deleteAlignment(ctx, a.ChildID, a.ParentID) })
	if err != nil {
		return err
	}
	for _, it := range ds.Items {
		if err := im.writeParents(ctx, it.ID); err != nil {
			return err
		}
	}

	// Check-ins: the dataset items' own become the dataset's.
	err = deleteOfItems(im, kindCheckIns, im.old.CheckIns,
		func(c *goalpost.CheckIn) int64 { return c.ItemID },
		has(im.dsCheckIns, checkInKey),
		func(c *goalpost.CheckIn) error { return t.deleteCheckIn(ctx, c.ID) })
	if err != nil {
		return err
	}
	err = writeRecords(res, im.dsCheckInOrder, importKind[*goalpost.CheckIn]{
		kind:    kindCheckIns,
		stored:  findIn(im.oldCheckIns, checkInKey),
		equal:   checkInEqual,
		version: func(c *goalpost.CheckIn) *int64 { return &c.Version },
		insert:  func(c *goalpost.CheckIn) error { return t.insertCheckIn(ctx, c) },
		update: func(old, c *goalpost.CheckIn) error {
			if old.ItemID != c.ItemID {
				// Moved to another item: the row is written anew.
				if err := t.deleteCheckIn(ctx, c.ID); err != nil {
					return err
				}
				return t.insertCheckIn(ctx, c)
			}
			return t.updateCheckIn(ctx, c)
		},
	})
	if err != nil {
		return err
	}

	// Teams and periods that go, now that no item names them.
	err = deleteDropped(im, kindTeams, im.old.Teams,
		has(im.dsTeams, teamKey),
		func(tm *goalpost.Team) error { return t.deleteTeam(ctx, tm.ID) })
	if err != nil {
		return err
	}
	err = deleteDropped(im, kindPeriods, im.old.TimePeriods,
		has(im.dsPeriods, periodKey),
		func(p *goalpost.TimePeriod) error { return t.deletePeriod(ctx, p.ID) })
	if err != nil {
		return err
	}

	// Views.
	err = writeRecords(res, im.dsViewOrder, importKind[*goalpost.ExplorerView]{
		kind:    kindViews,
		stored:  findIn(im.oldViews, viewKey),
		equal:   viewEqual,
		version: func(v *goalpost.ExplorerView) *int64 { return &v.Version },
		insert:  func(v *goalpost.ExplorerView) error { return t.insertView(ctx, v) },
		update:  func(_, v *goalpost.ExplorerView) error { return t.updateView(ctx, v) },
	})
	if err != nil {
		return err
	}
	err = deleteDropped(im, kindViews, im.old.Views,
		has(im.dsViews, viewKey),
		func(v *goalpost.ExplorerView) error { return t.deleteView(ctx, v.ID) })
	if err != nil {
		return err
	}

	// Users who were members and belong nowhere now.
	if err := im.deleteLeftUsers(ctx, ds, removedMembers); err != nil {
		return err
	}

	// The organization's version follows every change.
	if oldOrg != nil && (orgChanged || res.Changed()) {
		org.Version = oldOrg.Version + 1
		if err := t.updateOrg(ctx, &org); err != nil {
			return err
		}
		if !org.CreatedAt.Equal(oldOrg.CreatedAt) {
			if _, err := t.exec(ctx, `UPDATE organizations SET created_at = ? WHERE id = ?`,
				t.s.d.Timestamp(org.CreatedAt), t.s.d.UUID(org.ID)); err != nil {
				return fmt.Errorf("update organization: %w", err)
			}
		}
	}
	return nil
}

// importKind is how write writes the dataset's records of one kind.
type importKind[R any] struct {
	kind string // the key of goalpost.ImportResult's maps
	// stored returns the organization's record with the key of rec, if it
	// has one.
	stored func(rec R) (old R, ok bool)
	// equal reports whether rec leaves the stored record as it is.
	equal func(old, rec R) bool
	// version points to a record's version; nil for a kind that has none.
	version func(rec R) *int64
	insert  func(rec R) error
	update  func(old, rec R) error
}

// writeRecords writes recs, records of the dataset as they are to be
// stored: one the organization does not hold is created at version 1, one
// that differs from the stored one is updated at the stored version plus
// one, and one that does not is not written. Each counts into res.
func writeRecords[R any](res *goalpost.ImportResult, recs []R, k importKind[R]) error {
	for _, rec := range recs {
		old, ok := k.stored(rec)
		switch {
		case !ok:
			if k.version != nil {
				*k.version(rec) = 1
			}
			if err := k.insert(rec); err != nil {
				return err
			}
			res.Created[k.kind]++
		case !k.equal(old, rec):
			if k.version != nil {
				*k.version(rec) = *k.version(old) + 1
			}
			if err := k.update(old, rec); err != nil {
				return err
			}
			res.Updated[k.kind]++
		default:
			res.Unchanged[k.kind]++
		}
	}
	return nil
}

// findIn returns the stored function of an importKind whose records m
// holds by key.
func findIn[K comparable, R any](m map[K]R, key func(R) K) func(R) (R, bool) {
	return func(rec R) (R, bool) {
		old, ok := m[key(rec)]
		return old, ok
	}
}

// has returns a function that reports whether m holds a record with the
// key of its argument.
func has[K comparable, R, V any](m map[K]V, key func(R) K) func(R) bool {
	return func(rec R) bool {
		_, ok := m[key(rec)]
		return ok
	}
}

// deleteDropped deletes with del, when the import replaces, the records of
// the organization (old) that the dataset does not hold (kept says which
// it holds), and counts them.
func deleteDropped[R any](im *importer, kind string, old []R, kept func(R) bool, del func(R) error) error {
	if !im.opts.Replace {
		return nil
	}
	for _, r := range old {
		if kept(r) {
			continue
		}
		if err := del(r); err != nil {
			return err
		}
		im.res.Deleted[kind]++
	}
	return nil
}

// deleteOfItems deletes with del the alignments or check-ins of the
// organization (old) that the dataset does not hold (kept says which it
// holds) and whose item (of says which) it holds, and counts them with
// those that went with a deleted item. Those of the other items stay:
// what the dataset holds of an item replaces what it had, whether or not
// the import replaces the organization.
func deleteOfItems[R any](im *importer, kind string, old []R, of func(R) int64, kept func(R) bool, del func(R) error) error {
	for _, r := range old {
		if kept(r) {
			continue
		}
		switch item := of(r); {
		case im.deletedItems[item]:
			// deleteItem took it.
		case im.dsItems[item] != nil:
			if err := del(r); err != nil {
				return err
			}
		default:
			continue // the item stays as it is
		}
		im.res.Deleted[kind]++
	}
	return nil
}

// writeParents makes the alignments of the dataset item child (as the
// contributor) the dataset's, in the dataset's order; the ones the
// dataset lacks are deleted already. Nothing is written when they agree.
func (im *importer) writeParents(ctx context.Context, child int64) error {
	t, res := im.t, &im.res
	want := im.dsParents[child]
	var have []goalpost.Alignment // the old ones that stay, in order
	for _, a := range im.oldParents[child] {
		if _, ok := im.dsAlignments[pair{a.ChildID, a.ParentID}]; ok {
			have = append(have, a)
		}
	}
	// The rank of each staying alignment among the staying ones, before
	// and after: one whose rank changes has moved.
	rankBefore := make(map[int64]int, len(have))
	for i, a := range have {
		rankBefore[a.ParentID] = i
	}
	rankAfter := make(map[int64]int, len(have))
	appendOnly, sawNew := true, false
	for _, a := range want {
		if _, ok := rankBefore[a.ParentID]; !ok {
			sawNew = true
			continue
		}
		if sawNew {
			appendOnly = false // a new parent comes before an old one
		}
		rankAfter[a.ParentID] = len(rankAfter)
	}
	for p, r := range rankBefore {
		if rankAfter[p] != r {
			appendOnly = false
		}
	}
	for i, a := range want {
		old, ok := im.oldAlignments[pair{a.ChildID, a.ParentID}]
		moved := ok && rankBefore[a.ParentID] != rankAfter[a.ParentID]
		switch {
		case !ok:
			a.Version = 1
			res.Created[kindAlignments]++
		case moved || old.Weight != a.Weight || old.WeightFixed != a.WeightFixed:
			a.Version = old.Version + 1
			res.Updated[kindAlignments]++
		default:
			a.Version = old.Version
			res.Unchanged[kindAlignments]++
			if appendOnly {
				continue
			}
		}
		if appendOnly {
			var err error
			if ok {
				err = t.updateAlignment(ctx, &a)
			} else {
				err = t.insertAlignment(ctx, &a)
			}
			if err != nil {
				return err
			}
			continue
		}
		// The order changed: every alignment of the child gets its
		// position anew.
		var err error
		if ok {
			_, err = t.exec(ctx, `UPDATE alignments SET weight = ?, weight_fixed = ?, version = ?, position = ?
				WHERE child_id = ? AND parent_id = ?`, a.Weight, t.s.d.Bool(a.WeightFixed), a.Version, i, a.ChildID, a.ParentID)
		} else {
			_, err = t.exec(ctx, `INSERT INTO alignments (child_id, parent_id, weight, weight_fixed, position, version)
				VALUES (?, ?, ?, ?, ?, ?)`, a.ChildID, a.ParentID, a.Weight, t.s.d.Bool(a.WeightFixed), i, a.Version)
		}
		if err != nil {
			return fmt.Errorf("write alignment of item %d to item %d: %w", a.ChildID, a.ParentID, err)
		}
	}
	return nil
}

// deleteLeftUsers deletes the users whose membership the import removed
// and who are no longer in any organization, unless the dataset holds them
// or a record of the organization names them.
func (im *importer) deleteLeftUsers(ctx context.Context, ds *goalpost.Dataset, removed []uuid.UUID) error {
	if len(removed) == 0 {
		return nil
	}
	t := im.t
	named := make(map[uuid.UUID]bool)
	for _, id := range referencedUsers(ds, map[uuid.UUID]bool{}) {
		named[id] = true
	}
	var candidates []uuid.UUID
	for _, id := range removed {
		if im.dsUsers[id] == nil && !named[id] {
			candidates = append(candidates, id)
		}
	}
	for chunk := range slices.Chunk(candidates, idChunk) {
		rows, err := t.queryUncached(ctx, `SELECT id FROM users WHERE id IN (`+marks(len(chunk))+`)
			AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id)`, inArgs(chunk, t.s.d.UUID)...)
		if err != nil {
			return fmt.Errorf("find users to delete: %w", err)
		}
		ids, err := collectRows(rows, scanUUID)
		if err != nil {
			return fmt.Errorf("find users to delete: %w", err)
		}
		for _, id := range ids {
			if _, err := t.exec(ctx, `DELETE FROM users WHERE id = ?`, t.s.d.UUID(id)); err != nil {
				return fmt.Errorf("delete user: %w", err)
			}
			im.res.Deleted[kindUsers]++
		}
	}
	return nil
}

// Equality of stored records, versions aside: times at the millisecond in
// UTC, nil and empty lists alike.

func orgEqual(a, b *goalpost.Organization) bool {
	return a.Name == b.Name && a.Terminology == b.Terminology && millis(a.CreatedAt).Equal(millis(b.CreatedAt))
}

func teamEqual(a, b *goalpost.Team) bool {
	return a.Name == b.Name && a.ParentID == b.ParentID && a.OwnerID == b.OwnerID && a.Type == b.Type &&
		a.Archived == b.Archived && slices.Equal(a.Members, b.Members)
}

func itemEqual(a, b *goalpost.Item) bool {
	scoreEqual := (a.Score == nil) == (b.Score == nil) && (a.Score == nil || *a.Score == *b.Score)
	return a.Kind == b.Kind && a.Level == b.Level && a.Title == b.Title && a.Description == b.Description &&
		slices.Equal(a.TeamIDs, b.TeamIDs) && slices.Equal(a.OwnerIDs, b.OwnerIDs) && a.CreatorID == b.CreatorID &&
		a.PeriodID == b.PeriodID && a.StartDate == b.StartDate && a.EndDate == b.EndDate && a.GoalType == b.GoalType &&
		slices.Equal(a.Tags, b.Tags) && a.Metric == b.Metric && a.Current == b.Current && a.Progress == b.Progress &&
		a.ProgressMode == b.ProgressMode && a.Status == b.Status && scoreEqual && a.Visibility == b.Visibility &&
		millis(a.CreatedAt).Equal(millis(b.CreatedAt)) &&
		millis(a.UpdatedAt).Equal(millis(b.UpdatedAt)) &&
		a.LastCheckIn == b.LastCheckIn && a.LastCheckInNote == b.LastCheckInNote
}

func checkInEqual(a, b *goalpost.CheckIn) bool {
	return a.ItemID == b.ItemID && a.Date == b.Date && a.UserID == b.UserID && a.Note == b.Note &&
		a.Status == b.Status && a.Value == b.Value && millis(a.ActivityAt).Equal(millis(b.ActivityAt))
}

// viewEqual compares views; filters and export settings compare as the
// JSON their columns keep, in which nil and empty lists are alike.
func viewEqual(a, b *goalpost.ExplorerView) bool {
	if a.Name != b.Name || a.Visibility != b.Visibility || a.CreatorID != b.CreatorID ||
		a.TopLevelOnly != b.TopLevelOnly || !millis(a.CreatedAt).Equal(millis(b.CreatedAt)) {
		return false
	}
	fa, ea, errA := viewJSON(a)
	fb, eb, errB := viewJSON(b)
	return errA == nil && errB == nil && fa == fb && ea == eb
}

// cloneDataset returns a deep copy of ds, so that build may change what it
// is given without changing what the import compares with.
func cloneDataset(ds *goalpost.Dataset) *goalpost.Dataset {
	return &goalpost.Dataset{
		Organizations: cloneEach(ds.Organizations, clonePtr),
		Users:         cloneEach(ds.Users, clonePtr),
		Memberships:   slices.Clone(ds.Memberships),
		Teams:         cloneEach(ds.Teams, cloneTeam),
		TimePeriods:   cloneEach(ds.TimePeriods, clonePtr),
		Items:         cloneEach(ds.Items, cloneItem),
		Alignments:    slices.Clone(ds.Alignments),
		CheckIns:      cloneEach(ds.CheckIns, clonePtr),
		Views:         cloneEach(ds.Views, cloneView),
	}
}

// cloneEach returns the copies clone makes of recs (nil when recs is
// empty).
func cloneEach[T any](recs []*T, clone func(*T) *T) []*T {
	var out []*T
	for _, r := range recs {
		out = append(out, clone(r))
	}
	return out
}

// cloneView returns a copy of v that shares nothing with it.
func cloneView(v *goalpost.ExplorerView) *goalpost.ExplorerView {
	c := *v
	c.Filter = cloneFilter(v.Filter)
	c.Export.Columns = slices.Clone(v.Export.Columns)
	return &c
}

// cloneFilter returns a copy of f that shares nothing with it.
func cloneFilter(f goalpost.ViewFilter) goalpost.ViewFilter {
	c := f
	c.TimePeriods = slices.Clone(f.TimePeriods)
	c.Kinds = slices.Clone(f.Kinds)
	c.Levels = slices.Clone(f.Levels)
	c.Statuses = slices.Clone(f.Statuses)
	c.Owners = slices.Clone(f.Owners)
	c.Managers = slices.Clone(f.Managers)
	c.Teams = slices.Clone(f.Teams)
	c.TeamTypes = slices.Clone(f.TeamTypes)
	c.Tags = slices.Clone(f.Tags)
	c.Progress = clonePtr(f.Progress)
	c.Aligned = clonePtr(f.Aligned)
	c.Due = clonePtr(f.Due)
	c.StartDate = clonePtr(f.StartDate)
	c.Created = clonePtr(f.Created)
	c.Updated = clonePtr(f.Updated)
	c.CheckedIn = clonePtr(f.CheckedIn)
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
