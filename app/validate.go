package app

import (
	"net/netip"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxNameLength bounds every human-readable name field.
const MaxNameLength = 200

// checkName validates a required, human-readable name.
func checkName(param, v string) error {
	if strings.TrimSpace(v) == "" {
		return Missing(param)
	}
	if utf8.RuneCountInString(v) > MaxNameLength {
		return Invalid(param, ReasonParameterInvalid, "%s must be at most %d characters", param, MaxNameLength)
	}
	if strings.ContainsAny(v, "\x00\r\n") {
		return Invalid(param, ReasonParameterInvalid, "%s must be a single line of text", param)
	}
	return nil
}

var colorPattern = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// IsColor reports whether v is a CSS hex colour in the #rgb or #rrggbb form.
func IsColor(v string) bool { return colorPattern.MatchString(v) }

// hostLabel is one DNS label: letters, digits and inner hyphens (underscores
// are tolerated, they occur in real service names).
var hostLabel = regexp.MustCompile(`^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$`)

// IsDNSName reports whether v is a syntactically valid DNS host name. With
// wildcard set, a leading "*." label is allowed (as RouterOS dst-host takes).
func IsDNSName(v string, wildcard bool) bool {
	if wildcard && strings.HasPrefix(v, "*.") {
		v = v[2:]
	}
	v = strings.TrimSuffix(v, ".")
	if v == "" || len(v) > 253 {
		return false
	}
	labels := strings.Split(v, ".")
	for _, l := range labels {
		if !hostLabel.MatchString(l) {
			return false
		}
	}
	// A name made only of digits and dots is a malformed IP address, not a name.
	last := labels[len(labels)-1]
	return strings.Trim(last, "0123456789") != ""
}

// IsHost reports whether v is an IP address or a DNS host name.
func IsHost(v string) bool {
	if _, err := netip.ParseAddr(v); err == nil {
		return true
	}
	return IsDNSName(v, false)
}

// checkPrefix validates a CIDR subnet whose host bits are zero.
func checkPrefix(param, v string) error {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return Invalid(param, ReasonParameterInvalid, "%s must be a subnet in CIDR form such as 192.168.88.0/24, got %q", param, v)
	}
	if p.Masked() != p {
		return Invalid(param, ReasonParameterInvalid, "%s has host bits set: did you mean %s?", param, p.Masked())
	}
	return nil
}

// checkAddrOrPrefix validates an IP address or a CIDR subnet.
func checkAddrOrPrefix(param, v string) error {
	if _, err := netip.ParseAddr(v); err == nil {
		return nil
	}
	if strings.Contains(v, "/") {
		return checkPrefix(param, v)
	}
	return Invalid(param, ReasonParameterInvalid, "%s must be an IP address or a CIDR subnet, got %q", param, v)
}

var localePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$`)

// IsLocale reports whether v looks like a BCP 47 language tag (en, pt-BR).
func IsLocale(v string) bool { return localePattern.MatchString(v) }
