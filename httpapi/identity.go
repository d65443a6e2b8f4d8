package httpapi

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// DefaultIdentityTTL is the identity TTL goalpost serve uses unless told
// otherwise: long enough that a client polling a job several times a
// second is looked up once, short enough that a removal made on another
// node applies within a poll interval or two.
const DefaultIdentityTTL = 2 * time.Second

// maxIdentityEntries bounds the identity cache: when it is full it starts
// over.
const maxIdentityEntries = 4096

// identityCache remembers, for Config.IdentityTTL, who a token's subject is
// (the goalpost user) and their memberships. Every authenticated request
// needs both, and an integration polling a job asks for the same ones many
// times a second; without the cache they are two of a poll's three
// database reads.
//
// The cost is staleness: a user removed from an organization, or demoted,
// keeps their access on other nodes for up to the TTL. Changes made
// through this server's /api/v1 clear the cache at once. Only found
// records are kept: a user or membership created a moment ago is never
// hidden by a cached miss. Freshness is measured on the monotonic clock,
// not the server's NowFunc.
type identityCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	users   map[string]identityEntry[*goalpost.User]
	members map[[2]uuid.UUID]identityEntry[*goalpost.Membership]
}

type identityEntry[T any] struct {
	v  T
	at time.Time
}

// user returns the user behind key (see callerKey), loading it on a miss.
// A nil user (unknown) is not cached.
func (c *identityCache) user(key string, load func() (*goalpost.User, error)) (*goalpost.User, error) {
	if c.ttl <= 0 {
		return load()
	}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.users[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.v, nil
	}
	u, err := load()
	if err != nil || u == nil {
		return u, err
	}
	c.mu.Lock()
	if c.users == nil || len(c.users) >= maxIdentityEntries {
		c.users = make(map[string]identityEntry[*goalpost.User])
	}
	c.users[key] = identityEntry[*goalpost.User]{u, now}
	c.mu.Unlock()
	return u, nil
}

// membership returns a user's membership of an organization, loading it on
// a miss. Not being a member (nil) is not cached.
func (c *identityCache) membership(org, user uuid.UUID, load func() (*goalpost.Membership, error)) (*goalpost.Membership, error) {
	if c.ttl <= 0 {
		return load()
	}
	k := [2]uuid.UUID{org, user}
	now := time.Now()
	c.mu.Lock()
	e, ok := c.members[k]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.v, nil
	}
	m, err := load()
	if err != nil || m == nil {
		return m, err
	}
	c.mu.Lock()
	if c.members == nil || len(c.members) >= maxIdentityEntries {
		c.members = make(map[[2]uuid.UUID]identityEntry[*goalpost.Membership])
	}
	c.members[k] = identityEntry[*goalpost.Membership]{m, now}
	c.mu.Unlock()
	return m, nil
}

// clear forgets everything: a write through /api/v1 may have changed a
// user or a membership.
func (c *identityCache) clear() {
	c.mu.Lock()
	c.users, c.members = nil, nil
	c.mu.Unlock()
}

// callerKey is the cache key of a principal's user: its object id, else its
// UPN (compared case-insensitively, as the stores compare it).
func callerKey(p *goalpost.Principal) string {
	if p.ObjectID != uuid.Nil {
		return "oid:" + p.ObjectID.String() + "|upn:" + strings.ToLower(p.UPN)
	}
	return "upn:" + strings.ToLower(p.UPN)
}

// cachedCaller is caller through the identity cache.
func (s *Server) cachedCaller(ctx context.Context, p *goalpost.Principal) (*goalpost.User, error) {
	return s.identity.user(callerKey(p), func() (*goalpost.User, error) { return s.caller(ctx, p) })
}
