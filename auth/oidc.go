package auth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/goalpost/goalpost"
)

// Defaults of an OIDCConfig, and the retry pace of a verifier without keys.
const (
	// DefaultRefreshInterval is how often the JWKS is fetched in the
	// background when OIDCConfig.RefreshInterval is zero. Microsoft Entra ID
	// publishes a new key weeks before it signs with it, so an hourly
	// refresh knows a key before the first token that uses it.
	DefaultRefreshInterval = time.Hour
	// DefaultUnknownKIDRefreshLimit is, when
	// OIDCConfig.UnknownKIDRefreshLimit is zero, the least time between two
	// JWKS fetches caused by tokens whose kid is not in the cached set.
	DefaultUnknownKIDRefreshLimit = 5 * time.Minute
	// ColdRetryInterval is the least time between two fetches caused by
	// tokens while a verifier has no keys at all, because the issuer was
	// unreachable when it started: discovery and the JWKS are then retried
	// at this pace, so that a server started during a short outage of its
	// identity provider recovers soon after the provider does.
	ColdRetryInterval = 10 * time.Second
)

const (
	// discoveryPath is appended to an issuer to find its configuration
	// (OpenID Connect Discovery 1.0, section 4).
	discoveryPath = "/.well-known/openid-configuration"
	// fetchTimeout bounds one discovery and JWKS fetch.
	fetchTimeout = 10 * time.Second
	// maxDocumentBytes bounds a discovery or JWKS document. Entra ID's are a
	// few kilobytes.
	maxDocumentBytes = 1 << 20
)

var _ Verifier = (*OIDCVerifier)(nil)

// OIDCConfig configures an [OIDCVerifier]: one OpenID Connect issuer and the
// audiences goalpost answers to under it.
type OIDCConfig struct {
	// Issuer is the issuer URL, exactly as tokens carry it in iss and as the
	// issuer's discovery document names itself, for example
	// https://login.microsoftonline.com/<tenant id>/v2.0. It must be https,
	// or http on a loopback host (127.0.0.0/8, ::1, localhost). Required.
	Issuer string
	// Audiences are the values a token's aud must contain one of: for
	// Microsoft Entra ID v2 tokens, the client id of goalpost's app
	// registration. At least one is required.
	Audiences []string
	// HTTPClient fetches discovery and JWKS documents. When nil, a client
	// that follows redirects only to URLs the Issuer rule allows.
	HTTPClient *http.Client
	// Leeway is the clock skew allowed on exp and nbf: DefaultLeeway when
	// zero, none when negative.
	Leeway time.Duration
	// Now returns the current time, for token lifetimes and for the
	// unknown-kid and cold-start rate limits; time.Now when nil.
	Now func() time.Time
	// RefreshInterval is how often the JWKS is fetched in the background;
	// DefaultRefreshInterval when zero.
	RefreshInterval time.Duration
	// UnknownKIDRefreshLimit is the least time between two JWKS fetches
	// caused by tokens with an unknown kid; DefaultUnknownKIDRefreshLimit
	// when zero. Anyone can send such a token, so this bounds what goalpost
	// asks of the identity provider on their behalf.
	UnknownKIDRefreshLimit time.Duration
	// Logger receives discovery, key set changes and fetch failures;
	// slog.Default() when nil.
	Logger *slog.Logger

	// tick, when set by a test, replaces the RefreshInterval ticker.
	tick <-chan time.Time
}

// validate checks c and names the setting at fault.
func (c *OIDCConfig) validate() error {
	if err := checkURL("Issuer", c.Issuer); err != nil {
		return err
	}
	if len(c.Audiences) == 0 {
		return fmt.Errorf("oidc issuer %s: no audience", c.Issuer)
	}
	if slices.Contains(c.Audiences, "") {
		return fmt.Errorf("oidc issuer %s: an audience is empty", c.Issuer)
	}
	if c.RefreshInterval < 0 {
		return fmt.Errorf("oidc issuer %s: RefreshInterval %s is negative", c.Issuer, c.RefreshInterval)
	}
	if c.UnknownKIDRefreshLimit < 0 {
		return fmt.Errorf("oidc issuer %s: UnknownKIDRefreshLimit %s is negative", c.Issuer, c.UnknownKIDRefreshLimit)
	}
	return nil
}

// OIDCVerifier verifies the access tokens of one OpenID Connect issuer, such
// as a Microsoft Entra ID tenant, with the keys the issuer publishes.
//
// It finds the issuer's JWKS through discovery, keeps the keys in memory and
// fetches them again every RefreshInterval, and as soon as a token names a
// kid it does not know, at most once per UnknownKIDRefreshLimit. A rotated
// key thus takes effect without a restart, and a key the issuer no longer
// publishes stops verifying at the next fetch.
//
// Only asymmetric algorithms are accepted, and the key decides which: a
// token's alg header must be the algorithm of the key its kid names (see
// [OIDCVerifier.Verify]).
//
// Close stops the background refresh. An OIDCVerifier is safe for
// concurrent use.
type OIDCVerifier struct {
	issuer          string
	parser          *jwt.Parser
	client          *http.Client
	logger          *slog.Logger
	now             func() time.Time
	unknownKIDLimit time.Duration

	// keys is nil until a JWKS was fetched, then the last usable one.
	keys atomic.Pointer[keySet]

	// ctx ends with Close or the constructor's context, and with it every
	// fetch and the refresh loop, which wg counts.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu sync.Mutex
	// meta is nil until discovery succeeded.
	meta *providerMetadata
	// fetching is the fetch running now, if any; every reason to fetch
	// (start, tick, unknown kid, Refresh) joins it rather than start another.
	fetching *fetch
	// lastDemand is when a token last caused a fetch; zero if none has.
	lastDemand time.Time
	closed     bool
}

// providerMetadata is the part of a discovery document goalpost uses.
type providerMetadata struct {
	Issuer                string `json:"issuer"`
	JWKSURI               string `json:"jwks_uri"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
}

// fetch is one run of discovery (when still needed) and a JWKS fetch.
type fetch struct {
	done chan struct{} // closed when err is set
	err  error
}

// errClosed is Refresh's answer once the verifier stopped.
var errClosed = errors.New("oidc verifier is closed")

// NewOIDCVerifier returns a verifier for cfg.Issuer and starts its background
// refresh, which lasts until Close is called or ctx is done; a server that
// wants keys refreshed while it drains passes context.WithoutCancel(ctx) and
// calls Close after the drain.
//
// Configuration is checked first: a bad URL (not https, or plain http on a
// host that is not loopback) or no audience is an error. Then discovery and
// the first JWKS fetch run, within ctx, before NewOIDCVerifier returns:
//   - an answer that shows a misconfiguration is an error: a discovery
//     document whose issuer differs from cfg.Issuer (OpenID Connect
//     Discovery requires them to be identical), a missing or insecure
//     jwks_uri, a document that is not JSON, a 4xx status (except 408, 429);
//   - an unreachable issuer (network error, timeout, 5xx, 408, 429) or a JWKS
//     that cannot be fetched or used is logged, and the verifier is returned
//     without keys: until it gets some, tokens fail with "Access token
//     validation failure." and cause a new attempt at most once per
//     ColdRetryInterval, besides the background refresh. A server can thus
//     start while its identity provider is briefly down.
func NewOIDCVerifier(ctx context.Context, cfg OIDCConfig) (*OIDCVerifier, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("new oidc verifier: %w", err)
	}
	v := &OIDCVerifier{
		issuer:          cfg.Issuer,
		parser:          newParser(asymmetricMethods, cfg.Issuer, slices.Clone(cfg.Audiences), cfg.Leeway, cfg.Now),
		client:          cfg.HTTPClient,
		logger:          cfg.Logger,
		now:             cfg.Now,
		unknownKIDLimit: cfg.UnknownKIDRefreshLimit,
	}
	if v.client == nil {
		v.client = &http.Client{CheckRedirect: checkRedirect}
	}
	if v.logger == nil {
		v.logger = slog.Default()
	}
	if v.now == nil {
		v.now = time.Now
	}
	if v.unknownKIDLimit == 0 {
		v.unknownKIDLimit = DefaultUnknownKIDRefreshLimit
	}
	v.ctx, v.cancel = context.WithCancel(ctx)

	fctx, cancel := context.WithTimeout(v.ctx, fetchTimeout)
	err := v.update(fctx)
	cancel()
	if err != nil {
		var perr *permanentError
		if errors.As(err, &perr) || ctx.Err() != nil {
			v.cancel()
			return nil, fmt.Errorf("new oidc verifier: %w", err)
		}
		v.logger.WarnContext(ctx, "oidc issuer not ready; tokens fail until it is", "issuer", v.issuer, "error", err)
	}

	tick, stop := cfg.tick, func() {}
	if tick == nil {
		ticker := time.NewTicker(cmp.Or(cfg.RefreshInterval, DefaultRefreshInterval))
		tick, stop = ticker.C, ticker.Stop
	}
	// Not wg.Go: a goroutine started by a go statement here names this
	// package as its creator in stack dumps, which the leak tests read.
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		defer stop()
		v.run(tick)
	}()
	return v, nil
}

// Issuer returns the issuer the verifier was configured with.
func (v *OIDCVerifier) Issuer() string { return v.issuer }

// AuthorizationEndpoint returns the issuer's authorization_endpoint from its
// discovery document, for the authorization_uri of a WWW-Authenticate
// challenge; empty until discovery succeeded.
func (v *OIDCVerifier) AuthorizationEndpoint() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.meta == nil {
		return ""
	}
	return v.meta.AuthorizationEndpoint
}

// Verify checks the token's form and size, then that its alg header is an
// asymmetric algorithm (RS256/384/512, PS256/384/512, ES256/384/512, EdDSA)
// and is the algorithm of the key its kid names, the signature, the lifetime
// (exp required; exp and nbf with the leeway), that aud contains one of the
// audiences and that iss is the issuer, and returns the token's principal.
//
// A token whose kid is not in the cached key set causes a JWKS fetch, at most
// once per UnknownKIDRefreshLimit (and joins a fetch already running), and
// Verify waits for it or for ctx. Failures are those of
// [LocalVerifier.Verify]: a *goalpost.Error with the code
// goalpost.EUNAUTHORIZED and Graph's message.
func (v *OIDCVerifier) Verify(ctx context.Context, token string) (*goalpost.Principal, error) {
	return verify(token, v.parser, func(t *jwt.Token) (any, error) { return v.key(ctx, t) })
}

// key returns the public key the token's kid names, if the token's alg is the
// key's algorithm.
func (v *OIDCVerifier) key(ctx context.Context, t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	if kid == "" {
		return nil, errUnknownKey
	}
	k, ok := v.lookup(kid)
	if !ok {
		v.fetchForToken(ctx)
		if k, ok = v.lookup(kid); !ok {
			return nil, errUnknownKey
		}
	}
	// The parser already refused every alg outside asymmetricMethods; this
	// refuses the ones the key was not made for.
	if t.Method.Alg() != k.alg {
		return nil, errAlgMismatch
	}
	return k.key, nil
}

// lookup returns the cached key of kid.
func (v *OIDCVerifier) lookup(kid string) (verificationKey, bool) {
	keys := v.keys.Load()
	if keys == nil {
		return verificationKey{}, false
	}
	k, ok := (*keys)[kid]
	return k, ok
}

// fetchForToken fetches the keys for a token whose kid is unknown, unless a
// token did so less than the limit ago (UnknownKIDRefreshLimit, or
// ColdRetryInterval while there are no keys), and waits for the fetch or ctx.
// A fetch already running is joined whatever its cause, at no cost to the
// limit.
func (v *OIDCVerifier) fetchForToken(ctx context.Context) {
	v.mu.Lock()
	f := v.fetching
	if f == nil {
		limit := v.unknownKIDLimit
		if v.keys.Load() == nil {
			limit = ColdRetryInterval
		}
		now := v.now()
		if !v.lastDemand.IsZero() && now.Sub(v.lastDemand) < limit {
			v.mu.Unlock()
			v.logger.DebugContext(ctx, "oidc key fetch for an unknown kid skipped: rate limited", "issuer", v.issuer)
			return
		}
		if f = v.startFetchLocked(); f != nil {
			v.lastDemand = now
		}
	}
	v.mu.Unlock()
	if f == nil {
		return
	}
	select {
	case <-f.done:
	case <-ctx.Done():
	}
}

// Refresh fetches the issuer's keys now (and discovers the issuer first if
// that has not succeeded yet), regardless of rate limits, and returns the
// fetch's error. If a fetch is running, Refresh waits for it and then starts
// its own, so that what the issuer published before the call is seen. After
// Close, or once the constructor's context is done, it fails.
func (v *OIDCVerifier) Refresh(ctx context.Context) error {
	for {
		v.mu.Lock()
		running := v.fetching
		var f *fetch
		if running == nil {
			f = v.startFetchLocked()
		}
		v.mu.Unlock()
		if running != nil {
			select {
			case <-running.done:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if f == nil {
			return errClosed
		}
		select {
		case <-f.done:
			return f.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops the background refresh and any fetch in flight, and waits for
// them. Keys already fetched keep verifying; unknown kids no longer cause a
// fetch. Close is idempotent and always returns nil.
func (v *OIDCVerifier) Close() error {
	v.mu.Lock()
	v.closed = true
	v.mu.Unlock()
	v.cancel()
	v.wg.Wait()
	return nil
}

// run refreshes the keys at every tick until the verifier stops.
func (v *OIDCVerifier) run(tick <-chan time.Time) {
	for {
		select {
		case <-v.ctx.Done():
			return
		case <-tick:
		}
		v.mu.Lock()
		f := v.startFetchLocked()
		v.mu.Unlock()
		if f == nil {
			return
		}
		select {
		case <-f.done:
		case <-v.ctx.Done():
			return
		}
	}
}

// startFetchLocked starts a fetch in the background, or returns the one
// running; nil once the verifier stopped. v.mu must be held: it orders
// wg.Go before Close's wg.Wait.
func (v *OIDCVerifier) startFetchLocked() *fetch {
	if v.fetching != nil {
		return v.fetching
	}
	if v.closed || v.ctx.Err() != nil {
		return nil
	}
	f := &fetch{done: make(chan struct{})}
	v.fetching = f
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		ctx, cancel := context.WithTimeout(v.ctx, fetchTimeout)
		f.err = v.update(ctx)
		cancel()
		if f.err != nil && v.ctx.Err() == nil {
			v.logger.Warn("oidc key fetch failed; the cached keys stay in use", "issuer", v.issuer, "error", f.err)
		}
		v.mu.Lock()
		v.fetching = nil
		v.mu.Unlock()
		close(f.done)
	}()
	return f
}

// update discovers the issuer unless that succeeded before, then fetches its
// JWKS and, if the set has a usable key, replaces the cached keys with it. On
// failure the cached keys stay: a passing outage or a broken document does
// not lock users out.
func (v *OIDCVerifier) update(ctx context.Context) error {
	v.mu.Lock()
	meta := v.meta
	v.mu.Unlock()
	if meta == nil {
		m, err := v.discover(ctx)
		if err != nil {
			return err
		}
		v.mu.Lock()
		v.meta = m
		v.mu.Unlock()
		v.logger.InfoContext(ctx, "oidc issuer discovered", "issuer", v.issuer, "jwks_uri", m.JWKSURI)
		meta = m
	}

	doc, err := v.get(ctx, meta.JWKSURI)
	if err != nil {
		// Unlike a discovery failure, a JWKS failure never stops a start:
		// the issuer is the right one, and its key endpoint may come back.
		var perr *permanentError
		if errors.As(err, &perr) {
			err = perr.err
		}
		return fmt.Errorf("fetch JWKS %s: %w", meta.JWKSURI, err)
	}
	keys, skipped, err := parseKeySet(doc)
	for _, s := range skipped {
		v.logger.DebugContext(ctx, "oidc key skipped", "issuer", v.issuer, "reason", s)
	}
	if err != nil {
		return fmt.Errorf("fetch JWKS %s: %w", meta.JWKSURI, err)
	}
	old := v.keys.Swap(&keys)
	var added, removed []string
	for kid := range keys {
		if old == nil || !hasKID(*old, kid) {
			added = append(added, kid)
		}
	}
	if old != nil {
		for kid := range *old {
			if !hasKID(keys, kid) {
				removed = append(removed, kid)
			}
		}
	}
	if len(added) > 0 || len(removed) > 0 {
		slices.Sort(added)
		slices.Sort(removed)
		v.logger.InfoContext(ctx, "oidc keys changed", "issuer", v.issuer, "added", added, "removed", removed)
	} else {
		v.logger.DebugContext(ctx, "oidc keys refreshed", "issuer", v.issuer, "keys", len(keys))
	}
	return nil
}

func hasKID(keys keySet, kid string) bool {
	_, ok := keys[kid]
	return ok
}

// discover fetches the issuer's discovery document and checks it.
func (v *OIDCVerifier) discover(ctx context.Context) (*providerMetadata, error) {
	u := strings.TrimSuffix(v.issuer, "/") + discoveryPath
	doc, err := v.get(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery %s: %w", u, err)
	}
	var m providerMetadata
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, &permanentError{fmt.Errorf("oidc discovery %s: %w", u, err)}
	}
	if m.Issuer != v.issuer {
		return nil, &permanentError{fmt.Errorf("oidc discovery %s: the document's issuer %q is not the configured %q; they must be identical", u, m.Issuer, v.issuer)}
	}
	if err := checkURL("jwks_uri", m.JWKSURI); err != nil {
		return nil, &permanentError{fmt.Errorf("oidc discovery %s: %w", u, err)}
	}
	return &m, nil
}

// get returns the body of a 200 answer to a GET of u, of at most
// maxDocumentBytes. An answer that says the request itself is wrong is a
// *permanentError.
func (v *OIDCVerifier) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &permanentError{err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Drain a little so that the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		err := fmt.Errorf("status %s", resp.Status)
		switch {
		case resp.StatusCode >= 500, resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests:
			return nil, err
		case resp.StatusCode >= 400:
			return nil, &permanentError{err}
		}
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxDocumentBytes {
		return nil, &permanentError{fmt.Errorf("document larger than %d bytes", maxDocumentBytes)}
	}
	return body, nil
}

// permanentError is a fetch failure that waiting will not cure: the issuer
// URL or the issuer's documents are wrong. NewOIDCVerifier fails on it; later
// it is logged like any other failure.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// checkURL checks that raw, the value of setting, is an absolute URL that
// may be fetched (see secure) without user info; and for the Issuer, without
// query or fragment either, as OpenID Connect Discovery requires. (A
// jwks_uri may have a query: Azure AD B2C's name their policy in one.)
func checkURL(setting, raw string) error {
	if raw == "" {
		return fmt.Errorf("oidc %s is empty", setting)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("oidc %s %q is not a URL", setting, raw)
	}
	if err := secure(u); err != nil {
		return fmt.Errorf("oidc %s %q: %w", setting, raw, err)
	}
	switch {
	case u.User != nil:
		return fmt.Errorf("oidc %s %q has user info", setting, raw)
	case setting == "Issuer" && (u.RawQuery != "" || u.ForceQuery || u.Fragment != ""):
		return fmt.Errorf("oidc %s %q has a query or fragment", setting, raw)
	}
	return nil
}

// secure checks that u is https, or http on a loopback host: keys fetched
// over plain http from elsewhere could be anyone's.
func secure(u *url.URL) error {
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return errors.New("scheme must be https")
	case u.Host == "" || u.Opaque != "":
		return errors.New("no host")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return errors.New("plain http is allowed only on a loopback host (127.0.0.0/8, ::1, localhost); use https")
	}
	return nil
}

// isLoopback reports whether host names this machine without a resolver:
// localhost, or an address in 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkRedirect is the redirect policy of the default client: the URL rule of
// the issuer holds for every hop, so that a redirect cannot downgrade a fetch
// to plain http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if err := secure(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL.Redacted(), err)
	}
	return nil
}

// OIDCConfigsFromFlags pairs the values of repeated --oidc-issuer and
// --oidc-audience flags: the i-th audience value belongs to the i-th issuer
// and may list several audiences separated by commas. It returns one config
// per issuer, with Issuer and Audiences set, for the caller to complete
// (HTTPClient, Logger) and pass to NewOIDCVerifier. Counts that differ, an
// empty audience list or an issuer given twice are errors that name the
// flags; the URLs themselves are checked by NewOIDCVerifier.
func OIDCConfigsFromFlags(issuers, audiences []string) ([]OIDCConfig, error) {
	if len(issuers) != len(audiences) {
		return nil, fmt.Errorf("each --oidc-issuer needs its --oidc-audience: got %d issuers and %d audiences", len(issuers), len(audiences))
	}
	cfgs := make([]OIDCConfig, 0, len(issuers))
	seen := make(map[string]bool, len(issuers))
	for i, iss := range issuers {
		if seen[iss] {
			return nil, fmt.Errorf("--oidc-issuer %s is given twice", iss)
		}
		seen[iss] = true
		var auds []string
		for a := range strings.SplitSeq(audiences[i], ",") {
			if a = strings.TrimSpace(a); a != "" && !slices.Contains(auds, a) {
				auds = append(auds, a)
			}
		}
		if len(auds) == 0 {
			return nil, fmt.Errorf("--oidc-audience for --oidc-issuer %s is empty", iss)
		}
		cfgs = append(cfgs, OIDCConfig{Issuer: iss, Audiences: auds})
	}
	return cfgs, nil
}
