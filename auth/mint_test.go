package auth

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

func TestMintVerifyRoundTrip(t *testing.T) {
	k := MustGenerateKey(t)
	oid := uuid.MustParse("6e1b4c9a-2f1d-4b8e-9a7c-1d2e3f405162")
	iss := &Issuer{Key: k, Now: fixedNow}
	tok, err := iss.Mint(MintParams{
		UPN:      "ada@contoso.example",
		ObjectID: oid,
		Name:     "Ada Lovelace",
		Scopes:   []string{goalpost.ScopeExportReadWrite, goalpost.ScopeGoalsRead},
		TTL:      2 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}

	header, payload := decodeParts(t, tok)
	wantHeader := map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": k.KeyID()}
	if !reflect.DeepEqual(header, wantHeader) {
		t.Errorf("header = %v, want %v", header, wantHeader)
	}

	jti, ok := payload["jti"].(string)
	if !ok {
		t.Fatalf("jti = %#v, want a string", payload["jti"])
	}
	if id, err := uuid.Parse(jti); err != nil || id.Version() != 4 {
		t.Errorf("jti = %q, want a random UUID", jti)
	}
	delete(payload, "jti")
	wantPayload := map[string]any{
		"iss":                DefaultIssuer,
		"aud":                DefaultAudience, // a string, not an array
		"sub":                oid.String(),
		"oid":                oid.String(),
		"preferred_username": "ada@contoso.example",
		"name":               "Ada Lovelace",
		"scp":                "Goals-Export.ReadWrite.All Goals.Read.All",
		"iat":                float64(testNow.Unix()),
		"nbf":                float64(testNow.Unix()),
		"exp":                float64(testNow.Add(2 * time.Hour).Unix()),
	}
	if !reflect.DeepEqual(payload, wantPayload) {
		t.Errorf("payload =\n%v\nwant\n%v", payload, wantPayload)
	}

	v := &LocalVerifier{Keys: []*Key{k}, Now: fixedNow}
	got, err := v.Verify(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	want := &goalpost.Principal{
		ObjectID:  oid,
		UPN:       "ada@contoso.example",
		Name:      "Ada Lovelace",
		Scopes:    []string{goalpost.ScopeExportReadWrite, goalpost.ScopeGoalsRead},
		Issuer:    DefaultIssuer,
		ExpiresAt: testNow.Add(2 * time.Hour).Unix(),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Verify =\n%+v\nwant\n%+v", got, want)
	}
	if got.AppOnly() {
		t.Error("AppOnly() = true for a delegated token")
	}
}

func TestMintDefaults(t *testing.T) {
	k := MustGenerateKey(t)
	iss := &Issuer{Key: k, Issuer: "urn:goalpost:test", Audience: "api://goalpost", Now: fixedNow}
	tok, err := iss.Mint(MintParams{UPN: "bob@contoso.example", Scopes: []string{goalpost.ScopeExportRead}})
	if err != nil {
		t.Fatal(err)
	}
	_, payload := decodeParts(t, tok)
	for claim, want := range map[string]any{
		"iss": "urn:goalpost:test",
		"aud": "api://goalpost",
		"sub": "bob@contoso.example", // no oid: the UPN is the subject
		"exp": float64(testNow.Add(DefaultTTL).Unix()),
		"scp": goalpost.ScopeExportRead,
	} {
		if got := payload[claim]; got != want {
			t.Errorf("%s = %#v, want %#v", claim, got, want)
		}
	}
	for _, claim := range []string{"oid", "name"} {
		if got, ok := payload[claim]; ok {
			t.Errorf("%s = %#v, want it absent", claim, got)
		}
	}

	v := &LocalVerifier{Keys: []*Key{k}, Issuer: "urn:goalpost:test", Audience: "api://goalpost", Now: fixedNow}
	p, err := v.Verify(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.ObjectID != uuid.Nil {
		t.Errorf("ObjectID = %v, want Nil", p.ObjectID)
	}
	if got, want := p.Name, ""; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
}

func TestMintUniqueJTI(t *testing.T) {
	iss := &Issuer{Key: MustGenerateKey(t), Now: fixedNow}
	p := MintParams{UPN: "ada@contoso.example", Scopes: []string{"a"}}
	tok1, err := iss.Mint(p)
	if err != nil {
		t.Fatal(err)
	}
	tok2, err := iss.Mint(p)
	if err != nil {
		t.Fatal(err)
	}
	_, p1 := decodeParts(t, tok1)
	_, p2 := decodeParts(t, tok2)
	if p1["jti"] == p2["jti"] {
		t.Errorf("two tokens share jti %v", p1["jti"])
	}
}

func TestMintInvalid(t *testing.T) {
	ok := MintParams{UPN: "ada@contoso.example", Scopes: []string{goalpost.ScopeExportRead}}
	tests := []struct {
		name   string
		modify func(p *MintParams)
	}{
		{"no UPN", func(p *MintParams) { p.UPN = "" }},
		{"blank UPN", func(p *MintParams) { p.UPN = "  " }},
		{"no scopes", func(p *MintParams) { p.Scopes = nil }},
		{"empty scope", func(p *MintParams) { p.Scopes = []string{goalpost.ScopeExportRead, ""} }},
		{"scope with a space", func(p *MintParams) { p.Scopes = []string{"Goals.Read.All Goals.ReadWrite.All"} }},
		{"scope with a tab", func(p *MintParams) { p.Scopes = []string{"a\tb"} }},
		{"negative TTL", func(p *MintParams) { p.TTL = -time.Minute }},
		{"TTL over 24h", func(p *MintParams) { p.TTL = MaxTTL + time.Second }},
	}
	iss := &Issuer{Key: MustGenerateKey(t), Now: fixedNow}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			p.Scopes = append([]string(nil), ok.Scopes...)
			tt.modify(&p)
			tok, err := iss.Mint(p)
			if err == nil {
				t.Fatalf("Mint = %q, want an error", tok)
			}
			if got, want := goalpost.ErrorCode(err), goalpost.EINVALID; got != want {
				t.Errorf("ErrorCode = %s, want %s (err %v)", got, want, err)
			}
			if !strings.HasPrefix(err.Error(), "mint token: ") {
				t.Errorf("error %q does not name the operation", err)
			}
		})
	}

	t.Run("TTL of 24h", func(t *testing.T) {
		p := ok
		p.TTL = MaxTTL
		if _, err := iss.Mint(p); err != nil {
			t.Errorf("Mint(TTL 24h): %v", err)
		}
	})
	t.Run("no key", func(t *testing.T) {
		if _, err := (&Issuer{}).Mint(ok); err == nil {
			t.Error("Mint without a key: got no error")
		}
	})
}

// decodeParts returns the decoded header and payload of a compact JWT.
func decodeParts(tb testing.TB, token string) (header, payload map[string]any) {
	tb.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		tb.Fatalf("token has %d parts, want 3", len(parts))
	}
	decode := func(s string) map[string]any {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			tb.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			tb.Fatal(err)
		}
		return m
	}
	return decode(parts[0]), decode(parts[1])
}
