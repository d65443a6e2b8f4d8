package main

import (
	"context"
	"fmt"
	"io"

	"github.com/goalpost/goalpost/sqlite"
)

func runMigrate(ctx context.Context, args []string, stderr io.Writer) error {
	var df dataFlags
	fs := newFlagSet("migrate", stderr)
	df.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	path, err := df.sqlitePath()
	if err != nil {
		return err
	}
	if err := df.ensureDataDir(); err != nil {
		return err
	}
	if err := sqlite.Migrate(ctx, path); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintln(stderr, "migrations applied to", path)
	return nil
}
