// Command gzipfile writes NAME.gz beside each file NAME it is given: gzip at
// the best compression, without a name or time in the header, so the same
// input always gives the same bytes. `go generate ./web` runs it on
// openapi.yaml, which the binary embeds compressed (web/health.go) to stay
// under its 20 MB budget.
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gzipfile FILE...")
		os.Exit(2)
	}
	for _, name := range os.Args[1:] {
		if err := compress(name); err != nil {
			fmt.Fprintln(os.Stderr, "gzipfile:", err)
			os.Exit(1)
		}
	}
}

// compress writes name.gz from name.
func compress(name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(name+".gz", buf.Bytes(), 0o644)
}
