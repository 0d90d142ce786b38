//go:build !unix && !windows

package resolve

// isRefused is false on systems whose socket errors are not classified.
func isRefused(error) bool { return false }
