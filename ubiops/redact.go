package ubiops

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
)

// Redaction. A server, a proxy or a gateway may echo the Authorization header in what it answers
// ("Invalid token header: Token 1a2b…"). Everything the client keeps of an answer (an APIError's
// Message, Body and Header, the text of a DecodeError or a RequestError, the debug log) goes
// through the client's redactor, which knows the token, and every Error method also replaces any
// "Token <credential>" or "Bearer <credential>" sequence it contains, whoever's token it is.

// redacted replaces a secret.
const redacted = "[REDACTED]"

// credentialPattern finds "Token <credential>" and "Bearer <credential>" (RFC 6750 b64token
// characters). redactCredentials replaces the credential only when it looks like one: at least 8
// characters with a digit in them, so prose such as "Token has expired" or "Bearer authentication
// failed" stays readable, while API tokens (40 hexadecimal digits for UbiOps) and JWTs do not.
var credentialPattern = regexp.MustCompile(`\b(Token|Bearer)( +)([A-Za-z0-9\-._~+/]+=*)`)

// redactCredentials replaces the credential of every "Token …" or "Bearer …" sequence in s.
func redactCredentials(s string) string {
	if !strings.Contains(s, "Token ") && !strings.Contains(s, "Bearer ") {
		return s
	}
	return credentialPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := credentialPattern.FindStringSubmatch(m)
		cred := sub[3]
		if len(cred) < 8 || !strings.ContainsAny(cred, "0123456789") {
			return m
		}
		return sub[1] + sub[2] + redacted
	})
}

// minSecretLen is the shortest token value redacted wherever it occurs, even outside a
// "Token …" sequence; replacing a shorter one would garble ordinary words.
const minSecretLen = 6

// redactor removes the client's token from server text. A nil redactor still replaces credential
// sequences.
type redactor struct {
	// replace holds secret, replacement pairs: the Authorization value ("Token abc…" becomes
	// "Token [REDACTED]"), then the bare credential wherever it occurs.
	replace []string
}

func newRedactor(authorization string) *redactor {
	r := &redactor{}
	scheme, cred, ok := strings.Cut(authorization, " ")
	if !ok {
		scheme, cred = "", authorization
	}
	if scheme != "" {
		r.replace = append(r.replace, authorization, scheme+" "+redacted)
	}
	if len(cred) >= minSecretLen {
		r.replace = append(r.replace, cred, redacted)
	}
	return r
}

// text returns s without the token and without credential sequences.
func (r *redactor) text(s string) string {
	if r != nil {
		for i := 0; i+1 < len(r.replace); i += 2 {
			if strings.Contains(s, r.replace[i]) {
				s = strings.ReplaceAll(s, r.replace[i], r.replace[i+1])
			}
		}
	}
	return redactCredentials(s)
}

// bytes is text for a body.
func (r *redactor) bytes(b []byte) []byte {
	if s := string(b); r.text(s) != s {
		return []byte(r.text(s))
	}
	return b
}

// header returns h, or a copy of it with the token removed from every value that holds it.
func (r *redactor) header(h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		for i, v := range vs {
			if clean := r.text(v); clean != v {
				if out == nil {
					out = h.Clone()
				}
				out[k][i] = clean
			}
		}
	}
	if out == nil {
		return h
	}
	return out
}

// err returns err, or, when its text holds the token, an error with the redacted text in its
// place. The replacement keeps the error's standard causes (the context errors, io.EOF and
// io.ErrUnexpectedEOF) for errors.Is, but drops the original, which still holds the token.
func (r *redactor) err(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := r.text(msg)
	if clean == msg {
		return err
	}
	re := &redactedError{msg: clean}
	for _, target := range keptCauses {
		if errors.Is(err, target) {
			re.causes = append(re.causes, target)
		}
	}
	return re
}

// keptCauses are the causes a redacted error still reports to errors.Is.
var keptCauses = []error{context.Canceled, context.DeadlineExceeded, io.EOF, io.ErrUnexpectedEOF}

// redactedError stands in for an error whose text held the token.
type redactedError struct {
	msg    string
	causes []error
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Unwrap() []error { return e.causes }
