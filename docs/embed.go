// Package docs holds pipelint's documentation; the rule pages are embedded
// so that help text in SARIF and `pipelint rules` matches the docs exactly.
package docs

import (
	"embed"
	"io/fs"
)

//go:embed rules/*.md
var embedded embed.FS

// Rules is the tree of rule pages, one <id>.md per rule.
var Rules, _ = fs.Sub(embedded, "rules")
