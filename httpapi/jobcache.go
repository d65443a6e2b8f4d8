package httpapi

import (
	"sync"
	"sync/atomic"
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
//
// With a finished job the cache keeps its body as a poll without $select
// gets it: the body depends only on the job and the base URL the request
// came in on, which is kept with it.
type finishedJobs struct {
	mu   sync.Mutex
	jobs map[uuid.UUID]*finishedJob
}

type finishedJob struct {
	job  goalpost.ExportJob
	body atomic.Pointer[jobBody]
}

// jobBody is a job's rendered body and the base URL it was rendered for.
type jobBody struct {
	base string
	b    []byte
}

// get returns the finished job id if it is cached and unexpired at now.
// The job must not be modified.
func (c *finishedJobs) get(id uuid.UUID, now time.Time) (*goalpost.ExportJob, bool) {
	c.mu.Lock()
	e, ok := c.jobs[id]
	c.mu.Unlock()
	if !ok || !now.Before(e.job.ExpiresAt) {
		return nil, false
	}
	return &e.job, true
}

// put keeps a copy of j if it has finished.
func (c *finishedJobs) put(j *goalpost.ExportJob) {
	if !j.Status.Done() {
		return
	}
	e := &finishedJob{job: *j}
	c.mu.Lock()
	if c.jobs == nil || len(c.jobs) >= maxFinishedJobs {
		c.jobs = make(map[uuid.UUID]*finishedJob)
	}
	c.jobs[j.ID] = e
	c.mu.Unlock()
}

// body returns the kept body of the finished job id rendered for base, or
// nil.
func (c *finishedJobs) body(id uuid.UUID, base string) []byte {
	c.mu.Lock()
	e := c.jobs[id]
	c.mu.Unlock()
	if e == nil {
		return nil
	}
	if b := e.body.Load(); b != nil && b.base == base {
		return b.b
	}
	return nil
}

// setBody keeps body as the body of the finished job id rendered for base
// (if the job is still kept). body must not be modified afterwards.
func (c *finishedJobs) setBody(id uuid.UUID, base string, body []byte) {
	c.mu.Lock()
	e := c.jobs[id]
	c.mu.Unlock()
	if e != nil {
		e.body.Store(&jobBody{base: base, b: body})
	}
}
