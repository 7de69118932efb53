package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestInstanceTermsTranslations: terms may be given per language
// (terms_translations, extension); a guest whose language has them sees
// them and must accept them, everyone else gets terms_text.
func TestInstanceTermsTranslations(t *testing.T) {
	f := newPortal(t, "Be kind.")
	path := "/captive/instances/" + f.inst
	r := f.e.admin(http.MethodPut, path, map[string]any{"terms_translations": map[string]any{"DE": "  Seien Sie nett.  ", "fr": "", "es": "Sea amable."}})
	wantStatus(t, r, http.StatusOK)
	var got struct {
		TermsText         string            `json:"terms_text"`
		TermsTranslations map[string]string `json:"terms_translations"`
	}
	r.json(t, &got)
	if got.TermsText != "Be kind." || len(got.TermsTranslations) != 2 || got.TermsTranslations["de"] != "Seien Sie nett." ||
		got.TermsTranslations["es"] != "Sea amable." {
		t.Fatalf("got %+v, want the default and de, es (trimmed, lower-case, empty fr dropped)", got)
	}
	// Other fields leave them alone; they survive a restart.
	wantStatus(t, f.e.admin(http.MethodPut, path, map[string]any{"name": "Seaside"}), http.StatusOK)
	e := f.e.restart()
	e.admin(http.MethodGet, path, nil).json(t, &got)
	if got.TermsTranslations["de"] != "Seien Sie nett." {
		t.Fatalf("after an update and a restart: %+v", got)
	}

	for _, tc := range []struct{ lang, want, not string }{
		{"de-AT,de;q=0.9", "Seien Sie nett.", "Be kind."},
		{"es", "Sea amable.", "Be kind."},
		{"fr", "Be kind.", "Seien Sie nett."},
	} {
		if page := fetchPage(t, e, "/portal/"+f.inst, tc.lang); !strings.Contains(page, tc.want) || strings.Contains(page, tc.not) {
			t.Errorf("Accept-Language %s: want %q and not %q:\n%s", tc.lang, tc.want, tc.not, page)
		}
	}

	for _, bad := range []map[string]any{{"pt-BR": "x"}, {"": "x"}, {"de": strings.Repeat("x", 20001)}} {
		r := e.admin(http.MethodPut, path, map[string]any{"terms_translations": bad})
		wantStatus(t, r, http.StatusBadRequest)
		if p, _ := r.object(t)["param"].(string); !strings.HasPrefix(p, "terms_translations") {
			t.Errorf("%v: param %q, want terms_translations…", bad, p)
		}
	}
	// null clears them.
	r = e.admin(http.MethodPut, path, map[string]any{"terms_translations": nil})
	wantStatus(t, r, http.StatusOK)
	got.TermsTranslations = nil
	r.json(t, &got)
	if got.TermsTranslations == nil || len(got.TermsTranslations) != 0 {
		t.Errorf("after null: %v, want {}", got.TermsTranslations)
	}
}

// fetchPage GETs a portal page in the language accept asks for.
func fetchPage(t *testing.T, e *env, path, accept string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Language", accept)
	return string(e.send(req).body)
}
