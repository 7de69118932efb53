package main

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// What gatehouse may cost on a small router running containers (issue 18).
const (
	// maxReleaseBinary is the most the stripped release build may weigh.
	maxReleaseBinary = 20_000_000 // bytes
	// maxIdleRSS is the most serve may hold resident, idle on an empty
	// data directory.
	maxIdleRSS = 30_000_000 // bytes
	// idleFor is how long serve idles after it answers before the
	// measurement.
	idleFor = 3 * time.Second
)

// TestReleaseBinarySizeAndIdleRSS builds the release binary as a release
// is built (CGO_ENABLED=0, -trimpath, -ldflags="-s -w"), fails when it is
// over maxReleaseBinary, then runs it as "serve" on an empty data
// directory and a loopback port and fails when, idleFor after /livez
// first answered, its VmRSS is over maxIdleRSS. It logs both figures;
// skipped under -short.
//
//	go test -run TestReleaseBinarySizeAndIdleRSS -v .
func TestReleaseBinarySizeAndIdleRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the release binary and runs it; skipped under -short")
	}
	bin := filepath.Join(t.TempDir(), "gatehouse")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	start := time.Now()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("release binary: %d bytes (%.2f MB; limit %d), built in %v", fi.Size(), float64(fi.Size())/1e6,
		maxReleaseBinary, time.Since(start).Round(time.Millisecond))
	if fi.Size() > maxReleaseBinary {
		t.Errorf("release binary is %d bytes, want at most %d", fi.Size(), maxReleaseBinary)
	}

	if runtime.GOOS != "linux" {
		t.Skip("the resident memory is read from /proc")
	}
	addr := freeAddr(t)
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "serve", "-data-dir", t.TempDir(), "-listen", addr)
	cmd.Env = childEnv()
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start serve: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("SIGTERM: %v", err)
		}
		select {
		case <-done:
		case <-time.After(shutdownTimeout):
			cmd.Process.Kill()
			<-done
			t.Errorf("serve still running %v after SIGTERM\n%s", shutdownTimeout, logs.String())
		}
	})

	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := hc.Get("http://" + addr + "/livez")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited at start-up: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not answer /livez within 15s: %v\n%s", err, logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	hc.CloseIdleConnections()
	time.Sleep(idleFor)

	pid := cmd.Process.Pid
	rss := procStatusBytes(t, pid, "VmRSS")
	t.Logf("serve idle %v after /livez: VmRSS %d bytes (%.1f MB; limit %d), VmHWM %s", idleFor, rss, float64(rss)/1e6,
		maxIdleRSS, procStatus(pid, "VmHWM"))
	if rss > maxIdleRSS {
		t.Errorf("idle serve holds %d bytes resident, want at most %d", rss, maxIdleRSS)
	}
}

// procStatusBytes reads a "<n> kB" field of /proc/<pid>/status, such as
// VmRSS, in bytes.
func procStatusBytes(t *testing.T, pid int, field string) int64 {
	t.Helper()
	v := procStatus(pid, field)
	kB, err := strconv.ParseInt(strings.TrimSuffix(v, "kB"), 10, 64)
	if err != nil || !strings.HasSuffix(v, "kB") {
		t.Fatalf("/proc/%d/status %s = %q, want <n> kB", pid, field, v)
	}
	return kB * 1024
}
