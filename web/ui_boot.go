package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"

	"github.com/julienschmidt/httprouter"
)

// The admin page's shell says two things before its scripts run: that it
// is loading, and, without JavaScript, that it needs it. The scripts word
// everything else (web/ui/i18n); these two are put into index.html here,
// in the browser's first language the page speaks.

// bootTexts are the shell's two sentences by language: loading, needs
// JavaScript.
var bootTexts = map[string][2]string{
	"en": {"Loading gatehouse…", "The gatehouse admin page needs JavaScript."},
	"es": {"Cargando gatehouse…", "La página de administración de gatehouse necesita JavaScript."},
	"fr": {"Chargement de gatehouse…", "La page d'administration de gatehouse a besoin de JavaScript."},
	"de": {"gatehouse wird geladen…", "Die Verwaltungsseite von gatehouse braucht JavaScript."},
	"pt": {"A carregar o gatehouse…", "A página de administração do gatehouse precisa de JavaScript."},
}

// bootIndex is index.html in each language of bootTexts, made once from
// the English file.
var bootIndex = sync.OnceValue(func() map[string]uiFile {
	en := uiIndex()["index.html"]
	out := map[string]uiFile{}
	for lang, texts := range bootTexts {
		data := bytes.Replace(en.data, []byte(`<html lang="en">`), []byte(`<html lang="`+lang+`">`), 1)
		data = bytes.Replace(data, []byte(bootTexts["en"][0]), []byte(texts[0]), 1)
		data = bytes.Replace(data, []byte(bootTexts["en"][1]), []byte(texts[1]), 1)
		sum := sha256.Sum256(data)
		out[lang] = uiFile{data: data, contentType: en.contentType, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return out
})

// adminPage serves GET /: the admin page's shell in the browser's
// language.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	w.Header().Add("Vary", "Accept-Language")
	page, ok := bootIndex()[portalLanguage(r.Header.Get("Accept-Language"), "en")]
	if !ok {
		page = bootIndex()["en"]
	}
	s.writeUIFile(w, r, "index.html", page)
}
