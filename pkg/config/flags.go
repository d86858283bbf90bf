package config

import (
	"slices"

	"github.com/jamf-scep/jamf-scep/pkg/secret"
)

// ProfileFlags maps each profile flag of `profile build` (name without
// "--") to the config field it sets. It is the one list of which flag
// stands for which field; [Config.OverlayFlags] reads it.
var ProfileFlags = map[string]string{
	"preset":            "profile.preset",
	"profile-name":      "profile.name",
	"description":       "profile.description",
	"organization":      "profile.organization",
	"identifier":        "profile.identifier",
	"scep-url":          "profile.scep.url",
	"scep-name":         "profile.scep.name",
	"subject":           "profile.scep.subject",
	"key-size":          "profile.scep.key_size",
	"redistribute-days": "profile.scep.redistribute_days",
	"challenge-type":    "profile.scep.challenge.type",
	"challenge-url":     "profile.scep.challenge.url",
	"username":          "profile.scep.challenge.username",
}

// OverlayFlags lays profile fields given as flags over c.Profile. It is the
// one place flags meet the config: the file is read first, the environment
// layer ([Config.ApplyEnv]) overlays it, and the flags overlay both (file <
// env < flag). Then the one validator ([Config.Validate] or
// [Config.ValidateProfile]) runs on the result, so a flag value gets the
// verdict and message the same value gets in the file, with the flag named.
//
// flags holds the flag values in config shape; given lists the flags the
// user gave, by name as in [ProfileFlags] (others are ignored). A text
// field is overlaid when its flag value is not empty; a number when its
// flag was given, so an explicit --redistribute-days 0 is judged like
// redistribute_days: 0, never replaced by the preset's value.
func (c *Config) OverlayFlags(flags Profile, given []string) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	p := &c.Profile
	set(&p.Preset, flags.Preset)
	set(&p.Name, flags.Name)
	set(&p.Description, flags.Description)
	set(&p.Organization, flags.Organization)
	set(&p.Identifier, flags.Identifier)
	set(&p.SCEP.URL, flags.SCEP.URL)
	set(&p.SCEP.Name, flags.SCEP.Name)
	set(&p.SCEP.Subject, flags.SCEP.Subject)
	set(&p.SCEP.Challenge.Type, flags.SCEP.Challenge.Type)
	set(&p.SCEP.Challenge.URL, flags.SCEP.Challenge.URL)
	set(&p.SCEP.Challenge.Username, flags.SCEP.Challenge.Username)
	if flags.SCEP.KeySize != 0 || slices.Contains(given, "key-size") {
		p.SCEP.KeySize = flags.SCEP.KeySize
	}
	if flags.SCEP.RedistributeDays != 0 || slices.Contains(given, "redistribute-days") {
		p.SCEP.RedistributeDays = flags.SCEP.RedistributeDays
	}
	for _, name := range given {
		if path, ok := ProfileFlags[name]; ok {
			c.SetByFlag(path, "--"+name)
		}
	}
}

// OverlaySecretFlag lays a secret the user gave by flag (--password-stdin,
// --password-file) over the profile's reference, as a [secret.GivenRef]:
// the challenge password, or the static challenge when the challenge type
// (after the other flags) is static. It is the flag layer of the secrets,
// beside [Config.OverlayFlags]; [ProfileOptions] then reads the given
// secret like any other, without I/O.
func (c *Config) OverlaySecretFlag(v secret.Value, flag string) {
	ref := secret.GivenRef(v, flag)
	path := "profile.scep.challenge.password"
	if c.Profile.SCEP.Challenge.Type == ChallengeStatic {
		c.Profile.SCEP.Challenge.Secret = ref
		path = "profile.scep.challenge.secret"
	} else {
		c.Profile.SCEP.Challenge.Password = ref
	}
	c.SetByFlag(path, flag)
}
