package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// LoadOrCreateSigningKey returns the stored signing key or, when there is
// none, stores generate's result and returns it. Concurrent callers on any
// node all get the key that was stored first: the insert does nothing when a
// key exists (ON CONFLICT DO NOTHING waits for a concurrent insert of the
// row to commit or roll back), and the key is read back after it.
func (s *Store) LoadOrCreateSigningKey(ctx context.Context, generate func() ([]byte, error)) ([]byte, error) {
	key, err := s.loadSigningKey(ctx)
	if err == nil || !errors.Is(err, pgx.ErrNoRows) {
		return key, err
	}
	generated, err := generate()
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	if len(generated) == 0 {
		return nil, errors.New("generate signing key: empty key")
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO signing_key (id, key, created_at) VALUES (1, $1, now())
		ON CONFLICT (id) DO NOTHING`, generated); err != nil {
		return nil, fmt.Errorf("store signing key: %w", err)
	}
	// Ours or, when another node stored one first, theirs.
	return s.loadSigningKey(ctx)
}

// loadSigningKey reads the key; the error wraps pgx.ErrNoRows when there is
// none.
func (s *Store) loadSigningKey(ctx context.Context) ([]byte, error) {
	var key []byte
	if err := s.pool.QueryRow(ctx, `SELECT key FROM signing_key WHERE id = 1`).Scan(&key); err != nil {
		return nil, fmt.Errorf("load signing key: %w", err)
	}
	return key, nil
}
