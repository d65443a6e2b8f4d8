package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// migrationFS holds goalpost's migrations: NNNN_name.sql, applied in order of
// NNNN. A PostgreSQL store keeps a twin of each file under the same name.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded migration file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded migrations in order, read once.
var migrations = mustReadMigrations(migrationFS)

// mustReadMigrations reads NNNN_name.sql files and checks that their versions
// run 1, 2, 3, … without gaps, so that a misnamed file fails every test.
func mustReadMigrations(fsys fs.FS) []migration {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	var ms []migration
	for _, name := range names { // fs.Glob returns names sorted
		base := strings.TrimSuffix(path.Base(name), ".sql")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 {
			panic(fmt.Sprintf("sqlite: migration %s is not named NNNN_name.sql", name))
		}
		if v != len(ms)+1 {
			panic(fmt.Sprintf("sqlite: migration %s: want version %d", name, len(ms)+1))
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	if len(ms) == 0 {
		panic("sqlite: no migrations embedded")
	}
	return ms
}

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
func applyMigration(ctx context.Context, db *sql.DB, m migration, logger *slog.Logger) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM goalpost_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO goalpost_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	logger.InfoContext(ctx, "applied migration", "version", m.version, "name", m.name)
	return nil
}
