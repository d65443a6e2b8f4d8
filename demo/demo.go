// Package demo is the demo data set that `goalpost serve --demo` loads: two
// small organizations, Contoso and Fabrikam, with fixed IDs, so that the
// reference pages' examples and every test can name them.
//
// Contoso uses the default terminology and exercises every column of the
// Explorer CSV: several owners and teams, named metrics, weighted and
// multi-parent alignments, check-ins, every status, a restricted item, a
// private view and descriptions that need CSV quoting. Fabrikam is smaller
// and calls its items Goal, Metric and Deliverable. No user belongs to both.
//
// Item IDs: Contoso from 2295770, Fabrikam from 3100001. Check-in IDs:
// Contoso from 5000001, Fabrikam from 5100001.
package demo

import (
	"context"
	"fmt"

	"github.com/goalpost/goalpost"
)

// Dataset returns the demo data. It builds a new value on every call, and
// every call returns the same data: no clock, no randomness.
func Dataset() *goalpost.Dataset {
	ds := &goalpost.Dataset{}
	buildContoso(ds)
	buildFabrikam(ds)
	return ds
}

// Load writes the demo data to s unless it is there already: when Contoso
// exists it changes nothing and returns false. Otherwise it writes Dataset()
// in one LoadDataset call and returns true.
func Load(ctx context.Context, s goalpost.Store) (loaded bool, err error) {
	exists, err := contosoExists(ctx, s)
	if err != nil {
		return false, fmt.Errorf("load demo data: %w", err)
	}
	if exists {
		return false, nil
	}
	if err := s.LoadDataset(ctx, Dataset()); err != nil {
		// Another process starting with --demo may have won the race; its
		// data is ours, so that is no failure.
		if exists, _ := contosoExists(ctx, s); exists {
			return false, nil
		}
		return false, fmt.Errorf("load demo data: %w", err)
	}
	return true, nil
}

func contosoExists(ctx context.Context, s goalpost.Store) (bool, error) {
	_, err := s.FindOrganizationByID(ctx, ContosoID)
	switch {
	case err == nil:
		return true, nil
	case goalpost.IsNotFound(err):
		return false, nil
	}
	return false, err
}
