package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// jobColumns are the columns scanJob reads, in its order.
const jobColumns = `id, org_id, view_id, creator_id, status, status_detail, created_at, last_action_at, expires_at,
	started_at, content_key, content_size, content_sha256, row_count`

// scanJob scans a row of jobColumns.
func scanJob(row interface{ Scan(...any) error }) (*goalpost.ExportJob, error) {
	var j goalpost.ExportJob
	var createdAt, lastActionAt, expiresAt int64
	var startedAt sql.NullInt64
	var contentKey sql.NullString
	if err := row.Scan(&j.ID, &j.OrgID, &j.ViewID, &j.CreatorID, &j.Status, &j.StatusDetail,
		&createdAt, &lastActionAt, &expiresAt, &startedAt,
		&contentKey, &j.Content.Size, &j.Content.SHA256, &j.Content.Rows); err != nil {
		return nil, err
	}
	j.CreatedAt = fromMillis(createdAt)
	j.LastActionAt = fromMillis(lastActionAt)
	j.ExpiresAt = fromMillis(expiresAt)
	j.StartedAt = fromNullMillis(startedAt)
	j.Content.Key = contentKey.String
	return &j, nil
}

// errJobNotFound is the ENOTFOUND of every job method.
func errJobNotFound() error {
	return goalpost.ErrExportJobNotFound
}

// findJob reads the job with id through q (a pool or a transaction).
func findJob(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id uuid.UUID) (*goalpost.ExportJob, error) {
	j, err := scanJob(q.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM export_jobs WHERE id = ?`, id.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errJobNotFound()
	}
	return j, err
}

// CreateExportJob records job as notStarted and calls EnqueueExportFunc in
// the same transaction. Its times are stored to the millisecond, and job is
// updated to match what is stored (status notStarted, UTC, milliseconds;
// LastActionAt defaults to CreatedAt).
//
// While another job of the same organization and view is notStarted or
// running, the partial unique index export_jobs_one_pending refuses the row
// and CreateExportJob returns ECONFLICT naming that job, whichever process
// inserted it.
func (s *Store) CreateExportJob(ctx context.Context, job *goalpost.ExportJob) error {
	if job.ID == uuid.Nil || job.OrgID == uuid.Nil || job.ViewID == uuid.Nil {
		return goalpost.Errorf(goalpost.EINVALID, "Export job needs an id, an organization and a view")
	}
	job.Status = goalpost.JobNotStarted
	job.StatusDetail = ""
	job.CreatedAt = job.CreatedAt.UTC().Truncate(time.Millisecond)
	job.ExpiresAt = job.ExpiresAt.UTC().Truncate(time.Millisecond)
	if job.LastActionAt.IsZero() {
		job.LastActionAt = job.CreatedAt
	}
	job.LastActionAt = job.LastActionAt.UTC().Truncate(time.Millisecond)
	job.StartedAt = time.Time{}
	job.Content = goalpost.Content{}

	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO export_jobs (id, org_id, view_id, creator_id, status, created_at, last_action_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			job.ID.String(), job.OrgID.String(), job.ViewID.String(), job.CreatorID.String(), string(job.Status),
			millis(job.CreatedAt), millis(job.LastActionAt), millis(job.ExpiresAt))
		if isUniqueViolation(err) {
			return pendingConflict(ctx, tx, job, err)
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
	if err != nil {
		var e *goalpost.Error
		if errors.As(err, &e) {
			return err
		}
		return fmt.Errorf("create export job: %w", err)
	}
	return nil
}

// pendingConflict turns a uniqueness violation of job's insert into the 409
// naming the pending job of the same organization and view. The lookup runs
// in the failed insert's transaction, so it sees the job that won.
func pendingConflict(ctx context.Context, tx *sql.Tx, job *goalpost.ExportJob, insertErr error) error {
	var id, orgID uuid.UUID
	err := tx.QueryRowContext(ctx, `SELECT id, org_id FROM export_jobs
		WHERE org_id = ? AND view_id = ? AND status IN ('notStarted', 'running')`,
		job.OrgID.String(), job.ViewID.String()).Scan(&id, &orgID)
	if errors.Is(err, sql.ErrNoRows) {
		// Not the pending index: the job's own id exists already.
		return goalpost.Errorf(goalpost.ECONFLICT, "Export job %s already exists", job.ID)
	} else if err != nil {
		return errors.Join(insertErr, err)
	}
	return goalpost.ExportJobPendingError(goalpost.JobKey{JobID: id, OrgID: orgID})
}

// FindExportJob returns the job with id.
func (s *Store) FindExportJob(ctx context.Context, id uuid.UUID) (*goalpost.ExportJob, error) {
	j, err := scanJob(s.stmts.job.QueryRowContext(ctx, id.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errJobNotFound()
	} else if err != nil {
		return nil, fmt.Errorf("find export job: %w", err)
	}
	return j, nil
}

// FindExportJobs lists the jobs f's viewer may see (those they created and
// every job of the organizations they own or administer), newest first by
// creation time and then ID, after f's cursor when it is set. A Limit of zero
// or less means no limit.
func (s *Store) FindExportJobs(ctx context.Context, f goalpost.ExportJobFilter) ([]*goalpost.ExportJob, error) {
	var where []string
	var args []any
	where = append(where, `(j.creator_id = ? OR j.org_id IN (
		SELECT m.org_id FROM memberships m WHERE m.user_id = ? AND m.role IN ('owner', 'admin')))`)
	args = append(args, f.ViewerID.String(), f.ViewerID.String())
	if f.OrgID != uuid.Nil {
		where = append(where, `j.org_id = ?`)
		args = append(args, f.OrgID.String())
	}
	if !f.AfterCreatedAt.IsZero() || f.AfterID != uuid.Nil {
		at := millis(f.AfterCreatedAt)
		where = append(where, `(j.created_at < ? OR (j.created_at = ? AND j.id < ?))`)
		args = append(args, at, at, f.AfterID.String())
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit)
	rows, err := s.read.QueryContext(ctx, `SELECT `+jobColumns+` FROM export_jobs j WHERE `+strings.Join(where, ` AND `)+`
		ORDER BY j.created_at DESC, j.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("find export jobs: %w", err)
	}
	defer rows.Close()
	jobs := []*goalpost.ExportJob{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("find export jobs: %w", err)
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find export jobs: %w", err)
	}
	return jobs, nil
}

// StartExportJob marks a notStarted or running job running at now (a running
// job being retried starts again, with a fresh StartedAt) and returns it. A
// job that is already done is returned unchanged.
func (s *Store) StartExportJob(ctx context.Context, id uuid.UUID, now time.Time) (*goalpost.ExportJob, error) {
	var job *goalpost.ExportJob
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		j, err := scanJob(tx.QueryRowContext(ctx, `UPDATE export_jobs SET status = 'running', started_at = ?1, last_action_at = ?1
			WHERE id = ?2 AND status IN ('notStarted', 'running') RETURNING `+jobColumns, millis(now), id.String()))
		if errors.Is(err, sql.ErrNoRows) {
			j, err = findJob(ctx, tx, id)
		}
		job = j
		return err
	})
	if err != nil && !goalpost.IsNotFound(err) {
		return nil, fmt.Errorf("start export job: %w", err)
	}
	return job, err
}

// CompleteExportJob records the success and the content of a running job.
// A job that is not running is an ECONFLICT error.
func (s *Store) CompleteExportJob(ctx context.Context, id uuid.UUID, c goalpost.Content, now time.Time) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE export_jobs SET status = 'succeeded', status_detail = '',
			content_key = ?, content_size = ?, content_sha256 = ?, row_count = ?, completed_at = ?, last_action_at = ?
			WHERE id = ? AND status = 'running'`,
			c.Key, c.Size, c.SHA256, c.Rows, millis(now), millis(now), id.String())
		if err != nil {
			return err
		}
		return checkTransition(ctx, tx, res, id, "exportJobNotRunning", "Export job is %s, not running")
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
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE export_jobs SET status = 'failed', status_detail = ?, completed_at = ?, last_action_at = ?
			WHERE id = ? AND status IN ('notStarted', 'running')`,
			detail, millis(now), millis(now), id.String())
		if err != nil {
			return err
		}
		return checkTransition(ctx, tx, res, id, "exportJobAlreadyDone", "Export job is %s already")
	})
	if err != nil && goalpost.ErrorCode(err) == goalpost.EINTERNAL {
		return fmt.Errorf("fail export job: %w", err)
	}
	return err
}

// checkTransition explains an UPDATE of a job's state that changed nothing:
// the job is missing (ENOTFOUND) or in a state the transition does not
// start from (ECONFLICT with inner and msg, which names the state).
func checkTransition(ctx context.Context, tx *sql.Tx, res sql.Result, id uuid.UUID, inner, msg string) error {
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
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
	rows, err := s.read.QueryContext(ctx, `SELECT `+jobColumns+` FROM export_jobs WHERE expires_at <= ?
		ORDER BY expires_at, id LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("expired export jobs: %w", err)
	}
	defer rows.Close()
	jobs := []*goalpost.ExportJob{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("expired export jobs: %w", err)
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("expired export jobs: %w", err)
	}
	return jobs, nil
}

// DeleteExportJob deletes a job row; deleting a missing job is no error.
func (s *Store) DeleteExportJob(ctx context.Context, id uuid.UUID) error {
	if _, err := s.write.ExecContext(ctx, `DELETE FROM export_jobs WHERE id = ?`, id.String()); err != nil {
		return fmt.Errorf("delete export job: %w", err)
	}
	return nil
}

// contentKeysBatch is how many keys one ContentKeys query asks about, well
// under SQLite's limit on bound parameters.
const contentKeysBatch = 500

// ContentKeys reports, for every key of keys, whether it is the content of a
// job that exists.
func (s *Store) ContentKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	found := make(map[string]bool, len(keys))
	for _, k := range keys {
		found[k] = false
	}
	for start := 0; start < len(keys); start += contentKeysBatch {
		batch := keys[start:min(start+contentKeysBatch, len(keys))]
		args := make([]any, len(batch))
		for i, k := range batch {
			args[i] = k
		}
		rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT content_key FROM export_jobs WHERE content_key IN (`+
			strings.TrimSuffix(strings.Repeat("?,", len(batch)), ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("content keys: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, fmt.Errorf("content keys: %w", err)
			}
			found[k] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("content keys: %w", err)
		}
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
	var avgMillis sql.NullFloat64
	at := millis(job.CreatedAt)
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM export_jobs WHERE status = 'notStarted' AND (created_at < ?1 OR (created_at = ?1 AND id < ?2))),
		(SELECT count(*) FROM export_jobs WHERE status = 'running'),
		(SELECT avg(completed_at - started_at) FROM (
			SELECT completed_at, started_at FROM export_jobs INDEXED BY export_jobs_succeeded
			WHERE status = 'succeeded' AND started_at IS NOT NULL
			ORDER BY completed_at DESC LIMIT ?3))`,
		at, job.ID.String(), avgDurationWindow).Scan(&st.Ahead, &st.Running, &avgMillis)
	if err != nil {
		return goalpost.QueueStats{}, fmt.Errorf("export queue stats: %w", err)
	}
	if avgMillis.Valid {
		st.AvgDuration = time.Duration(avgMillis.Float64 * float64(time.Millisecond))
	}
	return st, nil
}
