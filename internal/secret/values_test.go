package secret

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestValues(t *testing.T) {
	for _, c := range []struct {
		values []string
		text   string
		want   string
	}{
		{[]string{"Hx9aQ2kLmP7z"}, "a Hx9aQ2kLmP7z b Hx9aQ2kLmP7z", "a Hx9**** b Hx9****"},
		{[]string{"abcdefgh", "cdef"}, "xabcdefghx cdef", "xab****x c****"},    // one inside another
		{[]string{"abcdef", "efgh"}, "abcdefgh", "****"},                       // two that overlap
		{[]string{"abc", "secret", "cret"}, "abc ünï secret", "abc ünï s****"}, // too short; runes
		{nil, "nothing", "nothing"},
	} {
		if got := NewValues(c.values).Mask(c.text); got != c.want {
			t.Errorf("NewValues(%q).Mask(%q) = %q, want %q", c.values, c.text, got, c.want)
		}
	}
	var none *Values
	if spans := none.Spans("abcdefgh"); spans != nil {
		t.Errorf("a nil Values found %v", spans)
	}
}

// TestValuesFindEveryOccurrence: whatever the values, every character of
// every occurrence of one is covered, as a search for each value in turn
// would cover it, and nothing else is.
func TestValuesFindEveryOccurrence(t *testing.T) {
	random := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab"[random.IntN(2)]
		}
		return string(b)
	}
	for range 500 {
		var values []string
		for range 1 + random.IntN(6) {
			values = append(values, word(4+random.IntN(4)))
		}
		text := word(random.IntN(40))
		want := make([]bool, len(text))
		for _, v := range values {
			for i := 0; i+len(v) <= len(text); i++ {
				if strings.HasPrefix(text[i:], v) {
					for j := i; j < i+len(v); j++ {
						want[j] = true
					}
				}
			}
		}
		got := make([]bool, len(text))
		for _, s := range NewValues(values).Spans(text) {
			for j := s.Start; j < s.End; j++ {
				got[j] = true
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("values %q in %q: covered %v, want %v", values, text, got, want)
		}
	}
}
