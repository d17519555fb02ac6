package config

// Starter is the commented config file `pipelint init` writes. Everything
// in it is optional; the examples are commented out so that the file
// changes nothing until edited.
const Starter = `# pipelint configuration.
#
# pipelint reads the first .pipelint.yaml it finds walking up from each
# checked path to the repository root. Every key is optional; an unknown key
# or a bad value is an error. Check the result with: pipelint config print

# Per-rule settings, by rule id (see: pipelint rules).
rules:
  # unpinned-action:
  #   severity: medium          # critical, high, medium, low or info
  #   options:                  # read by the rule as data
  #     policies: {"actions/*": ref-pin, "my-org/*": any, "*": hash-pin}
  # missing-cache:
  #   enabled: false
  #   ignore-paths: ["legacy/**"]

# Files no rule looks at: doublestar globs relative to this file. A pattern
# that names a directory covers everything below it.
# ignore-paths:
#   - third_party/**

# Directories of your own Rego policies, relative to this file.
# policies:
#   - ./ci-policies
`
