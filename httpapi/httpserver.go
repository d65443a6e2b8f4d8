package httpapi

import (
	"log/slog"
	"net/http"
	"time"
)

// Limits bound what one connection may take from the server, so that a slow
// or hostile client cannot hold a connection or memory forever.
type Limits struct {
	// ReadHeaderTimeout is how long a client may take to send its request
	// headers. Default 10 s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client may take to send a whole request.
	// Default 30 s.
	ReadTimeout time.Duration
	// WriteTimeout is how long a response may take. Downloads of export
	// content get longer, in proportion to their size (MinDownloadRate).
	// Default 60 s.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections left idle. Default 2 min.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds request headers. Default 32 KiB (a bearer token
	// is at most 16 KiB).
	MaxHeaderBytes int
}

// MinDownloadRate is the slowest download a content response allows for:
// its write deadline is WriteTimeout plus its size at this rate.
const MinDownloadRate = 256 << 10 // bytes per second

func (l *Limits) setDefaults() {
	if l.ReadHeaderTimeout == 0 {
		l.ReadHeaderTimeout = 10 * time.Second
	}
	if l.ReadTimeout == 0 {
		l.ReadTimeout = 30 * time.Second
	}
	if l.WriteTimeout == 0 {
		l.WriteTimeout = 60 * time.Second
	}
	if l.IdleTimeout == 0 {
		l.IdleTimeout = 2 * time.Minute
	}
	if l.MaxHeaderBytes == 0 {
		l.MaxHeaderBytes = 32 << 10
	}
}

// NewHTTPServer returns the http.Server that serves s with limits l.
func NewHTTPServer(s *Server, l Limits) *http.Server {
	l.setDefaults()
	s.writeTimeout = l.WriteTimeout
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
}
