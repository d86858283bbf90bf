package doctor

import (
	"context"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jamf-scep/jamf-scep/pkg/check"

	"github.com/jamf-scep/jamf-scep/pkg/okta"
	"github.com/jamf-scep/jamf-scep/pkg/profile"
	"github.com/jamf-scep/jamf-scep/pkg/scepcheck"
)

// TestMac is the made-up Mac whose values --enroll-test puts in the
// Subject: every Jamf payload variable has a value of a realistic length,
// and the names say where the certificate came from.
var TestMac = map[string]string{
	"COMPUTERNAME":       "jamf-scep-doctor",
	"UDID":               "00000000-0000-4000-8000-00000000D0C7",
	"SERIALNUMBER":       "D0CT0R000000",
	"MANAGEMENTID":       "00000000-0000-4000-8000-00000000d0c7",
	"JSSID":              "0",
	"USERNAME":           "jamf-scep-doctor",
	"EMAIL":              "jamf-scep-doctor@example.com",
	"REALNAME":           "jamf-scep doctor",
	"SITENAME":           "doctor",
	"SITEID":             "-1",
	"BUILDINGNAME":       "doctor",
	"BUILDINGID":         "0",
	"DEPARTMENTNAME":     "doctor",
	"DEPARTMENTID":       "0",
	"PROFILE_IDENTIFIER": "0",
}

// oktaGroup checks one Okta SCEP configuration: GetCACaps, GetCACert and,
// when asked, the Challenge URL and a real enrollment. The CA and RA ids of
// the two URLs are compared by the profile build (one source of truth).
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
	var challenge scepcheck.Challenge // fetched by the challenge check, used by the enrollment
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
			case !opts.FetchChallenge:
				return []check.Result{{
					Status: check.Info, Message: "not checked: fetching a challenge consumes it",
					Fix: "add --fetch-challenge to prove the Challenge URL, Username and Password",
				}}
			}
			var r check.Result
			challenge, r = fetchChallenge(ctx, t, env)
			return []check.Result{r}
		}},
	}
	if opts.EnrollTest {
		g.Checks = append(g.Checks, Check{Name: name + ": enroll test", Run: func(ctx context.Context) []check.Result {
			return []check.Result{enrollTest(ctx, t, env, challenge)}
		}})
	}
	return g
}

// fetchChallenge gets one challenge from the Challenge URL and reports
// only its length.
func fetchChallenge(ctx context.Context, t *target, env Env) (scepcheck.Challenge, check.Result) {
	password, err := env.Resolver.Resolve(ctx, t.cfg.SCEP.Challenge.Password)
	if err != nil {
		return scepcheck.Challenge{}, check.Result{Status: check.Fail, Message: "the Okta password does not resolve: " + err.Error(), Fix: "fix " + profile.FieldPassword}
	}
	creds := okta.Credentials{Username: t.opts.Username, Password: password.Reveal()}
	ch, r := okta.CheckChallenge(ctx, env.HTTPClient, t.opts.ChallengeURL, creds)
	return ch, r
}

// enrollTest runs one real enrollment with a fresh key, the profile's
// Subject filled in for TestMac, and a challenge: the one the challenge
// check fetched, a new one (dynamic) or the static secret.
func enrollTest(ctx context.Context, t *target, env Env, ch scepcheck.Challenge) check.Result {
	if ch.IsZero() {
		if t.opts.ChallengeType == profile.ChallengeStatic {
			v, err := env.Resolver.Resolve(ctx, t.cfg.SCEP.Challenge.Secret)
			if err != nil {
				return check.Result{Status: check.Fail, Message: "the static challenge does not resolve: " + err.Error(), Fix: "fix " + profile.FieldChallenge}
			}
			ch = scepcheck.NewChallenge(v.Reveal())
		} else {
			var r check.Result
			if ch, r = fetchChallenge(ctx, t, env); ch.IsZero() {
				r.Message = "no challenge to enroll with: " + r.Message
				return r
			}
		}
	}
	subject, err := SubjectFor(t.prof.SCEP.Content.Subject, TestMac)
	if err != nil {
		return check.Result{Status: check.Fail, Message: err.Error(), Fix: "fix " + profile.FieldSubject}
	}
	_, r := scepcheck.EnrollTest(ctx, env.HTTPClient, scepcheck.EnrollRequest{
		SCEPURL:   t.prof.SCEP.Content.URL,
		Subject:   subject,
		Challenge: ch,
		Now:       env.Now(),
	})
	out := r
	if out.Status == check.Pass {
		out.Message += "; Okta issued a real certificate for the made-up Mac " + TestMac["COMPUTERNAME"]
	}
	return out
}

// shortNames are the attribute types Apple's SCEP payload accepts by name
// (docs/jamf-behavior.md, 'SCEP payload and Subject'), with their OIDs
// (RFC 4519).
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
