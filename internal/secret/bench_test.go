package secret

import "testing"

// Every finding's message is masked: a message without a secret must cost
// little.
func BenchmarkMaskMessage(b *testing.B) {
	m := Default()
	for b.Loop() {
		m.Mask(`container image "node:20" is pinned to tag "20", which can be moved; pin it to a digest (@sha256:...)`)
	}
}

func BenchmarkMaskLineWithSecrets(b *testing.B) {
	m := Default()
	for b.Loop() {
		m.Mask("      - run: git clone https://bob:Q7wjZk2mXp9L@github.com/x/y.git && PASSWORD=Hx9aQ2kLmP7z docker login -p Hx9aQ2kLmP7z " + githubToken)
	}
}

func BenchmarkDigest(b *testing.B) {
	for b.Loop() {
		Digest("plaintext-secret", ".github/workflows/ci.yml", githubToken)
	}
}
