package github

import (
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"
)

var (
	callsFailure    = regexp.MustCompile(`(?i)\bfailure\(\s*\)|\.(status|outcome|conclusion)\s*==\s*'failure'|'failure'\s*==`)
	callsAlways     = regexp.MustCompile(`(?i)\balways\(\s*\)|!\s*cancelled\(\s*\)`)
	wholeExpression = regexp.MustCompile(`^\$\{\{(.*)\}\}$`)
)

// when normalises an `if:` condition (see model.Step.When): "on_failure"
// when it reacts to a failure (failure(), or a status, outcome or
// conclusion compared with 'failure'), "always" when it runs whatever
// happened before (always(), !cancelled()) and checks no failure, and ""
// otherwise.
func when(condition string) string {
	expr := strings.TrimSpace(condition)
	if m := wholeExpression.FindStringSubmatch(expr); m != nil && !strings.Contains(m[1], "${{") {
		expr = m[1]
	}
	failure, always := false, false
	tree, err := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(expr + "}}"))
	if err != nil {
		// Not one expression (text around ${{ }}, a syntax error): look at
		// the words, which is all GitHub can be said to evaluate.
		failure, always = callsFailure.MatchString(condition), callsAlways.MatchString(condition)
	} else {
		actionlint.VisitExprNode(tree, func(n, parent actionlint.ExprNode, entering bool) {
			if !entering {
				return
			}
			switch n := n.(type) {
			case *actionlint.FuncCallNode:
				switch strings.ToLower(n.Callee) {
				case "failure":
					failure = true
				case "always":
					always = true
				case "cancelled":
					_, negated := parent.(*actionlint.NotOpNode)
					always = always || negated
				}
			case *actionlint.CompareOpNode:
				if n.Kind == actionlint.CompareOpNodeKindEq &&
					(isFailureCheck(n.Left, n.Right) || isFailureCheck(n.Right, n.Left)) {
					failure = true
				}
			}
		})
	}
	switch {
	case failure:
		return "on_failure"
	case always:
		return "always"
	}
	return ""
}

// isFailureCheck reports whether status is a job or step result (job.status,
// steps.x.outcome, needs.x.result ...) and literal is 'failure'.
func isFailureCheck(status, literal actionlint.ExprNode) bool {
	s, ok := literal.(*actionlint.StringNode)
	if !ok || !strings.EqualFold(s.Value, "failure") {
		return false
	}
	deref, ok := status.(*actionlint.ObjectDerefNode)
	if !ok {
		return false
	}
	switch strings.ToLower(deref.Property) {
	case "status", "outcome", "conclusion", "result":
		return true
	}
	return false
}
