package main

import (
	"context"
	"fmt"
	"io"
)

func runMigrate(ctx context.Context, args []string, stderr io.Writer) error {
	var df dataFlags
	fs := newFlagSet("migrate", stderr)
	df.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	where, err := df.migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintln(stderr, "migrations applied to", where)
	return nil
}
