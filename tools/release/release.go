package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// What the manifests say about the package.
const (
	packageID        = "exoprobe.exoprobe"
	publisher        = "exoprobe"
	homepage         = "https://github.com/exoprobe/exoprobe"
	shortDescription = "Tells why an application, scanner or server cannot send mail through Microsoft 365 / Exchange Online, and what to change."
	// defaultLicense is what the manifests name until the project has a licence file.
	defaultLicense = "Proprietary"
	// manifestVersion is the winget manifest schema written.
	manifestVersion = "1.6.0"
)

// Files and directories a release holds, relative to its directory.
const (
	wingetDir     = "winget"
	scoopFile     = "scoop/exoprobe.json"
	notesFile     = "RELEASE-NOTES.md"
	sumsFile      = "SHA256SUMS"
	binaryPattern = "exoprobe-%s-%s%s"
)

// windowsBinaries are the Windows binaries a release publishes, with the architecture names
// winget and Scoop give them.
var windowsBinaries = []struct{ goarch, winget, scoop string }{
	{"amd64", "x64", "64bit"},
	{"arm64", "arm64", "arm64"},
}

// Release is what the manifests and notes are made from.
type Release struct {
	Dist        string // the directory of the built artifacts
	Version     string // without a leading v
	Commit      string
	CommitTime  string // RFC 3339
	GoVersion   string
	DownloadURL string // the base URL of the release's files; "": the GitHub release of the tag
	SignedBy    string // the Authenticode signer's subject; "": unsigned
	License     string
}

// binaryName is the file name of the binary for goos/goarch.
func binaryName(goos, goarch string) string {
	ext := ""
	if goos == "windows" {
		ext = ".exe"
	}
	return fmt.Sprintf(binaryPattern, goos, goarch, ext)
}

func (r *Release) downloadURL() string {
	if r.DownloadURL != "" {
		return strings.TrimSuffix(r.DownloadURL, "/")
	}
	return homepage + "/releases/download/v" + r.Version
}

// Write writes the winget and Scoop manifests and the release notes into r.Dist, from the
// Windows binaries found there. Both Windows binaries must be present.
func (r *Release) Write() error {
	if r.Version == "" || r.Commit == "" {
		return errors.New("release: -version and -commit are required")
	}
	if r.License == "" {
		r.License = defaultLicense
	}
	commitTime, err := time.Parse(time.RFC3339, r.CommitTime)
	if err != nil {
		return fmt.Errorf("release: -commit-time %q is not RFC 3339: %w", r.CommitTime, err)
	}
	hashes := map[string]string{}
	for _, b := range windowsBinaries {
		name := binaryName("windows", b.goarch)
		h, err := fileSHA256(filepath.Join(r.Dist, name))
		if err != nil {
			return fmt.Errorf("release: the manifests need %s: %w", name, err)
		}
		hashes[b.goarch] = h
	}
	files := map[string][]byte{}
	if files[filepath.Join(wingetDir, packageID+".yaml")], err = r.wingetVersion(); err != nil {
		return err
	}
	if files[filepath.Join(wingetDir, packageID+".installer.yaml")], err = r.wingetInstaller(hashes, commitTime); err != nil {
		return err
	}
	if files[filepath.Join(wingetDir, packageID+".locale.en-US.yaml")], err = r.wingetLocale(); err != nil {
		return err
	}
	if files[scoopFile], err = r.scoop(hashes); err != nil {
		return err
	}
	notes, err := r.notes(commitTime)
	if err != nil {
		return err
	}
	files[notesFile] = notes
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(r.Dist, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("release: %w", err)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return fmt.Errorf("release: %w", err)
		}
	}
	return nil
}

// The winget manifests, schema 1.6.0: one struct per file, fields in the order of Microsoft's
// examples.
type (
	wingetVersionManifest struct {
		PackageIdentifier string `yaml:"PackageIdentifier"`
		PackageVersion    string `yaml:"PackageVersion"`
		DefaultLocale     string `yaml:"DefaultLocale"`
		ManifestType      string `yaml:"ManifestType"`
		ManifestVersion   string `yaml:"ManifestVersion"`
	}
	wingetInstallerManifest struct {
		PackageIdentifier string            `yaml:"PackageIdentifier"`
		PackageVersion    string            `yaml:"PackageVersion"`
		InstallerType     string            `yaml:"InstallerType"`
		Commands          []string          `yaml:"Commands"`
		ReleaseDate       string            `yaml:"ReleaseDate"`
		Installers        []wingetInstaller `yaml:"Installers"`
		ManifestType      string            `yaml:"ManifestType"`
		ManifestVersion   string            `yaml:"ManifestVersion"`
	}
	wingetInstaller struct {
		Architecture    string `yaml:"Architecture"`
		InstallerURL    string `yaml:"InstallerUrl"`
		InstallerSha256 string `yaml:"InstallerSha256"`
	}
	wingetLocaleManifest struct {
		PackageIdentifier string   `yaml:"PackageIdentifier"`
		PackageVersion    string   `yaml:"PackageVersion"`
		PackageLocale     string   `yaml:"PackageLocale"`
		Publisher         string   `yaml:"Publisher"`
		PackageName       string   `yaml:"PackageName"`
		PackageURL        string   `yaml:"PackageUrl"`
		License           string   `yaml:"License"`
		ShortDescription  string   `yaml:"ShortDescription"`
		Moniker           string   `yaml:"Moniker"`
		Tags              []string `yaml:"Tags"`
		ReleaseNotesURL   string   `yaml:"ReleaseNotesUrl,omitempty"`
		ManifestType      string   `yaml:"ManifestType"`
		ManifestVersion   string   `yaml:"ManifestVersion"`
	}
)

func (r *Release) wingetVersion() ([]byte, error) {
	return wingetYAML("version", wingetVersionManifest{
		PackageIdentifier: packageID, PackageVersion: r.Version, DefaultLocale: "en-US",
		ManifestType: "version", ManifestVersion: manifestVersion,
	})
}

func (r *Release) wingetInstaller(hashes map[string]string, commitTime time.Time) ([]byte, error) {
	m := wingetInstallerManifest{
		PackageIdentifier: packageID, PackageVersion: r.Version,
		// A portable installer is the binary itself: winget puts it in its links directory
		// under the command's name.
		InstallerType: "portable", Commands: []string{"exoprobe"},
		ReleaseDate:  commitTime.UTC().Format("2006-01-02"),
		ManifestType: "installer", ManifestVersion: manifestVersion,
	}
	for _, b := range windowsBinaries {
		m.Installers = append(m.Installers, wingetInstaller{
			Architecture:    b.winget,
			InstallerURL:    r.downloadURL() + "/" + binaryName("windows", b.goarch),
			InstallerSha256: strings.ToUpper(hashes[b.goarch]),
		})
	}
	return wingetYAML("installer", m)
}

func (r *Release) wingetLocale() ([]byte, error) {
	return wingetYAML("defaultLocale", wingetLocaleManifest{
		PackageIdentifier: packageID, PackageVersion: r.Version, PackageLocale: "en-US",
		Publisher: publisher, PackageName: "exoprobe", PackageURL: homepage, License: r.License,
		ShortDescription: shortDescription, Moniker: "exoprobe",
		Tags:            []string{"exchange-online", "microsoft-365", "smtp", "diagnostics"},
		ReleaseNotesURL: r.downloadURL() + "/" + notesFile,
		ManifestType:    "defaultLocale", ManifestVersion: manifestVersion,
	})
}

// wingetYAML marshals a manifest behind the schema line winget's tools read.
func wingetYAML(kind string, m any) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# yaml-language-server: $schema=https://aka.ms/winget-manifest.%s.%s.schema.json\n\n", kind, manifestVersion)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("release: winget %s manifest: %w", kind, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("release: winget %s manifest: %w", kind, err)
	}
	return b.Bytes(), nil
}

// The Scoop manifest: one binary per architecture, renamed to exoprobe.exe on download (the
// "#/name" suffix), with checkver and autoupdate reading the next release's SHA256SUMS.
type (
	scoopManifest struct {
		Version      string               `json:"version"`
		Description  string               `json:"description"`
		Homepage     string               `json:"homepage"`
		License      string               `json:"license"`
		Architecture map[string]scoopArch `json:"architecture"`
		Bin          string               `json:"bin"`
		Checkver     string               `json:"checkver"`
		Autoupdate   scoopAutoupdate      `json:"autoupdate"`
	}
	scoopArch struct {
		URL  string `json:"url"`
		Hash string `json:"hash"`
	}
	scoopAutoupdate struct {
		Architecture map[string]scoopAuto `json:"architecture"`
	}
	scoopAuto struct {
		URL  string    `json:"url"`
		Hash scoopHash `json:"hash"`
	}
	scoopHash struct {
		URL string `json:"url"`
	}
)

func (r *Release) scoop(hashes map[string]string) ([]byte, error) {
	m := scoopManifest{
		Version: r.Version, Description: shortDescription, Homepage: homepage, License: r.License,
		Architecture: map[string]scoopArch{}, Bin: "exoprobe.exe", Checkver: "github",
		Autoupdate: scoopAutoupdate{Architecture: map[string]scoopAuto{}},
	}
	next := homepage + "/releases/download/v$version"
	for _, b := range windowsBinaries {
		name := binaryName("windows", b.goarch)
		m.Architecture[b.scoop] = scoopArch{URL: r.downloadURL() + "/" + name + "#/exoprobe.exe", Hash: hashes[b.goarch]}
		m.Autoupdate.Architecture[b.scoop] = scoopAuto{URL: next + "/" + name + "#/exoprobe.exe", Hash: scoopHash{URL: next + "/" + sumsFile}}
	}
	out, err := json.MarshalIndent(m, "", "    ")
	if err != nil {
		return nil, fmt.Errorf("release: scoop manifest: %w", err)
	}
	return append(out, '\n'), nil
}

// notes is RELEASE-NOTES.md: what was built from what, whether the Windows binaries are signed,
// and how to verify each file.
func (r *Release) notes(commitTime time.Time) ([]byte, error) {
	entries, err := os.ReadDir(r.Dist)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# exoprobe %s\n\n", r.Version)
	fmt.Fprintf(&b, "Built from commit `%s` (%s) with %s: static binaries (CGO_ENABLED=0), `-trimpath`, no VCS stamps "+
		"of the toolchain, every stamp (version, commit, time) taken from the commit, so that the same commit built with "+
		"the same Go version gives the same bytes. `exoprobe version` shows these stamps.\n\n",
		r.Commit, commitTime.UTC().Format(time.RFC3339), orUnknown(r.GoVersion))
	b.WriteString("## Signing\n\n")
	if r.SignedBy != "" {
		fmt.Fprintf(&b, "The Windows binaries are signed with Authenticode by `%s`.\n\n", r.SignedBy)
	} else {
		b.WriteString("**The Windows binaries are not signed**: this release was made without a code-signing certificate " +
			"(EXOPROBE_SIGN_PFX was not set). Windows SmartScreen may warn before the first run; check the file against " +
			"SHA256SUMS instead.\n\n")
	}
	b.WriteString("## Files\n\n| file | SHA-256 |\n|---|---|\n")
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), "exoprobe-") {
			continue
		}
		h, err := fileSHA256(filepath.Join(r.Dist, e.Name()))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "| %s | `%s` |\n", e.Name(), h)
	}
	b.WriteString(`
## Verifying

- Checksums: ` + "`sha256sum -c SHA256SUMS`" + ` (on Windows: ` + "`Get-FileHash .\\exoprobe-windows-amd64.exe`" + ` and compare
  with its line in SHA256SUMS).
- Rebuild: ` + "`git checkout " + r.Commit + " && make release`" + ` with ` + orUnknown(r.GoVersion) + ` gives binaries whose hashes are
  in REBUILD-SHA256SUMS (the Windows binaries as built, before signing).
- Bill of materials: ` + "`exoprobe-<os>-<arch>.cdx.json`" + ` is the CycloneDX SBOM of each binary (cyclonedx-gomod): every
  module it was built from, with its version and licence.
`)
	if r.SignedBy != "" {
		b.WriteString("- Signature: `osslsigncode verify -in exoprobe-windows-amd64.exe`, or on Windows " +
			"`Get-AuthenticodeSignature .\\exoprobe-windows-amd64.exe` (Status: Valid).\n")
	}
	b.WriteString("- Install: `winget install --manifest winget\\` or `scoop install scoop\\exoprobe.json`; both hold the " +
		"SHA-256 of the Windows binaries and refuse a file that does not match.\n")
	return b.Bytes(), nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// fileSHA256 returns the lower-case hex SHA-256 of a file.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Verify checks a release directory: every line of SHA256SUMS matches its file, the winget
// manifests parse and hold the hashes and file names of the Windows binaries, and so does the
// Scoop manifest. It returns what does not hold.
func Verify(dist string) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	sums, err := readSums(filepath.Join(dist, sumsFile))
	if err != nil {
		bad("%v", err)
	}
	for name, want := range sums {
		got, err := fileSHA256(filepath.Join(dist, filepath.FromSlash(name)))
		if err != nil {
			bad("%s lists %s: %v", sumsFile, name, err)
		} else if got != want {
			bad("%s: SHA-256 %s; %s says %s", name, got, sumsFile, want)
		}
	}
	hashes := map[string]string{} // goarch -> the published binary's hash
	for _, b := range windowsBinaries {
		h, err := fileSHA256(filepath.Join(dist, binaryName("windows", b.goarch)))
		if err != nil {
			bad("%v", err)
			continue
		}
		hashes[b.goarch] = h
		if sums[binaryName("windows", b.goarch)] != h {
			bad("%s does not list %s with its hash", sumsFile, binaryName("windows", b.goarch))
		}
	}

	var version wingetVersionManifest
	var installer wingetInstallerManifest
	var locale wingetLocaleManifest
	for _, m := range []struct {
		file string
		v    any
		kind string
	}{
		{packageID + ".yaml", &version, "version"},
		{packageID + ".installer.yaml", &installer, "installer"},
		{packageID + ".locale.en-US.yaml", &locale, "defaultLocale"},
	} {
		path := filepath.Join(dist, wingetDir, m.file)
		data, err := os.ReadFile(path)
		if err != nil {
			bad("%v", err)
			continue
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(m.v); err != nil {
			bad("%s does not parse as a winget %s manifest: %v", m.file, m.kind, err)
		}
	}
	if version.ManifestType != "version" || installer.ManifestType != "installer" || locale.ManifestType != "defaultLocale" {
		bad("winget manifest types are %q, %q, %q; want version, installer, defaultLocale",
			version.ManifestType, installer.ManifestType, locale.ManifestType)
	}
	for _, v := range []string{version.ManifestVersion, installer.ManifestVersion, locale.ManifestVersion} {
		if v != manifestVersion {
			bad("winget manifest version %q; want %s", v, manifestVersion)
		}
	}
	if installer.PackageVersion != version.PackageVersion || locale.PackageVersion != version.PackageVersion ||
		version.PackageVersion == "" {
		bad("winget manifests disagree on the version: %q, %q, %q", version.PackageVersion, installer.PackageVersion, locale.PackageVersion)
	}
	for _, b := range windowsBinaries {
		i := -1
		for j, in := range installer.Installers {
			if in.Architecture == b.winget {
				i = j
			}
		}
		if i < 0 {
			bad("winget installer manifest has no %s installer", b.winget)
			continue
		}
		in := installer.Installers[i]
		if !strings.HasSuffix(in.InstallerURL, "/"+binaryName("windows", b.goarch)) {
			bad("winget %s installer URL %s is not for %s", b.winget, in.InstallerURL, binaryName("windows", b.goarch))
		}
		if !strings.EqualFold(in.InstallerSha256, hashes[b.goarch]) {
			bad("winget %s installer SHA-256 %s; the file's is %s", b.winget, in.InstallerSha256, hashes[b.goarch])
		}
	}

	data, err := os.ReadFile(filepath.Join(dist, scoopFile))
	if err != nil {
		bad("%v", err)
		return problems
	}
	var scoop scoopManifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&scoop); err != nil {
		bad("%s does not parse: %v", scoopFile, err)
		return problems
	}
	if scoop.Version != version.PackageVersion {
		bad("scoop version %q; winget's is %q", scoop.Version, version.PackageVersion)
	}
	for _, b := range windowsBinaries {
		a, ok := scoop.Architecture[b.scoop]
		switch {
		case !ok:
			bad("scoop manifest has no %s architecture", b.scoop)
		case !strings.Contains(a.URL, "/"+binaryName("windows", b.goarch)+"#/"):
			bad("scoop %s URL %s is not for %s", b.scoop, a.URL, binaryName("windows", b.goarch))
		case a.Hash != hashes[b.goarch]:
			bad("scoop %s hash %s; the file's is %s", b.scoop, a.Hash, hashes[b.goarch])
		}
	}
	return problems
}

// readSums reads a file in sha256sum's format: "<hex>  <name>" (or " *<name>" for binary mode).
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		hash, name, ok := strings.Cut(sc.Text(), " ")
		name = strings.TrimPrefix(strings.TrimPrefix(name, " "), "*")
		if _, err := hex.DecodeString(hash); !ok || err != nil || len(hash) != 64 || name == "" {
			return nil, fmt.Errorf("%s line %d is not \"<sha256>  <file>\"", filepath.Base(path), n)
		}
		out[name] = hash
	}
	return out, sc.Err()
}
