package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Portal strategies of an instance.
const (
	StrategyCoupon = "coupon"
	StrategyOAuth2 = "oauth2"
)

// Limits and defaults of instance fields, in seconds.
const (
	MinSessionTTL        = 1200
	MaxSessionTTL        = 604800
	MinAuthWindowTTL     = 120
	MaxAuthWindowTTL     = 900
	DefaultAuthWindowTTL = 300
	DefaultLocale        = "en"
	// MaxWifiNameLength is the longest Wi-Fi network name, in characters
	// (an SSID holds at most 32 bytes).
	MaxWifiNameLength = 32
	// MaxTermsLength is the longest terms text, in bytes, in any language.
	MaxTermsLength = 20000
	// MaxTermsTranslations is how many languages terms may be given in.
	MaxTermsTranslations = 20
)

// Instance is a captive portal: how guests get on (strategy), for how long
// (SessionTTL), what they see (Theme, TermsText, Locale) and on which
// routers and guest subnets it applies (Sites).
type Instance struct {
	ID                string
	Name              string
	Strategy          string
	SessionTTL        int
	AuthWindowTTL     int
	AuthIntegrationID string // "" when none (always for coupon instances)
	Theme             Theme
	TermsText         string // "" when none
	// TermsTranslations are the terms in other languages, by language
	// (a lower-case base tag such as "de"); a guest whose language has
	// none gets TermsText (extension). Never nil after Normalize.
	TermsTranslations map[string]string
	Sites             []InstanceSite
	Locale            string
	CouponLength      int    // length of new coupon codes (extension)
	CouponCharset     string // CharsetAlnum, CharsetDigits or CharsetLetters (extension)
	WifiName          string // Wi-Fi network name (SSID) printed on coupon cards, "" when not set (extension)
	LogoVersion       string // Image.Version of the uploaded logo, "" when none (read-only, set by the store)
	IconVersion       string // Image.Version of the uploaded icon, "" when none (read-only, set by the store)
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Terms are the terms of use a guest speaking lang (a lower-case base
// language such as "de") is shown: its translation, else TermsText; ""
// when there are none.
func (in *Instance) Terms(lang string) string {
	if t := in.TermsTranslations[lang]; t != "" {
		return t
	}
	return in.TermsText
}

// InstanceSite is a site an instance applies to, with the guest subnets
// it covers there (none means all of the site's hotspot).
type InstanceSite struct {
	ID      string
	Subnets []string
}

// Theme is the portal's branding: seven colours. Logo and icon images are
// stored separately and exposed as signed links by the web layer.
type Theme struct {
	AccentText         string
	AccentColor        string
	TextColor          string
	SecondaryTextColor string
	BackgroundColor    string
	BorderColor        string
	BoxColor           string
}

// DefaultTheme is the branding of a new instance.
func DefaultTheme() Theme {
	return Theme{
		AccentText:         "#ffffff",
		AccentColor:        "#0396d5",
		TextColor:          "#4f4f4f",
		SecondaryTextColor: "#6f6f6f", // 4.5:1 or more on the box and the background
		BackgroundColor:    "#f9f9f9",
		BorderColor:        "#e0e0e0",
		BoxColor:           "#ffffff",
	}
}

// colors pairs each theme colour with its JSON field name.
func (t *Theme) colors() []struct {
	param string
	value *string
} {
	return []struct {
		param string
		value *string
	}{
		{"accent_text", &t.AccentText},
		{"accent_color", &t.AccentColor},
		{"text_color", &t.TextColor},
		{"secondary_text_color", &t.SecondaryTextColor},
		{"background_color", &t.BackgroundColor},
		{"border_color", &t.BorderColor},
		{"box_color", &t.BoxColor},
	}
}

// NewInstance returns an instance with every optional field at its default.
func NewInstance() Instance {
	return Instance{AuthWindowTTL: DefaultAuthWindowTTL, Theme: DefaultTheme(), Locale: DefaultLocale,
		CouponLength: DefaultCouponLength, CouponCharset: CharsetAlnum}
}

// Normalize trims text, lower-cases colours, fills empty theme colours and
// the locale with defaults, and drops the auth integration of a coupon
// instance.
func (in *Instance) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.WifiName = strings.TrimSpace(in.WifiName)
	if in.Strategy == StrategyCoupon {
		in.AuthIntegrationID = ""
	}
	if in.AuthWindowTTL == 0 {
		in.AuthWindowTTL = DefaultAuthWindowTTL
	}
	def := DefaultTheme()
	defColors := def.colors()
	for i, c := range in.Theme.colors() {
		*c.value = strings.ToLower(strings.TrimSpace(*c.value))
		if *c.value == "" {
			*c.value = *defColors[i].value
		}
	}
	if in.Locale == "" {
		in.Locale = DefaultLocale
	}
	terms := make(map[string]string, len(in.TermsTranslations))
	for lang, text := range in.TermsTranslations {
		if text = strings.TrimSpace(text); text != "" {
			terms[strings.ToLower(strings.TrimSpace(lang))] = text
		}
	}
	in.TermsTranslations = terms
	if in.CouponLength == 0 {
		in.CouponLength = DefaultCouponLength
	}
	if in.CouponCharset == "" {
		in.CouponCharset = CharsetAlnum
	}
	for i := range in.Sites {
		for j, s := range in.Sites[i].Subnets {
			in.Sites[i].Subnets[j] = strings.TrimSpace(s)
		}
		if in.Sites[i].Subnets == nil {
			in.Sites[i].Subnets = []string{}
		}
	}
}

// Validate checks a normalized instance on its own; whether the referenced
// sites and auth integration exist is the store's to check. It returns
// EInvalid errors naming the field.
func (in *Instance) Validate() error {
	if err := checkName("name", in.Name); err != nil {
		return err
	}
	switch in.Strategy {
	case StrategyCoupon, StrategyOAuth2:
	case "":
		return Missing("strategy")
	default:
		return Invalid("strategy", ReasonParameterInvalid, "strategy must be coupon or oauth2")
	}
	if in.SessionTTL < MinSessionTTL || in.SessionTTL > MaxSessionTTL {
		return Invalid("session_ttl", ReasonParameterInvalid, "session_ttl must be between %d and %d seconds", MinSessionTTL, MaxSessionTTL)
	}
	if in.AuthWindowTTL < MinAuthWindowTTL || in.AuthWindowTTL > MaxAuthWindowTTL {
		return Invalid("auth_window_ttl", ReasonParameterInvalid, "auth_window_ttl must be between %d and %d seconds", MinAuthWindowTTL, MaxAuthWindowTTL)
	}
	if in.Strategy == StrategyOAuth2 && in.AuthIntegrationID == "" {
		return Invalid("auth_integration_id", ReasonParameterMissing, "auth_integration_id is required when strategy is oauth2")
	}
	for _, c := range in.Theme.colors() {
		if !IsColor(*c.value) {
			return Invalid("theme."+c.param, ReasonParameterInvalid, "theme.%s must be a colour like #0396d5 or #fff", c.param)
		}
	}
	if len(in.TermsText) > MaxTermsLength {
		return Invalid("terms_text", ReasonParameterInvalid, "terms_text must be at most %d characters", MaxTermsLength)
	}
	if len(in.TermsTranslations) > MaxTermsTranslations {
		return Invalid("terms_translations", ReasonParameterInvalid, "terms may be given in at most %d languages", MaxTermsTranslations)
	}
	for lang, text := range in.TermsTranslations {
		if !IsLocale(lang) || strings.Contains(lang, "-") {
			return Invalid("terms_translations", ReasonParameterInvalid, "terms_translations keys must be languages such as de or fr, not %q", lang)
		}
		if len(text) > MaxTermsLength {
			return Invalid("terms_translations."+lang, ReasonParameterInvalid, "terms_translations.%s must be at most %d characters", lang, MaxTermsLength)
		}
	}
	if !IsLocale(in.Locale) {
		return Invalid("locale", ReasonParameterInvalid, "locale must be a language tag such as en or pt-BR")
	}
	if in.CouponLength < MinCouponLength || in.CouponLength > MaxCouponLength {
		return Invalid("coupon_length", ReasonParameterInvalid, "coupon_length must be between %d and %d", MinCouponLength, MaxCouponLength)
	}
	if _, err := alphabet(in.CouponCharset); err != nil {
		return err
	}
	if err := checkWifiName(in.WifiName); err != nil {
		return err
	}
	return in.validateSites()
}

// checkWifiName validates an optional Wi-Fi network name: one line of at
// most MaxWifiNameLength characters.
func checkWifiName(v string) error {
	breaks := func(r rune) bool { return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) }
	if utf8.RuneCountInString(v) > MaxWifiNameLength || strings.ContainsFunc(v, breaks) {
		return Invalid("wifi_name", ReasonParameterInvalid,
			"wifi_name must be a single line of at most %d characters", MaxWifiNameLength)
	}
	return nil
}

func (in *Instance) validateSites() error {
	seen := map[string]bool{}
	for i, s := range in.Sites {
		param := fmt.Sprintf("sites[%d].id", i)
		if s.ID == "" {
			return Missing(param)
		}
		if seen[s.ID] {
			return Invalid(param, ReasonParameterInvalid, "site %s is listed twice", s.ID)
		}
		seen[s.ID] = true
		if len(s.Subnets) > 100 {
			return Invalid(fmt.Sprintf("sites[%d].subnets", i), ReasonParameterInvalid, "at most 100 subnets per site")
		}
		for j, n := range s.Subnets {
			if err := checkPrefix(fmt.Sprintf("sites[%d].subnets[%d]", i, j), n); err != nil {
				return err
			}
		}
	}
	return nil
}

// InstanceStore keeps instances. Create and update normalize and validate
// the instance (EInvalid), including that its sites and auth integration
// exist and that the integration is used only by oauth2 instances; unknown
// ids give ENotFound.
type InstanceStore interface {
	ListInstances(ctx context.Context) ([]Instance, error)
	Instance(ctx context.Context, id string) (Instance, error)
	CreateInstance(ctx context.Context, in Instance) (Instance, error)
	UpdateInstance(ctx context.Context, id string, change func(*Instance) error) (Instance, error)
	DeleteInstance(ctx context.Context, id string) error
	// ImageStore keeps the instances' logos and icons.
	ImageStore
}
