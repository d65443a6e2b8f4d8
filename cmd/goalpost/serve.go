package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// buckets
	_ "gocloud.dev/blob/s3blob"   // s3:// buckets (AWS and S3-compatible servers)

	"github.com/goalpost/goalpost/auth"
	"github.com/goalpost/goalpost/demo"
	"github.com/goalpost/goalpost/httpapi"
	"github.com/goalpost/goalpost/jobs"
)

// serveConfig is everything `goalpost serve` is told.
type serveConfig struct {
	dataFlags
	addr            string
	blobURL         string
	publicURL       string
	demo            bool
	workers         int
	jobTimeout      time.Duration
	rescueAfter     time.Duration
	retention       time.Duration
	cleanupInterval time.Duration
	shutdownTimeout time.Duration
	issuer          string
	audience        string
	logLevel        string
	logFormat       string
	rateLimit       float64
	rateBurst       int
	maxImportBytes  int64
	identityTTL     time.Duration
	trustXFF        bool
	limits          httpapi.Limits
	oidcIssuers     listFlag
	oidcAudiences   listFlag
}

func (c *serveConfig) register(fs *flag.FlagSet) {
	c.dataFlags.register(fs)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.blobURL, "blob", "", "export content bucket URL; empty means file://DATA/exports")
	fs.StringVar(&c.publicURL, "public-url", "", "scheme and host clients use to reach this server, for absolute URLs; empty means each request's own")
	fs.BoolVar(&c.demo, "demo", false, "load the demo organizations (Contoso, Fabrikam) if they are not there yet")
	fs.IntVar(&c.workers, "workers", 2, "exports run at once on this node; 0 makes an API-only node that accepts jobs and never runs them")
	fs.DurationVar(&c.jobTimeout, "job-timeout", 10*time.Minute, "how long one export attempt may run")
	fs.DurationVar(&c.rescueAfter, "rescue-after", 15*time.Minute, "when a running job whose worker died is retried; must exceed --job-timeout")
	fs.DurationVar(&c.retention, "retention", 24*time.Hour, "how long a job and its content are kept after creation")
	fs.DurationVar(&c.cleanupInterval, "cleanup-interval", time.Minute, "how often expired jobs and their content are deleted")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long a shutdown waits for requests and exports in flight")
	fs.StringVar(&c.issuer, "token-issuer", auth.DefaultIssuer, "iss of local tokens")
	fs.StringVar(&c.audience, "token-audience", auth.DefaultAudience, "aud of local tokens")
	fs.Float64Var(&c.rateLimit, "rate-limit", 50, "requests per second each user (or client address, without a valid token) may make on the Graph surface and /api/v1, per node; 0 turns throttling off")
	fs.IntVar(&c.rateBurst, "rate-burst", 100, "how many requests a user may make at once before --rate-limit applies")
	fs.DurationVar(&c.identityTTL, "identity-ttl", httpapi.DefaultIdentityTTL, "how long a token's user and their memberships are remembered; a removal made on another node applies here within it (0: look up on every request)")
	fs.Int64Var(&c.maxImportBytes, "max-import-bytes", 64<<20, "largest body of an import or restore (POST /api/v1/organizations/{orgId}/import)")
	fs.BoolVar(&c.trustXFF, "trust-forwarded-for", false, "take the client address from X-Forwarded-For (only behind a proxy that overwrites it)")
	fs.DurationVar(&c.limits.ReadHeaderTimeout, "read-header-timeout", 10*time.Second, "how long a client may take to send its request headers")
	fs.DurationVar(&c.limits.ReadTimeout, "read-timeout", 30*time.Second, "how long a client may take to send a whole request")
	fs.DurationVar(&c.limits.WriteTimeout, "write-timeout", 60*time.Second, "how long a response may take (content downloads get more, by size)")
	fs.DurationVar(&c.limits.IdleTimeout, "idle-timeout", 2*time.Minute, "how long an idle keep-alive connection stays open")
	fs.Var(&c.oidcIssuers, "oidc-issuer", "an OpenID Connect issuer whose access tokens are accepted (repeatable; e.g. https://login.microsoftonline.com/TENANT/v2.0)")
	fs.Var(&c.oidcAudiences, "oidc-audience", "the audience accepted for the matching --oidc-issuer (repeatable, in the same order; several for one issuer separated by commas)")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", "text", "text or json")
}

func (c *serveConfig) validate() error {
	switch {
	case c.workers < 0:
		return usageError{"--workers must be 0 or more"}
	case c.jobTimeout <= 0:
		return usageError{"--job-timeout must be positive"}
	case c.rescueAfter <= c.jobTimeout:
		return usageError{fmt.Sprintf("--rescue-after (%v) must be longer than --job-timeout (%v)", c.rescueAfter, c.jobTimeout)}
	case c.retention <= 0:
		return usageError{"--retention must be positive"}
	case c.cleanupInterval <= 0:
		return usageError{"--cleanup-interval must be positive"}
	case c.rateLimit < 0 || c.rateBurst < 0:
		return usageError{"--rate-limit and --rate-burst must be 0 or more"}
	case c.identityTTL < 0:
		return usageError{"--identity-ttl must be 0 or more"}
	case c.maxImportBytes <= 0:
		return usageError{"--max-import-bytes must be positive"}
	case c.limits.ReadHeaderTimeout <= 0 || c.limits.ReadTimeout <= 0 || c.limits.WriteTimeout <= 0 || c.limits.IdleTimeout <= 0:
		return usageError{"timeouts must be positive"}
	}
	if c.publicURL != "" {
		u, err := url.Parse(c.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return usageError{"--public-url must be http(s)://host[:port]"}
		}
	}
	return nil
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level: %v", err)}
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{"--log-format must be text or json"}
}

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var cfg serveConfig
	fs := newFlagSet("serve", stderr)
	cfg.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log, err := newLogger(stderr, cfg.logLevel, cfg.logFormat)
	if err != nil {
		return err
	}
	if err := cfg.checkDB(); err != nil {
		return err
	}
	oidcCfgs, err := auth.OIDCConfigsFromFlags(cfg.oidcIssuers, cfg.oidcAudiences)
	if err != nil {
		return usageError{err.Error()}
	}
	if err := cfg.ensureDataDir(); err != nil {
		return err
	}

	be, err := cfg.open(ctx, log, cfg.workers)
	if err != nil {
		return err
	}
	defer be.store.Close()
	store := be.store

	bucket, err := openBucket(ctx, cfg.blobURL, cfg.data)
	if err != nil {
		return err
	}
	defer bucket.Close()

	runner, err := be.newRunner(jobs.Config{
		Store: store, Bucket: bucket, Workers: cfg.workers,
		JobTimeout: cfg.jobTimeout, RescueAfter: cfg.rescueAfter, CleanupInterval: cfg.cleanupInterval,
		Logger: log,
	})
	if err != nil {
		return err
	}

	if cfg.demo {
		loaded, err := demo.Load(ctx, store)
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		log.Info("demo data", "loaded", loaded)
	}

	key, err := signingKey(ctx, store, cfg.data)
	if err != nil {
		return err
	}
	verifier := auth.ByIssuer{cfg.issuer: &auth.LocalVerifier{Keys: []*auth.Key{key}, Issuer: cfg.issuer, Audience: cfg.audience}}
	authorizationURI, clientID := "", cfg.audience
	for _, oc := range oidcCfgs {
		if oc.Issuer == cfg.issuer {
			return usageError{"--oidc-issuer " + oc.Issuer + " is the local --token-issuer"}
		}
		oc.Logger = log
		// Keys keep refreshing while requests drain at shutdown.
		v, err := auth.NewOIDCVerifier(context.WithoutCancel(ctx), oc)
		if err != nil {
			return fmt.Errorf("oidc issuer %s: %w", oc.Issuer, err)
		}
		defer v.Close()
		verifier[oc.Issuer] = v
		if authorizationURI == "" {
			authorizationURI, clientID = v.AuthorizationEndpoint(), oc.Audiences[0]
		}
		log.Info("oidc issuer", "issuer", oc.Issuer, "audiences", strings.Join(oc.Audiences, ","))
	}

	api := httpapi.New(httpapi.Config{
		Store: store, Bucket: bucket, Verifier: verifier, Logger: log,
		PublicURL: cfg.publicURL, Retention: cfg.retention, ClientID: clientID, AuthorizationURI: authorizationURI,
		ReadyFunc: store.Ping,
		RateLimit: cfg.rateLimit, RateBurst: cfg.rateBurst, TrustForwardedFor: cfg.trustXFF,
		MaxImportBytes: cfg.maxImportBytes, IdentityTTL: cfg.identityTTL,
	})
	hs := httpapi.NewHTTPServer(api, cfg.limits)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}

	// River's lifetime is not the signal's: it is stopped softly below.
	if err := runner.Start(context.WithoutCancel(ctx)); err != nil {
		ln.Close()
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "workers", cfg.workers, "db", be.kind, "data", cfg.data)

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Error("serve", "err", err)
		}
	}
	// Stop accepting and drain requests, then stop River softly (running
	// exports finish or are cancelled and retried later), then close.
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	if err := runner.Stop(sctx); err != nil {
		log.Warn("river stop", "err", err)
	}
	log.Info("stopped")
	return nil
}

// openBucket opens the content bucket; the default is a directory under the
// data dir, with temporary files beside their final names so that the last
// rename is atomic on the same file system.
func openBucket(ctx context.Context, rawURL, dataDir string) (*blob.Bucket, error) {
	if rawURL == "" {
		abs, err := filepath.Abs(filepath.Join(dataDir, "exports"))
		if err != nil {
			return nil, err
		}
		rawURL = "file://" + filepath.ToSlash(abs) + "?create_dir=1&no_tmp_dir=1&metadata=skip"
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		// The URL may carry credentials: name only its scheme.
		scheme, _, _ := strings.Cut(rawURL, ":")
		return nil, fmt.Errorf("open blob bucket (%s): %w", scheme, errors.Unwrap(err))
	}
	return b, nil
}
