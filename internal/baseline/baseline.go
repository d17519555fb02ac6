// Package baseline records the findings a project accepts for now, so that
// later runs report only new ones.
//
// A finding is recorded by a fingerprint of its rule, its file, the text of
// the line it starts on (whitespace collapsed) and its occurrence among
// findings with the same rule, file and text. The line number is left out,
// so inserting or moving lines elsewhere does not make old findings new.
// The text of a line holding a secret is never used: for a Sensitive
// finding the message (which never holds a secret in full) stands in.
package baseline

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/engine"
)

// Version is the format version Write produces and Read accepts.
const Version = 1

// Baseline is a set of recorded findings.
type Baseline struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Entry is one recorded finding. Only Fingerprint is compared; the rest is
// there for people reading the file.
type Entry struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`
	Message     string `json:"message"`
}

// Source returns the text of a file by the path findings name it with, or
// nil when it cannot be read.
type Source func(file string) []byte

// Fingerprints returns the fingerprint of each finding, in the order given.
// The occurrence counts need every finding of a file, so pass all of them.
func Fingerprints(findings []engine.Finding, source Source) []string {
	order := make([]int, len(findings))
	for i := range order {
		order[i] = i
	}
	// Occurrences are counted in source order, whatever the input order.
	slices.SortStableFunc(order, func(a, b int) int {
		fa, fb := findings[a], findings[b]
		return cmp.Or(strings.Compare(fa.Pos.File, fb.Pos.File), cmp.Compare(fa.Pos.Line, fb.Pos.Line),
			cmp.Compare(fa.Pos.Column, fb.Pos.Column), strings.Compare(fa.RuleID, fb.RuleID), strings.Compare(fa.Message, fb.Message))
	})
	lines := map[string][][]byte{}
	seen := map[string]int{}
	out := make([]string, len(findings))
	for _, i := range order {
		f := findings[i]
		if _, read := lines[f.Pos.File]; !read {
			lines[f.Pos.File] = bytes.Split(source(f.Pos.File), []byte("\n"))
		}
		key := f.RuleID + "\x00" + f.Pos.File + "\x00" + anchorText(f, lines[f.Pos.File])
		seen[key]++
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", key, seen[key]))
		out[i] = hex.EncodeToString(sum[:16])
	}
	return out
}

// anchorText is what ties a finding to its place without a line number:
// the text of its line with blanks collapsed, or its message when the line
// holds a secret or cannot be read.
func anchorText(f engine.Finding, lines [][]byte) string {
	if f.Sensitive || f.Pos.Line < 1 || f.Pos.Line > len(lines) {
		return "message\x00" + f.Message
	}
	return "line\x00" + strings.Join(strings.Fields(string(lines[f.Pos.Line-1])), " ")
}

// Write records findings as indented JSON, one entry per finding, sorted
// by file, rule, message and fingerprint so that the file diffs well.
func Write(w io.Writer, findings []engine.Finding, source Source) error {
	b := Baseline{Version: Version, Findings: []Entry{}}
	for i, fingerprint := range Fingerprints(findings, source) {
		f := findings[i]
		b.Findings = append(b.Findings, Entry{Rule: f.RuleID, File: f.Pos.File, Fingerprint: fingerprint, Message: f.Message})
	}
	slices.SortFunc(b.Findings, func(x, y Entry) int {
		return cmp.Or(strings.Compare(x.File, y.File), strings.Compare(x.Rule, y.Rule),
			strings.Compare(x.Message, y.Message), strings.Compare(x.Fingerprint, y.Fingerprint))
	})
	encoder := json.NewEncoder(w)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	return encoder.Encode(b)
}

// Read parses a baseline file.
func Read(r io.Reader) (*Baseline, error) {
	decoder := json.NewDecoder(r)
	decoder.DisallowUnknownFields()
	var b Baseline
	if err := decoder.Decode(&b); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if decoder.More() {
		return nil, fmt.Errorf("read baseline: unexpected data after the JSON object")
	}
	if b.Version != Version {
		return nil, fmt.Errorf("read baseline: version %d is not supported (want %d)", b.Version, Version)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline: finding %d has no fingerprint", i+1)
		}
	}
	return &b, nil
}

// Filter returns the findings that are not in the baseline, in the order
// given. Pass every finding of the run, as for Fingerprints.
func (b *Baseline) Filter(findings []engine.Finding, source Source) []engine.Finding {
	known := map[string]bool{}
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	var fresh []engine.Finding
	for i, fingerprint := range Fingerprints(findings, source) {
		if !known[fingerprint] {
			fresh = append(fresh, findings[i])
		}
	}
	return fresh
}
