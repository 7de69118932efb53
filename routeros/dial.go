package routeros

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"gatehouse/app"
)

// backoff spaces out dial attempts to a router that is down: after n
// failed dials in a row the next one waits min·2^(n-1), at most max. It is
// shared by a client's connections because it is the router that is down.
type backoff struct {
	min, max time.Duration

	mu       sync.Mutex
	failures int
	lastFail time.Time
	retryAt  time.Time
	err      error // last dial error, returned while waiting
}

// delay returns the wait after the nth failure in a row (n ≥ 1).
func (b *backoff) delay(n int) time.Duration {
	d := b.min
	for i := 1; i < n && d < b.max; i++ {
		d *= 2
	}
	return min(d, b.max)
}

// check returns the error to fail with when no dial may be tried now.
func (b *backoff) check(now time.Time, addr string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.retryAt) {
		return unavailable(b.err, app.T("router.unreachable_retry", "router", addr,
			"wait", b.retryAt.Sub(now).Round(time.Millisecond).String(), "cause", causeText(b.err)))
	}
	return nil
}

// failed records a failed dial that started at start and returns the
// number of failures in a row. Attempts that overlapped one already
// recorded count once, so parallel connections do not inflate the wait.
func (b *backoff) failed(start time.Time, err error) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.err = err
	if b.lastFail.After(start) {
		return b.failures
	}
	now := time.Now()
	b.failures++
	b.lastFail, b.retryAt = now, now.Add(b.delay(b.failures))
	return b.failures
}

// succeeded resets the backoff and returns the failures it ends.
func (b *backoff) succeeded() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.failures
	b.failures, b.retryAt, b.err = 0, time.Time{}, nil
	return n
}

// connect makes sure cn has a logged-in connection: it returns at once if it
// has one, fails fast while backing off, else dials and logs in.
func (c *Client) connect(ctx context.Context, cn *conn) error {
	if cn.nc != nil {
		return nil
	}
	if _, err := c.pin(); err != nil {
		return err
	}
	if err := c.backoff.check(time.Now(), c.addr); err != nil {
		return err
	}
	start := time.Now()
	nc, err := c.dial(ctx)
	if err == nil {
		cn.open(nc)
		if err = cn.login(ctx, c.target.Username, c.target.Password, c.cfg.CommandTimeout); err != nil {
			cn.close()
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return notSent(ctx, c.addr, nil) // the caller gave up; not the router's fault
		}
		if n := c.backoff.failed(start, err); n == 1 {
			c.log.Warn("router unreachable, backing off", "error", err, "retry_in", c.backoff.delay(1))
		}
		if lr, ok := errors.AsType[*loginRefused](err); ok {
			return unavailable(err, app.T("router.login_refused", "router", c.addr, "user", lr.user, "reason", lr.reason))
		}
		return unavailable(err, app.T("router.cannot_connect", "router", c.addr, "cause", causeText(err)))
	}
	if n := c.backoff.succeeded(); n > 0 {
		c.log.Info("router reachable again", "failed_attempts", n)
	}
	c.log.Debug("router connection opened")
	return nil
}

// dial opens the TCP (or TLS) connection within DialTimeout.
func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{Timeout: c.cfg.DialTimeout}
	if !c.target.TLS {
		return d.DialContext(ctx, "tcp", c.addr)
	}
	pin, _ := c.pin()
	cfg := &tls.Config{ServerName: c.target.Host, MinVersion: tls.VersionTLS12}
	if pin != nil {
		// Only this certificate is trusted, whoever signed it (RouterOS
		// certificates are usually self-signed).
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("router sent no certificate")
			}
			sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
			if !bytes.Equal(sum[:], pin) {
				return fmt.Errorf("router certificate SHA-256 %x does not match the pinned fingerprint", sum)
			}
			return nil
		}
	}
	return (&tls.Dialer{NetDialer: d, Config: cfg}).DialContext(ctx, "tcp", c.addr)
}

// pin decodes Target.Fingerprint: nil when not set; EInvalid when it is not
// a hex SHA-256 (colons, spaces and case are ignored).
func (c *Client) pin() ([]byte, error) {
	fp := c.target.Fingerprint
	if fp == "" || !c.target.TLS {
		return nil, nil
	}
	fp = strings.NewReplacer(":", "", " ", "").Replace(fp)
	b, err := hex.DecodeString(fp)
	if err != nil || len(b) != sha256.Size {
		return nil, &routerError{app: app.Invalid("fingerprint", app.ReasonParameterInvalid,
			"certificate fingerprint of router %s is not a hex SHA-256", c.addr)}
	}
	return b, nil
}
