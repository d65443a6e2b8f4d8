package sqlstore

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// checkInColumns are the columns scanCheckIn reads, in its order, of the
// checkins table aliased c.
const checkInColumns = `c.id, c.item_id, c.checkin_date, c.user_id, c.note, c.status, c.value, c.activity_at, c.version`

// newestFirst is the order of an item's check-ins, newest first; the
// first is the one the item shows.
const newestFirst = `c.checkin_date DESC, c.activity_at DESC, c.id DESC`

func scanCheckIn(r Rows) (*goalpost.CheckIn, error) {
	var c goalpost.CheckIn
	err := r.Scan(&c.ID, &c.ItemID, dateCol{&c.Date}, uuidCol{&c.UserID}, &c.Note, &c.Status, &c.Value,
		timeCol{&c.ActivityAt}, &c.Version)
	return &c, err
}

// ListCheckIns lists an item's check-ins newest first: by date, then
// activity time, then id, all descending. A page's After is the id of the
// last check-in of the previous page; the list goes on after that
// check-in's place in the order.
func (s *Store) ListCheckIns(ctx context.Context, orgID uuid.UUID, itemID int64, p goalpost.Page) ([]*goalpost.CheckIn, error) {
	after, err := afterInt(p)
	if err != nil {
		return nil, err
	}
	var out []*goalpost.CheckIn
	err = s.read(ctx, func(t tx) error {
		if err := t.orgExists(ctx, orgID); err != nil {
			return err
		}
		if err := t.itemExists(ctx, orgID, itemID); err != nil {
			return err
		}
		if p.After == "" {
			out, err = queryAll(ctx, t, scanCheckIn, `SELECT `+checkInColumns+` FROM checkins c
				WHERE c.item_id = ? ORDER BY `+newestFirst+` LIMIT ?`, itemID, p.Size())
			return err
		}
		var last goalpost.CheckIn
		ok, err := t.queryRow(ctx, `SELECT checkin_date, activity_at FROM checkins WHERE id = ? AND item_id = ?`,
			[]any{after, itemID}, dateCol{&last.Date}, timeCol{&last.ActivityAt})
		if err != nil {
			return err
		}
		if !ok {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "$skiptoken",
				Message: "The page token is not valid: the check-in it continues after no longer exists."}
		}
		out, err = queryAll(ctx, t, scanCheckIn, `SELECT `+checkInColumns+` FROM checkins c
			WHERE c.item_id = ? AND (c.checkin_date, c.activity_at, c.id) < (?, ?, ?)
			ORDER BY `+newestFirst+` LIMIT ?`,
			itemID, s.d.Date(last.Date), s.d.Timestamp(last.ActivityAt), after, p.Size())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list check-ins: %w", err)
	}
	return out, nil
}

// FindCheckIn returns a check-in of one of the organization's items.
func (s *Store) FindCheckIn(ctx context.Context, orgID uuid.UUID, id int64) (*goalpost.CheckIn, error) {
	var out *goalpost.CheckIn
	err := s.read(ctx, func(t tx) (err error) {
		out, err = t.findCheckIn(ctx, orgID, id)
		return err
	})
	return out, err
}

func (t tx) findCheckIn(ctx context.Context, orgID uuid.UUID, id int64) (*goalpost.CheckIn, error) {
	cs, err := queryAll(ctx, t, scanCheckIn, `SELECT `+checkInColumns+` FROM checkins c
		JOIN items i ON i.id = c.item_id WHERE i.org_id = ? AND c.id = ?`, t.s.d.UUID(orgID), id)
	if err != nil {
		return nil, fmt.Errorf("find check-in: %w", err)
	}
	if len(cs) == 0 {
		return nil, notFound("check-in", id)
	}
	return cs[0], nil
}

// newestCheckIn returns an item's newest check-in, or nil when it has none.
func (t tx) newestCheckIn(ctx context.Context, itemID int64) (*goalpost.CheckIn, error) {
	cs, err := queryAll(ctx, t, scanCheckIn, `SELECT `+checkInColumns+` FROM checkins c
		WHERE c.item_id = ? ORDER BY `+newestFirst+` LIMIT 1`, itemID)
	if err != nil {
		return nil, fmt.Errorf("newest check-in: %w", err)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	return cs[0], nil
}

// checkInsOf returns all check-ins of an organization's items, by id.
func (t tx) checkInsOf(ctx context.Context, orgID uuid.UUID) ([]*goalpost.CheckIn, error) {
	cs, err := queryAll(ctx, t, scanCheckIn, `SELECT `+checkInColumns+` FROM checkins c
		JOIN items i ON i.id = c.item_id WHERE i.org_id = ? ORDER BY c.id`, t.s.d.UUID(orgID))
	if err != nil {
		return nil, fmt.Errorf("read check-ins: %w", err)
	}
	return cs, nil
}

// CreateCheckIn records a check-in: a zero ID is one more than the largest
// check-in id of the deployment, a zero ActivityAt is now. In the same
// transaction the item follows its newest check-in (see followNewest).
func (s *Store) CreateCheckIn(ctx context.Context, orgID uuid.UUID, c *goalpost.CheckIn) error {
	if c.ID < 0 {
		return &goalpost.Error{Code: goalpost.EINVALID, Target: "id", Message: "A check-in id must be a positive number."}
	}
	if c.ActivityAt.IsZero() {
		c.ActivityAt = now()
	}
	c.ActivityAt = millis(c.ActivityAt)
	c.Version = 1
	if err := validateCheckIn(c); err != nil {
		return err
	}
	return s.write(ctx, orgID, func(t tx) error {
		if err := t.itemExists(ctx, orgID, c.ItemID); err != nil {
			return err
		}
		if err := t.checkCheckInUser(ctx, orgID, c); err != nil {
			return err
		}
		before, err := t.newestCheckIn(ctx, c.ItemID)
		if err != nil {
			return err
		}
		if c.ID == 0 {
			if c.ID, err = t.nextCheckInID(ctx); err != nil {
				return err
			}
		}
		if err := t.insertCheckIn(ctx, c); err != nil {
			return err
		}
		return t.followNewest(ctx, orgID, c.ItemID, before)
	})
}

// validateCheckIn checks what needs no database: the domain's rules and a
// user who checks in.
func validateCheckIn(c *goalpost.CheckIn) error {
	if err := goalpost.ValidateCheckIn(c); err != nil {
		return err
	}
	if c.UserID == uuid.Nil {
		return &goalpost.Error{Code: goalpost.EINVALID, Target: "userId", Message: "The user who checks in is required."}
	}
	return nil
}

// checkCheckInUser fails with EINVALID unless the check-in's user is a
// member of the organization.
func (t tx) checkCheckInUser(ctx context.Context, orgID uuid.UUID, c *goalpost.CheckIn) error {
	return t.checkMembers(ctx, orgID, "userId", "The user", []uuid.UUID{c.UserID})
}

// checkInToWrite returns a check-in of the organization that is at
// ifVersion (see checkVersion), and the newest check-in of its item before
// the write, for followNewest.
func (t tx) checkInToWrite(ctx context.Context, orgID uuid.UUID, id, ifVersion int64) (old, before *goalpost.CheckIn, err error) {
	if old, err = t.findCheckIn(ctx, orgID, id); err != nil {
		return nil, nil, err
	}
	if err := checkVersion("check-in", old.Version, ifVersion); err != nil {
		return nil, nil, err
	}
	if before, err = t.newestCheckIn(ctx, old.ItemID); err != nil {
		return nil, nil, err
	}
	return old, before, nil
}

// UpdateCheckIn edits a check-in (its id and item are kept); the item
// follows its newest check-in.
func (s *Store) UpdateCheckIn(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64, fn func(*goalpost.CheckIn) error) (*goalpost.CheckIn, error) {
	var out *goalpost.CheckIn
	err := s.write(ctx, orgID, func(t tx) error {
		old, before, err := t.checkInToWrite(ctx, orgID, id, ifVersion)
		if err != nil {
			return err
		}
		c := *old
		if err := fn(&c); err != nil {
			return err
		}
		c.ID, c.ItemID, c.Version = old.ID, old.ItemID, old.Version+1
		c.ActivityAt = millis(c.ActivityAt)
		if err := validateCheckIn(&c); err != nil {
			return err
		}
		if c.UserID != old.UserID {
			if err := t.checkCheckInUser(ctx, orgID, &c); err != nil {
				return err
			}
		}
		if err := t.updateCheckIn(ctx, &c); err != nil {
			return err
		}
		if err := t.followNewest(ctx, orgID, c.ItemID, before); err != nil {
			return err
		}
		out = &c
		return nil
	})
	return out, err
}

// DeleteCheckIn deletes a check-in; the item follows its newest remaining
// check-in.
func (s *Store) DeleteCheckIn(ctx context.Context, orgID uuid.UUID, id int64, ifVersion int64) error {
	return s.write(ctx, orgID, func(t tx) error {
		old, before, err := t.checkInToWrite(ctx, orgID, id, ifVersion)
		if err != nil {
			return err
		}
		if err := t.deleteCheckIn(ctx, id); err != nil {
			return err
		}
		return t.followNewest(ctx, orgID, old.ItemID, before)
	})
}

// followNewest brings an item up to date after one of its check-ins was
// written: before is the newest check-in before the write (nil when there
// was none). The item's last check-in date and note always follow the
// newest check-in. When the newest check-in is another one than before, or
// the same one edited, the item also takes its status and, in manual
// mode, its value as the current value and the progress that value stands
// for; a rolled-up item keeps its rolled-up progress and value. A check-in
// written behind the newest one leaves the item's figures alone, so an
// edit of the item since its last check-in stays.
func (t tx) followNewest(ctx context.Context, orgID uuid.UUID, itemID int64, before *goalpost.CheckIn) error {
	after, err := t.newestCheckIn(ctx, itemID)
	if err != nil {
		return err
	}
	changed := after != nil && !sameCheckIn(before, after)
	return t.applyNewest(ctx, orgID, itemID, after, changed)
}

// sameCheckIn reports whether a and b are the same check-in with the same
// contents; nil is no check-in.
func sameCheckIn(a, b *goalpost.CheckIn) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ID == b.ID && a.ItemID == b.ItemID && a.Date == b.Date && a.UserID == b.UserID && a.Note == b.Note &&
		a.Status == b.Status && a.Value == b.Value && a.ActivityAt.Equal(b.ActivityAt) && a.Version == b.Version
}

// applyNewest sets an item's last check-in from newest and, with
// takeValues, its status, current value and progress (see followNewest);
// it writes the item, with a new version and update time, only when one of
// them changed, and then rolls its progress up to its parents.
func (t tx) applyNewest(ctx context.Context, orgID uuid.UUID, itemID int64, newest *goalpost.CheckIn, takeValues bool) error {
	var it goalpost.Item
	m := &it.Metric
	ok, err := t.queryRow(ctx, `SELECT progress_mode, metric_name, metric_unit, metric_start, metric_target,
		metric_direction, current_value, progress, status, score, last_checkin_date, last_checkin_note, version
		FROM items WHERE id = ?`, []any{itemID},
		&it.ProgressMode, &m.Name, &m.Unit, &m.Start, &m.Target, &m.Direction, &it.Current, &it.Progress, &it.Status,
		&it.Score, dateCol{&it.LastCheckIn}, &it.LastCheckInNote, &it.Version)
	if err != nil {
		return fmt.Errorf("refresh item from check-ins: %w", err)
	}
	if !ok {
		return notFound("item", itemID)
	}
	next := it
	next.LastCheckIn, next.LastCheckInNote = goalpost.Date{}, ""
	if newest != nil {
		next.LastCheckIn, next.LastCheckInNote = newest.Date, newest.Note
		if takeValues {
			next.Status = newest.Status
			if next.Status != goalpost.StatusClosed {
				next.Score = nil // only a closed item has a score
			}
			if next.ProgressMode != goalpost.ProgressRollup {
				next.Current = newest.Value
				next.Progress = next.Metric.ProgressOf(newest.Value)
			}
		}
	}
	scoreSame := (it.Score == nil) == (next.Score == nil) && (it.Score == nil || *it.Score == *next.Score)
	if next.LastCheckIn == it.LastCheckIn && next.LastCheckInNote == it.LastCheckInNote && next.Status == it.Status &&
		next.Current == it.Current && next.Progress == it.Progress && scoreSame {
		return nil
	}
	next.Version++
	if _, err := t.exec(ctx, `UPDATE items SET current_value = ?, progress = ?, status = ?, score = ?,
		last_checkin_date = ?, last_checkin_note = ?, version = ?, updated_at = ? WHERE id = ?`,
		next.Current, next.Progress, string(next.Status), nullFloat(next.Score), t.s.nullDate(next.LastCheckIn),
		next.LastCheckInNote, next.Version, t.s.d.Timestamp(now()), itemID); err != nil {
		return fmt.Errorf("refresh item from check-ins: %w", err)
	}
	if next.Progress == it.Progress {
		return nil
	}
	parents, err := t.parentIDs(ctx, itemID)
	if err != nil {
		return err
	}
	return t.rollup(ctx, orgID, parents)
}

// nextCheckInID returns one more than the largest check-in id of the
// deployment. It holds the dialect's check-in-id lock until the
// transaction ends, so call it again only after inserting the check-in
// that got the previous id.
func (t tx) nextCheckInID(ctx context.Context) (int64, error) {
	if l := t.s.d.LockCheckInIDs; l != "" {
		if _, err := t.exec(ctx, l); err != nil {
			return 0, fmt.Errorf("lock check-in ids: %w", err)
		}
	}
	var id int64
	if _, err := t.queryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM checkins`, nil, &id); err != nil {
		return 0, fmt.Errorf("next check-in id: %w", err)
	}
	return id, nil
}

// insertCheckIn writes a new check-in as it is, version included.
func (t tx) insertCheckIn(ctx context.Context, c *goalpost.CheckIn) error {
	_, err := t.exec(ctx, `INSERT INTO checkins (id, item_id, checkin_date, user_id, note, status, value, activity_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.ItemID, t.s.d.Date(c.Date), t.s.nullUUID(c.UserID), c.Note, string(c.Status), c.Value,
		t.s.d.Timestamp(c.ActivityAt), c.Version)
	if err != nil {
		return fmt.Errorf("create check-in: %w", err)
	}
	return nil
}

// updateCheckIn writes every column of a check-in but its id and item.
func (t tx) updateCheckIn(ctx context.Context, c *goalpost.CheckIn) error {
	_, err := t.exec(ctx, `UPDATE checkins SET checkin_date = ?, user_id = ?, note = ?, status = ?, value = ?,
		activity_at = ?, version = ? WHERE id = ?`,
		t.s.d.Date(c.Date), t.s.nullUUID(c.UserID), c.Note, string(c.Status), c.Value,
		t.s.d.Timestamp(c.ActivityAt), c.Version, c.ID)
	if err != nil {
		return fmt.Errorf("update check-in: %w", err)
	}
	return nil
}

// deleteCheckIn deletes a check-in, leaving its item as it is.
func (t tx) deleteCheckIn(ctx context.Context, id int64) error {
	if _, err := t.exec(ctx, `DELETE FROM checkins WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete check-in: %w", err)
	}
	return nil
}
