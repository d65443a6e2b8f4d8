package httpapi

import (
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

// authenticate verifies the request's bearer token, once per request.
// Tokens are taken from the Authorization header only, never from the query
// string.
func (s *Server) authenticate(r *http.Request) (*goalpost.Principal, error) {
	ri := requestInfoFrom(r.Context())
	if !ri.authDone {
		ri.principal, ri.authErr = s.verifyRequest(r)
		ri.authDone = true
	}
	return ri.principal, ri.authErr
}

func (s *Server) verifyRequest(r *http.Request) (*goalpost.Principal, error) {
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

func (s *Server) wwwAuthenticate() string {
	return fmt.Sprintf(`Bearer realm="", authorization_uri="%s", client_id="%s"`, s.cfg.AuthorizationURI, s.cfg.ClientID)
}
