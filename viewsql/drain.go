package viewsql

import "github.com/goalpost/goalpost"

// TakesRendered reports whether sink takes rows as kept renderings
// (goalpost.RenderedSink).
func TakesRendered(sink goalpost.ExportSink) bool {
	rs, ok := sink.(goalpost.RenderedSink)
	return ok && rs.TakesRendered()
}

// Drain returns the drain of an export's rowpipe: for each slot of a batch,
// row completes the slot's row (on the sink's goroutine) and Drain passes it
// to sink, adding one to *n per row sink took.
func Drain[S any](sink goalpost.ExportSink, n *int64, row func(*S) (*goalpost.ExportRow, error)) func([]S) error {
	return func(batch []S) error {
		for i := range batch {
			r, err := row(&batch[i])
			if err != nil {
				return err
			}
			if err := sink.Row(r); err != nil {
				return err
			}
			*n++
		}
		return nil
	}
}
