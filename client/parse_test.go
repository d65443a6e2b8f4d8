package client

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 12 ", 12 * time.Second, true},
		{"99999999999999999999", maxSeconds * time.Second, true}, // saturates instead of overflowing
		{"-1", 0, false},
		{"1.5", 0, false},
		{"Wed, 04 Mar 2026 05:06:37 GMT", 30 * time.Second, true},
		{"Wednesday, 04-Mar-26 05:06:10 GMT", 3 * time.Second, true}, // RFC 850
		{"Wed, 04 Mar 2026 04:00:00 GMT", 0, true},                   // in the past
		{"tomorrow", 0, false},
	} {
		got, ok := parseRetryAfter(tt.in, now)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseContentRange(t *testing.T) {
	for _, tt := range []struct {
		in           string
		start, total int64
		ok           bool
	}{
		{"bytes 100-199/200", 100, 200, true},
		{"bytes 0-0/*", 0, -1, true},
		{"bytes */200", 0, 0, false},
		{"items 1-2/3", 0, 0, false},
		{"bytes 5-9", 0, 0, false},
		{"", 0, 0, false},
	} {
		start, total, ok := parseContentRange(tt.in)
		if ok != tt.ok || (ok && (start != tt.start || total != tt.total)) {
			t.Errorf("parseContentRange(%q) = %d, %d, %v", tt.in, start, total, ok)
		}
	}
}

func TestSHA256ETag(t *testing.T) {
	hex64 := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for in, want := range map[string]string{
		`"` + hex64 + `"`: hex64,
		`"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"`: hex64,
		`W/"` + hex64 + `"`:     "",
		hex64:                   "",
		`"0x8DBDB8A2C7C1F4E"`:   "",
		`"` + hex64[:63] + `g"`: "",
	} {
		got, ok := sha256ETag(in)
		if got != want || ok != (want != "") {
			t.Errorf("sha256ETag(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestSleep_StopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep on a cancelled context = %v", err)
	}
	if err := sleep(context.Background(), 0); err != nil {
		t.Errorf("sleep(0) = %v", err)
	}
}

func TestNewGUID(t *testing.T) {
	g := newGUID()
	if len(g) != 36 || g[8] != '-' || g[14] != '4' || g == newGUID() {
		t.Errorf("newGUID() = %q", g)
	}
}
