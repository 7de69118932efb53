package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// textKeyLiteral is a Text key written in Go source: "check.api_ok".
var textKeyLiteral = regexp.MustCompile(`"((?:check|refusal|warning|router)\.[a-z_]+)"`)

// Every Text key the code writes has an English template (so the message
// of a refusal is never its bare key), and every template is written by
// some code: a key whose last part is built at run time (warning.<reason>)
// counts when that part is a literal somewhere.
func TestTextKeysHaveTemplates(t *testing.T) {
	var sources []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "ui") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			path == filepath.Join("..", "app", "text.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		sources = append(sources, string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(sources, "\n")
	used := 0
	for _, m := range textKeyLiteral.FindAllStringSubmatch(all, -1) {
		used++
		if _, ok := EnglishTexts[m[1]]; !ok {
			t.Errorf("%q is written by the code but has no English template in EnglishTexts", m[1])
		}
	}
	if used < 40 {
		t.Fatalf("found %d keys in the code; the scan is broken", used)
	}
	for key := range EnglishTexts {
		last := key[strings.Index(key, ".")+1:]
		if !strings.Contains(all, `"`+key+`"`) && !strings.Contains(all, `"`+last+`"`) {
			t.Errorf("EnglishTexts has %q, which no code writes", key)
		}
	}
}
