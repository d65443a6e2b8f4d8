package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/goalpost/goalpost"
)

var (
	errTokenEmpty = &goalpost.Error{Code: goalpost.EUNAUTHORIZED, Message: "Access token is empty."}
	errAppOnly    = &goalpost.Error{Code: goalpost.EFORBIDDEN,
		Message: "Application permissions are not supported for this API; use a delegated (user) token."}
)

// authenticate verifies the request's bearer token. Tokens are taken from
// the Authorization header only, never from the query string.
func (s *Server) authenticate(r *http.Request) (*goalpost.Principal, error) {
	h := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, errTokenEmpty
	}
	if s.cfg.Verifier == nil {
		return nil, &goalpost.Error{Code: goalpost.EUNAUTHORIZED, Message: "Access token validation failure."}
	}
	p, err := s.cfg.Verifier.Verify(r.Context(), strings.TrimSpace(token))
	if err != nil {
		return nil, err
	}
	if p.AppOnly() {
		return nil, errAppOnly
	}
	return p, nil
}

// requireScope authenticates the request and checks that the token holds
// one of scopes.
func (s *Server) requireScope(r *http.Request, scopes ...string) (*goalpost.Principal, error) {
	p, err := s.authenticate(r)
	if err != nil {
		return nil, err
	}
	if !p.HasAnyScope(scopes...) {
		return nil, &goalpost.Error{Code: goalpost.EFORBIDDEN, Message: fmt.Sprintf(
			"Missing scope permissions on the request. API requires one of '%s'. Scopes on the request '%s'",
			strings.Join(scopes, ", "), strings.Join(p.Scopes, " "))}
	}
	return p, nil
}

// caller is the goalpost user behind a principal: by object id when the
// token carries one, else by user principal name. It is nil for a valid
// token of a user goalpost does not know.
func (s *Server) caller(ctx context.Context, p *goalpost.Principal) (*goalpost.User, error) {
	if p.ObjectID != [16]byte{} {
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

func (s *Server) wwwAuthenticate() string {
	return fmt.Sprintf(`Bearer realm="", authorization_uri="%s", client_id="%s"`, s.cfg.AuthorizationURI, s.cfg.ClientID)
}
