package jobs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"gocloud.dev/blob"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
)

// ContentPrefix is where export content lives in the bucket.
const ContentPrefix = "exports/"

// Exporter runs one export: it streams a view's rows as its creator may see
// them into a fresh blob and then records success in one short transaction.
type Exporter struct {
	Store   goalpost.Store
	Bucket  *blob.Bucket
	Logger  *slog.Logger
	NowFunc func() time.Time
}

// permanentError is a failure no retry can fix: the job fails at once.
type permanentError struct{ detail string }

func (e *permanentError) Error() string { return e.detail }

// Run exports job id. A nil error means the job is done (or gone); an error
// wrapping *permanentError means it can never succeed.
func (e *Exporter) Run(ctx context.Context, id uuid.UUID) error {
	now := e.NowFunc().UTC()
	job, err := e.Store.StartExportJob(ctx, id, now)
	if goalpost.IsNotFound(err) {
		return nil // expired and cleaned up while queued: nothing to do
	} else if err != nil {
		return fmt.Errorf("start export job: %w", err)
	}
	if job.Status.Done() {
		return nil // a duplicate run after success: exactly once
	}
	log := e.Logger.With("job_id", job.Key().String())

	view, err := e.authorize(ctx, job)
	if err != nil {
		return err
	}
	org, err := e.Store.FindOrganizationByID(ctx, job.OrgID)
	if goalpost.IsNotFound(err) {
		return &permanentError{"The goals organization no longer exists."}
	} else if err != nil {
		return fmt.Errorf("find organization: %w", err)
	}

	content, err := e.write(ctx, job, org, view, now)
	if err != nil {
		return err
	}
	if err := e.Store.CompleteExportJob(ctx, job.ID, content, e.NowFunc().UTC()); err != nil {
		// The blob is an orphan now; cleanup removes it after its grace.
		return fmt.Errorf("complete export job: %w", err)
	}
	log.Info("export succeeded", "rows", content.Rows, "bytes", content.Size,
		"duration_ms", e.NowFunc().Sub(now).Milliseconds())
	return nil
}

// authorize checks, when the job runs, that its creator may still see the
// view: an export contains exactly what its creator may see at that time.
func (e *Exporter) authorize(ctx context.Context, job *goalpost.ExportJob) (*goalpost.ExplorerView, error) {
	m, err := e.Store.FindMembership(ctx, job.OrgID, job.CreatorID)
	if goalpost.IsNotFound(err) {
		return nil, &permanentError{"The creator of the export job is no longer a member of the goals organization."}
	} else if err != nil {
		return nil, fmt.Errorf("find membership: %w", err)
	}
	view, err := e.Store.FindViewByID(ctx, job.OrgID, job.ViewID)
	if goalpost.IsNotFound(err) {
		return nil, &permanentError{"The explorer view no longer exists."}
	} else if err != nil {
		return nil, fmt.Errorf("find view: %w", err)
	}
	if !goalpost.CanExport(m, view) {
		return nil, &permanentError{"The creator of the export job may no longer see the explorer view."}
	}
	return view, nil
}

// write streams the CSV into a new blob and returns what it wrote.
func (e *Exporter) write(ctx context.Context, job *goalpost.ExportJob, org *goalpost.Organization, view *goalpost.ExplorerView, now time.Time) (goalpost.Content, error) {
	key := ContentPrefix + job.ID.String() + "/" + rand.Text() + ".csv"
	// Cancelling wctx before Close aborts the write: no partial blob.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bw, err := e.Bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: "text/csv; charset=utf-8"})
	if err != nil {
		return goalpost.Content{}, fmt.Errorf("open blob writer: %w", err)
	}
	cw := &countingWriter{w: bw, h: sha256.New()}
	csvw, err := csvexport.New(cw, org.Terminology, view.Export)
	if err != nil {
		cancel()
		_ = bw.Close()
		return goalpost.Content{}, &permanentError{fmt.Sprintf("The explorer view's export settings are invalid: %v.", err)}
	}
	rows, err := e.Store.ExportView(ctx, goalpost.ExportQuery{View: view, ViewerID: job.CreatorID, Now: now}, csvw)
	if err == nil {
		err = csvw.Flush()
	}
	if err != nil {
		cancel()
		_ = bw.Close()
		return goalpost.Content{}, fmt.Errorf("export view: %w", err)
	}
	if err := bw.Close(); err != nil {
		return goalpost.Content{}, fmt.Errorf("close blob writer: %w", err)
	}
	return goalpost.Content{Key: key, Size: cw.n, SHA256: hex.EncodeToString(cw.h.Sum(nil)), Rows: rows}, nil
}

// countingWriter counts and hashes what passes through it.
type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	h hash.Hash
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

// exportWorker adapts Exporter to River.
type exportWorker struct {
	river.WorkerDefaults[ExportArgs]
	exporter *Exporter
}

// Work runs the export. Permanent failures fail the job at once; others are
// retried with backoff until the attempts run out, and then fail the job.
func (w *exportWorker) Work(ctx context.Context, job *river.Job[ExportArgs]) error {
	err := w.exporter.Run(ctx, job.Args.JobID)
	if err == nil {
		return nil
	}
	log := w.exporter.Logger.With("job_id", job.Args.JobID.String(), "attempt", job.Attempt)
	var perm *permanentError
	switch {
	case errors.As(err, &perm):
		w.fail(job.Args.JobID, perm.detail)
		log.Warn("export failed", "detail", perm.detail)
		return river.JobCancel(err)
	case job.Attempt >= job.MaxAttempts:
		w.fail(job.Args.JobID, fmt.Sprintf("The export failed after %d attempts.", job.Attempt))
		log.Error("export failed, attempts exhausted", "err", err)
		return err
	default:
		log.Warn("export attempt failed, will retry", "err", err)
		return err
	}
}

// fail records the failure even when the job's own context is done (a
// timeout is a failure worth recording).
func (w *exportWorker) fail(id uuid.UUID, detail string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.exporter.Store.FailExportJob(ctx, id, detail, w.exporter.NowFunc().UTC()); err != nil && !goalpost.IsNotFound(err) {
		w.exporter.Logger.Error("record export failure", "job_id", id.String(), "err", err)
	}
}

func decodeArgs(b []byte, v any) error { return json.Unmarshal(b, v) }
