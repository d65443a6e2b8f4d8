package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// The authorization layer. Every route names an operation; authorize checks
// the token and the operation's scopes and resolves the caller, and the
// authorize* functions below decide access to organizations, views and jobs
// with the rules of goalpost's policy (policy.go). Handlers decide nothing
// about access themselves.

// operation is what a route does, with the delegated scopes that allow it.
type operation struct {
	name   string
	scopes []string
}

var (
	opCreateExport = operation{"exportJobs.create", []string{goalpost.ScopeExportReadWrite}}
	opReadExport   = operation{"exportJobs.read", []string{goalpost.ScopeExportRead, goalpost.ScopeExportReadWrite}}

	// The management API (/api/v1): reads and writes of an organization's
	// goals; the roles they need are in v1authz.go.
	opGoalsRead  = operation{"goals.read", []string{goalpost.ScopeGoalsRead, goalpost.ScopeGoalsReadWrite}}
	opGoalsWrite = operation{"goals.write", []string{goalpost.ScopeGoalsReadWrite}}
	// opAnyToken needs a valid delegated token, whatever its scopes (the
	// API's own description).
	opAnyToken = operation{"token", nil}
)

// access is an authenticated caller allowed to attempt an operation.
type access struct {
	principal *goalpost.Principal
	// user is the goalpost user of the token, nil when goalpost does not
	// know them (they are then a member of nothing).
	user *goalpost.User
}

// authorize authenticates the request, checks op's scopes (an operation
// without scopes takes any) and resolves the caller. App-only tokens are
// refused.
func (s *Server) authorize(r *http.Request, op operation) (*access, error) {
	p, err := s.authenticate(r)
	if err != nil {
		return nil, err
	}
	if len(op.scopes) > 0 && !p.HasAnyScope(op.scopes...) {
		return nil, &goalpost.Error{Code: goalpost.EFORBIDDEN, Message: fmt.Sprintf(
			"Missing scope permissions on the request. API requires one of '%s'. Scopes on the request '%s'",
			strings.Join(op.scopes, ", "), strings.Join(p.Scopes, " "))}
	}
	u, err := s.cachedCaller(r.Context(), p)
	if err != nil {
		return nil, err
	}
	return &access{principal: p, user: u}, nil
}

// membership returns the caller's membership of org, or nil when they are
// not a member.
func (s *Server) membership(ctx context.Context, a *access, orgID uuid.UUID) (*goalpost.Membership, error) {
	if a.user == nil {
		return nil, nil
	}
	return s.identity.membership(orgID, a.user.ID, func() (*goalpost.Membership, error) {
		m, err := s.cfg.Store.FindMembership(ctx, orgID, a.user.ID)
		if goalpost.IsNotFound(err) {
			return nil, nil
		}
		return m, err
	})
}

// authorizeExport decides a create: the organization must be one the caller
// belongs to (else it is not found), the view one they may export (else it
// is not found either: a private view of someone else does not exist for
// them).
func (s *Server) authorizeExport(ctx context.Context, a *access, orgID, viewID uuid.UUID) (*goalpost.Membership, error) {
	m, err := s.membership(ctx, a, orgID)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errOrgNotFound
	}
	view, err := s.cfg.Store.FindViewByID(ctx, orgID, viewID)
	if goalpost.IsNotFound(err) {
		return nil, errViewNotFound
	} else if err != nil {
		return nil, err
	}
	if !goalpost.CanExport(m, view) {
		return nil, errViewNotFound
	}
	return m, nil
}

// authorizeJob resolves a key to a job the caller may see. The organization
// half of the key is checked first, before the job row is read; a job that
// is expired, of another organization or not the caller's to see is not
// found.
func (s *Server) authorizeJob(ctx context.Context, a *access, rawKey string) (*goalpost.ExportJob, error) {
	key, err := goalpost.ParseJobKey(rawKey)
	if err != nil {
		return nil, err
	}
	m, err := s.membership(ctx, a, key.OrgID)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errJobNotFound
	}
	job, ok := s.finished.get(key.JobID, s.now())
	if !ok {
		job, err = s.cfg.Store.FindExportJob(ctx, key.JobID)
		if goalpost.IsNotFound(err) {
			return nil, errJobNotFound
		} else if err != nil {
			return nil, err
		}
		s.finished.put(job)
	}
	if job.OrgID != key.OrgID || !s.now().Before(job.ExpiresAt) || !goalpost.CanSeeJob(m, job) {
		return nil, errJobNotFound
	}
	return job, nil
}

// caller is the goalpost user behind a principal: by object id when the
// token carries one, else by user principal name. It is nil for a valid
// token of a user goalpost does not know: users are not provisioned on
// first sight (see docs/auth.md).
func (s *Server) caller(ctx context.Context, p *goalpost.Principal) (*goalpost.User, error) {
	if p.ObjectID != uuid.Nil {
		u, err := s.cfg.Store.FindUserByID(ctx, p.ObjectID)
		if err == nil {
			return u, nil
		} else if !goalpost.IsNotFound(err) {
			return nil, err
		}
	}
	if p.UPN == "" {
		return nil, nil
	}
	u, err := s.cfg.Store.FindUserByUPN(ctx, p.UPN)
	if goalpost.IsNotFound(err) {
		return nil, nil
	}
	return u, err
}
