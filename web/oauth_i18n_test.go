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
