package jamf

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkProfileRoundTrip is one read and one full update of a SCEP
// profile over loopback HTTP: GET, then PUT of general (compacting and
// encoding the plist) and scope.
func BenchmarkProfileRoundTrip(b *testing.B) {
	f := newFakeJamf(b)
	newClassicServer(f)
	c := f.client(b)
	ctx := b.Context()
	id, err := c.CreateProfile(ctx, testProfile())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		p, err := c.GetProfile(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.UpdateProfile(ctx, id, ProfileUpdate{General: &p.General, Scope: &p.Scope}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve loads a tenant of 5,000 computers (3 inventory pages)
// and 500 groups over loopback HTTP and resolves 100 computer names (by
// name, serial and UDID) and 50 group names.
func BenchmarkResolve(b *testing.B) {
	f := newFakeJamf(b)
	dir := bigDirectory(5000, 500)
	f.handle("GET "+versionPath, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"version":"11.30.0"}`) })
	f.handle("GET "+inventoryPathFor(4), pagedHandler(dir.Computers))
	groupsJSON := mustJSONString(dir.ComputerGroups)
	f.handle("GET "+computerGroups, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, groupsJSON) })
	c := f.client(b)
	names := bigNames(dir)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Resolve(b.Context(), names); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDirectoryResolve is the matching alone, on a loaded directory.
func BenchmarkDirectoryResolve(b *testing.B) {
	dir := bigDirectory(5000, 500)
	names := bigNames(dir)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dir.Resolve(names); err != nil {
			b.Fatal(err)
		}
	}
}

func bigDirectory(computers, groups int) *Directory {
	d := &Directory{}
	for i := range computers {
		d.Computers = append(d.Computers, Computer{
			ID:       strconv.Itoa(i + 1),
			UDID:     fmt.Sprintf("%08X-0000-4000-8000-%012X", i, i),
			General:  ComputerGeneral{Name: fmt.Sprintf("MAC-%05d", i)},
			Hardware: ComputerHardware{SerialNumber: fmt.Sprintf("C02X%08d", i)},
		})
	}
	for i := range groups {
		d.ComputerGroups = append(d.ComputerGroups, ComputerGroup{ID: strconv.Itoa(i + 1), Name: fmt.Sprintf("Group %03d", i)})
	}
	return d
}

func bigNames(d *Directory) Names {
	var n Names
	for i := 0; i < len(d.Computers) && len(n.Computers) < 100; i += 50 {
		c := d.Computers[i]
		n.Computers = append(n.Computers, c.General.Name, c.Hardware.SerialNumber)
	}
	for i := 0; i < len(d.ComputerGroups) && len(n.ComputerGroups) < 50; i += 10 {
		n.ComputerGroups = append(n.ComputerGroups, d.ComputerGroups[i].Name)
	}
	return n
}
