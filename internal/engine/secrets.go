package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipelint/pipelint/internal/secret"
)

// secretsPackage holds the tables that say what a secret looks like: the
// plaintext-secret rule reads them, and so does the masker of every
// finding's message (package secret), so that both agree.
const secretsPackage = "data.pipelint.lib.secrets"

// SecretTables returns the secret tables of folded tables in the form of
// folded_tables.json. go generate writes them to internal/secret/tables.json
// for the masker that works without an engine (reports, errors, inspect).
func SecretTables(folded []byte) (secret.Tables, error) {
	file, err := readFolded(string(folded))
	if err != nil {
		return secret.Tables{}, err
	}
	packages, _ := field(file, "packages").(*ast.Array)
	for i := range packages.Len() {
		p, _ := packages.Elem(i).Value.(ast.Object)
		if p != nil && field(p, "package") == ast.String(secretsPackage) {
			tables, _ := field(p, "tables").(ast.Object)
			return secretTablesOf(tables)
		}
	}
	return secret.Tables{}, fmt.Errorf("no package %s", secretsPackage)
}

// secretTablesOf reads the tables a masker needs from the folded tables of
// the secrets package; they come sorted, so that the same tables give the
// same value.
func secretTablesOf(tables ast.Object) (secret.Tables, error) {
	var t secret.Tables
	if tables == nil {
		return t, nil
	}
	value, err := ast.JSON(tables)
	if err != nil {
		return t, fmt.Errorf("%s: %w", secretsPackage, err)
	}
	data, err := json.Marshal(value)
	if err == nil {
		err = json.Unmarshal(data, &t)
	}
	if err != nil {
		return t, fmt.Errorf("%s: %w", secretsPackage, err)
	}
	slices.SortFunc(t.TokenPatterns, func(a, b secret.Pattern) int { return strings.Compare(a.ID, b.ID) })
	for _, list := range [][]string{t.PasswordFlags, t.ShortPasswordFlagCommands, t.AttachedPasswordCommands, t.UserPasswordFlags, t.UserPasswordCommands} {
		slices.Sort(list)
	}
	return t, nil
}

// maskerOf returns the masker of an engine's tables: the built-in one,
// with the token patterns and flags custom policies add to the secrets
// package.
func maskerOf(tables map[string]ast.Object) (*secret.Masker, error) {
	own, err := secretTablesOf(tables[secretsPackage])
	if err != nil {
		return nil, err
	}
	builtin, err := secret.DefaultTables()
	if err != nil {
		return nil, err
	}
	merged := builtin
	merged.TokenPatterns = slices.Clone(builtin.TokenPatterns)
	for _, p := range own.TokenPatterns {
		if !slices.ContainsFunc(merged.TokenPatterns, func(q secret.Pattern) bool { return reflect.DeepEqual(p, q) }) {
			merged.TokenPatterns = append(merged.TokenPatterns, p)
		}
	}
	for _, lists := range []struct {
		into *[]string
		add  []string
	}{
		{&merged.PasswordFlags, own.PasswordFlags},
		{&merged.ShortPasswordFlagCommands, own.ShortPasswordFlagCommands},
		{&merged.AttachedPasswordCommands, own.AttachedPasswordCommands},
		{&merged.UserPasswordFlags, own.UserPasswordFlags},
		{&merged.UserPasswordCommands, own.UserPasswordCommands},
	} {
		list := slices.Clone(*lists.into)
		for _, item := range lists.add {
			if !slices.Contains(list, item) {
				list = append(list, item)
			}
		}
		*lists.into = list
	}
	if reflect.DeepEqual(merged, builtin) {
		return secret.Default(), nil
	}
	m, err := secret.New(merged)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", secretsPackage, err)
	}
	return m, nil
}
