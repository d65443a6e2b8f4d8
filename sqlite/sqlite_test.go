package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/sqlite"
)

var testNow = time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)

// newJob returns a notStarted job of org and view created at testNow.
func newJob(tb testing.TB, org, view uuid.UUID) *goalpost.ExportJob {
	tb.Helper()
	id, err := goalpost.NewJobID(testNow, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &goalpost.ExportJob{ID: id, OrgID: org, ViewID: view, CreatorID: uuid.New(),
		CreatedAt: testNow, LastActionAt: testNow, ExpiresAt: testNow.Add(24 * time.Hour)}
}

// mustLoadOrg loads a synthetic organization of n items into s.
func mustLoadOrg(tb testing.TB, s *sqlite.Store, org uuid.UUID, firstID int64, n int) *synthetic {
	tb.Helper()
	syn := newSynthetic(org, firstID, n)
	if err := s.LoadDataset(context.Background(), syn.ds); err != nil {
		tb.Fatal(err)
	}
	syn.ds = &goalpost.Dataset{Views: syn.ds.Views} // let the rest go
	return syn
}

func count(tb testing.TB, db *sql.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestEnqueueInTransaction(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	syn := mustLoadOrg(t, s, uuid.New(), 1, 10)
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE marker (job_id TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	mark := func(ctx context.Context, tx *sql.Tx, job *goalpost.ExportJob) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO marker (job_id) VALUES (?)`, job.ID.String())
		return err
	}

	// A failing enqueue rolls back the job and whatever the enqueue wrote.
	errEnqueue := errors.New("queue unavailable")
	s.EnqueueExportFunc = func(ctx context.Context, tx *sql.Tx, job *goalpost.ExportJob) error {
		if err := mark(ctx, tx, job); err != nil {
			return err
		}
		return errEnqueue
	}
	failed := newJob(t, syn.org, uuid.New())
	if err := s.CreateExportJob(ctx, failed); !errors.Is(err, errEnqueue) {
		t.Fatalf("CreateExportJob = %v, want the enqueue error", err)
	}
	if _, err := s.FindExportJob(ctx, failed.ID); !goalpost.IsNotFound(err) {
		t.Errorf("job of a failed enqueue: err = %v, want ENOTFOUND", err)
	}
	if n := count(t, s.DB(), `SELECT count(*) FROM marker`); n != 0 {
		t.Errorf("%d marker rows after a failed enqueue, want 0", n)
	}
	// The failed job did not take the (organization, view) slot.
	s.EnqueueExportFunc = mark
	retry := newJob(t, syn.org, failed.ViewID)
	if err := s.CreateExportJob(ctx, retry); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s.DB(), `SELECT count(*) FROM marker WHERE job_id = ?`, retry.ID.String()); n != 1 {
		t.Errorf("%d marker rows for the job, want 1", n)
	}
	if _, err := s.FindExportJob(ctx, retry.ID); err != nil {
		t.Errorf("created job: %v", err)
	}
	// A conflict never reaches the enqueue.
	called := false
	s.EnqueueExportFunc = func(context.Context, *sql.Tx, *goalpost.ExportJob) error { called = true; return nil }
	if err := s.CreateExportJob(ctx, newJob(t, syn.org, failed.ViewID)); goalpost.ErrorCode(err) != goalpost.ECONFLICT {
		t.Fatalf("second job: err = %v, want ECONFLICT", err)
	}
	if called {
		t.Error("EnqueueExportFunc called for a conflicting job")
	}
}

// exportArgs are the arguments of a River export job in this test.
type exportArgs struct {
	JobID string `json:"job_id"`
}

func (exportArgs) Kind() string { return "goalpost_export_test" }

func TestEnqueueWithRiver(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	syn := mustLoadOrg(t, s, uuid.New(), 1, 10)
	client, err := river.NewClient(riversqlite.New(s.DB()), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s.EnqueueExportFunc = func(ctx context.Context, tx *sql.Tx, job *goalpost.ExportJob) error {
		_, err := client.InsertTx(ctx, tx, exportArgs{JobID: job.ID.String()}, nil)
		return err
	}
	job := newJob(t, syn.org, uuid.New())
	if err := s.CreateExportJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateExportJob(ctx, newJob(t, syn.org, job.ViewID)); goalpost.ErrorCode(err) != goalpost.ECONFLICT {
		t.Fatalf("second job: err = %v, want ECONFLICT", err)
	}
	if n := count(t, s.DB(), `SELECT count(*) FROM river_job WHERE kind = ?`, exportArgs{}.Kind()); n != 1 {
		t.Errorf("%d River jobs, want 1", n)
	}
	if n := count(t, s.DB(), `SELECT count(*) FROM river_job WHERE json_extract(args, '$.job_id') = ?`, job.ID.String()); n != 1 {
		t.Errorf("no River job for export job %s", job.ID)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "goalpost.db")
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v, %v", files, err)
	}
	if err := sqlite.Migrate(ctx, path); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := sqlite.Migrate(ctx, path); err != nil {
			t.Fatal(err)
		}
		s, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Error(err)
		}
		if n := count(t, s.DB(), `SELECT count(*) FROM goalpost_migrations`); n != len(files) {
			t.Errorf("%d goalpost migrations recorded, want %d", n, len(files))
		}
		if n := count(t, s.DB(), `SELECT count(*) FROM river_migration`); n == 0 {
			t.Error("no River migrations recorded")
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenInvalidPath(t *testing.T) {
	if _, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "a?b.db"), sqlite.Options{}); err == nil {
		t.Error("Open accepted a path with '?'")
	}
}

// funcSink is an ExportSink of functions.
type funcSink struct {
	begin func(goalpost.ExportHeader) error
	row   func(*goalpost.ExportRow) error
}

func (f funcSink) Begin(h goalpost.ExportHeader) error {
	if f.begin == nil {
		return nil
	}
	return f.begin(h)
}
func (f funcSink) Row(r *goalpost.ExportRow) error { return f.row(r) }

// TestExportSnapshot checks that an export reads one snapshot and blocks no
// writer: while it streams, jobs are created, polled and items are added, and
// it sees none of the new items.
func TestExportSnapshot(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	syn := mustLoadOrg(t, s, uuid.New(), 1, 200)
	q := syn.query(syn.admin)
	var rows int
	sink := funcSink{row: func(r *goalpost.ExportRow) error {
		rows++
		if rows != 1 {
			return nil
		}
		job := newJob(t, syn.org, q.View.ID)
		if err := s.CreateExportJob(ctx, job); err != nil {
			return err
		}
		if _, err := s.StartExportJob(ctx, job.ID, testNow); err != nil {
			return err
		}
		if _, err := s.FindExportJob(ctx, job.ID); err != nil {
			return err
		}
		more := newSynthetic(syn.org, 10_000, 1)
		more.ds.Organizations, more.ds.Users, more.ds.Memberships, more.ds.Teams, more.ds.TimePeriods, more.ds.Views = nil, nil, nil, nil, nil, nil
		return s.LoadDataset(ctx, more.ds)
	}}
	n, err := s.ExportView(ctx, q, sink)
	if err != nil {
		t.Fatal(err)
	}
	if n != 200 {
		t.Errorf("export during writes = %d rows, want the 200 of its snapshot", n)
	}
	n, err = s.ExportView(ctx, q, funcSink{row: func(*goalpost.ExportRow) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if n != 201 {
		t.Errorf("export after writes = %d rows, want 201", n)
	}
}

// TestExportMemoryFlat exports 5,000 and then 50,000 items and compares the
// most live heap each export held (sampled after a forced GC every 1% of the
// rows). If rows, ids or anything else accumulated, the large export would
// hold about ten times as much as the small one. Under the race detector the
// sizes are a tenth, the ratio the same.
func TestExportMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 55,000 items")
	}
	ctx := context.Background()
	s := MustOpenStore(t)
	smallN, largeN := 5_000, 50_000
	if raceEnabled {
		smallN, largeN = 500, 5_000
	}
	small := mustLoadOrg(t, s, uuid.New(), 1, smallN)
	large := mustLoadOrg(t, s, uuid.New(), 100_000, largeN)

	peak := func(syn *synthetic, n int) (rows int64, growth uint64) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base, top := ms.HeapAlloc, ms.HeapAlloc
		sample := func() {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapAlloc)
		}
		var prev int64 = -1
		sink := funcSink{row: func(r *goalpost.ExportRow) error {
			if r.Depth == 0 {
				if r.ID <= prev {
					return fmt.Errorf("root %d after root %d", r.ID, prev)
				}
				prev = r.ID
			}
			rows++
			if rows%int64(n/100) == 0 {
				sample()
			}
			return nil
		}}
		if _, err := s.ExportView(ctx, syn.query(syn.member), sink); err != nil {
			t.Fatal(err)
		}
		sample()
		return rows, top - base
	}
	peak(small, smallN) // warm up pools and caches
	smallRows, smallGrowth := peak(small, smallN)
	largeRows, largeGrowth := peak(large, largeN)
	t.Logf("live heap growth: %d rows %d KiB, %d rows %d KiB", smallRows, smallGrowth>>10, largeRows, largeGrowth>>10)
	if smallRows < int64(smallN*8/10) || largeRows < int64(largeN*8/10) {
		t.Fatalf("exported %d and %d rows; the synthetic data should give most of %d and %d", smallRows, largeRows, smallN, largeN)
	}
	// The slack is about half of what keeping just the ids of 50,000 rows
	// would take.
	if limit := 2*smallGrowth + 256<<10; largeGrowth > limit {
		t.Errorf("%d-item export held %d KiB, more than %d KiB (2 × the %d-item export + 256 KiB)",
			largeN, largeGrowth>>10, limit>>10, smallN)
	}
}

// BenchmarkExportView exports demo.Synthetic's 10,000 items as a member
// sees them: the same data as the PostgreSQL store's BenchmarkExportView.
func BenchmarkExportView(b *testing.B) {
	ctx := context.Background()
	s := MustOpenStore(b)
	ds := demo.Synthetic(10_000, 1)
	var member uuid.UUID
	for _, m := range ds.Memberships {
		if m.Role == goalpost.RoleMember {
			member = m.UserID
			break
		}
	}
	if err := s.LoadDataset(ctx, ds); err != nil {
		b.Fatal(err)
	}
	view, err := s.FindViewByID(ctx, demo.NorthwindID, demo.NorthwindEverythingViewID)
	if err != nil {
		b.Fatal(err)
	}
	q := goalpost.ExportQuery{View: view, ViewerID: member, Now: testNow}
	var rows int64
	sink := funcSink{row: func(*goalpost.ExportRow) error { rows++; return nil }}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.ExportView(ctx, q, sink); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
