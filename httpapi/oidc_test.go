package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth/oidctest"
	"github.com/goalpost/goalpost/demo"
)

// TestOIDC_TokensThroughTheServer drives the HTTP surface with tokens of an
// OpenID Connect provider: each case gets exactly GRAPH.md's status and body.
func TestOIDC_TokensThroughTheServer(t *testing.T) {
	idp := oidctest.NewProvider(t, oidctest.Options{})
	rsa := idp.AddKey("RS256")
	ec := idp.AddKey("ES256")
	e := newEnv(t, envOptions{workers: 0, oidc: idp})
	// The provider's user is a member of Contoso, known by object id.
	oid := uuid.MustParse(oidctest.ObjectID)
	if err := e.store.LoadDataset(context.Background(), &goalpost.Dataset{
		Users:       []*goalpost.User{{ID: oid, UPN: oidctest.UPN, DisplayName: oidctest.Name}},
		Memberships: []goalpost.Membership{{OrgID: demo.ContosoID, UserID: oid, Role: goalpost.RoleMember}},
	}); err != nil {
		t.Fatal(err)
	}
	rwScope := jwt.MapClaims{"scp": goalpost.ScopeExportReadWrite}

	// Valid RS256 and ES256 tokens; the user is found by oid and may create.
	res := e.do("POST", jobsURL, idp.Token(rsa, idp.Claims(rwScope)), createBody(contoso, contosoView))
	if res.StatusCode != 201 {
		t.Fatalf("RS256 create: %d %s", res.StatusCode, res.body)
	}
	key := res.json(t)["id"].(string)
	if res := e.do("GET", jobsURL+"/"+key, idp.Token(ec, idp.Claims(nil)), ""); res.StatusCode != 200 {
		t.Errorf("ES256 poll: %d %s", res.StatusCode, res.body)
	}
	// Key rotation: a new key verifies without a restart.
	fresh := idp.Rotate("RS256")
	if res := e.do("GET", jobsURL+"/"+key, idp.Token(fresh, idp.Claims(nil)), ""); res.StatusCode != 200 {
		t.Errorf("after rotation: %d %s", res.StatusCode, res.body)
	}

	const invalid = "Access token validation failure."
	past := time.Now().Add(-2 * time.Hour).Unix()
	for _, tt := range []struct {
		name, token   string
		status        int
		code, message string
	}{
		{"expired", idp.Token(fresh, idp.Claims(jwt.MapClaims{"exp": past, "iat": past, "nbf": past})), 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."},
		{"wrong audience", idp.Token(fresh, idp.Claims(jwt.MapClaims{"aud": "api://someone-else"})), 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience."},
		{"wrong issuer", idp.Token(fresh, idp.Claims(jwt.MapClaims{"iss": "https://login.example.com/other/v2.0"})), 401, "InvalidAuthenticationToken", invalid},
		{"unknown kid", idp.TokenWithKID(fresh, "no-such-key", idp.Claims(nil)), 401, "InvalidAuthenticationToken", invalid},
		{"alg none", idp.TokenNone(fresh.KID, idp.Claims(nil)), 401, "InvalidAuthenticationToken", invalid},
		{"HS256 with the public key as secret", idp.TokenHS256(fresh.PublicPEM(), fresh.KID, idp.Claims(nil)), 401, "InvalidAuthenticationToken", invalid},
		{"tampered payload", tamper(idp.Token(fresh, idp.Claims(nil))), 401, "InvalidAuthenticationToken", invalid},
		{"over 16 KiB", idp.Token(fresh, idp.Claims(jwt.MapClaims{"pad": strings.Repeat("x", 17<<10)})), 401, "InvalidAuthenticationToken", "CompactToken parsing failed with error code: 80049217"},
		{"app-only", idp.Token(fresh, idp.Claims(jwt.MapClaims{"scp": nil, "roles": []string{"Goals-Export.Read.All"}})), 403, "Forbidden", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do("GET", jobsURL, tt.token, "")
			er := wantError(t, res, tt.status, tt.code, "", tt.message)
			if tt.status == 403 && !strings.Contains(er["message"].(string), "Application permissions") {
				t.Errorf("app-only message %q", er["message"])
			}
		})
	}
}

// tamper gives a token's payload a claim it was not signed with.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		panic(err)
	}
	payload = bytes.Replace(payload, []byte(`"scp":"`), []byte(`"scp":"Goals-Export.ReadWrite.All `), 1)
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}
