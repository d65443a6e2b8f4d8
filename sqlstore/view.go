package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// viewColumns are the columns scanView reads, in its order. The filter and
// the export settings are JSON text (jsonb in PostgreSQL), as the stores'
// datasets write them.
const viewColumns = `id, org_id, name, visibility, creator_id, filter_json, top_level_only, export_json, created_at, version`

func scanView(r Rows) (*goalpost.ExplorerView, error) {
	var v goalpost.ExplorerView
	var filter, export string
	if err := r.Scan(uuidCol{&v.ID}, uuidCol{&v.OrgID}, &v.Name, &v.Visibility, uuidCol{&v.CreatorID}, &filter,
		boolCol{&v.TopLevelOnly}, &export, timeCol{&v.CreatedAt}, &v.Version); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(filter), &v.Filter); err != nil {
		return nil, fmt.Errorf("view %s filter: %w", v.ID, err)
	}
	if err := json.Unmarshal([]byte(export), &v.Export); err != nil {
		return nil, fmt.Errorf("view %s export settings: %w", v.ID, err)
	}
	return &v, nil
}

// viewJSON returns a view's filter and export settings as the JSON text
// their columns keep.
func viewJSON(v *goalpost.ExplorerView) (filter, export string, err error) {
	f, err := json.Marshal(v.Filter)
	if err != nil {
		return "", "", fmt.Errorf("view %s filter: %w", v.ID, err)
	}
	e, err := json.Marshal(v.Export)
	if err != nil {
		return "", "", fmt.Errorf("view %s export settings: %w", v.ID, err)
	}
	return string(f), string(e), nil
}

// ListViews lists the views of an organization that viewerID may use, the
// public ones and their own private ones, by id.
func (s *Store) ListViews(ctx context.Context, orgID, viewerID uuid.UUID, p goalpost.Page) ([]*goalpost.ExplorerView, error) {
	after, err := afterUUID(p)
	if err != nil {
		return nil, err
	}
	var out []*goalpost.ExplorerView
	err = s.read(ctx, func(t tx) error {
		if err := t.orgExists(ctx, orgID); err != nil {
			return err
		}
		out, err = queryAll(ctx, t, scanView, `SELECT `+viewColumns+` FROM explorer_views
			WHERE org_id = ? AND (visibility = ? OR creator_id = ?) AND id > ? ORDER BY id LIMIT ?`,
			s.d.UUID(orgID), string(goalpost.ViewPublic), s.d.UUID(viewerID), s.d.UUID(after), p.Size())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list views: %w", err)
	}
	return out, nil
}

func (t tx) findView(ctx context.Context, orgID, id uuid.UUID) (*goalpost.ExplorerView, error) {
	vs, err := queryAll(ctx, t, scanView, `SELECT `+viewColumns+` FROM explorer_views WHERE org_id = ? AND id = ?`,
		t.s.d.UUID(orgID), t.s.d.UUID(id))
	if err != nil {
		return nil, fmt.Errorf("find view: %w", err)
	}
	if len(vs) == 0 {
		return nil, notFound("view", id)
	}
	return vs[0], nil
}

// viewsOf returns all views of an organization by id, private ones
// included.
func (t tx) viewsOf(ctx context.Context, orgID uuid.UUID) ([]*goalpost.ExplorerView, error) {
	vs, err := queryAll(ctx, t, scanView, `SELECT `+viewColumns+` FROM explorer_views WHERE org_id = ? ORDER BY id`,
		t.s.d.UUID(orgID))
	if err != nil {
		return nil, fmt.Errorf("read views: %w", err)
	}
	return vs, nil
}

// CreateView creates a view; a zero ID is assigned and a zero CreatedAt is
// now. Its creator must be a member of the organization; the time periods,
// teams and people its filter names are not checked (a filter naming
// something that does not exist matches nothing).
func (s *Store) CreateView(ctx context.Context, v *goalpost.ExplorerView) error {
	if v.ID == uuid.Nil {
		v.ID = uuid.New()
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = now()
	}
	v.Version = 1
	if err := goalpost.ValidateView(v); err != nil {
		return err
	}
	return s.write(ctx, v.OrgID, func(t tx) error {
		if v.CreatorID == uuid.Nil {
			return &goalpost.Error{Code: goalpost.EINVALID, Target: "creatorId", Message: "A view needs a creator."}
		}
		if err := t.checkMembers(ctx, v.OrgID, "creatorId", "The view's creator", []uuid.UUID{v.CreatorID}); err != nil {
			return err
		}
		return t.insertView(ctx, v)
	})
}

// insertView writes a new view, every column as given.
func (t tx) insertView(ctx context.Context, v *goalpost.ExplorerView) error {
	filter, export, err := viewJSON(v)
	if err != nil {
		return fmt.Errorf("create view: %w", err)
	}
	d := t.s.d
	_, err = t.exec(ctx, `INSERT INTO explorer_views (`+viewColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.UUID(v.ID), d.UUID(v.OrgID), v.Name, string(v.Visibility), t.s.nullUUID(v.CreatorID), filter,
		d.Bool(v.TopLevelOnly), export, d.Timestamp(v.CreatedAt), v.Version)
	if err != nil {
		return fmt.Errorf("create view: %w", err)
	}
	return nil
}

// updateView writes every column of a view but its id and organization,
// its version included.
func (t tx) updateView(ctx context.Context, v *goalpost.ExplorerView) error {
	filter, export, err := viewJSON(v)
	if err != nil {
		return fmt.Errorf("update view: %w", err)
	}
	d := t.s.d
	_, err = t.exec(ctx, `UPDATE explorer_views SET name = ?, visibility = ?, creator_id = ?, filter_json = ?,
		top_level_only = ?, export_json = ?, created_at = ?, version = ? WHERE id = ?`,
		v.Name, string(v.Visibility), t.s.nullUUID(v.CreatorID), filter, d.Bool(v.TopLevelOnly), export,
		d.Timestamp(v.CreatedAt), v.Version, d.UUID(v.ID))
	if err != nil {
		return fmt.Errorf("update view: %w", err)
	}
	return nil
}

// UpdateView edits a view; its creator and creation time stay.
func (s *Store) UpdateView(ctx context.Context, orgID, id uuid.UUID, ifVersion int64, fn func(*goalpost.ExplorerView) error) (*goalpost.ExplorerView, error) {
	var out *goalpost.ExplorerView
	err := s.write(ctx, orgID, func(t tx) error {
		old, err := t.findView(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("view", old.Version, ifVersion); err != nil {
			return err
		}
		v := *old
		if err := fn(&v); err != nil {
			return err
		}
		v.ID, v.OrgID, v.CreatorID, v.CreatedAt, v.Version = old.ID, old.OrgID, old.CreatorID, old.CreatedAt, old.Version+1
		if err := goalpost.ValidateView(&v); err != nil {
			return err
		}
		if err := t.updateView(ctx, &v); err != nil {
			return err
		}
		out = &v
		return nil
	})
	return out, err
}

// DeleteView deletes a view. Its export jobs are left alone: a pending one
// fails when it runs, finished ones expire.
func (s *Store) DeleteView(ctx context.Context, orgID, id uuid.UUID, ifVersion int64) error {
	return s.write(ctx, orgID, func(t tx) error {
		old, err := t.findView(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkVersion("view", old.Version, ifVersion); err != nil {
			return err
		}
		return t.deleteView(ctx, id)
	})
}

// deleteView deletes a view, checking nothing.
func (t tx) deleteView(ctx context.Context, id uuid.UUID) error {
	if _, err := t.exec(ctx, `DELETE FROM explorer_views WHERE id = ?`, t.s.d.UUID(id)); err != nil {
		return fmt.Errorf("delete view: %w", err)
	}
	return nil
}
