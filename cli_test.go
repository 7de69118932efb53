package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// definedFlags lists the flags a command defines, sorted.
func definedFlags(cmd *command) []string {
	fs := cmd.flagSet()
	cmd.define(fs)
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// TestCommandFlags pins each verb's flags: flags that made no sense for a
// verb are not defined for it.
func TestCommandFlags(t *testing.T) {
	config := []string{"config", "data-dir"}
	want := map[string][]string{
		"serve":          {"config", "data-dir", "listen"},
		"demo":           {"keep", "listen"},
		"config":         config,
		"admin create":   {"config", "data-dir", "password-stdin", "role", "username"},
		"admin password": {"config", "data-dir", "password-stdin", "username"},
		"admin list":     config,
		"admin delete":   {"config", "data-dir", "username"},
		"token create":   {"config", "data-dir", "name", "role", "ttl"},
		"token list":     config,
		"token revoke":   config,
		"backup":         {"config", "data-dir", "force", "with-key"},
		"restore":        {"config", "data-dir", "key"},
		"keys rotate":    {"config", "data-dir", "jwt", "links", "secrets"},
		"ledger verify":  config,
		"version":        nil,
	}
	if len(commands) != len(want) {
		t.Errorf("%d commands, the test knows %d", len(commands), len(want))
	}
	for _, cmd := range commands {
		w, ok := want[cmd.name]
		if !ok {
			t.Errorf("command %q is not in the test's table", cmd.name)
			continue
		}
		if got := definedFlags(cmd); !slices.Equal(got, w) {
			t.Errorf("%s: flags %v, want %v", cmd.name, got, w)
		}
	}
}

// TestCommandUsage checks each verb's usage text: its usage line names
// only flags it defines, and the text shows every flag.
func TestCommandUsage(t *testing.T) {
	flagWord := regexp.MustCompile(`-[a-z][a-z-]*`)
	for _, cmd := range commands {
		t.Run(cmd.name, func(t *testing.T) {
			defined := definedFlags(cmd)
			for _, f := range flagWord.FindAllString(cmd.flags, -1) {
				if !slices.Contains(defined, f[1:]) {
					t.Errorf("usage line names %s, which %s does not define", f, cmd.name)
				}
			}
			u := cmd.usage()
			if !strings.HasPrefix(u, "Usage: gatehouse "+cmd.name) || !strings.Contains(u, cmd.flags) {
				t.Errorf("usage does not begin with its usage line:\n%s", u)
			}
			for _, f := range defined {
				if !strings.Contains(u, "  -"+f) {
					t.Errorf("usage lacks -%s:\n%s", f, u)
				}
			}
			if cmd.arg != "" && !strings.Contains(u, " "+cmd.arg+"\n") {
				t.Errorf("usage line lacks the argument %s:\n%s", cmd.arg, u)
			}
			if !strings.Contains(overview(), "  "+cmd.name+" ") {
				t.Errorf("the overview does not list %s", cmd.name)
			}
		})
	}
}

// TestHelp asks for help in every way there is: the usage goes to stdout
// and nothing fails.
func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "Commands:\n"},
		{[]string{"-h"}, "Commands:\n"},
		{[]string{"--help"}, "Commands:\n"},
		{[]string{"help", "serve"}, "Usage: gatehouse serve [-listen ADDR] [-config FILE] [-data-dir DIR]\n"},
		{[]string{"serve", "-h"}, "Usage: gatehouse serve "},
		{[]string{"help", "admin", "create"}, "Usage: gatehouse admin create -username NAME [-role ROLE]"},
		{[]string{"admin", "create", "-h"}, "Usage: gatehouse admin create -username NAME [-role ROLE]"},
		{[]string{"admin", "create", "-username", "x", "-help"}, "Usage: gatehouse admin create "},
		{[]string{"help", "admin"}, "gatehouse admin password -username NAME [-password-stdin]\n"},
		{[]string{"admin", "-h"}, "gatehouse admin delete -username NAME\n"},
		{[]string{"help", "token", "revoke"}, "Usage: gatehouse token revoke [-config FILE] [-data-dir DIR] ID\n"},
		{[]string{"help", "backup"}, "Usage: gatehouse backup [-force] [-with-key] [-config FILE] [-data-dir DIR] FILE\n"},
		{[]string{"help", "keys"}, "gatehouse keys rotate [-jwt] [-links] [-secrets]\n"},
		{[]string{"help", "keys", "rotate"}, "  -secrets\n"},
		{[]string{"help", "demo"}, "  -keep\n"},
		{[]string{"help", "version"}, "Usage: gatehouse version\n"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), tc.args, strings.NewReader(""), &stdout, &stderr, env(nil))
		if err != nil || !strings.Contains(stdout.String(), tc.want) || stderr.Len() > 0 {
			t.Errorf("gatehouse %s: %v, stdout:\n%s\nstderr:\n%s\nwant stdout to say %q and stderr empty",
				strings.Join(tc.args, " "), err, stdout.String(), stderr.String(), tc.want)
		}
	}
}

// TestUsageErrors gives command lines that do not parse: each fails with
// a usage error (exit code 2) that says what is wrong, and the usage of
// what was meant goes to stderr.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	const overviewLine = "Usage: gatehouse COMMAND"
	for _, tc := range []struct {
		args      []string
		wantErr   string
		wantUsage string
	}{
		{nil, "missing command", overviewLine},
		{[]string{"launch"}, `unknown command "launch"`, overviewLine},
		{[]string{"help", "launch"}, `unknown command "launch"`, overviewLine},
		{[]string{"admin"}, "admin: want create, password, list or delete", "gatehouse admin list\n"},
		{[]string{"admin", "rename"}, `admin: unknown verb "rename"; want create, password, list or delete`, "gatehouse admin list\n"},
		{[]string{"help", "admin", "rename"}, `unknown verb "rename"`, "gatehouse admin list\n"},
		{[]string{"token"}, "token: want create, list or revoke", "gatehouse token revoke ID\n"},
		{[]string{"keys", "list"}, `keys: unknown verb "list"; want rotate`, "gatehouse keys rotate"},
		{[]string{"help", "version", "now"}, `version takes no verb "now"`, "Usage: gatehouse version"},
		{[]string{"admin", "password", "-username", "maria", "-role", "admin"}, "admin password: flag provided but not defined: -role", "Usage: gatehouse admin password"},
		{[]string{"admin", "list", "-username", "maria"}, "admin list: flag provided but not defined: -username", "Usage: gatehouse admin list"},
		{[]string{"admin", "create", "-username", "maria", "-role", "root"}, `invalid value "root" for flag -role: must be admin, operator or frontdesk`, "Usage: gatehouse admin create"},
		{[]string{"admin", "create", "-password-stdin"}, "admin create: -username: ", "Usage: gatehouse admin create"},
		{[]string{"admin", "delete"}, "admin delete: -username: ", "Usage: gatehouse admin delete"},
		{[]string{"token", "list", "-role", "admin"}, "token list: flag provided but not defined: -role", "Usage: gatehouse token list"},
		{[]string{"token", "create", "-name", "x", "-ttl", "soon"}, `invalid value "soon" for flag -ttl`, "Usage: gatehouse token create"},
		{[]string{"token", "create", "-name", "x", "-role", "root"}, "must be admin, operator or frontdesk", "Usage: gatehouse token create"},
		{[]string{"token", "revoke"}, "token revoke: want exactly one ID", "Usage: gatehouse token revoke"},
		{[]string{"token", "revoke", "a", "b"}, "token revoke: want exactly one ID", "Usage: gatehouse token revoke"},
		{[]string{"keys", "rotate", "now"}, `keys rotate: unexpected argument "now"`, "Usage: gatehouse keys rotate"},
		{[]string{"keys", "rotate", "-listen", ":1"}, "flag provided but not defined: -listen", "Usage: gatehouse keys rotate"},
		{[]string{"backup"}, "backup: want exactly one FILE", "Usage: gatehouse backup"},
		{[]string{"restore", "a.db", "-force"}, "restore: flag provided but not defined: -force", "Usage: gatehouse restore"},
		{[]string{"serve", "now"}, `serve: unexpected argument "now"`, "Usage: gatehouse serve"},
		{[]string{"config", "-listen", ":1"}, "config: flag provided but not defined: -listen", "Usage: gatehouse config"},
		{[]string{"demo", "-data-dir", dir}, "demo: flag provided but not defined: -data-dir", "Usage: gatehouse demo"},
		{[]string{"demo", "-listen", "127.0.0.1:0"}, "fixed port", "Usage: gatehouse demo"},
		{[]string{"version", "-v"}, "version: flag provided but not defined: -v", "Usage: gatehouse version"},
	} {
		var stdout, stderr bytes.Buffer
		args := tc.args
		if len(args) > 1 && args[0] != "help" && args[0] != "demo" && args[0] != "version" {
			args = append(slices.Clip(args), "-data-dir", dir)
		}
		err := run(t.Context(), args, strings.NewReader("long enough password\n"), &stdout, &stderr, env(nil))
		if _, ok := errors.AsType[*usageError](err); !ok || exitCode(err) != 2 || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("gatehouse %s: %v (exit code %d), want a usage error saying %q", strings.Join(args, " "), err, exitCode(err), tc.wantErr)
		}
		if !strings.Contains(stderr.String(), tc.wantUsage) || stdout.Len() > 0 {
			t.Errorf("gatehouse %s: stderr:\n%s\nstdout:\n%s\nwant the usage %q on stderr only", strings.Join(args, " "), stderr.String(), stdout.String(), tc.wantUsage)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("command lines that do not parse left files in the data directory: %v", entries)
	}
}

// TestReadmeCommandsParse finds every gatehouse command line in the
// README's code blocks and checks that it still names a command, flags it
// defines and the arguments it takes.
func TestReadmeCommandsParse(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	inCode := false
	for line := range strings.Lines(string(readme)) {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if !inCode {
			continue
		}
		line, _, _ = strings.Cut(line, "#")
		for _, part := range strings.Split(line, "|") {
			if args := commandIn(strings.Fields(part)); args != nil {
				found++
				if err := parses(args); err != nil {
					t.Errorf("README: gatehouse %s: %v", strings.Join(args, " "), err)
				}
			}
		}
	}
	t.Logf("%d command lines in README.md parse", found)
	if found < 19 {
		t.Errorf("found %d gatehouse command lines in README.md, want at least 19", found)
	}
}

// commandIn returns the arguments of the gatehouse command in a shell
// command's fields ("sudo -u gatehouse gatehouse restore F", "T=$(go run . token …"),
// or nil.
func commandIn(fields []string) []string {
	for i := 0; i+1 < len(fields); i++ {
		name := fields[i+1]
		isCommand := commandNamed(name) != nil || len(verbsOf(name)) > 0
		if isCommand && (fields[i] == "gatehouse" || fields[i] == "." && i >= 2 && strings.HasSuffix(fields[i-2], "go") && fields[i-1] == "run") {
			return fields[i+1:]
		}
	}
	return nil
}

// parses checks that a command line names a command, flags it defines
// and the arguments it takes, without running it.
func parses(args []string) error {
	cmd, rest, err := lookup(args)
	if err != nil {
		return err
	}
	fs := cmd.flagSet()
	cmd.define(fs)
	positional, err := parseArgs(fs, rest)
	if err != nil {
		return err
	}
	return cmd.checkArgs(positional)
}

// TestExitCodes runs the binary: 0 for help, 2 for a command line that
// does not parse (with the usage on stderr), 1 for a command that fails.
func TestExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildGatehouse(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{[]string{"help", "admin", "create"}, 0, "Usage: gatehouse admin create", ""},
		{[]string{"admin", "create", "-h"}, 0, "Usage: gatehouse admin create", ""},
		{[]string{"version"}, 0, "gatehouse ", ""},
		{[]string{"admin", "rename"}, 2, "", `gatehouse: admin: unknown verb "rename"`},
		{[]string{"admin", "password", "-role", "admin"}, 2, "", "Usage: gatehouse admin password"},
		{[]string{"launch"}, 2, "", "Usage: gatehouse COMMAND"},
		{[]string{"keys", "rotate", "-data-dir", dir}, 1, "", "gatehouse: keys rotate: no gatehouse database"},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = childEnv()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := cmd.ProcessState.ExitCode()
		if code != tc.code || !strings.Contains(stdout.String(), tc.wantStdout) || !strings.Contains(stderr.String(), tc.wantStderr) {
			t.Errorf("gatehouse %s: exit code %d (%v), want %d\nstdout:\n%s\nstderr:\n%s\nwant stdout to say %q, stderr %q",
				strings.Join(tc.args, " "), code, err, tc.code, stdout.String(), stderr.String(), tc.wantStdout, tc.wantStderr)
		}
	}
}
