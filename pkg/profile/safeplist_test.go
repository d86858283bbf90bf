package profile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"howett.net/plist"
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
	if err := UnmarshalPlist(data, &v); !errors.Is(err, errPlistTooLarge) {
		t.Fatalf("err = %v, want errPlistTooLarge", err)
	}
	fs := Lint(data, LintOptions{})
	if len(fs) == 0 || !strings.Contains(fs[0].Message, "expands to more than") {
		t.Errorf("Lint findings = %v", fs)
	}
}

func TestBinaryPlistSmallSharingAllowed(t *testing.T) {
	data := bomb(3, 4) // 85 values: fine
	var v any
	if err := UnmarshalPlist(data, &v); err != nil {
		t.Fatalf("small shared plist refused: %v", err)
	}
}

func TestBinaryPlistOfARealProfile(t *testing.T) {
	p, _, err := Build(Options{SCEPURL: "https://acme.okta.com/pki/0123456789abcdef0123456789abcdef01234567/scep/rac1", ChallengeType: ChallengeStatic, Challenge: "s3cret"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	xmlData, err := p.MarshalFile(RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var root any
	if _, err := plist.Unmarshal(xmlData, &root); err != nil {
		t.Fatal(err)
	}
	bin, err := plist.Marshal(root, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkBinaryPlist(bin); err != nil {
		t.Errorf("a real profile in binary form is refused: %v", err)
	}
	var back any
	if err := UnmarshalPlist(bin, &back); err != nil {
		t.Error(err)
	}
}

func TestBinaryPlistMalformed(t *testing.T) {
	for _, data := range [][]byte{
		[]byte("bplist00"),
		append([]byte("bplist00"), make([]byte, 32)...),
		func() []byte { b := bomb(2, 2); b[len(b)-9] = 0xFF; return b }(), // offset table beyond the file
	} {
		if err := checkBinaryPlist(data); err == nil {
			t.Errorf("checkBinaryPlist(%x) = nil, want an error", data)
		}
	}
}

func FuzzCheckBinaryPlist(f *testing.F) {
	f.Add(bomb(3, 3))
	f.Add(bomb(12, 14))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = checkBinaryPlist(append([]byte("bplist00"), data...))
	})
}
