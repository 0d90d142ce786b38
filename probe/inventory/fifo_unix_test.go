//go:build unix

package inventory_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/inventory"
)

// TestScanNeverOpensAPipe: a main.cf whose password map is a named pipe, and a pipe with a
// configuration's name, are reported and never opened (opening a pipe blocks until a writer
// comes).
func TestScanNeverOpensAPipe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "sasl_passwd")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "app.env"), 0o600); err != nil {
		t.Fatal(err)
	}
	mainCF := "relayhost = [smtp.office365.com]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:" + fifo + "\n"
	if err := os.WriteFile(filepath.Join(dir, "main.cf"), []byte(mainCF), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	done := make(chan *inventory.Result, 1)
	go func() {
		done <- inventory.Scan(ctx, inventory.Config{Paths: []string{dir, filepath.Join(dir, "app.env")}})
	}()
	select {
	case res := <-done:
		if len(res.Rows) != 1 || !strings.Contains(res.Rows[0].PasswordAt, "not readable") {
			t.Errorf("rows %+v; want main.cf's, its map not readable", res.Rows)
		}
		pipes := 0
		for _, p := range res.Problems {
			if strings.Contains(p.Detail, "not a regular file") {
				pipes++
			}
		}
		if pipes != 2 {
			t.Errorf("problems %+v; want the map and app.env, each not a regular file", res.Problems)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the scan blocked on a pipe")
	}
}
