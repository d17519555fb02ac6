package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

var _ Reporter = (*SARIF)(nil)

const (
	// schemaURI is the schema GitHub's documentation points SARIF files at.
	schemaURI      = "https://json.schemastore.org/sarif-2.1.0.json"
	informationURI = "https://github.com/pipelint/pipelint"
	// srcRoot is the base URI id GitHub resolves against the checkout root.
	srcRoot = "%SRCROOT%"
)

// SARIF is SARIF 2.1.0 as GitHub code scanning reads it: one run listing
// every rule (so a result's ruleIndex is stable), one result per finding with
// its position and fingerprint, and parse errors as tool execution
// notifications. It carries no source text, so it cannot leak a secret.
//
// It keeps within GitHub's upload limits (see sarif_limits.go): at most
// 25,000 results, the most severe, and 10 MB gzip-compressed, and at most 20
// tags per rule. A notification says what was left out, and the text
// summary says it too.
type SARIF struct {
	// Category, when set, becomes automationDetails.id "<category>/".
	Category string
	// IncludeSuppressed lists suppressed findings too, each with an
	// inSource suppression; every other result then gets an empty
	// suppressions array, as SARIF wants all or none to have one.
	IncludeSuppressed bool
	// maxResults and maxGzipBytes replace maxSARIFResults and
	// maxSARIFGzipBytes when set, so tests need not build 25,000 results.
	maxResults, maxGzipBytes int
}

func (s *SARIF) Report(w io.Writer, run *Run) error {
	_, out, err := s.fit(run)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// render is the log listing results, in the bytes the reporter writes.
func (s *SARIF) render(run *Run, results sarifResults) ([]byte, error) {
	log, err := buildSARIF(run, results)
	if err != nil {
		return nil, err
	}
	s.describeRun(log.Runs[0])
	raw, err := json.Marshal(log)
	if err != nil {
		return nil, fmt.Errorf("encode SARIF: %w", err)
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var document any
	if err := decoder.Decode(&document); err != nil {
		return nil, fmt.Errorf("encode SARIF: %w", err)
	}
	if s.IncludeSuppressed {
		everyResultHasSuppressions(document)
	}
	var out bytes.Buffer
	if err := WriteJSON(&out, withoutFiller(document)); err != nil {
		return nil, fmt.Errorf("encode SARIF: %w", err)
	}
	return out.Bytes(), nil
}

// everyResultHasSuppressions gives each result without suppressions an
// empty array: SARIF wants them on all results or on none.
func everyResultHasSuppressions(document any) {
	runs, _ := document.(map[string]any)["runs"].([]any)
	for _, run := range runs {
		results, _ := run.(map[string]any)["results"].([]any)
		for _, result := range results {
			if r, ok := result.(map[string]any); ok && r["suppressions"] == nil {
				r["suppressions"] = []any{}
			}
		}
	}
}

// buildSARIF builds the log listing results, whose rules checkRuleIDs has
// found in run. Every rule is added before any result, because go-sarif
// computes a result's ruleIndex from the rules present when the result is
// created.
func buildSARIF(run *Run, results sarifResults) (*sarif.Report, error) {
	log := sarif.NewReport()
	log.Schema = schemaURI
	sarifRun := sarif.NewRunWithInformationURI("pipelint", informationURI).
		WithColumnKind("unicodeCodePoints")
	if run.ToolVersion != "" {
		sarifRun.Tool.Driver.WithVersion(run.ToolVersion)
	}
	invocation := sarif.NewInvocation().WithExecutionSuccessful(len(run.Errors) == 0)
	lowest := lowestSeverities(results.kept)
	for _, rule := range run.Rules {
		kept, leftOut := sarifTags(rule.Tags)
		addRule(sarifRun, rule, kept, lowest[rule.ID])
		if len(leftOut) > 0 {
			invocation.AddToolConfigurationNotification(sarif.NewNotification().
				WithLevel(sarif.LevelWarning).
				WithMessage(sarif.NewTextMessage(tagsNotice(rule.ID, kept, leftOut))).
				WithAssociatedRule(sarif.NewReportingDescriptorReference().WithID(rule.ID)))
		}
	}
	for _, r := range results.kept {
		f := r.Finding
		result := sarifRun.CreateResultForRule(f.RuleID).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			AddLocation(sarifLocation(f.Pos, true))
		if f.Fingerprint != "" {
			// Not AddPartialFingerprint: it writes to a nil map and panics.
			result.WithPartialFingerprints(map[string]string{"primaryLocationLineHash": f.Fingerprint})
		}
		if len(f.Edits) > 0 && f.Fix != nil {
			result.WithFixes([]*sarif.Fix{sarifFix(f)})
		}
		if r.Reason != "" {
			result.WithSuppressions([]*sarif.Suppression{sarif.NewSuppression().WithKind("inSource").WithJustification(r.Reason)})
		}
	}
	for _, e := range run.Errors {
		notification := sarif.NewNotification().
			WithLevel(sarif.LevelError).
			WithMessage(sarif.NewTextMessage(e.Message))
		if e.Pos.File != "" {
			notification.AddLocation(sarifLocation(e.Pos, e.Pos.Line > 0))
		}
		invocation.AddToolExecutionNotification(notification)
	}
	if notice := results.notice(); notice != "" {
		invocation.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel(sarif.LevelWarning).
			WithMessage(sarif.NewTextMessage(notice)))
	}
	sarifRun.AddInvocation(invocation)
	log.AddRun(sarifRun)
	return log, nil
}

// checkRuleIDs makes sure every result has its rule in the log.
func checkRuleIDs(rules []finding.Rule, results []Suppressed) error {
	known := make(map[string]bool, len(rules))
	for _, rule := range rules {
		known[rule.ID] = true
	}
	for _, r := range results {
		if f := r.Finding; !known[f.RuleID] {
			return fmt.Errorf("%s:%d:%d: finding for unknown rule %q", f.Pos.File, f.Pos.Line, f.Pos.Column, f.RuleID)
		}
	}
	return nil
}

// srcRootDescription says what %SRCROOT% stands for. Its location is left
// to the consumer (GitHub resolves it to the checkout): an absolute path
// would make the output depend on where the repository was checked out.
const srcRootDescription = "The root of the repository: the directory holding .git, else the directory scanned. Every result's path is relative to it."

// describeRun adds what the caller knows about the run besides its results:
// its code scanning category and what %SRCROOT% is.
func (s *SARIF) describeRun(r *sarif.Run) {
	if s.Category != "" {
		// GitHub reads everything up to the last "/" as the category, and
		// the rest as a run id it does not need.
		r.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(strings.TrimSuffix(s.Category, "/") + "/"))
	}
	// Not AddOriginalUriBaseId: it writes to a nil map and panics.
	r.WithOriginalUriBaseIds(map[string]sarif.ArtifactLocation{
		srcRoot: *sarif.NewArtifactLocation().WithDescription(sarif.NewTextMessage(srcRootDescription)),
	})
}

// addRule lists rule with tags, its tags as GitHub takes them (sarifTags).
func addRule(r *sarif.Run, rule finding.Rule, tags []string, reported finding.Severity) {
	title := cmp.Or(rule.Title, rule.ID)
	description := cmp.Or(rule.Description, title)
	helpText := description
	if rule.Remediation != "" {
		helpText += "\n\n" + rule.Remediation
	}
	properties := sarif.NewPropertyBag().
		WithTags(tags).
		Add("precision", cmp.Or(rule.Precision, "high"))
	if isSecurityRule(rule.Tags) {
		if score, ok := securitySeverity[cmp.Or(reported, rule.Severity)]; ok {
			properties.Add("security-severity", score)
		}
	}
	descriptor := r.AddRule(rule.ID).
		WithName(title).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(title)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(description)).
		WithHelp(sarif.NewMultiformatMessageString().WithText(helpText).WithMarkdown(cmp.Or(rule.Help, helpText))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity))).
		WithProperties(properties)
	if rule.HelpURI != "" {
		descriptor.WithHelpURI(rule.HelpURI)
	}
}

// isSecurityRule reports whether a rule is about security, which is what
// GitHub code scanning files its results as security alerts for. A rule is
// when its METADATA tags say so: "security", "supply-chain" or "secrets",
// or a CWE ("external/cwe/cwe-<n>"). Rules about speed, reliability or
// process (missing-cache, missing-tests, deploy-without-rollback) carry
// none of these, and their alerts are ordinary ones, ranked by level.
func isSecurityRule(tags []string) bool {
	for _, tag := range tags {
		switch tag = strings.ToLower(tag); {
		case tag == "security", tag == "supply-chain", tag == "secrets", strings.HasPrefix(tag, "external/cwe/"):
			return true
		}
	}
	return false
}

// lowestSeverities is, for each rule with results in the log, the lowest
// severity among them. GitHub takes a security alert's severity from its
// rule's security-severity alone (a result cannot override it), and a rule
// such as unpinned-action reports branches as high and tags as medium: a
// score from the rule's default severity would show a medium finding as a
// High alert. Scored from the lowest severity the run reports, no alert is
// ranked above its own finding; a higher finding in the same run is ranked
// lower than it is, and its result level (error) still says how bad it is.
func lowestSeverities(results []Suppressed) map[string]finding.Severity {
	lowest := map[string]finding.Severity{}
	for _, r := range results {
		f := r.Finding
		if f.Severity.Rank() == 0 {
			continue
		}
		if current, ok := lowest[f.RuleID]; !ok || f.Severity.Rank() < current.Rank() {
			lowest[f.RuleID] = f.Severity
		}
	}
	return lowest
}

func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return sarif.LevelError
	case finding.Low, finding.Info:
		return sarif.LevelNote
	}
	return sarif.LevelWarning
}

// securitySeverity is the score GitHub files an alert under: above 9.0 is
// critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, below 4.0 low. GitHub wants
// it as a string.
var securitySeverity = map[finding.Severity]string{
	finding.Critical: "9.5",
	finding.High:     "8.0",
	finding.Medium:   "5.5",
	finding.Low:      "3.0",
	finding.Info:     "1.0",
}

// sarifFix is the change `pipelint fix` makes for a finding: its edits,
// by file, as replacements of regions (empty to insert). The edits never
// hold a secret: the run leaves out those that would (see
// finding.Finding.Edits).
func sarifFix(f finding.Finding) *sarif.Fix {
	out := sarif.NewFix().WithDescription(sarif.NewTextMessage(f.Fix.Describe()))
	var change *sarif.ArtifactChange
	file := ""
	for _, e := range f.Edits {
		if change == nil || e.Pos.File != file {
			file = e.Pos.File
			change = sarif.NewArtifactChange().WithArtifactLocation(artifactLocation(file))
			out.AddArtifactChange(change)
		}
		region := sarif.NewRegion().
			WithStartLine(e.Pos.Line).WithStartColumn(e.Pos.Column).
			WithEndLine(e.Pos.EndLine).WithEndColumn(e.Pos.EndColumn)
		change.AddReplacement(sarif.NewReplacement().
			WithDeletedRegion(region).
			WithInsertedContent(sarif.NewArtifactContent().WithText(e.New)))
	}
	return out
}

// sarifLocation points at a file relative to the checkout root, and at the
// span within it when withRegion is set.
func sarifLocation(pos model.Pos, withRegion bool) *sarif.Location {
	physical := sarif.NewPhysicalLocation().WithArtifactLocation(artifactLocation(pos.File))
	if withRegion {
		r := regionOf(pos)
		physical.WithRegion(sarif.NewRegion().
			WithStartLine(r.StartLine).WithStartColumn(r.StartColumn).
			WithEndLine(r.EndLine).WithEndColumn(r.EndColumn))
	}
	return sarif.NewLocationWithPhysicalLocation(physical)
}

// artifactLocation is a relative reference under %SRCROOT%, which is how
// GitHub wants a file in the repository. A relative reference never starts
// with "/": a path that is absolute anyway (which should not happen: paths
// are relative to the repository) becomes a file:// URI of its own, without
// the base.
func artifactLocation(file string) *sarif.ArtifactLocation {
	slashed := filepath.ToSlash(file)
	if filepath.IsAbs(file) || strings.HasPrefix(slashed, "/") {
		path := "/" + strings.TrimLeft(slashed, "/") // a Windows drive gets its "/"; "//host" does not read as a host
		return sarif.NewSimpleArtifactLocation((&url.URL{Scheme: "file", Path: path}).String())
	}
	// A path is not a URI: escape spaces and the like, and keep a colon in
	// the first segment from reading as a scheme.
	return sarif.NewSimpleArtifactLocation((&url.URL{Path: file}).String()).WithURIBaseID(srcRoot)
}

// goSARIFDefaults are the values go-sarif writes into every object it
// creates: -1 for unset indexes and offsets (which the SARIF multitool flags,
// SARIF2004) and the schema's own defaults. An absent property means the
// same, so withoutFiller drops them. Values are compact JSON.
var goSARIFDefaults = map[string]string{
	"byteOffset":       "-1",
	"charOffset":       "-1",
	"id":               "-1",
	"index":            "-1",
	"rank":             "-1",
	"kind":             `"fail"`,
	"enabled":          "true",
	"isComprehensive":  "false",
	"language":         `"en-US"`,
	"contents":         `["localizedData","nonLocalizedData"]`,
	"newlineSequences": `["\r\n","\n"]`,
}

// requiredArrays stay even when empty: GitHub rejects a run whose results or
// rules are missing.
var requiredArrays = map[string]bool{"results": true, "rules": true, "suppressions": true}

// withoutFiller removes go-sarif's defaults, empty arrays and empty objects
// from a decoded SARIF document, innermost first.
func withoutFiller(value any) any {
	switch v := value.(type) {
	case map[string]any:
		for key, child := range v {
			child = withoutFiller(child)
			v[key] = child
			if isFiller(key, child) {
				delete(v, key)
			}
		}
	case []any:
		for i, child := range v {
			v[i] = withoutFiller(child)
		}
	}
	return value
}

func isFiller(key string, value any) bool {
	switch v := value.(type) {
	case map[string]any:
		return len(v) == 0
	case []any:
		if len(v) == 0 {
			return !requiredArrays[key]
		}
	}
	filler, ok := goSARIFDefaults[key]
	if !ok {
		return false
	}
	encoded, err := json.Marshal(value)
	return err == nil && string(encoded) == filler
}
