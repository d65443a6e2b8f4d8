package httpapi

import (
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// maxFinishedJobs bounds the finished-job cache: when it is full it starts
// over.
const maxFinishedJobs = 4096

// finishedJobs remembers export jobs that have finished, so that polling
// one (and downloading its content) reads no job row. A finished job never
// changes: the stores leave succeeded and failed only by deleting the row,
// which the cleanup does after ExpiresAt, or with the job's organization.
// So an entry is exact until ExpiresAt, and it is never used at or after
// it (the job is gone for the API then, cached or not). A job is looked up
// only after the caller's membership of its organization, so the jobs of a
// deleted organization are hidden as soon as that membership is: at once
// on the node that deleted it, within Config.IdentityTTL on the others.
//
// An unfinished job is never kept: a poll of one exists to see it change.
type finishedJobs struct {
	mu   sync.Mutex
	jobs map[uuid.UUID]*goalpost.ExportJob
}

// get returns the finished job id if it is cached and unexpired at now.
// The job must not be modified.
func (c *finishedJobs) get(id uuid.UUID, now time.Time) (*goalpost.ExportJob, bool) {
	c.mu.Lock()
	j, ok := c.jobs[id]
	c.mu.Unlock()
	if !ok || !now.Before(j.ExpiresAt) {
		return nil, false
	}
	return j, true
}

// put keeps a copy of j if it has finished.
func (c *finishedJobs) put(j *goalpost.ExportJob) {
	if !j.Status.Done() {
		return
	}
	cp := *j
	c.mu.Lock()
	if c.jobs == nil || len(c.jobs) >= maxFinishedJobs {
		c.jobs = make(map[uuid.UUID]*goalpost.ExportJob)
	}
	c.jobs[j.ID] = &cp
	c.mu.Unlock()
}
