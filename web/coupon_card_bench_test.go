package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"gatehouse/app"
)

// BenchmarkCouponCardsVsList asks for the printable cards of 200 coupons
// (store read, a portal link and an SVG QR code per coupon, JSON) against
// the plain JSON list of the same instance's 200 coupons, both through the
// full HTTP stack, interleaved in one loop. It reports how many times
// longer a sheet of cards takes than the list: the price of the QR codes.
//
//	go test ./web -run '^$' -bench CouponCardsVsList -benchtime 20x
func BenchmarkCouponCardsVsList(b *testing.B) {
	e := newEnv(b, "")
	inst := couponInstance(b, e)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 200, "minutes_valid": 600}).json(b, &coupons)
	ids := make([]string, len(coupons))
	for i, c := range coupons {
		ids[i] = c["id"].(string)
	}
	body, err := json.Marshal(map[string]any{"coupon_ids": ids})
	if err != nil {
		b.Fatal(err)
	}
	send := func(method, path string, body []byte) int {
		req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tokens[app.RoleAdmin])
		res, err := e.srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		n, _ := io.Copy(io.Discard, res.Body)
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s %s: %d", method, path, res.StatusCode)
		}
		return int(n)
	}
	var list, cards time.Duration
	var size int
	for b.Loop() {
		start := time.Now()
		send(http.MethodGet, "/captive/instances/"+inst+"/coupons", nil)
		mid := time.Now()
		size = send(http.MethodPost, "/captive/instances/"+inst+"/coupons/cards", body)
		cards += time.Since(mid)
		list += mid.Sub(start)
	}
	b.ReportMetric(float64(cards)/float64(list), "cards/list-time")
	b.ReportMetric(float64(cards.Milliseconds())/float64(b.N), "cards-ms/op")
	b.ReportMetric(float64(size), "cards-bytes")
}
