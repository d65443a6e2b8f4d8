package auth

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// Token lifetimes of minted tokens.
const (
	// DefaultTTL is the lifetime of a token when MintParams.TTL is zero; it
	// is what Microsoft Entra ID gives an access token by default.
	DefaultTTL = time.Hour
	// MaxTTL is the longest lifetime Mint accepts: a local token cannot be
	// revoked short of replacing the key, so it must not live long.
	MaxTTL = 24 * time.Hour
)

// Issuer mints delegated access tokens signed with a local key, shaped like
// the Microsoft Entra ID tokens Graph accepts.
type Issuer struct {
	// Key signs the tokens; its key id goes in the kid header.
	Key *Key
	// Issuer is the iss claim; DefaultIssuer when empty.
	Issuer string
	// Audience is the aud claim; DefaultAudience when empty.
	Audience string
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
}

// MintParams are the facts a minted token asserts.
type MintParams struct {
	// UPN is the user's sign-in name (preferred_username). Required.
	UPN string
	// ObjectID is the user's object id (oid, and sub); uuid.Nil to leave
	// oid out and use the UPN as sub.
	ObjectID uuid.UUID
	// Name is the display name (name), left out when empty.
	Name string
	// Scopes are the delegated scopes (scp). At least one is required, and
	// none may be empty or contain white space.
	Scopes []string
	// TTL is the token's lifetime: DefaultTTL when zero, at most MaxTTL.
	TTL time.Duration
}

// Mint returns a signed compact JWT (EdDSA) for p. Invalid parameters give a
// *goalpost.Error with the code goalpost.EINVALID.
func (i *Issuer) Mint(p MintParams) (string, error) {
	if i.Key == nil {
		return "", errors.New("mint token: issuer has no key")
	}
	ttl, err := p.validate()
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	jti, err := uuid.NewRandom()
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}

	now := time.Now
	if i.Now != nil {
		now = i.Now
	}
	t := now()
	claims := jwt.MapClaims{
		"iss":                cmp.Or(i.Issuer, DefaultIssuer),
		"aud":                cmp.Or(i.Audience, DefaultAudience),
		"sub":                p.UPN,
		"preferred_username": p.UPN,
		"scp":                strings.Join(p.Scopes, " "),
		"iat":                t.Unix(),
		"nbf":                t.Unix(),
		"exp":                t.Add(ttl).Unix(),
		"jti":                jti.String(),
	}
	if p.ObjectID != uuid.Nil {
		claims["sub"] = p.ObjectID.String()
		claims["oid"] = p.ObjectID.String()
	}
	if p.Name != "" {
		claims["name"] = p.Name
	}

	token := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims) // header: alg, typ JWT
	token.Header["kid"] = i.Key.KeyID()
	signed, err := token.SignedString(i.Key.private)
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	return signed, nil
}

// validate checks p and returns the token's lifetime.
func (p *MintParams) validate() (time.Duration, error) {
	if strings.TrimSpace(p.UPN) == "" {
		return 0, goalpost.Errorf(goalpost.EINVALID, "A user (UPN) is required.")
	}
	if len(p.Scopes) == 0 {
		return 0, goalpost.Errorf(goalpost.EINVALID, "At least one scope is required.")
	}
	for _, s := range p.Scopes {
		if s == "" || strings.ContainsFunc(s, unicode.IsSpace) {
			return 0, goalpost.Errorf(goalpost.EINVALID, "Scope %q is not a scope: scopes are non-empty and contain no white space.", s)
		}
	}
	switch {
	case p.TTL == 0:
		return DefaultTTL, nil
	case p.TTL < 0:
		return 0, goalpost.Errorf(goalpost.EINVALID, "Token lifetime %s is negative.", p.TTL)
	case p.TTL > MaxTTL:
		return 0, goalpost.Errorf(goalpost.EINVALID, "Token lifetime %s is longer than the maximum %s.", p.TTL, MaxTTL)
	}
	return p.TTL, nil
}
