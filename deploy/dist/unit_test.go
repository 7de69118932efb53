package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestDebVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.3":      "1.2.3",
		"v1.2.3-rc.1": "1.2.3~rc.1",
		"v0.0.0-20261204210503-e935eb32268b+dirty": "0.0.0~20261204210503~e935eb32268b+dirty",
		"dev": "0.0.0~dev",
		"":    "0.0.0~",
	} {
		if got := debVersion(in); got != want {
			t.Errorf("debVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParsePlatforms(t *testing.T) {
	ps, err := parsePlatforms("linux/arm/v7, linux/amd64")
	if err != nil || len(ps) != 2 || ps[0].debArch != "armhf" || ps[0].suffix() != "linux-armv7" || ps[1].String() != "linux/amd64" {
		t.Errorf("parsePlatforms: %+v, %v", ps, err)
	}
	if _, err := parsePlatforms("linux/riscv64"); err == nil {
		t.Error("parsePlatforms(linux/riscv64) succeeded, want an error")
	}
}

// TestImageReproducible: the same binaries give the same image, byte for
// byte, and the CA bundle is in it only when given.
func TestImageReproducible(t *testing.T) {
	dir := t.TempDir()
	b := binary{platform: platforms[2], path: filepath.Join(dir, "gatehouse"), livez: filepath.Join(dir, "livez")}
	for _, f := range []string{b.path, b.livez} {
		if err := os.WriteFile(f, []byte("#!/bin/false "+f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	m := imageMeta{version: "v1.0.0+x", commit: "abc", created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ca: []byte("PEM")}
	digests := func(m imageMeta) (string, string) {
		oci, docker, err := platformImages(b, m)
		if err != nil {
			t.Fatal(err)
		}
		d1, err := oci.Digest()
		if err != nil {
			t.Fatal(err)
		}
		d2, err := docker.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return d1.String(), d2.String()
	}
	o1, d1 := digests(m)
	o2, d2 := digests(m)
	if o1 != o2 || d1 != d2 {
		t.Errorf("two builds of one image differ: %s %s, %s %s", o1, o2, d1, d2)
	}
	with, err := layerTar(b, m)
	if err != nil {
		t.Fatal(err)
	}
	m.ca = nil
	without, err := layerTar(b, m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(with, []byte(caBundle[1:])) || bytes.Contains(without, []byte("etc/ssl")) {
		t.Error("the CA bundle is not in the layer exactly when given")
	}
	if tag, err := imageTag(m.version); err != nil || tag.TagStr() != "v1.0.0-x" {
		t.Errorf("imageTag(%q) = %v, %v; want tag v1.0.0-x", m.version, tag, err)
	}
}

// stubCommands is a directory of stand-ins for the commands the
// maintainer scripts call: each writes its name and arguments to the
// file calls in the directory; getent answers "no such user" unless
// STUB_GETENT=found.
func stubCommands(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	if err := os.WriteFile(calls, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"getent", "groupadd", "useradd", "install", "chgrp", "chmod", "systemctl"} {
		script := "#!/bin/sh\necho \"${0##*/} $*\" >> '" + calls + "'\n"
		if name == "getent" {
			script += "[ \"$STUB_GETENT\" = found ] || exit 2\n"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script+"exit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestMaintainerScripts runs deploy/debian's scripts against stand-in
// commands: a first install makes the user, group, data directory and
// the config's group; an upgrade keeps an existing user; removal and
// purge touch no data.
func TestMaintainerScripts(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the scripts are for Debian")
	}
	systemd := false
	if fi, err := os.Stat("/run/systemd/system"); err == nil && fi.IsDir() {
		systemd = true
	}
	runScript := func(script string, env []string, args ...string) string {
		t.Helper()
		bin := stubCommands(t)
		path := filepath.Join("..", "debian", script)
		if out, err := exec.Command("sh", "-n", path).CombinedOutput(); err != nil {
			t.Fatalf("sh -n %s: %v\n%s", script, err, out)
		}
		cmd := exec.Command("sh", append([]string{path}, args...)...)
		cmd.Env = append(env, "PATH="+bin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", script, strings.Join(args, " "), err, out)
		}
		return string(mustRead(t, filepath.Join(bin, "calls")))
	}
	fresh := runScript("postinst", nil, "configure", "")
	for _, want := range []string{
		"getent group gatehouse\ngroupadd --system gatehouse\n",
		"getent passwd gatehouse\nuseradd --system --gid gatehouse --home-dir /var/lib/gatehouse --no-create-home --shell /usr/sbin/nologin",
		"chgrp gatehouse /etc/gatehouse/config.toml\nchmod 0640 /etc/gatehouse/config.toml\n",
	} {
		if !strings.Contains(fresh, want) {
			t.Errorf("postinst configure (first install) did not run %q; it ran:\n%s", want, fresh)
		}
	}
	if _, err := os.Stat("/var/lib/gatehouse"); os.IsNotExist(err) && !strings.Contains(fresh, "install -d -m 0700 -o gatehouse -g gatehouse /var/lib/gatehouse\n") {
		t.Errorf("postinst did not make /var/lib/gatehouse:\n%s", fresh)
	}
	if systemd && !strings.Contains(fresh, "systemctl enable --now gatehouse.service\n") {
		t.Errorf("postinst (first install, systemd) did not enable and start the service:\n%s", fresh)
	}
	upgrade := runScript("postinst", []string{"STUB_GETENT=found"}, "configure", "1.0.0")
	if strings.Contains(upgrade, "useradd") || strings.Contains(upgrade, "groupadd") || strings.Contains(upgrade, "enable") {
		t.Errorf("postinst configure (upgrade, user there) made the user again or re-enabled:\n%s", upgrade)
	}
	if systemd && !strings.Contains(upgrade, "systemctl try-restart gatehouse.service\n") {
		t.Errorf("postinst (upgrade, systemd) did not restart the service:\n%s", upgrade)
	}
	if got := runScript("prerm", nil, "upgrade", "1.0.1"); got != "" {
		t.Errorf("prerm upgrade ran %q, want nothing", got)
	}
	for _, args := range [][]string{{"remove"}, {"purge"}} {
		for _, script := range []string{"prerm", "postrm"} {
			got := runScript(script, nil, args...)
			if strings.Contains(got, "rm ") || strings.Contains(got, "userdel") {
				t.Errorf("%s %s removed data or the user: %s", script, args[0], got)
			}
		}
	}
}

// TestCrossCompile builds the whole release, all three platforms, so a
// change that breaks one of them (a file with build tags, cgo creeping
// in) shows in CI, and checks each platform's binary, package and image.
func TestCrossCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles three binaries")
	}
	out := t.TempDir()
	var log bytes.Buffer
	r, err := run(t.Context(), options{out: out, version: testVersion, platforms: platforms, caBundle: hostCA()}, os.Getenv, &log)
	if err != nil {
		t.Fatalf("dist: %v\n%s", err, log.String())
	}
	t.Logf("dist:\n%s", log.String())
	checkSums(t, out, r.files)
	for i, b := range r.bins {
		checkBinary(t, b)
		if want := "gatehouse_1.2.3~rc.1_" + b.debArch + ".deb"; r.debs[i] != want {
			t.Errorf("package %s, want %s", r.debs[i], want)
		}
		checkImage(t, ociImage(t, out, b.platform), b.platform)
		cf, err := dockerImage(t, filepath.Join(out, r.tars[i])).ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if cf.Architecture != b.goarch || cf.Variant != b.variant {
			t.Errorf("%s is for %s/%s, want %s", r.tars[i], cf.Architecture, cf.Variant, b.platform)
		}
	}
}
