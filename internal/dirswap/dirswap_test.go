package dirswap

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tree returns the files under dir as "path=content" and folders as
// "path/", sorted; links as "path->dest".
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			dest, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out = append(out, rel+"->"+dest)
		case d.IsDir():
			out = append(out, rel+"/")
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out = append(out, rel+"="+string(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// write makes the files of spec ("path=content", "path/" for a folder)
// under dir.
func write(t *testing.T, dir string, spec ...string) {
	t.Helper()
	for _, s := range spec {
		if p, ok := strings.CutSuffix(s, "/"); ok {
			if err := os.MkdirAll(filepath.Join(dir, p), 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		p, content, _ := strings.Cut(s, "=")
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// leftOvers returns the names in parent that belong to a stage.
func leftOvers(t *testing.T, parent string) []string {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestCommit(t *testing.T) {
	tests := []struct {
		name   string
		before []string // the target's content; nil: no target
		stage  []string
		carry  []string // top-level names to carry over
		want   []string
	}{
		{"new target", nil, []string{"a=new"}, nil, []string{"a=new"}},
		{"empty target", []string{}, []string{"a=new"}, nil, []string{"a=new"}},
		{"replaced, nothing carried", []string{"a=old", "b=old", "sub/c=old"}, []string{"a=new"}, nil, []string{"a=new"}},
		{"user files carried", []string{"a=old", "notes=mine", "mc/", "mc/x=1", "mc/deep/y=2"}, []string{"a=new"},
			[]string{"notes", "mc"}, []string{"a=new", "mc/", "mc/deep/", "mc/deep/y=2", "mc/x=1", "notes=mine"}},
		{"the stage's own file wins", []string{"a=old"}, []string{"a=new"}, []string{"a"}, []string{"a=new"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			if tc.before != nil {
				if err := os.Mkdir(target, 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, target, tc.before...)
			}
			s, err := New(target)
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Dir(s.Dir()) != parent {
				t.Errorf("stage %s is not beside %s", s.Dir(), target)
			}
			write(t, s.Dir(), tc.stage...)
			if err := s.Commit(func(n string) bool { return slices.Contains(tc.carry, n) }, ""); err != nil {
				t.Fatal(err)
			}
			if got := tree(t, target); !slices.Equal(got, tc.want) {
				t.Errorf("target holds %v, want %v", got, tc.want)
			}
			if l := leftOvers(t, parent); len(l) > 0 {
				t.Errorf("left beside the target: %v", l)
			}
			if err := s.Remove(); err != nil {
				t.Errorf("Remove after Commit: %v", err)
			}
			if got := tree(t, target); !slices.Equal(got, tc.want) {
				t.Errorf("Remove after Commit changed the target: %v", got)
			}
			if err := s.Commit(nil, ""); err == nil {
				t.Error("a second Commit: no error")
			}
		})
	}
}

// A carried-over file is the same file (a hard link), a link stays a
// link, and the folder keeps its permissions.
func TestCommitKeepsLinksAndMode(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	write(t, target, "big=data", "run=old")
	if err := os.Symlink("big", filepath.Join(target, "alias")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o750); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(filepath.Join(target, "big"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(target)
	if err != nil {
		t.Fatal(err)
	}
	write(t, s.Dir(), "run=new")
	if err := s.Commit(func(n string) bool { return n != "run" }, ""); err != nil {
		t.Fatal(err)
	}
	if got, want := tree(t, target), []string{"alias->big", "big=data", "run=new"}; !slices.Equal(got, want) {
		t.Errorf("target holds %v, want %v", got, want)
	}
	after, err := os.Stat(filepath.Join(target, "big"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("the carried-over file is a copy, not a link")
	}
	if info, err := os.Stat(target); err != nil || info.Mode().Perm() != 0o750 {
		t.Errorf("target mode %v, %v; want 0750", info.Mode().Perm(), err)
	}
}

// The fallback swap (rename aside, rename in) gives the same result.
func TestSwapAside(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	write(t, target, "a=old", "b=old")
	s, err := New(target)
	if err != nil {
		t.Fatal(err)
	}
	write(t, s.Dir(), "a=new")
	s.mu.Lock()
	err = s.swapAside(nil, "")
	s.done = true
	s.unlock()
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tree(t, target), []string{"a=new"}; !slices.Equal(got, want) {
		t.Errorf("target holds %v, want %v", got, want)
	}
	if l := leftOvers(t, parent); len(l) > 0 {
		t.Errorf("left beside the target: %v", l)
	}
}

func TestRemove(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	write(t, target, "a=old")
	s, err := New(target)
	if err != nil {
		t.Fatal(err)
	}
	write(t, s.Dir(), "a=new", "sub/b=new")
	if err := s.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(); err != nil {
		t.Errorf("second Remove: %v", err)
	}
	if got, want := tree(t, target), []string{"a=old"}; !slices.Equal(got, want) {
		t.Errorf("target holds %v, want %v", got, want)
	}
	if l := leftOvers(t, parent); len(l) > 0 {
		t.Errorf("left beside the target: %v", l)
	}
	if err := s.Commit(nil, ""); err == nil {
		t.Error("Commit after Remove: no error")
	}
}

// Recover cleans up what a killed process left at each step of a swap,
// and leaves a live stage alone.
func TestRecover(t *testing.T) {
	tests := []struct {
		name   string
		target []string // nil: no target
		tmp    []string // the dead stage's folder; nil: none
		old    []string // its aside folder; nil: none
		lock   bool     // its lock file is left (unlocked)
		want   []string // the target after Recover; nil: none
	}{
		{"killed while writing", []string{"a=prev"}, []string{"a=half"}, nil, true, []string{"a=prev"}},
		{"killed while writing a first run", nil, []string{"a=half"}, nil, true, nil},
		{"killed before the lock file was made", []string{"a=prev"}, []string{}, nil, false, []string{"a=prev"}},
		{"killed after the exchange", []string{"a=new"}, []string{"a=prev"}, nil, true, []string{"a=new"}},
		{"killed between the renames", nil, []string{"a=new"}, []string{"a=prev"}, true, []string{"a=prev"}},
		{"killed after the renames", []string{"a=new"}, nil, []string{"a=prev"}, true, []string{"a=new"}},
		{"killed after removing the aside", []string{"a=new"}, nil, nil, true, []string{"a=new"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			const suffix = "123"
			for _, d := range []struct {
				path string
				spec []string
			}{{target, tc.target}, {name(parent, target, tmpInfix, suffix), tc.tmp}, {name(parent, target, oldInfix, suffix), tc.old}} {
				if d.spec != nil {
					if err := os.Mkdir(d.path, 0o755); err != nil {
						t.Fatal(err)
					}
					write(t, d.path, d.spec...)
				}
			}
			if tc.lock {
				write(t, parent, ".out.lock-"+suffix+"=")
			}
			// A live stage of another target and one of this target.
			other, err := New(filepath.Join(parent, "other"))
			if err != nil {
				t.Fatal(err)
			}
			defer other.Remove()
			live, err := New(target)
			if err != nil {
				t.Fatal(err)
			}
			defer live.Remove()
			write(t, live.Dir(), "a=live")
			// New recovered; Recover again must change nothing.
			if err := Recover(target); err != nil {
				t.Fatal(err)
			}
			var got []string
			if _, err := os.Stat(target); err == nil {
				got = tree(t, target)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("target holds %v, want %v", got, tc.want)
			}
			l := leftOvers(t, parent)
			want := []string{filepath.Base(live.Dir()), filepath.Base(live.lock.Name()),
				filepath.Base(other.Dir()), filepath.Base(other.lock.Name())}
			slices.Sort(l)
			slices.Sort(want)
			if !slices.Equal(l, want) {
				t.Errorf("left beside the target: %v, want only the live stages %v", l, want)
			}
			if got := tree(t, live.Dir()); !slices.Equal(got, []string{"a=live"}) {
				t.Errorf("the live stage holds %v", got)
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	write(t, parent, "file=x")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ target, msg string }{
		{file, "not a directory"},
		{wd, "current directory"},
		{filepath.Dir(wd), "current directory"},
		{string(filepath.Separator), "root"},
	} {
		if _, err := New(tc.target); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("New(%s): %v, want an error saying %q", tc.target, err, tc.msg)
		}
	}
}

// A stage inside the target (a mount point) commits in place: the record
// goes last, the carried entries stay, the old ones go; a dead stage
// inside is cleaned up, a live one kept.
func TestCommitInPlace(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	write(t, target, "a=old", "b=old", "rec=old", "notes=mine", "mc/x=1")
	// A dead stage inside, with its lock file.
	write(t, target, ".out.tmp-dead/a=half", ".out.lock-dead=")
	if err := Recover(target); err != nil {
		t.Fatal(err)
	}
	live, err := newStage(target, true)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	s, err := newStage(target, true)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(s.Dir()) != target {
		t.Fatalf("stage %s is not inside %s", s.Dir(), target)
	}
	write(t, s.Dir(), "a=new", "rec=new")
	if err := s.Commit(func(n string) bool { return n == "notes" || n == "mc" }, "rec"); err != nil {
		t.Fatal(err)
	}
	got := slices.DeleteFunc(tree(t, target), func(p string) bool { return strings.HasPrefix(p, ".out.") })
	if want := []string{"a=new", "mc/", "mc/x=1", "notes=mine", "rec=new"}; !slices.Equal(got, want) {
		t.Errorf("target holds %v, want %v", got, want)
	}
	l := leftOvers(t, target)
	want := []string{filepath.Base(live.Dir()), filepath.Base(live.lock.Name())}
	slices.Sort(l)
	slices.Sort(want)
	if !slices.Equal(l, want) {
		t.Errorf("left in the target: %v, want only the live stage %v", l, want)
	}
	if l := leftOvers(t, parent); len(l) > 0 {
		t.Errorf("left beside the target: %v", l)
	}
}

// A bind mount as target (a container's volume) cannot be renamed: New
// stages inside it. Needs the right to mount (root).
func TestBindMountTarget(t *testing.T) {
	parent := t.TempDir()
	src, target := filepath.Join(parent, "src"), filepath.Join(parent, "out")
	write(t, parent, "src/a=old", "src/notes=mine", "out/")
	if err := exec.Command("mount", "--bind", src, target).Run(); err != nil {
		t.Skipf("cannot bind-mount: %v", err)
	}
	defer exec.Command("umount", target).Run()
	s, err := New(target)
	if err != nil {
		t.Fatal(err)
	}
	if !s.inside {
		t.Error("the stage of a mount point is not inside it")
	}
	write(t, s.Dir(), "a=new")
	if err := s.Commit(func(n string) bool { return n == "notes" }, "a"); err != nil {
		t.Fatal(err)
	}
	if got, want := tree(t, src), []string{"a=new", "notes=mine"}; !slices.Equal(got, want) {
		t.Errorf("mounted folder holds %v, want %v", got, want)
	}
}

// A symbolic link as target stays a link; the folder it points to is
// replaced.
func TestSymlinkTarget(t *testing.T) {
	parent := t.TempDir()
	real, link := filepath.Join(parent, "real"), filepath.Join(parent, "link")
	write(t, real, "a=old")
	if err := os.Symlink("real", link); err != nil {
		t.Fatal(err)
	}
	s, err := New(link)
	if err != nil {
		t.Fatal(err)
	}
	write(t, s.Dir(), "a=new")
	if err := s.Commit(func(string) bool { return false }, ""); err != nil {
		t.Fatal(err)
	}
	if dest, err := os.Readlink(link); err != nil || dest != "real" {
		t.Errorf("the link is now %q, %v", dest, err)
	}
	if got, want := tree(t, real), []string{"a=new"}; !slices.Equal(got, want) {
		t.Errorf("the linked folder holds %v, want %v", got, want)
	}
}
