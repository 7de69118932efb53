package main

// The .deb is written by nfpm (github.com/goreleaser/nfpm, the packager
// behind GoReleaser): a maintained Go library that writes the ar archive,
// control.tar and data.tar itself. No dpkg-deb, fakeroot or Debian
// machine is needed, the package comes out the same from any OS, and file
// owners, modes and times are set in code instead of taken from the disk.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
)

// Where the package puts things. The unit in deploy/ is written for a
// binary installed by hand in /usr/local/bin; a package's belongs in
// /usr/bin, so the packaged unit's ExecStart is rewritten to it.
const (
	debBinary = "/usr/bin/gatehouse"
	debUnit   = "/usr/lib/systemd/system/gatehouse.service"
	debConfig = "/etc/gatehouse/config.toml"
	execStart = "ExecStart=/usr/local/bin/gatehouse "
)

// writeDeb writes out/gatehouse_<version>_<arch>.deb for b and returns
// its name.
func writeDeb(root, out, work, version string, b binary, mtime time.Time) (string, error) {
	unit, err := packagedUnit(root, work)
	if err != nil {
		return "", err
	}
	script := func(name string) string { return filepath.Join(root, "deploy", "debian", name) }
	mode := func(m os.FileMode) *files.ContentFileInfo {
		return &files.ContentFileInfo{Owner: "root", Group: "root", Mode: m, MTime: mtime}
	}
	info := nfpm.WithDefaults(&nfpm.Info{
		Name:          "gatehouse",
		Arch:          b.debArch,
		Platform:      "linux",
		Version:       debVersion(version),
		VersionSchema: "none",
		Section:       "net",
		Priority:      "optional",
		Maintainer:    "gatehouse maintainers <gatehouse@localhost>",
		Description: "guest Wi-Fi controller for MikroTik routers\n" +
			"One binary with SQLite inside: captive portal instances, coupons,\n" +
			"OAuth2 sign-in and walled gardens, pushed to MikroTik hotspots over\n" +
			"the RouterOS API, behind an Altostrat-compatible HTTP API.",
		MTime: mtime,
		Overridables: nfpm.Overridables{
			Depends: []string{"passwd"}, // useradd and groupadd, in postinst
			// OAuth2 providers, webhooks and SMTP are reached over TLS.
			Recommends: []string{"ca-certificates"},
			Contents: files.Contents{
				{Source: b.path, Destination: debBinary, FileInfo: mode(0o755)},
				{Source: unit, Destination: debUnit, FileInfo: mode(0o644)},
				{Destination: "/etc/gatehouse", Type: files.TypeDir, FileInfo: mode(0o755)},
				// A conffile: dpkg keeps the administrator's edits on upgrade.
				// postinst gives it to group gatehouse (it may hold secrets).
				{Source: filepath.Join(root, "config.example.toml"), Destination: debConfig, Type: files.TypeConfig, FileInfo: mode(0o640)},
			},
			Scripts: nfpm.Scripts{PostInstall: script("postinst"), PreRemove: script("prerm"), PostRemove: script("postrm")},
		},
	})
	name := deb.Default.ConventionalFileName(info)
	f, err := os.Create(filepath.Join(out, name))
	if err != nil {
		return "", err
	}
	if err := deb.Default.Package(info, f); err != nil {
		f.Close()
		return "", fmt.Errorf("package %s: %w", name, err)
	}
	return name, f.Close()
}

// packagedUnit writes deploy/gatehouse.service with ExecStart on
// /usr/bin into work and returns its path.
func packagedUnit(root, work string) (string, error) {
	text, err := os.ReadFile(filepath.Join(root, "deploy", "gatehouse.service"))
	if err != nil {
		return "", err
	}
	if strings.Count(string(text), execStart) != 1 {
		return "", fmt.Errorf("deploy/gatehouse.service: want one line starting %q to point at %s", execStart, debBinary)
	}
	path := filepath.Join(work, "gatehouse.service")
	unit := strings.Replace(string(text), execStart, "ExecStart="+debBinary+" ", 1)
	unit = strings.Replace(unit, `Install: see README "Install as a service".`, "Installed by the gatehouse package.", 1)
	return path, os.WriteFile(path, []byte(unit), 0o644)
}

var debVersionChars = regexp.MustCompile(`[^A-Za-z0-9.+~]`)

// debVersion turns a Go version into a Debian one that sorts the same
// way: no leading v, and a pre-release (v1.2.0-rc.1, or the commit of a
// pseudo-version) before the release (1.2.0~rc.1 < 1.2.0). A version
// that does not start with a digit ("dev") becomes 0.0.0~dev.
func debVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	v = debVersionChars.ReplaceAllString(v, "~")
	if v == "" || v[0] < '0' || v[0] > '9' {
		v = "0.0.0~" + v
	}
	return v
}
