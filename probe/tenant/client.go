// Package tenant reads a Microsoft 365 tenant's configuration, app-only and strictly read-only,
// and judges what it says about sending: the "exchange" and "entra" checks of `exoprobe tenant`.
//
// The Client is small on purpose, so that other commands can reuse it: Cmdlet runs one Exchange
// Online cmdlet from a fixed allow-list of Get-*/Test-* cmdlets, through Microsoft's documented
// Admin API (/adminapi/v2.0) where it covers the cmdlet and otherwise through the undocumented
// InvokeCommand endpoint the ExchangeOnlineManagement module uses; Graph reads a Microsoft Graph
// collection with GET. Both follow @odata.nextLink, retry a throttled call (429 or 503 with
// Retry-After) a bounded number of times inside the context's deadline, and return a typed
// *APIError for a refusal. Nothing else can leave the client: newRequest refuses every other
// method, cmdlet, parameter and host.
//
// The tokens come from oauth.Acquire with Config.Scope set to the cloud's AdminScope() or
// GraphScope() (probe.TenantAccess does this for the runs); the bases from cloud.Cloud's
// AdminAPIHost and GraphHost. Another reader of Graph (the sign-in logs at /v1.0/auditLogs/signIns,
// say) needs nothing more than Client.Graph.
//
// The package never prints, and the tokens never appear in an error, a fact or a log line.
package tenant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// Named limits of the client.
const (
	// MaxBodyBytes bounds every response body: a page of a thousand connectors or mailboxes is
	// well under it.
	MaxBodyBytes = 8 << 20
	// MaxPages bounds how many @odata.nextLink pages one call follows.
	MaxPages = 50
	// MaxRetries bounds how often a throttled call is tried again.
	MaxRetries = 3
	// DefaultRetryAfter is the wait before a retry when a throttled answer names none.
	DefaultRetryAfter = time.Second
	// MaxRetryAfter caps one wait, whatever Retry-After asks.
	MaxRetryAfter = 30 * time.Second
)

// ErrTooManyPages is the cause of an *APIError when a collection has more pages than MaxPages:
// the objects of the pages read are returned with it.
var ErrTooManyPages = errors.New("more pages than the client follows")

// errnotTheService is the cause of an *APIError for an answer that is not the service's form:
// not JSON, JSON of another shape, or larger than MaxBodyBytes.
var errnotTheService = errors.New("not the service's answer")

// exchangeAnchor is the X-AnchorMailbox the ExchangeOnlineManagement module and public clients
// send for app-only calls: a system mailbox of the tenant, which routes the call.
const exchangeAnchor = "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@"

// Client reads one tenant. Its zero value is not useful: set Tenant, the bases and the tokens.
type Client struct {
	// HTTP carries the calls; nil means http.DefaultClient (which honours HTTPS_PROXY).
	HTTP *http.Client
	// Tenant is the tenant id (GUID) or a verified domain, as the URLs of the Admin API take it.
	Tenant string
	// AdminBase is the base URL of Exchange Online's Admin API, https://outlook.office365.com
	// (cloud.Cloud's AdminAPIHost); GraphBase that of Microsoft Graph, https://graph.microsoft.com.
	AdminBase, GraphBase string
	// ExchangeToken and GraphToken are app-only access tokens for the two services. Never shown.
	ExchangeToken, GraphToken string
	// Logf receives one line per call; nil discards.
	Logf check.Logf
	// Sleep waits between retries; nil waits on a timer (tests make it instant).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Params are the parameters of a cmdlet: names from the allow-list, string values.
type Params map[string]any

// APIError is a call the service refused, or one that never got an answer it could read.
type APIError struct {
	// Interface is the interface called: AdminAPI, InvokeCommand, or "graph".
	Interface Interface
	// Call names what was asked: the cmdlet, or the Graph path.
	Call string
	// Status is the HTTP status; 0 when no answer came.
	Status int
	// Code and Message are the service's error code and text, when its body had them.
	Code, Message string
	// Throttled is set when the service kept answering 429/503 until the retries or the
	// deadline ran out.
	Throttled bool
	// Err is the transport error when no answer came.
	Err error
}

func (e *APIError) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("tenant: %s %s: %v", e.Interface, e.Call, e.Err)
	case e.Throttled:
		return fmt.Sprintf("tenant: %s %s: still throttled (HTTP %d) after %d retries", e.Interface, e.Call, e.Status, MaxRetries)
	}
	msg := e.Message
	if e.Code != "" {
		msg = e.Code + ": " + msg
	}
	return fmt.Sprintf("tenant: %s %s: HTTP %d %s", e.Interface, e.Call, e.Status, strings.TrimSpace(msg))
}

func (e *APIError) Unwrap() error { return e.Err }

// Graph is the Interface value of Microsoft Graph calls.
const Graph Interface = "graph"

// Cmdlet runs the allow-listed cmdlet name with params and returns the objects it returned,
// every page of them, and the interface it went through. A refusal is an *APIError, a cmdlet
// outside the allow-list a *RefusedError (nothing is sent).
func (c *Client) Cmdlet(ctx context.Context, name string, params Params) ([]json.RawMessage, Interface, error) {
	return c.CmdletThrough(ctx, name, params, Via(name))
}

// CmdletThrough is Cmdlet through the interface via: InvokeCommand runs every cmdlet on the
// allow-list, the Admin API only those it has an endpoint for. The reader asks InvokeCommand
// again when the Admin API's answer lacks a property (its OrganizationConfig is to keep only
// a few core properties once out of preview).
func (c *Client) CmdletThrough(ctx context.Context, name string, params Params, via Interface) ([]json.RawMessage, Interface, error) {
	if err := checkCmdlet(name, params); err != nil {
		return nil, "", err
	}
	switch {
	case via == AdminAPI && Via(name) != AdminAPI:
		return nil, "", refused("the Admin API has no endpoint for %s", name)
	case via != AdminAPI && via != InvokeCommand:
		return nil, "", refused("no interface %q for cmdlets", via)
	}
	u := strings.TrimSuffix(c.AdminBase, "/") + "/adminapi/beta/" + url.PathEscape(c.Tenant) + "/InvokeCommand"
	if via == AdminAPI {
		u = strings.TrimSuffix(c.AdminBase, "/") + "/adminapi/v2.0/" + url.PathEscape(c.Tenant) + "/" + allowed[name].endpoint
	}
	if params == nil {
		params = Params{}
	}
	body, err := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": name, "Parameters": params}})
	if err != nil {
		return nil, via, err
	}
	out, err := c.collect(ctx, via, name, http.MethodPost, u, body)
	return out, via, err
}

// Graph reads the Microsoft Graph collection at path (such as "/v1.0/applications") with the
// query, every page of it.
func (c *Client) Graph(ctx context.Context, path string, query url.Values) ([]json.RawMessage, error) {
	u := strings.TrimSuffix(c.GraphBase, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return c.collect(ctx, Graph, path, http.MethodGet, u, nil)
}

// page is the shape of every answer both services give: the objects in value, the next page's
// URL in @odata.nextLink.
type page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// collect makes the call and follows @odata.nextLink, on the same host only (the token goes
// nowhere else), for at most MaxPages pages. Admin API pages are asked for again with the same
// body, as the module does.
func (c *Client) collect(ctx context.Context, via Interface, call, method, u string, body []byte) ([]json.RawMessage, error) {
	var out []json.RawMessage
	for n := 0; u != ""; n++ {
		if n == MaxPages {
			return out, &APIError{Interface: via, Call: call, Err: fmt.Errorf("%w (%d)", ErrTooManyPages, MaxPages)}
		}
		raw, err := c.do(ctx, via, call, method, u, body)
		if err != nil {
			return out, err
		}
		var p page
		if err := json.Unmarshal(raw, &p); err != nil {
			return out, &APIError{Interface: via, Call: call, Status: http.StatusOK, Err: notJSON(raw)}
		}
		if p.Value == nil {
			// A single object (an entity read by key) is a collection of one.
			p.Value = []json.RawMessage{raw}
		}
		out = append(out, p.Value...)
		u = p.NextLink
	}
	return out, nil
}

// do sends one request, retrying it while the service throttles it.
func (c *Client) do(ctx context.Context, via Interface, call, method, u string, body []byte) ([]byte, error) {
	hc := http.DefaultClient
	if c.HTTP != nil {
		hc = c.HTTP
	}
	// No redirect is followed: it would send the call (and, on the same host, the token)
	// somewhere newRequest never checked. A 3xx is an answer like any other refusal.
	noRedirects := *hc
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc = &noRedirects
	for try := 0; ; try++ {
		req, err := c.newRequest(ctx, method, u, body)
		if err != nil {
			return nil, err
		}
		c.Logf.Printf("tenant: %s %s %s", via, method, redactURL(u))
		resp, err := hc.Do(req)
		if err != nil {
			return nil, &APIError{Interface: via, Call: call, Err: cleanErr(err)}
		}
		raw, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
		resp.Body.Close()
		if err := ctx.Err(); err != nil {
			rerr = err // a body that ended as the deadline passed may be cut short
		}
		if rerr != nil {
			return nil, &APIError{Interface: via, Call: call, Status: resp.StatusCode, Err: cleanErr(rerr)}
		}
		if len(raw) > MaxBodyBytes {
			return nil, &APIError{Interface: via, Call: call, Status: resp.StatusCode,
				Err: fmt.Errorf("%w: an answer larger than %d MiB", errnotTheService, MaxBodyBytes>>20)}
		}
		if resp.StatusCode/100 == 2 {
			return raw, nil
		}
		apiErr := &APIError{Interface: via, Call: call, Status: resp.StatusCode}
		apiErr.Code, apiErr.Message = errorBody(raw)
		if resp.StatusCode/100 == 3 && apiErr.Message == "" {
			if to, err := url.Parse(resp.Header.Get("Location")); err == nil && to.Host != "" {
				apiErr.Message = "to " + clean(to.Host, 100)
			}
		}
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
			return nil, apiErr
		}
		wait := retryAfter(resp.Header.Get("Retry-After"), try)
		if dl, ok := ctx.Deadline(); try >= MaxRetries || ok && time.Until(dl) < wait {
			apiErr.Throttled = true
			return nil, apiErr
		}
		c.Logf.Printf("tenant: %s %s throttled (HTTP %d): retrying in %s", via, call, resp.StatusCode, wait)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, &APIError{Interface: via, Call: call, Status: resp.StatusCode, Throttled: true, Err: err}
		}
	}
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryAfter reads Retry-After (seconds or an HTTP date); without one, it backs off from
// DefaultRetryAfter, doubling per try. Never more than MaxRetryAfter.
func retryAfter(v string, try int) time.Duration {
	d := DefaultRetryAfter << try
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	return max(0, min(d, MaxRetryAfter))
}

// newRequest builds every request the client sends, and refuses all but the read calls: a POST
// of an allow-listed cmdlet to the Exchange Online Admin API (which takes POST only, for reads
// too), or a GET from Microsoft Graph. The method, host, path and body are all checked here, so
// that no other code path can send anything else.
func (c *Client) newRequest(ctx context.Context, method, rawURL string, body []byte) (*http.Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return nil, refused("the URL %q is not one of the services'", redactURL(rawURL))
	}
	admin, aerr := url.Parse(c.AdminBase)
	graph, gerr := url.Parse(c.GraphBase)
	var token string
	switch {
	case method == http.MethodPost && aerr == nil && sameOrigin(u, admin):
		if !strings.HasPrefix(u.EscapedPath(), "/adminapi/") {
			return nil, refused("POST only to the Admin API's /adminapi/ paths, not %q", u.EscapedPath())
		}
		var in struct {
			CmdletInput struct {
				CmdletName string         `json:"CmdletName"`
				Parameters map[string]any `json:"Parameters"`
			} `json:"CmdletInput"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return nil, refused("a POST carries only a CmdletInput: %v", err)
		}
		if dec.More() {
			return nil, refused("a POST carries one CmdletInput")
		}
		if err := checkCmdlet(in.CmdletInput.CmdletName, in.CmdletInput.Parameters); err != nil {
			return nil, err
		}
		token = c.ExchangeToken
	case method == http.MethodGet && gerr == nil && sameOrigin(u, graph):
		if len(body) > 0 {
			return nil, refused("a GET carries no body")
		}
		if !strings.HasPrefix(u.EscapedPath(), "/v1.0/") && !strings.HasPrefix(u.EscapedPath(), "/beta/") {
			return nil, refused("GET only Graph's /v1.0/ and /beta/ paths, not %q", u.EscapedPath())
		}
		token = c.GraphToken
	default:
		return nil, refused("%s %s is not a read call of the Exchange Online Admin API (POST) or Microsoft Graph (GET)", method, redactURL(rawURL))
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, refused("%v", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Prefer", "odata.maxpagesize=1000")
		req.Header.Set("X-AnchorMailbox", exchangeAnchor+c.Tenant)
	}
	return req, nil
}

// notJSON says what an answer that is not the service's JSON starts with: a proxy's block page
// or a captive portal names itself in its first bytes.
func notJSON(raw []byte) error {
	if json.Valid(raw) {
		return fmt.Errorf("%w: JSON of another shape than the service's (no list of objects in \"value\")", errnotTheService)
	}
	start := clean(string(raw[:min(len(raw), 120)]), 100)
	if start == "" {
		return fmt.Errorf("%w: an empty answer", errnotTheService)
	}
	return fmt.Errorf("%w: an answer that is not JSON, starting %q", errnotTheService, start)
}

// notTheService reports whether the answer did not come from the service at all, or not in
// its form: no answer, a redirect, an error page without the services' JSON error, or a body
// that is not their JSON. Every later call would most likely end the same way.
func (e *APIError) notTheService() bool {
	switch {
	case e.Status == 0, errors.Is(e.Err, errnotTheService):
		return true
	case e.Throttled:
		return false
	}
	return e.Status/100 == 3 || e.Status >= 400 && e.Code == "" && e.Message == ""
}

// sameOrigin reports whether u is on base's scheme and host (port included).
func sameOrigin(u, base *url.URL) bool {
	return base.Host != "" && strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}

// errorBody reads the error code and message of a refusal, in the shapes both services use:
// Graph's {"error":{"code","message"}}, and the Admin API's, which puts the cmdlet's own error in
// error.details[].message or error.innererror.internalException.message.
func errorBody(raw []byte) (code, msg string) {
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Details []struct {
				Message string `json:"message"`
			} `json:"details"`
			InnerError struct {
				InternalException struct {
					Message string `json:"message"`
				} `json:"internalException"`
			} `json:"innererror"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &b) != nil {
		return "", ""
	}
	msg = b.Error.Message
	if m := b.Error.InnerError.InternalException.Message; m != "" {
		msg = m
	} else if len(b.Error.Details) > 0 && b.Error.Details[0].Message != "" {
		msg = b.Error.Details[0].Message
	}
	return clean(b.Error.Code, 100), clean(msg, 400)
}

// redactURL drops the query of a URL for log lines: a $filter names ids, nothing secret, but a
// nextLink carries an opaque skip token that helps no reader.
func redactURL(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i] + "?…"
	}
	return u
}

// cleanErr drops a *url.Error's URL (which may carry a skip token) and keeps its cause.
func cleanErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// clean makes a service's text safe to show: one line, printable, at most n bytes.
func clean(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}
