package httpapi_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/demo"
)

// lookupCounter counts the identity lookups the server makes.
type lookupCounter struct {
	goalpost.Store
	users, memberships atomic.Int64
}

func (c *lookupCounter) FindUserByUPN(ctx context.Context, upn string) (*goalpost.User, error) {
	c.users.Add(1)
	return c.Store.FindUserByUPN(ctx, upn)
}

func (c *lookupCounter) FindUserByID(ctx context.Context, id uuid.UUID) (*goalpost.User, error) {
	c.users.Add(1)
	return c.Store.FindUserByID(ctx, id)
}

func (c *lookupCounter) FindMembership(ctx context.Context, org, user uuid.UUID) (*goalpost.Membership, error) {
	c.memberships.Add(1)
	return c.Store.FindMembership(ctx, org, user)
}

// TestIdentityCache_Polls: with an identity TTL, ten polls of a job look
// the caller and their membership up once; without one, every time.
func TestIdentityCache_Polls(t *testing.T) {
	for _, tc := range []struct {
		ttl  time.Duration
		want int64
	}{{0, 11}, {time.Hour, 1}} {
		counter := &lookupCounter{}
		e := newEnv(t, envOptions{identityTTL: tc.ttl, wrap: func(s goalpost.Store) goalpost.Store {
			counter.Store = s
			return counter
		}})
		tok := e.adele()
		key := e.create()
		for range 10 {
			if r := e.do("GET", "/beta/employeeExperience/goals/exportJobs/"+key, tok, ""); r.StatusCode != http.StatusOK {
				t.Fatalf("poll: %d %s", r.StatusCode, r.body)
			}
		}
		if u, m := counter.users.Load(), counter.memberships.Load(); u != tc.want || m != tc.want {
			t.Errorf("TTL %v: %d user and %d membership lookups for 11 requests, want %d each", tc.ttl, u, m, tc.want)
		}
	}
}

// TestIdentityCache_ClearedByAPIWrites: removing a member through /api/v1
// takes effect on the next request even though their membership was
// cached; a user unknown a moment ago is found as soon as they exist.
func TestIdentityCache_ClearedByAPIWrites(t *testing.T) {
	e := newEnv(t, envOptions{identityTTL: time.Hour})
	org := "/api/v1/organizations/" + demo.ContosoID.String()
	lynne := e.token(demo.LynneUPN, goalpost.ScopeGoalsRead)
	if r := e.do("GET", org, lynne, ""); r.StatusCode != http.StatusOK {
		t.Fatalf("Lynne reads Contoso: %d %s", r.StatusCode, r.body)
	}
	admin := e.token(demo.AdeleUPN, goalpost.ScopeGoalsReadWrite)
	if r := e.do("DELETE", org+"/members/"+demo.LynneID.String(), admin, ""); r.StatusCode != http.StatusNoContent {
		t.Fatalf("remove Lynne: %d %s", r.StatusCode, r.body)
	}
	if r := e.do("GET", org, lynne, ""); r.StatusCode != http.StatusNotFound {
		t.Fatalf("Lynne after her removal: %d, want 404", r.StatusCode)
	}

	newcomer := e.token("newcomer@contoso.com", goalpost.ScopeGoalsRead)
	if r := e.do("GET", org, newcomer, ""); r.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown user: %d, want 404", r.StatusCode)
	}
	body := `{"upn":"newcomer@contoso.com","displayName":"New Comer","role":"member"}`
	if r := e.do("POST", org+"/members", admin, body, "Content-Type", "application/json"); r.StatusCode != http.StatusCreated {
		t.Fatalf("add the newcomer: %d %s", r.StatusCode, r.body)
	}
	if r := e.do("GET", org, newcomer, ""); r.StatusCode != http.StatusOK {
		t.Fatalf("the newcomer once added: %d %s", r.StatusCode, r.body)
	}
}
