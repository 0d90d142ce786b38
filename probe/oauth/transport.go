package oauth

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"

	"github.com/exoprobe/exoprobe/probe/webproxy"
)

// responseTooLargeError is returned while reading a response body longer than its cap.
type responseTooLargeError struct{ limit int64 }

func (e *responseTooLargeError) Error() string {
	return fmt.Sprintf("oauth: the response is larger than %d bytes", e.limit)
}

// httpClient returns the client for MSAL: a copy of hc, or the probe's own client (through the
// proxy p chooses, noted in used, verifying against roots, TLS 1.2 or later), whose transport
// caps every response body at MaxResponseBytes.
func httpClient(hc *http.Client, p webproxy.Settings, roots *x509.CertPool, used *webproxy.Used) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	base := c.Transport
	if base == nil {
		if hc != nil {
			base = http.DefaultTransport
		} else {
			t := http.DefaultTransport.(*http.Transport).Clone()
			t.Proxy = p.ProxyFunc(used)
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots}
			base = t
		}
	}
	c.Transport = &cappedTransport{base: base, limit: MaxResponseBytes}
	return c
}

// cappedTransport caps response bodies: MSAL reads them whole with io.ReadAll.
type cappedTransport struct {
	base  http.RoundTripper
	limit int64
}

// RoundTrip implements http.RoundTripper.
func (t *cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > t.limit {
		_ = resp.Body.Close()
		return nil, &responseTooLargeError{limit: t.limit}
	}
	resp.Body = &cappedBody{rc: resp.Body, left: t.limit, limit: t.limit}
	return resp, nil
}

// CloseIdleConnections forwards to the base transport, so that no idle connection (and its
// goroutines) outlives the check.
func (t *cappedTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// cappedBody reads at most limit bytes and fails when the body holds more.
type cappedBody struct {
	rc          io.ReadCloser
	left, limit int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, &responseTooLargeError{limit: b.limit}
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }
