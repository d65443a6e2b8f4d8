package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/goalpost/goalpost/client"
)

// Exit codes of the client commands (export, jobs). main exits with the code
// an error carries (see exitError); usage errors exit 2 there already.
const (
	exitOK        = 0
	exitFailure   = 1 // any other error: network, server, a download that does not verify
	exitUsage     = 2 // bad flags or arguments, or a 400 from the server (a malformed key, say)
	exitJobFailed = 3 // the export job failed
	exitAuth      = 4 // 401 or 403: missing, invalid or expired token, or a missing scope
	exitNotFound  = 5 // 404: no such job (or expired), organization or view
	exitTimeout   = 6 // --timeout passed, or (--job without --wait) the job is not finished yet
)

const exitCodesHelp = `
Exit codes:
  0  success
  1  any other error (network, server, a download that does not match its ETag)
  2  usage: bad flags or arguments, or the server's 400 (e.g. "Invalid JobKey specified")
  3  the export job failed (its statusDetail is printed)
  4  authentication or authorization: no, invalid or expired token, or a missing scope (401, 403)
  5  not found: no such job (or it expired), organization or view (404)
  6  timeout: --timeout passed; or, with --job and without --wait, the job is not finished yet
`

// exitError is an error with the process exit code it stands for.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// ExitCode is what main exits with.
func (e *exitError) ExitCode() int { return e.code }

// jobFailedError is an export job that ended failed.
type jobFailedError struct {
	key, detail string
}

func (e *jobFailedError) Error() string {
	if e.detail == "" {
		return "export job " + e.key + " failed"
	}
	return "export job " + e.key + " failed: " + e.detail
}

// classify gives a client command's error its exit code.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ue usageError
	var jf *jobFailedError
	var ee *exitError
	switch {
	case errors.As(err, &ee), errors.As(err, &ue), errors.Is(err, flag.ErrHelp):
		return err
	case errors.As(err, &jf):
		return &exitError{exitJobFailed, err}
	case errors.Is(err, context.DeadlineExceeded):
		return &exitError{exitTimeout, err}
	}
	if e, ok := client.AsError(err); ok {
		switch {
		case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
			return &exitError{exitAuth, fmt.Errorf("%w (check --token or GOALPOST_TOKEN and its scopes)", err)}
		case e.StatusCode == http.StatusBadRequest:
			return &exitError{exitUsage, err}
		case e.StatusCode == http.StatusNotFound:
			return &exitError{exitNotFound, err}
		case e.StatusCode == http.StatusConflict && e.InnerCode == client.InnerJobFailed:
			return &exitError{exitJobFailed, err}
		}
	}
	return &exitError{exitFailure, err}
}

// clientFlags are the flags every client command shares.
type clientFlags struct {
	baseURL string
	token   string
}

func (f *clientFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.baseURL, "base-url", "http://127.0.0.1:8080/beta", "the API's version root; https://graph.microsoft.com/beta works too")
	fs.StringVar(&f.token, "token", "", "bearer token (goalpost token mints one); required")
}

// cli is what a client command reads and writes; tests replace its parts.
type cli struct {
	stdout, stderr io.Writer
	// terminal reports whether stderr is a terminal (progress is drawn only
	// then).
	terminal bool
	now      func() time.Time
	// configure, when set, adjusts the client's configuration (tests inject
	// a clock and a sleeper).
	configure func(*client.Config)
}

func newCLI(stdout, stderr io.Writer) *cli {
	return &cli{stdout: stdout, stderr: stderr, terminal: isTerminal(stderr), now: time.Now}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// newClient validates the shared flags and returns a client.
func (x *cli) newClient(f clientFlags) (*client.Client, error) {
	if f.token == "" {
		return nil, usageError{"a token is required: pass --token or set GOALPOST_TOKEN"}
	}
	cfg := client.Config{BaseURL: f.baseURL, Token: f.token, UserAgent: "goalpost/" + version}
	if x.configure != nil {
		x.configure(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		return nil, usageError{"--base-url: " + err.Error()}
	}
	return c, nil
}

const exportHelp = `
goalpost export creates an export job, waits for it and downloads its CSV,
from goalpost or from Microsoft Graph (--base-url https://graph.microsoft.com/beta).

  goalpost export --org ORG --view VIEW
      create the job (or, when one is already pending for that view, attach
      to it) and print its key on stdout
  goalpost export --org ORG --view VIEW --wait [-o FILE]
      create (or attach), wait for the job, then download it to FILE or stdout
  goalpost export --job KEY [--wait] [-o FILE]
      download an existing job; with --wait, wait for it first

Waiting polls at the server's Retry-After. A dropped download resumes with a
Range request; the result is checked against the ETag (goalpost's is the
SHA-256), and -o FILE is written to a temporary file renamed into place only
when complete. Progress is drawn on stderr when it is a terminal, unless
--quiet.
`

// exportFlags are the flags of `goalpost export`.
type exportFlags struct {
	clientFlags
	org, view string
	job       string
	out       string
	wait      bool
	timeout   time.Duration
	quiet     bool
}

func (f *exportFlags) register(fs *flag.FlagSet) {
	f.clientFlags.register(fs)
	fs.StringVar(&f.org, "org", "", "goals organization id (GUID) to export from")
	fs.StringVar(&f.view, "view", "", "explorer view id (GUID) to export")
	fs.StringVar(&f.job, "job", "", "key of an existing job to wait for or download, instead of --org and --view")
	fs.StringVar(&f.out, "o", "", "write the CSV to this file (atomically); empty means stdout")
	fs.BoolVar(&f.wait, "wait", false, "wait for the job to finish, then download it")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Minute, "give up (exit 6) after this long, waiting and downloading included; 0 means never")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing on stderr but errors")
}

func (f *exportFlags) validate() error {
	switch {
	case f.job != "" && (f.org != "" || f.view != ""):
		return usageError{"--job cannot be combined with --org or --view"}
	case f.job == "" && (f.org == "" || f.view == ""):
		return usageError{"--org and --view are required (or --job KEY)"}
	case f.job == "" && !f.wait && f.out != "":
		return usageError{"-o needs --wait: without it, export only creates the job and prints its key"}
	case f.timeout < 0:
		return usageError{"--timeout must not be negative"}
	}
	for _, g := range []struct{ flag, v string }{{"--org", f.org}, {"--view", f.view}} {
		if g.v == "" {
			continue
		}
		if _, err := uuid.Parse(g.v); err != nil || len(g.v) != 36 {
			return usageError{fmt.Sprintf("%s %q is not a GUID", g.flag, g.v)}
		}
	}
	return nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return newCLI(stdout, stderr).export(ctx, args)
}

// export is `goalpost export`.
func (x *cli) export(ctx context.Context, args []string) error {
	var f exportFlags
	fs := newFlagSet("export", x.stderr)
	f.register(fs)
	flagsUsage := fs.Usage
	fs.Usage = func() {
		flagsUsage()
		fmt.Fprint(x.stderr, exportHelp, exitCodesHelp)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return err
	}
	c, err := x.newClient(f.clientFlags)
	if err != nil {
		return err
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	p := &progress{w: x.stderr, on: x.terminal && !f.quiet, quiet: f.quiet, now: x.now, start: x.now()}
	defer p.finish()
	err = x.exportJob(ctx, c, &f, p)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		err = fmt.Errorf("timed out after %v: %w", f.timeout, err)
	}
	return classify(err)
}

func (x *cli) exportJob(ctx context.Context, c *client.Client, f *exportFlags, p *progress) error {
	key := f.job
	if key == "" {
		job, err := c.Create(ctx, f.org, f.view)
		switch pending, ok := client.PendingJob(err); {
		case err == nil:
			key = job.ID
			p.info("created export job " + key)
		case ok:
			key = pending
			p.info("an export of this view is already pending; attached to job " + key)
		default:
			return err
		}
		if !f.wait {
			_, err := fmt.Fprintln(x.stdout, key)
			return err
		}
	}

	var job *client.ExportJob
	var err error
	if f.wait {
		stop := p.tick()
		job, err = c.Wait(ctx, key, func(j *client.ExportJob) { p.waiting(key, j.Status) })
		stop()
		if err != nil {
			if job != nil && errors.Is(err, context.DeadlineExceeded) {
				return &exitError{exitTimeout, fmt.Errorf("timed out after %v: export job %s is still %s", f.timeout, key, job.Status)}
			}
			return err
		}
	} else if job, err = c.Get(ctx, key); err != nil {
		return err
	}
	switch job.Status {
	case client.StatusSucceeded:
	case client.StatusFailed:
		return &jobFailedError{key: key, detail: job.StatusDetail}
	default:
		return &exitError{exitTimeout, fmt.Errorf("export job %s is %s, not finished yet; use --wait to wait for it", key, job.Status)}
	}

	opt := client.DownloadOptions{Progress: p.downloading}
	var info *client.Content
	if f.out != "" {
		info, err = c.DownloadFile(ctx, key, f.out, opt)
	} else {
		info, err = c.Download(ctx, key, x.stdout, opt)
	}
	if err != nil {
		return err
	}
	p.finish()
	dest := "stdout"
	if f.out != "" {
		dest = f.out
	}
	check := "SHA-256 verified against the ETag"
	if !info.Verified {
		check = "not verified: the ETag is not a SHA-256"
	}
	p.info(fmt.Sprintf("wrote %s (%d bytes) to %s (%s)", formatBytes(info.Size), info.Size, dest, check))
	return nil
}

// progress draws one updating status line on a terminal ("\r", no newline
// until the end) and prints informational lines unless quiet.
type progress struct {
	w     io.Writer
	on    bool // draw the status line
	quiet bool // no informational lines either
	now   func() time.Time
	start time.Time

	mu        sync.Mutex
	width     int    // length of the line on screen; 0 when none
	key       string // the job waited for
	status    client.Status
	dlStart   time.Time
	lastDraw  time.Time
	lastBytes int64
}

// minRedraw throttles download progress.
const minRedraw = 100 * time.Millisecond

// draw replaces the status line with s.
func (p *progress) draw(s string) {
	pad := ""
	if n := p.width - len(s); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprint(p.w, "\r"+s+pad)
	p.width = len(s)
	p.lastDraw = p.now()
}

// waiting shows the job's status and the time since the command started.
func (p *progress) waiting(key string, st client.Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.key, p.status = key, st
	if p.on {
		p.drawWaiting()
	}
}

func (p *progress) drawWaiting() {
	p.draw(fmt.Sprintf("export job %s: %s, %v", p.key, p.status, p.now().Sub(p.start).Round(time.Second)))
}

// tick redraws the waiting line every second so that the elapsed time moves
// between polls; the returned func stops it.
func (p *progress) tick() (stop func()) {
	if !p.on {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.mu.Lock()
				if p.key != "" {
					p.drawWaiting()
				}
				p.mu.Unlock()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// downloading shows bytes received, the total when known, and the speed.
func (p *progress) downloading(n, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on {
		return
	}
	now := p.now()
	if p.dlStart.IsZero() {
		p.dlStart = now
	}
	if n != total && now.Sub(p.lastDraw) < minRedraw && p.width > 0 {
		return
	}
	s := "downloading " + formatBytes(n)
	if total > 0 {
		s += fmt.Sprintf(" of %s (%d%%)", formatBytes(total), n*100/total)
	}
	if el := now.Sub(p.dlStart); el > 0 {
		s += fmt.Sprintf(", %s/s", formatBytes(int64(float64(n)/el.Seconds())))
	}
	p.draw(s)
}

// finish ends the status line, if one is drawn.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.width > 0 {
		fmt.Fprintln(p.w)
		p.width = 0
	}
}

// info prints a line of its own, unless quiet.
func (p *progress) info(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quiet {
		return
	}
	if p.width > 0 {
		fmt.Fprintln(p.w)
		p.width = 0
	}
	fmt.Fprintln(p.w, msg)
}

// formatBytes is n in B, KiB, MiB or GiB with one decimal.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 2 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMG"[i])
}
