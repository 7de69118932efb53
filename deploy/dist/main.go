// Command dist makes gatehouse's release files with nothing but Go: no
// make, no Docker daemon, no dpkg.
//
//	go run ./deploy/dist [-out DIR] [-version V] [-platforms linux/amd64,linux/arm64,linux/arm/v7]
//
// For each platform it writes, into DIR (default dist):
//
//	gatehouse-linux-<arch>              the static binary (build.go)
//	gatehouse_<version>_<arch>.deb      the Debian package (deb.go)
//	gatehouse-image-linux-<arch>.tar    the container image as docker save writes it (image.go)
//
// and, for all of them, oci/ (an OCI image layout holding the multi-arch
// index) and SHA256SUMS. Without -version the version is the one go build
// derives from the repository (a tag, or v0.0.0-<time>-<commit>, +dirty
// for a modified tree). Every file carries the commit's time (or
// SOURCE_DATE_EPOCH), so the same commit gives the same bytes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var o options
	fs := flag.NewFlagSet("dist", flag.ExitOnError)
	fs.StringVar(&o.out, "out", "dist", "the `DIR` to write the release files to")
	fs.StringVar(&o.version, "version", "", "the version `V` to stamp (-X main.version); default: go build's from the repository")
	list := fs.String("platforms", "linux/amd64,linux/arm64,linux/arm/v7", "the `LIST` of platforms to build, comma-separated")
	fs.StringVar(&o.caBundle, "ca-bundle", caBundle, "CA certificates `FILE` to put in the image (\"\" for none)")
	_ = fs.Parse(os.Args[1:])
	var err error
	if o.platforms, err = parsePlatforms(*list); err == nil {
		_, err = run(ctx, o, os.Getenv, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
}

// options are dist's flags.
type options struct {
	out       string
	version   string
	platforms []platform
	caBundle  string
}

// release is what run made.
type release struct {
	version string   // as stamped
	files   []string // in out, as SHA256SUMS lists them
	bins    []binary
	debs    []string
	tars    []string
}

// run builds the release into o.out and reports each file on log.
func run(ctx context.Context, o options, getenv func(string) string, log io.Writer) (*release, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "gatehouse-dist-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	r := &release{version: o.version}
	for _, p := range o.platforms {
		b, err := build(ctx, root, o.out, work, o.version, p)
		if err != nil {
			return nil, err
		}
		r.bins = append(r.bins, b)
		r.files = append(r.files, filepath.Base(b.path))
	}
	st, err := readStamp(r.bins[0].path)
	if err != nil {
		return nil, err
	}
	if r.version == "" {
		r.version = st.version
	}
	created, err := sourceDate(getenv, st)
	if err != nil {
		return nil, err
	}
	for _, b := range r.bins {
		name, err := writeDeb(root, o.out, work, r.version, b, created)
		if err != nil {
			return nil, err
		}
		r.debs = append(r.debs, name)
	}
	m := imageMeta{version: r.version, commit: st.commit, created: created}
	if o.caBundle != "" {
		if m.ca, err = os.ReadFile(o.caBundle); err != nil {
			// Only the default may be missing (a build machine without
			// ca-certificates): the image then reaches no HTTPS host
			// unless a bundle is mounted at /etc/ssl/certs/ca-certificates.crt.
			if o.caBundle != caBundle {
				return nil, err
			}
			fmt.Fprintf(log, "dist: warning: no %s on this machine: the image has no CA certificates (OAuth2 sign-in and HTTPS webhooks fail until one is mounted there)\n", caBundle)
		}
	}
	if r.tars, err = writeImages(o.out, r.bins, m); err != nil {
		return nil, err
	}
	r.files = append(append(r.files, r.debs...), r.tars...)
	if err := writeSums(o.out, r.files); err != nil {
		return nil, err
	}
	for _, name := range append(r.files, "oci", "SHA256SUMS") {
		if fi, err := os.Stat(filepath.Join(o.out, name)); err == nil && !fi.IsDir() {
			fmt.Fprintf(log, "%10.1f MiB  %s\n", float64(fi.Size())/(1<<20), filepath.Join(o.out, name))
		} else if err == nil {
			fmt.Fprintf(log, "%14s  %s/ (OCI image layout, %s)\n", "", filepath.Join(o.out, name), strings.Join(platformNames(o.platforms), ", "))
		}
	}
	return r, nil
}

func platformNames(ps []platform) []string {
	var names []string
	for _, p := range ps {
		names = append(names, p.String())
	}
	return names
}

// moduleRoot is the directory of gatehouse's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside the gatehouse module: run dist from the repository")
	}
	return filepath.Dir(gomod), nil
}
