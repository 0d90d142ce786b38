package report

import (
	"fmt"
	"strings"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
)

// certDetails writes what `exoprobe cert` read from the file, in the text format: the
// certificate is what the engineer asked about, so its subject, names, validity, key, usages
// and the chain as found are shown without --verbose. It writes nothing for other reports.
func certDetails(ew *errWriter, p palette, rep *probe.Report) {
	if rep.Mode != check.ModeCert {
		return
	}
	var r *check.Result
	for _, c := range checks(rep) {
		if c.ID == certcheck.CheckID && c.Status != check.Skip {
			r = c
		}
	}
	if r == nil {
		return
	}
	f := r.Facts
	str := func(k string) string {
		v, ok := f[k]
		if !ok || v == nil {
			return ""
		}
		return factText(v)
	}
	list := func(k string) string {
		switch v := f[k].(type) {
		case []string:
			return strings.Join(v, ", ")
		case nil:
			return ""
		}
		return str(k)
	}
	day := func(k string) string { s := str(k); return strings.SplitN(s, "T", 2)[0] }

	type row struct{ label, value string }
	rows := []row{
		{"Subject", str("subject")},
		{"Issuer", str("issuer")},
		{"Names", list("sans")},
	}
	if rows[2].value == "" {
		rows[2].value = "no DNS name in the SAN; CN " + orValue(str("common_name"), "empty")
	}
	valid := day("not_before") + " to " + day("not_after")
	if d := str("days_left"); d != "" {
		if strings.HasPrefix(d, "-") {
			valid += " (expired " + strings.TrimPrefix(d, "-") + " days ago)"
		} else {
			valid += " (" + d + " days left)"
		}
	}
	rows = append(rows, row{"Valid", valid})
	key := strings.TrimSpace(str("key_type") + " " + str("key_bits"))
	if c := str("key_curve"); c != "" {
		key += " (" + c + ")"
	}
	switch f["key_matches"] {
	case true:
		key += "; the private key in the file belongs to it"
	case false:
		key += "; the private key given does NOT belong to it"
	default:
		if f["has_private_key"] == false {
			key += "; no private key in the file"
		}
	}
	rows = append(rows, row{"Key", key})
	usage := list("ekus")
	if usage == "" {
		usage = "no extended key usage (any use)"
	}
	rows = append(rows, row{"Usage", usage}, row{"Thumbprint", str("thumbprint")}, row{"Format", str("format")})

	width := 0
	for _, rw := range rows {
		width = max(width, len(rw.label))
	}
	ew.line("")
	ew.line(p.bold.Sprint("Certificate"))
	for _, rw := range rows {
		if rw.value == "" {
			continue
		}
		ew.line("  " + rw.label + strings.Repeat(" ", width-len(rw.label)+2) + clean(rw.value))
	}
	chain, ok := f["chain"].([]certcheck.ChainCert)
	if !ok || len(chain) == 0 {
		return
	}
	ew.line("  Chain in the file, in file order:")
	for i, c := range chain {
		what := "issued by " + c.Issuer
		switch {
		case c.SelfSigned:
			what = "self-signed"
		case c.CA:
			what = "CA, " + what
		}
		ew.line(fmt.Sprintf("    %d. %s (%s)", i+1, clean(c.Subject), clean(what)))
	}
}
