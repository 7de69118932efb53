package notify

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	const (
		allowed = "" // allowed whatever the switch
		private = "private"
		never   = "never"
	)
	tests := []struct {
		addr, want string
	}{
		{"93.184.215.14", allowed},
		{"2606:4700::6810:85e5", allowed},
		{"8.8.8.8", allowed},
		{"127.0.0.1", private},
		{"127.1.2.3", private},
		{"::1", private},
		{"::ffff:127.0.0.1", private}, // IPv4-mapped: checked as IPv4
		{"::ffff:10.0.0.1", private},
		{"10.1.2.3", private},
		{"172.16.0.1", private},
		{"172.31.255.255", private},
		{"172.32.0.1", allowed},
		{"192.168.1.10", private},
		{"fc00::1", private},
		{"fd12:3456::1", private},
		{"169.254.1.1", private},
		{"fe80::1", private},
		{"fe80::1%eth0", private},
		{"100.64.0.1", private},
		{"100.127.255.254", private},
		{"100.128.0.1", allowed},
		{"fec0::1", private},
		{"64:ff9b::a00:1", private},   // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", allowed}, // NAT64 of 8.8.8.8
		{"169.254.169.254", never},
		{"::ffff:169.254.169.254", never},
		{"64:ff9b::a9fe:a9fe", never},
		{"169.254.170.2", never},
		{"100.100.100.200", never},
		{"168.63.129.16", never},
		{"fd00:ec2::254", never},
		{"fe80::a9fe:a9fe%eth0", never},
		{"0.0.0.0", never},
		{"0.1.2.3", never},
		{"::", never},
		{"::ffff:0.0.0.0", never},
		{"224.0.0.1", never},
		{"239.255.255.250", never},
		{"ff02::1", never},
		{"255.255.255.255", never},
		{"240.0.0.1", never},
		{"::7f00:1", never}, // IPv4-compatible, deprecated
	}
	for _, tc := range tests {
		a := netip.MustParseAddr(tc.addr)
		for _, allow := range []bool{false, true} {
			err := checkAddr(a, allow)
			var want string
			switch {
			case tc.want == never:
				want = "; webhooks never go there"
			case tc.want == private && !allow:
				want = "; set [notify] allow_private_webhooks to allow it"
			}
			switch {
			case want == "" && err != nil:
				t.Errorf("checkAddr(%s, allow %v) = %v, want allowed", tc.addr, allow, err)
			case want != "" && (err == nil || !strings.HasSuffix(err.Error(), want)):
				t.Errorf("checkAddr(%s, allow %v) = %v, want an error ending %q", tc.addr, allow, err, want)
			}
		}
	}
}

func TestAddressErrorText(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"::ffff:127.0.0.1", "webhook address 127.0.0.1 is private (loopback); set [notify] allow_private_webhooks to allow it"},
		{"100.64.1.1", "webhook address 100.64.1.1 is private (CGNAT, 100.64.0.0/10); set [notify] allow_private_webhooks to allow it"},
		{"fe80::1%eth0", "webhook address fe80::1 is private (link-local); set [notify] allow_private_webhooks to allow it"},
		{"169.254.169.254", "webhook address 169.254.169.254 is a cloud metadata service; webhooks never go there"},
	} {
		if err := checkAddr(netip.MustParseAddr(tc.addr), false); err == nil || err.Error() != tc.want {
			t.Errorf("checkAddr(%s): got %v, want %q", tc.addr, err, tc.want)
		}
	}
}

func TestDialControl(t *testing.T) {
	control := dialControl(false)
	for _, tc := range []struct {
		network, address string
		ok               bool
	}{
		{"tcp4", "93.184.215.14:443", true},
		{"tcp6", "[2606:4700::6810:85e5]:443", true},
		{"tcp4", "127.0.0.1:18999", false},
		{"tcp6", "[::ffff:127.0.0.1]:80", false},
		{"tcp6", "[fe80::1%lo]:80", false},
		{"udp4", "93.184.215.14:53", false},
		{"tcp4", "example.com:80", false},
	} {
		if err := control(tc.network, tc.address, nil); (err == nil) != tc.ok {
			t.Errorf("control(%s, %s) = %v, want ok %v", tc.network, tc.address, err, tc.ok)
		}
	}
}
