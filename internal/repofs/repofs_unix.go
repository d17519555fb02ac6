//go:build unix

package repofs

import "syscall"

// openNonBlocking keeps an open from waiting for a writer, should a FIFO
// take a file's place between Stat and Open; reads of a regular file are
// not affected.
const openNonBlocking = syscall.O_NONBLOCK
