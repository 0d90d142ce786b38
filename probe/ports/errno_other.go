//go:build !unix && !windows

package ports

// On other systems connection errors are classified by timeout only.
var refusedErrnos, unreachableErrnos, blockedErrnos, timedOutErrnos []error
