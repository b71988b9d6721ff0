package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// k8sJob is what the test reads of a Kubernetes Job manifest.
type k8sJob struct {
	Kind string `yaml:"kind"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Template       struct {
			Spec struct {
				Containers []struct {
					WorkingDir string   `yaml:"workingDir"`
					Command    []string `yaml:"command"`
					Args       []string `yaml:"args"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// readJob reads the manifest file and returns it with its one
// container's arguments to quantloop (the command and the args, the
// binary left out).
func readJob(t *testing.T, file string) (k8sJob, []string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var j k8sJob
	if err := yaml.Unmarshal(b, &j); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	cs := j.Spec.Template.Spec.Containers
	if j.Kind != "Job" || len(cs) != 1 || len(cs[0].Command) == 0 || filepath.Base(cs[0].Command[0]) != "quantloop" || cs[0].WorkingDir != "/work" {
		t.Fatalf("%s: want a Job of one container running quantloop in /work", file)
	}
	return j, append(slices.Clone(cs[0].Command[1:]), cs[0].Args...)
}

// TestKubernetesIndexedJob runs the container command of
// docs/kubernetes/sweep-job.yaml once per completion index, with
// JOB_COMPLETION_INDEX set and $(JOB_COMPLETION_INDEX) expanded as the
// kubelet does, in a folder laid out as the Dockerfile lays out the
// image's /work (the volume /out mapped to a folder), then the command of
// merge-job.yaml, and checks that the merged store lists exactly what the
// same sweep run in one process lists.
func TestKubernetesIndexedJob(t *testing.T) {
	job, args := readJob(t, "../docs/kubernetes/sweep-job.yaml")
	_, mergeArgs := readJob(t, "../docs/kubernetes/merge-job.yaml")
	n := job.Spec.Completions
	if job.Spec.CompletionMode != "Indexed" || n < 2 {
		t.Fatalf("want an Indexed Job of 2 or more completions, got %q, %d", job.Spec.CompletionMode, n)
	}
	if i := slices.Index(args, "--shards"); i < 0 || i+1 >= len(args) || args[i+1] != strconv.Itoa(n) {
		t.Fatalf("the job's --shards is not its completions, %d: %q", n, args)
	}
	root := t.TempDir()
	work, out := filepath.Join(root, "work"), filepath.Join(root, "out")
	for _, d := range []string{filepath.Join(work, "daily"), out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The image's /work: the daily test data and sweep.yaml (see Dockerfile).
	copies := map[string]string{"../docs/kubernetes/sweep.yaml": filepath.Join(work, "sweep.yaml")}
	for _, f := range []string{"AAA.csv", "BBB.csv"} {
		copies[filepath.Join("../testdata/daily", f)] = filepath.Join(work, "daily", f)
	}
	for from, to := range copies {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	mount := func(args []string, index string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", index)
			if rest, ok := strings.CutPrefix(a, "/out/"); ok {
				a = filepath.Join(root, "out", rest)
			}
			out[i] = a
		}
		return out
	}
	for i := range n {
		t.Setenv("JOB_COMPLETION_INDEX", strconv.Itoa(i))
		if code, _, errOut := quantloop(t, mount(args, strconv.Itoa(i))...); code != 0 {
			t.Fatalf("index %d: exit %d: %s", i, code, errOut)
		}
	}
	for i := range n {
		if !slices.Contains(mergeArgs, "/out/shard-"+strconv.Itoa(i)+".db") {
			t.Fatalf("merge-job.yaml does not merge shard %d: %q", i, mergeArgs)
		}
	}
	if code, _, errOut := quantloop(t, mount(mergeArgs, "")...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	// The same sweep in one process: the job's arguments without the shards.
	var local []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--shards":
			i++
		case "--store":
			i++
			local = append(local, "--store", filepath.Join(root, "local.db"))
		default:
			local = append(local, args[i])
		}
	}
	if code, _, errOut := quantloop(t, local...); code != 0 {
		t.Fatalf("local sweep: exit %d: %s", code, errOut)
	}
	merged := filepath.Join(out, "sweep.db")
	for _, format := range []string{"csv", "json"} {
		want, got := list(t, filepath.Join(root, "local.db"), "--format", format), list(t, merged, "--format", format)
		if got != want {
			t.Errorf("--format %s: the merged store lists\n%s\nthe local sweep\n%s", format, got, want)
		}
		if strings.Count(want, "strategy.params.fast") == 0 || len(strings.Split(want, "\n")) < n+2 {
			t.Errorf("--format %s: the listing holds too few runs to test the shards:\n%s", format, want)
		}
	}
}
