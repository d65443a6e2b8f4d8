package goalpost_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// ruleCase is one row of a validation table: an edit of a valid record and
// the Target of the EINVALID error it must cause ("" when it stays valid).
type ruleCase[T any] struct {
	name   string
	edit   func(*T)
	target string
}

// runRuleCases validates valid() after each case's edit.
func runRuleCases[T any](t *testing.T, valid func() *T, validate func(*T) error, cases []ruleCase[T]) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			v := valid()
			if tt.edit != nil {
				tt.edit(v)
			}
			checkRuleError(t, validate(v), tt.target)
		})
	}
}

// checkRuleError checks that err is nil when target is "", and otherwise an
// EINVALID *goalpost.Error naming target with a short, sentence-like message.
func checkRuleError(t *testing.T, err error, target string) {
	t.Helper()
	if target == "" {
		if err != nil {
			t.Fatalf("got %v, want no error", err)
		}
		return
	}
	var e *goalpost.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *goalpost.Error with target %q", err, target)
	}
	if got, want := e.Code, goalpost.EINVALID; got != want {
		t.Errorf("code: got %q, want %q", got, want)
	}
	if got, want := e.Target, target; got != want {
		t.Errorf("target: got %q, want %q (message %q)", got, want, e.Message)
	}
	if e.Message == "" || !strings.HasSuffix(e.Message, ".") || len(e.Message) > 400 {
		t.Errorf("message %q: want a sentence of at most 400 bytes", e.Message)
	}
}

func TestValidateOrganization(t *testing.T) {
	valid := func() *goalpost.Organization {
		return &goalpost.Organization{ID: uuid.New(), Name: "Contoso"}
	}
	runRuleCases(t, valid, goalpost.ValidateOrganization, []ruleCase[goalpost.Organization]{
		{"valid, default terminology", nil, ""},
		{"valid, own terminology", func(o *goalpost.Organization) {
			o.Terminology = goalpost.Terminology{Objective: "Goal", KeyResult: "Metric", Initiative: "Deliverable"}
		}, ""},
		{"name of 200 characters", func(o *goalpost.Organization) { o.Name = strings.Repeat("é", 200) }, ""},
		{"empty name", func(o *goalpost.Organization) { o.Name = "" }, "name"},
		{"blank name", func(o *goalpost.Organization) { o.Name = " \t " }, "name"},
		{"name of 201 characters", func(o *goalpost.Organization) { o.Name = strings.Repeat("é", 201) }, "name"},
		{"name not UTF-8", func(o *goalpost.Organization) { o.Name = "Cont\xffoso" }, "name"},
		{"name with NUL", func(o *goalpost.Organization) { o.Name = "Cont\x00oso" }, "name"},
		{"objective word of 64", func(o *goalpost.Organization) { o.Terminology.Objective = strings.Repeat("x", 64) }, ""},
		{"objective word of 65", func(o *goalpost.Organization) { o.Terminology.Objective = strings.Repeat("x", 65) }, "terminology.objective"},
		{"key result word of 65", func(o *goalpost.Organization) { o.Terminology.KeyResult = strings.Repeat("x", 65) }, "terminology.keyResult"},
		{"initiative word of 65", func(o *goalpost.Organization) { o.Terminology.Initiative = strings.Repeat("x", 65) }, "terminology.initiative"},
		{"blank word", func(o *goalpost.Organization) { o.Terminology.KeyResult = "  " }, "terminology.keyResult"},
		{"two kinds with one word", func(o *goalpost.Organization) {
			o.Terminology = goalpost.Terminology{Objective: "Goal", KeyResult: "goal"}
		}, "terminology.keyResult"},
		{"a word that is another kind's default", func(o *goalpost.Organization) { o.Terminology.Initiative = "objective" }, "terminology.initiative"},
	})
}

func validUser() *goalpost.User {
	return &goalpost.User{ID: uuid.New(), UPN: "adele@contoso.com", DisplayName: "Adele Vance"}
}

// userCases are the rules of ValidateUser, for users and members alike.
func userCases[T any](user func(*T) *goalpost.User) []ruleCase[T] {
	edit := func(f func(*goalpost.User)) func(*T) { return func(v *T) { f(user(v)) } }
	return []ruleCase[T]{
		{"valid", nil, ""},
		{"with a manager", edit(func(u *goalpost.User) { u.ManagerID = uuid.New() }), ""},
		{"UPN of 256", edit(func(u *goalpost.User) { u.UPN = strings.Repeat("a", 244) + "@contoso.com" }), ""},
		{"no UPN", edit(func(u *goalpost.User) { u.UPN = "" }), "upn"},
		{"UPN of 257", edit(func(u *goalpost.User) { u.UPN = strings.Repeat("a", 245) + "@contoso.com" }), "upn"},
		{"UPN without @", edit(func(u *goalpost.User) { u.UPN = "adele.contoso.com" }), "upn"},
		{"UPN with two @", edit(func(u *goalpost.User) { u.UPN = "adele@contoso@com" }), "upn"},
		{"UPN without name", edit(func(u *goalpost.User) { u.UPN = "@contoso.com" }), "upn"},
		{"UPN without domain", edit(func(u *goalpost.User) { u.UPN = "adele@" }), "upn"},
		{"UPN with a space", edit(func(u *goalpost.User) { u.UPN = "adele vance@contoso.com" }), "upn"},
		{"UPN with a tab", edit(func(u *goalpost.User) { u.UPN = "adele@contoso.com\t" }), "upn"},
		{"UPN not UTF-8", edit(func(u *goalpost.User) { u.UPN = "ad\xffele@contoso.com" }), "upn"},
		{"no display name", edit(func(u *goalpost.User) { u.DisplayName = "" }), "displayName"},
		{"blank display name", edit(func(u *goalpost.User) { u.DisplayName = "   " }), "displayName"},
		{"display name of 201", edit(func(u *goalpost.User) { u.DisplayName = strings.Repeat("a", 201) }), "displayName"},
		{"own manager", edit(func(u *goalpost.User) { u.ManagerID = u.ID }), "managerId"},
	}
}

func TestValidateUser(t *testing.T) {
	runRuleCases(t, validUser, goalpost.ValidateUser, userCases(func(u *goalpost.User) *goalpost.User { return u }))
}

func TestValidateMember(t *testing.T) {
	valid := func() *goalpost.Member {
		return &goalpost.Member{User: *validUser(), OrgID: uuid.New(), Role: goalpost.RoleMember}
	}
	cases := userCases(func(m *goalpost.Member) *goalpost.User { return &m.User })
	for _, r := range []goalpost.Role{goalpost.RoleOwner, goalpost.RoleAdmin, goalpost.RoleObserver} {
		cases = append(cases, ruleCase[goalpost.Member]{"role " + string(r), func(m *goalpost.Member) { m.Role = r }, ""})
	}
	cases = append(cases,
		ruleCase[goalpost.Member]{"no role", func(m *goalpost.Member) { m.Role = "" }, "role"},
		ruleCase[goalpost.Member]{"unknown role", func(m *goalpost.Member) { m.Role = "superuser" }, "role"},
		ruleCase[goalpost.Member]{"role in other case", func(m *goalpost.Member) { m.Role = "Owner" }, "role"},
	)
	runRuleCases(t, valid, goalpost.ValidateMember, cases)
}

func TestValidateTeam(t *testing.T) {
	valid := func() *goalpost.Team {
		return &goalpost.Team{ID: uuid.New(), OrgID: uuid.New(), Name: "Sales", Type: "department"}
	}
	runRuleCases(t, valid, goalpost.ValidateTeam, []ruleCase[goalpost.Team]{
		{"valid", nil, ""},
		{"with a parent", func(tm *goalpost.Team) { tm.ParentID = uuid.New() }, ""},
		{"without type", func(tm *goalpost.Team) { tm.Type = "" }, ""},
		{"new, without id or parent", func(tm *goalpost.Team) { tm.ID = uuid.Nil }, ""},
		{"empty name", func(tm *goalpost.Team) { tm.Name = "" }, "name"},
		{"name of 201", func(tm *goalpost.Team) { tm.Name = strings.Repeat("a", 201) }, "name"},
		{"type of 64", func(tm *goalpost.Team) { tm.Type = strings.Repeat("a", 64) }, ""},
		{"type of 65", func(tm *goalpost.Team) { tm.Type = strings.Repeat("a", 65) }, "type"},
		{"own parent", func(tm *goalpost.Team) { tm.ParentID = tm.ID }, "parentId"},
	})
}

func TestValidateTimePeriod(t *testing.T) {
	valid := func() *goalpost.TimePeriod {
		return &goalpost.TimePeriod{ID: uuid.New(), Name: "Q1 2025",
			Start: goalpost.MustParseDate("2025-01-01"), End: goalpost.MustParseDate("2025-03-31")}
	}
	runRuleCases(t, valid, goalpost.ValidateTimePeriod, []ruleCase[goalpost.TimePeriod]{
		{"valid", nil, ""},
		{"one day", func(p *goalpost.TimePeriod) { p.End = p.Start }, ""},
		{"empty name", func(p *goalpost.TimePeriod) { p.Name = "" }, "name"},
		{"name of 201", func(p *goalpost.TimePeriod) { p.Name = strings.Repeat("a", 201) }, "name"},
		{"no start", func(p *goalpost.TimePeriod) { p.Start = goalpost.Date{} }, "startDate"},
		{"no end", func(p *goalpost.TimePeriod) { p.End = goalpost.Date{} }, "endDate"},
		{"end before start", func(p *goalpost.TimePeriod) { p.End = goalpost.MustParseDate("2024-12-31") }, "endDate"},
	})
}

func TestItemApplyDefaults(t *testing.T) {
	it := &goalpost.Item{Kind: goalpost.KindObjective, Title: "Grow"}
	it.ApplyDefaults()
	want := goalpost.Item{
		Kind: goalpost.KindObjective, Title: "Grow",
		Level: goalpost.LevelIndividual, GoalType: goalpost.GoalAspirational, ProgressMode: goalpost.ProgressManual,
		Status: goalpost.StatusNotStarted, Visibility: goalpost.VisibilityEveryone,
		Metric: goalpost.Metric{Unit: "%", Start: 0, Target: 100},
	}
	if got := *it; !itemsEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if err := goalpost.ValidateItem(it); err != nil {
		t.Errorf("an item with defaults applied: %v", err)
	}

	named := &goalpost.Item{Metric: goalpost.Metric{Name: "Customers", Unit: "customers", Start: 100, Target: 300}}
	named.ApplyDefaults()
	if got, want := named.Metric, (goalpost.Metric{Name: "Customers", Unit: "customers", Start: 100, Target: 300,
		Direction: goalpost.DirectionIncreaseFrom}); got != want {
		t.Errorf("named metric: got %+v, want %+v", got, want)
	}

	// Set fields stay as they are.
	set := goalpost.Item{
		Level: goalpost.LevelTeam, GoalType: goalpost.GoalCommitted, ProgressMode: goalpost.ProgressRollup,
		Status: goalpost.StatusAtRisk, Visibility: goalpost.VisibilityRestricted,
		Metric: goalpost.Metric{Name: "Churn", Unit: "%", Start: 10, Target: 2, Direction: goalpost.DirectionDecreaseFrom},
	}
	got := set
	got.ApplyDefaults()
	if !itemsEqual(got, set) {
		t.Errorf("set fields: got %+v, want %+v", got, set)
	}

	// A percent metric with a start is left for ValidateItem to refuse.
	odd := &goalpost.Item{Metric: goalpost.Metric{Start: 5}}
	odd.ApplyDefaults()
	if got, want := odd.Metric, (goalpost.Metric{Unit: "%", Start: 5}); got != want {
		t.Errorf("percent metric with a start: got %+v, want %+v", got, want)
	}
}

// itemsEqual compares the fields ApplyDefaults may touch.
func itemsEqual(a, b goalpost.Item) bool {
	return a.Kind == b.Kind && a.Title == b.Title && a.Level == b.Level && a.GoalType == b.GoalType &&
		a.ProgressMode == b.ProgressMode && a.Status == b.Status && a.Visibility == b.Visibility && a.Metric == b.Metric
}

func validItem() *goalpost.Item {
	return &goalpost.Item{
		ID: 7, OrgID: uuid.New(), Kind: goalpost.KindKeyResult, Level: goalpost.LevelTeam,
		Title: "Win new customers", Description: "Enterprise only.",
		TeamIDs: []uuid.UUID{uuid.New()}, OwnerIDs: []uuid.UUID{uuid.New(), uuid.New()},
		StartDate: goalpost.MustParseDate("2025-01-01"), EndDate: goalpost.MustParseDate("2025-03-31"),
		GoalType: goalpost.GoalCommitted, Tags: []string{"sales", "Sales"},
		Metric:  goalpost.Metric{Name: "Customers", Unit: "customers", Start: 100, Target: 300, Direction: goalpost.DirectionIncreaseFrom},
		Current: 250, Progress: 75, ProgressMode: goalpost.ProgressManual,
		Status: goalpost.StatusOnTrack, Visibility: goalpost.VisibilityEveryone,
	}
}

func score(v float64) *float64 { return &v }

func TestValidateItem(t *testing.T) {
	type I = goalpost.Item
	metric := func(m goalpost.Metric) func(*I) { return func(it *I) { it.Metric = m } }
	named := func(d goalpost.Direction, start, target float64) func(*I) {
		return metric(goalpost.Metric{Name: "Churn", Unit: "%", Start: start, Target: target, Direction: d})
	}
	ids := func(n int) []uuid.UUID {
		v := make([]uuid.UUID, n)
		for i := range v {
			v[i] = uuid.New()
		}
		return v
	}
	tags := func(n int) []string {
		v := make([]string, n)
		for i := range v {
			v[i] = strings.Repeat("t", i+1)
		}
		return v
	}
	closed := func(s *float64) func(*I) {
		return func(it *I) { it.Status, it.Score = goalpost.StatusClosed, s }
	}
	runRuleCases(t, validItem, goalpost.ValidateItem, []ruleCase[I]{
		{"valid", nil, ""},
		{"no kind", func(it *I) { it.Kind = "" }, "kind"},
		{"unknown kind", func(it *I) { it.Kind = "goal" }, "kind"},
		{"no level", func(it *I) { it.Level = "" }, "level"},
		{"unknown level", func(it *I) { it.Level = "company" }, "level"},
		{"no goal type", func(it *I) { it.GoalType = "" }, "goalType"},
		{"unknown goal type", func(it *I) { it.GoalType = "stretch" }, "goalType"},
		{"no status", func(it *I) { it.Status = "" }, "status"},
		{"status label", func(it *I) { it.Status = "On Track" }, "status"},
		{"no progress mode", func(it *I) { it.ProgressMode = "" }, "progressMode"},
		{"unknown progress mode", func(it *I) { it.ProgressMode = "auto" }, "progressMode"},
		{"rolled up", func(it *I) { it.ProgressMode = goalpost.ProgressRollup }, ""},
		{"no visibility", func(it *I) { it.Visibility = "" }, "visibility"},
		{"restricted", func(it *I) { it.Visibility = goalpost.VisibilityRestricted }, ""},
		{"unknown visibility", func(it *I) { it.Visibility = "private" }, "visibility"},

		{"title of 1024", func(it *I) { it.Title = strings.Repeat("ü", 1024) }, ""},
		{"no title", func(it *I) { it.Title = "" }, "title"},
		{"blank title", func(it *I) { it.Title = "\n " }, "title"},
		{"title of 1025", func(it *I) { it.Title = strings.Repeat("ü", 1025) }, "title"},
		{"title not UTF-8", func(it *I) { it.Title = "\xc3" }, "title"},
		{"description of 64 KiB", func(it *I) { it.Description = strings.Repeat("d", 64<<10) }, ""},
		{"description over 64 KiB", func(it *I) { it.Description = strings.Repeat("d", 64<<10+1) }, "description"},
		{"description with NUL", func(it *I) { it.Description = "a\x00b" }, "description"},

		{"no tags", func(it *I) { it.Tags = nil }, ""},
		{"50 tags", func(it *I) { it.Tags = tags(50) }, ""},
		{"51 tags", func(it *I) { it.Tags = tags(51) }, "tags"},
		{"tag of 100", func(it *I) { it.Tags = []string{strings.Repeat("t", 100)} }, ""},
		{"tag of 101", func(it *I) { it.Tags = []string{strings.Repeat("t", 101)} }, "tags"},
		{"empty tag", func(it *I) { it.Tags = []string{"a", ""} }, "tags"},
		{"duplicate tag", func(it *I) { it.Tags = []string{"a", "b", "a"} }, "tags"},

		{"no owners", func(it *I) { it.OwnerIDs = nil }, ""},
		{"50 owners", func(it *I) { it.OwnerIDs = ids(50) }, ""},
		{"51 owners", func(it *I) { it.OwnerIDs = ids(51) }, "ownerIds"},
		{"owner twice", func(it *I) { it.OwnerIDs = append(it.OwnerIDs, it.OwnerIDs[0]) }, "ownerIds"},
		{"nil owner", func(it *I) { it.OwnerIDs = append(it.OwnerIDs, uuid.Nil) }, "ownerIds"},
		{"50 teams", func(it *I) { it.TeamIDs = ids(50) }, ""},
		{"51 teams", func(it *I) { it.TeamIDs = ids(51) }, "teamIds"},
		{"team twice", func(it *I) { it.TeamIDs = append(it.TeamIDs, it.TeamIDs[0]) }, "teamIds"},

		{"no dates", func(it *I) { it.StartDate, it.EndDate = goalpost.Date{}, goalpost.Date{} }, ""},
		{"start date only", func(it *I) { it.EndDate = goalpost.Date{} }, ""},
		{"one day", func(it *I) { it.EndDate = it.StartDate }, ""},
		{"end before start", func(it *I) { it.EndDate = goalpost.MustParseDate("2024-12-31") }, "endDate"},

		{"percent metric", metric(goalpost.Metric{Unit: "%", Target: 100}), ""},
		{"percent metric, defaults", metric(goalpost.Metric{}), ""},
		{"percent metric, reach", metric(goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionReach}), ""},
		{"percent metric, increaseFrom", metric(goalpost.Metric{Target: 100, Direction: goalpost.DirectionIncreaseFrom}), ""},
		{"percent metric, decreaseFrom", metric(goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionDecreaseFrom}), "metric.direction"},
		{"percent metric in dollars", metric(goalpost.Metric{Unit: "$", Target: 100}), "metric.unit"},
		{"percent metric from 10", metric(goalpost.Metric{Unit: "%", Start: 10, Target: 100}), "metric.start"},
		{"percent metric to 50", metric(goalpost.Metric{Unit: "%", Target: 50}), "metric.target"},
		{"percent metric to NaN", metric(goalpost.Metric{Unit: "%", Target: math.NaN()}), "metric.target"},

		{"reach", named(goalpost.DirectionReach, 0, 12), ""},
		{"reach, target at start", named(goalpost.DirectionReach, 12, 12), "metric.target"},
		{"increaseFrom, target below start", named(goalpost.DirectionIncreaseFrom, 12, 3), "metric.target"},
		{"decreaseFrom", named(goalpost.DirectionDecreaseFrom, 10, 2), ""},
		{"decreaseFrom, target above start", named(goalpost.DirectionDecreaseFrom, 2, 10), "metric.target"},
		{"decreaseFrom, target at start", named(goalpost.DirectionDecreaseFrom, 2, 2), "metric.target"},
		{"stayAbove", named(goalpost.DirectionStayAbove, 0, 99.9), ""},
		{"stayAbove, target below start", named(goalpost.DirectionStayAbove, 100, 99.9), ""},
		{"stayBelow", named(goalpost.DirectionStayBelow, 0, 2), ""},
		{"baseline without target", named(goalpost.DirectionBaseline, 40, 0), ""},
		{"named metric without direction", named("", 0, 10), "metric.direction"},
		{"unknown direction", named("up", 0, 10), "metric.direction"},
		{"blank metric name", metric(goalpost.Metric{Name: " ", Start: 0, Target: 1, Direction: goalpost.DirectionReach}), "metric.name"},
		{"metric name of 201", metric(goalpost.Metric{Name: strings.Repeat("m", 201), Target: 1, Direction: goalpost.DirectionReach}), "metric.name"},
		{"metric unit of 65", metric(goalpost.Metric{Name: "m", Unit: strings.Repeat("u", 65), Target: 1, Direction: goalpost.DirectionReach}), "metric.unit"},
		{"infinite start", named(goalpost.DirectionBaseline, math.Inf(-1), 0), "metric.start"},
		{"infinite target", named(goalpost.DirectionReach, 0, math.Inf(1)), "metric.target"},

		{"current NaN", func(it *I) { it.Current = math.NaN() }, "currentValue"},
		{"current infinite", func(it *I) { it.Current = math.Inf(1) }, "currentValue"},
		{"current beyond target", func(it *I) { it.Current = 1e6 }, ""},
		{"progress 0", func(it *I) { it.Progress = 0 }, ""},
		{"progress 100", func(it *I) { it.Progress = 100 }, ""},
		{"progress below 0", func(it *I) { it.Progress = -0.01 }, "progress"},
		{"progress above 100", func(it *I) { it.Progress = 100.01 }, "progress"},
		{"progress NaN", func(it *I) { it.Progress = math.NaN() }, "progress"},

		{"closed without score", closed(nil), ""},
		{"closed, score 0", closed(score(0)), ""},
		{"closed, score 0.8", closed(score(0.8)), ""},
		{"closed, score 1", closed(score(1)), ""},
		{"closed, score above 1", closed(score(1.2)), "score"},
		{"closed, score below 0", closed(score(-0.1)), "score"},
		{"closed, score NaN", closed(score(math.NaN())), "score"},
		{"score while open", func(it *I) { it.Score = score(0.5) }, "score"},
	})
}

func TestValidateCheckIn(t *testing.T) {
	valid := func() *goalpost.CheckIn {
		return &goalpost.CheckIn{ItemID: 7, Date: goalpost.MustParseDate("2025-03-10"), UserID: uuid.New(),
			Note: "On plan.", Status: goalpost.StatusOnTrack, Value: 25,
			ActivityAt: time.Date(2025, 3, 10, 20, 57, 8, 0, time.UTC)}
	}
	type C = goalpost.CheckIn
	runRuleCases(t, valid, goalpost.ValidateCheckIn, []ruleCase[C]{
		{"valid", nil, ""},
		{"without note", func(c *C) { c.Note = "" }, ""},
		{"negative value", func(c *C) { c.Value = -3.5 }, ""},
		{"closed", func(c *C) { c.Status = goalpost.StatusClosed }, ""},
		{"no date", func(c *C) { c.Date = goalpost.Date{} }, "date"},
		{"no status", func(c *C) { c.Status = "" }, "status"},
		{"unknown status", func(c *C) { c.Status = "done" }, "status"},
		{"value NaN", func(c *C) { c.Value = math.NaN() }, "value"},
		{"value infinite", func(c *C) { c.Value = math.Inf(-1) }, "value"},
		{"note of 16 KiB", func(c *C) { c.Note = strings.Repeat("n", 16<<10) }, ""},
		{"note over 16 KiB", func(c *C) { c.Note = strings.Repeat("n", 16<<10+1) }, "note"},
		{"note not UTF-8", func(c *C) { c.Note = "\xfe" }, "note"},
		{"no activity time", func(c *C) { c.ActivityAt = time.Time{} }, "activityAt"},
	})
}

func TestValidateAlignment(t *testing.T) {
	valid := func() *goalpost.Alignment { return &goalpost.Alignment{ChildID: 2, ParentID: 1, Weight: 50} }
	type A = goalpost.Alignment
	runRuleCases(t, valid, goalpost.ValidateAlignment, []ruleCase[A]{
		{"valid", nil, ""},
		{"weight 0", func(a *A) { a.Weight = 0 }, ""},
		{"weight 100", func(a *A) { a.Weight = 100 }, ""},
		{"weight 100/7", func(a *A) { a.Weight = 100.0 / 7 }, ""},
		{"no child", func(a *A) { a.ChildID = 0 }, "childId"},
		{"negative child", func(a *A) { a.ChildID = -2 }, "childId"},
		{"no parent", func(a *A) { a.ParentID = 0 }, "parentId"},
		{"own parent", func(a *A) { a.ParentID = a.ChildID }, "parentId"},
		{"negative weight", func(a *A) { a.Weight = -1 }, "weight"},
		{"weight above 100", func(a *A) { a.Weight = 100.5 }, "weight"},
		{"weight NaN", func(a *A) { a.Weight = math.NaN() }, "weight"},
	})
}

func TestValidateView(t *testing.T) {
	valid := func() *goalpost.ExplorerView {
		return &goalpost.ExplorerView{ID: uuid.New(), OrgID: uuid.New(), Name: "At risk or behind",
			Visibility: goalpost.ViewPublic, CreatorID: uuid.New()}
	}
	type V = goalpost.ExplorerView
	filter := func(f func(*goalpost.ViewFilter)) func(*V) { return func(v *V) { f(&v.Filter) } }
	due := func(d goalpost.DateFilter) func(*V) { return func(v *V) { v.Filter.Due = &d } }
	created := func(d goalpost.DateFilter) func(*V) { return func(v *V) { v.Filter.Created = &d } }
	day := goalpost.MustParseDate("2025-03-31")
	strs := func(n int, s string) []string {
		v := make([]string, n)
		for i := range v {
			v[i] = s
		}
		return v
	}
	guid := uuid.New()
	runRuleCases(t, valid, goalpost.ValidateView, []ruleCase[V]{
		{"valid", nil, ""},
		{"private", func(v *V) { v.Visibility = goalpost.ViewPrivate }, ""},
		{"every filter", filter(func(f *goalpost.ViewFilter) {
			*f = goalpost.ViewFilter{
				TimePeriods: []uuid.UUID{uuid.New()},
				Kinds:       []goalpost.ItemKind{goalpost.KindObjective, goalpost.KindKeyResult, goalpost.KindInitiative},
				Levels:      []goalpost.Level{goalpost.LevelOrganization, goalpost.LevelTeam, goalpost.LevelIndividual},
				Statuses:    []goalpost.Status{goalpost.StatusAtRisk, goalpost.StatusBehind},
				Owners:      []string{goalpost.OwnerMe, goalpost.OwnerUnassigned, guid.String(), strings.ToUpper(guid.String())},
				Managers:    []uuid.UUID{uuid.New()}, Teams: []uuid.UUID{uuid.New()},
				TeamTypes: []string{"squad"}, Tags: []string{"sales"},
				Progress:  &goalpost.ProgressRange{Min: 0, Max: 100},
				Keyword:   "revenue",
				Aligned:   &goalpost.AlignedFilter{Mode: goalpost.AlignedTo, ItemID: 7},
				Due:       &goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 14},
				StartDate: &goalpost.DateFilter{Op: goalpost.DateOn, Date: day},
				Created:   &goalpost.DateFilter{Op: goalpost.DateBefore, Date: day},
				Updated:   &goalpost.DateFilter{Op: goalpost.DateMoreThanDaysAgo, Days: 7},
				CheckedIn: &goalpost.DateFilter{Op: goalpost.DateLessThanDaysAgo, Days: 0},
			}
		}), ""},
		{"no name", func(v *V) { v.Name = "" }, "name"},
		{"name of 201", func(v *V) { v.Name = strings.Repeat("v", 201) }, "name"},
		{"no visibility", func(v *V) { v.Visibility = "" }, "visibility"},
		{"unknown visibility", func(v *V) { v.Visibility = "everyone" }, "visibility"},

		{"unknown kind", filter(func(f *goalpost.ViewFilter) { f.Kinds = []goalpost.ItemKind{"goal"} }), "filter.kinds"},
		{"empty kind", filter(func(f *goalpost.ViewFilter) { f.Kinds = []goalpost.ItemKind{""} }), "filter.kinds"},
		{"unknown level", filter(func(f *goalpost.ViewFilter) { f.Levels = []goalpost.Level{"division"} }), "filter.levels"},
		{"unknown status", filter(func(f *goalpost.ViewFilter) { f.Statuses = []goalpost.Status{"Closed"} }), "filter.statuses"},
		{"nil time period", filter(func(f *goalpost.ViewFilter) { f.TimePeriods = []uuid.UUID{uuid.Nil} }), "filter.timePeriods"},
		{"nil manager", filter(func(f *goalpost.ViewFilter) { f.Managers = []uuid.UUID{uuid.Nil} }), "filter.managers"},
		{"nil team", filter(func(f *goalpost.ViewFilter) { f.Teams = []uuid.UUID{uuid.Nil} }), "filter.teams"},
		{"empty team type", filter(func(f *goalpost.ViewFilter) { f.TeamTypes = []string{""} }), "filter.teamTypes"},
		{"empty tag", filter(func(f *goalpost.ViewFilter) { f.Tags = []string{""} }), "filter.tags"},
		{"tag of 101", filter(func(f *goalpost.ViewFilter) { f.Tags = []string{strings.Repeat("t", 101)} }), "filter.tags"},
		{"100 tags", filter(func(f *goalpost.ViewFilter) { f.Tags = strs(100, "t") }), ""},
		{"101 tags", filter(func(f *goalpost.ViewFilter) { f.Tags = strs(101, "t") }), "filter.tags"},
		{"101 owners", filter(func(f *goalpost.ViewFilter) { f.Owners = strs(101, goalpost.OwnerMe) }), "filter.owners"},
		{"101 teams", filter(func(f *goalpost.ViewFilter) { f.Teams = make([]uuid.UUID, 101) }), "filter.teams"},
		{"101 statuses", filter(func(f *goalpost.ViewFilter) {
			f.Statuses = make([]goalpost.Status, 101)
			for i := range f.Statuses {
				f.Statuses[i] = goalpost.StatusOnTrack
			}
		}), "filter.statuses"},

		{"owner by UPN", filter(func(f *goalpost.ViewFilter) { f.Owners = []string{"adele@contoso.com"} }), "filter.owners"},
		{"owner Me", filter(func(f *goalpost.ViewFilter) { f.Owners = []string{"Me"} }), "filter.owners"},
		{"owner in braces", filter(func(f *goalpost.ViewFilter) { f.Owners = []string{"{" + guid.String() + "}"} }), "filter.owners"},
		{"owner nil GUID", filter(func(f *goalpost.ViewFilter) { f.Owners = []string{uuid.Nil.String()} }), "filter.owners"},

		{"progress 20..20", filter(func(f *goalpost.ViewFilter) { f.Progress = &goalpost.ProgressRange{Min: 20, Max: 20} }), ""},
		{"progress min above max", filter(func(f *goalpost.ViewFilter) { f.Progress = &goalpost.ProgressRange{Min: 60, Max: 40} }), "filter.progress"},
		{"progress below 0", filter(func(f *goalpost.ViewFilter) { f.Progress = &goalpost.ProgressRange{Min: -1, Max: 40} }), "filter.progress"},
		{"progress above 100", filter(func(f *goalpost.ViewFilter) { f.Progress = &goalpost.ProgressRange{Min: 0, Max: 101} }), "filter.progress"},
		{"progress NaN", filter(func(f *goalpost.ViewFilter) { f.Progress = &goalpost.ProgressRange{Min: math.NaN(), Max: 40} }), "filter.progress"},
		{"keyword of 200", filter(func(f *goalpost.ViewFilter) { f.Keyword = strings.Repeat("k", 200) }), ""},
		{"keyword of 201", filter(func(f *goalpost.ViewFilter) { f.Keyword = strings.Repeat("k", 201) }), "filter.keyword"},

		{"aligned any", filter(func(f *goalpost.ViewFilter) { f.Aligned = &goalpost.AlignedFilter{Mode: goalpost.AlignedAny} }), ""},
		{"aligned none", filter(func(f *goalpost.ViewFilter) { f.Aligned = &goalpost.AlignedFilter{Mode: goalpost.AlignedNone} }), ""},
		{"aligned, no mode", filter(func(f *goalpost.ViewFilter) { f.Aligned = &goalpost.AlignedFilter{} }), "filter.aligned.mode"},
		{"aligned, unknown mode", filter(func(f *goalpost.ViewFilter) { f.Aligned = &goalpost.AlignedFilter{Mode: "parent"} }), "filter.aligned.mode"},
		{"aligned to no item", filter(func(f *goalpost.ViewFilter) { f.Aligned = &goalpost.AlignedFilter{Mode: goalpost.AlignedTo} }), "filter.aligned.itemId"},
		{"aligned any with an item", filter(func(f *goalpost.ViewFilter) {
			f.Aligned = &goalpost.AlignedFilter{Mode: goalpost.AlignedAny, ItemID: 7}
		}), "filter.aligned.itemId"},

		{"due overdue", due(goalpost.DateFilter{Op: goalpost.DateOverdue}), ""},
		{"due before", due(goalpost.DateFilter{Op: goalpost.DateBefore, Date: day}), ""},
		{"due after", due(goalpost.DateFilter{Op: goalpost.DateAfter, Date: day}), ""},
		{"due within 3650 days", due(goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 3650}), ""},
		{"due within 3651 days", due(goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 3651}), "filter.due.days"},
		{"due within -1 days", due(goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: -1}), "filter.due.days"},
		{"due without op", due(goalpost.DateFilter{}), "filter.due.op"},
		{"due, unknown op", due(goalpost.DateFilter{Op: "since"}), "filter.due.op"},
		{"due before, no date", due(goalpost.DateFilter{Op: goalpost.DateBefore}), "filter.due.date"},
		{"overdue with a date", due(goalpost.DateFilter{Op: goalpost.DateOverdue, Date: day}), "filter.due.date"},
		{"overdue with days", due(goalpost.DateFilter{Op: goalpost.DateOverdue, Days: 3}), "filter.due.days"},
		{"created on", created(goalpost.DateFilter{Op: goalpost.DateOn, Date: day}), ""},
		{"created on, no date", created(goalpost.DateFilter{Op: goalpost.DateOn}), "filter.created.date"},
		{"created after, with days", created(goalpost.DateFilter{Op: goalpost.DateAfter, Date: day, Days: 2}), "filter.created.days"},
		{"created 3650 days ago", created(goalpost.DateFilter{Op: goalpost.DateMoreThanDaysAgo, Days: 3650}), ""},
		{"created 3651 days ago", created(goalpost.DateFilter{Op: goalpost.DateMoreThanDaysAgo, Days: 3651}), "filter.created.days"},
		{"created -1 days ago", created(goalpost.DateFilter{Op: goalpost.DateLessThanDaysAgo, Days: -1}), "filter.created.days"},
		{"created days ago with a date", created(goalpost.DateFilter{Op: goalpost.DateLessThanDaysAgo, Date: day, Days: 1}), "filter.created.date"},
		{"created overdue", created(goalpost.DateFilter{Op: goalpost.DateOverdue}), "filter.created.op"},
		{"created within days", created(goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 7}), "filter.created.op"},
		{"start date within days", filter(func(f *goalpost.ViewFilter) {
			f.StartDate = &goalpost.DateFilter{Op: goalpost.DateWithinDays, Days: 7}
		}), "filter.startDate.op"},
		{"updated overdue", filter(func(f *goalpost.ViewFilter) { f.Updated = &goalpost.DateFilter{Op: goalpost.DateOverdue} }), "filter.updated.op"},
		{"last check-in before, no date", filter(func(f *goalpost.ViewFilter) {
			f.CheckedIn = &goalpost.DateFilter{Op: goalpost.DateBefore}
		}), "filter.lastCheckIn.date"},

		{"columns chosen", func(v *V) { v.Export.Columns = []string{"Title", "Id", "Tag", "Checkins"} }, ""},
		{"all columns", func(v *V) { v.Export.Columns = append([]string(nil), goalpost.DefaultColumns...) }, ""},
		{"unknown column", func(v *V) { v.Export.Columns = []string{"Id", "Priority"} }, "export.columns"},
		{"column in other case", func(v *V) { v.Export.Columns = []string{"id"} }, "export.columns"},
		{"per-tag column", func(v *V) { v.Export.Columns = []string{"Tag: sales"} }, "export.columns"},
		{"column twice", func(v *V) { v.Export.Columns = []string{"Id", "Title", "Id"} }, "export.columns"},
		{"tags in a column", func(v *V) { v.Export.Tags = goalpost.TagsOneColumn }, ""},
		{"tags per column", func(v *V) { v.Export.Tags = goalpost.TagsPerColumn }, ""},
		{"unknown tag mode", func(v *V) { v.Export.Tags = "all" }, "export.tags"},
	})
}

// TestValidationMessagesClipped checks that a message quotes at most 64
// bytes of a bad value, whatever its size, and cuts no character in two.
func TestValidationMessagesClipped(t *testing.T) {
	huge := strings.Repeat("€", 1<<20)
	for _, tt := range []struct {
		name   string
		err    error
		target string
		quoted bool
	}{
		{"kind", goalpost.ValidateItem(func() *goalpost.Item { it := validItem(); it.Kind = goalpost.ItemKind(huge); return it }()), "kind", true},
		{"upn", goalpost.ValidateUser(&goalpost.User{UPN: "a" + huge, DisplayName: "A"}), "upn", false},
		{"owner", goalpost.ValidateView(&goalpost.ExplorerView{Name: "v", Visibility: goalpost.ViewPublic,
			Filter: goalpost.ViewFilter{Owners: []string{huge}}}), "filter.owners", true},
		{"column", goalpost.ValidateView(&goalpost.ExplorerView{Name: "v", Visibility: goalpost.ViewPublic,
			Export: goalpost.ExportSettings{Columns: []string{huge}}}), "export.columns", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkRuleError(t, tt.err, tt.target)
			msg := goalpost.ErrorMessage(tt.err)
			if strings.Contains(msg, strings.Repeat("€", 22)) || !utf8.ValidString(msg) {
				t.Errorf("message %q: want at most 64 bytes of the value, cut on a character boundary", msg)
			}
			if tt.quoted && !strings.Contains(msg, `"`+strings.Repeat("€", 21)+`"…`) {
				t.Errorf("message %q: want the value quoted, cut to 64 bytes and marked with …", msg)
			}
		})
	}
}

func TestMetricProgressOf(t *testing.T) {
	m := func(d goalpost.Direction, start, target float64) goalpost.Metric {
		return goalpost.Metric{Name: "m", Unit: "number", Start: start, Target: target, Direction: d}
	}
	percent := goalpost.Metric{Unit: "%", Target: 100, Direction: goalpost.DirectionReach}
	for _, tt := range []struct {
		name   string
		metric goalpost.Metric
		value  float64
		want   float64
	}{
		{"percent", percent, 42.5, 42.5},
		{"percent below 0", percent, -5, 0},
		{"percent above 100", percent, 120, 100},
		{"percent, no direction", goalpost.Metric{}, 30, 30},
		{"percent NaN", percent, math.NaN(), 0},
		{"increaseFrom", m(goalpost.DirectionIncreaseFrom, 100, 300), 250, 75},
		{"increaseFrom at start", m(goalpost.DirectionIncreaseFrom, 100, 300), 100, 0},
		{"increaseFrom below start", m(goalpost.DirectionIncreaseFrom, 100, 300), 50, 0},
		{"increaseFrom beyond target", m(goalpost.DirectionIncreaseFrom, 100, 300), 400, 100},
		{"increaseFrom, negative start", m(goalpost.DirectionIncreaseFrom, -2.5, 40), 6, 20},
		{"increaseFrom, noise", m(goalpost.DirectionIncreaseFrom, 0, 0.3), 0.1, 33.333333333},
		{"reach", m(goalpost.DirectionReach, 0, 12), 3, 25},
		{"reach, zero span, reached", m(goalpost.DirectionReach, 5, 5), 5, 100},
		{"reach, zero span, not reached", m(goalpost.DirectionReach, 5, 5), 4, 0},
		{"no direction counts as increaseFrom", m("", 0, 10), 4, 40},
		{"decreaseFrom", m(goalpost.DirectionDecreaseFrom, 10, 2), 6, 50},
		{"decreaseFrom at target", m(goalpost.DirectionDecreaseFrom, 10, 2), 2, 100},
		{"decreaseFrom below target", m(goalpost.DirectionDecreaseFrom, 10, 2), 0, 100},
		{"decreaseFrom above start", m(goalpost.DirectionDecreaseFrom, 10, 2), 12, 0},
		{"decreaseFrom, zero span, reached", m(goalpost.DirectionDecreaseFrom, 3, 3), 2, 100},
		{"decreaseFrom, zero span, not reached", m(goalpost.DirectionDecreaseFrom, 3, 3), 4, 0},
		{"stayAbove, above", m(goalpost.DirectionStayAbove, 0, 99.9), 99.95, 100},
		{"stayAbove, at target", m(goalpost.DirectionStayAbove, 0, 99.9), 99.9, 100},
		{"stayAbove, below", m(goalpost.DirectionStayAbove, 0, 99.9), 99.8, 0},
		{"stayBelow, below", m(goalpost.DirectionStayBelow, 0, 2), 1, 100},
		{"stayBelow, at target", m(goalpost.DirectionStayBelow, 0, 2), 2, 100},
		{"stayBelow, above", m(goalpost.DirectionStayBelow, 0, 2), 3, 0},
		{"baseline", m(goalpost.DirectionBaseline, 40, 0), 45, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.metric.ProgressOf(tt.value); got != tt.want {
				t.Errorf("ProgressOf(%v): got %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestMetricValueAt(t *testing.T) {
	m := func(d goalpost.Direction, start, target float64) goalpost.Metric {
		return goalpost.Metric{Name: "m", Unit: "number", Start: start, Target: target, Direction: d}
	}
	for _, tt := range []struct {
		name     string
		metric   goalpost.Metric
		progress float64
		want     float64
	}{
		{"percent", goalpost.Metric{Unit: "%", Target: 100}, 60.5, 60.5},
		{"percent above 100", goalpost.Metric{Unit: "%", Target: 100}, 140, 100},
		{"increaseFrom", m(goalpost.DirectionIncreaseFrom, 100, 300), 75, 250},
		{"increaseFrom at 0", m(goalpost.DirectionIncreaseFrom, 100, 300), 0, 100},
		{"increaseFrom at 100", m(goalpost.DirectionIncreaseFrom, 0.1, 0.3), 100, 0.3},
		{"increaseFrom below 0", m(goalpost.DirectionIncreaseFrom, 100, 300), -10, 100},
		{"increaseFrom at NaN", m(goalpost.DirectionIncreaseFrom, 100, 300), math.NaN(), 100},
		{"reach", m(goalpost.DirectionReach, 0, 12), 25, 3},
		{"decreaseFrom", m(goalpost.DirectionDecreaseFrom, 10, 2), 50, 6},
		{"decreaseFrom at 100", m(goalpost.DirectionDecreaseFrom, 10, 2), 100, 2},
		{"stayAbove at 100", m(goalpost.DirectionStayAbove, 90, 99.9), 100, 99.9},
		{"stayAbove below 100", m(goalpost.DirectionStayAbove, 90, 99.9), 99.99, 90},
		{"stayBelow at 100", m(goalpost.DirectionStayBelow, 5, 2), 100, 2},
		{"stayBelow below 100", m(goalpost.DirectionStayBelow, 5, 2), 50, 5},
		{"baseline below 100", m(goalpost.DirectionBaseline, 40, 0), 50, 40},
		{"baseline at 100", m(goalpost.DirectionBaseline, 40, 0), 100, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.metric.ValueAt(tt.progress); got != tt.want {
				t.Errorf("ValueAt(%v): got %v, want %v", tt.progress, got, tt.want)
			}
		})
	}
}

// TestValueAtInvertsProgressOf checks the round trip on the linear metrics.
func TestValueAtInvertsProgressOf(t *testing.T) {
	for _, m := range []goalpost.Metric{
		{Unit: "%", Target: 100},
		{Name: "ARR", Unit: "$", Start: 1e6, Target: 1.5e6, Direction: goalpost.DirectionIncreaseFrom},
		{Name: "Churn", Unit: "%", Start: 10, Target: 2, Direction: goalpost.DirectionDecreaseFrom},
		{Name: "Hires", Unit: "people", Start: 0, Target: 12, Direction: goalpost.DirectionReach},
	} {
		for _, p := range []float64{0, 12.5, 33.333333333, 50, 75, 100} {
			if got := m.ProgressOf(m.ValueAt(p)); math.Abs(got-p) > 1e-9 {
				t.Errorf("%s: ProgressOf(ValueAt(%v)) = %v", m.Name, p, got)
			}
		}
	}
}

func TestRollupProgress(t *testing.T) {
	for _, tt := range []struct {
		name string
		cs   []goalpost.Contribution
		want float64
	}{
		{"no contributors", nil, 0},
		{"one", []goalpost.Contribution{{Weight: 100, Progress: 42}}, 42},
		{"weighted", []goalpost.Contribution{{50, 75}, {30, 50}, {20, 40}}, 60.5},
		{"weights not summing to 100", []goalpost.Contribution{{1, 100}, {3, 0}}, 25},
		{"a zero weight", []goalpost.Contribution{{100, 80}, {0, 0}}, 80},
		{"all weights zero: plain mean", []goalpost.Contribution{{0, 60.5}, {0, 20}}, 40.25},
		{"equal thirds, noise free", []goalpost.Contribution{{100.0 / 3, 10}, {100.0 / 3, 20}, {100.0 / 3, 30}}, 20},
		{"sevenths, rounded to 1e-9", sevenths(), 57.142857143},
		{"not rounded to two decimals", []goalpost.Contribution{{1, 0}, {2, 100}}, 66.666666667},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := goalpost.RollupProgress(tt.cs); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// sevenths are seven equal contributors, four of them done.
func sevenths() []goalpost.Contribution {
	cs := make([]goalpost.Contribution, 7)
	for i := range cs {
		cs[i].Weight = 100.0 / 7
		if i < 4 {
			cs[i].Progress = 100
		}
	}
	return cs
}

// TestRollupTree computes a small tree bottom-up, as the stores do after a
// check-in, with mixed units, weights and a named rolled-up metric:
//
//	company objective (rollup, percent), weights unset (0, 0): plain mean
//	├── revenue objective (rollup, $ 1,000,000 → 1,500,000), weights 50/30/20
//	│   ├── KR customers, increaseFrom 100 → 300, at 250    → 75 %
//	│   ├── KR churn %, decreaseFrom 10 → 2, at 6            → 50 %
//	│   └── initiative, percent, at 40                       → 40 %
//	└── KR uptime, stayAbove 99.9, at 99.95                 → 100 %
func TestRollupTree(t *testing.T) {
	customers := goalpost.Metric{Name: "Customers", Unit: "customers", Start: 100, Target: 300, Direction: goalpost.DirectionIncreaseFrom}
	churn := goalpost.Metric{Name: "Churn", Unit: "%", Start: 10, Target: 2, Direction: goalpost.DirectionDecreaseFrom}
	percent := goalpost.Metric{Unit: "%", Target: 100}
	uptime := goalpost.Metric{Name: "Uptime", Unit: "%", Start: 99, Target: 99.9, Direction: goalpost.DirectionStayAbove}
	revenue := goalpost.Metric{Name: "ARR", Unit: "$", Start: 1_000_000, Target: 1_500_000, Direction: goalpost.DirectionIncreaseFrom}

	leaves := []struct {
		name   string
		metric goalpost.Metric
		value  float64
		want   float64
	}{
		{"customers", customers, 250, 75},
		{"churn", churn, 6, 50},
		{"initiative", percent, 40, 40},
		{"uptime", uptime, 99.95, 100},
	}
	progress := make(map[string]float64)
	for _, l := range leaves {
		progress[l.name] = l.metric.ProgressOf(l.value)
		if got := progress[l.name]; got != l.want {
			t.Errorf("%s: got %v %%, want %v %%", l.name, got, l.want)
		}
	}

	as := []*goalpost.Alignment{
		{ChildID: 11, ParentID: 10, Weight: 50, WeightFixed: true},
		{ChildID: 12, ParentID: 10, Weight: 30, WeightFixed: true},
		{ChildID: 13, ParentID: 10, Weight: 20, WeightFixed: true},
	}
	if err := goalpost.Rebalance(as); err != nil {
		t.Fatal(err)
	}
	revenueProgress := goalpost.RollupProgress([]goalpost.Contribution{
		{Weight: as[0].Weight, Progress: progress["customers"]},
		{Weight: as[1].Weight, Progress: progress["churn"]},
		{Weight: as[2].Weight, Progress: progress["initiative"]},
	})
	if got, want := revenueProgress, 60.5; got != want { // (50·75 + 30·50 + 20·40) / 100
		t.Errorf("revenue objective: got %v %%, want %v %%", got, want)
	}
	if got, want := revenue.ValueAt(revenueProgress), 1_302_500.0; got != want {
		t.Errorf("revenue objective's value: got %v, want %v", got, want)
	}

	company := goalpost.RollupProgress([]goalpost.Contribution{
		{Weight: 0, Progress: revenueProgress},
		{Weight: 0, Progress: progress["uptime"]},
	})
	if got, want := company, 80.25; got != want { // (60.5 + 100) / 2
		t.Errorf("company objective: got %v %%, want %v %%", got, want)
	}

	// Rebalanced equally, the revenue objective's contributors count a third each.
	for _, a := range as {
		a.WeightFixed = false
	}
	if err := goalpost.Rebalance(as); err != nil {
		t.Fatal(err)
	}
	equal := goalpost.RollupProgress([]goalpost.Contribution{
		{Weight: as[0].Weight, Progress: progress["customers"]},
		{Weight: as[1].Weight, Progress: progress["churn"]},
		{Weight: as[2].Weight, Progress: progress["initiative"]},
	})
	if got, want := equal, 55.0; got != want { // (75 + 50 + 40) / 3
		t.Errorf("revenue objective, equal weights: got %v %%, want %v %%", got, want)
	}
}

func TestRebalance(t *testing.T) {
	type w struct {
		weight float64
		fixed  bool
	}
	for _, tt := range []struct {
		name  string
		in    []w
		want  []float64
		error bool
	}{
		{"empty", nil, nil, false},
		{"one unfixed", []w{{0, false}}, []float64{100}, false},
		{"two unfixed", []w{{10, false}, {10, false}}, []float64{50, 50}, false},
		{"seven unfixed", []w{{}, {}, {}, {}, {}, {}, {}},
			[]float64{100.0 / 7, 100.0 / 7, 100.0 / 7, 100.0 / 7, 100.0 / 7, 100.0 / 7, 100.0 / 7}, false},
		{"one fixed, rest split", []w{{40, true}, {0, false}, {99, false}}, []float64{40, 30, 30}, false},
		{"fixed leave nothing", []w{{60, true}, {40, true}, {5, false}}, []float64{60, 40, 0}, false},
		{"fixed over 100 by noise", []w{{100.0 / 3, true}, {100.0 / 3, true}, {100.0 / 3, true}, {1, false}},
			[]float64{100.0 / 3, 100.0 / 3, 100.0 / 3, 0}, false},
		{"all fixed, summing to 100", []w{{70, true}, {30, true}}, []float64{70, 30}, false},
		{"all fixed, within 1e-6 of 100", []w{{70, true}, {29.9999999, true}}, []float64{70, 29.9999999}, false},
		{"fixed over 100", []w{{70, true}, {40, true}, {0, false}}, []float64{70, 40, 0}, true},
		{"all fixed, under 100", []w{{70, true}, {20, true}}, []float64{70, 20}, true},
		{"one fixed at 60", []w{{60, true}}, []float64{60}, true},
		{"fixed weight negative", []w{{-10, true}, {0, false}}, []float64{-10, 0}, true},
		{"fixed weight NaN", []w{{math.NaN(), true}, {7, false}}, []float64{math.NaN(), 7}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			as := make([]*goalpost.Alignment, len(tt.in))
			for i, x := range tt.in {
				as[i] = &goalpost.Alignment{ChildID: int64(i + 2), ParentID: 1, Weight: x.weight, WeightFixed: x.fixed}
			}
			err := goalpost.Rebalance(as)
			if tt.error {
				checkRuleError(t, err, "weight")
			} else {
				checkRuleError(t, err, "")
			}
			for i, a := range as {
				if a.WeightFixed != tt.in[i].fixed {
					t.Errorf("contributor %d: WeightFixed changed to %v", i, a.WeightFixed)
				}
				if got, want := a.Weight, tt.want[i]; got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("contributor %d: got weight %v, want %v", i, got, want)
				}
			}
		})
	}
}

func TestRebalanceMessages(t *testing.T) {
	over := goalpost.Rebalance([]*goalpost.Alignment{{Weight: 70, WeightFixed: true}, {Weight: 100.0 / 3, WeightFixed: true}})
	if got, want := goalpost.ErrorMessage(over), "The fixed weights sum to 103.33 %, more than 100 %."; got != want {
		t.Errorf("over 100: got %q, want %q", got, want)
	}
	under := goalpost.ErrorMessage(goalpost.Rebalance([]*goalpost.Alignment{{Weight: 70, WeightFixed: true}}))
	for _, want := range []string{"70 %", "must sum to 100 %", "weightFixed", "rebalanced"} {
		if !strings.Contains(under, want) {
			t.Errorf("all fixed under 100: message %q lacks %q", under, want)
		}
	}
}

func TestParseStatusLabel(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want goalpost.Status
		ok   bool
	}{
		{"Not Started", goalpost.StatusNotStarted, true},
		{"On Track", goalpost.StatusOnTrack, true},
		{"Behind", goalpost.StatusBehind, true},
		{"At Risk", goalpost.StatusAtRisk, true},
		{"Closed", goalpost.StatusClosed, true},
		{"Postponed", goalpost.StatusPostponed, true},
		{"Reopened", goalpost.StatusReopened, true},
		{"notStarted", goalpost.StatusNotStarted, true},
		{"onTrack", goalpost.StatusOnTrack, true},
		{"atRisk", goalpost.StatusAtRisk, true},
		{"closed", goalpost.StatusClosed, true},
		{"on track", "", false},
		{"ON TRACK", "", false},
		{" On Track", "", false},
		{"Done", "", false},
		{"", "", false},
	} {
		got, ok := goalpost.ParseStatusLabel(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseStatusLabel(%q): got %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	// Every label the export writes reads back.
	for _, s := range []goalpost.Status{goalpost.StatusNotStarted, goalpost.StatusOnTrack, goalpost.StatusBehind,
		goalpost.StatusAtRisk, goalpost.StatusClosed, goalpost.StatusPostponed, goalpost.StatusReopened} {
		if got, ok := goalpost.ParseStatusLabel(s.Label()); got != s || !ok {
			t.Errorf("ParseStatusLabel(%q): got %q, %v, want %q", s.Label(), got, ok, s)
		}
	}
}

func TestGoalTypeLabel(t *testing.T) {
	for _, tt := range []struct {
		in   goalpost.GoalType
		want string
	}{
		{goalpost.GoalAspirational, "Aspirational Goal"},
		{goalpost.GoalCommitted, "Committed Goal"},
		{"", "Aspirational Goal"},
		{"stretch", "stretch"},
	} {
		if got := tt.in.Label(); got != tt.want {
			t.Errorf("GoalType(%q).Label(): got %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want goalpost.GoalType
		ok   bool
	}{
		{"Aspirational Goal", goalpost.GoalAspirational, true},
		{"Committed Goal", goalpost.GoalCommitted, true},
		{"aspirational", goalpost.GoalAspirational, true},
		{"committed", goalpost.GoalCommitted, true},
		{"committed goal", "", false},
		{"Committed", "", false},
		{"", "", false},
	} {
		got, ok := goalpost.ParseGoalTypeLabel(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseGoalTypeLabel(%q): got %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTerminologyKindOf(t *testing.T) {
	own := goalpost.Terminology{Objective: "Goal", KeyResult: "Metric"} // initiatives keep the default word
	for _, tt := range []struct {
		name string
		t    goalpost.Terminology
		word string
		want goalpost.ItemKind
		ok   bool
	}{
		{"default objective", goalpost.Terminology{}, "Objective", goalpost.KindObjective, true},
		{"default key result", goalpost.Terminology{}, "Key result", goalpost.KindKeyResult, true},
		{"default key result, other case", goalpost.Terminology{}, "KEY RESULT", goalpost.KindKeyResult, true},
		{"default initiative", goalpost.DefaultTerminology, "initiative", goalpost.KindInitiative, true},
		{"own word", own, "Goal", goalpost.KindObjective, true},
		{"own word, other case", own, "metric", goalpost.KindKeyResult, true},
		{"fallback to the default", own, "Initiative", goalpost.KindInitiative, true},
		{"default word replaced", own, "Objective", "", false},
		{"API value", goalpost.Terminology{}, "keyResult", "", false},
		{"unknown", goalpost.Terminology{}, "Task", "", false},
		{"empty", goalpost.Terminology{}, "", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.t.KindOf(tt.word)
			if got != tt.want || ok != tt.ok {
				t.Errorf("KindOf(%q): got %q, %v, want %q, %v", tt.word, got, ok, tt.want, tt.ok)
			}
		})
	}
	// Every word the export writes reads back.
	for _, k := range []goalpost.ItemKind{goalpost.KindObjective, goalpost.KindKeyResult, goalpost.KindInitiative} {
		if got, ok := own.KindOf(own.Word(k)); got != k || !ok {
			t.Errorf("KindOf(Word(%q)): got %q, %v", k, got, ok)
		}
	}
}

func TestAlignmentCycle(t *testing.T) {
	graph := func(edges ...[2]int64) func(int64) []goalpost.Alignment {
		m := map[int64][]goalpost.Alignment{}
		for _, e := range edges {
			m[e[0]] = append(m[e[0]], goalpost.Alignment{ChildID: e[0], ParentID: e[1]})
		}
		return func(id int64) []goalpost.Alignment { return m[id] }
	}
	for _, tc := range []struct {
		name   string
		starts []int64
		edges  [][2]int64
		want   []int64
	}{
		{"none", []int64{1, 2, 3}, [][2]int64{{2, 1}, {3, 1}, {3, 2}}, nil},
		{"diamond", []int64{4}, [][2]int64{{4, 2}, {4, 3}, {2, 1}, {3, 1}}, nil},
		{"self", []int64{1}, [][2]int64{{1, 1}}, []int64{1}},
		{"two", []int64{1}, [][2]int64{{1, 2}, {2, 1}}, []int64{1, 2}},
		{"three, entered from outside", []int64{9}, [][2]int64{{9, 1}, {1, 2}, {2, 3}, {3, 1}}, []int64{1, 2, 3}},
		{"second parent", []int64{5}, [][2]int64{{5, 6}, {5, 7}, {7, 5}}, []int64{5, 7}},
		{"unreached", []int64{1}, [][2]int64{{2, 3}, {3, 2}}, nil},
	} {
		edges := tc.edges
		got := goalpost.AlignmentCycle(tc.starts, graph(edges...))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: AlignmentCycle = %v, want %v", tc.name, got, tc.want)
		}
	}
}
