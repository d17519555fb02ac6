package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unique"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/repofs"
	"github.com/pipelint/pipelint/internal/secret"
)

var precisions = []string{"very-high", "high", "medium", "low"}

// module is a parsed policy file and where it came from.
type module struct {
	*ast.Module
	file   string // its path inside its tree
	source string
	tree   fs.FS
	custom bool
}

// loadModules parses every .rego file of the trees. With tests false the
// _test.rego files are skipped; with tests true they are included.
func loadModules(trees []policyTree, tests bool) (map[string]module, error) {
	modules := map[string]module{}
	for i, tree := range trees {
		fsys := tree.fsys
		err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := path
			if tree.name != "" {
				name = tree.name + "/" + path
			}
			if tree.custom && d.Type()&fs.ModeSymlink != 0 {
				if err := staysInside(fsys, path); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			if d.IsDir() || !strings.HasSuffix(path, ".rego") {
				return nil
			}
			if !tests && strings.HasSuffix(path, "_test.rego") {
				return nil
			}
			src, err := readPolicyFile(fsys, path)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if _, taken := modules[name]; taken { // keep module names unique across trees
				name = fmt.Sprintf("%d/%s", i, name)
			}
			mod, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{
				ProcessAnnotation: true,
				RegoVersion:       ast.RegoV1,
				Capabilities:      Capabilities(),
			})
			if err != nil {
				// The message quotes the line, which may hold anything.
				return errors.New(multiLine(err.Error()))
			}
			modules[name] = module{Module: mod, file: path, source: string(src), tree: fsys, custom: tree.custom}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load policies: %w", err)
		}
	}
	return modules, nil
}

var errLeavesTree = errors.New("a symbolic link that leads out of the policy directory is not allowed")

// staysInside returns errLeavesTree when resolving name in fsys, link by
// link, leaves fsys: os.DirFS follows links wherever they lead. A link
// that leads nowhere is left to whoever reads it.
func staysInside(fsys fs.FS, name string) error {
	resolved, rest := ".", strings.Split(name, "/")
	for links := 0; len(rest) > 0; {
		next := path.Join(resolved, rest[0])
		rest = rest[1:]
		if !fs.ValidPath(next) { // .. above the root
			return errLeavesTree
		}
		info, err := fs.Lstat(fsys, next)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if links++; links > 40 {
			return errors.New("too many levels of symbolic links")
		}
		target, err := fs.ReadLink(fsys, next)
		if err != nil {
			return err
		}
		if filepath.IsAbs(target) || path.IsAbs(filepath.ToSlash(target)) {
			return errLeavesTree
		}
		rest = append(strings.Split(filepath.ToSlash(target), "/"), rest...)
	}
	return nil
}

// ruleFromAnnotations reads a rule's package METADATA block:
//
//	# METADATA
//	# title: Action not pinned to a commit SHA
//	# description: ...
//	# custom:
//	#   id: unpinned-action
//	#   severity: high
//	#   remediation: ...
//	#   precision: high
//	#   tags: [supply-chain]
func ruleFromAnnotations(file string, mod *ast.Module) (finding.Rule, error) {
	var meta *ast.Annotations
	for _, a := range mod.Annotations {
		if a.Scope == "package" {
			meta = a
		}
	}
	if meta == nil {
		return finding.Rule{}, fmt.Errorf("%s: rule package %s has no package-scoped METADATA block", file, mod.Package.Path)
	}
	custom := func(key string) string {
		s, _ := meta.Custom[key].(string)
		return strings.TrimSpace(s)
	}
	rule := finding.Rule{
		ID:          custom("id"),
		Title:       oneLine(strings.TrimSpace(meta.Title)),
		Description: multiLine(strings.TrimSpace(meta.Description)),
		Remediation: multiLine(custom("remediation")),
		Precision:   custom("precision"),
	}
	if !finding.ValidRuleID(rule.ID) {
		return finding.Rule{}, fmt.Errorf("%s: METADATA custom.id %q is not a kebab-case rule id", file, rule.ID)
	}
	severity, err := finding.ParseSeverity(custom("severity"))
	if err != nil {
		return finding.Rule{}, fmt.Errorf("%s: METADATA custom.severity: %w", file, err)
	}
	rule.Severity = severity
	for field, value := range map[string]string{"title": rule.Title, "description": rule.Description, "custom.remediation": rule.Remediation} {
		if value == "" {
			return finding.Rule{}, fmt.Errorf("%s: METADATA %s is missing", file, field)
		}
	}
	if rule.Precision == "" {
		rule.Precision = "high"
	}
	if !slices.Contains(precisions, rule.Precision) {
		return finding.Rule{}, fmt.Errorf("%s: METADATA custom.precision %q is not one of %v", file, rule.Precision, precisions)
	}
	tags, _ := meta.Custom["tags"].([]any)
	for _, t := range tags {
		tag, ok := t.(string)
		if !ok {
			return finding.Rule{}, fmt.Errorf("%s: METADATA custom.tags must be strings", file)
		}
		rule.Tags = append(rule.Tags, oneLine(tag))
	}
	return rule, nil
}

// decodeFinding turns one element of a rule's findings set into a Finding.
// A rule emits {"msg": string, "pos": <a model Pos>} and optionally
// "severity" (to raise or lower this one finding), "sensitive": true when
// the span at pos holds a secret, and "fix" (see decodeFix).
// The message is masked as it is decoded (see secret.Masker), whatever
// rule wrote it: a rule may quote a value without knowing it holds a
// secret.
func decodeFinding(rule finding.Rule, value *ast.Term, mask func(string) string) (finding.Finding, error) {
	obj, ok := value.Value.(ast.Object)
	if !ok {
		return finding.Finding{}, fmt.Errorf("a finding must be an object with msg and pos, got %s", ast.ValueName(value.Value))
	}
	f := finding.Finding{RuleID: rule.ID, Severity: rule.Severity}
	msg := oneLine(stringField(obj, "msg")) // messages quote the files checked, which may hold anything
	if msg == "" {
		return finding.Finding{}, fmt.Errorf("a finding has no msg")
	}
	// The same message recurs across files (one action pinned to one tag in
	// many repositories): a large scan keeps one copy of each.
	f.Message = unique.Make(mask(msg)).Value()
	pos, ok := field(obj, "pos").(ast.Object)
	if !ok {
		return finding.Finding{}, fmt.Errorf("finding %q has no pos object", f.Message)
	}
	f.Pos = decodePos(pos)
	if f.Pos.Line < 1 || f.Pos.Column < 1 {
		return finding.Finding{}, fmt.Errorf("finding %q has no position (line %d, column %d)", f.Message, f.Pos.Line, f.Pos.Column)
	}
	if f.Pos.EndLine < f.Pos.Line {
		f.Pos.EndLine, f.Pos.EndColumn = f.Pos.Line, f.Pos.Column+1
	}
	if s, ok := field(obj, "severity").(ast.String); ok {
		severity, err := finding.ParseSeverity(string(s))
		if err != nil {
			return finding.Finding{}, fmt.Errorf("finding %q: %w", f.Message, err)
		}
		f.Severity = severity
	}
	f.Sensitive = field(obj, "sensitive") == ast.Boolean(true)
	if fix := field(obj, "fix"); fix != nil {
		decoded, err := decodeFix(fix)
		if err != nil {
			return finding.Finding{}, fmt.Errorf("finding %q: %w", f.Message, err)
		}
		f.Fix = decoded
	}
	return f, nil
}

// decodeFix reads the optional "fix" object of a finding (see
// finding.Fix): {"kind", "pos", "unsafe"} and what the kind needs,
// "input" and "value" for set-input, "permissions" ({scope: level}) for
// add-permissions.
func decodeFix(value ast.Value) (*finding.Fix, error) {
	obj, ok := value.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("fix must be an object, got %s", ast.ValueName(value))
	}
	fix := &finding.Fix{
		Kind:   finding.FixKind(stringField(obj, "kind")),
		Unsafe: field(obj, "unsafe") == ast.Boolean(true),
		Input:  stringField(obj, "input"),
		Value:  stringField(obj, "value"),
	}
	if pos, ok := field(obj, "pos").(ast.Object); ok {
		fix.Pos = decodePos(pos)
	}
	if scopes, ok := field(obj, "permissions").(ast.Object); ok {
		for _, scope := range scopes.Keys() {
			name, _ := scope.Value.(ast.String)
			level, _ := scopes.Get(scope).Value.(ast.String)
			fix.Permissions = append(fix.Permissions, finding.Permission{Scope: string(name), Level: string(level)})
		}
	}
	slices.SortFunc(fix.Permissions, func(a, b finding.Permission) int { return strings.Compare(a.Scope, b.Scope) })
	if err := fix.Validate(); err != nil {
		return nil, err
	}
	return fix, nil
}

func decodePos(pos ast.Object) model.Pos {
	return model.Pos{
		File:      stringField(pos, "file"),
		Line:      intField(pos, "line"),
		Column:    intField(pos, "column"),
		EndLine:   intField(pos, "end_line"),
		EndColumn: intField(pos, "end_column"),
	}
}

// protectSecrets gives every sensitive finding the digest of the secret
// at its span (see secret.Digest), for its fingerprint, and masks that
// secret wherever the message of any finding of the file quotes it: only
// the rule that found it knew it was one. A digest is slow on purpose
// (each guess of someone who holds a baseline costs as much), so a value
// that recurs under the same rule is digested once, and once ctx is done
// no more is digested: a file of thousands of secrets stays within its
// time.
func protectSecrets(ctx context.Context, findings []finding.Finding, p *model.Pipeline) error {
	type secretOf struct{ ruleID, file, value string } // what a digest is of
	digests := map[secretOf]string{}
	var values []string
	for i := range findings {
		f := &findings[i]
		if !f.Sensitive {
			continue
		}
		value, ok := secret.ValueAt(p.Lines(f.Pos.File), f.Pos)
		if !ok {
			continue
		}
		key := secretOf{f.RuleID, f.Pos.File, value}
		digest, done := digests[key]
		if !done {
			if err := ctx.Err(); err != nil {
				return err
			}
			digest = secret.Digest(f.RuleID, f.Pos.File, value)
			digests[key] = digest
			values = append(values, value)
		}
		f.SecretDigest = digest
	}
	if len(values) == 0 {
		return nil
	}
	flagged := secret.NewValues(values) // once: a file may flag thousands
	for i := range findings {
		if masked := flagged.Mask(findings[i].Message); masked != findings[i].Message {
			findings[i].Message = masked
		}
	}
	return nil
}

func stringField(obj ast.Object, key string) string {
	s, _ := field(obj, key).(ast.String)
	return string(s)
}

// intField reads a whole number, 0 when there is none.
func intField(obj ast.Object, key string) int {
	n, _ := field(obj, key).(ast.Number)
	i, _ := n.Int()
	return i
}

// customHelp is the documentation of a custom rule: the <id>.md file beside
// its .rego file, if there is one; name is the module's name in messages.
func customHelp(mod module, name, id string) (string, error) {
	page, err := readPolicyFile(mod.tree, path.Join(path.Dir(mod.file), id+".md"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", path.Join(path.Dir(name), id+".md"), err)
	}
	return multiLine(string(page)), nil
}

// readPolicyFile reads a file of a policy tree, which may be a
// repository's (`policies:`): a file that is not regular is refused after
// a Stat, which opens nothing, since opening a FIFO waits for a writer.
func readPolicyFile(fsys fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, repofs.NotRegular(info.Mode())
	}
	return fs.ReadFile(fsys, name)
}

// helpLink is the first related_resources link of a rule's METADATA, which
// SARIF viewers open, so only an http or https URL.
func helpLink(file, id string, mod *ast.Module) (string, error) {
	for _, a := range mod.Annotations {
		if a.Scope != "package" || len(a.RelatedResources) == 0 {
			continue
		}
		ref := a.RelatedResources[0].Ref
		if (ref.Scheme != "http" && ref.Scheme != "https") || ref.Host == "" {
			return "", fmt.Errorf("%s: METADATA related_resources: the help link of rule %s must be an http or https URL, not %q", file, id, ref.String())
		}
		return ref.String(), nil
	}
	return "", nil
}

// oneLine makes a text from a policy or a checked file safe to print as
// one line of a terminal: control characters (escape sequences, carriage
// returns, line breaks), bidirectional controls, line separators and
// invalid UTF-8 become U+FFFD.
func oneLine(s string) string {
	return printable(s, false)
}

// multiLine is oneLine for texts of several lines (descriptions, help
// pages): it keeps line breaks and tabs, and reads CRLF as a line break.
func multiLine(s string) string {
	return printable(strings.ReplaceAll(s, "\r\n", "\n"), true)
}

// printable maps each character; strings.Map turns invalid UTF-8 into
// U+FFFD itself.
func printable(s string, lines bool) string {
	return strings.Map(func(r rune) rune {
		if lines && (r == '\n' || r == '\t') {
			return r
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}
