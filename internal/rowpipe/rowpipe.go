// Package rowpipe passes the rows of a long result set from one goroutine
// to another in batches, so that reading rows from a database and handling
// them (decoding their lists, encoding them as CSV, hashing and writing the
// bytes) run on two cores instead of one.
//
// A fixed number of batches circulates between the two goroutines and is
// reused, so memory does not grow with the rows, and a reader that gets
// ahead waits for a batch to come back.
package rowpipe

import (
	"context"
	"errors"
)

// Depth is how many batches are in flight: one being filled, one being
// drained, and spares so that neither waits on a short hiccup of the other.
const Depth = 4

// Run calls fill on a goroutine of its own and drain on the caller's, and
// returns when both are done.
//
// fill fills the batch it is given from its start and returns how many
// elements it filled; it returns 0 (and no error) when there are no more
// rows. drain handles the filled elements of a batch, in the order fill
// filled them; the batch is then given to fill again, so drain must not keep
// it. Each batch has size elements, which keep what fill left in them, so
// that their buffers can be reused.
//
// When drain fails, Run stops fill (its context is cancelled; fill is not
// called again) and returns drain's error. When fill fails, Run drains what
// fill filled before and returns fill's error.
func Run[T any](ctx context.Context, size int, fill func(ctx context.Context, batch []T) (int, error), drain func(batch []T) error) error {
	if size < 1 {
		return errors.New("rowpipe: batch size must be positive")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Both channels hold every batch, so neither side blocks on a send.
	free := make(chan []T, Depth)
	full := make(chan []T, Depth)
	for range Depth {
		free <- make([]T, size)
	}
	var fillErr error // written before full is closed, read after
	go func() {
		defer close(full)
		for {
			var b []T
			select {
			case b = <-free:
			case <-ctx.Done():
			}
			if err := ctx.Err(); err != nil {
				fillErr = err
				return
			}
			n, err := fill(ctx, b)
			if n > 0 {
				full <- b[:n]
			}
			if err != nil {
				fillErr = err
				return
			}
			if n == 0 {
				return
			}
		}
	}()
	var drainErr error
	for b := range full {
		if drainErr == nil {
			if drainErr = drain(b); drainErr != nil {
				cancel()
			}
		}
		free <- b[:cap(b)]
	}
	if drainErr != nil {
		return drainErr
	}
	return fillErr
}
