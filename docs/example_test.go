package docs_test

import (
	"os"
	"strings"
	"testing"
)

// Example_readme runs the README's library example from the repository's
// root, as the README says to.
func Example_readme() {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	if err := os.Chdir(root); err != nil {
		panic(err)
	}
	defer os.Chdir(wd)
	main()
	// Output: 5 trades; final equity 109738.3
}

// TestReadmeExample checks that the README's library example is the
// program that Example_readme runs, and that the README states its output.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(root + "/README.md")
	if err != nil {
		t.Fatal(err)
	}
	program, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n```go\npackage main\n\n")
	if !ok {
		t.Fatal("README.md has no ```go block starting with package main")
	}
	block, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("README.md's go block does not end")
	}
	_, code, ok := strings.Cut(string(program), "\nimport (")
	if !ok {
		t.Fatal("readme_test.go has no import block")
	}
	if code = "import (" + code; block != code {
		t.Errorf("README.md's library example differs from readme_test.go from \"import (\" on:\nREADME:\n%s\nreadme_test.go:\n%s", block, code)
	}
	if want := "It prints `5 trades; final equity 109738.3`."; !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not say %q, the output of Example_readme", want)
	}
}
