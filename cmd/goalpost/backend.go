package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth"
	"github.com/goalpost/goalpost/jobs"
	"github.com/goalpost/goalpost/postgres"
	"github.com/goalpost/goalpost/sqlite"
)

// backend is a deployment's database: the store, and River on the same
// database so that a job and its work are written in one transaction.
type backend struct {
	kind  string // "sqlite" or "postgres"
	store interface {
		goalpost.Store
		Ping(context.Context) error
		Close() error
	}
	// newRunner makes the River runner of this process and wires the
	// store's transactional enqueue to it.
	newRunner func(cfg jobs.Config) (runner, error)
}

// runner is a jobs.Runner of either driver.
type runner interface {
	Start(context.Context) error
	Stop(context.Context) error
}

// isPostgres reports whether --db names a PostgreSQL database.
func (d *dataFlags) isPostgres() bool {
	return strings.HasPrefix(d.db, "postgres://") || strings.HasPrefix(d.db, "postgresql://")
}

// checkDB validates --db without opening anything.
func (d *dataFlags) checkDB() error {
	if d.isPostgres() {
		return nil
	}
	_, err := d.sqlitePath()
	return err
}

// open opens the database --db (or --data) names, applying migrations.
// workers sizes the PostgreSQL pool (postgres.PoolSize).
func (d *dataFlags) open(ctx context.Context, log *slog.Logger, workers int) (*backend, error) {
	if d.isPostgres() {
		s, err := postgres.Open(ctx, d.db, postgres.Options{Logger: log, MaxConns: postgres.PoolSize(workers)})
		if err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		return &backend{kind: "postgres", store: s, newRunner: func(cfg jobs.Config) (runner, error) {
			r, err := jobs.New[pgx.Tx](riverpgxv5.New(s.Pool()), cfg)
			if err != nil {
				return nil, err
			}
			s.EnqueueExportFunc = r.EnqueueTx
			return r, nil
		}}, nil
	}
	path, err := d.sqlitePath()
	if err != nil {
		return nil, err
	}
	if err := d.ensureDataDir(); err != nil {
		return nil, err
	}
	s, err := sqlite.Open(ctx, path, sqlite.Options{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return &backend{kind: "sqlite", store: s, newRunner: func(cfg jobs.Config) (runner, error) {
		r, err := jobs.New[*sql.Tx](riversqlite.New(s.DB()), cfg)
		if err != nil {
			return nil, err
		}
		s.EnqueueExportFunc = r.EnqueueTx
		return r, nil
	}}, nil
}

// migrate applies the migrations of the database and returns where.
func (d *dataFlags) migrate(ctx context.Context) (string, error) {
	if d.isPostgres() {
		return "the PostgreSQL database", postgres.Migrate(ctx, d.db)
	}
	path, err := d.sqlitePath()
	if err != nil {
		return "", err
	}
	if err := d.ensureDataDir(); err != nil {
		return "", err
	}
	return path, sqlite.Migrate(ctx, path)
}

// signingKey returns the deployment's local token signing key, kept in the
// database so that every node verifies the tokens minted on any other. A
// key file left in the data directory by an earlier version becomes the
// stored key, so its tokens stay valid.
func signingKey(ctx context.Context, s goalpost.Store, dataDir string) (*auth.Key, error) {
	data, err := s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) {
		legacy, err := os.ReadFile(filepath.Join(dataDir, auth.KeyFile))
		if err == nil {
			if _, perr := auth.ParseKeyPEM(legacy); perr == nil {
				return legacy, nil
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return auth.GenerateKeyPEM()
	})
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	return auth.ParseKeyPEM(data)
}
