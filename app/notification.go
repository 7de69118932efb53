package app

import (
	"context"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// Notification channels.
const (
	ChannelWebhook = "webhook"
	ChannelEmail   = "email"
)

// EventScheduleRan is the event sent after a schedule run.
const EventScheduleRan = "coupon_schedule.ran"

// MaxGroupEmails bounds the recipients of one notification group.
const MaxGroupEmails = 50

// NotificationGroup is who is told when a schedule has run: a webhook
// and/or e-mail addresses. Ids look like "ng_…". WebhookSecret signs the
// webhook body (HMAC-SHA256); it is stored encrypted and shown only when
// the group is created.
type NotificationGroup struct {
	ID            string
	Name          string
	Emails        []string
	WebhookURL    string
	WebhookSecret string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Normalize trims names and addresses and drops empty and repeated ones.
func (g *NotificationGroup) Normalize() {
	g.Name = strings.TrimSpace(g.Name)
	g.WebhookURL = strings.TrimSpace(g.WebhookURL)
	emails := make([]string, 0, len(g.Emails))
	seen := map[string]bool{}
	for _, e := range g.Emails {
		e = strings.TrimSpace(e)
		if key := strings.ToLower(e); e != "" && !seen[key] {
			seen[key] = true
			emails = append(emails, e)
		}
	}
	g.Emails = emails
}

// Validate checks a normalized group and returns EInvalid errors.
func (g *NotificationGroup) Validate() error {
	if err := checkName("name", g.Name); err != nil {
		return err
	}
	if len(g.Emails) == 0 && g.WebhookURL == "" {
		return Invalid("emails", ReasonParameterMissing, "a notification group needs emails, a webhook_url, or both")
	}
	if len(g.Emails) > MaxGroupEmails {
		return Invalid("emails", ReasonParameterInvalid, "at most %d e-mail addresses", MaxGroupEmails)
	}
	for _, e := range g.Emails {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			return Invalid("emails", ReasonParameterInvalid, "%q is not an e-mail address", e)
		}
	}
	if g.WebhookSecret != "" && (len(g.WebhookSecret) < 16 || len(g.WebhookSecret) > 200) {
		return Invalid("webhook_secret", ReasonParameterInvalid, "webhook_secret must be 16 to 200 characters")
	}
	if g.WebhookURL != "" {
		u, err := url.Parse(g.WebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(g.WebhookURL) > 2000 {
			return Invalid("webhook_url", ReasonParameterInvalid, "webhook_url must be an absolute http or https URL")
		}
	}
	return nil
}

// Delivery is one notification waiting in the outbox, or sent: one
// channel (webhook or one e-mail address) of one schedule run.
type Delivery struct {
	ID            string
	GroupID       string
	Channel       string
	Target        string // webhook URL or e-mail address
	InstanceID    string
	ScheduleID    string
	RunID         string
	Count         int
	RanAt         time.Time
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	DeliveredAt   *time.Time
	FailedAt      *time.Time // set when delivery was given up
	CreatedAt     time.Time
}

// Delivery states.
const (
	DeliveryPending   = "pending"   // not sent yet, or to be tried again
	DeliveryDelivered = "delivered" // sent
	DeliveryFailed    = "failed"    // given up after its last attempt
)

// Status is the delivery's state: DeliveryDelivered, DeliveryFailed or
// DeliveryPending.
func (d Delivery) Status() string {
	switch {
	case d.DeliveredAt != nil:
		return DeliveryDelivered
	case d.FailedAt != nil:
		return DeliveryFailed
	}
	return DeliveryPending
}

// NotificationStore keeps notification groups and the delivery outbox.
// Deliveries are created by ScheduleStore.RunSchedule in the run's own
// transaction, so a run and its notifications are stored together.
type NotificationStore interface {
	ListNotificationGroups(ctx context.Context) ([]NotificationGroup, error)
	// NotificationGroup returns a group with its webhook secret. ENotFound.
	NotificationGroup(ctx context.Context, id string) (NotificationGroup, error)
	// CreateNotificationGroup validates (EInvalid) and stores g; an empty
	// WebhookSecret is generated.
	CreateNotificationGroup(ctx context.Context, g NotificationGroup) (NotificationGroup, error)
	UpdateNotificationGroup(ctx context.Context, id string, change func(*NotificationGroup) error) (NotificationGroup, error)
	// DeleteNotificationGroup gives EConflict while a schedule uses the group.
	DeleteNotificationGroup(ctx context.Context, id string) error

	// DueDeliveries returns up to limit undelivered, not given-up
	// deliveries whose next attempt is due at now, oldest first.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// DeliverySucceeded marks a delivery done.
	DeliverySucceeded(ctx context.Context, id string, at time.Time) error
	// DeliveryFailed records a failed attempt: the error, and either the
	// time of the next attempt or, when next is zero, that it was given up.
	// The error is also recorded on the run (ScheduleRun.NotifyError).
	DeliveryFailed(ctx context.Context, id string, at time.Time, errText string, next time.Time) error
}
