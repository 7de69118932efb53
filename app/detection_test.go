package app

import "testing"

func TestProbeLetThrough(t *testing.T) {
	tests := []struct {
		pattern string
		want    string // "" = lets no probe through
	}{
		{"www.gstatic.com", "www.gstatic.com"},
		{"WWW.GSTATIC.COM.", "www.gstatic.com"},
		{"*.gstatic.com", "www.gstatic.com"},
		{"*.google.com", "clients3.google.com"},
		{"*.apple.com", "captive.apple.com"},
		{"*apple.com", "captive.apple.com"},
		{"*.firefox.com", "detectportal.firefox.com"},
		{"*.gnome.org", "nmcheck.gnome.org"},
		{"*.com", "www.gstatic.com"},
		{"ssl.gstatic.com", ""},
		{"fonts.gstatic.com", ""},
		{"accounts.google.com", ""},
		{"*.googleapis.com", ""},
		{"apple.com", ""},
		{"*.example.com", ""},
		{"gstatic.com", ""},
	}
	for _, tt := range tests {
		got, ok := ProbeLetThrough(tt.pattern)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ProbeLetThrough(%q) = %q, %v; want %q", tt.pattern, got, ok, tt.want)
		}
	}
}

func TestProviderHostsLetNoProbeThrough(t *testing.T) {
	for _, provider := range []string{ProviderGoogle, ProviderGitHub, ProviderAzure} {
		for _, h := range ProviderSignInHosts(provider) {
			if p, ok := ProbeLetThrough(h); ok {
				t.Errorf("%s sign-in host %s lets the detection host %s through", provider, h, p)
			}
		}
	}
}
