package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// backend is a store the scenarios run on, and its dump baseline.
type backend interface {
	name() string
	baselineName() string
	// dataArgs are the goalpost flags that open the data set called set,
	// created empty on first use.
	dataArgs(ctx context.Context, e *env, set string) ([]string, error)
	// baseline loads the CSV at path into a flat table of the store's own
	// command-line client and returns how long that client takes to dump
	// the table as CSV (the median of three runs) and the dump's bytes.
	baseline(ctx context.Context, e *env, path string, columns int) (time.Duration, int64, error)
}

// Targets of the issue.
const (
	exportTarget, exportStretch = 2.0, 1.5
	rssLimit                    = 128 << 20
	pollTarget, pollStretch     = 0.5, 0.7
	ttfbTarget                  = 100 * time.Millisecond
	smallItems                  = 50
)

// storeScenarios runs every scenario of one store: the big export and its
// baseline, the memory check, the poll load and the small-view latency.
func (e *env) storeScenarios(ctx context.Context, b backend) ([]result, error) {
	var res []result
	n := e.cfg.items
	log.Printf("%s: seeding %d items", b.name(), n)
	bigArgs, err := b.dataArgs(ctx, e, "big")
	if err != nil {
		return nil, err
	}
	seedTime, err := e.seed(ctx, bigArgs, n)
	if err != nil {
		return nil, err
	}
	log.Printf("%s: seeded in %s", b.name(), fmtDur(seedTime))

	srv, err := e.start(ctx, bigArgs)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	log.Printf("%s: exporting %d items", b.name(), n)
	xctx, cancel := context.WithTimeout(ctx, e.cfg.exportLimit)
	id, took, err := srv.export(xctx, 50*time.Millisecond)
	cancel()
	if err != nil {
		return nil, err
	}
	bigRSS, err := srv.peakRSS()
	if err != nil {
		return nil, err
	}
	csvPath := filepath.Join(e.work, b.name()+"-export.csv")
	size, err := srv.download(ctx, id, csvPath)
	if err != nil {
		return nil, err
	}
	rows, cols, err := csvShape(csvPath)
	if err != nil {
		return nil, err
	}
	log.Printf("%s: exported %d rows, %d columns, %d bytes in %s (%.0f rows/s)",
		b.name(), rows, cols, size, fmtDur(took), float64(rows)/took.Seconds())

	log.Printf("%s: baseline dump", b.name())
	base, baseSize, err := b.baseline(ctx, e, csvPath, cols)
	if err != nil {
		return nil, err
	}
	log.Printf("%s: baseline dumped %d bytes in %s", b.name(), baseSize, fmtDur(base))
	ratio := took.Seconds() / base.Seconds()
	res = append(res, result{
		scenario: fmt.Sprintf("export %s, %d items", b.name(), n),
		goalpost: fmt.Sprintf("%s (%.0f rows/s)", fmtDur(took), float64(rows)/took.Seconds()),
		baseline: fmt.Sprintf("%s (%s)", fmtDur(base), b.baselineName()),
		ratio:    fmt.Sprintf("%.1f×", ratio),
		target:   fmt.Sprintf("≤ %.1f× (stretch %.1f×)", exportTarget, exportStretch),
		met:      metLabel(ratio <= exportTarget, ratio <= exportStretch),
	})

	// Polls of the finished job, against a bare handler that returns the
	// same bytes.
	pollRes, err := e.poll(ctx, srv, id)
	if err != nil {
		return res, err
	}
	srv.stop()
	res = append(res, pollRes)

	// Memory at a tenth of the items, in a fresh server.
	tenth := n / 10
	log.Printf("%s: seeding %d items for the memory comparison", b.name(), tenth)
	tenthArgs, err := b.dataArgs(ctx, e, "tenth")
	if err != nil {
		return res, err
	}
	if _, err := e.seed(ctx, tenthArgs, tenth); err != nil {
		return res, err
	}
	srv2, err := e.start(ctx, tenthArgs)
	if err != nil {
		return res, err
	}
	xctx, cancel = context.WithTimeout(ctx, e.cfg.exportLimit)
	_, tookTenth, err := srv2.export(xctx, 50*time.Millisecond)
	cancel()
	tenthRSS, rerr := srv2.peakRSS()
	srv2.stop()
	if err != nil {
		return res, err
	}
	if rerr != nil {
		return res, rerr
	}
	log.Printf("%s: exported %d items in %s", b.name(), tenth, fmtDur(tookTenth))
	res = append(res, result{
		scenario: fmt.Sprintf("peak RSS %s, %d items", b.name(), n),
		goalpost: fmtMiB(bigRSS),
		baseline: fmt.Sprintf("%s at %d items", fmtMiB(tenthRSS), tenth),
		ratio:    fmt.Sprintf("%.2f×", float64(bigRSS)/float64(tenthRSS)),
		target:   "< 128 MiB, flat in N",
		met:      rssLabel(bigRSS, tenthRSS),
	})

	// Create to succeeded for a 50-item view.
	ttfb, err := e.ttfb(ctx, b)
	if err != nil {
		return res, err
	}
	return append(res, ttfb), nil
}

// poll loads GET exportJobs/{id} from e.cfg.pollConns connections, and a
// bare handler with the same answer, one after the other.
func (e *env) poll(ctx context.Context, srv *server, id string) (result, error) {
	resp, body, err := srv.do(ctx, http.MethodGet, exportJobsPath+"/"+id, "")
	if err != nil {
		return result{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return result{}, fmt.Errorf("poll: %s: %s", resp.Status, body)
	}
	bareHeader := http.Header{"Content-Type": resp.Header.Values("Content-Type")}
	bareURL, stopBare, err := bareServer(bareHeader, body)
	if err != nil {
		return result{}, err
	}
	defer stopBare()

	log.Printf("poll: bare handler, %d connections for %s", e.cfg.pollConns, e.cfg.pollTime)
	bare, err := load(ctx, bareURL, http.Header{}, e.cfg.pollConns, e.cfg.pollTime)
	if err != nil {
		return result{}, err
	}
	log.Printf("poll: bare handler %s", bare)
	log.Printf("poll: goalpost, %d connections for %s", e.cfg.pollConns, e.cfg.pollTime)
	gp, err := load(ctx, srv.base+exportJobsPath+"/"+id, http.Header{"Authorization": {"Bearer " + srv.token}},
		e.cfg.pollConns, e.cfg.pollTime)
	if err != nil {
		return result{}, err
	}
	log.Printf("poll: goalpost %s", gp)
	ratio := gp.rps() / bare.rps()
	return result{
		scenario: fmt.Sprintf("poll GET exportJobs/{id}, %d conns", e.cfg.pollConns),
		goalpost: gp.String(),
		baseline: bare.String() + " (bare net/http)",
		ratio:    fmt.Sprintf("%.0f %%", ratio*100),
		target:   fmt.Sprintf("≥ %.0f %% (stretch %.0f %%)", pollTarget*100, pollStretch*100),
		met:      metLabel(ratio >= pollTarget, ratio >= pollStretch),
	}, nil
}

// ttfb exports a 50-item view e.cfg.ttfbRuns times in a fresh server and
// reports the median time from create to succeeded.
func (e *env) ttfb(ctx context.Context, b backend) (result, error) {
	args, err := b.dataArgs(ctx, e, "small")
	if err != nil {
		return result{}, err
	}
	if _, err := e.seed(ctx, args, smallItems); err != nil {
		return result{}, err
	}
	srv, err := e.start(ctx, args)
	if err != nil {
		return result{}, err
	}
	defer srv.stop()
	var times []time.Duration
	for range e.cfg.ttfbRuns {
		xctx, cancel := context.WithTimeout(ctx, time.Minute)
		_, took, err := srv.export(xctx, 2*time.Millisecond)
		cancel()
		if err != nil {
			return result{}, err
		}
		times = append(times, took)
	}
	slices.Sort(times)
	med := times[len(times)/2]
	log.Printf("%s: %d-item view, create to succeeded: median %s, min %s, max %s",
		b.name(), smallItems, fmtDur(med), fmtDur(times[0]), fmtDur(times[len(times)-1]))
	return result{
		scenario: fmt.Sprintf("create→succeeded %s, %d items", b.name(), smallItems),
		goalpost: fmt.Sprintf("median %s (max %s, %d runs)", fmtDur(med), fmtDur(times[len(times)-1]), len(times)),
		baseline: "—",
		ratio:    "—",
		target:   "median < 100 ms",
		met:      metLabel(med < ttfbTarget, false),
	}, nil
}

// csvShape returns the data rows (records after the header) and the columns
// of the CSV at path.
func csvShape(path string) (rows, cols int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return 0, 0, fmt.Errorf("read %s: %w", path, err)
	}
	cols = len(head)
	for {
		_, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return 0, 0, fmt.Errorf("read %s: %w", path, err)
		}
		rows++
	}
	return rows, cols, nil
}

// rssLabel says whether the peak RSS stayed under the limit and, since
// the target also asks that it not grow with the items, whether it grew by
// more than a tenth from a tenth of the items.
func rssLabel(big, tenth int64) string {
	switch {
	case big >= rssLimit:
		return "NOT MET"
	case float64(big) > 1.1*float64(tenth):
		return "under 128 MiB, NOT flat"
	}
	return "met"
}

func metLabel(met, stretch bool) string {
	switch {
	case stretch:
		return "met (stretch too)"
	case met:
		return "met"
	}
	return "NOT MET"
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func fmtMiB(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
