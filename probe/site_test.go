package probe_test

import (
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// siteOptions points both endpoints of a site run at a site scenario's simulator, without
// credentials unless the test adds them.
func siteOptions(sim *fixtures.Sim, to ...string) probe.SiteOptions {
	p25 := simOptions(sim, "")
	p25.To = to
	return probe.SiteOptions{
		Port25: p25,
		Submit: probe.SubmitOptions{
			From: sim.From, To: to, Auth: probe.AuthNotTried, Port: sim.SubmitPort, Resolver: sim.DNSAddr,
			RunOptions:   probe.RunOptions{RootCAs: sim.RootCAs, ControlPorts: sim.ControlPorts[1:], ConnectTimeout: 2 * time.Second},
			ReplyTimeout: 2 * time.Second,
		},
		Timeout: 20 * time.Second,
	}
}

// TestSiteRecipients checks which recipients each path is tried with: outside ones for the
// relay, inside ones (else the sender) for Direct Send, and that a path without a recipient of
// its kind is not tried.
func TestSiteRecipients(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		to                  []string
		relayTo, directTo   []string
		relayTried, dsTried bool
	}{
		{"outside only: Direct Send to the sender", []string{fixtures.SimExternalTo}, []string{fixtures.SimExternalTo}, []string{fixtures.SimFrom}, true, true},
		{"inside only: no relay", []string{fixtures.SimInternalTo}, nil, []string{fixtures.SimInternalTo}, false, true},
		{"both", []string{fixtures.SimExternalTo, fixtures.SimInternalTo}, []string{fixtures.SimExternalTo}, []string{fixtures.SimInternalTo}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "site-no-credentials")
			site := probe.RunSite(t.Context(), siteOptions(sim, tt.to...))
			if len(site.Paths) != 3 {
				t.Fatalf("%d paths; want 3", len(site.Paths))
			}
			relay, direct, sub := site.Paths[0], site.Paths[1], site.Paths[2]
			if relay.ID != probe.PathRelay || direct.ID != probe.PathDirect || sub.ID != probe.PathSubmit {
				t.Fatalf("paths %s, %s, %s; want relay, direct, submit", relay.ID, direct.ID, sub.ID)
			}
			if !slices.Equal(relay.To, tt.relayTo) || !slices.Equal(direct.To, tt.directTo) {
				t.Errorf("relay to %v, direct to %v; want %v, %v", relay.To, direct.To, tt.relayTo, tt.directTo)
			}
			if (relay.Report != nil) != tt.relayTried || (relay.NotTried == "") != tt.relayTried {
				t.Errorf("relay tried %v (%q); want %v", relay.Report != nil, relay.NotTried, tt.relayTried)
			}
			if (direct.Report != nil) != tt.dsTried {
				t.Errorf("direct tried %v; want %v", direct.Report != nil, tt.dsTried)
			}
			if !tt.relayTried && relay.Status != check.Skip {
				t.Errorf("relay status %s; want skip", relay.Status)
			}
			if sub.Status != check.Pass || !sub.Encrypted || sub.SignIn != probe.AuthNotTried || len(sub.Mechanisms) == 0 {
				t.Errorf("submit: %s, encrypted %v, sign-in %q, mechanisms %v; want pass, STARTTLS, not tried, offered",
					sub.Status, sub.Encrypted, sub.SignIn, sub.Mechanisms)
			}
			if site.Verdict != check.Pass {
				t.Errorf("verdict %s; want pass", site.Verdict)
			}
		})
	}
}

// TestSiteDirectSendSPF checks that a Direct Send accepted at RCPT whose SPF does not list this
// site's IP is reported as accepted with the SPF failure as its blocker.
func TestSiteDirectSendSPF(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "site-no-credentials", fixtures.WithZone(func(z *fixtures.Zone) {
		z.Remove(fixtures.SimDomain, dns.TypeTXT).TXT(fixtures.SimDomain, "v=spf1 include:spf.protection.outlook.com -all")
	}))
	site := probe.RunSite(t.Context(), siteOptions(sim, fixtures.SimInternalTo))
	direct := site.Paths[1]
	if direct.Status != check.Fail || !direct.Accepted || !direct.SPFFails {
		t.Fatalf("direct: %s, accepted %v, SPF fails %v; want fail, accepted, SPF fails", direct.Status, direct.Accepted, direct.SPFFails)
	}
	if direct.Blocker == nil || direct.Blocker.Code != code.SPFIPNotAuthorised {
		t.Errorf("direct blocker %+v; want %s", direct.Blocker, code.SPFIPNotAuthorised)
	}
	if site.Verdict != check.Warn {
		t.Errorf("verdict %s; want warn (submission works, Direct Send fails SPF)", site.Verdict)
	}
}
