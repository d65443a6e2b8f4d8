package goalpost_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/goalpost/goalpost"
	"github.com/google/uuid"
)

func TestParseJobKey_ReferenceExample(t *testing.T) {
	// The key from the Graph reference page for polling an export job.
	const key = "j!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgU"
	k, err := goalpost.ParseJobKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k.OrgID.String(), "3d9a8150-90fd-42bd-9777-25ba783d4a05"; got != want {
		t.Errorf("org = %s, want %s", got, want)
	}
	if got, want := k.CreatedAt().Format("2006-01-02T15:04:05.000Z"), "2023-11-02T23:53:02.051Z"; got != want {
		t.Errorf("created = %s, want %s", got, want)
	}
	if got := k.JobID.Version(); got != 1 {
		t.Errorf("job GUID version = %d, want 1", got)
	}
	if got := k.String(); got != key {
		t.Errorf("re-encoded = %s, want %s", got, key)
	}
}

func TestJobKey_RoundTrip(t *testing.T) {
	org := uuid.MustParse("9ab0fcab-c1d4-4b26-963b-a3c33155f853")
	for _, ts := range []time.Time{
		time.Date(2026, 11, 29, 6, 13, 3, 123456700, time.UTC),
		time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2099, 12, 31, 23, 59, 59, 999000000, time.UTC),
	} {
		id, err := goalpost.NewJobID(ts, bytes.NewReader([]byte{1, 2, 3, 4, 5, 6, 7, 8}))
		if err != nil {
			t.Fatal(err)
		}
		if id.Version() != 1 || id.Variant() != uuid.RFC4122 {
			t.Fatalf("id %s: version %d variant %v", id, id.Version(), id.Variant())
		}
		k := goalpost.JobKey{JobID: id, OrgID: org}
		s := k.String()
		if len(s) != 45 {
			t.Fatalf("len(%q) = %d, want 45", s, len(s))
		}
		got, err := goalpost.ParseJobKey(s)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		if got != k {
			t.Errorf("round trip = %+v, want %+v", got, k)
		}
		if want := ts.Truncate(time.Millisecond); !got.CreatedAt().Equal(want) {
			t.Errorf("created = %v, want %v", got.CreatedAt(), want)
		}
	}
}

func TestParseJobKey_Invalid(t *testing.T) {
	for _, s := range []string{
		"",
		"j!",
		"kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgU",
		"j!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9Sg",   // too short
		"j!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgUA", // too long
		"J!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgU",  // prefix is case-sensitive
		"j!kmZP9dp57hGB+7KuYfi6DlCBmj39kL1Cl3clung9SgU",  // not base64url
		"j!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgV",  // non-zero padding bits
		"j%21kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgU",
	} {
		_, err := goalpost.ParseJobKey(s)
		if !errors.Is(err, goalpost.ErrInvalidJobKey) {
			t.Errorf("ParseJobKey(%q) = %v, want ErrInvalidJobKey", s, err)
		}
	}
}

func FuzzParseJobKey(f *testing.F) {
	f.Add("j!kmZP9dp57hGB_7KuYfi6DlCBmj39kL1Cl3clung9SgU")
	f.Add("j!")
	f.Add("j!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := goalpost.ParseJobKey(s)
		if err != nil {
			if !errors.Is(err, goalpost.ErrInvalidJobKey) || goalpost.ErrorCode(err) != goalpost.EINVALID {
				t.Fatalf("error for %q is %v, want the 400 ErrInvalidJobKey", s, err)
			}
			return
		}
		// Every accepted key is canonical: it re-encodes to itself.
		if got := k.String(); got != s {
			t.Fatalf("accepted %q but it re-encodes to %q", s, got)
		}
	})
}
