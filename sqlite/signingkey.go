package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// LoadOrCreateSigningKey returns the stored signing key or, when there is
// none, stores generate's result and returns it. Concurrent callers, in this
// process or others, all get the key that was stored first: the insert does
// nothing when a key exists, and the key is read back after it.
func (s *Store) LoadOrCreateSigningKey(ctx context.Context, generate func() ([]byte, error)) ([]byte, error) {
	key, err := loadSigningKey(ctx, s.read)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return key, err
	}
	generated, err := generate()
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	if len(generated) == 0 {
		return nil, errors.New("generate signing key: empty key")
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO signing_key (id, key, created_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO NOTHING`, generated, time.Now().UnixMilli()); err != nil {
		return nil, fmt.Errorf("store signing key: %w", err)
	}
	// Ours or, when another process stored one first, theirs. The write
	// pool sees every commit.
	return loadSigningKey(ctx, s.write)
}

// loadSigningKey reads the key; the error wraps sql.ErrNoRows when there is
// none.
func loadSigningKey(ctx context.Context, db *sql.DB) ([]byte, error) {
	var key []byte
	if err := db.QueryRowContext(ctx, `SELECT key FROM signing_key WHERE id = 1`).Scan(&key); err != nil {
		return nil, fmt.Errorf("load signing key: %w", err)
	}
	return key, nil
}
