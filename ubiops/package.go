package ubiops

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// PackageError reports a file or archive entry that ZipDir, ZipDirFile or Unzip refused or could
// not process.
type PackageError struct {
	// Path is what the failure concerns: for ZipDir and ZipDirFile a file path (the directory
	// argument joined with the file's relative path), for Unzip an entry name as stored in the
	// archive, or the destination directory. Empty when the failure concerns the archive as a whole.
	Path string
	// Reason says why, in a few words.
	Reason string
	// Err is the underlying error, if any (an *fs.PathError, zip.ErrFormat, ...).
	Err error
}

// Error describes the failure on one line.
func (e *PackageError) Error() string {
	var b strings.Builder
	b.WriteString("ubiops: package")
	if e.Path != "" {
		fmt.Fprintf(&b, " %q", e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return oneLine(b.String()) // an archive's entry names may hold any character, in Err too
}

// Unwrap returns the underlying error, so errors.Is(err, fs.ErrNotExist) and the like work.
func (e *PackageError) Unwrap() error { return e.Err }

// ZipOptions configures ZipDir and ZipDirFile. A nil *ZipOptions means DefaultZipOptions(); a
// non-nil one is taken as it is, so start from DefaultZipOptions() to change one setting:
// &ZipOptions{Exclude: ...} alone puts files at the archive's root and reads no ignore file.
type ZipOptions struct {
	// Folder is the directory the files are put under inside the archive; UbiOps expects
	// deployment packages in one top-level folder ("deployment_package" by default). "" puts the
	// files at the archive's root, as environment archives (requirements.txt, ubiops.yaml, ...)
	// are laid out. It must be a relative slash-separated path without "." or ".." components.
	Folder string
	// IgnoreFile is the gitignore-style file listing what not to package, relative to the
	// directory (or absolute); ".ubiops-ignore" by default, "" for none. A missing file means
	// nothing is ignored. The file itself is never packaged.
	IgnoreFile string
	// Exclude lists further files or directories not to package: paths relative to the directory
	// (slash- or OS-separated), or absolute paths under it. A directory excludes everything in it.
	// These are exact paths; patterns belong in the ignore file.
	Exclude []string
}

// DefaultZipOptions returns the settings used when ZipDir is given nil: files under
// "deployment_package/", ignore rules from ".ubiops-ignore", nothing else excluded.
func DefaultZipOptions() *ZipOptions {
	return &ZipOptions{Folder: "deployment_package", IgnoreFile: ".ubiops-ignore"}
}

// zipEpoch is the earliest time a zip (MS-DOS) timestamp can hold. Every entry gets it, so an
// archive depends only on the files' names and contents.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// copyBufferSize is the one read buffer a ZipDir or Unzip call uses.
const copyBufferSize = 32 << 10

// ZipDir writes a zip archive of the directory dir to w, laid out as UbiOps expects a deployment
// package (or, with Folder "", an environment archive). opts nil means DefaultZipOptions().
//
// The archive is streamed: files are read through one 32 KiB buffer into the compressor and out to
// w, so memory use does not grow with file sizes, and no temporary file is made. The directory is scanned once before anything is written, so a refused file (see below)
// leaves w untouched; only a read or write failure midway leaves a partial archive in w.
//
// What is packaged: every regular file under dir, in the archive as Folder + "/" + its
// slash-separated relative path, except
//   - files and directories matched by the ignore file, with full gitignore semantics (patterns,
//     "!" negation, trailing "/" for directories only, leading "/" to anchor at dir, "**");
//     an ignored directory is not descended into, so a file under it cannot be re-included,
//     as in git;
//   - the ignore file itself, and the paths in Exclude;
//   - the output: when w has a Stat method (an *os.File does), the file it writes to is skipped
//     wherever it sits under dir (os.SameFile); wrap w in a bufio.Writer and this is lost;
//   - empty directories (zip entries are files only, as with the official client);
//   - symbolic links to directories inside dir, which are not followed.
//
// A symbolic link to a file inside dir is packaged with that file's content. A symbolic link that
// points outside dir (after resolving every link) or cannot be resolved, any other non-regular
// file (named pipe, socket, device), and a file name with a backslash (which Windows tools would
// read as a separator) are refused with a *PackageError naming the path: list them in the ignore
// file to leave them out.
//
// The output is deterministic: entries in byte order of their names, each compressed with
// deflate, dated 1980-01-01 00:00:00 UTC (the zip epoch) with mode 0644, so the same names and
// contents always give the same bytes, whatever the files' times, modes or creation order.
//
// Differences from the official Python client's zip_dir:
//   - entries are compressed with deflate; zip_dir stores them uncompressed;
//   - the archive is deterministic (fixed time and mode, sorted entries); zip_dir records the
//     files' current times in directory-walk order;
//   - the ignore file is not packaged; zip_dir packages .ubiops-ignore along with the code;
//   - symbolic links pointing outside dir are refused; zip_dir follows file links anywhere;
//   - the output file is recognised by identity, not by path, so a relative or linked path to it
//     cannot sneak it into the archive;
//   - there is no default output name and no FileExistsError: the caller chooses w (ZipDirFile
//     replaces an existing file atomically).
func ZipDir(w io.Writer, dir string, opts *ZipOptions) error {
	var skip []os.FileInfo
	if s, ok := w.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := s.Stat(); err == nil {
			skip = append(skip, fi)
		}
	}
	return zipDir(w, dir, opts, skip)
}

// ZipDirFile writes the archive ZipDir would make of dir to the file out, atomically: it is written
// to a temporary file next to out, synced and renamed over out, so out is either the complete new
// archive or left as it was; the temporary file is removed on failure. out may sit inside dir: it
// is never packaged, and neither is the temporary file. A new out gets mode 0644; an existing one
// keeps its mode.
func ZipDirFile(dir, out string, opts *ZipOptions) (err error) {
	if out == "" {
		return &PackageError{Reason: "empty output path"}
	}
	perm := os.FileMode(0o644)
	var skip []os.FileInfo
	switch fi, statErr := os.Stat(out); {
	case statErr == nil && fi.IsDir():
		return &PackageError{Path: out, Reason: "output path is a directory"}
	case statErr == nil:
		perm = fi.Mode().Perm()
		skip = append(skip, fi)
	case !errors.Is(statErr, fs.ErrNotExist):
		return &PackageError{Path: out, Reason: "cannot inspect output path", Err: statErr}
	}

	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return &PackageError{Path: out, Reason: "cannot create temporary file", Err: err}
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	fi, err := tmp.Stat()
	if err != nil {
		return &PackageError{Path: tmp.Name(), Reason: "cannot inspect temporary file", Err: err}
	}
	if err = zipDir(tmp, dir, opts, append(skip, fi)); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return &PackageError{Path: tmp.Name(), Reason: "cannot set mode", Err: err}
	}
	if err = tmp.Sync(); err != nil {
		return &PackageError{Path: tmp.Name(), Reason: "cannot sync", Err: err}
	}
	if err = tmp.Close(); err != nil {
		return &PackageError{Path: tmp.Name(), Reason: "cannot close", Err: err}
	}
	if err = os.Rename(tmp.Name(), out); err != nil {
		return &PackageError{Path: out, Reason: "cannot rename temporary file into place", Err: err}
	}
	syncDir(filepath.Dir(out))
	return nil
}

// syncDir makes a rename durable where the platform allows it; failing that (Windows cannot open a
// directory for syncing) the rename is still atomic, only not yet on disk.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

func zipDir(w io.Writer, dir string, opts *ZipOptions, skip []os.FileInfo) error {
	if opts == nil {
		opts = DefaultZipOptions()
	}
	prefix, err := folderPrefix(opts.Folder)
	if err != nil {
		return err
	}
	p, err := newPackager(dir, opts, skip)
	if err != nil {
		return err
	}
	// First pass: refuse what must be refused before a byte reaches w.
	if err := p.walk(nil, func(string, string, string) error { return nil }); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	buf := make([]byte, copyBufferSize)
	err = p.walk(nil, func(rel, display, open string) error {
		return addFile(zw, prefix+rel, display, open, buf)
	})
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return &PackageError{Reason: "writing archive", Err: err}
	}
	return nil
}

// folderPrefix validates Folder and returns it with a trailing slash ("" for the root).
func folderPrefix(folder string) (string, error) {
	folder = strings.TrimSuffix(folder, "/")
	if folder == "" {
		return "", nil
	}
	bad := strings.ContainsAny(folder, "\\\x00") || strings.HasPrefix(folder, "/") ||
		!filepath.IsLocal(filepath.FromSlash(folder))
	for _, c := range strings.Split(folder, "/") {
		bad = bad || c == "" || c == "." || c == ".."
	}
	if bad {
		return "", &PackageError{Path: folder, Reason: "Folder must be a relative slash-separated path without . or .. components"}
	}
	return folder + "/", nil
}

// packager walks a directory applying the ignore rules, exclusions and symlink policy.
type packager struct {
	dir      string // as given, for error messages and opening files
	realRoot string // dir with every symbolic link resolved, for the inside/outside test
	ignore   gitignore.Matcher
	exclude  map[string]bool // slash-separated paths relative to dir
	skip     []os.FileInfo   // files never packaged, by identity (the output, the ignore file)
}

func newPackager(dir string, opts *ZipOptions, skip []os.FileInfo) (*packager, error) {
	if dir == "" {
		return nil, &PackageError{Reason: "empty directory path"}
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, &PackageError{Path: dir, Reason: "cannot read directory", Err: err}
	}
	if !fi.IsDir() {
		return nil, &PackageError{Path: dir, Reason: "not a directory"}
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, &PackageError{Path: dir, Reason: "cannot make path absolute", Err: err}
	}
	realRoot, err := filepath.EvalSymlinks(absDir)
	if err != nil {
		return nil, &PackageError{Path: dir, Reason: "cannot resolve directory", Err: err}
	}
	p := &packager{dir: dir, realRoot: realRoot, exclude: map[string]bool{}, skip: skip}

	if opts.IgnoreFile != "" {
		path := opts.IgnoreFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		patterns, ifi, err := readIgnoreFile(path)
		if err != nil {
			return nil, err
		}
		if ifi != nil {
			p.skip = append(p.skip, ifi)
			p.ignore = gitignore.NewMatcher(patterns)
		}
	}
	for _, ex := range opts.Exclude {
		if rel, ok := relativeTo(ex, absDir, realRoot); ok {
			p.exclude[rel] = true
		}
	}
	return p, nil
}

// relativeTo turns an Exclude entry into a slash-separated path relative to the directory; ok is
// false for a path that cannot be under it (such a path excludes nothing).
func relativeTo(path, absDir, realRoot string) (string, bool) {
	if !filepath.IsAbs(path) {
		rel := filepath.ToSlash(filepath.Clean(path))
		return rel, rel != "." && filepath.IsLocal(rel)
	}
	for _, base := range []string{absDir, realRoot} {
		if rel, err := filepath.Rel(base, filepath.Clean(path)); err == nil && rel != "." && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel), true
		}
	}
	return "", false
}

// readIgnoreFile parses a gitignore-style file the way git reads one: a line starting with "#"
// is a comment, a blank line separates nothing, every other line is a pattern. A UTF-8 byte order
// mark and CRLF line ends (files written on Windows) are tolerated. A missing file gives no
// patterns and a nil FileInfo.
func readIgnoreFile(path string) ([]gitignore.Pattern, os.FileInfo, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, &PackageError{Path: path, Reason: "cannot read ignore file", Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, &PackageError{Path: path, Reason: "cannot read ignore file", Err: err}
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, &PackageError{Path: path, Reason: "ignore file is not a regular file"}
	}
	var patterns []gitignore.Pattern
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4096), 1<<20)
	for first := true; sc.Scan(); first = false {
		line := sc.Text()
		if first {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		patterns = append(patterns, gitignore.ParsePattern(line, nil))
	}
	if err := sc.Err(); err != nil {
		return nil, nil, &PackageError{Path: path, Reason: "cannot read ignore file", Err: err}
	}
	return patterns, fi, nil
}

// walkFunc receives a file to package: its slash-separated path relative to the directory, the
// path to name in errors, and the path to open (the link target for a symbolic link).
type walkFunc func(rel, display, open string) error

// walk visits the files under the directory components rel in byte order of their full
// slash-separated paths. Siblings are sorted by name, with "/" appended to directories: a
// directory's files then come exactly where their full paths sort ("a-b" before "a/x" because
// '-' < '/'), so the order is global without collecting every path first.
func (p *packager) walk(rel []string, fn walkFunc) error {
	dirPath := filepath.Join(append([]string{p.dir}, rel...)...)
	entries, err := os.ReadDir(dirPath)
	if err != nil {
		return &PackageError{Path: dirPath, Reason: "cannot read directory", Err: err}
	}
	key := func(e fs.DirEntry) string {
		if e.IsDir() {
			return e.Name() + "/"
		}
		return e.Name()
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })

	for _, e := range entries {
		comps := append(append(make([]string, 0, len(rel)+1), rel...), e.Name())
		relSlash := strings.Join(comps, "/")
		path := filepath.Join(dirPath, e.Name())
		if p.exclude[relSlash] {
			continue
		}
		if p.ignore != nil && p.ignore.Match(comps, e.IsDir()) {
			continue
		}
		if e.IsDir() {
			if err := p.walk(comps, fn); err != nil {
				return err
			}
			continue
		}
		if strings.ContainsRune(e.Name(), '\\') {
			return &PackageError{Path: path, Reason: "file name contains a backslash, which Windows tools read as a path separator"}
		}
		open := path
		var fi os.FileInfo
		switch typ := e.Type(); {
		case typ&fs.ModeSymlink != 0:
			target, err := filepath.EvalSymlinks(path)
			if err != nil {
				return &PackageError{Path: path, Reason: "symbolic link cannot be resolved", Err: err}
			}
			if r, err := filepath.Rel(p.realRoot, target); err != nil || (r != "." && !filepath.IsLocal(r)) {
				return &PackageError{Path: path, Reason: "symbolic link points outside the directory, to " + target}
			}
			if fi, err = os.Stat(target); err != nil {
				return &PackageError{Path: path, Reason: "symbolic link cannot be resolved", Err: err}
			}
			if fi.IsDir() {
				continue // not followed, like the official client
			}
			open = target
		case typ.IsRegular():
			if fi, err = e.Info(); err != nil {
				return &PackageError{Path: path, Reason: "cannot inspect file", Err: err}
			}
		}
		if fi == nil || !fi.Mode().IsRegular() {
			return &PackageError{Path: path, Reason: "not a regular file (a named pipe, socket or device cannot be packaged)"}
		}
		if p.skipped(fi) {
			continue
		}
		if err := fn(relSlash, path, open); err != nil {
			return err
		}
	}
	return nil
}

func (p *packager) skipped(fi os.FileInfo) bool {
	for _, s := range p.skip {
		if os.SameFile(s, fi) {
			return true
		}
	}
	return false
}

// addFile compresses one file into the archive under name.
func addFile(zw *zip.Writer, name, display, open string, buf []byte) error {
	f, err := os.Open(open)
	if err != nil {
		return &PackageError{Path: display, Reason: "cannot open file", Err: err}
	}
	defer f.Close()
	hdr := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipEpoch}
	hdr.SetMode(0o644)
	ew, err := zw.CreateHeader(hdr)
	if err != nil {
		return &PackageError{Path: display, Reason: "writing archive", Err: err}
	}
	src := &trackingReader{r: f}
	if _, err := io.CopyBuffer(ew, src, buf); err != nil {
		if src.err != nil {
			return &PackageError{Path: display, Reason: "reading file", Err: err}
		}
		return &PackageError{Path: display, Reason: "writing archive", Err: err}
	}
	return nil
}

// trackingReader remembers its source's error, to tell read failures from write failures. Being a
// plain Reader, it also keeps io.CopyBuffer on the given buffer (an *os.File would bring its own).
type trackingReader struct {
	r   io.Reader
	err error
}

func (t *trackingReader) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

// UnzipOptions bounds what Unzip may write. Zero (or negative) fields mean the default.
type UnzipOptions struct {
	// MaxFiles is the most entries (files and directories) an archive may have; default 10000.
	MaxFiles int
	// MaxFileSize is the most bytes one file may decompress to; default 1 GiB.
	MaxFileSize int64
	// MaxTotalSize is the most bytes all files together may decompress to; default 4 GiB.
	MaxTotalSize int64
}

const (
	defaultUnzipMaxFiles     = 10000
	defaultUnzipMaxFileSize  = 1 << 30
	defaultUnzipMaxTotalSize = 4 << 30
)

// Unzip extracts the zip archive in r (size bytes long) into the directory dest, which is created
// if missing. opts nil means the default limits. It is meant for archives from elsewhere, such as
// downloaded deployment packages, and trusts nothing in them:
//   - every entry must stay inside dest: absolute names, volume names ("C:"), ".." or empty
//     components, backslashes and NUL bytes are refused, and all files are created through an
//     os.Root, so a symbolic link already in dest cannot lead outside either;
//   - only regular files and directories are extracted: symbolic link entries and other special
//     modes are refused; files are created with mode 0644 and directories 0755, whatever the
//     archive says; existing files are never overwritten (extract into a new or empty directory);
//   - the number of entries and the decompressed size of each file and of all files are limited;
//     sizes are counted as bytes are written, never taken from the headers, so an archive whose
//     headers lie stops at the limit.
//
// Names, modes, duplicates and declared sizes are checked before anything is written. If
// extraction fails after that, everything this call created is removed again (dest too, if this
// call created it), so an error leaves the file system as it was. Errors are *PackageError naming
// the entry.
func Unzip(r io.ReaderAt, size int64, dest string, opts *UnzipOptions) (err error) {
	lim := UnzipOptions{MaxFiles: defaultUnzipMaxFiles, MaxFileSize: defaultUnzipMaxFileSize, MaxTotalSize: defaultUnzipMaxTotalSize}
	if opts != nil {
		if opts.MaxFiles > 0 {
			lim.MaxFiles = opts.MaxFiles
		}
		if opts.MaxFileSize > 0 {
			lim.MaxFileSize = opts.MaxFileSize
		}
		if opts.MaxTotalSize > 0 {
			lim.MaxTotalSize = opts.MaxTotalSize
		}
	}
	if dest == "" {
		return &PackageError{Reason: "empty destination directory"}
	}
	if r == nil {
		return &PackageError{Reason: "nil archive reader"}
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are refused below, by name
		return &PackageError{Reason: "not a readable zip archive", Err: err}
	}
	if len(zr.File) > lim.MaxFiles {
		return &PackageError{Reason: fmt.Sprintf("archive has %d entries, more than the limit of %d", len(zr.File), lim.MaxFiles)}
	}
	plan, err := planExtraction(zr.File, lim)
	if err != nil {
		return err
	}

	madeDirs, err := makeDest(dest)
	if err != nil {
		return err
	}
	x := &extractor{dirs: map[string]bool{".": true}, lim: lim, buf: make([]byte, copyBufferSize)}
	defer func() {
		if err != nil {
			x.cleanup()
		}
		if x.root != nil {
			_ = x.root.Close() // before removing dest: Windows cannot remove an open directory
		}
		if err != nil {
			for _, d := range madeDirs { // deepest first
				_ = os.Remove(d)
			}
		}
	}()
	if x.root, err = os.OpenRoot(dest); err != nil {
		x.root = nil
		return &PackageError{Path: dest, Reason: "cannot open destination directory", Err: err}
	}
	for _, e := range plan {
		if err := x.extract(e); err != nil {
			return err
		}
	}
	return nil
}

// plannedEntry is an archive entry that passed the checks: path is its OS-separated path relative
// to the destination.
type plannedEntry struct {
	f     *zip.File
	path  string
	isDir bool
}

// planExtraction checks every entry's name, mode and declared size, and that no two entries
// collide, before anything is written.
func planExtraction(files []*zip.File, lim UnzipOptions) ([]plannedEntry, error) {
	plan := make([]plannedEntry, 0, len(files))
	kinds := make(map[string]bool, len(files)) // cleaned slash path -> is a directory
	var declared uint64
	for _, f := range files {
		clean, isDir, err := entryPath(f)
		if err != nil {
			return nil, err
		}
		if clean == "." {
			continue // a "./" entry names dest itself
		}
		if !isDir {
			if f.UncompressedSize64 > uint64(lim.MaxFileSize) {
				return nil, &PackageError{Path: f.Name, Reason: fmt.Sprintf("declared size %d bytes is over the per-file limit of %d", f.UncompressedSize64, lim.MaxFileSize)}
			}
			declared += f.UncompressedSize64
			if declared > uint64(lim.MaxTotalSize) {
				return nil, &PackageError{Path: f.Name, Reason: fmt.Sprintf("declared sizes add up to more than the total limit of %d bytes", lim.MaxTotalSize)}
			}
		}
		if wasDir, seen := kinds[clean]; seen && !(wasDir && isDir) {
			return nil, &PackageError{Path: f.Name, Reason: "duplicate entry"}
		}
		kinds[clean] = isDir
		plan = append(plan, plannedEntry{f: f, path: filepath.FromSlash(clean), isDir: isDir})
	}
	// A file cannot also be the parent of another entry ("a" and "a/b").
	for _, e := range plan {
		p := filepath.ToSlash(e.path)
		for i := strings.IndexByte(p, '/'); i >= 0; i = nextSlash(p, i) {
			if isDir, ok := kinds[p[:i]]; ok && !isDir {
				return nil, &PackageError{Path: e.f.Name, Reason: "a parent directory is also a file entry, " + p[:i]}
			}
		}
	}
	return plan, nil
}

func nextSlash(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '/')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// entryPath validates an entry's name and mode and returns its cleaned slash-separated path.
func entryPath(f *zip.File) (clean string, isDir bool, err error) {
	name := f.Name
	refuse := func(reason string) (string, bool, error) {
		return "", false, &PackageError{Path: name, Reason: reason}
	}
	mode := f.Mode()
	isDir = mode.IsDir() || strings.HasSuffix(name, "/")
	switch {
	case mode&fs.ModeSymlink != 0:
		return refuse("symbolic link entries are not extracted")
	case mode.Type() != 0 && !mode.IsDir():
		return refuse(fmt.Sprintf("not a regular file or directory (mode %v)", mode))
	case name == "":
		return refuse("empty name")
	case strings.ContainsRune(name, 0):
		return refuse("name contains a NUL byte")
	case strings.ContainsRune(name, '\\'):
		return refuse("name contains a backslash")
	case strings.HasPrefix(name, "/"):
		return refuse("absolute path")
	case len(name) >= 2 && name[1] == ':', filepath.VolumeName(filepath.FromSlash(name)) != "":
		return refuse("path has a volume name")
	}
	trimmed := strings.TrimSuffix(name, "/")
	for _, c := range strings.Split(trimmed, "/") {
		switch c {
		case "..":
			return refuse("path has a .. component")
		case "":
			return refuse("path has an empty component")
		}
	}
	clean = filepath.ToSlash(filepath.Clean(filepath.FromSlash(trimmed)))
	if clean == "." {
		if !isDir {
			return refuse("file entry names the destination itself")
		}
		return clean, true, nil
	}
	if !filepath.IsLocal(filepath.FromSlash(clean)) {
		return refuse("not a local path")
	}
	return clean, isDir, nil
}

// makeDest creates dest if needed and returns the directories it created, deepest first.
func makeDest(dest string) ([]string, error) {
	var missing []string
	for p := filepath.Clean(dest); ; {
		_, err := os.Lstat(p)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, &PackageError{Path: dest, Reason: "cannot inspect destination", Err: err}
		}
		missing = append(missing, p)
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		for _, d := range missing {
			_ = os.Remove(d)
		}
		return nil, &PackageError{Path: dest, Reason: "cannot create destination", Err: err}
	}
	return missing, nil
}

// extractor writes entries under an os.Root and remembers what it created, to undo it on failure.
type extractor struct {
	root    *os.Root
	dirs    map[string]bool // directories known to exist (created or verified)
	created []string        // files and directories this call made, in order
	lim     UnzipOptions
	total   int64
	buf     []byte
}

func (x *extractor) extract(e plannedEntry) error {
	if e.isDir {
		return x.mkdirs(e.f.Name, e.path)
	}
	if err := x.mkdirs(e.f.Name, filepath.Dir(e.path)); err != nil {
		return err
	}
	rc, err := e.f.Open()
	if err != nil {
		return &PackageError{Path: e.f.Name, Reason: "cannot read entry", Err: err}
	}
	defer rc.Close()
	out, err := x.root.OpenFile(e.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &PackageError{Path: e.f.Name, Reason: "already exists in the destination (Unzip does not overwrite)", Err: err}
		}
		return &PackageError{Path: e.f.Name, Reason: "cannot create file", Err: err}
	}
	x.created = append(x.created, e.path)

	limit, which := x.lim.MaxFileSize, "per-file"
	if left := x.lim.MaxTotalSize - x.total; left < limit {
		limit, which = left, "total"
	}
	n, over, err := copyLimited(out, rc, limit, x.buf)
	x.total += n
	if cerr := out.Close(); err == nil && cerr != nil {
		return &PackageError{Path: e.f.Name, Reason: "cannot write file", Err: cerr}
	}
	if err != nil {
		return &PackageError{Path: e.f.Name, Reason: "extracting entry", Err: err}
	}
	if over {
		return &PackageError{Path: e.f.Name, Reason: fmt.Sprintf("decompresses past the %s size limit (%d bytes written)", which, n)}
	}
	return nil
}

// mkdirs creates dir and its missing parents, one component at a time, recording each it makes.
func (x *extractor) mkdirs(entry, dir string) error {
	if x.dirs[dir] {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := x.mkdirs(entry, parent); err != nil {
			return err
		}
	}
	err := x.root.Mkdir(dir, 0o755)
	switch {
	case err == nil:
		x.created = append(x.created, dir)
	case errors.Is(err, fs.ErrExist):
		fi, serr := x.root.Stat(dir)
		if serr != nil || !fi.IsDir() {
			return &PackageError{Path: entry, Reason: "something that is not a directory is in the way: " + filepath.ToSlash(dir), Err: serr}
		}
	default:
		return &PackageError{Path: entry, Reason: "cannot create directory " + filepath.ToSlash(dir), Err: err}
	}
	x.dirs[dir] = true
	return nil
}

// cleanup removes what this call created, newest first, so directories are empty when their turn
// comes. Errors are ignored: the extraction error is what the caller needs to see.
func (x *extractor) cleanup() {
	if x.root == nil {
		return
	}
	for i := len(x.created) - 1; i >= 0; i-- {
		_ = x.root.Remove(x.created[i])
	}
}

// copyLimited copies at most limit bytes from r to w and reports whether r had more: the count is
// of bytes actually produced, whatever the archive's headers claim, and no more than limit bytes
// ever reach w.
func copyLimited(w io.Writer, r io.Reader, limit int64, buf []byte) (n int64, over bool, err error) {
	// The anonymous structs hide ReadFrom/WriteTo so the copy uses buf and nothing else.
	n, err = io.CopyBuffer(struct{ io.Writer }{w}, struct{ io.Reader }{io.LimitReader(r, limit)}, buf)
	if err != nil || n < limit {
		return n, false, err
	}
	var one [1]byte
	m, err := io.ReadFull(r, one[:])
	switch {
	case m > 0:
		return n, true, nil
	case err == io.EOF:
		return n, false, nil
	default:
		return n, false, err
	}
}
