// Package scepcheck checks a SCEP service the way a Mac will use it: its
// capabilities (GetCACaps), its CA certificate (GetCACert) and, only when
// asked, a real enrollment (PKCSReq). The protocol is RFC 8894; messages are
// built and parsed with github.com/smallstep/scep and
// github.com/smallstep/pkcs7.
//
// Every Check function returns a [check.Result] (pass, warn or fail, a one-line
// message, a fix and details) instead of printing, so that the doctor command
// can render a checklist or JSON. No check reads the wall clock itself (the
// debug log's request timings aside): the caller passes now, or a clock for
// an enrollment.
//
// Every request goes through [Send]: redirects are refused (a redirect could
// carry a challenge or a password to another origin) and every answer is
// read with a size limit.
package scepcheck
