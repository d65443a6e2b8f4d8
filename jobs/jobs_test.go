package jobs_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/jobs"
	"github.com/goalpost/goalpost/sqlite"
)

type fixture struct {
	store  *sqlite.Store
	bucket *blob.Bucket
	dir    string
}

func mustOpen(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "goalpost.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	bdir := filepath.Join(dir, "exports")
	if err := os.MkdirAll(bdir, 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := fileblob.OpenBucket(bdir, &fileblob.Options{NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return &fixture{store: s, bucket: b, dir: bdir}
}

// newJob records a notStarted job of Contoso's "All objectives" by Adele.
func (f *fixture) newJob(t *testing.T, now time.Time) *goalpost.ExportJob {
	t.Helper()
	id, err := goalpost.NewJobID(now, nil)
	if err != nil {
		t.Fatal(err)
	}
	j := &goalpost.ExportJob{ID: id, OrgID: demo.ContosoID, ViewID: demo.ContosoAllObjectivesViewID, CreatorID: demo.AdeleID,
		Status: goalpost.JobNotStarted, CreatedAt: now, LastActionAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	if err := f.store.CreateExportJob(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	return j
}

func TestExporter_RunIsExactlyOnce(t *testing.T) {
	f := mustOpen(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	j := f.newJob(t, now)
	ex := &jobs.Exporter{Store: f.store, Bucket: f.bucket, Logger: discard(), NowFunc: func() time.Time { return now }}
	if err := ex.Run(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.store.FindExportJob(ctx, j.ID)
	if err != nil || got.Status != goalpost.JobSucceeded {
		t.Fatalf("after run: %+v, %v", got, err)
	}
	if got.Content.Rows == 0 || got.Content.Size == 0 || len(got.Content.SHA256) != 64 {
		t.Errorf("content %+v", got.Content)
	}
	// A duplicate delivery of the same job (a rescue of a worker that was
	// only slow) changes nothing.
	if err := ex.Run(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	again, _ := f.store.FindExportJob(ctx, j.ID)
	if again.Content != got.Content {
		t.Errorf("second run changed the content: %+v → %+v", got.Content, again.Content)
	}
	// A job that is gone (expired and deleted) is no error: nothing to do.
	if err := ex.Run(ctx, uuid.New()); err != nil {
		t.Errorf("missing job: %v", err)
	}
}

// failingStore fails every export, as a broken disk or database would.
type failingStore struct{ goalpost.Store }

func (failingStore) ExportView(context.Context, goalpost.ExportQuery, goalpost.ExportSink) (int64, error) {
	return 0, errors.New("disk on fire")
}

type immediateRetry struct{}

func (immediateRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

func TestWorker_RetriesThenFails(t *testing.T) {
	f := mustOpen(t)
	ctx := context.Background()
	runner, err := jobs.New[*sql.Tx](riversqlite.New(f.store.DB()), jobs.Config{
		Store: failingStore{f.store}, Bucket: f.bucket, Workers: 1, MaxAttempts: 3,
		FetchPollInterval: 10 * time.Millisecond, RetryPolicy: immediateRetry{}, Logger: discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.store.EnqueueExportFunc = runner.EnqueueTx
	events, cancel := runner.Client().Subscribe(river.EventKindJobFailed)
	defer cancel()
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = runner.Stop(context.Background()) })

	j := f.newJob(t, time.Now().UTC().Truncate(time.Millisecond))
	attempts := 0
	timeout := time.After(30 * time.Second)
	for attempts < 3 {
		select {
		case ev := <-events:
			var args jobs.ExportArgs
			if json.Unmarshal(ev.Job.EncodedArgs, &args) == nil && args.JobID == j.ID {
				attempts++
				got, _ := f.store.FindExportJob(ctx, j.ID)
				if attempts < 3 && got.Status != goalpost.JobRunning {
					t.Errorf("after attempt %d: status %s, want running (to be retried)", attempts, got.Status)
				}
			}
		case <-timeout:
			t.Fatalf("only %d attempts seen", attempts)
		}
	}
	got, err := f.store.FindExportJob(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != goalpost.JobFailed || got.StatusDetail != "The export failed after 3 attempts." {
		t.Errorf("status %s %q", got.Status, got.StatusDetail)
	}
}

func TestCleaner_OrphansAndDeadJobs(t *testing.T) {
	f := mustOpen(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	clock := func() time.Time { return now }

	// A succeeded job whose blob is referenced.
	done := f.newJob(t, now.Add(-time.Minute))
	ex := &jobs.Exporter{Store: f.store, Bucket: f.bucket, Logger: discard(), NowFunc: clock}
	if err := ex.Run(ctx, done.ID); err != nil {
		t.Fatal(err)
	}
	kept, _ := f.store.FindExportJob(ctx, done.ID)

	// Orphans: an old blob of a dead attempt, and a fresh one that may
	// belong to an attempt about to commit.
	old := jobs.ContentPrefix + uuid.NewString() + "/dead.csv"
	fresh := jobs.ContentPrefix + uuid.NewString() + "/inflight.csv"
	for _, k := range []string{old, fresh} {
		if err := f.bucket.WriteAll(ctx, k, []byte("Id\r\n"), nil); err != nil {
			t.Fatal(err)
		}
	}
	past := now.Add(-2 * time.Hour)
	for _, k := range []string{old, kept.Content.Key} {
		if err := os.Chtimes(filepath.Join(f.dir, filepath.FromSlash(k)), past, past); err != nil {
			t.Fatal(err)
		}
	}

	// A job whose River work died: it must not stay notStarted forever.
	stuck := f.newJob(t, now)
	cl := &jobs.Cleaner{Store: f.store, Bucket: f.bucket, Logger: discard(), NowFunc: clock, OrphanGrace: time.Hour,
		DeadJobsFunc: func(context.Context) ([]uuid.UUID, error) { return []uuid.UUID{stuck.ID, done.ID}, nil }}
	res, err := cl.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Orphans != 1 || res.Failed != 1 || res.Expired != 0 {
		t.Errorf("result %+v, want 1 orphan, 1 failed, 0 expired", res)
	}
	for k, want := range map[string]bool{old: false, fresh: true, kept.Content.Key: true} {
		if ok, _ := f.bucket.Exists(ctx, k); ok != want {
			t.Errorf("blob %s exists = %v, want %v", k, ok, want)
		}
	}
	if got, _ := f.store.FindExportJob(ctx, stuck.ID); got.Status != goalpost.JobFailed || got.StatusDetail == "" {
		t.Errorf("dead job: %s %q", got.Status, got.StatusDetail)
	}
	if got, _ := f.store.FindExportJob(ctx, done.ID); got.Status != goalpost.JobSucceeded {
		t.Errorf("a succeeded job was touched: %s", got.Status)
	}
}
