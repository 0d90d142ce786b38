package inventory

import (
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPaths are the usual places of configuration that sends mail on this operating system:
// on Windows IIS's sites and configuration, Reporting Services and Power BI Report Server, the
// .NET Framework's machine-wide configuration, PHP and XAMPP; elsewhere Postfix, msmtp, ssmtp,
// sendmail, PHP, and the directories web applications live in. home, when set, adds the
// user's ~/.msmtprc.
func DefaultPaths(home string) []string {
	if runtime.GOOS == "windows" {
		return windowsPaths(os.Getenv)
	}
	paths := []string{
		"/etc/postfix", "/etc/msmtprc", "/etc/ssmtp", "/etc/php",
		"/usr/local/etc/postfix", "/usr/local/etc/php", "/usr/local/etc/msmtprc", "/opt/homebrew/etc",
		"/var/www", "/srv", "/opt",
	}
	if home != "" {
		paths = append(paths, filepath.Join(home, ".msmtprc"))
	}
	return paths
}

// windowsPaths are the usual places on Windows, from the environment's system directories.
func windowsPaths(getenv func(string) string) []string {
	drive := getenv("SystemDrive")
	if drive == "" {
		drive = "C:"
	}
	root := drive + `\`
	windir := getenv("windir")
	if windir == "" {
		windir = filepath.Join(root, "Windows")
	}
	var paths []string
	paths = append(paths,
		filepath.Join(root, "inetpub"),
		filepath.Join(windir, "System32", "inetsrv", "config"),
		filepath.Join(windir, "Microsoft.NET", "Framework64", "v4.0.30319", "Config"),
		filepath.Join(windir, "Microsoft.NET", "Framework", "v4.0.30319", "Config"),
	)
	for _, pf := range []string{getenv("ProgramFiles"), getenv("ProgramFiles(x86)")} {
		if pf == "" {
			continue
		}
		paths = append(paths,
			// SSRS 2016 and earlier: MSRS<version>.<instance>\Reporting Services\ReportServer
			filepath.Join(pf, "Microsoft SQL Server"),
			// SSRS 2017 and later, and Power BI Report Server: ...\SSRS\ReportServer, ...\PBIRS\ReportServer
			filepath.Join(pf, "Microsoft SQL Server Reporting Services"),
			filepath.Join(pf, "Microsoft Power BI Report Server"),
		)
	}
	paths = append(paths, filepath.Join(root, "php"), filepath.Join(root, "xampp", "php"), filepath.Join(root, "xampp", "sendmail"))
	return paths
}
