package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is a failed call: the response's status and the Graph error
// envelope it carried. A body that is not the envelope (a proxy's HTML page,
// say) leaves Code empty and puts the start of the body in Message.
type Error struct {
	// StatusCode is the HTTP status, e.g. 404.
	StatusCode int
	// Code is error.code, e.g. "notFound", "InvalidAuthenticationToken".
	Code string
	// InnerCode is error.innerError.code, e.g. "exportJobNotFound".
	InnerCode string
	// Message is error.message.
	Message string
	// Target is error.target. On a 409 from Create it is the key of the job
	// that is already pending for the same organization and view.
	Target string
	// RequestID is the server's id of the request (innerError.request-id,
	// else the request-id header): quote it when asking for support.
	RequestID string
	// ClientRequestID is the client-request-id this client sent.
	ClientRequestID string
	// Date is innerError.date (UTC), zero when absent.
	Date time.Time
	// RetryAfter is the response's Retry-After, zero when absent.
	RetryAfter time.Duration
	// Location is the response's Location header; a 409 from Create names
	// the pending job's URL there.
	Location string
}

// Error returns e.g. `404 notFound/exportJobNotFound: Specified export job
// not found (request-id 1b2c…)`.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
		if e.InnerCode != "" && e.InnerCode != e.Code {
			b.WriteString("/" + e.InnerCode)
		}
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	b.WriteString(": " + msg)
	if e.RequestID != "" {
		b.WriteString(" (request-id " + e.RequestID + ")")
	}
	return b.String()
}

// Inner codes goalpost and Graph send that callers branch on.
const (
	InnerJobAlreadyExists = "exportJobAlreadyExists"
	InnerJobNotCompleted  = "exportJobNotCompleted"
	InnerJobFailed        = "exportJobFailed"
	InnerJobNotFound      = "exportJobNotFound"
)

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func hasStatus(err error, codes ...int) bool {
	e, ok := AsError(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if e.StatusCode == c {
			return true
		}
	}
	return false
}

// IsNotFound reports whether err is a 404: no such job (or expired, or not
// visible to the caller), organization or view.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports whether err is a 409: a job already pending (on
// create), or content asked for too early or of a failed job.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsAuth reports whether err is a 401 or 403: a missing, invalid or expired
// token, or one without the scope the call needs.
func IsAuth(err error) bool {
	return hasStatus(err, http.StatusUnauthorized, http.StatusForbidden)
}

// IsThrottled reports whether err is a 429 that outlasted the retries.
func IsThrottled(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// PendingJob returns the key of the pending job a 409 from Create names.
func PendingJob(err error) (key string, ok bool) {
	e, isErr := AsError(err)
	if !isErr || e.StatusCode != http.StatusConflict || e.Target == "" {
		return "", false
	}
	return e.Target, true
}

// envelope is the Graph error body.
type envelope struct {
	Error *struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		Target     string `json:"target"`
		InnerError *struct {
			Code      string `json:"code"`
			Date      string `json:"date"`
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// decodeError builds the *Error of a response whose status is 400 or more.
func (c *Client) decodeError(res *http.Response, body []byte, crid string) *Error {
	e := &Error{
		StatusCode:      res.StatusCode,
		RequestID:       res.Header.Get("request-id"),
		ClientRequestID: crid,
		Location:        res.Header.Get("Location"),
	}
	if d, ok := parseRetryAfter(res.Header.Get("Retry-After"), c.cfg.NowFunc()); ok {
		e.RetryAfter = d
	}
	var env envelope
	if json.Unmarshal(body, &env) != nil || env.Error == nil {
		e.Message = http.StatusText(res.StatusCode)
		if s := strings.TrimSpace(string(body)); s != "" {
			if len(s) > 200 {
				s = s[:200] + "…"
			}
			e.Message += ": " + s
		}
		return e
	}
	e.Code, e.Message, e.Target = env.Error.Code, env.Error.Message, env.Error.Target
	if in := env.Error.InnerError; in != nil {
		e.InnerCode = in.Code
		if in.RequestID != "" {
			e.RequestID = in.RequestID
		}
		e.Date = parseGraphDate(in.Date)
	}
	return e
}

// parseGraphDate reads innerError.date: "2006-01-02T15:04:05" in UTC, or
// RFC 3339 from servers that add a zone.
func parseGraphDate(s string) time.Time {
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}
