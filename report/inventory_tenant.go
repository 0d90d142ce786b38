package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// The tenant section of an inventory: the basic-auth SMTP sign-ins grouped by account, client
// IP and outcome, the mailboxes that can still use SMTP AUTH, and what could not be read. Every
// format lays out the same sentences, written here once.

// tenantTitle is the section's heading.
func tenantTitle(t *tenant.BasicAuth) string {
	return "Tenant " + clean(t.Tenant) + ": basic SMTP AUTH sign-ins and mailboxes"
}

// tenantSummary says in a sentence or two what the tenant's reads found.
func tenantSummary(t *tenant.BasicAuth) string {
	var s []string
	if t.SignInsRead {
		ok, failed := 0, 0
		for _, g := range t.Groups {
			if g.Success {
				ok++
			} else {
				failed++
			}
		}
		switch {
		case t.Events == 0:
			s = append(s, fmt.Sprintf("No basic SMTP AUTH sign-in in the last %d days.", t.Days))
		default:
			s = append(s, fmt.Sprintf("%s in the last %d days: %s (account and client IP) succeeded and will stop at %s; %s failed.",
				count(t.Events, "basic SMTP AUTH sign-in"), t.Days, count(ok, "group"), breakDate, count(failed, "group")))
		}
	} else {
		s = append(s, "The sign-in logs were not read (see below).")
	}
	if t.MailboxesRead {
		c := t.Counts
		s = append(s, fmt.Sprintf("%s can still use SMTP AUTH (%d explicitly enabled, %d inheriting the tenant's setting%s); %d explicitly disabled, %d inheriting a disabled tenant, of %s.",
			pluralMailbox(len(t.Mailboxes)), c.Enabled, c.InheritsEnabled+c.InheritsUnknown, tenantSettingNote(t), c.Disabled, c.InheritsDisabled, pluralMailbox(c.Total)))
	} else {
		s = append(s, "The mailboxes were not read (see below).")
	}
	return strings.Join(s, " ")
}

// tenantSettingNote names the tenant's own setting, which the inheriting mailboxes follow.
func tenantSettingNote(t *tenant.BasicAuth) string {
	switch v := t.TenantSMTPAuthDisabled; {
	case v == nil:
		return ", which could not be read"
	case *v:
		return ", off: SmtpClientAuthenticationDisabled $true"
	}
	return ", on: SmtpClientAuthenticationDisabled $false"
}

// pluralMailbox is "1 mailbox" or "3 mailboxes".
func pluralMailbox(n int) string {
	if n == 1 {
		return "1 mailbox"
	}
	return strconv.Itoa(n) + " mailboxes"
}

// groupTag is a sign-in group's status word: BREAKS for sign-ins that succeed today, FAILS for
// those that fail already.
func groupTag(g tenant.SignInGroup) (string, check.Status) {
	if g.Success {
		return "BREAKS", check.Warn
	}
	return "FAILS", check.Skip
}

// groupHead is "scanner@contoso.com from 203.0.113.7".
func groupHead(g tenant.SignInGroup) string {
	return orDash(g.Account) + " from " + orDash(g.IP)
}

// groupSeen is "12 sign-ins, 2026-11-10 to 2026-12-06, client app Authenticated SMTP", with the
// failures' error codes.
func groupSeen(g tenant.SignInGroup) string {
	s := count(g.Count, "sign-in") + ", " + day(g.First)
	if day(g.Last) != day(g.First) {
		s += " to " + day(g.Last)
	}
	if len(g.ClientApps) > 0 {
		s += ", client app " + strings.Join(g.ClientApps, ", ")
	}
	if !g.Success {
		var codes []string
		for _, c := range g.ErrorCodes {
			codes = append(codes, strconv.Itoa(c))
		}
		s += "; failed with error " + strings.Join(codes, ", ")
		if len(g.Reasons) > 0 {
			s += " (" + strings.Join(g.Reasons, "; ") + ")"
		}
	}
	return s
}

// groupReason says why the group needs a way forward.
func groupReason(g tenant.SignInGroup, days int) string {
	if g.Success {
		return fmt.Sprintf("It signs in with a password to SMTP AUTH and succeeded in the last %d days: it stops sending when basic authentication is turned off at %s.", days, breakDate)
	}
	return "Its basic SMTP AUTH sign-ins fail already: this device or application does not send today, and will not once basic authentication is off; fix it one of these ways, or retire it."
}

// mailboxState says how the mailbox's SMTP AUTH is on.
func mailboxState(m tenant.Mailbox) string {
	switch m.State {
	case tenant.StateEnabled:
		return "enabled for the mailbox ($false)"
	case tenant.StateInheritsEnabled:
		return "inherits the tenant's, which is on ($null)"
	}
	return "inherits the tenant's, which was not read ($null)"
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return clean(s)
}

// wayWord is how a way forward after the first is introduced.
func wayWord(i int) string {
	if i == 0 {
		return "way forward: "
	}
	return "or: "
}

// noteSource names the read a note is about.
func noteSource(n tenant.Note) string {
	if n.Source == "mailboxes" {
		return "mailboxes"
	}
	return "sign-in logs"
}
