package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binPath is the goalpost binary these tests run as real processes.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "goalpost-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "goalpost")
	build := exec.Command("go", "build", "-o", binPath, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running `goalpost serve`.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	mu     sync.Mutex
	log    bytes.Buffer
	exited chan struct{}
	err    error
}

func (p *proc) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

var listenRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startServe starts `goalpost serve` on a free loopback port and waits for
// its "listening" log line.
func startServe(t *testing.T, data string, args ...string) *proc {
	t.Helper()
	return startServeEnv(t, data, nil, args...)
}

// startServeEnv is startServe with extra environment variables.
func startServeEnv(t *testing.T, data string, env []string, args ...string) *proc {
	t.Helper()
	// Tests poll as fast as they can; throttling is tested in httpapi.
	all := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--rate-limit", "0"}, args...)
	cmd := exec.Command(binPath, all...)
	cmd.Env = append(cleanEnv(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			if m := listenRE.FindStringSubmatch(line); m != nil {
				select {
				case listening <- m[1]:
				default:
				}
			}
		}
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("server log:\n%s", p.logText())
		}
	})
	select {
	case p.addr = <-listening:
	case <-p.exited:
		t.Fatalf("goalpost serve exited before listening: %v\n%s", p.err, p.logText())
	case <-time.After(60 * time.Second):
		t.Fatalf("goalpost serve did not listen\n%s", p.logText())
	}
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(60 * time.Second):
		t.Fatal("server did not stop after SIGTERM")
	}
	if p.err != nil {
		t.Fatalf("server exited with %v\n%s", p.err, p.logText())
	}
}

// cleanEnv is the test's environment without GOALPOST_* settings, so that
// a developer's shell cannot change what the tests run.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOALPOST_") {
			env = append(env, kv)
		}
	}
	return env
}

// goalpost runs a short command and returns its stdout.
func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = cleanEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("goalpost %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func mintToken(t *testing.T, data, upn, scopes string) string {
	t.Helper()
	return strings.TrimSpace(runCLI(t, "token", "--data", data, "--user", upn, "--scopes", scopes))
}

type httpResult struct {
	status int
	header http.Header
	body   []byte
}

func (r httpResult) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON: %s", r.body)
	}
	return m
}

func call(t *testing.T, method, url, token, body string) httpResult {
	t.Helper()
	return callWith(t, method, url, token, body)
}

// callWith is call with extra header name and value pairs after the body.
func callWith(t *testing.T, method, url, token, body string, header ...string) httpResult {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return httpResult{res.StatusCode, res.Header, b}
}

const jobsPath = "/beta/employeeExperience/goals/exportJobs"

// waitStatus polls a job, as a client would, until its status is want or
// the deadline passes. Polling is the only signal another process gives.
func waitStatus(t *testing.T, base, token, key, want string, within time.Duration) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var last map[string]any
	for {
		res := call(t, "GET", base+jobsPath+"/"+key, token, "")
		if res.status == 200 {
			last = res.json(t)
			if last["status"] == want {
				return last
			}
			if last["status"] == "failed" && want != "failed" {
				t.Fatalf("job failed: %v", last["statusDetail"])
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("job %s is %v after %v, want %s", key, last["status"], within, want)
		case <-tick.C:
		}
	}
}
