package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrChecksumMismatch is the error (wrapped) of a download whose bytes do not
// hash to the SHA-256 its ETag names.
var ErrChecksumMismatch = errors.New("content does not match its ETag")

// Content describes a finished download.
type Content struct {
	// Size is the number of bytes of the content.
	Size int64
	// ETag is the content's ETag as the server sent it, quotes included.
	ETag string
	// SHA256 is the hex SHA-256 of the bytes received.
	SHA256 string
	// Verified reports whether SHA256 was checked against the ETag: true on
	// goalpost, false on servers whose ETag is not a SHA-256 (Graph).
	Verified bool
	// ContentType and FileName come from Content-Type and
	// Content-Disposition.
	ContentType string
	FileName    string
	// Resumed counts the times a dropped download went on with a Range
	// request.
	Resumed int
}

// DownloadOptions are the optional parts of a download.
type DownloadOptions struct {
	// Progress, when not nil, is called after every write with the bytes
	// received so far and the total (-1 while unknown).
	Progress func(received, total int64)
}

// Download writes the content of the succeeded job with key to w.
//
// When the connection drops mid-body, Download asks for the rest with
// "Range: bytes=N-" and "If-Range: <ETag>" and goes on writing; a drop that
// brought no new bytes counts as a retry (at most MaxRetries in a row, with
// backoff). Then it checks the whole content's SHA-256 against the ETag when
// the ETag is one (see Content.Verified); a mismatch is an error wrapping
// ErrChecksumMismatch. If the content changed between two requests, or the
// server has no strong ETag to resume against, Download cannot take back
// what it wrote to w and fails; DownloadFile starts over instead.
//
// Before the job has succeeded the server answers 409: an *Error whose
// InnerCode is InnerJobNotCompleted or InnerJobFailed.
func (c *Client) Download(ctx context.Context, key string, w io.Writer, opt DownloadOptions) (*Content, error) {
	info, err := c.download(ctx, key, w, nil, opt)
	if err != nil {
		return nil, fmt.Errorf("download export job %s: %w", key, err)
	}
	return info, nil
}

// DownloadFile downloads as Download does into path, atomically: the bytes
// go to a temporary file in path's directory, which is synced and renamed to
// path only once the content is complete and verified. On any error the
// temporary file is removed and path is left as it was. A new file gets mode
// 0644; an existing path keeps its mode.
func (c *Client) DownloadFile(ctx context.Context, key, path string, opt DownloadOptions) (info *Content, err error) {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("download export job %s: %s is not a regular file", key, path)
		}
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return nil, fmt.Errorf("download export job %s: %w", key, err)
	}
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				f.Close()
			}
			os.Remove(f.Name())
		}
	}()
	restart := func() error {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return f.Truncate(0)
	}
	info, err = c.download(ctx, key, f, restart, opt)
	if err != nil {
		return nil, fmt.Errorf("download export job %s: %w", key, err)
	}
	if err = f.Sync(); err == nil {
		err = f.Chmod(mode)
	}
	closed = true
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return nil, fmt.Errorf("download export job %s: write %s: %w", key, path, err)
	}
	return info, nil
}

// writeErr marks an error of the destination, which is never retried.
type writeErr struct{ err error }

func (e *writeErr) Error() string { return "write: " + e.err.Error() }
func (e *writeErr) Unwrap() error { return e.err }

// sink is the destination of a download: w, the hash and the count.
type sink struct {
	w        io.Writer
	h        hash.Hash
	n        int64
	total    int64
	progress func(int64, int64)
}

func (s *sink) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	if s.progress != nil && n > 0 {
		s.progress(s.n, s.total)
	}
	if err != nil {
		return n, &writeErr{err}
	}
	return n, nil
}

// download is Download; restart, when not nil, empties w so that a download
// can start over.
func (c *Client) download(ctx context.Context, key string, w io.Writer, restart func() error, opt DownloadOptions) (*Content, error) {
	u := c.jobURL(key) + "/content"
	s := &sink{w: w, h: sha256.New(), total: -1, progress: opt.Progress}
	info := &Content{}
	var etag string // the strong validator to resume against; "" when none
	failures := 0   // drops in a row that brought no bytes
	for {
		// identity: byte offsets and the hash are of the content itself,
		// never of a compressed representation.
		hdr := http.Header{"Accept": {"*/*"}, "Accept-Encoding": {"identity"}}
		resuming := s.n > 0
		if resuming {
			hdr.Set("Range", "bytes="+strconv.FormatInt(s.n, 10)+"-")
			hdr.Set("If-Range", etag)
		}
		res, _, err := c.send(ctx, request{method: http.MethodGet, url: u, header: hdr, stream: true})
		if err != nil {
			return nil, err
		}
		switch {
		case resuming && res.StatusCode == http.StatusPartialContent:
			start, total, ok := parseContentRange(res.Header.Get("Content-Range"))
			if !ok || start != s.n || (res.Header.Get("ETag") != "" && res.Header.Get("ETag") != etag) {
				res.Body.Close()
				return nil, fmt.Errorf("resume at byte %d: the server answered Content-Range %q, ETag %s", s.n, res.Header.Get("Content-Range"), res.Header.Get("ETag"))
			}
			s.total = total
		case res.StatusCode == http.StatusOK:
			if resuming { // the content changed, or the server ignores Range
				if restart == nil {
					res.Body.Close()
					return nil, errors.New("the content changed while downloading; cannot start over on this writer")
				}
				if err := restart(); err != nil {
					res.Body.Close()
					return nil, &writeErr{err}
				}
				s.n = 0
				s.h.Reset()
			}
			info.ETag = res.Header.Get("ETag")
			etag = strongETag(info.ETag)
			info.ContentType = res.Header.Get("Content-Type")
			if _, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition")); err == nil {
				info.FileName = params["filename"]
			}
			s.total = res.ContentLength
		default:
			res.Body.Close()
			return nil, fmt.Errorf("unexpected response %s", res.Status)
		}
		before := s.n
		_, err = io.Copy(s, res.Body)
		res.Body.Close()
		if err == nil {
			break
		}
		if we := (*writeErr)(nil); errors.As(err, &we) || ctx.Err() != nil {
			return nil, err
		}
		// The connection dropped mid-body.
		if s.n == before {
			failures++
		} else {
			failures = 0
		}
		if failures > c.cfg.MaxRetries {
			return nil, err
		}
		if etag == "" {
			if restart == nil {
				return nil, fmt.Errorf("%w (the server sent no strong ETag to resume against)", err)
			}
			if err := restart(); err != nil {
				return nil, &writeErr{err}
			}
			s.n = 0
			s.h.Reset()
		} else {
			info.Resumed++
		}
		if failures > 0 {
			if err := c.cfg.SleepFunc(ctx, c.backoff(failures-1)); err != nil {
				return nil, err
			}
		}
	}
	if s.total >= 0 && s.n != s.total {
		return nil, fmt.Errorf("received %d bytes, want %d", s.n, s.total)
	}
	info.Size = s.n
	info.SHA256 = hex.EncodeToString(s.h.Sum(nil))
	if want, ok := sha256ETag(info.ETag); ok {
		if want != info.SHA256 {
			return nil, fmt.Errorf("%w: received %d bytes with SHA-256 %s, ETag %s", ErrChecksumMismatch, s.n, info.SHA256, info.ETag)
		}
		info.Verified = true
	}
	return info, nil
}

// strongETag returns etag when it is a strong entity tag (usable in
// If-Range), else "".
func strongETag(etag string) string {
	if len(etag) >= 2 && etag[0] == '"' && etag[len(etag)-1] == '"' {
		return etag
	}
	return ""
}

// sha256ETag returns the lower-case hex SHA-256 a goalpost ETag
// ("<64 hex digits>", quoted) carries.
func sha256ETag(etag string) (string, bool) {
	if len(etag) != 66 || etag[0] != '"' || etag[65] != '"' {
		return "", false
	}
	h := strings.ToLower(etag[1:65])
	if _, err := hex.DecodeString(h); err != nil {
		return "", false
	}
	return h, true
}

// parseContentRange reads "bytes START-END/TOTAL" (TOTAL may be "*", -1).
func parseContentRange(v string) (start, total int64, ok bool) {
	rest, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	first, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	if tot == "*" {
		return start, -1, true
	}
	total, err = strconv.ParseInt(tot, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return start, total, true
}
