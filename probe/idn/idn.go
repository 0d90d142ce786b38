// Package idn is the one rule for internationalized domain names (IDNA, UTS #46): a name such
// as bücher.de goes to DNS, SMTP and certificate checks in its A-label form (xn--bcher-kva.de),
// and a report shows both forms where they differ, so that the person who typed the name
// recognises it and the one reading a DNS log finds it.
package idn

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// lookup maps a name as a resolver looks it up (UTS #46 non-transitional: lower case,
// full-width dots become dots, ß stays ß) and writes it in A-labels. Hyphens and lengths are
// left to the callers' own rules, whose messages are plainer than the idna package's.
var lookup = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.CheckHyphens(false), idna.Transitional(false))

// ToASCII returns name in the A-label form DNS carries, each Unicode label as xn--..., in lower
// case. It refuses what is not text, a name IDNA cannot write, and an xn-- label that does not
// decode.
func ToASCII(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", errors.New("it is not valid text (UTF-8)")
	}
	a, err := lookup.ToASCII(name)
	if err != nil {
		return "", fmt.Errorf("it cannot be written as a DNS name (%v)", err)
	}
	return a, nil
}

// Display shows an A-label name as people typed it, followed by the form DNS carries, when the
// two differ: "bücher.de (xn--bcher-kva.de)". Any other name is returned as it is, and so is
// an xn-- label that does not decode to valid Unicode (it is shown, never reinterpreted).
func Display(name string) string {
	if u := Unicode(name); u != name {
		return u + " (" + name + ")"
	}
	return name
}

// Unicode returns an A-label name as people write it (xn--bcher-kva.de is bücher.de); any
// other name, and one whose xn-- labels do not decode, is returned as it is.
func Unicode(name string) string {
	if !strings.Contains(strings.ToLower(name), "xn--") {
		return name
	}
	u, err := lookup.ToUnicode(name) // as strict as ToASCII
	if err != nil {
		return name
	}
	return u
}

// IsASCII reports whether s holds ASCII only, as a name must before it reaches DNS.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
