package initcmd

import (
	"fmt"
	"io"

	"github.com/charmbracelet/huh"
)

// aloud is a field in accessible mode that reads its description and its
// default before huh's prompt, which says neither (huh prints the title
// only; an empty answer keeps the default).
type aloud struct {
	huh.Field
	desc   func() string
	secret bool // a masked input: its value is never read aloud
	// label names a select's value as its options show it; a select
	// without one has its default left unsaid rather than read as a key.
	label func(string) string
}

// WithAccessible keeps the wrapper: huh v1's accessible form run still
// calls field.WithAccessible(true).RunAccessible, so the wrapper must
// survive it.
func (a aloud) WithAccessible(b bool) huh.Field {
	a.Field = a.Field.WithAccessible(b) //nolint:staticcheck // huh's own form calls it; see above
	return a
}

// RunAccessible reads the description and default, then prompts.
func (a aloud) RunAccessible(w io.Writer, r io.Reader) error {
	if a.desc != nil {
		if d := a.desc(); d != "" {
			_, _ = fmt.Fprintln(w, d)
		}
	}
	if v, ok := a.Field.GetValue().(string); ok && v != "" && !a.secret {
		if _, isSelect := a.Field.(*huh.Select[string]); isSelect {
			v = a.labelOf(v)
		}
		if v != "" {
			_, _ = fmt.Fprintf(w, "Default: %s (press Enter to keep it)\n", v)
		}
	}
	return a.Field.RunAccessible(w, r)
}

// labelOf is the option label of a select's value; "" when unknown.
func (a aloud) labelOf(v string) string {
	if a.label == nil {
		return ""
	}
	return a.label(v)
}

// choice is a select over opts bound to v whose default accessible mode
// reads by its label.
func (w *wizard) choice(title string, v *string, opts ...huh.Option[string]) *huh.Select[string] {
	s := huh.NewSelect[string]().Title(title).Options(opts...).Value(v)
	w.described(s, nil, false)
	a := w.aloud[s]
	a.label = func(key string) string {
		for _, o := range opts {
			if o.Value == key {
				return o.Key
			}
		}
		return ""
	}
	w.aloud[s] = a
	return s
}

// described records what accessible mode reads aloud for f: desc, and
// whether f is a masked input. It returns f, for use in place.
func (w *wizard) described(f huh.Field, desc func() string, secret bool) huh.Field {
	if w.aloud == nil {
		w.aloud = map[huh.Field]aloud{}
	}
	w.aloud[f] = aloud{Field: f, desc: desc, secret: secret}
	return f
}

// speak wraps the fields for accessible mode.
func (w *wizard) speak(fields []huh.Field) []huh.Field {
	out := make([]huh.Field, len(fields))
	for i, f := range fields {
		if a, ok := w.aloud[f]; ok {
			out[i] = a
		} else {
			out[i] = aloud{Field: f}
		}
	}
	return out
}
