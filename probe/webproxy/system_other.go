//go:build !windows

package webproxy

// systemSettings is direct outside Windows: Linux has no system proxy beyond the environment,
// and macOS's (System Settings > Network > Proxies) is not read (a documented limit).
func systemSettings() Settings { return Settings{} }
