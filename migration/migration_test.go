package migration_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/goalpost/goalpost/migration"
)

func TestRead(t *testing.T) {
	ok := fstest.MapFS{
		"m/0002_more.sql": {Data: []byte("B")},
		"m/0001_init.sql": {Data: []byte("A")},
		"m/README":        {Data: []byte("ignored")},
	}
	ms, err := migration.Read(ok, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Name != "0001_init" || ms[0].SQL != "A" || ms[1].Version != 2 {
		t.Errorf("got %+v", ms)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"gap":       {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"bad name":  {"m/1_a.sql": {}},
		"no number": {"m/init.sql": {}},
		"empty":     {},
	} {
		if _, err := migration.Read(fsys, "m"); err == nil || !strings.Contains(err.Error(), "migration") {
			t.Errorf("%s: %v, want an error", name, err)
		}
	}
}
