package viewsql

import (
	"errors"
	"testing"

	"github.com/goalpost/goalpost"
)

// recordSink records the ids it takes and fails at failAt.
type recordSink struct {
	ids    []int64
	failAt int64
}

var errSink = errors.New("sink failed")

func (s *recordSink) Begin(goalpost.ExportHeader) error { return nil }
func (s *recordSink) Row(r *goalpost.ExportRow) error {
	if r.ID == s.failAt {
		return errSink
	}
	s.ids = append(s.ids, r.ID)
	return nil
}

func TestDrain(t *testing.T) {
	errRow := errors.New("bad row")
	slots := []goalpost.ExportRow{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 4}}
	row := func(r *goalpost.ExportRow) (*goalpost.ExportRow, error) {
		if r.ID == 40 {
			return nil, errRow
		}
		return r, nil
	}
	sink := &recordSink{failAt: -1}
	var n int64
	if err := Drain(sink, &n, row)(slots); err != nil {
		t.Fatal(err)
	}
	if n != 4 || len(sink.ids) != 4 || sink.ids[3] != 4 {
		t.Errorf("n = %d, sink took %v; want 4 rows in order", n, sink.ids)
	}

	sink, n = &recordSink{failAt: 3}, 0
	if err := Drain(sink, &n, row)(slots); !errors.Is(err, errSink) {
		t.Errorf("sink failure: err = %v", err)
	}
	if n != 2 {
		t.Errorf("after a sink failure at the third row n = %d, want 2", n)
	}

	sink, n = &recordSink{failAt: -1}, 0
	if err := Drain(sink, &n, row)([]goalpost.ExportRow{{ID: 1}, {ID: 40}, {ID: 2}}); !errors.Is(err, errRow) {
		t.Errorf("row failure: err = %v", err)
	}
	if n != 1 || len(sink.ids) != 1 {
		t.Errorf("after a row failure at the second row n = %d, sink took %v", n, sink.ids)
	}
}

func TestTakesRendered(t *testing.T) {
	if TakesRendered(&recordSink{}) {
		t.Error("a sink without TakesRendered takes renderings")
	}
	if !TakesRendered(renderedSink{true}) || TakesRendered(renderedSink{false}) {
		t.Error("TakesRendered does not ask the sink")
	}
}

type renderedSink struct{ takes bool }

func (renderedSink) Begin(goalpost.ExportHeader) error { return nil }
func (renderedSink) Row(*goalpost.ExportRow) error     { return nil }
func (s renderedSink) TakesRendered() bool             { return s.takes }
