// Package kb is the knowledge base of replies: it turns SMTP replies, Entra ID (AADSTS) errors
// and the probe's own observations into a cause and the steps that fix it.
//
// The knowledge is one table (entries.go): each entry has a stable id, the codes and phrases it
// matches, a title, the cause, the fix as steps with values from the run filled in, and links to
// Microsoft's documentation. Codes no entry covers get their generic meaning: RFC 3463 for
// enhanced status codes, RFC 5321 for basic reply codes.
package kb

import (
	"sort"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
)

// Match is one entry that a text matched, best first in Explain's result.
type Match struct {
	Code check.Code
	check.Hint
	Tokens []string
}

// Scores rank matches: the most specific knowledge names the root cause.
const (
	scoreNeedPattern = 320 // the code and the phrase the entry requires
	scorePattern     = 300 // the code and a phrase that sharpens it
	scoreWrapper     = 290 // an Entra ID code whose line goes on with a more specific one
	scoreAlone       = 250 // a phrase alone: the code was lost
	scoreCode        = 200 // the code alone
	scoreFollowOn    = 150 // a symptom of an earlier failure (5.7.57 after a failed AUTH)
	scoreWords       = 140 // the words of a client, library or the OS, which carry no code of their own
	scoreGeneric     = 100 // RFC 3463 meaning of an enhanced code
	scoreAADSTSOther = 90  // an Entra ID code with no entry
	scoreBasic       = 60  // RFC 5321 meaning of a basic code
	scoreID          = 1000
)

// index of the table, built once.
var (
	byID     = map[string]*entry{}
	byCode   = map[string][]*entry{} // exact enhanced codes
	byAADSTS = map[string]*entry{}
	ranges   []codeRange
	alone    []*entry // entries a phrase alone can match
)

// codeRange is an entry matching a range of detail codes within one class and subject.
type codeRange struct {
	lo, hi enhancedCode
	e      *entry
}

func (r codeRange) contains(c enhancedCode) bool {
	return c.class == r.lo.class && c.subject == r.lo.subject && c.detail >= r.lo.detail && c.detail <= r.hi.detail
}

func init() {
	for i := range entries {
		e := &entries[i]
		byID[e.id] = e
		for _, c := range e.codes {
			if lo, hi, ok := strings.Cut(c, "-"); ok {
				l, _ := parseEnhanced(lo)
				h, _ := parseEnhanced(hi)
				ranges = append(ranges, codeRange{l, h, e})
				continue
			}
			byCode[c] = append(byCode[c], e)
		}
		for _, n := range e.aadsts {
			byAADSTS[n] = e
		}
		if e.alone {
			alone = append(alone, e)
		}
	}
}

// entriesFor returns the entries for an enhanced code, exact codes first, in table order.
func entriesFor(c enhancedCode) []*entry {
	out := byCode[c.String()]
	for _, r := range ranges {
		if r.contains(c) {
			out = append(out[:len(out):len(out)], r.e)
		}
	}
	return out
}

// hint returns e filled with the values of c.
func (e *entry) hint(c *Context) *check.Hint {
	h := &check.Hint{
		ID:    e.id,
		Title: fill(e.title, c),
		Cause: fill(e.cause, c),
		Fix:   make([]check.Step, len(e.fix)),
		Docs:  append([]string(nil), e.docs...),
	}
	for i, f := range e.fix {
		h.Fix[i] = check.Step{Text: fill(f.text, c), Command: fill(f.command, c)}
	}
	return h
}

// primaryCode is the code an entry stands for when a phrase matched it without a code.
func (e *entry) primaryCode() string {
	if len(e.codes) > 0 {
		lo, _, _ := strings.Cut(e.codes[0], "-")
		return lo
	}
	if len(e.aadsts) > 0 {
		return "AADSTS" + e.aadsts[0]
	}
	return e.id
}

// Hint returns the entry with the given id (a reply entry or a probe code such as
// "port-filtered"), filled with the values of c; nil when there is none.
func Hint(id string, c Context) *check.Hint {
	e, ok := byID[id]
	if !ok {
		return nil
	}
	return e.hint(&c)
}

// forReplyText returns the hint for a server reply whose finding code is code and whose whole
// text is text, and the code it explains: the entry the text's codes and words select best (the
// finding's own code when its entry is as specific as any), else the RFC 3463 meaning of the
// code's class and subject, else the RFC 5321 meaning of its basic code; never nil.
func forReplyText(code, text string, c Context) (*check.Hint, check.Code) {
	var best, own *scored
	ms := analyze(text)
	for i := range ms {
		m := &ms[i]
		if m.e == nil {
			continue
		}
		if best == nil {
			best = m
		}
		if own == nil && m.code == code {
			own = m
		}
	}
	if own != nil && own.score >= best.score {
		best = own
	}
	switch {
	case best == nil:
		return genericReply(code), ""
	case best.kind == kindEnhanced || best.kind == kindAADSTS:
		return best.e.hint(&c), check.Code(best.code)
	}
	return best.e.hint(&c), "" // words alone: the reply holds no code more specific than its own
}

// genericReply is the generic meaning of a reply's code: RFC 3463 for an enhanced code, RFC 5321
// for a basic one, and a note that the code is not SMTP's otherwise.
func genericReply(code string) *check.Hint {
	if enh, ok := parseEnhanced(code); ok {
		return genericEnhanced(enh)
	}
	if n, err := strconv.Atoi(code); err == nil {
		if h := genericBasic(n); h != nil {
			return h
		}
	}
	return &check.Hint{
		ID:    "rfc5321-unknown",
		Title: code + ": not an SMTP reply code",
		Cause: "RFC 5321 reply codes run from 200 to 599; this reply's code is outside that range, so the server does not follow the protocol.",
		Fix:   []check.Step{{Text: "Check that the endpoint is an SMTP server, and run with --transcript to see what it sent."}},
		Docs:  []string{docRFC5321},
	}
}

// ForCode returns the hint for a code as findings carry it: an enhanced status code ("5.7.64"),
// a basic code ("554"), or an Entra ID code ("AADSTS7000215"); nil when the knowledge base
// has no entry and no generic meaning for it.
func ForCode(code string, c Context) *check.Hint {
	code = strings.TrimSpace(code)
	if len(code) > 6 && strings.EqualFold(code[:6], "AADSTS") {
		n := code[6:]
		if digitsAt(n, 0) != len(n) || len(n) < 5 || len(n) > 8 {
			return nil
		}
		if e, ok := byAADSTS[n]; ok {
			return e.hint(&c)
		}
		return genericAADSTS(n, &c)
	}
	if enh, ok := parseEnhanced(code); ok {
		for _, e := range entriesFor(enh) {
			if !e.needPattern {
				return e.hint(&c)
			}
		}
		return genericEnhanced(enh)
	}
	if len(code) == 3 && digitsAt(code, 0) == 3 {
		n, _ := strconv.Atoi(code)
		return genericBasic(n)
	}
	return Hint(code, c)
}

// Explain decodes any text that carries replies or error codes: a pasted NDR, an application's
// exception, a log line. Best match first; empty when the text carries no code at all.
func Explain(text string, c Context) []Match {
	ms := analyze(text)
	out := make([]Match, 0, len(ms))
	for _, m := range ms {
		var h *check.Hint
		switch {
		case m.e != nil:
			h = m.e.hint(&c)
		case m.kind == kindAADSTS:
			h = genericAADSTS(strings.TrimPrefix(m.code, "AADSTS"), &c)
		case m.kind == kindEnhanced:
			h = genericEnhanced(m.enh)
		default:
			n, _ := strconv.Atoi(m.code)
			h = genericBasic(n)
		}
		if h == nil {
			continue
		}
		out = append(out, Match{Code: check.Code(m.code), Hint: *h, Tokens: m.tokens})
	}
	return out
}

// scored is one candidate match before it is filled.
type scored struct {
	e      *entry // nil for a generic meaning
	kind   occKind
	code   string // as shown: "5.7.64", "554", "AADSTS7000215"
	enh    enhancedCode
	score  int
	pos    int
	tokens []string
}

// analyze finds every code in text and what it means, best first.
func analyze(text string) []scored {
	if len(text) > maxExplainInput {
		text = text[:maxExplainInput]
	}
	text = percentDecode(text)
	occ := scanCodes(text)

	var folded string // the whole text, folded, computed when first needed
	foldedText := func() string {
		if folded == "" {
			folded = fold(text)
		}
		return folded
	}

	// A pattern looked for in the whole text is looked for once: a long text (a log) can carry
	// the same code thousands of times.
	textHits := map[string]bool{}
	inText := func(p string) bool {
		hit, ok := textHits[p]
		if !ok {
			hit = strings.Contains(foldedText(), p)
			textHits[p] = hit
		}
		return hit
	}

	var cands []scored
	for i, o := range occ {
		end := len(text)
		if i+1 < len(occ) {
			end = occ[i+1].start
		}
		end = min(end, o.start+maxSegment)
		seg := text[o.start:end]
		switch o.kind {
		case kindAADSTS:
			s := scored{kind: kindAADSTS, code: "AADSTS" + o.code, score: scoreAADSTSOther, pos: o.start, tokens: tokens(seg)}
			if e, ok := byAADSTS[o.code]; ok {
				s.e, s.score = e, scorePattern
				// Entra ID wraps the specific error in a general one on the same line
				// ("AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or
				// password"): the inner one names the cause.
				if i+1 < len(occ) && occ[i+1].kind == kindAADSTS && !strings.ContainsAny(text[o.start:occ[i+1].start], "\r\n") {
					if _, known := byAADSTS[occ[i+1].code]; known {
						s.score = scoreWrapper
					}
				}
			}
			cands = append(cands, s)
		case kindBasic:
			cands = append(cands, scored{kind: kindBasic, code: o.code, score: scoreBasic, pos: o.start, tokens: tokens(seg)})
		case kindEnhanced:
			s := scored{kind: kindEnhanced, code: o.code, enh: o.enh, score: scoreGeneric, pos: o.start}
			fseg := fold(seg)
			for _, e := range entriesFor(o.enh) {
				sc := rate(e, fseg, inText)
				if sc > s.score {
					s.e, s.score = e, sc
				}
			}
			s.tokens = tokens(seg)
			cands = append(cands, s)
		}
	}

	// A phrase alone, for texts that lost their code.
	matched := map[*entry]bool{}
	for _, c := range cands {
		if c.e != nil {
			matched[c.e] = true
		}
	}
	for _, e := range alone {
		if matched[e] {
			continue
		}
		for _, p := range e.patterns {
			if strings.Contains(foldedText(), p) {
				score := scoreAlone
				if len(e.codes) == 0 && len(e.aadsts) == 0 {
					score = scoreWords // an entry that a code in the same text found names the cause better
				}
				cands = append(cands, scored{e: e, kind: kindWords, code: e.primaryCode(), score: score, pos: len(text), tokens: tokens(text[:min(len(text), 64<<10)])})
				break
			}
		}
	}

	// The text is one of the probe's own finding codes ("port-filtered").
	if e, ok := byID[strings.TrimSpace(text)]; ok && len(cands) == 0 {
		cands = append(cands, scored{e: e, kind: kindWords, code: e.id, score: scoreID})
	}

	return rank(cands)
}

// rate scores how well entry e explains a reply whose folded text is fseg; 0 when it does not.
// inText reports whether the whole folded text holds a pattern.
func rate(e *entry, fseg string, inText func(string) bool) int {
	hit := false
	for _, p := range e.patterns {
		if e.textScope && inText(p) || !e.textScope && strings.Contains(fseg, p) {
			hit = true
			break
		}
	}
	switch {
	case e.followOn:
		return scoreFollowOn
	case hit && e.needPattern:
		return scoreNeedPattern
	case hit:
		return scorePattern
	case e.needPattern:
		return 0
	}
	return scoreCode
}

// rank sorts candidates best first, keeps one match per entry (and per code for generic
// meanings), drops the generic meaning of a code that an entry explains, and bounds the result.
func rank(cands []scored) []scored {
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].pos < cands[j].pos
	})
	explained := map[string]bool{}
	failure := false // a success code is noise next to a failure (a pasted transcript)
	for _, c := range cands {
		if c.e != nil {
			explained[c.code] = true
		}
		if c.e != nil || c.kind != kindEnhanced || c.enh.class != 2 {
			failure = true
		}
	}
	seen := map[string]bool{}
	var out []scored
	for _, c := range cands {
		key := "code:" + c.code
		if c.e != nil {
			key = "id:" + c.e.id
		} else if explained[c.code] || (failure && c.kind == kindEnhanced && c.enh.class == 2) {
			continue
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, c)
		if len(out) == maxMatches {
			break
		}
	}
	return out
}
