package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// testVersion has a pre-release part, so the Debian version (~) and the
// image tag are converted too.
const testVersion = "v1.2.3-rc.1"

// hostPlatform is the release platform of this machine, if it is one.
func hostPlatform(t *testing.T) platform {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("the release binaries run on Linux, this is %s", runtime.GOOS)
	}
	for _, p := range platforms {
		if p.goarch == runtime.GOARCH {
			return p
		}
	}
	t.Skipf("no release platform for GOARCH=%s", runtime.GOARCH)
	return platform{}
}

// hostCA is the CA bundle of this machine, "" when it has none.
func hostCA() string {
	if _, err := os.Stat(caBundle); err != nil {
		return ""
	}
	return caBundle
}

// TestRelease builds the release for this machine's platform and checks
// every file the way a user meets it: the binary static and stamped, the
// image read back (config, layer) and its binary run with an empty data
// directory, the .deb inspected, unpacked and installed into a scratch
// root with dpkg when dpkg is here.
func TestRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	p := hostPlatform(t)
	out := t.TempDir()
	var log bytes.Buffer
	r, err := run(t.Context(), options{out: out, version: testVersion, platforms: []platform{p}, caBundle: hostCA()}, os.Getenv, &log)
	if err != nil {
		t.Fatalf("dist: %v\n%s", err, log.String())
	}
	t.Logf("dist:\n%s", log.String())
	checkSums(t, out, r.files)
	checkBinary(t, r.bins[0])

	img := ociImage(t, out, p)
	layer := checkImage(t, img, p)
	docker := dockerImage(t, filepath.Join(out, r.tars[0]))
	if got, want := configDigest(t, docker), configDigest(t, img); got != want {
		t.Errorf("docker tarball's config %s, want the OCI image's %s", got, want)
	}
	files := layerFiles(t, layer)
	if got, want := files["gatehouse"], mustRead(t, r.bins[0].path); !bytes.Equal(got, want) {
		t.Errorf("the image's /gatehouse (%d bytes) is not the release binary (%d bytes)", len(got), len(want))
	}
	runImageBinary(t, files)

	checkDeb(t, filepath.Join(out, r.debs[0]), p, r.bins[0])
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkSums: SHA256SUMS lists every file with its hash.
func checkSums(t *testing.T, out string, files []string) {
	t.Helper()
	text := string(mustRead(t, filepath.Join(out, "SHA256SUMS")))
	for _, name := range files {
		sum, err := fileSHA256(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, sum+"  "+name+"\n") {
			t.Errorf("SHA256SUMS lacks %s %s:\n%s", sum, name, text)
		}
	}
	if got := strings.Count(text, "\n"); got != len(files) {
		t.Errorf("SHA256SUMS has %d lines, want %d", got, len(files))
	}
}

// checkBinary: static (no interpreter, no shared libraries), for its
// platform, built with the release flags, and without the packaging
// libraries only dist uses.
func checkBinary(t *testing.T, b binary) {
	t.Helper()
	f, err := elf.Open(b.path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "arm": elf.EM_ARM}[b.goarch]
	if f.Machine != want {
		t.Errorf("%s: machine %v, want %v", b.path, f.Machine, want)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			t.Errorf("%s has a program interpreter: not static", b.path)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v", b.path, libs)
	}
	if f.Section(".symtab") != nil {
		t.Errorf("%s has a symbol table: not stripped", b.path)
	}
	bi, err := buildinfo.ReadFile(b.path)
	if err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	// (With -trimpath, go build records no -ldflags: the version is
	// checked by running the binary.)
	for key, want := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true", "GOARCH": b.goarch, "GOARM": b.goarm} {
		if settings[key] != want {
			t.Errorf("%s: build setting %s = %q, want %q", b.path, key, settings[key], want)
		}
	}
	for _, dep := range bi.Deps {
		if strings.Contains(dep.Path, "goreleaser") || strings.Contains(dep.Path, "go-containerregistry") {
			t.Errorf("%s links %s: only deploy/dist may", b.path, dep.Path)
		}
	}
}

// ociImage reads out/oci and returns p's image, checking the index.
func ociImage(t *testing.T, out string, p platform) v1.Image {
	t.Helper()
	top, err := layout.ImageIndexFromPath(filepath.Join(out, "oci"))
	if err != nil {
		t.Fatal(err)
	}
	topManifest, err := top.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(topManifest.Manifests) != 1 || topManifest.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != testVersion {
		t.Fatalf("index.json: %+v, want one index named %s", topManifest.Manifests, testVersion)
	}
	idx, err := top.ImageIndex(topManifest.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Manifests {
		if d.Platform != nil && d.Platform.OS == "linux" && d.Platform.Architecture == p.goarch && d.Platform.Variant == p.variant {
			img, err := idx.Image(d.Digest)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
	}
	t.Fatalf("the image index has no %s: %+v", p, m.Manifests)
	return nil
}

// checkImage checks the image's manifest and config and returns its one layer.
func checkImage(t *testing.T, img v1.Image, p platform) v1.Layer {
	t.Helper()
	if mt, _ := img.MediaType(); mt != types.OCIManifestSchema1 {
		t.Errorf("manifest media type %s, want %s", mt, types.OCIManifestSchema1)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if cf.OS != "linux" || cf.Architecture != p.goarch || cf.Variant != p.variant {
		t.Errorf("platform %s/%s/%s, want %s", cf.OS, cf.Architecture, cf.Variant, p)
	}
	if c.User != "65532:65532" {
		t.Errorf("user %q, want 65532:65532 (numeric, not root)", c.User)
	}
	if !slices.Equal(c.Entrypoint, []string{"/gatehouse"}) || !slices.Equal(c.Cmd, []string{"serve"}) {
		t.Errorf("entrypoint %q cmd %q, want [/gatehouse] [serve]", c.Entrypoint, c.Cmd)
	}
	for _, env := range []string{"GATEHOUSE_STORAGE_DATA_DIR=/data", "GATEHOUSE_SERVER_LISTEN=:8080"} {
		if !slices.Contains(c.Env, env) {
			t.Errorf("env %q lacks %s", c.Env, env)
		}
	}
	if _, ok := c.ExposedPorts["8080/tcp"]; !ok || len(c.ExposedPorts) != 1 {
		t.Errorf("exposed ports %v, want 8080/tcp", c.ExposedPorts)
	}
	if _, ok := c.Volumes["/data"]; !ok || len(c.Volumes) != 1 {
		t.Errorf("volumes %v, want /data", c.Volumes)
	}
	if c.Healthcheck == nil || !slices.Equal(c.Healthcheck.Test, []string{"CMD", "/livez"}) || c.Healthcheck.Interval <= 0 {
		t.Errorf("health check %+v, want CMD /livez with an interval", c.Healthcheck)
	}
	if c.Labels["org.opencontainers.image.version"] != testVersion {
		t.Errorf("labels %v, want version %s", c.Labels, testVersion)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers %v (%v), want one", layers, err)
	}
	if mt, _ := layers[0].MediaType(); mt != types.OCILayer {
		t.Errorf("layer media type %s, want %s", mt, types.OCILayer)
	}
	return layers[0]
}

func dockerImage(t *testing.T, path string) v1.Image {
	t.Helper()
	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(path) })
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 1 || !slices.Equal(m[0].RepoTags, []string{"gatehouse:" + testVersion}) {
		t.Fatalf("%s: manifest.json %+v, want one image tagged gatehouse:%s", path, m, testVersion)
	}
	if !strings.HasSuffix(m[0].Layers[0], ".tar") {
		t.Errorf("%s: layer %s, want a plain tar as docker save writes", path, m[0].Layers[0])
	}
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func configDigest(t *testing.T, img v1.Image) v1.Hash {
	t.Helper()
	h, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// layerFiles reads the layer's regular files (and checks the modes and
// owners of the entries that matter).
func layerFiles(t *testing.T, l v1.Layer) map[string][]byte {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string][]byte{}
	heads := map[string]*tar.Header{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		heads[h.Name] = h
		if h.Typeflag == tar.TypeReg {
			if files[h.Name], err = io.ReadAll(tr); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, want := range map[string]struct {
		mode     int64
		uid      int
		typeflag byte
	}{
		"gatehouse": {0o755, 0, tar.TypeReg}, "livez": {0o755, 0, tar.TypeReg},
		"data/": {0o700, imageUID, tar.TypeDir}, "tmp/": {0o1777, 0, tar.TypeDir},
		"etc/passwd": {0o644, 0, tar.TypeReg},
	} {
		h := heads[name]
		if h == nil || h.Mode != want.mode || h.Uid != want.uid || h.Gid != want.uid || h.Typeflag != want.typeflag {
			t.Errorf("layer entry %s: %+v, want mode %o, owner %d, type %c", name, h, want.mode, want.uid, want.typeflag)
		}
	}
	if hostCA() != "" && !bytes.Equal(files[caBundle[1:]], mustRead(t, caBundle)) {
		t.Errorf("the image lacks this machine's CA bundle at %s", caBundle)
	}
	if !strings.Contains(string(files["etc/passwd"]), ":65532:65532:") {
		t.Errorf("etc/passwd lacks the user 65532:\n%s", files["etc/passwd"])
	}
	return files
}

// freePort is a loopback port free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// childEnv is this process's environment without GATEHOUSE_ variables
// (and systemd's NOTIFY_SOCKET), plus extra.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEHOUSE_") && !strings.HasPrefix(kv, "NOTIFY_SOCKET=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// runImageBinary runs the image's gatehouse as the image would (serve,
// the data directory empty), on a loopback port: /livez answers 200,
// /healthz names the version, and the image's health check passes while
// it runs and fails once it has stopped.
func runImageBinary(t *testing.T, files map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"gatehouse", "livez"} {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(filepath.Join(dir, "gatehouse"), "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "gatehouse "+testVersion+"\n") || !strings.Contains(string(out), "\ncommit: ") {
		t.Errorf("gatehouse version: %q (%v), want gatehouse %s and a commit line", out, err, testVersion)
	}

	listen := "127.0.0.1:" + freePort(t)
	env := childEnv("GATEHOUSE_STORAGE_DATA_DIR="+filepath.Join(dir, "data"), "GATEHOUSE_SERVER_LISTEN="+listen)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	serve := exec.CommandContext(ctx, filepath.Join(dir, "gatehouse"), "serve")
	serve.Env = env
	var logs bytes.Buffer
	serve.Stdout, serve.Stderr = &logs, &logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	defer func() {
		if serve.ProcessState == nil {
			_ = serve.Process.Kill()
			<-done
		}
	}()

	base := "http://" + listen
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(base + "/livez")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /livez: %s, want 200", resp.Status)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /livez: %v after 30 s\n%s", err, logs.String())
		}
		select {
		case err := <-done:
			t.Fatalf("gatehouse serve exited: %v\n%s", err, logs.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"version":"`+testVersion+`"`) {
		t.Errorf("GET /healthz: %s, want version %s", body, testVersion)
	}
	livez := func() error {
		cmd := exec.Command(filepath.Join(dir, "livez"))
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return errors.New(strings.TrimSpace(string(out)))
		}
		return nil
	}
	if err := livez(); err != nil {
		t.Errorf("the health check failed on a running gatehouse: %v", err)
	}

	_ = serve.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("gatehouse serve after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("gatehouse serve did not stop within 30 s of SIGTERM\n%s", logs.String())
	}
	if err := livez(); err == nil {
		t.Errorf("the health check passed with gatehouse stopped")
	}
}

// checkDeb inspects the package with dpkg-deb, unpacks it and installs it
// into a scratch root with dpkg (maintainer scripts run against stand-in
// commands, so nothing on this machine changes).
func checkDeb(t *testing.T, deb string, p platform, b binary) {
	t.Helper()
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Log("no dpkg-deb here: the .deb is not inspected")
		return
	}
	dpkgDeb := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("dpkg-deb", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("dpkg-deb %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	info := dpkgDeb("--info", deb)
	for _, want := range []string{"Package: gatehouse\n", "Version: 1.2.3~rc.1\n", "Architecture: " + p.debArch + "\n",
		"Depends: passwd\n", " postinst ", " prerm ", " postrm ", " conffiles "} {
		if !strings.Contains(info, want) {
			t.Errorf("dpkg-deb --info lacks %q:\n%s", want, info)
		}
	}
	contents := dpkgDeb("--contents", deb)
	for _, want := range []string{"-rwxr-xr-x root/root", "./usr/bin/gatehouse\n", "./usr/lib/systemd/system/gatehouse.service\n",
		"-rw-r----- root/root", "./etc/gatehouse/config.toml\n"} {
		if !strings.Contains(contents, want) {
			t.Errorf("dpkg-deb --contents lacks %q:\n%s", want, contents)
		}
	}

	root, control := t.TempDir(), t.TempDir()
	dpkgDeb("-x", deb, root)
	dpkgDeb("-e", deb, control)
	if got := string(mustRead(t, filepath.Join(control, "conffiles"))); got != debConfig+"\n" {
		t.Errorf("conffiles %q, want %s", got, debConfig)
	}
	if !bytes.Equal(mustRead(t, filepath.Join(root, debBinary)), mustRead(t, b.path)) {
		t.Errorf("%s in the package is not the release binary", debBinary)
	}
	unit := string(mustRead(t, filepath.Join(root, debUnit)))
	if !strings.Contains(unit, "\nExecStart=/usr/bin/gatehouse serve -config /etc/gatehouse/config.toml\n") {
		t.Errorf("the packaged unit does not start /usr/bin/gatehouse with the packaged config:\n%s", unit)
	}
	// What the unit expects is what postinst makes: the user, the group
	// and the state directory.
	postinst := string(mustRead(t, filepath.Join(control, "postinst")))
	for _, key := range []string{"User", "Group", "StateDirectory"} {
		v := unitValue(t, unit, key)
		want := map[string]string{"User": "useradd ", "Group": "groupadd --system " + v, "StateDirectory": "/var/lib/" + v}[key]
		if !strings.Contains(postinst, want) || !strings.Contains(postinst, " "+v) {
			t.Errorf("the unit has %s=%s but postinst does not make it (%q)", key, v, want)
		}
	}
	for _, script := range []string{"postinst", "prerm", "postrm"} {
		if out, err := exec.Command("sh", "-n", filepath.Join(control, script)).CombinedOutput(); err != nil {
			t.Errorf("sh -n %s: %v\n%s", script, err, out)
		}
	}
	// The packaged configuration is one gatehouse reads.
	cmd := exec.Command(filepath.Join(root, debBinary), "config", "-config", filepath.Join(root, debConfig))
	cmd.Env = childEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("gatehouse config -config %s: %v\n%s", debConfig, err, out)
	}
	dpkgInstall(t, deb)
}

// unitValue is the value of key= in a systemd unit.
func unitValue(t *testing.T, unit, key string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(unit))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+"="); ok {
			return v
		}
	}
	t.Fatalf("the unit has no %s=", key)
	return ""
}

// dpkgInstall installs deb into a scratch dpkg root and purges it again.
// dpkg runs the maintainer scripts outside a chroot
// (--force-script-chrootless), so every command they call is a stand-in
// that only writes down its arguments, and PATH holds nothing else but
// the programs dpkg itself runs (dpkg-deb, tar, rm, …).
func dpkgInstall(t *testing.T, deb string) {
	t.Helper()
	dpkg, err := exec.LookPath("dpkg")
	if err != nil {
		t.Log("no dpkg here: the .deb is not installed")
		return
	}
	root, bin := t.TempDir(), stubCommands(t)
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"var/lib/dpkg/status", "var/lib/dpkg/available"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tool := range []string{"dpkg-deb", "dpkg-split", "sh", "tar", "rm", "diff"} {
		path, err := exec.LookPath(tool)
		if err != nil {
			continue // dpkg says which one it missed
		}
		if err := os.Symlink(path, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	dpkgRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command(dpkg, append([]string{"--root=" + root, "--log=/dev/null", "--force-not-root",
			"--force-script-chrootless", "--force-bad-path", "--force-depends"}, args...)...)
		cmd.Env = append(childEnv(), "PATH="+bin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("dpkg %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	dpkgRun("--install", deb)
	status, err := exec.Command(dpkg, "--root="+root, "--status", "gatehouse").Output()
	if err != nil || !strings.Contains(string(status), "Status: install ok installed\n") {
		t.Errorf("dpkg --status gatehouse: %v\n%s", err, status)
	}
	for _, f := range []string{debBinary, debUnit, debConfig} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("installed: %v", err)
		}
	}
	calls := string(mustRead(t, filepath.Join(bin, "calls")))
	for _, want := range []string{"groupadd --system gatehouse\n", "useradd --system --gid gatehouse --home-dir /var/lib/gatehouse",
		"chgrp gatehouse /etc/gatehouse/config.toml\n", "chmod 0640 /etc/gatehouse/config.toml\n"} {
		if !strings.Contains(calls, want) {
			t.Errorf("postinst did not run %q; it ran:\n%s", want, calls)
		}
	}
	dpkgRun("--purge", "gatehouse")
	if _, err := os.Stat(filepath.Join(root, debConfig)); !os.IsNotExist(err) {
		t.Errorf("after purge %s is still there (%v)", debConfig, err)
	}
}
