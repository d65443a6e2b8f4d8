package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/goalpost/goalpost"
)

// LoadDataset writes every record of ds in one transaction with prepared
// statements. A record whose ID exists already (or a user whose UPN does)
// fails the whole load with ECONFLICT; nothing is written then. Each item's
// last check-in date and note are set from its newest check-in (by date,
// then activity time).
func (s *Store) LoadDataset(ctx context.Context, ds *goalpost.Dataset) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		l := &loader{ctx: ctx, tx: tx}
		defer l.close()
		return l.load(ds)
	})
	if sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		// Deferred foreign keys are checked at commit, so the record is
		// unknown here.
		return &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidReference", Message: "Dataset refers to a record that does not exist"}
	} else if err != nil {
		return fmt.Errorf("load dataset: %w", err)
	}
	// The data is committed; the next export would refresh the rows as
	// well, so a failure here is only logged.
	if _, err := s.RefreshExportRows(ctx); err != nil {
		s.logger.WarnContext(ctx, "refreshing export rows after a load", "err", err)
	}
	return nil
}

// loader writes one dataset with statements prepared once per table.
type loader struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts []*sql.Stmt
}

func (l *loader) prepare(query string) (*sql.Stmt, error) {
	st, err := l.tx.PrepareContext(l.ctx, query)
	if err != nil {
		return nil, err
	}
	l.stmts = append(l.stmts, st)
	return st, nil
}

func (l *loader) close() {
	for _, st := range l.stmts {
		st.Close()
	}
}

// exec runs st and turns a uniqueness violation into ECONFLICT naming what.
func (l *loader) exec(st *sql.Stmt, what string, args ...any) error {
	if _, err := st.ExecContext(l.ctx, args...); err != nil {
		if isUniqueViolation(err) {
			return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: "alreadyExists", Message: fmt.Sprintf("%s already exists", what)}
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (l *loader) load(ds *goalpost.Dataset) error {
	if err := l.loadOrganizations(ds.Organizations); err != nil {
		return err
	}
	if err := l.loadUsers(ds.Users); err != nil {
		return err
	}
	if err := l.loadMemberships(ds.Memberships); err != nil {
		return err
	}
	if err := l.loadTeams(ds.Teams); err != nil {
		return err
	}
	if err := l.loadTimePeriods(ds.TimePeriods); err != nil {
		return err
	}
	if err := l.loadItems(ds.Items); err != nil {
		return err
	}
	if err := l.loadAlignments(ds.Alignments); err != nil {
		return err
	}
	if err := l.loadCheckIns(ds.CheckIns); err != nil {
		return err
	}
	return l.loadViews(ds.Views)
}

func (l *loader) loadOrganizations(orgs []*goalpost.Organization) error {
	if len(orgs) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO organizations (id, name, term_objective, term_key_result, term_initiative, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if o.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "Organization %q has no id", o.Name)
		}
		if err := l.exec(st, "organization "+o.ID.String(), o.ID.String(), o.Name,
			o.Terminology.Objective, o.Terminology.KeyResult, o.Terminology.Initiative, millis(o.CreatedAt)); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) loadUsers(users []*goalpost.User) error {
	if len(users) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO users (id, upn, display_name, manager_id) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.ID == uuid.Nil || u.UPN == "" {
			return goalpost.Errorf(goalpost.EINVALID, "User %q needs an id and a user principal name", u.DisplayName)
		}
		if err := l.exec(st, fmt.Sprintf("user %s (%s)", u.ID, u.UPN), u.ID.String(), u.UPN, u.DisplayName, nullUUID(u.ManagerID)); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) loadMemberships(ms []goalpost.Membership) error {
	if len(ms) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if !m.Role.Valid() {
			return goalpost.Errorf(goalpost.EINVALID, "Membership of user %s has an invalid role %q", m.UserID, m.Role)
		}
		if err := l.exec(st, fmt.Sprintf("membership of user %s in organization %s", m.UserID, m.OrgID),
			m.OrgID.String(), m.UserID.String(), string(m.Role)); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) loadTeams(teams []*goalpost.Team) error {
	if len(teams) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO teams (id, org_id, name, parent_id, owner_id, type, archived) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	mst, err := l.prepare(`INSERT INTO team_members (team_id, user_id, position) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, t := range teams {
		if t.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "Team %q has no id", t.Name)
		}
		if err := l.exec(st, "team "+t.ID.String(), t.ID.String(), t.OrgID.String(), t.Name,
			nullUUID(t.ParentID), nullUUID(t.OwnerID), t.Type, t.Archived); err != nil {
			return err
		}
		for i, m := range t.Members {
			if err := l.exec(mst, fmt.Sprintf("member %s of team %s", m, t.ID), t.ID.String(), m.String(), i); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) loadTimePeriods(tps []*goalpost.TimePeriod) error {
	if len(tps) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO time_periods (id, org_id, name, start_date, end_date) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, p := range tps {
		if p.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "Time period %q has no id", p.Name)
		}
		if err := l.exec(st, "time period "+p.ID.String(), p.ID.String(), p.OrgID.String(), p.Name,
			nullDate(p.Start), nullDate(p.End)); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) loadItems(items []*goalpost.Item) error {
	if len(items) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO items (
		id, org_id, kind, level, title, description, creator_id, period_id, start_date, end_date, goal_type,
		metric_name, metric_unit, metric_start, metric_target, metric_direction,
		current_value, progress, progress_mode, status, score, visibility, created_at, updated_at
	) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	ost, err := l.prepare(`INSERT INTO item_owners (item_id, user_id, position) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	tst, err := l.prepare(`INSERT INTO item_teams (item_id, team_id, position) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	gst, err := l.prepare(`INSERT INTO item_tags (item_id, tag, position) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, it := range items {
		// Positive ids keep export paths (fixed-width hex of the id) in
		// numeric order.
		if it.ID <= 0 {
			return goalpost.Errorf(goalpost.EINVALID, "Item %q needs a positive id", it.Title)
		}
		visibility := it.Visibility
		if visibility == "" {
			visibility = goalpost.VisibilityEveryone
		}
		goalType := it.GoalType
		if goalType == "" {
			goalType = goalpost.GoalAspirational
		}
		mode := it.ProgressMode
		if mode == "" {
			mode = goalpost.ProgressManual
		}
		var score any
		if it.Score != nil {
			score = *it.Score
		}
		what := fmt.Sprintf("item %d", it.ID)
		if err := l.exec(st, what, it.ID, it.OrgID.String(), string(it.Kind), string(it.Level), it.Title, it.Description,
			nullUUID(it.CreatorID), nullUUID(it.PeriodID), nullDate(it.StartDate), nullDate(it.EndDate), string(goalType),
			it.Metric.Name, it.Metric.Unit, it.Metric.Start, it.Metric.Target, string(it.Metric.Direction),
			it.Current, it.Progress, string(mode), string(it.Status), score, string(visibility),
			millis(it.CreatedAt), millis(it.UpdatedAt)); err != nil {
			return err
		}
		for i, u := range it.OwnerIDs {
			if err := l.exec(ost, fmt.Sprintf("owner %s of item %d", u, it.ID), it.ID, u.String(), i); err != nil {
				return err
			}
		}
		for i, t := range it.TeamIDs {
			if err := l.exec(tst, fmt.Sprintf("team %s of item %d", t, it.ID), it.ID, t.String(), i); err != nil {
				return err
			}
		}
		for i, tag := range it.Tags {
			if err := l.exec(gst, fmt.Sprintf("tag %q of item %d", tag, it.ID), it.ID, tag, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadAlignments appends each alignment to its child's parents: the order of
// a dataset's alignments is the order of each child's parents.
func (l *loader) loadAlignments(as []goalpost.Alignment) error {
	if len(as) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO alignments (child_id, parent_id, weight, position)
		VALUES (?1, ?2, ?3, (SELECT coalesce(max(position) + 1, 0) FROM alignments WHERE child_id = ?1))`)
	if err != nil {
		return err
	}
	for _, a := range as {
		if a.ChildID == a.ParentID {
			return goalpost.Errorf(goalpost.EINVALID, "Item %d cannot align to itself", a.ChildID)
		}
		if err := l.exec(st, fmt.Sprintf("alignment of item %d to item %d", a.ChildID, a.ParentID), a.ChildID, a.ParentID, a.Weight); err != nil {
			return err
		}
	}
	return nil
}

// loadCheckIns inserts the check-ins and then refreshes the last check-in
// of every item that got one.
func (l *loader) loadCheckIns(cs []*goalpost.CheckIn) error {
	if len(cs) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO checkins (id, item_id, checkin_date, user_id, note, status, value, activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Date.IsZero() {
			return goalpost.Errorf(goalpost.EINVALID, "Check-in %d has no date", c.ID)
		}
		if err := l.exec(st, fmt.Sprintf("check-in %d", c.ID), c.ID, c.ItemID, c.Date.String(), nullUUID(c.UserID),
			c.Note, string(c.Status), c.Value, millis(c.ActivityAt)); err != nil {
			return err
		}
	}
	ust, err := l.prepare(`UPDATE items SET (last_checkin_date, last_checkin_note) = (
		SELECT c.checkin_date, c.note FROM checkins c WHERE c.item_id = items.id
		ORDER BY c.checkin_date DESC, c.activity_at DESC, c.id DESC LIMIT 1
	) WHERE id = ?`)
	if err != nil {
		return err
	}
	done := make(map[int64]bool)
	for _, c := range cs {
		if done[c.ItemID] {
			continue
		}
		done[c.ItemID] = true
		if _, err := ust.ExecContext(l.ctx, c.ItemID); err != nil {
			return fmt.Errorf("last check-in of item %d: %w", c.ItemID, err)
		}
	}
	return nil
}

func (l *loader) loadViews(views []*goalpost.ExplorerView) error {
	if len(views) == 0 {
		return nil
	}
	st, err := l.prepare(`INSERT INTO explorer_views (id, org_id, name, visibility, creator_id, filter_json, top_level_only, export_json, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, v := range views {
		if v.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "View %q has no id", v.Name)
		}
		visibility := v.Visibility
		if visibility == "" {
			visibility = goalpost.ViewPublic
		}
		filter, err := json.Marshal(v.Filter)
		if err != nil {
			return fmt.Errorf("view %s filter: %w", v.ID, err)
		}
		export, err := json.Marshal(v.Export)
		if err != nil {
			return fmt.Errorf("view %s export settings: %w", v.ID, err)
		}
		if err := l.exec(st, "view "+v.ID.String(), v.ID.String(), v.OrgID.String(), v.Name, string(visibility),
			nullUUID(v.CreatorID), string(filter), v.TopLevelOnly, string(export), millis(v.CreatedAt)); err != nil {
			return err
		}
	}
	return nil
}

// notFound is the ENOTFOUND error of a finder.
func notFound(inner, msg string) error {
	return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: inner, Message: msg}
}

// FindOrganizationByID returns the organization with id.
func (s *Store) FindOrganizationByID(ctx context.Context, id uuid.UUID) (*goalpost.Organization, error) {
	var o goalpost.Organization
	var createdAt int64
	err := s.read.QueryRowContext(ctx, `SELECT id, name, term_objective, term_key_result, term_initiative, created_at, version
		FROM organizations WHERE id = ?`, id.String()).Scan(
		&o.ID, &o.Name, &o.Terminology.Objective, &o.Terminology.KeyResult, &o.Terminology.Initiative, &createdAt, &o.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, goalpost.ErrOrganizationNotFound
	} else if err != nil {
		return nil, fmt.Errorf("find organization: %w", err)
	}
	o.CreatedAt = fromMillis(createdAt)
	return &o, nil
}

// FindUserByID returns the user with id.
func (s *Store) FindUserByID(ctx context.Context, id uuid.UUID) (*goalpost.User, error) {
	return findUser(ctx, s.stmts.userByID, id.String())
}

// FindUserByUPN returns the user with the user principal name, compared
// case-insensitively (the column's NOCASE collation, which its unique index
// shares).
func (s *Store) FindUserByUPN(ctx context.Context, upn string) (*goalpost.User, error) {
	return findUser(ctx, s.stmts.userByUPN, upn)
}

// userColumns are the columns findUser scans.
const userColumns = `id, upn, display_name, manager_id`

// findUser runs st, a query of userColumns, with arg.
func findUser(ctx context.Context, st *sql.Stmt, arg any) (*goalpost.User, error) {
	var u goalpost.User
	var manager sql.NullString
	err := st.QueryRowContext(ctx, arg).Scan(
		&u.ID, &u.UPN, &u.DisplayName, &manager)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("userNotFound", "User not found")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if u.ManagerID, err = parseNullUUID(manager); err != nil {
		return nil, fmt.Errorf("find user: manager: %w", err)
	}
	return &u, nil
}

// FindMembership returns the user's membership of the organization.
func (s *Store) FindMembership(ctx context.Context, orgID, userID uuid.UUID) (*goalpost.Membership, error) {
	m := goalpost.Membership{OrgID: orgID, UserID: userID}
	err := s.stmts.membership.QueryRowContext(ctx, orgID.String(), userID.String()).Scan(&m.Role, &m.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("membershipNotFound", "Membership not found")
	} else if err != nil {
		return nil, fmt.Errorf("find membership: %w", err)
	}
	return &m, nil
}

// FindViewByID returns the view of the organization with viewID.
func (s *Store) FindViewByID(ctx context.Context, orgID, viewID uuid.UUID) (*goalpost.ExplorerView, error) {
	var v goalpost.ExplorerView
	var creator sql.NullString
	var filter, export string
	var createdAt int64
	err := s.read.QueryRowContext(ctx, `SELECT id, org_id, name, visibility, creator_id, filter_json, top_level_only, export_json, created_at, version
		FROM explorer_views WHERE org_id = ? AND id = ?`, orgID.String(), viewID.String()).Scan(
		&v.ID, &v.OrgID, &v.Name, &v.Visibility, &creator, &filter, &v.TopLevelOnly, &export, &createdAt, &v.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("explorerViewIdNotFound", "Explorer view not found")
	} else if err != nil {
		return nil, fmt.Errorf("find view: %w", err)
	}
	if v.CreatorID, err = parseNullUUID(creator); err != nil {
		return nil, fmt.Errorf("find view: creator: %w", err)
	}
	if err := json.Unmarshal([]byte(filter), &v.Filter); err != nil {
		return nil, fmt.Errorf("find view: filter: %w", err)
	}
	if err := json.Unmarshal([]byte(export), &v.Export); err != nil {
		return nil, fmt.Errorf("find view: export settings: %w", err)
	}
	v.CreatedAt = fromMillis(createdAt)
	return &v, nil
}
