package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
)

// jobCounter counts the job rows the server reads.
type jobCounter struct {
	goalpost.Store
	jobs atomic.Int64
}

func (c *jobCounter) FindExportJob(ctx context.Context, id uuid.UUID) (*goalpost.ExportJob, error) {
	c.jobs.Add(1)
	return c.Store.FindExportJob(ctx, id)
}

// TestFinishedJobCache_Polls: polls of an unfinished job read its row every
// time; once it has finished, the row is read once and the polls (and the
// download) answer from the cache, with the same body, until the job
// expires, when it is gone as if uncached.
func TestFinishedJobCache_Polls(t *testing.T) {
	counter := &jobCounter{}
	e := newEnv(t, envOptions{workers: 1, gate: true, retention: time.Hour, wrap: func(s goalpost.Store) goalpost.Store {
		counter.Store = s
		return counter
	}})
	start := time.Now().UTC()
	e.clock.Set(start)
	tok := e.adele()
	events := e.subscribe()
	key := e.create()
	url := jobsURL + "/" + key

	before := counter.jobs.Load()
	for range 3 {
		if r := e.do("GET", url, tok, ""); r.StatusCode != http.StatusOK || r.json(t)["status"] == "succeeded" {
			t.Fatalf("poll while held: %d %s", r.StatusCode, r.body)
		}
	}
	if n := counter.jobs.Load() - before; n != 3 {
		t.Errorf("3 polls of an unfinished job read %d job rows, want 3", n)
	}

	close(e.gate.release)
	e.waitDone(events, key)
	first := e.do("GET", url, tok, "")
	if first.StatusCode != http.StatusOK || first.json(t)["status"] != "succeeded" {
		t.Fatalf("poll after the export: %d %s", first.StatusCode, first.body)
	}
	before = counter.jobs.Load()
	for range 5 {
		r := e.do("GET", url, tok, "")
		if r.StatusCode != http.StatusOK || string(r.body) != string(first.body) {
			t.Fatalf("poll of the finished job: %d %s, want the first answer %s", r.StatusCode, r.body, first.body)
		}
	}
	if r := e.do("GET", url+"/content", tok, ""); r.StatusCode != http.StatusOK {
		t.Fatalf("content: %d %s", r.StatusCode, r.body)
	}
	// The kept body is the one of its base URL: a poll that came in on
	// another host name is answered with that host's URLs.
	other := e.do("GET", url, tok, "", "Host", "goalpost.example")
	if loc, _ := other.json(t)["resourceLocation"].(string); !strings.HasPrefix(loc, "http://goalpost.example/beta/") {
		t.Errorf("resourceLocation on another host = %q", loc)
	}
	if again := e.do("GET", url, tok, ""); string(again.body) != string(first.body) {
		t.Errorf("poll after one on another host: %s, want %s", again.body, first.body)
	}
	// $select is answered as asked.
	if r := e.do("GET", url+"?$select=status", tok, ""); r.StatusCode != http.StatusOK || len(r.json(t)) != 2 || r.json(t)["status"] != "succeeded" {
		t.Errorf("$select=status: %d %s", r.StatusCode, r.body)
	}
	if n := counter.jobs.Load() - before; n != 0 {
		t.Errorf("5 polls and a download of a finished job read %d job rows, want 0", n)
	}

	// The cache is no way around the rules: another organization's owner
	// does not see the job, and past its expiry nobody does.
	megan := e.token(demo.MeganUPN, goalpost.ScopeExportReadWrite)
	wantError(t, e.do("GET", url, megan, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
	e.clock.Set(start.Add(time.Hour + time.Second))
	wantError(t, e.do("GET", url, tok, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
	wantError(t, e.do("GET", url+"/content", tok, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
}

// TestFinishedJobCache_OrganizationDeleted: deleting the organization
// through /api/v1 hides its cached jobs at once.
func TestFinishedJobCache_OrganizationDeleted(t *testing.T) {
	e := newEnv(t, envOptions{workers: 1, identityTTL: time.Hour})
	tok := e.adele()
	events := e.subscribe()
	key := e.create()
	e.waitDone(events, key)
	url := jobsURL + "/" + key
	if r := e.do("GET", url, tok, ""); r.StatusCode != http.StatusOK || r.json(t)["status"] != "succeeded" {
		t.Fatalf("poll: %d %s", r.StatusCode, r.body)
	}
	admin := e.token(demo.AdeleUPN, goalpost.ScopeGoalsReadWrite)
	if r := e.do("DELETE", "/api/v1/organizations/"+demo.ContosoID.String(), admin, ""); r.StatusCode != http.StatusNoContent {
		t.Fatalf("delete Contoso: %d %s", r.StatusCode, r.body)
	}
	wantError(t, e.do("GET", url, tok, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
}
