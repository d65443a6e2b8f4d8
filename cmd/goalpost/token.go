package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/goalpost/goalpost/auth"
)

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		df       dataFlags
		user     string
		scopes   string
		name     string
		ttl      time.Duration
		issuer   string
		audience string
	)
	fs := newFlagSet("token", stderr)
	df.register(fs)
	fs.StringVar(&user, "user", "", "user principal name the token is for (required)")
	fs.StringVar(&scopes, "scopes", "", `space-separated delegated scopes, e.g. "Goals-Export.ReadWrite.All" (required)`)
	fs.StringVar(&name, "name", "", "display name claim (optional)")
	fs.DurationVar(&ttl, "ttl", time.Hour, "token lifetime (at most 24h)")
	fs.StringVar(&issuer, "token-issuer", auth.DefaultIssuer, "iss of local tokens (as the server's --token-issuer)")
	fs.StringVar(&audience, "token-audience", auth.DefaultAudience, "aud of local tokens (as the server's --token-audience)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if user == "" || strings.TrimSpace(scopes) == "" {
		return usageError{"--user and --scopes are required"}
	}
	if err := df.checkDB(); err != nil {
		return err
	}
	be, err := df.open(ctx, slog.New(slog.DiscardHandler), 0)
	if err != nil {
		return err
	}
	defer be.store.Close()
	key, err := signingKey(ctx, be.store, df.data)
	if err != nil {
		return err
	}
	iss := &auth.Issuer{Key: key, Issuer: issuer, Audience: audience}
	tok, err := iss.Mint(auth.MintParams{UPN: user, Name: name, Scopes: strings.Fields(scopes), TTL: ttl})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}
