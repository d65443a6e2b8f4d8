package auth

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// countingVerifier accepts any token but "bad", with an exp of exp, and
// counts its calls.
type countingVerifier struct {
	calls int
	exp   time.Time
}

func (v *countingVerifier) Verify(_ context.Context, token string) (*goalpost.Principal, error) {
	v.calls++
	if token == "bad" {
		return nil, unauthorized(msgInvalid)
	}
	return &goalpost.Principal{UPN: token + "@contoso.example", Scopes: []string{"s"}, ExpiresAt: v.exp.Unix()}, nil
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	now := testNow
	clock := func() time.Time { return now }

	t.Run("hit", func(t *testing.T) {
		v := &countingVerifier{exp: now.Add(time.Hour)}
		c := &Cache{Verifier: v, Now: clock}
		for range 3 {
			p, err := c.Verify(ctx, "ada")
			if err != nil || p.UPN != "ada@contoso.example" {
				t.Fatalf("Verify = %v, %v", p, err)
			}
			p.UPN = "changed by a caller"
		}
		if v.calls != 1 {
			t.Errorf("verifier calls = %d, want 1", v.calls)
		}
	})
	t.Run("failures are not cached", func(t *testing.T) {
		v := &countingVerifier{exp: now.Add(time.Hour)}
		c := &Cache{Verifier: v, Now: clock}
		for range 2 {
			if _, err := c.Verify(ctx, "bad"); goalpost.ErrorCode(err) != goalpost.EUNAUTHORIZED {
				t.Fatalf("Verify(bad) = %v", err)
			}
		}
		if v.calls != 2 || c.Len() != 0 {
			t.Errorf("verifier calls = %d, entries = %d; want 2, 0", v.calls, c.Len())
		}
	})
	t.Run("expiry", func(t *testing.T) {
		v := &countingVerifier{exp: now.Add(time.Minute)}
		at := now
		c := &Cache{Verifier: v, Now: func() time.Time { return at }}
		c.Verify(ctx, "ada")
		at = now.Add(59 * time.Second)
		c.Verify(ctx, "ada")
		if v.calls != 1 {
			t.Fatalf("verifier calls before exp = %d, want 1", v.calls)
		}
		at = now.Add(time.Minute) // at exp: the verifier decides again
		c.Verify(ctx, "ada")
		if v.calls != 2 {
			t.Errorf("verifier calls at exp = %d, want 2", v.calls)
		}
	})
	t.Run("ttl", func(t *testing.T) {
		v := &countingVerifier{exp: now.Add(time.Hour)}
		at := now
		c := &Cache{Verifier: v, TTL: time.Second, Now: func() time.Time { return at }}
		c.Verify(ctx, "ada")
		at = now.Add(time.Second)
		c.Verify(ctx, "ada")
		if v.calls != 2 {
			t.Errorf("verifier calls after TTL = %d, want 2", v.calls)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		v := &countingVerifier{exp: now.Add(time.Hour)}
		c := &Cache{Verifier: v, Size: 8, Now: clock}
		for i := range 100 {
			if _, err := c.Verify(ctx, fmt.Sprint("user", i)); err != nil {
				t.Fatal(err)
			}
			if c.Len() > 8 {
				t.Fatalf("entries = %d after %d tokens, want at most 8", c.Len(), i+1)
			}
		}
	})
	t.Run("real tokens", func(t *testing.T) {
		key := MustGenerateKey(t)
		iss := &Issuer{Key: key, Now: clock}
		tok, err := iss.Mint(MintParams{UPN: "ada@contoso.example", ObjectID: uuid.New(), Scopes: []string{goalpost.ScopeExportRead}, TTL: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		at := now
		c := &Cache{Verifier: &LocalVerifier{Keys: []*Key{key}, Now: func() time.Time { return at }}, Now: func() time.Time { return at }}
		want, err := (&LocalVerifier{Keys: []*Key{key}, Now: clock}).Verify(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			got, err := c.Verify(ctx, tok)
			if err != nil || fmt.Sprint(*got) != fmt.Sprint(*want) {
				t.Fatalf("Verify = %+v, %v; want %+v", got, err, want)
			}
		}
		at = now.Add(2 * time.Hour) // past exp and the leeway
		if _, err := c.Verify(ctx, tok); goalpost.ErrorCode(err) != goalpost.EUNAUTHORIZED {
			t.Errorf("Verify of an expired token = %v, want unauthorized", err)
		}
	})
}

func BenchmarkCacheVerify(b *testing.B) {
	key := MustGenerateKey(b)
	tok, err := (&Issuer{Key: key, Now: fixedNow}).Mint(MintParams{
		UPN: "ada@contoso.example", ObjectID: uuid.New(), Scopes: []string{goalpost.ScopeExportRead}})
	if err != nil {
		b.Fatal(err)
	}
	c := &Cache{Verifier: &LocalVerifier{Keys: []*Key{key}, Now: fixedNow}, Now: fixedNow}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
