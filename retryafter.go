package goalpost

import (
	"math"
	"time"
)

// Bounds of a Retry-After estimate.
const (
	MinRetryAfter = 1 * time.Second
	MaxRetryAfter = 60 * time.Second
)

// EstimateRetryAfter is an honest guess of when job will have moved on, from
// the queue ahead of it and the measured run time of recent exports, in whole
// seconds between MinRetryAfter and MaxRetryAfter.
func EstimateRetryAfter(job *ExportJob, s QueueStats, now time.Time) time.Duration {
	avg := s.AvgDuration
	if avg <= 0 {
		avg = MinRetryAfter // no history yet: look again soon
	}
	var wait time.Duration
	switch job.Status {
	case JobRunning:
		wait = avg - now.Sub(job.StartedAt)
	case JobNotStarted:
		// Jobs ahead run roughly as wide as the queue runs now.
		parallel := max(s.Running, 1)
		wait = avg * time.Duration(1+s.Ahead/parallel)
	default:
		return 0
	}
	secs := math.Ceil(wait.Seconds())
	return time.Duration(min(max(secs, MinRetryAfter.Seconds()), MaxRetryAfter.Seconds())) * time.Second
}
