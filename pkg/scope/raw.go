package scope

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/jamf"
)

// rawEntries returns, list by list with jamf.OtherList's paths, the entries
// of s's unmodelled lists that have neither an id nor a name (and so are
// not in jamf.Scope.OtherLists), each as a Ref named by its XML with white
// space folded ("<x>1</x>"). --replace-scope empties them like any other
// entry, so [Diff] must show them; a <size> child is a count, not an entry.
func rawEntries(s jamf.Scope) []jamf.OtherList {
	var out []jamf.OtherList
	add := func(path, inner string) {
		if refs := anonymousChildren(inner); len(refs) > 0 {
			out = append(out, jamf.OtherList{Path: path, Refs: refs})
		}
	}
	for _, el := range s.Unmodelled {
		switch el.Name {
		case "all_jss_users":
		case "limitations":
			for _, k := range xmlChildren(el.Inner) {
				add("limitations."+k.name, k.inner)
			}
		default:
			add(el.Name, el.Inner)
		}
	}
	for _, el := range s.Exclusions.Unmodelled {
		add("exclusions."+el.Name, el.Inner)
	}
	return out
}

// anonymousChildren returns the children of inner but <size> that have no
// id and no name.
func anonymousChildren(inner string) []jamf.Ref {
	var refs []jamf.Ref
	for _, k := range xmlChildren(inner) {
		var item struct {
			ID   string `xml:"id"`
			Name string `xml:"name"`
		}
		if k.name == "size" {
			continue
		}
		if xml.Unmarshal([]byte("<x>"+k.inner+"</x>"), &item) == nil {
			if id, _ := strconv.Atoi(strings.TrimSpace(item.ID)); id != 0 || item.Name != "" {
				continue
			}
		}
		refs = append(refs, jamf.Ref{Name: "<" + k.name + ">" + strings.Join(strings.Fields(k.inner), " ") + "</" + k.name + ">"})
	}
	return refs
}

type xmlChild struct{ name, inner string }

// xmlChildren parses inner as a sequence of elements; text or malformed
// XML gives none.
func xmlChildren(inner string) []xmlChild {
	d := xml.NewDecoder(strings.NewReader("<x>" + inner + "</x>"))
	if _, err := d.Token(); err != nil {
		return nil
	}
	var out []xmlChild
	for {
		tok, err := d.Token()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var w struct {
				Inner string `xml:",innerxml"`
			}
			if err := d.DecodeElement(&w, &t); err != nil {
				return nil
			}
			out = append(out, xmlChild{t.Name.Local, w.Inner})
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return nil
			}
		case xml.EndElement:
			return out
		}
	}
}
