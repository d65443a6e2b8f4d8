package sqlstore

import (
	"bytes"
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
	add := func(id uuid.UUID) {
		if id != uuid.Nil && !known[id] && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, u := range ds.Users {
		add(u.ManagerID)
	}
	for _, tm := range ds.Teams {
		add(tm.OwnerID)
		for _, m := range tm.Members {
			add(m)
		}
	}
	for _, it := range ds.Items {
		add(it.CreatorID)
		for _, o := range it.OwnerIDs {
			add(o)
		}
	}
	for _, c := range ds.CheckIns {
		add(c.UserID)
	}
	for _, v := range ds.Views {
		add(v.CreatorID)
	}
	return out
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

func scanUser(r Rows) (*goalpost.User, error) {
	var u goalpost.User
	err := r.Scan(uuidCol{&u.ID}, &u.UPN, &u.DisplayName, uuidCol{&u.ManagerID})
	return &u, err
}

// usersByID returns the users of ids that exist, idChunk ids a statement.
func (t tx) usersByID(ctx context.Context, ids []uuid.UUID) ([]*goalpost.User, error) {
	var out []*goalpost.User
	for chunk := range slices.Chunk(ids, idChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = t.s.d.UUID(id)
		}
		rows, err := t.queryUncached(ctx, `SELECT id, upn, display_name, manager_id FROM users WHERE id IN (`+marks(len(args))+`)`, args...)
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

// usersByUPN returns the users whose UPN is one of upns, compared
// case-insensitively.
func (t tx) usersByUPN(ctx context.Context, upns []string) ([]*goalpost.User, error) {
	var out []*goalpost.User
	for chunk := range slices.Chunk(upns, idChunk) {
		args := make([]any, len(chunk))
		for i, u := range chunk {
			args[i] = strings.ToLower(u)
		}
		rows, err := t.queryUncached(ctx, `SELECT id, upn, display_name, manager_id FROM users WHERE lower(upn) IN (`+marks(len(args))+`)`, args...)
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
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", table, err)
		}
		for rows.Next() {
			var id any
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("check %s: %w", table, err)
			}
			out = append(out, id)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", table, err)
		}
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
	im.oldUsers = make(map[uuid.UUID]*goalpost.User, len(o.Users))
	for _, u := range o.Users {
		im.oldUsers[u.ID] = u
	}
	im.oldMembers = make(map[uuid.UUID]goalpost.Membership, len(o.Memberships))
	for _, m := range o.Memberships {
		im.oldMembers[m.UserID] = m
	}
	im.oldTeams = make(map[uuid.UUID]*goalpost.Team, len(o.Teams))
	for _, tm := range o.Teams {
		im.oldTeams[tm.ID] = tm
	}
	im.oldPeriods = make(map[uuid.UUID]*goalpost.TimePeriod, len(o.TimePeriods))
	for _, p := range o.TimePeriods {
		im.oldPeriods[p.ID] = p
	}
	im.oldItems = make(map[int64]*goalpost.Item, len(o.Items))
	for _, it := range o.Items {
		im.oldItems[it.ID] = it
	}
	im.oldAlignments = make(map[pair]goalpost.Alignment, len(o.Alignments))
	im.oldParents = make(map[int64][]goalpost.Alignment)
	for _, a := range o.Alignments {
		im.oldAlignments[pair{a.ChildID, a.ParentID}] = a
		im.oldParents[a.ChildID] = append(im.oldParents[a.ChildID], a)
	}
	im.oldCheckIns = make(map[int64]*goalpost.CheckIn, len(o.CheckIns))
	for _, c := range o.CheckIns {
		im.oldCheckIns[c.ID] = c
	}
	im.oldViews = make(map[uuid.UUID]*goalpost.ExplorerView, len(o.Views))
	for _, v := range o.Views {
		im.oldViews[v.ID] = v
	}
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
	for _, tm := range ds.Teams {
		if tm == nil {
			return nil, invalidf("The dataset holds a team that is nil.")
		}
	}
	for _, p := range ds.TimePeriods {
		if p == nil {
			return nil, invalidf("The dataset holds a time period that is nil.")
		}
	}
	for _, it := range ds.Items {
		if it == nil {
			return nil, invalidf("The dataset holds an item that is nil.")
		}
	}
	for _, c := range ds.CheckIns {
		if c == nil {
			return nil, invalidf("The dataset holds a check-in that is nil.")
		}
	}
	for _, v := range ds.Views {
		if v == nil {
			return nil, invalidf("The dataset holds a view that is nil.")
		}
	}
	check := func(what string, id any, of uuid.UUID) error {
		if of != im.orgID {
			return invalidf("The %s %v belongs to the organization %s, not to %s.", what, id, of, im.orgID)
		}
		return nil
	}
	for _, m := range ds.Memberships {
		if err := check("membership of user", m.UserID, m.OrgID); err != nil {
			return nil, err
		}
	}
	for _, tm := range ds.Teams {
		if err := check("team", tm.ID, tm.OrgID); err != nil {
			return nil, err
		}
	}
	for _, p := range ds.TimePeriods {
		if err := check("time period", p.ID, p.OrgID); err != nil {
			return nil, err
		}
	}
	for _, it := range ds.Items {
		if err := check("item", it.ID, it.OrgID); err != nil {
			return nil, err
		}
	}
	for _, v := range ds.Views {
		if err := check("view", v.ID, v.OrgID); err != nil {
			return nil, err
		}
	}
	return org, nil
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
		want(u.ManagerID)
	}
	for _, m := range ds.Memberships {
		want(m.UserID)
	}
	for _, tm := range ds.Teams {
		want(tm.OwnerID)
		for _, m := range tm.Members {
			want(m)
		}
	}
	for _, it := range ds.Items {
		want(it.CreatorID)
		for _, o := range it.OwnerIDs {
			want(o)
		}
	}
	for _, c := range ds.CheckIns {
		want(c.UserID)
	}
	for _, v := range ds.Views {
		want(v.CreatorID)
	}
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
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[int64]int)
	type frame struct {
		id   int64
		next int
	}
	// The organization's alignments have no cycle, so every cycle runs
	// through an item of the dataset.
	for _, it := range ds.Items {
		id := it.ID
		if state[id] != unseen {
			continue
		}
		stack := []frame{{id: id}}
		state[id] = onPath
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			ps := parents(top.id)
			if top.next == len(ps) {
				state[top.id] = done
				stack = stack[:len(stack)-1]
				continue
			}
			p := ps[top.next].ParentID
			top.next++
			switch state[p] {
			case unseen:
				state[p] = onPath
				stack = append(stack, frame{id: p})
			case onPath:
				return conflictf("The item %d cannot contribute to the item %d: the alignments would form a cycle.", top.id, p)
			}
		}
	}
	return nil
}

// checkForeignKeys refuses ids of the dataset that records of another
// organization have: items and check-ins (numbered across the
// deployment), teams, periods and views.
func (im *importer) checkForeignKeys(ctx context.Context, ds *goalpost.Dataset) error {
	d := im.t.s.d
	var items, checkIns, teams, periods, views []any
	for _, it := range ds.Items {
		if im.oldItems[it.ID] == nil {
			items = append(items, it.ID)
		}
	}
	for _, c := range im.dsCheckInOrder {
		if im.oldCheckIns[c.ID] == nil {
			checkIns = append(checkIns, c.ID)
		}
	}
	for _, tm := range ds.Teams {
		if im.oldTeams[tm.ID] == nil {
			teams = append(teams, d.UUID(tm.ID))
		}
	}
	for _, p := range ds.TimePeriods {
		if im.oldPeriods[p.ID] == nil {
			periods = append(periods, d.UUID(p.ID))
		}
	}
	for _, v := range ds.Views {
		if im.oldViews[v.ID] == nil {
			views = append(views, d.UUID(v.ID))
		}
	}
	checks := []struct {
		table, orgCol, what string
		keys                []any
	}{
		{"items", "org_id", "item id", items},
		{"checkins", "", "check-in id", checkIns}, // none of this organization: they are new to it
		{"teams", "org_id", "team id", teams},
		{"time_periods", "org_id", "time period id", periods},
		{"explorer_views", "org_id", "view id", views},
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

	// Users.
	for _, u := range ds.Users {
		old := im.storeUsers[u.ID]
		switch {
		case old == nil:
			if err := t.insertUser(ctx, u); err != nil {
				return err
			}
			res.Created[kindUsers]++
		case old.UPN != u.UPN || old.DisplayName != u.DisplayName || old.ManagerID != u.ManagerID:
			if err := t.updateUser(ctx, u); err != nil {
				return err
			}
			res.Updated[kindUsers]++
		default:
			res.Unchanged[kindUsers]++
		}
	}

	// Memberships.
	for _, m := range ds.Memberships {
		old, ok := im.oldMembers[m.UserID]
		switch {
		case !ok:
			m.Version = 1
			if err := t.insertMembership(ctx, &m); err != nil {
				return err
			}
			res.Created[kindMemberships]++
		case old.Role != m.Role:
			m.Version = old.Version + 1
			if err := t.updateMembership(ctx, &m); err != nil {
				return err
			}
			res.Updated[kindMemberships]++
		default:
			res.Unchanged[kindMemberships]++
		}
	}
	var removedMembers []uuid.UUID
	if im.opts.Replace {
		for _, m := range im.old.Memberships {
			if _, ok := im.dsMembers[m.UserID]; ok {
				continue
			}
			if _, err := t.exec(ctx, `DELETE FROM memberships WHERE org_id = ? AND user_id = ?`,
				t.s.d.UUID(im.orgID), t.s.d.UUID(m.UserID)); err != nil {
				return fmt.Errorf("remove member: %w", err)
			}
			removedMembers = append(removedMembers, m.UserID)
			res.Deleted[kindMemberships]++
		}
	}

	// Teams and time periods.
	for _, tm := range ds.Teams {
		old := im.oldTeams[tm.ID]
		c := *tm
		switch {
		case old == nil:
			c.Version = 1
			if err := t.insertTeam(ctx, &c); err != nil {
				return err
			}
			res.Created[kindTeams]++
		case !teamEqual(old, tm):
			c.Version = old.Version + 1
			if err := t.updateTeam(ctx, &c); err != nil {
				return err
			}
			res.Updated[kindTeams]++
		default:
			res.Unchanged[kindTeams]++
		}
	}
	for _, p := range ds.TimePeriods {
		old := im.oldPeriods[p.ID]
		c := *p
		switch {
		case old == nil:
			c.Version = 1
			if err := t.insertPeriod(ctx, &c); err != nil {
				return err
			}
			res.Created[kindPeriods]++
		case old.Name != p.Name || old.Start != p.Start || old.End != p.End:
			c.Version = old.Version + 1
			if err := t.updatePeriod(ctx, &c); err != nil {
				return err
			}
			res.Updated[kindPeriods]++
		default:
			res.Unchanged[kindPeriods]++
		}
	}

	// Items: the ones that go first, with their alignments and check-ins.
	deletedItems := make(map[int64]bool)
	if im.opts.Replace {
		for _, it := range im.old.Items {
			if im.dsItems[it.ID] != nil {
				continue
			}
			if err := t.deleteItem(ctx, it.ID); err != nil {
				return err
			}
			deletedItems[it.ID] = true
			res.Deleted[kindItems]++
		}
	}
	for _, it := range im.dsItemOrder {
		old := im.oldItems[it.ID]
		switch {
		case old == nil:
			it.Version = 1
			if err := t.insertItem(ctx, it); err != nil {
				return err
			}
			res.Created[kindItems]++
		case !itemEqual(old, it):
			// A change that leaves the update time as it was (or unset)
			// happens now.
			if it.UpdatedAt.IsZero() || it.UpdatedAt.Equal(old.UpdatedAt) {
				it.UpdatedAt = im.now
			}
			it.Version = old.Version + 1
			if err := t.updateItem(ctx, it); err != nil {
				return err
			}
			res.Updated[kindItems]++
		default:
			res.Unchanged[kindItems]++
		}
	}

	// Alignments: the dataset items' own become the dataset's.
	for _, a := range im.old.Alignments {
		if _, ok := im.dsAlignments[pair{a.ChildID, a.ParentID}]; ok {
			continue
		}
		switch {
		case deletedItems[a.ChildID]:
			// deleteItem took it.
		case im.dsItems[a.ChildID] != nil:
			if err := t.deleteAlignment(ctx, a.ChildID, a.ParentID); err != nil {
				return err
			}
		default:
			continue // the child stays as it is
		}
		res.Deleted[kindAlignments]++
	}
	for _, it := range ds.Items {
		if err := im.writeParents(ctx, it.ID); err != nil {
			return err
		}
	}

	// Check-ins: the dataset items' own become the dataset's.
	for _, c := range im.old.CheckIns {
		if im.dsCheckIns[c.ID] != nil {
			continue
		}
		switch {
		case deletedItems[c.ItemID]:
			// deleteItem took it.
		case im.dsItems[c.ItemID] != nil:
			if err := t.deleteCheckIn(ctx, c.ID); err != nil {
				return err
			}
		default:
			continue
		}
		res.Deleted[kindCheckIns]++
	}
	for _, c := range im.dsCheckInOrder {
		old := im.oldCheckIns[c.ID]
		switch {
		case old == nil:
			c.Version = 1
			if err := t.insertCheckIn(ctx, c); err != nil {
				return err
			}
			res.Created[kindCheckIns]++
		case old.ItemID != c.ItemID:
			// Moved to another item: the row is written anew.
			c.Version = old.Version + 1
			if err := t.deleteCheckIn(ctx, c.ID); err != nil {
				return err
			}
			if err := t.insertCheckIn(ctx, c); err != nil {
				return err
			}
			res.Updated[kindCheckIns]++
		case !checkInEqual(old, c):
			c.Version = old.Version + 1
			if err := t.updateCheckIn(ctx, c); err != nil {
				return err
			}
			res.Updated[kindCheckIns]++
		default:
			res.Unchanged[kindCheckIns]++
		}
	}

	// Teams and periods that go, now that no item names them.
	if im.opts.Replace {
		for _, tm := range im.old.Teams {
			if im.dsTeams[tm.ID] == nil {
				if err := t.deleteTeam(ctx, tm.ID); err != nil {
					return err
				}
				res.Deleted[kindTeams]++
			}
		}
		for _, p := range im.old.TimePeriods {
			if im.dsPeriods[p.ID] == nil {
				if _, err := t.exec(ctx, `DELETE FROM time_periods WHERE id = ?`, t.s.d.UUID(p.ID)); err != nil {
					return fmt.Errorf("delete time period: %w", err)
				}
				res.Deleted[kindPeriods]++
			}
		}
	}

	// Views.
	for _, v := range im.dsViewOrder {
		old := im.oldViews[v.ID]
		switch {
		case old == nil:
			v.Version = 1
			if err := t.insertView(ctx, v); err != nil {
				return err
			}
			res.Created[kindViews]++
		case !viewEqual(old, v):
			v.Version = old.Version + 1
			if err := t.updateView(ctx, v); err != nil {
				return err
			}
			res.Updated[kindViews]++
		default:
			res.Unchanged[kindViews]++
		}
	}
	if im.opts.Replace {
		for _, v := range im.old.Views {
			if im.dsViews[v.ID] == nil {
				if err := t.deleteView(ctx, v.ID); err != nil {
					return err
				}
				res.Deleted[kindViews]++
			}
		}
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
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = t.s.d.UUID(id)
		}
		rows, err := t.queryUncached(ctx, `SELECT id FROM users WHERE id IN (`+marks(len(args))+`)
			AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id)`, args...)
		if err != nil {
			return fmt.Errorf("find users to delete: %w", err)
		}
		ids, err := collectRows(rows, func(r Rows) (uuid.UUID, error) {
			var id uuid.UUID
			err := r.Scan(uuidCol{&id})
			return id, err
		})
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
	c := &goalpost.Dataset{
		Memberships: slices.Clone(ds.Memberships),
		Alignments:  slices.Clone(ds.Alignments),
	}
	for _, o := range ds.Organizations {
		oc := *o
		c.Organizations = append(c.Organizations, &oc)
	}
	for _, u := range ds.Users {
		uc := *u
		c.Users = append(c.Users, &uc)
	}
	for _, tm := range ds.Teams {
		tc := *tm
		tc.Members = slices.Clone(tm.Members)
		c.Teams = append(c.Teams, &tc)
	}
	for _, p := range ds.TimePeriods {
		pc := *p
		c.TimePeriods = append(c.TimePeriods, &pc)
	}
	for _, it := range ds.Items {
		c.Items = append(c.Items, cloneItem(it))
	}
	for _, ch := range ds.CheckIns {
		cc := *ch
		c.CheckIns = append(c.CheckIns, &cc)
	}
	for _, v := range ds.Views {
		vc := *v
		vc.Filter = cloneFilter(v.Filter)
		vc.Export.Columns = slices.Clone(v.Export.Columns)
		c.Views = append(c.Views, &vc)
	}
	return c
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
