package goalpost

import (
	"time"

	"github.com/google/uuid"
)

// ViewVisibility says who may use an explorer view.
type ViewVisibility string

// View visibilities.
const (
	ViewPublic  ViewVisibility = "public"  // every member of the organization
	ViewPrivate ViewVisibility = "private" // its creator only
)

// ExplorerView is a saved selection of an organization's items, with the
// settings its CSV export uses.
type ExplorerView struct {
	ID           uuid.UUID
	OrgID        uuid.UUID
	Name         string
	Visibility   ViewVisibility
	CreatorID    uuid.UUID
	Filter       ViewFilter
	TopLevelOnly bool
	Export       ExportSettings
	CreatedAt    time.Time
	Version      int64
}

// OwnerMe in ViewFilter.Owners stands for whoever runs the view.
const OwnerMe = "me"

// OwnerUnassigned in ViewFilter.Owners matches items without an owner.
const OwnerUnassigned = "unassigned"

// ViewFilter selects items. Every filter that is set must hold (AND); a list
// inside one filter matches any of its values (OR).
type ViewFilter struct {
	TimePeriods []uuid.UUID `json:"timePeriods,omitempty"`
	Kinds       []ItemKind  `json:"kinds,omitempty"`
	Levels      []Level     `json:"levels,omitempty"`
	Statuses    []Status    `json:"statuses,omitempty"`
	// Owners holds user GUIDs, OwnerMe or OwnerUnassigned.
	Owners    []string       `json:"owners,omitempty"`
	Managers  []uuid.UUID    `json:"managers,omitempty"`
	Teams     []uuid.UUID    `json:"teams,omitempty"`
	TeamTypes []string       `json:"teamTypes,omitempty"`
	Tags      []string       `json:"tags,omitempty"`
	Progress  *ProgressRange `json:"progress,omitempty"`
	Keyword   string         `json:"keyword,omitempty"`
	Aligned   *AlignedFilter `json:"aligned,omitempty"`
	Due       *DateFilter    `json:"due,omitempty"`
	StartDate *DateFilter    `json:"startDate,omitempty"`
	Created   *DateFilter    `json:"created,omitempty"`
	Updated   *DateFilter    `json:"updated,omitempty"`
	CheckedIn *DateFilter    `json:"lastCheckIn,omitempty"`
}

// ProgressRange matches Min ≤ progress % ≤ Max.
type ProgressRange struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// AlignedMode is what an AlignedFilter asks of an item's alignments.
type AlignedMode string

// Alignment filter modes.
const (
	AlignedAny  AlignedMode = "any"  // aligned to anything
	AlignedNone AlignedMode = "none" // aligned to nothing
	AlignedTo   AlignedMode = "item" // aligned to ItemID
)

// AlignedFilter matches items by their alignments.
type AlignedFilter struct {
	Mode   AlignedMode `json:"mode"`
	ItemID int64       `json:"itemId,omitempty"`
}

// DateOp is the comparison a DateFilter makes.
type DateOp string

// Date filter operations. "Today" is the export's start time in UTC.
const (
	DateOn              DateOp = "on"              // on Date
	DateBefore          DateOp = "before"          // strictly before Date
	DateAfter           DateOp = "after"           // strictly after Date
	DateMoreThanDaysAgo DateOp = "moreThanDaysAgo" // before today − Days
	DateLessThanDaysAgo DateOp = "lessThanDaysAgo" // on or after today − Days
	DateWithinDays      DateOp = "withinDays"      // from today to today + Days (due only)
	DateOverdue         DateOp = "overdue"         // before today and not closed (due only)
)

// DateFilter compares one of an item's dates.
type DateFilter struct {
	Op   DateOp `json:"op"`
	Date Date   `json:"date,omitzero"`
	Days int    `json:"days,omitempty"`
}

// TagMode says how the Tag column is written.
type TagMode string

// Tag column modes.
const (
	TagsNone        TagMode = ""       // no Tag column unless Columns names it
	TagsOneColumn   TagMode = "column" // one "Tag" column, tags joined with ", "
	TagsPerColumn   TagMode = "perTag" // one "Tag: <name>" column per tag in the export
	TagColumnName           = "Tag"    // the column name of TagsOneColumn
	TagColumnPrefix         = "Tag: "  // the column prefix of TagsPerColumn
)

// ExportSettings are a view's choices for its CSV export.
type ExportSettings struct {
	// Columns are the default columns to write, in order; empty means all
	// of DefaultColumns. "Checkins" brings its overflow columns with it.
	Columns []string `json:"columns,omitempty"`
	// Tags adds tag columns after Title.
	Tags TagMode `json:"tags,omitempty"`
	// IncludeChildren adds the first-level children of every selected item,
	// as far as the viewer may see them, under their parent.
	IncludeChildren bool `json:"includeChildren,omitempty"`
}

// DefaultColumns are the Explorer CSV's columns, in their default order.
var DefaultColumns = []string{
	"Id", "Title", "Team", "Creator", "Owner", "Period", "Start Date", "End Date", "Description",
	"Aligned To (weight, Objective ID)", "Metric Name", "Unit", "Target", "Object Type", "Goal Type",
	"Start", "Created At", "Last Check-in", "Progress %", "Actual Progress", "Status",
	"Last Check-in Note", "Score", "Checkins",
}

// DefaultViews are the views every organization has, by name.
var DefaultViews = [7]string{
	"All objectives", "All my objectives", "Overdue OKRs", "Not updated in the last 7 days",
	"At risk or behind", "Recently completed", "Unaligned OKRs",
}

// NewDefaultViews returns the views every organization has (DefaultViews,
// in that order), public and created by creator at created, with the IDs
// ids gives them.
func NewDefaultViews(orgID, creator uuid.UUID, created time.Time, ids [7]uuid.UUID) []*ExplorerView {
	filters := [7]ViewFilter{
		{}, // All objectives
		{Owners: []string{OwnerMe}},
		{Due: &DateFilter{Op: DateOverdue}},
		{CheckedIn: &DateFilter{Op: DateMoreThanDaysAgo, Days: 7}},
		{Statuses: []Status{StatusAtRisk, StatusBehind}},
		{Statuses: []Status{StatusClosed}, Updated: &DateFilter{Op: DateLessThanDaysAgo, Days: 7}},
		{Aligned: &AlignedFilter{Mode: AlignedNone}},
	}
	vs := make([]*ExplorerView, len(ids))
	for i, id := range ids {
		vs[i] = &ExplorerView{
			ID:         id,
			OrgID:      orgID,
			Name:       DefaultViews[i],
			Visibility: ViewPublic,
			CreatorID:  creator,
			Filter:     filters[i],
			CreatedAt:  created,
		}
	}
	return vs
}
