package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

const orgColumns = `id, name, term_objective, term_key_result, term_initiative, created_at, version`

func scanOrg(r Rows) (*goalpost.Organization, error) {
	var o goalpost.Organization
	err := r.Scan(uuidCol{&o.ID}, &o.Name, &o.Terminology.Objective, &o.Terminology.KeyResult,
		&o.Terminology.Initiative, timeCol{&o.CreatedAt}, &o.Version)
	return &o, err
}

// now is the time the store records for a change: UTC at the millisecond
// precision both databases keep.
func now() time.Time { return millis(time.Now()) }

// CreateOrganization creates an organization with its default views and
// makes owner its owner.
func (s *Store) CreateOrganization(ctx context.Context, org *goalpost.Organization, owner *goalpost.User) error {
	if org.ID == uuid.Nil {
		org.ID = uuid.New()
	}
	if org.CreatedAt.IsZero() {
		org.CreatedAt = now()
	}
	org.Version = 1
	if err := goalpost.ValidateOrganization(org); err != nil {
		return err
	}
	return s.writeTx(ctx, func(t tx) error {
		if err := t.insertOrg(ctx, org); err != nil {
			return err
		}
		u, err := t.resolveUser(ctx, owner)
		if err != nil {
			return err
		}
		*owner = *u
		if err := t.insertMembership(ctx, &goalpost.Membership{OrgID: org.ID, UserID: u.ID, Role: goalpost.RoleOwner, Version: 1}); err != nil {
			return err
		}
		var ids [7]uuid.UUID
		for i := range ids {
			ids[i] = uuid.New()
		}
		for _, v := range goalpost.NewDefaultViews(org.ID, u.ID, org.CreatedAt, ids) {
			v.Version = 1
			if err := t.insertView(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (t tx) insertOrg(ctx context.Context, o *goalpost.Organization) error {
	d := t.s.d
	_, err := t.exec(ctx, `INSERT INTO organizations (`+orgColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.UUID(o.ID), o.Name, o.Terminology.Objective, o.Terminology.KeyResult, o.Terminology.Initiative,
		d.Timestamp(o.CreatedAt), o.Version)
	if err != nil {
		return fmt.Errorf("create organization: %w", err)
	}
	return nil
}

func (t tx) updateOrg(ctx context.Context, o *goalpost.Organization) error {
	_, err := t.exec(ctx, `UPDATE organizations SET name = ?, term_objective = ?, term_key_result = ?,
		term_initiative = ?, version = ? WHERE id = ?`,
		o.Name, o.Terminology.Objective, o.Terminology.KeyResult, o.Terminology.Initiative, o.Version, t.s.d.UUID(o.ID))
	if err != nil {
		return fmt.Errorf("update organization: %w", err)
	}
	return nil
}

// ListOrganizations lists organizations by id, those of f.MemberID when
// it is set.
func (s *Store) ListOrganizations(ctx context.Context, f goalpost.OrganizationFilter) ([]*goalpost.Organization, error) {
	after, err := afterUUID(f.Page)
	if err != nil {
		return nil, err
	}
	var out []*goalpost.Organization
	err = s.read(ctx, func(t tx) (err error) {
		if f.MemberID != uuid.Nil {
			out, err = queryAll(ctx, t, scanOrg, `SELECT `+orgColumns+` FROM organizations
				WHERE id IN (SELECT org_id FROM memberships WHERE user_id = ?) AND id > ? ORDER BY id LIMIT ?`,
				s.d.UUID(f.MemberID), s.d.UUID(after), f.Size())
			return err
		}
		out, err = queryAll(ctx, t, scanOrg, `SELECT `+orgColumns+` FROM organizations WHERE id > ? ORDER BY id LIMIT ?`,
			s.d.UUID(after), f.Size())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list organizations: %w", err)
	}
	return out, nil
}

func (t tx) findOrg(ctx context.Context, id uuid.UUID) (*goalpost.Organization, error) {
	os, err := queryAll(ctx, t, scanOrg, `SELECT `+orgColumns+` FROM organizations WHERE id = ?`, t.s.d.UUID(id))
	if err != nil {
		return nil, fmt.Errorf("find organization: %w", err)
	}
	if len(os) == 0 {
		return nil, goalpost.ErrOrganizationNotFound
	}
	return os[0], nil
}

// UpdateOrganization edits an organization's name and terminology.
func (s *Store) UpdateOrganization(ctx context.Context, id uuid.UUID, ifVersion int64, fn func(*goalpost.Organization) error) (*goalpost.Organization, error) {
	var out *goalpost.Organization
	err := s.write(ctx, id, func(t tx) error {
		old, err := t.findOrg(ctx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("organization", old.Version, ifVersion); err != nil {
			return err
		}
		o := *old
		if err := fn(&o); err != nil {
			return err
		}
		o.ID, o.CreatedAt, o.Version = old.ID, old.CreatedAt, old.Version+1
		if err := goalpost.ValidateOrganization(&o); err != nil {
			return err
		}
		out = &o
		return t.updateOrg(ctx, &o)
	})
	return out, err
}

// DeleteOrganization deletes an organization with everything in it (teams,
// periods, items, views, export jobs), and the users who belonged to no
// other organization, in one transaction. Export content of its jobs
// becomes unreferenced; cleanup deletes it.
func (s *Store) DeleteOrganization(ctx context.Context, id uuid.UUID, ifVersion int64) error {
	return s.write(ctx, id, func(t tx) error {
		old, err := t.findOrg(ctx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("organization", old.Version, ifVersion); err != nil {
			return err
		}
		return t.deleteOrg(ctx, id)
	})
}

// deleteOrg deletes an organization and its own users.
func (t tx) deleteOrg(ctx context.Context, id uuid.UUID) error {
	org := t.s.d.UUID(id)
	if _, err := t.exec(ctx, `DELETE FROM users WHERE id IN (SELECT user_id FROM memberships WHERE org_id = ?)
		AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = users.id AND o.org_id <> ?)`, org, org); err != nil {
		return fmt.Errorf("delete organization users: %w", err)
	}
	if _, err := t.exec(ctx, `DELETE FROM organizations WHERE id = ?`, org); err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	return nil
}

const memberColumns = `u.id, u.upn, u.display_name, u.manager_id, m.org_id, m.role, m.version`

func scanMember(r Rows) (*goalpost.Member, error) {
	var m goalpost.Member
	err := r.Scan(uuidCol{&m.ID}, &m.UPN, &m.DisplayName, uuidCol{&m.ManagerID}, uuidCol{&m.OrgID}, &m.Role, &m.Version)
	return &m, err
}

// ListMembers lists an organization's members by user id.
func (s *Store) ListMembers(ctx context.Context, orgID uuid.UUID, p goalpost.Page) ([]*goalpost.Member, error) {
	after, err := afterUUID(p)
	if err != nil {
		return nil, err
	}
	var out []*goalpost.Member
	err = s.read(ctx, func(t tx) (err error) {
		if err := t.orgExists(ctx, orgID); err != nil {
			return err
		}
		out, err = queryAll(ctx, t, scanMember, `SELECT `+memberColumns+` FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.org_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?`, s.d.UUID(orgID), s.d.UUID(after), p.Size())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return out, nil
}

// FindMember returns one member of an organization.
func (s *Store) FindMember(ctx context.Context, orgID, userID uuid.UUID) (*goalpost.Member, error) {
	var out *goalpost.Member
	err := s.read(ctx, func(t tx) (err error) {
		out, err = t.findMember(ctx, orgID, userID)
		return err
	})
	return out, err
}

func (t tx) findMember(ctx context.Context, orgID, userID uuid.UUID) (*goalpost.Member, error) {
	ms, err := queryAll(ctx, t, scanMember, `SELECT `+memberColumns+` FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = ? AND m.user_id = ?`, t.s.d.UUID(orgID), t.s.d.UUID(userID))
	if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	if len(ms) == 0 {
		return nil, notFound("member", userID)
	}
	return ms[0], nil
}

// AddMember adds a user, found or created, to an organization.
func (s *Store) AddMember(ctx context.Context, m *goalpost.Member) error {
	if !m.Role.Valid() {
		return &goalpost.Error{Code: goalpost.EINVALID, Target: "role", Message: "The role must be owner, admin, member or observer."}
	}
	return s.write(ctx, m.OrgID, func(t tx) error {
		u, err := t.resolveUser(ctx, &m.User)
		if err != nil {
			return err
		}
		if _, err := t.findMember(ctx, m.OrgID, u.ID); err == nil {
			return goalpost.Errorf(goalpost.ECONFLICT, "The user %s is a member of the organization already.", u.UPN)
		}
		m.User, m.Version = *u, 1
		return t.insertMembership(ctx, &goalpost.Membership{OrgID: m.OrgID, UserID: u.ID, Role: m.Role, Version: 1})
	})
}

// resolveUser returns the user u names: by ID, else by UPN; one that does
// not exist is created from u (with a new ID when u has none).
func (t tx) resolveUser(ctx context.Context, u *goalpost.User) (*goalpost.User, error) {
	if u == nil {
		return nil, &goalpost.Error{Code: goalpost.EINVALID, Target: "owner", Message: "An owner is required."}
	}
	if u.ID != uuid.Nil {
		if found, err := t.findUser(ctx, `id = ?`, t.s.d.UUID(u.ID)); err != nil || found != nil {
			return found, err
		}
	}
	if u.UPN != "" {
		if found, err := t.findUser(ctx, `lower(upn) = lower(?)`, u.UPN); err != nil || found != nil {
			return found, err
		}
	}
	nu := *u
	if nu.ID == uuid.Nil {
		nu.ID = uuid.New()
	}
	if nu.DisplayName == "" {
		nu.DisplayName = nu.UPN
	}
	if err := goalpost.ValidateUser(&nu); err != nil {
		return nil, err
	}
	if err := t.insertUser(ctx, &nu); err != nil {
		return nil, err
	}
	return &nu, nil
}

// userColumns are the columns scanUser reads, in its order.
const userColumns = `id, upn, display_name, manager_id`

func scanUser(r Rows) (*goalpost.User, error) {
	var u goalpost.User
	err := r.Scan(uuidCol{&u.ID}, &u.UPN, &u.DisplayName, uuidCol{&u.ManagerID})
	return &u, err
}

// findUser returns the user matching where, or nil.
func (t tx) findUser(ctx context.Context, where string, arg any) (*goalpost.User, error) {
	us, err := queryAll(ctx, t, scanUser, `SELECT `+userColumns+` FROM users WHERE `+where, arg)
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if len(us) == 0 {
		return nil, nil
	}
	return us[0], nil
}

func (t tx) insertUser(ctx context.Context, u *goalpost.User) error {
	d := t.s.d
	_, err := t.exec(ctx, `INSERT INTO users (id, upn, display_name, manager_id) VALUES (?, ?, ?, ?)`,
		d.UUID(u.ID), u.UPN, u.DisplayName, t.s.nullUUID(u.ManagerID))
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

func (t tx) updateUser(ctx context.Context, u *goalpost.User) error {
	_, err := t.exec(ctx, `UPDATE users SET upn = ?, display_name = ?, manager_id = ? WHERE id = ?`,
		u.UPN, u.DisplayName, t.s.nullUUID(u.ManagerID), t.s.d.UUID(u.ID))
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return nil
}

func (t tx) insertMembership(ctx context.Context, m *goalpost.Membership) error {
	d := t.s.d
	_, err := t.exec(ctx, `INSERT INTO memberships (org_id, user_id, role, version) VALUES (?, ?, ?, ?)`,
		d.UUID(m.OrgID), d.UUID(m.UserID), string(m.Role), m.Version)
	if err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	return nil
}

func (t tx) updateMembership(ctx context.Context, m *goalpost.Membership) error {
	d := t.s.d
	_, err := t.exec(ctx, `UPDATE memberships SET role = ?, version = ? WHERE org_id = ? AND user_id = ?`,
		string(m.Role), m.Version, d.UUID(m.OrgID), d.UUID(m.UserID))
	if err != nil {
		return fmt.Errorf("update member: %w", err)
	}
	return nil
}

// UpdateMember edits a member's role and the user's UPN, display name
// and manager.
func (s *Store) UpdateMember(ctx context.Context, orgID, userID uuid.UUID, ifVersion int64, fn func(*goalpost.Member) error) (*goalpost.Member, error) {
	var out *goalpost.Member
	err := s.write(ctx, orgID, func(t tx) error {
		old, err := t.findMember(ctx, orgID, userID)
		if err != nil {
			return err
		}
		if err := checkVersion("member", old.Version, ifVersion); err != nil {
			return err
		}
		m := *old
		if err := fn(&m); err != nil {
			return err
		}
		m.ID, m.OrgID, m.Version = old.ID, old.OrgID, old.Version+1
		if err := goalpost.ValidateMember(&m); err != nil {
			return err
		}
		if m.ManagerID == m.ID {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "managerId", Message: "A user cannot be their own manager."}
		}
		if m.ManagerID != uuid.Nil && m.ManagerID != old.ManagerID {
			if _, err := t.findMember(ctx, orgID, m.ManagerID); err != nil {
				return &goalpost.Error{Code: goalpost.EINVALID, Target: "managerId", Message: "The manager must be a member of the organization."}
			}
		}
		if old.Role == goalpost.RoleOwner && m.Role != goalpost.RoleOwner {
			if err := t.keepAnOwner(ctx, orgID); err != nil {
				return err
			}
		}
		if m.UPN != old.UPN || m.DisplayName != old.DisplayName || m.ManagerID != old.ManagerID {
			shared, err := t.inOtherOrganization(ctx, orgID, m.ID)
			if err != nil {
				return err
			}
			if shared {
				return errSharedUser(m.ID)
			}
		}
		if err := t.updateUser(ctx, &m.User); err != nil {
			return err
		}
		if err := t.updateMembership(ctx, &goalpost.Membership{OrgID: orgID, UserID: m.ID, Role: m.Role, Version: m.Version}); err != nil {
			return err
		}
		out = &m
		return nil
	})
	return out, err
}

// RemoveMember ends a membership.
func (s *Store) RemoveMember(ctx context.Context, orgID, userID uuid.UUID, ifVersion int64) error {
	return s.write(ctx, orgID, func(t tx) error {
		old, err := t.findMember(ctx, orgID, userID)
		if err != nil {
			return err
		}
		if err := checkVersion("member", old.Version, ifVersion); err != nil {
			return err
		}
		if old.Role == goalpost.RoleOwner {
			if err := t.keepAnOwner(ctx, orgID); err != nil {
				return err
			}
		}
		return t.deleteMembership(ctx, orgID, userID)
	})
}

// deleteMembership ends a membership, checking nothing.
func (t tx) deleteMembership(ctx context.Context, orgID, userID uuid.UUID) error {
	if _, err := t.exec(ctx, `DELETE FROM memberships WHERE org_id = ? AND user_id = ?`,
		t.s.d.UUID(orgID), t.s.d.UUID(userID)); err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	return nil
}

// keepAnOwner fails with ECONFLICT when the organization has one owner
// only: the one about to stop being one.
func (t tx) keepAnOwner(ctx context.Context, orgID uuid.UUID) error {
	var n int64
	if _, err := t.queryRow(ctx, `SELECT count(*) FROM memberships WHERE org_id = ? AND role = 'owner'`,
		[]any{t.s.d.UUID(orgID)}, &n); err != nil {
		return fmt.Errorf("count owners: %w", err)
	}
	if n <= 1 {
		return goalpost.Errorf(goalpost.ECONFLICT, "An organization needs an owner: make another member owner first.")
	}
	return nil
}

// inOtherOrganization reports whether the user is a member of an
// organization other than orgID.
func (t tx) inOtherOrganization(ctx context.Context, orgID, userID uuid.UUID) (bool, error) {
	var n int64
	if _, err := t.queryRow(ctx, `SELECT count(*) FROM memberships WHERE user_id = ? AND org_id <> ?`,
		[]any{t.s.d.UUID(userID), t.s.d.UUID(orgID)}, &n); err != nil {
		return false, fmt.Errorf("find memberships: %w", err)
	}
	return n > 0, nil
}

// errSharedUser is the error of a change to a user whom another
// organization shares.
func errSharedUser(id uuid.UUID) error {
	return &goalpost.Error{Code: goalpost.EFORBIDDEN, Inner: "sharedUser", Message: fmt.Sprintf(
		"The user %s is a member of another organization too: their user principal name, display name and manager are shared and cannot be changed from one organization.", id)}
}
