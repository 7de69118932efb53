package notify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/notify"
)

// hookServer is a webhook receiver that answers with the statuses given,
// one per request (the last one repeats), and keeps every request.
type hookServer struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	requests []hookRequest
}

type hookRequest struct {
	method, path string
	header       http.Header
	body         []byte
}

func newHookServer(t testing.TB, statuses ...int) *hookServer {
	h := &hookServer{statuses: statuses}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		status := h.statuses[min(len(h.requests), len(h.statuses)-1)]
		h.requests = append(h.requests, hookRequest{r.Method, r.URL.RequestURI(), r.Header.Clone(), body})
		h.mu.Unlock()
		if status == http.StatusFound {
			http.Redirect(w, r, "/elsewhere", status)
			return
		}
		w.WriteHeader(status)
		if status >= 300 {
			io.WriteString(w, "upstream\nbroke: "+strings.Repeat("x", 500))
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) got() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.requests...)
}

func TestWebhookRetriedThenDelivered(t *testing.T) {
	hook := newHookServer(t, http.StatusInternalServerError, http.StatusNoContent)
	f := newFixture(t, nil)
	const secret = "group-s3cret"
	f.store.groups[groupID] = app.NotificationGroup{ID: groupID, Name: "Front office", WebhookURL: hook.URL, WebhookSecret: secret}
	d := delivery("d-hook", app.ChannelWebhook, hook.URL+"/hook?token=path-secret")
	f.store.add(d)

	// First pass: the receiver answers 500; the failure is recorded with
	// the first backoff delay.
	f.pass(t)
	calls := f.store.calls()
	if len(calls) != 1 {
		t.Fatalf("outcomes after the first pass: got %+v, want one failure", calls)
	}
	fail := calls[0]
	if fail.id != d.ID || !fail.at.Equal(t0) || !fail.next.Equal(t0.Add(time.Minute)) {
		t.Errorf("failure: got %+v, want at %v, next %v", fail, t0, t0.Add(time.Minute))
	}
	if want := "webhook answered 500 Internal Server Error"; fail.errText != want {
		t.Errorf("error text: got %q, want %q (the status only, never the answer's body)", fail.errText, want)
	}
	if strings.Contains(fail.errText, "path-secret") || strings.Contains(fail.errText, secret) {
		t.Errorf("error text %q holds a secret", fail.errText)
	}
	if logs := f.logs.String(); strings.Count(logs, "level=WARN") != 1 || strings.Contains(logs, "path-secret") || strings.Contains(logs, secret) {
		t.Errorf("logs: want one warning without secrets; got\n%s", logs)
	}

	// Not due yet: nothing is sent.
	f.clock.Advance(59 * time.Second)
	f.pass(t)
	if n := len(hook.got()); n != 1 {
		t.Fatalf("requests before the next attempt: got %d, want 1", n)
	}

	// Due: the receiver answers 204 and the delivery is done.
	f.clock.Advance(time.Second)
	sentAt := f.clock.Now()
	f.pass(t)
	calls = f.store.calls()
	if len(calls) != 2 || calls[1].errText != "" || !calls[1].at.Equal(sentAt) {
		t.Fatalf("outcomes after the second pass: got %+v, want a success at %v", calls, sentAt)
	}
	if got := f.store.get(d.ID); got.DeliveredAt == nil || got.Attempts != 2 {
		t.Errorf("delivery: got %+v, want delivered after 2 attempts", got)
	}
	f.clock.Advance(time.Hour)
	f.pass(t)
	reqs := hook.got()
	if len(reqs) != 2 {
		t.Fatalf("requests: got %d, want 2", len(reqs))
	}

	r := reqs[1]
	if r.method != http.MethodPost || r.path != "/hook?token=path-secret" {
		t.Errorf("request: got %s %s, want POST /hook?token=path-secret", r.method, r.path)
	}
	for k, want := range map[string]string{
		"Content-Type":         "application/json",
		"User-Agent":           "gatehouse",
		"X-Gatehouse-Event":    "coupon_schedule.ran",
		"X-Gatehouse-Delivery": d.ID,
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("header %s: got %q, want %q", k, got, want)
		}
	}

	// The signature: t is the send time, v1 the HMAC of "<t>.<body>".
	sig := r.header.Get("X-Gatehouse-Signature")
	ts, mac, ok := strings.Cut(sig, ",")
	tsVal, tsOK := strings.CutPrefix(ts, "t=")
	macVal, macOK := strings.CutPrefix(mac, "v1=")
	if !ok || !tsOK || !macOK {
		t.Fatalf("X-Gatehouse-Signature %q: want t=<unix>,v1=<hex>", sig)
	}
	if tsVal != strconv.FormatInt(sentAt.Unix(), 10) {
		t.Errorf("signature t: got %s, want %d", tsVal, sentAt.Unix())
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(tsVal + "." + string(r.body)))
	if want := hex.EncodeToString(m.Sum(nil)); !hmac.Equal([]byte(macVal), []byte(want)) {
		t.Errorf("signature v1: got %s, want %s", macVal, want)
	}
	if first := hook.got()[0].header.Get("X-Gatehouse-Signature"); first == sig {
		t.Errorf("the retry reused the first attempt's signature %q", first)
	}

	// The body.
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	want := map[string]any{"event": "coupon_schedule.ran", "instance_id": instanceID, "schedule_id": scheduleID,
		"count": float64(20), "ran_at": "2025-10-29T06:59:00Z"}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("body %s: got %v, want %v", k, body[k], v)
		}
	}
	if len(body) != len(want)+1 {
		t.Errorf("body has %d fields, want %d: %s", len(body), len(want)+1, r.body)
	}
	checkSignedURL(t, f, body["signed_url"].(string), sentAt)
}

// checkSignedURL verifies a coupon list link: right path and schedule, a
// valid signature, made at madeAt so that it expires 24 hours later.
func checkSignedURL(t testing.TB, f *fixture, link string, madeAt time.Time) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("signed_url %q: %v", link, err)
	}
	if u.Scheme+"://"+u.Host != "http://gatehouse.test" || u.Path != app.CouponListPath || u.Query().Get("sid") != scheduleID {
		t.Fatalf("signed_url %q: want http://gatehouse.test%s?sid=%s…", link, app.CouponListPath, scheduleID)
	}
	if err := f.links.Verify(http.MethodGet, u.Path, u.Query(), "sid"); err != nil {
		t.Errorf("signed_url does not verify: %v", err)
	}
	if exp := u.Query().Get("expires"); exp != strconv.FormatInt(madeAt.Add(app.CouponLinkTTL).Unix(), 10) {
		t.Errorf("signed_url expires %s, want 24 h after %v", exp, madeAt)
	}
	q := u.Query()
	q.Set("sid", "another-schedule")
	if err := f.links.Verify(http.MethodGet, u.Path, q, "sid"); app.ErrorCode(err) != app.EForbidden {
		t.Errorf("signed_url with another sid: got %v, want forbidden", err)
	}
}

func TestWebhookGivenUp(t *testing.T) {
	hook := newHookServer(t, http.StatusServiceUnavailable)
	f := newFixture(t, nil)
	f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
	d := delivery("d-hook", app.ChannelWebhook, hook.URL)
	f.store.add(d)

	wantNext := []time.Duration{time.Minute, 5 * time.Minute, 0} // Backoff {1m, 5m}: three attempts
	for i, delay := range wantNext {
		f.pass(t)
		calls := f.store.calls()
		if len(calls) != i+1 {
			t.Fatalf("attempt %d: got %d outcomes, want %d", i+1, len(calls), i+1)
		}
		c := calls[i]
		var want time.Time
		if delay != 0 {
			want = f.clock.Now().Add(delay)
		}
		if !c.next.Equal(want) || c.errText != "webhook answered 503 Service Unavailable" {
			t.Errorf("attempt %d: got next %v, error %q; want next %v, webhook answered 503 Service Unavailable", i+1, c.next, c.errText, want)
		}
		f.clock.Advance(delay)
	}
	if got := f.store.get(d.ID); got.FailedAt == nil || !got.FailedAt.Equal(f.clock.Now()) || got.Attempts != 3 {
		t.Errorf("delivery: got %+v, want given up after 3 attempts", got)
	}
	f.clock.Advance(24 * time.Hour)
	f.pass(t)
	if n := len(hook.got()); n != 3 {
		t.Errorf("requests: got %d, want 3 (none after giving up)", n)
	}
	if logs := f.logs.String(); strings.Count(logs, "level=WARN") != 3 || strings.Count(logs, "giving up") != 1 {
		t.Errorf("logs: want three warnings, the last giving up; got\n%s", logs)
	}
}

func TestWebhookFailures(t *testing.T) {
	hook := newHookServer(t, http.StatusFound)
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck // read, so the server notices the client going away
		<-r.Context().Done()
	}))
	t.Cleanup(stalled.Close)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	tests := []struct {
		name     string
		target   string
		noGroup  bool
		want     string
		giveUp   bool
		noSecret string
	}{
		{name: "redirect is not followed", target: hook.URL + "/h", want: "webhook answered 302 Found"},
		{name: "connection refused", target: closed.URL + "/h?key=k3y", want: "webhook: dial tcp", noSecret: "k3y"},
		{name: "group deleted", target: hook.URL, noGroup: true, want: "webhook: the notification group was deleted", giveUp: true},
		{name: "bad url", target: "http://[::1", want: "webhook: the URL cannot be used"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if !tc.noGroup {
				f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
			}
			f.store.add(delivery("d", app.ChannelWebhook, tc.target))
			f.pass(t)
			calls := f.store.calls()
			if len(calls) != 1 || !strings.HasPrefix(calls[0].errText, tc.want) {
				t.Fatalf("outcomes: got %+v, want one failure starting %q", calls, tc.want)
			}
			if gaveUp := calls[0].next.IsZero(); gaveUp != tc.giveUp {
				t.Errorf("given up: got %v, want %v", gaveUp, tc.giveUp)
			}
			if tc.noSecret != "" && strings.Contains(calls[0].errText, tc.noSecret) {
				t.Errorf("error text %q holds the URL's secret", calls[0].errText)
			}
		})
	}

	t.Run("timeout", func(t *testing.T) {
		if testing.Short() {
			t.Skip("waits for the request timeout")
		}
		f := newFixture(t, nil)
		f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
		f.store.add(delivery("d", app.ChannelWebhook, stalled.URL))
		start := time.Now()
		f.pass(t)
		if took := time.Since(start); took < notify.RequestTimeout || took > notify.RequestTimeout+5*time.Second {
			t.Errorf("pass took %v, want about %v", took, notify.RequestTimeout)
		}
		if calls := f.store.calls(); len(calls) != 1 || calls[0].errText != "webhook: no answer within 10s" {
			t.Errorf("outcomes: got %+v, want the timeout", calls)
		}
	})
}
