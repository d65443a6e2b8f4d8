package httpapi

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/goalpost/goalpost"
)

// limiter keeps one token bucket per key: a user for authenticated
// requests, a client address for the others. Buckets live in this process
// only: behind a load balancer that spreads a client over N nodes, the
// client's effective limit is N times the configured one.
type limiter struct {
	rps   rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxBuckets bounds the limiter's memory; idle buckets are dropped first.
const (
	maxBuckets = 100_000
	bucketIdle = 10 * time.Minute
)

func newLimiter(rps float64, burst int, now func() time.Time) *limiter {
	if rps <= 0 {
		return nil
	}
	if burst < 1 {
		burst = max(1, int(math.Ceil(rps)))
	}
	return &limiter{rps: rate.Limit(rps), burst: burst, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket. When there is none it says how
// long until there will be one.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evict(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.rps, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	if b.lim.AllowN(now, 1) {
		return true, 0
	}
	r := b.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return false, d
}

// evict drops idle buckets once a minute, and all but the newest when the
// map is full (a flood of addresses cannot grow it without bound).
func (l *limiter) evict(now time.Time) {
	if len(l.buckets) < maxBuckets && now.Sub(l.sweep) < time.Minute {
		return
	}
	l.sweep = now
	for k, b := range l.buckets {
		if now.Sub(b.seen) > bucketIdle || len(l.buckets) >= maxBuckets {
			delete(l.buckets, k)
		}
	}
}

// throttle applies the limiter to a request: by user when the token is
// valid, by client address otherwise.
func (s *Server) throttle(w http.ResponseWriter, r *http.Request) error {
	if s.limiter == nil {
		return nil
	}
	key := "addr:" + s.clientAddr(r)
	if p, err := s.authenticate(r); err == nil {
		key = "user:" + p.Issuer + "|" + subjectKey(p)
	}
	ok, wait := s.limiter.allow(key)
	if ok {
		return nil
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return &goalpost.Error{Code: goalpost.ETHROTTLED, Inner: "429",
		Message: "Too many requests. Retry after the number of seconds in the Retry-After header."}
}

// subjectKey identifies the user of a token within its issuer.
func subjectKey(p *goalpost.Principal) string {
	if p.ObjectID != [16]byte{} {
		return p.ObjectID.String()
	}
	return strings.ToLower(p.UPN)
}

// clientAddr is the client's IP address: the connection's peer, or the
// first X-Forwarded-For entry when the server is told to trust its proxy.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustForwardedFor {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
