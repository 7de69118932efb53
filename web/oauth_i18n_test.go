package web

import (
	"strings"
	"testing"
)

// TestPortalLanguagesComplete checks that every language of the portal has
// every message, with the same format verbs as English (the OAuth2
// messages were added to all five).
func TestPortalLanguagesComplete(t *testing.T) {
	en := portalLanguages["en"]
	for _, key := range []string{"sign_in_with", "oauth_prompt", "oauth_denied", "oauth_failed", "oauth_unavailable",
		"oauth_state_invalid", "oauth_state_expired", "oauth_state_used", "oauth_test_title", "oauth_test_ok"} {
		if en[key] == "" {
			t.Errorf("en lacks %s", key)
		}
	}
	for lang, cat := range portalLanguages {
		for key, msg := range en {
			got, ok := cat[key]
			if !ok || got == "" {
				t.Errorf("%s lacks %s", lang, key)
				continue
			}
			for _, verb := range []string{"%s", "%d"} {
				if strings.Count(got, verb) != strings.Count(msg, verb) {
					t.Errorf("%s %s = %q: format verbs differ from English %q", lang, key, got, msg)
				}
			}
		}
		for key := range cat {
			if _, ok := en[key]; !ok {
				t.Errorf("%s has %s, which English lacks", lang, key)
			}
		}
	}
}

// The guest's language is the most wanted one of Accept-Language the
// portal speaks, by q-value (q=0 refuses a language), with a region
// counting as its language; else the instance's locale, else English.
func TestPortalLanguage(t *testing.T) {
	for _, c := range []struct{ accept, locale, want string }{
		{"", "fr-FR", "fr"},
		{"", "", "en"},
		{"de-DE,de;q=0.9,en;q=0.8", "en", "de"},
		{"PT-br", "en", "pt"},
		{"ja,fr;q=0.1,de;q=0.9", "en", "de"},
		{"fr;q=0, es;q=0.2", "en", "es"},
		{"fr;q=0", "pt-PT", "pt"},
		{"zz, *;q=0.5", "", "en"},
		{"en;q=abc, de;q=0.5", "", "en"},
		{" es-419 ; q=0.7 , fr ; q=0.6", "", "es"},
	} {
		if got := portalLanguage(c.accept, c.locale); got != c.want {
			t.Errorf("portalLanguage(%q, %q) = %q, want %q", c.accept, c.locale, got, c.want)
		}
	}
}
