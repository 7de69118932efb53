package notify_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gatehouse/app"
	"gatehouse/notify"
)

// TestWebhookRefusesPrivateAddresses performs the SSRF of the security
// review: a group's webhook aimed at a service on gatehouse's own host.
// Without allow_private_webhooks the POST never arrives, whether the URL
// names the address or a host name that resolves to it, and the recorded
// error says why; with the switch it arrives.
func TestWebhookRefusesPrivateAddresses(t *testing.T) {
	hook := newHookServer(t, http.StatusInternalServerError)
	port := hook.Listener.Addr().(*net.TCPAddr).Port
	tests := []struct {
		name   string
		target string
		allow  bool
		want   string // the error text's start; "" means delivered
	}{
		{name: "loopback address", target: hook.URL + "/admin/debug",
			want: "webhook address 127.0.0.1 is private (loopback); set [notify] allow_private_webhooks to allow it"},
		{name: "name resolving to loopback", target: "http://localhost:" + strconv.Itoa(port) + "/admin/debug",
			want: "webhook address "},
		{name: "allowed by the switch", target: hook.URL + "/admin/debug", allow: true,
			want: "webhook answered 500 Internal Server Error"},
	}
	sent := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(c *notify.Config) { c.AllowPrivateWebhooks = tc.allow })
			f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
			f.store.add(delivery("d", app.ChannelWebhook, tc.target))
			f.pass(t)
			calls := f.store.calls()
			if len(calls) != 1 || !strings.HasPrefix(calls[0].errText, tc.want) {
				t.Fatalf("outcomes: got %+v, want one failure starting %q", calls, tc.want)
			}
			if !tc.allow {
				if !strings.Contains(calls[0].errText, "allow_private_webhooks") || strings.Contains(calls[0].errText, "admin/debug") {
					t.Errorf("error text %q: want the reason and the switch, without the URL's path", calls[0].errText)
				}
			} else {
				sent++
			}
			if n := len(hook.got()); n != sent {
				t.Errorf("requests that reached the target: got %d, want %d", n, sent)
			}
		})
	}
}

// rawServer answers every connection on 127.0.0.1 with the bytes of
// answer, whatever was asked, and counts the connections.
type rawServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns int
}

func newRawServer(t testing.TB, answer string) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns++
			s.mu.Unlock()
			s.wg.Go(func() {
				defer c.Close()
				r := bufio.NewReader(c)
				req, err := http.ReadRequest(r)
				if err == nil {
					io.Copy(io.Discard, req.Body) //nolint:errcheck // only to read the request before answering
				}
				io.WriteString(c, answer) //nolint:errcheck // the client may be gone; the test checks what it recorded
			})
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) URL() string { return "http://" + s.ln.Addr().String() }

// TestWebhookErrorHoldsNoAnswer checks that nothing a receiver sends ends
// up in the recorded error, which operators see on the schedule's runs:
// neither the body, nor the reason phrase, nor a non-HTTP banner.
func TestWebhookErrorHoldsNoAnswer(t *testing.T) {
	const marker = "SECRET-MARKER-7f3a"
	tests := []struct {
		name, answer, want string
	}{
		{name: "500 with a body",
			answer: "HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + strconv.Itoa(len(marker)) + "\r\nConnection: close\r\n\r\n" + marker,
			want:   "webhook answered 500 Internal Server Error"},
		{name: "reason phrase",
			answer: "HTTP/1.1 503 " + marker + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
			want:   "webhook answered 503 Service Unavailable"},
		{name: "unknown status",
			answer: "HTTP/1.1 599 " + marker + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
			want:   "webhook answered 599"},
		{name: "not HTTP", answer: "SSH-2.0-" + marker + "\r\n", want: "webhook: no valid HTTP answer"},
		{name: "bad header", answer: "HTTP/1.1 200 OK\r\n" + marker + "\r\n\r\n", want: "webhook: no valid HTTP answer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRawServer(t, tc.answer)
			f := newFixture(t, nil)
			f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
			f.store.add(delivery("d", app.ChannelWebhook, srv.URL()+"/hook"))
			f.pass(t)
			calls := f.store.calls()
			if len(calls) != 1 || calls[0].errText != tc.want {
				t.Fatalf("outcomes: got %+v, want one failure %q", calls, tc.want)
			}
			if strings.Contains(calls[0].errText, marker) || strings.Contains(f.logs.String(), marker) {
				t.Errorf("the receiver's answer reached the error or the logs: %q\n%s", calls[0].errText, f.logs.String())
			}
		})
	}
}
