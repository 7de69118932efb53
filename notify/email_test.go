package notify_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"gatehouse/app"
	"gatehouse/notify"
)

// mailServer is a local SMTP server (go-smtp) that keeps what it receives.
type mailServer struct {
	host     string
	port     int
	username string
	password string

	mu       sync.Mutex
	messages []received
}

type received struct {
	from string
	to   []string
	data []byte
}

// newMailServer starts a server on 127.0.0.1. With tlsCfg it offers
// STARTTLS and PLAIN authentication (only after STARTTLS) with the given
// credentials; without, it takes mail from anyone.
func newMailServer(t testing.TB, tlsCfg *tls.Config, username, password string) *mailServer {
	t.Helper()
	ms := &mailServer{username: username, password: password}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &mailSession{ms: ms, authed: username == ""}, nil
	}))
	srv.Domain = "mail.test"
	srv.TLSConfig = tlsCfg
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = testLogger{t}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	ms.host, ms.port = "127.0.0.1", addr.Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(l) //nolint:errcheck // ends with ErrServerClosed
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return ms
}

func (ms *mailServer) got() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.messages...)
}

type testLogger struct{ t testing.TB }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf(format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(v...) }

type mailSession struct {
	ms     *mailServer
	authed bool
	msg    received
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.ms.username || password != s.ms.password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.msg = received{from: from}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.to = append(s.msg.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = b
	s.ms.mu.Lock()
	s.ms.messages = append(s.ms.messages, s.msg)
	s.ms.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.msg = received{} }
func (s *mailSession) Logout() error { return nil }

// readMail parses a received message and decodes its text body.
func readMail(t testing.TB, r received) (*mail.Message, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(r.data)))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, r.data)
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return m, string(b)
}

// linkIn returns the coupon list link in an e-mail body.
func linkIn(t testing.TB, body string) string {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "http://gatehouse.test"+app.CouponListPath) {
			return line
		}
	}
	t.Fatalf("no coupon link in the body:\n%s", body)
	return ""
}

func TestEmailDelivered(t *testing.T) {
	ms := newMailServer(t, nil, "", "")
	f := newFixture(t, func(c *notify.Config) {
		c.SMTP = notify.SMTPConfig{Host: ms.host, Port: ms.port, From: "gatehouse <wifi@example.com>", TLS: notify.SMTPNone}
	})
	f.store.add(delivery("d-desk", app.ChannelEmail, "desk@example.com"))
	f.store.add(delivery("d-boss", app.ChannelEmail, "boss@example.com"))
	f.pass(t)

	calls := f.store.calls()
	if len(calls) != 2 || calls[0].errText != "" || calls[1].errText != "" {
		t.Fatalf("outcomes: got %+v, want two successes", calls)
	}
	msgs := ms.got()
	if len(msgs) != 2 {
		t.Fatalf("messages: got %d, want 2", len(msgs))
	}
	for i, to := range []string{"desk@example.com", "boss@example.com"} {
		r := msgs[i]
		if r.from != "wifi@example.com" || len(r.to) != 1 || r.to[0] != to {
			t.Errorf("message %d envelope: from %q to %v, want wifi@example.com to [%s]", i, r.from, r.to, to)
		}
		m, body := readMail(t, r)
		if got := m.Header.Get("To"); !strings.Contains(got, to) {
			t.Errorf("message %d To: got %q, want %s", i, got, to)
		}
		if got := m.Header.Get("Subject"); got != "New coupons: Daily passes (20)" {
			t.Errorf("message %d Subject: got %q", i, got)
		}
		if !strings.HasPrefix(m.Header.Get("Content-Type"), "text/plain") {
			t.Errorf("message %d Content-Type: got %q, want text/plain", i, m.Header.Get("Content-Type"))
		}
		for _, want := range []string{`"Daily passes"`, "20 new coupons", "Wed 29 Oct 2025 07:59 CET", "24 hours", "Thu 30 Oct 2025 08:00 CET"} {
			if !strings.Contains(body, want) {
				t.Errorf("message %d body lacks %q:\n%s", i, want, body)
			}
		}
		checkSignedURL(t, f, linkIn(t, body), t0)
	}
}

func TestEmailStartTLSAndAuth(t *testing.T) {
	// httptest's certificate is valid for 127.0.0.1; its client trusts it.
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	cert := ts.TLS.Certificates[0]
	roots := ts.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	ts.Close()
	const password = "smtp-pa55word"
	ms := newMailServer(t, &tls.Config{Certificates: []tls.Certificate{cert}}, "mailer", password)

	cfg := notify.SMTPConfig{Host: ms.host, Port: ms.port, Username: "mailer", Password: password,
		From: "wifi@example.com", TLSConfig: &tls.Config{RootCAs: roots}} // TLS "" means starttls
	f := newFixture(t, func(c *notify.Config) { c.SMTP = cfg })
	f.store.add(delivery("d-desk", app.ChannelEmail, "desk@example.com"))
	f.pass(t)
	if calls := f.store.calls(); len(calls) != 1 || calls[0].errText != "" {
		t.Fatalf("outcomes: got %+v, want a success", calls)
	}
	if msgs := ms.got(); len(msgs) != 1 || msgs[0].to[0] != "desk@example.com" {
		t.Fatalf("messages: got %+v, want one to desk@example.com", msgs)
	}

	// A wrong password is a failure whose text does not hold it.
	cfg.Password = "wrong-pa55word"
	f = newFixture(t, func(c *notify.Config) { c.SMTP = cfg })
	f.store.add(delivery("d-desk", app.ChannelEmail, "desk@example.com"))
	f.pass(t)
	calls := f.store.calls()
	if len(calls) != 1 || !strings.HasPrefix(calls[0].errText, "e-mail to desk@example.com: ") || calls[0].next.IsZero() {
		t.Fatalf("outcomes: got %+v, want a failure to retry", calls)
	}
	for _, text := range []string{calls[0].errText, f.logs.String()} {
		if strings.Contains(text, "pa55word") {
			t.Errorf("the SMTP password leaks: %s", text)
		}
	}

	// A server without STARTTLS is refused in starttls mode.
	plain := newMailServer(t, nil, "", "")
	f = newFixture(t, func(c *notify.Config) {
		c.SMTP = notify.SMTPConfig{Host: plain.host, Port: plain.port, From: "wifi@example.com"}
	})
	f.store.add(delivery("d-desk", app.ChannelEmail, "desk@example.com"))
	f.pass(t)
	if calls := f.store.calls(); len(calls) != 1 || !strings.Contains(calls[0].errText, "STARTTLS") || len(plain.got()) != 0 {
		t.Errorf("outcomes: got %+v, %d messages; want a STARTTLS failure and nothing sent", calls, len(plain.got()))
	}
}

func TestEmailNotConfigured(t *testing.T) {
	f := newFixture(t, nil)
	f.store.add(delivery("d-desk", app.ChannelEmail, "desk@example.com"))
	f.pass(t)
	calls := f.store.calls()
	if len(calls) != 1 || calls[0].errText != "e-mail to desk@example.com: smtp is not configured" || !calls[0].next.Equal(t0.Add(time.Minute)) {
		t.Fatalf("outcomes: got %+v, want 'smtp is not configured' retried in a minute", calls)
	}
}

func TestSMTPConfig(t *testing.T) {
	valid := notify.SMTPConfig{Host: "mail.example.com", From: "wifi@example.com", Username: "u", Password: "pw-s3cret"}
	tests := []struct {
		name string
		edit func(*notify.SMTPConfig)
		want string
	}{
		{"valid", func(*notify.SMTPConfig) {}, ""},
		{"off", func(c *notify.SMTPConfig) { *c = notify.SMTPConfig{} }, ""},
		{"tls mode", func(c *notify.SMTPConfig) { c.TLS = "ssl" }, "smtp.tls"},
		{"port", func(c *notify.SMTPConfig) { c.Port = 70000 }, "smtp.port"},
		{"no from", func(c *notify.SMTPConfig) { c.From = "" }, "smtp.from"},
		{"bad from", func(c *notify.SMTPConfig) { c.From = "not an address" }, "smtp.from"},
		{"password alone", func(c *notify.SMTPConfig) { c.Username = "" }, "smtp.password"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := valid
			tc.edit(&c)
			err := c.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)) {
				t.Fatalf("Validate: got %v, want %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "pw-s3cret") {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "smtp", valid)
	for _, s := range []string{fmt.Sprint(valid), fmt.Sprintf("%+v", valid), logs.String()} {
		if strings.Contains(s, "pw-s3cret") || !strings.Contains(s, "mail.example.com") {
			t.Errorf("dump %q: want the host and no password", s)
		}
	}
}

// The e-mail speaks the instance's language: German words, the German
// date form and word order.
func TestEmailInTheInstanceLanguage(t *testing.T) {
	ms := newMailServer(t, nil, "", "")
	f := newFixture(t, func(c *notify.Config) {
		c.SMTP = notify.SMTPConfig{Host: ms.host, Port: ms.port, From: "wifi@example.com", TLS: notify.SMTPNone}
	})
	f.store.mu.Lock()
	f.store.locales[instanceID] = "de"
	f.store.mu.Unlock()
	d := delivery("d-de", app.ChannelEmail, "rezeption@example.com")
	d.Count = 250
	f.store.add(d)
	f.pass(t)
	msgs := ms.got()
	if len(msgs) != 1 {
		t.Fatalf("messages: got %d, want 1", len(msgs))
	}
	m, body := readMail(t, msgs[0])
	if got, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil || got != "Neue Codes: Daily passes (250)" {
		t.Errorf("Subject: got %q (%v)", got, err)
	}
	for _, want := range []string{`Der Code-Zeitplan "Daily passes" hat am 29.10.2025 07:59 CET 250 neue Codes erstellt.`,
		"Der Link gilt 24 Stunden, bis 30.10.2025 08:00 CET", "Benachrichtigungsgruppe"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}
