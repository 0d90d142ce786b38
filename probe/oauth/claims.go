package oauth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// MaxTokenBytes bounds the access tokens DecodeClaims reads. Entra ID access tokens for Exchange
// Online are 1.5 to 2.5 KB; anything past this is not a token.
const MaxTokenBytes = 64 << 10

// RoleSendAsApp is the application permission Exchange Online requires of an app token for
// SMTP AUTH (Office 365 Exchange Online > Application permissions > SMTP.SendAsApp).
const RoleSendAsApp = "SMTP.SendAsApp"

// ScopeSend is the delegated permission a user token for SMTP AUTH carries in scp.
const ScopeSend = "SMTP.Send"

// Claims are the claims of an access token that matter for SMTP AUTH, decoded without verifying
// the signature (only Exchange Online can verify a token meant for it). Zero times mean the claim
// was absent.
type Claims struct {
	Audience  []string  `json:"aud,omitempty"`   // aud: a string in Entra tokens, a list in general JWTs
	Issuer    string    `json:"iss,omitempty"`   // iss: https://sts.windows.net/{tid}/ in v1 tokens
	TenantID  string    `json:"tid,omitempty"`   // tid: the tenant that issued the token
	AppID     string    `json:"appid,omitempty"` // appid: the client id (v1 tokens)
	AZP       string    `json:"azp,omitempty"`   // azp: the client id (v2 tokens)
	ObjectID  string    `json:"oid,omitempty"`   // oid: the service principal (app token) or user
	Roles     []string  `json:"roles,omitempty"` // roles: application permissions granted
	Scopes    []string  `json:"scp,omitempty"`   // scp: delegated permissions, space-separated in the token
	Version   string    `json:"ver,omitempty"`   // ver: "1.0" or "2.0"
	IDType    string    `json:"idtyp,omitempty"` // idtyp: "app" for app-only tokens (optional claim)
	UPN       string    `json:"upn,omitempty"`   // upn or unique_name: the signed-in user of a delegated token
	Expires   time.Time `json:"exp"`             // exp
	NotBefore time.Time `json:"nbf"`             // nbf
	IssuedAt  time.Time `json:"iat"`             // iat
}

// App returns the client id the token was issued to: appid (v1) or azp (v2).
func (c Claims) App() string {
	if c.AppID != "" {
		return c.AppID
	}
	return c.AZP
}

// HasRole reports whether the token's roles hold role (case-insensitive, as Entra compares
// permission values).
func (c Claims) HasRole(role string) bool { return containsFold(c.Roles, role) }

// HasScope reports whether the token's scp holds scope (case-insensitive).
func (c Claims) HasScope(scope string) bool { return containsFold(c.Scopes, scope) }

// Delegated reports whether the token was issued for a user (it has scp and no roles).
func (c Claims) Delegated() bool { return len(c.Scopes) > 0 && len(c.Roles) == 0 }

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// Errors DecodeClaims returns, matched with errors.Is.
var (
	ErrTokenEmpty     = errors.New("oauth: the access token is empty")
	ErrTokenTooLarge  = fmt.Errorf("oauth: the access token is larger than %d bytes", MaxTokenBytes)
	ErrTokenEncrypted = errors.New("oauth: the access token is encrypted (JWE, five parts); its claims cannot be read")
	ErrTokenNotJWT    = errors.New("oauth: the access token is not a JWT (three base64url parts separated by dots)")
)

// DecodeClaims decodes the payload of a JWT access token without verifying it. A leading
// "Bearer " is ignored. Errors never quote the token.
func DecodeClaims(token string) (Claims, error) {
	token = normalizeToken(token)
	switch {
	case token == "":
		return Claims{}, ErrTokenEmpty
	case len(token) > MaxTokenBytes:
		return Claims{}, ErrTokenTooLarge
	}
	parts := strings.Split(token, ".")
	switch len(parts) {
	case 3:
	case 5:
		return Claims{}, ErrTokenEncrypted
	default:
		return Claims{}, ErrTokenNotJWT
	}
	if parts[1] == "" {
		return Claims{}, ErrTokenNotJWT
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, fmt.Errorf("%w: the payload is not base64url", ErrTokenNotJWT)
	}
	var raw struct {
		Aud        json.RawMessage `json:"aud"`
		Iss        string          `json:"iss"`
		Tid        string          `json:"tid"`
		AppID      string          `json:"appid"`
		AZP        string          `json:"azp"`
		Oid        string          `json:"oid"`
		Roles      json.RawMessage `json:"roles"`
		Scp        string          `json:"scp"`
		Ver        string          `json:"ver"`
		IDTyp      string          `json:"idtyp"`
		UPN        string          `json:"upn"`
		UniqueName string          `json:"unique_name"`
		Exp        json.RawMessage `json:"exp"`
		Nbf        json.RawMessage `json:"nbf"`
		Iat        json.RawMessage `json:"iat"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return Claims{}, fmt.Errorf("%w: the payload is not a JSON object", ErrTokenNotJWT)
	}
	c := Claims{
		Issuer:   raw.Iss,
		TenantID: raw.Tid,
		AppID:    raw.AppID,
		AZP:      raw.AZP,
		ObjectID: raw.Oid,
		Scopes:   strings.Fields(raw.Scp),
		Version:  raw.Ver,
		IDType:   raw.IDTyp,
		UPN:      raw.UPN,
	}
	if c.UPN == "" {
		c.UPN = raw.UniqueName
	}
	if c.Audience, err = stringOrList(raw.Aud); err != nil {
		return Claims{}, fmt.Errorf("%w: aud is neither a string nor a list of strings", ErrTokenNotJWT)
	}
	if c.Roles, err = stringOrList(raw.Roles); err != nil {
		return Claims{}, fmt.Errorf("%w: roles is neither a string nor a list of strings", ErrTokenNotJWT)
	}
	for _, t := range []struct {
		name string
		raw  json.RawMessage
		dst  *time.Time
	}{{"exp", raw.Exp, &c.Expires}, {"nbf", raw.Nbf, &c.NotBefore}, {"iat", raw.Iat, &c.IssuedAt}} {
		if *t.dst, err = numericDate(t.raw); err != nil {
			return Claims{}, fmt.Errorf("%w: %s is not a number of seconds", ErrTokenNotJWT, t.name)
		}
	}
	return c, nil
}

// normalizeToken trims white space and a leading "Bearer " from a token given by hand.
func normalizeToken(token string) string {
	token = strings.TrimSpace(token)
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	return token
}

// stringOrList decodes a claim that may be a string or a list of strings; null or absent is nil.
func stringOrList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if s == "" {
			return nil, nil
		}
		return []string{s}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	return list, nil
}

// numericDate decodes a JWT NumericDate (seconds since the epoch, possibly fractional); absent
// or null is the zero time.
func numericDate(raw json.RawMessage) (time.Time, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		// Some issuers quote the number.
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, err
		}
		n = json.Number(s)
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return time.Time{}, errors.New("oauth: not a date")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}
