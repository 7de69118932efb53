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

// The admin verbs manage the accounts that sign in to the admin page.

// cmdAdminCreate is "gatehouse admin create": a new account.
func cmdAdminCreate(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	username := usernameFlag(fs)
	role := roleFlag(fs, "the account's `ROLE`: admin, operator or frontdesk")
	fromStdin := passwordStdinFlag(fs)
	return func(ctx context.Context, c console, _ []string) error {
		if err := checkUsername("admin create", *username); err != nil {
			return err
		}
		hash, err := newPasswordHash(c, *fromStdin)
		if err != nil {
			return fmt.Errorf("admin create: %w", err)
		}
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		a, err := store.CreateAdmin(ctx, *username, *role, hash)
		if err != nil {
			return fmt.Errorf("admin create: %s", errorText(err))
		}
		fmt.Fprintf(c.stdout, "created %s account %q; sign in at the admin page\n", a.Role, a.Username)
		return nil
	}
}

// cmdAdminPassword is "gatehouse admin password": a new password for an
// account, which signs out its open sessions.
func cmdAdminPassword(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	username := usernameFlag(fs)
	fromStdin := passwordStdinFlag(fs)
	return func(ctx context.Context, c console, _ []string) error {
		if err := checkUsername("admin password", *username); err != nil {
			return err
		}
		hash, err := newPasswordHash(c, *fromStdin)
		if err != nil {
			return fmt.Errorf("admin password: %w", err)
		}
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := store.SetAdminPassword(ctx, *username, hash); err != nil {
			return fmt.Errorf("admin password: %s", errorText(err))
		}
		fmt.Fprintf(c.stdout, "password of %q changed; its open sessions are signed out\n", *username)
		return nil
	}
}

// cmdAdminList is "gatehouse admin list": the accounts with their roles.
func cmdAdminList(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	return func(ctx context.Context, c console, _ []string) error {
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		list, err := store.ListAdmins(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
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
}

// cmdAdminDelete is "gatehouse admin delete": removes an account and
// signs out its open sessions.
func cmdAdminDelete(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	username := usernameFlag(fs)
	return func(ctx context.Context, c console, _ []string) error {
		if err := checkUsername("admin delete", *username); err != nil {
			return err
		}
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := store.DeleteAdmin(ctx, *username); err != nil {
			return fmt.Errorf("admin delete: %s", errorText(err))
		}
		fmt.Fprintf(c.stdout, "deleted %q; its open sessions are signed out\n", *username)
		return nil
	}
}

func usernameFlag(fs *flag.FlagSet) *string {
	return fs.String("username", "", "the account's user `NAME` (required)")
}

func passwordStdinFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("password-stdin", false, "read the password from the first line of standard input (else it is asked for twice at the terminal)")
}

// checkUsername is a usage error unless -username names a valid account
// name.
func checkUsername(verb, username string) error {
	if err := app.ValidateUsername(username); err != nil {
		return usageErrorf("%s: -username: %s", verb, errorText(err))
	}
	return nil
}

// roleFlag defines -role on fs: admin (the default), operator or
// frontdesk; any other value is refused as the flags are parsed.
func roleFlag(fs *flag.FlagSet, usage string) *app.Role {
	role := app.RoleAdmin
	fs.Func("role", usage+" (default admin)", func(s string) error {
		if !app.Role(s).Valid() {
			return errors.New("must be admin, operator or frontdesk")
		}
		role = app.Role(s)
		return nil
	})
	return &role
}

// newPasswordHash reads a new password (see readPassword) and hashes it.
func newPasswordHash(c console, fromStdin bool) (string, error) {
	password, err := readPassword(c.stdin, c.stderr, fromStdin)
	if err != nil {
		return "", err
	}
	return app.HashPassword(password)
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
	if msg := app.ErrorMessage(err); msg != "" {
		return msg
	}
	return err.Error()
}
