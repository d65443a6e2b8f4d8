// Package oidctest runs an OpenID Connect provider for tests: a discovery
// document and a JWKS served by an httptest server, keys that can be added,
// removed and rotated while it runs, and access tokens shaped like those of
// Microsoft Entra ID v2, signed with those keys or deliberately forged.
//
// Every request is counted, so that tests can assert how often a verifier
// fetches the JWKS; nothing depends on the wall clock.
package oidctest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// Defaults of the tokens a Provider mints.
const (
	// TenantID is the tenant of the provider: the tid claim, and the first
	// segment of the issuer's path, as in Entra ID.
	TenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	// DefaultAudience is the aud claim when Options.Audience is empty.
	DefaultAudience = "api://goalpost-test"
	// ObjectID, UPN and Name are the user of the default claims.
	ObjectID = "0f8fad5b-d9cb-469f-a165-70867728950e"
	UPN      = "ada@contoso.example"
	Name     = "Ada Lovelace"
	// Scope is the scp claim of the default claims.
	Scope = "Goals-Export.Read.All"
)

// Paths the provider serves, relative to its server URL.
const (
	issuerPath = "/" + TenantID + "/v2.0"
	jwksPath   = "/" + TenantID + "/discovery/v2.0/keys"
)

// Options configure a Provider.
type Options struct {
	// Now is the clock of minted tokens (iat, nbf, exp); time.Now when nil.
	Now func() time.Time
	// Audience is the aud of the default claims; DefaultAudience when empty.
	Audience string
	// TLS serves https instead of plain http on 127.0.0.1; Client trusts the
	// server's certificate.
	TLS bool
}

// Provider is a running OpenID Connect provider.
type Provider struct {
	tb       testing.TB
	srv      *httptest.Server
	issuer   string
	audience string
	now      func() time.Time

	mu              sync.Mutex
	keys            []*Key
	editDiscovery   func(doc map[string]any)
	discoveryStatus int
	jwksStatus      int

	discoveryRequests atomic.Int64
	jwksRequests      atomic.Int64
}

// NewProvider starts a provider with no keys; it stops when tb ends.
func NewProvider(tb testing.TB, opts Options) *Provider {
	tb.Helper()
	p := &Provider{tb: tb, audience: opts.Audience, now: opts.Now}
	if p.audience == "" {
		p.audience = DefaultAudience
	}
	if p.now == nil {
		p.now = time.Now
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+issuerPath+"/.well-known/openid-configuration", p.serveDiscovery)
	mux.HandleFunc("GET "+jwksPath, p.serveJWKS)
	p.srv = httptest.NewUnstartedServer(mux)
	// Verifiers that do not trust the test certificate are tested on
	// purpose; their handshakes need not fill the test output.
	p.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if opts.TLS {
		p.srv.StartTLS()
	} else {
		p.srv.Start()
	}
	p.issuer = p.srv.URL + issuerPath
	tb.Cleanup(p.srv.Close)
	return p
}

// Issuer returns the issuer URL: the iss of minted tokens and the issuer of
// the discovery document.
func (p *Provider) Issuer() string { return p.issuer }

// JWKSURI returns the URL of the key set.
func (p *Provider) JWKSURI() string { return p.srv.URL + jwksPath }

// Audience returns the aud of the default claims.
func (p *Provider) Audience() string { return p.audience }

// Client returns an HTTP client for the provider; with Options.TLS, the only
// one that trusts its certificate.
func (p *Provider) Client() *http.Client { return p.srv.Client() }

// JWKSRequests returns how many requests the JWKS endpoint has had.
func (p *Provider) JWKSRequests() int { return int(p.jwksRequests.Load()) }

// DiscoveryRequests returns how many requests the discovery endpoint has had.
func (p *Provider) DiscoveryRequests() int { return int(p.discoveryRequests.Load()) }

// EditDiscovery makes the discovery document pass through edit before it is
// served, for documents with another issuer or jwks_uri; nil serves the true
// one again.
func (p *Provider) EditDiscovery(edit func(doc map[string]any)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.editDiscovery = edit
}

// FailDiscovery makes the discovery endpoint answer status with no document;
// 0 serves the document again.
func (p *Provider) FailDiscovery(status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.discoveryStatus = status
}

// FailJWKS makes the JWKS endpoint answer status with no document; 0 serves
// the key set again.
func (p *Provider) FailJWKS(status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.jwksStatus = status
}

func (p *Provider) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	p.discoveryRequests.Add(1)
	p.mu.Lock()
	status, edit := p.discoveryStatus, p.editDiscovery
	p.mu.Unlock()
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	// The members Entra ID's v2 document has that a resource server might
	// read.
	doc := map[string]any{
		"issuer":                                p.issuer,
		"authorization_endpoint":                p.srv.URL + "/" + TenantID + "/oauth2/v2.0/authorize",
		"token_endpoint":                        p.srv.URL + "/" + TenantID + "/oauth2/v2.0/token",
		"jwks_uri":                              p.JWKSURI(),
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
	}
	if edit != nil {
		edit(doc)
	}
	writeJSON(w, doc)
}

func (p *Provider) serveJWKS(w http.ResponseWriter, r *http.Request) {
	p.jwksRequests.Add(1)
	p.mu.Lock()
	status, keys := p.jwksStatus, slices.Clone(p.keys)
	p.mu.Unlock()
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	set := jwkset.JWKSMarshal{Keys: []jwkset.JWKMarshal{}}
	for _, k := range keys {
		set.Keys = append(set.Keys, k.jwk)
	}
	writeJSON(w, set)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// Key is a signing key of the provider.
type Key struct {
	// KID is the key id: the kid of its JWK and of the tokens it signs.
	KID string
	// Alg is the algorithm the key signs with.
	Alg     string
	private crypto.Signer
	jwk     jwkset.JWKMarshal
}

// KeyOption changes how a key is published.
type KeyOption func(*jwkset.JWKMarshal)

// OmitAlg publishes the key without its alg member, as Entra ID does: a
// verifier must then infer the algorithm from the key type (RS256 for RSA).
func OmitAlg() KeyOption { return func(m *jwkset.JWKMarshal) { m.ALG = "" } }

// WithJWK edits the published JWK, for keys a verifier must skip (use "enc",
// a wrong alg, …).
func WithJWK(edit func(*jwkset.JWKMarshal)) KeyOption { return KeyOption(edit) }

// AddKey generates a key for alg (RS256, RS384, RS512, PS256, PS384, PS512:
// RSA 2048; ES256, ES384, ES512: P-256, P-384, P-521; EdDSA: Ed25519),
// publishes it in the JWKS and returns it.
func (p *Provider) AddKey(alg string, opts ...KeyOption) *Key {
	p.tb.Helper()
	k, err := newKey(alg, opts)
	if err != nil {
		p.tb.Fatalf("oidctest: add key: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append(p.keys, k)
	return k
}

// RemoveKey stops publishing k.
func (p *Provider) RemoveKey(k *Key) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = slices.DeleteFunc(p.keys, func(x *Key) bool { return x == k })
}

// Rotate publishes a new key for alg in place of all the others and returns
// it.
func (p *Provider) Rotate(alg string, opts ...KeyOption) *Key {
	p.tb.Helper()
	k, err := newKey(alg, opts)
	if err != nil {
		p.tb.Fatalf("oidctest: rotate: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = []*Key{k}
	return k
}

func newKey(alg string, opts []KeyOption) (*Key, error) {
	var (
		private crypto.Signer
		err     error
	)
	switch alg {
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		private, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ES256":
		private, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "ES384":
		private, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "ES512":
		private, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case "EdDSA":
		_, private, err = ed25519.GenerateKey(rand.Reader)
	default:
		return nil, fmt.Errorf("unsupported alg %q", alg)
	}
	if err != nil {
		return nil, err
	}
	kidBytes := make([]byte, 12)
	if _, err := rand.Read(kidBytes); err != nil {
		return nil, err
	}
	kid := base64.RawURLEncoding.EncodeToString(kidBytes)
	jwk, err := jwkset.NewJWKFromKey(private.Public(), jwkset.JWKOptions{
		Metadata: jwkset.JWKMetadataOptions{ALG: jwkset.ALG(alg), KID: kid, USE: jwkset.UseSig},
	})
	if err != nil {
		return nil, err
	}
	m := jwk.Marshal()
	for _, o := range opts {
		o(&m)
	}
	return &Key{KID: kid, Alg: alg, private: private, jwk: m}, nil
}

// Public returns the public key.
func (k *Key) Public() crypto.PublicKey { return k.private.Public() }

// PublicDER returns the public key as PKIX DER, the bytes an alg-confusion
// attack would use as an HMAC secret.
func (k *Key) PublicDER() []byte {
	der, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		panic(err) // every key newKey makes marshals
	}
	return der
}

// PublicPEM returns the public key as a PEM "PUBLIC KEY" block.
func (k *Key) PublicPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: k.PublicDER()})
}

// Claims returns the claims of a valid Entra ID v2 delegated access token of
// the provider, with set applied: a nil value removes a claim.
func (p *Provider) Claims(set jwt.MapClaims) jwt.MapClaims {
	now := p.now()
	c := jwt.MapClaims{
		"iss":                p.issuer,
		"aud":                p.audience,
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                now.Add(time.Hour).Unix(),
		"ver":                "2.0",
		"tid":                TenantID,
		"oid":                ObjectID,
		"sub":                "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
		"preferred_username": UPN,
		"name":               Name,
		"scp":                Scope,
		"azp":                "5dcc9c4b-0b5b-4a52-8b0d-d0b8e86b6f9a",
	}
	maps.Copy(c, set)
	maps.DeleteFunc(c, func(_ string, v any) bool { return v == nil })
	return c
}

// Token returns claims signed by k with its algorithm and kid.
func (p *Provider) Token(k *Key, claims jwt.MapClaims) string {
	p.tb.Helper()
	return p.sign(jwt.GetSigningMethod(k.Alg), k.private, k.KID, claims)
}

// TokenAs returns claims signed by k's private key with method instead of
// k's algorithm, under k's kid: an RSA key's RS256 published, say, and PS256
// used.
func (p *Provider) TokenAs(k *Key, method jwt.SigningMethod, claims jwt.MapClaims) string {
	p.tb.Helper()
	return p.sign(method, k.private, k.KID, claims)
}

// TokenWithKID returns claims signed by k with its algorithm under another
// kid: a kid the provider never published, or one of another key.
func (p *Provider) TokenWithKID(k *Key, kid string, claims jwt.MapClaims) string {
	p.tb.Helper()
	return p.sign(jwt.GetSigningMethod(k.Alg), k.private, kid, claims)
}

// TokenNone returns an unsigned token (alg "none") under kid.
func (p *Provider) TokenNone(kid string, claims jwt.MapClaims) string {
	p.tb.Helper()
	return p.sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, kid, claims)
}

// TokenHS256 returns a token signed with HMAC-SHA256 keyed with secret under
// kid: with a public key's PEM or DER as the secret, the alg-confusion
// forgery.
func (p *Provider) TokenHS256(secret []byte, kid string, claims jwt.MapClaims) string {
	p.tb.Helper()
	return p.sign(jwt.SigningMethodHS256, secret, kid, claims)
}

func (p *Provider) sign(method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	p.tb.Helper()
	t := jwt.NewWithClaims(method, claims)
	if kid != "" {
		t.Header["kid"] = kid
	}
	s, err := t.SignedString(key)
	if err != nil {
		p.tb.Fatalf("oidctest: sign %s token: %v", method.Alg(), err)
	}
	return s
}
