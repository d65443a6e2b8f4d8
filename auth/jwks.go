package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// asymmetricMethods are the only algorithms an OIDC verifier accepts. The
// parser refuses any other alg header (HS256, none, …) before a key is even
// looked up, so such a token never causes a JWKS fetch.
var asymmetricMethods = []string{
	jwt.SigningMethodRS256.Alg(), jwt.SigningMethodRS384.Alg(), jwt.SigningMethodRS512.Alg(),
	jwt.SigningMethodPS256.Alg(), jwt.SigningMethodPS384.Alg(), jwt.SigningMethodPS512.Alg(),
	jwt.SigningMethodES256.Alg(), jwt.SigningMethodES384.Alg(), jwt.SigningMethodES512.Alg(),
	jwt.SigningMethodEdDSA.Alg(),
}

// rsaMethods are the algorithms an RSA key may name in its alg member.
var rsaMethods = asymmetricMethods[:6]

// minRSABits is the smallest RSA modulus accepted; smaller keys are skipped.
const minRSABits = 2048

// errAlgMismatch is what the key lookup tells the parser when the token's alg
// header is not the algorithm of the key its kid names.
var errAlgMismatch = errors.New("token alg is not the key's algorithm")

// verificationKey is a public key together with the one algorithm it
// verifies.
type verificationKey struct {
	alg string
	key crypto.PublicKey
}

// keySet is an immutable snapshot of a JWKS, by kid.
type keySet map[string]verificationKey

// parseKeySet decodes a JWK Set document. jwkset decodes and validates each
// key (base64url members, points on their curve, x5c matching the key); keys
// that are unusable for verifying signatures (no kid, not asymmetric, meant
// for encryption, an alg that does not fit the key, RSA under 2048 bits,
// unsupported curves) are skipped and reported in skipped, so that one odd
// key does not stop a rotation. A document with no usable key is an error.
func parseKeySet(doc []byte) (keys keySet, skipped []error, err error) {
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(doc, &set); err != nil {
		return nil, nil, fmt.Errorf("decode JWKS: %w", err)
	}
	keys = make(keySet, len(set.Keys))
	for i, m := range set.Keys {
		if m.KID == "" {
			skipped = append(skipped, fmt.Errorf("key %d: no kid", i))
			continue
		}
		if _, dup := keys[m.KID]; dup {
			skipped = append(skipped, fmt.Errorf("key %q: kid used twice, the first is kept", m.KID))
			continue
		}
		// Private: false reads only the public members, even of a JWK that
		// (by an IdP's mistake) also publishes private ones.
		jwk, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
		if err != nil {
			skipped = append(skipped, fmt.Errorf("key %q: %w", m.KID, err))
			continue
		}
		vk, err := verificationKeyOf(jwk)
		if err != nil {
			skipped = append(skipped, fmt.Errorf("key %q: %w", m.KID, err))
			continue
		}
		keys[m.KID] = vk
	}
	if len(keys) == 0 {
		return nil, skipped, errors.New("JWKS has no usable signing key")
	}
	return keys, skipped, nil
}

// verificationKeyOf returns the key of jwk and the algorithm it verifies,
// chosen by the key and never by a token: its alg member when present (which
// must fit the key), otherwise its type and curve: RS256 for RSA (the OpenID
// Connect default, and what Microsoft Entra ID signs with; its JWKS has no
// alg members), ES256, ES384 or ES512 for P-256, P-384 or P-521, EdDSA for
// Ed25519.
func verificationKeyOf(jwk jwkset.JWK) (verificationKey, error) {
	m := jwk.Marshal()
	if m.USE != "" && m.USE != jwkset.UseSig {
		return verificationKey{}, fmt.Errorf("use is %q, not sig", m.USE)
	}
	if len(m.KEYOPS) > 0 && !slices.Contains(m.KEYOPS, jwkset.KeyOpsVerify) {
		return verificationKey{}, errors.New("key_ops does not include verify")
	}
	var allowed []string
	switch k := jwk.Key().(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return verificationKey{}, fmt.Errorf("RSA key of %d bits, want at least %d", k.N.BitLen(), minRSABits)
		}
		allowed = rsaMethods
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			allowed = []string{jwt.SigningMethodES256.Alg()}
		case elliptic.P384():
			allowed = []string{jwt.SigningMethodES384.Alg()}
		case elliptic.P521():
			allowed = []string{jwt.SigningMethodES512.Alg()}
		default:
			return verificationKey{}, errors.New("unsupported curve")
		}
	case ed25519.PublicKey:
		allowed = []string{jwt.SigningMethodEdDSA.Alg()}
	default:
		return verificationKey{}, fmt.Errorf("%s key cannot verify an asymmetric signature", m.KTY)
	}
	alg := string(m.ALG)
	switch {
	case alg == "":
		alg = allowed[0]
	case !slices.Contains(allowed, alg):
		return verificationKey{}, fmt.Errorf("alg %q does not fit a %s key", alg, m.KTY)
	}
	return verificationKey{alg: alg, key: jwk.Key()}, nil
}
