package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// result is one row of the table.
type result struct {
	scenario, goalpost, baseline, ratio, target, met string
}

var tableHeader = result{"scenario", "goalpost", "baseline", "ratio", "target", "met"}

func (r result) cells() []string {
	return []string{r.scenario, r.goalpost, r.baseline, r.ratio, r.target, r.met}
}

// printTable writes the results as an aligned text table, or as Markdown.
func printTable(w io.Writer, res []result, markdown bool) {
	if markdown {
		fmt.Fprintf(w, "| %s |\n", strings.Join(tableHeader.cells(), " | "))
		fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(tableHeader.cells())))
		for _, r := range res {
			fmt.Fprintf(w, "| %s |\n", strings.Join(r.cells(), " | "))
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range append([]result{tableHeader}, res...) {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t")+"\t")
	}
	tw.Flush()
}
