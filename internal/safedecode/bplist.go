package safedecode

import (
	"encoding/binary"
	"errors"
)

// checkBinaryPlist computes the expanded size and depth of a bplist00
// object graph (Apple's CFBinaryPList format: objects, an offset table and
// a 32-byte trailer) without decoding values. A binary plist may reference
// one object from many places, so a few hundred bytes can describe
// gigabytes once decoded; sizes are memoised so the walk itself is linear
// in the number of objects, and recursion stops at lim.Depth.
func checkBinaryPlist(data []byte, lim Limits) error {
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

	tooMany := &LimitError{Input: "property list", What: "values", Limit: lim.Values}
	const visiting = -1
	size := make(map[uint64]int, count)
	var walk func(i uint64, depth int) (int, error)
	walk = func(i uint64, depth int) (int, error) {
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
		if depth >= lim.Depth { // this container is level depth+1
			return 0, &LimitError{Input: "property list", What: "levels of nesting", Limit: lim.Depth}
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
		if children > uint64(lim.Values) {
			return 0, tooMany
		}
		if pos+children*uint64(refSize) > table {
			return 0, errors.New("binary plist has a container larger than its object table")
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
			if total += s; total > lim.Values {
				return 0, tooMany
			}
		}
		size[i] = total
		return total, nil
	}
	_, err := walk(top, 0)
	return err
}
