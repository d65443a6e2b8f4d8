package postgres

import (
	"context"
	"embed"
	"fmt"
	"github.com/goalpost/goalpost/migration"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// migrationFS holds goalpost's migrations: NNNN_name.sql, applied in order of
// NNNN, each the twin of the SQLite migration of the same name (a test
// keeps the two sets in step).
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations are the embedded migrations in order, read once.
var migrations = migration.MustRead(migrationFS, "migrations")

// migrationLock is the first key of the advisory lock that serializes
// migrations; the second is a hash of the schema migrated, so that
// schemas (one per test, say) migrate independently.
const migrationLock = 0x60a1_9057 // "goalpost"

// migrate applies goalpost's pending migrations and then River's. Running it
// again is a no-op, and several processes may run it at once on one
// database: whoever takes the advisory lock first migrates, the others wait
// for it and then find nothing to do.
//
// The lock is a transaction lock (pg_advisory_xact_lock) taken by a
// transaction on a connection of its own, outside the pool. goalpost's
// migrations run in that transaction, each recorded in goalpost_migrations,
// so that they apply all or nothing. River's migrator runs each of its
// migrations in a transaction of its own on the pool, which is why the
// lock's transaction stays open, and goalpost's migrations uncommitted,
// until River is done too: a failure anywhere leaves the database as it was
// before, but for River migrations already committed, which River records.
func migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))`, migrationLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS goalpost_migrations (
			version    integer     NOT NULL PRIMARY KEY,
			name       text        NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var applied int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM goalpost_migrations`).Scan(&applied); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range migrations[min(applied, len(migrations)):] {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO goalpost_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		logger.InfoContext(ctx, "applied migration", "version", m.Version, "name", m.Name)
	}

	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
