package tenant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/inventory"
)

// The tenant's half of `exoprobe inventory`: what still signs in to SMTP AUTH with a password.
// Two reads, each of which may fail alone: the basic-auth SMTP sign-ins in Entra ID's sign-in
// logs (Microsoft Graph, AuditLog.Read.All, Entra ID P1), grouped by account, client IP and
// outcome; and the mailboxes that can still use SMTP AUTH (Get-TransportConfig and every
// Get-CASMailbox, whose SmtpClientAuthenticationDisabled is a tri-state). A failed read is a
// Note, never an error.

// Named values of the inventory's reads.
const (
	// MaxSignInDays is how far back the sign-in logs reach: Entra ID keeps them 30 days.
	MaxSignInDays = 30
	// DefaultSignInDays is how far back the inventory reads them by default.
	DefaultSignInDays = 30
	// SignInPageSize is the $top of the sign-in read: Graph's largest page.
	SignInPageSize = 1000
	// NoPremiumCode is Graph's error code when the tenant has no Entra ID P1 (or P2) licence,
	// which the sign-in logs need through the API.
	NoPremiumCode = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
)

// SMTPClientApps are the values of a sign-in's clientAppUsed that name basic-auth SMTP AUTH.
// Log Analytics names it "Authenticated SMTP"; CIPP filters Graph with 'SMTP'. Which literal
// Graph's filter needs is not settled, so the filter asks for both and the sign-ins read are
// held to them again here.
var SMTPClientApps = []string{"Authenticated SMTP", "SMTP"}

// NoteKind is what kept a read of the tenant from being whole.
type NoteKind string

// The kinds of note.
const (
	NoteNoPremium  NoteKind = "no-premium-licence" // the sign-in logs need Entra ID P1: read the mailboxes only
	NotePermission NoteKind = "permission-missing" // 401 or 403: the reading app lacks a permission or a role
	NoteToken      NoteKind = "no-token"           // Entra ID gave the reading app no token
	NoteThrottled  NoteKind = "throttled"          // the service kept throttling until the retries or --timeout ran out
	NoteTruncated  NoteKind = "truncated"          // more pages than are followed, or --timeout ended the read: what was read is shown
	NoteFailed     NoteKind = "read-failed"        // another failure
)

// Note is a read of the tenant that was refused, failed or stopped early, in the helpdesk's
// words, naming what is missing.
type Note struct {
	Kind    NoteKind
	Source  string // "sign-ins" or "mailboxes"
	Message string
}

// Step is one way forward for a row: the way, what to do and why, and the command that tests
// or makes it ("" when there is none). Values the run cannot know are <PLACEHOLDERS>.
type Step struct {
	Way     inventory.Way
	Text    string
	Command string
}

// SignIn is one basic-auth SMTP sign-in, as the sign-in logs hold it.
type SignIn struct {
	Time          time.Time
	Account       string // userPrincipalName
	IP            string // ipAddress, as Graph gives it
	ClientApp     string // clientAppUsed
	App           string // appDisplayName
	ErrorCode     int    // status.errorCode: 0 is a success
	FailureReason string // status.failureReason
}

// SignInGroup is the sign-ins of one account from one client IP with one outcome.
type SignInGroup struct {
	Account     string
	IP          string
	Success     bool
	Count       int
	First, Last time.Time
	// ErrorCodes are the failures' status.errorCode values, sorted; Reasons their failureReason texts.
	ErrorCodes []int
	Reasons    []string
	ClientApps []string
	// Steps are the ways forward, the first the one to try first.
	Steps []Step
}

// Breaks reports whether the group stops working when basic authentication is turned off: it
// signs in successfully today.
func (g SignInGroup) Breaks() bool { return g.Success }

// SMTPAuthState is what a mailbox's SmtpClientAuthenticationDisabled means with the tenant's.
type SMTPAuthState string

// The states: a mailbox's own $false or $true decides; $null inherits the tenant's setting.
const (
	StateEnabled          SMTPAuthState = "enabled"           // $false: enabled for the mailbox whatever the tenant says
	StateInheritsEnabled  SMTPAuthState = "inherits-enabled"  // $null, and the tenant's is $false
	StateInheritsUnknown  SMTPAuthState = "inherits-unknown"  // $null, and the tenant's setting could not be read
	StateDisabled         SMTPAuthState = "disabled"          // $true
	StateInheritsDisabled SMTPAuthState = "inherits-disabled" // $null, and the tenant's is $true
)

// MailboxState reads a mailbox's SmtpClientAuthenticationDisabled (nil is $null) with the
// tenant's (nil when it could not be read).
func MailboxState(mailbox, tenant *bool) SMTPAuthState {
	switch {
	case mailbox != nil && *mailbox:
		return StateDisabled
	case mailbox != nil:
		return StateEnabled
	case tenant == nil:
		return StateInheritsUnknown
	case *tenant:
		return StateInheritsDisabled
	}
	return StateInheritsEnabled
}

// CanUse reports whether a mailbox in the state can sign in with SMTP AUTH. A mailbox that
// inherits a setting that could not be read is counted as able: the safe side for a list of
// what may break.
func (s SMTPAuthState) CanUse() bool {
	return s == StateEnabled || s == StateInheritsEnabled || s == StateInheritsUnknown
}

// Mailbox is a mailbox that can still sign in with SMTP AUTH.
type Mailbox struct {
	Address string
	// Setting is its SmtpClientAuthenticationDisabled: nil is $null (inherits the tenant).
	Setting *bool
	State   SMTPAuthState
	// SignIns counts its successful basic-auth SMTP sign-ins in the window; IPs are where
	// they came from.
	SignIns int
	IPs     []string
	Step    Step
}

// MailboxCounts counts every mailbox read, by state.
type MailboxCounts struct {
	Total, Enabled, InheritsEnabled, InheritsUnknown, Disabled, InheritsDisabled int
}

// BasicAuthInputs are what the inventory reads and fills its commands with.
type BasicAuthInputs struct {
	// Tenant is the tenant as given (id or domain); it fills the commands.
	Tenant string
	// Days is how far back the sign-ins are read, 1..MaxSignInDays; 0 is DefaultSignInDays.
	Days int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// BasicAuth is what the tenant says still signs in with a password.
type BasicAuth struct {
	Tenant string
	Days   int
	Since  time.Time // the start of the sign-in window
	// SignInsRead is set when the sign-in logs answered (a part of them, when a note says
	// they were truncated); Events counts the basic-auth SMTP sign-ins read.
	SignInsRead bool
	Events      int
	Groups      []SignInGroup
	// TenantSMTPAuthDisabled is Get-TransportConfig's SmtpClientAuthenticationDisabled; nil
	// when it was not read.
	TenantSMTPAuthDisabled *bool
	MailboxesRead          bool
	// Mailboxes are those that can still use SMTP AUTH, in address order; Counts counts all.
	Mailboxes []Mailbox
	Counts    MailboxCounts
	// TenantStep turns SMTP AUTH off for the tenant, when it is on: nil otherwise.
	TenantStep *Step
	Notes      []Note
	// Calls are the reads made: a cmdlet or a Graph path, and the interface it went through.
	Calls    []map[string]string
	Duration time.Duration
}

// Breaking counts the sign-in groups that stop working when basic authentication is turned off.
func (b *BasicAuth) Breaking() int {
	n := 0
	for _, g := range b.Groups {
		if g.Breaks() {
			n++
		}
	}
	return n
}

// Status is warn when a group breaks or a read was not whole, pass otherwise.
func (b *BasicAuth) Status() check.Status {
	if b.Breaking() > 0 || len(b.Notes) > 0 {
		return check.Warn
	}
	return check.Pass
}

// Clients are the tenant's two clients, each with its token; a nil one was given no token, and
// its note says why.
type Clients struct {
	Graph, Exchange *Client
}

// ReadBasicAuth reads the sign-ins (through c.Graph) and the mailboxes (through c.Exchange) at
// once and puts them together. It never returns an error: what failed is a Note.
func ReadBasicAuth(ctx context.Context, c Clients, in BasicAuthInputs, notes []Note) *BasicAuth {
	start := time.Now()
	now := time.Now
	if in.Now != nil {
		now = in.Now
	}
	days := in.Days
	if days <= 0 {
		days = DefaultSignInDays
	}
	b := &BasicAuth{Tenant: in.Tenant, Days: days, Since: now().UTC().Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Second)}
	b.Notes = append(b.Notes, notes...)

	type half struct {
		notes []Note
		calls []map[string]string
	}
	var si, mb half
	var signIns []SignIn
	done := make(chan struct{})
	go func() {
		defer close(done)
		if c.Graph == nil {
			return
		}
		var err error
		signIns, err = readSignIns(ctx, c.Graph, b.Since)
		si.calls = append(si.calls, map[string]string{"call": signInPath, "interface": string(Graph)})
		if err == nil || len(signIns) > 0 {
			b.SignInsRead = true
		}
		if err != nil {
			si.notes = append(si.notes, signInNote(err, len(signIns)))
		}
	}()
	var cas []casMailbox
	if c.Exchange != nil {
		cas, mb.notes, mb.calls = readMailboxes(ctx, c.Exchange, b)
	}
	<-done
	b.Notes = append(b.Notes, si.notes...)
	b.Notes = append(b.Notes, mb.notes...)
	b.Calls = append(si.calls, mb.calls...)

	signIns = holdToWindow(signIns, b.Since)
	b.Events = len(signIns)
	b.Groups = GroupSignIns(signIns)
	for i := range b.Groups {
		b.Groups[i].Steps = groupSteps(b.Groups[i], in.Tenant)
	}
	if b.MailboxesRead {
		b.Mailboxes, b.Counts = judgeMailboxes(cas, b)
	}
	if v := b.TenantSMTPAuthDisabled; v != nil && !*v {
		b.TenantStep = &Step{Way: inventory.WayTurnOff, Command: "Set-TransportConfig -SmtpClientAuthenticationDisabled $true", Text: fmt.Sprintf(
			"SMTP AUTH is on for the tenant, and %d of its mailboxes inherit it: once the devices above have moved, turn it off for the tenant "+
				"(a mailbox that must keep it, such as one an app sends as with OAuth, gets its own SmtpClientAuthenticationDisabled $false):", b.Counts.InheritsEnabled)}
	}
	b.Duration = time.Since(start)
	return b
}

const signInPath = "/v1.0/auditLogs/signIns"

// SignInQuery is the query of the sign-in read: the basic-auth SMTP sign-ins since since, the
// fields the inventory needs, Graph's largest page.
func SignInQuery(since time.Time) url.Values {
	var apps []string
	for _, a := range SMTPClientApps {
		apps = append(apps, "clientAppUsed eq '"+a+"'")
	}
	q := url.Values{}
	q.Set("$filter", "createdDateTime ge "+since.UTC().Format(time.RFC3339)+" and ("+strings.Join(apps, " or ")+")")
	q.Set("$select", "createdDateTime,userPrincipalName,ipAddress,clientAppUsed,appDisplayName,status")
	q.Set("$top", strconv.Itoa(SignInPageSize))
	return q
}

// readSignIns reads the basic-auth SMTP sign-ins since since, every page up to MaxPages. On an
// error the sign-ins of the pages read are returned with it.
func readSignIns(ctx context.Context, c *Client, since time.Time) ([]SignIn, error) {
	raws, err := c.Graph(ctx, signInPath, SignInQuery(since))
	out := make([]SignIn, 0, len(raws))
	for _, raw := range raws {
		if s, ok := ParseSignIn(raw); ok {
			out = append(out, s)
		}
	}
	return out, err
}

// ParseSignIn reads one signIn object; ok is false for one that is not a basic-auth SMTP
// sign-in or has no time. Every text is cleaned: it is shown as it is.
func ParseSignIn(raw []byte) (SignIn, bool) {
	var v struct {
		CreatedDateTime   time.Time `json:"createdDateTime"`
		UserPrincipalName string    `json:"userPrincipalName"`
		IPAddress         string    `json:"ipAddress"`
		ClientAppUsed     string    `json:"clientAppUsed"`
		AppDisplayName    string    `json:"appDisplayName"`
		Status            *struct {
			ErrorCode     int    `json:"errorCode"`
			FailureReason string `json:"failureReason"`
		} `json:"status"`
	}
	if json.Unmarshal(raw, &v) != nil || v.CreatedDateTime.IsZero() || !isSMTPClientApp(v.ClientAppUsed) {
		return SignIn{}, false
	}
	s := SignIn{
		Time: v.CreatedDateTime.UTC(), Account: strings.ToLower(clean(v.UserPrincipalName, 256)), IP: clean(v.IPAddress, 64),
		ClientApp: clean(v.ClientAppUsed, 64), App: clean(v.AppDisplayName, 200),
	}
	if v.Status != nil {
		s.ErrorCode, s.FailureReason = v.Status.ErrorCode, clean(v.Status.FailureReason, 300)
	}
	return s, true
}

func isSMTPClientApp(s string) bool {
	for _, a := range SMTPClientApps {
		if strings.EqualFold(strings.TrimSpace(s), a) {
			return true
		}
	}
	return false
}

// holdToWindow keeps the sign-ins at or after since: the filter asked for them, and a service
// that ignored it would not widen the window.
func holdToWindow(in []SignIn, since time.Time) []SignIn {
	out := in[:0]
	for _, s := range in {
		if !s.Time.Before(since) {
			out = append(out, s)
		}
	}
	return out
}

// GroupSignIns groups sign-ins by account, client IP and success or failure (status.errorCode
// 0 is a success), with the count, the first and last seen and the failures' codes. Groups come
// in a stable order: successes first, then by account, IP.
func GroupSignIns(in []SignIn) []SignInGroup {
	type key struct {
		account, ip string
		ok          bool
	}
	idx := map[key]int{}
	var out []SignInGroup
	for _, s := range in {
		k := key{s.Account, s.IP, s.ErrorCode == 0}
		i, seen := idx[k]
		if !seen {
			i = len(out)
			idx[k] = i
			out = append(out, SignInGroup{Account: s.Account, IP: s.IP, Success: k.ok, First: s.Time, Last: s.Time})
		}
		g := &out[i]
		g.Count++
		if s.Time.Before(g.First) {
			g.First = s.Time
		}
		if s.Time.After(g.Last) {
			g.Last = s.Time
		}
		if !k.ok && !slices.Contains(g.ErrorCodes, s.ErrorCode) {
			g.ErrorCodes = append(g.ErrorCodes, s.ErrorCode)
		}
		if !k.ok && s.FailureReason != "" && !slices.Contains(g.Reasons, s.FailureReason) && len(g.Reasons) < 3 {
			g.Reasons = append(g.Reasons, s.FailureReason)
		}
		if s.ClientApp != "" && !slices.Contains(g.ClientApps, s.ClientApp) {
			g.ClientApps = append(g.ClientApps, s.ClientApp)
		}
	}
	for i := range out {
		slices.Sort(out[i].ErrorCodes)
		slices.Sort(out[i].ClientApps)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Success != b.Success {
			return a.Success
		}
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		return a.IP < b.IP
	})
	return out
}

// signInNote is the note of a failed sign-in read, of which read sign-ins were read first.
func signInNote(err error, read int) Note {
	n := Note{Source: "sign-ins"}
	var ae *APIError
	if !errors.As(err, &ae) {
		n.Kind, n.Message = NoteFailed, fmt.Sprintf("the sign-in logs could not be read: %v", err)
		return n
	}
	switch {
	case ae.Status == http.StatusForbidden && ae.Code == NoPremiumCode:
		// Seven days: Microsoft Entra data retention, "Activity reports" (Sign-ins: Free 7 days,
		// P1/P2 30 days), https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention
		n.Kind = NoteNoPremium
		n.Message = "the tenant has no Entra ID P1 licence, which reading the sign-in logs through Microsoft Graph needs (403 " + NoPremiumCode +
			"): which devices still sign in with basic SMTP AUTH is not known from here; the mailboxes that can still use SMTP AUTH are listed instead. " +
			"The Entra admin centre shows the last 7 days of sign-ins without P1 (Sign-in logs > Add filters > Client app > Authenticated SMTP)"
	case ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden:
		n.Kind = NotePermission
		what := clean(strings.TrimSpace(ae.Code+" "+ae.Message), 300)
		if what != "" {
			what = " (" + what + ")"
		}
		n.Message = fmt.Sprintf("Microsoft Graph refused the sign-in logs with %d%s: the reading app lacks the application permission "+
			"Microsoft Graph > AuditLog.Read.All, with admin consent (Microsoft's List signIns page has also asked for Directory.Read.All beside it, "+
			"a known issue); the mailboxes that can still use SMTP AUTH are listed instead", ae.Status, what)
	case ae.Throttled:
		n.Kind, n.Message = NoteThrottled, "Microsoft Graph kept throttling the sign-in read until the retries or --timeout ran out"+readSoFar(read)+": run again later, or with a longer --timeout"
	case errors.Is(ae.Err, ErrTooManyPages):
		n.Kind, n.Message = NoteTruncated, fmt.Sprintf("the sign-in logs hold more than %d pages of basic-auth SMTP sign-ins%s: give fewer --days", MaxPages, readSoFar(read))
	case errors.Is(ae.Err, context.DeadlineExceeded):
		n.Kind, n.Message = NoteTruncated, "--timeout ended the sign-in read"+readSoFar(read)+": give a longer --timeout, or fewer --days"
	case errors.Is(ae.Err, context.Canceled):
		n.Kind, n.Message = NoteTruncated, "the run was interrupted during the sign-in read"+readSoFar(read)
	default:
		n.Kind, n.Message = NoteFailed, apiFinding(ae).Message
	}
	return n
}

func readSoFar(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (the %d sign-ins read before are shown)", n)
}

// casMailbox is one mailbox as Get-CASMailbox returns it.
type casMailbox struct {
	PrimarySmtpAddress               string `json:"PrimarySmtpAddress"`
	SmtpClientAuthenticationDisabled *bool  `json:"SmtpClientAuthenticationDisabled"`
}

// readMailboxes reads the tenant's SMTP AUTH setting and every mailbox's.
func readMailboxes(ctx context.Context, c *Client, b *BasicAuth) ([]casMailbox, []Note, []map[string]string) {
	r := check.New(check.Exchange) // collects the failures as findings, as the exchange check does
	rd := &reader{c: c, r: r}
	var transport []struct {
		SmtpClientAuthenticationDisabled *bool `json:"SmtpClientAuthenticationDisabled"`
	}
	if rd.cmdlet(ctx, "Get-TransportConfig", nil, &transport) && len(transport) > 0 {
		b.TenantSMTPAuthDisabled = transport[0].SmtpClientAuthenticationDisabled
	}
	var cas []casMailbox
	if rd.cmdlet(ctx, "Get-CASMailbox", Params{"ResultSize": "Unlimited"}, &cas) {
		b.MailboxesRead = true
	}
	var notes []Note
	for _, f := range r.Findings {
		kind := NoteFailed
		switch f.Code {
		case "exo-unauthorized", "exo-forbidden":
			kind = NotePermission
		case "tenant-throttled":
			kind = NoteThrottled
		}
		notes = append(notes, Note{Kind: kind, Source: "mailboxes", Message: f.Message})
	}
	var calls []map[string]string
	for _, call := range rd.calls {
		calls = append(calls, map[string]string{"call": call["cmdlet"], "interface": call["interface"]})
	}
	return cas, notes, calls
}

// judgeMailboxes counts the mailboxes by state and lists those that can still use SMTP AUTH,
// each with its successful sign-ins and its way forward.
func judgeMailboxes(cas []casMailbox, b *BasicAuth) ([]Mailbox, MailboxCounts) {
	var counts MailboxCounts
	var out []Mailbox
	for _, m := range cas {
		st := MailboxState(m.SmtpClientAuthenticationDisabled, b.TenantSMTPAuthDisabled)
		counts.Total++
		switch st {
		case StateEnabled:
			counts.Enabled++
		case StateInheritsEnabled:
			counts.InheritsEnabled++
		case StateInheritsUnknown:
			counts.InheritsUnknown++
		case StateDisabled:
			counts.Disabled++
		case StateInheritsDisabled:
			counts.InheritsDisabled++
		}
		if !st.CanUse() {
			continue
		}
		mb := Mailbox{Address: strings.ToLower(clean(m.PrimarySmtpAddress, 256)), Setting: m.SmtpClientAuthenticationDisabled, State: st}
		for _, g := range b.Groups {
			if g.Success && strings.EqualFold(g.Account, mb.Address) {
				mb.SignIns += g.Count
				mb.IPs = append(mb.IPs, g.IP)
			}
		}
		mb.Step = mailboxStep(mb, b)
		out = append(out, mb)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out, counts
}

// plainValue is what a value must look like to go into a command as it is: an address, a
// domain, a tenant id. Anything else from a service or a log is left as a placeholder.
var plainValue = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._%+@-]*$`)

func plainOr(v, placeholder string) string {
	if v != "" && len(v) <= 256 && plainValue.MatchString(v) {
		return v
	}
	return placeholder
}

// groupSteps are a sign-in group's ways forward, filled in with its account, IP and tenant.
func groupSteps(g SignInGroup, tenant string) []Step {
	user := plainOr(g.Account, "<MAILBOX>")
	if !strings.Contains(user, "@") {
		user = "<MAILBOX>"
	}
	domain := "<DOMAIN>"
	if _, d, ok := strings.Cut(user, "@"); ok && d != "" {
		domain = d
	}
	ten := plainOr(strings.TrimSpace(tenant), "<TENANT>")
	ip, ipErr := netip.ParseAddr(g.IP)
	where := "at " + g.IP
	if ipErr != nil {
		where = "that signs in as " + user
	}
	steps := []Step{{
		Way: inventory.WayOAuth,
		Text: fmt.Sprintf("If the software %s can sign in with OAuth (XOAUTH2): register an app with SMTP.SendAsApp, give it rights on %s, "+
			"and sign in as %s with the app's token instead of the password. Test it:", where, user, user),
		Command: fmt.Sprintf("exoprobe submit --auth oauth --tenant %s --client-id <APP-ID> --user %s --from %s --to <RECIPIENT>", ten, user, user),
	}}
	switch {
	case ipErr == nil && ip.Unmap().Is4():
		steps = append(steps, Step{
			Way: inventory.WayConnector,
			Text: fmt.Sprintf("A device %s that cannot (a printer, a scanner, an old application) relays through an inbound connector that lists %s: "+
				"it sends to the tenant's MX on port 25 without a password, to any recipient. Prepare it from that site:", where, ip.Unmap()),
			Command: fmt.Sprintf("exoprobe connector --domain %s --public-ip %s", domain, ip.Unmap()),
		})
	case ipErr == nil:
		steps = append(steps, Step{Way: inventory.WayConnector, Text: fmt.Sprintf(
			"A device that cannot sign in with OAuth relays through an inbound connector, which lists IPv4 addresses only: this one signed in over IPv6 (%s), "+
				"so give the connector the site's public IPv4 address", g.IP)})
	}
	steps = append(steps, Step{
		Way: inventory.WayDirect,
		Text: "If it only ever writes to the tenant's own mailboxes: Direct Send (port 25 to the MX, no password) or a High Volume " +
			"Email account (which keeps basic authentication until September 2028). Test Direct Send:",
		Command: fmt.Sprintf("exoprobe direct --domain %s --from %s --to %s", domain, user, insideTo(domain)),
	})
	return steps
}

// mailboxStep is the way forward of a mailbox that can still use SMTP AUTH.
func mailboxStep(m Mailbox, b *BasicAuth) Step {
	cmd := fmt.Sprintf("Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $true", psQuote(m.Address))
	if plainOr(m.Address, "") == "" {
		cmd = "Set-CASMailbox -Identity '<MAILBOX>' -SmtpClientAuthenticationDisabled $true"
	}
	why := map[SMTPAuthState]string{
		StateEnabled:         "SMTP AUTH is enabled for it explicitly (SmtpClientAuthenticationDisabled $false)",
		StateInheritsEnabled: "it inherits the tenant's SMTP AUTH, which is on (its SmtpClientAuthenticationDisabled is $null)",
		StateInheritsUnknown: "it inherits the tenant's SMTP AUTH setting (its SmtpClientAuthenticationDisabled is $null), which could not be read",
	}[m.State]
	s := Step{Way: inventory.WayTurnOff, Command: cmd}
	// OAuth (XOAUTH2) goes through SMTP AUTH too, and an app's sign-ins are not in the users'
	// sign-in logs: a mailbox an app sends as with a token must keep SMTP AUTH on.
	const oauthToo = " OAuth (XOAUTH2) signs in through SMTP AUTH as well, and an app's sign-ins are not among the users' sign-ins: if an app " +
		"sends as it with a token (exoprobe tenant --mailbox with --app-id shows the app's rights on it), leave SMTP AUTH on. Otherwise " +
		"turn it off:"
	switch {
	case m.SignIns > 0:
		s.Text = fmt.Sprintf("%s, and it signed in with basic SMTP AUTH %d times in the last %d days from %s: move those devices first "+
			"(the sign-in rows say how).%s", capitalize(why), m.SignIns, b.Days, strings.Join(m.IPs, ", "), oauthToo)
	case b.SignInsRead:
		s.Text = fmt.Sprintf("%s, but no basic SMTP AUTH sign-in as it succeeded in the last %d days: turned off, a leaked password "+
			"cannot send as it.%s", capitalize(why), b.Days, oauthToo)
	default:
		s.Text = fmt.Sprintf("%s; the sign-in logs were not read, so whether a device still signs in as it is not known: ask who sends as "+
			"it first.%s", capitalize(why), oauthToo)
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// insideTo is the placeholder of a recipient inside the tenant's domain.
func insideTo(domain string) string {
	if strings.HasPrefix(domain, "<") {
		return "<MAILBOX>"
	}
	return "<MAILBOX@" + domain + ">"
}
