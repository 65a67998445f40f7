package ubiops_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

const secretToken = "s3cr3t-t0ken-value"

// TestRedirectToAnotherHostDropsToken: a redirect to another host must not carry the token.
func TestRedirectToAnotherHostDropsToken(t *testing.T) {
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
		_, _ = io.WriteString(w, `{"name":"p"}`)
	}))
	defer other.Close()
	// The same server under another host name: "localhost" instead of "127.0.0.1".
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherURL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer origin.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(origin.URL), ubiops.WithToken(secretToken))
	require.NoError(t, err)
	_, err = c.Projects.Get(context.Background(), "p")
	require.NoError(t, err, "the redirect is followed")
	assert.Equal(t, "", leaked.Load(), "the Authorization header stays with the original host")
}

// TestTLSVerificationIsOn: a server whose certificate is not trusted is refused, once.
func TestTLSVerificationIsOn(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, `{"name":"p"}`)
	}))
	defer srv.Close()
	srv.Config.ErrorLog = nil
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken(secretToken))
	require.NoError(t, err)
	_, err = c.Projects.Get(context.Background(), "p")
	require.Error(t, err)
	var unknown x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	assert.True(t, errors.As(err, &unknown) || errors.As(err, &verify), "a certificate error: %v", err)
	var rerr *ubiops.RequestError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, 1, rerr.Attempts, "a bad certificate is not retried")
	assert.Zero(t, hits.Load(), "no request reached the handler")
	assert.NotContains(t, err.Error(), secretToken)
}

// TestPlainHTTPRefusedForRemoteHosts: a token is never sent in clear text by accident.
func TestPlainHTTPRefusedForRemoteHosts(t *testing.T) {
	for _, u := range []string{"http://api.ubiops.com/v2.1", "http://10.1.2.3:8080", "http://ubiops.internal"} {
		_, err := ubiops.NewClient(ubiops.WithBaseURL(u), ubiops.WithToken(secretToken))
		var ce *ubiops.ConfigError
		require.ErrorAs(t, err, &ce, u)
		assert.NotContains(t, err.Error(), secretToken)
	}
	_, err := ubiops.NewClient(ubiops.WithBaseURL("http://ubiops.internal"), ubiops.WithToken(secretToken), ubiops.WithInsecureHTTP())
	assert.NoError(t, err, "allowed when asked for explicitly")
}

// TestRedirectToAnotherPortOrSchemeDropsToken: same host name, but another port, or https to http:
// net/http alone would forward the token; the client must not.
func TestRedirectToAnotherPortOrSchemeDropsToken(t *testing.T) {
	var leaked atomic.Value
	leaked.Store("")
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
		_, _ = io.WriteString(w, `{"name":"p"}`)
	}))
	defer other.Close()
	for _, origin := range []*httptest.Server{
		httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect) // another port
		})),
		httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect) // https to http
		})),
	} {
		hc := &http.Client{}
		if origin.TLS != nil {
			hc = origin.Client() // trusts the test certificate
		}
		c, err := ubiops.NewClient(ubiops.WithBaseURL(origin.URL), ubiops.WithToken(secretToken), ubiops.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Projects.Get(context.Background(), "p")
		require.NoError(t, err)
		assert.Equal(t, "", leaked.Load(), "no token after a redirect from %s", origin.URL)
		origin.Close()
	}
}
