package probe

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// TenantInventoryOptions are what the tenant half of exoprobe inventory reads: the read-only
// app's access, and how many days of sign-in logs.
type TenantInventoryOptions struct {
	TenantAccess
	// Days is how far back the sign-in logs are read, 1..tenant.MaxSignInDays.
	Days int
	// Now is the clock; nil means time.Now.
	Now  func() time.Time
	Logf check.Logf
}

// TenantInventory reads what in the tenant still signs in with basic SMTP AUTH: the reading
// app's tokens for Microsoft Graph (the sign-in logs) and Exchange Online (the mailboxes), then
// both reads at once. A token that does not come, like a read that fails, is a note in the
// result: the other half still runs. ctx bounds it all (--timeout).
func TenantInventory(ctx context.Context, o TenantInventoryOptions) *tenant.BasicAuth {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	cl, _ := cloud.Lookup(o.Cloud)
	var (
		wg       sync.WaitGroup
		clients  tenant.Clients
		graphErr *check.Result
		exoErr   *check.Result
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		tok, failed := o.token(ctx, check.Entra, cl.GraphScope(), o.Logf, now)
		if failed != nil {
			graphErr = failed
			return
		}
		clients.Graph = o.client(cl, o.Logf)
		clients.Graph.GraphToken = tok
	}()
	go func() {
		defer wg.Done()
		tok, failed := o.token(ctx, check.Exchange, cl.AdminScope(), o.Logf, now)
		if failed != nil {
			exoErr = failed
			return
		}
		clients.Exchange = o.client(cl, o.Logf)
		clients.Exchange.ExchangeToken = tok
	}()
	wg.Wait()
	var notes []tenant.Note
	if graphErr != nil {
		notes = append(notes, tokenNote("sign-ins", graphErr))
	}
	if exoErr != nil {
		notes = append(notes, tokenNote("mailboxes", exoErr))
	}
	return tenant.ReadBasicAuth(ctx, clients, tenant.BasicAuthInputs{Tenant: o.Tenant, Days: o.Days, Now: now}, notes)
}

// tokenNote is the note of a token that did not come: the token request's summary and findings
// (AADSTS codes and all), never the credential.
func tokenNote(source string, r *check.Result) tenant.Note {
	msgs := []string{r.Summary}
	for _, f := range r.Findings {
		if f.Severity == check.Fail || f.Severity == check.Warn {
			msgs = append(msgs, string(f.Code)+": "+f.Message)
		}
	}
	return tenant.Note{Kind: tenant.NoteToken, Source: source, Message: strings.Join(msgs, "; ")}
}
