package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/MicahParks/jwkset"
)

// mustJWK returns the public JWK of key with kid and alg, edited by edit.
func mustJWK(tb testing.TB, key any, kid string, alg jwkset.ALG, edit func(*jwkset.JWKMarshal)) jwkset.JWKMarshal {
	tb.Helper()
	j, err := jwkset.NewJWKFromKey(key, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: kid, ALG: alg}})
	if err != nil {
		tb.Fatal(err)
	}
	m := j.Marshal()
	if edit != nil {
		edit(&m)
	}
	return m
}

func TestParseKeySet(t *testing.T) {
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	edPublic, _, _ := ed25519.GenerateKey(rand.Reader)

	keys := []jwkset.JWKMarshal{
		// Usable, and the algorithm each verifies.
		mustJWK(t, &rsa2048.PublicKey, "rsa-no-alg", "", nil),
		mustJWK(t, &rsa2048.PublicKey, "rsa-ps512", "PS512", nil),
		mustJWK(t, &p256.PublicKey, "p256-no-alg", "", nil),
		mustJWK(t, &p384.PublicKey, "p384", "ES384", nil),
		mustJWK(t, &p521.PublicKey, "p521-no-alg", "", nil),
		mustJWK(t, edPublic, "ed25519", "EdDSA", nil),
		mustJWK(t, &rsa2048.PublicKey, "rsa-sig", "RS384", func(m *jwkset.JWKMarshal) { m.USE = jwkset.UseSig }),
		mustJWK(t, &rsa2048.PublicKey, "rsa-verify", "", func(m *jwkset.JWKMarshal) { m.KEYOPS = []jwkset.KEYOPS{jwkset.KeyOpsVerify} }),
		// Skipped.
		mustJWK(t, &rsa2048.PublicKey, "", "", nil),
		mustJWK(t, &rsa2048.PublicKey, "rsa-no-alg", "RS512", nil), // the kid again
		mustJWK(t, &rsa1024.PublicKey, "rsa-1024", "", nil),
		mustJWK(t, &rsa2048.PublicKey, "rsa-es256", "ES256", nil),
		mustJWK(t, &rsa2048.PublicKey, "rsa-hs256", "HS256", nil),
		mustJWK(t, &rsa2048.PublicKey, "rsa-none", "none", nil),
		mustJWK(t, &p256.PublicKey, "p256-es384", "ES384", nil),
		mustJWK(t, &p256.PublicKey, "p256-eddsa", "EdDSA", nil),
		mustJWK(t, &rsa2048.PublicKey, "rsa-enc", "", func(m *jwkset.JWKMarshal) { m.USE = jwkset.UseEnc }),
		mustJWK(t, &rsa2048.PublicKey, "rsa-encrypt-only", "", func(m *jwkset.JWKMarshal) { m.KEYOPS = []jwkset.KEYOPS{jwkset.KeyOpsEncrypt} }),
		{KTY: jwkset.KtyOct, KID: "oct", K: "c2VjcmV0"},
		{KTY: jwkset.KtyOKP, CRV: jwkset.CrvX25519, KID: "x25519", X: "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"},
		{KTY: jwkset.KtyEC, CRV: jwkset.CrvP256, KID: "off-curve", X: "AQ", Y: "AQ"},
		{KTY: "XYZ", KID: "unknown-kty"},
		{KTY: jwkset.KtyRSA, KID: "no-n", E: "AQAB"},
	}
	doc, err := json.Marshal(jwkset.JWKSMarshal{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	got, skipped, err := parseKeySet(doc)
	if err != nil {
		t.Fatalf("parseKeySet: %v", err)
	}
	want := map[string]string{
		"rsa-no-alg": "RS256", "rsa-ps512": "PS512", "p256-no-alg": "ES256", "p384": "ES384",
		"p521-no-alg": "ES512", "ed25519": "EdDSA", "rsa-sig": "RS384", "rsa-verify": "RS256",
	}
	gotAlgs := map[string]string{}
	for kid, k := range got {
		gotAlgs[kid] = k.alg
	}
	if !maps.Equal(gotAlgs, want) {
		t.Errorf("keys = %v, want %v", gotAlgs, want)
	}
	if got, want := len(skipped), len(keys)-len(want); got != want {
		t.Errorf("%d keys skipped, want %d: %v", got, want, skipped)
	}
	if !got["rsa-no-alg"].key.(*rsa.PublicKey).Equal(&rsa2048.PublicKey) {
		t.Error("the first key of a repeated kid was not kept")
	}

	for _, bad := range []string{`{"keys":[]}`, `{}`, `[]`, `{"keys":[{"kty":"oct","kid":"a","k":"c2VjcmV0"}]}`, `not json`} {
		if _, _, err := parseKeySet([]byte(bad)); err == nil {
			t.Errorf("parseKeySet(%s): got no error", bad)
		}
	}
}

func TestCheckRedirect(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://login.example.com/keys?x=1": true,
		"http://127.0.0.1:8080/keys":         true,
		"http://[::1]/keys":                  true,
		"http://login.example.com/keys":      false,
		"ftp://login.example.com/keys":       false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		err = checkRedirect(&http.Request{URL: u}, nil)
		if got := err == nil; got != ok {
			t.Errorf("checkRedirect(%s) = %v, want ok %v", raw, err, ok)
		}
	}
	u, _ := url.Parse("https://login.example.com/")
	if err := checkRedirect(&http.Request{URL: u}, make([]*http.Request, 10)); err == nil {
		t.Error("checkRedirect after 10 redirects: got no error")
	}
}

// TestDiscoveryDocumentTooLarge: documents are read up to a bound.
func TestDiscoveryDocumentTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"issuer":"` + strings.Repeat("x", maxDocumentBytes) + `"}`))
	}))
	t.Cleanup(srv.Close)
	_, err := NewOIDCVerifier(t.Context(), OIDCConfig{Issuer: srv.URL, Audiences: []string{"a"}, Logger: testLogger(t)})
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("NewOIDCVerifier = %v, want a too-large error", err)
	}
}
