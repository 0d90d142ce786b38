package oauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"strconv"
	"strings"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// entraError is the JSON body of a refused Entra ID request, as documented in "Token Issuance
// Endpoint Errors" (https://learn.microsoft.com/previous-versions/azure/dn645548(v=azure.100)):
//
//	{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. ...
//	 \r\nTrace ID: ...\r\nCorrelation ID: ...\r\nTimestamp: 2023-06-02 21:00:26Z",
//	 "error_codes":[7000215],"timestamp":"2023-06-02 21:00:26Z","trace_id":"...",
//	 "correlation_id":"...","error_uri":"https://login.microsoftonline.com/error?code=7000215"}
type entraError struct {
	Error         string        `json:"error"`
	SubError      string        `json:"suberror"`
	Description   string        `json:"error_description"`
	ErrorCodes    []json.Number `json:"error_codes"`
	Timestamp     string        `json:"timestamp"`
	TraceID       string        `json:"trace_id"`
	CorrelationID string        `json:"correlation_id"`
	ErrorURI      string        `json:"error_uri"`
}

// classify turns a failed MSAL call into a finding. parent is the caller's context, tctx the
// check's own (with its deadline); host is the authority's host.
func (a *attempt) classify(parent, tctx context.Context, host string, err error) {
	var (
		callErr  msalerrors.CallErr // MSAL returns it by value
		jsonErr  msalerrors.InvalidJsonErr
		tooLarge *responseTooLargeError
		dnsErr   *net.DNSError
		netErr   net.Error
		opErr    *net.OpError
	)
	timeout := a.cfg.timeout()
	switch {
	case errors.Is(parent.Err(), context.Canceled):
		a.fail(code.TokenCanceled, "token request cancelled", "the run was cancelled before the token endpoint answered")
	case tctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		a.fail(code.TokenTimeout, "no answer from the token endpoint", fmt.Sprintf(
			"the token endpoint %s did not answer within %s: a proxy or firewall is holding HTTPS to Entra ID, or the endpoint is "+
				"unreachable from here; check that this machine can open https://%s (and its proxy settings: HTTPS_PROXY)",
			host, timeout, host))
	case errors.As(err, &tooLarge):
		a.fail(code.TokenResponseTooLarge, "token endpoint answer too large", fmt.Sprintf(
			"the answer from %s is larger than %d bytes, which no Entra ID answer is: a proxy or captive portal is answering in its place",
			host, tooLarge.limit))
	case errors.As(err, &callErr) && callErr.Resp != nil:
		a.callError(host, callErr)
	case errors.As(err, &jsonErr):
		a.fail(code.TokenResponseInvalid, "token endpoint answer is not JSON", fmt.Sprintf(
			"%s answered with something that is not Entra ID's JSON (an HTML page?): a proxy, captive portal or TLS-inspecting "+
				"firewall is answering in its place; open https://%s in a browser on this machine to see what answers", host, host))
	case errors.As(err, &dnsErr):
		a.fail(code.TokenEndpointDNS, "cannot resolve the token endpoint", fmt.Sprintf(
			"the name %s does not resolve (%s): check this machine's DNS, or its proxy settings if it may only reach the Internet through a proxy",
			a.red.clean(dnsErr.Name, 253), a.red.clean(dnsErr.Err, 200)))
	case isTLSError(err):
		a.fail(code.TokenEndpointTLS, "TLS to the token endpoint is not trusted", a.tlsMessage(host, err))
	case errors.As(err, &netErr) && netErr.Timeout():
		a.fail(code.TokenTimeout, "no answer from the token endpoint", fmt.Sprintf(
			"the connection to %s timed out: a firewall or proxy is dropping HTTPS to Entra ID", host))
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		a.fail(code.TokenEndpointUnreachable, "cannot reach the proxy", fmt.Sprintf(
			"cannot connect to the proxy %s that HTTPS to %s goes through (%s): check the proxy address in HTTPS_PROXY "+
				"(or the system's proxy settings), and that the proxy is up",
			orPlaceholder(a.proxy, "(unknown)"), host, a.red.clean(errText(opErr.Err), 200)))
	case errors.As(err, &opErr):
		a.fail(code.TokenEndpointUnreachable, "cannot reach the token endpoint", fmt.Sprintf(
			"cannot connect to %s (%s %s): a firewall or proxy blocks HTTPS to Entra ID from this machine",
			host, opErr.Op, a.red.clean(errText(opErr.Err), 200)))
	case a.proxy != "":
		a.fail(code.TokenRequestFailed, "token request through the proxy failed", fmt.Sprintf(
			"the token request to %s through the proxy %s failed: %s; a proxy that refuses the tunnel (CONNECT) needs "+
				"the host allowed, or credentials in HTTPS_PROXY (http://user:password@proxy:port)",
			host, a.proxy, a.red.clean(err.Error(), 400)))
	default:
		a.fail(code.TokenRequestFailed, "token request failed", fmt.Sprintf(
			"the token request to %s failed: %s", host, a.red.clean(err.Error(), 400)))
	}
}

// callError decodes an HTTP error answer: Entra ID's JSON body and its AADSTS code.
func (a *attempt) callError(host string, ce msalerrors.CallErr) {
	status := ce.Resp.StatusCode
	stage := "token request"
	if ce.Req != nil && ce.Req.URL != nil && strings.Contains(ce.Req.URL.Path, "openid-configuration") {
		stage = "tenant discovery"
	}
	a.r.Set("http_status", status)
	a.r.Set("failed_at", stage)
	var body []byte
	if ce.Resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(ce.Resp.Body, MaxResponseBytes))
	}
	var e entraError
	if err := json.Unmarshal(body, &e); err != nil || (e.Error == "" && e.Description == "" && len(e.ErrorCodes) == 0) {
		ct, _, _ := mime.ParseMediaType(ce.Resp.Header.Get("Content-Type"))
		a.fail(code.TokenHTTPError, fmt.Sprintf("token endpoint answered HTTP %d", status), fmt.Sprintf(
			"%s answered the %s with HTTP %d and a body that is not Entra ID's JSON (%s): a proxy or firewall is answering in its place",
			host, stage, status, orPlaceholder(a.red.clean(ct, 80), "no content type")))
		return
	}
	var codes []int64
	for _, n := range e.ErrorCodes {
		if v, err := strconv.ParseInt(n.String(), 10, 64); err == nil && v > 0 {
			codes = append(codes, v)
		}
	}
	var c check.Code
	if len(codes) > 0 {
		c = check.Code("AADSTS" + strconv.FormatInt(codes[0], 10))
	} else if n := aadstsIn(e.Description); n != "" {
		c = check.Code(n)
	}
	if e.Error != "" {
		a.r.Set("entra_error", a.red.clean(e.Error, 80))
	}
	if len(codes) > 0 {
		a.r.Set("error_codes", codes)
	}
	for k, v := range map[string]string{"trace_id": e.TraceID, "correlation_id": e.CorrelationID,
		"timestamp": e.Timestamp, "error_uri": e.ErrorURI} {
		if v != "" {
			a.r.Set(k, a.red.clean(v, 200))
		}
	}
	desc := a.red.clean(firstPart(e.Description), 500)
	what := strings.TrimSpace(strings.Join([]string{strconv.Itoa(status), a.red.clean(e.Error, 80)}, " "))
	msg := fmt.Sprintf("Entra ID refused the %s (HTTP %s): %s", stage, what, orPlaceholder(desc, "(no description)"))
	if e.TraceID != "" || e.CorrelationID != "" {
		msg = strings.TrimRight(msg, ". ") + fmt.Sprintf(". For Microsoft support: trace ID %s, correlation ID %s, at %s",
			orNone(a.red.clean(e.TraceID, 64)), orNone(a.red.clean(e.CorrelationID, 64)), orNone(a.red.clean(e.Timestamp, 40)))
	}
	if c == "" {
		c = code.TokenHTTPError
	}
	summary := "token request refused: " + string(c)
	if c == code.TokenHTTPError {
		summary = fmt.Sprintf("token endpoint answered HTTP %d", status)
	}
	a.fail(c, summary, msg)
}

// firstPart is the human part of an error_description: the text before the Trace ID line.
func firstPart(desc string) string {
	for _, sep := range []string{"\r\n", "\n", " Trace ID:"} {
		if i := strings.Index(desc, sep); i >= 0 {
			desc = desc[:i]
		}
	}
	return strings.TrimSpace(desc)
}

// aadstsIn finds the first AADSTS code in a description that came without error_codes.
func aadstsIn(s string) string {
	i := strings.Index(s, "AADSTS")
	if i < 0 {
		return ""
	}
	j := i + len("AADSTS")
	for j < len(s) && j-i < len("AADSTS")+9 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i+len("AADSTS") {
		return ""
	}
	return s[i:j]
}

func isTLSError(err error) bool {
	var (
		cve *tls.CertificateVerificationError
		uae x509.UnknownAuthorityError
		he  x509.HostnameError
		cie x509.CertificateInvalidError
		rhe tls.RecordHeaderError
		ae  tls.AlertError
	)
	return errors.As(err, &cve) || errors.As(err, &uae) || errors.As(err, &he) || errors.As(err, &cie) ||
		errors.As(err, &rhe) || errors.As(err, &ae)
}

// tlsMessage says in words why TLS to host failed, naming the certificate's issuer when there is
// one: an issuer that is not Microsoft's CA is usually an intercepting proxy or antivirus.
func (a *attempt) tlsMessage(host string, err error) string {
	var (
		cve *tls.CertificateVerificationError
		uae x509.UnknownAuthorityError
		he  x509.HostnameError
		cie x509.CertificateInvalidError
		rhe tls.RecordHeaderError
	)
	issuer := ""
	if errors.As(err, &cve) && len(cve.UnverifiedCertificates) > 0 {
		issuer = cve.UnverifiedCertificates[0].Issuer.String()
	}
	reason := "the TLS handshake failed"
	switch {
	case errors.As(err, &uae):
		reason = "its certificate is issued by a certificate authority this machine does not trust"
		if uae.Cert != nil {
			issuer = uae.Cert.Issuer.String()
		}
	case errors.As(err, &he):
		reason = "its certificate is issued for another name"
		if he.Certificate != nil {
			issuer = he.Certificate.Issuer.String()
		}
	case errors.As(err, &cie):
		reason = "its certificate is expired, not yet valid or not usable for a server"
		if cie.Cert != nil {
			issuer = cie.Cert.Issuer.String()
		}
	case errors.As(err, &rhe):
		reason = "it does not speak TLS on port 443 (something else answers)"
	}
	msg := fmt.Sprintf("cannot open a trusted TLS connection to %s: %s", host, reason)
	if issuer != "" {
		msg += fmt.Sprintf(" (issuer %s)", a.red.clean(issuer, 200))
	}
	return msg + ": an HTTPS-inspecting proxy, firewall or antivirus sits in between; exclude login endpoints from TLS inspection, " +
		"or make this machine trust the inspecting CA"
}

// errText is the text of a low-level error without the operation prefix net.OpError adds.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
