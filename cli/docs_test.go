package cli

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// docFlagRow matches a row of a flag table in docs/cli.md: | `--name ...
var docFlagRow = regexp.MustCompile("(?m)^\\| `--([a-z-]+)")

// TestCLIDocsListEveryFlag checks docs/cli.md against the commands that
// take flags: each one's section lists every flag the command defines
// (help aside), and no flag it does not.
func TestCLIDocsListEveryFlag(t *testing.T) {
	doc := string(readFile(t, "../docs/cli.md"))
	root := rootCommand(io.Discard, io.Discard)
	for _, name := range []string{"run", "gen", "metrics", "indicators", "resample", "montecarlo"} {
		cmd, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		var defined []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" {
				defined = append(defined, f.Name)
			}
		})
		_, section, ok := strings.Cut(doc, "\n## `quantloop "+name)
		if !ok {
			t.Errorf("docs/cli.md has no section for %s", name)
			continue
		}
		section, _, _ = strings.Cut(section, "\n## ")
		var documented []string
		for _, m := range docFlagRow.FindAllStringSubmatch(section, -1) {
			documented = append(documented, m[1])
		}
		slices.Sort(defined)
		slices.Sort(documented)
		for _, f := range defined {
			if _, found := slices.BinarySearch(documented, f); !found {
				t.Errorf("quantloop %s --%s is not in docs/cli.md", name, f)
			}
		}
		for _, f := range documented {
			if _, found := slices.BinarySearch(defined, f); !found {
				t.Errorf("docs/cli.md lists quantloop %s --%s, which the command does not define", name, f)
			}
		}
	}
}

// TestCommandListsComplete checks the two lists of commands, the block at
// the top of docs/cli.md and the Usage of this package's doc comment,
// against the command tree: each names every command, and each command
// has a section of docs/cli.md.
func TestCommandListsComplete(t *testing.T) {
	doc := string(readFile(t, "../docs/cli.md"))
	_, overview, _ := strings.Cut(doc, "```\n")
	overview, _, _ = strings.Cut(overview, "```")
	pkg := string(readFile(t, "main.go"))
	pkg, _, _ = strings.Cut(pkg, "\npackage cli")
	for _, cmd := range rootCommand(io.Discard, io.Discard).Commands() {
		name := cmd.Name()
		if name == "help" {
			continue
		}
		if !strings.Contains(overview, "quantloop "+name+" ") {
			t.Errorf("the list at the top of docs/cli.md does not name quantloop %s", name)
		}
		if !strings.Contains(pkg, "//\tquantloop "+name+" ") && !strings.Contains(pkg, "//\tquantloop "+name+"\n") {
			t.Errorf("the package doc's Usage does not name quantloop %s", name)
		}
		if name != "completion" && !regexp.MustCompile("(?m)^## .*`quantloop "+name+"[ `]").MatchString(doc) {
			t.Errorf("docs/cli.md has no section for quantloop %s", name)
		}
	}
}
