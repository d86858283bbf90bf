package profile

import (
	"strconv"
	"strings"
)

// KeyPath is the position of a value in a decoded plist tree, kept as a
// walk descends: PushKey or PushIndex on the way down, Pop on the way up.
// It is rendered (String) only when a path is shown, so a walk costs O(1)
// per level and O(depth) per path it shows; concatenating the full path
// at every level would cost O(depth²) bytes, gigabytes for a plist nested
// 100,000 levels deep.
//
// It also counts the keys on the path that hold a secret (see
// [SecretRule]), so Secret answers in O(1) whether anything at or below
// this point must be masked.
type KeyPath struct {
	segs    []pathSeg
	secrets int
	rule    SecretRule
}

type pathSeg struct {
	key    string
	index  int // -1 for a dictionary key
	secret bool
}

// NewKeyPath returns an empty path (the root) judging keys with rule.
func NewKeyPath(rule SecretRule) *KeyPath { return &KeyPath{rule: rule} }

// PushKey descends into the dictionary value under key.
func (p *KeyPath) PushKey(key string) {
	s := p.rule.IsSecret(key)
	if s {
		p.secrets++
	}
	p.segs = append(p.segs, pathSeg{key: key, index: -1, secret: s})
}

// PushIndex descends into array element i.
func (p *KeyPath) PushIndex(i int) { p.segs = append(p.segs, pathSeg{index: i}) }

// Pop returns to the parent.
func (p *KeyPath) Pop() {
	if last := p.segs[len(p.segs)-1]; last.secret {
		p.secrets--
	}
	p.segs = p.segs[:len(p.segs)-1]
}

// Secret reports whether a key on the path names a secret: the value here,
// and everything inside it, is masked.
func (p *KeyPath) Secret() bool { return p.secrets > 0 }

// String is the path in profile lint's notation:
// "PayloadContent[0].PayloadContent.Challenge"; "" for the root.
func (p *KeyPath) String() string {
	var b strings.Builder
	for _, s := range p.segs {
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}
