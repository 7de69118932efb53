package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"gatehouse/app"
	"gatehouse/db"
)

// cliIn runs one gatehouse subcommand with stdin and returns its stdout,
// or fails the test.
func cliIn(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(t.Context(), args, strings.NewReader(stdin), &out, &errOut, env(nil)); err != nil {
		t.Fatalf("gatehouse %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	out := cliIn(t, "correct horse battery\n", "admin", "create", "-username", "maria", "-role", "frontdesk", "-password-stdin", "-data-dir", dir)
	if !strings.Contains(out, `created frontdesk account "maria"`) {
		t.Fatalf("create: %q", out)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"correct horse battery\n", []string{"admin", "create", "-username", "MARIA", "-password-stdin"}, "exists already"},
		{"short\n", []string{"admin", "create", "-username", "tom", "-password-stdin"}, "at least 10 characters"},
		{"", []string{"admin", "create", "-username", "tom"}, "-password-stdin"},
		{"long enough pw\n", []string{"admin", "create", "-username", "bad name", "-password-stdin"}, "username must be"},
		{"long enough pw\n", []string{"admin", "create", "-username", "tom", "-role", "root", "-password-stdin"}, "must be admin, operator or frontdesk"},
		{"long enough pw\n", []string{"admin", "password", "-username", "nobody", "-password-stdin"}, "no admin named nobody"},
		{"", []string{"admin", "delete", "-username", "nobody"}, "no admin named nobody"},
		{"", []string{"admin", "rename"}, "want create, password, list or delete"},
		{"long enough pw\n", []string{"admin", "password", "-username", "maria", "-role", "admin", "-password-stdin"}, "flag provided but not defined: -role"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), append(c.args, "-data-dir", dir), strings.NewReader(c.stdin), &stdout, &stderr, env(nil))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error with %q", c.args, err, c.want)
		}
	}
	if out := cliIn(t, "", "admin", "list", "-data-dir", dir); !strings.Contains(out, "maria") || !strings.Contains(out, "frontdesk") || strings.Contains(out, "tom") {
		t.Fatalf("list:\n%s", out)
	}
	cliIn(t, "another good one\n", "admin", "password", "-username", "maria", "-password-stdin", "-data-dir", dir)

	store, err := db.Open(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, hash, err := store.AdminCredentials(context.Background(), "maria")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := app.CheckPassword(hash, "another good one"); !ok {
		t.Fatal("the new password does not match the stored hash")
	}
	store.Close()

	cliIn(t, "", "admin", "delete", "-username", "maria", "-data-dir", dir)
	if out := cliIn(t, "", "admin", "list", "-data-dir", dir); strings.Contains(out, "maria") {
		t.Fatalf("deleted account listed:\n%s", out)
	}
}
