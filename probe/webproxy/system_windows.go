//go:build windows

package webproxy

import "github.com/mattn/go-ieproxy"

// systemSettings reads Windows' proxy settings: Internet Options for the current user, else
// WinHTTP's machine-wide proxy (netsh winhttp show proxy), as go-ieproxy reads them.
func systemSettings() Settings { return fromIEConf(ieproxy.GetConf()) }
