package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/goalpost/goalpost"
)

// DeleteOrganization deletes an organization with everything in it (teams,
// periods, items, views, export jobs), and the users who belonged to no
// other organization, in one transaction. Export content of its jobs
// becomes unreferenced; cleanup deletes it.
func (s *Store) DeleteOrganization(ctx context.Context, id uuid.UUID) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Remember the members: those left without any membership
		// afterwards were the organization's own users.
		var members []uuid.UUID
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(user_id), '{}') FROM memberships WHERE org_id = $1`, id).Scan(&members); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM organizations WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return goalpost.ErrOrganizationNotFound
		}
		// ON DELETE actions run at once, deferrable or not: the
		// organization's memberships are gone.
		if _, err := tx.Exec(ctx, `DELETE FROM users u WHERE u.id = ANY($1)
			AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`, members); err != nil {
			return fmt.Errorf("users: %w", err)
		}
		return nil
	})
	if err != nil && goalpost.ErrorCode(err) == goalpost.EINTERNAL {
		return fmt.Errorf("delete organization: %w", err)
	}
	return err
}
