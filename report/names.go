package report

import (
	"strconv"

	"github.com/exoprobe/exoprobe/probe/idn"
)

// shownName is a DNS name as a report shows it: an internationalized one as typed and as DNS
// carries it, "bücher.de (xn--bcher-kva.de)"; any other as it is.
func shownName(name string) string { return idn.Display(name) }

// shownHostPort is host:port as a report shows it, an internationalized host as typed first:
// "mx.bücher.de:25 (mx.xn--bcher-kva.de)".
func shownHostPort(host string, port int) string {
	u := idn.Unicode(host)
	hp := u + ":" + strconv.Itoa(port)
	if u != host {
		hp += " (" + host + ")"
	}
	return hp
}
