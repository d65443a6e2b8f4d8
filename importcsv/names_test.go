package importcsv

import (
	"testing"

	"github.com/goalpost/goalpost"
	"github.com/google/uuid"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Adele Vance", "adele.vance"},
		{"Zoë Ångström", "zoe.angstrom"},
		{"  O'Brien-Smith, Jr.  ", "o.brien.smith.jr"},
		{"Straße Æsir Œuvre", "strasse.aesir.oeuvre"},
		{"李雷", ""},
		{"Wei 李 Zhang", "wei.zhang"},
		{"R2-D2", "r2.d2"},
		{"", ""},
	} {
		if got := slug(tc.name); got != tc.want {
			t.Errorf("slug(%q): got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestUPNFor(t *testing.T) {
	org := uuid.MustParse("3d9a8150-90fd-42bd-9777-25ba783d4a05")
	user := uuid.MustParse("875f0824-fa8e-5415-83d1-401df5e393fc")
	for _, tc := range []struct {
		name   string
		withID bool
		want   string
	}{
		{"Megan Bowen", false, "megan.bowen.3d9a8150@imported.invalid"},
		{"Megan Bowen", true, "megan.bowen.875f0824.3d9a8150@imported.invalid"},
		{"李雷", false, "user.875f0824.3d9a8150@imported.invalid"},
	} {
		if got := upnFor(tc.name, user, org, tc.withID); got != tc.want {
			t.Errorf("upnFor(%q, %v): got %q, want %q", tc.name, tc.withID, got, tc.want)
		}
	}
}

func TestPeriodDates(t *testing.T) {
	for _, tc := range []struct{ name, start, end string }{
		{"Q1 2025", "2025-01-01", "2025-03-31"},
		{"Q2 2025", "2025-04-01", "2025-06-30"},
		{"Q3 2025", "2025-07-01", "2025-09-30"},
		{"q4 2024", "2024-10-01", "2024-12-31"},
		{"H1 2024", "2024-01-01", "2024-06-30"},
		{"H2 2025", "2025-07-01", "2025-12-31"},
		{"2026", "2026-01-01", "2026-12-31"},
		{"FY 2025", "2025-01-01", "2025-12-31"},
		{"Annual 2025", "2025-01-01", "2025-12-31"},
		{"Sprint 14", "", ""},
		{"Q5 2025", "", ""},
		{"Q1  2025", "", ""},
		{"FY2025", "", ""},
	} {
		s, e, ok := periodDates(tc.name)
		if ok != (tc.start != "") {
			t.Errorf("periodDates(%q): ok %v", tc.name, ok)
			continue
		}
		if ok && (s != goalpost.MustParseDate(tc.start) || e != goalpost.MustParseDate(tc.end)) {
			t.Errorf("periodDates(%q): got %v..%v, want %s..%s", tc.name, s, e, tc.start, tc.end)
		}
	}
}

func TestParseAligned(t *testing.T) {
	for _, tc := range []struct {
		cell string
		want []goalpost.AlignedParent
		ok   bool
	}{
		{"", nil, true},
		{"A(weight: 14.29%, Id: 2295776)", []goalpost.AlignedParent{{ID: 2295776, Title: "A", Weight: 14.29}}, true},
		{"A / B(weight: 50%, Id: 1) / C (x)(weight: 50%, Id: 2)", []goalpost.AlignedParent{{ID: 1, Title: "A / B", Weight: 50}, {ID: 2, Title: "C (x)", Weight: 50}}, true},
		{"(weight: 0%, Id: 3)", []goalpost.AlignedParent{{ID: 3, Weight: 0}}, true},
		{"A(weight: 50%, Id: 1)B", nil, false},
		{"A(weight: 50%, Id: 0)", nil, false},
		{"A(weight: x%, Id: 1)", nil, false},
		{"A", nil, false},
	} {
		got, ok := parseAligned(tc.cell)
		if ok != tc.ok || len(got) != len(tc.want) {
			t.Errorf("parseAligned(%q): got %+v, %v", tc.cell, got, ok)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("parseAligned(%q)[%d]: got %+v, want %+v", tc.cell, i, got[i], tc.want[i])
			}
		}
	}
}

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0", 0, true}, {"14.29", 14.29, true}, {"-2.5", -2.5, true}, {"1500000", 1500000, true},
		{"+3", 3, true}, {".5", 0.5, true}, {"5.", 5, true}, {"1e3", 1000, true},
		{"", 0, false}, {"1,5", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"1e999", 0, false},
		{"0x10", 0, false}, {"1_000", 0, false}, {"5%", 0, false}, {" 5", 0, false}, {"-", 0, false}, {"1e", 0, false},
	} {
		got, ok := parseNumber(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseNumber(%q): got %v, %v, want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
