package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Reasons of signed-link failures.
const (
	ReasonSignatureInvalid = "signature_invalid"
	ReasonSignatureExpired = "signature_expired"
)

// CouponLinkTTL is how long a signed coupon URL works.
const CouponLinkTTL = 24 * time.Hour

// CouponListPath is the public path of signed coupon lists.
const CouponListPath = "/captive/coupons"

// LinkSigner makes and checks signed links: URLs that work without a token
// for a limited time. The signature is HMAC-SHA256 over the method, the
// path, the signed query parameters and the expiry, so none of them can be
// changed; other query parameters (presentation only) are left out.
type LinkSigner struct {
	BaseURL string
	Key     []byte
	Now     func() time.Time
}

// canonical is the signed text of a link.
func canonical(method, path string, params url.Values, expires int64) []byte {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(path)
	for _, k := range keys {
		for _, v := range params[k] {
			b.WriteByte('\n')
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	b.WriteString("\nexpires=")
	b.WriteString(strconv.FormatInt(expires, 10))
	return []byte(b.String())
}

func (l *LinkSigner) sign(method, path string, params url.Values, expires int64) string {
	m := hmac.New(sha256.New, l.Key)
	m.Write(canonical(method, path, params, expires))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// URL returns an absolute link to path with params, valid for ttl.
func (l *LinkSigner) URL(method, path string, params url.Values, ttl time.Duration) string {
	expires := l.Now().Add(ttl).Unix()
	q := url.Values{}
	for k, v := range params {
		q[k] = v
	}
	q.Set("expires", strconv.FormatInt(expires, 10))
	q.Set("signature", l.sign(method, path, params, expires))
	return strings.TrimRight(l.BaseURL, "/") + path + "?" + q.Encode()
}

// CouponListURL is the signed link to a schedule's valid coupons.
func (l *LinkSigner) CouponListURL(scheduleID string) string {
	return l.URL("GET", CouponListPath, url.Values{"sid": {scheduleID}}, CouponLinkTTL)
}

// Verify checks the expires and signature query parameters of a request
// against the values of the signed parameter names. It compares in
// constant time and reads nothing but its arguments. Errors: EInvalid when
// a parameter is missing or malformed, EForbidden with signature_invalid or
// signature_expired.
func (l *LinkSigner) Verify(method, path string, q url.Values, signed ...string) error {
	for _, name := range append(signed, "expires", "signature") {
		if q.Get(name) == "" {
			return Missing(name)
		}
	}
	expires, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	if err != nil {
		return Invalid("expires", ReasonParameterInvalid, "expires must be a unix time in seconds")
	}
	params := url.Values{}
	for _, name := range signed {
		params.Set(name, q.Get(name))
	}
	want := l.sign(method, path, params, expires)
	if !hmac.Equal([]byte(want), []byte(q.Get("signature"))) {
		return &Error{Code: EForbidden, Reason: ReasonSignatureInvalid, Message: "the link's signature is not valid"}
	}
	if l.Now().Unix() >= expires {
		return &Error{Code: EForbidden, Reason: ReasonSignatureExpired, Message: "the link has expired; ask for a new one"}
	}
	return nil
}

// IsLoopbackURL reports whether the host of the URL raw is a loopback
// address or name (127.0.0.0/8, ::1, localhost): one that only the machine
// gatehouse runs on can open, never a guest's device.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}

// IsLoopbackHost reports whether host (without port) is a loopback
// address or the name localhost (or a name under it).
func IsLoopbackHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	addr, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && addr.Unmap().IsLoopback()
}
