package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"gatehouse/app"
)

// cmdAdmin runs "gatehouse admin create|password|list|delete": the
// accounts that sign in to the admin page.
func cmdAdmin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	verbs := map[string]bool{"create": true, "password": true, "list": true, "delete": true}
	if len(args) == 0 || !verbs[args[0]] {
		return errors.New("admin: want create, password, list or delete")
	}
	var cf commonFlags
	fs := newFlagSet("admin "+args[0], stderr, &cf)
	username := fs.String("username", "", "the account's user name")
	role := fs.String("role", string(app.RoleAdmin), "role: admin, operator or frontdesk")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	positional, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return fmt.Errorf("admin %s: unexpected argument %q", args[0], positional[0])
	}
	if args[0] != "create" && roleGiven(fs) {
		return fmt.Errorf("admin %s: -role is only for create (to change a role, delete the account and create it again)", args[0])
	}
	if args[0] != "list" {
		if err := app.ValidateUsername(*username); err != nil {
			return fmt.Errorf("admin %s: -username: %s", args[0], errorText(err))
		}
	}
	var hash string
	if args[0] == "create" || args[0] == "password" {
		if !app.Role(*role).Valid() {
			return fmt.Errorf("admin %s: -role must be admin, operator or frontdesk", args[0])
		}
		password, err := readPassword(stdin, stderr, *fromStdin)
		if err != nil {
			return fmt.Errorf("admin %s: %w", args[0], err)
		}
		if hash, err = app.HashPassword(password); err != nil {
			return err
		}
	}
	store, err := cf.openStore(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()

	switch args[0] {
	case "create":
		a, err := store.CreateAdmin(ctx, *username, app.Role(*role), hash)
		if err != nil {
			return fmt.Errorf("admin create: %s", errorText(err))
		}
		fmt.Fprintf(stdout, "created %s account %q; sign in at the admin page\n", a.Role, a.Username)
	case "password":
		if err := store.SetAdminPassword(ctx, *username, hash); err != nil {
			return fmt.Errorf("admin password: %s", errorText(err))
		}
		fmt.Fprintf(stdout, "password of %q changed; its open sessions are signed out\n", *username)
	case "delete":
		if err := store.DeleteAdmin(ctx, *username); err != nil {
			return fmt.Errorf("admin delete: %s", errorText(err))
		}
		fmt.Fprintf(stdout, "deleted %q; its open sessions are signed out\n", *username)
	default: // list
		list, err := store.ListAdmins(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tCREATED\tLAST SIGN-IN")
		for _, a := range list {
			last := "never"
			if a.LastLoginAt != nil {
				last = a.LastLoginAt.Local().Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Username, a.Role, a.CreatedAt.Local().Format(time.DateTime), last)
		}
		return tw.Flush()
	}
	return nil
}

// roleGiven reports whether -role was on the command line.
func roleGiven(fs *flag.FlagSet) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "role" })
	return given
}

// readPassword reads a new password: the first line of stdin with
// -password-stdin, else typed twice at the terminal without echo.
func readPassword(stdin io.Reader, prompt io.Writer, fromStdin bool) (string, error) {
	var password string
	switch f, isFile := stdin.(*os.File); {
	case fromStdin:
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	case isFile && term.IsTerminal(int(f.Fd())):
		first, err := promptSecret(f, prompt, "Password: ")
		if err != nil {
			return "", err
		}
		again, err := promptSecret(f, prompt, "Repeat password: ")
		if err != nil {
			return "", err
		}
		if first != again {
			return "", errors.New("the passwords differ")
		}
		password = first
	default:
		return "", errors.New("standard input is not a terminal: pass the password with -password-stdin")
	}
	if err := app.ValidatePassword(password); err != nil {
		return "", errors.New(errorText(err))
	}
	return password, nil
}

func promptSecret(f *os.File, prompt io.Writer, label string) (string, error) {
	fmt.Fprint(prompt, label)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return string(b), nil
}

// errorText is an app error's message for a person at a terminal.
func errorText(err error) string {
	if e, ok := errors.AsType[*app.Error](err); ok {
		return e.Message
	}
	return err.Error()
}
