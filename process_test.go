package main

// Fault tests of the real binary: gatehouse is built once per test, run as
// a child process on its own data directory and a free loopback port, and
// killed (SIGKILL) or stopped (SIGTERM) in the middle of work. The checks
// read the SQLite file directly, with the server stopped.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to inspect the data file

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// buildGatehouse compiles the binary into a temporary directory.
func buildGatehouse(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gatehouse")
	start := time.Now()
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("go build: %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// childEnv is the test's environment without gatehouse settings (and
// without a systemd socket), plus extra.
func childEnv(extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GATEHOUSE_") || strings.HasPrefix(kv, "NOTIFY_SOCKET=") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, extra...)
}

// syncBuffer is a bytes.Buffer safe for the child's output copier and the
// test reading it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// child is one running "gatehouse serve".
type child struct {
	t    testing.TB
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer
	done chan struct{} // closed when the process has been waited for
	err  error         // Wait's result, set before done closes
}

// gatehouseBin is a built binary with its data directory and address.
type gatehouseBin struct {
	path, dir, addr string
	env             []string
}

func newGatehouseBin(t testing.TB, env ...string) *gatehouseBin {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return &gatehouseBin{path: buildGatehouse(t), dir: t.TempDir(), addr: addr, env: childEnv(env...)}
}

// cli runs a subcommand of the binary and returns its stdout.
func (g *gatehouseBin) cli(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(g.path, append(args, "-data-dir", g.dir)...)
	cmd.Env = g.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gatehouse %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// adminToken creates an admin token with the CLI: the last line of stdout.
func (g *gatehouseBin) adminToken(t testing.TB) string {
	t.Helper()
	out := strings.TrimSpace(g.cli(t, "token", "create", "-name", "fault-tests", "-role", "admin"))
	token := out[strings.LastIndexByte(out, '\n')+1:]
	if strings.Count(token, ".") != 2 {
		t.Fatalf("token create printed %q", out)
	}
	return token
}

// start runs serve and waits until /healthz answers.
func (g *gatehouseBin) start(t testing.TB) *child {
	t.Helper()
	c := &child{t: t, addr: g.addr, logs: &syncBuffer{}, done: make(chan struct{})}
	c.cmd = exec.Command(g.path, "serve", "-data-dir", g.dir, "-listen", g.addr)
	c.cmd.Env = g.env
	c.cmd.Stdout, c.cmd.Stderr = c.logs, c.logs
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start serve: %v", err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := hc.Get("http://" + g.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return c
			}
		}
		select {
		case <-c.done:
			t.Fatalf("serve exited at start-up: %v\n%s", c.err, c.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not answer /healthz within 15s: %v\n%s", err, c.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL and waits for it.
func (c *child) kill() {
	c.t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		c.t.Fatalf("SIGKILL: %v", err)
	}
	<-c.done
}

// term sends SIGTERM and waits up to limit for the process to exit. It
// returns the exit code and how long the stop took; it fails the test if
// the process is still running after limit.
func (c *child) term(limit time.Duration) (int, time.Duration) {
	c.t.Helper()
	start := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		c.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-c.done:
	case <-time.After(limit):
		c.cmd.Process.Kill()
		<-c.done
		c.t.Fatalf("serve still running %v after SIGTERM\n%s", limit, c.logs.String())
	}
	return c.cmd.ProcessState.ExitCode(), time.Since(start)
}

// stop is term with the checks every graceful stop must pass.
func (c *child) stop() time.Duration {
	c.t.Helper()
	code, took := c.term(shutdownTimeout)
	if code != 0 {
		c.t.Fatalf("serve exited with %d after SIGTERM, want 0\n%s", code, c.logs.String())
	}
	return took
}

// call sends one JSON request to the child and decodes the answer into out
// (when not nil). Transport errors are returned, not fatal: the server may
// be dying on purpose.
func (c *child) call(hc *http.Client, method, path, token string, body any, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, "http://"+c.addr+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, fmt.Errorf("decode %s: %w", data, err)
		}
	}
	if res.StatusCode >= 300 && out != nil {
		return res.StatusCode, fmt.Errorf("status %d: %s", res.StatusCode, data)
	}
	return res.StatusCode, nil
}

// must is call for set-up requests that have to succeed with want.
func (c *child) must(method, path, token string, body any, want int, out any) {
	c.t.Helper()
	status, err := c.call(http.DefaultClient, method, path, token, body, out)
	if err != nil || status != want {
		c.t.Fatalf("%s %s: %d %v, want %d\n%s", method, path, status, err, want, c.logs.String())
	}
}

// openDataFile opens the stopped server's database read-only.
func openDataFile(t testing.TB, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gatehouse.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// integrityOK runs PRAGMA integrity_check and foreign_key_check, or when
// full is false only PRAGMA quick_check (the same page and b-tree checks,
// without matching every index entry to its row: O(N), not O(N log N)).
func integrityOK(t testing.TB, db *sql.DB, full bool) {
	t.Helper()
	pragma := "quick_check"
	if full {
		pragma = "integrity_check"
	}
	rows, err := db.Query(`PRAGMA ` + pragma)
	if err != nil {
		t.Fatalf("%s: %v", pragma, err)
	}
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, s)
	}
	rows.Close()
	if len(lines) != 1 || lines[0] != "ok" {
		t.Fatalf("%s = %q, want ok", pragma, lines)
	}
	if !full {
		return
	}
	rows, err = db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatalf("foreign_key_check: %v", err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("foreign_key_check reports dangling references")
	}
}

// couponOut is the part of the Coupon JSON the fault tests need.
type couponOut struct {
	ID   string `json:"id"`
	Code string `json:"code"`
}

// batchAttempt is one POST .../coupons of the crash test. Its
// minutes_valid is unique, so the batch's rows are exactly the coupons
// whose expires_at - created_at is that many minutes.
type batchAttempt struct {
	minutes int
	status  int   // 0: no answer (the server died)
	err     error // transport error
	ids     []string
}

// TestCrashSafety kills the server with SIGKILL at random moments while
// four clients create coupon batches, and checks after every kill that
// the database is intact, that every batch is all or nothing, and that
// nothing a client was told about is lost.
//
// All-or-nothing is proven per request: each request uses its own
// minutes_valid, and a transaction takes its timestamp once, so the rows
// of one request are exactly those with expires_at - created_at = its
// minutes. Every such group must hold exactly 50 rows; a group answered
// with 201 must be exactly the ids of the answer; a group without an
// answer may exist only for a request that was in flight when the process
// died. Nothing is lost: after every round the coupons of earlier rounds
// still add up to what was checked before, and at the end every batch is
// counted again and the API lists exactly what the file holds.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary; skipped with -short")
	}
	const (
		rounds  = 20
		clients = 4
		perReq  = 50
	)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	started := time.Now()

	g := newGatehouseBin(t)
	token := g.adminToken(t)
	c := g.start(t)
	var inst struct{ ID string }
	c.must(http.MethodPost, "/captive/instances", token,
		map[string]any{"name": "Crash", "strategy": "coupon", "session_ttl": 3600}, http.StatusCreated, &inst)
	c.stop()

	var (
		attempts []*batchAttempt // every request of every round
		acked    int
		inFlight int // requests without an answer, summed over rounds
	)
	var checkTime time.Duration
	fullChecks, storedBefore := 0, 0
	for round := range rounds {
		roundStart := time.Now()
		c := g.start(t)
		tr := &http.Transport{MaxIdleConnsPerHost: clients}
		hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
		first := make(chan struct{})
		var once sync.Once
		var mu sync.Mutex
		var wg sync.WaitGroup
		for cl := range clients {
			wg.Go(func() {
				for seq := 0; ; seq++ {
					a := &batchAttempt{minutes: 100000 + round*clients*1000 + cl*1000 + seq}
					mu.Lock()
					attempts = append(attempts, a)
					mu.Unlock()
					once.Do(func() { close(first) })
					var out []couponOut
					a.status, a.err = c.call(hc, http.MethodPost, "/captive/instances/"+inst.ID+"/coupons", token,
						map[string]any{"count": perReq, "minutes_valid": a.minutes}, &out)
					for _, cp := range out {
						a.ids = append(a.ids, cp.ID)
					}
					if a.status == 0 || a.status == http.StatusCreated && a.err != nil {
						return // the server is gone (at most in the middle of an answer)
					}
					if a.status != http.StatusCreated || a.err != nil {
						t.Errorf("round %d: POST coupons answered %d %v", round, a.status, a.err)
						return
					}
					if seq == 999 {
						return
					}
				}
			})
		}
		<-first
		time.Sleep(time.Duration(1+rng.IntN(300)) * time.Millisecond)
		c.kill()
		wg.Wait()
		tr.CloseIdleConnections()

		// The integrity check costs O(N log N) in the size of the file,
		// and a lot more under the race detector (the driver is Go):
		// full checks while they stay within a budget, quick ones after,
		// and a full one at the end.
		checkStart := time.Now()
		db := openDataFile(t, g.dir)
		full := checkTime < 5*time.Second
		integrityOK(t, db, full)
		if full {
			fullChecks++
		}
		checkTime += time.Since(checkStart)
		// Earlier rounds' batches were checked one by one after their
		// round and no new coupon can predate this round: their total
		// must not have moved. This round's coupons are read in full.
		var older int
		if err := db.QueryRow(`SELECT COUNT(*) FROM coupons WHERE instance_id = ? AND created_at < ?`,
			inst.ID, roundStart.UnixMicro()).Scan(&older); err != nil {
			t.Fatal(err)
		}
		if older != storedBefore {
			t.Fatalf("round %d: %d coupons from earlier rounds, %d before this round", round, older, storedBefore)
		}
		ids := couponIDsSince(t, db, inst.ID, roundStart)
		db.Close()
		counts := map[int]int{}
		for m, list := range ids {
			counts[m] = len(list)
			storedBefore += len(list)
		}
		byMinutes := map[int]*batchAttempt{}
		for _, a := range attempts {
			byMinutes[a.minutes] = a
		}
		roundAcked, roundLost := 0, 0
		for _, a := range attempts {
			if byRound(a.minutes, clients) != round {
				continue
			}
			n := counts[a.minutes]
			switch {
			case a.status == http.StatusCreated && a.err != nil:
				// The status line came, the body was cut off: the
				// batch was committed, the ids are unknown.
				if n != perReq {
					t.Fatalf("round %d: batch %d answered 201 (body cut off), stored %d coupons, want %d", round, a.minutes, n, perReq)
				}
			case a.status == http.StatusCreated:
				if n != perReq {
					t.Fatalf("round %d: batch %d answered 201, now %d coupons stored, want %d", round, a.minutes, n, perReq)
				}
				if !sameSet(ids[a.minutes], a.ids) {
					t.Fatalf("round %d: batch %d answered 201 with ids the file does not hold exactly (%d stored)", round, a.minutes, len(ids[a.minutes]))
				}
			case n != 0 && n != perReq:
				t.Fatalf("round %d: unanswered batch %d stored %d coupons, want 0 or %d", round, a.minutes, n, perReq)
			}
		}
		for minutes, n := range counts {
			switch {
			case byMinutes[minutes] == nil:
				t.Fatalf("round %d: %d coupons with a validity (%d min) no request asked for", round, n, minutes)
			case n != perReq:
				t.Fatalf("round %d: batch %d has %d coupons, want %d (a partial batch)", round, minutes, n, perReq)
			}
		}
		for _, a := range attempts[len(attempts)-countRound(attempts, round, clients):] {
			switch {
			case a.status == http.StatusCreated:
				roundAcked++
			case a.status == 0:
				roundLost++
			}
		}
		acked += roundAcked
		inFlight += roundLost
		if roundLost > clients {
			t.Fatalf("round %d: %d requests without an answer, but only %d clients", round, roundLost, clients)
		}
		if t.Failed() {
			t.Fatalf("round %d failed\n%s", round, c.logs.String())
		}
	}

	// One more start: the server comes up on the crashed files and lists
	// exactly what the file holds.
	c = g.start(t)
	var all []couponOut
	c.must(http.MethodGet, "/captive/instances/"+inst.ID+"/coupons?status=all", token, nil, http.StatusOK, &all)
	c.stop()
	db := openDataFile(t, g.dir)
	integrityOK(t, db, true)
	counts := couponCounts(t, db, inst.ID)
	stored := 0
	for m, n := range counts {
		stored += n
		if n != perReq {
			t.Fatalf("at the end: batch %d has %d coupons, want %d", m, n, perReq)
		}
	}
	for _, a := range attempts {
		if a.status == http.StatusCreated && counts[a.minutes] != perReq {
			t.Fatalf("at the end: batch %d answered 201 holds %d coupons, want %d", a.minutes, counts[a.minutes], perReq)
		}
	}
	if len(all) != stored || stored%perReq != 0 {
		t.Fatalf("API lists %d coupons, file holds %d; want equal and a multiple of %d", len(all), stored, perReq)
	}
	t.Logf("%d rounds in %v: %d batches answered 201, %d requests cut off by SIGKILL (%d of them committed), %d coupons stored; integrity_check after %d rounds and at the end, quick_check after the others (%v in checks)",
		rounds, time.Since(started).Round(time.Millisecond), acked, inFlight, len(counts)-acked, stored, fullChecks, checkTime.Round(time.Millisecond))
}

// byRound is the round a request's minutes encode.
func byRound(minutes, clients int) int { return (minutes - 100000) / (clients * 1000) }

// countRound is how many attempts belong to round.
func countRound(attempts []*batchAttempt, round, clients int) int {
	n := 0
	for _, a := range attempts {
		if byRound(a.minutes, clients) == round {
			n++
		}
	}
	return n
}

// couponCounts counts an instance's coupons by validity in minutes
// (expires_at - created_at, both unix microseconds).
func couponCounts(t testing.TB, db *sql.DB, instanceID string) map[int]int {
	t.Helper()
	rows, err := db.Query(`SELECT expires_at - created_at, COUNT(*) FROM coupons WHERE instance_id = ? GROUP BY 1`, instanceID)
	if err != nil {
		t.Fatalf("count coupons: %v", err)
	}
	defer rows.Close()
	counts := map[int]int{}
	for rows.Next() {
		var d int64
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			t.Fatal(err)
		}
		if d%(60*1e6) != 0 {
			t.Fatalf("%d coupons with a validity of %dµs, not whole minutes (timestamps of one batch differ)", n, d)
		}
		counts[int(d/(60*1e6))] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return counts
}

// couponIDsSince reads the ids of an instance's coupons created since t0,
// by validity in minutes.
func couponIDsSince(t testing.TB, db *sql.DB, instanceID string, t0 time.Time) map[int][]string {
	t.Helper()
	rows, err := db.Query(`SELECT id, expires_at - created_at FROM coupons WHERE instance_id = ? AND created_at >= ?`,
		instanceID, t0.UnixMicro())
	if err != nil {
		t.Fatalf("read coupons: %v", err)
	}
	defer rows.Close()
	ids := map[int][]string{}
	for rows.Next() {
		var id string
		var d int64
		if err := rows.Scan(&id, &d); err != nil {
			t.Fatal(err)
		}
		ids[int(d/(60*1e6))] = append(ids[int(d/(60*1e6))], id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestGracefulStop sends SIGTERM while the server pushes 500 coupons to a
// slow router, and while clients run a coupon schedule: the process must
// exit 0 within the shutdown timeout, and after the next start the work
// must be complete (the router holds exactly the right users; every run
// has all its coupons or does not exist).
func TestGracefulStop(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals the binary; skipped with -short")
	}
	g := newGatehouseBin(t)
	token := g.adminToken(t)

	t.Run("router push", func(t *testing.T) {
		fake := routerostest.New(t, routerostest.Options{User: "api", Password: "s3cret"})
		host, portStr, _ := net.SplitHostPort(fake.Addr())
		port, _ := strconv.Atoi(portStr)
		c := g.start(t)
		var site, inst struct{ ID string }
		c.must(http.MethodPost, "/captive/sites", token, map[string]any{"name": "Slow", "host": host, "port": port,
			"username": "api", "password": "s3cret"}, http.StatusCreated, &site)
		c.must(http.MethodPost, "/captive/instances", token, map[string]any{"name": "Push", "strategy": "coupon",
			"session_ttl": 3600, "sites": []any{map[string]any{"id": site.ID, "subnets": []string{"10.5.50.0/24"}}}},
			http.StatusCreated, &inst)
		waitFor(t, 10*time.Second, "the instance's profile on the router", func() bool {
			return fake.Row("/ip/hotspot/user/profile", app.ProfileName(inst.ID)) != nil
		})

		fake.SetLatency(300 * time.Millisecond)
		var coupons []couponOut
		for _, n := range []int{200, 200, 100} {
			var out []couponOut
			c.must(http.MethodPost, "/captive/instances/"+inst.ID+"/coupons", token,
				map[string]any{"count": n, "minutes_valid": 600}, http.StatusCreated, &out)
			coupons = append(coupons, out...)
		}
		waitFor(t, 10*time.Second, "the push to start", func() bool {
			return len(ownedRows(fake, "/ip/hotspot/user")) > 0
		})
		// From now on the router takes an hour to answer: the commands
		// sent next hang until shutdown cancels them.
		fake.SetLatency(time.Hour)
		first := len(ownedRows(fake, "/ip/hotspot/user"))
		waitFor(t, 10*time.Second, "more commands to reach the hung router", func() bool {
			return len(ownedRows(fake, "/ip/hotspot/user")) > first
		})
		atTerm := len(ownedRows(fake, "/ip/hotspot/user"))
		took := c.stop()
		atExit := len(ownedRows(fake, "/ip/hotspot/user"))
		if atTerm >= len(coupons) {
			t.Fatalf("the push was over (%d users) before SIGTERM; the test did not interrupt it", atTerm)
		}
		t.Logf("SIGTERM with %d of %d users pushed, commands hung on the router; exit 0 after %v with %d pushed",
			atTerm, len(coupons), took.Round(time.Millisecond), atExit)
		if took > 3*time.Second {
			t.Errorf("exit took %v: shutdown did not cancel the hung router commands (command timeout is 10s)", took)
		}

		fake.SetLatency(0)
		c = g.start(t)
		waitFor(t, 20*time.Second, "the router to hold exactly the 500 coupons", func() bool {
			return routerHolds(fake, coupons) == ""
		})
		c.stop()
		if msg := routerHolds(fake, coupons); msg != "" {
			t.Fatalf("after the restart: %s", msg)
		}
	})

	t.Run("schedule run", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		c := g.start(t)
		var inst, sch struct{ ID string }
		c.must(http.MethodPost, "/captive/instances", token, map[string]any{"name": "Runs", "strategy": "coupon",
			"session_ttl": 3600}, http.StatusCreated, &inst)
		c.must(http.MethodPost, "/captive/instances/"+inst.ID+"/coupon-schedules", token, map[string]any{
			"name": "Big", "count": app.MaxScheduleBatch, "recurrence_type": "daily", "valid_for_in_minutes": 600,
			// Twelve hours away: no timed run or catch-up during the test.
			"timezone": "UTC", "run_at": time.Now().UTC().Add(12 * time.Hour).Format("15:04")}, http.StatusCreated, &sch)
		runPath := "/captive/instances/" + inst.ID + "/coupon-schedules/" + sch.ID + "/run"

		var acked [][]string
		var duringStop atomic.Int32 // runs answered after SIGTERM was sent: in flight when it came
		for round := range 3 {
			if round > 0 {
				c = g.start(t)
			}
			hc := &http.Client{Transport: &http.Transport{}, Timeout: 20 * time.Second}
			first := make(chan struct{})
			var once sync.Once
			var mu sync.Mutex
			var unanswered atomic.Int32
			var termAt atomic.Int64
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for {
						once.Do(func() { close(first) })
						var out []couponOut
						status, err := c.call(hc, http.MethodPost, runPath, token, nil, &out)
						if status == 0 {
							unanswered.Add(1)
							return
						}
						if status != http.StatusCreated || err != nil {
							t.Errorf("run answered %d %v", status, err)
							return
						}
						ids := make([]string, len(out))
						for i, cp := range out {
							ids[i] = cp.ID
						}
						if at := termAt.Load(); at != 0 && time.Now().UnixNano() > at {
							duringStop.Add(1)
						}
						mu.Lock()
						acked = append(acked, ids)
						mu.Unlock()
					}
				})
			}
			<-first
			time.Sleep(time.Duration(1+rng.IntN(300)) * time.Millisecond)
			termAt.Store(time.Now().UnixNano())
			took := c.stop()
			wg.Wait()
			t.Logf("round %d: exit 0 %v after SIGTERM; %d runs answered so far, %d of them after SIGTERM; %d requests refused at the closed listener",
				round, took.Round(time.Millisecond), len(acked), duringStop.Load(), unanswered.Load())

			db := openDataFile(t, g.dir)
			integrityOK(t, db, true)
			runs := scheduleRuns(t, db, sch.ID)
			db.Close()
			ackedRuns := map[string]bool{}
			for _, ids := range acked {
				run := ""
				for _, id := range ids {
					r, ok := runs.runOf[id]
					if !ok {
						t.Fatalf("coupon %s of an answered run is not stored", id)
					}
					if run != "" && r != run {
						t.Fatalf("one answer holds coupons of runs %s and %s", run, r)
					}
					run = r
				}
				if len(ids) != app.MaxScheduleBatch || runs.count[run] != app.MaxScheduleBatch {
					t.Fatalf("answered run %s: %d coupons answered, %d stored, want %d", run, len(ids), runs.count[run], app.MaxScheduleBatch)
				}
				ackedRuns[run] = true
			}
			for run, generated := range runs.generated {
				if runs.count[run] != generated || generated != app.MaxScheduleBatch {
					t.Fatalf("run %s: %d coupons stored, generated %d, want %d", run, runs.count[run], generated, app.MaxScheduleBatch)
				}
				if !ackedRuns[run] {
					t.Errorf("run %s was committed but its client got no answer: graceful stop cut off a finished request", run)
				}
			}
			for run := range runs.count {
				if _, ok := runs.generated[run]; !ok {
					t.Fatalf("coupons of run %s without a run record", run)
				}
			}
		}
		if duringStop.Load() == 0 {
			t.Fatal("no run was in flight at any SIGTERM; the test did not interrupt a run")
		}
		// The next start serves every run's coupons through the signed link.
		c = g.start(t)
		var link struct {
			SignedURL string `json:"signed_url"`
		}
		c.must(http.MethodGet, "/captive/instances/"+inst.ID+"/coupon-schedules/"+sch.ID+"/generate_url", token, nil, http.StatusOK, &link)
		u := strings.Replace(link.SignedURL, "http://"+g.addr, "", 1)
		var listed []couponOut
		c.must(http.MethodGet, u, "", nil, http.StatusOK, &listed)
		c.stop()
		if len(listed) != len(acked)*app.MaxScheduleBatch {
			t.Fatalf("signed link lists %d coupons, want %d (%d runs)", len(listed), len(acked)*app.MaxScheduleBatch, len(acked))
		}
	})
}

// runSet is what the data file says about a schedule's runs.
type runSet struct {
	generated map[string]int    // run id → generated
	count     map[string]int    // run id → coupons stored
	runOf     map[string]string // coupon id → run id
}

func scheduleRuns(t testing.TB, db *sql.DB, scheduleID string) runSet {
	t.Helper()
	rs := runSet{generated: map[string]int{}, count: map[string]int{}, runOf: map[string]string{}}
	rows, err := db.Query(`SELECT id, generated FROM schedule_runs WHERE schedule_id = ?`, scheduleID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		rs.generated[id] = n
	}
	rows.Close()
	rows, err = db.Query(`SELECT id, COALESCE(run_id, '') FROM coupons WHERE schedule_id = ?`, scheduleID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, run string
		if err := rows.Scan(&id, &run); err != nil {
			t.Fatal(err)
		}
		rs.runOf[id] = run
		rs.count[run]++
	}
	return rs
}

// ownedRows are the rows of a router menu that gatehouse owns.
func ownedRows(fake *routerostest.Router, menu string) []map[string]string {
	var out []map[string]string
	for _, row := range fake.Rows(menu) {
		if strings.HasPrefix(row["comment"], app.CommentPrefix) {
			out = append(out, row)
		}
	}
	return out
}

// routerHolds returns "" when the router's gatehouse users are exactly the
// coupons (one each, name = code, coupon comment), or what differs.
func routerHolds(fake *routerostest.Router, coupons []couponOut) string {
	want := map[string]string{}
	for _, c := range coupons {
		want[c.Code] = app.CouponComment(c.ID)
	}
	seen := map[string]int{}
	for _, row := range ownedRows(fake, "/ip/hotspot/user") {
		if want[row["name"]] != row["comment"] {
			return fmt.Sprintf("unexpected user %v", row)
		}
		seen[row["name"]]++
	}
	if len(seen) != len(want) {
		return fmt.Sprintf("%d of %d users on the router", len(seen), len(want))
	}
	for name, n := range seen {
		if n != 1 {
			return fmt.Sprintf("user %s is on the router %d times", name, n)
		}
	}
	return ""
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestLoad is a bounded load run, off unless GATEHOUSE_LOAD=1: for
// GATEHOUSE_LOAD_DURATION (default 60s), GATEHOUSE_LOAD_CLIENTS goroutines
// (default 4) read a signed coupon link while as many create coupons, and
// the server reconciles a fake router (sync_interval 2s, plus a push after
// every batch). It logs requests per second and latency percentiles per
// kind, and the server's RSS every 5 s.
//
//	GATEHOUSE_LOAD=1 go test -run TestLoad -v -timeout 5m .
func TestLoad(t *testing.T) {
	if os.Getenv("GATEHOUSE_LOAD") != "1" {
		t.Skip("set GATEHOUSE_LOAD=1 to run the load test")
	}
	duration := 60 * time.Second
	if v := os.Getenv("GATEHOUSE_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > 2*time.Minute {
			t.Fatalf("GATEHOUSE_LOAD_DURATION=%q: want a duration up to 2m", v)
		}
		duration = d
	}
	clients := 4
	if v := os.Getenv("GATEHOUSE_LOAD_CLIENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			t.Fatalf("GATEHOUSE_LOAD_CLIENTS=%q: want 1..64", v)
		}
		clients = n
	}

	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "s3cret"})
	fake.SetLatency(2 * time.Millisecond)
	host, portStr, _ := net.SplitHostPort(fake.Addr())
	port, _ := strconv.Atoi(portStr)
	g := newGatehouseBin(t, "GATEHOUSE_ROUTEROS_SYNC_INTERVAL=2s", "GATEHOUSE_LOG_LEVEL=warn")
	token := g.adminToken(t)
	c := g.start(t)
	var site, inst, sch struct{ ID string }
	c.must(http.MethodPost, "/captive/sites", token, map[string]any{"name": "Load", "host": host, "port": port,
		"username": "api", "password": "s3cret"}, http.StatusCreated, &site)
	c.must(http.MethodPost, "/captive/instances", token, map[string]any{"name": "Load", "strategy": "coupon",
		"session_ttl": 3600, "sites": []any{map[string]any{"id": site.ID, "subnets": []string{"10.5.50.0/24"}}}},
		http.StatusCreated, &inst)
	c.must(http.MethodPost, "/captive/instances/"+inst.ID+"/coupon-schedules", token, map[string]any{
		"name": "Desk", "count": 100, "recurrence_type": "daily", "valid_for_in_minutes": 600,
		"timezone": "UTC", "run_at": time.Now().UTC().Add(12 * time.Hour).Format("15:04")}, http.StatusCreated, &sch)
	c.must(http.MethodPost, "/captive/instances/"+inst.ID+"/coupon-schedules/"+sch.ID+"/run", token, nil, http.StatusCreated, &[]couponOut{})
	var link struct {
		SignedURL string `json:"signed_url"`
	}
	c.must(http.MethodGet, "/captive/instances/"+inst.ID+"/coupon-schedules/"+sch.ID+"/generate_url", token, nil, http.StatusOK, &link)
	linkPath := strings.Replace(link.SignedURL, "http://"+g.addr, "", 1)
	printsBefore := fake.Commands("/ip/hotspot/user/print")

	type kind struct {
		name string
		do   func(hc *http.Client) (int, error)
		mu   sync.Mutex
		lat  []time.Duration
		errs int
	}
	kinds := []*kind{
		{name: "signed link GET", do: func(hc *http.Client) (int, error) {
			var out []couponOut
			return c.call(hc, http.MethodGet, linkPath, "", nil, &out)
		}},
		{name: "coupon POST count=1", do: func(hc *http.Client) (int, error) {
			var out []couponOut
			return c.call(hc, http.MethodPost, "/captive/instances/"+inst.ID+"/coupons", token,
				map[string]any{"count": 1, "minutes_valid": 600}, &out)
		}},
	}
	ctx, cancel := context.WithTimeout(t.Context(), duration)
	defer cancel()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * clients}, Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	for _, k := range kinds {
		for range clients {
			wg.Go(func() {
				var lat []time.Duration
				errs := 0
				for ctx.Err() == nil {
					start := time.Now()
					status, err := k.do(hc)
					if err != nil || status >= 300 {
						errs++
						if errs <= 3 {
							t.Errorf("%s: %d %v", k.name, status, err)
						}
						continue
					}
					lat = append(lat, time.Since(start))
				}
				k.mu.Lock()
				k.lat = append(k.lat, lat...)
				k.errs += errs
				k.mu.Unlock()
			})
		}
	}
	var rss []string
	pid := c.cmd.Process.Pid
	began, cpuStart := time.Now(), cpuTime(pid)
	tick := time.NewTicker(5 * time.Second)
	rss = append(rss, "0s:"+vmRSS(t, pid))
sample:
	for {
		select {
		case <-ctx.Done():
			break sample
		case <-tick.C:
			rss = append(rss, fmt.Sprintf("%v:%s", time.Since(began).Round(time.Second), vmRSS(t, pid)))
		}
	}
	tick.Stop()
	wg.Wait()
	elapsed := time.Since(began)
	rss = append(rss, "end:"+vmRSS(t, pid))

	t.Logf("load: %v, %d clients per kind, %d CPUs; server CPU time %v", elapsed.Round(time.Millisecond), clients,
		runtime.GOMAXPROCS(0), cpuTime(pid)-cpuStart)
	for _, k := range kinds {
		slices.Sort(k.lat)
		n := len(k.lat)
		if n == 0 {
			t.Fatalf("%s: no successful request", k.name)
		}
		t.Logf("%-20s %6d ok %3d errors  %7.1f req/s  p50 %v  p99 %v  max %v", k.name, n, k.errs,
			float64(n)/elapsed.Seconds(), k.lat[n/2].Round(10*time.Microsecond),
			k.lat[n*99/100].Round(10*time.Microsecond), k.lat[n-1].Round(10*time.Microsecond))
	}
	t.Logf("server VmRSS: %s", strings.Join(rss, " "))
	var all []couponOut
	c.must(http.MethodGet, "/captive/instances/"+inst.ID+"/coupons?status=all", token, nil, http.StatusOK, &all)
	t.Logf("router: %d gatehouse users for %d coupons when the load stopped; %d user prints during the run (reconcile passes)",
		len(ownedRows(fake, "/ip/hotspot/user")), len(all), fake.Commands("/ip/hotspot/user/print")-printsBefore)
	// The fake router checks every add against every row (O(rows)), so
	// with tens of thousands of users it, not gatehouse, sets the pace of
	// the catch-up: wait a while and report, failing only without progress.
	settle, cpu := time.Now(), cpuTime(pid)
	atStop := len(ownedRows(fake, "/ip/hotspot/user"))
	msg := routerHolds(fake, all)
	for ; msg != "" && time.Since(settle) < 20*time.Second; msg = routerHolds(fake, all) {
		time.Sleep(100 * time.Millisecond)
	}
	now := len(ownedRows(fake, "/ip/hotspot/user"))
	if msg == "" {
		t.Logf("router converged %v after the load stopped; server CPU meanwhile %v; VmRSS %s",
			time.Since(settle).Round(time.Millisecond), cpuTime(pid)-cpu, vmRSS(t, pid))
	} else {
		t.Logf("router catch-up: %d → %d of %d users in %v after the load stopped; server CPU meanwhile %v; VmRSS %s",
			atStop, now, len(all), time.Since(settle).Round(time.Millisecond), cpuTime(pid)-cpu, vmRSS(t, pid))
		if now == atStop {
			logs := c.logs.String()
			t.Fatalf("the router made no progress after the load: %s\nlast server logs:\n%s", msg, logs[max(0, len(logs)-4000):])
		}
	}
	took := c.stop()
	t.Logf("SIGTERM: exit 0 after %v", took.Round(time.Millisecond))
}

// vmRSS reads a process's resident set size from /proc.
func vmRSS(t testing.TB, pid int) string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strings.ReplaceAll(strings.TrimSpace(v), " ", "")
		}
	}
	return "?"
}

// cpuTime is the user+system CPU time a process has used, from /proc
// (in clock ticks of 10ms, the Linux default).
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
