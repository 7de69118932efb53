package routeros_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
)

// BenchmarkReconcile runs reconcile passes of one router at 1k, 10k and
// 50k coupon users: "steady", the periodic pass that finds everything in
// place and changes nothing, and "first", which pushes every user to an
// empty router. It reports time and heap allocations per user; the fake
// router runs in the same process, so both include its side of the
// conversation.
//
//	go test ./routeros -run '^$' -bench Reconcile -benchtime 3x
func BenchmarkReconcile(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("users=%d/steady", n), func(b *testing.B) {
			want := scaleState(n)
			r := benchRouter(b)
			defer r.Close()
			seedOwned(r, want)
			router := routeros.NewRouter(siteOf(b, r), routeros.Config{})
			defer router.Close()
			reconcileOnce(b, router, want) // dial and log in
			measure(b, n, func() {
				if res := reconcileOnce(b, router, want); res.Added+res.Updated+res.Removed != 0 {
					b.Fatalf("steady pass changed something: %+v", res)
				}
			})
		})
		b.Run(fmt.Sprintf("users=%d/first", n), func(b *testing.B) {
			want := scaleState(n)
			measure(b, n, func() {
				b.StopTimer()
				r := benchRouter(b)
				router := routeros.NewRouter(siteOf(b, r), routeros.Config{})
				b.StartTimer()
				if res := reconcileOnce(b, router, want); res.Added != n+1 {
					b.Fatalf("first pass added %d, want %d", res.Added, n+1)
				}
				b.StopTimer()
				router.Close()
				r.Close()
				b.StartTimer()
			})
		})
	}
}

// measure runs pass b.N times and reports time and allocations per user.
func measure(b *testing.B, users int, pass func()) {
	b.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		pass()
	}
	el := b.Elapsed()
	runtime.ReadMemStats(&after)
	per := float64(b.N) * float64(users)
	b.ReportMetric(float64(el.Nanoseconds())/per/1000, "µs/user")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/per, "allocs/user")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/per, "B/user")
}

func reconcileOnce(b *testing.B, router *routeros.Router, want app.RouterState) app.SyncResult {
	b.Helper()
	res, err := router.Reconcile(context.Background(), want)
	if err != nil || len(res.Errors) > 0 {
		b.Fatalf("reconcile: %v %v", err, res.Errors)
	}
	return res
}

// scaleState is one instance's profile and n unused coupons.
func scaleState(n int) app.RouterState {
	profile := app.ProfileName("0190c0de-0000-7000-8000-00000000beef")
	st := app.RouterState{Profiles: []app.RouterProfile{{Name: profile, SessionTimeout: time.Hour, SharedUsers: 1}}}
	for i := range n {
		code := fmt.Sprintf("C%07d", i)
		st.Users = append(st.Users, app.RouterUser{Name: code, Password: code, Profile: profile, Server: "all",
			LimitUptime: time.Hour, Comment: app.CouponComment(fmt.Sprintf("0190c0de-0000-7000-8000-%012d", i))})
	}
	return st
}

// seedOwned stores the wanted profile and users on the fake as a previous
// pass would have left them.
func seedOwned(r *routerostest.Router, st app.RouterState) {
	for _, p := range st.Profiles {
		r.AddRow("/ip/hotspot/user/profile", map[string]string{"name": p.Name, "session-timeout": "1h", "shared-users": "1"})
	}
	for _, u := range st.Users {
		r.AddRow("/ip/hotspot/user", map[string]string{"name": u.Name, "password": u.Password, "profile": u.Profile,
			"limit-uptime": "1h", "comment": u.Comment})
	}
}

// siteOf is a site pointing at the fake router.
func siteOf(b *testing.B, r *routerostest.Router) app.Site {
	t := target(b, r.Addr())
	return app.Site{Host: t.Host, Port: t.Port, Username: t.Username, Password: t.Password}
}
