package notify

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Webhook URLs are typed by administrators, so a webhook could otherwise be
// aimed at gatehouse's own host, its LAN or a cloud metadata service. The
// webhook client checks every address it connects to, after name
// resolution (which also defeats DNS rebinding), in the dialer's Control
// hook. It does not follow redirects and does not use HTTP_PROXY: the
// address checked is always the one the request goes to.

// metadataAddrs are cloud metadata services: refused even when private
// webhooks are allowed, since they hand out credentials.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle and most others
	netip.MustParseAddr("169.254.170.2"),   // AWS ECS task metadata
	netip.MustParseAddr("169.254.170.23"),  // AWS EKS pod identity
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
	netip.MustParseAddr("168.63.129.16"),   // Azure WireServer
	netip.MustParseAddr("fd00:ec2::254"),   // AWS IMDS over IPv6
	netip.MustParseAddr("fd00:ec2::23"),    // AWS EKS pod identity over IPv6
	netip.MustParseAddr("fd20:ce::254"),    // GCP metadata over IPv6
	netip.MustParseAddr("fe80::a9fe:a9fe"), // OpenStack metadata over IPv6
}

// Address ranges that netip does not name.
var (
	sharedRange      = netip.MustParsePrefix("100.64.0.0/10") // CGNAT, RFC 6598
	thisNetworkRange = netip.MustParsePrefix("0.0.0.0/8")     // "this network", RFC 791; reaches the host itself
	reservedRange    = netip.MustParsePrefix("240.0.0.0/4")   // reserved, and the broadcast address
	siteLocalRange   = netip.MustParsePrefix("fec0::/10")     // deprecated IPv6 site-local, RFC 3879
	v4CompatRange    = netip.MustParsePrefix("::/96")         // deprecated IPv4-compatible IPv6, RFC 4291
	nat64Range       = netip.MustParsePrefix("64:ff9b::/96")  // NAT64 well-known prefix, RFC 6052
)

// addressError is a refused webhook address. private says whether
// allow_private_webhooks would allow it.
type addressError struct {
	addr    netip.Addr
	kind    string
	private bool
}

func (e *addressError) Error() string {
	if e.private {
		return fmt.Sprintf("webhook address %s is private (%s); set [notify] allow_private_webhooks to allow it", e.addr, e.kind)
	}
	return fmt.Sprintf("webhook address %s is %s; webhooks never go there", e.addr, e.kind)
}

// checkAddr returns an *addressError if a webhook must not connect to a:
// always for unspecified, multicast, reserved and cloud metadata addresses;
// for loopback, private (RFC 1918, fc00::/7), link-local and CGNAT
// addresses unless allowPrivate. IPv4-mapped and NAT64 addresses are
// checked as the IPv4 address they carry.
func checkAddr(a netip.Addr, allowPrivate bool) error {
	a = a.WithZone("").Unmap()
	if nat64Range.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte(b[12:]))
	}
	never := func(kind string) error { return &addressError{addr: a, kind: kind} }
	private := func(kind string) error {
		if allowPrivate {
			return nil
		}
		return &addressError{addr: a, kind: kind, private: true}
	}
	for _, m := range metadataAddrs {
		if a == m {
			return never("a cloud metadata service")
		}
	}
	switch {
	case !a.IsValid():
		return never("not an IP address")
	case a.IsUnspecified() || thisNetworkRange.Contains(a):
		return never("unspecified")
	case a.IsMulticast():
		return never("multicast")
	case reservedRange.Contains(a) || (a.Is6() && v4CompatRange.Contains(a) && !a.IsLoopback()):
		return never("reserved")
	case a.IsLoopback():
		return private("loopback")
	case a.IsLinkLocalUnicast():
		return private("link-local")
	case a.IsPrivate() || siteLocalRange.Contains(a):
		return private("a private network")
	case sharedRange.Contains(a):
		return private("CGNAT, 100.64.0.0/10")
	}
	return nil
}

// dialControl is a net.Dialer Control hook that refuses, with checkAddr,
// every connection to an address that a webhook must not reach.
func dialControl(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if network != "tcp4" && network != "tcp6" {
			return fmt.Errorf("webhook: network %s is not used", network)
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("webhook: cannot check address %q: %w", address, err)
		}
		return checkAddr(ap.Addr(), allowPrivate)
	}
}

// newWebhookClient returns the client that sends webhooks: every
// connection goes through dialControl, there is no proxy, and a redirect
// answer is returned as it is (a failure), never followed.
func newWebhookClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: RequestTimeout, KeepAlive: 30 * time.Second, Control: dialControl(allowPrivate)}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          10,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   RequestTimeout,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
