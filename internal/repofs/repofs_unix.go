//go:build unix

package repofs

import "syscall"

// openNonBlocking keeps an open from waiting for the other end, should a
// FIFO take a file's place between Stat and Open; reads and writes of a
// regular file are not affected.
const openNonBlocking = syscall.O_NONBLOCK

// openNoFollow makes an open fail on a symbolic link instead of following
// it.
const openNoFollow = syscall.O_NOFOLLOW
