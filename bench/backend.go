package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// sqliteBackend runs goalpost on its embedded SQLite database; its baseline
// is the sqlite3 shell.
type sqliteBackend struct{}

func (sqliteBackend) name() string         { return "SQLite" }
func (sqliteBackend) baselineName() string { return "sqlite3 -csv" }

func (sqliteBackend) dataArgs(_ context.Context, e *env, set string) ([]string, error) {
	return []string{"--data", filepath.Join(e.work, "sqlite-"+set)}, nil
}

func (sqliteBackend) baseline(ctx context.Context, e *env, path string, columns int) (time.Duration, int64, error) {
	db := filepath.Join(e.work, "flat.db")
	_ = os.Remove(db)
	script := fmt.Sprintf("CREATE TABLE flat(%s);\n.import --csv --skip 1 %s flat\n", colList(columns, ""), path)
	load := exec.CommandContext(ctx, "sqlite3", db)
	load.Stdin = strings.NewReader(script)
	if out, err := load.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		return 0, 0, fmt.Errorf("sqlite3 import: %v\n%s", err, out)
	}
	defer os.Remove(db)
	return medianOf3(ctx, filepath.Join(e.work, "sqlite-dump.csv"), "sqlite3", "-csv", "-header", db, "SELECT * FROM flat")
}

// pgBackend runs goalpost on PostgreSQL, in databases of its own; its
// baseline is psql's \copy.
type pgBackend struct {
	admin   *url.URL
	prefix  string
	created []string
}

func newPGBackend(ctx context.Context, admin string) (*pgBackend, error) {
	u, err := url.Parse(admin)
	if err != nil {
		return nil, fmt.Errorf("-pg: %w", err)
	}
	if err := psql(ctx, admin, "SELECT 1"); err != nil {
		return nil, fmt.Errorf("PostgreSQL at %s: %w", u.Redacted(), err)
	}
	return &pgBackend{admin: u, prefix: fmt.Sprintf("goalpost_bench_%d_", os.Getpid())}, nil
}

func (*pgBackend) name() string         { return "PostgreSQL" }
func (*pgBackend) baselineName() string { return `psql \copy` }

func (p *pgBackend) dbURL(set string) string {
	u := *p.admin
	u.Path = "/" + p.prefix + set
	return u.String()
}

func (p *pgBackend) dataArgs(ctx context.Context, _ *env, set string) ([]string, error) {
	if !slices.Contains(p.created, set) {
		if err := psql(ctx, p.admin.String(), "CREATE DATABASE "+p.prefix+set); err != nil {
			return nil, err
		}
		p.created = append(p.created, set)
	}
	return []string{"--db", p.dbURL(set)}, nil
}

// drop drops every database the run created.
func (p *pgBackend) drop(ctx context.Context) error {
	var first error
	for _, set := range p.created {
		if err := psql(ctx, p.admin.String(), "DROP DATABASE IF EXISTS "+p.prefix+set+" WITH (FORCE)"); err != nil && first == nil {
			first = err
		}
	}
	p.created = nil
	return first
}

func (p *pgBackend) baseline(ctx context.Context, e *env, path string, columns int) (time.Duration, int64, error) {
	db := p.dbURL("big")
	cols := colList(columns, "")
	if err := psql(ctx, db,
		"DROP TABLE IF EXISTS flat",
		fmt.Sprintf("CREATE TABLE flat(ord bigserial PRIMARY KEY, %s)", colList(columns, " text")),
		fmt.Sprintf(`\copy flat(%s) FROM '%s' CSV HEADER`, cols, path),
		"VACUUM ANALYZE flat"); err != nil {
		return 0, 0, err
	}
	return medianOf3(ctx, filepath.Join(e.work, "pg-dump.csv"), "psql", "-X", "-q", db, "-c",
		fmt.Sprintf(`\copy (SELECT %s FROM flat ORDER BY ord) TO STDOUT CSV HEADER`, cols))
}

// psql runs each command with psql against db, stopping at the first error.
func psql(ctx context.Context, db string, commands ...string) error {
	args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", db}
	for _, c := range commands {
		args = append(args, "-c", c)
	}
	cmd := exec.CommandContext(ctx, "psql", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("psql %s: %w\n%s", strings.Join(commands, "; "), err, out)
	}
	return nil
}

// colList is "c1<typ>, c2<typ>, …" for n columns.
func colList(n int, typ string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "c%d%s", i+1, typ)
	}
	return b.String()
}

// medianOf3 runs name with args three times, its output to the file out, and
// returns the median time and the output's size.
func medianOf3(ctx context.Context, out, name string, args ...string) (time.Duration, int64, error) {
	var times []time.Duration
	var size int64
	for range 3 {
		f, err := os.Create(out)
		if err != nil {
			return 0, 0, err
		}
		cmd := exec.CommandContext(ctx, name, args...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = f, &stderr
		start := time.Now()
		err = cmd.Run()
		took := time.Since(start)
		size, _ = f.Seek(0, io.SeekCurrent)
		f.Close()
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w\n%s", name, err, stderr.String())
		}
		times = append(times, took)
	}
	os.Remove(out)
	slices.Sort(times)
	return times[1], size, nil
}
