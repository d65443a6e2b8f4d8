package client_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalpost/goalpost/client"
)

// csvContent is a deterministic export of about n bytes.
func csvContent(n int, seed string) []byte {
	var b bytes.Buffer
	b.WriteString("Id,Title,Owner\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%d,%s objective %d,owner%d@contoso.com\n", i, seed, i, i%17)
	}
	return b.Bytes()
}

func etagOf(b []byte) string {
	s := sha256.Sum256(b)
	return `"` + hex.EncodeToString(s[:]) + `"`
}

// serveContent serves content as goalpost does (Range, If-Range, ETag),
// but when cut > 0 it closes the connection after cut bytes of the body.
func serveContent(t *testing.T, w http.ResponseWriter, r *http.Request, content []byte, etag string, cut int) {
	t.Helper()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="All_objectives_20260304T050607Z.csv"`)
	w.Header().Set("ETag", etag)
	if cut <= 0 {
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(content))
		return
	}
	start := 0
	status := http.StatusOK
	if rg := r.Header.Get("Range"); rg != "" && r.Header.Get("If-Range") == etag {
		s, _ := strings.CutPrefix(rg, "bytes=")
		start, _ = strconv.Atoi(strings.TrimSuffix(s, "-"))
		status = http.StatusPartialContent
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, len(content)-1, len(content)))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(content)-start))
	w.Header().Set("Accept-Ranges", "bytes")
	w.WriteHeader(status)
	w.Write(content[start : start+cut])
	rc := http.NewResponseController(w)
	if err := rc.Flush(); err != nil {
		t.Error(err)
	}
	conn, _, err := rc.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

// onlyFile checks that dir holds exactly the file name (or nothing when
// name is ""): no temporary file is left behind.
func onlyFile(t *testing.T, dir, name string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := []string{}
	if name != "" {
		want = []string{name}
	}
	if !slices.Equal(names, want) && !(len(names) == 0 && len(want) == 0) {
		t.Errorf("directory holds %v, want %v", names, want)
	}
}

// TestDownloadFile_ResumesAfterCuts: the connection drops twice mid-body;
// the client resumes with Range and If-Range each time, and the file is
// complete and verified.
func TestDownloadFile_ResumesAfterCuts(t *testing.T) {
	content := csvContent(100_000, "resume")
	etag := etagOf(content)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			serveContent(t, w, r, content, etag, 30_000)
		case 2:
			serveContent(t, w, r, content, etag, 20_000)
		default:
			serveContent(t, w, r, content, etag, 0)
		}
	})
	var s sleeper
	c := newClient(t, f, &s)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	var last [2]int64
	calls := 0
	info, err := c.DownloadFile(context.Background(), testKey, path, client.DownloadOptions{
		Progress: func(got, total int64) { last = [2]int64{got, total}; calls++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, content) {
		t.Fatalf("file has %d bytes, differs from the %d of the content", len(got), len(content))
	}
	sum := sha256.Sum256(content)
	want := client.Content{Size: int64(len(content)), ETag: etag, SHA256: hex.EncodeToString(sum[:]), Verified: true,
		ContentType: "text/csv; charset=utf-8", FileName: "All_objectives_20260304T050607Z.csv", Resumed: 2}
	if *info != want {
		t.Errorf("info\n got %+v\nwant %+v", *info, want)
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, wantRange := range []string{"", "bytes=30000-", "bytes=50000-"} {
		r := reqs[i]
		if r.URL.EscapedPath() != "/beta/employeeExperience/goals/exportJobs/"+testKey+"/content" {
			t.Errorf("request %d path %s", i+1, r.URL.EscapedPath())
		}
		if r.Header.Get("Accept-Encoding") != "identity" {
			t.Errorf("request %d Accept-Encoding %q, want identity", i+1, r.Header.Get("Accept-Encoding"))
		}
		if r.Header.Get("Range") != wantRange {
			t.Errorf("request %d Range %q, want %q", i+1, r.Header.Get("Range"), wantRange)
		}
		if wantIfRange := map[bool]string{true: etag}[wantRange != ""]; r.Header.Get("If-Range") != wantIfRange {
			t.Errorf("request %d If-Range %q, want %q", i+1, r.Header.Get("If-Range"), wantIfRange)
		}
	}
	if last != [2]int64{int64(len(content)), int64(len(content))} || calls < 3 {
		t.Errorf("last progress %v after %d calls", last, calls)
	}
	if got := s.got(); len(got) != 0 {
		t.Errorf("waits %v: a drop after progress resumes at once", got)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
	onlyFile(t, dir, "out.csv")
}

// TestDownloadFile_WrongETag: content that does not hash to its ETag is an
// error and leaves neither the file nor a temporary file; a file already at
// the path is untouched.
func TestDownloadFile_WrongETag(t *testing.T) {
	content := csvContent(50_000, "corrupt")
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveContent(t, w, r, content, etagOf([]byte("something else")), 0)
	})
	var s sleeper
	c := newClient(t, f, &s)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if _, err := c.DownloadFile(context.Background(), testKey, path, client.DownloadOptions{}); !errors.Is(err, client.ErrChecksumMismatch) {
		t.Fatalf("err = %v, want ErrChecksumMismatch", err)
	}
	onlyFile(t, dir, "")

	if err := os.WriteFile(path, []byte("yesterday's export\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DownloadFile(context.Background(), testKey, path, client.DownloadOptions{}); !errors.Is(err, client.ErrChecksumMismatch) {
		t.Fatalf("err = %v, want ErrChecksumMismatch", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "yesterday's export\n" {
		t.Errorf("the existing file changed to %d bytes", len(b))
	}
	onlyFile(t, dir, "out.csv")
}

// TestDownload_ContentChanged: when the content changes between the cut and
// the resume (If-Range fails, the server sends 200 with the new content), a
// file download starts over; a stream download cannot and fails.
func TestDownload_ContentChanged(t *testing.T) {
	old, updated := csvContent(40_000, "old"), csvContent(45_000, "new")
	handle := func(w http.ResponseWriter, r *http.Request, n int) {
		if n%2 == 1 {
			serveContent(t, w, r, old, etagOf(old), 10_000)
			return
		}
		serveContent(t, w, r, updated, etagOf(updated), 0)
	}
	var s sleeper
	f := newFake(t, handle)
	c := newClient(t, f, &s)
	path := filepath.Join(t.TempDir(), "out.csv")
	info, err := c.DownloadFile(context.Background(), testKey, path, client.DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, updated) || !info.Verified || info.ETag != etagOf(updated) {
		t.Errorf("file of %d bytes, info %+v; want the new content, verified", len(got), info)
	}

	f = newFake(t, handle)
	c = newClient(t, f, &s)
	var buf bytes.Buffer
	if _, err := c.Download(context.Background(), testKey, &buf, client.DownloadOptions{}); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("err = %v, want a changed-content error", err)
	}
}

// TestDownload_OpaqueETag: an ETag that is not a SHA-256 (as on Graph) is
// not checked.
func TestDownload_OpaqueETag(t *testing.T) {
	content := csvContent(10_000, "graph")
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveContent(t, w, r, content, `"0x8DBDB8A2C7C1F4E"`, 0)
	})
	var s sleeper
	c := newClient(t, f, &s)
	var buf bytes.Buffer
	info, err := c.Download(context.Background(), testKey, &buf, client.DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), content) || info.Verified || info.Size != int64(len(content)) {
		t.Errorf("%d bytes, info %+v", buf.Len(), info)
	}
}

// TestDownload_DropsWithoutProgress: drops that bring no bytes are retried
// with backoff, at most MaxRetries in a row.
func TestDownload_DropsWithoutProgress(t *testing.T) {
	content := csvContent(10_000, "stuck")
	etag := etagOf(content)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			serveContent(t, w, r, content, etag, 1000)
			return
		}
		dropConnection(t, w)
	})
	var s sleeper
	c := newClient(t, f, &s, func(c *client.Config) { c.MaxRetries = 2 })
	var buf bytes.Buffer
	if _, err := c.Download(context.Background(), testKey, &buf, client.DownloadOptions{}); err == nil {
		t.Fatal("want an error")
	}
	// The resume request's connection drops before a response: send retries
	// it twice (backoff 0.5s, 1s), then gives up.
	if got, want := s.got(), []time.Duration{500 * time.Millisecond, time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if n := len(f.requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
}

// TestDownload_NotCompleted: content asked for too early is the 409.
func TestDownload_NotCompleted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "4")
		graphError(w, 409, "notAllowed", client.InnerJobNotCompleted, "The export job has not completed yet.", "")
	})
	var s sleeper
	c := newClient(t, f, &s)
	path := filepath.Join(t.TempDir(), "out.csv")
	_, err := c.DownloadFile(context.Background(), testKey, path, client.DownloadOptions{})
	e, ok := client.AsError(err)
	if !ok || e.InnerCode != client.InnerJobNotCompleted || e.RetryAfter != 4*time.Second {
		t.Fatalf("err = %v", err)
	}
	onlyFile(t, filepath.Dir(path), "")
}
