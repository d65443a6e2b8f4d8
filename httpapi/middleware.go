package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/goalpost/goalpost"
)

type requestInfoKey struct{}

// requestInfo is what the middleware knows of a request.
type requestInfo struct {
	requestID       string
	clientRequestID string
	route           string // a low-cardinality name for metrics and logs

	// The request's authentication, done at most once.
	authDone  bool
	principal *goalpost.Principal
	authErr   error
}

func requestInfoFrom(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

// setRoute names the matched route for logs and metrics.
func setRoute(r *http.Request, name string) { requestInfoFrom(r.Context()).route = name }

// responseWriter records the status of a response.
type responseWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	bytes       int64
}

func (w *responseWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status = code
		w.wroteHeader = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// maxClientRequestID bounds the echoed client-request-id.
const maxClientRequestID = 128

// middleware gives every request its ids, recovers panics, logs and counts.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &requestInfo{requestID: newRequestID(), route: "other"}
		ri.clientRequestID = r.Header.Get("client-request-id")
		if !validClientRequestID(ri.clientRequestID) {
			ri.clientRequestID = ri.requestID
		}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, ri))
		h := w.Header()
		h.Set("request-id", ri.requestID)
		h.Set("client-request-id", ri.clientRequestID)
		rw := &responseWriter{ResponseWriter: w, status: http.StatusOK}
		r.Body = http.MaxBytesReader(rw, r.Body, s.bodyLimit(r))

		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.ErrorContext(r.Context(), "panic", "request_id", ri.requestID, "panic", v)
				if !rw.wroteHeader {
					s.writeError(rw, r, errPanic)
				}
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(ri.route, strconv.Itoa(rw.status)).Inc() // route, code
			s.metrics.duration.WithLabelValues(ri.route).Observe(d.Seconds())
			s.logger.InfoContext(r.Context(), "request",
				"request_id", ri.requestID, "method", r.Method, "route", ri.route,
				"status", rw.status, "bytes", rw.bytes, "duration_ms", d.Milliseconds())
		}()
		if err := s.checkBounds(r); err != nil {
			s.writeError(rw, r, err)
			return
		}
		next.ServeHTTP(rw, r)
	})
}

// checkBounds refuses requests that are too large before anything reads
// them: a declared body over the limit (413 without reading it) and an
// overlong query string.
func (s *Server) checkBounds(r *http.Request) error {
	if limit := s.bodyLimit(r); r.ContentLength > limit {
		return &goalpost.Error{Code: goalpost.ETOOLARGE, Inner: "invalidRequestBody",
			Message: fmt.Sprintf("The request body is larger than %d bytes.", limit)}
	}
	if len(r.URL.RawQuery) > s.cfg.MaxQueryBytes {
		return &goalpost.Error{Code: goalpost.EINVALID, Inner: "unknown", Message: "The query specified in the URI is too long."}
	}
	return nil
}

// validClientRequestID accepts a short header of visible ASCII, so that what
// the server echoes can never split or smuggle a header.
func validClientRequestID(s string) bool {
	if s == "" || len(s) > maxClientRequestID {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
