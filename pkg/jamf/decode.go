package jamf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/jamf-scep/jamf-scep/internal/safedecode"
)

// Bounds on numbers a server supplies. A number outside them is an error
// naming the field; nothing is ever allocated from one.
const (
	// maxListItems bounds a listing's totalCount or <size>: well above the
	// largest fleets (a few hundred thousand Macs and their MDM commands).
	maxListItems = 5_000_000
	// maxPages bounds the pages one listing may take.
	maxPages = 100_000
)

// ErrWrongDocument matches a 2xx answer that is not the document the
// request asks for: an HTML login page from a proxy, JSON where XML was
// expected, a list whose own count disagrees with its entries. Nothing
// read from such an answer is used.
var ErrWrongDocument = errors.New("jamf: answer is not the expected document")

// wrongDoc returns an error matching ErrWrongDocument for method path.
func wrongDoc(method, path, format string, args ...any) error {
	return fmt.Errorf("jamf: %s %s: %s (a proxy or login page in the way?): %w",
		method, path, fmt.Sprintf(format, args...), ErrWrongDocument)
}

// checkContentType refuses a 2xx answer whose Content-Type is clearly
// another kind of document than accept (xmlType or jsonType): an HTML page
// for either, JSON for XML, XML for JSON. A missing or unusual type passes:
// the root element or shape check decides.
func checkContentType(method, path, accept, contentType string) error {
	if accept == "" || contentType == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil
	}
	isHTML := mt == "text/html" || mt == "application/xhtml+xml"
	isJSON := strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json")
	isXML := !isHTML && (strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml"))
	switch {
	case isHTML:
		return wrongDoc(method, path, "answer is an HTML page (Content-Type %s)", mt)
	case accept == xmlType && isJSON, accept == jsonType && isXML:
		return wrongDoc(method, path, "answer is %s, want %s", mt, accept)
	}
	return nil
}

// decodeXML decodes raw into out after checking that the document is one
// un-namespaced root element named root and nothing after it but white
// space, comments and processing instructions, so that an XHTML page,
// another object's record, or a record with a login page appended is never
// read as an empty answer. A declared encoding other than UTF-8 (Jamf on
// some Tomcat setups declares ISO-8859-1) is decoded by its WHATWG label.
func decodeXML(raw []byte, method, path, root string, out any) error {
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.CharsetReader = charsetReader
	for {
		tok, err := d.Token()
		if err != nil {
			if strings.Contains(err.Error(), "charset") {
				return wrongDoc(method, path, "answer's XML encoding is not readable: %v", err)
			}
			return wrongDoc(method, path, "answer has no <%s> element", root)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case se.Name.Local != root:
			return wrongDoc(method, path, "answer is <%s>, want <%s>", se.Name.Local, root)
		case se.Name.Space != "":
			return wrongDoc(method, path, "answer's <%s> is in namespace %q; Jamf's Classic API uses none", root, se.Name.Space)
		}
		if err := d.DecodeElement(out, &se); err != nil {
			return wrongDoc(method, path, "answer is not the expected XML: %v", err)
		}
		return checkXMLEnd(d, method, path, root)
	}
}

// checkXMLEnd reads what follows the root element: white space, comments
// and processing instructions only.
func checkXMLEnd(d *xml.Decoder, method, path, root string) error {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return wrongDoc(method, path, "answer has broken XML after </%s>: %v", root, err)
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return wrongDoc(method, path, "answer has text after </%s>", root)
			}
		default:
			return wrongDoc(method, path, "answer has more markup after </%s>", root)
		}
	}
}

// charsetReader decodes a document declaring a non-UTF-8 encoding, by its
// WHATWG Encoding Standard label ("ISO-8859-1", "windows-1252", ...).
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q", label)
	}
	return enc.NewDecoder().Reader(input), nil
}

// checkSize compares a Classic list's own <size>, which must be present
// and a non-negative integer, with its entries.
func checkSize(method, path string, size *string, n int) error {
	if size == nil {
		return wrongDoc(method, path, "list has no <size>")
	}
	v, err := strconv.Atoi(strings.TrimSpace(*size))
	switch {
	case err != nil:
		return wrongDoc(method, path, "list <size> %q is not an integer", capText(*size, 32))
	case v < 0 || v > maxListItems:
		return wrongDoc(method, path, "list <size> %d is outside 0..%d", v, maxListItems)
	case v != n:
		return wrongDoc(method, path, "list says <size>%d</size> but holds %d entries", v, n)
	}
	return nil
}

// decodeJSON decodes raw into out, which must be a pointer to a slice or a
// struct: the answer must be a JSON array or object to match (so that null,
// a string or an HTML page is never read as "nothing").
func decodeJSON(raw []byte, method, path string, wantArray bool, out any) error {
	trimmed := bytes.TrimSpace(raw)
	want, got := byte('{'), byte(0)
	if wantArray {
		want = '['
	}
	if len(trimmed) > 0 {
		got = trimmed[0]
	}
	if got != want {
		shape := "object"
		if wantArray {
			shape = "array"
		}
		return wrongDoc(method, path, "answer is not a JSON %s", shape)
	}
	// Within safedecode.JSONLimits: size and nesting are checked before
	// encoding/json sees the answer.
	if err := safedecode.JSON(raw, out); err != nil {
		if errors.Is(err, safedecode.ErrTooLarge) {
			return fmt.Errorf("jamf: %s %s: %w", method, path, err)
		}
		return wrongDoc(method, path, "answer is not the expected JSON: %v", err)
	}
	return nil
}

// pageWire is one page of a Jamf Pro API listing; both fields are required.
type pageWire[T any] struct {
	TotalCount *int64 `json:"totalCount"`
	Results    *[]T   `json:"results"`
}

// decodePage reads one page of a Jamf Pro API listing and checks its own
// numbers: totalCount within 0..maxListItems, at most size results.
func decodePage[T any](raw []byte, method, path string, size int) (total int, results []T, err error) {
	var p pageWire[T]
	if err := decodeJSON(raw, method, path, false, &p); err != nil {
		return 0, nil, err
	}
	switch {
	case p.TotalCount == nil || p.Results == nil:
		return 0, nil, wrongDoc(method, path, "answer is not a Jamf Pro API page (no totalCount or results)")
	case *p.TotalCount < 0 || *p.TotalCount > maxListItems:
		return 0, nil, wrongDoc(method, path, "totalCount %d is outside 0..%d", *p.TotalCount, maxListItems)
	case len(*p.Results) > size:
		return 0, nil, wrongDoc(method, path, "page holds %d results, more than the page-size %d asked for", len(*p.Results), size)
	}
	return int(*p.TotalCount), *p.Results, nil
}
