package doctor

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/pkg/okta"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// TestMacName is the computer name of the made-up Mac whose values
// --enroll-test puts in the Subject, so the certificate says where it came
// from.
const TestMacName = "jamf-scep-doctor"

// NewTestMac returns the made-up Mac's values for one test enrollment:
// every Jamf payload variable has a value of a realistic length, and the
// ones a real Mac has unique ($UDID, $SERIALNUMBER, $MANAGEMENTID,
// $PROFILE_IDENTIFIER) are random, so that each run requests a new Subject
// (CAs may refuse a Subject they already issued). random supplies the
// randomness (crypto/rand.Reader in production).
func NewTestMac(random io.Reader) (map[string]string, error) {
	b := make([]byte, 16+16+6+4)
	if _, err := io.ReadFull(random, b); err != nil {
		return nil, fmt.Errorf("enroll test: random values for the made-up Mac: %w", err)
	}
	udid := uuidV4(b[:16])
	serial := base32Digits(b[32:38])                         // 10 characters
	pid := 100000 + binary.BigEndian.Uint32(b[38:42])%900000 // six digits, like a Jamf profile id
	return map[string]string{
		"COMPUTERNAME":       TestMacName,
		"UDID":               strings.ToUpper(udid),
		"SERIALNUMBER":       "D0" + serial,
		"MANAGEMENTID":       uuidV4(b[16:32]),
		"JSSID":              "0",
		"USERNAME":           TestMacName,
		"EMAIL":              TestMacName + "@example.com",
		"REALNAME":           "jamf-scep doctor",
		"SITENAME":           "doctor",
		"SITEID":             "-1",
		"BUILDINGNAME":       "doctor",
		"BUILDINGID":         "0",
		"DEPARTMENTNAME":     "doctor",
		"DEPARTMENTID":       "0",
		"PROFILE_IDENTIFIER": strconv.FormatUint(uint64(pid), 10),
	}, nil
}

// uniqueVars are the NewTestMac values that differ per run.
var uniqueVars = []string{"UDID", "SERIALNUMBER", "MANAGEMENTID", "PROFILE_IDENTIFIER"}

// uuidV4 formats 16 random bytes as an RFC 9562 version 4 UUID.
func uuidV4(b []byte) string {
	u := slices.Clone(b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// base32Digits renders b in the digits and capitals of a Mac serial number.
func base32Digits(b []byte) string {
	return base32.NewEncoding("0123456789ABCDEFGHJKLMNPQRSTVWXY").WithPadding(base32.NoPadding).EncodeToString(b)
}

// maxCN is ub-common-name (RFC 5280 Appendix A): 64 characters.
const maxCN = 64

// testSubject fills the profile's Subject with mac's values. When the
// template uses none of the values unique to the run, it appends " " and
// the run's $PROFILE_IDENTIFIER to the last CN, as Jamf does when it
// redistributes the profile; the CN then keeps within 64 characters,
// shortened before the suffix if need be, never made longer than 64.
func testSubject(s profile.Subject, mac map[string]string) (pkix.RDNSequence, error) {
	subject, err := SubjectFor(s, mac)
	if err != nil {
		return nil, err
	}
	template := s.String()
	for _, v := range uniqueVars {
		if strings.Contains(template, "$"+v) {
			return subject, nil
		}
	}
	cn := asn1.ObjectIdentifier{2, 5, 4, 3}
	for i := len(subject) - 1; i >= 0; i-- {
		for j := len(subject[i]) - 1; j >= 0; j-- {
			a := &subject[i][j]
			if !a.Type.Equal(cn) {
				continue
			}
			suffix := []rune(" " + mac["PROFILE_IDENTIFIER"])
			v, _ := a.Value.(string) // SubjectFor makes every value a string
			value := []rune(v)
			keep := max(0, min(len(value), maxCN-len(suffix)))
			if len(value) > maxCN { // already too long: report that, do not add to it
				keep = len(value) - len(suffix)
			}
			a.Value = string(value[:keep]) + string(suffix)
			return subject, nil
		}
	}
	return subject, nil
}

// oktaGroup checks one Okta SCEP configuration: GetCACaps, GetCACert and,
// when asked, the Challenge URL and a real enrollment. The CA and RA ids of
// the two URLs are compared by the profile build (one source of truth).
//
// A run fetches at most one challenge per configuration, and only when
// asked: --fetch-challenge fetches one to prove the Challenge URL (it stays
// valid, unused, until it expires); --enroll-test fetches one (or reuses
// the one --fetch-challenge got) and enrolls with it, so the run leaves no
// challenge behind. The enrollment never fetches a second one.
func oktaGroup(t *target, env Env, opts Options) Group {
	name := "okta" + t.label
	g := Group{Name: name}
	if t.prof == nil {
		g.Checks = []Check{{Name: name, Run: func(context.Context) []check.Result {
			return []check.Result{{Status: check.Skip, Message: "Okta not checked: the profile did not build"}}
		}}}
		return g
	}
	scepURL := t.prof.SCEP.Content.URL
	dynamic := t.opts.ChallengeType != profile.ChallengeStatic
	var (
		challenge scepcheck.Challenge // fetched by the challenge check, used by the enrollment
		fetched   check.Result        // the challenge check's result
	)
	g.Checks = []Check{
		{Name: name + ": SCEP GetCACaps", Gate: true, Run: func(ctx context.Context) []check.Result {
			_, r := scepcheck.CheckCACaps(ctx, env.HTTPClient, scepURL)
			return []check.Result{r}
		}},
		{Name: name + ": SCEP GetCACert", Run: func(ctx context.Context) []check.Result {
			_, r := scepcheck.CheckCACert(ctx, env.HTTPClient, scepURL, env.Now(), t.prof.Jamf.RedistributeDays)
			return []check.Result{r}
		}},
		{Name: name + ": Challenge URL", Run: func(ctx context.Context) []check.Result {
			switch {
			case !dynamic:
				return []check.Result{{Status: check.Info, Message: "static challenge: there is no Challenge URL to check"}}
			case !opts.FetchChallenge && !opts.EnrollTest:
				return []check.Result{{
					Status: check.Info, Message: "not checked: each fetch makes Okta issue a challenge that stays valid, unused, until it expires",
					Fix: "add --fetch-challenge to prove the Challenge URL, Username and Password, or --enroll-test to fetch one and enroll with it",
				}}
			}
			challenge, fetched = fetchChallenge(ctx, t, env, opts.EnrollTest)
			return []check.Result{fetched}
		}},
	}
	if opts.EnrollTest {
		g.Checks = append(g.Checks, Check{Name: name + ": enroll test", Run: func(ctx context.Context) []check.Result {
			if dynamic && challenge.IsZero() {
				return []check.Result{{Status: check.Skip, Message: "not run: no challenge to enroll with (see the Challenge URL check)"}}
			}
			return []check.Result{enrollTest(ctx, t, env, challenge)}
		}})
	}
	return g
}

// fetchChallenge gets one challenge from the Challenge URL and reports
// only its length.
func fetchChallenge(ctx context.Context, t *target, env Env, forEnrollment bool) (scepcheck.Challenge, check.Result) {
	password, err := env.Resolver.Resolve(ctx, t.cfg.SCEP.Challenge.Password)
	if err != nil {
		return scepcheck.Challenge{}, check.Result{Status: check.Fail, Message: "the Okta password does not resolve: " + err.Error(), Fix: "fix " + profile.FieldPassword}
	}
	env.Secrets.Add(password.Reveal())
	creds := okta.Credentials{Username: t.opts.Username, Password: password.Reveal()}
	ch, r := okta.CheckChallenge(ctx, env.HTTPClient, t.opts.ChallengeURL, creds, forEnrollment)
	env.Secrets.Add(ch.Reveal())
	return ch, r
}

// enrollTest runs one real enrollment with a fresh key, the profile's
// Subject filled in for a new made-up Mac, and the challenge the challenge
// check fetched (dynamic) or the static secret. When it fails before the
// CA saw the request, the result says the fetched challenge is left
// unused.
func enrollTest(ctx context.Context, t *target, env Env, ch scepcheck.Challenge) check.Result {
	fetched := !ch.IsZero()
	if !fetched {
		v, err := env.Resolver.Resolve(ctx, t.cfg.SCEP.Challenge.Secret)
		if err != nil {
			return check.Result{Status: check.Fail, Message: "the static challenge does not resolve: " + err.Error(), Fix: "fix " + profile.FieldChallenge}
		}
		env.Secrets.Add(v.Reveal())
		ch = scepcheck.NewChallenge(v.Reveal())
	}
	random := env.Random
	if random == nil {
		random = rand.Reader
	}
	mac, err := NewTestMac(random)
	if err != nil {
		return check.Result{Status: check.Fail, Message: err.Error(), Fix: "run doctor again"}
	}
	subject, err := testSubject(t.prof.SCEP.Content.Subject, mac)
	if err != nil {
		return check.Result{Status: check.Fail, Message: err.Error(), Fix: "fix " + profile.FieldSubject}
	}
	req := scepcheck.EnrollRequest{
		SCEPURL:   t.prof.SCEP.Content.URL,
		Subject:   subject,
		Challenge: ch,
		Clock:     env.Now,
		ClockSkew: SkewLimit,
		KeySize:   deref(t.prof.SCEP.Content.Keysize),
	}
	if env.GenerateKey != nil {
		if req.Key, err = env.GenerateKey(cmp.Or(req.KeySize, scepcheck.KeyBits)); err != nil {
			return check.Result{Status: check.Fail, Message: "generating the test key: " + err.Error(), Fix: "run doctor again"}
		}
	}
	_, r := scepcheck.EnrollTest(ctx, env.HTTPClient, req)
	switch {
	case r.Status != check.Fail:
		r.Message += "; the CA issued a real certificate for the made-up Mac " + TestMacName
	case fetched && !sentToCA(r.Err):
		r.Message += "; the fetched challenge was not used and stays valid until it expires"
	}
	return r
}

// sentToCA reports whether a failed enrollment reached the CA's
// PKIOperation, so that the challenge was presented.
func sentToCA(err error) bool {
	var (
		rej    *scepcheck.RejectedError
		issued *scepcheck.IssuedError
		status *scepcheck.StatusError
	)
	return errors.As(err, &rej) || errors.As(err, &issued) || errors.Is(err, scepcheck.ErrStillPending) ||
		errors.As(err, &status) && status.Operation == "PKIOperation"
}

// shortNames are the attribute types Apple's SCEP payload accepts by name
// (Apple's SCEP payload reference, Subject), with their OIDs (RFC 4519).
var shortNames = map[string]asn1.ObjectIdentifier{
	"C":  {2, 5, 4, 6},
	"L":  {2, 5, 4, 7},
	"ST": {2, 5, 4, 8},
	"O":  {2, 5, 4, 10},
	"OU": {2, 5, 4, 11},
	"CN": {2, 5, 4, 3},
}

// SubjectFor substitutes vars (names without "$") into s and returns it
// as an X.509 RDN sequence in the same order. Types are Apple's short
// names or dotted OIDs; anything else is an error naming it. Longer
// variable names are substituted first, so $SITEID never eats $SITE.
func SubjectFor(s profile.Subject, vars map[string]string) (pkix.RDNSequence, error) {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(names))
	for _, k := range names {
		pairs = append(pairs, "$"+k, vars[k])
	}
	rep := strings.NewReplacer(pairs...)
	var out pkix.RDNSequence
	for _, rdn := range s {
		var set pkix.RelativeDistinguishedNameSET
		for _, a := range rdn {
			oid, ok := shortNames[strings.ToUpper(a.Type)]
			if !ok {
				var err error
				if oid, err = parseOID(a.Type); err != nil {
					return nil, fmt.Errorf("subject attribute type %q is neither C, L, ST, O, OU, CN nor a dotted OID", a.Type)
				}
			}
			set = append(set, pkix.AttributeTypeAndValue{Type: oid, Value: rep.Replace(a.Value)})
		}
		out = append(out, set)
	}
	return out, nil
}

func parseOID(s string) (asn1.ObjectIdentifier, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, fmt.Errorf("not an OID")
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("not an OID")
		}
		oid[i] = n
	}
	return oid, nil
}
