// Package baseline records the findings a project accepts for now, so that
// later runs report only new ones.
//
// A finding is recorded by its fingerprint (see finding.Fingerprint), the
// same value SARIF and JSON carry, which leaves the line number out, so inserting or moving lines elsewhere does
// not make old findings new.
package baseline

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
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

// Write records findings as indented JSON, one entry per finding, sorted
// by file, rule, message and fingerprint so that the file diffs well.
func Write(w io.Writer, findings []finding.Finding) error {
	b := Baseline{Version: Version, Findings: []Entry{}}
	for _, f := range findings {
		b.Findings = append(b.Findings, Entry{Rule: f.RuleID, File: f.Pos.File, Fingerprint: f.Fingerprint, Message: f.Message})
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
// given.
func (b *Baseline) Filter(findings []finding.Finding) []finding.Finding {
	known := map[string]bool{}
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	var fresh []finding.Finding
	for _, f := range findings {
		if !known[f.Fingerprint] {
			fresh = append(fresh, f)
		}
	}
	return fresh
}
