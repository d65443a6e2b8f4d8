package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/goalpost/goalpost"
)

// Cleaner deletes expired jobs and their content, removes blobs no job
// refers to, and fails jobs whose River work died. Every step is idempotent,
// so running it twice, or on two nodes, does no harm.
type Cleaner struct {
	Store  goalpost.Store
	Bucket *blob.Bucket
	Logger *slog.Logger
	// OrphanGrace is how old an unreferenced blob must be to be deleted.
	OrphanGrace time.Duration
	// DeadJobsFunc returns export jobs whose River work was discarded or
	// cancelled; nil skips reconciliation.
	DeadJobsFunc func(ctx context.Context) ([]uuid.UUID, error)
	NowFunc      func() time.Time
}

// CleanupResult counts what one cleanup did.
type CleanupResult struct {
	Expired  int // jobs deleted with their content
	Orphans  int // unreferenced blobs deleted
	Failed   int // jobs marked failed because their work died
	Scanned  int // blobs looked at
	Deferred bool
}

const cleanupBatch = 500

// Run does one cleanup pass.
func (c *Cleaner) Run(ctx context.Context) (CleanupResult, error) {
	var res CleanupResult
	now := c.NowFunc().UTC()
	for {
		jobs, err := c.Store.ExpiredExportJobs(ctx, now, cleanupBatch)
		if err != nil {
			return res, fmt.Errorf("list expired jobs: %w", err)
		}
		for _, j := range jobs {
			// Content first: a crash in between leaves a job row to retry,
			// never a blob nobody can find.
			if j.Content.Key != "" {
				if err := c.deleteBlob(ctx, j.Content.Key); err != nil {
					return res, err
				}
			}
			if err := c.Store.DeleteExportJob(ctx, j.ID); err != nil {
				return res, fmt.Errorf("delete expired job: %w", err)
			}
			res.Expired++
		}
		if len(jobs) < cleanupBatch {
			break
		}
	}
	if err := c.sweepOrphans(ctx, now, &res); err != nil {
		return res, err
	}
	if c.DeadJobsFunc != nil {
		if err := c.reconcile(ctx, now, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (c *Cleaner) deleteBlob(ctx context.Context, key string) error {
	if err := c.Bucket.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// sweepOrphans deletes content blobs that no job refers to: those of
// attempts that died before they committed, and leftovers of a crash.
func (c *Cleaner) sweepOrphans(ctx context.Context, now time.Time, res *CleanupResult) error {
	it := c.Bucket.List(&blob.ListOptions{Prefix: ContentPrefix})
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		refs, err := c.Store.ContentKeys(ctx, batch)
		if err != nil {
			return fmt.Errorf("check content keys: %w", err)
		}
		for _, k := range batch {
			if refs[k] {
				continue
			}
			if err := c.deleteBlob(ctx, k); err != nil {
				return err
			}
			res.Orphans++
		}
		batch = batch[:0]
		return nil
	}
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		if obj.IsDir {
			continue
		}
		res.Scanned++
		if now.Sub(obj.ModTime) < c.OrphanGrace {
			continue
		}
		batch = append(batch, obj.Key)
		if len(batch) == cleanupBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// reconcile fails export jobs whose River work is dead but which still say
// notStarted or running, so that no job stays stuck.
func (c *Cleaner) reconcile(ctx context.Context, now time.Time, res *CleanupResult) error {
	ids, err := c.DeadJobsFunc(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		j, err := c.Store.FindExportJob(ctx, id)
		if goalpost.IsNotFound(err) {
			continue
		} else if err != nil {
			return fmt.Errorf("find export job: %w", err)
		}
		if j.Status.Done() {
			continue
		}
		if err := c.Store.FailExportJob(ctx, id, "The export did not finish: its worker stopped and its attempts ran out.", now); err != nil {
			return fmt.Errorf("fail dead export job: %w", err)
		}
		res.Failed++
	}
	return nil
}

// cleanupWorker adapts Cleaner to River's periodic jobs; River elects one
// leader to schedule it, so it runs on one node at a time.
type cleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	cleaner *Cleaner
}

// Work runs one cleanup pass.
func (w *cleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	res, err := w.cleaner.Run(ctx)
	if err != nil {
		return err
	}
	level := slog.LevelDebug
	if res.Expired+res.Orphans+res.Failed > 0 {
		level = slog.LevelInfo
	}
	w.cleaner.Logger.Log(ctx, level, "cleanup", "expired", res.Expired, "orphans", res.Orphans, "failed", res.Failed, "blobs", res.Scanned)
	return nil
}
