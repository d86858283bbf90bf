package scepcheck_test

import (
	"crypto/x509/pkix"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

func TestCompareNames(t *testing.T) {
	cn := func(v string) pkix.AttributeTypeAndValue { return atv(oidCN, v) }
	ou := func(v string) pkix.AttributeTypeAndValue { return atv(oidOU, v) }
	o := func(v string) pkix.AttributeTypeAndValue { return atv(oidO, v) }
	tests := []struct {
		name      string
		want, got pkix.RDNSequence
		match     scepcheck.NameMatch
		diff      []string
	}{
		{"identical", pkix.RDNSequence{{o("ACME")}, {cn("Mac")}}, pkix.RDNSequence{{o("ACME")}, {cn("Mac")}}, scepcheck.NamesEqual, nil},
		{"case ignored", pkix.RDNSequence{{cn("Test Mac")}}, pkix.RDNSequence{{cn("TEST mac")}}, scepcheck.NamesEqual, nil},
		{"insignificant space", pkix.RDNSequence{{cn("Test  Mac")}}, pkix.RDNSequence{{cn(" Test\tMac ")}}, scepcheck.NamesEqual, nil},
		{"NFKC and no-break space", pkix.RDNSequence{{cn("ﬁle\u00a0Mac")}}, pkix.RDNSequence{{cn("file Mac")}}, scepcheck.NamesEqual, nil},
		{"soft hyphen mapped to nothing", pkix.RDNSequence{{cn("Mac\u00adBook")}}, pkix.RDNSequence{{cn("MacBook")}}, scepcheck.NamesEqual, nil},
		{"order inside a multi-valued RDN", pkix.RDNSequence{{cn("x"), ou("y")}}, pkix.RDNSequence{{ou("y"), cn("x")}}, scepcheck.NamesEqual, nil},
		{"RDNs reordered", pkix.RDNSequence{{cn("x")}, {o("ACME")}}, pkix.RDNSequence{{o("ACME")}, {cn("x")}}, scepcheck.NamesReordered, nil},
		{"multi-valued RDN split", pkix.RDNSequence{{cn("x"), ou("y")}}, pkix.RDNSequence{{ou("y")}, {cn("x")}}, scepcheck.NamesReordered, nil},
		{"value differs", pkix.RDNSequence{{cn("Mac 1")}}, pkix.RDNSequence{{cn("Mac 2")}}, scepcheck.NamesDiffer, []string{"-CN=Mac 1", "+CN=Mac 2"}},
		{"attribute dropped", pkix.RDNSequence{{o("ACME")}, {cn("x")}}, pkix.RDNSequence{{cn("x")}}, scepcheck.NamesDiffer, []string{"-O=ACME"}},
		{"repeated attribute counts", pkix.RDNSequence{{ou("a")}, {ou("a")}}, pkix.RDNSequence{{ou("a")}}, scepcheck.NamesDiffer, []string{"-OU=a"}},
		{"type differs", pkix.RDNSequence{{cn("x")}}, pkix.RDNSequence{{ou("x")}}, scepcheck.NamesDiffer, []string{"-CN=x", "+OU=x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diff := scepcheck.CompareNames(tt.want, tt.got)
			if m != tt.match {
				t.Errorf("CompareNames = %v, want %v", m, tt.match)
			}
			if d := cmp.Diff(tt.diff, diff); d != "" {
				t.Errorf("diff (-want +got):\n%s", d)
			}
		})
	}
}
