package model

import "fmt"

// ParseError is a problem with a file's syntax or structure, at a position.
// Parsers return it (possibly several, joined with errors.Join) together with
// whatever part of the Pipeline they could still build.
type ParseError struct {
	Pos     Pos
	Message string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Pos.File, e.Pos.Line, e.Pos.Column, e.Message)
}
