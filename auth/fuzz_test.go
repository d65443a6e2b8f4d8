package auth

import (
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth/oidctest"
)

// graphMessages are the only messages a verification failure may carry.
var graphMessages = []string{wantEmpty, wantMalformed, wantInvalid, wantExpired, wantNotYet, wantBadAud}

// FuzzVerify feeds arbitrary strings to the token front door: a
// LocalVerifier alone, and ByIssuer routing between it and an OIDC verifier
// on a test provider. Neither may panic, and every failure must be a
// *goalpost.Error with the code EUNAUTHORIZED and one of Graph's messages.
func FuzzVerify(f *testing.F) {
	local := MustGenerateKey(f)
	localVerifier := &LocalVerifier{Keys: []*Key{local}, Now: fixedNow}

	p := oidctest.NewProvider(f, oidctest.Options{Now: fixedNow})
	rsaKey := p.AddKey("RS256", oidctest.OmitAlg())
	ecKey := p.AddKey("ES256")
	cfg := testOIDCConfig(f, p, newTestClock())
	cfg.Logger = slog.New(slog.DiscardHandler) // a fuzz worker's output is noise
	oidc := MustOpenOIDCVerifier(f, cfg)
	byIssuer := ByIssuer{DefaultIssuer: localVerifier, p.Issuer(): oidc}
	issuers := []string{DefaultIssuer, p.Issuer()}

	localToken, err := (&Issuer{Key: local, Now: fixedNow}).Mint(MintParams{UPN: "ada@contoso.example", Scopes: []string{goalpost.ScopeExportRead}})
	if err != nil {
		f.Fatal(err)
	}
	rsaToken := p.Token(rsaKey, p.Claims(nil))
	seeds := []string{
		"", ".", "..", "a.b.c", "e30.e30.", "e30.e30.e30", "null.null.null",
		strings.Repeat("A", MaxTokenBytes+1),
		localToken,
		rsaToken,
		p.Token(ecKey, p.Claims(nil)),
		p.Token(ecKey, p.Claims(jwt.MapClaims{"scp": nil, "roles": []string{"r"}})),
		p.Token(rsaKey, p.Claims(jwt.MapClaims{"exp": testNow.Add(-24 * time.Hour).Unix()})),
		p.Token(rsaKey, p.Claims(jwt.MapClaims{"nbf": testNow.Add(24 * time.Hour).Unix()})),
		p.Token(rsaKey, p.Claims(jwt.MapClaims{"aud": []any{1, "x"}})),
		p.Token(rsaKey, p.Claims(jwt.MapClaims{"iss": []string{p.Issuer()}})),
		p.TokenWithKID(rsaKey, "unknown", p.Claims(nil)),
		p.TokenNone(rsaKey.KID, p.Claims(nil)),
		p.TokenHS256(rsaKey.PublicPEM(), rsaKey.KID, p.Claims(nil)),
		p.TokenAs(rsaKey, jwt.SigningMethodPS256, p.Claims(nil)),
		b64(`{"alg":"RS256","kid":{}}`) + "." + strings.Split(rsaToken, ".")[1] + ".AA",
		b64(`{"alg":"ES256","kid":"`+ecKey.KID+`","crit":["x"]}`) + "." + strings.Split(rsaToken, ".")[1] + ".AA",
	}
	for _, s := range seeds {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, token string) {
		for _, v := range []struct {
			name string
			Verifier
		}{{"LocalVerifier", localVerifier}, {"ByIssuer", byIssuer}} {
			pr, err := v.Verify(t.Context(), token)
			if err != nil {
				if pr != nil {
					t.Fatalf("%s: principal %+v with error %v", v.name, pr, err)
				}
				var gerr *goalpost.Error
				if !errors.As(err, &gerr) {
					t.Fatalf("%s: error %v (%T) is not a *goalpost.Error", v.name, err, err)
				}
				if gerr.Code != goalpost.EUNAUTHORIZED || !slices.Contains(graphMessages, gerr.Message) {
					t.Fatalf("%s: error code %q message %q, want %s and one of Graph's messages", v.name, gerr.Code, gerr.Message, goalpost.EUNAUTHORIZED)
				}
				continue
			}
			if pr == nil {
				t.Fatalf("%s: no principal and no error", v.name)
			}
			if !slices.Contains(issuers, pr.Issuer) {
				t.Fatalf("%s: principal of issuer %q", v.name, pr.Issuer)
			}
			if len(token) > MaxTokenBytes {
				t.Fatalf("%s: a token of %d bytes verified", v.name, len(token))
			}
		}
	})
}
