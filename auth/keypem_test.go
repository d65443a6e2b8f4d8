package auth

import (
	"strings"
	"testing"
)

func TestKeyPEM_RoundTrip(t *testing.T) {
	data, err := GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseKeyPEM(data)
	if err != nil || again.KeyID() != k.KeyID() {
		t.Fatalf("parsing twice gives %v, %v", again, err)
	}
	other, _ := GenerateKeyPEM()
	if k2, _ := ParseKeyPEM(other); k2.KeyID() == k.KeyID() {
		t.Error("two generated keys share a key id")
	}
	if _, err := ParseKeyPEM([]byte("-----BEGIN SECRET-----\nabc\n-----END SECRET-----\n")); err == nil || strings.Contains(err.Error(), "abc") {
		t.Errorf("bad PEM: %v", err)
	}
}
