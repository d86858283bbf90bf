package okta

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/jamf-scep/jamf-scep/internal/redact"
	"github.com/jamf-scep/jamf-scep/internal/textsafe"
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
	// ErrAmbiguousChallenge: a page with two different challenges.
	ErrAmbiguousChallenge = errors.New("the page has more than one challenge password; jamf-scep cannot tell which one to use")
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
// trimmed and HTML-unescaped. It returns ErrAmbiguousChallenge for a page
// with two different challenges, ErrCacheFull or ErrPermission for those
// NDES pages and ErrNoChallenge for any other page, saying the page was not
// understood and showing its first line of text with every word that could
// be a token redacted (NDES pages in other languages land here: their
// labels are not known to jamf-scep). Errors never quote the page, which
// may hold a challenge.
func ParsePage(page string) (scepcheck.Challenge, error) {
	if ms := challengeRE.FindAllStringSubmatch(page, -1); ms != nil {
		token := ""
		for _, m := range ms {
			t := strings.TrimSpace(strings.ReplaceAll(html.UnescapeString(m[2]), "\u00a0", " "))
			if t == "" || len(t) > maxChallengeLen || strings.ContainsAny(t, " \t\r\n<>") {
				return scepcheck.Challenge{}, ErrNoChallenge
			}
			if token != "" && t != token {
				return scepcheck.Challenge{}, ErrAmbiguousChallenge
			}
			token = t
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
	if line := firstLine(page); line != "" {
		return scepcheck.Challenge{}, fmt.Errorf("%w: the page was not understood; its first line reads %q (the labels jamf-scep knows are English: \"challenge password is:\")", ErrNoChallenge, line)
	}
	return scepcheck.Challenge{}, ErrNoChallenge
}

var (
	tagRE = regexp.MustCompile(`(?s)<[^>]*>`)
	// tokenRE matches a word that could be a challenge or another secret:
	// 8 or more token characters holding a digit.
	tokenRE = regexp.MustCompile(`[A-Za-z0-9+/=_\-]*[0-9][A-Za-z0-9+/=_\-]*`)
)

// firstLine returns the first non-blank line of the page's text (tags
// removed), at most 80 characters, with every word that could be a token
// replaced by the redaction text and control characters escaped, so that
// an error can say what the page was without quoting a secret.
func firstLine(page string) string {
	text := html.UnescapeString(tagRE.ReplaceAllString(page, "\n"))
	for l := range strings.Lines(text) {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			continue
		}
		l = tokenRE.ReplaceAllStringFunc(l, func(w string) string {
			if len(w) >= 8 {
				return redact.Text
			}
			return w
		})
		if r := []rune(l); len(r) > 80 {
			l = string(r[:80]) + "..."
		}
		return textsafe.Line(l)
	}
	return ""
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
