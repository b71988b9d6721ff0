package manifest_test

import (
	"fmt"

	"github.com/quantloop/quantloop/manifest"
)

func ExampleHashBytes() {
	h := manifest.HashBytes("config.yaml", []byte("abc"))
	fmt.Println(h.Path, h.Bytes, h.SHA256)
	// Output:
	// config.yaml 3 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
}

func ExampleCheckFormat() {
	fmt.Println(manifest.CheckFormat("results.json", []byte(`{"format": 2, "partial": false}`)))
	fmt.Println(manifest.CheckFormat("results.json", []byte(`{"partial": false}`)))
	// Output:
	// <nil>
	// results.json: unsupported format version: the file is of format 1, this quantloop reads format 2 (re-run to write it again)
}
