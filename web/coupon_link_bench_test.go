package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/app"
)

// BenchmarkSignedListVsFileServer serves the signed list of a schedule's
// 200 coupons (signature check, store read, JSON) against http.FileServer
// serving a file of the same bytes, both over loopback HTTP with
// keep-alive, interleaved in one loop. It reports the signed list's request
// rate as a fraction of the file server's (target: at least 0.3). "warm"
// is a link polled while nothing changes (the store's list cache answers);
// "cold" commits a write before every request, so each one reads SQLite.
//
//	go test ./web -run '^$' -bench SignedListVsFileServer -benchtime 2000x
func BenchmarkSignedListVsFileServer(b *testing.B) {
	e := newEnv(b, "")
	inst := couponInstance(b, e)
	sched := createSchedule(b, e, inst, map[string]any{"name": "Bench", "count": 200, "recurrence_type": "daily",
		"valid_for_in_minutes": 600, "timezone": "UTC"})["id"].(string)
	wantStatus(b, e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupon-schedules/"+sched+"/run", nil), http.StatusCreated)
	signed, _ := url.Parse(e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupon-schedules/"+sched+"/generate_url", nil).object(b)["signed_url"].(string))
	listURL := e.srv.URL + signed.RequestURI()

	body := fetch(b, e.srv.Client(), listURL)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "coupons.json"), body, 0o600); err != nil {
		b.Fatal(err)
	}
	files := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer files.Close()
	fileURL := files.URL + "/coupons.json"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

	for _, cold := range []bool{false, true} {
		name := map[bool]string{false: "warm", true: "cold"}[cold]
		b.Run(name, func(b *testing.B) {
			var list, file time.Duration
			for b.Loop() {
				if cold {
					b.StopTimer()
					e.newToken(app.RoleFrontdesk, time.Hour) // any committed write
					b.StartTimer()
				}
				start := time.Now()
				fetch(b, client, fileURL)
				mid := time.Now()
				fetch(b, client, listURL)
				file += mid.Sub(start)
				list += time.Since(mid)
			}
			b.ReportMetric(float64(file)/float64(list), "list/file-rate")
			b.ReportMetric(float64(b.N)/list.Seconds(), "list-req/s")
			b.ReportMetric(float64(b.N)/file.Seconds(), "file-req/s")
			b.ReportMetric(float64(len(body)), "bytes")
		})
	}
}

func fetch(tb testing.TB, c *http.Client, u string) []byte {
	res, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d %v", u, res.StatusCode, err)
	}
	return body
}
