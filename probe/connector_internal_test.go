package probe

import (
	"net/netip"
	"testing"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// TestJudgeConnector covers what only the connector check decides: an IP-based connector
// needs one known public IPv4 address.
func TestJudgeConnector(t *testing.T) {
	t.Parallel()
	v4, v6 := netip.MustParseAddr("203.0.113.7"), netip.MustParseAddr("2001:db8::25")
	disagree := check.New("publicip")
	disagree.Add(check.Finding{Severity: check.Warn, Code: "publicip-disagree", Message: "..."})
	tests := []struct {
		name   string
		plan   ConnectorPlan
		ip     publicip.Outcome
		status check.Status
		code   string
		seen   netip.Addr // the address Exchange Online saw; none when zero
	}{
		{"one IPv4", ConnectorPlan{Kind: ConnectorByIP}, publicip.Outcome{Result: check.New("publicip"), IPv4: v4}, check.Pass, "", netip.Addr{}},
		{"IPv6 only", ConnectorPlan{Kind: ConnectorByIP}, publicip.Outcome{Result: check.New("publicip"), IPv6: v6}, check.Fail, "connector-no-ipv4", netip.Addr{}},
		{"nothing detected", ConnectorPlan{Kind: ConnectorByIP}, publicip.Outcome{Result: check.New("publicip")}, check.Fail, "connector-no-ipv4", netip.Addr{}},
		{"sources disagree", ConnectorPlan{Kind: ConnectorByIP}, publicip.Outcome{Result: disagree, IPv4: v4, Disagree: true}, check.Fail, "publicip-disagree", netip.Addr{}},
		{"nothing detected, Exchange Online saw it", ConnectorPlan{Kind: ConnectorByIP, SenderIPs: []string{"203.0.113.7"}},
			publicip.Outcome{Result: check.New("publicip")}, check.Pass, "", v4},
		{"sources disagree, Exchange Online saw it", ConnectorPlan{Kind: ConnectorByIP, SenderIPs: []string{"203.0.113.7"}},
			publicip.Outcome{Result: disagree, IPv4: v4, Disagree: true}, check.Pass, "", v4},
		{"certificate, IPv6 only", ConnectorPlan{Kind: ConnectorByCertificate, CertDomain: "mail.contoso.com"}, publicip.Outcome{Result: check.New("publicip"), IPv6: v6}, check.Pass, "", netip.Addr{}},
		{"certificate without a name", ConnectorPlan{Kind: ConnectorByCertificate}, publicip.Outcome{Result: check.New("publicip"), IPv4: v4}, check.Fail, "connector-no-cert-domain", netip.Addr{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := judgeConnector(&tt.plan, tt.ip, tt.seen)
			if r.Status != tt.status {
				t.Errorf("status %s; want %s (findings %+v)", r.Status, tt.status, r.Findings)
			}
			if tt.code != "" && (len(r.Findings) != 1 || string(r.Findings[0].Code) != tt.code || kb.HintFor(r.Findings[0], kb.Context{}) == nil) {
				t.Errorf("findings %+v; want one %s with a hint", r.Findings, tt.code)
			}
			if r.ID != check.Connector || r.Summary == "" {
				t.Errorf("id %q, summary %q", r.ID, r.Summary)
			}
		})
	}
}
