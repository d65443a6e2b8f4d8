package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// GenerateKeyPEM returns a new Ed25519 private key as PKCS#8 PEM, the form
// a store keeps (Store.LoadOrCreateSigningKey).
func GenerateKeyPEM() ([]byte, error) {
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParseKeyPEM parses an Ed25519 PKCS#8 PEM private key. Its errors never
// quote the data.
func ParseKeyPEM(data []byte) (*Key, error) {
	k, err := parseKey(data)
	if err != nil {
		return nil, fmt.Errorf("parse signing key: %w", err)
	}
	return k, nil
}
