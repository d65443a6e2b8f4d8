package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// teamColumns are the columns scanTeam reads, in its order. A team's
// members are in team_members; attachMembers adds them.
const teamColumns = `id, org_id, name, parent_id, owner_id, type, archived, version`

func scanTeam(r Rows) (*goalpost.Team, error) {
	var tm goalpost.Team
	err := r.Scan(uuidCol{&tm.ID}, uuidCol{&tm.OrgID}, &tm.Name, uuidCol{&tm.ParentID}, uuidCol{&tm.OwnerID},
		&tm.Type, boolCol{&tm.Archived}, &tm.Version)
	return &tm, err
}

// ListTeams lists an organization's teams by id, with their members.
func (s *Store) ListTeams(ctx context.Context, orgID uuid.UUID, p goalpost.Page) ([]*goalpost.Team, error) {
	after, err := afterUUID(p)
	if err != nil {
		return nil, err
	}
	var out []*goalpost.Team
	err = s.read(ctx, func(t tx) error {
		if err := t.orgExists(ctx, orgID); err != nil {
			return err
		}
		out, err = queryAll(ctx, t, scanTeam, `SELECT `+teamColumns+` FROM teams
			WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?`, s.d.UUID(orgID), s.d.UUID(after), p.Size())
		if err != nil || len(out) == 0 {
			return err
		}
		return t.attachMembers(ctx, out, `SELECT id FROM teams WHERE org_id = ? AND id >= ? AND id <= ?`,
			s.d.UUID(orgID), s.d.UUID(out[0].ID), s.d.UUID(out[len(out)-1].ID))
	})
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return out, nil
}

// FindTeam returns one team of an organization with its members.
func (s *Store) FindTeam(ctx context.Context, orgID, id uuid.UUID) (*goalpost.Team, error) {
	var out *goalpost.Team
	err := s.read(ctx, func(t tx) (err error) {
		out, err = t.findTeam(ctx, orgID, id)
		return err
	})
	return out, err
}

func (t tx) findTeam(ctx context.Context, orgID, id uuid.UUID) (*goalpost.Team, error) {
	ts, err := queryAll(ctx, t, scanTeam, `SELECT `+teamColumns+` FROM teams WHERE org_id = ? AND id = ?`,
		t.s.d.UUID(orgID), t.s.d.UUID(id))
	if err != nil {
		return nil, fmt.Errorf("find team: %w", err)
	}
	if len(ts) == 0 {
		return nil, notFound("team", id)
	}
	if err := t.attachMembers(ctx, ts, `SELECT id FROM teams WHERE id = ?`, t.s.d.UUID(id)); err != nil {
		return nil, fmt.Errorf("find team: %w", err)
	}
	return ts[0], nil
}

// teamsOf returns all teams of an organization by id, with their members.
func (t tx) teamsOf(ctx context.Context, orgID uuid.UUID) ([]*goalpost.Team, error) {
	ts, err := queryAll(ctx, t, scanTeam, `SELECT `+teamColumns+` FROM teams WHERE org_id = ? ORDER BY id`, t.s.d.UUID(orgID))
	if err != nil {
		return nil, fmt.Errorf("read teams: %w", err)
	}
	if len(ts) == 0 {
		return ts, nil
	}
	if err := t.attachMembers(ctx, ts, `SELECT id FROM teams WHERE org_id = ?`, t.s.d.UUID(orgID)); err != nil {
		return nil, fmt.Errorf("read teams: %w", err)
	}
	return ts, nil
}

// attachMembers sets the members of teams, in position order, in one
// query: teamIDs is a query of the ids of (at least) those teams.
func (t tx) attachMembers(ctx context.Context, teams []*goalpost.Team, teamIDs string, args ...any) error {
	byID := make(map[uuid.UUID]*goalpost.Team, len(teams))
	for _, tm := range teams {
		tm.Members = nil
		byID[tm.ID] = tm
	}
	rows, err := t.query(ctx, `SELECT team_id, user_id FROM team_members WHERE team_id IN (`+teamIDs+`)
		ORDER BY team_id, position`, args...)
	if err == nil {
		err = eachRow(rows, func(r Rows) error {
			var teamID, userID uuid.UUID
			if err := r.Scan(uuidCol{&teamID}, uuidCol{&userID}); err != nil {
				return err
			}
			if tm := byID[teamID]; tm != nil {
				tm.Members = append(tm.Members, userID)
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("team members: %w", err)
	}
	return nil
}

// CreateTeam creates a team; a zero ID is assigned. Its parent must be a
// team of the organization, its owner and members members of it.
func (s *Store) CreateTeam(ctx context.Context, tm *goalpost.Team) error {
	if tm.ID == uuid.Nil {
		tm.ID = uuid.New()
	}
	tm.Version = 1
	if err := validateTeam(tm); err != nil {
		return err
	}
	return s.write(ctx, tm.OrgID, func(t tx) error {
		if err := t.checkTeamRefs(ctx, tm, nil); err != nil {
			return err
		}
		return t.insertTeam(ctx, tm)
	})
}

// validateTeam checks what needs no database: the domain's rules, and a
// list of members without the nil GUID or a member twice.
func validateTeam(tm *goalpost.Team) error {
	if err := goalpost.ValidateTeam(tm); err != nil {
		return err
	}
	seen := make(map[uuid.UUID]bool, len(tm.Members))
	for _, m := range tm.Members {
		if m == uuid.Nil {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "members", Message: "A team member must not be the nil GUID."}
		}
		if seen[m] {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "members", Message: fmt.Sprintf("The user %s is listed as a team member more than once.", m)}
		}
		seen[m] = true
	}
	return nil
}

// checkTeamRefs checks the references of tm that differ from old's (all of
// them when old is nil): the parent is a team of the organization whose
// chain of parents does not lead back to tm, the owner and the members are
// members of the organization. References kept from old are not checked
// again, so that a team whose member has left the organization can still
// be renamed.
func (t tx) checkTeamRefs(ctx context.Context, tm, old *goalpost.Team) error {
	if tm.ParentID != uuid.Nil && (old == nil || tm.ParentID != old.ParentID) {
		var n int64
		if _, err := t.queryRow(ctx, `SELECT count(*) FROM teams WHERE org_id = ? AND id = ?`,
			[]any{t.s.d.UUID(tm.OrgID), t.s.d.UUID(tm.ParentID)}, &n); err != nil {
			return fmt.Errorf("check parent team: %w", err)
		}
		if n == 0 {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "parentId",
				Message: fmt.Sprintf("The parent team %s is not a team of the organization.", tm.ParentID)}
		}
		if err := t.checkTeamCycle(ctx, tm); err != nil {
			return err
		}
	}
	if tm.OwnerID != uuid.Nil && (old == nil || tm.OwnerID != old.OwnerID) {
		if err := t.checkMembers(ctx, tm.OrgID, "ownerId", "The team owner", []uuid.UUID{tm.OwnerID}); err != nil {
			return err
		}
	}
	var added []uuid.UUID
	for _, m := range tm.Members {
		if old == nil || !slices.Contains(old.Members, m) {
			added = append(added, m)
		}
	}
	return t.checkMembers(ctx, tm.OrgID, "members", "The team member", added)
}

// checkTeamCycle fails with ECONFLICT when tm's parent is tm or one of its
// descendants: the chain of parents from tm.ParentID leads back to tm.
func (t tx) checkTeamCycle(ctx context.Context, tm *goalpost.Team) error {
	var n int64
	_, err := t.queryRow(ctx, `WITH RECURSIVE chain (id, parent_id) AS (
			SELECT id, parent_id FROM teams WHERE id = ?
			UNION
			SELECT p.id, p.parent_id FROM teams p JOIN chain c ON p.id = c.parent_id
		) SELECT count(*) FROM chain WHERE id = ?`,
		[]any{t.s.d.UUID(tm.ParentID), t.s.d.UUID(tm.ID)}, &n)
	if err != nil {
		return fmt.Errorf("check team parents: %w", err)
	}
	if n > 0 {
		return goalpost.Errorf(goalpost.ECONFLICT,
			"The team %q cannot have the parent team %s: that team is one of its own sub-teams.", tm.Name, tm.ParentID)
	}
	return nil
}

// firstNonMember returns the first of ids that is not a member of the
// organization, or uuid.Nil when all are; it asks the database once.
func (t tx) firstNonMember(ctx context.Context, orgID uuid.UUID, ids []uuid.UUID) (uuid.UUID, error) {
	return t.firstMissing(ctx, "check members", `SELECT user_id FROM memberships WHERE org_id = ? AND user_id`, orgID, ids)
}

// checkMembers fails with EINVALID, for the field target, unless every one
// of ids is a member of the organization; who names the role of the one
// that is not in the message ("The team owner").
func (t tx) checkMembers(ctx context.Context, orgID uuid.UUID, target, who string, ids []uuid.UUID) error {
	missing, err := t.firstNonMember(ctx, orgID, ids)
	if err != nil {
		return err
	}
	if missing != uuid.Nil {
		return &goalpost.Error{Code: goalpost.EINVALID, Target: target,
			Message: fmt.Sprintf("%s %s is not a member of the organization.", who, missing)}
	}
	return nil
}

// firstMissing returns the first of ids that query does not return, or
// uuid.Nil when it returns all; it asks the database once. query selects
// one GUID column of an organization's rows (its one "?") and ends with
// the column that the IN list of ids follows; op names the check in
// errors.
func (t tx) firstMissing(ctx context.Context, op, query string, orgID uuid.UUID, ids []uuid.UUID) (uuid.UUID, error) {
	if len(ids) == 0 {
		return uuid.Nil, nil
	}
	args := append([]any{t.s.d.UUID(orgID)}, inArgs(ids, t.s.d.UUID)...)
	rows, err := t.queryUncached(ctx, query+` IN (`+marks(len(ids))+`)`, args...)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%s: %w", op, err)
	}
	found, err := collectRows(rows, scanUUID)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%s: %w", op, err)
	}
	for _, id := range ids {
		if !slices.Contains(found, id) {
			return id, nil
		}
	}
	return uuid.Nil, nil
}

// insertTeam writes a new team with its members.
func (t tx) insertTeam(ctx context.Context, tm *goalpost.Team) error {
	d := t.s.d
	_, err := t.exec(ctx, `INSERT INTO teams (`+teamColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		d.UUID(tm.ID), d.UUID(tm.OrgID), tm.Name, t.s.nullUUID(tm.ParentID), t.s.nullUUID(tm.OwnerID),
		tm.Type, d.Bool(tm.Archived), tm.Version)
	if err != nil {
		return fmt.Errorf("create team: %w", err)
	}
	return t.insertTeamMembers(ctx, tm)
}

// updateTeam writes every column of a team, its version included, and
// replaces its members.
func (t tx) updateTeam(ctx context.Context, tm *goalpost.Team) error {
	d := t.s.d
	_, err := t.exec(ctx, `UPDATE teams SET name = ?, parent_id = ?, owner_id = ?, type = ?, archived = ?, version = ?
		WHERE id = ?`,
		tm.Name, t.s.nullUUID(tm.ParentID), t.s.nullUUID(tm.OwnerID), tm.Type, d.Bool(tm.Archived), tm.Version, d.UUID(tm.ID))
	if err != nil {
		return fmt.Errorf("update team: %w", err)
	}
	if _, err := t.exec(ctx, `DELETE FROM team_members WHERE team_id = ?`, d.UUID(tm.ID)); err != nil {
		return fmt.Errorf("update team members: %w", err)
	}
	return t.insertTeamMembers(ctx, tm)
}

func (t tx) insertTeamMembers(ctx context.Context, tm *goalpost.Team) error {
	d := t.s.d
	for i, m := range tm.Members {
		if _, err := t.exec(ctx, `INSERT INTO team_members (team_id, user_id, position) VALUES (?, ?, ?)`,
			d.UUID(tm.ID), d.UUID(m), i); err != nil {
			return fmt.Errorf("add team member: %w", err)
		}
	}
	return nil
}

// UpdateTeam edits a team; its members are replaced in the order given.
func (s *Store) UpdateTeam(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*goalpost.Team) error) (*goalpost.Team, error) {
	var out *goalpost.Team
	err := s.write(ctx, orgID, func(t tx) error {
		old, err := t.findTeam(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("team", old.Version, ifVersion); err != nil {
			return err
		}
		tm := cloneTeam(old)
		if err := fn(tm); err != nil {
			return err
		}
		tm.ID, tm.OrgID, tm.Version = old.ID, old.OrgID, old.Version+1
		if err := validateTeam(tm); err != nil {
			return err
		}
		if err := t.checkTeamRefs(ctx, tm, old); err != nil {
			return err
		}
		if err := t.updateTeam(ctx, tm); err != nil {
			return err
		}
		out = tm
		return nil
	})
	return out, err
}

// DeleteTeam deletes a team no item names; its child teams become
// top-level (and their versions are incremented).
func (s *Store) DeleteTeam(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error {
	return s.write(ctx, orgID, func(t tx) error {
		old, err := t.findTeam(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("team", old.Version, ifVersion); err != nil {
			return err
		}
		var n int64
		if _, err := t.queryRow(ctx, `SELECT count(*) FROM item_teams WHERE team_id = ?`, []any{t.s.d.UUID(id)}, &n); err != nil {
			return fmt.Errorf("delete team: %w", err)
		}
		if n > 0 {
			return goalpost.Errorf(goalpost.ECONFLICT, "The team %q is named by %d items; remove it from them first.", old.Name, n)
		}
		if _, err := t.exec(ctx, `UPDATE teams SET parent_id = NULL, version = version + 1 WHERE parent_id = ?`, t.s.d.UUID(id)); err != nil {
			return fmt.Errorf("delete team: detach child teams: %w", err)
		}
		return t.deleteTeam(ctx, id)
	})
}

// cloneTeam returns a copy of tm that shares no members with it.
func cloneTeam(tm *goalpost.Team) *goalpost.Team {
	c := *tm
	c.Members = slices.Clone(tm.Members)
	return &c
}

// deleteTeam deletes a team, checking nothing: its members go, items no
// longer name it, and its child teams become top-level (their versions
// unchanged: callers that need it increment them).
func (t tx) deleteTeam(ctx context.Context, id uuid.UUID) error {
	tid := t.s.d.UUID(id)
	for _, q := range []string{
		`UPDATE teams SET parent_id = NULL WHERE parent_id = ?`,
		`DELETE FROM team_members WHERE team_id = ?`,
		`DELETE FROM item_teams WHERE team_id = ?`,
		`DELETE FROM teams WHERE id = ?`,
	} {
		if _, err := t.exec(ctx, q, tid); err != nil {
			return fmt.Errorf("delete team: %w", err)
		}
	}
	return nil
}
