package app

import (
	"context"
	"encoding/hex"
	"strings"
	"time"
)

// Default RouterOS API ports.
const (
	PortAPI    = 8728
	PortAPISSL = 8729
)

// Site states.
const (
	SiteUnknown = "unknown"
	SiteOnline  = "online"
	SiteOffline = "offline"
)

// Site is one MikroTik router that gatehouse manages. Password is held in
// clear only in memory: the store encrypts it and the API never returns it.
type Site struct {
	ID             string
	Name           string
	Host           string
	Port           int
	Username       string
	Password       string
	TLS            bool
	TLSFingerprint string // lower-case hex SHA-256 of the router certificate, or ""
	HotspotServer  string // "all" or a server name
	Status         SiteStatus
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SiteStatus is what gatehouse last learned about a router.
type SiteStatus struct {
	State      string
	LastSeenAt *time.Time
	LastSyncAt *time.Time
	LastError  string
	// LastErrorText is LastError as a catalogue key and params, when the
	// error has one (routeros' and the reconciler's own words), for the
	// admin page; nil otherwise.
	LastErrorText   *Text
	Identity        string
	RouterOSVersion string
	// HotspotHosts are the names and addresses of the router's hotspot
	// login pages (hotspot-address and dns-name of its server profiles),
	// lower case: the only hosts the guest portal hands a browser to.
	HotspotHosts []string
	// CPULoad (percent) and Uptime are what the router last said of its
	// load; nil until a pass read them.
	CPULoad *int
	Uptime  *time.Duration
	// DriftCount is how many times gatehouse found an item of its own
	// changed or removed on the router by someone else (and repaired it).
	DriftCount int64
}

// DefaultPort is the API port for the given transport.
func DefaultPort(tls bool) int {
	if tls {
		return PortAPISSL
	}
	return PortAPI
}

// Normalize fills defaults: the port for the transport, the "all" hotspot
// server and a canonical fingerprint.
func (s *Site) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Host = strings.TrimSpace(s.Host)
	if s.Port == 0 {
		s.Port = DefaultPort(s.TLS)
	}
	if strings.TrimSpace(s.HotspotServer) == "" {
		s.HotspotServer = "all"
	}
	s.TLSFingerprint = strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(s.TLSFingerprint))
	if s.Status.State == "" {
		s.Status.State = SiteUnknown
	}
}

// Validate checks a normalized site. It returns EInvalid errors naming the field.
func (s *Site) Validate() error {
	if err := checkName("name", s.Name); err != nil {
		return err
	}
	if s.Host == "" {
		return Missing("host")
	}
	if !IsHost(s.Host) {
		return Invalid("host", ReasonParameterInvalid, "host must be an IP address or a DNS name, got %q", s.Host)
	}
	if s.Port < 1 || s.Port > 65535 {
		return Invalid("port", ReasonParameterInvalid, "port must be between 1 and 65535")
	}
	if strings.TrimSpace(s.Username) == "" {
		return Missing("username")
	}
	if len(s.Username) > 100 || strings.ContainsAny(s.Username, "\x00\r\n") {
		return Invalid("username", ReasonParameterInvalid, "username must be one line of at most 100 characters")
	}
	if len(s.Password) > 200 || strings.ContainsRune(s.Password, 0) {
		return Invalid("password", ReasonParameterInvalid, "password must be at most 200 characters")
	}
	if s.TLSFingerprint != "" {
		if b, err := hex.DecodeString(s.TLSFingerprint); err != nil || len(b) != 32 {
			return Invalid("tls_fingerprint", ReasonParameterInvalid, "tls_fingerprint must be the 64 hex digits of a SHA-256 fingerprint")
		}
		if !s.TLS {
			return Invalid("tls_fingerprint", ReasonParameterInvalid, "tls_fingerprint needs tls to be true")
		}
	}
	if err := checkName("hotspot_server", s.HotspotServer); err != nil {
		return err
	}
	return nil
}

// SiteStore keeps sites. Create and update normalize and validate the site
// (EInvalid); unknown ids give ENotFound; deleting a site an instance still
// uses gives EConflict.
type SiteStore interface {
	ListSites(ctx context.Context) ([]Site, error)
	Site(ctx context.Context, id string) (Site, error)
	CreateSite(ctx context.Context, s Site) (Site, error)
	UpdateSite(ctx context.Context, id string, change func(*Site) error) (Site, error)
	DeleteSite(ctx context.Context, id string) error
}
