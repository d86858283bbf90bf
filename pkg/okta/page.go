package okta

import (
	"bytes"
	"errors"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// Errors a challenge page or request can end in; test with errors.Is.
var (
	// ErrUnauthorized: HTTP 401 or 403, a wrong Username or Password.
	ErrUnauthorized = errors.New("the Challenge URL refused the Username or Password")
	// ErrNotFound: HTTP 404, a wrong Challenge URL.
	ErrNotFound = errors.New("the Challenge URL does not exist")
	// ErrCacheFull: NDES page "The password cache is full."
	ErrCacheFull = errors.New("the challenge password cache is full")
	// ErrPermission: NDES page "You do not have sufficient permission ..."
	ErrPermission = errors.New("the account does not have sufficient permission to get a challenge")
	// ErrNoChallenge: a page without a labelled challenge.
	ErrNoChallenge = errors.New("the page has no challenge password")
)

// DecodePage turns a raw NDES mscep_admin page into text, whatever its
// encoding: a byte order mark selects UTF-16LE, UTF-16BE or UTF-8; without
// one, a NUL in the first two bytes selects UTF-16 (NDES serves UTF-16LE)
// and anything else is read as UTF-8. Invalid sequences become U+FFFD.
func DecodePage(body []byte) string {
	var fallback encoding.Encoding = unicode.UTF8
	if len(body) >= 2 {
		switch {
		case body[0] != 0 && body[1] == 0:
			fallback = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
		case body[0] == 0 && body[1] != 0:
			fallback = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
		}
	}
	text, _, err := transform.Bytes(unicode.BOMOverride(fallback.NewDecoder()), body)
	if err != nil {
		// The decoders replace bad input instead of failing; keep the
		// raw bytes readable if that ever changes.
		text = body
	}
	return strings.ToValidUTF8(string(text), string(utf8.RuneError))
}

// challengeRE finds the challenge by its label, never by position: the CA
// thumbprint comes first in another bold tag. Case and whitespace vary.
var challengeRE = regexp.MustCompile(`(?is)challenge\s+password\s+is:?\s*<(b|strong)(?:\s[^>]*)?>(.*?)</(?:b|strong)\s*>`)

// maxChallengeLen bounds a plausible token; Okta's are about 32 characters.
const maxChallengeLen = 1024

// ParsePage extracts the challenge from a decoded NDES mscep_admin page:
// the text of the bold tag after the label "challenge password is:",
// trimmed and HTML-unescaped. It returns ErrCacheFull or ErrPermission for
// those NDES pages and ErrNoChallenge for any other page. Errors never
// quote the page, which may hold a challenge.
func ParsePage(page string) (scepcheck.Challenge, error) {
	if m := challengeRE.FindStringSubmatch(page); m != nil {
		token := strings.TrimSpace(strings.ReplaceAll(html.UnescapeString(m[2]), "\u00a0", " "))
		if token == "" || len(token) > maxChallengeLen || strings.ContainsAny(token, " \t\r\n<>") {
			return scepcheck.Challenge{}, ErrNoChallenge
		}
		return scepcheck.NewChallenge(token), nil
	}
	lower := strings.ToLower(page)
	switch {
	case strings.Contains(lower, "password cache is full"):
		return scepcheck.Challenge{}, ErrCacheFull
	case strings.Contains(lower, "sufficient permission"):
		return scepcheck.Challenge{}, ErrPermission
	}
	return scepcheck.Challenge{}, ErrNoChallenge
}

// encodingName names the encoding DecodePage picks for body, for the
// details of a report.
func encodingName(body []byte) string {
	switch {
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return "UTF-16LE with BOM"
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return "UTF-16BE with BOM"
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return "UTF-8 with BOM"
	case len(body) >= 2 && body[0] != 0 && body[1] == 0:
		return "UTF-16LE without BOM"
	case len(body) >= 2 && body[0] == 0 && body[1] != 0:
		return "UTF-16BE without BOM"
	}
	return "UTF-8"
}
