package app

import "strings"

// captivePortalProbes are the hosts that phones, laptops and browsers
// fetch to find out whether a network has a captive portal
// (docs/routeros.md §5). If a probe gets through the walled garden the
// device believes it is online and never opens the login sheet, so none
// of these may ever be let through, at either level of the walled garden,
// for any instance or provider.
var captivePortalProbes = []string{
	"www.gstatic.com",               // Chrome, Android
	"connectivitycheck.gstatic.com", // Android
	"connectivitycheck.android.com", // Android
	"clients3.google.com",           // Android, older Chrome
	"captive.apple.com",             // iOS, macOS
	"www.apple.com",                 // iOS, macOS (older)
	"www.msftconnecttest.com",       // Windows 10 and later
	"www.msftncsi.com",              // Windows 7 and 8
	"detectportal.firefox.com",      // Firefox
	"nmcheck.gnome.org",             // GNOME NetworkManager
}

// ProbeLetThrough returns the first captive-portal detection host that a
// walled-garden host pattern would let through, exactly or by wildcard
// ("*.gstatic.com", "*apple.com"); ok is false when it lets none through.
// RouterOS' "*" stands for any run of characters, dots included.
func ProbeLetThrough(pattern string) (probe string, ok bool) {
	pattern = strings.ToLower(strings.TrimSuffix(pattern, "."))
	for _, p := range captivePortalProbes {
		if globMatch(pattern, p) {
			return p, true
		}
	}
	return "", false
}

// globMatch reports whether name matches pattern, where "*" matches any
// run of characters (also none, also dots) and everything else matches
// itself.
func globMatch(pattern, name string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == name
	}
	if !strings.HasPrefix(name, pattern[:star]) {
		return false
	}
	rest := pattern[star+1:]
	for i := star; i <= len(name); i++ {
		if globMatch(rest, name[i:]) {
			return true
		}
	}
	return false
}
