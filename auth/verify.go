package auth

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// DefaultLeeway is the clock skew a verifier allows on exp and nbf when
// its Leeway is zero.
const DefaultLeeway = time.Minute

var (
	_ Verifier = (*LocalVerifier)(nil)
	_ Verifier = ByIssuer(nil)
)

// LocalVerifier verifies tokens minted by an [Issuer] with the same key(s).
type LocalVerifier struct {
	// Keys are the keys a token may be signed with, told apart by the kid
	// header; more than one while a key is being replaced.
	Keys []*Key
	// Issuer is the iss claim a token must have; DefaultIssuer when empty.
	Issuer string
	// Audience must be one of a token's aud claim; DefaultAudience when
	// empty.
	Audience string
	// Leeway is the clock skew allowed on exp and nbf: DefaultLeeway when
	// zero, none when negative.
	Leeway time.Duration
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
}

// localMethods are the only algorithms of a local (Ed25519) key. The header's
// alg only selects among them; it never widens them.
var localMethods = []string{jwt.SigningMethodEdDSA.Alg()}

// errUnknownKey is what the key lookup tells the parser; callers only ever
// see the Graph message.
var errUnknownKey = errors.New("no key with the token's kid")

// Verify checks the token's form, size, algorithm, key, signature, lifetime
// (exp required, nbf honoured, both with the leeway), audience and issuer, in
// that order, and returns its principal. Failures are *goalpost.Error values
// with the code goalpost.EUNAUTHORIZED and Graph's message for the first
// check that failed. An app-only token (roles, no scp) is valid here; the
// HTTP layer refuses it.
func (v *LocalVerifier) Verify(ctx context.Context, token string) (*goalpost.Principal, error) {
	parser := newParser(localMethods, cmp.Or(v.Issuer, DefaultIssuer),
		[]string{cmp.Or(v.Audience, DefaultAudience)}, v.Leeway, v.Now)
	return verify(token, parser, v.key)
}

// newParser returns the parser both verifiers use: only methods, strict
// base64, exp required, nbf and exp with the leeway (DefaultLeeway when zero,
// none when negative), one of audiences in aud, and iss equal to issuer.
func newParser(methods []string, issuer string, audiences []string, leeway time.Duration, now func() time.Time) *jwt.Parser {
	switch {
	case leeway == 0:
		leeway = DefaultLeeway
	case leeway < 0:
		leeway = 0
	}
	if now == nil {
		now = time.Now
	}
	return jwt.NewParser(
		jwt.WithValidMethods(methods),
		jwt.WithStrictDecoding(),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(now),
		jwt.WithAudience(audiences...),
		jwt.WithIssuer(issuer),
	)
}

// verify is the path every verifier takes: the front-door shape and size
// check, then parser with keyFunc, then the mapping of a failure to Graph's
// message, or of the claims to a principal.
func verify(token string, parser *jwt.Parser, keyFunc jwt.Keyfunc) (*goalpost.Principal, error) {
	if _, err := decodeCompact(token); err != nil {
		return nil, err
	}
	var c claims
	if _, err := parser.ParseWithClaims(token, &c, keyFunc); err != nil {
		return nil, classify(err, &c)
	}
	return c.principal(), nil
}

// key returns the public key the token's kid names.
func (v *LocalVerifier) key(t *jwt.Token) (any, error) {
	// WithValidMethods already refused any other alg; this keeps the key
	// from ever meeting another algorithm should the options change.
	if t.Method != jwt.SigningMethodEdDSA {
		return nil, errUnknownKey
	}
	kid, _ := t.Header["kid"].(string)
	if kid == "" {
		return nil, errUnknownKey
	}
	for _, k := range v.Keys {
		if k != nil && k.kid == kid {
			return k.public, nil
		}
	}
	return nil, errUnknownKey
}

// ByIssuer verifies a token with the Verifier configured for its issuer: it
// reads the iss claim without trusting it, only to choose, and the chosen
// verifier then checks everything, the issuer included. A token whose issuer
// has no verifier is an "Access token validation failure.".
type ByIssuer map[string]Verifier

// Verify dispatches token on its unverified iss claim.
func (b ByIssuer) Verify(ctx context.Context, token string) (*goalpost.Principal, error) {
	payload, err := decodeCompact(token)
	if err != nil {
		return nil, err
	}
	var peek struct {
		Issuer string `json:"iss"`
	}
	if err := json.Unmarshal(payload, &peek); err != nil {
		return nil, unauthorized(msgMalformed)
	}
	v := b[peek.Issuer]
	if peek.Issuer == "" || v == nil {
		return nil, unauthorized(msgInvalid)
	}
	return v.Verify(ctx, token)
}

// decodeCompact checks that token is a compact JWS of at most MaxTokenBytes:
// three base64url parts, the first two JSON objects. It returns the decoded
// payload, which is not verified.
func decodeCompact(token string) ([]byte, error) {
	if token == "" {
		return nil, unauthorized(msgEmpty)
	}
	if len(token) > MaxTokenBytes {
		return nil, unauthorized(msgMalformed)
	}
	header, rest, ok1 := strings.Cut(token, ".")
	payload, signature, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(signature, ".") {
		return nil, unauthorized(msgMalformed)
	}
	enc := base64.RawURLEncoding.Strict()
	if _, err := enc.DecodeString(signature); err != nil {
		return nil, unauthorized(msgMalformed)
	}
	h, err := enc.DecodeString(header)
	if err != nil || !isObject(h) {
		return nil, unauthorized(msgMalformed)
	}
	p, err := enc.DecodeString(payload)
	if err != nil || !isObject(p) {
		return nil, unauthorized(msgMalformed)
	}
	return p, nil
}

// isObject reports whether data opens a JSON object. null, arrays and
// scalars are valid JSON that would otherwise decode into an empty header or
// claims; the decoding that follows rejects a malformed object.
func isObject(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// classify turns a parser error into the Graph error for the first check that
// failed. Lifetime comes before audience and audience before issuer, as
// Microsoft's token handler orders them.
func classify(err error, c *claims) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return unauthorized(msgMalformed)
	case !errors.Is(err, jwt.ErrTokenInvalidClaims):
		// Disallowed alg, unknown kid, bad signature.
		return unauthorized(msgInvalid)
	case errors.Is(err, jwt.ErrTokenExpired):
		return unauthorized(msgExpired)
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return unauthorized(msgNotYet)
	case errors.Is(err, jwt.ErrTokenInvalidAudience), len(c.Audience) == 0:
		return unauthorized(msgInvalidAud)
	default:
		// Wrong or missing issuer, missing exp.
		return unauthorized(msgInvalid)
	}
}

// claims are the claims of a Microsoft identity platform access token that
// goalpost reads.
type claims struct {
	jwt.RegisteredClaims
	ObjectID          string   `json:"oid,omitempty"`
	PreferredUsername string   `json:"preferred_username,omitempty"`
	UPN               string   `json:"upn,omitempty"`
	UniqueName        string   `json:"unique_name,omitempty"`
	Name              string   `json:"name,omitempty"`
	Scope             string   `json:"scp,omitempty"`
	Roles             []string `json:"roles,omitempty"`
	TenantID          string   `json:"tid,omitempty"`
}

// principal returns who verified claims say the caller is.
func (c *claims) principal() *goalpost.Principal {
	p := &goalpost.Principal{
		UPN:      cmp.Or(c.PreferredUsername, c.UPN, c.UniqueName),
		Name:     c.Name,
		Roles:    c.Roles,
		Issuer:   c.Issuer,
		TenantID: c.TenantID,
	}
	// Only the hyphenated form: uuid.Parse also takes braces and URNs.
	if len(c.ObjectID) == 36 {
		if id, err := uuid.Parse(c.ObjectID); err == nil {
			p.ObjectID = id
		}
	}
	if scopes := strings.Fields(c.Scope); len(scopes) > 0 {
		p.Scopes = scopes
	}
	if c.ExpiresAt != nil {
		p.ExpiresAt = c.ExpiresAt.Unix()
	}
	return p
}
