package jenkins

import (
	"path"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// Parser is Jenkins for the registry: Jenkinsfiles by any of the names
// projects give them.
var Parser = syntax.Parser{
	System:   model.Jenkins,
	Files:    "Jenkinsfile, Jenkinsfile.*, Jenkinsfile-*, Jenkinsfile_*, *.jenkinsfile (any case)",
	Detect:   detect,
	NearMiss: nearMiss,
	Parse:    syntax.OneFile(Parse),
}

// notPipelines are extensions of files named after a Jenkinsfile that hold
// something else: its documentation, an editor's or a merge's leftovers.
var notPipelines = map[string]bool{".md": true, ".txt": true, ".rst": true, ".adoc": true, ".bak": true, ".orig": true, ".swp": true, ".old": true, ".png": true, ".svg": true}

// named reports whether base is a Jenkinsfile's name, whatever its case
// (JenkinsFile, Jenkinsfile-PreCommit, Jenkinsfile_updatecli,
// nightly.Jenkinsfile).
func named(base string) bool {
	lower := strings.ToLower(base)
	if lower == "jenkinsfile" || strings.HasSuffix(lower, ".jenkinsfile") {
		return true
	}
	rest, ok := strings.CutPrefix(lower, "jenkinsfile")
	return ok && rest != "" && strings.ContainsRune(".-_", rune(rest[0])) && len(rest) > 1
}

func detect(slashPath string) bool {
	base := path.Base(slashPath)
	return named(base) && !notPipelines[strings.ToLower(path.Ext(base))]
}

func nearMiss(slashPath string) string {
	base := path.Base(slashPath)
	if named(base) && notPipelines[strings.ToLower(path.Ext(base))] {
		return "named like a Jenkinsfile, but its extension says it holds something else"
	}
	return ""
}
