package viewsql

import (
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// This file turns a goalpost.ViewFilter and the item visibility rule into SQL
// conditions over the shared schema (items, item_owners, item_teams,
// item_tags, alignments, team_members, memberships, users, teams).

// builder collects the bound parameters of one statement.
type builder struct {
	d    Dialect
	args []any
}

// arg binds v and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return b.d.Placeholder(len(b.args))
}

// list binds every value of vs and returns "(p1, p2, …)".
func list[T any](b *builder, vs []T, conv func(T) any) string {
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = b.arg(conv(v))
	}
	return "(" + strings.Join(ps, ", ") + ")"
}

func strArg[S ~string](s S) any { return string(s) }

// viewerParams are the placeholders of the organization and the viewer,
// bound once and used by every visibility condition of a statement.
type viewerParams struct {
	org, viewer string
	// admin is a scalar subquery: whether the viewer owns or administers
	// the organization. The database evaluates it once per statement.
	admin string
}

// bindViewer binds the organization and the viewer.
func (b *builder) bindViewer(orgID, viewerID uuid.UUID) viewerParams {
	p := viewerParams{org: b.arg(b.d.UUID(orgID)), viewer: b.arg(b.d.UUID(viewerID))}
	p.admin = fmt.Sprintf(`(SELECT count(*) > 0 FROM memberships WHERE org_id = %s AND user_id = %s AND role IN ('owner', 'admin'))`,
		p.org, p.viewer)
	return p
}

// visible returns the condition that the item aliased a is visible to the
// viewer: it is visible to everyone, or the viewer owns it, is a member of
// one of its teams, or owns or administers the organization.
func (p viewerParams) visible(a string) string {
	return fmt.Sprintf(`(%[1]s.visibility = 'everyone' OR %[2]s
		OR EXISTS (SELECT 1 FROM item_owners vo WHERE vo.item_id = %[1]s.id AND vo.user_id = %[3]s)
		OR EXISTS (SELECT 1 FROM item_teams vt JOIN team_members vm ON vm.team_id = vt.team_id
			WHERE vt.item_id = %[1]s.id AND vm.user_id = %[3]s))`, a, p.admin, p.viewer)
}

// filterConds returns the conditions of f on the item aliased a (every one
// must hold), relative to the viewer (OwnerMe) and today. A filter value that
// cannot be evaluated is an EINVALID error.
func (b *builder) filterConds(a string, f *goalpost.ViewFilter, p viewerParams, viewerID uuid.UUID, today goalpost.Date) ([]string, error) {
	var conds []string
	add := func(format string, args ...any) { conds = append(conds, fmt.Sprintf(format, args...)) }

	if len(f.TimePeriods) > 0 {
		add(`%s.period_id IN %s`, a, list(b, f.TimePeriods, b.d.UUID))
	}
	if len(f.Kinds) > 0 {
		add(`%s.kind IN %s`, a, list(b, f.Kinds, strArg))
	}
	if len(f.Levels) > 0 {
		add(`%s.level IN %s`, a, list(b, f.Levels, strArg))
	}
	if len(f.Statuses) > 0 {
		add(`%s.status IN %s`, a, list(b, f.Statuses, strArg))
	}
	if len(f.Owners) > 0 {
		var ids []uuid.UUID
		unassigned := false
		for _, o := range f.Owners {
			switch o {
			case goalpost.OwnerMe:
				ids = append(ids, viewerID)
			case goalpost.OwnerUnassigned:
				unassigned = true
			default:
				id, err := uuid.Parse(o)
				if err != nil {
					return nil, goalpost.Errorf(goalpost.EINVALID, "Invalid owner %q in view filter", o)
				}
				ids = append(ids, id)
			}
		}
		var or []string
		if len(ids) > 0 {
			or = append(or, fmt.Sprintf(`EXISTS (SELECT 1 FROM item_owners fo WHERE fo.item_id = %s.id AND fo.user_id IN %s)`,
				a, list(b, ids, b.d.UUID)))
		}
		if unassigned {
			or = append(or, fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM item_owners fo WHERE fo.item_id = %s.id)`, a))
		}
		add(`(%s)`, strings.Join(or, " OR "))
	}
	if len(f.Managers) > 0 {
		add(`EXISTS (SELECT 1 FROM item_owners fo JOIN users fu ON fu.id = fo.user_id
			WHERE fo.item_id = %s.id AND fu.manager_id IN %s)`, a, list(b, f.Managers, b.d.UUID))
	}
	if len(f.Teams) > 0 {
		add(`EXISTS (SELECT 1 FROM item_teams ft WHERE ft.item_id = %s.id AND ft.team_id IN %s)`, a, list(b, f.Teams, b.d.UUID))
	}
	if len(f.TeamTypes) > 0 {
		add(`EXISTS (SELECT 1 FROM item_teams ft JOIN teams fm ON fm.id = ft.team_id
			WHERE ft.item_id = %s.id AND fm.type IN %s)`, a, list(b, f.TeamTypes, strArg))
	}
	if len(f.Tags) > 0 {
		add(`EXISTS (SELECT 1 FROM item_tags fg WHERE fg.item_id = %s.id AND fg.tag IN %s)`, a, list(b, f.Tags, strArg))
	}
	if r := f.Progress; r != nil {
		add(`%s.progress BETWEEN %s AND %s`, a, b.arg(r.Min), b.arg(r.Max))
	}
	if f.Keyword != "" {
		add(`%s.title %s %s ESCAPE '\'`, a, b.d.LikeCI, b.arg("%"+escapeLike(f.Keyword)+"%"))
	}
	if al := f.Aligned; al != nil {
		// Only parents the viewer may see count: an export must not tell
		// that an item is aligned to one the viewer may not see.
		parents := fmt.Sprintf(`SELECT 1 FROM alignments fa JOIN items fp ON fp.id = fa.parent_id
			WHERE fa.child_id = %s.id AND %s`, a, p.visible("fp"))
		switch al.Mode {
		case goalpost.AlignedAny:
			add(`EXISTS (%s)`, parents)
		case goalpost.AlignedNone:
			add(`NOT EXISTS (%s)`, parents)
		case goalpost.AlignedTo:
			add(`EXISTS (%s AND fa.parent_id = %s)`, parents, b.arg(al.ItemID))
		default:
			return nil, goalpost.Errorf(goalpost.EINVALID, "Invalid aligned filter mode %q", al.Mode)
		}
	}
	type dateFilter struct {
		name   string
		f      *goalpost.DateFilter
		column string
		isDate bool // a date column; otherwise a timestamp column
		due    bool // allows overdue and withinDays
		never  bool // a NULL column counts as more than any days ago
	}
	for _, df := range []dateFilter{
		{"due", f.Due, a + ".end_date", true, true, false},
		{"start date", f.StartDate, a + ".start_date", true, false, false},
		{"created", f.Created, a + ".created_at", false, false, false},
		{"last updated", f.Updated, a + ".updated_at", false, false, false},
		{"last check-in", f.CheckedIn, a + ".last_checkin_date", true, false, true},
	} {
		if df.f == nil {
			continue
		}
		cond, err := b.dateCond(df.f, df.column, df.isDate, df.due, df.never, a, today)
		if err != nil {
			return nil, goalpost.Errorf(goalpost.EINVALID, "Invalid %s filter: %s", df.name, err)
		}
		conds = append(conds, cond)
	}
	return conds, nil
}

// dateCond returns the condition of f on column. A date column compares
// dates; a timestamp column compares the UTC instants that start and end the
// dates.
func (b *builder) dateCond(f *goalpost.DateFilter, column string, isDate, due, never bool, a string, today goalpost.Date) (string, error) {
	// lower and upper bind the first instant of day d and the first
	// instant after it, so that "on or after d" is column >= lower(d) and
	// "before d" is column < lower(d) for both kinds of column.
	lower := func(d goalpost.Date) string {
		if isDate {
			return b.arg(b.d.Date(d))
		}
		return b.arg(b.d.Timestamp(d.Time()))
	}
	upper := func(d goalpost.Date) string { // first value after day d
		if isDate {
			return "" // unused: dates compare with <= and >
		}
		return b.arg(b.d.Timestamp(d.AddDays(1).Time()))
	}
	needDate := func() error {
		if f.Date.IsZero() {
			return fmt.Errorf("%s needs a date", f.Op)
		}
		return nil
	}
	if f.Days < 0 {
		return "", fmt.Errorf("days must not be negative")
	}
	switch f.Op {
	case goalpost.DateOn:
		if err := needDate(); err != nil {
			return "", err
		}
		if isDate {
			return fmt.Sprintf(`%s = %s`, column, lower(f.Date)), nil
		}
		return fmt.Sprintf(`(%s >= %s AND %s < %s)`, column, lower(f.Date), column, upper(f.Date)), nil
	case goalpost.DateBefore:
		if err := needDate(); err != nil {
			return "", err
		}
		return fmt.Sprintf(`%s < %s`, column, lower(f.Date)), nil
	case goalpost.DateAfter:
		if err := needDate(); err != nil {
			return "", err
		}
		if isDate {
			return fmt.Sprintf(`%s > %s`, column, lower(f.Date)), nil
		}
		return fmt.Sprintf(`%s >= %s`, column, upper(f.Date)), nil
	case goalpost.DateMoreThanDaysAgo:
		cond := fmt.Sprintf(`%s < %s`, column, lower(today.AddDays(-f.Days)))
		if never {
			cond = fmt.Sprintf(`(%s IS NULL OR %s)`, column, cond)
		}
		return cond, nil
	case goalpost.DateLessThanDaysAgo:
		return fmt.Sprintf(`%s >= %s`, column, lower(today.AddDays(-f.Days))), nil
	case goalpost.DateWithinDays:
		if !due {
			return "", fmt.Errorf("%s applies to the due date only", f.Op)
		}
		return fmt.Sprintf(`%s BETWEEN %s AND %s`, column, lower(today), lower(today.AddDays(f.Days))), nil
	case goalpost.DateOverdue:
		if !due {
			return "", fmt.Errorf("%s applies to the due date only", f.Op)
		}
		return fmt.Sprintf(`(%s < %s AND %s.status <> 'closed')`, column, lower(today), a), nil
	}
	return "", fmt.Errorf("unknown operation %q", f.Op)
}

// escapeLike escapes the LIKE wildcards % and _ and the escape character
// itself, for LIKE … ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
