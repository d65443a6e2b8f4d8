package auth

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth/oidctest"
)

// Graph's messages, as the tests spell them out.
const (
	wantEmpty     = "Access token is empty."
	wantMalformed = "CompactToken parsing failed with error code: 80049217"
	wantInvalid   = "Access token validation failure."
	wantExpired   = "Lifetime validation failed, the token is expired."
	wantNotYet    = "Lifetime validation failed, the token is not yet valid."
	wantBadAud    = "Access token validation failure. Invalid audience."
)

// mustJSON returns v in JSON.
func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// testClock is a settable clock; tests move it instead of sleeping.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: testNow} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testLogger logs to the test's output, shown for failed tests and with -v.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// newTestProvider starts a provider whose tokens are minted at testNow.
func newTestProvider(tb testing.TB) *oidctest.Provider {
	tb.Helper()
	return oidctest.NewProvider(tb, oidctest.Options{Now: fixedNow})
}

// testOIDCConfig is the config of a verifier for p on clock.
func testOIDCConfig(tb testing.TB, p *oidctest.Provider, clock *testClock) OIDCConfig {
	return OIDCConfig{
		Issuer:     p.Issuer(),
		Audiences:  []string{p.Audience()},
		HTTPClient: p.Client(),
		Now:        clock.Now,
		Logger:     testLogger(tb),
	}
}

// MustOpenOIDCVerifier returns a verifier for cfg, closed when tb ends.
func MustOpenOIDCVerifier(tb testing.TB, cfg OIDCConfig) *OIDCVerifier {
	tb.Helper()
	v, err := NewOIDCVerifier(tb.Context(), cfg)
	if err != nil {
		tb.Fatalf("NewOIDCVerifier: %v", err)
	}
	tb.Cleanup(func() { v.Close() })
	return v
}

// assertJWKSRequests fails unless p's JWKS endpoint had want requests.
func assertJWKSRequests(tb testing.TB, p *oidctest.Provider, want int) {
	tb.Helper()
	if got := p.JWKSRequests(); got != want {
		tb.Errorf("JWKS requests = %d, want %d", got, want)
	}
}

func TestOIDCVerifyValid(t *testing.T) {
	p := newTestProvider(t)
	rsaKey := p.AddKey("RS256", oidctest.OmitAlg()) // as Entra ID publishes its keys
	ecKey := p.AddKey("ES256")
	psKey := p.AddKey("PS256")
	edKey := p.AddKey("EdDSA")
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))

	want := &goalpost.Principal{
		ObjectID:  uuid.MustParse(oidctest.ObjectID),
		UPN:       oidctest.UPN,
		Name:      oidctest.Name,
		Scopes:    []string{goalpost.ScopeExportRead},
		Issuer:    p.Issuer(),
		TenantID:  oidctest.TenantID,
		ExpiresAt: testNow.Add(time.Hour).Unix(),
	}
	for _, k := range []*oidctest.Key{rsaKey, ecKey, psKey, edKey} {
		t.Run(k.Alg, func(t *testing.T) {
			got, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil)))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Verify =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
	// Four keys, one fetch: no token caused another.
	assertJWKSRequests(t, p, 1)
	if got, want := p.DiscoveryRequests(), 1; got != want {
		t.Errorf("discovery requests = %d, want %d", got, want)
	}
	if got, want := v.AuthorizationEndpoint(), strings.TrimSuffix(p.Issuer(), "/v2.0")+"/oauth2/v2.0/authorize"; got != want {
		t.Errorf("AuthorizationEndpoint() = %q, want %q", got, want)
	}
}

func TestOIDCVerifyPrincipal(t *testing.T) {
	p := newTestProvider(t)
	k := p.AddKey("RS256")
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))
	exp := testNow.Add(time.Hour).Unix()

	tests := []struct {
		name   string
		claims jwt.MapClaims
		want   *goalpost.Principal
	}{
		{
			name: "v2 delegated token with two scopes",
			claims: p.Claims(jwt.MapClaims{
				"scp": goalpost.ScopeExportRead + " " + goalpost.ScopeExportReadWrite,
			}),
			want: &goalpost.Principal{
				ObjectID: uuid.MustParse(oidctest.ObjectID), UPN: oidctest.UPN, Name: oidctest.Name,
				Scopes: []string{goalpost.ScopeExportRead, goalpost.ScopeExportReadWrite},
				Issuer: p.Issuer(), TenantID: oidctest.TenantID, ExpiresAt: exp,
			},
		},
		{
			// v1 tokens name the user with upn and unique_name.
			name: "v1-shaped token",
			claims: p.Claims(jwt.MapClaims{
				"ver": "1.0", "preferred_username": nil,
				"upn": "ada.upn@contoso.example", "unique_name": "ada.unique@contoso.example",
			}),
			want: &goalpost.Principal{
				ObjectID: uuid.MustParse(oidctest.ObjectID), UPN: "ada.upn@contoso.example", Name: oidctest.Name,
				Scopes: []string{goalpost.ScopeExportRead},
				Issuer: p.Issuer(), TenantID: oidctest.TenantID, ExpiresAt: exp,
			},
		},
		{
			// Valid here; the HTTP layer answers 403.
			name: "app-only token",
			claims: p.Claims(jwt.MapClaims{
				"scp": nil, "preferred_username": nil, "name": nil, "idtyp": "app",
				"roles": []string{goalpost.ScopeExportRead},
			}),
			want: &goalpost.Principal{
				ObjectID: uuid.MustParse(oidctest.ObjectID), Roles: []string{goalpost.ScopeExportRead},
				Issuer: p.Issuer(), TenantID: oidctest.TenantID, ExpiresAt: exp,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(t.Context(), p.Token(k, tt.claims))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Verify =\n%+v\nwant\n%+v", got, tt.want)
			}
			if got, want := got.AppOnly(), tt.want.Scopes == nil; got != want {
				t.Errorf("AppOnly() = %v, want %v", got, want)
			}
		})
	}
}

func TestOIDCVerifyFailures(t *testing.T) {
	p := newTestProvider(t)
	rsaKey := p.AddKey("RS256", oidctest.OmitAlg())
	ecKey := p.AddKey("ES256")
	stranger := oidctest.NewProvider(t, oidctest.Options{Now: fixedNow}).AddKey("RS256")
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))

	valid := p.Token(rsaKey, p.Claims(nil))
	parts := strings.Split(valid, ".")
	admin := p.Claims(jwt.MapClaims{"preferred_username": "admin@contoso.example", "scp": goalpost.ScopeExportReadWrite})

	tests := []struct {
		name  string
		token string
		want  string
	}{
		{"empty", "", wantEmpty},
		{"garbage", "not a token", wantMalformed},
		{"two parts", parts[0] + "." + parts[1], wantMalformed},
		{"over 16 KiB", p.Token(rsaKey, p.Claims(jwt.MapClaims{"pad": strings.Repeat("x", MaxTokenBytes)})), wantMalformed},
		{"claim of the wrong type", p.Token(rsaKey, p.Claims(jwt.MapClaims{"exp": "tomorrow"})), wantMalformed},
		{"tampered payload", parts[0] + "." + b64(mustJSON(t, admin)) + "." + parts[2], wantInvalid},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64(strings.Repeat("\x00", 256)), wantInvalid},
		{"no signature", parts[0] + "." + parts[1] + ".", wantInvalid},
		{"signed by another key under a known kid", p.TokenWithKID(stranger, rsaKey.KID, p.Claims(nil)), wantInvalid},
		{"no kid", p.TokenWithKID(rsaKey, "", p.Claims(nil)), wantInvalid},
		{"alg none", p.TokenNone(rsaKey.KID, p.Claims(nil)), wantInvalid},
		{"alg none without kid", p.TokenNone("", p.Claims(nil)), wantInvalid},
		{"HS256 keyed with the public key's PEM", p.TokenHS256(rsaKey.PublicPEM(), rsaKey.KID, p.Claims(nil)), wantInvalid},
		{"HS256 keyed with the public key's DER", p.TokenHS256(rsaKey.PublicDER(), rsaKey.KID, p.Claims(nil)), wantInvalid},
		{"HS256 keyed with the EC public key's PEM", p.TokenHS256(ecKey.PublicPEM(), ecKey.KID, p.Claims(nil)), wantInvalid},
		{"HS256 keyed with the EC public key's DER", p.TokenHS256(ecKey.PublicDER(), ecKey.KID, p.Claims(nil)), wantInvalid},
		{"PS256 with the RS256 key", p.TokenAs(rsaKey, jwt.SigningMethodPS256, p.Claims(nil)), wantInvalid},
		{"RS512 with the RS256 key", p.TokenAs(rsaKey, jwt.SigningMethodRS512, p.Claims(nil)), wantInvalid},
		{"ES256 token under the RSA key's kid", p.TokenWithKID(ecKey, rsaKey.KID, p.Claims(nil)), wantInvalid},
		{"RS256 token under the EC key's kid", p.TokenWithKID(rsaKey, ecKey.KID, p.Claims(nil)), wantInvalid},
		{"unknown alg", b64(`{"alg":"XX256","kid":"`+rsaKey.KID+`"}`) + "." + parts[1] + "." + parts[2], wantInvalid},
		{"wrong iss", p.Token(rsaKey, p.Claims(jwt.MapClaims{"iss": "https://login.microsoftonline.com/other/v2.0"})), wantInvalid},
		{"iss with a trailing slash", p.Token(rsaKey, p.Claims(jwt.MapClaims{"iss": p.Issuer() + "/"})), wantInvalid},
		{"no iss", p.Token(rsaKey, p.Claims(jwt.MapClaims{"iss": nil})), wantInvalid},
		{"wrong aud", p.Token(rsaKey, p.Claims(jwt.MapClaims{"aud": "api://other"})), wantBadAud},
		{"no aud", p.Token(rsaKey, p.Claims(jwt.MapClaims{"aud": nil})), wantBadAud},
		{"no exp", p.Token(rsaKey, p.Claims(jwt.MapClaims{"exp": nil})), wantInvalid},
		{"expired", p.Token(rsaKey, p.Claims(jwt.MapClaims{"exp": testNow.Add(-2 * time.Minute).Unix()})), wantExpired},
		{"nbf in the future", p.Token(rsaKey, p.Claims(jwt.MapClaims{"nbf": testNow.Add(2 * time.Minute).Unix()})), wantNotYet},
		{"expired, wrong aud and iss", p.Token(rsaKey, p.Claims(jwt.MapClaims{"exp": testNow.Add(-time.Hour).Unix(), "aud": "x", "iss": "y"})), wantExpired},
		{"unknown kid", p.TokenWithKID(stranger, stranger.KID, p.Claims(nil)), wantInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, err := v.Verify(t.Context(), tt.token)
			if pr != nil {
				t.Errorf("Verify returned principal %+v with its error", pr)
			}
			assertUnauthorized(t, err, tt.want, tt.token)
		})
	}

	t.Run("within the leeway", func(t *testing.T) {
		for _, c := range []jwt.MapClaims{
			{"exp": testNow.Add(-30 * time.Second).Unix()},
			{"nbf": testNow.Add(DefaultLeeway).Unix()},
			{"aud": []string{"api://other", p.Audience()}},
		} {
			if _, err := v.Verify(t.Context(), p.Token(rsaKey, p.Claims(c))); err != nil {
				t.Errorf("Verify(%v): %v", c, err)
			}
		}
	})
}

// TestOIDCAudiences: any of the configured audiences will do.
func TestOIDCAudiences(t *testing.T) {
	p := newTestProvider(t)
	k := p.AddKey("ES256")
	cfg := testOIDCConfig(t, p, newTestClock())
	cfg.Audiences = []string{"api://goalpost", "5dcc9c4b-0b5b-4a52-8b0d-d0b8e86b6f9a"}
	v := MustOpenOIDCVerifier(t, cfg)
	for _, aud := range cfg.Audiences {
		if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(jwt.MapClaims{"aud": aud}))); err != nil {
			t.Errorf("Verify(aud %s): %v", aud, err)
		}
	}
	tok := p.Token(k, p.Claims(nil))
	_, err := v.Verify(t.Context(), tok)
	assertUnauthorized(t, err, wantBadAud, tok)
}

// TestOIDCKeyAlgorithm: a key that publishes its alg verifies that algorithm
// only, whatever the token says.
func TestOIDCKeyAlgorithm(t *testing.T) {
	p := newTestProvider(t)
	ps := p.AddKey("PS384")
	es := p.AddKey("ES384")
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))
	for _, k := range []*oidctest.Key{ps, es} {
		if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil))); err != nil {
			t.Errorf("Verify(%s): %v", k.Alg, err)
		}
	}
	for _, m := range []jwt.SigningMethod{jwt.SigningMethodRS256, jwt.SigningMethodRS384, jwt.SigningMethodPS256, jwt.SigningMethodPS512} {
		tok := p.TokenAs(ps, m, p.Claims(nil))
		_, err := v.Verify(t.Context(), tok)
		assertUnauthorized(t, err, wantInvalid, tok)
	}
}

// TestOIDCKeyRotation: the provider publishes a new key and drops the old
// one; tokens of the new key verify at once, after exactly one fetch, and
// tokens of the old one stop verifying.
func TestOIDCKeyRotation(t *testing.T) {
	p := newTestProvider(t)
	clock := newTestClock()
	oldKey := p.AddKey("RS256", oidctest.OmitAlg())
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, clock))
	oldToken := p.Token(oldKey, p.Claims(nil))
	if _, err := v.Verify(t.Context(), oldToken); err != nil {
		t.Fatalf("Verify(old key): %v", err)
	}
	assertJWKSRequests(t, p, 1)

	newKey := p.Rotate("ES256")
	if _, err := v.Verify(t.Context(), p.Token(newKey, p.Claims(nil))); err != nil {
		t.Fatalf("Verify(new key): %v", err)
	}
	assertJWKSRequests(t, p, 2)

	// The fetch dropped the old key; its kid is unknown now, and the limit
	// keeps it from causing another fetch.
	_, err := v.Verify(t.Context(), oldToken)
	assertUnauthorized(t, err, wantInvalid, oldToken)
	assertJWKSRequests(t, p, 2)

	// A second rotation within the limit waits for the limit (or the
	// periodic refresh).
	newer := p.Rotate("RS256")
	newerToken := p.Token(newer, p.Claims(nil))
	_, err = v.Verify(t.Context(), newerToken)
	assertUnauthorized(t, err, wantInvalid, newerToken)
	assertJWKSRequests(t, p, 2)
	clock.Advance(DefaultUnknownKIDRefreshLimit)
	if _, err := v.Verify(t.Context(), newerToken); err != nil {
		t.Fatalf("Verify(newer key) after the limit: %v", err)
	}
	assertJWKSRequests(t, p, 3)
}

// TestOIDCKeyPublishedLater: a key published after the verifier started is
// found on first use.
func TestOIDCKeyPublishedLater(t *testing.T) {
	p := newTestProvider(t)
	p.AddKey("RS256")
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))
	k := p.AddKey("ES512")
	if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil))); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	assertJWKSRequests(t, p, 2)
}

// TestOIDCUnknownKIDRateLimit: unknown kids cause one fetch per limit, even
// when they come in a burst, and the fetch they share does not help them.
func TestOIDCUnknownKIDRateLimit(t *testing.T) {
	p := newTestProvider(t)
	clock := newTestClock()
	k := p.AddKey("RS256")
	stranger := oidctest.NewProvider(t, oidctest.Options{Now: fixedNow}).AddKey("RS256")
	cfg := testOIDCConfig(t, p, clock)
	cfg.UnknownKIDRefreshLimit = 2 * time.Minute
	v := MustOpenOIDCVerifier(t, cfg)
	assertJWKSRequests(t, p, 1)

	burst := func() {
		t.Helper()
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				tok := p.TokenWithKID(stranger, "unknown-"+string(rune('a'+i%26)), p.Claims(nil))
				_, err := v.Verify(t.Context(), tok)
				assertUnauthorized(t, err, wantInvalid, tok)
			})
		}
		wg.Wait()
	}
	burst()
	assertJWKSRequests(t, p, 2)
	burst()
	assertJWKSRequests(t, p, 2)

	clock.Advance(cfg.UnknownKIDRefreshLimit - time.Second)
	burst()
	assertJWKSRequests(t, p, 2)

	clock.Advance(time.Second)
	burst()
	assertJWKSRequests(t, p, 3)

	// Known keys never wait for, nor cause, a fetch.
	if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil))); err != nil {
		t.Fatalf("Verify(known key): %v", err)
	}
	assertJWKSRequests(t, p, 3)

	// Tokens with an alg outside the asymmetric ones are refused before
	// their kid is looked up.
	clock.Advance(cfg.UnknownKIDRefreshLimit)
	for _, tok := range []string{p.TokenNone("unknown-none", p.Claims(nil)), p.TokenHS256([]byte("secret"), "unknown-hs", p.Claims(nil))} {
		_, err := v.Verify(t.Context(), tok)
		assertUnauthorized(t, err, wantInvalid, tok)
	}
	assertJWKSRequests(t, p, 3)
}

// TestOIDCPeriodicRefresh drives the refresh loop with its tick: a key
// published without any token asking for it is known after a tick, and a
// removed one is forgotten.
func TestOIDCPeriodicRefresh(t *testing.T) {
	p := newTestProvider(t)
	clock := newTestClock()
	oldKey := p.AddKey("RS256")
	tick := make(chan time.Time) // unbuffered: a send returns once the loop took it
	cfg := testOIDCConfig(t, p, clock)
	cfg.tick = tick
	v := MustOpenOIDCVerifier(t, cfg)

	// Spend the unknown-kid allowance, so that only the loop can fetch.
	newKey := p.Rotate("ES256")
	spent := p.TokenWithKID(newKey, "spent", p.Claims(nil))
	_, err := v.Verify(t.Context(), spent)
	assertUnauthorized(t, err, wantInvalid, spent)
	assertJWKSRequests(t, p, 2)
	newerKey := p.AddKey("EdDSA")
	p.RemoveKey(newKey)

	tick <- testNow
	tick <- testNow // taken once the first tick's fetch is done
	if got := p.JWKSRequests(); got < 3 {
		t.Errorf("JWKS requests = %d after a tick, want 3 or more", got)
	}
	if _, err := v.Verify(t.Context(), p.Token(newerKey, p.Claims(nil))); err != nil {
		t.Errorf("Verify(key published before the tick): %v", err)
	}
	for _, k := range []*oidctest.Key{oldKey, newKey} {
		tok := p.Token(k, p.Claims(nil))
		_, err := v.Verify(t.Context(), tok)
		assertUnauthorized(t, err, wantInvalid, tok)
	}
}

// TestOIDCRefreshFailureKeepsKeys: a failed fetch or a set with no usable key
// leaves the cached keys in use.
func TestOIDCRefreshFailureKeepsKeys(t *testing.T) {
	p := newTestProvider(t)
	k := p.AddKey("RS256")
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))
	tok := p.Token(k, p.Claims(nil))

	p.FailJWKS(http.StatusServiceUnavailable)
	if err := v.Refresh(t.Context()); err == nil {
		t.Error("Refresh during an outage: got no error")
	}
	p.FailJWKS(0)
	p.RemoveKey(k)
	p.AddKey("RS256", oidctest.WithJWK(func(m *jwkset.JWKMarshal) { m.USE = jwkset.UseEnc }))
	if err := v.Refresh(t.Context()); err == nil {
		t.Error("Refresh of a set without a usable key: got no error")
	}
	if _, err := v.Verify(t.Context(), tok); err != nil {
		t.Errorf("Verify after failed refreshes: %v", err)
	}
}

// TestOIDCColdStart: an issuer that is down when the verifier starts does not
// keep the server from starting; tokens fail until it is back, and cause a
// retry at most once per ColdRetryInterval.
func TestOIDCColdStart(t *testing.T) {
	for _, down := range []string{"discovery", "jwks", "jwks not found"} {
		t.Run(down+" down", func(t *testing.T) {
			p := newTestProvider(t)
			clock := newTestClock()
			k := p.AddKey("RS256")
			tok := p.Token(k, p.Claims(nil))
			fail, status := p.FailDiscovery, http.StatusServiceUnavailable
			switch down {
			case "jwks":
				fail = p.FailJWKS
			case "jwks not found":
				fail, status = p.FailJWKS, http.StatusNotFound
			}
			fail(status)
			v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, clock))
			attempts := func() int { return p.DiscoveryRequests() + p.JWKSRequests() }
			if got := attempts(); got != 1 && got != 2 {
				t.Fatalf("requests at start = %d", got)
			}

			_, err := v.Verify(t.Context(), tok)
			assertUnauthorized(t, err, wantInvalid, tok)
			before := attempts()
			fail(0)
			_, err = v.Verify(t.Context(), tok) // within ColdRetryInterval: no request
			assertUnauthorized(t, err, wantInvalid, tok)
			if got := attempts(); got != before {
				t.Errorf("requests = %d, want %d: a token retried within ColdRetryInterval", got, before)
			}

			clock.Advance(ColdRetryInterval)
			if _, err := v.Verify(t.Context(), tok); err != nil {
				t.Fatalf("Verify once the issuer is back: %v", err)
			}
			// At the start, for the first token, and once back.
			if got, want := p.DiscoveryRequests(), 3; down == "discovery" && got != want {
				t.Errorf("discovery requests = %d, want %d", got, want)
			}
			if got, want := p.DiscoveryRequests(), 1; down != "discovery" && got != want {
				t.Errorf("discovery requests = %d, want %d: discovery is not repeated once it succeeded", got, want)
			}
		})
	}
}

func TestNewOIDCVerifierRefuses(t *testing.T) {
	p := newTestProvider(t)
	p.AddKey("RS256")
	tests := []struct {
		name    string
		edit    func(*OIDCConfig)
		doc     func(map[string]any)
		status  int
		wantErr string
	}{
		{name: "http on a public host", edit: func(c *OIDCConfig) { c.Issuer = "http://login.example.com/tenant/v2.0" }, wantErr: "plain http is allowed only on a loopback host"},
		{name: "http on a private address", edit: func(c *OIDCConfig) { c.Issuer = "http://10.0.0.1/tenant" }, wantErr: "plain http is allowed only on a loopback host"},
		{name: "http on 0.0.0.0", edit: func(c *OIDCConfig) { c.Issuer = "http://0.0.0.0:8080" }, wantErr: "plain http is allowed only on a loopback host"},
		{name: "http on a localhost subdomain", edit: func(c *OIDCConfig) { c.Issuer = "http://localhost.example.com" }, wantErr: "plain http is allowed only on a loopback host"},
		{name: "other scheme", edit: func(c *OIDCConfig) { c.Issuer = "ftp://login.example.com" }, wantErr: "scheme must be https"},
		{name: "no scheme", edit: func(c *OIDCConfig) { c.Issuer = "login.microsoftonline.com/tenant/v2.0" }, wantErr: "scheme must be https"},
		{name: "empty issuer", edit: func(c *OIDCConfig) { c.Issuer = "" }, wantErr: "Issuer is empty"},
		{name: "query", edit: func(c *OIDCConfig) { c.Issuer = "https://login.example.com/?tenant=x" }, wantErr: "query or fragment"},
		{name: "user info", edit: func(c *OIDCConfig) { c.Issuer = "https://u:p@login.example.com/" }, wantErr: "user info"},
		{name: "no audience", edit: func(c *OIDCConfig) { c.Audiences = nil }, wantErr: "no audience"},
		{name: "empty audience", edit: func(c *OIDCConfig) { c.Audiences = []string{"api://a", ""} }, wantErr: "an audience is empty"},
		{name: "negative refresh interval", edit: func(c *OIDCConfig) { c.RefreshInterval = -time.Second }, wantErr: "RefreshInterval"},
		{name: "negative unknown-kid limit", edit: func(c *OIDCConfig) { c.UnknownKIDRefreshLimit = -time.Second }, wantErr: "UnknownKIDRefreshLimit"},
		{name: "discovery names another issuer", doc: func(d map[string]any) { d["issuer"] = "https://login.microsoftonline.com/other/v2.0" }, wantErr: "must be identical"},
		{name: "discovery issuer with a trailing slash", doc: func(d map[string]any) { d["issuer"] = p.Issuer() + "/" }, wantErr: "must be identical"},
		{name: "discovery without issuer", doc: func(d map[string]any) { delete(d, "issuer") }, wantErr: "must be identical"},
		{name: "discovery without jwks_uri", doc: func(d map[string]any) { delete(d, "jwks_uri") }, wantErr: "jwks_uri is empty"},
		{name: "jwks_uri on plain http", doc: func(d map[string]any) { d["jwks_uri"] = "http://login.example.com/keys" }, wantErr: "plain http is allowed only on a loopback host"},
		{name: "jwks_uri without host", doc: func(d map[string]any) { d["jwks_uri"] = "https:///keys" }, wantErr: "no host"},
		{name: "jwks_uri relative", doc: func(d map[string]any) { d["jwks_uri"] = "/keys" }, wantErr: "scheme must be https"},
		{name: "discovery not found", status: http.StatusNotFound, wantErr: "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.EditDiscovery(tt.doc)
			p.FailDiscovery(tt.status)
			t.Cleanup(func() { p.EditDiscovery(nil); p.FailDiscovery(0) })
			cfg := testOIDCConfig(t, p, newTestClock())
			if tt.edit != nil {
				tt.edit(&cfg)
			}
			before := verifierGoroutines()
			v, err := NewOIDCVerifier(t.Context(), cfg)
			if err == nil {
				v.Close()
				t.Fatalf("NewOIDCVerifier: got no error, want one with %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			assertNoLeak(t, before, "after a failed NewOIDCVerifier")
		})
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.1.2.3": true, "::1": true,
		"::ffff:127.0.0.1": true,
		"":                 false, "0.0.0.0": false, "10.0.0.1": false, "::": false, "128.0.0.1": false,
		"localhost.example.com": false, "example.localhost": false, "login.microsoftonline.com": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestOIDCTLS: an https issuer, reached with the client that trusts it.
func TestOIDCTLS(t *testing.T) {
	p := oidctest.NewProvider(t, oidctest.Options{Now: fixedNow, TLS: true})
	k := p.AddKey("ES256")
	if !strings.HasPrefix(p.Issuer(), "https://") {
		t.Fatalf("Issuer() = %s, want https", p.Issuer())
	}
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))
	if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil))); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	// The default client does not trust the test certificate.
	cfg := testOIDCConfig(t, p, newTestClock())
	cfg.HTTPClient = nil
	v2 := MustOpenOIDCVerifier(t, cfg) // not ready, not an error
	tok := p.Token(k, p.Claims(nil))
	_, err := v2.Verify(t.Context(), tok)
	assertUnauthorized(t, err, wantInvalid, tok)
}

// verifierGoroutines returns the stacks of the goroutines this package
// started outside tests: the verifiers' refresh loops and fetches.
func verifierGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var stacks []string
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, "goalpost/auth.") && !strings.Contains(g, "goalpost/auth.Test") {
			stacks = append(stacks, g)
		}
	}
	return stacks
}

// assertNoLeak fails if more verifier goroutines run than before. Close
// waits for its goroutines' last act (wg.Done) but cannot wait for their
// return, so stragglers get a bounded number of chances to finish; the
// check yields the processor and never sleeps.
func assertNoLeak(tb testing.TB, before []string, when string) {
	tb.Helper()
	after := verifierGoroutines()
	for i := 0; i < 10000 && len(after) > len(before); i++ {
		runtime.Gosched()
		after = verifierGoroutines()
	}
	if len(after) > len(before) {
		tb.Errorf("%d verifier goroutines %s, want %d:\n%s", len(after), when, len(before), strings.Join(after, "\n\n"))
	}
}

func TestOIDCClose(t *testing.T) {
	p := newTestProvider(t)
	k := p.AddKey("RS256")
	before := verifierGoroutines()
	v, err := NewOIDCVerifier(t.Context(), testOIDCConfig(t, p, newTestClock()))
	if err != nil {
		t.Fatal(err)
	}
	if got := verifierGoroutines(); len(got) <= len(before) {
		t.Errorf("no refresh goroutine running: %d, before %d", len(got), len(before))
	}
	if err := v.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	assertNoLeak(t, before, "after Close")
	if err := v.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	// Cached keys keep verifying; nothing is fetched any more.
	if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil))); err != nil {
		t.Errorf("Verify after Close: %v", err)
	}
	newKey := p.AddKey("RS256")
	tok := p.Token(newKey, p.Claims(nil))
	_, err = v.Verify(t.Context(), tok)
	assertUnauthorized(t, err, wantInvalid, tok)
	if err := v.Refresh(t.Context()); err == nil {
		t.Error("Refresh after Close: got no error")
	}
	assertJWKSRequests(t, p, 1)
}

// TestOIDCContextCancel: the constructor's context ends the background
// refresh as Close does.
func TestOIDCContextCancel(t *testing.T) {
	p := newTestProvider(t)
	p.AddKey("RS256")
	before := verifierGoroutines()
	ctx, cancel := context.WithCancel(t.Context())
	v, err := NewOIDCVerifier(ctx, testOIDCConfig(t, p, newTestClock()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	cancel()
	v.wg.Wait() // returns only once the loop has seen the cancellation
	assertNoLeak(t, before, "after cancel")
	if err := v.Refresh(t.Context()); err == nil {
		t.Error("Refresh after cancel: got no error")
	}
}

// TestOIDCCloseDuringFetch: Close interrupts a fetch that hangs, and a token
// waiting for that fetch gets its answer.
func TestOIDCCloseDuringFetch(t *testing.T) {
	p := newTestProvider(t)
	k := p.AddKey("RS256")
	hang := make(chan struct{})
	entered := make(chan struct{}, 1)
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/keys") && p.JWKSRequests() > 0 {
			entered <- struct{}{}
			select {
			case <-hang:
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
		}
		return p.Client().Transport.RoundTrip(r)
	})}
	t.Cleanup(func() { close(hang) })
	cfg := testOIDCConfig(t, p, newTestClock())
	cfg.HTTPClient = client
	before := verifierGoroutines()
	v, err := NewOIDCVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}

	newKey := p.AddKey("RS256")
	tok := p.Token(newKey, p.Claims(nil))
	result := make(chan error, 1)
	go func() {
		_, err := v.Verify(context.Background(), tok)
		result <- err
	}()
	<-entered
	v.Close()
	assertUnauthorized(t, <-result, wantInvalid, tok)
	assertNoLeak(t, before, "after Close")
	if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil))); err != nil {
		t.Errorf("Verify(cached key) after Close: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestOIDCVerifyWaitsForContext: a token waiting for a fetch gives up when
// its request does.
func TestOIDCVerifyWaitsForContext(t *testing.T) {
	p := newTestProvider(t)
	p.AddKey("RS256")
	hang := make(chan struct{})
	entered := make(chan struct{}, 1)
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if p.JWKSRequests() > 0 && strings.HasSuffix(r.URL.Path, "/keys") {
			entered <- struct{}{}
			select {
			case <-hang:
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
		}
		return p.Client().Transport.RoundTrip(r)
	})}
	cfg := testOIDCConfig(t, p, newTestClock())
	cfg.HTTPClient = client
	v := MustOpenOIDCVerifier(t, cfg)
	t.Cleanup(func() { close(hang) }) // runs before the verifier's Close

	k := p.AddKey("RS256")
	tok := p.Token(k, p.Claims(nil))
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan error, 1)
	go func() {
		_, err := v.Verify(ctx, tok)
		result <- err
	}()
	<-entered
	cancel()
	assertUnauthorized(t, <-result, wantInvalid, tok)
}

func TestByIssuerWithOIDC(t *testing.T) {
	p := newTestProvider(t)
	k := p.AddKey("RS256", oidctest.OmitAlg())
	local := MustGenerateKey(t)
	b := ByIssuer{
		DefaultIssuer: &LocalVerifier{Keys: []*Key{local}, Now: fixedNow},
		p.Issuer():    MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock())),
	}
	localToken, err := (&Issuer{Key: local, Now: fixedNow}).Mint(MintParams{UPN: "ada@contoso.example", Scopes: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	for tok, wantIssuer := range map[string]string{
		localToken:                DefaultIssuer,
		p.Token(k, p.Claims(nil)): p.Issuer(),
	} {
		pr, err := b.Verify(t.Context(), tok)
		if err != nil {
			t.Fatalf("Verify(%s token): %v", wantIssuer, err)
		}
		if pr.Issuer != wantIssuer {
			t.Errorf("Issuer = %q, want %q", pr.Issuer, wantIssuer)
		}
	}
	// The local issuer's name on a token of the OIDC key, and the reverse.
	for _, tok := range []string{
		p.Token(k, p.Claims(jwt.MapClaims{"iss": DefaultIssuer, "aud": DefaultAudience})),
		sign(t, local, local.KeyID(), with(validClaims(), jwt.MapClaims{"iss": p.Issuer(), "aud": p.Audience()})),
	} {
		_, err := b.Verify(t.Context(), tok)
		assertUnauthorized(t, err, wantInvalid, tok)
	}
}

func TestOIDCConfigsFromFlags(t *testing.T) {
	got, err := OIDCConfigsFromFlags(
		[]string{"https://login.microsoftonline.com/a/v2.0", "https://idp.example.com"},
		[]string{" 5dcc9c4b-0b5b-4a52-8b0d-d0b8e86b6f9a , api://goalpost,api://goalpost", "goalpost"},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []OIDCConfig{
		{Issuer: "https://login.microsoftonline.com/a/v2.0", Audiences: []string{"5dcc9c4b-0b5b-4a52-8b0d-d0b8e86b6f9a", "api://goalpost"}},
		{Issuer: "https://idp.example.com", Audiences: []string{"goalpost"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OIDCConfigsFromFlags =\n%+v\nwant\n%+v", got, want)
	}
	if got, err := OIDCConfigsFromFlags(nil, nil); err != nil || len(got) != 0 {
		t.Errorf("OIDCConfigsFromFlags(none) = %v, %v; want none, nil", got, err)
	}

	for _, tt := range []struct {
		issuers, audiences []string
		wantErr            string
	}{
		{[]string{"https://a"}, nil, "got 1 issuers and 0 audiences"},
		{nil, []string{"x"}, "got 0 issuers and 1 audiences"},
		{[]string{"https://a"}, []string{" , "}, "--oidc-audience for --oidc-issuer https://a is empty"},
		{[]string{"https://a", "https://a"}, []string{"x", "y"}, "--oidc-issuer https://a is given twice"},
	} {
		_, err := OIDCConfigsFromFlags(tt.issuers, tt.audiences)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("OIDCConfigsFromFlags(%q, %q) = %v, want an error with %q", tt.issuers, tt.audiences, err, tt.wantErr)
		}
	}
}

func BenchmarkOIDCVerify(b *testing.B) {
	for _, alg := range []string{"RS256", "ES256"} {
		b.Run(alg, func(b *testing.B) {
			p := newTestProvider(b)
			k := p.AddKey(alg)
			v := MustOpenOIDCVerifier(b, testOIDCConfig(b, p, newTestClock()))
			tok := p.Token(k, p.Claims(nil))
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestOIDCJWKSURIWithQuery: a jwks_uri may carry a query, as Azure AD B2C's
// do.
func TestOIDCJWKSURIWithQuery(t *testing.T) {
	p := newTestProvider(t)
	k := p.AddKey("RS256")
	p.EditDiscovery(func(d map[string]any) { d["jwks_uri"] = p.JWKSURI() + "?p=b2c_1_signin" })
	v := MustOpenOIDCVerifier(t, testOIDCConfig(t, p, newTestClock()))
	if _, err := v.Verify(t.Context(), p.Token(k, p.Claims(nil))); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}
