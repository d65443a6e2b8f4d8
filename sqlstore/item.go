package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/viewsql"
)

// itemColumns are the columns scanItem reads, in its order, of the items
// table aliased i.
const itemColumns = `i.id, i.org_id, i.kind, i.level, i.title, i.description, i.creator_id, i.period_id,
	i.start_date, i.end_date, i.goal_type, i.metric_name, i.metric_unit, i.metric_start, i.metric_target,
	i.metric_direction, i.current_value, i.progress, i.progress_mode, i.status, i.score, i.visibility,
	i.created_at, i.updated_at, i.last_checkin_date, i.last_checkin_note, i.version`

// scanItem reads an item's own columns; its owners, teams and tags come
// from attachItemLists.
func scanItem(r Rows) (*goalpost.Item, error) {
	var it goalpost.Item
	err := r.Scan(&it.ID, uuidCol{&it.OrgID}, &it.Kind, &it.Level, &it.Title, &it.Description, uuidCol{&it.CreatorID},
		uuidCol{&it.PeriodID}, dateCol{&it.StartDate}, dateCol{&it.EndDate}, &it.GoalType, &it.Metric.Name,
		&it.Metric.Unit, &it.Metric.Start, &it.Metric.Target, &it.Metric.Direction, &it.Current, &it.Progress,
		&it.ProgressMode, &it.Status, &it.Score, &it.Visibility, timeCol{&it.CreatedAt}, timeCol{&it.UpdatedAt},
		dateCol{&it.LastCheckIn}, &it.LastCheckInNote, &it.Version)
	return &it, err
}

// ListItems lists the items of f.OrgID that f.ViewerID may see and that
// match f.Filter, by id. The selection is viewsql's, the one exports use,
// so that a list and an export of the same filter hold the same items.
func (s *Store) ListItems(ctx context.Context, f goalpost.ItemFilter) ([]*goalpost.Item, error) {
	after, err := afterInt(f.Page)
	if err != nil {
		return nil, err
	}
	var today time.Time // viewsql counts from the current date when it is zero
	if !f.Today.IsZero() {
		today = f.Today.Time()
	}
	sel, err := viewsql.Select(goalpost.ExportQuery{
		View:     &goalpost.ExplorerView{OrgID: f.OrgID, Filter: f.Filter},
		ViewerID: f.ViewerID,
		Now:      today,
	}, s.d.Dialect)
	if err != nil {
		return nil, err
	}
	// The selection's SQL has its placeholders numbered already, so this
	// statement numbers its own after them and bypasses rebind.
	n := len(sel.Args)
	query := `WITH ` + sel.CTEs + `
SELECT ` + itemColumns + ` FROM sel JOIN items i ON i.id = sel.id
WHERE sel.id > ` + s.d.Placeholder(n+1) + ` ORDER BY sel.id LIMIT ` + s.d.Placeholder(n+2)
	args := append(slices.Clip(sel.Args), after, f.Size())
	var out []*goalpost.Item
	err = s.read(ctx, func(t tx) error {
		if err := t.orgExists(ctx, f.OrgID); err != nil {
			return err
		}
		rows, err := t.q.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		if out, err = collectRows(rows, scanItem); err != nil {
			return err
		}
		return t.attachPageLists(ctx, out)
	})
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	return out, nil
}

// FindItem returns an item of an organization, whatever its visibility.
func (s *Store) FindItem(ctx context.Context, orgID uuid.UUID, id int64) (*goalpost.Item, error) {
	var out *goalpost.Item
	err := s.read(ctx, func(t tx) (err error) {
		out, err = t.findItem(ctx, orgID, id)
		return err
	})
	return out, err
}

func (t tx) findItem(ctx context.Context, orgID uuid.UUID, id int64) (*goalpost.Item, error) {
	its, err := queryAll(ctx, t, scanItem, `SELECT `+itemColumns+` FROM items i WHERE i.org_id = ? AND i.id = ?`,
		t.s.d.UUID(orgID), id)
	if err != nil {
		return nil, fmt.Errorf("find item: %w", err)
	}
	if len(its) == 0 {
		return nil, notFound("item", id)
	}
	if err := t.attachPageLists(ctx, its); err != nil {
		return nil, fmt.Errorf("find item: %w", err)
	}
	return its[0], nil
}

// itemExists fails with ENOTFOUND unless the item is one of the
// organization's.
func (t tx) itemExists(ctx context.Context, orgID uuid.UUID, id int64) error {
	var n int64
	if _, err := t.queryRow(ctx, `SELECT count(*) FROM items WHERE org_id = ? AND id = ?`,
		[]any{t.s.d.UUID(orgID), id}, &n); err != nil {
		return fmt.Errorf("find item: %w", err)
	}
	if n == 0 {
		return notFound("item", id)
	}
	return nil
}

// itemsOf returns all items of an organization by id, with their owners,
// teams and tags.
func (t tx) itemsOf(ctx context.Context, orgID uuid.UUID) ([]*goalpost.Item, error) {
	org := t.s.d.UUID(orgID)
	its, err := queryAll(ctx, t, scanItem, `SELECT `+itemColumns+` FROM items i WHERE i.org_id = ? ORDER BY i.id`, org)
	if err != nil {
		return nil, fmt.Errorf("read items: %w", err)
	}
	if len(its) == 0 {
		return its, nil
	}
	if err := t.attachItemLists(ctx, its, `IN (SELECT id FROM items WHERE org_id = ?)`, org); err != nil {
		return nil, fmt.Errorf("read items: %w", err)
	}
	return its, nil
}

// attachPageLists sets the owners, teams and tags of items, a page of at
// most goalpost.MaxPageSize, naming their ids in the statements.
func (t tx) attachPageLists(ctx context.Context, items []*goalpost.Item) error {
	if len(items) == 0 {
		return nil
	}
	ids := inArgs(items, func(it *goalpost.Item) any { return it.ID })
	return t.attachItemLists(ctx, items, `IN (`+marks(len(ids))+`)`, ids...)
}

// attachItemLists sets the owners, teams and tags of items in position
// order, with one query per table: in is the condition on item_id that
// covers (at least) those items, with its arguments.
func (t tx) attachItemLists(ctx context.Context, items []*goalpost.Item, in string, args ...any) error {
	byID := make(map[int64]*goalpost.Item, len(items))
	for _, it := range items {
		it.OwnerIDs, it.TeamIDs, it.Tags = nil, nil, nil
		byID[it.ID] = it
	}
	// addUUID appends a row's GUID to the list of its item that list
	// points to.
	addUUID := func(list func(*goalpost.Item) *[]uuid.UUID) func(Rows) error {
		return func(r Rows) error {
			var id int64
			var u uuid.UUID
			if err := r.Scan(&id, uuidCol{&u}); err != nil {
				return err
			}
			if it := byID[id]; it != nil {
				l := list(it)
				*l = append(*l, u)
			}
			return nil
		}
	}
	lists := []struct {
		query string
		add   func(r Rows) error
	}{
		{`SELECT item_id, user_id FROM item_owners WHERE item_id ` + in + ` ORDER BY item_id, position`,
			addUUID(func(it *goalpost.Item) *[]uuid.UUID { return &it.OwnerIDs })},
		{`SELECT item_id, team_id FROM item_teams WHERE item_id ` + in + ` ORDER BY item_id, position`,
			addUUID(func(it *goalpost.Item) *[]uuid.UUID { return &it.TeamIDs })},
		{`SELECT item_id, tag FROM item_tags WHERE item_id ` + in + ` ORDER BY item_id, position`,
			func(r Rows) error {
				var id int64
				var tag string
				if err := r.Scan(&id, &tag); err != nil {
					return err
				}
				if it := byID[id]; it != nil {
					it.Tags = append(it.Tags, tag)
				}
				return nil
			}},
	}
	for _, l := range lists {
		rows, err := t.queryUncached(ctx, l.query, args...)
		if err == nil {
			err = eachRow(rows, l.add)
		}
		if err != nil {
			return fmt.Errorf("item lists: %w", err)
		}
	}
	return nil
}

// CreateItem creates an item. A zero ID is one more than the largest item
// id of the deployment; the defaults of goalpost.Item.ApplyDefaults fill
// what is left out; progress follows from the metric and the current value
// (manual) or is 0 (rollup: no contributors yet, and the current value is
// the metric's start).
func (s *Store) CreateItem(ctx context.Context, it *goalpost.Item) error {
	if it.ID < 0 {
		return &goalpost.Error{Code: goalpost.EINVALID, Target: "id", Message: "An item id must be a positive number."}
	}
	it.ApplyDefaults()
	if it.CreatedAt.IsZero() {
		it.CreatedAt = now()
	}
	it.CreatedAt = millis(it.CreatedAt)
	if it.UpdatedAt.IsZero() {
		it.UpdatedAt = it.CreatedAt
	}
	it.UpdatedAt = millis(it.UpdatedAt)
	it.Version = 1
	it.LastCheckIn, it.LastCheckInNote = goalpost.Date{}, "" // it has no check-in yet
	if it.ProgressMode == goalpost.ProgressRollup {
		setRollup(it, nil)
	} else {
		it.Progress = it.Metric.ProgressOf(it.Current)
	}
	if err := goalpost.ValidateItem(it); err != nil {
		return err
	}
	return s.write(ctx, it.OrgID, func(t tx) error {
		if err := t.checkItemRefs(ctx, it, nil); err != nil {
			return err
		}
		if it.ID == 0 {
			id, err := t.nextItemID(ctx)
			if err != nil {
				return err
			}
			it.ID = id
		}
		return t.insertItem(ctx, it)
	})
}

// setRollup sets a rolled-up item's progress from its contributors and its
// current value to the value that progress stands for on its metric.
func setRollup(it *goalpost.Item, cs []goalpost.Contribution) {
	it.Progress = goalpost.RollupProgress(cs)
	it.Current = it.Metric.ValueAt(it.Progress)
}

// checkItemRefs checks the references of it that differ from old's (all of
// them when old is nil): owners and the creator are members of the
// organization, teams and the period are its own. References kept from old
// are not checked again, so that an item whose owner has left the
// organization can still be edited.
func (t tx) checkItemRefs(ctx context.Context, it, old *goalpost.Item) error {
	var owners, teams []uuid.UUID
	for _, u := range it.OwnerIDs {
		if old == nil || !slices.Contains(old.OwnerIDs, u) {
			owners = append(owners, u)
		}
	}
	for _, tm := range it.TeamIDs {
		if old == nil || !slices.Contains(old.TeamIDs, tm) {
			teams = append(teams, tm)
		}
	}
	if err := t.checkMembers(ctx, it.OrgID, "ownerIds", "The owner", owners); err != nil {
		return err
	}
	missing, err := t.firstMissingTeam(ctx, it.OrgID, teams)
	if err != nil {
		return err
	}
	if missing != uuid.Nil {
		return &goalpost.Error{Code: goalpost.EINVALID, Target: "teamIds",
			Message: fmt.Sprintf("The team %s is not a team of the organization.", missing)}
	}
	if it.PeriodID != uuid.Nil && (old == nil || it.PeriodID != old.PeriodID) {
		var n int64
		if _, err := t.queryRow(ctx, `SELECT count(*) FROM time_periods WHERE org_id = ? AND id = ?`,
			[]any{t.s.d.UUID(it.OrgID), t.s.d.UUID(it.PeriodID)}, &n); err != nil {
			return fmt.Errorf("check time period: %w", err)
		}
		if n == 0 {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "periodId",
				Message: fmt.Sprintf("The time period %s is not a time period of the organization.", it.PeriodID)}
		}
	}
	if it.CreatorID != uuid.Nil && old == nil {
		return t.checkMembers(ctx, it.OrgID, "creatorId", "The creator", []uuid.UUID{it.CreatorID})
	}
	return nil
}

// firstMissingTeam returns the first of ids that is not a team of the
// organization, or uuid.Nil when all are; it asks the database once.
func (t tx) firstMissingTeam(ctx context.Context, orgID uuid.UUID, ids []uuid.UUID) (uuid.UUID, error) {
	return t.firstMissing(ctx, "check teams", `SELECT id FROM teams WHERE org_id = ? AND id`, orgID, ids)
}

// UpdateItem edits an item. Its id, organization, creator, creation time
// and last check-in are the store's; its progress is recomputed (manual:
// from the metric and the current value; rollup: from its contributors,
// the current value following) and rolled up to its parents.
func (s *Store) UpdateItem(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64, fn func(*goalpost.Item) error) (*goalpost.Item, error) {
	var out *goalpost.Item
	err := s.write(ctx, orgID, func(t tx) error {
		old, err := t.findItem(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("item", old.Version, ifVersion); err != nil {
			return err
		}
		it := cloneItem(old)
		if err := fn(it); err != nil {
			return err
		}
		it.ID, it.OrgID, it.CreatedAt, it.CreatorID = old.ID, old.OrgID, old.CreatedAt, old.CreatorID
		it.LastCheckIn, it.LastCheckInNote = old.LastCheckIn, old.LastCheckInNote
		it.Version, it.UpdatedAt = old.Version+1, now()
		if it.ProgressMode == goalpost.ProgressRollup {
			cs, err := t.contributions(ctx, id)
			if err != nil {
				return err
			}
			setRollup(it, cs)
		} else {
			it.Progress = it.Metric.ProgressOf(it.Current)
		}
		if err := goalpost.ValidateItem(it); err != nil {
			return err
		}
		if err := t.checkItemRefs(ctx, it, old); err != nil {
			return err
		}
		if err := t.updateItem(ctx, it); err != nil {
			return err
		}
		parents, err := t.parentIDs(ctx, id)
		if err != nil {
			return err
		}
		if err := t.rollup(ctx, orgID, parents); err != nil {
			return err
		}
		out = it
		return nil
	})
	return out, err
}

// cloneItem returns a copy of it that shares no slice or pointer with it.
func cloneItem(it *goalpost.Item) *goalpost.Item {
	c := *it
	c.TeamIDs = slices.Clone(it.TeamIDs)
	c.OwnerIDs = slices.Clone(it.OwnerIDs)
	c.Tags = slices.Clone(it.Tags)
	if it.Score != nil {
		score := *it.Score
		c.Score = &score
	}
	return &c
}

// DeleteItem deletes an item that no other item contributes to, with its
// alignments and check-ins; the other contributors of its former parents
// are rebalanced and the parents' progress rolled up the tree.
func (s *Store) DeleteItem(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64) error {
	return s.write(ctx, orgID, func(t tx) error {
		old, err := t.findItem(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("item", old.Version, ifVersion); err != nil {
			return err
		}
		var n int64
		if _, err := t.queryRow(ctx, `SELECT count(*) FROM alignments WHERE parent_id = ?`, []any{id}, &n); err != nil {
			return fmt.Errorf("delete item: %w", err)
		}
		if n > 0 {
			return goalpost.Errorf(goalpost.ECONFLICT,
				"The item %d has %d contributing %s; they must be realigned or deleted first.", id, n, plural(n, "item", "items"))
		}
		parents, err := t.parentIDs(ctx, id)
		if err != nil {
			return err
		}
		if err := t.deleteItem(ctx, id); err != nil {
			return err
		}
		for _, p := range parents {
			if err := t.rebalanceParent(ctx, p, nil, true); err != nil {
				return err
			}
		}
		return t.rollup(ctx, orgID, parents)
	})
}

// plural returns one or many, as n asks.
func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// nextItemID returns one more than the largest item id of the deployment.
// It holds the dialect's item-id lock until the transaction ends, so call
// it again only after inserting the item that got the previous id.
func (t tx) nextItemID(ctx context.Context) (int64, error) {
	if l := t.s.d.LockItemIDs; l != "" {
		if _, err := t.exec(ctx, l); err != nil {
			return 0, fmt.Errorf("lock item ids: %w", err)
		}
	}
	var id int64
	if _, err := t.queryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM items`, nil, &id); err != nil {
		return 0, fmt.Errorf("next item id: %w", err)
	}
	return id, nil
}

// insertItem writes a new item, every column as it is (version and last
// check-in included), with its owners, teams and tags.
func (t tx) insertItem(ctx context.Context, it *goalpost.Item) error {
	d := t.s.d
	_, err := t.exec(ctx, `INSERT INTO items (id, org_id, kind, level, title, description, creator_id, period_id,
		start_date, end_date, goal_type, metric_name, metric_unit, metric_start, metric_target, metric_direction,
		current_value, progress, progress_mode, status, score, visibility, created_at, updated_at,
		last_checkin_date, last_checkin_note, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.ID, d.UUID(it.OrgID), string(it.Kind), string(it.Level), it.Title, it.Description,
		t.s.nullUUID(it.CreatorID), t.s.nullUUID(it.PeriodID), t.s.nullDate(it.StartDate), t.s.nullDate(it.EndDate),
		string(it.GoalType), it.Metric.Name, it.Metric.Unit, it.Metric.Start, it.Metric.Target, string(it.Metric.Direction),
		it.Current, it.Progress, string(it.ProgressMode), string(it.Status), nullFloat(it.Score), string(it.Visibility),
		d.Timestamp(it.CreatedAt), d.Timestamp(it.UpdatedAt), t.s.nullDate(it.LastCheckIn), it.LastCheckInNote, it.Version)
	if err != nil {
		return fmt.Errorf("create item: %w", err)
	}
	return t.insertItemLists(ctx, it)
}

// updateItem writes every column of an item but its id and organization
// (version and last check-in included), and replaces its owners, teams and
// tags.
func (t tx) updateItem(ctx context.Context, it *goalpost.Item) error {
	d := t.s.d
	_, err := t.exec(ctx, `UPDATE items SET kind = ?, level = ?, title = ?, description = ?, creator_id = ?,
		period_id = ?, start_date = ?, end_date = ?, goal_type = ?, metric_name = ?, metric_unit = ?, metric_start = ?,
		metric_target = ?, metric_direction = ?, current_value = ?, progress = ?, progress_mode = ?, status = ?,
		score = ?, visibility = ?, created_at = ?, updated_at = ?, last_checkin_date = ?, last_checkin_note = ?,
		version = ? WHERE id = ?`,
		string(it.Kind), string(it.Level), it.Title, it.Description,
		t.s.nullUUID(it.CreatorID), t.s.nullUUID(it.PeriodID), t.s.nullDate(it.StartDate), t.s.nullDate(it.EndDate),
		string(it.GoalType), it.Metric.Name, it.Metric.Unit, it.Metric.Start, it.Metric.Target, string(it.Metric.Direction),
		it.Current, it.Progress, string(it.ProgressMode), string(it.Status), nullFloat(it.Score), string(it.Visibility),
		d.Timestamp(it.CreatedAt), d.Timestamp(it.UpdatedAt), t.s.nullDate(it.LastCheckIn), it.LastCheckInNote,
		it.Version, it.ID)
	if err != nil {
		return fmt.Errorf("update item: %w", err)
	}
	for _, q := range []string{
		`DELETE FROM item_owners WHERE item_id = ?`,
		`DELETE FROM item_teams WHERE item_id = ?`,
		`DELETE FROM item_tags WHERE item_id = ?`,
	} {
		if _, err := t.exec(ctx, q, it.ID); err != nil {
			return fmt.Errorf("update item: %w", err)
		}
	}
	return t.insertItemLists(ctx, it)
}

// insertItemLists writes an item's owners, teams and tags in their order.
func (t tx) insertItemLists(ctx context.Context, it *goalpost.Item) error {
	d := t.s.d
	for i, u := range it.OwnerIDs {
		if _, err := t.exec(ctx, `INSERT INTO item_owners (item_id, user_id, position) VALUES (?, ?, ?)`, it.ID, d.UUID(u), i); err != nil {
			return fmt.Errorf("add item owner: %w", err)
		}
	}
	for i, tm := range it.TeamIDs {
		if _, err := t.exec(ctx, `INSERT INTO item_teams (item_id, team_id, position) VALUES (?, ?, ?)`, it.ID, d.UUID(tm), i); err != nil {
			return fmt.Errorf("add item team: %w", err)
		}
	}
	for i, tag := range it.Tags {
		if _, err := t.exec(ctx, `INSERT INTO item_tags (item_id, tag, position) VALUES (?, ?, ?)`, it.ID, tag, i); err != nil {
			return fmt.Errorf("add item tag: %w", err)
		}
	}
	return nil
}

// deleteItem deletes an item with its owners, teams, tags, alignments (to
// its parents and from its contributors) and check-ins, checking nothing
// and rebalancing nothing.
func (t tx) deleteItem(ctx context.Context, id int64) error {
	for _, q := range []string{
		`DELETE FROM alignments WHERE child_id = ?`,
		`DELETE FROM alignments WHERE parent_id = ?`,
		`DELETE FROM checkins WHERE item_id = ?`,
		`DELETE FROM item_owners WHERE item_id = ?`,
		`DELETE FROM item_teams WHERE item_id = ?`,
		`DELETE FROM item_tags WHERE item_id = ?`,
		`DELETE FROM items WHERE id = ?`,
	} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return fmt.Errorf("delete item: %w", err)
		}
	}
	return nil
}

// nullFloat returns a nullable number's column value.
func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
