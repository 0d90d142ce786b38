package idn

import "testing"

func TestToASCII(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"ascii", "Contoso.COM", "contoso.com", false},
		{"umlaut", "bücher.de", "xn--bcher-kva.de", false},
		{"upper case umlaut", "BÜCHER.de", "xn--bcher-kva.de", false},
		{"full-width dot", "bücher。de", "xn--bcher-kva.de", false},
		{"eszett kept", "straße.de", "xn--strae-oqa.de", false},
		{"not utf-8", "b\xffcher.de", "", true},
		{"disallowed", "a\u2028b.de", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ToASCII(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ToASCII(%q) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestDisplay(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"ascii", "contoso.com", "contoso.com"},
		{"a-label", "xn--bcher-kva.de", "bücher.de (xn--bcher-kva.de)"},
		{"host under an a-label", "mail.xn--bcher-kva.de", "mail.bücher.de (mail.xn--bcher-kva.de)"},
		{"broken a-label kept", "xn--zz.de", "xn--zz.de"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Display(tt.in); got != tt.want {
				t.Errorf("Display(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}
