package app

import (
	"context"
	"net/netip"
	"strings"
	"time"
)

// Walled garden entry types (the contract's enum).
const (
	WalledGardenCaptiveAuth   = "captive-auth"
	WalledGardenCaptivePortal = "captive-portal"
)

// WalledGardenEntry is an address guests of a site may reach before they
// log in: an IP address or CIDR subnet, or (extension) a DNS name that may
// start with "*.".
type WalledGardenEntry struct {
	ID        string
	SiteID    string
	Name      string
	Type      string
	IPAddress string // "" when only Host is set
	Host      string // "" when only IPAddress is set
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Normalize trims text, lower-cases the host and applies the default type.
func (w *WalledGardenEntry) Normalize() {
	w.Name = strings.TrimSpace(w.Name)
	w.IPAddress = strings.TrimSpace(w.IPAddress)
	w.Host = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(w.Host), "."))
	if w.Type == "" {
		w.Type = WalledGardenCaptiveAuth
	}
}

// Validate checks a normalized entry and returns EInvalid errors.
func (w *WalledGardenEntry) Validate() error {
	if err := checkName("name", w.Name); err != nil {
		return err
	}
	switch w.Type {
	case WalledGardenCaptiveAuth, WalledGardenCaptivePortal:
	default:
		return Invalid("type", ReasonParameterInvalid, "type must be captive-auth or captive-portal")
	}
	if w.IPAddress == "" && w.Host == "" {
		return Missing("ip_address")
	}
	if w.IPAddress != "" {
		if err := checkAddrOrPrefix("ip_address", w.IPAddress); err != nil {
			return err
		}
		if !isIPv4(w.IPAddress) {
			return Invalid("ip_address", ReasonParameterInvalid,
				"ip_address must be an IPv4 address or subnet: the MikroTik hotspot handles IPv4 only, got %q", w.IPAddress)
		}
	}
	if w.Host != "" && !IsDNSName(w.Host, true) {
		return Invalid("host", ReasonParameterInvalid, "host must be a DNS name such as accounts.google.com or *.example.com")
	}
	if probe, ok := ProbeLetThrough(w.Host); w.Host != "" && ok {
		return Invalid("host", ReasonParameterInvalid,
			"host %q would let %s through, a host that phones and laptops fetch to detect the captive portal; "+
				"with it in the walled garden they believe they are online and never show the login page", w.Host, probe)
	}
	return nil
}

// WildcardNote is what the API says about a walled-garden host with a
// wildcard: RouterOS resolves names for HTTPS at the IP level, which takes
// no wildcards, so such an entry opens plain HTTP only (docs/routeros.md §5).
const WildcardNote = "wildcard hosts are let through for plain HTTP only; list each HTTPS host by its exact name"

// Note returns what an operator should know about how the router applies
// the entry, or "".
func (w *WalledGardenEntry) Note() string {
	if strings.Contains(w.Host, "*") {
		return WildcardNote
	}
	return ""
}

// isIPv4 reports whether an address or CIDR subnet is IPv4.
func isIPv4(v string) bool {
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Addr().Is4()
	}
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is4()
}

// WalledGardenStore keeps the walled garden entries of each site. Every
// method gives ENotFound when the site (or the entry within it) does not
// exist; create and update normalize and validate (EInvalid).
type WalledGardenStore interface {
	ListWalledGarden(ctx context.Context, siteID string) ([]WalledGardenEntry, error)
	WalledGardenEntry(ctx context.Context, siteID, id string) (WalledGardenEntry, error)
	CreateWalledGardenEntry(ctx context.Context, w WalledGardenEntry) (WalledGardenEntry, error)
	UpdateWalledGardenEntry(ctx context.Context, siteID, id string, change func(*WalledGardenEntry) error) (WalledGardenEntry, error)
	DeleteWalledGardenEntry(ctx context.Context, siteID, id string) error
}
