package syntax

import (
	"reflect"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// TestSourceLines: the model's copy of a file has the lines that positions
// count, whatever the line endings, and no byte-order mark (which takes no
// column).
func TestSourceLines(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"LF", "a\nb\n", []string{"a", "b"}},
		{"CRLF", "a\r\nb\r\n", []string{"a", "b"}},
		{"CR", "a\rb\r", []string{"a", "b"}},
		{"mixed", "a\r\rb\nc\r\nd", []string{"a", "", "b", "c", "d"}},
		{"no final break", "a\nb", []string{"a", "b"}},
		{"empty lines kept", "a\n\n", []string{"a", ""}},
		{"byte-order mark", "\uFEFFa\nb\n", []string{"a", "b"}},
		{"empty", "", []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Source("f", []byte(tt.src)).Lines; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lines = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRanges: a column is covered when any range holds it, nested and
// overlapping ranges included, whatever order they were added in.
func TestRanges(t *testing.T) {
	var r Ranges
	for _, span := range [][2]int{{20, 30}, {1, 10}, {3, 5}, {25, 40}, {50, 51}} {
		r.Add(span[0], span[1])
	}
	for x, want := range map[int]bool{0: false, 1: true, 4: true, 6: true, 9: true, 10: false, 19: false, 20: true, 35: true, 40: false, 50: true, 51: false} {
		if got := r.Covers(x); got != want {
			t.Errorf("Covers(%d) = %v, want %v", x, got, want)
		}
	}
	r.Add(10, 20)
	if !r.Covers(15) {
		t.Error("a range added after a lookup is not seen")
	}
	var none *Ranges
	if none.Covers(1) {
		t.Error("no ranges cover 1")
	}
}

// TestJoinErrors: errors are reported by position, those of one position
// by message, whatever order the parser found them in; none is nil.
func TestJoinErrors(t *testing.T) {
	at := func(line, column int, msg string) *model.ParseError {
		return &model.ParseError{Pos: model.Pos{File: "f", Line: line, Column: column}, Message: msg}
	}
	err := JoinErrors([]*model.ParseError{at(3, 1, "c"), at(1, 5, "b"), at(1, 5, "a"), at(1, 2, "z")})
	want := "f:1:2: z\nf:1:5: a\nf:1:5: b\nf:3:1: c"
	if err == nil || err.Error() != want {
		t.Errorf("JoinErrors = %v, want %q", err, want)
	}
	if err := JoinErrors(nil); err != nil {
		t.Errorf("JoinErrors(nil) = %v, want nil", err)
	}
}
