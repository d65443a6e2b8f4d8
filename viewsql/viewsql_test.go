package viewsql_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/viewsql"
)

// everyFilter sets every filter of a view, so that every branch of the
// builder binds its parameters.
var everyFilter = goalpost.ViewFilter{
	TimePeriods: []uuid.UUID{uuid.New(), uuid.New()},
	Kinds:       []goalpost.ItemKind{goalpost.KindObjective},
	Levels:      []goalpost.Level{goalpost.LevelTeam, goalpost.LevelIndividual},
	Statuses:    []goalpost.Status{goalpost.StatusAtRisk},
	Owners:      []string{goalpost.OwnerMe, goalpost.OwnerUnassigned, uuid.NewString()},
	Managers:    []uuid.UUID{uuid.New()},
	Teams:       []uuid.UUID{uuid.New()},
	TeamTypes:   []string{"squad"},
	Tags:        []string{"a", "b"},
	Progress:    &goalpost.ProgressRange{Min: 10, Max: 90},
	Keyword:     `50%_off\`,
	Aligned:     &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: 7},
	Due:         &goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 3},
	StartDate:   &goalpost.DateFilter{Op: goalpost.DateOn, Date: goalpost.MustParseDate("2025-01-01")},
	Created:     &goalpost.DateFilter{Op: goalpost.DateOn, Date: goalpost.MustParseDate("2025-01-02")},
	Updated:     &goalpost.DateFilter{Op: goalpost.DateLessThanDaysAgo, Days: 7},
	CheckedIn:   &goalpost.DateFilter{Op: goalpost.DateMoreThanDaysAgo, Days: 7},
}

// TestPlaceholders checks, in both dialects, that the selection's SQL uses
// exactly its parameters 1 to len(Args), each in the dialect's form.
func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    viewsql.Dialect
		re   *regexp.Regexp
	}{
		{"SQLite", viewsql.SQLite, regexp.MustCompile(`\?(\d+)`)},
		{"PostgreSQL", viewsql.PostgreSQL, regexp.MustCompile(`\$(\d+)`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := goalpost.ExportQuery{
				View:     &goalpost.ExplorerView{OrgID: uuid.New(), Filter: everyFilter, Export: goalpost.ExportSettings{IncludeChildren: true}},
				ViewerID: uuid.New(),
				Now:      time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC),
			}
			sel, err := viewsql.Select(q, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			sql := sel.CTEs + " " + sel.Visible("p")
			used := map[int]bool{}
			for _, m := range tc.re.FindAllStringSubmatch(sql, -1) {
				n, _ := strconv.Atoi(m[1])
				used[n] = true
			}
			for n := 1; n <= len(sel.Args); n++ {
				if !used[n] {
					t.Errorf("parameter %d (%v) is bound but not used", n, sel.Args[n-1])
				}
			}
			if len(used) != len(sel.Args) {
				t.Errorf("SQL uses %d parameters, %d bound:\n%s", len(used), len(sel.Args), sql)
			}
			// The keyword is a bound, escaped pattern, never SQL text.
			if strings.Contains(sql, "50%") {
				t.Errorf("keyword in the SQL text:\n%s", sql)
			}
			if want := `%50\%\_off\\%`; !containsArg(sel.Args, want) {
				t.Errorf("args %v lack the escaped keyword pattern %q", sel.Args, want)
			}
		})
	}
}

func containsArg(args []any, want string) bool {
	for _, a := range args {
		if fmt.Sprint(a) == want {
			return true
		}
	}
	return false
}

// TestDialectValues checks how each dialect binds GUIDs, times and dates.
func TestDialectValues(t *testing.T) {
	u := uuid.MustParse("A0000000-0000-4000-8000-0000000000A1")
	at := time.Date(2025, 3, 15, 13, 0, 0, 0, time.FixedZone("UTC+1", 3600))
	d := goalpost.MustParseDate("2025-03-15")
	if got := viewsql.SQLite.UUID(u); got != "a0000000-0000-4000-8000-0000000000a1" {
		t.Errorf("SQLite UUID = %v", got)
	}
	if got := viewsql.SQLite.Timestamp(at); got != at.UnixMilli() {
		t.Errorf("SQLite Timestamp = %v", got)
	}
	if got := viewsql.SQLite.Date(d); got != "2025-03-15" {
		t.Errorf("SQLite Date = %v", got)
	}
	if got := viewsql.PostgreSQL.UUID(u); got != u {
		t.Errorf("PostgreSQL UUID = %v", got)
	}
	if got, ok := viewsql.PostgreSQL.Timestamp(at).(time.Time); !ok || !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("PostgreSQL Timestamp = %v", got)
	}
	if got := viewsql.PostgreSQL.Date(d); got != time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC) {
		t.Errorf("PostgreSQL Date = %v", got)
	}
}

func TestSelectInvalid(t *testing.T) {
	if _, err := viewsql.Select(goalpost.ExportQuery{}, viewsql.PostgreSQL); goalpost.ErrorCode(err) != goalpost.EINVALID {
		t.Errorf("no view: err = %v, want EINVALID", err)
	}
	q := goalpost.ExportQuery{View: &goalpost.ExplorerView{Filter: goalpost.ViewFilter{Owners: []string{"nobody"}}}}
	if _, err := viewsql.Select(q, viewsql.SQLite); goalpost.ErrorCode(err) != goalpost.EINVALID {
		t.Errorf("invalid owner: err = %v, want EINVALID", err)
	}
}
