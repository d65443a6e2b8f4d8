package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// jobsPath is the collection, relative to the base URL.
const jobsPath = "/employeeExperience/goals/exportJobs"

// Status is an export job's status.
type Status string

// The statuses of an export job. Graph's enum also has unknownFutureValue,
// which servers never send; a client treats any status it does not know as
// not finished.
const (
	StatusNotStarted Status = "notStarted"
	StatusRunning    Status = "running"
	StatusSucceeded  Status = "succeeded"
	StatusFailed     Status = "failed"
)

// Done reports whether the job has finished, one way or the other.
func (s Status) Done() bool { return s == StatusSucceeded || s == StatusFailed }

// ExportJob is a goalsExportJob. Its JSON form is Graph's (property names,
// RFC 3339 timestamps), without the OData annotations.
type ExportJob struct {
	// ID is the job key: "j!" and 43 base64url characters.
	ID                 string    `json:"id"`
	CreatedDateTime    time.Time `json:"createdDateTime"`
	LastActionDateTime time.Time `json:"lastActionDateTime,omitzero"`
	Status             Status    `json:"status"`
	// StatusDetail says why a job failed; empty otherwise.
	StatusDetail string `json:"statusDetail,omitempty"`
	// ResourceLocation is the absolute URL of the content, once succeeded.
	ResourceLocation    string    `json:"resourceLocation,omitempty"`
	GoalsOrganizationID string    `json:"goalsOrganizationId"`
	ExplorerViewID      string    `json:"explorerViewId"`
	ExpirationDateTime  time.Time `json:"expirationDateTime,omitzero"`

	// RetryAfter is the response's Retry-After: when to ask again while the
	// job is unfinished. Zero when the response had none.
	RetryAfter time.Duration `json:"-"`
}

// jobsURL is the collection's URL.
func (c *Client) jobsURL() string { return c.base.String() + jobsPath }

// jobURL is one job's URL, with the key as one escaped path segment ("!"
// stays literal, as goalpost and Graph both accept it).
func (c *Client) jobURL(key string) string {
	return c.jobsURL() + "/" + escapeKey(key)
}

// escapeKey escapes key as one path segment: "/" and "?" cannot split it,
// and "." or ".." cannot climb out of the collection.
func escapeKey(key string) string {
	switch key {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return strings.ReplaceAll(url.PathEscape(key), "%21", "!")
}

// Create starts an export of the view viewID of the organization orgID (both
// GUIDs). When a job for the same organization and view is already pending,
// the server answers 409 and Create returns an *Error whose Target is that
// job's key (see PendingJob): wait for that one instead.
func (c *Client) Create(ctx context.Context, orgID, viewID string) (*ExportJob, error) {
	body, err := json.Marshal(map[string]string{"goalsOrganizationId": orgID, "explorerViewId": viewID})
	if err != nil {
		return nil, err
	}
	res, b, err := c.send(ctx, request{method: http.MethodPost, url: c.jobsURL(), body: body})
	if err != nil {
		return nil, fmt.Errorf("create export job: %w", err)
	}
	return c.decodeJob(res, b, "create export job")
}

// Get returns the job with key. While the job is unfinished, its RetryAfter
// says when to ask again.
func (c *Client) Get(ctx context.Context, key string) (*ExportJob, error) {
	res, b, err := c.send(ctx, request{method: http.MethodGet, url: c.jobURL(key)})
	if err != nil {
		return nil, fmt.Errorf("get export job %s: %w", key, err)
	}
	return c.decodeJob(res, b, "get export job "+key)
}

func (c *Client) decodeJob(res *http.Response, body []byte, op string) (*ExportJob, error) {
	var j ExportJob
	if err := json.Unmarshal(body, &j); err != nil {
		return nil, fmt.Errorf("%s: decode response: %w", op, err)
	}
	if j.ID == "" {
		return nil, fmt.Errorf("%s: the response has no job id", op)
	}
	if d, ok := parseRetryAfter(res.Header.Get("Retry-After"), c.cfg.NowFunc()); ok {
		j.RetryAfter = d
	}
	return &j, nil
}

// Wait polls the job with key until it has succeeded or failed and returns
// it in that state; a failed job is not an error (check Status and
// StatusDetail). It asks again after each response's Retry-After, or
// PollInterval without one, capped at MaxRetryWait. onPoll, when not nil,
// sees every response. Bound the wait with ctx: when it ends during a wait,
// Wait returns the last job it saw with an error wrapping ctx.Err().
func (c *Client) Wait(ctx context.Context, key string, onPoll func(*ExportJob)) (*ExportJob, error) {
	for {
		j, err := c.Get(ctx, key)
		if err != nil {
			return nil, err
		}
		if onPoll != nil {
			onPoll(j)
		}
		if j.Status.Done() {
			return j, nil
		}
		d := j.RetryAfter
		if d <= 0 {
			d = c.cfg.PollInterval
		}
		if err := c.cfg.SleepFunc(ctx, min(d, c.cfg.MaxRetryWait)); err != nil {
			return j, fmt.Errorf("wait for export job %s (%s): %w", key, j.Status, err)
		}
	}
}

// page is one page of the collection.
type page struct {
	Value    []*ExportJob `json:"value"`
	NextLink string       `json:"@odata.nextLink"`
}

// List returns the jobs the caller may see, newest first, all of them or
// (when orgID is not empty) those of one organization. It follows
// @odata.nextLink page by page as the loop asks for more; an error ends the
// sequence. A nextLink to another scheme or host than the base URL is an
// error rather than a request, so the token never goes elsewhere.
func (c *Client) List(ctx context.Context, orgID string) iter.Seq2[*ExportJob, error] {
	return func(yield func(*ExportJob, error) bool) {
		next := c.jobsURL()
		if orgID != "" {
			f := "goalsOrganizationId eq '" + strings.ReplaceAll(orgID, "'", "''") + "'"
			next += "?$filter=" + strings.ReplaceAll(url.QueryEscape(f), "+", "%20")
		}
		seen := map[string]bool{}
		for next != "" {
			if seen[next] {
				yield(nil, fmt.Errorf("list export jobs: the server sent the same @odata.nextLink twice: %s", next))
				return
			}
			seen[next] = true
			p, err := c.listPage(ctx, next)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, j := range p.Value {
				if j == nil {
					continue
				}
				if !yield(j, nil) {
					return
				}
			}
			next = p.NextLink
		}
	}
}

func (c *Client) listPage(ctx context.Context, u string) (*page, error) {
	if err := c.sameOrigin(u); err != nil {
		return nil, fmt.Errorf("list export jobs: %w", err)
	}
	_, b, err := c.send(ctx, request{method: http.MethodGet, url: u})
	if err != nil {
		return nil, fmt.Errorf("list export jobs: %w", err)
	}
	var p page
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("list export jobs: decode response: %w", err)
	}
	return &p, nil
}

// sameOrigin checks that u has the base URL's scheme and host.
func (c *Client) sameOrigin(u string) error {
	pu, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("bad @odata.nextLink %q: %w", u, err)
	}
	if !strings.EqualFold(pu.Scheme, c.base.Scheme) || !strings.EqualFold(pu.Host, c.base.Host) {
		return errors.New("@odata.nextLink " + u + " points to another origin than " + c.base.Scheme + "://" + c.base.Host)
	}
	return nil
}
