package main

import (
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A platform is one target of a release: Go's names for it, Debian's
// and the OCI image's.
type platform struct {
	goarch  string
	goarm   string // "7" for arm/v7
	debArch string
	variant string // the OCI platform's variant: "v7" for arm/v7
}

// platforms are the release targets: PCs and servers, 64-bit ARM boards
// (most current MikroTik ARM routers) and 32-bit ARMv7 ones.
var platforms = []platform{
	{goarch: "amd64", debArch: "amd64"},
	{goarch: "arm64", debArch: "arm64"},
	{goarch: "arm", goarm: "7", debArch: "armhf", variant: "v7"},
}

// String is the platform as Docker and OCI write it: linux/arm/v7.
func (p platform) String() string {
	if p.variant != "" {
		return "linux/" + p.goarch + "/" + p.variant
	}
	return "linux/" + p.goarch
}

// suffix names the platform's files: linux-amd64, linux-armv7.
func (p platform) suffix() string { return "linux-" + p.goarch + p.variant }

// parsePlatforms reads -platforms: a comma-separated list of
// linux/amd64, linux/arm64 and linux/arm/v7.
func parsePlatforms(list string) ([]platform, error) {
	var out []platform
	for name := range strings.SplitSeq(list, ",") {
		i := slices.IndexFunc(platforms, func(p platform) bool { return p.String() == strings.TrimSpace(name) })
		if i < 0 {
			return nil, fmt.Errorf("unknown platform %q (known: linux/amd64, linux/arm64, linux/arm/v7)", name)
		}
		out = append(out, platforms[i])
	}
	return out, nil
}

// A binary is gatehouse built for one platform, with the health-check
// program the image needs.
type binary struct {
	platform
	path  string // the release file, out/gatehouse-linux-<arch>
	livez string // the image's health check, in the work directory
}

// buildFlags are the flags of every release build: no C (a static
// binary that runs on any Linux, RouterOS containers included), no local
// paths, the VCS stamp where there is a repository (go build records the
// commit, its time and whether the tree was modified; "auto" also wins
// over a GOFLAGS=-buildvcs=false in the environment), and no symbol or
// DWARF tables.
func buildFlags(version string) []string {
	ldflags := "-s -w"
	if version != "" {
		ldflags += " -X main.version=" + version
	}
	return []string{"build", "-trimpath", "-buildvcs=auto", "-ldflags=" + ldflags}
}

// build compiles gatehouse (into out) and deploy/livez (into work) for p.
func build(ctx context.Context, root, out, work, version string, p platform) (binary, error) {
	b := binary{platform: p, path: filepath.Join(out, "gatehouse-"+p.suffix()), livez: filepath.Join(work, "livez-"+p.suffix())}
	if err := goBuild(ctx, root, p, append(buildFlags(version), "-o", b.path, ".")); err != nil {
		return b, err
	}
	return b, goBuild(ctx, root, p, append(buildFlags(""), "-o", b.livez, "./deploy/livez"))
}

// goBuild runs the go command in root for p.
func goBuild(ctx context.Context, root string, p platform, args []string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+p.goarch, "GOARM="+p.goarm,
		"GOAMD64=v1", "GOARM64=v8.0") // the baseline of each architecture, whatever the environment says
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("GOARCH=%s GOARM=%s go %s: %w\n%s", p.goarch, p.goarm, strings.Join(args, " "), err, out)
	}
	return nil
}

// A stamp is what a built binary says of its source.
type stamp struct {
	version string    // the module version go build derived, "dev" without one
	commit  string    // vcs.revision
	time    time.Time // vcs.time, zero without
}

// readStamp reads the build info of the binary at path.
func readStamp(path string) (stamp, error) {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return stamp{}, err
	}
	s := stamp{version: bi.Main.Version}
	if s.version == "" || s.version == "(devel)" {
		s.version = "dev"
	}
	for _, set := range bi.Settings {
		switch set.Key {
		case "vcs.revision":
			s.commit = set.Value
		case "vcs.time":
			s.time, _ = time.Parse(time.RFC3339, set.Value)
		}
	}
	return s, nil
}

// sourceDate is the time every file of the release carries, so that the
// same commit gives the same bytes: SOURCE_DATE_EPOCH when set, else the
// commit's time, else the Unix epoch.
func sourceDate(getenv func(string) string, s stamp) (time.Time, error) {
	if v := getenv("SOURCE_DATE_EPOCH"); v != "" {
		var sec int64
		if _, err := fmt.Sscan(v, &sec); err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: %w", v, err)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if !s.time.IsZero() {
		return s.time.UTC(), nil
	}
	return time.Unix(0, 0).UTC(), nil
}

// writeSums writes dir/SHA256SUMS for files (names in dir), in the
// format sha256sum -c reads.
func writeSums(dir string, files []string) error {
	slices.Sort(files)
	var b strings.Builder
	for _, name := range files {
		sum, err := fileSHA256(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, name)
	}
	return os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(b.String()), 0o644)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
