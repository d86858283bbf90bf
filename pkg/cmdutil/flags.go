package cmdutil

import (
	"strconv"

	"github.com/spf13/pflag"

	"github.com/jamf-scep/jamf-scep/pkg/shard"
)

// The flags several commands share are registered here, each under one
// name and shorthand, with one wording of its errors; the usage line says
// what the flag does for that command.

// AddTenantsFlag registers --tenant naming one or more config tenants
// (comma-separated or repeated).
func AddTenantsFlag(fl *pflag.FlagSet, p *[]string, usage string) {
	fl.StringSliceVar(p, "tenant", nil, usage)
}

// AddTenantFlag registers --tenant naming one config tenant.
func AddTenantFlag(fl *pflag.FlagSet, p *string, usage string) {
	fl.StringVar(p, "tenant", "", usage)
}

// AddProfileIDFlag registers --profile-id, a Jamf Pro profile id; check
// its value with CheckProfileID.
func AddProfileIDFlag(fl *pflag.FlagSet, p *int, usage string) {
	fl.IntVar(p, "profile-id", 0, usage)
}

// CheckProfileID is the one check of --profile-id: 0 (not given) or a
// Jamf Pro profile id, 1 or more.
func CheckProfileID(id int) error {
	if id < 0 {
		return InvalidFlagValue("profile-id", strconv.Itoa(id), "a Jamf Pro profile id (1 or more)")
	}
	return nil
}

// AddJamfDialectFlag registers --jamf-dialect, a dialect file overriding
// how Jamf's own SCEP settings are stored.
func AddJamfDialectFlag(fl *pflag.FlagSet, p *string, usage string) {
	fl.StringVar(p, "jamf-dialect", "", usage)
}

// AddYesFlag registers --yes/-y, the consent Prompter.Require takes.
func AddYesFlag(fl *pflag.FlagSet, p *bool, usage string) {
	fl.BoolVarP(p, "yes", "y", false, usage)
}

// AddShardFlag registers --shard K/N, which with --all keeps one stable
// part of the config's tenants (pkg/shard), so N CI jobs split them.
func AddShardFlag(fl *pflag.FlagSet, p *string) {
	fl.StringVar(p, "shard", "", "with --all, run only part K of N of the tenants (1-based, such as 2/4); a tenant's part depends on its name alone")
}

// ParseShard checks a --shard value: "" is no sharding; otherwise K/N with
// 1 <= K <= N, and only with --all. Errors are usage errors naming --shard.
func ParseShard(v string, all bool) (shard.Shard, error) {
	if v == "" {
		return shard.Shard{}, nil
	}
	s, err := shard.Parse(v)
	if err != nil {
		return shard.Shard{}, UsageErrorf("invalid value %q for flag --shard: %v", v, err)
	}
	if !all {
		return shard.Shard{}, UsageErrorf("--shard %s splits every tenant of the config: use it with --all", s)
	}
	return s, nil
}
