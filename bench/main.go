// Command bench measures goalpost against baselines that need no goalpost at
// all, side by side in one run, and prints a table of the ratios the
// performance issue sets as targets (see docs/performance.md):
//
//  1. export throughput on SQLite against `sqlite3 -csv` dumping a flat table
//     of the same CSV rows;
//  2. export throughput on PostgreSQL against psql's \copy of the same rows;
//  3. the server's peak RSS during the big export, and at a tenth of the
//     items, to show it does not grow with them;
//  4. poll throughput at 64 connections against a bare net/http handler
//     that returns the same bytes;
//  5. create-to-succeeded latency of a 50-item view on both stores.
//
// It builds the goalpost binary, runs it as a real server on the loopback,
// and drives it over HTTP. Every scenario is bounded in time.
//
//	go run ./bench                 # 1,000,000 items (a few minutes per store to seed)
//	go run ./bench -items 100000   # a quicker run
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// config is what the flags set.
type config struct {
	items       int
	pgURL       string
	skipPG      bool
	skipSQLite  bool
	pollTime    time.Duration
	pollConns   int
	ttfbRuns    int
	exportLimit time.Duration
	keep        bool
	work        string
	markdown    bool
}

func main() {
	var c config
	flag.IntVar(&c.items, "items", 1_000_000, "items of the big seeded view (the memory check also seeds a tenth of them)")
	flag.StringVar(&c.pgURL, "pg", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"PostgreSQL server; the run creates a database of its own there and drops it after")
	flag.BoolVar(&c.skipPG, "skip-pg", false, "skip the PostgreSQL scenarios")
	flag.BoolVar(&c.skipSQLite, "skip-sqlite", false, "skip the SQLite scenarios")
	flag.DurationVar(&c.pollTime, "poll-duration", 10*time.Second, "how long each side of the poll scenario runs")
	flag.IntVar(&c.pollConns, "poll-conns", 64, "concurrent connections of the poll scenario")
	flag.IntVar(&c.ttfbRuns, "ttfb-runs", 21, "exports of the 50-item view per store")
	flag.DurationVar(&c.exportLimit, "export-timeout", 20*time.Minute, "bound on one big export (and on one seed)")
	flag.BoolVar(&c.keep, "keep", false, "keep the work directory")
	flag.StringVar(&c.work, "work", "", "work directory (default: a fresh temporary one)")
	flag.BoolVar(&c.markdown, "markdown", false, "print the table as Markdown")
	flag.Parse()
	log.SetFlags(log.Ltime)
	log.SetPrefix("bench: ")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := run(ctx, c)
	if len(res) > 0 {
		fmt.Println()
		printTable(os.Stdout, res, c.markdown)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// env is a run's shared state.
type env struct {
	cfg  config
	work string
	bin  string
}

func run(ctx context.Context, c config) ([]result, error) {
	if c.items < 10 {
		return nil, fmt.Errorf("-items must be at least 10")
	}
	if err := ensureTools(ctx, !c.skipSQLite, !c.skipPG); err != nil {
		return nil, err
	}
	work := c.work
	if work == "" {
		d, err := os.MkdirTemp("", "goalpost-bench-")
		if err != nil {
			return nil, err
		}
		work = d
	}
	if !c.keep {
		defer os.RemoveAll(work)
	}
	e := &env{cfg: c, work: work, bin: filepath.Join(work, "goalpost")}
	log.Printf("building goalpost into %s (%s, %d CPUs)", e.bin, runtime.Version(), runtime.NumCPU())
	build := exec.CommandContext(ctx, "go", "build", "-o", e.bin, "./cmd/goalpost")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("go build: %w", err)
	}

	var res []result
	var firstErr error
	note := func(err error) {
		if err != nil {
			log.Printf("error: %v", err)
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	if !c.skipSQLite {
		r, err := e.storeScenarios(ctx, sqliteBackend{})
		res = append(res, r...)
		note(err)
	}
	if !c.skipPG && ctx.Err() == nil {
		pg, err := newPGBackend(ctx, c.pgURL)
		if err != nil {
			note(err)
		} else {
			r, err := e.storeScenarios(ctx, pg)
			res = append(res, r...)
			note(err)
			note(pg.drop(context.WithoutCancel(ctx)))
		}
	}
	return res, firstErr
}

// ensureTools installs sqlite3 and psql from Debian's packages when missing.
func ensureTools(ctx context.Context, sqlite, pg bool) error {
	need := map[string]string{}
	if sqlite {
		need["sqlite3"] = "sqlite3"
	}
	if pg {
		need["psql"] = "postgresql-client"
	}
	var pkgs []string
	for tool, pkg := range need {
		if _, err := exec.LookPath(tool); err != nil {
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) == 0 {
		return nil
	}
	log.Printf("installing %s with apt-get", strings.Join(pkgs, " "))
	sudo := []string{}
	if os.Geteuid() != 0 {
		sudo = []string{"sudo"}
	}
	for _, args := range [][]string{{"apt-get", "update"}, append([]string{"apt-get", "install", "-y"}, pkgs...)} {
		cmd := exec.CommandContext(ctx, append(sudo, args...)[0], append(sudo, args...)[1:]...)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", strings.Join(args, " "), err)
		}
	}
	return nil
}
