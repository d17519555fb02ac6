package syntax

import (
	"reflect"
	"testing"
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
