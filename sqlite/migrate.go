package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"github.com/goalpost/goalpost/migration"
	"log/slog"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrationFS holds goalpost's migrations: NNNN_name.sql, applied in order of
// NNNN. A PostgreSQL store keeps a twin of each file under the same name.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations are the embedded migrations in order, read once.
var migrations = migration.MustRead(migrationFS, "migrations")

// migrate applies goalpost's pending migrations, each in its own transaction
// together with its row in goalpost_migrations, and then River's. Running it
// again is a no-op. Concurrent runs by several processes are safe: each
// transaction begins IMMEDIATE and rechecks the version inside.
func migrate(ctx context.Context, db *sql.DB, logger *slog.Logger) error {
	if _, err := db.ExecContext(ctx, `
		CREATE TABLE IF NOT EXISTS goalpost_migrations (
			version    INTEGER NOT NULL PRIMARY KEY,
			name       TEXT    NOT NULL,
			applied_at INTEGER NOT NULL
		) STRICT`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range migrations {
		if err := applyMigration(ctx, db, m, logger); err != nil {
			return err
		}
	}
	migrator, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// applyMigration applies m unless it is recorded as applied.
func applyMigration(ctx context.Context, db *sql.DB, m migration.File, logger *slog.Logger) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM goalpost_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO goalpost_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	logger.InfoContext(ctx, "applied migration", "version", m.Version, "name", m.Name)
	return nil
}
