package session

import (
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"
)

func TestZZDump(t *testing.T) {
	ms, msTLS := msPKI(t)
	avast := newPKI(t, pkix.Name{CommonName: "Avast Web/Mail Shield Root", Organization: []string{"Avast Web/Mail Shield"}})
	srv := newServer(t, concat(exoUpToTLS(avast.serverTLS(t, "mail.protection.outlook.com")), []act{expect("MAIL FROM"), expect("RCPT TO"),
		say("250 2.1.0 Sender OK", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 [DM6NAM12FT034.eop-nam12.prod.protection.outlook.com]"),
		expect("QUIT"), say("221 2.0.0 Service closing transmission channel")})...)
	cfg := baseConfig(srv, ms)
	cfg.ExpectIP = []netip.Addr{netip.MustParseAddr("198.51.100.1")}
	cfg.Vars = map[string]string{"domain": "contoso.com", "from": cfg.From}
	out := Run(t.Context(), cfg)
	for _, r := range []any{out.SMTP.Summary, out.SMTP.Findings, out.TLS.Summary, out.TLS.Findings, out.Send.Summary, out.Send.Findings} {
		b, _ := json.MarshalIndent(r, "", " ")
		fmt.Println(string(b))
	}
	srv2 := newServer(t, []act{exoGreeting(), expect("EHLO"), say("250-"+exoFront+" Hello ["+echoIP+"]", "250-XXXXXXXA", "250 8BITMIME"), expect("MAIL"), say("250 ok"), expect("RCPT"), say("250 ok"), expect("RSET"), say("250 ok"), expect("QUIT"), say("221 bye")}...)
	_ = msTLS
	out = Run(t.Context(), baseConfig(srv2, ms))
	for _, r := range []any{out.SMTP.Summary, out.SMTP.Findings, out.TLS.Summary, out.Send.Summary} {
		b, _ := json.MarshalIndent(r, "", " ")
		fmt.Println(string(b))
	}
}
