package main

import (
	"bytes"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// TestServe_S3Bucket runs exports into an S3-compatible object store (an
// in-process gofakes3 server on loopback) through gocloud's s3blob.
func TestServe_S3Bucket(t *testing.T) {
	mem := s3mem.New()
	s3 := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(s3.Close)
	if err := mem.CreateBucket("goalpost"); err != nil {
		t.Fatal(err)
	}
	q := url.Values{}
	q.Set("endpoint", s3.URL)
	q.Set("region", "us-east-1")
	q.Set("use_path_style", "true")
	q.Set("disable_https", "true")
	q.Set("request_checksum_calculation", "when_required")
	q.Set("response_checksum_validation", "when_required")
	blobURL := "s3://goalpost?" + q.Encode()
	env := []string{"AWS_ACCESS_KEY_ID=goalpost-test", "AWS_SECRET_ACCESS_KEY=goalpost-test-secret", "AWS_EC2_METADATA_DISABLED=true"}

	data := t.TempDir()
	p := startServeEnv(t, data, env, "--demo", "--workers", "1", "--blob", blobURL)
	base := "http://" + p.addr
	tok := mintToken(t, data, "adele@contoso.com", rw)
	key := createJob(t, base, tok, contosoOrg, contosoView)
	waitStatus(t, base, tok, key, "succeeded", 60*time.Second)
	got := download(t, base, tok, key)

	// The content is an object in the bucket, byte for byte.
	objs, err := mem.ListBucket("goalpost", &gofakes3.Prefix{}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs.Contents) != 1 || !strings.HasPrefix(objs.Contents[0].Key, "exports/") {
		t.Fatalf("bucket holds %+v, want one export", objs.Contents)
	}
	obj, err := mem.GetObject("goalpost", objs.Contents[0].Key, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Contents.Close()
	stored, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored, got) {
		t.Error("the object differs from the downloaded content")
	}
	// Range requests go through to the object store.
	res := callWith(t, "GET", base+jobsPath+"/"+key+"/content", tok, "", "Range", "bytes=0-1")
	if res.status != 206 || string(res.body) != "Id" {
		t.Errorf("range: %d %q", res.status, res.body)
	}
	p.stop(t)
}
