package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/goalpost/goalpost"
)

// statusByCode is the one table from an error code to an HTTP status.
var statusByCode = map[string]int{
	goalpost.EINVALID:          http.StatusBadRequest,
	goalpost.EUNAUTHORIZED:     http.StatusUnauthorized,
	goalpost.EFORBIDDEN:        http.StatusForbidden,
	goalpost.ENOTFOUND:         http.StatusNotFound,
	goalpost.EMETHODNOTALLOWED: http.StatusMethodNotAllowed,
	goalpost.ECONFLICT:         http.StatusConflict,
	goalpost.EPRECONDITION:     http.StatusPreconditionFailed,
	goalpost.ETOOLARGE:         http.StatusRequestEntityTooLarge,
	goalpost.EUNSUPPORTEDMEDIA: http.StatusUnsupportedMediaType,
	goalpost.ETHROTTLED:        http.StatusTooManyRequests,
	goalpost.EINTERNAL:         http.StatusInternalServerError,
	goalpost.EUNAVAILABLE:      http.StatusServiceUnavailable,
}

// errorStatus returns the HTTP status for err.
func errorStatus(err error) int {
	if st, ok := statusByCode[goalpost.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// errorBody is the Graph error envelope.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	Target     string     `json:"target,omitempty"`
	InnerError innerError `json:"innerError"`
}

type innerError struct {
	Code            string `json:"code,omitempty"`
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

// graphDateLayout is innerError.date: UTC, no zone, no fraction (Kiota Go
// parses exactly this form).
const graphDateLayout = "2006-01-02T15:04:05"

// writeError writes err as the Graph envelope. An error goalpost did not
// classify is logged with its cause and shown only as an internal error.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ri := requestInfoFrom(r.Context())
	var e *goalpost.Error
	if !errors.As(err, &e) {
		s.logger.ErrorContext(r.Context(), "internal error", "request_id", ri.requestID, "err", err)
		e = &goalpost.Error{Code: goalpost.EINTERNAL, Message: goalpost.ErrorMessage(err)}
	}
	inner := e.Inner
	if inner == "" {
		inner = defaultInner(e.Code)
	}
	body := errorBody{Error: errorDetail{
		Code:    e.Code,
		Message: e.Message,
		Target:  e.Target,
		InnerError: innerError{
			Code:            inner,
			Date:            s.now().UTC().Format(graphDateLayout),
			RequestID:       ri.requestID,
			ClientRequestID: ri.clientRequestID,
		},
	}}
	if body.Error.Message == "" {
		body.Error.Message = http.StatusText(errorStatus(e))
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	status := errorStatus(e)
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", s.wwwAuthenticate())
	}
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}

// defaultInner is the innerError.code for errors that do not name one.
func defaultInner(code string) string {
	switch code {
	case goalpost.ETHROTTLED:
		return "429"
	case goalpost.EUNAUTHORIZED, goalpost.EFORBIDDEN:
		return ""
	}
	return "unknown"
}
