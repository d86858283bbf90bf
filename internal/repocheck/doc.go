// Package repocheck holds tests about the repository itself rather than
// about one package: that every code comment citing the repository's
// record of Jamf behavior (docs/jamf-behavior.md) names a section that
// exists, that nothing cites notes kept outside the repository, and that
// the shipped binary does not link the testing package.
package repocheck
