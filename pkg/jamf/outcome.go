package jamf

import (
	"errors"
	"net"
	"net/http"
)

// ErrMayHaveApplied matches a failed write (POST, PUT, DELETE) whose answer
// does not tell whether Jamf Pro applied it: the connection broke or the
// client's timeout ran out after the request may have reached the server,
// a gateway or Jamf answered 5xx (a 502 or 504 from the gateway may come
// after Jamf stored the write), or a 2xx answer was not the expected
// document. Only a 4xx answer, which Jamf sends before storing anything,
// or a failure before the request left (no token, no connection) means
// nothing was applied. Read the object back to learn what happened.
var ErrMayHaveApplied = errors.New("jamf: the write may have been applied")

// uncertainWrite is a write error matching ErrMayHaveApplied and,
// through Unwrap, everything its cause matches (*Error included).
type uncertainWrite struct{ err error }

func (e *uncertainWrite) Error() string { return e.err.Error() }

func (e *uncertainWrite) Unwrap() []error { return []error{e.err, ErrMayHaveApplied} }

// writeOutcome marks err from a write as uncertain unless it proves that
// nothing was applied: the request never left (sent false), or Jamf
// answered 4xx.
func writeOutcome(err error, sent bool) error {
	if err == nil || !sent {
		return err
	}
	var jerr *Error
	if errors.As(err, &jerr) && jerr.StatusCode >= 400 && jerr.StatusCode < 500 {
		return err
	}
	return &uncertainWrite{err: err}
}

// notSent reports network errors that prove the request never reached the
// server: the host name did not resolve, the connection was refused, or the
// TLS handshake failed.
func notSent(err error) bool {
	if permanentNetError(err) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// idempotentRead reports methods that change nothing on the server.
func idempotentRead(method string) bool {
	return method == http.MethodGet || method == http.MethodHead
}

// tokenError is a token request that failed after its own retries; the
// request that needed the token was never sent and is not retried again.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }
