package secret

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"

	"github.com/pipelint/pipelint/internal/model"
)

// DigestKey is pipelint's fixed key for Digest. It is public, like the
// rest of pipelint: it does not make a digest secret, it only makes
// pipelint's digests its own, so that tables computed for other systems
// are of no use against them.
const DigestKey = "pipelint secret fingerprint v1"

// DigestIterations is the cost of one Digest: PBKDF2-HMAC-SHA256 with this
// many iterations takes about 1.5 ms, which a run pays once per secret
// found, and which makes each guess of an attacker who holds a baseline
// file cost as much.
const DigestIterations = 10_000

// Digest identifies a secret value without holding it, for fingerprints:
// two different values give different digests, and the digest cannot be
// turned back into the value. It is PBKDF2-HMAC-SHA256 of the value,
// salted with DigestKey, the rule and the file, 128 bits, in hex.
//
// A baseline is committed and shared, so what it holds must not reveal a
// secret. A random token of a known shape cannot be guessed from any hash
// of it; a short password can be guessed from a fast one (SHA-256, or an
// HMAC whose key is public, as pipelint's must be to work offline and
// give every checkout the same fingerprints). The salt makes every guess
// specific to one rule and file, and the iterations make each guess slow.
func Digest(ruleID, file, value string) string {
	salt := []byte(DigestKey + "\x00" + ruleID + "\x00" + file)
	key, err := pbkdf2.Key(sha256.New, value, salt, DigestIterations, 16)
	if err != nil { // only in FIPS mode, for keys shorter than 112 bits
		return ""
	}
	return hex.EncodeToString(key)
}

// ValueAt returns the text of lines at pos: the characters Column up to
// EndColumn of the start line, or to its end when the span goes on to
// another line. ok is false when the span is not in lines.
func ValueAt(lines []string, pos model.Pos) (value string, ok bool) {
	if pos.Line < 1 || pos.Line > len(lines) || pos.Column < 1 {
		return "", false
	}
	line := []rune(lines[pos.Line-1])
	start, end := pos.Column-1, len(line)
	if pos.EndLine == pos.Line {
		end = min(pos.EndColumn-1, len(line))
	}
	if start >= end {
		return "", false
	}
	return string(line[start:end]), true
}
