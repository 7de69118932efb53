package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"gatehouse/app"
	"gatehouse/db"
)

// The first admin account from the environment: where there is no
// terminal to run "gatehouse admin create" in (a container on a router,
// docs/routeros-container.md §9), serve creates the first account from
//
//	GATEHOUSE_ADMIN_USERNAME   the account's user name
//	GATEHOUSE_ADMIN_PASSWORD   its password, or
//	GATEHOUSE_ADMIN_PASSWORD_FILE  a file holding it (a secret mounted in)
//
// only while the database has no account at all. Once one exists the
// variables are ignored (a restart cannot reset anyone's password; the log
// asks for a password left in the environment to be removed). The password
// is never logged.

// Environment variables of the first admin account.
const (
	envAdminUsername     = "GATEHOUSE_ADMIN_USERNAME"
	envAdminPassword     = "GATEHOUSE_ADMIN_PASSWORD"
	envAdminPasswordFile = "GATEHOUSE_ADMIN_PASSWORD_FILE"
)

// firstAdminFromEnv creates the first admin account from the environment
// when it names one and the store has none. A name without a usable
// password (or the reverse) is an error, so serve does not start with the
// operator believing an account exists.
func firstAdminFromEnv(ctx context.Context, getenv func(string) string, store *db.DB, logger *slog.Logger) error {
	username := strings.TrimSpace(getenv(envAdminUsername))
	secretSet := getenv(envAdminPassword) != "" || getenv(envAdminPasswordFile) != ""
	if username == "" && !secretSet {
		return nil
	}
	admins, err := store.ListAdmins(ctx)
	if err != nil {
		return err
	}
	if len(admins) > 0 {
		for _, name := range []string{envAdminPassword, envAdminPasswordFile} {
			if getenv(name) != "" {
				logger.Warn("an admin account exists, so " + name + " is ignored: remove it from the environment")
			}
		}
		return nil
	}
	password, source, err := envAdminSecret(getenv)
	if err != nil {
		return err
	}
	if username == "" || password == "" {
		return fmt.Errorf("%s and %s (or %s) go together: set both to create the first admin account, or neither",
			envAdminUsername, envAdminPassword, envAdminPasswordFile)
	}
	if err := app.ValidatePassword(password); err != nil {
		return fmt.Errorf("%s: %s", source, errorText(err))
	}
	hash, err := app.HashPassword(password)
	if err != nil {
		return err
	}
	a, err := store.CreateAdmin(ctx, username, app.RoleAdmin, hash)
	if err != nil {
		return fmt.Errorf("%s: %s", envAdminUsername, errorText(err))
	}
	logger.Info("created the first admin account from the environment; remove "+source+" from it now",
		"username", a.Username, "role", a.Role)
	return nil
}

// envAdminSecret is the first admin's password and the variable it came
// from: GATEHOUSE_ADMIN_PASSWORD or the first line of the file
// GATEHOUSE_ADMIN_PASSWORD_FILE names (one of them, not both).
func envAdminSecret(getenv func(string) string) (password, source string, err error) {
	p, path := getenv(envAdminPassword), getenv(envAdminPasswordFile)
	switch {
	case p != "" && path != "":
		return "", "", fmt.Errorf("set %s or %s, not both", envAdminPassword, envAdminPasswordFile)
	case p != "":
		return p, envAdminPassword, nil
	case path == "":
		return "", "", nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", envAdminPasswordFile, err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	if line = strings.TrimRight(line, "\r"); line == "" {
		return "", "", fmt.Errorf("%s: the first line of %s is empty; it must hold the password", envAdminPasswordFile, path)
	}
	return line, envAdminPasswordFile, nil
}
