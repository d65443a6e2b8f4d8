package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/goalpost/goalpost"
)

// LoadDataset writes every record of ds in one transaction, each table with
// one COPY. ds is checked first, so that an invalid record writes nothing. A
// record whose ID exists already (or a user whose UPN does, compared
// case-insensitively) fails the whole load with ECONFLICT; a record that
// refers to one that exists neither in ds nor in the database fails it with
// EINVALID. Each item's last check-in date and note are set from its newest
// check-in (by date, then activity time).
func (s *Store) LoadDataset(ctx context.Context, ds *goalpost.Dataset) error {
	if err := checkDataset(ds); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error { return loadDataset(ctx, tx, ds) })
	if err == nil {
		// The data is committed; the next export would refresh the rows
		// as well, so a failure here is only logged.
		if _, err := s.RefreshExportRows(ctx); err != nil {
			s.logger.WarnContext(ctx, "refreshing export rows after a load", "err", err)
		}
		s.vacuum(ctx, ds)
	}
	if e := pgError(err); e != nil && e.Code == foreignKeyViolation {
		// Deferred foreign keys are checked at commit.
		return &goalpost.Error{Code: goalpost.EINVALID, Inner: "invalidReference", Message: "Dataset refers to a record that does not exist"}
	} else if e != nil && e.Code == uniqueViolation {
		return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: "alreadyExists", Message: conflictMessage(e.TableName, e.Detail)}
	} else if err != nil {
		return fmt.Errorf("load dataset: %w", err)
	}
	return nil
}

// analyzeRows is the size of a dataset from which on LoadDataset vacuums and
// analyzes the tables it wrote.
const analyzeRows = 1000

// vacuum vacuums and analyzes the tables ds was written to, with the export
// rows computed from them, when ds is large. Autovacuum would, but only a
// minute or so later: an export right after a large import would be
// planned for the tables as they were, and its first read of each new row
// would set the row's hint bits, writing every page it reads. The data is
// committed by then, so a failure is only logged.
func (s *Store) vacuum(ctx context.Context, ds *goalpost.Dataset) {
	var tables []string
	total := 0
	add := func(n int, names ...string) {
		if n > 0 {
			tables = append(tables, names...)
			total += n
		}
	}
	add(len(ds.Organizations), "organizations")
	add(len(ds.Users), "users")
	add(len(ds.Memberships), "memberships")
	add(len(ds.Teams), "teams", "team_members")
	add(len(ds.TimePeriods), "time_periods")
	add(len(ds.Items), "items", "item_owners", "item_teams", "item_tags", "export_rows", "export_order")
	add(len(ds.Alignments), "alignments", "export_order")
	add(len(ds.CheckIns), "checkins", "items")
	add(len(ds.Views), "explorer_views")
	if total < analyzeRows {
		return
	}
	slices.Sort(tables)
	if _, err := s.pool.Exec(ctx, `VACUUM (ANALYZE) `+strings.Join(slices.Compact(tables), ", ")); err != nil {
		s.logger.WarnContext(ctx, "vacuum after loading a dataset", "err", err)
	}
}

// recordNames name a table's record in an error message.
var recordNames = map[string]string{
	"organizations": "organization", "users": "user", "memberships": "membership", "teams": "team",
	"team_members": "team member", "time_periods": "time period", "items": "item", "item_owners": "item owner",
	"item_teams": "item team", "item_tags": "item tag", "alignments": "alignment", "checkins": "check-in",
	"explorer_views": "view",
}

// conflictMessage names the duplicate record of a unique violation on table,
// from the violation's detail: "Key (id)=(100) already exists." gives
// "item 100 already exists".
func conflictMessage(table, detail string) string {
	name := recordNames[table]
	if name == "" {
		name = "record"
	}
	if _, v, ok := strings.Cut(detail, ")=("); ok {
		if v, _, ok := strings.Cut(v, ") already exists"); ok {
			return fmt.Sprintf("%s %s already exists", name, v)
		}
	}
	return name + " already exists"
}

// checkDataset checks what the database does not: IDs that must be set, roles,
// positive item IDs, alignments to self, check-in dates. Its errors are the
// SQLite store's.
func checkDataset(ds *goalpost.Dataset) error {
	for _, o := range ds.Organizations {
		if o.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "Organization %q has no id", o.Name)
		}
	}
	for _, u := range ds.Users {
		if u.ID == uuid.Nil || u.UPN == "" {
			return goalpost.Errorf(goalpost.EINVALID, "User %q needs an id and a user principal name", u.DisplayName)
		}
	}
	for _, m := range ds.Memberships {
		if !m.Role.Valid() {
			return goalpost.Errorf(goalpost.EINVALID, "Membership of user %s has an invalid role %q", m.UserID, m.Role)
		}
	}
	for _, t := range ds.Teams {
		if t.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "Team %q has no id", t.Name)
		}
	}
	for _, p := range ds.TimePeriods {
		if p.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "Time period %q has no id", p.Name)
		}
	}
	for _, it := range ds.Items {
		// Positive ids keep export paths in numeric order on SQLite; the
		// stores accept the same ids.
		if it.ID <= 0 {
			return goalpost.Errorf(goalpost.EINVALID, "Item %q needs a positive id", it.Title)
		}
	}
	for _, a := range ds.Alignments {
		if a.ChildID == a.ParentID {
			return goalpost.Errorf(goalpost.EINVALID, "Item %d cannot align to itself", a.ChildID)
		}
	}
	for _, c := range ds.CheckIns {
		if c.Date.IsZero() {
			return goalpost.Errorf(goalpost.EINVALID, "Check-in %d has no date", c.ID)
		}
	}
	for _, v := range ds.Views {
		if v.ID == uuid.Nil {
			return goalpost.Errorf(goalpost.EINVALID, "View %q has no id", v.Name)
		}
	}
	return nil
}

// nullUUID returns u, or NULL for uuid.Nil.
func nullUUID(u uuid.UUID) any {
	if u == uuid.Nil {
		return nil
	}
	return u
}

// copyRows copies the rows that next returns, until it returns nil, into
// table's columns.
func copyRows(ctx context.Context, tx pgx.Tx, table string, columns []string, next func() []any) error {
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromFunc(func() ([]any, error) {
		return next(), nil
	})); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

// each returns a next function for copyRows over vs.
func each[T any](vs []T, row func(T) []any) func() []any {
	i := 0
	return func() []any {
		if i == len(vs) {
			return nil
		}
		i++
		return row(vs[i-1])
	}
}

// eachOf returns a next function for copyRows over the elements of the lists
// that list returns for each of vs, with their position in the list.
func eachOf[T, E any](vs []T, list func(T) []E, row func(v T, e E, pos int) []any) func() []any {
	i, j := 0, 0
	return func() []any {
		for i < len(vs) {
			if l := list(vs[i]); j < len(l) {
				j++
				return row(vs[i], l[j-1], j-1)
			}
			i, j = i+1, 0
		}
		return nil
	}
}

func loadDataset(ctx context.Context, tx pgx.Tx, ds *goalpost.Dataset) error {
	if len(ds.Organizations) > 0 {
		if err := copyRows(ctx, tx, "organizations", []string{"id", "name", "term_objective", "term_key_result", "term_initiative", "created_at"},
			each(ds.Organizations, func(o *goalpost.Organization) []any {
				return []any{o.ID, o.Name, o.Terminology.Objective, o.Terminology.KeyResult, o.Terminology.Initiative, ms(o.CreatedAt)}
			})); err != nil {
			return err
		}
	}
	if len(ds.Users) > 0 {
		if err := copyRows(ctx, tx, "users", []string{"id", "upn", "display_name", "manager_id"},
			each(ds.Users, func(u *goalpost.User) []any { return []any{u.ID, u.UPN, u.DisplayName, nullUUID(u.ManagerID)} })); err != nil {
			return err
		}
	}
	if len(ds.Memberships) > 0 {
		if err := copyRows(ctx, tx, "memberships", []string{"org_id", "user_id", "role"},
			each(ds.Memberships, func(m goalpost.Membership) []any { return []any{m.OrgID, m.UserID, string(m.Role)} })); err != nil {
			return err
		}
	}
	if len(ds.Teams) > 0 {
		if err := copyRows(ctx, tx, "teams", []string{"id", "org_id", "name", "parent_id", "owner_id", "type", "archived"},
			each(ds.Teams, func(t *goalpost.Team) []any {
				return []any{t.ID, t.OrgID, t.Name, nullUUID(t.ParentID), nullUUID(t.OwnerID), t.Type, t.Archived}
			})); err != nil {
			return err
		}
		if err := copyRows(ctx, tx, "team_members", []string{"team_id", "user_id", "position"},
			eachOf(ds.Teams, func(t *goalpost.Team) []uuid.UUID { return t.Members },
				func(t *goalpost.Team, u uuid.UUID, pos int) []any { return []any{t.ID, u, pos} })); err != nil {
			return err
		}
	}
	if len(ds.TimePeriods) > 0 {
		if err := copyRows(ctx, tx, "time_periods", []string{"id", "org_id", "name", "start_date", "end_date"},
			each(ds.TimePeriods, func(p *goalpost.TimePeriod) []any {
				return []any{p.ID, p.OrgID, p.Name, nullDate(p.Start), nullDate(p.End)}
			})); err != nil {
			return err
		}
	}
	newest := newestCheckIns(ds)
	if err := loadItems(ctx, tx, ds.Items, newest); err != nil {
		return err
	}
	if err := loadAlignments(ctx, tx, ds.Alignments); err != nil {
		return err
	}
	if err := loadCheckIns(ctx, tx, ds.CheckIns, newest); err != nil {
		return err
	}
	return loadViews(ctx, tx, ds.Views)
}

// newestCheckIns returns the newest check-in (by date, then activity time,
// then id, as the export orders them) of each item of ds that has check-ins
// in ds. Such an item is new, so its check-ins are all in ds, and it is
// written with its last check-in; an item of an earlier dataset that gets
// check-ins is updated from the database instead.
func newestCheckIns(ds *goalpost.Dataset) map[int64]*goalpost.CheckIn {
	if len(ds.Items) == 0 || len(ds.CheckIns) == 0 {
		return nil
	}
	inDataset := make(map[int64]bool, len(ds.Items))
	for _, it := range ds.Items {
		inDataset[it.ID] = true
	}
	newest := make(map[int64]*goalpost.CheckIn)
	for _, c := range ds.CheckIns {
		if !inDataset[c.ItemID] {
			continue
		}
		n := newest[c.ItemID]
		if n == nil || newer(c, n) {
			newest[c.ItemID] = c
		}
	}
	return newest
}

// newer reports whether check-in a comes before b, newest first: by date,
// then activity time (milliseconds, as stored), then id.
func newer(a, b *goalpost.CheckIn) bool {
	if a.Date != b.Date {
		return b.Date.Before(a.Date)
	}
	if at, bt := ms(a.ActivityAt), ms(b.ActivityAt); !at.Equal(bt) {
		return at.After(bt)
	}
	return a.ID > b.ID
}

func loadItems(ctx context.Context, tx pgx.Tx, items []*goalpost.Item, newest map[int64]*goalpost.CheckIn) error {
	if len(items) == 0 {
		return nil
	}
	if err := copyRows(ctx, tx, "items", []string{
		"id", "org_id", "kind", "level", "title", "description", "creator_id", "period_id", "start_date", "end_date", "goal_type",
		"metric_name", "metric_unit", "metric_start", "metric_target", "metric_direction",
		"current_value", "progress", "progress_mode", "status", "score", "visibility", "created_at", "updated_at",
		"last_checkin_date", "last_checkin_note",
	}, each(items, func(it *goalpost.Item) []any {
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
		var lastDate any
		var lastNote string
		if c := newest[it.ID]; c != nil {
			lastDate, lastNote = c.Date.Time(), c.Note
		}
		return []any{it.ID, it.OrgID, string(it.Kind), string(it.Level), it.Title, it.Description,
			nullUUID(it.CreatorID), nullUUID(it.PeriodID), nullDate(it.StartDate), nullDate(it.EndDate), string(goalType),
			it.Metric.Name, it.Metric.Unit, it.Metric.Start, it.Metric.Target, string(it.Metric.Direction),
			it.Current, it.Progress, string(mode), string(it.Status), score, string(visibility),
			ms(it.CreatedAt), ms(it.UpdatedAt), lastDate, lastNote}
	})); err != nil {
		return err
	}
	if err := copyRows(ctx, tx, "item_owners", []string{"item_id", "user_id", "position"},
		eachOf(items, func(it *goalpost.Item) []uuid.UUID { return it.OwnerIDs },
			func(it *goalpost.Item, u uuid.UUID, pos int) []any { return []any{it.ID, u, pos} })); err != nil {
		return err
	}
	if err := copyRows(ctx, tx, "item_teams", []string{"item_id", "team_id", "position"},
		eachOf(items, func(it *goalpost.Item) []uuid.UUID { return it.TeamIDs },
			func(it *goalpost.Item, t uuid.UUID, pos int) []any { return []any{it.ID, t, pos} })); err != nil {
		return err
	}
	return copyRows(ctx, tx, "item_tags", []string{"item_id", "tag", "position"},
		eachOf(items, func(it *goalpost.Item) []string { return it.Tags },
			func(it *goalpost.Item, tag string, pos int) []any { return []any{it.ID, tag, pos} }))
}

// loadAlignments appends each alignment to its child's parents: the order of
// a dataset's alignments is the order of each child's parents, after those
// an earlier dataset gave.
func loadAlignments(ctx context.Context, tx pgx.Tx, as []goalpost.Alignment) error {
	if len(as) == 0 {
		return nil
	}
	children := make([]int64, 0, len(as))
	for _, a := range as {
		children = append(children, a.ChildID)
	}
	next := make(map[int64]int) // the next position of each child with parents
	rows, err := tx.Query(ctx, `SELECT child_id, max(position) + 1 FROM alignments WHERE child_id = ANY($1) GROUP BY child_id`, children)
	if err != nil {
		return fmt.Errorf("alignment positions: %w", err)
	}
	var child int64
	var pos int
	if _, err := pgx.ForEachRow(rows, []any{&child, &pos}, func() error { next[child] = pos; return nil }); err != nil {
		return fmt.Errorf("alignment positions: %w", err)
	}
	return copyRows(ctx, tx, "alignments", []string{"child_id", "parent_id", "weight", "position"},
		each(as, func(a goalpost.Alignment) []any {
			p := next[a.ChildID]
			next[a.ChildID] = p + 1
			return []any{a.ChildID, a.ParentID, a.Weight, p}
		}))
}

// loadCheckIns inserts the check-ins and then refreshes the last check-in
// of every item that got one, but for the new items (in newest), which were
// written with theirs.
func loadCheckIns(ctx context.Context, tx pgx.Tx, cs []*goalpost.CheckIn, newest map[int64]*goalpost.CheckIn) error {
	if len(cs) == 0 {
		return nil
	}
	if err := copyRows(ctx, tx, "checkins", []string{"id", "item_id", "checkin_date", "user_id", "note", "status", "value", "activity_at"},
		each(cs, func(c *goalpost.CheckIn) []any {
			return []any{c.ID, c.ItemID, c.Date.Time(), nullUUID(c.UserID), c.Note, string(c.Status), c.Value, ms(c.ActivityAt)}
		})); err != nil {
		return err
	}
	items := make([]int64, 0, len(cs))
	seen := make(map[int64]bool, len(cs))
	for _, c := range cs {
		if !seen[c.ItemID] && newest[c.ItemID] == nil {
			seen[c.ItemID] = true
			items = append(items, c.ItemID)
		}
	}
	if len(items) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE items SET (last_checkin_date, last_checkin_note) = (
		SELECT c.checkin_date, c.note FROM checkins c WHERE c.item_id = items.id
		ORDER BY c.checkin_date DESC, c.activity_at DESC, c.id DESC LIMIT 1
	) WHERE id = ANY($1)`, items); err != nil {
		return fmt.Errorf("last check-ins: %w", err)
	}
	return nil
}

func loadViews(ctx context.Context, tx pgx.Tx, views []*goalpost.ExplorerView) error {
	if len(views) == 0 {
		return nil
	}
	rows := make([][]any, 0, len(views))
	for _, v := range views {
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
		rows = append(rows, []any{v.ID, v.OrgID, v.Name, string(visibility), nullUUID(v.CreatorID),
			json.RawMessage(filter), v.TopLevelOnly, json.RawMessage(export), ms(v.CreatedAt)})
	}
	return copyRows(ctx, tx, "explorer_views",
		[]string{"id", "org_id", "name", "visibility", "creator_id", "filter_json", "top_level_only", "export_json", "created_at"},
		each(rows, func(r []any) []any { return r }))
}

// FindOrganizationByID returns the organization with id.
func (s *Store) FindOrganizationByID(ctx context.Context, id uuid.UUID) (*goalpost.Organization, error) {
	var o goalpost.Organization
	err := s.pool.QueryRow(ctx, `SELECT id, name, term_objective, term_key_result, term_initiative, created_at, version
		FROM organizations WHERE id = $1`, id).Scan(
		&o.ID, &o.Name, &o.Terminology.Objective, &o.Terminology.KeyResult, &o.Terminology.Initiative, &o.CreatedAt, &o.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, goalpost.ErrOrganizationNotFound
	} else if err != nil {
		return nil, fmt.Errorf("find organization: %w", err)
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return &o, nil
}

// FindUserByID returns the user with id.
func (s *Store) FindUserByID(ctx context.Context, id uuid.UUID) (*goalpost.User, error) {
	return s.findUser(ctx, `id = $1`, id)
}

// FindUserByUPN returns the user with the user principal name, compared
// case-insensitively through the unique index on lower(upn).
func (s *Store) FindUserByUPN(ctx context.Context, upn string) (*goalpost.User, error) {
	return s.findUser(ctx, `lower(upn) = lower($1)`, upn)
}

func (s *Store) findUser(ctx context.Context, where string, arg any) (*goalpost.User, error) {
	var u goalpost.User
	var manager *uuid.UUID
	err := s.pool.QueryRow(ctx, `SELECT id, upn, display_name, manager_id FROM users WHERE `+where, arg).Scan(
		&u.ID, &u.UPN, &u.DisplayName, &manager)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("userNotFound", "User not found")
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if manager != nil {
		u.ManagerID = *manager
	}
	return &u, nil
}

// FindMembership returns the user's membership of the organization.
func (s *Store) FindMembership(ctx context.Context, orgID, userID uuid.UUID) (*goalpost.Membership, error) {
	m := goalpost.Membership{OrgID: orgID, UserID: userID}
	err := s.pool.QueryRow(ctx, `SELECT role, version FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID).Scan(&m.Role, &m.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("membershipNotFound", "Membership not found")
	} else if err != nil {
		return nil, fmt.Errorf("find membership: %w", err)
	}
	return &m, nil
}

// FindViewByID returns the view of the organization with viewID.
func (s *Store) FindViewByID(ctx context.Context, orgID, viewID uuid.UUID) (*goalpost.ExplorerView, error) {
	var v goalpost.ExplorerView
	var creator *uuid.UUID
	var filter, export []byte
	var createdAt time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, org_id, name, visibility, creator_id, filter_json, top_level_only, export_json, created_at, version
		FROM explorer_views WHERE org_id = $1 AND id = $2`, orgID, viewID).Scan(
		&v.ID, &v.OrgID, &v.Name, &v.Visibility, &creator, &filter, &v.TopLevelOnly, &export, &createdAt, &v.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("explorerViewIdNotFound", "Explorer view not found")
	} else if err != nil {
		return nil, fmt.Errorf("find view: %w", err)
	}
	if creator != nil {
		v.CreatorID = *creator
	}
	if err := json.Unmarshal(filter, &v.Filter); err != nil {
		return nil, fmt.Errorf("find view: filter: %w", err)
	}
	if err := json.Unmarshal(export, &v.Export); err != nil {
		return nil, fmt.Errorf("find view: export settings: %w", err)
	}
	v.CreatedAt = createdAt.UTC()
	return &v, nil
}
