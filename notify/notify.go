// Package notify is gatehouse's notification adapter: it drains the
// notification outbox that a coupon schedule run fills, telling each
// notification group that coupons were made, by webhook (an HMAC-signed
// JSON POST) and by e-mail (SMTP, through github.com/wneessen/go-mail).
// Both carry a signed link to the schedule's coupon list, made when the
// message is sent so that it is valid for app.CouponLinkTTL from then.
//
// It sits at the edge of the architecture beside db, web and scheduler: it
// imports app and its libraries, never another adapter. The store methods
// it needs are declared here (Store); package main passes the SQLite store,
// starts the Notifier, lets the scheduler Kick it after each run, and
// Closes it at shutdown.
//
// Webhook URLs come from administrators, so a webhook only connects to
// public addresses unless Config.AllowPrivateWebhooks (never to a cloud
// metadata service), checked on the address dialled; a failure is recorded
// as the answer's status code, never with what the receiver sent.
//
// Deliveries are stored in the run's own transaction, so sending happens
// after the fact and never blocks or undoes a run: a failed delivery is
// recorded on the delivery and on the run (so the schedule shows it) and
// tried again after the next Backoff delay, until the delays are used up.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"gatehouse/app"
)

// Defaults of Config.
const (
	DefaultPollInterval = 30 * time.Second
	// RequestTimeout bounds one webhook request.
	RequestTimeout = 10 * time.Second
	// SMTPTimeout bounds one SMTP conversation (connect to QUIT).
	SMTPTimeout = 30 * time.Second
)

// DefaultBackoff returns the default delays between the attempts of a
// delivery: six attempts over about 8.5 hours, then it is given up.
func DefaultBackoff() []time.Duration {
	return []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}
}

// batchSize is how many due deliveries one store read returns.
const batchSize = 50

// recordTimeout bounds recording an attempt's outcome, which is done even
// when the pass is being cancelled so that a sent message is not sent again.
const recordTimeout = 5 * time.Second

// Store is the part of the database the notifier calls: the outbox and the
// groups' webhook secrets, cut from app.NotificationStore, and a schedule's
// name and time zone and an instance's locale for e-mails, cut from
// app.ScheduleStore and app.InstanceStore. The methods'
// contracts are written there. Package db implements it.
type Store interface {
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]app.Delivery, error)
	DeliverySucceeded(ctx context.Context, id string, at time.Time) error
	DeliveryFailed(ctx context.Context, id string, at time.Time, errText string, next time.Time) error
	NotificationGroup(ctx context.Context, id string) (app.NotificationGroup, error)
	Schedule(ctx context.Context, instanceID, id string) (app.Schedule, error)
	Instance(ctx context.Context, id string) (app.Instance, error)
}

// Config is how the notifier sends.
type Config struct {
	// SMTP is the mail server; an empty Host disables e-mail (e-mail
	// deliveries then fail and are retried, so configuring it later heals).
	SMTP SMTPConfig
	// Links signs the coupon list links. Required.
	Links *app.LinkSigner
	// AllowPrivateWebhooks lets webhooks reach loopback, private (RFC 1918,
	// fc00::/7), link-local and CGNAT addresses, for a receiver on the LAN
	// such as a hotel PMS. Cloud metadata, unspecified, multicast and
	// reserved addresses are refused even then. Addresses are checked when
	// connecting, after name resolution; redirects are not followed.
	AllowPrivateWebhooks bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PollInterval is how often the loop looks for due deliveries when not
	// kicked; 0 means DefaultPollInterval.
	PollInterval time.Duration
	// Backoff are the delays between attempts; after the last delay's
	// attempt fails the delivery is given up. Nil means DefaultBackoff(); an
	// empty, non-nil slice means a single attempt.
	Backoff []time.Duration
}

// Notifier sends due deliveries, in a loop between Start and Close or in
// single passes (DeliverDue). It is safe for concurrent use, but passes
// are meant to come from one place: the loop.
type Notifier struct {
	cfg    Config
	store  Store
	logger *slog.Logger
	client *http.Client
	kick   chan struct{}

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	done    chan struct{}
}

// New returns a notifier over store. It panics when cfg.Links or store is
// nil (a wiring mistake). cfg.SMTP is not checked here: package main
// validates it at start-up with SMTPConfig.Validate, and an invalid one
// makes e-mail deliveries fail with the reason. A nil logger discards.
func New(cfg Config, store Store, logger *slog.Logger) *Notifier {
	if cfg.Links == nil || store == nil {
		panic("notify.New: Links and store are required")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff()
	} else {
		cfg.Backoff = slices.Clone(cfg.Backoff)
	}
	return &Notifier{
		cfg:    cfg,
		store:  store,
		logger: logger.With("component", "notify"),
		client: newWebhookClient(cfg.AllowPrivateWebhooks),
		kick:   make(chan struct{}, 1),
	}
}

// Start starts the loop: a pass at once, then one every PollInterval and
// whenever Kick is called. Calling Start again does nothing.
func (n *Notifier) Start() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.started {
		return
	}
	n.started = true
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel, n.done = cancel, make(chan struct{})
	go n.loop(ctx)
}

// Close stops the loop, cancelling a pass in progress (an attempt cut short
// is not counted; it is made again later), waits for it to end and closes
// the webhook connections kept open. It returns ctx's error if ctx ends
// first. Closing a notifier that was never started only closes connections.
func (n *Notifier) Close(ctx context.Context) error {
	n.mu.Lock()
	cancel, done := n.cancel, n.done
	n.mu.Unlock()
	if cancel == nil {
		n.client.CloseIdleConnections()
		return nil
	}
	cancel()
	select {
	case <-done:
		n.client.CloseIdleConnections()
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop notifier: %w", ctx.Err())
	}
}

// Kick asks the loop for a pass now, for example after a schedule run. It
// never blocks; kicks during a pass make one more pass.
func (n *Notifier) Kick() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

func (n *Notifier) loop(ctx context.Context) {
	defer close(n.done)
	ticker := time.NewTicker(n.cfg.PollInterval)
	defer ticker.Stop()
	for {
		if err := n.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			n.logger.ErrorContext(ctx, "notification pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-n.kick:
		}
	}
}

// DeliverDue makes one pass: it sends every delivery due now, one after
// the other, and records each outcome. Failed sends are recorded and
// logged, not returned: its error (no app code) says that the store could
// not be read or written, or that ctx ended.
func (n *Notifier) DeliverDue(ctx context.Context) error {
	p := &pass{
		n:         n,
		now:       n.cfg.Now(),
		groups:    map[string]app.NotificationGroup{},
		schedules: map[string]app.Schedule{},
	}
	seen := map[string]bool{}
	var errs []error
	for {
		due, err := n.store.DueDeliveries(ctx, p.now, batchSize)
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("list due deliveries: %w", err))...)
		}
		fresh := 0
		for _, d := range due {
			if seen[d.ID] {
				continue // its outcome could not be recorded; next pass
			}
			seen[d.ID] = true
			fresh++
			if err := p.deliver(ctx, d); err != nil {
				errs = append(errs, err)
			}
			if ctx.Err() != nil {
				return errors.Join(append(errs, ctx.Err())...)
			}
		}
		if len(due) < batchSize || fresh == 0 {
			return errors.Join(errs...)
		}
	}
}

// pass is one DeliverDue: its time and what it has read from the store.
type pass struct {
	n         *Notifier
	now       time.Time
	groups    map[string]app.NotificationGroup
	schedules map[string]app.Schedule
}

// outcome is how one attempt ended: errText is "" on success; final means
// retrying cannot help.
type outcome struct {
	errText string
	final   bool
}

// deliver attempts d once and records the outcome. Its error is a store
// failure or the end of ctx; a failed send is recorded, not returned.
func (p *pass) deliver(ctx context.Context, d app.Delivery) error {
	var (
		out outcome
		err error
	)
	switch d.Channel {
	case app.ChannelWebhook:
		out, err = p.webhook(ctx, d)
	case app.ChannelEmail:
		out = p.email(ctx, d)
	default:
		out = outcome{errText: fmt.Sprintf("unknown notification channel %q", d.Channel), final: true}
	}
	if err != nil {
		return fmt.Errorf("delivery %s: %w", d.ID, err)
	}
	if out.errText != "" && ctx.Err() != nil {
		return nil // cut short by Close: not the target's fault; tried again later
	}
	return p.n.record(ctx, d, out)
}

// record stores the outcome of an attempt of d and logs a failure once.
func (n *Notifier) record(ctx context.Context, d app.Delivery, out outcome) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	at := n.cfg.Now()
	attempt := d.Attempts + 1
	if out.errText == "" {
		if err := n.store.DeliverySucceeded(ctx, d.ID, at); err != nil {
			return fmt.Errorf("record delivery %s: %w", d.ID, err)
		}
		n.logger.InfoContext(ctx, "notification delivered", "delivery", d.ID, "channel", d.Channel,
			"target", logTarget(d), "schedule", d.ScheduleID, "attempt", attempt)
		return nil
	}
	var next time.Time
	if !out.final && d.Attempts < len(n.cfg.Backoff) {
		next = at.Add(n.cfg.Backoff[d.Attempts])
	}
	if err := n.store.DeliveryFailed(ctx, d.ID, at, out.errText, next); err != nil {
		return fmt.Errorf("record delivery %s: %w", d.ID, err)
	}
	attrs := []any{"delivery", d.ID, "channel", d.Channel, "target", logTarget(d), "schedule", d.ScheduleID,
		"attempt", attempt, "err", out.errText}
	if next.IsZero() {
		n.logger.WarnContext(ctx, "notification failed; giving up", attrs...)
	} else {
		n.logger.WarnContext(ctx, "notification failed; will retry", append(attrs, "next_attempt_at", next)...)
	}
	return nil
}

// logTarget is what logs show of a delivery's target: the address of an
// e-mail, only the host of a webhook (its path or query may be a secret).
func logTarget(d app.Delivery) string {
	if d.Channel != app.ChannelWebhook {
		return d.Target
	}
	u, err := url.Parse(d.Target)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Host
}

// group returns a delivery's group, read once per pass.
func (p *pass) group(ctx context.Context, id string) (app.NotificationGroup, error) {
	if g, ok := p.groups[id]; ok {
		return g, nil
	}
	g, err := p.n.store.NotificationGroup(ctx, id)
	if err != nil {
		return app.NotificationGroup{}, err
	}
	p.groups[id] = g
	return g, nil
}

// schedule returns a delivery's schedule, read once per pass; a schedule
// that cannot be read is named by its id.
func (p *pass) schedule(ctx context.Context, d app.Delivery) app.Schedule {
	if s, ok := p.schedules[d.ScheduleID]; ok {
		return s
	}
	s, err := p.n.store.Schedule(ctx, d.InstanceID, d.ScheduleID)
	if err != nil {
		if app.ErrorCode(err) != app.ENotFound && ctx.Err() == nil {
			p.n.logger.WarnContext(ctx, "cannot read schedule for its name", "schedule", d.ScheduleID, "err", err)
		}
		s = app.Schedule{ID: d.ScheduleID, InstanceID: d.InstanceID}
	}
	p.schedules[d.ScheduleID] = s
	return s
}
