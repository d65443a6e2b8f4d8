package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/goalpost/goalpost"
)

// jobColumns are the columns scanJob reads, in its order.
const jobColumns = `id, org_id, view_id, creator_id, status, status_detail, created_at, last_action_at, expires_at,
	started_at, content_key, content_size, content_sha256, row_count`

// scanJob scans a row of jobColumns.
func scanJob(row pgx.Row) (*goalpost.ExportJob, error) {
	var j goalpost.ExportJob
	var startedAt *time.Time
	var contentKey *string
	if err := row.Scan(&j.ID, &j.OrgID, &j.ViewID, &j.CreatorID, &j.Status, &j.StatusDetail,
		&j.CreatedAt, &j.LastActionAt, &j.ExpiresAt, &startedAt,
		&contentKey, &j.Content.Size, &j.Content.SHA256, &j.Content.Rows); err != nil {
		return nil, err
	}
	j.CreatedAt = j.CreatedAt.UTC()
	j.LastActionAt = j.LastActionAt.UTC()
	j.ExpiresAt = j.ExpiresAt.UTC()
	j.StartedAt = timeOf(startedAt)
	if contentKey != nil {
		j.Content.Key = *contentKey
	}
	return &j, nil
}

// scanJobs scans every row of jobColumns.
func scanJobs(rows pgx.Rows) ([]*goalpost.ExportJob, error) {
	defer rows.Close()
	jobs := []*goalpost.ExportJob{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// errJobNotFound is the ENOTFOUND of every job method.
func errJobNotFound() error {
	return goalpost.ErrExportJobNotFound
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// findJob reads the job with id through q.
func findJob(ctx context.Context, q querier, id uuid.UUID) (*goalpost.ExportJob, error) {
	j, err := scanJob(q.QueryRow(ctx, `SELECT `+jobColumns+` FROM export_jobs WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errJobNotFound()
	}
	return j, err
}

// errPending is a create's insert refused by export_jobs_one_pending.
var errPending = errors.New("another job of the organization and view is pending")

// createAttempts is how often CreateExportJob tries again when the job that
// refused its insert finished before the conflict could name it.
const createAttempts = 3

// CreateExportJob records job as notStarted and calls EnqueueExportFunc in
// the same transaction. Its times are stored to the millisecond, and job is
// updated to match what is stored (status notStarted, UTC, milliseconds;
// LastActionAt defaults to CreatedAt).
//
// While another job of the same organization and view is notStarted or
// running, the partial unique index export_jobs_one_pending refuses the row,
// whichever process or machine inserted the other job, and CreateExportJob
// returns ECONFLICT naming that job.
func (s *Store) CreateExportJob(ctx context.Context, job *goalpost.ExportJob) error {
	if job.ID == uuid.Nil || job.OrgID == uuid.Nil || job.ViewID == uuid.Nil {
		return goalpost.Errorf(goalpost.EINVALID, "Export job needs an id, an organization and a view")
	}
	job.Status = goalpost.JobNotStarted
	job.StatusDetail = ""
	job.CreatedAt = ms(job.CreatedAt)
	job.ExpiresAt = ms(job.ExpiresAt)
	if job.LastActionAt.IsZero() {
		job.LastActionAt = job.CreatedAt
	}
	job.LastActionAt = ms(job.LastActionAt)
	job.StartedAt = time.Time{}
	job.Content = goalpost.Content{}

	for attempt := 1; ; attempt++ {
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO export_jobs (id, org_id, view_id, creator_id, status, created_at, last_action_at, expires_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				job.ID, job.OrgID, job.ViewID, job.CreatorID, string(job.Status), job.CreatedAt, job.LastActionAt, job.ExpiresAt)
			if e := pgError(err); e != nil && e.Code == uniqueViolation {
				if e.ConstraintName == "export_jobs_one_pending" {
					return errPending
				}
				return goalpost.Errorf(goalpost.ECONFLICT, "Export job %s already exists", job.ID)
			} else if e != nil && e.Code == foreignKeyViolation {
				return goalpost.Errorf(goalpost.EINVALID, "Export job's organization %s does not exist", job.OrgID)
			} else if err != nil {
				return err
			}
			if s.EnqueueExportFunc != nil {
				if err := s.EnqueueExportFunc(ctx, tx, job); err != nil {
					return fmt.Errorf("enqueue: %w", err)
				}
			}
			return nil
		})
		if errors.Is(err, errPending) {
			// The insert waited for the other job's transaction and saw
			// it commit, so a new statement sees the job, unless it has
			// finished in the meantime; then the slot is free again.
			err = s.pendingConflict(ctx, job)
			if errors.Is(err, errPending) && attempt < createAttempts {
				continue
			}
		}
		var e *goalpost.Error
		if err == nil || errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("create export job: %w", err)
	}
}

// pendingConflict returns the 409 naming the pending job of job's
// organization and view, or errPending when there is none (any more).
func (s *Store) pendingConflict(ctx context.Context, job *goalpost.ExportJob) error {
	var id, orgID uuid.UUID
	err := s.pool.QueryRow(ctx, `SELECT id, org_id FROM export_jobs
		WHERE org_id = $1 AND view_id = $2 AND status IN ('notStarted', 'running')`,
		job.OrgID, job.ViewID).Scan(&id, &orgID)
	if errors.Is(err, pgx.ErrNoRows) {
		return errPending
	} else if err != nil {
		return err
	}
	return goalpost.ExportJobPendingError(goalpost.JobKey{JobID: id, OrgID: orgID})
}

// FindExportJob returns the job with id.
func (s *Store) FindExportJob(ctx context.Context, id uuid.UUID) (*goalpost.ExportJob, error) {
	j, err := findJob(ctx, s.pool, id)
	if err != nil && !goalpost.IsNotFound(err) {
		return nil, fmt.Errorf("find export job: %w", err)
	}
	return j, err
}

// FindExportJobs lists the jobs f's viewer may see (those they created and
// every job of the organizations they own or administer), newest first by
// creation time and then ID, after f's cursor when it is set. A Limit of zero
// or less means no limit.
func (s *Store) FindExportJobs(ctx context.Context, f goalpost.ExportJobFilter) ([]*goalpost.ExportJob, error) {
	where := []string{`(j.creator_id = $1 OR j.org_id IN (
		SELECT m.org_id FROM memberships m WHERE m.user_id = $1 AND m.role IN ('owner', 'admin')))`}
	args := []any{f.ViewerID}
	if f.OrgID != uuid.Nil {
		args = append(args, f.OrgID)
		where = append(where, fmt.Sprintf(`j.org_id = $%d`, len(args)))
	}
	if !f.AfterCreatedAt.IsZero() || f.AfterID != uuid.Nil {
		args = append(args, ms(f.AfterCreatedAt), f.AfterID)
		where = append(where, fmt.Sprintf(`(j.created_at, j.id) < ($%d, $%d)`, len(args)-1, len(args)))
	}
	limit := ""
	if f.Limit > 0 {
		args = append(args, f.Limit)
		limit = fmt.Sprintf(` LIMIT $%d`, len(args))
	}
	rows, err := s.pool.Query(ctx, `SELECT `+jobColumns+` FROM export_jobs j WHERE `+strings.Join(where, ` AND `)+`
		ORDER BY j.created_at DESC, j.id DESC`+limit, args...)
	if err != nil {
		return nil, fmt.Errorf("find export jobs: %w", err)
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return nil, fmt.Errorf("find export jobs: %w", err)
	}
	return jobs, nil
}

// StartExportJob marks a notStarted or running job running at now (a running
// job being retried starts again, with a fresh StartedAt) and returns it. A
// job that is already done is returned unchanged.
func (s *Store) StartExportJob(ctx context.Context, id uuid.UUID, now time.Time) (*goalpost.ExportJob, error) {
	j, err := scanJob(s.pool.QueryRow(ctx, `UPDATE export_jobs SET status = 'running', started_at = $1, last_action_at = $1
		WHERE id = $2 AND status IN ('notStarted', 'running') RETURNING `+jobColumns, ms(now), id))
	if errors.Is(err, pgx.ErrNoRows) {
		j, err = findJob(ctx, s.pool, id)
	}
	if err != nil && !goalpost.IsNotFound(err) {
		return nil, fmt.Errorf("start export job: %w", err)
	}
	return j, err
}

// CompleteExportJob records the success and the content of a running job.
// A job that is not running is an ECONFLICT error.
func (s *Store) CompleteExportJob(ctx context.Context, id uuid.UUID, c goalpost.Content, now time.Time) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE export_jobs SET status = 'succeeded', status_detail = '',
			content_key = $1, content_size = $2, content_sha256 = $3, row_count = $4, completed_at = $5, last_action_at = $5
			WHERE id = $6 AND status = 'running'`,
			c.Key, c.Size, c.SHA256, c.Rows, ms(now), id)
		if err != nil {
			return err
		}
		return checkTransition(ctx, tx, tag.RowsAffected(), id, "exportJobNotRunning", "Export job is %s, not running")
	})
	if err != nil && goalpost.ErrorCode(err) == goalpost.EINTERNAL {
		return fmt.Errorf("complete export job: %w", err)
	}
	return err
}

// FailExportJob records the failure of a notStarted or running job, with
// detail as its statusDetail. A job that is done already is an ECONFLICT
// error.
func (s *Store) FailExportJob(ctx context.Context, id uuid.UUID, detail string, now time.Time) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE export_jobs SET status = 'failed', status_detail = $1, completed_at = $2, last_action_at = $2
			WHERE id = $3 AND status IN ('notStarted', 'running')`,
			detail, ms(now), id)
		if err != nil {
			return err
		}
		return checkTransition(ctx, tx, tag.RowsAffected(), id, "exportJobAlreadyDone", "Export job is %s already")
	})
	if err != nil && goalpost.ErrorCode(err) == goalpost.EINTERNAL {
		return fmt.Errorf("fail export job: %w", err)
	}
	return err
}

// checkTransition explains an UPDATE of a job's state that changed nothing:
// the job is missing (ENOTFOUND) or in a state the transition does not
// start from (ECONFLICT with inner and msg, which names the state).
func checkTransition(ctx context.Context, tx pgx.Tx, affected int64, id uuid.UUID, inner, msg string) error {
	if affected > 0 {
		return nil
	}
	j, err := findJob(ctx, tx, id)
	if err != nil {
		return err
	}
	return &goalpost.Error{Code: goalpost.ECONFLICT, Inner: inner, Message: fmt.Sprintf(msg, j.Status)}
}

// ExpiredExportJobs returns up to limit jobs whose expiry is at or before
// now, the longest expired first.
func (s *Store) ExpiredExportJobs(ctx context.Context, now time.Time, limit int) ([]*goalpost.ExportJob, error) {
	if limit <= 0 {
		return []*goalpost.ExportJob{}, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+jobColumns+` FROM export_jobs WHERE expires_at <= $1
		ORDER BY expires_at, id LIMIT $2`, ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("expired export jobs: %w", err)
	}
	jobs, err := scanJobs(rows)
	if err != nil {
		return nil, fmt.Errorf("expired export jobs: %w", err)
	}
	return jobs, nil
}

// DeleteExportJob deletes a job row; deleting a missing job is no error.
func (s *Store) DeleteExportJob(ctx context.Context, id uuid.UUID) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM export_jobs WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete export job: %w", err)
	}
	return nil
}

// ContentKeys reports, for every key of keys, whether it is the content of a
// job that exists. One query asks about all of them, as one array.
func (s *Store) ContentKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	found := make(map[string]bool, len(keys))
	for _, k := range keys {
		found[k] = false
	}
	if len(keys) == 0 {
		return found, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT content_key FROM export_jobs WHERE content_key = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("content keys: %w", err)
	}
	var k string
	if _, err := pgx.ForEachRow(rows, []any{&k}, func() error { found[k] = true; return nil }); err != nil {
		return nil, fmt.Errorf("content keys: %w", err)
	}
	return found, nil
}

// avgDurationWindow is how many recently succeeded jobs AvgDuration averages.
const avgDurationWindow = 20

// ExportQueueStats returns the figures for job's Retry-After: the notStarted
// jobs created before it (by creation time, then ID), the running jobs, and
// the mean run time of the last 20 succeeded jobs.
func (s *Store) ExportQueueStats(ctx context.Context, job *goalpost.ExportJob) (goalpost.QueueStats, error) {
	var st goalpost.QueueStats
	var avgMillis *float64
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM export_jobs WHERE status = 'notStarted' AND (created_at, id) < ($1, $2)),
		(SELECT count(*) FROM export_jobs WHERE status = 'running'),
		(SELECT avg(extract(epoch FROM completed_at - started_at) * 1000)::float8 FROM (
			SELECT completed_at, started_at FROM export_jobs
			WHERE status = 'succeeded' AND started_at IS NOT NULL
			ORDER BY completed_at DESC LIMIT $3) recent)`,
		ms(job.CreatedAt), job.ID, avgDurationWindow).Scan(&st.Ahead, &st.Running, &avgMillis)
	if err != nil {
		return goalpost.QueueStats{}, fmt.Errorf("export queue stats: %w", err)
	}
	if avgMillis != nil {
		st.AvgDuration = time.Duration(*avgMillis * float64(time.Millisecond))
	}
	return st, nil
}
