package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// fakeDist makes a release directory with a binary per platform (made-up bytes) and returns
// it with the SHA-256 of each file by name.
func fakeDist(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	hashes := map[string]string{}
	for _, p := range [][2]string{{"linux", "amd64"}, {"windows", "amd64"}, {"windows", "arm64"}, {"darwin", "arm64"}} {
		name := binaryName(p[0], p[1])
		data := []byte("MZ fake binary for " + name)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		hashes[name] = hex.EncodeToString(sum[:])
	}
	return dir, hashes
}

// writeSums writes SHA256SUMS over every file in dir, as scripts/release.sh does.
func writeSums(t *testing.T, dir string) {
	t.Helper()
	var b bytes.Buffer
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == sumsFile {
			return err
		}
		h, err := fileSHA256(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s  %s\n", h, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sumsFile), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func manifests(t *testing.T, dir string, extra ...string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"manifests", "-dist", dir, "-version", "1.2.3", "-commit", strings.Repeat("ab", 20),
		"-commit-time", "2026-12-07T03:42:38Z", "-go-version", "go1.26.8"}, extra...)
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("release manifests: exit %d: %s", code, stderr.String())
	}
}

// TestManifestsHoldTheHashes generates the manifests from made-up binaries and reads them back
// as winget and Scoop would: every file parses, and each installer names its binary with that
// binary's SHA-256.
func TestManifestsHoldTheHashes(t *testing.T) {
	dir, hashes := fakeDist(t)
	manifests(t, dir)

	read := func(name string) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name, file, manifestType string
	}{
		{"version", "winget/exoprobe.exoprobe.yaml", "version"},
		{"installer", "winget/exoprobe.exoprobe.installer.yaml", "installer"},
		{"default locale", "winget/exoprobe.exoprobe.locale.en-US.yaml", "defaultLocale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := read(tt.file)
			if !bytes.HasPrefix(data, []byte("# yaml-language-server: $schema=https://aka.ms/winget-manifest."+tt.manifestType+".1.6.0.schema.json")) {
				t.Errorf("%s starts %q; want the schema line", tt.file, strings.SplitN(string(data), "\n", 2)[0])
			}
			var m map[string]any
			if err := yaml.Unmarshal(data, &m); err != nil {
				t.Fatalf("%s does not parse: %v", tt.file, err)
			}
			if m["ManifestType"] != tt.manifestType || m["ManifestVersion"] != "1.6.0" ||
				m["PackageIdentifier"] != "exoprobe.exoprobe" || m["PackageVersion"] != "1.2.3" {
				t.Errorf("%s: got %v; want type %s, version 1.6.0, package exoprobe.exoprobe 1.2.3", tt.file, m, tt.manifestType)
			}
		})
	}

	t.Run("installers", func(t *testing.T) {
		var m struct {
			InstallerType string              `yaml:"InstallerType"`
			Commands      []string            `yaml:"Commands"`
			Installers    []map[string]string `yaml:"Installers"`
		}
		if err := yaml.Unmarshal(read("winget/exoprobe.exoprobe.installer.yaml"), &m); err != nil {
			t.Fatal(err)
		}
		if m.InstallerType != "portable" || len(m.Commands) != 1 || m.Commands[0] != "exoprobe" {
			t.Errorf("installer type %q, commands %v; want portable, [exoprobe]", m.InstallerType, m.Commands)
		}
		want := map[string]string{"x64": "exoprobe-windows-amd64.exe", "arm64": "exoprobe-windows-arm64.exe"}
		if len(m.Installers) != len(want) {
			t.Fatalf("%d installers; want %d", len(m.Installers), len(want))
		}
		for _, in := range m.Installers {
			file := want[in["Architecture"]]
			if in["InstallerUrl"] != "https://github.com/exoprobe/exoprobe/releases/download/v1.2.3/"+file {
				t.Errorf("%s: url %s; want the release's %s", in["Architecture"], in["InstallerUrl"], file)
			}
			if in["InstallerSha256"] != strings.ToUpper(hashes[file]) {
				t.Errorf("%s: sha256 %s; want %s", in["Architecture"], in["InstallerSha256"], strings.ToUpper(hashes[file]))
			}
		}
	})

	t.Run("scoop", func(t *testing.T) {
		var m struct {
			Version      string
			Bin          string
			Architecture map[string]struct{ URL, Hash string }
		}
		if err := json.Unmarshal(read("scoop/exoprobe.json"), &m); err != nil {
			t.Fatal(err)
		}
		if m.Version != "1.2.3" || m.Bin != "exoprobe.exe" {
			t.Errorf("version %q, bin %q; want 1.2.3, exoprobe.exe", m.Version, m.Bin)
		}
		for arch, file := range map[string]string{"64bit": "exoprobe-windows-amd64.exe", "arm64": "exoprobe-windows-arm64.exe"} {
			a := m.Architecture[arch]
			if a.URL != "https://github.com/exoprobe/exoprobe/releases/download/v1.2.3/"+file+"#/exoprobe.exe" {
				t.Errorf("%s: url %s", arch, a.URL)
			}
			if a.Hash != hashes[file] {
				t.Errorf("%s: hash %s; want %s", arch, a.Hash, hashes[file])
			}
		}
	})

	t.Run("verify", func(t *testing.T) {
		writeSums(t, dir)
		if problems := Verify(dir); len(problems) > 0 {
			t.Errorf("Verify: %v", problems)
		}
	})
}

// TestNotesSaySigned checks that the release notes say whether the Windows binaries are signed,
// and by whom.
func TestNotesSaySigned(t *testing.T) {
	tests := []struct {
		name     string
		signedBy string
		want     []string
		wantNot  []string
	}{
		{"unsigned", "", []string{"**The Windows binaries are not signed**", "EXOPROBE_SIGN_PFX was not set"}, []string{"osslsigncode verify"}},
		{"signed", "CN=Contoso Code Signing", []string{"signed with Authenticode by `CN=Contoso Code Signing`", "osslsigncode verify", "Get-AuthenticodeSignature"}, []string{"not signed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, hashes := fakeDist(t)
			manifests(t, dir, "-signed-by", tt.signedBy)
			data, err := os.ReadFile(filepath.Join(dir, notesFile))
			if err != nil {
				t.Fatal(err)
			}
			notes := string(data)
			for _, s := range append(tt.want, hashes["exoprobe-linux-amd64"], "REBUILD-SHA256SUMS", "sha256sum -c SHA256SUMS", "cdx.json") {
				if !strings.Contains(notes, s) {
					t.Errorf("notes lack %q:\n%s", s, notes)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(notes, s) {
					t.Errorf("notes hold %q:\n%s", s, notes)
				}
			}
		})
	}
}

// TestVerifyFindsMismatches changes a release after its files were written: Verify must say so.
func TestVerifyFindsMismatches(t *testing.T) {
	tests := []struct {
		name   string
		change func(dir string) error
		want   string
	}{
		{"a binary replaced", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "exoprobe-windows-amd64.exe"), []byte("MZ other"), 0o755)
		}, "exoprobe-windows-amd64.exe: SHA-256"},
		{"a manifest that is not YAML", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "winget/exoprobe.exoprobe.installer.yaml"), []byte("Installers: [\n"), 0o644)
		}, "does not parse as a winget installer manifest"},
		{"scoop's hash changed", func(dir string) error {
			p := filepath.Join(dir, "scoop/exoprobe.json")
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var m scoopManifest
			if err := json.Unmarshal(data, &m); err != nil {
				return err
			}
			a := m.Architecture["arm64"]
			a.Hash = strings.Repeat("0", 64)
			m.Architecture["arm64"] = a
			data, _ = json.Marshal(m)
			return os.WriteFile(p, data, 0o644)
		}, "scoop arm64 hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := fakeDist(t)
			manifests(t, dir)
			writeSums(t, dir)
			if err := tt.change(dir); err != nil {
				t.Fatal(err)
			}
			problems := strings.Join(Verify(dir), "\n")
			if !strings.Contains(problems, tt.want) {
				t.Errorf("Verify said %q; want %q", problems, tt.want)
			}
		})
	}
}
