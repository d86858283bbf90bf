package profile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"howett.net/plist"
)

// Limits on a property list read from a user or a server. A real
// configuration profile has a few hundred values; these leave two orders of
// magnitude of room.
const (
	// MaxPlistValues caps the values a plist expands to once shared
	// references in a binary plist are followed.
	MaxPlistValues = 100_000
	// MaxPlistDepth caps the nesting of arrays and dictionaries.
	MaxPlistDepth = 256
)

var errPlistTooLarge = fmt.Errorf("the property list expands to more than %d values or %d levels; a configuration profile is far smaller", MaxPlistValues, MaxPlistDepth)

// UnmarshalPlist decodes untrusted plist bytes into v after checking that a
// binary plist does not expand beyond MaxPlistValues and MaxPlistDepth.
// A binary plist may reference one object from many places, so a few
// hundred bytes can describe gigabytes once decoded; the check walks the
// object table with memoised sizes before howett.net/plist expands it.
func UnmarshalPlist(data []byte, v any) error {
	if bytes.HasPrefix(data, []byte("bplist00")) {
		if err := checkBinaryPlist(data); err != nil {
			return err
		}
	}
	_, err := plist.Unmarshal(data, v)
	return err
}

// checkBinaryPlist computes the expanded size of a bplist00 object graph
// (Apple's CFBinaryPList format: objects, an offset table and a 32-byte
// trailer) without decoding values.
func checkBinaryPlist(data []byte) error {
	if len(data) < 8+32 {
		return errors.New("binary plist is truncated")
	}
	tr := data[len(data)-32:]
	offSize, refSize := int(tr[6]), int(tr[7])
	count := binary.BigEndian.Uint64(tr[8:16])
	top := binary.BigEndian.Uint64(tr[16:24])
	table := binary.BigEndian.Uint64(tr[24:32])
	if offSize < 1 || offSize > 8 || refSize < 1 || refSize > 8 || count == 0 || top >= count ||
		table >= uint64(len(data)) || count > uint64(len(data)) || table+count*uint64(offSize) > uint64(len(data)-32) {
		return errors.New("binary plist has an invalid trailer")
	}
	readUint := func(b []byte) uint64 {
		var n uint64
		for _, c := range b {
			n = n<<8 | uint64(c)
		}
		return n
	}
	offset := func(i uint64) uint64 { return readUint(data[table+i*uint64(offSize) : table+(i+1)*uint64(offSize)]) }

	const visiting = -1
	size := make(map[uint64]int, count)
	var walk func(i uint64, depth int) (int, error)
	walk = func(i uint64, depth int) (int, error) {
		if depth > MaxPlistDepth {
			return 0, errPlistTooLarge
		}
		switch s, seen := size[i]; {
		case seen && s == visiting:
			return 0, errors.New("binary plist references itself")
		case seen:
			return s, nil
		}
		off := offset(i)
		if off >= table {
			return 0, errors.New("binary plist has an object outside its object table")
		}
		marker := data[off]
		kind, n, pos := marker>>4, uint64(marker&0x0f), off+1
		refs := uint64(0)
		switch kind {
		case 0xA, 0xC: // array, set
			refs = 1
		case 0xD: // dictionary: keys, then values
			refs = 2
		default:
			size[i] = 1
			return 1, nil
		}
		if n == 0x0f { // the count follows as an int object: 0x1N, 2^N bytes
			if pos >= table || data[pos]>>4 != 0x1 {
				return 0, errors.New("binary plist has a bad container count")
			}
			w := uint64(1) << (data[pos] & 0x0f)
			if w > 8 || pos+1+w > table {
				return 0, errors.New("binary plist has a bad container count")
			}
			n = readUint(data[pos+1 : pos+1+w])
			pos += 1 + w
		}
		children := n * refs
		if children > uint64(MaxPlistValues) || pos+children*uint64(refSize) > table {
			return 0, errPlistTooLarge
		}
		size[i] = visiting
		total := 1
		for c := range children {
			ref := readUint(data[pos+c*uint64(refSize) : pos+(c+1)*uint64(refSize)])
			if ref >= count {
				return 0, errors.New("binary plist references a missing object")
			}
			s, err := walk(ref, depth+1)
			if err != nil {
				return 0, err
			}
			if total += s; total > MaxPlistValues {
				return 0, errPlistTooLarge
			}
		}
		size[i] = total
		return total, nil
	}
	_, err := walk(top, 0)
	return err
}
