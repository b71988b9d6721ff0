package dirswap

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestRemoveTreeWithWriter: a writer that keeps adding files to a folder
// for a while, as a run's write-behind goroutine does after a second
// interrupt, does not make removeTree leave the folder behind.
func TestRemoveTreeWithWriter(t *testing.T) {
	for round := range 20 {
		dir := filepath.Join(t.TempDir(), "stage")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			os.WriteFile(filepath.Join(dir, fmt.Sprint("old", i)), nil, 0o644)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Writes until the folder is gone, for at most 50 ms.
			for i, end := 0, time.Now().Add(50*time.Millisecond); time.Now().Before(end); i++ {
				if os.WriteFile(filepath.Join(dir, fmt.Sprint("new", i)), nil, 0o644) != nil {
					return
				}
			}
		}()
		if err := removeTree(dir); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		wg.Wait()
		if _, err := os.Lstat(dir); !os.IsNotExist(err) {
			t.Fatalf("round %d: the folder is still there (%v)", round, err)
		}
	}
}
