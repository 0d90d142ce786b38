package session

import (
	"crypto/x509"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"
)

func TestZZOpenSSL(t *testing.T) {
	addr := os.Getenv("H4ADDR")
	if addr == "" {
		t.Skip()
	}
	pem, _ := os.ReadFile("/tmp/h4py/cert.pem")
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	cfg := Config{Mode: ModeRelay, Host: "contoso-com.mail.protection.outlook.com", Addr: addr, Helo: "app01.contoso.com",
		From: "app@contoso.com", To: []string{"someone@example.org"}, RootCAs: pool, ReplyTimeout: 5 * time.Second}
	var ds []time.Duration
	for i := 0; i < 200; i++ {
		t0 := time.Now()
		out := Run(t.Context(), cfg)
		ds = append(ds, time.Since(t0))
		if out.Send.Status != "pass" || out.TLS.Status != "pass" {
			t.Fatalf("%s %v %v", out.TLS.Status, out.TLS.Findings, out.Send.Findings)
		}
		if i == 0 {
			fmt.Println(out.TLS.Summary)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	fmt.Printf("min %v p50 %v p90 %v max %v\n", ds[0], ds[len(ds)/2], ds[len(ds)*9/10], ds[len(ds)-1])
}
