package docs_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's root, seen from this package's directory.
const root = ".."

// maxReadmeLines is the README's length limit, from issue 12: the README
// is a map a newcomer reads in five minutes (what quantloop is, the two
// set-up commands, a CLI run with its output, a library example, the
// architecture, the documentation's index), and reference material, the
// longer examples included, goes to docs/.
const maxReadmeLines = 300

// A link is one link target found in a Markdown file.
type link struct {
	file   string // the Markdown file, relative to root
	line   int
	target string
}

var (
	// inlineLink matches [text](target) and ![alt](target), with an
	// optional title after the target.
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)`)
	// refDef matches a reference definition: [label]: target.
	refDef = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+.*)?$`)
	// scheme matches a URL scheme at the start of a target.
	scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	// bareURL matches an address written out in the text, which renderers
	// turn into a link.
	bareURL = regexp.MustCompile(`(?i)\b(https?|ftp)://|\bwww\.[a-z0-9-]+\.[a-z]`)
	// codeSpan matches an inline code span.
	codeSpan = regexp.MustCompile("`+[^`]*`+")
	// heading matches an ATX heading and captures its text.
	heading = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
	// linkInHeading matches a link in a heading's text, capturing the text.
	linkInHeading = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// markdownFiles returns README.md and every .md file under root, relative
// to root, skipping hidden directories.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// scan reads a Markdown file and returns its links, its addresses written
// out in the text, and the anchors of its headings. Fenced code blocks and
// code spans hold neither links nor headings.
func scan(name string, text []byte) (links []link, urls []link, anchors map[string]bool) {
	anchors = map[string]bool{}
	fence := ""
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = trimmed[:3]
			continue
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			addAnchor(anchors, slug(m[1]))
		}
		prose := codeSpan.ReplaceAllString(line, "")
		for _, m := range inlineLink.FindAllStringSubmatch(prose, -1) {
			links = append(links, link{name, n, m[1]})
		}
		if m := refDef.FindStringSubmatch(prose); m != nil {
			links = append(links, link{name, n, m[1]})
		}
		if u := bareURL.FindString(prose); u != "" {
			urls = append(urls, link{name, n, u})
		}
	}
	return links, urls, anchors
}

// addAnchor adds a heading's anchor the way GitHub numbers repeated
// headings: the second "usage" is "usage-1".
func addAnchor(anchors map[string]bool, s string) {
	a := s
	for i := 1; anchors[a]; i++ {
		a = fmt.Sprintf("%s-%d", s, i)
	}
	anchors[a] = true
}

// slug returns GitHub's anchor for a heading's text: links reduced to
// their text, lower case, characters other than letters, digits, spaces,
// hyphens and underscores dropped, spaces turned into hyphens.
func slug(text string) string {
	text = linkInHeading.ReplaceAllString(text, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestSlug(t *testing.T) {
	for _, c := range []struct{ heading, want string }{
		{"Quick start", "quick-start"},
		{"`quantloop metrics FILE`", "quantloop-metrics-file"},
		{"Timing (no look-ahead)", "timing-no-look-ahead"},
		{"Against the benchmark (`analysis.benchmark`)", "against-the-benchmark-analysisbenchmark"},
		{"The manifest and `verify`", "the-manifest-and-verify"},
		{"See [cli.md](cli.md) first", "see-climd-first"},
		{"Trades (round trips)", "trades-round-trips"},
	} {
		if got := slug(c.heading); got != c.want {
			t.Errorf("slug(%q) = %q, want %q", c.heading, got, c.want)
		}
	}
}

func TestScan(t *testing.T) {
	text := "# Title\n" +
		"See [a](a.md#x), ![img](p.png \"title\") and `[not](code.md)`.\n" +
		"```\n[not](fenced.md)\n## Not a heading\n```\n" +
		"## Title\n" +
		"[ref]: https://example.org/x\n" +
		"Plain www.example.org text.\n"
	links, urls, anchors := scan("f.md", []byte(text))
	var got []string
	for _, l := range links {
		got = append(got, fmt.Sprintf("%d:%s", l.line, l.target))
	}
	if want := "2:a.md#x 2:p.png 8:https://example.org/x"; strings.Join(got, " ") != want {
		t.Errorf("links = %q, want %q", strings.Join(got, " "), want)
	}
	if len(urls) != 2 || urls[0].line != 8 || urls[1].line != 9 {
		t.Errorf("bare addresses = %v, want lines 8 and 9", urls)
	}
	if !anchors["title"] || !anchors["title-1"] || anchors["not-a-heading"] || len(anchors) != 2 {
		t.Errorf("anchors = %v, want title and title-1", anchors)
	}
}

// TestLinks checks every link in the repository's Markdown files: it
// must point at a file of the repository (and, for a Markdown file with
// an anchor, at one of its headings), never at another site.
func TestLinks(t *testing.T) {
	files := markdownFiles(t)
	if len(files) < 2 {
		t.Fatalf("found only %v: is the test running in docs/?", files)
	}
	texts := map[string][]byte{}
	anchors := map[string]map[string]bool{}
	var links []link
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		l, urls, a := scan(f, b)
		for _, u := range urls {
			t.Errorf("%s:%d: %q points outside the repository", u.file, u.line, u.target)
		}
		texts[f], anchors[f], links = b, a, append(links, l...)
	}
	for _, l := range links {
		if err := checkLink(l, anchors); err != nil {
			t.Errorf("%s:%d: link %q: %v", l.file, l.line, l.target, err)
		}
	}
	if n := bytes.Count(texts["README.md"], []byte("\n")); n > maxReadmeLines {
		t.Errorf("README.md has %d lines, more than %d: move reference material to docs/", n, maxReadmeLines)
	}
}

// checkLink says why l does not point at an existing file and heading
// of the repository, or returns nil.
func checkLink(l link, anchors map[string]map[string]bool) error {
	if l.target == "" {
		return fmt.Errorf("empty target")
	}
	if scheme.MatchString(l.target) || strings.HasPrefix(l.target, "//") {
		return fmt.Errorf("points outside the repository")
	}
	path, anchor, _ := strings.Cut(l.target, "#")
	target := l.file
	if path != "" {
		if strings.HasPrefix(path, "/") {
			return fmt.Errorf("absolute path; use a path relative to %s", l.file)
		}
		target = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(l.file), path)))
		if target == ".." || strings.HasPrefix(target, "../") {
			return fmt.Errorf("points outside the repository")
		}
		if _, err := os.Stat(filepath.Join(root, target)); err != nil {
			return fmt.Errorf("no file %s", target)
		}
	}
	if anchor == "" || !strings.HasSuffix(target, ".md") {
		return nil
	}
	if !anchors[target][anchor] {
		return fmt.Errorf("no heading with anchor #%s in %s", anchor, target)
	}
	return nil
}
