//go:build !unix

package repofs

// openNonBlocking: no FIFOs to wait on.
const openNonBlocking = 0
