package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// A command is one verb of the command line, "serve" or "admin create":
// its usage text and the function that defines its flags. The table
// below is the whole command line; run, the usage texts and "gatehouse
// help" read it.
type command struct {
	name  string // as typed after "gatehouse": "admin create"
	flags string // the usage line's flags, but for -config and -data-dir
	arg   string // the one positional argument, if the command takes one
	short string // one line for the list of commands
	long  string // what "gatehouse help NAME" says under the usage line
	// define defines the verb's flags on fs and returns what runs once
	// they are parsed.
	define func(fs *flag.FlagSet) action
}

// An action runs a verb with its flags parsed and its positional
// arguments: none, or the one the command's arg names.
type action func(ctx context.Context, c console, args []string) error

// console is what a command talks to: the standard streams and the
// environment.
type console struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands = []*command{
	{name: "serve", flags: "[-listen ADDR]", define: cmdServe,
		short: "run gatehouse: the API, the admin page, the guest portal and the routers' upkeep",
		long:  "Runs until SIGINT or SIGTERM, then stops in order. -listen overrides server.listen."},
	{name: "demo", flags: "[-listen ADDR] [-keep]", define: cmdDemo,
		short: "try gatehouse with a simulated router (temporary data)",
		long: "Starts gatehouse over a temporary data directory with a simulated MikroTik router,\n" +
			"a coupon portal, a schedule and a few guests online. Everything is deleted on exit."},
	{name: "config", define: cmdConfig,
		short: "print the effective configuration (secrets redacted)",
		long:  "Prints the configuration gatehouse would run with: defaults, the file, GATEHOUSE_* variables, flags."},
	{name: "admin create", flags: "-username NAME [-role ROLE] [-password-stdin]", define: cmdAdminCreate,
		short: "create an account that signs in to the admin page",
		long: "Without -password-stdin it asks for the password twice at the terminal.\n" +
			"To change an account's role, delete it and create it again."},
	{name: "admin password", flags: "-username NAME [-password-stdin]", define: cmdAdminPassword,
		short: "set an account's password; its open sessions are signed out",
		long:  "Without -password-stdin it asks for the password twice at the terminal."},
	{name: "admin list", define: cmdAdminList,
		short: "list the admin page's accounts with their roles and last sign-in"},
	{name: "admin delete", flags: "-username NAME", define: cmdAdminDelete,
		short: "delete an account; its open sessions are signed out"},
	{name: "token create", flags: "-name NAME [-role ROLE] [-ttl 720h]", define: cmdTokenCreate,
		short: "create an API token; the bearer token is the last line printed",
		long:  "The token is printed once and not stored: keep it."},
	{name: "token list", define: cmdTokenList,
		short: "list the API tokens and whether each is active, expired or revoked"},
	{name: "token revoke", arg: "ID", define: cmdTokenRevoke,
		short: "revoke the API token with this ID (see token list)"},
	{name: "backup", flags: "[-force] [-with-key]", arg: "FILE", define: cmdBackup,
		short: "write a consistent copy of the database to FILE, while serve runs",
		long: "The copy is checked after it is written. The secret key that decrypts its secrets\n" +
			"is not in it unless -with-key writes it next to it as FILE.key."},
	{name: "restore", flags: "[-key KEYFILE]", arg: "FILE", define: cmdRestore,
		short: "replace the database with a backup (serve stopped)",
		long: "The backup is checked first; the replaced database and secret key are kept\n" +
			"next to the new ones."},
	{name: "keys rotate", flags: "[-jwt] [-links] [-secrets]", define: cmdKeysRotate,
		short: "replace the signing keys and the secret key",
		long: "No flag means all three. -jwt and -links work while serve runs (restart it);\n" +
			"-secrets re-encrypts every stored secret and needs serve stopped."},
	{name: "ledger verify", define: cmdLedgerVerify,
		short: "check the sales ledger's hash chain; exits 1 when it is broken",
		long: "Recomputes every entry's hash from the database file, serve running or not, and prints\n" +
			"the head hash to compare with the one on the last Z-report."},
	{name: "version", define: cmdVersion,
		short: "print the version"},
}

// run executes one command line. It is main without the process: tests
// call it. A command line that does not parse returns a *usageError after
// the usage that explains it has gone to stderr.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	c := console{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	var err error
	switch {
	case len(args) > 0 && isHelp(args[0]):
		err = help(stdout, args[1:])
	case len(args) == 2 && isHelp(args[1]) && len(verbsOf(args[0])) > 0: // "admin -h"
		err = help(stdout, args[:1])
	default:
		var cmd *command
		if cmd, args, err = lookup(args); err == nil {
			err = cmd.run(ctx, c, args)
		}
	}
	if e, ok := errors.AsType[*usageError](err); ok {
		fmt.Fprint(stderr, e.usage)
	}
	return err
}

// usageError is a command line that does not parse: an unknown command or
// flag, a missing or extra argument. main exits 2 for it.
type usageError struct {
	msg   string
	usage string // the usage that explains what is wanted
}

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) *usageError {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// exitCode is the process's exit status after run returned err.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if _, ok := errors.AsType[*usageError](err); ok {
		return 2
	}
	return 1
}

func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "-help" || arg == "--help"
}

// lookup finds the command args begin with and returns the arguments
// after its name.
func lookup(args []string) (*command, []string, error) {
	if len(args) == 0 {
		return nil, nil, &usageError{msg: "missing command", usage: overview()}
	}
	verbs := verbsOf(args[0])
	if len(verbs) == 0 {
		if cmd := commandNamed(args[0]); cmd != nil {
			return cmd, args[1:], nil
		}
		return nil, nil, &usageError{msg: fmt.Sprintf("unknown command %q", args[0]), usage: overview()}
	}
	if len(args) > 1 {
		if cmd := commandNamed(args[0] + " " + args[1]); cmd != nil {
			return cmd, args[2:], nil
		}
	}
	msg := fmt.Sprintf("%s: want %s", args[0], orList(verbs))
	if len(args) > 1 {
		msg = fmt.Sprintf("%s: unknown verb %q; want %s", args[0], args[1], orList(verbs))
	}
	return nil, nil, &usageError{msg: msg, usage: groupUsage(args[0])}
}

func commandNamed(name string) *command {
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd
		}
	}
	return nil
}

// verbsOf lists the verbs of a group of commands such as "admin", or
// none when group is not one.
func verbsOf(group string) []string {
	var verbs []string
	for _, cmd := range commands {
		if g, verb, ok := strings.Cut(cmd.name, " "); ok && g == group {
			verbs = append(verbs, verb)
		}
	}
	return verbs
}

// orList is "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// help runs "gatehouse help [COMMAND]": the overview, a group's verbs or
// one command's usage, on stdout.
func help(stdout io.Writer, args []string) error {
	if len(args) == 0 {
		_, err := io.WriteString(stdout, overview())
		return err
	}
	if len(args) == 1 && len(verbsOf(args[0])) > 0 {
		_, err := io.WriteString(stdout, groupUsage(args[0]))
		return err
	}
	cmd, rest, err := lookup(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &usageError{msg: fmt.Sprintf("help: %s takes no verb %q", cmd.name, rest[0]), usage: cmd.usage()}
	}
	_, err = io.WriteString(stdout, cmd.usage())
	return err
}

// run parses the command's flags and arguments and runs it. -h prints
// its usage on stdout.
func (cmd *command) run(ctx context.Context, c console, args []string) error {
	fs := cmd.flagSet()
	act := cmd.define(fs)
	positional, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		_, err := io.WriteString(c.stdout, cmd.usage())
		return err
	}
	if err != nil {
		return &usageError{msg: cmd.name + ": " + err.Error(), usage: cmd.usage()}
	}
	if err := cmd.checkArgs(positional); err != nil {
		return err
	}
	err = act(ctx, c, positional)
	if e, ok := errors.AsType[*usageError](err); ok && e.usage == "" {
		e.usage = cmd.usage()
	}
	return err
}

func (cmd *command) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports errors and prints the usage
	fs.Usage = func() {}
	return fs
}

// checkArgs checks that there is the one positional argument the
// command's arg names, or none if it names none.
func (cmd *command) checkArgs(positional []string) error {
	switch {
	case cmd.arg == "" && len(positional) > 0:
		return &usageError{msg: fmt.Sprintf("%s: unexpected argument %q", cmd.name, positional[0]), usage: cmd.usage()}
	case cmd.arg != "" && len(positional) != 1:
		return &usageError{msg: fmt.Sprintf("%s: want exactly one %s", cmd.name, cmd.arg), usage: cmd.usage()}
	}
	return nil
}

// usage is "gatehouse help NAME": the usage line, what the command does
// and its flags.
func (cmd *command) usage() string {
	var b strings.Builder
	fs := cmd.flagSet()
	cmd.define(fs)
	fmt.Fprintf(&b, "Usage: %s\n\n%s.\n", cmd.synopsis(fs.Lookup("config") != nil), upperFirst(cmd.short))
	if cmd.long != "" {
		fmt.Fprintf(&b, "%s\n", cmd.long)
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		b.WriteString("\nFlags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
	}
	return b.String()
}

// synopsis is the command's usage line, with or without the
// configuration flags.
func (cmd *command) synopsis(withConfig bool) string {
	parts := []string{"gatehouse", cmd.name, cmd.flags}
	if withConfig {
		parts = append(parts, "[-config FILE] [-data-dir DIR]")
	}
	parts = append(parts, cmd.arg)
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// overview is "gatehouse help": every command with its line.
func overview() string {
	var b strings.Builder
	b.WriteString("gatehouse — guest Wi-Fi controller for MikroTik routers\n\nUsage: gatehouse COMMAND [FLAGS] [ARGUMENTS]\n\nCommands:\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, cmd := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", cmd.name, cmd.short)
	}
	tw.Flush()
	b.WriteString(`
"gatehouse help COMMAND" (e.g. "gatehouse help admin create") or
"gatehouse COMMAND -h" prints a command's flags. The commands that read the
configuration take -config FILE and -data-dir DIR. Every key of the
configuration file can also be set with an environment variable
GATEHOUSE_<SECTION>_<KEY>, e.g. GATEHOUSE_SERVER_LISTEN=0.0.0.0:8080.
`)
	return b.String()
}

// groupUsage is "gatehouse help admin": the usage lines of a group's
// verbs.
func groupUsage(group string) string {
	var b strings.Builder
	b.WriteString("Usage:\n")
	for _, cmd := range commands {
		if g, _, _ := strings.Cut(cmd.name, " "); g == group {
			fmt.Fprintf(&b, "  %s\n      %s\n", cmd.synopsis(false), cmd.short)
		}
	}
	fmt.Fprintf(&b, "\n\"gatehouse help %s VERB\" prints a verb's flags.\n", group)
	return b.String()
}
