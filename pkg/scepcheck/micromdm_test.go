package scepcheck_test

import (
	"cmp"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/smallstep/scep"

	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck/sceptest"
)

var (
	oidCN = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidOU = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidO  = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidC  = asn1.ObjectIdentifier{2, 5, 4, 6}
)

func atv(oid asn1.ObjectIdentifier, v string) pkix.AttributeTypeAndValue {
	return pkix.AttributeTypeAndValue{Type: oid, Value: v}
}

// TestMicromdmCapsAndCACert: GetCACaps and GetCACert against micromdm's
// SCEP server.
func TestMicromdmCapsAndCACert(t *testing.T) {
	srv := sceptest.New(t, sceptest.Options{Challenge: "static-challenge-micromdm"})
	caps, r := scepcheck.CheckCACaps(t.Context(), client(), srv.URL)
	if r.Status != check.Pass {
		t.Fatalf("CheckCACaps = %v %s", r.Status, r.Message)
	}
	want := scepcheck.Caps{"Renewal", "SHA-1", "SHA-256", "AES", "DES3", "SCEPStandard", "POSTPKIOperation"}
	if diff := gocmp.Diff(want, caps); diff != "" {
		t.Errorf("caps (-want +got):\n%s", diff)
	}
	ca, r := scepcheck.CheckCACert(t.Context(), client(), srv.URL, time.Now(), 30)
	if r.Status != check.Pass {
		t.Fatalf("CheckCACert = %v %s", r.Status, r.Message)
	}
	if ca.ContentType != scepcheck.ContentTypeCACert || !ca.CA.Equal(srv.CA) || len(ca.RA) != 0 {
		t.Errorf("GetCACert gave %s %s with %d RA, want the server's DER CA", ca.ContentType, ca.CA.Subject, len(ca.RA))
	}
}

// TestMicromdmEnroll: real enrollments against micromdm's SCEP server with
// both key sizes a profile may ask for, multi-RDN and multi-valued-RDN
// Subjects (which micromdm reorders and splits: a note, not a failure),
// and a wrong challenge (a clear failure).
func TestMicromdmEnroll(t *testing.T) {
	const challenge = "static-challenge-micromdm"
	tests := []struct {
		name      string
		subject   pkix.RDNSequence
		keySize   int
		challenge string
		want      check.Status
		wantMatch scepcheck.NameMatch
		wantInMsg string
		wantIssue string // the issued Subject, RFC 4514 (last RDN first)
	}{
		{
			name: "RSA 2048", subject: subject("micromdm Mac 2048"), keySize: 2048,
			want: check.Pass, wantMatch: scepcheck.NamesEqual, wantIssue: "CN=micromdm Mac 2048",
		},
		{
			name: "RSA 4096", subject: subject("micromdm Mac 4096"), keySize: 4096,
			want: check.Pass, wantMatch: scepcheck.NamesEqual, wantIssue: "CN=micromdm Mac 4096",
		},
		{
			name: "multi-RDN Subject in another order",
			subject: pkix.RDNSequence{
				{atv(oidCN, "micromdm Mac multi")}, {atv(oidOU, "Macs")}, {atv(oidO, "ACME")}, {atv(oidC, "US")},
			},
			want: check.Info, wantMatch: scepcheck.NamesReordered, wantInMsg: "note: the CA issued the Subject's attributes in another RDN order",
			wantIssue: "CN=micromdm Mac multi,OU=Macs,O=ACME,C=US",
		},
		{
			name:    "multi-valued RDN CN=x+OU=y",
			subject: pkix.RDNSequence{{atv(oidO, "ACME")}, {atv(oidCN, "micromdm Mac mv"), atv(oidOU, "Macs")}},
			want:    check.Info, wantMatch: scepcheck.NamesReordered, wantInMsg: "note:",
			wantIssue: "CN=micromdm Mac mv,OU=Macs,O=ACME",
		},
		{
			name: "wrong challenge", subject: subject("micromdm Mac wrong"), challenge: "wrong-challenge-0000",
			want: check.Fail, wantInMsg: "failInfo badRequest",
		},
	}
	srv := sceptest.New(t, sceptest.Options{Challenge: challenge})
	issued := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := scepcheck.EnrollRequest{
				SCEPURL: srv.URL, Subject: tt.subject, Challenge: scepcheck.NewChallenge(challenge),
				Clock: time.Now, ClockSkew: 5 * time.Minute, KeySize: tt.keySize,
			}
			if tt.keySize == 2048 || tt.keySize == 0 {
				req.Key = testKey() // 4096 is generated, as doctor does
			}
			if tt.challenge != "" {
				req.Challenge = scepcheck.NewChallenge(tt.challenge)
			}
			e, r := scepcheck.EnrollTest(t.Context(), client(), req)
			if r.Status != tt.want {
				t.Fatalf("status = %v, want %v (%s; fix %s)", r.Status, tt.want, r.Message, r.Fix)
			}
			if !strings.Contains(r.Message, tt.wantInMsg) {
				t.Errorf("message %q lacks %q", r.Message, tt.wantInMsg)
			}
			if strings.Contains(r.Message+r.Fix+fmtDetails(r), req.Challenge.Reveal()) {
				t.Error("result shows the challenge")
			}
			if tt.want == check.Fail {
				var rej *scepcheck.RejectedError
				if !errors.As(r.Err, &rej) || rej.FailInfo != scep.BadRequest || !strings.Contains(r.Fix, "challenge is wrong") {
					t.Errorf("error %v, fix %q: want a badRequest rejection and a fix about the challenge", r.Err, r.Fix)
				}
				return
			}
			issued++
			if e.Subject != tt.wantMatch {
				t.Errorf("Subject match = %v, want %v", e.Subject, tt.wantMatch)
			}
			if got := e.Certificate.Subject.String(); got != tt.wantIssue {
				t.Errorf("issued Subject %q, want %q", got, tt.wantIssue)
			}
			if bits := detail(r, "key"); bits != "RSA "+itoa(tt.keySize)+" bits" {
				t.Errorf("key detail %q, want RSA %d bits", bits, tt.keySize)
			}
		})
	}
	if n := len(srv.Issued()); n != issued {
		t.Errorf("micromdm issued %d certificates, want %d", n, issued)
	}
}

// TestMicromdmRefusesDuplicateSubject pins the CA behaviour behind the
// unique test Subject: micromdm refuses a second certificate for a CN it
// issued, with badRequest, the failInfo of a wrong challenge. The fix must
// therefore not blame only the challenge.
func TestMicromdmRefusesDuplicateSubject(t *testing.T) {
	const challenge = "static-challenge-micromdm"
	srv := sceptest.New(t, sceptest.Options{Challenge: challenge})
	req := scepcheck.EnrollRequest{
		SCEPURL: srv.URL, Subject: subject("micromdm Mac twice"), Challenge: scepcheck.NewChallenge(challenge),
		Clock: time.Now, ClockSkew: 5 * time.Minute, Key: testKey(),
	}
	if _, r := scepcheck.EnrollTest(t.Context(), client(), req); r.Status != check.Pass {
		t.Fatalf("first enrollment: %v %s", r.Status, r.Message)
	}
	_, r := scepcheck.EnrollTest(t.Context(), client(), req)
	if r.Status != check.Fail || !strings.Contains(r.Fix, "refuse a Subject they already issued") {
		t.Errorf("second enrollment: %v %q fix %q; want a failure whose fix names a refused Subject", r.Status, r.Message, r.Fix)
	}
}

// itoa renders a key size, 0 meaning the default.
func itoa(n int) string { return strconv.Itoa(cmp.Or(n, scepcheck.KeyBits)) }
