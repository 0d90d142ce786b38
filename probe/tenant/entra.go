package tenant

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// Named values of the entra check.
const (
	// CredentialExpiryWarning is how soon before its end a client secret or certificate of the
	// app is called expiring.
	CredentialExpiryWarning = 30 * 24 * time.Hour
	// ExchangeAppID is the application id of Office 365 Exchange Online, the resource whose
	// app role SMTP.SendAsApp an app needs to sign in to SMTP AUTH.
	ExchangeAppID = "00000002-0000-0ff1-ce00-000000000000"
	// RoleSendAsApp is that app role's value.
	RoleSendAsApp = "SMTP.SendAsApp"
)

// credential is a passwordCredential or keyCredential of an application, as Graph returns it:
// never a secret (Graph does not return secret values; the hint of the first characters is
// not read).
type credential struct {
	DisplayName string    `json:"displayName"`
	KeyID       string    `json:"keyId"`
	EndDateTime time.Time `json:"endDateTime"`
}

// EntraApp is Entra, with the object ID of the app's service principal (its enterprise
// application) when the check found one: what New-ServicePrincipal's -ObjectId takes, which a
// finding of the exchange check then fills in (Inputs.ServicePrincipalID).
func EntraApp(ctx context.Context, c *Client, in Inputs) (*check.Result, string) {
	r := Entra(ctx, c, in)
	id, _ := r.Facts["service_principal_id"].(string)
	return r, id
}

// Entra reads and judges the sending app's registration in Entra ID through Microsoft Graph: its
// client secrets and certificates with their expiry, and whether its service principal holds
// SMTP.SendAsApp with admin consent. The "entra" check; skipped without an app id.
func Entra(ctx context.Context, c *Client, in Inputs) *check.Result {
	start := time.Now()
	r := check.New(check.Entra)
	defer r.Since(start)
	if in.AppID == "" {
		r.Skip("no --app-id: give the application (client) ID of the app that sends to read its registration")
		return r
	}
	rd := &reader{c: c, r: r}
	q := url.Values{}
	q.Set("$filter", "appId eq '"+strings.ReplaceAll(in.AppID, "'", "''")+"'")
	q.Set("$select", "id,appId,displayName,passwordCredentials,keyCredentials")
	apps, err := c.Graph(ctx, "/v1.0/applications", q)
	if err != nil {
		rd.fail(err)
		return r
	}
	if len(apps) == 0 {
		r.Add(check.Finding{Severity: check.Fail, Code: code.AppNotFound, Message: fmt.Sprintf(
			"the tenant has no app registration with the application ID %s: check the ID (Entra admin centre > App registrations > "+
				"All applications), and that the app belongs to this tenant", clean(in.AppID, 64))})
		r.Summary = "no app registration " + clean(in.AppID, 64)
		return r
	}
	var app struct {
		ID                  string       `json:"id"`
		DisplayName         string       `json:"displayName"`
		PasswordCredentials []credential `json:"passwordCredentials"`
		KeyCredentials      []credential `json:"keyCredentials"`
	}
	if err := json.Unmarshal(apps[0], &app); err != nil {
		rd.fail(&APIError{Interface: Graph, Call: "/v1.0/applications", Status: 200, Err: err})
		return r
	}
	r.Set("app_name", clean(app.DisplayName, 200))
	now := in.now()
	creds := []map[string]any{}
	soonest := math.MaxInt
	for _, set := range []struct {
		kind string
		list []credential
	}{{"client_secret", app.PasswordCredentials}, {"certificate", app.KeyCredentials}} {
		for _, cr := range set.list {
			if cr.EndDateTime.IsZero() {
				// No end date given: nothing to judge, and nothing to count down.
				creds = append(creds, map[string]any{"kind": set.kind, "display_name": clean(cr.DisplayName, 200), "key_id": clean(cr.KeyID, 64)})
				continue
			}
			days := int(math.Floor(cr.EndDateTime.Sub(now).Hours() / 24))
			creds = append(creds, map[string]any{
				"kind": set.kind, "display_name": clean(cr.DisplayName, 200), "key_id": clean(cr.KeyID, 64),
				"end": cr.EndDateTime.UTC().Format(time.RFC3339), "days_left": days,
			})
			soonest = min(soonest, days)
			judgeCredential(r, in.AppID, set.kind, cr, now, days)
		}
	}
	r.Set("credentials", creds)
	if soonest != math.MaxInt {
		r.Set("credential_days_left", soonest)
	}

	// The service principal and its app roles.
	q = url.Values{}
	q.Set("$filter", "appId eq '"+strings.ReplaceAll(in.AppID, "'", "''")+"'")
	q.Set("$select", "id,appId,displayName")
	sps, err := c.Graph(ctx, "/v1.0/servicePrincipals", q)
	if err != nil {
		rd.fail(err)
		return r
	}
	var sp struct {
		ID string `json:"id"`
	}
	if len(sps) == 0 || json.Unmarshal(sps[0], &sp) != nil || sp.ID == "" {
		r.Add(check.Finding{Severity: check.Fail, Code: code.AppNoServicePrincipal, Message: fmt.Sprintf(
			"the app %s has no service principal (enterprise application) in the tenant, so it holds no permission: grant admin "+
				"consent (App registrations > %s > API permissions > Grant admin consent), which creates it", clean(in.AppID, 64), clean(in.AppID, 64))})
		summarize(r)
		return r
	}
	r.Set("service_principal_id", clean(sp.ID, 64))
	q = url.Values{}
	q.Set("$filter", "appId eq '"+ExchangeAppID+"'")
	q.Set("$select", "id,appRoles")
	exo, err := c.Graph(ctx, "/v1.0/servicePrincipals", q)
	if err != nil {
		rd.fail(err)
		return r
	}
	var exoSP struct {
		ID       string `json:"id"`
		AppRoles []struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"appRoles"`
	}
	roleID := ""
	if len(exo) > 0 && json.Unmarshal(exo[0], &exoSP) == nil {
		for _, ar := range exoSP.AppRoles {
			if ar.Value == RoleSendAsApp {
				roleID = ar.ID
			}
		}
	}
	assigned, err := c.Graph(ctx, "/v1.0/servicePrincipals/"+url.PathEscape(sp.ID)+"/appRoleAssignments", nil)
	if err != nil {
		rd.fail(err)
		return r
	}
	roles := []string{}
	has := false
	for _, raw := range assigned {
		var a struct {
			AppRoleID           string `json:"appRoleId"`
			ResourceID          string `json:"resourceId"`
			ResourceDisplayName string `json:"resourceDisplayName"`
		}
		if json.Unmarshal(raw, &a) != nil {
			continue
		}
		name := a.AppRoleID
		if a.ResourceID == exoSP.ID && a.AppRoleID == roleID && roleID != "" {
			has, name = true, RoleSendAsApp
		}
		roles = append(roles, clean(a.ResourceDisplayName+": "+name, 200))
	}
	r.Set("app_role_assignments", roles)
	r.Set("smtp_send_as_app", has)
	if !has {
		r.Add(check.Finding{Severity: check.Fail, Code: code.AppNoSMTPRole, Message: fmt.Sprintf(
			"the app %s does not hold the application permission Office 365 Exchange Online > SMTP.SendAsApp with admin consent, "+
				"so its tokens carry no such role and Exchange Online refuses AUTH XOAUTH2 with 535 5.7.3: add it under App registrations > %s > "+
				"API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions, "+
				"then Grant admin consent", clean(in.AppID, 64), clean(in.AppID, 64))})
	}
	summarize(r)
	return r
}

// judgeCredential warns about a credential that ends within CredentialExpiryWarning and fails
// one that has ended.
func judgeCredential(r *check.Result, appID, kind string, cr credential, now time.Time, days int) {
	what, expired, expiring := "client secret", code.EntraSecretExpired, code.EntraSecretExpiring
	where := "Certificates & secrets > Client secrets > New client secret"
	if kind == "certificate" {
		what, expired, expiring = "certificate", code.EntraCertExpired, code.EntraCertExpiring
		where = "Certificates & secrets > Certificates > Upload certificate"
	}
	name := clean(cr.DisplayName, 200)
	if name == "" {
		name = clean(cr.KeyID, 64)
	}
	end := cr.EndDateTime.UTC().Format("2006-01-02")
	left := cr.EndDateTime.Sub(now)
	switch {
	case left <= 0:
		r.Add(check.Finding{Severity: check.Fail, Code: expired, Message: fmt.Sprintf(
			"the %s %q of app %s expired on %s: Entra ID refuses sign-ins with it (AADSTS7000222); create a new one under "+
				"App registrations > %s > %s and give it to the application", what, name, clean(appID, 64), end, clean(appID, 64), where)})
	case left < CredentialExpiryWarning:
		r.Add(check.Finding{Severity: check.Warn, Code: expiring, Message: fmt.Sprintf(
			"the %s %q of app %s expires in %d days, on %s: create its successor now under App registrations > %s > %s, "+
				"switch the application to it, then delete the old one", what, name, clean(appID, 64), days, end, clean(appID, 64), where)})
	}
}

func summarize(r *check.Result) {
	for _, sev := range []check.Status{check.Fail, check.Warn} {
		for _, f := range r.Findings {
			if f.Severity == sev {
				r.Summary = "the app's registration: " + string(f.Code)
				return
			}
		}
	}
	name, _ := r.Facts["app_name"].(string)
	days, ok := r.Facts["credential_days_left"].(int)
	r.Summary = "app " + name + " holds SMTP.SendAsApp"
	if ok {
		r.Summary += fmt.Sprintf("; its first credential ends in %d days", days)
	}
}
