package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// KeyFile is the name of the signing key inside the data directory.
const KeyFile = "signing-key.pem"

// Key is an Ed25519 signing key together with its key id.
//
// Its String, GoString and LogValue methods print only the key id, so that a
// Key passed to fmt or slog by mistake does not leak the private key.
type Key struct {
	private ed25519.PrivateKey
	public  ed25519.PublicKey
	kid     string
}

// NewKey returns the Key of an Ed25519 private key. It is for tests and for
// callers that keep the key elsewhere than in a data directory; the server
// uses [LoadOrCreateKey].
func NewKey(private ed25519.PrivateKey) (*Key, error) {
	if len(private) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("new key: ed25519 private key has %d bytes, want %d", len(private), ed25519.PrivateKeySize)
	}
	public := private.Public().(ed25519.PublicKey)
	return &Key{private: private, public: public, kid: thumbprint(public)}, nil
}

// GenerateKey returns a new random Key that is kept nowhere.
func GenerateKey() (*Key, error) {
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	return NewKey(private)
}

// KeyID returns the RFC 7638 JWK thumbprint of the public key: the base64url
// SHA-256 of its canonical OKP JWK. Tokens carry it as their kid header, and a
// JWKS document publishing the key would list it under the same kid.
func (k *Key) KeyID() string { return k.kid }

// Public returns the public half of the key.
func (k *Key) Public() ed25519.PublicKey { return k.public }

// String returns a description of the key that names only its key id.
func (k *Key) String() string { return "ed25519 key " + k.kid }

// GoString is String, so that %#v does not print the private key either.
func (k *Key) GoString() string { return k.String() }

// LogValue logs the key as its key id.
func (k *Key) LogValue() slog.Value { return slog.StringValue(k.kid) }

// thumbprint returns the RFC 7638 thumbprint of an Ed25519 public key. The
// canonical JWK (RFC 8037) has the members crv, kty and x, in that order and
// without white space.
func thumbprint(public ed25519.PublicKey) string {
	jwk := `{"crv":"Ed25519","kty":"OKP","x":"` + base64.RawURLEncoding.EncodeToString(public) + `"}`
	sum := sha256.Sum256([]byte(jwk))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// LoadOrCreateKey returns the signing key kept in dir/signing-key.pem (an
// Ed25519 private key, PKCS#8 in PEM), creating dir and the key when they do
// not exist.
//
// Two processes may start on the same directory at once (goalpost serve and
// goalpost token): each writes a complete key to a temporary file and links
// it to the final name, which fails if the name exists; the loser drops its
// key and loads the winner's. A key file is thus never overwritten and never
// seen half-written. A key file that exists but cannot be read or parsed is an
// error that names the file: replacing it would invalidate every token out.
func LoadOrCreateKey(dir string) (*Key, error) {
	path := filepath.Join(dir, KeyFile)
	k, err := loadKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create signing key: %w", err)
	}
	if err := createKey(dir, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// Ours or, when another process won the race, theirs.
	return loadKey(path)
}

// loadKey reads the key file at path. An error wraps fs.ErrNotExist only when
// the file does not exist.
func loadKey(path string) (*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		// The *fs.PathError names the file.
		return nil, fmt.Errorf("load signing key: %w", err)
	}
	k, err := parseKey(data)
	if err != nil {
		return nil, fmt.Errorf("load signing key %s: %w", path, err)
	}
	return k, nil
}

// parseKey parses a PEM "PRIVATE KEY" block holding an Ed25519 PKCS#8 key.
// Its errors never quote the data.
func parseKey(data []byte) (*Key, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("PEM block is %q, want \"PRIVATE KEY\" (PKCS#8)", block.Type)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS#8: %w", err)
	}
	private, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key is a %T, want an Ed25519 key", parsed)
	}
	return NewKey(private)
}

// createKey writes a new key to a temporary file in dir and links it to path.
// The error wraps fs.ErrExist when path already exists.
func createKey(dir, path string) (err error) {
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("create signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return fmt.Errorf("create signing key: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})

	// CreateTemp opens the file with mode 0600 and a name no other process
	// picks.
	f, err := os.CreateTemp(dir, ".signing-key-*.tmp")
	if err != nil {
		return fmt.Errorf("create signing key: %w", err)
	}
	tmp := f.Name()
	defer func() {
		// The link, if any, keeps the data; the temporary name always goes.
		if rerr := os.Remove(tmp); rerr != nil && err == nil {
			err = fmt.Errorf("create signing key: %w", rerr)
		}
	}()
	if err := writeSynced(f, data); err != nil {
		return fmt.Errorf("create signing key: %w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		// A *LinkError naming both files; wraps fs.ErrExist on a lost race.
		return fmt.Errorf("create signing key: %w", err)
	}
	syncDir(dir)
	return nil
}

// writeSynced writes data to f, flushes it to disk, and closes f.
func writeSynced(f *os.File, data []byte) error {
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes dir so that the new link survives a crash; otherwise a
// restart could mint a second key and invalidate the tokens issued meanwhile.
// It is best effort: some systems cannot sync a directory, and the key is
// already written.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
