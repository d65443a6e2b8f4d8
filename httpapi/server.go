// Package httpapi is goalpost's HTTP server: the Graph-compatible export-job
// surface under /beta, goalpost's own management API under /api/v1 (see
// v1.go), the operations endpoints, and the middleware every
// request goes through (request ids, authentication, limits, logs, metrics).
package httpapi

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"gocloud.dev/blob"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/auth"
)

// TokenVerifier verifies a bearer token and says who it belongs to. Its
// errors are *goalpost.Error values with the Graph messages.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (*goalpost.Principal, error)
}

// Config configures a Server. Zero values take the documented defaults.
type Config struct {
	Store    goalpost.Store
	Bucket   *blob.Bucket
	Verifier TokenVerifier
	Logger   *slog.Logger

	// PublicURL is the scheme and host clients use to reach the server
	// (e.g. https://goals.example.com); absolute URLs in responses start
	// with it. Empty: taken from each request's scheme and Host.
	PublicURL string
	// Retention is how long a job and its content are kept. Default 24h.
	Retention time.Duration
	// DefaultPageSize and MaxPageSize bound $top on lists. Defaults 100, 1000.
	DefaultPageSize, MaxPageSize int
	// MaxBodyBytes bounds request bodies. Default 64 KiB.
	MaxBodyBytes int64
	// MaxImportBytes bounds the body of an import or restore
	// (POST /api/v1/organizations/{orgId}/import). Default 64 MiB.
	MaxImportBytes int64
	// AuthorizationURI and ClientID go into WWW-Authenticate on a 401.
	AuthorizationURI, ClientID string
	// ReadyFunc reports whether the server can serve (database reachable,
	// migrations applied); nil means always ready.
	ReadyFunc func(ctx context.Context) error
	// Registry receives the server's metrics; nil makes a private one.
	Registry *prometheus.Registry

	// RateLimit is the sustained requests per second each user (and each
	// client address, for requests without a valid token) may make on the
	// Graph surface and /api/v1; 0 turns throttling off. RateBurst is the
	// bucket size (default: RateLimit rounded up). The buckets are per
	// process.
	RateLimit float64
	RateBurst int
	// TrustForwardedFor takes the client address from X-Forwarded-For. Set
	// it only behind a proxy that overwrites that header.
	TrustForwardedFor bool
	// MaxQueryBytes bounds the raw query string. Default 4096.
	MaxQueryBytes int

	// NoTokenCache turns off the cache of verified tokens that New puts in
	// front of Verifier (see auth.Cache: bounded, never past a token's exp
	// nor five minutes after its check).
	NoTokenCache bool
	// IdentityTTL is how long the user behind a token and their
	// memberships are remembered between requests (see identityCache): a
	// removal or demotion made on another node takes up to this long to
	// apply here. 0 looks them up on every request.
	IdentityTTL time.Duration

	NowFunc func() time.Time
	// RandReader is the randomness of job GUIDs; nil is crypto/rand.
	RandReader io.Reader
}

// Server serves goalpost's HTTP API.
type Server struct {
	cfg     Config
	logger  *slog.Logger
	metrics *metrics
	limiter *limiter
	handler http.Handler
	// queueStats keeps the Retry-After inputs of jobs being polled.
	queueStats statsCache
	// identity keeps callers and their memberships for Config.IdentityTTL.
	identity identityCache
	// finished keeps finished jobs until they expire.
	finished finishedJobs
	// writeTimeout is the connection's write timeout, when NewHTTPServer
	// set one; content downloads extend it.
	writeTimeout time.Duration
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Retention == 0 {
		cfg.Retention = 24 * time.Hour
	}
	if cfg.DefaultPageSize == 0 {
		cfg.DefaultPageSize = 100
	}
	if cfg.MaxPageSize == 0 {
		cfg.MaxPageSize = 1000
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.MaxImportBytes == 0 {
		cfg.MaxImportBytes = 64 << 20
	}
	if cfg.NowFunc == nil {
		cfg.NowFunc = time.Now
	}
	if cfg.RandReader == nil {
		cfg.RandReader = rand.Reader
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.MaxQueryBytes == 0 {
		cfg.MaxQueryBytes = 4096
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Verifier != nil && !cfg.NoTokenCache {
		if _, cached := cfg.Verifier.(*auth.Cache); !cached {
			// Integrations poll with the same token many times a minute; the
			// signature check is the costliest step of a poll.
			cfg.Verifier = &auth.Cache{Verifier: cfg.Verifier, Now: cfg.NowFunc}
		}
	}
	s := &Server{cfg: cfg, logger: cfg.Logger, metrics: newMetrics(cfg.Registry), identity: identityCache{ttl: cfg.IdentityTTL}}
	s.limiter = newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.NowFunc)
	s.handler = s.routes()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) now() time.Time { return s.cfg.NowFunc() }

// routes builds the handler tree. The Graph surface has its own router
// because its path names are case-insensitive and its keys come in two
// syntaxes; everything else goes through a ServeMux.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.Handle("GET /readyz", s.adapt(s.handleReady))
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{}))
	mux.Handle(v1Prefix+"/", s.v1Handler())
	mux.Handle("/", s.adapt(func(w http.ResponseWriter, r *http.Request) error {
		return &goalpost.Error{Code: goalpost.ENOTFOUND, Inner: "unknownResource", Message: "Resource not found for the segment '" + firstSegment(r.URL.Path) + "'."}
	}))
	graph := s.adapt(s.serveGraph)
	root := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hasPrefixFold(r.URL.Path, graphPrefix) {
			graph.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	return s.middleware(root)
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.ReadyFunc != nil {
		if err := s.cfg.ReadyFunc(r.Context()); err != nil {
			s.logger.WarnContext(r.Context(), "not ready", "err", err)
			return &goalpost.Error{Code: goalpost.EUNAVAILABLE, Message: "The service is not ready."}
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ready\n")
	return nil
}

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// adapt turns a handlerFunc into an http.Handler: the one place errors
// become responses. A handler that has started its body cannot send an
// error any more; the error is logged instead.
func (s *Server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		if rw, ok := w.(*responseWriter); ok && rw.wroteHeader {
			s.logger.ErrorContext(r.Context(), "error after response started",
				"request_id", requestInfoFrom(r.Context()).requestID, "err", err)
			return
		}
		s.writeError(w, r, err)
	})
}

func firstSegment(p string) string {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		p = p[:i]
	}
	if len(p) > 64 {
		p = p[:64]
	}
	return p
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// newRequestID returns a fresh random GUID.
func newRequestID() string { return uuid.NewString() }
