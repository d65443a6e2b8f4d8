// Package client is a Go client for the export-job API that goalpost serves
// and Microsoft Graph defines (/beta/employeeExperience/goals/exportJobs).
// The same code talks to a local goalpost and to https://graph.microsoft.com:
// only the base URL and the token differ.
//
// What every call does:
//
//   - It takes a context; cancelling it stops a request or a wait at once.
//   - It sends a fresh client-request-id (a random GUID), the same on every
//     retry of that call so that the server's logs tie the attempts together.
//   - It retries 429, 503 and 504 responses and dropped connections (see
//     Config.MaxRetries), waiting for the response's Retry-After (seconds or
//     an HTTP date) capped at Config.MaxRetryWait, or, without one, an
//     exponential backoff with full jitter. POSTs are retried too: the API
//     allows one pending job per organization and view, so a retried create
//     whose first attempt did reach the server gets a 409 that names the job
//     that attempt made (Create returns it as an *Error whose Target is the
//     key) instead of a second job.
//   - A failed call returns an *Error decoded from the Graph error envelope
//     (status, code, inner code, message, target, request ids, date).
//
// A goalpost ETag is the SHA-256 of the content in hex, quoted; Download
// checks the bytes it received against it. Graph's ETags are opaque, so
// against Graph (or any server whose ETag is not a quoted 64-digit hex
// string) the check is skipped and Content.Verified is false.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults of Config.
const (
	DefaultMaxRetries    = 4
	DefaultMaxRetryWait  = 60 * time.Second
	DefaultBaseRetryWait = 500 * time.Millisecond
	DefaultPollInterval  = time.Second
	DefaultUserAgent     = "goalpost-client/1"
)

// maxJSONBody bounds a JSON response read into memory; an error body is
// read up to maxErrorBody.
const (
	maxJSONBody  = 32 << 20
	maxErrorBody = 64 << 10
)

// Config configures a Client. Only BaseURL is required; every other field
// has the documented default when left zero.
type Config struct {
	// BaseURL is the API's version root, without a trailing slash:
	// "http://127.0.0.1:8080/beta" for a local goalpost,
	// "https://graph.microsoft.com/beta" for Graph.
	BaseURL string

	// Token is the bearer token sent on every request. TokenFunc, when set,
	// is asked for a token before every attempt instead, so a refreshed token
	// is picked up by a retry or a long wait. With neither, requests carry
	// no Authorization header.
	Token     string
	TokenFunc func(ctx context.Context) (string, error)

	// HTTPClient sends the requests. Nil is a client without an overall
	// timeout: bound calls with their context. It follows redirects, and
	// net/http drops the Authorization header on a redirect to another host.
	HTTPClient *http.Client

	// UserAgent is the User-Agent header. Default DefaultUserAgent.
	UserAgent string

	// MaxRetries is how many times a call is retried after its first
	// attempt. Zero means DefaultMaxRetries (4); a negative value disables
	// retries.
	MaxRetries int
	// MaxRetryWait caps every wait: a Retry-After, a backoff step and a poll
	// interval. Default DefaultMaxRetryWait (60s, the most goalpost ever
	// asks for).
	MaxRetryWait time.Duration
	// BaseRetryWait is the first backoff step without a Retry-After; each
	// further retry doubles it (before the cap and the jitter). Default
	// DefaultBaseRetryWait.
	BaseRetryWait time.Duration
	// PollInterval is how long Wait waits when a response carries no
	// Retry-After. Default DefaultPollInterval.
	PollInterval time.Duration

	// NowFunc is the clock, used for a Retry-After that is an HTTP date.
	// Default time.Now.
	NowFunc func() time.Time
	// SleepFunc waits for d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the second case. Every wait of the client goes
	// through it, so tests can record the delays instead of sleeping.
	// Default a timer.
	SleepFunc func(ctx context.Context, d time.Duration) error
	// JitterFunc returns a random duration in [0, max] for the backoff's
	// full jitter. Default math/rand/v2.
	JitterFunc func(max time.Duration) time.Duration
	// RequestIDFunc returns the client-request-id of a call. Default a random
	// version-4 GUID.
	RequestIDFunc func() string
}

// Client calls the export-job API. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base *url.URL
	hc   *http.Client
}

// New returns a Client for cfg. It fails only when cfg.BaseURL is not an
// absolute http(s) URL.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("client: base URL %q must be an absolute http(s) URL such as https://graph.microsoft.com/beta", cfg.BaseURL)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.BaseRetryWait <= 0 {
		cfg.BaseRetryWait = DefaultBaseRetryWait
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.NowFunc == nil {
		cfg.NowFunc = time.Now
	}
	if cfg.SleepFunc == nil {
		cfg.SleepFunc = sleep
	}
	if cfg.JitterFunc == nil {
		cfg.JitterFunc = func(max time.Duration) time.Duration {
			if max <= 0 {
				return 0
			}
			return mrand.N(max + 1)
		}
	}
	if cfg.RequestIDFunc == nil {
		cfg.RequestIDFunc = newGUID
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{cfg: cfg, base: u, hc: hc}, nil
}

// BaseURL returns the version root the client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// sleep is the default SleepFunc.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// newGUID returns a random (version 4) GUID in its 36-character form.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// request is one logical call; send may make several attempts of it.
type request struct {
	method string
	url    string
	body   []byte      // nil: no body
	header http.Header // added to every attempt
	stream bool        // return a successful response with its body open
}

// send makes req, retrying as the package documentation says. A response
// with a status of 400 or more is returned as an *Error. Unless req.stream,
// the body of a successful response is read (within the retry loop, so a
// connection dropped mid-body is retried) and returned; with req.stream the
// caller must close res.Body.
func (c *Client) send(ctx context.Context, req request) (res *http.Response, body []byte, err error) {
	crid := c.cfg.RequestIDFunc()
	for attempt := 0; ; attempt++ {
		res, body, err = c.attempt(ctx, req, crid)
		var delay time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil || !retryableTransport(err) || attempt >= c.cfg.MaxRetries {
				return nil, nil, err
			}
			delay = c.backoff(attempt)
		case retryableStatus(res.StatusCode) && attempt < c.cfg.MaxRetries:
			if d, ok := parseRetryAfter(res.Header.Get("Retry-After"), c.cfg.NowFunc()); ok {
				delay = min(d, c.cfg.MaxRetryWait)
			} else {
				delay = c.backoff(attempt)
			}
			if req.stream {
				drain(res.Body)
			}
		case res.StatusCode >= 400:
			if req.stream {
				body, _ = io.ReadAll(io.LimitReader(res.Body, maxErrorBody))
				res.Body.Close()
			}
			return nil, nil, c.decodeError(res, body, crid)
		default:
			return res, body, nil
		}
		if err := c.cfg.SleepFunc(ctx, delay); err != nil {
			return nil, nil, err
		}
	}
}

// attempt makes one attempt of req.
func (c *Client) attempt(ctx context.Context, req request, crid string) (*http.Response, []byte, error) {
	var rd io.Reader
	if req.body != nil {
		rd = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, req.url, rd)
	if err != nil {
		return nil, nil, err
	}
	for k, vs := range req.header {
		hr.Header[k] = vs
	}
	hr.Header.Set("client-request-id", crid)
	hr.Header.Set("User-Agent", c.cfg.UserAgent)
	if hr.Header.Get("Accept") == "" {
		hr.Header.Set("Accept", "application/json")
	}
	if req.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	tok := c.cfg.Token
	if c.cfg.TokenFunc != nil {
		if tok, err = c.cfg.TokenFunc(ctx); err != nil {
			return nil, nil, fmt.Errorf("get token: %w", err)
		}
	}
	if tok != "" {
		hr.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := c.hc.Do(hr)
	if err != nil {
		return nil, nil, err
	}
	if req.stream {
		return res, nil, nil // the caller reads it; send drains an error's
	}
	defer res.Body.Close()
	limit := int64(maxJSONBody)
	if res.StatusCode >= 400 {
		limit = maxErrorBody
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, limit))
	if err != nil {
		return nil, nil, err
	}
	return res, body, nil
}

// drain reads a little of a body we do not want, so the connection can be
// reused, and closes it.
func drain(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	rc.Close()
}

// retryableStatus reports whether a response status is retried.
func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

// retryableTransport reports whether err means the connection dropped before
// a whole response arrived: EOF, a reset, a broken pipe or an aborted
// connection. A refused connection or a DNS failure is not retried: it
// usually means a wrong base URL, and retrying would only delay saying so.
func retryableTransport(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, net.ErrClosed)
}

// backoff is the wait before retry attempt+1 without a Retry-After: full
// jitter over BaseRetryWait·2^attempt, capped at MaxRetryWait.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.MaxRetryWait
	if attempt < 30 {
		d = min(c.cfg.BaseRetryWait<<attempt, c.cfg.MaxRetryWait)
	}
	return c.cfg.JitterFunc(d)
}

// parseRetryAfter reads a Retry-After value: whole seconds or an HTTP date
// (a date in the past is zero).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, ok := parseSeconds(v); ok {
		return n, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// maxSeconds is where parseSeconds saturates (68 years, far beyond any cap).
const maxSeconds = 1 << 31

// parseSeconds reads a non-negative whole number of seconds, saturating
// instead of overflowing.
func parseSeconds(v string) (time.Duration, bool) {
	var n int64
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		if n < maxSeconds {
			n = n*10 + int64(v[i]-'0')
		}
	}
	return time.Duration(min(n, maxSeconds)) * time.Second, true
}
