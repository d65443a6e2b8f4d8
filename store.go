package goalpost

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Dataset is a whole set of goals data written in one transaction: the demo
// organizations, a synthetic organization for benchmarks, or test fixtures.
type Dataset struct {
	Organizations []*Organization
	Users         []*User
	Memberships   []Membership
	Teams         []*Team
	TimePeriods   []*TimePeriod
	Items         []*Item
	Alignments    []Alignment
	CheckIns      []*CheckIn
	Views         []*ExplorerView
}

// Store keeps goalpost's data. One contract, several implementations
// (sqlite, postgres), one contract suite (storetest) for all.
//
// Finders return an *Error with ENOTFOUND when nothing matches.
type Store interface {
	// GoalsStore is the management side: the writes of /api/v1, import and
	// backup.
	GoalsStore

	// LoadDataset writes every record of ds in one transaction. Records
	// whose IDs exist already are an error; nothing is written then.
	LoadDataset(ctx context.Context, ds *Dataset) error

	FindOrganizationByID(ctx context.Context, id uuid.UUID) (*Organization, error)
	FindUserByID(ctx context.Context, id uuid.UUID) (*User, error)
	// FindUserByUPN matches the user principal name case-insensitively.
	FindUserByUPN(ctx context.Context, upn string) (*User, error)
	// FindMembership returns the user's membership of the organization.
	FindMembership(ctx context.Context, orgID, userID uuid.UUID) (*Membership, error)
	FindViewByID(ctx context.Context, orgID, viewID uuid.UUID) (*ExplorerView, error)

	// CreateExportJob records job (status notStarted) and enqueues its work
	// in the same transaction. While another job of the same organization
	// and view is notStarted or running it fails with ECONFLICT, inner code
	// exportJobAlreadyExists and Target the other job's key.
	CreateExportJob(ctx context.Context, job *ExportJob) error
	FindExportJob(ctx context.Context, id uuid.UUID) (*ExportJob, error)
	// FindExportJobs lists jobs newest first (by creation time, then ID).
	FindExportJobs(ctx context.Context, f ExportJobFilter) ([]*ExportJob, error)
	// StartExportJob marks a notStarted or running job running at now and
	// returns it. A job that is already done is returned unchanged.
	StartExportJob(ctx context.Context, id uuid.UUID, now time.Time) (*ExportJob, error)
	// CompleteExportJob records success and the content of a running job.
	CompleteExportJob(ctx context.Context, id uuid.UUID, c Content, now time.Time) error
	// FailExportJob records the failure of an unfinished job.
	FailExportJob(ctx context.Context, id uuid.UUID, detail string, now time.Time) error
	// ExpiredExportJobs returns up to limit jobs whose expiry is at or
	// before now.
	ExpiredExportJobs(ctx context.Context, now time.Time, limit int) ([]*ExportJob, error)
	// DeleteExportJob deletes a job row; deleting a missing job is no error.
	DeleteExportJob(ctx context.Context, id uuid.UUID) error
	// ContentKeys reports which of keys are the content of a job that exists.
	ContentKeys(ctx context.Context, keys []string) (map[string]bool, error)
	// ExportQueueStats returns the figures for job's Retry-After.
	ExportQueueStats(ctx context.Context, job *ExportJob) (QueueStats, error)

	// ExportView streams the rows of q's view, as q's viewer may see them,
	// to sink from one consistent snapshot: header first, then rows
	// depth-first through the alignment tree. It returns the rows written.
	ExportView(ctx context.Context, q ExportQuery, sink ExportSink) (int64, error)

	// LoadOrCreateSigningKey returns the deployment's token signing key
	// (PKCS#8 PEM bytes, opaque to the store). When none is stored yet it
	// stores generate's result and returns it. Several processes may call
	// it at once: one key wins and all of them get it, and generate is not
	// called when a key exists. Keeping the key in the database lets every
	// node accept the tokens minted on any other.
	LoadOrCreateSigningKey(ctx context.Context, generate func() ([]byte, error)) ([]byte, error)
}
