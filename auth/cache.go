package auth

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/goalpost/goalpost"
)

// Defaults of a [Cache].
const (
	// DefaultCacheSize is how many verified tokens a Cache keeps when its
	// Size is zero.
	DefaultCacheSize = 4096
	// DefaultCacheTTL is how long a Cache trusts a verification when its
	// TTL is zero: short, so that a key withdrawn from an issuer's JWKS stops
	// being trusted soon even for tokens it has seen.
	DefaultCacheTTL = 5 * time.Minute
)

var _ Verifier = (*Cache)(nil)

// Cache remembers the tokens its Verifier accepted, so that a client that
// polls with the same token pays for the signature check once. It is
// bounded in size, and it never answers for a token past its exp claim
// (the Verifier then decides, with its leeway) nor longer than TTL after the
// check. Failures are never cached.
//
// A token's SHA-256 is its key: the cache keeps no token.
type Cache struct {
	// Verifier checks the tokens the cache has not seen.
	Verifier Verifier
	// Size bounds the entries: DefaultCacheSize when zero.
	Size int
	// TTL bounds how long one verification is trusted: DefaultCacheTTL when
	// zero.
	TTL time.Duration
	// Now is the clock; time.Now when nil. It must be the clock of the
	// Verifier, so that the cache never outlives what the Verifier accepts.
	Now func() time.Time

	mu      sync.Mutex
	entries map[[sha256.Size]byte]cacheEntry
}

type cacheEntry struct {
	p     goalpost.Principal
	until time.Time // the earlier of exp and the check plus TTL
}

// Verify returns the principal of a valid token, from the cache when it
// holds one for token that has not expired.
func (c *Cache) Verify(ctx context.Context, token string) (*goalpost.Principal, error) {
	now := c.now()
	sum := sha256.Sum256([]byte(token))
	c.mu.Lock()
	e, ok := c.entries[sum]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		p := e.p // a copy: a caller may not change the cached one
		return &p, nil
	}
	p, err := c.Verifier.Verify(ctx, token)
	if err != nil || p == nil || p.ExpiresAt == 0 {
		return p, err
	}
	until := time.Unix(p.ExpiresAt, 0)
	if ttl := now.Add(c.ttl()); ttl.Before(until) {
		until = ttl
	}
	if !now.Before(until) {
		return p, nil // accepted within the leeway: not worth keeping
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = make(map[[sha256.Size]byte]cacheEntry)
	}
	if _, ok := c.entries[sum]; !ok && len(c.entries) >= c.size() {
		c.evict(now)
	}
	c.entries[sum] = cacheEntry{p: *p, until: until}
	c.mu.Unlock()
	return p, nil
}

// evict makes room for one entry: it drops every expired entry, or, when
// none has expired, one arbitrary entry (map order is unspecified, so a
// full cache loses a random one). Called with c.mu held.
func (c *Cache) evict(now time.Time) {
	n := len(c.entries)
	for k, e := range c.entries {
		if !now.Before(e.until) {
			delete(c.entries, k)
		}
	}
	if len(c.entries) < n {
		return
	}
	for k := range c.entries {
		delete(c.entries, k)
		return
	}
}

// Len is how many tokens the cache holds, expired ones included.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

func (c *Cache) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c *Cache) size() int {
	if c.Size <= 0 {
		return DefaultCacheSize
	}
	return c.Size
}

func (c *Cache) ttl() time.Duration {
	if c.TTL <= 0 {
		return DefaultCacheTTL
	}
	return c.TTL
}
