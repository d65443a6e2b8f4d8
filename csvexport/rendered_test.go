package csvexport_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/goalpost/goalpost"
	"github.com/goalpost/goalpost/csvexport"
)

// renderedRows returns rows as a store passes kept renderings: ID, Depth,
// Kind and Rendered only.
func renderedRows(rows []*goalpost.ExportRow) []*goalpost.ExportRow {
	out := make([]*goalpost.ExportRow, len(rows))
	for i, r := range rows {
		out[i] = &goalpost.ExportRow{ID: r.ID, Depth: r.Depth, Kind: r.Kind, Rendered: csvexport.AppendRendered(nil, r)}
	}
	return out
}

// TestRendered: every golden export is the same byte for byte when its rows
// come as renderings, whatever the columns, terminology and tag mode.
func TestRendered(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			want, _, rows := c.run(t)
			head := headerFor
			if c.head != nil {
				head = c.head
			}
			got, _ := export(t, c.term, c.set, head(rows), renderedRows(rows))
			if !bytes.Equal(got, want) {
				t.Errorf("from renderings:\n%s\nfrom fields:\n%s", got, want)
			}
		})
	}
}

// TestRendered_LongCells: cells whose length takes one, two and three bytes
// to encode, and tags with a lone carriage return in their own columns.
func TestRendered_LongCells(t *testing.T) {
	rows := fixtureRows()
	rows[0].Description = strings.Repeat("é", 64)                   // 128 bytes
	rows[1].Description = strings.Repeat("long, \"quoted\" ", 2000) // over 16 KiB
	rows[2].Title = strings.Repeat("x", 127)
	rows[2].Tags = []string{"old\rmac", "growth"}
	for _, set := range []goalpost.ExportSettings{{}, {Tags: goalpost.TagsPerColumn}, {Tags: goalpost.TagsOneColumn}} {
		want, _ := export(t, goalpost.DefaultTerminology, set, headerFor(rows), rows)
		got, _ := export(t, goalpost.DefaultTerminology, set, headerFor(rows), renderedRows(rows))
		if !bytes.Equal(got, want) {
			t.Errorf("%+v: from renderings:\n%q\nfrom fields:\n%q", set, got, want)
		}
		if !bytes.Contains(want, []byte("old\r\nmac")) && set.Tags == goalpost.TagsPerColumn {
			t.Errorf("%+v: the tag's lone carriage return is not a line break", set)
		}
	}
}

// TestRendered_Malformed: a rendering of another version, or cut short, or
// with bytes left over, is an error, never a record.
func TestRendered_Malformed(t *testing.T) {
	r := fixtureRows()[0]
	good := csvexport.AppendRendered(nil, r)
	otherVersion := append([]byte{good[0] + 1}, good[1:]...)
	for name, b := range map[string][]byte{
		"empty":         {},
		"other version": otherVersion,
		"cut short":     good[:len(good)-3],
		"version only":  good[:1],
		"left over":     append(append([]byte(nil), good...), 'x'),
		"huge length":   append(append([]byte(nil), good[0]), 0xff, 0xff, 0xff, 0xff, 0x0f),
	} {
		w, err := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(goalpost.ExportHeader{MaxCheckIns: 3, Tags: r.Tags}); err != nil {
			t.Fatal(err)
		}
		if err := w.Row(&goalpost.ExportRow{ID: r.ID, Kind: r.Kind, Rendered: b}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func BenchmarkRowRendered(b *testing.B) {
	rows := renderedRows(fixtureRows())
	w, err := csvexport.New(io.Discard, goalpost.DefaultTerminology, goalpost.ExportSettings{Tags: goalpost.TagsOneColumn})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Begin(headerFor(fixtureRows())); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := w.Row(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkAppendRendered(b *testing.B) {
	rows := fixtureRows()
	var buf []byte
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		buf = csvexport.AppendRendered(buf[:0], rows[i%len(rows)])
		i++
	}
}
