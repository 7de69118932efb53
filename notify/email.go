package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"time"

	"github.com/wneessen/go-mail"

	"gatehouse/app"
)

// SMTP transport security modes.
const (
	SMTPStartTLS = "starttls" // plain connection upgraded with STARTTLS, which must be offered
	SMTPTLS      = "tls"      // TLS from the first byte (SMTPS)
	SMTPNone     = "none"     // no encryption; for a relay on the same host or network
)

// errSMTPNotConfigured is the failure of an e-mail delivery while no SMTP
// server is configured.
var errSMTPNotConfigured = errors.New("smtp is not configured")

// SMTPConfig is the mail server that e-mail notifications go through.
type SMTPConfig struct {
	// Host is the server's name or address; "" disables e-mail.
	Host string
	// Port defaults by TLS mode: 587 for starttls, 465 for tls, 25 for none.
	Port int
	// Username and Password authenticate; an empty Username means none.
	// Authentication is only done with a mechanism that does not reveal
	// the password, or over TLS.
	Username string
	Password string
	// From is the sender address, for example "gatehouse <wifi@example.com>".
	From string
	// TLS is SMTPStartTLS (the default when ""), SMTPTLS or SMTPNone.
	TLS string
	// TLSConfig, when not nil, replaces the default TLS settings (system
	// roots, server name Host), for example to trust a private CA.
	TLSConfig *tls.Config
}

// Validate checks a configuration that has a Host; one without is valid
// (e-mail off). Its errors name the smtp.* setting at fault and never
// contain the password.
func (c SMTPConfig) Validate() error {
	if c.Host == "" {
		return nil
	}
	switch c.TLS {
	case "", SMTPStartTLS, SMTPTLS, SMTPNone:
	default:
		return fmt.Errorf("smtp.tls: %q is not starttls, tls or none", c.TLS)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("smtp.port: %d is not a port number", c.Port)
	}
	if c.From == "" {
		return errors.New("smtp.from: the sender address is required when smtp.host is set")
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("smtp.from: %q is not an e-mail address", c.From)
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("smtp.password is set but smtp.username is empty")
	}
	return nil
}

// String describes the configuration with the password redacted.
func (c SMTPConfig) String() string {
	pw := ""
	if c.Password != "" {
		pw = "[redacted]"
	}
	return fmt.Sprintf("{Host:%s Port:%d Username:%s Password:%s From:%s TLS:%s}", c.Host, c.Port, c.Username, pw, c.From, c.TLS)
}

// LogValue implements slog.LogValuer: the password never reaches a log.
func (c SMTPConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", c.Host), slog.Int("port", c.Port),
		slog.String("username", c.Username), slog.Bool("password_set", c.Password != ""),
		slog.String("from", c.From), slog.String("tls", c.TLS))
}

// client returns a go-mail client for one conversation with the server.
func (c SMTPConfig) client() (*mail.Client, error) {
	if c.Host == "" {
		return nil, errSMTPNotConfigured
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	port := c.Port
	opts := []mail.Option{mail.WithTimeout(SMTPTimeout)}
	switch c.TLS {
	case "", SMTPStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		port = orDefault(port, 587)
	case SMTPTLS:
		opts = append(opts, mail.WithSSL())
		port = orDefault(port, 465)
	case SMTPNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		port = orDefault(port, 25)
	}
	opts = append(opts, mail.WithPort(port))
	if c.TLSConfig != nil {
		tc := c.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = c.Host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	if c.Username != "" {
		// Auto-discovery picks the strongest mechanism the server offers
		// and, without TLS, none that sends the password in clear.
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(c.Username), mail.WithPassword(c.Password))
	}
	return mail.NewClient(c.Host, opts...)
}

// orDefault returns v, or def when v is 0.
func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// email sends d's message to its address.
func (p *pass) email(ctx context.Context, d app.Delivery) outcome {
	fail := func(err error) outcome {
		return outcome{errText: "e-mail to " + d.Target + ": " + oneLine([]byte(err.Error()))}
	}
	client, err := p.n.cfg.SMTP.client()
	if err != nil {
		return fail(err)
	}
	msg, err := p.message(ctx, d)
	if err != nil {
		return fail(err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fail(err)
	}
	return outcome{}
}

// message builds the plain-text e-mail of d: which schedule, how many
// coupons, and the signed link with how long it works.
func (p *pass) message(ctx context.Context, d app.Delivery) (*mail.Msg, error) {
	s := p.schedule(ctx, d)
	name := fmt.Sprintf("%q", s.Name)
	if s.Name == "" {
		name = s.ID
	}
	loc, err := s.Location()
	if err != nil {
		loc = time.UTC
	}
	now := p.n.cfg.Now()
	link := p.n.cfg.Links.CouponListURL(d.ScheduleID)
	lang := "en"
	if in, err := p.n.store.Instance(ctx, d.InstanceID); err == nil {
		lang = in.Locale
	}
	words := newEmailWords(lang)
	body := words.body(name, d.Count, d.RanAt.In(loc), link, int(app.CouponLinkTTL/time.Hour), now.Add(app.CouponLinkTTL).In(loc))

	m := mail.NewMsg()
	if err := m.From(p.n.cfg.SMTP.From); err != nil {
		return nil, fmt.Errorf("smtp.from %q: %w", p.n.cfg.SMTP.From, err)
	}
	if err := m.To(d.Target); err != nil {
		return nil, fmt.Errorf("bad address: %w", err)
	}
	m.Subject(words.subject(s.Name, d.Count))
	m.SetDateWithValue(now)
	m.SetMessageID()
	m.SetUserAgent("gatehouse")
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetGenHeader(mail.Header(HeaderDelivery), d.ID)
	m.SetBodyString(mail.TypeTextPlain, body)
	return m, nil
}
