package sqlstore

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

const periodColumns = `id, org_id, name, start_date, end_date, version`

func scanPeriod(r Rows) (*goalpost.TimePeriod, error) {
	var p goalpost.TimePeriod
	err := r.Scan(uuidCol{&p.ID}, uuidCol{&p.OrgID}, &p.Name, dateCol{&p.Start}, dateCol{&p.End}, &p.Version)
	return &p, err
}

// ListTimePeriods lists an organization's time periods by id.
func (s *Store) ListTimePeriods(ctx context.Context, orgID uuid.UUID, p goalpost.Page) ([]*goalpost.TimePeriod, error) {
	after, err := afterUUID(p)
	if err != nil {
		return nil, err
	}
	var out []*goalpost.TimePeriod
	err = s.read(ctx, func(t tx) error {
		if err := t.orgExists(ctx, orgID); err != nil {
			return err
		}
		out, err = queryAll(ctx, t, scanPeriod, `SELECT `+periodColumns+` FROM time_periods
			WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?`, s.d.UUID(orgID), s.d.UUID(after), p.Size())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list time periods: %w", err)
	}
	return out, nil
}

// FindTimePeriod returns one time period of an organization.
func (s *Store) FindTimePeriod(ctx context.Context, orgID, id uuid.UUID) (*goalpost.TimePeriod, error) {
	var out *goalpost.TimePeriod
	err := s.read(ctx, func(t tx) (err error) {
		out, err = t.findPeriod(ctx, orgID, id)
		return err
	})
	return out, err
}

func (t tx) findPeriod(ctx context.Context, orgID, id uuid.UUID) (*goalpost.TimePeriod, error) {
	ps, err := queryAll(ctx, t, scanPeriod, `SELECT `+periodColumns+` FROM time_periods WHERE org_id = ? AND id = ?`,
		t.s.d.UUID(orgID), t.s.d.UUID(id))
	if err != nil {
		return nil, fmt.Errorf("find time period: %w", err)
	}
	if len(ps) == 0 {
		return nil, notFound("time period", id)
	}
	return ps[0], nil
}

// CreateTimePeriod creates a time period; a zero ID is assigned.
func (s *Store) CreateTimePeriod(ctx context.Context, p *goalpost.TimePeriod) error {
	if p.ID == uuid.Nil {
		p.ID = uuid.New()
	}
	p.Version = 1
	if err := goalpost.ValidateTimePeriod(p); err != nil {
		return err
	}
	return s.write(ctx, p.OrgID, func(t tx) error { return t.insertPeriod(ctx, p) })
}

func (t tx) insertPeriod(ctx context.Context, p *goalpost.TimePeriod) error {
	d := t.s.d
	_, err := t.exec(ctx, `INSERT INTO time_periods (id, org_id, name, start_date, end_date, version) VALUES (?, ?, ?, ?, ?, ?)`,
		d.UUID(p.ID), d.UUID(p.OrgID), p.Name, t.s.nullDate(p.Start), t.s.nullDate(p.End), p.Version)
	if err != nil {
		return fmt.Errorf("create time period: %w", err)
	}
	return nil
}

// UpdateTimePeriod edits a time period.
func (s *Store) UpdateTimePeriod(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*goalpost.TimePeriod) error) (*goalpost.TimePeriod, error) {
	var out *goalpost.TimePeriod
	err := s.write(ctx, orgID, func(t tx) error {
		old, err := t.findPeriod(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("time period", old.Version, ifVersion); err != nil {
			return err
		}
		p := *old
		if err := fn(&p); err != nil {
			return err
		}
		p.ID, p.OrgID, p.Version = old.ID, old.OrgID, old.Version+1
		if err := goalpost.ValidateTimePeriod(&p); err != nil {
			return err
		}
		if err := t.updatePeriod(ctx, &p); err != nil {
			return err
		}
		out = &p
		return nil
	})
	return out, err
}

func (t tx) updatePeriod(ctx context.Context, p *goalpost.TimePeriod) error {
	_, err := t.exec(ctx, `UPDATE time_periods SET name = ?, start_date = ?, end_date = ?, version = ? WHERE id = ?`,
		p.Name, t.s.nullDate(p.Start), t.s.nullDate(p.End), p.Version, t.s.d.UUID(p.ID))
	if err != nil {
		return fmt.Errorf("update time period: %w", err)
	}
	return nil
}

// DeleteTimePeriod deletes a time period no item is in.
func (s *Store) DeleteTimePeriod(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error {
	return s.write(ctx, orgID, func(t tx) error {
		old, err := t.findPeriod(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("time period", old.Version, ifVersion); err != nil {
			return err
		}
		var n int64
		if _, err := t.queryRow(ctx, `SELECT count(*) FROM items WHERE period_id = ?`, []any{t.s.d.UUID(id)}, &n); err != nil {
			return fmt.Errorf("delete time period: %w", err)
		}
		if n > 0 {
			return goalpost.Errorf(goalpost.ECONFLICT, "The time period %q has %d items; move them to another period first.", old.Name, n)
		}
		return t.deletePeriod(ctx, id)
	})
}

// deletePeriod deletes a time period, checking nothing.
func (t tx) deletePeriod(ctx context.Context, id uuid.UUID) error {
	if _, err := t.exec(ctx, `DELETE FROM time_periods WHERE id = ?`, t.s.d.UUID(id)); err != nil {
		return fmt.Errorf("delete time period: %w", err)
	}
	return nil
}

// orgExists fails with ENOTFOUND when the organization does not exist.
func (t tx) orgExists(ctx context.Context, orgID uuid.UUID) error {
	var n int64
	if _, err := t.queryRow(ctx, `SELECT count(*) FROM organizations WHERE id = ?`, []any{t.s.d.UUID(orgID)}, &n); err != nil {
		return err
	}
	if n == 0 {
		return goalpost.ErrOrganizationNotFound
	}
	return nil
}
