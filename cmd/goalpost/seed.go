package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
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
	if err := df.checkDB(); err != nil {
		return err
	}
	be, err := df.open(ctx, slog.New(slog.DiscardHandler), 0)
	if err != nil {
		return err
	}
	defer be.store.Close()
	store := be.store
	start := time.Now()
	if err := store.DeleteOrganization(ctx, demo.NorthwindID, 0); err != nil && !goalpost.IsNotFound(err) {
		return fmt.Errorf("replace Northwind: %w", err)
	}
	if err := store.LoadDataset(ctx, demo.Synthetic(items, seed)); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(stderr, "seeded Northwind (%s) with %d items in %v; view \"Everything\" is %s, owner %s\n",
		demo.NorthwindID, items, time.Since(start).Round(time.Millisecond), demo.NorthwindEverythingViewID, demo.NorthwindOwnerUPN)
	return nil
}
