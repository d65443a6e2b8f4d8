package rowpipe

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// source fills batches with the numbers 0 to n-1 and fails at failAt (when
// not negative).
type source struct {
	next, n, failAt int
	calls           int
}

var errFill = errors.New("fill failed")

func (s *source) fill(_ context.Context, b []int) (int, error) {
	s.calls++
	i := 0
	for ; i < len(b) && s.next < s.n; i++ {
		if s.next == s.failAt {
			return i, errFill
		}
		b[i] = s.next
		s.next++
	}
	return i, nil
}

func TestRun_PassesEveryRowInOrder(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 1000} {
		src := &source{n: n, failAt: -1}
		var got []int
		err := Run(context.Background(), 8, src.fill, func(b []int) error {
			got = append(got, b...)
			return nil
		})
		if err != nil {
			t.Fatalf("%d rows: %v", n, err)
		}
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d rows: drained %v", n, got)
		}
	}
}

func TestRun_ReusesBatches(t *testing.T) {
	seen := map[*int]bool{}
	src := &source{n: 10_000, failAt: -1}
	err := Run(context.Background(), 10, src.fill, func(b []int) error {
		seen[&b[0]] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) > Depth {
		t.Errorf("%d distinct batches for 1,000 batches of rows, want at most %d", len(seen), Depth)
	}
}

func TestRun_FillErrorAfterDrainingWhatCameBefore(t *testing.T) {
	src := &source{n: 100, failAt: 25}
	var got []int
	err := Run(context.Background(), 10, src.fill, func(b []int) error {
		got = append(got, b...)
		return nil
	})
	if !errors.Is(err, errFill) {
		t.Fatalf("err = %v, want the fill's", err)
	}
	if len(got) != 25 || got[24] != 24 {
		t.Errorf("drained %v, want 0 to 24", got)
	}
}

func TestRun_DrainErrorStopsFill(t *testing.T) {
	errDrain := errors.New("drain failed")
	src := &source{n: 1 << 30, failAt: -1}
	drained := 0
	err := Run(context.Background(), 10, src.fill, func(b []int) error {
		drained++
		if drained == 3 {
			return errDrain
		}
		return nil
	})
	if !errors.Is(err, errDrain) {
		t.Fatalf("err = %v, want the drain's", err)
	}
	if drained != 3 {
		t.Errorf("drain called %d times, want it not called after its error", drained)
	}
	// fill runs at most Depth batches ahead of the failed drain, plus the
	// one it may be filling when the context is cancelled.
	if src.calls > 3+Depth+1 {
		t.Errorf("fill called %d times after drain failed on the third batch", src.calls)
	}
}

func TestRun_CancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := &source{n: 1 << 30, failAt: -1}
	err := Run(ctx, 10, src.fill, func([]int) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRun_BadSize(t *testing.T) {
	if err := Run(context.Background(), 0, (&source{}).fill, func([]int) error { return nil }); err == nil {
		t.Fatal("size 0 accepted")
	}
}
