// Package secret keeps secrets out of pipelint's output. A Masker finds
// credentials in any text (a finding's message, a source line, a parse
// error, the input document inspect prints) and replaces them with a
// preview that shows at most four characters: passwords in URLs, tokens
// of a known shape, literals under secret names (PASSWORD=..., API_TOKEN:
// ...) and passwords passed on command lines.
//
// What a secret looks like is not written here: the token shapes, secret
// names, placeholders and password flags are the tables of the Rego
// package pipelint.lib.secrets (rules/lib/secrets.rego), the ones the
// plaintext-secret rule reads. go generate ./internal/engine writes them to
// tables.json, and the engine's tests check that the file is current.
//
// Masking errs on the side of hiding: it also masks what the rule would
// not report, such as a documentation example with a token's shape.
package secret

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pipelint/pipelint/internal/model"
)

// Mark is what stands for the hidden part of a secret. Its fixed length
// hides how long the secret is.
const Mark = "****"

// PreviewLength is how many characters of a secret of length characters a
// preview shows: at most 4 and at most a quarter, so that a short secret
// shows nothing. It is the rule of mask() in rules/lib/secrets.rego.
func PreviewLength(length int) int { return min(4, length/4) }

// Preview is value with all but its first PreviewLength characters
// replaced by Mark.
func Preview(value string) string {
	runes := []rune(value)
	return string(runes[:PreviewLength(len(runes))]) + Mark
}

// Pattern is one token shape of the table token_patterns.
type Pattern struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Regex    string   `json:"regex"`
	Keywords []string `json:"keywords"` // literal strings every match contains
}

// Tables are the tables of pipelint.lib.secrets a Masker reads.
type Tables struct {
	TokenPatterns             []Pattern `json:"token_patterns"`
	URLUserinfoPattern        string    `json:"url_userinfo_pattern"`
	ImageUserinfoPattern      string    `json:"image_userinfo_pattern"`
	SecretKeyPattern          string    `json:"secret_key_pattern"`
	SecretWordPrefilter       string    `json:"secret_word_prefilter"`
	NonSecretKeyPattern       string    `json:"non_secret_key_pattern"`
	PlaceholderPattern        string    `json:"placeholder_pattern"`
	ReferencePattern          string    `json:"reference_pattern"`
	PasswordFlags             []string  `json:"password_flags"`
	ShortPasswordFlagCommands []string  `json:"short_password_flag_commands"`
	AttachedPasswordCommands  []string  `json:"attached_password_commands"`
	UserPasswordFlags         []string  `json:"user_password_flags"`
	UserPasswordCommands      []string  `json:"user_password_commands"`
}

// tablesJSON is generated from rules/lib/secrets.rego by go generate
// ./internal/engine.
//
//go:embed tables.json
var tablesJSON []byte

// DefaultTables are the tables of the built-in rules.
func DefaultTables() (Tables, error) {
	var t Tables
	if err := json.Unmarshal(tablesJSON, &t); err != nil {
		return Tables{}, fmt.Errorf("secret tables: %w", err)
	}
	return t, nil
}

// Default is the Masker of the built-in tables.
var Default = sync.OnceValue(func() *Masker {
	t, err := DefaultTables()
	if err == nil {
		var m *Masker
		if m, err = New(t); err == nil {
			return m
		}
	}
	panic(err) // tables.json is generated and tested: it cannot fail
})

// Masker finds and masks secrets in text. It is safe for concurrent use.
type Masker struct {
	tokens        []token
	urlUserinfo   *regexp.Regexp
	imageUserinfo *regexp.Regexp
	secretKey     *regexp.Regexp
	secretWord    *regexp.Regexp
	secretWords   []string // secretWord's words, when it is a list of lowercase words
	nonSecretKey  *regexp.Regexp
	placeholder   *regexp.Regexp
	reference     *regexp.Regexp
	passwordFlags map[string]bool
	shortFlag     map[string]bool // commands whose -p takes a password
	attached      map[string]bool // commands whose -pVALUE is a password
	userFlags     map[string]bool
	userCommands  map[string]bool
}

type token struct {
	regex    *regexp.Regexp
	keywords []string
}

// assignment is the start of NAME=VALUE, NAME: VALUE, NAME = 'VALUE',
// "NAME": "VALUE", up to the value; assignedValue is the value. The value
// is read apart, so that a value never hides the next assignment (run:
// PASSWORD=x).
var (
	assignment    = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?:=|:)[ \t]*["']?`)
	assignedValue = regexp.MustCompile(`^[^\s'"\x60;,(){}\[\]]+`)
)

var camelHump = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// New compiles tables into a Masker.
func New(t Tables) (*Masker, error) {
	m := &Masker{
		passwordFlags: set(t.PasswordFlags),
		shortFlag:     set(t.ShortPasswordFlagCommands),
		attached:      set(t.AttachedPasswordCommands),
		userFlags:     set(t.UserPasswordFlags),
		userCommands:  set(t.UserPasswordCommands),
	}
	for _, p := range t.TokenPatterns {
		re, err := regexp.Compile(p.Regex)
		if err != nil {
			return nil, fmt.Errorf("token pattern %s: %w", p.ID, err)
		}
		m.tokens = append(m.tokens, token{regex: re, keywords: p.Keywords})
	}
	for _, r := range []struct {
		into **regexp.Regexp
		name string
		expr string
	}{
		{&m.urlUserinfo, "url_userinfo_pattern", t.URLUserinfoPattern},
		{&m.imageUserinfo, "image_userinfo_pattern", t.ImageUserinfoPattern},
		{&m.secretKey, "secret_key_pattern", t.SecretKeyPattern},
		{&m.secretWord, "secret_word_prefilter", t.SecretWordPrefilter},
		{&m.nonSecretKey, "non_secret_key_pattern", t.NonSecretKeyPattern},
		{&m.placeholder, "placeholder_pattern", t.PlaceholderPattern},
		{&m.reference, "reference_pattern", t.ReferencePattern},
	} {
		if r.expr == "" {
			return nil, fmt.Errorf("secret tables: %s is missing", r.name)
		}
		re, err := regexp.Compile(r.expr)
		if err != nil {
			return nil, fmt.Errorf("secret tables: %s: %w", r.name, err)
		}
		*r.into = re
	}
	m.secretWords = literalWords(t.SecretWordPrefilter)
	return m, nil
}

// literalWords returns the words of a case-insensitive list of lowercase
// words, (?i)a|b|c, which strings.Contains tests faster than the regular
// expression; nil for any other expression.
func literalWords(expr string) []string {
	list, ok := strings.CutPrefix(expr, "(?i)")
	if !ok {
		return nil
	}
	words := strings.Split(list, "|")
	for _, w := range words {
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) {
			return nil
		}
	}
	return words
}

// mayHoldSecretWord is a cheap test that text holds a word of
// secret_word_prefilter.
func (m *Masker) mayHoldSecretWord(text string) bool {
	if m.secretWords == nil {
		return m.secretWord.MatchString(text)
	}
	lower := strings.ToLower(text)
	return slices.ContainsFunc(m.secretWords, func(w string) bool { return strings.Contains(lower, w) })
}

func set(items []string) map[string]bool {
	s := make(map[string]bool, len(items))
	for _, item := range items {
		s[item] = true
	}
	return s
}

// IsSecretName reports whether a variable, key or flag name says it holds
// a secret (API_TOKEN, githubToken, db.password), as the plaintext-secret
// rule judges names.
func (m *Masker) IsSecretName(name string) bool {
	if !m.mayHoldSecretWord(name) {
		return false
	}
	words := strings.ToLower(camelHump.ReplaceAllString(name, "${1}_${2}"))
	return m.secretKey.MatchString(words) && !m.nonSecretKey.MatchString(words)
}

// IsLiteral reports whether value, written where a secret goes, may be
// the secret itself: it is neither a placeholder (changeme, <token>, ***)
// nor a reference to a secret kept elsewhere ($VAR, ${{ secrets.X }},
// vault:...).
func (m *Masker) IsLiteral(value string) bool {
	value = strings.TrimSpace(value)
	return strings.ContainsFunc(value, isAlphanumeric) &&
		!strings.Contains(value, Mark) &&
		!m.placeholder.MatchString(value) &&
		!m.reference.MatchString(value)
}

func isAlphanumeric(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// Span is a part of a text to replace: the characters (runes, not bytes)
// Start up to End, by Replacement.
type Span struct {
	Start, End  int
	Replacement string
}

// Mask returns text with every secret Spans finds in it masked.
func (m *Masker) Mask(text string) string { return Apply(text, m.Spans(text)) }

// Spans finds the secrets in text and returns them with the extra spans a
// caller knows of (an extra span without a Replacement gets the Preview of
// its text, and an empty one inserts Mark), sorted and merged: spans that
// overlap become one, fully masked.
func (m *Masker) Spans(text string, extra ...Span) []Span {
	var found []Span // in bytes
	m.findTokens(text, &found)
	m.findUserinfo(text, &found)
	m.findAssignments(text, &found)
	m.findFlags(text, &found)
	spans := toRunes(text, found)
	runes := []rune(text)
	for _, s := range extra {
		s.Start, s.End = min(max(s.Start, 0), len(runes)), min(s.End, len(runes))
		if s.Start > s.End {
			continue
		}
		if s.Replacement == "" {
			s.Replacement = Preview(string(runes[s.Start:s.End]))
		}
		spans = append(spans, s)
	}
	return merge(spans)
}

// findTokens finds the values of a known token shape. A pattern that
// takes in the character before or after a token keeps it.
func (m *Masker) findTokens(text string, found *[]Span) {
	for _, t := range m.tokens {
		if !slices.ContainsFunc(t.keywords, func(k string) bool { return strings.Contains(text, k) }) {
			continue
		}
		for _, match := range t.regex.FindAllStringIndex(text, -1) {
			start, end := match[0], match[1]
			for start < end && !isTokenByte(text[start]) {
				start++
			}
			for end > start && !isTokenByte(text[end-1]) {
				end--
			}
			if start < end {
				*found = append(*found, Span{start, end, Preview(text[start:end])})
			}
		}
	}
}

func isTokenByte(c byte) bool {
	return isAlphanumeric(rune(c)) || strings.IndexByte("_~.-", c) >= 0
}

// findUserinfo finds the passwords of URLs (scheme://user:PASSWORD@host)
// and image references (user:PASSWORD@registry/image). The password is
// masked whole unless it is a reference or already masked.
func (m *Masker) findUserinfo(text string, found *[]Span) {
	at := strings.IndexByte(text, '@')
	if at < 0 || !strings.Contains(text[:strings.LastIndexByte(text, '@')], ":") || !strings.Contains(text[at:], "/") {
		return // no user:password@host/ in text
	}
	for _, re := range []*regexp.Regexp{m.urlUserinfo, m.imageUserinfo} {
		if re == m.urlUserinfo && !strings.Contains(text, "://") {
			continue
		}
		for _, match := range re.FindAllStringSubmatchIndex(text, -1) {
			start, end := match[4], match[5] // group 2, the password
			if password := text[start:end]; !strings.Contains(password, Mark) && !m.reference.MatchString(password) {
				*found = append(*found, Span{start, end, Mark})
			}
		}
	}
}

// findAssignments finds literal values under secret names: PASSWORD=x,
// API_TOKEN: x, --token=x.
func (m *Masker) findAssignments(text string, found *[]Span) {
	if !strings.ContainsAny(text, "=:") || !m.mayHoldSecretWord(text) {
		return
	}
	for _, match := range assignment.FindAllStringSubmatchIndex(text, -1) {
		name := text[match[2]:match[3]]
		value := assignedValue.FindString(text[match[1]:])
		if value != "" && m.IsSecretName(name) && m.IsLiteral(value) {
			*found = append(*found, Span{match[1], match[1] + len(value), Preview(value)})
		}
	}
}

// findFlags finds passwords passed on command lines: --password VALUE
// (any command), -p VALUE and -pVALUE (commands where -p means password)
// and -u user:VALUE (curl, wget).
func (m *Masker) findFlags(text string, found *[]Span) {
	if !strings.Contains(text, "-") {
		return
	}
	fields := fieldsOf(text)
	commands := map[string]bool{} // the names seen so far that can take a short password flag
	for i, f := range fields {
		word := f.text
		next := func() (field, bool) {
			if i+1 < len(fields) && !strings.HasPrefix(fields[i+1].text, "-") {
				return fields[i+1], true
			}
			return field{}, false
		}
		switch {
		case m.passwordFlags[word] && word != "-p",
			word == "-p" && anyOf(commands, m.shortFlag):
			if v, ok := next(); ok {
				m.addValue(v, found)
			}
		case m.userFlags[word] && anyOf(commands, m.userCommands):
			if v, ok := next(); ok {
				if _, password, ok := strings.Cut(v.text, ":"); ok {
					m.addValue(field{password, v.end - len(password), v.end}, found)
				}
			}
		case strings.HasPrefix(word, "-p") && len(word) > 2 && anyOf(commands, m.attached):
			m.addValue(field{word[2:], f.start + 2, f.end}, found)
		case strings.HasPrefix(word, "--") && strings.Contains(word, "="):
			flag, value, _ := strings.Cut(word, "=")
			if m.passwordFlags[flag] {
				m.addValue(field{value, f.end - len(value), f.end}, found)
			}
		default:
			name := word[strings.LastIndexByte(word, '/')+1:]
			if m.shortFlag[name] || m.attached[name] || m.userCommands[name] {
				commands[name] = true
			}
		}
	}
}

func anyOf(seen, wanted map[string]bool) bool {
	for name := range seen {
		if wanted[name] {
			return true
		}
	}
	return false
}

func (m *Masker) addValue(v field, found *[]Span) {
	if m.IsLiteral(v.text) {
		*found = append(*found, Span{v.start, v.end, Preview(v.text)})
	}
}

// field is a blank-separated word of a text, without the quotes around
// it, and its byte offsets.
type field struct {
	text       string
	start, end int
}

func fieldsOf(text string) []field {
	var fields []field
	start := -1
	for i := 0; i <= len(text); i++ {
		blank := i == len(text) || text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'
		switch {
		case !blank && start < 0:
			start = i
		case blank && start >= 0:
			s, e := start, i
			for s < e && strings.IndexByte(`"'`, text[s]) >= 0 {
				s++
			}
			for e > s && strings.IndexByte(`"';`, text[e-1]) >= 0 {
				e--
			}
			if s < e {
				fields = append(fields, field{text[s:e], s, e})
			}
			start = -1
		}
	}
	return fields
}

// toRunes turns byte offsets into rune offsets.
func toRunes(text string, spans []Span) []Span {
	if len(spans) == 0 {
		return nil
	}
	for i := range spans {
		spans[i].Start = utf8.RuneCountInString(text[:spans[i].Start])
		spans[i].End = utf8.RuneCountInString(text[:spans[i].End])
	}
	return spans
}

// merge sorts spans and merges those that overlap: a span inside another
// is dropped (of two equal ones, the one whose replacement shows less is
// kept), and two that only overlap become one masked whole.
func merge(spans []Span) []Span {
	slices.SortStableFunc(spans, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return b.End - a.End // the longer first
		}
		return len(a.Replacement) - len(b.Replacement) // the one that shows less
	})
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start < out[n-1].End {
			if s.End > out[n-1].End {
				out[n-1].End, out[n-1].Replacement = s.End, Mark
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// Apply replaces the spans of text, sorted and not overlapping, as Spans
// returns them.
func Apply(text string, spans []Span) string {
	if len(spans) == 0 {
		return text
	}
	runes := []rune(text)
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.WriteString(string(runes[last:s.Start]))
		b.WriteString(s.Replacement)
		last = s.End
	}
	b.WriteString(string(runes[last:]))
	return b.String()
}

// MaskErrors returns copies of errs with their messages masked by m and
// the values flagged as secrets (nil for none): parse and resolution
// errors quote what they could not read, which may be a secret.
func (m *Masker) MaskErrors(errs []*model.ParseError, flagged *Values) []*model.ParseError {
	if errs == nil {
		return nil
	}
	masked := make([]*model.ParseError, len(errs))
	for i, e := range errs {
		masked[i] = &model.ParseError{Pos: e.Pos, Message: Apply(e.Message, m.Spans(e.Message, flagged.Spans(e.Message)...))}
	}
	return masked
}
