package safedecode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// bomb builds a binary plist of levels arrays, each holding width
// references to the array below: a few hundred bytes that expand to
// width^levels values.
func bomb(levels, width int) []byte {
	var b bytes.Buffer
	b.WriteString("bplist00")
	offsets := []int{b.Len()}
	b.WriteByte(0x10) // object 0: the integer 0
	b.WriteByte(0)
	for l := 1; l <= levels; l++ {
		offsets = append(offsets, b.Len())
		b.WriteByte(0xA0 | byte(width)) // array of width refs
		for range width {
			b.WriteByte(byte(l - 1))
		}
	}
	table := b.Len()
	for _, o := range offsets {
		var x [2]byte
		binary.BigEndian.PutUint16(x[:], uint16(o))
		b.Write(x[:])
	}
	var tr [32]byte
	tr[6], tr[7] = 2, 1
	binary.BigEndian.PutUint64(tr[8:], uint64(len(offsets)))
	binary.BigEndian.PutUint64(tr[16:], uint64(levels))
	binary.BigEndian.PutUint64(tr[24:], uint64(table))
	b.Write(tr[:])
	return b.Bytes()
}

func TestBinaryPlistBombRefused(t *testing.T) {
	data := bomb(12, 14) // 471 bytes, 14^12 values once expanded
	if len(data) > 500 {
		t.Fatalf("bomb is %d bytes", len(data))
	}
	var v any
	err := Plist(data, &v)
	var le *LimitError
	if !errors.As(err, &le) || le.What != "values" || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want a values LimitError", err)
	}
}

func TestBinaryPlistSmallSharingAllowed(t *testing.T) {
	data := bomb(3, 4) // 85 values: fine
	var v any
	if err := Plist(data, &v); err != nil {
		t.Fatalf("small shared plist refused: %v", err)
	}
}

func TestBinaryPlistMalformed(t *testing.T) {
	for _, data := range [][]byte{
		[]byte("bplist00"),
		append([]byte("bplist00"), make([]byte, 32)...),
		func() []byte { b := bomb(2, 2); b[len(b)-9] = 0xFF; return b }(), // offset table beyond the file
	} {
		if err := checkBinaryPlist(data, PlistLimits); err == nil {
			t.Errorf("checkBinaryPlist(%x) = nil, want an error", data)
		}
	}
}

func FuzzCheckBinaryPlist(f *testing.F) {
	f.Add(bomb(3, 3))
	f.Add(bomb(12, 14))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = checkBinaryPlist(append([]byte("bplist00"), data...), PlistLimits)
	})
}

func TestBinaryPlistDepth(t *testing.T) {
	lim := Limits{Bytes: 1 << 10, Depth: 3, Values: 100}
	if err := checkBinaryPlist(bomb(3, 1), lim); err != nil { // 3 arrays around an integer
		t.Errorf("3 levels, limit 3: %v", err)
	}
	if err := checkBinaryPlist(bomb(4, 1), lim); !errors.Is(err, ErrTooLarge) {
		t.Errorf("4 levels, limit 3: err = %v, want ErrTooLarge", err)
	}
}
