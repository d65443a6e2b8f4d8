package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// jobTime is when the suite's jobs are created, give or take minutes.
var jobTime = time.Date(2025, 3, 15, 9, 0, 0, 0, time.UTC)

// jobMaker makes jobs with version-1 IDs from a seeded source, so that runs
// are repeatable.
type jobMaker struct {
	mu  sync.Mutex
	rnd *rand.ChaCha8
}

func newJobMaker(seed byte) *jobMaker {
	var s [32]byte
	s[0] = seed
	return &jobMaker{rnd: rand.NewChaCha8(s)}
}

// job returns a notStarted job of org and view created at createdAt, with
// the default 24 h retention.
func (m *jobMaker) job(t *testing.T, org, view, creator uuid.UUID, createdAt time.Time) *goalpost.ExportJob {
	t.Helper()
	m.mu.Lock()
	id, err := goalpost.NewJobID(createdAt, m.rnd)
	m.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	return &goalpost.ExportJob{
		ID: id, OrgID: org, ViewID: view, CreatorID: creator, Status: goalpost.JobNotStarted,
		CreatedAt: createdAt, LastActionAt: createdAt, ExpiresAt: createdAt.Add(24 * time.Hour),
	}
}

// create creates job or fails t.
func create(t *testing.T, s goalpost.Store, job *goalpost.ExportJob) *goalpost.ExportJob {
	t.Helper()
	if err := s.CreateExportJob(context.Background(), job); err != nil {
		t.Fatalf("CreateExportJob: %v", err)
	}
	return job
}

// wantJob fails t unless got equals want (times compared as instants).
func wantJob(t *testing.T, got, want *goalpost.ExportJob) {
	t.Helper()
	if got == nil {
		t.Fatalf("job = nil, want %+v", want)
	}
	g, w := *got, *want
	for _, p := range []struct {
		name string
		g, w *time.Time
	}{
		{"CreatedAt", &g.CreatedAt, &w.CreatedAt}, {"LastActionAt", &g.LastActionAt, &w.LastActionAt},
		{"ExpiresAt", &g.ExpiresAt, &w.ExpiresAt}, {"StartedAt", &g.StartedAt, &w.StartedAt},
	} {
		if !p.g.Equal(*p.w) {
			t.Errorf("job %s %s = %v, want %v", g.ID, p.name, *p.g, *p.w)
		}
		*p.g, *p.w = time.Time{}, time.Time{}
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("job =\n%+v\nwant\n%+v", g, w)
	}
}

// jobIDs returns the IDs of jobs.
func jobIDs(jobs []*goalpost.ExportJob) []uuid.UUID {
	out := make([]uuid.UUID, len(jobs))
	for i, j := range jobs {
		out[i] = j.ID
	}
	return out
}

func testExportJobs(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()

	t.Run("CreateAndFind", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		m := newJobMaker(1)
		job := create(t, s, m.job(t, orgA, viewAll, mia, jobTime))
		got, err := s.FindExportJob(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantJob(t, got, m.jobCopy(job))
		if got.Status != goalpost.JobNotStarted || !got.StartedAt.IsZero() || got.Content != (goalpost.Content{}) {
			t.Errorf("new job = %+v, want notStarted, not started, no content", got)
		}

		_, err = s.FindExportJob(ctx, uuid.MustParse("f0000000-0000-4000-8000-00000000dead"))
		e := wantCode(t, err, goalpost.ENOTFOUND, "exportJobNotFound")
		if e.Message != "Specified export job not found" {
			t.Errorf("message = %q", e.Message)
		}
	})

	t.Run("Conflict", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		m := newJobMaker(2)
		const n = 50
		jobs := make([]*goalpost.ExportJob, n)
		for i := range jobs {
			jobs[i] = m.job(t, orgA, viewAll, mia, jobTime.Add(time.Duration(i)*time.Millisecond))
		}
		errs := make([]error, n)
		var start, wg sync.WaitGroup
		start.Add(1)
		for i := range jobs {
			wg.Go(func() {
				start.Wait()
				errs[i] = s.CreateExportJob(ctx, jobs[i])
			})
		}
		start.Done()
		wg.Wait()

		winner := -1
		for i, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("jobs %d and %d were both created", winner, i)
				}
				winner = i
			}
		}
		if winner < 0 {
			t.Fatal("no job was created")
		}
		key := jobs[winner].Key().String()
		for i, err := range errs {
			if i == winner {
				continue
			}
			e := wantCode(t, err, goalpost.ECONFLICT, "exportJobAlreadyExists")
			if e.Target != key {
				t.Errorf("job %d: Target = %q, want the winner's key %q", i, e.Target, key)
			}
			if e.Message != "Another export job is still active or waiting to be executed" {
				t.Errorf("job %d: Message = %q", i, e.Message)
			}
			if _, err := s.FindExportJob(ctx, jobs[i].ID); !goalpost.IsNotFound(err) {
				t.Errorf("losing job %d was recorded: err = %v", i, err)
			}
		}

		// Another view, or another organization, is no conflict.
		create(t, s, m.job(t, orgA, viewMine, mia, jobTime))
		create(t, s, m.job(t, orgB, viewAll, otto, jobTime))

		// A running job still conflicts; once it is done, a new one may start.
		if _, err := s.StartExportJob(ctx, jobs[winner].ID, jobTime.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		err := s.CreateExportJob(ctx, m.job(t, orgA, viewAll, adam, jobTime.Add(time.Minute)))
		if e := wantCode(t, err, goalpost.ECONFLICT, "exportJobAlreadyExists"); e.Target != key {
			t.Errorf("Target = %q, want %q", e.Target, key)
		}
		if err := s.FailExportJob(ctx, jobs[winner].ID, "boom", jobTime.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		second := create(t, s, m.job(t, orgA, viewAll, adam, jobTime.Add(3*time.Minute)))
		err = s.CreateExportJob(ctx, m.job(t, orgA, viewAll, mia, jobTime.Add(3*time.Minute)))
		if e := wantCode(t, err, goalpost.ECONFLICT, "exportJobAlreadyExists"); e.Target != second.Key().String() {
			t.Errorf("Target = %q, want %q", e.Target, second.Key().String())
		}
		if _, err := s.StartExportJob(ctx, second.ID, jobTime.Add(4*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteExportJob(ctx, second.ID, goalpost.Content{Key: "k", Size: 1, SHA256: "00", Rows: 1}, jobTime.Add(5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		create(t, s, m.job(t, orgA, viewAll, mia, jobTime.Add(6*time.Minute)))
	})

	t.Run("List", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		m := newJobMaker(3)
		// Each job its own view, so that none conflicts. Jobs 2 and 3 share
		// a creation time: the ID breaks the tie.
		var all []*goalpost.ExportJob
		spec := []struct {
			org, creator uuid.UUID
			minute       int
		}{
			{orgA, mia, 0}, {orgA, noah, 1}, {orgA, mia, 2}, {orgA, adam, 2}, {orgA, oscar, 3},
			{orgB, otto, 4}, {orgB, adam, 5}, {orgA, mia, 6}, {orgB, otto, 7},
		}
		for _, sp := range spec {
			all = append(all, create(t, s, m.job(t, sp.org, uuid.New(), sp.creator, jobTime.Add(time.Duration(sp.minute)*time.Minute))))
		}
		newestFirst := func(keep func(*goalpost.ExportJob) bool) []uuid.UUID {
			var js []*goalpost.ExportJob
			for _, j := range all {
				if keep(j) {
					js = append(js, j)
				}
			}
			slices.SortFunc(js, func(a, b *goalpost.ExportJob) int {
				if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
					return c
				}
				return slices.Compare(b.ID[:], a.ID[:])
			})
			return jobIDs(js)
		}
		inOrg := func(org uuid.UUID) func(*goalpost.ExportJob) bool {
			return func(j *goalpost.ExportJob) bool { return j.OrgID == org }
		}
		byCreator := func(u uuid.UUID) func(*goalpost.ExportJob) bool {
			return func(j *goalpost.ExportJob) bool { return j.CreatorID == u }
		}
		for _, tc := range []struct {
			name string
			f    goalpost.ExportJobFilter
			want []uuid.UUID
		}{
			{"member sees own", goalpost.ExportJobFilter{ViewerID: mia}, newestFirst(byCreator(mia))},
			{"observer sees own", goalpost.ExportJobFilter{ViewerID: oscar}, newestFirst(byCreator(oscar))},
			{"admin sees org and own elsewhere", goalpost.ExportJobFilter{ViewerID: adam},
				newestFirst(func(j *goalpost.ExportJob) bool { return j.OrgID == orgA || j.CreatorID == adam })},
			{"owner sees org", goalpost.ExportJobFilter{ViewerID: olivia}, newestFirst(inOrg(orgA))},
			{"owner of B", goalpost.ExportJobFilter{ViewerID: otto}, newestFirst(inOrg(orgB))},
			{"admin, org filter B", goalpost.ExportJobFilter{ViewerID: adam, OrgID: orgB},
				newestFirst(func(j *goalpost.ExportJob) bool { return j.OrgID == orgB && j.CreatorID == adam })},
			{"owner of B, org filter A", goalpost.ExportJobFilter{ViewerID: otto, OrgID: orgA}, nil},
			{"member, org filter", goalpost.ExportJobFilter{ViewerID: mia, OrgID: orgA}, newestFirst(byCreator(mia))},
			{"stranger", goalpost.ExportJobFilter{ViewerID: uuid.New()}, nil},
			{"limit", goalpost.ExportJobFilter{ViewerID: olivia, Limit: 2}, newestFirst(inOrg(orgA))[:2]},
		} {
			got, err := s.FindExportJobs(ctx, tc.f)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if g := jobIDs(got); !slices.Equal(g, tc.want) && !(len(g) == 0 && len(tc.want) == 0) {
				t.Errorf("%s: got %v, want %v", tc.name, g, tc.want)
			}
		}

		// Listed jobs are whole.
		got, err := s.FindExportJobs(ctx, goalpost.ExportJobFilter{ViewerID: otto, Limit: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("FindExportJobs = %v, %v", got, err)
		}
		wantJob(t, got[0], m.jobCopy(all[8]))

		// Paging with After visits every job once, in order, whatever the
		// page size.
		want := newestFirst(inOrg(orgA))
		for size := 1; size <= len(want)+1; size++ {
			var paged []uuid.UUID
			f := goalpost.ExportJobFilter{ViewerID: adam, OrgID: orgA, Limit: size}
			for range len(want) + 2 {
				page, err := s.FindExportJobs(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) > size {
					t.Fatalf("page of %d jobs, limit %d", len(page), size)
				}
				paged = append(paged, jobIDs(page)...)
				if len(page) < size {
					break
				}
				last := page[len(page)-1]
				f.AfterCreatedAt, f.AfterID = last.CreatedAt, last.ID
			}
			if !slices.Equal(paged, want) {
				t.Errorf("page size %d: got %v, want %v", size, paged, want)
			}
		}
	})

	t.Run("Transitions", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		m := newJobMaker(4)
		missing := uuid.MustParse("f0000000-0000-4000-8000-00000000dead")
		t0 := jobTime

		job := create(t, s, m.job(t, orgA, viewAll, mia, t0))
		started, err := s.StartExportJob(ctx, job.ID, t0.Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		want := m.jobCopy(job)
		want.Status, want.StartedAt, want.LastActionAt = goalpost.JobRunning, t0.Add(time.Second), t0.Add(time.Second)
		wantJob(t, started, want)

		// A retry of a running job starts it again.
		started, err = s.StartExportJob(ctx, job.ID, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		want.StartedAt, want.LastActionAt = t0.Add(time.Minute), t0.Add(time.Minute)
		wantJob(t, started, want)

		content := goalpost.Content{Key: "exports/a.csv", Size: 1234, SHA256: "ab12", Rows: 16}
		if err := s.CompleteExportJob(ctx, job.ID, content, t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindExportJob(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.Status, want.Content, want.LastActionAt = goalpost.JobSucceeded, content, t0.Add(2*time.Minute)
		wantJob(t, got, want)

		// A done job is returned unchanged by Start and refused by the rest.
		again, err := s.StartExportJob(ctx, job.ID, t0.Add(3*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		wantJob(t, again, want)
		if err := s.CompleteExportJob(ctx, job.ID, content, t0.Add(3*time.Minute)); err == nil || goalpost.IsNotFound(err) {
			t.Errorf("completing a succeeded job: err = %v, want an error", err)
		}
		if err := s.FailExportJob(ctx, job.ID, "late", t0.Add(3*time.Minute)); err == nil || goalpost.IsNotFound(err) {
			t.Errorf("failing a succeeded job: err = %v, want an error", err)
		}
		got, _ = s.FindExportJob(ctx, job.ID)
		wantJob(t, got, want)

		// Complete needs a running job.
		pending := create(t, s, m.job(t, orgA, viewMine, mia, t0))
		if err := s.CompleteExportJob(ctx, pending.ID, content, t0.Add(time.Minute)); err == nil || goalpost.IsNotFound(err) {
			t.Errorf("completing a notStarted job: err = %v, want an error", err)
		}
		// Fail works from notStarted and from running.
		if err := s.FailExportJob(ctx, pending.ID, "view gone", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, _ = s.FindExportJob(ctx, pending.ID)
		wantP := m.jobCopy(pending)
		wantP.Status, wantP.StatusDetail, wantP.LastActionAt = goalpost.JobFailed, "view gone", t0.Add(time.Minute)
		wantJob(t, got, wantP)
		again, err = s.StartExportJob(ctx, pending.ID, t0.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		wantJob(t, again, wantP)

		running := create(t, s, m.job(t, orgB, viewB, otto, t0))
		if _, err := s.StartExportJob(ctx, running.ID, t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := s.FailExportJob(ctx, running.ID, "retries exhausted", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, _ = s.FindExportJob(ctx, running.ID)
		if got.Status != goalpost.JobFailed || got.StatusDetail != "retries exhausted" || !got.StartedAt.Equal(t0.Add(time.Second)) {
			t.Errorf("failed running job = %+v", got)
		}

		_, err = s.StartExportJob(ctx, missing, t0)
		wantCode(t, err, goalpost.ENOTFOUND, "exportJobNotFound")
		wantCode(t, s.CompleteExportJob(ctx, missing, content, t0), goalpost.ENOTFOUND, "exportJobNotFound")
		wantCode(t, s.FailExportJob(ctx, missing, "x", t0), goalpost.ENOTFOUND, "exportJobNotFound")
	})

	t.Run("ExpiryAndDelete", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		m := newJobMaker(5)
		var jobs []*goalpost.ExportJob
		for i := range 4 { // expiring at +24h, +25h, +26h, +27h
			j := m.job(t, orgA, uuid.New(), mia, jobTime.Add(time.Duration(i)*time.Hour))
			jobs = append(jobs, create(t, s, j))
		}
		// Expiry covers every state.
		if _, err := s.StartExportJob(ctx, jobs[0].ID, jobTime); err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteExportJob(ctx, jobs[0].ID, goalpost.Content{Key: "k0"}, jobTime); err != nil {
			t.Fatal(err)
		}
		if err := s.FailExportJob(ctx, jobs[1].ID, "x", jobTime); err != nil {
			t.Fatal(err)
		}
		now := jobs[2].ExpiresAt // at or before now: 0, 1 and 2
		for _, tc := range []struct {
			limit int
			want  []uuid.UUID
		}{
			{10, jobIDs(jobs[:3])},
			{2, jobIDs(jobs[:2])},
		} {
			got, err := s.ExpiredExportJobs(ctx, now, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if g := jobIDs(got); !slices.Equal(g, tc.want) {
				t.Errorf("ExpiredExportJobs(limit %d) = %v, want %v", tc.limit, g, tc.want)
			}
		}
		got, err := s.ExpiredExportJobs(ctx, jobTime, 10)
		if err != nil || len(got) != 0 {
			t.Errorf("ExpiredExportJobs before any expiry = %v, %v", got, err)
		}

		for _, j := range jobs[:3] {
			if err := s.DeleteExportJob(ctx, j.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindExportJob(ctx, j.ID); !goalpost.IsNotFound(err) {
				t.Errorf("deleted job %s: err = %v, want ENOTFOUND", j.ID, err)
			}
		}
		if err := s.DeleteExportJob(ctx, jobs[0].ID); err != nil {
			t.Errorf("deleting a missing job: %v", err)
		}
		got, err = s.ExpiredExportJobs(ctx, now, 10)
		if err != nil || len(got) != 0 {
			t.Errorf("ExpiredExportJobs after delete = %v, %v", got, err)
		}
		if _, err := s.FindExportJob(ctx, jobs[3].ID); err != nil {
			t.Errorf("unexpired job: %v", err)
		}
	})

	t.Run("ContentKeys", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		m := newJobMaker(6)
		var jobs []*goalpost.ExportJob
		for i := range 2 {
			j := create(t, s, m.job(t, orgA, uuid.New(), mia, jobTime))
			if _, err := s.StartExportJob(ctx, j.ID, jobTime); err != nil {
				t.Fatal(err)
			}
			if err := s.CompleteExportJob(ctx, j.ID, goalpost.Content{Key: fmt.Sprintf("exports/%d.csv", i)}, jobTime); err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, j)
		}
		keys := []string{"exports/0.csv", "exports/1.csv", "exports/orphan.csv"}
		got, err := s.ContentKeys(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]bool{"exports/0.csv": true, "exports/1.csv": true}; !sameTrue(got, want) {
			t.Errorf("ContentKeys = %v, want %v", got, want)
		}
		if err := s.DeleteExportJob(ctx, jobs[0].ID); err != nil {
			t.Fatal(err)
		}
		got, err = s.ContentKeys(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]bool{"exports/1.csv": true}; !sameTrue(got, want) {
			t.Errorf("ContentKeys after delete = %v, want %v", got, want)
		}
		// Many keys at once.
		many := make([]string, 2000)
		for i := range many {
			many[i] = fmt.Sprintf("exports/none-%d.csv", i)
		}
		many[1999] = "exports/1.csv"
		got, err = s.ContentKeys(ctx, many)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]bool{"exports/1.csv": true}; !sameTrue(got, want) {
			t.Errorf("ContentKeys(2000 keys) = %d true, want only exports/1.csv", len(got))
		}
	})

	t.Run("QueueStats", func(t *testing.T) {
		t.Parallel()
		s := mustOpenLoaded(t, open)
		m := newJobMaker(7)
		st, err := s.ExportQueueStats(ctx, m.job(t, orgA, viewAll, mia, jobTime))
		if err != nil {
			t.Fatal(err)
		}
		if st != (goalpost.QueueStats{}) {
			t.Errorf("stats of an empty queue = %+v, want zero", st)
		}

		// 21 succeeded jobs: the oldest took an hour, the 20 latest took
		// 10 s and 20 s alternately. Only the latest 20 count.
		base := jobTime.Add(-48 * time.Hour)
		for i := range 21 {
			j := create(t, s, m.job(t, orgA, uuid.New(), mia, base.Add(time.Duration(i)*time.Minute)))
			startAt := base.Add(time.Duration(i) * time.Minute)
			took := time.Duration(10*(1+i%2)) * time.Second
			if i == 0 { // completed before all the others
				startAt, took = base.Add(-2*time.Hour), time.Hour
			}
			if _, err := s.StartExportJob(ctx, j.ID, startAt); err != nil {
				t.Fatal(err)
			}
			if err := s.CompleteExportJob(ctx, j.ID, goalpost.Content{Key: j.ID.String()}, startAt.Add(took)); err != nil {
				t.Fatal(err)
			}
		}
		// A failed job's time does not count either.
		failed := create(t, s, m.job(t, orgA, uuid.New(), mia, jobTime))
		if _, err := s.StartExportJob(ctx, failed.ID, jobTime); err != nil {
			t.Fatal(err)
		}
		if err := s.FailExportJob(ctx, failed.ID, "x", jobTime.Add(5*time.Hour)); err != nil {
			t.Fatal(err)
		}
		// Two running, three waiting.
		for i := range 2 {
			j := create(t, s, m.job(t, orgA, uuid.New(), mia, jobTime.Add(time.Duration(i)*time.Second)))
			if _, err := s.StartExportJob(ctx, j.ID, jobTime.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		var waiting []*goalpost.ExportJob
		for i := range 3 {
			waiting = append(waiting, create(t, s, m.job(t, orgA, uuid.New(), noah, jobTime.Add(time.Duration(i+1)*time.Minute))))
		}
		for i, j := range waiting {
			st, err := s.ExportQueueStats(ctx, j)
			if err != nil {
				t.Fatal(err)
			}
			want := goalpost.QueueStats{Ahead: i, Running: 2, AvgDuration: 15 * time.Second}
			if st != want {
				t.Errorf("stats of waiting job %d = %+v, want %+v", i, st, want)
			}
		}
	})
}

// jobCopy returns a copy of job as the store keeps it: times in UTC.
func (m *jobMaker) jobCopy(job *goalpost.ExportJob) *goalpost.ExportJob {
	c := *job
	c.CreatedAt, c.LastActionAt, c.ExpiresAt = c.CreatedAt.UTC(), c.LastActionAt.UTC(), c.ExpiresAt.UTC()
	return &c
}

// sameTrue reports whether got and want name the same keys as true.
func sameTrue(got, want map[string]bool) bool {
	for k, v := range got {
		if v != want[k] {
			return false
		}
	}
	for k, v := range want {
		if v && !got[k] {
			return false
		}
	}
	return true
}
