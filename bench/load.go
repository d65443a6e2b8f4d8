package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// loadResult is what a load run measured.
type loadResult struct {
	requests int
	errors   int
	elapsed  time.Duration
	p50, p99 time.Duration
}

func (r loadResult) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r loadResult) String() string {
	return fmt.Sprintf("%.0f req/s (p50 %s, p99 %s)", r.rps(), fmtDur(r.p50), fmtDur(r.p99))
}

// load sends GET url with header from conns connections, each one request
// at a time, for d after a warm-up of a second, and counts the answers
// that are 200 OK.
func load(ctx context.Context, url string, header http.Header, conns int, d time.Duration) (loadResult, error) {
	tr := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	var (
		mu      sync.Mutex
		all     []time.Duration
		res     loadResult
		wg      sync.WaitGroup
		warmEnd = time.Now().Add(time.Second)
		end     = warmEnd.Add(d)
	)
	for range conns {
		wg.Go(func() {
			var lat []time.Duration
			var n, nerr int
			for {
				t0 := time.Now()
				if t0.After(end) || ctx.Err() != nil {
					break
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				req.Header = header
				resp, err := client.Do(req)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				t1 := time.Now()
				if t0.Before(warmEnd) || t1.After(end) {
					continue
				}
				if ok {
					n++
					lat = append(lat, t1.Sub(t0))
				} else {
					nerr++
				}
			}
			mu.Lock()
			all = append(all, lat...)
			res.requests += n
			res.errors += nerr
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.elapsed = d
	slices.Sort(all)
	if len(all) > 0 {
		res.p50 = all[len(all)/2]
		res.p99 = all[len(all)*99/100]
	}
	if res.errors > 0 {
		return res, fmt.Errorf("%d requests failed during the load of %s", res.errors, url)
	}
	return res, nil
}

// bareServer serves body with header on every request, with no routing,
// auth or database: the poll scenario's baseline.
func bareServer(header http.Header, body []byte) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		_, _ = w.Write(body)
	})}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/", func() { _ = srv.Close() }, nil
}
