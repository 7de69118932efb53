package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

// TestReadBuild: an -ldflags version wins over the module version, a
// build without either is "dev", and the VCS settings become the commit
// lines of "gatehouse version".
func TestReadBuild(t *testing.T) {
	stamped := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "gatehouse", Version: "v0.0.0-20261204210503-e935eb32268b+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "GOARM", Value: "7"},
			{Key: "vcs.revision", Value: "e935eb32268b58be6b83f3faaacb9412dd7d3c16"},
			{Key: "vcs.time", Value: "2026-12-04T21:05:03Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	for _, tc := range []struct {
		name    string
		bi      *debug.BuildInfo
		ldflags string
		want    string
	}{
		{"ldflags wins", stamped, "v1.2.3", "gatehouse v1.2.3\n"},
		{"module version", stamped, "", "gatehouse v0.0.0-20261204210503-e935eb32268b+dirty\n"},
		{"devel", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "gatehouse dev\n"},
		{"no build info", nil, "", "gatehouse dev\n"},
	} {
		if got := readBuild(tc.bi, tc.ldflags).String(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: got %q, want it to start with %q", tc.name, got, tc.want)
		}
	}
	got := readBuild(stamped, "v1.2.3").String()
	for _, want := range []string{
		"commit: e935eb32268b58be6b83f3faaacb9412dd7d3c16 (modified)\n",
		"commit time: 2026-12-04T21:05:03Z\n",
		"go: go1.26.8 ",
		"/v7\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
	if got := readBuild(&debug.BuildInfo{}, "").String(); !strings.Contains(got, "commit: unknown") {
		t.Errorf("unstamped build: got %q, want commit: unknown", got)
	}
}

// TestVersionCommand: "gatehouse version" starts with the version that
// /healthz reports (buildVersion).
func TestVersionCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"version"}, strings.NewReader(""), &out, &errOut, func(string) string { return "" }); err != nil {
		t.Fatalf("gatehouse version: %v (%s)", err, errOut.String())
	}
	if want := "gatehouse " + buildVersion() + "\n"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("got %q, want it to start with %q", out.String(), want)
	}
}
