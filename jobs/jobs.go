// Package jobs runs goalpost's background work on River: the export worker
// that streams a view into blob storage, and the periodic cleanup that deletes
// expired jobs and their content. It is generic over River's driver so that
// the same workers run on SQLite and on PostgreSQL.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
	"gocloud.dev/blob"

	"github.com/goalpost/goalpost"
)

// Queue names.
const (
	QueueExports     = "exports"
	QueueMaintenance = "maintenance"
)

// ExportArgs is the River job that runs one export.
type ExportArgs struct {
	JobID uuid.UUID `json:"job_id"`
}

// Kind implements river.JobArgs.
func (ExportArgs) Kind() string { return "goalpost_export" }

// CleanupArgs is the periodic River job that deletes expired exports.
type CleanupArgs struct{}

// Kind implements river.JobArgs.
func (CleanupArgs) Kind() string { return "goalpost_cleanup" }

// Config configures a Runner. Zero values take the documented defaults.
type Config struct {
	Store  goalpost.Store
	Bucket *blob.Bucket

	// Workers is how many exports run at once on this node. Zero makes an
	// insert-only node: it accepts jobs and never runs them (nor cleanup).
	Workers int
	// JobTimeout bounds one export attempt. Default 10 minutes.
	JobTimeout time.Duration
	// RescueAfter is when a running job whose worker died is retried; it
	// must exceed JobTimeout. Default JobTimeout + 5 minutes.
	RescueAfter time.Duration
	// MaxAttempts is how often an export is tried before it fails. Default 5.
	MaxAttempts int
	// CleanupInterval is how often expired jobs are deleted. Default 1 minute.
	CleanupInterval time.Duration
	// OrphanGrace is how old an unreferenced blob must be before cleanup
	// deletes it, so a blob whose job is about to commit is never taken.
	// Default RescueAfter.
	OrphanGrace time.Duration
	// FetchPollInterval is how often an idle worker looks for jobs when no
	// notification arrives. Default 200 ms.
	FetchPollInterval time.Duration
	// RetryPolicy decides when a failed attempt is retried; nil is River's
	// exponential backoff.
	RetryPolicy river.ClientRetryPolicy

	Logger *slog.Logger
	// NowFunc is the clock; default time.Now.
	NowFunc func() time.Time
}

func (c *Config) setDefaults() error {
	if c.Store == nil || c.Bucket == nil {
		return errors.New("jobs: Store and Bucket are required")
	}
	if c.Workers < 0 {
		return fmt.Errorf("jobs: workers must be ≥ 0, got %d", c.Workers)
	}
	if c.JobTimeout == 0 {
		c.JobTimeout = 10 * time.Minute
	}
	if c.RescueAfter == 0 {
		c.RescueAfter = c.JobTimeout + 5*time.Minute
	}
	if c.RescueAfter <= c.JobTimeout {
		return fmt.Errorf("jobs: rescue-after (%v) must be longer than job-timeout (%v)", c.RescueAfter, c.JobTimeout)
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 5
	}
	if c.CleanupInterval == 0 {
		c.CleanupInterval = time.Minute
	}
	if c.OrphanGrace == 0 {
		c.OrphanGrace = c.RescueAfter
	}
	if c.FetchPollInterval == 0 {
		c.FetchPollInterval = 200 * time.Millisecond
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.NowFunc == nil {
		c.NowFunc = time.Now
	}
	return nil
}

// Runner owns the River client of one process.
type Runner[TTx any] struct {
	client  *river.Client[TTx]
	cfg     Config
	started bool
}

// New returns a Runner on driver. Call Start to run workers (when
// cfg.Workers > 0) and Stop to shut down.
func New[TTx any](driver riverdriver.Driver[TTx], cfg Config) (*Runner[TTx], error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	r := &Runner[TTx]{cfg: cfg}
	rc := &river.Config{
		Logger:               cfg.Logger,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		MaxAttempts:          cfg.MaxAttempts,
		RetryPolicy:          cfg.RetryPolicy,
		FetchPollInterval:    cfg.FetchPollInterval,
		FetchCooldown:        min(20*time.Millisecond, cfg.FetchPollInterval),
		// Finished River rows are only bookkeeping; the export_jobs table is
		// the record. Dead ones are kept a day so cleanup can reconcile them.
		CompletedJobRetentionPeriod: time.Hour,
		CancelledJobRetentionPeriod: 24 * time.Hour,
		DiscardedJobRetentionPeriod: 24 * time.Hour,
	}
	if cfg.Workers > 0 {
		exp := &Exporter{Store: cfg.Store, Bucket: cfg.Bucket, Logger: cfg.Logger, NowFunc: cfg.NowFunc}
		cl := &Cleaner{Store: cfg.Store, Bucket: cfg.Bucket, Logger: cfg.Logger, NowFunc: cfg.NowFunc,
			OrphanGrace: cfg.OrphanGrace, DeadJobsFunc: r.deadExportJobs}
		workers := river.NewWorkers()
		river.AddWorker(workers, &exportWorker{exporter: exp})
		river.AddWorker(workers, &cleanupWorker{cleaner: cl})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{
			QueueExports:     {MaxWorkers: cfg.Workers},
			QueueMaintenance: {MaxWorkers: 1},
		}
		rc.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cfg.CleanupInterval),
				func() (river.JobArgs, *river.InsertOpts) {
					return CleanupArgs{}, &river.InsertOpts{Queue: QueueMaintenance, MaxAttempts: 1}
				},
				&river.PeriodicJobOpts{ID: "goalpost_cleanup", RunOnStart: true}),
		}
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("new river client: %w", err)
	}
	r.client = client
	return r, nil
}

// Client returns the River client, for tests and operations.
func (r *Runner[TTx]) Client() *river.Client[TTx] { return r.client }

// EnqueueTx inserts the export work for job in tx, the transaction that
// records the job: a job is never recorded without its work.
func (r *Runner[TTx]) EnqueueTx(ctx context.Context, tx TTx, job *goalpost.ExportJob) error {
	_, err := r.client.InsertTx(ctx, tx, ExportArgs{JobID: job.ID}, &river.InsertOpts{
		Queue:       QueueExports,
		MaxAttempts: r.cfg.MaxAttempts,
	})
	if err != nil {
		return fmt.Errorf("enqueue export: %w", err)
	}
	return nil
}

// Start starts the workers. On an insert-only node it does nothing.
func (r *Runner[TTx]) Start(ctx context.Context) error {
	if r.cfg.Workers == 0 {
		return nil
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("start river: %w", err)
	}
	r.started = true
	return nil
}

// Stop stops fetching new jobs and waits for running ones until ctx is
// done; then it cancels what still runs and waits for it to return. A
// cancelled export is retried later, by this node or another.
func (r *Runner[TTx]) Stop(ctx context.Context) error {
	if !r.started {
		return nil
	}
	err := r.client.Stop(ctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("stop river: %w", err)
	}
	hard, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("stop river: %w", err)
	}
	return nil
}

// deadExportJobs returns the export jobs whose River work was discarded or
// cancelled: when a killed worker's job runs out of attempts, River's rescuer
// discards it without running any of our code, so cleanup marks it failed.
func (r *Runner[TTx]) deadExportJobs(ctx context.Context) ([]uuid.UUID, error) {
	params := river.NewJobListParams().
		Kinds(ExportArgs{}.Kind()).
		States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).
		OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc).
		First(200)
	res, err := r.client.JobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("list dead export jobs: %w", err)
	}
	ids := make([]uuid.UUID, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		var args ExportArgs
		if err := decodeArgs(j.EncodedArgs, &args); err != nil {
			continue
		}
		ids = append(ids, args.JobID)
	}
	return ids, nil
}
