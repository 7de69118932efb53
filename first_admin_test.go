package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFirstAdminFromEnvironment: a container started with
// GATEHOUSE_ADMIN_USERNAME and GATEHOUSE_ADMIN_PASSWORD gets that admin
// account on its empty database and it signs in; the password is not in the
// log. Started again with another password, nothing changes (a restart
// resets no one's password) and the log asks to remove it. Half a pair or a
// short password stops serve with the variable's name.
func TestFirstAdminFromEnvironment(t *testing.T) {
	const password = "correct horse battery staple"
	g := newGatehouseBin(t, "GATEHOUSE_ADMIN_USERNAME=maria", "GATEHOUSE_ADMIN_PASSWORD="+password)
	c := g.start(t)
	login := func(c *child, pw string) int {
		status, _ := c.call(http.DefaultClient, http.MethodPost, "/auth/login", "",
			map[string]string{"username": "maria", "password": pw}, nil)
		return status
	}
	if status := login(c, password); status != http.StatusOK {
		t.Fatalf("sign-in with the environment's password: %d\n%s", status, c.logs.String())
	}
	if logs := c.logs.String(); !strings.Contains(logs, "created the first admin account") || strings.Contains(logs, password) {
		t.Fatalf("log of the first start:\n%s", logs)
	}
	if out := g.cli(t, "admin", "list"); !strings.Contains(out, "maria") || !strings.Contains(out, "admin") {
		t.Fatalf("admin list: %s", out)
	}
	c.stop()

	g.env = childEnv("GATEHOUSE_ADMIN_USERNAME=maria", "GATEHOUSE_ADMIN_PASSWORD=another password entirely")
	c = g.start(t)
	if login(c, "another password entirely") != http.StatusUnauthorized || login(c, password) != http.StatusOK {
		t.Fatal("a restart with another password in the environment changed the account")
	}
	if logs := c.logs.String(); !strings.Contains(logs, "GATEHOUSE_ADMIN_PASSWORD is ignored") {
		t.Fatalf("log of the second start:\n%s", logs)
	}
	c.stop()

	// The password from a file (a secret mounted into the container).
	secret := filepath.Join(t.TempDir(), "admin-password")
	if err := os.WriteFile(secret, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g2 := newGatehouseBin(t, "GATEHOUSE_ADMIN_USERNAME=ops", "GATEHOUSE_ADMIN_PASSWORD_FILE="+secret)
	c = g2.start(t)
	if status, _ := c.call(http.DefaultClient, http.MethodPost, "/auth/login", "",
		map[string]string{"username": "ops", "password": password}, nil); status != http.StatusOK {
		t.Fatalf("sign-in with the file's password: %d\n%s", status, c.logs.String())
	}
	c.stop()

	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, []byte("\n"+password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"GATEHOUSE_ADMIN_USERNAME=tom"}, "go together"},
		{[]string{"GATEHOUSE_ADMIN_PASSWORD=" + password}, "go together"},
		{[]string{"GATEHOUSE_ADMIN_USERNAME=tom", "GATEHOUSE_ADMIN_PASSWORD=short"}, "GATEHOUSE_ADMIN_PASSWORD: the password must be at least 10 characters"},
		{[]string{"GATEHOUSE_ADMIN_USERNAME=bad name", "GATEHOUSE_ADMIN_PASSWORD=" + password}, "GATEHOUSE_ADMIN_USERNAME: username must be"},
		{[]string{"GATEHOUSE_ADMIN_USERNAME=tom", "GATEHOUSE_ADMIN_PASSWORD_FILE=/nonexistent/secret"}, "GATEHOUSE_ADMIN_PASSWORD_FILE: open /nonexistent/secret"},
		{[]string{"GATEHOUSE_ADMIN_USERNAME=tom", "GATEHOUSE_ADMIN_PASSWORD_FILE=" + empty}, "the first line of " + empty + " is empty"},
		{[]string{"GATEHOUSE_ADMIN_USERNAME=tom", "GATEHOUSE_ADMIN_PASSWORD=" + password, "GATEHOUSE_ADMIN_PASSWORD_FILE=" + secret},
			"set GATEHOUSE_ADMIN_PASSWORD or GATEHOUSE_ADMIN_PASSWORD_FILE, not both"},
	} {
		cmd := exec.Command(g.path, "serve", "-data-dir", t.TempDir(), "-listen", "127.0.0.1:0")
		cmd.Env = childEnv(tc.env...)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("serve with %v: %v, want an error with %q:\n%s", tc.env, err, tc.want, out)
		}
	}
}
