package jamf

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Scope is the <scope> element of a profile.
//
// jamf-scep models all_computers and four lists, computers, computer groups,
// buildings and departments, as targets and as exclusions. Every other child
// of <scope> and of <exclusions> (all_jss_users, jss_users, jss_user_groups,
// limitations, the excluded users, user groups, network segments, iBeacons,
// jss_users and jss_user_groups, and any element a later Jamf Pro adds) is
// kept in Unmodelled exactly as read and written back byte for byte. A
// scope write therefore stores the same scope whether Jamf merges a PUT's
// <scope> into the stored one or replaces the stored scope with it, which
// Jamf does not document (see docs/jamf-behavior.md, "Scope writes").
//
// On a write every modelled list is sent, empty ones as empty elements, so
// the stored lists become exactly these.
type Scope struct {
	AllComputers   bool
	Computers      []Ref
	ComputerGroups []Ref
	Buildings      []Ref
	Departments    []Ref
	Exclusions     Exclusions
	// Unmodelled are the other children of <scope>, in the order read.
	Unmodelled []RawElement
}

// Exclusions remove targets from a scope.
type Exclusions struct {
	Computers      []Ref
	ComputerGroups []Ref
	Buildings      []Ref
	Departments    []Ref
	// Unmodelled are the other children of <exclusions>, in the order
	// read.
	Unmodelled []RawElement
}

// RawElement is one XML element kept as read: its name, its attributes and
// its inner XML, byte for byte (entities still escaped).
type RawElement struct {
	Name  string
	Attr  []xml.Attr
	Inner string
}

// rawWire reads and writes a RawElement.
type rawWire struct {
	XMLName xml.Name
	Attr    []xml.Attr `xml:",any,attr"`
	Inner   string     `xml:",innerxml"`
}

// targetLists names the four modelled lists of <scope> and <exclusions>:
// the outer element, its children, and where they go.
func targetLists(computers, groups, buildings, departments *[]Ref) []listXML {
	return []listXML{
		{"computers", "computer", computers},
		{"computer_groups", "computer_group", groups},
		{"buildings", "building", buildings},
		{"departments", "department", departments},
	}
}

type listXML struct {
	outer, inner string
	refs         *[]Ref
}

// UnmarshalXML reads a Classic <scope>.
func (s *Scope) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	*s = Scope{}
	lists := targetLists(&s.Computers, &s.ComputerGroups, &s.Buildings, &s.Departments)
	return eachChild(d, func(el xml.StartElement) error {
		switch el.Name.Local {
		case "all_computers":
			return d.DecodeElement(&s.AllComputers, &el)
		case "exclusions":
			return d.DecodeElement(&s.Exclusions, &el)
		}
		return decodeListOrRaw(d, el, lists, &s.Unmodelled)
	})
}

// UnmarshalXML reads a Classic <exclusions>.
func (x *Exclusions) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	*x = Exclusions{}
	lists := targetLists(&x.Computers, &x.ComputerGroups, &x.Buildings, &x.Departments)
	return eachChild(d, func(el xml.StartElement) error {
		return decodeListOrRaw(d, el, lists, &x.Unmodelled)
	})
}

// eachChild calls f for every child element until the enclosing element
// ends; f must consume the element it is given.
func eachChild(d *xml.Decoder, f func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := f(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// decodeListOrRaw decodes el into the modelled list it names, or keeps it
// as a RawElement in raw.
func decodeListOrRaw(d *xml.Decoder, el xml.StartElement, lists []listXML, raw *[]RawElement) error {
	for _, l := range lists {
		if el.Name.Local != l.outer {
			continue
		}
		// A Classic list may start with <size>; only l.inner children are
		// entries.
		var w struct {
			Items []struct {
				XMLName xml.Name
				Ref
			} `xml:",any"`
		}
		if err := d.DecodeElement(&w, &el); err != nil {
			return err
		}
		var refs []Ref
		for _, it := range w.Items {
			if it.XMLName.Local == l.inner {
				refs = append(refs, it.Ref)
			}
		}
		*l.refs = refs
		return nil
	}
	var w rawWire
	if err := d.DecodeElement(&w, &el); err != nil {
		return err
	}
	*raw = append(*raw, RawElement{Name: el.Name.Local, Attr: w.Attr, Inner: w.Inner})
	return nil
}

// MarshalXML writes a Classic <scope>: every modelled list (empty ones as
// empty elements), then the unmodelled elements exactly as read.
func (s Scope) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeElement(s.AllComputers, xml.StartElement{Name: xml.Name{Local: "all_computers"}}); err != nil {
		return err
	}
	if err := encodeLists(e, targetLists(&s.Computers, &s.ComputerGroups, &s.Buildings, &s.Departments)); err != nil {
		return err
	}
	if err := encodeRaw(e, s.Unmodelled); err != nil {
		return err
	}
	x := s.Exclusions
	ex := xml.StartElement{Name: xml.Name{Local: "exclusions"}}
	if err := e.EncodeToken(ex); err != nil {
		return err
	}
	if err := encodeLists(e, targetLists(&x.Computers, &x.ComputerGroups, &x.Buildings, &x.Departments)); err != nil {
		return err
	}
	if err := encodeRaw(e, x.Unmodelled); err != nil {
		return err
	}
	if err := e.EncodeToken(ex.End()); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

func encodeLists(e *xml.Encoder, lists []listXML) error {
	for _, l := range lists {
		start := xml.StartElement{Name: xml.Name{Local: l.outer}}
		if err := e.EncodeToken(start); err != nil {
			return err
		}
		for _, r := range *l.refs {
			if err := e.EncodeElement(r, xml.StartElement{Name: xml.Name{Local: l.inner}}); err != nil {
				return err
			}
		}
		if err := e.EncodeToken(start.End()); err != nil {
			return err
		}
	}
	return nil
}

func encodeRaw(e *xml.Encoder, els []RawElement) error {
	for _, el := range els {
		w := rawWire{XMLName: xml.Name{Local: el.Name}, Attr: el.Attr, Inner: el.Inner}
		if err := e.Encode(w); err != nil {
			return fmt.Errorf("scope element <%s>: %w", el.Name, err)
		}
	}
	return nil
}

// The unmodelled lists the Classic API documents for a profile's scope
// (Jamf Pro Classic API reference, osxconfigurationprofiles). OwnUnmodelled
// empties these even when a GET did not show them.
var (
	documentedScopeLists      = []string{allJSSUsers, "jss_users", "jss_user_groups", limitations}
	documentedLimitationLists = []string{"users", "user_groups", "network_segments", "ibeacons"}
	documentedExclusionLists  = []string{"users", "user_groups", "network_segments", "ibeacons", "jss_users", "jss_user_groups"}
)

const (
	allJSSUsers = "all_jss_users"
	limitations = "limitations"
	// allJSSUsersTarget is the one entry of all_jss_users when it is true.
	allJSSUsersTarget = "all JSS users"
)

// errTextOnly marks an element that holds text, not a list.
var errTextOnly = errors.New("element holds text, not child elements")

// OwnUnmodelled empties every list of s that jamf-scep does not model
// (--replace-scope owns every list): all_jss_users becomes false, and
// jss_users, jss_user_groups, each list under limitations and each
// unmodelled list under exclusions becomes empty. Lists the Classic API
// documents are emptied even when the GET did not show them; an element
// read that holds only text (not a list) is kept as read.
func (s *Scope) OwnUnmodelled() {
	s.Unmodelled = emptied(s.Unmodelled, documentedScopeLists)
	s.Exclusions.Unmodelled = emptied(s.Exclusions.Unmodelled, documentedExclusionLists)
}

func emptied(read []RawElement, documented []string) []RawElement {
	out := make([]RawElement, 0, len(read)+len(documented))
	for _, el := range read {
		out = append(out, emptyOf(el))
	}
	for _, name := range documented {
		if !slices.ContainsFunc(read, func(el RawElement) bool { return el.Name == name }) {
			out = append(out, emptyOf(RawElement{Name: name}))
		}
	}
	return out
}

// emptyOf returns el with its entries removed.
func emptyOf(el RawElement) RawElement {
	switch el.Name {
	case allJSSUsers:
		return RawElement{Name: el.Name, Attr: el.Attr, Inner: "false"}
	case limitations:
		names := childNames(el.Inner)
		for _, n := range documentedLimitationLists {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		var b strings.Builder
		for _, n := range names {
			b.WriteString("<" + n + "/>")
		}
		return RawElement{Name: el.Name, Attr: el.Attr, Inner: b.String()}
	}
	if _, err := children(el.Inner); err != nil {
		return el // text only: not a list
	}
	return RawElement{Name: el.Name, Attr: el.Attr}
}

// childNames returns the names of the child elements of inner, in order,
// each once.
func childNames(inner string) []string {
	kids, _ := children(inner)
	var names []string
	for _, k := range kids {
		if !slices.Contains(names, k.Name) {
			names = append(names, k.Name)
		}
	}
	return names
}

// children parses inner as a sequence of elements. Text that is not
// whitespace makes it a scalar: errTextOnly.
func children(inner string) ([]RawElement, error) {
	d := xml.NewDecoder(strings.NewReader("<x>" + inner + "</x>"))
	if _, err := d.Token(); err != nil {
		return nil, err
	}
	var out []RawElement
	err := eachChildText(d, func(el xml.StartElement) error {
		var w rawWire
		if err := d.DecodeElement(&w, &el); err != nil {
			return err
		}
		out = append(out, RawElement{Name: el.Name.Local, Attr: w.Attr, Inner: w.Inner})
		return nil
	})
	return out, err
}

// eachChildText is eachChild that fails on non-space text between
// children.
func eachChildText(d *xml.Decoder, f func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := f(t); err != nil {
				return err
			}
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return errTextOnly
			}
		case xml.EndElement:
			return nil
		}
	}
}

// OtherList is one list of a scope that jamf-scep does not model, read
// from its raw XML to be shown and compared.
type OtherList struct {
	// Path names the list in the Classic <scope>: "jss_users",
	// "limitations.network_segments", "exclusions.jss_user_groups", or
	// "all_jss_users" for the switch.
	Path string
	// Refs are the list's entries (the id and name of each child but
	// <size>); all_jss_users has the one entry "all JSS users" when true.
	Refs []Ref
}

// OtherLists returns every unmodelled list of s in the order read:
// <scope>'s own, the lists under <limitations>, then <exclusions>'s.
// Elements that hold only text, other than all_jss_users, are left out.
func (s Scope) OtherLists() []OtherList {
	var out []OtherList
	for _, el := range s.Unmodelled {
		switch el.Name {
		case allJSSUsers:
			l := OtherList{Path: el.Name, Refs: []Ref{}}
			if v, err := strconv.ParseBool(strings.TrimSpace(el.Inner)); err == nil && v {
				l.Refs = append(l.Refs, Ref{Name: allJSSUsersTarget})
			}
			out = append(out, l)
		case limitations:
			kids, _ := children(el.Inner)
			for _, k := range kids {
				out = appendList(out, limitations+"."+k.Name, k.Inner)
			}
		default:
			out = appendList(out, el.Name, el.Inner)
		}
	}
	for _, el := range s.Exclusions.Unmodelled {
		out = appendList(out, "exclusions."+el.Name, el.Inner)
	}
	return out
}

// appendList appends the list at path whose inner XML is inner, unless
// inner is text only.
func appendList(out []OtherList, path, inner string) []OtherList {
	kids, err := children(inner)
	if err != nil {
		return out
	}
	l := OtherList{Path: path, Refs: []Ref{}}
	for _, k := range kids {
		var item struct {
			ID   string `xml:"id"`
			Name string `xml:"name"`
		}
		if k.Name == "size" || xml.Unmarshal([]byte("<x>"+k.Inner+"</x>"), &item) != nil {
			continue
		}
		id, _ := strconv.Atoi(strings.TrimSpace(item.ID))
		if id != 0 || item.Name != "" {
			l.Refs = append(l.Refs, Ref{ID: id, Name: item.Name})
		}
	}
	return append(out, l)
}
