package postgres_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	neturl "net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/postgres"
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

// northwind is demo.Synthetic's organization as a test uses it.
type northwind struct {
	items  int
	view   *goalpost.ExplorerView
	owner  uuid.UUID // sees every item
	member uuid.UUID // a plain member: restricted items of others are hidden
}

// mustLoadNorthwind loads demo.Synthetic(items, 1) into s. The dataset itself
// is not kept, so that it does not weigh on memory measurements.
func mustLoadNorthwind(tb testing.TB, s goalpost.Store, items int) *northwind {
	tb.Helper()
	ds := demo.Synthetic(items, 1)
	nw := &northwind{items: items}
	for _, v := range ds.Views {
		if v.ID == demo.NorthwindEverythingViewID {
			nw.view = v
		}
	}
	for _, u := range ds.Users {
		if u.UPN == demo.NorthwindOwnerUPN {
			nw.owner = u.ID
		}
	}
	for _, m := range ds.Memberships {
		if m.Role == goalpost.RoleMember {
			nw.member = m.UserID
			break
		}
	}
	if nw.view == nil || nw.owner == uuid.Nil || nw.member == uuid.Nil {
		tb.Fatal("demo.Synthetic has no Everything view, owner or member")
	}
	if err := s.LoadDataset(context.Background(), ds); err != nil {
		tb.Fatal(err)
	}
	return nw
}

// query returns the export of Everything as viewer sees it at testNow.
func (nw *northwind) query(viewer uuid.UUID) goalpost.ExportQuery {
	return goalpost.ExportQuery{View: nw.view, ViewerID: viewer, Now: testNow}
}

// extraItem returns a dataset of one more Northwind item.
func extraItem(id int64) *goalpost.Dataset {
	return &goalpost.Dataset{Items: []*goalpost.Item{{
		ID: id, OrgID: demo.NorthwindID, Kind: goalpost.KindObjective, Level: goalpost.LevelOrganization,
		Title: fmt.Sprintf("Extra item %d", id), Status: goalpost.StatusOnTrack, Visibility: goalpost.VisibilityEveryone,
		CreatedAt: testNow, UpdatedAt: testNow,
	}}}
}

func count(tb testing.TB, s *postgres.Store, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := s.Pool().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
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

func TestEnqueueInTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoadNorthwind(t, s, 10)
	if _, err := s.Pool().Exec(ctx, `CREATE TABLE marker (job_id uuid NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	mark := func(ctx context.Context, tx pgx.Tx, job *goalpost.ExportJob) error {
		_, err := tx.Exec(ctx, `INSERT INTO marker (job_id) VALUES ($1)`, job.ID)
		return err
	}

	// A failing enqueue rolls back the job and whatever the enqueue wrote.
	errEnqueue := errors.New("queue unavailable")
	s.EnqueueExportFunc = func(ctx context.Context, tx pgx.Tx, job *goalpost.ExportJob) error {
		if err := mark(ctx, tx, job); err != nil {
			return err
		}
		return errEnqueue
	}
	failed := newJob(t, demo.NorthwindID, uuid.New())
	if err := s.CreateExportJob(ctx, failed); !errors.Is(err, errEnqueue) {
		t.Fatalf("CreateExportJob = %v, want the enqueue error", err)
	}
	if _, err := s.FindExportJob(ctx, failed.ID); !goalpost.IsNotFound(err) {
		t.Errorf("job of a failed enqueue: err = %v, want ENOTFOUND", err)
	}
	if n := count(t, s, `SELECT count(*) FROM marker`); n != 0 {
		t.Errorf("%d marker rows after a failed enqueue, want 0", n)
	}
	// The failed job did not take the (organization, view) slot.
	s.EnqueueExportFunc = mark
	retry := newJob(t, demo.NorthwindID, failed.ViewID)
	if err := s.CreateExportJob(ctx, retry); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM marker WHERE job_id = $1`, retry.ID); n != 1 {
		t.Errorf("%d marker rows for the job, want 1", n)
	}
	if _, err := s.FindExportJob(ctx, retry.ID); err != nil {
		t.Errorf("created job: %v", err)
	}
	// A conflict never reaches the enqueue.
	var called atomic.Bool
	s.EnqueueExportFunc = func(context.Context, pgx.Tx, *goalpost.ExportJob) error { called.Store(true); return nil }
	err := s.CreateExportJob(ctx, newJob(t, demo.NorthwindID, failed.ViewID))
	if e := (*goalpost.Error)(nil); !errors.As(err, &e) || e.Code != goalpost.ECONFLICT || e.Target != retry.Key().String() {
		t.Fatalf("second job: err = %v, want ECONFLICT naming %s", err, retry.Key())
	}
	if called.Load() {
		t.Error("EnqueueExportFunc called for a conflicting job")
	}
}

// exportArgs are the arguments of a River export job in this test.
type exportArgs struct {
	JobID string `json:"job_id"`
}

func (exportArgs) Kind() string { return "goalpost_export_test" }

func TestEnqueueWithRiver(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := MustOpenStore(t)
	mustLoadNorthwind(t, s, 10)
	// An insert-only client, as on an API-only node.
	client, err := river.NewClient(riverpgxv5.New(s.Pool()), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s.EnqueueExportFunc = func(ctx context.Context, tx pgx.Tx, job *goalpost.ExportJob) error {
		_, err := client.InsertTx(ctx, tx, exportArgs{JobID: job.ID.String()}, nil)
		return err
	}
	job := newJob(t, demo.NorthwindID, uuid.New())
	if err := s.CreateExportJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateExportJob(ctx, newJob(t, demo.NorthwindID, job.ViewID)); goalpost.ErrorCode(err) != goalpost.ECONFLICT {
		t.Fatalf("second job: err = %v, want ECONFLICT", err)
	}
	if n := count(t, s, `SELECT count(*) FROM river_job WHERE kind = $1`, exportArgs{}.Kind()); n != 1 {
		t.Errorf("%d River jobs, want 1", n)
	}
	if n := count(t, s, `SELECT count(*) FROM river_job WHERE args->>'job_id' = $1`, job.ID.String()); n != 1 {
		t.Errorf("no River job for export job %s", job.ID)
	}

	// A River insert that commits with a job that then rolls back is
	// rolled back too.
	s.EnqueueExportFunc = func(ctx context.Context, tx pgx.Tx, job *goalpost.ExportJob) error {
		if _, err := client.InsertTx(ctx, tx, exportArgs{JobID: job.ID.String()}, nil); err != nil {
			return err
		}
		return errors.New("fail after the insert")
	}
	lost := newJob(t, demo.NorthwindID, uuid.New())
	if err := s.CreateExportJob(ctx, lost); err == nil {
		t.Fatal("CreateExportJob succeeded")
	}
	if n := count(t, s, `SELECT count(*) FROM river_job WHERE args->>'job_id' = $1`, lost.ID.String()); n != 0 {
		t.Errorf("%d River jobs for a job that rolled back, want 0", n)
	}
}

// countHandler counts the log records of applied migrations, goalpost's and
// River's.
type countHandler struct {
	goalpost, river atomic.Int32
}

func (h *countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countHandler) Handle(_ context.Context, r slog.Record) error {
	switch {
	case r.Message == "applied migration":
		h.goalpost.Add(1)
	case strings.HasSuffix(r.Message, ": Applied migration"):
		h.river.Add(1)
	}
	return nil
}
func (h *countHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countHandler) WithGroup(string) slog.Handler      { return h }

// TestOpenConcurrent starts several processes' worth of Open on one empty
// schema at once: every one succeeds, and the migrations are applied once.
func TestOpenConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url, schema := MustCreateSchema(t)
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v, %v", files, err)
	}

	const n = 4
	var h countHandler
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			stores[i], errs[i] = postgres.Open(ctx, url, postgres.Options{Logger: slog.New(&h), Schema: schema, MaxConns: 2})
		})
	}
	start.Done()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	for i, s := range stores {
		if err := s.Ping(ctx); err != nil {
			t.Errorf("Ping %d: %v", i, err)
		}
	}
	s := stores[0]
	if got := int(h.goalpost.Load()); got != len(files) {
		t.Errorf("%d goalpost migrations applied, want %d (once each)", got, len(files))
	}
	if got := count(t, s, `SELECT count(*) FROM goalpost_migrations`); got != len(files) {
		t.Errorf("%d goalpost migrations recorded, want %d", got, len(files))
	}
	riverVersions := count(t, s, `SELECT count(*) FROM river_migration`)
	if riverVersions == 0 {
		t.Error("no River migrations recorded")
	}
	if got := int(h.river.Load()); got != riverVersions {
		t.Errorf("%d River migrations applied, want %d (once each)", got, riverVersions)
	}

	// Migrate, as `goalpost migrate` runs it, finds nothing to do.
	if err := postgres.Migrate(ctx, withSearchPath(t, url, schema)); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, `SELECT count(*) FROM goalpost_migrations`); got != len(files) {
		t.Errorf("after Migrate: %d goalpost migrations recorded, want %d", got, len(files))
	}
}

// withSearchPath returns the connection string dsn (a URL or key=value
// settings) with search_path set to schema.
func withSearchPath(t *testing.T, dsn, schema string) string {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " search_path=" + schema
	}
	u, err := neturl.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestMigrationsInStep fails when one dialect has a migration that the other
// lacks: every migration has a twin of the same name.
func TestMigrationsInStep(t *testing.T) {
	names := func(dir string) []string {
		t.Helper()
		files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range files {
			out = append(out, filepath.Base(f))
		}
		return out
	}
	pg, lite := names("migrations"), names(filepath.Join("..", "sqlite", "migrations"))
	if len(pg) == 0 || len(lite) == 0 {
		t.Fatalf("migrations: postgres %v, sqlite %v", pg, lite)
	}
	for _, name := range pg {
		if !slices.Contains(lite, name) {
			t.Errorf("postgres/migrations/%s has no twin in sqlite/migrations", name)
		}
	}
	for _, name := range lite {
		if !slices.Contains(pg, name) {
			t.Errorf("sqlite/migrations/%s has no twin in postgres/migrations", name)
		}
	}
}

// TestExportSnapshot checks that an export reads one snapshot and blocks no
// writer: between its header and its rows, and while its rows stream, jobs
// are created, started and polled and items are added on other connections,
// and it sees none of the new items.
func TestExportSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := MustOpenStore(t)
	nw := mustLoadNorthwind(t, s, 200)
	q := nw.query(nw.owner)
	next := demo.NorthwindFirstItemID + 1_000_000
	write := func() error {
		job := newJob(t, demo.NorthwindID, uuid.New())
		if err := s.CreateExportJob(ctx, job); err != nil {
			return err
		}
		if _, err := s.StartExportJob(ctx, job.ID, testNow); err != nil {
			return err
		}
		if _, err := s.FindExportJob(ctx, job.ID); err != nil {
			return err
		}
		next++
		return s.LoadDataset(ctx, extraItem(next))
	}
	var rows int
	sink := funcSink{
		begin: func(goalpost.ExportHeader) error { return write() },
		row: func(r *goalpost.ExportRow) error {
			rows++
			if rows == 1 {
				return write()
			}
			return nil
		},
	}
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
	if n != 202 {
		t.Errorf("export after writes = %d rows, want 202", n)
	}
}

// TestExportMemoryFlat exports 5,000 and then 50,000 items and compares the
// most live heap each export held (sampled after a forced GC every 1% of the
// rows). If rows, ids or anything else accumulated, the large export would
// hold about ten times as much as the small one.
func TestExportMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 55,000 items")
	}
	ctx := context.Background()
	smallN, largeN := 5_000, 50_000
	if raceEnabled {
		smallN, largeN = 1_000, 10_000
	}
	smallStore, largeStore := MustOpenStore(t), MustOpenStore(t)
	small := mustLoadNorthwind(t, smallStore, smallN)
	large := mustLoadNorthwind(t, largeStore, largeN)

	peak := func(s *postgres.Store, nw *northwind) (rows int64, growth uint64) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base, top := ms.HeapAlloc, ms.HeapAlloc
		sample := func() {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapAlloc)
		}
		every := int64(nw.items / 100)
		sink := funcSink{row: func(r *goalpost.ExportRow) error {
			rows++
			if rows%every == 0 {
				sample()
			}
			return nil
		}}
		if _, err := s.ExportView(ctx, nw.query(nw.member), sink); err != nil {
			t.Fatal(err)
		}
		sample()
		return rows, top - base
	}
	peak(smallStore, small) // warm up pools and caches
	peak(largeStore, large)
	smallRows, smallGrowth := peak(smallStore, small)
	largeRows, largeGrowth := peak(largeStore, large)
	t.Logf("live heap growth: %d rows %d KiB, %d rows %d KiB", smallRows, smallGrowth>>10, largeRows, largeGrowth>>10)
	if smallRows < int64(smallN*8/10) || largeRows < int64(largeN*8/10) {
		t.Fatalf("exported %d and %d rows; the member should see most of %d and %d", smallRows, largeRows, smallN, largeN)
	}
	if limit := 2*smallGrowth + 256<<10; largeGrowth > limit {
		t.Errorf("%d-item export held %d KiB, more than %d KiB (2 × the %d-item export + 256 KiB)",
			largeN, largeGrowth>>10, limit>>10, smallN)
	}
}

// csvOf renders the export of q from s as the Explorer CSV.
func csvOf(t *testing.T, s goalpost.Store, q goalpost.ExportQuery) (rows int64, csv []byte) {
	t.Helper()
	ctx := context.Background()
	org, err := s.FindOrganizationByID(ctx, q.View.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := csvexport.New(&buf, org.Terminology, q.View.Export)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.ExportView(ctx, q, w)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return n, buf.Bytes()
}

// TestSameExportAsSQLite loads one synthetic organization into both stores
// and checks that every one of its views (Everything, with no filter, and the
// default views, whose filters cover owners, due dates, last updates,
// statuses, alignment and relative dates) exports the same CSV, byte for
// byte, for its owner and for a member.
func TestSameExportAsSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := MustOpenStore(t)
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "goalpost.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	items := 5_000
	if raceEnabled {
		items = 1_000 // SQLite runs some thirty times slower under the race detector
	}
	nw := mustLoadNorthwind(t, pg, items)
	mustLoadNorthwind(t, lite, items)

	viewIDs := []uuid.UUID{demo.NorthwindEverythingViewID}
	for _, name := range goalpost.DefaultViews {
		viewIDs = append(viewIDs, demo.NorthwindDefaultViewID(name))
	}
	for _, viewID := range viewIDs {
		view, err := pg.FindViewByID(ctx, demo.NorthwindID, viewID)
		if err != nil {
			t.Fatal(err)
		}
		for _, viewer := range []struct {
			name string
			id   uuid.UUID
		}{{"owner", nw.owner}, {"member", nw.member}} {
			q := goalpost.ExportQuery{View: view, ViewerID: viewer.id, Now: testNow}
			pgRows, pgCSV := csvOf(t, pg, q)
			liteRows, liteCSV := csvOf(t, lite, q)
			pgSum, liteSum := sha256.Sum256(pgCSV), sha256.Sum256(liteCSV)
			t.Logf("%s as %s: %d rows, sha256 %s", view.Name, viewer.name, pgRows, hex.EncodeToString(pgSum[:8]))
			if pgRows != liteRows || pgSum != liteSum {
				t.Errorf("%s as %s: PostgreSQL %d rows sha256 %x, SQLite %d rows sha256 %x\n%s",
					view.Name, viewer.name, pgRows, pgSum, liteRows, liteSum, firstDifference(pgCSV, liteCSV))
			}
			if viewID == demo.NorthwindEverythingViewID && pgRows < int64(items*8/10) {
				t.Errorf("Everything as %s has %d rows of %d items", viewer.name, pgRows, items)
			}
		}
	}
}

// firstDifference shows the first line where a and b differ.
func firstDifference(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\r\n")), bytes.Split(b, []byte("\r\n"))
	for i := range min(len(al), len(bl)) {
		if !bytes.Equal(al[i], bl[i]) {
			return fmt.Sprintf("line %d:\n postgres: %q\n sqlite:   %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(al), len(bl))
}

// BenchmarkExportView exports demo.Synthetic's 10,000 items as a member
// sees them: the same data as the SQLite store's BenchmarkExportView.
func BenchmarkExportView(b *testing.B) {
	ctx := context.Background()
	s := MustOpenStore(b)
	nw := mustLoadNorthwind(b, s, 10_000)
	q := nw.query(nw.member)
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

// TestExportSinkFails checks that an export whose sink fails stops there,
// and that the store goes on working: the failed export's connection is
// dropped rather than drained, and the pool replaces it, however often it
// happens.
func TestExportSinkFails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := MustOpenStore(t)
	nw := mustLoadNorthwind(t, s, 2_000)
	errSink := errors.New("blob storage is down")
	for i := range 2 * testMaxConns {
		start := time.Now()
		var rows int
		n, err := s.ExportView(ctx, nw.query(nw.owner), funcSink{row: func(*goalpost.ExportRow) error {
			rows++
			if rows == 3 {
				return errSink
			}
			return nil
		}})
		if !errors.Is(err, errSink) || n != 2 {
			t.Fatalf("export %d = %d rows, %v; want 2 rows and the sink's error", i, n, err)
		}
		t.Logf("export %d stopped after %v", i, time.Since(start))
	}
	n, err := s.ExportView(ctx, nw.query(nw.owner), funcSink{row: func(*goalpost.ExportRow) error { return nil }})
	if err != nil || n != 2_000 {
		t.Fatalf("export after failed ones = %d rows, %v; want 2000", n, err)
	}
	if _, err := s.FindOrganizationByID(ctx, demo.NorthwindID); err != nil {
		t.Fatal(err)
	}
}
