package web

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func loadDoc(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return doc
}

var routeParam = regexp.MustCompile(`[:*]([A-Za-z]+)`)

// TestRoutesAreDocumented keeps routes.go and openapi.yaml in step: every
// route is documented and every documented operation is served.
func TestRoutesAreDocumented(t *testing.T) {
	doc := loadDoc(t, OpenAPIDocument())
	key := make([]byte, 32)
	// Only the route table is read: nothing of the services is called.
	deps := Deps{Store: struct{ Store }{}, Routers: struct{ RouterControl }{}, Runner: struct{ ScheduleRunner }{}}
	s, err := New(Config{BaseURL: "http://x", TokenKey: key, LinkKey: key}, deps, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]bool{}
	for _, rt := range s.routes() {
		path := routeParam.ReplaceAllString(rt.path, "{$1}")
		served[rt.method+" "+path] = true
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(rt.method) == nil {
			t.Errorf("%s %s is served but not in openapi.yaml", rt.method, path)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("%s %s is in openapi.yaml but not served", method, path)
			}
		}
	}
}

// contractPath is the copy of the Altostrat Captive Portal contract kept
// in the repository (docs/design.md).
const contractPath = "../docs/api/captive-portal.yaml"

// TestDocumentKeepsTheContract checks that gatehouse's document only adds
// to the contract: every path, operation, status and schema property of
// the contract is still there.
func TestDocumentKeepsTheContract(t *testing.T) {
	contract, err := os.ReadFile(contractPath)
	if err != nil {
		t.Fatalf("the contract's copy: %v", err)
	}
	want := loadDoc(t, contract)
	got := loadDoc(t, OpenAPIDocument())
	for path, item := range want.Paths.Map() {
		gotItem := got.Paths.Find(path)
		if gotItem == nil {
			t.Errorf("path %s dropped", path)
			continue
		}
		for method, op := range item.Operations() {
			gotOp := gotItem.GetOperation(method)
			if gotOp == nil {
				t.Errorf("%s %s dropped", method, path)
				continue
			}
			for status := range op.Responses.Map() {
				if gotOp.Responses.Value(status) == nil {
					t.Errorf("%s %s: response %s dropped", method, path, status)
				}
			}
		}
	}
	for name, schema := range want.Components.Schemas {
		gotSchema := got.Components.Schemas[name]
		if gotSchema == nil {
			t.Errorf("schema %s dropped", name)
			continue
		}
		for prop := range schema.Value.Properties {
			if gotSchema.Value.Properties[prop] == nil {
				t.Errorf("schema %s: property %s dropped", name, prop)
			}
		}
	}
}

// TestContractCopyIsCurrent checks, where the project's shared documents
// are checked out beside the repository, that the copy kept in the
// repository is the shared contract itself.
func TestContractCopyIsCurrent(t *testing.T) {
	shared, err := os.ReadFile(filepath.Join("..", "..", "shared", "api", "captive-portal.yaml"))
	if err != nil {
		t.Skipf("no shared documents beside the repository: %v", err)
	}
	kept, err := os.ReadFile(contractPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, kept) {
		t.Errorf("%s differs from the shared contract: copy it again", contractPath)
	}
}

// The binary embeds openapi.yaml gzipped; the two must say the same.
func TestOpenAPIGzipIsCurrent(t *testing.T) {
	source, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(OpenAPIDocument(), source) {
		t.Fatal("web/openapi.yaml.gz is not web/openapi.yaml: run go generate ./web")
	}
}
