package goalpost

import (
	"time"

	"github.com/google/uuid"
)

// JobStatus is where an export job is in its life.
type JobStatus string

// Export job statuses, as Graph names them.
const (
	JobNotStarted JobStatus = "notStarted"
	JobRunning    JobStatus = "running"
	JobSucceeded  JobStatus = "succeeded"
	JobFailed     JobStatus = "failed"
)

// Done reports whether the job has finished, one way or the other.
func (s JobStatus) Done() bool { return s == JobSucceeded || s == JobFailed }

// ExportJob is one export of an explorer view to CSV.
type ExportJob struct {
	ID           uuid.UUID // version-1 GUID whose time is CreatedAt
	OrgID        uuid.UUID
	ViewID       uuid.UUID
	CreatorID    uuid.UUID
	Status       JobStatus
	StatusDetail string // why it failed
	CreatedAt    time.Time
	LastActionAt time.Time
	ExpiresAt    time.Time
	StartedAt    time.Time // when the latest attempt started; zero before
	Content      Content   // set once succeeded
}

// Key returns the job's wire key.
func (j *ExportJob) Key() JobKey { return JobKey{JobID: j.ID, OrgID: j.OrgID} }

// Content describes an export's CSV in blob storage.
type Content struct {
	Key    string // blob key
	Size   int64
	SHA256 string // lower-case hex
	Rows   int64  // data rows, header excluded
}

// ExportJobFilter selects export jobs for a list, newest first.
type ExportJobFilter struct {
	// OrgID limits the list to one organization when not uuid.Nil.
	OrgID uuid.UUID
	// ViewerID is the user listing: they see the jobs they created, and
	// every job of the organizations they administer.
	ViewerID uuid.UUID
	// After continues a list after the job with this creation time and ID.
	AfterCreatedAt time.Time
	AfterID        uuid.UUID
	// Limit is the most jobs to return.
	Limit int
}

// QueueStats are the figures a Retry-After estimate is made of.
type QueueStats struct {
	// Ahead is how many unfinished jobs were created before this one and
	// have not started.
	Ahead int
	// Running is how many jobs are running now.
	Running int
	// AvgDuration is the mean run time of recently succeeded jobs; zero
	// when there are none.
	AvgDuration time.Duration
}

// ExportHeader is what an export knows before its first row, so that the
// header row can name every column: the widest check-in run (for the
// overflow columns) and the tags in the export (for one column per tag).
type ExportHeader struct {
	MaxCheckIns int
	Tags        []string // sorted
}

// ExportRow is one item as the Explorer CSV shows it, with names already
// resolved.
type ExportRow struct {
	ID          int64
	Depth       int // 0 for a root of the export
	Kind        ItemKind
	Title       string
	Description string
	Teams       []string // team names, in the item's order
	Creator     string   // display name
	Owners      []string // display names, in the item's order
	Period      string
	StartDate   Date
	EndDate     Date
	AlignedTo   []AlignedParent // the parents the viewer may see
	Metric      Metric
	GoalType    GoalType
	CreatedAt   time.Time
	LastCheckIn Date
	Progress    float64 // percent
	Current     float64
	Status      Status
	LastNote    string
	Score       *float64
	Tags        []string
	CheckIns    []CheckInCell // newest first

	// Rendered, when not nil, is the row as its sink rendered it when the
	// store kept it (see RenderedSink), and every other field but ID, Depth
	// and Kind is zero. A store sets it only for a sink that takes it.
	Rendered []byte
}

// AlignedParent is a parent of an exported item and the weight of the
// alignment.
type AlignedParent struct {
	ID     int64
	Title  string
	Weight float64 // percent
}

// CheckInCell is a check-in as an export shows it.
type CheckInCell struct {
	Date       Date
	User       string // display name
	Note       string
	Status     Status
	Value      float64
	ActivityAt time.Time
}

// ExportSink receives an export: its header once, then its rows in order.
type ExportSink interface {
	Begin(h ExportHeader) error
	Row(r *ExportRow) error
}

// RenderedSink is an ExportSink that can also take rows as the renderings
// that a store keeps (ExportRow.Rendered), which are csvexport's (see
// csvexport.AppendRendered): a store whose kept rows hold them may pass
// rows that way, sparing itself and the sink decoding and formatting each
// row's fields again.
type RenderedSink interface {
	ExportSink
	TakesRendered() bool
}

// ExportQuery asks for the rows of a view as one user sees them at one time.
type ExportQuery struct {
	View     *ExplorerView
	ViewerID uuid.UUID
	// Now is "today" for relative filters: the export's start time.
	Now time.Time
}
