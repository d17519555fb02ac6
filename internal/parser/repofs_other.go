//go:build !unix

package parser

// openNonBlocking: no FIFOs to wait on.
const openNonBlocking = 0
