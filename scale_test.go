package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/routeros/routerostest"
)

// TestScaleRSS measures what one site with many valid coupons costs the
// server, off unless GATEHOUSE_SCALE=1: the coupons are written straight
// into the data file, serve starts and pushes them all to a fake router,
// and the test reports how long that first pass and a steady pass (nothing
// to change) took, and the server's peak and current resident memory.
//
//	GATEHOUSE_SCALE=1 GATEHOUSE_SCALE_COUPONS=50000 go test -run TestScaleRSS -v -timeout 10m .
func TestScaleRSS(t *testing.T) {
	if os.Getenv("GATEHOUSE_SCALE") != "1" {
		t.Skip("set GATEHOUSE_SCALE=1 to run the scale measurement")
	}
	n := 50000
	if v := os.Getenv("GATEHOUSE_SCALE_COUPONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > 200000 {
			t.Fatalf("GATEHOUSE_SCALE_COUPONS=%q: want 1..200000", v)
		}
	}
	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "s3cret"})
	env := []string{"GATEHOUSE_ROUTEROS_SYNC_INTERVAL=1h", "GATEHOUSE_LOG_LEVEL=warn"}
	if os.Getenv("GATEHOUSE_SCALE_GCTRACE") == "1" {
		env = append(env, "GODEBUG=gctrace=1") // the server's heap after each collection, in its log
	}
	g := newGatehouseBin(t, env...)
	token := g.adminToken(t)
	siteID := seedCoupons(t, g.dir, fake.Addr(), n)

	c := g.start(t)
	pid := c.cmd.Process.Pid
	began := time.Now()
	// Count adds rather than rows: printing 50,000 rows to count them
	// would hold the fake router up.
	for fake.Commands("/ip/hotspot/user/add") < n {
		if time.Since(began) > 5*time.Minute {
			t.Fatalf("the first pass sent %d of %d adds in 5 minutes", fake.Commands("/ip/hotspot/user/add"), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	first := time.Since(began)
	if got := len(fake.Rows("/ip/hotspot/user")); got != n {
		t.Fatalf("%d users on the router, want %d", got, n)
	}
	time.Sleep(500 * time.Millisecond) // let the pass record its result
	afterFirst := procStatus(pid, "VmHWM")

	var res map[string]any
	start := time.Now()
	c.must(http.MethodPost, "/captive/sites/"+siteID+"/sync", token, nil, http.StatusOK, &res)
	steady := time.Since(start)
	if res["added"] != 0.0 || res["removed"] != 0.0 || res["updated"] != 0.0 {
		t.Errorf("steady pass changed something: %v", res)
	}
	t.Logf("%d coupons on one site: first pass %v (%.1f µs/user), steady pass %v (%.1f µs/user)", n,
		first.Round(time.Millisecond), float64(first.Microseconds())/float64(n),
		steady.Round(time.Millisecond), float64(steady.Microseconds())/float64(n))
	t.Logf("serve VmHWM after the first pass %s, after a steady pass %s; VmRSS now %s",
		afterFirst, procStatus(pid, "VmHWM"), procStatus(pid, "VmRSS"))
	if os.Getenv("GATEHOUSE_SCALE_GCTRACE") == "1" {
		data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
		t.Logf("smaps_rollup:\n%s", data)
		req, _ := http.NewRequest(http.MethodGet, "http://"+g.addr+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if res, err := http.DefaultClient.Do(req); err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			for _, line := range strings.Split(string(body), "\n") {
				if strings.HasPrefix(line, "go_memstats_") && !strings.Contains(line, "_total") {
					t.Log(line)
				}
			}
		}
	}
	c.stop()
	if os.Getenv("GATEHOUSE_SCALE_GCTRACE") == "1" {
		for _, line := range strings.Split(c.logs.String(), "\n") {
			if strings.HasPrefix(line, "gc ") {
				t.Log(line)
			}
		}
	}
}

// seedCoupons writes a site on addr, a coupon instance on it and n valid
// coupons into the data directory, and returns the site's id.
func seedCoupons(t *testing.T, dir, addr string, n int) string {
	t.Helper()
	store, err := db.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	site, err := store.CreateSite(t.Context(), app.Site{Name: "Scale", Host: host, Port: port, Username: "api", Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	in := app.NewInstance()
	in.Name, in.Strategy, in.SessionTTL = "Scale", app.StrategyCoupon, 3600
	in.Sites = []app.InstanceSite{{ID: site.ID}}
	if in, err = store.CreateInstance(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	for left := n; left > 0; left -= app.MaxCouponBatch {
		if _, err := store.CreateCoupons(t.Context(), in.ID, min(left, app.MaxCouponBatch), 24*60); err != nil {
			t.Fatal(err)
		}
	}
	return site.ID
}

// procStatus reads one field of /proc/<pid>/status, such as VmHWM.
func procStatus(pid int, field string) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.ReplaceAll(strings.TrimSpace(v), " ", "")
		}
	}
	return "?"
}
