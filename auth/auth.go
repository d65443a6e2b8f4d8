// Package auth issues and verifies the bearer tokens goalpost accepts.
//
// A local deployment trusts its own Ed25519 key, kept in the data directory
// (see [LoadOrCreateKey]); [Issuer] mints tokens with it and [LocalVerifier]
// checks them. An [OIDCVerifier] trusts an OpenID Connect issuer, such as a
// Microsoft Entra ID tenant: it discovers the issuer's JWKS, caches the keys
// and refreshes them, so that keys rotate without a restart. [ByIssuer]
// routes a token to the [Verifier] configured for its issuer, so that the
// local key and any number of OIDC issuers sit side by side. The package
// oidctest runs an identity provider for tests.
//
// Both verifiers take the same path: the same front-door check of a token's
// form and size, the same claim rules, the same principal mapping. Every
// verification failure is a *goalpost.Error with the code
// goalpost.EUNAUTHORIZED and the message Microsoft Graph gives for the same
// case. Neither errors nor messages ever carry a token or key material.
package auth

import (
	"context"

	"github.com/goalpost/goalpost"
)

// Defaults for the claims of locally minted tokens.
const (
	// DefaultIssuer is the iss claim of tokens signed with the local key.
	DefaultIssuer = "urn:goalpost:local"
	// DefaultAudience is the aud claim Graph clients request tokens for; the
	// local issuer uses it too so that the same clients work unchanged.
	DefaultAudience = "https://graph.microsoft.com"
)

// MaxTokenBytes is the size above which a token is refused before it is
// parsed, so that a hostile header cannot make the server decode megabytes.
// Microsoft Entra ID tokens are a few kilobytes, even with group claims.
const MaxTokenBytes = 16 << 10

// Verifier checks a bearer token and says who it belongs to.
type Verifier interface {
	// Verify returns the principal of a valid token. Any failure is a
	// *goalpost.Error with the code goalpost.EUNAUTHORIZED.
	Verify(ctx context.Context, token string) (*goalpost.Principal, error)
}

// Messages of the 401 responses, as Microsoft Graph words them.
const (
	msgEmpty      = "Access token is empty."
	msgMalformed  = "CompactToken parsing failed with error code: 80049217"
	msgInvalid    = "Access token validation failure."
	msgExpired    = "Lifetime validation failed, the token is expired."
	msgNotYet     = "Lifetime validation failed, the token is not yet valid."
	msgInvalidAud = "Access token validation failure. Invalid audience."
)

// unauthorized returns a fresh error for msg: a shared *goalpost.Error could
// be changed by one caller under another.
func unauthorized(msg string) error {
	return &goalpost.Error{Code: goalpost.EUNAUTHORIZED, Message: msg}
}
