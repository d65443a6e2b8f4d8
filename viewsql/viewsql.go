// Package viewsql turns an explorer view's filter and the item visibility
// rule into SQL over goalpost's schema, which the sqlite and postgres stores
// share table for table and column for column. Both stores build the
// selection of an export with it, so that a view selects the same items on
// either; what differs between the databases is behind Dialect. Every value
// is a bound parameter.
package viewsql

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// MaxDepth bounds the recursion of an export's walk through the alignment
// tree. The domain promises that alignments form no cycle, and the walk
// follows one parent per item, so it ends anyway; the bound is a second
// guard.
const MaxDepth = 1000

// Dialect is what the SQL builder needs to know about a database.
type Dialect struct {
	// Placeholder returns the n-th (1-based) parameter: "?n" in SQLite,
	// "$n" in PostgreSQL.
	Placeholder func(n int) string
	// LikeCI is the case-insensitive LIKE operator: "LIKE" in SQLite (which
	// folds ASCII letters only), "ILIKE" in PostgreSQL.
	LikeCI string
	// OrderedJoin joins tables in the order they are written where that
	// order matters to the plan: "CROSS JOIN" in SQLite, whose planner
	// keeps the order of a CROSS JOIN, plain "JOIN" in PostgreSQL.
	OrderedJoin string
	// UUID returns u as its GUID columns store it.
	UUID func(u uuid.UUID) any
	// Timestamp returns t as its timestamp columns store it.
	Timestamp func(t time.Time) any
	// Date returns d as its date columns store it.
	Date func(d goalpost.Date) any
}

// SQLite stores GUIDs as canonical lower-case text, timestamps as unix
// milliseconds and dates as 'YYYY-MM-DD' text.
var SQLite = Dialect{
	Placeholder: func(n int) string { return fmt.Sprintf("?%d", n) },
	LikeCI:      "LIKE",
	OrderedJoin: "CROSS JOIN",
	UUID:        func(u uuid.UUID) any { return u.String() },
	Timestamp:   func(t time.Time) any { return t.UnixMilli() },
	Date:        func(d goalpost.Date) any { return d.String() },
}

// PostgreSQL has native uuid, timestamptz and date columns; pgx binds Go's
// uuid.UUID and time.Time to them (a date as midnight UTC).
var PostgreSQL = Dialect{
	Placeholder: func(n int) string { return fmt.Sprintf("$%d", n) },
	LikeCI:      "ILIKE",
	OrderedJoin: "JOIN",
	UUID:        func(u uuid.UUID) any { return u },
	Timestamp:   func(t time.Time) any { return t.UTC() },
	Date:        func(d goalpost.Date) any { return d.Time() },
}

// Selection is the part of an export query that both stores share: the
// items of q's view that its viewer may see.
type Selection struct {
	// CTEs are two common table expressions, without the WITH that
	// introduces them, for a store to follow with its walk of the tree:
	//
	//   - sel(id): the items of the view's organization that match the
	//     view's filter and that the viewer may see;
	//   - exp(id): sel, and with IncludeChildren the visible direct
	//     children of sel.
	CTEs string
	// Args are the statement's parameters. The organization and the viewer
	// are the first two.
	Args []any

	viewer viewerParams
	whole  bool
}

// Whole reports whether the view has no filter: its selection is every item
// of the organization that the viewer may see.
func (s *Selection) Whole() bool { return s.whole }

// Admin returns the condition that the selection's viewer owns or
// administers its organization (and so may see every item), with the
// selection's parameters.
func (s *Selection) Admin() string { return s.viewer.admin }

// Visible returns the condition that the item aliased a is visible to the
// selection's viewer, with the selection's parameters.
func (s *Selection) Visible(a string) string { return s.viewer.visible(a) }

// Select builds the selection of q. A filter value that cannot be evaluated
// is an EINVALID error. "Today" for relative filters is q.Now's date in UTC
// (the current time when q.Now is zero).
func Select(q goalpost.ExportQuery, d Dialect) (*Selection, error) {
	v := q.View
	if v == nil {
		return nil, goalpost.Errorf(goalpost.EINVALID, "Export query has no view")
	}
	b := &builder{d: d}
	p := b.bindViewer(v.OrgID, q.ViewerID)
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := goalpost.DateOf(now.UTC())
	conds, err := b.filterConds("i", &v.Filter, p, q.ViewerID, today)
	if err != nil {
		return nil, err
	}
	where := append([]string{"i.org_id = " + p.org, p.visible("i")}, conds...)

	var sb strings.Builder
	fmt.Fprintf(&sb, `sel(id) AS MATERIALIZED (
	SELECT i.id FROM items i
	WHERE %s
),
exp(id) AS MATERIALIZED (
	SELECT id FROM sel`, strings.Join(where, "\n\tAND "))
	if v.Export.IncludeChildren {
		fmt.Fprintf(&sb, `
	UNION
	SELECT a.child_id FROM sel s %[1]s alignments a ON a.parent_id = s.id %[1]s items c ON c.id = a.child_id
	WHERE c.org_id = %[2]s AND %[3]s`, d.OrderedJoin, p.org, p.visible("c"))
	}
	sb.WriteString("\n)")
	return &Selection{CTEs: sb.String(), Args: b.args, viewer: p, whole: len(conds) == 0}, nil
}

// HeaderSQL returns a store's header statement, written over the CTE tree,
// for the export q: over exp instead when the export is not TopLevelOnly.
// Then tree holds exactly the items of exp (every item of exp either is a
// root or hangs under its first parent in exp, and alignments form no
// cycle), and the header needs no second walk of the tree: the walk is
// the costliest part of the statement.
func HeaderSQL(treeSQL string, q goalpost.ExportQuery) string {
	if q.View.TopLevelOnly {
		return treeSQL
	}
	return strings.ReplaceAll(treeSQL, "SELECT id FROM tree", "SELECT id FROM exp")
}
