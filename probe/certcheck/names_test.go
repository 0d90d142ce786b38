package certcheck

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateCertDomain(t *testing.T) {
	tests := []struct {
		in       string
		contains string // empty: valid
	}{
		{"mail.contoso.com", ""},
		{"MAIL.Contoso.COM.", ""},
		{" contoso.com ", ""},
		{"*.contoso.com", ""},
		{"xn--bcher-kva.example", ""},
		{"", "empty"},
		{"mail.*.contoso.com", "embedded wildcard"},
		{"*mail.contoso.com", "embedded wildcard"},
		{"*.*.contoso.com", "embedded wildcard"},
		{"*", "embedded wildcard"},
		{"contoso", "not a full domain name"},
		{"app@contoso.com", "e-mail address"},
		{"https://mail.contoso.com/", "not a domain name"},
		{"203.0.113.7", "IP address"},
		{"<I>CN=R3,O=Let's Encrypt<S>CN=mail.contoso.com", "<I>issuer<S>subject"},
		{"mail..contoso.com", "empty label"},
		{"-mail.contoso.com", "hyphen"},
		{"mail_relay.contoso.com", "character '_'"},
		{"bücher.example", "punycode"},
		{strings.Repeat("a", 64) + ".com", "longer than 63"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := ValidateCertDomain(tt.in)
			if tt.contains == "" {
				if err != nil {
					t.Fatalf("ValidateCertDomain(%q) = %v; want nil", tt.in, err)
				}
				return
			}
			var de *CertDomainError
			if !errors.As(err, &de) {
				t.Fatalf("ValidateCertDomain(%q) = %v; want *CertDomainError", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q; want it to contain %q", err, tt.contains)
			}
		})
	}
}

func TestMatchCertName(t *testing.T) {
	tests := []struct {
		connector, name string
		want            Match
	}{
		{"mail.contoso.com", "mail.contoso.com", Matches},
		{"MAIL.contoso.com", "mail.CONTOSO.com.", Matches},
		{"mail.contoso.com", "smtp.contoso.com", NoMatch},
		{"contoso.com", "mail.contoso.com", NoMatch},
		// Connector wildcard: the domain and all subdomains (New-InboundConnector).
		{"*.contoso.com", "contoso.com", Matches},
		{"*.contoso.com", "mail.contoso.com", Matches},
		{"*.contoso.com", "a.b.contoso.com", Matches},
		{"*.contoso.com", "*.contoso.com", Matches},
		{"*.contoso.com", "*.mail.contoso.com", Matches},
		{"*.contoso.com", "notcontoso.com", NoMatch},
		{"*.contoso.com", "contoso.com.evil.example", NoMatch},
		{"*.mail.contoso.com", "contoso.com", NoMatch},
		// Certificate wildcard against an exact connector name: undocumented.
		{"mail.contoso.com", "*.contoso.com", MatchUnsure},
		{"a.b.contoso.com", "*.contoso.com", NoMatch},
		{"contoso.com", "*.contoso.com", NoMatch},
		{"", "mail.contoso.com", NoMatch},
		{"mail.contoso.com", "", NoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.connector+" vs "+tt.name, func(t *testing.T) {
			if got := MatchCertName(tt.connector, tt.name); got != tt.want {
				t.Errorf("MatchCertName(%q, %q) = %d; want %d", tt.connector, tt.name, got, tt.want)
			}
		})
	}
}

func TestAccepted(t *testing.T) {
	tests := []struct {
		name   string
		names  []string
		domain string
		want   acceptance
	}{
		{"exact", []string{"mail.contoso.com", "contoso.com"}, "contoso.com", acceptedExact},
		{"exact, case and dot", []string{"Contoso.COM."}, "contoso.com", acceptedExact},
		{"subdomain", []string{"mail.contoso.com"}, "contoso.com", acceptedSub},
		{"wildcard", []string{"*.contoso.com"}, "contoso.com", acceptedSub},
		{"outside", []string{"mail.fabrikam.com"}, "contoso.com", acceptedNone},
		{"lookalike", []string{"notcontoso.com"}, "contoso.com", acceptedNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var refs []nameRef
			for _, n := range tt.names {
				refs = append(refs, nameRef{n, "SAN"})
			}
			if got, _ := accepted(refs, tt.domain); got != tt.want {
				t.Errorf("accepted(%v, %q) = %d; want %d", tt.names, tt.domain, got, tt.want)
			}
		})
	}
}
