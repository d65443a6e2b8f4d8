package auth

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// MustGenerateKey returns a fresh key that is kept nowhere.
func MustGenerateKey(tb testing.TB) *Key {
	tb.Helper()
	k, err := GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// TestKeyID checks the thumbprint against the example of RFC 8037, appendix
// A.3, whose key is the one of appendix A.1.
func TestKeyID(t *testing.T) {
	seed, err := base64.RawURLEncoding.DecodeString("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := base64.RawURLEncoding.EncodeToString(k.Public()), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"; got != want {
		t.Errorf("Public() = %s, want %s", got, want)
	}
	if got, want := k.KeyID(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
		t.Errorf("KeyID() = %s, want %s", got, want)
	}
}

func TestNewKeyRejectsShortKey(t *testing.T) {
	if _, err := NewKey(make(ed25519.PrivateKey, 10)); err == nil {
		t.Error("NewKey(10 bytes): got no error")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("key file mode = %v, want %v", got, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("key file is not one PEM PRIVATE KEY block")
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
		t.Errorf("key file is not PKCS#8: %v", err)
	}

	k2, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k2.KeyID(), k1.KeyID(); got != want {
		t.Errorf("reloaded KeyID() = %s, want %s", got, want)
	}
	if !k2.Public().Equal(k1.Public()) {
		t.Error("reloaded public key differs")
	}
	data2, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data2, data) {
		t.Error("reloading rewrote the key file")
	}
	assertOnlyKeyFile(t, dir)
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	dir := t.TempDir()
	const n = 32
	kids := make([]string, n)
	errs := make([]error, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			k, err := LoadOrCreateKey(dir)
			errs[i] = err
			if err == nil {
				kids[i] = k.KeyID()
			}
		})
	}
	start.Done()
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("goroutine %d: %v", i, errs[i])
		}
		if kids[i] != kids[0] {
			t.Errorf("goroutine %d: KeyID() = %s, want %s (goroutine 0)", i, kids[i], kids[0])
		}
	}
	k, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k.KeyID(), kids[0]; got != want {
		t.Errorf("KeyID() after the race = %s, want %s", got, want)
	}
	assertOnlyKeyFile(t, dir)
}

func TestLoadOrCreateKeyCorrupt(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edDER, err := x509.MarshalPKCS8PrivateKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"garbage", []byte("this is not a key\n")},
		{"wrong PEM type", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: edDER})},
		{"not PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not DER")})},
		{"truncated", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER[:len(edDER)-5]})},
		{"ECDSA key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, KeyFile)
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			k, err := LoadOrCreateKey(dir)
			if err == nil {
				t.Fatalf("LoadOrCreateKey = %v, want an error", k)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			if len(tt.data) > 0 && strings.Contains(err.Error(), strings.TrimSpace(string(tt.data))) {
				t.Errorf("error %q quotes the file", err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Error("the corrupt key file was replaced")
			}
			assertOnlyKeyFile(t, dir)
		})
	}

	t.Run("unreadable", func(t *testing.T) {
		// A directory where the file should be: unreadable even for root.
		dir := t.TempDir()
		path := filepath.Join(dir, KeyFile)
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := LoadOrCreateKey(dir)
		if err == nil {
			t.Fatal("LoadOrCreateKey: got no error")
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name %s", err, path)
		}
	})
}

func TestKeyPrintsOnlyKeyID(t *testing.T) {
	k := MustGenerateKey(t)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("key", "key", k)
	out := fmt.Sprintf("%v|%+v|%#v|%s|", k, k, k, k) + logged.String()

	for _, secret := range []string{
		hex.EncodeToString(k.private.Seed()),
		base64.StdEncoding.EncodeToString(k.private.Seed()),
		base64.RawURLEncoding.EncodeToString(k.private.Seed()),
		fmt.Sprint([]byte(k.private.Seed())),
	} {
		if strings.Contains(out, secret) {
			t.Fatalf("printing a key shows its private key: %s", out)
		}
	}
	if !strings.Contains(out, k.KeyID()) {
		t.Errorf("printing a key does not show its key id: %s", out)
	}
}

// assertOnlyKeyFile fails unless the key file is all that dir holds: no
// temporary file is left behind.
func assertOnlyKeyFile(tb testing.TB, dir string) {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != KeyFile {
		tb.Errorf("files in dir = %v, want [%s]", names, KeyFile)
	}
}
