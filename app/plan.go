package app

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Plan limits and defaults.
const (
	MaxPlanName             = 64     // characters of a plan's name
	MaxPlanMinutes          = 525600 // session and validity: at most a year
	MinPlanKbps             = 64     // the slowest rate limit a plan may set
	MaxPlanDevices          = 20
	DefaultPlanDevices      = 1
	DefaultPlanValidMinutes = 1440 // an unused code of a plan is valid a day
)

// Plan is what a guest buys with a coupon: how long a session lasts, how
// much data and how fast, on how many devices at once, and for how much.
// A coupon made with a plan keeps the plan's price and currency as they
// were when it was made.
type Plan struct {
	ID   string
	Name string
	// SessionMinutes is the uptime a guest gets (the router's limit-uptime).
	SessionMinutes int
	// DataLimitMB is the data allowed, up and down together, in MB of
	// 1,000,000 bytes; nil means unlimited.
	DataLimitMB *int
	// DownloadKbps and UploadKbps are the guest's rate limits in kbit/s;
	// nil means unlimited.
	DownloadKbps *int
	UploadKbps   *int
	// Devices is how many devices may be online at once with one code.
	Devices int
	// ValidMinutes is how long an unused code of the plan can be redeemed:
	// the default of a coupon batch's minutes_valid.
	ValidMinutes int
	// Price is in the currency's minor units (cents); 0 means free.
	Price int64
	// Currency is an ISO 4217 code in upper case; "" only when Price is 0.
	Currency  string
	CreatedAt time.Time
}

// NewPlan returns a plan with the defaults a request may leave out:
// one device, codes valid a day, free.
func NewPlan() Plan {
	return Plan{Devices: DefaultPlanDevices, ValidMinutes: DefaultPlanValidMinutes}
}

// Normalize trims the name and writes the currency in upper case.
func (p *Plan) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.Currency = upperTrim(p.Currency)
}

// upperTrim trims v and writes it in upper case (currency codes).
func upperTrim(v string) string { return strings.ToUpper(strings.TrimSpace(v)) }

// Validate checks a normalized plan and returns EInvalid errors naming
// the JSON field at fault.
func (p *Plan) Validate() error {
	if p.Name == "" {
		return Missing("name")
	}
	if utf8.RuneCountInString(p.Name) > MaxPlanName {
		return Invalid("name", ReasonParameterInvalid, "name must be at most %d characters", MaxPlanName)
	}
	if strings.ContainsAny(p.Name, "\x00\r\n") {
		return Invalid("name", ReasonParameterInvalid, "name must be a single line of text")
	}
	if p.SessionMinutes < 1 || p.SessionMinutes > MaxPlanMinutes {
		return Invalid("session_minutes", ReasonParameterInvalid, "session_minutes must be between 1 and %d", MaxPlanMinutes)
	}
	if p.DataLimitMB != nil && *p.DataLimitMB < 1 {
		return Invalid("data_limit_mb", ReasonParameterInvalid, "data_limit_mb must be at least 1, or null for unlimited")
	}
	if p.DownloadKbps != nil && *p.DownloadKbps < MinPlanKbps {
		return Invalid("download_kbps", ReasonParameterInvalid, "download_kbps must be at least %d, or null for unlimited", MinPlanKbps)
	}
	if p.UploadKbps != nil && *p.UploadKbps < MinPlanKbps {
		return Invalid("upload_kbps", ReasonParameterInvalid, "upload_kbps must be at least %d, or null for unlimited", MinPlanKbps)
	}
	if p.Devices < 1 || p.Devices > MaxPlanDevices {
		return Invalid("devices", ReasonParameterInvalid, "devices must be between 1 and %d", MaxPlanDevices)
	}
	if p.ValidMinutes < 1 || p.ValidMinutes > MaxPlanMinutes {
		return Invalid("valid_minutes", ReasonParameterInvalid, "valid_minutes must be between 1 and %d", MaxPlanMinutes)
	}
	if p.Price < 0 {
		return Invalid("price", ReasonParameterInvalid, "price must be 0 or more, in the currency's minor units (cents)")
	}
	if p.Currency == "" {
		if p.Price > 0 {
			return Invalid("currency", ReasonParameterMissing, "currency (ISO 4217, such as EUR) is required when price is above 0")
		}
		return nil
	}
	if !isCurrencyCode(p.Currency) {
		return Invalid("currency", ReasonParameterInvalid, "currency must be an ISO 4217 code of three letters, such as EUR, got %q", p.Currency)
	}
	return nil
}

// RateLimit is the plan's speed as a RouterOS rate-limit: rx/tx seen
// from the router, so the guest's upload comes first, in kbit/s ("k" is
// 1000); 0 is no limit on that side. "" when neither side is limited
// (docs/routeros.md §2).
func (p Plan) RateLimit() string {
	if p.UploadKbps == nil && p.DownloadKbps == nil {
		return ""
	}
	rate := func(kbps *int) string {
		if kbps == nil {
			return "0"
		}
		return strconv.Itoa(*kbps) + "k"
	}
	return rate(p.UploadKbps) + "/" + rate(p.DownloadKbps)
}

// isCurrencyCode reports whether v has the form of an ISO 4217 code:
// three letters A–Z.
func isCurrencyCode(v string) bool {
	if len(v) != 3 {
		return false
	}
	for i := range len(v) {
		if v[i] < 'A' || v[i] > 'Z' {
			return false
		}
	}
	return true
}

// PlanStore keeps the plans coupons are sold by.
type PlanStore interface {
	// ListPlans returns every plan, oldest first.
	ListPlans(ctx context.Context) ([]Plan, error)
	// Plan returns one plan. ENotFound for an unknown id.
	Plan(ctx context.Context, id string) (Plan, error)
	// CreatePlan normalizes and validates p (EInvalid) and stores it with
	// a new id and creation time.
	CreatePlan(ctx context.Context, p Plan) (Plan, error)
	// UpdatePlan loads the plan, applies change, normalizes and validates
	// the result (EInvalid) and stores it, in one transaction; the id and
	// creation time cannot change. Coupons already made keep the price
	// and currency they were made with. ENotFound for an unknown id; the
	// error of change is returned unchanged and nothing is written.
	UpdatePlan(ctx context.Context, id string, change func(*Plan) error) (Plan, error)
	// DeletePlan deletes a plan. ENotFound for an unknown id; EConflict
	// while a coupon or a coupon schedule uses it.
	DeletePlan(ctx context.Context, id string) error
}
