package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
)

// validClaims returns the claims of a token the default LocalVerifier accepts
// at testNow.
func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":                DefaultIssuer,
		"aud":                DefaultAudience,
		"sub":                "ada@contoso.example",
		"preferred_username": "ada@contoso.example",
		"scp":                goalpost.ScopeExportRead,
		"iat":                testNow.Unix(),
		"nbf":                testNow.Unix(),
		"exp":                testNow.Add(time.Hour).Unix(),
	}
}

// with returns a copy of c with the claims of set; a nil value removes one.
func with(c jwt.MapClaims, set jwt.MapClaims) jwt.MapClaims {
	c = maps.Clone(c)
	for k, v := range set {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// sign returns claims signed by k under the kid header kid ("" for none).
func sign(tb testing.TB, k *Key, kid string, claims jwt.MapClaims) string {
	tb.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(k.private)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// b64 is the base64url (unpadded) encoding of s.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// assertUnauthorized fails unless err is exactly a 401 with message want and
// says nothing of the token.
func assertUnauthorized(tb testing.TB, err error, want, token string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %q", want)
	}
	var gerr *goalpost.Error
	if !errors.As(err, &gerr) {
		tb.Fatalf("error %v (%T) is not a *goalpost.Error", err, err)
	}
	if got, wantCode := gerr.Code, goalpost.EUNAUTHORIZED; got != wantCode {
		tb.Errorf("Code = %s, want %s", got, wantCode)
	}
	if got := gerr.Message; got != want {
		tb.Errorf("Message = %q, want %q", got, want)
	}
	for part := range strings.SplitSeq(token, ".") {
		if len(part) >= 8 && strings.Contains(err.Error(), part) {
			tb.Errorf("error %q quotes the token", err)
		}
	}
}

func TestLocalVerifyFailures(t *testing.T) {
	key := MustGenerateKey(t)
	other := MustGenerateKey(t)
	kid := key.KeyID()
	valid := sign(t, key, kid, validClaims())
	parts := strings.Split(valid, ".")

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	foreign := func(method jwt.SigningMethod, signingKey any) string {
		tok := jwt.NewWithClaims(method, validClaims())
		tok.Header["kid"] = kid
		s, err := tok.SignedString(signingKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	const (
		empty     = "Access token is empty."
		malformed = "CompactToken parsing failed with error code: 80049217"
		invalid   = "Access token validation failure."
		expired   = "Lifetime validation failed, the token is expired."
		notYet    = "Lifetime validation failed, the token is not yet valid."
		badAud    = "Access token validation failure. Invalid audience."
		ok        = ""
	)
	tests := []struct {
		name  string
		token string
		want  string
	}{
		{"valid", valid, ok},
		{"empty", "", empty},
		{"garbage", "not a token at all", malformed},
		{"two parts", parts[0] + "." + parts[1], malformed},
		{"four parts", valid + "." + parts[2], malformed},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], malformed},
		{"not base64", "%%%." + parts[1] + "." + parts[2], malformed},
		{"signature not base64", parts[0] + "." + parts[1] + ".***", malformed},
		{"header not JSON", b64("{alg") + "." + parts[1] + "." + parts[2], malformed},
		{"header null", b64("null") + "." + parts[1] + "." + parts[2], malformed},
		{"payload array", parts[0] + "." + b64(`["iss"]`) + "." + parts[2], malformed},
		{"payload empty", parts[0] + ".." + parts[2], malformed},
		{"claim of the wrong type", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"exp": "tomorrow"})), malformed},
		{"over 16 KiB", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"pad": strings.Repeat("x", MaxTokenBytes)})), malformed},
		{"tampered payload", parts[0] + "." + b64(`{"iss":"urn:goalpost:local","aud":"https://graph.microsoft.com","preferred_username":"admin@contoso.example","scp":"Goals-Export.ReadWrite.All","exp":1900000000}`) + "." + parts[2], invalid},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64(strings.Repeat("\x00", 64)), invalid},
		{"no signature", parts[0] + "." + parts[1] + ".", invalid},
		{"signature from another key", sign(t, other, kid, validClaims()), invalid},
		{"unknown kid", sign(t, other, other.KeyID(), validClaims()), invalid},
		{"no kid", sign(t, key, "", validClaims()), invalid},
		{"alg none", foreign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType), invalid},
		{"HS256 keyed with the public key", foreign(jwt.SigningMethodHS256, []byte(key.Public())), invalid},
		{"RS256", foreign(jwt.SigningMethodRS256, rsaKey), invalid},
		{"unknown alg", b64(`{"alg":"XX256","kid":"`+kid+`"}`) + "." + parts[1] + "." + parts[2], invalid},
		{"wrong iss", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"iss": "https://login.microsoftonline.com/x/v2.0"})), invalid},
		{"no iss", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"iss": nil})), invalid},
		{"wrong aud", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"aud": "api://other"})), badAud},
		{"no aud", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"aud": nil})), badAud},
		{"aud array with ours", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"aud": []string{"api://other", DefaultAudience}})), ok},
		{"no exp", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"exp": nil})), invalid},
		{"expired", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"exp": testNow.Add(-2 * time.Minute).Unix()})), expired},
		{"expired at the edge of the leeway", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"exp": testNow.Add(-DefaultLeeway).Unix()})), expired},
		{"expired within the leeway", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"exp": testNow.Add(-30 * time.Second).Unix()})), ok},
		{"nbf in the future", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"nbf": testNow.Add(2 * time.Minute).Unix()})), notYet},
		{"nbf within the leeway", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"nbf": testNow.Add(DefaultLeeway).Unix()})), ok},
		// Lifetime first, then audience, then issuer.
		{"expired, wrong aud and iss", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"exp": testNow.Add(-time.Hour).Unix(), "aud": "x", "iss": "y"})), expired},
		{"wrong aud and iss", sign(t, key, kid, with(validClaims(), jwt.MapClaims{"aud": "x", "iss": "y"})), badAud},
	}
	v := &LocalVerifier{Keys: []*Key{key}, Now: fixedNow}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := v.Verify(t.Context(), tt.token)
			if tt.want == ok {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if p == nil || p.UPN != "ada@contoso.example" {
					t.Errorf("Verify = %+v, want ada's principal", p)
				}
				return
			}
			if p != nil {
				t.Errorf("Verify returned principal %+v with its error", p)
			}
			assertUnauthorized(t, err, tt.want, tt.token)
		})
	}
}

// TestLocalVerifyMaxTokenBytes grows a valid token past MaxTokenBytes: the
// last one within the limit verifies, the first one over it does not.
func TestLocalVerifyMaxTokenBytes(t *testing.T) {
	key := MustGenerateKey(t)
	v := &LocalVerifier{Keys: []*Key{key}, Now: fixedNow}
	base := len(sign(t, key, key.KeyID(), with(validClaims(), jwt.MapClaims{"pad": ""})))
	var under, over string
	for n := (MaxTokenBytes-base)*3/4 - 8; over == ""; n++ {
		tok := sign(t, key, key.KeyID(), with(validClaims(), jwt.MapClaims{"pad": strings.Repeat("x", n)}))
		if len(tok) <= MaxTokenBytes {
			under = tok
		} else {
			over = tok
		}
	}
	if under == "" {
		t.Fatal("the search started over the limit")
	}
	if _, err := v.Verify(t.Context(), under); err != nil {
		t.Errorf("Verify(%d bytes): %v", len(under), err)
	}
	_, err := v.Verify(t.Context(), over)
	assertUnauthorized(t, err, "CompactToken parsing failed with error code: 80049217", over)
}

func TestLocalVerifyPrincipal(t *testing.T) {
	key := MustGenerateKey(t)
	oid := uuid.MustParse("0f8fad5b-d9cb-469f-a165-70867728950e")
	exp := testNow.Add(time.Hour).Unix()
	tests := []struct {
		name   string
		claims jwt.MapClaims
		want   *goalpost.Principal
	}{
		{
			name: "Entra-shaped delegated token",
			claims: with(validClaims(), jwt.MapClaims{
				"oid":  oid.String(),
				"tid":  "72f988bf-86f1-41af-91ab-2d7cd011db47",
				"name": "Ada Lovelace",
				"scp":  "Goals-Export.Read.All  Goals.Read.All ",
			}),
			want: &goalpost.Principal{
				ObjectID:  oid,
				UPN:       "ada@contoso.example",
				Name:      "Ada Lovelace",
				Scopes:    []string{goalpost.ScopeExportRead, goalpost.ScopeGoalsRead},
				Issuer:    DefaultIssuer,
				TenantID:  "72f988bf-86f1-41af-91ab-2d7cd011db47",
				ExpiresAt: exp,
			},
		},
		{
			name:   "app-only token",
			claims: with(validClaims(), jwt.MapClaims{"scp": nil, "preferred_username": nil, "roles": []string{"Goals-Export.Read.All"}}),
			want:   &goalpost.Principal{Roles: []string{"Goals-Export.Read.All"}, Issuer: DefaultIssuer, ExpiresAt: exp},
		},
		{
			name:   "upn when no preferred_username",
			claims: with(validClaims(), jwt.MapClaims{"preferred_username": nil, "upn": "upn@contoso.example", "unique_name": "un@contoso.example"}),
			want:   &goalpost.Principal{UPN: "upn@contoso.example", Scopes: []string{goalpost.ScopeExportRead}, Issuer: DefaultIssuer, ExpiresAt: exp},
		},
		{
			name:   "unique_name when nothing else",
			claims: with(validClaims(), jwt.MapClaims{"preferred_username": nil, "unique_name": "un@contoso.example"}),
			want:   &goalpost.Principal{UPN: "un@contoso.example", Scopes: []string{goalpost.ScopeExportRead}, Issuer: DefaultIssuer, ExpiresAt: exp},
		},
		{
			name:   "oid not a GUID",
			claims: with(validClaims(), jwt.MapClaims{"oid": "not-a-guid"}),
			want:   &goalpost.Principal{UPN: "ada@contoso.example", Scopes: []string{goalpost.ScopeExportRead}, Issuer: DefaultIssuer, ExpiresAt: exp},
		},
		{
			name:   "oid in braces",
			claims: with(validClaims(), jwt.MapClaims{"oid": "{" + oid.String() + "}"}),
			want:   &goalpost.Principal{UPN: "ada@contoso.example", Scopes: []string{goalpost.ScopeExportRead}, Issuer: DefaultIssuer, ExpiresAt: exp},
		},
	}
	v := &LocalVerifier{Keys: []*Key{key}, Now: fixedNow}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(t.Context(), sign(t, key, key.KeyID(), tt.claims))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Verify =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}

	t.Run("AppOnly", func(t *testing.T) {
		p, err := v.Verify(t.Context(), sign(t, key, key.KeyID(), tests[1].claims))
		if err != nil {
			t.Fatal(err)
		}
		if !p.AppOnly() {
			t.Error("AppOnly() = false for a token with roles and no scp")
		}
	})
}

func TestLocalVerifyLeeway(t *testing.T) {
	key := MustGenerateKey(t)
	tests := []struct {
		name   string
		leeway time.Duration
		exp    time.Duration // from testNow
		want   string
	}{
		{"none", -1, -time.Second, "Lifetime validation failed, the token is expired."},
		{"none, still valid", -1, time.Second, ""},
		{"five minutes", 5 * time.Minute, -4 * time.Minute, ""},
		{"five minutes, past it", 5 * time.Minute, -6 * time.Minute, "Lifetime validation failed, the token is expired."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &LocalVerifier{Keys: []*Key{key}, Leeway: tt.leeway, Now: fixedNow}
			tok := sign(t, key, key.KeyID(), with(validClaims(), jwt.MapClaims{"exp": testNow.Add(tt.exp).Unix()}))
			_, err := v.Verify(t.Context(), tok)
			if tt.want == "" {
				if err != nil {
					t.Errorf("Verify: %v", err)
				}
				return
			}
			assertUnauthorized(t, err, tt.want, tok)
		})
	}
}

// TestLocalVerifyKeyRotation: while a key is replaced, tokens of both keys
// verify, each against its own kid.
func TestLocalVerifyKeyRotation(t *testing.T) {
	oldKey, newKey := MustGenerateKey(t), MustGenerateKey(t)
	v := &LocalVerifier{Keys: []*Key{oldKey, nil, newKey}, Now: fixedNow}
	for _, k := range []*Key{oldKey, newKey} {
		tok, err := (&Issuer{Key: k, Now: fixedNow}).Mint(MintParams{UPN: "ada@contoso.example", Scopes: []string{"a"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(t.Context(), tok); err != nil {
			t.Errorf("Verify(token of %s): %v", k, err)
		}
	}
}

// recordingVerifier accepts every token and remembers the last one.
type recordingVerifier struct{ got string }

func (r *recordingVerifier) Verify(ctx context.Context, token string) (*goalpost.Principal, error) {
	r.got = token
	return &goalpost.Principal{Issuer: "recorded"}, nil
}

func TestByIssuer(t *testing.T) {
	keyA, keyB := MustGenerateKey(t), MustGenerateKey(t)
	const issA, issB, issC = "urn:goalpost:a", "https://login.microsoftonline.com/b/v2.0", "https://issuer.example/c"
	rec := &recordingVerifier{}
	b := ByIssuer{
		issA:        &LocalVerifier{Keys: []*Key{keyA}, Issuer: issA, Now: fixedNow},
		issB:        &LocalVerifier{Keys: []*Key{keyB}, Issuer: issB, Now: fixedNow},
		issC:        rec,
		"urn:nil":   nil,
		"urn:empty": ByIssuer{},
	}
	mint := func(k *Key, iss string) string {
		tok, err := (&Issuer{Key: k, Issuer: iss, Now: fixedNow}).Mint(MintParams{UPN: "ada@contoso.example", Scopes: []string{"a"}})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	tests := []struct {
		name       string
		token      string
		wantIssuer string // of the principal, or "" for an error
		wantErr    string
	}{
		{name: "issuer A", token: mint(keyA, issA), wantIssuer: issA},
		{name: "issuer B", token: mint(keyB, issB), wantIssuer: issB},
		{name: "issuer C", token: mint(keyA, issC), wantIssuer: "recorded"},
		{name: "A's issuer with B's key", token: mint(keyB, issA), wantErr: "Access token validation failure."},
		{name: "unknown issuer", token: mint(keyA, "urn:unknown"), wantErr: "Access token validation failure."},
		{name: "no issuer", token: sign(t, keyA, keyA.KeyID(), with(validClaims(), jwt.MapClaims{"iss": nil})), wantErr: "Access token validation failure."},
		{name: "nil verifier", token: mint(keyA, "urn:nil"), wantErr: "Access token validation failure."},
		{name: "issuer not a string", token: sign(t, keyA, keyA.KeyID(), with(validClaims(), jwt.MapClaims{"iss": 42})), wantErr: "CompactToken parsing failed with error code: 80049217"},
		{name: "empty", token: "", wantErr: "Access token is empty."},
		{name: "garbage", token: "garbage", wantErr: "CompactToken parsing failed with error code: 80049217"},
		{name: "over 16 KiB", token: strings.Repeat("a", MaxTokenBytes+1), wantErr: "CompactToken parsing failed with error code: 80049217"},
		{name: "dispatch to a nested ByIssuer", token: mint(keyA, "urn:empty"), wantErr: "Access token validation failure."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.got = ""
			p, err := b.Verify(t.Context(), tt.token)
			if tt.wantErr != "" {
				assertUnauthorized(t, err, tt.wantErr, tt.token)
				if rec.got != "" {
					t.Error("the token reached issuer C's verifier")
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got := p.Issuer; got != tt.wantIssuer {
				t.Errorf("Issuer = %q, want %q", got, tt.wantIssuer)
			}
			if tt.wantIssuer == "recorded" && rec.got != tt.token {
				t.Error("issuer C's verifier did not get the token")
			}
		})
	}
}

func BenchmarkLocalVerify(b *testing.B) {
	key := MustGenerateKey(b)
	tok, err := (&Issuer{Key: key, Now: fixedNow}).Mint(MintParams{
		UPN:      "ada@contoso.example",
		ObjectID: uuid.New(),
		Name:     "Ada Lovelace",
		Scopes:   []string{goalpost.ScopeExportRead, goalpost.ScopeExportReadWrite},
	})
	if err != nil {
		b.Fatal(err)
	}
	v := &LocalVerifier{Keys: []*Key{key}, Now: fixedNow}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkByIssuerVerify(b *testing.B) {
	key := MustGenerateKey(b)
	tok, err := (&Issuer{Key: key, Now: fixedNow}).Mint(MintParams{UPN: "ada@contoso.example", Scopes: []string{goalpost.ScopeExportRead}})
	if err != nil {
		b.Fatal(err)
	}
	v := ByIssuer{DefaultIssuer: &LocalVerifier{Keys: []*Key{key}, Now: fixedNow}}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMint(b *testing.B) {
	iss := &Issuer{Key: MustGenerateKey(b), Now: fixedNow}
	p := MintParams{UPN: "ada@contoso.example", ObjectID: uuid.New(), Scopes: []string{goalpost.ScopeExportRead}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iss.Mint(p); err != nil {
			b.Fatal(err)
		}
	}
}
