package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The notification e-mail in the instance's language (its locale, as the
// guest portal speaks it): en, es, fr, de or pt, with dates in the
// language's usual numeric form, in the schedule's time zone. The only
// number is a run's count, at most app.MaxScheduleBatch (500), which no
// language groups: golang.org/x/text's number formatting would add 270 KB
// to a binary that must stay under 20 MB for routers, and write the same.

// emailText is the wording of the e-mail in one language.
type emailText struct {
	subject, subjectNamed string // "New coupons (%s)", "New coupons: %s (%s)"
	one, many             string // "1 new coupon", "%s new coupons"
	made                  string // schedule name, coupons, when (a language may reorder them: %[3]s)
	see                   string
	works                 string // hours, until
	footer                string
	when                  string // time layout
}

var emailTexts = map[string]emailText{
	"en": {subject: "New coupons (%s)", subjectNamed: "New coupons: %s (%s)", one: "1 new coupon", many: "%s new coupons",
		made: "The coupon schedule %s made %s on %s.", see: "See and print its valid coupons here:",
		works:  "The link works for %d hours, until %s; anyone who has it can see the coupons.",
		footer: "Sent by gatehouse because this address is in a notification group of the schedule.",
		when:   "Mon 2 Jan 2006 15:04 MST"},
	"es": {subject: "Códigos nuevos (%s)", subjectNamed: "Códigos nuevos: %s (%s)", one: "1 código nuevo", many: "%s códigos nuevos",
		made: "La programación de códigos %s creó %s el %s.", see: "Vea e imprima sus códigos válidos aquí:",
		works:  "El enlace funciona durante %d horas, hasta el %s; quien lo tenga puede ver los códigos.",
		footer: "Enviado por gatehouse porque esta dirección está en un grupo de avisos de la programación.",
		when:   "02/01/2006 15:04 MST"},
	"fr": {subject: "Nouveaux codes (%s)", subjectNamed: "Nouveaux codes : %s (%s)", one: "1 nouveau code", many: "%s nouveaux codes",
		made: "La planification de codes %s a créé %s le %s.", see: "Voyez et imprimez ses codes valides ici :",
		works:  "Le lien fonctionne pendant %d heures, jusqu'au %s ; toute personne qui l'a peut voir les codes.",
		footer: "Envoyé par gatehouse car cette adresse fait partie d'un groupe de notification de la planification.",
		when:   "02/01/2006 15:04 MST"},
	"de": {subject: "Neue Codes (%s)", subjectNamed: "Neue Codes: %s (%s)", one: "1 neuer Code", many: "%s neue Codes",
		made: "Der Code-Zeitplan %[1]s hat am %[3]s %[2]s erstellt.", see: "Die gültigen Codes sehen und drucken Sie hier:",
		works:  "Der Link gilt %d Stunden, bis %s; wer ihn hat, kann die Codes sehen.",
		footer: "Von gatehouse gesendet, weil diese Adresse in einer Benachrichtigungsgruppe des Zeitplans steht.",
		when:   "02.01.2006 15:04 MST"},
	"pt": {subject: "Novos códigos (%s)", subjectNamed: "Novos códigos: %s (%s)", one: "1 código novo", many: "%s códigos novos",
		made: "A programação de códigos %s criou %s em %s.", see: "Veja e imprima os seus códigos válidos aqui:",
		works:  "O link funciona durante %d horas, até %s; quem o tiver pode ver os códigos.",
		footer: "Enviado pelo gatehouse porque este endereço está num grupo de notificações da programação.",
		when:   "02/01/2006 15:04 MST"},
}

// emailLanguage picks the e-mail's language from an instance's locale
// ("de", "pt-BR" ...), English when gatehouse does not speak it.
func emailLanguage(locale string) string {
	base, _, _ := strings.Cut(strings.ToLower(locale), "-")
	if _, ok := emailTexts[base]; ok {
		return base
	}
	return "en"
}

// emailWords writes one notification's subject and body in lang.
type emailWords struct {
	t emailText
}

func newEmailWords(lang string) emailWords {
	return emailWords{t: emailTexts[emailLanguage(lang)]}
}

// count writes a run's count (at most 500: no language groups its digits).
func (w emailWords) count(n int) string { return strconv.Itoa(n) }

// coupons is "1 new coupon" or "n new coupons" in the language.
func (w emailWords) coupons(n int) string {
	if n == 1 {
		return w.t.one
	}
	return fmt.Sprintf(w.t.many, w.count(n))
}

// subject names the schedule (when it has a name) and the count.
func (w emailWords) subject(schedule string, n int) string {
	if schedule == "" {
		return fmt.Sprintf(w.t.subject, w.count(n))
	}
	return fmt.Sprintf(w.t.subjectNamed, schedule, w.count(n))
}

// body is the plain-text message.
func (w emailWords) body(name string, n int, ranAt time.Time, link string, hours int, until time.Time) string {
	var b strings.Builder
	// made's arguments are the name, the coupons and the time, in that
	// order; a language may place them otherwise with %[n]s.
	made := fmt.Sprintf(w.t.made, name, w.coupons(n), ranAt.Format(w.t.when))
	b.WriteString(made + "\n\n" + w.t.see + "\n\n" + link + "\n\n")
	b.WriteString(fmt.Sprintf(w.t.works, hours, until.Format(w.t.when)) + "\n")
	b.WriteString("\n-- \n" + w.t.footer + "\n")
	return b.String()
}
