package manifest

import (
	"fmt"
	"runtime/debug"
	"testing"
)

func TestBuild(t *testing.T) {
	info := &debug.BuildInfo{
		Main: debug.Module{Path: "example.com/mine", Version: "v1.2.0"},
		Deps: []*debug.Module{{Path: "github.com/quantloop/quantloop", Version: "v0.3.0"}},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "false"},
		},
	}
	b := buildOf(info)
	want := Build{Module: "example.com/mine", Version: "v1.2.0", Quantloop: "v0.3.0", Revision: "abc123", Time: "2026-12-01T10:00:00Z"}
	if b != want {
		t.Fatalf("buildOf = %+v, want %+v", b, want)
	}
	other := b
	other.Revision, other.Modified = "def456", true
	for _, c := range []struct {
		saved *Build
		now   Build
		want  string
	}{
		{&b, b, ""},
		{nil, b, "the saved run does not record the binary that made it"},
		{&b, Build{Module: "github.com/quantloop/quantloop", Version: "(devel)"},
			"the saved run was made by example.com/mine revision abc123 (quantloop v0.3.0), this is github.com/quantloop/quantloop (devel)"},
		{&b, other, "the saved run was made by another build of example.com/mine (revision abc123), this is revision def456 with uncommitted changes"},
	} {
		if got := c.saved.Differs(c.now); got != c.want {
			t.Errorf("Differs = %q, want %q", got, c.want)
		}
	}
}

// Differs says how a saved run's build differs from the running binary's.
func ExampleBuild_Differs() {
	saved := Build{Module: "example.com/mine", Version: "(devel)", Revision: "abc123"}
	now := saved
	fmt.Printf("%q\n", saved.Differs(now))
	now.Revision = "def456"
	fmt.Println(saved.Differs(now))
	// Output:
	// ""
	// the saved run was made by another build of example.com/mine (revision abc123), this is revision def456
}
