package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/sqlite"
)

// runSeed writes the synthetic organization "Northwind" with N items, for
// benchmarks and multi-process tests.
func runSeed(ctx context.Context, args []string, stderr io.Writer) error {
	var (
		df    dataFlags
		items int
		seed  int64
	)
	fs := newFlagSet("seed", stderr)
	df.register(fs)
	fs.IntVar(&items, "items", 1000, "how many items Northwind has")
	fs.Int64Var(&seed, "seed", 1, "random seed; the same seed gives the same organization")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if items < 0 || items > 5_000_000 {
		return usageError{"--items must be between 0 and 5000000"}
	}
	path, err := df.sqlitePath()
	if err != nil {
		return err
	}
	if err := df.ensureDataDir(); err != nil {
		return err
	}
	store, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer store.Close()
	start := time.Now()
	if err := store.DeleteOrganization(ctx, demo.NorthwindID); err != nil && !goalpost.IsNotFound(err) {
		return fmt.Errorf("replace Northwind: %w", err)
	}
	if err := store.LoadDataset(ctx, demo.Synthetic(items, seed)); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(stderr, "seeded Northwind (%s) with %d items in %v; view \"Everything\" is %s, owner %s\n",
		demo.NorthwindID, items, time.Since(start).Round(time.Millisecond), demo.NorthwindEverythingViewID, demo.NorthwindOwnerUPN)
	return nil
}
