// Package rules holds pipelint's built-in Rego policies: one <id>.rego file
// per rule (package pipelint.rules.<id with underscores>) with its
// <id>_test.rego unit tests, and shared libraries and data tables under lib/.
package rules

import "embed"

// FS is the built-in policy tree, as loaded by engine.WithPolicies.
//
//go:embed *.rego lib/*.rego
var FS embed.FS
