package jamf

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jamf-scep/jamf-scep/internal/safedecode"
)

// sanitizeBody parses body as JSON or XML, sniffed from its first
// character whatever contentType says (a server may label JSON text/plain
// or start it with a byte-order mark), learns and replaces its identifying
// values and secrets, and returns the sanitized text. A body that cannot
// be parsed is withheld: the result is a placeholder saying why, with the
// server's own error message, redacted, when one can be read. c.mu must
// be held.
func (c *Capture) sanitizeBody(body, contentType string) string {
	text := strings.TrimPrefix(body, "\ufeff")
	trimmed := strings.TrimSpace(text)
	if trimmed == "" {
		return ""
	}
	var out string
	var err error
	switch trimmed[0] {
	case '{', '[':
		out, err = c.sanitizeJSON(trimmed)
	case '<':
		out, err = c.sanitizeXML(text)
	default:
		err = errors.New("neither JSON nor XML")
	}
	if err != nil {
		return c.withheld(body, contentType, err)
	}
	out = c.replaceKnown(out)
	if quotesSecret(out, secretNeedles(c.allSecrets())) {
		// A secret in a form no replacement caught (percent-encoded in
		// a mix, numeric entities in JSON): never written.
		return fmt.Sprintf("[body withheld by jamf-scep: it quoted a secret in an encoding it could not redact; %d bytes]", len(body))
	}
	return out
}

// withheld is the placeholder for a body the capture could not parse.
func (c *Capture) withheld(body, contentType string, why error) string {
	msg, _ := parseErrorBody([]byte(body), c.replaceKnown)
	s := fmt.Sprintf("[body withheld by jamf-scep: it could not be sanitized (%v); %d bytes, Content-Type %q]", why, len(body), contentType)
	if msg = c.replaceKnown(msg); msg != "" && !quotesSecret(msg, secretNeedles(c.allSecrets())) {
		s += " server message: " + msg
	}
	return s
}

// sanitizeJSON replaces secrets and learns identifying values in a JSON
// body, parsed within safedecode's limits.
func (c *Capture) sanitizeJSON(body string) (string, error) {
	var v any
	if err := safedecode.JSON([]byte(body), &v); err != nil {
		return "", err
	}
	v = c.walkJSON(v, "")
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// sanitizeXML learns the identifying values of a Classic XML answer (the
// elements of pseudonymKinds, a <computer>'s name, a <user>'s name in any
// scope list) and masks a stored profile's <payloads> plist by the one
// secret rule, on the decoded plist: each masked value is also remembered
// as a secret, so that it is replaced wherever else it appears. The
// document must be well formed to its end.
func (c *Capture) sanitizeXML(body string) (string, error) {
	d := xml.NewDecoder(strings.NewReader(body))
	var stack []string
	type span struct{ start, end int64 }
	var payloads []span
	var start int64
	for {
		before := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if t.Name.Local == "payloads" {
				start = d.InputOffset()
			}
		case xml.EndElement:
			if t.Name.Local == "payloads" {
				payloads = append(payloads, span{start, before})
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			s := strings.TrimSpace(string(t))
			if s == "" || len(stack) == 0 {
				continue
			}
			el, parent := stack[len(stack)-1], ""
			if len(stack) >= 2 {
				parent = stack[len(stack)-2]
			}
			switch {
			case pseudonymKinds[el] != "":
				c.pseudonym(pseudonymKinds[el], s)
			case el == "name" && parent == "computer":
				c.pseudonym(kindComputer, s)
			case el == "name" && parent == "user":
				// A person in a scope list (limitations, jss_users,
				// exclusions): an email address keeps its shape.
				if strings.Contains(s, "@") {
					c.pseudonym(kindEmail, s)
				} else {
					c.pseudonym(kindUser, s)
				}
			}
		}
	}
	// Replace the payloads from the last, so earlier offsets stay valid.
	for i := len(payloads) - 1; i >= 0; i-- {
		p := payloads[i]
		body = body[:p.start] + c.maskPayloads(body[p.start:p.end]) + body[p.end:]
	}
	return body, nil
}

// maskPayloads returns the escaped text of a <payloads> element with the
// plist's secrets masked by the capture's [PlistMasker] and re-encoded,
// unchanged when nothing is secret, or a placeholder when it is not a
// property list the masker can read.
func (c *Capture) maskPayloads(escaped string) string {
	var text strings.Builder
	d := xml.NewDecoder(strings.NewReader("<p>" + escaped + "</p>"))
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.Write(cd)
		}
	}
	if strings.TrimSpace(text.String()) == "" {
		return escaped
	}
	masked, found, err := c.maskPlist(text.String())
	if err != nil {
		return "[payloads withheld by jamf-scep: not a property list it can sanitize]"
	}
	for _, v := range found {
		if len(v) >= minFoundSecret {
			c.found = append(c.found, v)
		}
	}
	if masked == text.String() {
		return escaped
	}
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(masked))
	return b.String()
}

// minFoundSecret is the shortest stored secret also replaced outside its
// plist: shorter values ("1", "yes") would blank unrelated text.
const minFoundSecret = 4
