//go:build linux && !android

package roots

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// The files and directories crypto/x509 reads the system's roots from on Linux
// (root_linux.go), and the environment variables that replace them (root_unix.go). They must
// stay Go's: For's roots are a part of what x509 would load.
var (
	certFiles = []string{
		"/etc/ssl/certs/ca-certificates.crt",                // Debian/Ubuntu/Gentoo etc.
		"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora/RHEL 6
		"/etc/ssl/ca-bundle.pem",                            // OpenSUSE
		"/etc/pki/tls/cacert.pem",                           // OpenELEC
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS/RHEL 7
		"/etc/ssl/cert.pem",                                 // Alpine Linux
	}
	certDirectories = []string{
		"/etc/ssl/certs",     // SLES10/SLES11
		"/etc/pki/tls/certs", // Fedora/RHEL
	}
)

const (
	certFileEnv = "SSL_CERT_FILE"
	certDirEnv  = "SSL_CERT_DIR"
)

// loadSystem reads the system's roots from the files x509 reads them from, in the same
// order; nil when x509 would have no certificate (it then says why itself).
func loadSystem() *index {
	ix := newIndex()
	files := certFiles
	if f := os.Getenv(certFileEnv); f != "" {
		files = []string{f}
	}
	buf := make([]byte, 64<<10)
	for _, file := range files {
		if data, err := readFile(file, buf); err == nil {
			ix.addPEM(data)
			break
		}
	}
	dirs := certDirectories
	if d := os.Getenv(certDirEnv); d != "" {
		dirs = strings.Split(d, ":")
	}
	for _, dir := range dirs {
		entries, err := readUniqueDirectoryEntries(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if data, err := readFile(dir+"/"+e.Name(), buf); err == nil {
				ix.addPEM(data)
			}
		}
	}
	if !ix.usable() {
		return nil
	}
	return ix
}

// readUniqueDirectoryEntries is os.ReadDir without the symbolic links that point within the
// directory (OpenSSL's hash links), as x509 reads a directory.
func readUniqueDirectoryEntries(dir string) ([]fs.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	uniq := entries[:0]
	for _, e := range entries {
		if !isSameDirSymlink(e, dir) {
			uniq = append(uniq, e)
		}
	}
	return uniq, nil
}

func isSameDirSymlink(e fs.DirEntry, dir string) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	target, err := os.Readlink(filepath.Join(dir, e.Name()))
	return err == nil && !strings.Contains(target, "/")
}

// readFile reads a whole file with plain system calls, through buf. os.ReadFile makes ten calls
// per file on Linux (it sets non-blocking mode, tries the poller, sets blocking mode back and
// asks the size); four are enough, and for a store of a few hundred small files the calls are
// most of the time it takes to read.
func readFile(path string, buf []byte) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var data []byte
	for {
		n, err := syscall.Read(fd, buf)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			return data, nil
		}
		data = append(data, buf[:n]...)
	}
}
