package sqlite

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// DeleteOrganization deletes an organization with everything in it (teams,
// periods, items, views, export jobs), and the users who belonged to no
// other organization, in one transaction. Export content of its jobs
// becomes unreferenced; cleanup deletes it.
func (s *Store) DeleteOrganization(ctx context.Context, id uuid.UUID) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	defer tx.Rollback()
	// Remember the members: those left without any membership afterwards
	// were the organization's own users.
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS deleted_org_members (user_id TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM deleted_org_members`); err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO deleted_org_members SELECT user_id FROM memberships WHERE org_id = ?`, id.String()); err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM organizations WHERE id = ?`, id.String())
	if err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return goalpost.ErrOrganizationNotFound
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id IN (SELECT user_id FROM deleted_org_members)
		AND id NOT IN (SELECT user_id FROM memberships)`); err != nil {
		return fmt.Errorf("delete organization users: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete organization: %w", err)
	}
	return nil
}
