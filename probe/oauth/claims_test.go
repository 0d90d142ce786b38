package oauth

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// realAppToken has the claims of a client-credentials token for Exchange Online as Entra ID
// issues it (v1.0, iss sts.windows.net, appid, roles, idtyp app; facts section 2.3), with made-up
// ids and an invalid signature.
const realAppToken = "eyJ0eXAiOiJKV1QiLCJub25jZSI6IngiLCJhbGciOiJSUzI1NiIsIng1dCI6InkiLCJraWQiOiJ5In0." +
	"eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSIsImlzcyI6Imh0dHBzOi8vc3RzLndpbmRvd3MubmV0LzZmMWMyZDNlLTRhNWItNGM2ZC04ZTdmLTlhMGIxYzJkM2U0Zi8iLCJpYXQiOjE3OTM4NzY0MDAsIm5iZiI6MTc5Mzg3NjQwMCwiZXhwIjoxNzkzODgwMzAwLCJhaW8iOiJrIiwiYXBwX2Rpc3BsYXluYW1lIjoiU2Nhbm5lciIsImFwcGlkIjoiMGI3YzRmMGUtMmQxYS00ZTViLTljOGQtN2E2YjVjNGQzZTJmIiwiYXBwaWRhY3IiOiIxIiwiaWRwIjoiaHR0cHM6Ly9zdHMud2luZG93cy5uZXQvNmYxYzJkM2UtNGE1Yi00YzZkLThlN2YtOWEwYjFjMmQzZTRmLyIsImlkdHlwIjoiYXBwIiwib2lkIjoiOGQyYTNiNGMtMTExMS0yMjIyLTMzMzMtNDQ0NDU1NTU2NjY2IiwicmgiOiIwLkFRIiwicm9sZXMiOlsiU01UUC5TZW5kQXNBcHAiXSwic2lkIjoicyIsInN1YiI6IjhkMmEzYjRjLTExMTEtMjIyMi0zMzMzLTQ0NDQ1NTU1NjY2NiIsInRpZCI6IjZmMWMyZDNlLTRhNWItNGM2ZC04ZTdmLTlhMGIxYzJkM2U0ZiIsInV0aSI6InoiLCJ2ZXIiOiIxLjAiLCJ3aWRzIjpbIjA5OTdhMWQwLTBkMWQtNGFjYi1iNDA4LWQ1Y2E3MzEyMWU5MCJdLCJ4bXNfaWRyZWwiOiI3IDEyIn0." +
	"c2lnbmF0dXJl"

func TestDecodeClaims(t *testing.T) {
	t.Parallel()
	seg := func(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }
	hdr := seg(`{"alg":"RS256"}`)
	tests := []struct {
		name    string
		token   string
		wantErr error
		check   func(t *testing.T, c Claims)
	}{
		{name: "real app token", token: realAppToken, check: func(t *testing.T, c Claims) {
			if !slices.Equal(c.Audience, []string{"https://outlook.office365.com"}) {
				t.Errorf("got aud %v", c.Audience)
			}
			if c.TenantID != "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" || c.App() != "0b7c4f0e-2d1a-4e5b-9c8d-7a6b5c4d3e2f" {
				t.Errorf("got tid %q app %q", c.TenantID, c.App())
			}
			if !c.HasRole("smtp.sendasapp") || c.Delegated() || c.Version != "1.0" || c.IDType != "app" {
				t.Errorf("got roles %v delegated %v ver %q idtyp %q", c.Roles, c.Delegated(), c.Version, c.IDType)
			}
			if want := time.Unix(1793880300, 0).UTC(); !c.Expires.Equal(want) {
				t.Errorf("got exp %s; want %s", c.Expires, want)
			}
			if c.Issuer != "https://sts.windows.net/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f/" || c.ObjectID == "" {
				t.Errorf("got iss %q oid %q", c.Issuer, c.ObjectID)
			}
		}},
		{name: "bearer prefix and padding", token: "bearer  " + hdr + "." + base64.URLEncoding.EncodeToString([]byte(`{"aud":"a"}`)) + ".x",
			check: func(t *testing.T, c Claims) {
				if !slices.Equal(c.Audience, []string{"a"}) {
					t.Errorf("got aud %v", c.Audience)
				}
			}},
		{name: "aud list and role string", token: hdr + "." + seg(`{"aud":["a","b"],"roles":"SMTP.SendAsApp"}`) + ".x",
			check: func(t *testing.T, c Claims) {
				if len(c.Audience) != 2 || !c.HasRole(RoleSendAsApp) {
					t.Errorf("got aud %v roles %v", c.Audience, c.Roles)
				}
			}},
		{name: "delegated", token: hdr + "." + seg(`{"scp":"SMTP.Send  offline_access","unique_name":"u@contoso.com"}`) + ".x",
			check: func(t *testing.T, c Claims) {
				if !c.Delegated() || !c.HasScope("SMTP.Send") || c.UPN != "u@contoso.com" {
					t.Errorf("got scp %v upn %q", c.Scopes, c.UPN)
				}
			}},
		{name: "v2 azp and fractional quoted dates", token: hdr + "." + seg(`{"azp":"app","exp":1793880300.5,"nbf":"1793876400"}`) + ".x",
			check: func(t *testing.T, c Claims) {
				if c.App() != "app" || c.Expires.Unix() != 1793880300 || c.NotBefore.Unix() != 1793876400 {
					t.Errorf("got app %q exp %v nbf %v", c.App(), c.Expires, c.NotBefore)
				}
			}},
		{name: "empty", token: "  ", wantErr: ErrTokenEmpty},
		{name: "too large", token: strings.Repeat("a", MaxTokenBytes+1), wantErr: ErrTokenTooLarge},
		{name: "opaque", token: "EwBwA8l6BAAU", wantErr: ErrTokenNotJWT},
		{name: "encrypted", token: "a.b.c.d.e", wantErr: ErrTokenEncrypted},
		{name: "empty payload", token: hdr + "..x", wantErr: ErrTokenNotJWT},
		{name: "payload not base64", token: hdr + ".!!!.x", wantErr: ErrTokenNotJWT},
		{name: "payload not an object", token: hdr + "." + seg(`[1]`) + ".x", wantErr: ErrTokenNotJWT},
		{name: "aud a number", token: hdr + "." + seg(`{"aud":5}`) + ".x", wantErr: ErrTokenNotJWT},
		{name: "exp not a date", token: hdr + "." + seg(`{"exp":"soon"}`) + ".x", wantErr: ErrTokenNotJWT},
		{name: "exp negative", token: hdr + "." + seg(`{"exp":-1}`) + ".x", wantErr: ErrTokenNotJWT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := DecodeClaims(tt.token)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got err %v; want %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), tt.token) && len(tt.token) > 3 {
				t.Errorf("the error quotes the token: %v", err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func FuzzDecodeClaims(f *testing.F) {
	seg := func(json string) string { return base64.RawURLEncoding.EncodeToString([]byte(json)) }
	f.Add(realAppToken)
	f.Add("Bearer " + realAppToken)
	f.Add("e30." + seg(`{"aud":["a",null],"roles":null,"exp":1e300}`) + ".x")
	f.Add("e30." + seg(`{"exp":"1.5","nbf":1e-9,"iat":99999999999}`) + ".x")
	f.Add("a.b.c.d.e")
	f.Add("...")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := DecodeClaims(token)
		if err != nil {
			if c.TenantID != "" || c.Audience != nil {
				t.Errorf("got claims %+v with error %v", c, err)
			}
			return
		}
		// Whatever decodes must be safe to check.
		_ = c.App()
		_ = c.HasRole(RoleSendAsApp)
		_ = c.Delegated()
		for _, d := range []time.Time{c.Expires, c.NotBefore, c.IssuedAt} {
			if !d.IsZero() && (d.Year() < 1970 || d.Year() > 5200) {
				t.Errorf("got date %v out of range", d)
			}
		}
	})
}

func BenchmarkDecodeClaims(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeClaims(realAppToken); err != nil {
			b.Fatal(err)
		}
	}
}
