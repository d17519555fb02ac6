// Package advisory reads security advisories about GitHub Actions written
// in the OSV format (https://ossf.github.io/osv-schema/), as GitHub's
// advisory database and OSV.dev publish them, into the facts the
// known-vulnerable-action rule judges by: which actions, which versions
// and which commits an advisory affects. The rule receives them as
// data.pipelint.config.advisories, in the shape of its built-in table
// (rules/lib/tables_advisories.rego). Nothing is fetched: the user
// supplies the files.
package advisory

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Ecosystem is the OSV ecosystem of GitHub Actions; advisories about
// other ecosystems are left out.
const Ecosystem = "GitHub Actions"

// MaxFileBytes bounds one advisory file: a single advisory takes a few
// kilobytes, GitHub's whole export of GitHub Actions advisories well under
// a megabyte.
const MaxFileBytes = 64 << 20

// Advisory is what one advisory says about GitHub Actions.
type Advisory struct {
	ID      string   `json:"id"`
	Aliases []string `json:"aliases"`
	Summary string   `json:"summary"`
	// Severity is critical, high, medium or low, from GitHub's severity
	// (database_specific.severity); "" when the advisory gives none.
	Severity string     `json:"severity"`
	Affected []Affected `json:"affected"`
}

// Affected is what an advisory affects of one action.
type Affected struct {
	// Action is the package name: owner/repo, or owner/repo/path for one
	// action of a repository.
	Action string `json:"action"`
	// Ranges are the affected version ranges (OSV ECOSYSTEM and SEMVER
	// ranges; GIT ranges name commits whose order only the repository
	// knows, and are left out).
	Ranges []Range `json:"ranges"`
	// Versions are versions listed one by one; Commits the full commit
	// SHAs among them, in lower case.
	Versions []string `json:"versions"`
	Commits  []string `json:"commits"`
}

// Range is one interval of affected versions: from Introduced ("0" for
// every earlier version) up to Fixed (excluded) or LastAffected
// (included), both "" when nothing ends it.
type Range struct {
	Introduced   string `json:"introduced"`
	Fixed        string `json:"fixed"`
	LastAffected string `json:"last_affected"`
}

// osv is the part of an OSV record that is read.
type osv struct {
	ID               string   `json:"id"`
	Modified         string   `json:"modified"`
	Withdrawn        string   `json:"withdrawn"`
	Aliases          []string `json:"aliases"`
	Summary          string   `json:"summary"`
	DatabaseSpecific struct {
		Severity string `json:"severity"`
	} `json:"database_specific"`
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Ranges []struct {
			Type   string              `json:"type"`
			Events []map[string]string `json:"events"`
		} `json:"ranges"`
		Versions []string `json:"versions"`
	} `json:"affected"`
}

// Load reads the advisories of path: a file holding one OSV record or an
// array of them, or a directory whose .json files, at any depth, each
// hold one or an array (GitHub's advisory database and OSV.dev's export
// are laid out so). Records that concern no GitHub Action, and withdrawn
// ones, are left out; a record found twice is kept in its latest
// modification. The result is sorted by id.
func Load(path string) ([]Advisory, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	var records []osv
	if !info.IsDir() {
		if records, err = readFile(path); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	} else {
		err = filepath.WalkDir(path, func(file string, entry fs.DirEntry, err error) error {
			if err != nil || entry.IsDir() || !strings.EqualFold(filepath.Ext(file), ".json") || !entry.Type().IsRegular() {
				return err
			}
			read, err := readFile(file)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			records = append(records, read...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return advisories(records), nil
}

// readFile reads the records of one file. A file that does not mention the
// ecosystem holds none worth decoding.
func readFile(path string) ([]osv, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("larger than %d MiB", MaxFileBytes>>20)
	}
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return nil, errors.New("empty; want an OSV record or an array of them")
	case !bytes.Contains(data, []byte(Ecosystem)):
		if !json.Valid(data) {
			return nil, errors.New("not valid JSON")
		}
		return nil, nil
	case data[0] == '[':
		var records []osv
		if err := json.Unmarshal(data, &records); err != nil {
			return nil, fmt.Errorf("not an array of OSV records: %w", err)
		}
		return records, nil
	}
	var record osv
	if err := json.Unmarshal(data, &record); err != nil {
		return nil, fmt.Errorf("not an OSV record: %w", err)
	}
	return []osv{record}, nil
}

// advisories converts the records that concern GitHub Actions.
func advisories(records []osv) []Advisory {
	latest := map[string]osv{}
	for _, r := range records {
		if r.ID == "" || r.Withdrawn != "" {
			continue
		}
		if seen, ok := latest[r.ID]; !ok || r.Modified > seen.Modified {
			latest[r.ID] = r
		}
	}
	var out []Advisory
	for _, r := range latest {
		if a, ok := convert(r); ok {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b Advisory) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// fullSHA is a commit listed among an advisory's versions.
var fullSHA = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

func convert(r osv) (Advisory, bool) {
	a := Advisory{ID: r.ID, Aliases: r.Aliases, Summary: r.Summary, Severity: severities[strings.ToUpper(r.DatabaseSpecific.Severity)]}
	for _, affected := range r.Affected {
		if affected.Package.Ecosystem != Ecosystem || affected.Package.Name == "" {
			continue
		}
		entry := Affected{Action: affected.Package.Name, Ranges: []Range{}, Versions: []string{}, Commits: []string{}}
		for _, rng := range affected.Ranges {
			if rng.Type == "ECOSYSTEM" || rng.Type == "SEMVER" {
				entry.Ranges = append(entry.Ranges, intervals(rng.Events)...)
			}
		}
		for _, v := range affected.Versions {
			if fullSHA.MatchString(v) {
				entry.Commits = append(entry.Commits, strings.ToLower(v))
			} else {
				entry.Versions = append(entry.Versions, v)
			}
		}
		a.Affected = append(a.Affected, entry)
	}
	if a.Aliases == nil {
		a.Aliases = []string{}
	}
	return a, len(a.Affected) > 0
}

// severities maps GitHub's severities to pipelint's.
var severities = map[string]string{"CRITICAL": "critical", "HIGH": "high", "MODERATE": "medium", "MEDIUM": "medium", "LOW": "low"}

// intervals reads a range's events, in order: each introduced opens an
// interval that the next fixed, last_affected or limit closes; one left
// open runs to the newest version.
func intervals(events []map[string]string) []Range {
	var out []Range
	var open *Range
	for _, event := range events {
		switch {
		case event["introduced"] != "":
			if open != nil {
				out = append(out, *open)
			}
			open = &Range{Introduced: event["introduced"]}
		case event["fixed"] != "" || event["limit"] != "":
			if open == nil {
				open = &Range{Introduced: "0"}
			}
			open.Fixed = cmp.Or(event["fixed"], event["limit"])
			out, open = append(out, *open), nil
		case event["last_affected"] != "":
			if open == nil {
				open = &Range{Introduced: "0"}
			}
			open.LastAffected = event["last_affected"]
			out, open = append(out, *open), nil
		}
	}
	if open != nil {
		out = append(out, *open)
	}
	return out
}
