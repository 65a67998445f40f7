package ubiops

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSanitizeFileName(t *testing.T) {
	cases := map[string]string{
		"package.zip":              "package.zip",
		"../../etc/passwd":         "passwd",
		`..\..\windows\system.ini`: "system.ini",
		"/abs/path/x.zip":          "x.zip",
		"..":                       "",
		".":                        "",
		"...":                      "",
		"dir/":                     "",
		"a\x00b\nc\r.zip":          "abc.zip",
		"evil\u202egnp.zip":        "evilgnp.zip", // right-to-left override
		`quo"te.zip`:               "quote.zip",
		"C:secret.txt":             "Csecret.txt",
		"  spaced.zip  ":           "spaced.zip",
		"ok-ünïcode.zip":           "ok-ünïcode.zip",
	}
	for in, want := range cases {
		assert.Equal(t, want, sanitizeFileName(in), "%q", in)
	}
	long := sanitizeFileName(string(make([]byte, 0)) + stringOf('a', 300) + ".zip")
	assert.LessOrEqual(t, len(long), 255)
}

func stringOf(r rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return string(out)
}
