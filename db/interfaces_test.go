package db

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestStoreMethodsInApp keeps the first rule of docs/design.md, "Where
// interfaces live": every exported method of *DB that reads or writes the
// domain's data is declared in an app store, where its contract is written.
func TestStoreMethodsInApp(t *testing.T) {
	declared := appInterfaceMethods(t, "../app")
	// Operations on the database as a whole, declared where they are used.
	whole := map[string]bool{"Backup": true, "BackupWith": true, "Close": true, "Ready": true,
		"RotateKey": true, "RotateSecretKey": true}
	// The exceptions listed in docs/design.md: only the scheduler calls them.
	exceptions := map[string]bool{"SiteState": true, "RecordSessions": true, "SetSiteStatus": true,
		"EndSiteUser": true, "CouponTotals": true, "PurgeAudit": true}
	typ := reflect.TypeFor[*DB]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		switch {
		case exceptions[name] && declared[name]:
			t.Errorf("(*DB).%s is now in an app store: take it off the exceptions here and in docs/design.md", name)
		case whole[name], exceptions[name], declared[name]:
		default:
			t.Errorf("(*DB).%s is in no app store: declare it there with its contract (docs/design.md, Where interfaces live)", name)
		}
	}
}

// appInterfaceMethods returns the names of the methods listed in the
// interfaces of the package in dir, tests left out.
func appInterfaceMethods(tb testing.TB, dir string) map[string]bool {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		tb.Fatal(err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			tb.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if it, ok := n.(*ast.InterfaceType); ok {
				for _, m := range it.Methods.List {
					for _, id := range m.Names {
						names[id.Name] = true
					}
				}
			}
			return true
		})
	}
	if len(names) == 0 {
		tb.Fatalf("no interface methods found in %s", dir)
	}
	return names
}
