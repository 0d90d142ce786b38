package main

import (
	"os"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures/interop"
	"github.com/exoprobe/exoprobe/probe/session"
)

func TestZZSessionDist(t *testing.T) {
	b := &testing.B{}
	_ = b
	w := newInteropWorld(t)
	pf := interopStartBench(t, w)
	cfg := session.Config{
		Mode: session.ModeRelay, Host: interopTenantMX, Addr: pf.Addr, Port: pf.Port,
		From: "app@" + interopTenant, To: []string{"someone@example.org"}, RootCAs: w.pki.Root.Pool(),
		Helo: "app.contoso-interop.example", ConnectTimeout: 5 * time.Second, ReplyTimeout: 5 * time.Second,
	}
	for i := 0; i < 150; i++ {
		t0 := time.Now()
		out := session.Run(t.Context(), cfg)
		d := time.Since(t0)
		if d > 20*time.Millisecond {
			t.Logf("%d: %v smtp %d tls %d send %d", i, d, out.SMTP.DurationMS, out.TLS.DurationMS, out.Send.DurationMS)
			for _, l := range out.Transcript {
				t.Logf("   %s %s", l.Dir, l.Line)
			}
		}
	}
	b2, _ := os.ReadFile(pf.Dir + "/postfix.log")
	t.Logf("%s", b2[max(0, len(b2)-3000):])
}

func interopStartBench(t *testing.T, w *interopWorld) *interop.PostfixServer {
	return interop.StartPostfix(t, interop.PostfixConfig{
		Hostname: interopTenantMX, Greeting: interopEXOGreeting, Cert: w.serverCert(t, interopTenantMX),
		MyNetworks: []string{"127.0.0.0/8"},
	})
}
