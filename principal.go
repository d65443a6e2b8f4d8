package goalpost

import (
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Principal is who a verified bearer token says the caller is.
type Principal struct {
	// ObjectID is the token's oid claim; uuid.Nil when absent.
	ObjectID uuid.UUID
	// UPN is preferred_username, else upn.
	UPN string
	// Name is the display name claim, if any.
	Name string
	// Scopes are the delegated scopes (scp claim, space-separated).
	Scopes []string
	// Roles are application roles; a token with roles and no scp is
	// app-only.
	Roles    []string
	Issuer   string
	TenantID string
	// ExpiresAt is when the token expires (Unix seconds).
	ExpiresAt int64
}

// AppOnly reports whether the token is an application token (no scopes).
func (p *Principal) AppOnly() bool { return len(p.Scopes) == 0 }

// HasAnyScope reports whether the principal holds any of scopes
// (case-insensitive, as Microsoft identity platform compares them).
func (p *Principal) HasAnyScope(scopes ...string) bool {
	return slices.ContainsFunc(p.Scopes, func(s string) bool {
		return slices.ContainsFunc(scopes, func(want string) bool { return strings.EqualFold(s, want) })
	})
}

// Scopes of the Graph export surface and of goalpost's own API.
const (
	ScopeExportRead      = "Goals-Export.Read.All"
	ScopeExportReadWrite = "Goals-Export.ReadWrite.All"
	ScopeGoalsRead       = "Goals.Read.All"
	ScopeGoalsReadWrite  = "Goals.ReadWrite.All"
)

type principalKey struct{}

// NewContextWithPrincipal returns ctx carrying p.
func NewContextWithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns the principal ctx carries, or nil.
func PrincipalFromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
