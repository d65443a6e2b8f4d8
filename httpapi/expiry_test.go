package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/jobs"
)

func TestExpiry_JobAndContentGone(t *testing.T) { forEachStore(t, testExpiry_JobAndContentGone) }

func testExpiry_JobAndContentGone(t *testing.T, store string) {
	e := newEnv(t, envOptions{store: store, workers: 1, retention: time.Hour})
	start := time.Now().UTC()
	e.clock.Set(start)
	events := e.subscribe()
	key := e.create()
	e.waitDone(events, key)
	k, _ := goalpost.ParseJobKey(key)
	job, err := e.store.FindExportJob(context.Background(), k.JobID)
	if err != nil || job.Status != goalpost.JobSucceeded {
		t.Fatalf("job %+v, %v", job, err)
	}
	ctx := context.Background()
	if ok, _ := e.bucket.Exists(ctx, job.Content.Key); !ok {
		t.Fatal("content blob missing after success")
	}

	// Past its expiry the job is gone for clients at once, even before
	// cleanup has run.
	e.clock.Set(start.Add(time.Hour + time.Second))
	tok := e.adele()
	wantError(t, e.do("GET", jobsURL+"/"+key, tok, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
	wantError(t, e.do("GET", jobsURL+"/"+key+"/content", tok, ""), 404, "notFound", "exportJobNotFound", "Specified export job not found")
	if v := e.do("GET", jobsURL, tok, "").json(t)["value"].([]any); len(v) != 0 {
		t.Errorf("expired job still listed")
	}

	cl := &jobs.Cleaner{Store: e.store, Bucket: e.bucket, NowFunc: e.clock.Now, OrphanGrace: time.Hour, Logger: discardLogger()}
	res, err := cl.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Expired != 1 {
		t.Errorf("cleanup expired %d jobs, want 1", res.Expired)
	}
	if ok, _ := e.bucket.Exists(ctx, job.Content.Key); ok {
		t.Error("content blob still there after cleanup")
	}
	if _, err := e.store.FindExportJob(ctx, k.JobID); !goalpost.IsNotFound(err) {
		t.Errorf("job row after cleanup: %v", err)
	}
	// Cleanup is idempotent.
	if res, err := cl.Run(ctx); err != nil || res.Expired != 0 {
		t.Errorf("second cleanup: %+v, %v", res, err)
	}
}
