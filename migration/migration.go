// Package migration reads goalpost's embedded SQL migrations: files named
// NNNN_name.sql, applied in order. Each store keeps its own dialect's files
// under the same names; this package only reads and checks them.
package migration

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// File is one migration.
type File struct {
	Version int    // NNNN
	Name    string // NNNN_name, without .sql
	SQL     string
}

// Read returns the migrations in dir of fsys in order, and fails when their
// versions do not run 1, 2, 3, … without gaps, so a misnamed file fails
// every test of the store that embeds it.
func Read(fsys fs.FS, dir string) ([]File, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []File
	for _, name := range names { // fs.Glob returns names sorted
		base := strings.TrimSuffix(path.Base(name), ".sql")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 {
			return nil, fmt.Errorf("migration %s is not named NNNN_name.sql", name)
		}
		if v != len(ms)+1 {
			return nil, fmt.Errorf("migration %s: want version %d", name, len(ms)+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, File{Version: v, Name: base, SQL: string(b)})
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations in %s", dir)
	}
	return ms, nil
}

// MustRead is Read for embedded files, which are fixed at build time.
func MustRead(fsys fs.FS, dir string) []File {
	ms, err := Read(fsys, dir)
	if err != nil {
		panic(err)
	}
	return ms
}
