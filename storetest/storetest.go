// Package storetest is the contract suite of goalpost.Store: every store
// (sqlite, postgres) runs it from its own tests, so that they all behave the
// same. It brings its own small fixture dataset (see fixture.go) and uses
// fixed times throughout: no test sleeps or reads the clock.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/goalpost/goalpost"
)

// Run runs the contract suite. open returns a fresh, empty, migrated store
// for each call (with EnqueueExportFunc left to the implementation's default
// no-op); it is called from parallel subtests and should clean up with
// t.Cleanup.
//
// The suite assumes what the domain says and nothing more: job rows need
// their organization to exist but not their view (a job outlives its view),
// and times round-trip at millisecond precision in UTC.
func Run(t *testing.T, open func(t *testing.T) goalpost.Store) {
	t.Run("Dataset", func(t *testing.T) { t.Parallel(); testDataset(t, open) })
	t.Run("ExportJobs", func(t *testing.T) { t.Parallel(); testExportJobs(t, open) })
	t.Run("ExportView", func(t *testing.T) { t.Parallel(); testExportView(t, open) })
	t.Run("ExportRowsKept", func(t *testing.T) { t.Parallel(); testExportRowsKept(t, open) })
	t.Run("SigningKey", func(t *testing.T) { t.Parallel(); testSigningKey(t, open) })
	t.Run("DeleteOrganization", func(t *testing.T) { t.Parallel(); testDeleteOrganization(t, open) })
	t.Run("Organizations", func(t *testing.T) { t.Parallel(); testOrganizations(t, open) })
	t.Run("Members", func(t *testing.T) { t.Parallel(); testMembers(t, open) })
	t.Run("TimePeriods", func(t *testing.T) { t.Parallel(); testTimePeriods(t, open) })
	t.Run("Items", func(t *testing.T) { t.Parallel(); testItems(t, open) })
	t.Run("Alignments", func(t *testing.T) { t.Parallel(); testAlignments(t, open) })
	t.Run("CheckIns", func(t *testing.T) { t.Parallel(); testCheckIns(t, open) })
	t.Run("Rollup", func(t *testing.T) { t.Parallel(); testRollup(t, open) })
	t.Run("ConcurrentCheckIns", func(t *testing.T) { t.Parallel(); testConcurrentCheckIns(t, open) })
	t.Run("Teams", func(t *testing.T) { t.Parallel(); testTeams(t, open) })
	t.Run("Views", func(t *testing.T) { t.Parallel(); testViews(t, open) })
	t.Run("ReadOrganization", func(t *testing.T) { t.Parallel(); testReadOrganization(t, open) })
	t.Run("ImportOrganization", func(t *testing.T) { t.Parallel(); testImportOrganization(t, open) })
}

// mustOpenLoaded opens a store and loads the fixture into it.
func mustOpenLoaded(t *testing.T, open func(t *testing.T) goalpost.Store) goalpost.Store {
	t.Helper()
	s := open(t)
	if err := s.LoadDataset(context.Background(), fixture()); err != nil {
		t.Fatalf("LoadDataset(fixture): %v", err)
	}
	return s
}

// wantCode fails t unless err carries code (and inner, when not "").
func wantCode(t *testing.T, err error, code, inner string) *goalpost.Error {
	t.Helper()
	var e *goalpost.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *goalpost.Error with code %s", err, code)
	}
	if e.Code != code || (inner != "" && e.Inner != inner) {
		t.Fatalf("err = %v, want code %s inner %q", err, code, inner)
	}
	return e
}

// recorder is an ExportSink that keeps deep copies of what it receives and
// checks the sink protocol: Begin once, before any row.
type recorder struct {
	begun  int
	header goalpost.ExportHeader
	rows   []goalpost.ExportRow
	// failAt makes Row fail on that row (1-based); 0 never fails.
	failAt int
}

var errSink = errors.New("sink failed")

func (r *recorder) Begin(h goalpost.ExportHeader) error {
	r.begun++
	if r.begun > 1 {
		return fmt.Errorf("Begin called %d times", r.begun)
	}
	r.header = goalpost.ExportHeader{MaxCheckIns: h.MaxCheckIns, Tags: slices.Clone(h.Tags)}
	return nil
}

func (r *recorder) Row(row *goalpost.ExportRow) error {
	if r.begun != 1 {
		return fmt.Errorf("Row called before Begin")
	}
	if r.failAt > 0 && len(r.rows)+1 == r.failAt {
		return errSink
	}
	c := *row
	c.Teams = slices.Clone(row.Teams)
	c.Owners = slices.Clone(row.Owners)
	c.AlignedTo = slices.Clone(row.AlignedTo)
	c.Tags = slices.Clone(row.Tags)
	c.CheckIns = slices.Clone(row.CheckIns)
	if row.Score != nil {
		c.Score = ptr(*row.Score)
	}
	r.rows = append(r.rows, c)
	return nil
}

// ids returns the IDs of the recorded rows, in order.
func (r *recorder) ids() []int64 {
	out := make([]int64, len(r.rows))
	for i, row := range r.rows {
		out[i] = row.ID
	}
	return out
}

// row returns the recorded row of item id.
func (r *recorder) row(t *testing.T, id int64) goalpost.ExportRow {
	t.Helper()
	for _, row := range r.rows {
		if row.ID == id {
			return row
		}
	}
	t.Fatalf("no row for item %d in %v", id, r.ids())
	return goalpost.ExportRow{}
}
