package main

// The container image is put together with go-containerregistry, without
// a Docker daemon or a Dockerfile: one layer holding the static binary,
// the health check, a CA bundle, /etc/passwd and group for the user, and
// the empty /data and /tmp. There is no shell and no libc: gatehouse
// needs neither.

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The image's user, ports and paths.
const (
	imageUID  = 65532 // a numeric user, so that no /etc/passwd lookup is needed to run as it
	imagePort = "8080"
	imageData = "/data"
	// caBundle is where Go's crypto/x509 looks first on Linux: OAuth2
	// providers, webhooks and SMTP over TLS need it, and scratch has none.
	caBundle = "/etc/ssl/certs/ca-certificates.crt"
)

// imageMeta is what every platform's image says of the release.
type imageMeta struct {
	version string
	commit  string
	created time.Time
	ca      []byte // the CA bundle, nil to leave it out
}

// imageConfig is the image's runtime configuration.
func imageConfig(p platform, m imageMeta) *v1.ConfigFile {
	return &v1.ConfigFile{
		OS: "linux", Architecture: p.goarch, Variant: p.variant,
		Created: v1.Time{Time: m.created},
		Config: v1.Config{
			User: fmt.Sprintf("%d:%d", imageUID, imageUID),
			// /gatehouse serve, split so that another verb replaces only
			// the command: docker run IMAGE token create -name ops.
			Entrypoint: []string{"/gatehouse"},
			Cmd:        []string{"serve"},
			Env: []string{
				"GATEHOUSE_STORAGE_DATA_DIR=" + imageData,
				"GATEHOUSE_SERVER_LISTEN=:" + imagePort,
			},
			WorkingDir:   imageData,
			ExposedPorts: map[string]struct{}{imagePort + "/tcp": {}},
			Volumes:      map[string]struct{}{imageData: {}},
			StopSignal:   "SIGTERM",
			Healthcheck: &v1.HealthConfig{
				Test:     []string{"CMD", "/livez"},
				Interval: 30 * time.Second, Timeout: 5 * time.Second, StartPeriod: 10 * time.Second, Retries: 3,
			},
			Labels: map[string]string{
				"org.opencontainers.image.title":       "gatehouse",
				"org.opencontainers.image.description": "Guest Wi-Fi controller for MikroTik routers",
				"org.opencontainers.image.version":     m.version,
				"org.opencontainers.image.revision":    m.commit,
				"org.opencontainers.image.created":     m.created.Format(time.RFC3339),
			},
		},
	}
}

// layerTar is the image's one layer, uncompressed: every entry owned by
// root but /data, with the release's time.
func layerTar(b binary, m imageMeta) ([]byte, error) {
	gatehouse, err := os.ReadFile(b.path)
	if err != nil {
		return nil, err
	}
	livez, err := os.ReadFile(b.livez)
	if err != nil {
		return nil, err
	}
	user := fmt.Sprintf("gatehouse:x:%d:%d:gatehouse:%s:/sbin/nologin\n", imageUID, imageUID, imageData)
	type entry struct {
		name     string
		mode     int64
		body     []byte
		uid      int
		dir      bool
		optional bool
	}
	entries := []entry{
		{name: "data/", mode: 0o700, uid: imageUID, dir: true},
		{name: "etc/", mode: 0o755, dir: true},
		{name: "etc/group", mode: 0o644, body: fmt.Appendf(nil, "root:x:0:\ngatehouse:x:%d:\n", imageUID)},
		{name: "etc/passwd", mode: 0o644, body: []byte("root:x:0:0:root:/root:/sbin/nologin\n" + user)},
		{name: "etc/ssl/", mode: 0o755, dir: true, optional: m.ca == nil},
		{name: "etc/ssl/certs/", mode: 0o755, dir: true, optional: m.ca == nil},
		{name: caBundle[1:], mode: 0o644, body: m.ca, optional: m.ca == nil},
		{name: "gatehouse", mode: 0o755, body: gatehouse},
		{name: "livez", mode: 0o755, body: livez},
		{name: "tmp/", mode: 0o1777, dir: true},
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		if e.optional {
			continue
		}
		h := &tar.Header{Name: e.name, Mode: e.mode, Uid: e.uid, Gid: e.uid, ModTime: m.created, Format: tar.FormatPAX,
			Typeflag: tar.TypeReg, Size: int64(len(e.body))}
		if e.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// platformImages are b's image twice over: for the OCI layout (OCI media
// types, the layer gzipped) and for a docker-save tarball (Docker media
// types, the layer as a plain tar, as docker save writes it).
func platformImages(b binary, m imageMeta) (oci, docker v1.Image, err error) {
	layerBytes, err := layerTar(b, m)
	if err != nil {
		return nil, nil, err
	}
	cfg := imageConfig(b.platform, m)
	history := v1.History{Created: v1.Time{Time: m.created}, CreatedBy: "go run ./deploy/dist", Comment: "gatehouse " + m.version}

	gz, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(layerBytes)), nil },
		tarball.WithMediaType(types.OCILayer), tarball.WithCompressionLevel(gzip.BestCompression))
	if err != nil {
		return nil, nil, err
	}
	ociBase := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	if oci, err = withLayer(ociBase, cfg, gz, history, m.created); err != nil {
		return nil, nil, err
	}
	plain := static.NewLayer(layerBytes, types.DockerUncompressedLayer)
	if docker, err = withLayer(empty.Image, cfg, plain, history, m.created); err != nil {
		return nil, nil, err
	}
	return oci, docker, nil
}

func withLayer(base v1.Image, cfg *v1.ConfigFile, l v1.Layer, h v1.History, created time.Time) (v1.Image, error) {
	img, err := mutate.ConfigFile(base, cfg.DeepCopy())
	if err != nil {
		return nil, err
	}
	if img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: h}); err != nil {
		return nil, err
	}
	return mutate.CreatedAt(img, v1.Time{Time: created})
}

var tagChars = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// imageTag is gatehouse:<version>, with what a tag may not hold ("+") as "-".
func imageTag(version string) (name.Tag, error) {
	return name.NewTag("gatehouse:" + tagChars.ReplaceAllString(version, "-"))
}

// writeImages writes out/oci (an OCI image layout: one index of every
// platform's image, named by the tag) and out/gatehouse-image-linux-<arch>.tar
// (docker-save tarballs, one platform each, which docker load and
// RouterOS /container/add file= read). It returns the tarballs' names.
func writeImages(out string, bins []binary, m imageMeta) ([]string, error) {
	tag, err := imageTag(m.version)
	if err != nil {
		return nil, err
	}
	index := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	var tars []string
	for _, b := range bins {
		oci, docker, err := platformImages(b, m)
		if err != nil {
			return nil, fmt.Errorf("image for %s: %w", b.platform, err)
		}
		index = mutate.AppendManifests(index, mutate.IndexAddendum{Add: oci, Descriptor: v1.Descriptor{
			Platform: &v1.Platform{OS: "linux", Architecture: b.goarch, Variant: b.variant}}})
		tarName := "gatehouse-image-" + b.suffix() + ".tar"
		if err := tarball.WriteToFile(filepath.Join(out, tarName), tag, docker); err != nil {
			return nil, fmt.Errorf("write %s: %w", tarName, err)
		}
		tars = append(tars, tarName)
	}
	dir := filepath.Join(out, "oci")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		return nil, err
	}
	if err := lp.AppendIndex(index, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": tag.TagStr(),
	})); err != nil {
		return nil, err
	}
	return tars, readableByAll(dir)
}

// readableByAll gives the layout the modes of any other release file
// (go-containerregistry writes some blobs 0600 and index.json 0755).
func readableByAll(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if d.IsDir() {
			mode = 0o755
		}
		return os.Chmod(path, mode)
	})
}
