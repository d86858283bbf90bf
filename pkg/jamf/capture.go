package jamf

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jamf-scep/jamf-scep/internal/redact"
	"github.com/jamf-scep/jamf-scep/pkg/atomicfile"
)

// Capture writes every Jamf Pro response a client receives to a directory,
// sanitized so that an admin can attach it to a bug report: a field record
// of what a real tenant answers, for what no schema says (see
// docs/jamf-behavior.md).
//
// # Format
//
// The directory (mode 0700) holds one file per exchange, in the order the
// responses arrived: "0001.json", "0002.json", ... (mode 0600), each one
// [CapturedExchange] as indented JSON. Request bodies and request headers
// are not recorded.
//
// # Sanitizing
//
//   - Secrets are replaced by redact.Text, "(sensitive)": the values of "access_token"
//     and "token" in JSON; everything the client redacts from its own
//     errors (its client secret or password, its tokens, and what
//     [Client.Redact] added), in every encoding it redacts; in a stored
//     profile, every value the one secret rule masks (profile.SecretRule on
//     the decoded plist, whatever the key's spelling or the value's
//     escaping), also wherever else it appears; and every credential
//     inside a URL (profile.MaskURLSecrets).
//   - Every body is parsed, whatever its Content-Type says (JSON or XML,
//     sniffed, a byte-order mark ignored); one that cannot be parsed is
//     withheld: the file holds a placeholder saying why, never the raw
//     body.
//   - Identifying values are replaced by stable pseudonyms, the same value
//     by the same pseudonym throughout one capture: computer names
//     ("Mac-001", padded with "x" to the real name's length in characters
//     so that Subject length checks agree), serial numbers ("SERIAL0001"), UDIDs and management ids
//     (UUIDs "00000000-0000-4000-8000-000000000001"), user names
//     ("user001"), email addresses ("user001@example.com") and IP addresses
//     (192.0.2.x, RFC 5737). They are found by their JSON key or Classic XML
//     element (a user's name in any Classic scope list), then replaced
//     wherever they occur (a certificate's subject, a path's query).
//
// A Capture is safe for concurrent use; a client takes one with
// [WithCapture]. Several clients (tenants) may share one; a replay serves
// one tenant, so capture one tenant per directory to replay it.
type Capture struct {
	dir string

	mu      sync.Mutex
	n       int
	real    map[string]string // real value -> pseudonym
	counts  map[string]int    // pseudonym kind -> last number
	secrets []func() []string // every client's redaction list
	found   []string          // secrets read from stored plists
	// maskPlist masks a stored profile's plist (see PlistMasker).
	maskPlist PlistMasker
}

// PlistMasker masks the secrets of a stored profile's plist for a capture:
// it returns the plist text with every secret value replaced by
// redact.Text, and the secret values it replaced (so that the capture also
// removes them wherever else they appear). An error means the text is not
// a property list it can read; the capture then withholds it. The command
// layer supplies pkg/profile's one secret rule (profile.CapturePlistMasker):
// the client sits below pkg/profile and cannot call it.
type PlistMasker func(plist string) (masked string, secrets []string, err error)

// CapturedExchange is one file of a capture.
type CapturedExchange struct {
	// Method is the request method, "GET".
	Method string `json:"method"`
	// Path is the request path and query relative to the tenant's base
	// URL, "api/v1/buildings?page=0&page-size=200" (sanitized).
	Path string `json:"path"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Header holds the response's Content-Type and Retry-After, when set.
	Header map[string]string `json:"header,omitempty"`
	// Body is the sanitized response body as text.
	Body string `json:"body"`
}

// NewCapture creates dir (mode 0700) and returns a Capture writing there.
// An existing directory must be empty (so that two runs never mix), a real
// directory (not a symbolic link), owned by the current user and not
// writable by group or others (so that no one else can plant a file in it).
func NewCapture(dir string, mask PlistMasker) (*Capture, error) {
	if mask == nil {
		return nil, errors.New("capture: no plist masker")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	if err := checkCaptureDir(dir); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("capture: directory %s is not empty; pass a new or empty directory", dir)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	return &Capture{dir: dir, real: map[string]string{}, counts: map[string]int{}, maskPlist: mask}, nil
}

// Dir returns the capture's directory.
func (c *Capture) Dir() string { return c.dir }

// wrap returns rt recording into c; basePath is the tenant's base URL path
// ("/jamf/"), secrets the client's redaction list.
func (c *Capture) wrap(rt http.RoundTripper, basePath string, secrets func() []string) http.RoundTripper {
	c.mu.Lock()
	c.secrets = append(c.secrets, secrets)
	c.mu.Unlock()
	return &captureTransport{c: c, base: rt, basePath: basePath}
}

type captureTransport struct {
	c        *Capture
	base     http.RoundTripper
	basePath string
}

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, err
	}
	path := strings.TrimPrefix(req.URL.RequestURI(), strings.TrimSuffix(t.basePath, "/")+"/")
	ex := CapturedExchange{Method: req.Method, Path: path, Status: resp.StatusCode, Body: string(body)}
	for _, h := range []string{"Content-Type", "Retry-After"} {
		if v := resp.Header.Get(h); v != "" {
			if ex.Header == nil {
				ex.Header = map[string]string{}
			}
			ex.Header[h] = v
		}
	}
	if werr := t.c.record(ex); werr != nil {
		// A capture that cannot be written must not pass for a complete
		// one: fail the request, which names the cause.
		return nil, werr
	}
	return resp, nil
}

// record sanitizes ex and writes it as the next file.
func (c *Capture) record(ex CapturedExchange) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ex.Body = c.sanitizeBody(ex.Body, ex.Header["Content-Type"])
	ex.Path = c.replaceKnown(ex.Path)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // bodies stay readable: <, > and & as they are
	enc.SetIndent("", "  ")
	if err := enc.Encode(ex); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	c.n++
	name := filepath.Join(c.dir, fmt.Sprintf("%04d.json", c.n))
	return writeExclusive(name, b.Bytes())
}

// writeExclusive writes data to name, mode 0600, never over an existing
// name: atomicfile.WriteFile without overwrite links the finished file into
// place, and link(2) fails on any existing name, a symbolic link included,
// so nothing planted in the directory is ever written through.
func writeExclusive(name string, data []byte) error {
	if err := atomicfile.WriteFile(name, data, 0o600, false); err != nil {
		return fmt.Errorf("capture: %w (capture files are never overwritten)", err)
	}
	return nil
}

// pseudonymKinds maps JSON keys and Classic XML elements that identify a
// Mac or a person to the kind of pseudonym they get.
var pseudonymKinds = map[string]string{
	"serialNumber": kindSerial, "serial_number": kindSerial,
	"udid": kindUUID, "managementId": kindUUID, "clientManagementId": kindUUID, "management_id": kindUUID,
	"username": kindUser, "userName": kindUser, "realName": kindUser, "realname": kindUser, "real_name": kindUser,
	"email": kindEmail, "emailAddress": kindEmail, "email_address": kindEmail,
	"lastIpAddress": kindIP, "lastReportedIp": kindIP, "ipAddress": kindIP, "ip_address": kindIP,
	"reported_ip_address": kindIP, "lastReportedIpV4": kindIP, "lastReportedIpV6": kindIP,
}

const (
	kindComputer = "computer"
	kindSerial   = "serial"
	kindUUID     = "uuid"
	kindUser     = "user"
	kindEmail    = "email"
	kindIP       = "ip"
)

// walkJSON replaces secrets and learns identifying values in v; parent is
// the key v sits under.
func (c *Capture) walkJSON(v any, parent string) any {
	switch t := v.(type) {
	case map[string]any:
		// Sorted, so that pseudonyms are numbered the same on every run.
		for _, k := range slices.Sorted(maps.Keys(t)) {
			x := t[k]
			s, isString := x.(string)
			switch {
			case isString && (k == "access_token" || k == "token"):
				t[k] = redacted
			case isString && s != "" && pseudonymKinds[k] != "":
				t[k] = c.pseudonym(pseudonymKinds[k], s)
			case isString && s != "" && k == "name" && parent == "general":
				t[k] = c.pseudonym(kindComputer, s) // a computer's inventory name
			default:
				t[k] = c.walkJSON(x, k)
			}
		}
	case []any:
		for i, x := range t {
			t[i] = c.walkJSON(x, parent)
		}
	}
	return v
}

// pseudonym returns real's pseudonym of kind, making one on first sight.
// c.mu must be held.
func (c *Capture) pseudonym(kind, real string) string {
	if real == redacted {
		return real
	}
	if p, ok := c.real[real]; ok {
		return p
	}
	c.counts[kind]++
	n := c.counts[kind]
	var p string
	switch kind {
	case kindComputer:
		// As many characters as the real name, so that Subject length
		// checks (which count $COMPUTERNAME) give the same answers.
		p = fmt.Sprintf("Mac-%03d", n)
		if pad := utf8.RuneCountInString(real) - len(p); pad > 0 {
			p += strings.Repeat("x", pad)
		}
	case kindSerial:
		p = fmt.Sprintf("SERIAL%04d", n)
	case kindUUID:
		p = fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
		if strings.ToLower(real) == real {
			p = strings.ToLower(p)
		}
	case kindUser:
		p = fmt.Sprintf("user%03d", n)
	case kindEmail:
		p = fmt.Sprintf("user%03d@example.com", n)
	default:
		p = fmt.Sprintf("192.0.2.%d", n%254+1)
	}
	c.real[real] = p
	return p
}

// allSecrets returns every secret the capture knows, in every form.
// c.mu must be held.
func (c *Capture) allSecrets() []string {
	var secrets []string
	for _, v := range c.found {
		secrets = append(secrets, secretForms(v)...)
	}
	for _, f := range c.secrets {
		secrets = append(secrets, f()...) // already in every form
	}
	return secrets
}

// replaceKnown replaces every secret by redact.Text (the clients' and
// those found in stored plists, in every encoding the client redacts),
// every credential inside a URL, and every known identifying value (plain
// and XML-escaped) by its pseudonym, longest first. c.mu must be held.
func (c *Capture) replaceKnown(s string) string {
	s = redactSecrets(s, c.allSecrets())
	s, _ = redact.MaskURLSecrets(s)
	reals := make([]string, 0, len(c.real))
	for r := range c.real {
		reals = append(reals, r)
	}
	slices.SortFunc(reals, func(a, b string) int { return len(b) - len(a) })
	var pairs []string
	for _, r := range reals {
		p := c.real[r]
		pairs = append(pairs, r, p)
		var esc strings.Builder
		_ = xml.EscapeText(&esc, []byte(r))
		// XML-escaped in Classic answers, URL-escaped in a query's filter.
		for _, e := range []string{esc.String(), url.QueryEscape(r), url.PathEscape(r)} {
			if e != r && !slices.Contains(pairs, e) {
				pairs = append(pairs, e, p)
			}
		}
	}
	if len(pairs) == 0 {
		return s
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
