package goalpost

import (
	"errors"
	"fmt"
)

// Error codes. They are the Graph error codes themselves, so that one table in
// the HTTP layer turns a code into a status and the error envelope.
const (
	EINVALID          = "badRequest"                 // 400
	EUNAUTHORIZED     = "InvalidAuthenticationToken" // 401
	EFORBIDDEN        = "Forbidden"                  // 403
	ENOTFOUND         = "notFound"                   // 404
	EMETHODNOTALLOWED = "methodNotAllowed"           // 405
	ECONFLICT         = "notAllowed"                 // 409
	EPRECONDITION     = "preconditionFailed"         // 412
	ETOOLARGE         = "requestEntityTooLarge"      // 413
	EUNSUPPORTEDMEDIA = "unsupportedMediaType"       // 415
	ETHROTTLED        = "TooManyRequests"            // 429
	EINTERNAL         = "generalException"           // 500
	EUNAVAILABLE      = "serviceNotAvailable"        // 503
)

// Error is an error a caller of goalpost may see: a code that decides the
// status, an inner code that refines it (Graph's innerError.code), a message
// safe to show, and optionally the target it names (Graph's error.target).
type Error struct {
	Code    string
	Inner   string
	Message string
	Target  string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Inner != "" {
		return fmt.Sprintf("goalpost error: code=%s inner=%s message=%s", e.Code, e.Inner, e.Message)
	}
	return fmt.Sprintf("goalpost error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err's first *Error in its chain, or EINTERNAL
// when there is none: an error goalpost did not classify is an internal one.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err's *Error, or "An internal server
// error occurred." for any other error, so internals never reach a caller.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal server error occurred."
}

// IsNotFound reports whether err carries the ENOTFOUND code.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }

// Errors of the export-job API that the stores and the HTTP layer both
// return, with Graph's inner codes and messages.
var (
	// ErrExportJobNotFound is a job that does not exist, has expired, or
	// is not the caller's to see.
	ErrExportJobNotFound = &Error{Code: ENOTFOUND, Inner: "exportJobNotFound", Message: "Specified export job not found"}
	// ErrOrganizationNotFound is an organization that does not exist or of
	// which the caller is not a member.
	ErrOrganizationNotFound = &Error{Code: ENOTFOUND, Inner: "goalsOrganizationIdNotFound", Message: "Goals organization not found"}
)

// ExportJobPendingError is the 409 of a create while the job named by
// pending is notStarted or running for the same organization and view.
func ExportJobPendingError(pending JobKey) *Error {
	return &Error{Code: ECONFLICT, Inner: "exportJobAlreadyExists",
		Message: "Another export job is still active or waiting to be executed", Target: pending.String()}
}
