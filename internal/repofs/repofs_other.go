//go:build !unix

package repofs

// openNonBlocking: no FIFOs to wait on.
const openNonBlocking = 0

// openNoFollow: Create's Lstat before the open refuses a link.
const openNoFollow = 0
