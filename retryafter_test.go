package goalpost_test

import (
	"testing"
	"time"

	"github.com/goalpost/goalpost"
)

func TestEstimateRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		status goalpost.JobStatus
		start  time.Time
		stats  goalpost.QueueStats
		want   time.Duration
	}{
		{"no history", goalpost.JobNotStarted, time.Time{}, goalpost.QueueStats{}, time.Second},
		{"queued behind four, one running", goalpost.JobNotStarted, time.Time{}, goalpost.QueueStats{Ahead: 4, Running: 1, AvgDuration: 3 * time.Second}, 15 * time.Second},
		{"queued behind four, two running", goalpost.JobNotStarted, time.Time{}, goalpost.QueueStats{Ahead: 4, Running: 2, AvgDuration: 3 * time.Second}, 9 * time.Second},
		{"rounds up", goalpost.JobNotStarted, time.Time{}, goalpost.QueueStats{AvgDuration: 1500 * time.Millisecond}, 2 * time.Second},
		{"capped", goalpost.JobNotStarted, time.Time{}, goalpost.QueueStats{Ahead: 100, AvgDuration: 10 * time.Second}, 60 * time.Second},
		{"running, half done", goalpost.JobRunning, now.Add(-5 * time.Second), goalpost.QueueStats{Running: 1, AvgDuration: 10 * time.Second}, 5 * time.Second},
		{"running longer than usual", goalpost.JobRunning, now.Add(-time.Minute), goalpost.QueueStats{Running: 1, AvgDuration: 10 * time.Second}, time.Second},
		{"succeeded", goalpost.JobSucceeded, time.Time{}, goalpost.QueueStats{AvgDuration: 10 * time.Second}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			job := &goalpost.ExportJob{Status: tt.status, StartedAt: tt.start}
			if got := goalpost.EstimateRetryAfter(job, tt.stats, now); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
