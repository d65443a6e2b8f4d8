package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// statsTTL is how long one job's queue statistics serve its polls.
// Retry-After is whole seconds, and clients poll an unfinished job at most
// that often; many clients polling the same job within the TTL share one
// query instead of each counting the queue.
const statsTTL = 500 * time.Millisecond

// maxStatsEntries bounds the cache: when it is full it starts over.
const maxStatsEntries = 1024

// statsCache keeps the queue statistics of unfinished jobs for statsTTL,
// keyed by job and status, so that a job that starts running is never
// estimated from its notStarted queue. Freshness is measured on the
// monotonic clock, not the server's NowFunc (a test's frozen clock would
// keep an entry forever).
type statsCache struct {
	mu      sync.Mutex
	entries map[statsKey]statsEntry
}

type statsKey struct {
	job    uuid.UUID
	status goalpost.JobStatus
}

type statsEntry struct {
	stats goalpost.QueueStats
	at    time.Time
}

// get returns job's queue statistics, from the cache while they are fresh.
func (c *statsCache) get(ctx context.Context, store goalpost.Store, job *goalpost.ExportJob) (goalpost.QueueStats, error) {
	k := statsKey{job.ID, job.Status}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < statsTTL {
		return e.stats, nil
	}
	st, err := store.ExportQueueStats(ctx, job)
	if err != nil {
		return st, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxStatsEntries {
		c.entries = make(map[statsKey]statsEntry)
	}
	c.entries[k] = statsEntry{stats: st, at: now}
	c.mu.Unlock()
	return st, nil
}
