package jamf

import (
	"encoding/base64"
	"encoding/hex"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// Text a server quotes back may hold a secret in a form no registered
// encoding matches: percent-encoded in a mix of its own, spelled with
// numeric entities inside JSON, split by markup into a fragment. Before
// any server text is shown it is normalized every way it could have been
// encoded (see normalizedViews); when a normalized view still holds a
// secret, the text is withheld rather than shown in part.

// withheldText replaces server text that quoted a secret in a form
// redaction could not remove whole.
const withheldText = "[server text withheld: it quoted a secret]"

// minNeedle is the shortest secret form searched for in normalized text:
// shorter ones would withhold unrelated text.
const minNeedle = 4

// secretNeedles returns the forms of secrets to search normalized text
// for: each form, and each with markup stripped and white space folded
// (as normalizing the server text does to a secret holding "<x>").
func secretNeedles(secrets []string) []string {
	out := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		for _, v := range []string{s, foldSpace(tagRE.ReplaceAllString(s, "")), foldSpace(tagRE.ReplaceAllString(html.UnescapeString(s), ""))} {
			if len(v) >= minNeedle {
				out = append(out, v)
			}
		}
	}
	return out
}

// normalizedViews returns s decoded every way a server may have encoded
// it: entities (named and numeric, repeatedly), JSON escapes (\/ and
// \uXXXX), percent-encoding, then each with markup stripped and white
// space folded.
func normalizedViews(s string) []string {
	u := unescapeEntities(s)
	j := unescapeJSON(u)
	p := unescapeEntities(percentDecode(j))
	views := []string{s, u, j, p}
	for _, v := range views[:4] {
		views = append(views, foldSpace(tagRE.ReplaceAllString(v, "")))
	}
	return views
}

// quotesSecret reports whether any normalized view of s holds a needle.
func quotesSecret(s string, needles []string) bool {
	if s == "" || len(needles) == 0 {
		return false
	}
	for _, v := range normalizedViews(s) {
		for _, n := range needles {
			if strings.Contains(v, n) {
				return true
			}
		}
	}
	return false
}

// withholdQuoted replaces e's server text by withheldText where a secret
// may survive in it: a field whose normalized views hold a secret, and the
// message when the raw answer's views hold one that redaction did not
// mark in the message (a fragment left by markup stripping). Code is kept
// unless it holds a secret itself: it decides errors.Is.
func withholdQuoted(e *Error, raw string, secrets []string) {
	needles := secretNeedles(secrets)
	if len(needles) == 0 {
		return
	}
	rawQuotes := quotesSecret(raw, needles)
	if quotesSecret(e.Message, needles) || rawQuotes && e.Message != "" && !strings.Contains(e.Message, redacted) {
		e.Message = withheldText
	}
	if quotesSecret(e.Code, needles) {
		e.Code = withheldText
	}
	if quotesSecret(e.Body, needles) {
		e.Body = withheldText
	}
}

func unescapeEntities(s string) string {
	for range 3 {
		u := html.UnescapeString(s)
		if u == s {
			break
		}
		s = u
	}
	return s
}

var jsonUnicodeRE = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

func unescapeJSON(s string) string {
	s = strings.ReplaceAll(s, `\/`, "/")
	return jsonUnicodeRE.ReplaceAllStringFunc(s, func(m string) string {
		n, err := strconv.ParseUint(m[2:], 16, 32)
		if err != nil {
			return m
		}
		return string(rune(n))
	})
}

var percentRE = regexp.MustCompile(`%[0-9a-fA-F]{2}`)

// percentDecode decodes every valid %XX, leaving anything else as it is
// (url.PathUnescape gives up on the whole text at one stray "%").
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return percentRE.ReplaceAllStringFunc(s, func(m string) string {
		b, _ := hex.DecodeString(m[1:])
		return string(b)
	})
}

// encodedForms are the byte encodings of v a server may show: base64 in
// both alphabets, padded or not, hex in either case, and every byte or
// every reserved byte percent-encoded, in either case.
func encodedForms(v string) []string {
	b := []byte(v)
	h := hex.EncodeToString(b)
	return []string{
		base64.StdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b),
		h, strings.ToUpper(h),
		percentEncode(v, false, true), percentEncode(v, false, false),
		percentEncode(v, true, true), percentEncode(v, true, false),
	}
}

// percentEncode encodes every byte (all) or every byte outside RFC 3986's
// unreserved set, with upper- or lower-case hex.
func percentEncode(v string, all, upper bool) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for i := range len(v) {
		c := v[i]
		if !all && (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			b.WriteByte(c)
			continue
		}
		hi, lo := digits[c>>4], digits[c&15]
		if upper {
			hi, lo = strings.ToUpper(string(hi))[0], strings.ToUpper(string(lo))[0]
		}
		b.WriteByte('%')
		b.WriteByte(hi)
		b.WriteByte(lo)
	}
	return b.String()
}

// RedactText returns server text s safe to show: every value in values
// (a password, a challenge, a token) replaced by redact.Text, "(sensitive)" in every
// form the Jamf client redacts from its own errors, and the whole text
// replaced by "[server text withheld: it quoted a secret]" when a
// normalized view of what is left still holds one. Use it for text other
// servers quote back (a SCEP server, the Okta challenge page).
func RedactText(s string, values ...string) string {
	var forms []string
	for _, v := range values {
		if v != "" {
			forms = append(forms, secretForms(v)...)
		}
	}
	if len(forms) == 0 {
		return s
	}
	s = redactSecrets(s, forms)
	if quotesSecret(s, secretNeedles(forms)) {
		return withheldText
	}
	return s
}
