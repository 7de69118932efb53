package web

import (
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gatehouse/app"
)

// The admin page's catalogues (web/ui/i18n/*.js) as served: every language
// has every key of English, with the same {placeholders}, and every key the
// page's scripts name exists in English.

// uiLanguages are the admin page's languages; en is the reference.
var uiLanguages = []string{"en", "es", "fr", "de", "pt"}

// catalogueLine is one entry of a catalogue: "key": "text", (one a line).
var catalogueLine = regexp.MustCompile(`^  ("[^"]+"): ("(?:[^"\\]|\\.)*"),$`)

// placeholder is a {name} in a text.
var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// uiCatalogue reads i18n/<lang>.js from the embedded admin page: its keys
// and texts. Every line between "export default {" and "};" must be an entry.
func uiCatalogue(t *testing.T, lang string) map[string]string {
	t.Helper()
	data, err := fs.ReadFile(uiFiles, "ui/i18n/"+lang+".js")
	if err != nil {
		t.Fatalf("catalogue %s: %v", lang, err)
	}
	out := map[string]string{}
	in := false
	for n, line := range strings.Split(string(data), "\n") {
		switch {
		case line == "export default {":
			in = true
		case line == "};":
			in = false
		case in:
			m := catalogueLine.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("i18n/%s.js:%d is not a `\"key\": \"text\",` line: %q", lang, n+1, line)
				continue
			}
			key, err1 := strconv.Unquote(m[1])
			text, err2 := strconv.Unquote(m[2])
			if err1 != nil || err2 != nil {
				t.Errorf("i18n/%s.js:%d: cannot read %q", lang, n+1, line)
				continue
			}
			if _, dup := out[key]; dup {
				t.Errorf("i18n/%s.js:%d: key %q twice", lang, n+1, key)
			}
			out[key] = text
		}
	}
	if len(out) == 0 {
		t.Fatalf("catalogue %s has no entries", lang)
	}
	return out
}

// placeholders is the sorted set of {names} in text.
func placeholders(text string) string {
	set := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		set[m[1]] = true
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func TestUII18nCataloguesMatch(t *testing.T) {
	en := uiCatalogue(t, "en")
	for _, lang := range uiLanguages[1:] {
		cat := uiCatalogue(t, lang)
		for key, text := range en {
			got, ok := cat[key]
			switch {
			case !ok:
				t.Errorf("%s lacks key %q (en: %q)", lang, key, text)
			case strings.TrimSpace(got) == "":
				t.Errorf("%s: key %q is empty", lang, key)
			case placeholders(got) != placeholders(text):
				t.Errorf("%s: key %q has placeholders {%s}, en has {%s}", lang, key, placeholders(got), placeholders(text))
			}
		}
		for key := range cat {
			if _, ok := en[key]; !ok {
				t.Errorf("%s has key %q that en does not have", lang, key)
			}
		}
	}
	// A count's key has both plural forms.
	for key := range en {
		base, form, _ := strings.Cut(key[strings.LastIndex(key, ".")+1:], "")
		_ = base
		if form == "" && (strings.HasSuffix(key, ".one") || strings.HasSuffix(key, ".other")) {
			stem := key[:strings.LastIndex(key, ".")]
			if _, ok := en[stem+".one"]; !ok {
				t.Errorf("en has %q but not %q", key, stem+".one")
			}
			if _, ok := en[stem+".other"]; !ok {
				t.Errorf("en has %q but not %q", key, stem+".other")
			}
		}
	}
}

// uiKeyCall is a literal key passed to t, tn, tIn or tnIn:
// t("coupons.lead"), tn("zr.sales", n), tIn(lang, "card.how").
var uiKeyCall = regexp.MustCompile(`\b(t|tn|tIn|tnIn)\((?:[\w.]+(?: \|\| "\w+")?, *)?"([^"]+)"`)

// uiKeyLiteral is any string literal that looks like a key ("row.note_failed",
// a route's "nav.sales"); those of a catalogue's prefix must be keys too.
var uiKeyLiteral = regexp.MustCompile(`"([a-z][a-z_]*\.[a-z0-9_.]*[a-z0-9_])"`)

func TestUII18nKeysUsedExist(t *testing.T) {
	en := uiCatalogue(t, "en")
	prefixes := map[string]bool{}
	exists := func(key, how string) bool {
		_, one := en[key+".one"]
		_, other := en[key+".other"]
		_, plain := en[key]
		if how == "tn" || how == "tnIn" {
			return one && other
		}
		return plain || (one && other)
	}
	for key := range en {
		prefixes[key[:strings.Index(key, ".")]] = true
	}
	calls := 0
	err := fs.WalkDir(uiFiles, "ui", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".js") || strings.HasPrefix(name, "ui/i18n/") {
			return err
		}
		data, err := fs.ReadFile(uiFiles, name)
		if err != nil {
			return err
		}
		src := string(data)
		for _, m := range uiKeyCall.FindAllStringSubmatch(src, -1) {
			calls++
			if strings.HasSuffix(m[2], ".") {
				continue // a key made at run time ("status." + state): checked below by prefix
			}
			if !exists(m[2], m[1]) {
				t.Errorf("%s: %s(%q) names a key en.js does not have", name, m[1], m[2])
			}
		}
		for _, m := range uiKeyLiteral.FindAllStringSubmatch(src, -1) {
			key := m[1]
			if !prefixes[key[:strings.Index(key, ".")]] || strings.HasSuffix(key, ".js") || strings.HasSuffix(key, ".css") {
				continue
			}
			if !exists(key, "") {
				t.Errorf("%s: %q looks like a key of the catalogues but en.js does not have it", name, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 100 {
		t.Errorf("found %d t() calls in the admin page's scripts, want the page's words to go through t()", calls)
	}
}

// The sentences the server writes for the admin page (app.Text: the setup
// checklist, the setup banner) are in every catalogue, and English words
// them exactly as the server does for API clients, placeholders included.
func TestUII18nServerTexts(t *testing.T) {
	en := uiCatalogue(t, "en")
	for key, english := range app.EnglishTexts {
		if got, ok := en[key]; !ok {
			t.Errorf("en.js lacks the server's text %q", key)
		} else if got != english {
			t.Errorf("en.js words %q as\n  %q\nthe server as\n  %q", key, got, english)
		}
	}
}

// The admin page's shell speaks every language the portal picks from
// Accept-Language, and each is index.html with its own two sentences.
func TestUIBootLanguages(t *testing.T) {
	for lang := range portalLanguages {
		page, ok := bootIndex()[lang]
		if !ok {
			t.Errorf("no shell in %s", lang)
			continue
		}
		for _, s := range bootTexts[lang] {
			if !strings.Contains(string(page.data), s) {
				t.Errorf("the %s shell lacks %q", lang, s)
			}
		}
	}
}
