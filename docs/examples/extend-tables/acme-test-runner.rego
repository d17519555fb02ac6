# ACME's own test runner runs tests: with this file loaded, `acme-test run`
# counts as testing for missing-tests and every rule that asks whether a
# pipeline tests. Built-in tables are partial sets; this adds one entry.
package pipelint.lib.tables

testing_commands contains {"names": ["acme-test"], "args": ["run"]}
