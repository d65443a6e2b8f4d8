package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The synthetic organization `goalpost seed` writes (demo.Synthetic).
const (
	northwindOrg   = "7b3e5c2a-1d4f-4e8b-9a6c-2f1e0d9c8b7a"
	northwindView  = "4a2b6c8d-0e1f-4a3b-8c5d-6e7f8091a2b3"
	northwindOwner = "olga@northwind.com"
	exportJobsPath = "/beta/employeeExperience/goals/exportJobs"
)

// seed writes Northwind with n items into the store that dataArgs name.
func (e *env) seed(ctx context.Context, dataArgs []string, n int) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.exportLimit)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, e.bin, append(append([]string{"seed"}, dataArgs...), "--items", strconv.Itoa(n))...)
	cmd.Env = cleanEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("seed %d items: %w\n%s", n, err, out)
	}
	return time.Since(start), nil
}

// token mints a token for Northwind's owner.
func (e *env) token(ctx context.Context, dataArgs []string) (string, error) {
	cmd := exec.CommandContext(ctx, e.bin, append(append([]string{"token"}, dataArgs...),
		"--user", northwindOwner, "--scopes", "Goals-Export.ReadWrite.All")...)
	cmd.Env = cleanEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("token: %w\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

// server is a running `goalpost serve`.
type server struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	token  string
	exited chan struct{}
	mu     sync.Mutex
	tail   []string // the last lines of its log
}

var listenRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// start runs `goalpost serve` on a free loopback port over the store that
// dataArgs name. Throttling is off: the poll scenario is one user polling
// as fast as 64 connections can.
func (e *env) start(ctx context.Context, dataArgs []string, extra ...string) (*server, error) {
	tok, err := e.token(ctx, dataArgs)
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--rate-limit", "0", "--data", e.work + "/serve-data"}, dataArgs...)
	args = append(args, extra...)
	cmd := exec.Command(e.bin, args...)
	cmd.Env = cleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, token: tok, exited: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.tail = append(s.tail, line)
			if len(s.tail) > 20 {
				s.tail = s.tail[1:]
			}
			s.mu.Unlock()
			if m := listenRE.FindStringSubmatch(line); m != nil {
				select {
				case listening <- m[1]:
				default:
				}
			}
		}
		_ = cmd.Wait()
		close(s.exited)
	}()
	select {
	case addr := <-listening:
		s.base = "http://" + addr
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("goalpost serve exited before listening:\n%s", s.log())
	case <-time.After(60 * time.Second):
		s.stop()
		return nil, fmt.Errorf("goalpost serve did not listen:\n%s", s.log())
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
}

func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.tail, "\n")
}

// stop sends SIGTERM, and SIGKILL when the server has not exited in 30 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// peakRSS is the server's peak resident set (VmHWM) in bytes.
func (s *server) peakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// do sends one request with the server's token.
func (s *server) do(ctx context.Context, method, path, body string) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// export creates an export job of Northwind's "Everything" view and polls it
// every interval until it has succeeded. It returns the job id and the time
// from the create request to the poll that saw "succeeded".
func (s *server) export(ctx context.Context, interval time.Duration) (string, time.Duration, error) {
	start := time.Now()
	resp, b, err := s.do(ctx, http.MethodPost, exportJobsPath,
		fmt.Sprintf(`{"goalsOrganizationId":%q,"explorerViewId":%q}`, northwindOrg, northwindView))
	if err != nil {
		return "", 0, fmt.Errorf("create export job: %w", err)
	}
	if resp.StatusCode != http.StatusCreated {
		return "", 0, fmt.Errorf("create export job: %s: %s", resp.Status, b)
	}
	var job struct{ ID, Status, StatusDetail string }
	if err := json.Unmarshal(b, &job); err != nil {
		return "", 0, fmt.Errorf("create export job: %w", err)
	}
	id := job.ID
	for {
		switch job.Status {
		case "succeeded":
			return id, time.Since(start), nil
		case "failed":
			return id, 0, fmt.Errorf("export job %s failed: %s", id, job.StatusDetail)
		}
		select {
		case <-ctx.Done():
			return id, 0, fmt.Errorf("export job %s still %s: %w", id, job.Status, ctx.Err())
		case <-s.exited:
			return id, 0, fmt.Errorf("server exited during export job %s:\n%s", id, s.log())
		case <-time.After(interval):
		}
		resp, b, err := s.do(ctx, http.MethodGet, exportJobsPath+"/"+id, "")
		if err != nil {
			return id, 0, fmt.Errorf("poll export job: %w", err)
		}
		if resp.StatusCode != http.StatusOK {
			return id, 0, fmt.Errorf("poll export job: %s: %s", resp.Status, b)
		}
		if err := json.Unmarshal(b, &job); err != nil {
			return id, 0, fmt.Errorf("poll export job: %w", err)
		}
	}
}

// download writes job id's content to path.
func (s *server) download(ctx context.Context, id, path string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+exportJobsPath+"/"+id+"/content", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return 0, fmt.Errorf("download: %s: %s", resp.Status, b)
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// cleanEnv is the environment without GOALPOST_* settings, so that the
// caller's shell cannot change what is measured.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOALPOST_") {
			env = append(env, kv)
		}
	}
	return env
}
