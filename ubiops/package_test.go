package ubiops

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTree creates files (slash-separated path -> content) under dir, in the order given by
// order (all of files' keys).
func writeTree(t *testing.T, dir string, files map[string]string, order []string) {
	t.Helper()
	for _, name := range order {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(files[name]), 0o644))
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// zipContents reads an archive into name -> content.
func zipContents(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		out[f.Name] = string(b)
	}
	return out
}

func zipNames(t *testing.T, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

func zipToBytes(t *testing.T, dir string, opts *ZipOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, ZipDir(&buf, dir, opts))
	return buf.Bytes()
}

func symlinkOrSkip(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot create symbolic links here: %v", err)
	}
}

// listTree returns every path under dir (slash-separated, relative), directories included.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

func TestZipDirIgnoreSemantics(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.py":               "print('hi')",
		"a.log":                 "ignored by *.log",
		"keep.log":              "re-included by !keep.log",
		"sub/b.log":             "ignored by *.log at any depth",
		"sub/keep.log":          "re-included at any depth",
		"build/x.txt":           "ignored: build/ is a directory",
		"sub/build/y.txt":       "ignored: build/ matches at any depth",
		"other/build":           "kept: a file named build is not a directory",
		"top.txt":               "ignored: /top.txt is anchored",
		"sub/top.txt":           "kept: anchored pattern does not match nested",
		"cache/c.txt":           "ignored by **/cache",
		"deep/er/cache/d.txt":   "ignored by **/cache",
		"deep/er/cachet/e.txt":  "kept",
		"# not a pattern":       "kept: the comment line is not a pattern",
		"notes.tmp":             "ignored by a CRLF line",
		"sub/.ubiops-ignore":    "kept: only the top-level ignore file is special",
		"requirements.txt":      "numpy",
		"deployment.py":         "class Deployment: pass",
		"libs/helper/helper.py": "x = 1",
	}
	writeTree(t, dir, files, keys(files))
	ignore := "# comment\n\n*.log\n!keep.log\nbuild/\n/top.txt\n**/cache\n*.tmp\r\n   \n!build/x.txt\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".ubiops-ignore"), []byte(ignore), 0o644))
	// An ignored directory is not descended into: neither an unresolvable link nor an empty
	// directory inside it is looked at.
	symlinkOrSkip(t, filepath.Join(dir, "nowhere"), filepath.Join(dir, "build", "dangling"))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "build", "empty"), 0o755))

	got := zipContents(t, zipToBytes(t, dir, nil))
	want := map[string]string{}
	for _, name := range []string{"main.py", "keep.log", "sub/keep.log", "other/build", "sub/top.txt",
		"deep/er/cachet/e.txt", "# not a pattern", "sub/.ubiops-ignore", "requirements.txt",
		"deployment.py", "libs/helper/helper.py"} {
		want["deployment_package/"+name] = files[name]
	}
	assert.Equal(t, want, got)
}

func TestZipDirIgnoredDirectoryNotDescended(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"ok.txt": "ok"}, []string{"ok.txt"})
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".ubiops-ignore"), []byte("venv/\n"), 0o644))
	// An outside link and a dangling one would be refused if the walk went into venv.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "venv", "lib"), 0o755))
	symlinkOrSkip(t, t.TempDir(), filepath.Join(dir, "venv", "lib", "outside"))
	symlinkOrSkip(t, "missing", filepath.Join(dir, "venv", "dangling"))
	if os.Getuid() != 0 { // root reads anything
		require.NoError(t, os.Mkdir(filepath.Join(dir, "venv", "locked"), 0o000))
		t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, "venv", "locked"), 0o755) })
	}
	assert.Equal(t, []string{"deployment_package/ok.txt"}, zipNames(t, zipToBytes(t, dir, nil)))

	// Without the ignore file the same tree is refused, proving the walk would have seen them.
	require.NoError(t, os.Remove(filepath.Join(dir, ".ubiops-ignore")))
	var pe *PackageError
	require.ErrorAs(t, ZipDir(io.Discard, dir, nil), &pe)
}

func TestZipDirLayoutAndFormat(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"b.txt": "b", "a/x.txt": "ax", "a-b/y.txt": "ab", "c/d/e.txt": strings.Repeat("compress me ", 1000)}
	writeTree(t, dir, files, keys(files))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "empty", "deeper"), 0o755))

	data := zipToBytes(t, dir, nil)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		assert.Equal(t, zip.Deflate, f.Method, f.Name)
		assert.Equal(t, os.FileMode(0o644), f.Mode(), f.Name)
		assert.True(t, f.Modified.Equal(zipEpoch), "%s dated %v", f.Name, f.Modified)
		assert.Equal(t, uint16(0x21), f.ModifiedDate, "1980-01-01 in MS-DOS form")
		assert.Zero(t, f.ModifiedTime)
		assert.False(t, strings.HasSuffix(f.Name, "/"), "no directory entries")
	}
	// Byte order of the full paths: "a-b/" sorts before "a/" ('-' < '/').
	assert.Equal(t, []string{"deployment_package/a-b/y.txt", "deployment_package/a/x.txt",
		"deployment_package/b.txt", "deployment_package/c/d/e.txt"}, names)
	assert.True(t, sort.StringsAreSorted(names))
	big := zr.File[3]
	assert.Less(t, big.CompressedSize64, big.UncompressedSize64/10, "deflate actually compresses")

	// Folder "" puts files at the root (environment archives); other folders nest.
	root := DefaultZipOptions()
	root.Folder = ""
	assert.Equal(t, []string{"a-b/y.txt", "a/x.txt", "b.txt", "c/d/e.txt"}, zipNames(t, zipToBytes(t, dir, root)))
	nested := DefaultZipOptions()
	nested.Folder = "pkg/v1/"
	assert.Equal(t, "pkg/v1/a-b/y.txt", zipNames(t, zipToBytes(t, dir, nested))[0])
	for _, bad := range []string{"/abs", "../up", "a/../b", `a\b`, "./a", "a//b"} {
		o := DefaultZipOptions()
		o.Folder = bad
		var pe *PackageError
		require.ErrorAs(t, ZipDir(io.Discard, dir, o), &pe, bad)
		assert.Equal(t, strings.TrimSuffix(bad, "/"), pe.Path)
	}
}

func TestZipDirDeterministic(t *testing.T) {
	files := map[string]string{
		"deployment.py": "class Deployment: pass", "requirements.txt": "numpy==2.0",
		"lib/a.py": "a", "lib/b.py": "b", "lib/sub/c.py": strings.Repeat("c", 5000), "z.bin": "\x00\x01\x02",
	}
	order := keys(files)
	dirA, dirB := t.TempDir(), t.TempDir()
	writeTree(t, dirA, files, order)
	reversed := append([]string(nil), order...)
	sort.Sort(sort.Reverse(sort.StringSlice(reversed)))
	writeTree(t, dirB, files, reversed)

	// Different times and modes on every file of the second tree.
	for i, name := range order {
		p := filepath.Join(dirB, filepath.FromSlash(name))
		when := time.Date(2001+i, 2, 3, 4, 5, 6, 0, time.Local)
		require.NoError(t, os.Chtimes(p, when, when))
		require.NoError(t, os.Chmod(p, 0o755))
	}
	a := zipToBytes(t, dirA, nil)
	b := zipToBytes(t, dirB, nil)
	assert.Equal(t, a, b, "same names and contents give the same bytes")
	assert.Equal(t, a, zipToBytes(t, dirA, nil), "and again")

	// Through ZipDirFile too.
	out := filepath.Join(t.TempDir(), "pkg.zip")
	require.NoError(t, ZipDirFile(dirB, out, nil))
	fromFile, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, a, fromFile)
}

func TestZipDirExclude(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"keep.py": "k", "secret.env": "s", "data/big.bin": "b", "data/small.txt": "t"}
	writeTree(t, dir, files, keys(files))
	opts := DefaultZipOptions()
	opts.Exclude = []string{"secret.env", filepath.Join(dir, "data"), "/elsewhere/not/under/dir", "../nope"}
	assert.Equal(t, []string{"deployment_package/keep.py"}, zipNames(t, zipToBytes(t, dir, opts)))
}

func TestZipDirIgnoreFileOption(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.txt": "a", "b.txt": "b", "rules/pack.ignore": "b.txt\n", ".ubiops-ignore": "a.txt\n"}
	writeTree(t, dir, files, keys(files))

	opts := DefaultZipOptions()
	opts.IgnoreFile = "rules/pack.ignore"
	assert.Equal(t, []string{"deployment_package/.ubiops-ignore", "deployment_package/a.txt"}, zipNames(t, zipToBytes(t, dir, opts)),
		"the chosen ignore file is used and not packaged; .ubiops-ignore is then an ordinary file")

	opts.IgnoreFile = ""
	assert.Len(t, zipNames(t, zipToBytes(t, dir, opts)), 4, "no ignore file")

	opts.IgnoreFile = "missing.ignore"
	assert.Len(t, zipNames(t, zipToBytes(t, dir, opts)), 4, "a missing ignore file ignores nothing")
}

func TestZipDirSkipsOutputFile(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"app.py": "app"}, []string{"app.py"})

	t.Run("ZipDirFile", func(t *testing.T) {
		out := filepath.Join(dir, "deployment.zip")
		require.NoError(t, ZipDirFile(dir, out, nil))
		require.NoError(t, ZipDirFile(dir, out, nil)) // now out exists inside dir
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, []string{"deployment_package/app.py"}, zipNames(t, data))
		fi, err := os.Stat(out)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
		// Only out is left: no temporary file.
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Len(t, entries, 2)
		require.NoError(t, os.Remove(out))
	})

	t.Run("ZipDir with an *os.File", func(t *testing.T) {
		require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
		f, err := os.Create(filepath.Join(dir, "sub", "pkg.zip"))
		require.NoError(t, err)
		require.NoError(t, ZipDir(f, dir, nil))
		require.NoError(t, f.Close())
		data, err := os.ReadFile(f.Name())
		require.NoError(t, err)
		assert.Equal(t, []string{"deployment_package/app.py"}, zipNames(t, data))
		require.NoError(t, os.RemoveAll(filepath.Join(dir, "sub")))
	})

	t.Run("a symlink to the output is skipped too", func(t *testing.T) {
		f, err := os.Create(filepath.Join(dir, "out.zip"))
		require.NoError(t, err)
		defer os.Remove(f.Name())
		defer f.Close()
		symlinkOrSkip(t, "out.zip", filepath.Join(dir, "link.zip"))
		defer os.Remove(filepath.Join(dir, "link.zip"))
		require.NoError(t, ZipDir(f, dir, nil))
		require.NoError(t, f.Close())
		data, err := os.ReadFile(f.Name())
		require.NoError(t, err)
		assert.Equal(t, []string{"deployment_package/app.py"}, zipNames(t, data))
	})
}

func TestZipDirFileFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"app.py": "app"}, []string{"app.py"})
	symlinkOrSkip(t, filepath.Join(dir, "missing"), filepath.Join(dir, "dangling"))
	outDir := t.TempDir()
	out := filepath.Join(outDir, "pkg.zip")
	require.NoError(t, os.WriteFile(out, []byte("previous"), 0o600))

	var pe *PackageError
	require.ErrorAs(t, ZipDirFile(dir, out, nil), &pe)
	prev, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "previous", string(prev), "a failed run leaves the old file as it was")
	assert.Equal(t, []string{"pkg.zip"}, listTree(t, outDir), "and no temporary file")

	require.ErrorAs(t, ZipDirFile(dir, outDir, nil), &pe)
	assert.Equal(t, outDir, pe.Path)
	require.ErrorAs(t, ZipDirFile(filepath.Join(dir, "nope"), out, nil), &pe)
	assert.ErrorIs(t, pe, fs.ErrNotExist)
}

func TestZipDirSymlinks(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"real.txt": "real content", "sub/inner.txt": "inner"}
	writeTree(t, dir, files, keys(files))
	symlinkOrSkip(t, "real.txt", filepath.Join(dir, "link.txt"))
	symlinkOrSkip(t, filepath.Join(dir, "sub", "inner.txt"), filepath.Join(dir, "sub", "abs-link.txt"))
	symlinkOrSkip(t, "sub", filepath.Join(dir, "linkdir"))

	got := zipContents(t, zipToBytes(t, dir, nil))
	assert.Equal(t, map[string]string{
		"deployment_package/link.txt":         "real content",
		"deployment_package/real.txt":         "real content",
		"deployment_package/sub/abs-link.txt": "inner",
		"deployment_package/sub/inner.txt":    "inner",
	}, got, "file links inside are packaged as content; directory links are not followed")

	t.Run("outside", func(t *testing.T) {
		outside := filepath.Join(t.TempDir(), "secret.txt")
		require.NoError(t, os.WriteFile(outside, []byte("secret"), 0o644))
		link := filepath.Join(dir, "sub", "escape.txt")
		symlinkOrSkip(t, outside, link)
		defer os.Remove(link)
		var buf bytes.Buffer
		err := ZipDir(&buf, dir, nil)
		var pe *PackageError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, link, pe.Path)
		assert.Contains(t, pe.Reason, "outside")
		assert.Zero(t, buf.Len(), "refused before anything was written")
	})

	t.Run("outside via a relative link", func(t *testing.T) {
		link := filepath.Join(dir, "up")
		symlinkOrSkip(t, "..", link) // a directory, but outside: refused, not skipped
		defer os.Remove(link)
		var pe *PackageError
		require.ErrorAs(t, ZipDir(io.Discard, dir, nil), &pe)
		assert.Equal(t, link, pe.Path)
	})

	t.Run("dangling", func(t *testing.T) {
		link := filepath.Join(dir, "dangling.txt")
		symlinkOrSkip(t, "does-not-exist", link)
		defer os.Remove(link)
		var pe *PackageError
		require.ErrorAs(t, ZipDir(io.Discard, dir, nil), &pe)
		assert.Equal(t, link, pe.Path)
		assert.ErrorIs(t, pe, fs.ErrNotExist)

		// Ignoring it makes the tree acceptable.
		require.NoError(t, os.WriteFile(filepath.Join(dir, ".ubiops-ignore"), []byte("dangling.txt\n"), 0o644))
		defer os.Remove(filepath.Join(dir, ".ubiops-ignore"))
		require.NoError(t, ZipDir(io.Discard, dir, nil))
	})

	t.Run("dir itself a symlink", func(t *testing.T) {
		alias := filepath.Join(t.TempDir(), "alias")
		symlinkOrSkip(t, dir, alias)
		assert.Equal(t, got, zipContents(t, zipToBytes(t, alias, nil)))
	})
}

func TestZipDirRefusesSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("backslash is a separator on Windows")
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{`back\slash.txt`: "x"}, []string{`back\slash.txt`})
	var pe *PackageError
	require.ErrorAs(t, ZipDir(io.Discard, dir, nil), &pe)
	assert.Contains(t, pe.Reason, "backslash")

	require.ErrorAs(t, ZipDir(io.Discard, filepath.Join(dir, `back\slash.txt`), nil), &pe)
	assert.Equal(t, "not a directory", pe.Reason)
	require.ErrorAs(t, ZipDir(io.Discard, "", nil), &pe)
}

func TestUnzipRoundTrip(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{
		"deployment.py": "class Deployment: pass", "requirements.txt": "numpy",
		"lib/a.py": "a", "lib/sub/deep/c.py": strings.Repeat("c", 100000), "empty.txt": "",
	}
	writeTree(t, src, files, keys(files))
	data := zipToBytes(t, src, nil)

	dest := filepath.Join(t.TempDir(), "new", "dest")
	require.NoError(t, Unzip(bytes.NewReader(data), int64(len(data)), dest, nil))
	got := map[string]string{}
	for _, rel := range listTree(t, dest) {
		p := filepath.Join(dest, filepath.FromSlash(rel))
		fi, err := os.Stat(p)
		require.NoError(t, err)
		if fi.IsDir() {
			continue
		}
		assert.Equal(t, os.FileMode(0o644)&^umaskGuess(t), fi.Mode().Perm(), rel)
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		got[strings.TrimPrefix(rel, "deployment_package/")] = string(b)
	}
	assert.Equal(t, files, got)

	// Extracting again over the same files is refused and leaves the first extraction intact.
	var pe *PackageError
	require.ErrorAs(t, Unzip(bytes.NewReader(data), int64(len(data)), dest, nil), &pe)
	assert.Contains(t, pe.Reason, "already exists")
	b, err := os.ReadFile(filepath.Join(dest, "deployment_package", "deployment.py"))
	require.NoError(t, err)
	assert.Equal(t, files["deployment.py"], string(b))
}

// umaskGuess learns the process umask from a file it creates, so mode checks hold under any umask.
func umaskGuess(t *testing.T) os.FileMode {
	t.Helper()
	p := filepath.Join(t.TempDir(), "probe")
	require.NoError(t, os.WriteFile(p, nil, 0o777))
	fi, err := os.Stat(p)
	require.NoError(t, err)
	return 0o777 &^ fi.Mode().Perm()
}

// zipEntry describes an entry of a hand-made archive.
type zipEntry struct {
	name string
	body string
	mode os.FileMode // 0: a regular 0644 file
}

func buildZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		require.NoError(t, err)
		_, err = io.WriteString(w, e.body)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// lyingBomb is an archive whose one entry claims 10 bytes but inflates to size bytes of zeros,
// after a well-formed first entry in a nested directory (so something is written before the
// failure).
func lyingBomb(t *testing.T, size int64) []byte {
	t.Helper()
	comp := zerosDeflate(size)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("ok/nested/fine.txt")
	require.NoError(t, err)
	_, _ = io.WriteString(w, "fine")
	h := &zip.FileHeader{Name: "ok/bomb.bin", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(make([]byte, 10)), CompressedSize64: uint64(len(comp)), UncompressedSize64: 10}
	raw, err := zw.CreateRaw(h)
	require.NoError(t, err)
	_, err = raw.Write(comp)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// zerosDeflate hand-writes a deflate stream inflating to about size zero bytes: one fixed-Huffman
// block of a literal 0 followed by (length 258, distance 1) copies, 13 bits per 258 bytes. It is
// what a compressor would produce, without spending seconds compressing under -race.
func zerosDeflate(size int64) []byte {
	var out []byte
	var acc uint64
	var nbits uint
	put := func(v uint64, n uint) { // LSB first, as deflate packs bits
		acc |= v << nbits
		nbits += n
		for nbits >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			nbits -= 8
		}
	}
	putCode := func(code uint64, n uint) { // Huffman codes go most significant bit first
		var r uint64
		for i := uint(0); i < n; i++ {
			r |= (code >> i & 1) << (n - 1 - i)
		}
		put(r, n)
	}
	put(1, 1)        // BFINAL
	put(1, 2)        // BTYPE 01: fixed Huffman codes
	putCode(0x30, 8) // literal 0
	for n := int64(1); n+258 <= size; n += 258 {
		putCode(0xC5, 8) // length code 285: 258 bytes
		putCode(0, 5)    // distance code 0: distance 1
	}
	putCode(0, 7) // end of block
	put(0, 7)     // flush the last partial byte
	return out
}

func TestUnzipRefusesMaliciousArchives(t *testing.T) {
	many := make([]zipEntry, 6)
	for i := range many {
		many[i] = zipEntry{name: "f" + string(rune('a'+i)), body: "x"}
	}
	honestBig := strings.Repeat("\x00", 3<<20)
	cases := []struct {
		name   string
		data   []byte
		opts   *UnzipOptions
		entry  string // the entry the error must name
		reason string
	}{
		{"parent", buildZip(t, zipEntry{name: "good.txt", body: "g"}, zipEntry{name: "../evil", body: "evil"}), nil, "../evil", ".."},
		{"absolute", buildZip(t, zipEntry{name: "/abs/path", body: "evil"}), nil, "/abs/path", "absolute"},
		{"parent inside", buildZip(t, zipEntry{name: "a/../../b", body: "evil"}), nil, "a/../../b", ".."},
		{"backslash", buildZip(t, zipEntry{name: `..\evil`, body: "evil"}), nil, `..\evil`, "backslash"},
		{"volume", buildZip(t, zipEntry{name: "C:/evil", body: "evil"}), nil, "C:/evil", "volume"},
		{"empty component", buildZip(t, zipEntry{name: "a//b", body: "evil"}), nil, "a//b", "empty component"},
		{"symlink", buildZip(t, zipEntry{name: "link", body: "/etc/passwd", mode: os.ModeSymlink | 0o777}), nil, "link", "symbolic link"},
		{"device", buildZip(t, zipEntry{name: "dev", mode: os.ModeDevice | 0o644}), nil, "dev", "not a regular file"},
		{"duplicate", buildZip(t, zipEntry{name: "d.txt", body: "1"}, zipEntry{name: "d.txt", body: "2"}), nil, "d.txt", "duplicate"},
		{"file is a parent", buildZip(t, zipEntry{name: "a", body: "1"}, zipEntry{name: "a/b", body: "2"}), nil, "a/b", "parent"},
		{"too many files", buildZip(t, many...), &UnzipOptions{MaxFiles: 5}, "", "more than the limit of 5"},
		{"declared too big", buildZip(t, zipEntry{name: "big", body: honestBig}), &UnzipOptions{MaxFileSize: 1 << 20}, "big", "per-file limit"},
		{"declared total too big", buildZip(t, zipEntry{name: "x/one", body: honestBig}, zipEntry{name: "x/two", body: honestBig}), &UnzipOptions{MaxTotalSize: 4 << 20}, "x/two", "total limit"},
		{"lying header bomb", lyingBomb(t, 100<<20), &UnzipOptions{MaxFileSize: 1 << 20, MaxTotalSize: 2 << 20}, "ok/bomb.bin", ""},
		{"not a zip", []byte("this is not a zip archive at all"), nil, "", "not a readable zip"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, existing := range []bool{false, true} {
				parent := t.TempDir()
				dest := filepath.Join(parent, "dest")
				if existing {
					require.NoError(t, os.Mkdir(dest, 0o755))
					require.NoError(t, os.WriteFile(filepath.Join(dest, "mine.txt"), []byte("mine"), 0o600))
				}
				err := Unzip(bytes.NewReader(tc.data), int64(len(tc.data)), dest, tc.opts)
				var pe *PackageError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, tc.entry, pe.Path)
				assert.Contains(t, pe.Error(), tc.reason)
				if existing {
					assert.Equal(t, []string{"dest", "dest/mine.txt"}, listTree(t, parent), "dest and its files are kept, nothing added")
				} else {
					assert.Empty(t, listTree(t, parent), "nothing left behind, dest included")
				}
			}
		})
	}
}

func TestUnzipStopsAtLimitCountingBytes(t *testing.T) {
	// copyLimited never trusts a length: a source that keeps producing stops at the limit, and
	// exactly limit bytes reach the destination.
	var out bytes.Buffer
	buf := make([]byte, 4096)
	n, over, err := copyLimited(&out, io.LimitReader(zeroReader{}, 10<<20), 1<<20, buf)
	require.NoError(t, err)
	assert.True(t, over)
	assert.Equal(t, int64(1<<20), n)
	assert.Equal(t, 1<<20, out.Len())

	out.Reset()
	n, over, err = copyLimited(&out, strings.NewReader("exactly"), 7, buf)
	require.NoError(t, err)
	assert.False(t, over, "a source ending exactly at the limit is within it")
	assert.Equal(t, int64(7), n)

	// Through Unzip, honest headers adding up past the total are refused before anything is written.
	// (archive/zip itself fails an entry that inflates past its declared size, so within Unzip the
	// count is a second line of defence; copyLimited above is that line, tested on its own.)
	data := buildZip(t, zipEntry{name: "a", body: strings.Repeat("a", 600)}, zipEntry{name: "b", body: strings.Repeat("b", 600)})
	parent := t.TempDir()
	var pe *PackageError
	require.ErrorAs(t, Unzip(bytes.NewReader(data), int64(len(data)), filepath.Join(parent, "d"), &UnzipOptions{MaxTotalSize: 1000}), &pe)
	assert.Equal(t, "b", pe.Path)
	assert.Empty(t, listTree(t, parent))
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

func TestZerosDeflateIsValid(t *testing.T) {
	// The bomb must be a real deflate stream, or the bomb test would pass for the wrong reason.
	const size = 1 + 258*12000
	n, err := io.Copy(io.Discard, flate.NewReader(bytes.NewReader(zerosDeflate(size))))
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(zerosDeflate(259 * 3))))
	require.NoError(t, err)
	assert.Equal(t, make([]byte, 1+258*3), got)
}

func TestUnzipDoesNotFollowLinksOutOfDest(t *testing.T) {
	outside := t.TempDir()
	dest := t.TempDir()
	symlinkOrSkip(t, outside, filepath.Join(dest, "link"))
	data := buildZip(t, zipEntry{name: "link/pwned.txt", body: "pwned"})
	var pe *PackageError
	require.ErrorAs(t, Unzip(bytes.NewReader(data), int64(len(data)), dest, nil), &pe)
	assert.Equal(t, "link/pwned.txt", pe.Path)
	assert.Empty(t, listTree(t, outside), "nothing written through the link")
	assert.Equal(t, []string{"link"}, listTree(t, dest))
}

func TestUnzipModesAndDirectories(t *testing.T) {
	data := buildZip(t,
		zipEntry{name: "./"},
		zipEntry{name: "bin/", mode: os.ModeDir | 0o777},
		zipEntry{name: "bin/run.sh", body: "#!/bin/sh", mode: 0o777},
		zipEntry{name: "secret", body: "s", mode: 0o600},
	)
	dest := t.TempDir()
	require.NoError(t, Unzip(bytes.NewReader(data), int64(len(data)), dest, nil))
	um := umaskGuess(t)
	for rel, want := range map[string]os.FileMode{"bin": 0o755 &^ um, "bin/run.sh": 0o644 &^ um, "secret": 0o644 &^ um} {
		fi, err := os.Stat(filepath.Join(dest, filepath.FromSlash(rel)))
		require.NoError(t, err)
		assert.Equal(t, want, fi.Mode().Perm(), rel)
	}
}

func TestPackageErrorMessage(t *testing.T) {
	e := &PackageError{Path: "pkg/link", Reason: "symbolic link cannot be resolved", Err: fs.ErrNotExist}
	assert.Equal(t, `ubiops: package "pkg/link": symbolic link cannot be resolved: file does not exist`, e.Error())
	assert.ErrorIs(t, e, fs.ErrNotExist)
	assert.Equal(t, "ubiops: package: empty destination directory", (&PackageError{Reason: "empty destination directory"}).Error())
}

func TestZipDirStreamsWithLittleMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50 MB file")
	}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "weights.bin"))
	require.NoError(t, err)
	// 50 MB of zeros, instantly (sparse where supported). Zeros compress fast, which keeps the test
	// quick under -race; holding the content anywhere in memory would still show in the heap.
	require.NoError(t, f.Truncate(50<<20))
	require.NoError(t, f.Close())

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	w := &peakHeapWriter{}
	require.NoError(t, ZipDir(w, dir, nil))
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	zr, err := zip.NewReader(bytes.NewReader(w.out.Bytes()), int64(w.out.Len()))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	assert.Equal(t, uint64(50<<20), zr.File[0].UncompressedSize64, "the whole file went through")
	growth := int64(w.peak) - int64(before.HeapAlloc)
	t.Logf("peak heap growth %d KiB, allocated in total %d KiB", growth>>10, (after.TotalAlloc-before.TotalAlloc)>>10)
	assert.Less(t, growth, int64(16<<20), "peak heap growth")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20), "nothing proportional to the file is allocated")
}

// peakHeapWriter keeps the (small, compressed) archive and samples the heap every 64 writes.
type peakHeapWriter struct {
	out   bytes.Buffer
	calls int
	peak  uint64
}

func (p *peakHeapWriter) Write(b []byte) (int, error) {
	p.out.Write(b)
	if p.calls%64 == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p.peak = max(p.peak, ms.HeapAlloc)
	}
	p.calls++
	return len(b), nil
}
