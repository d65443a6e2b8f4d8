package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/goalpost/goalpost"
)

func testSigningKey(t *testing.T, open func(t *testing.T) goalpost.Store) {
	ctx := context.Background()

	t.Run("Concurrent", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		// Every caller offers its own key; all must come back with the
		// one that was stored.
		const n = 16
		var generated atomic.Int32
		keys := make([][]byte, n)
		errs := make([]error, n)
		var start, wg sync.WaitGroup
		start.Add(1)
		for i := range n {
			wg.Go(func() {
				start.Wait()
				keys[i], errs[i] = s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) {
					generated.Add(1)
					return fmt.Appendf(nil, "-----BEGIN PRIVATE KEY-----\nkey of caller %d\n-----END PRIVATE KEY-----\n", i), nil
				})
			})
		}
		start.Done()
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("caller %d: %v", i, err)
			}
		}
		if generated.Load() == 0 {
			t.Fatal("generate was never called on an empty store")
		}
		for i, k := range keys {
			if !bytes.Equal(k, keys[0]) {
				t.Errorf("caller %d got %q, caller 0 got %q", i, k, keys[0])
			}
		}
		if !bytes.HasPrefix(keys[0], []byte("-----BEGIN PRIVATE KEY-----\nkey of caller ")) {
			t.Errorf("stored key = %q, want one of the generated keys", keys[0])
		}

		// Once a key exists, generate is not called.
		got, err := s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) {
			t.Error("generate called although a key exists")
			return []byte("another key"), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, keys[0]) {
			t.Errorf("key = %q, want the stored %q", got, keys[0])
		}
	})

	t.Run("GenerateFails", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		errGenerate := errors.New("no entropy")
		if _, err := s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) { return nil, errGenerate }); !errors.Is(err, errGenerate) {
			t.Fatalf("err = %v, want the generate error", err)
		}
		if _, err := s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) { return nil, nil }); err == nil {
			t.Fatal("an empty key was accepted")
		}
		// Nothing was stored: the next call generates.
		want := []byte("-----BEGIN PRIVATE KEY-----\nbinary \x00\xff too\n-----END PRIVATE KEY-----\n")
		got, err := s.LoadOrCreateSigningKey(ctx, func() ([]byte, error) { return bytes.Clone(want), nil })
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("key = %q, want %q", got, want)
		}
	})
}
