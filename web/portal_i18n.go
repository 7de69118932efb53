package web

import (
	"strings"
)

// portalLanguages are the languages the guest portal speaks.
var portalLanguages = map[string]map[string]string{
	"en": {
		"title":          "Wi-Fi access",
		"prompt":         "Enter the access code from your voucher.",
		"code":           "Access code",
		"connect":        "Connect",
		"accept_terms":   "I accept the terms of use",
		"terms":          "Terms of use",
		"need_terms":     "Please accept the terms of use first.",
		"coupon_unknown": "That code is not valid. Check it and try again.",
		"coupon_expired": "That code has expired. Please ask for a new one.",
		"coupon_used":    "That code has already been used on another device.",
		"coupon_revoked": "That code has been withdrawn. Please ask for a new one.",
		"need_code":      "Please type your access code.",
		"slow_down":      "Too many attempts. Try again in %d seconds.",
		"online":         "You are online",
		"remaining":      "Time left: %s",
		"continue":       "Continue",
		"connecting":     "Connecting you…",
		"preview":        "Preview: this is how guests see the page. Codes typed here are not used.",
		"router_failed":  "You could not be logged in right now. Please try again in a moment.",
		"no_router":      "Please open this page from the Wi-Fi network's login page.",
		"oauth_soon":     "This network signs guests in with an account; that sign-in is not available here yet.",
		"router_error":   "The network reported: %s",
	},
	"es": {
		"title":          "Acceso Wi-Fi",
		"prompt":         "Introduzca el código de acceso de su cupón.",
		"code":           "Código de acceso",
		"connect":        "Conectar",
		"accept_terms":   "Acepto las condiciones de uso",
		"terms":          "Condiciones de uso",
		"need_terms":     "Acepte primero las condiciones de uso.",
		"coupon_unknown": "Ese código no es válido. Compruébelo e inténtelo de nuevo.",
		"coupon_expired": "Ese código ha caducado. Pida uno nuevo.",
		"coupon_used":    "Ese código ya se ha usado en otro dispositivo.",
		"coupon_revoked": "Ese código ha sido retirado. Pida uno nuevo.",
		"need_code":      "Escriba su código de acceso.",
		"slow_down":      "Demasiados intentos. Inténtelo de nuevo en %d segundos.",
		"online":         "Ya está conectado",
		"remaining":      "Tiempo restante: %s",
		"continue":       "Continuar",
		"connecting":     "Conectando…",
		"preview":        "Vista previa: así ven la página los clientes. Los códigos escritos aquí no se usan.",
		"router_failed":  "No se pudo iniciar la sesión ahora. Inténtelo de nuevo en un momento.",
		"no_router":      "Abra esta página desde la página de acceso de la red Wi-Fi.",
		"oauth_soon":     "Esta red identifica a los clientes con una cuenta; ese acceso aún no está disponible aquí.",
		"router_error":   "La red indicó: %s",
	},
	"fr": {
		"title":          "Accès Wi-Fi",
		"prompt":         "Saisissez le code d'accès de votre bon.",
		"code":           "Code d'accès",
		"connect":        "Se connecter",
		"accept_terms":   "J'accepte les conditions d'utilisation",
		"terms":          "Conditions d'utilisation",
		"need_terms":     "Veuillez d'abord accepter les conditions d'utilisation.",
		"coupon_unknown": "Ce code n'est pas valide. Vérifiez-le et réessayez.",
		"coupon_expired": "Ce code a expiré. Demandez-en un nouveau.",
		"coupon_used":    "Ce code a déjà été utilisé sur un autre appareil.",
		"coupon_revoked": "Ce code a été retiré. Demandez-en un nouveau.",
		"need_code":      "Veuillez saisir votre code d'accès.",
		"slow_down":      "Trop de tentatives. Réessayez dans %d secondes.",
		"online":         "Vous êtes connecté",
		"remaining":      "Temps restant : %s",
		"continue":       "Continuer",
		"connecting":     "Connexion en cours…",
		"preview":        "Aperçu : voici la page vue par les clients. Les codes saisis ici ne sont pas utilisés.",
		"router_failed":  "La connexion n'a pas pu se faire pour l'instant. Réessayez dans un moment.",
		"no_router":      "Ouvrez cette page depuis la page de connexion du réseau Wi-Fi.",
		"oauth_soon":     "Ce réseau identifie les clients avec un compte ; cette connexion n'est pas encore disponible ici.",
		"router_error":   "Le réseau indique : %s",
	},
	"de": {
		"title":          "WLAN-Zugang",
		"prompt":         "Geben Sie den Zugangscode von Ihrem Gutschein ein.",
		"code":           "Zugangscode",
		"connect":        "Verbinden",
		"accept_terms":   "Ich akzeptiere die Nutzungsbedingungen",
		"terms":          "Nutzungsbedingungen",
		"need_terms":     "Bitte akzeptieren Sie zuerst die Nutzungsbedingungen.",
		"coupon_unknown": "Dieser Code ist nicht gültig. Bitte prüfen Sie ihn und versuchen Sie es erneut.",
		"coupon_expired": "Dieser Code ist abgelaufen. Bitte fragen Sie nach einem neuen.",
		"coupon_used":    "Dieser Code wurde bereits auf einem anderen Gerät verwendet.",
		"coupon_revoked": "Dieser Code wurde zurückgezogen. Bitte fragen Sie nach einem neuen.",
		"need_code":      "Bitte geben Sie Ihren Zugangscode ein.",
		"slow_down":      "Zu viele Versuche. Bitte in %d Sekunden erneut versuchen.",
		"online":         "Sie sind online",
		"remaining":      "Verbleibende Zeit: %s",
		"continue":       "Weiter",
		"connecting":     "Verbindung wird hergestellt…",
		"preview":        "Vorschau: So sehen Gäste die Seite. Hier eingegebene Codes werden nicht verbraucht.",
		"router_failed":  "Die Anmeldung ist gerade nicht möglich. Bitte gleich noch einmal versuchen.",
		"no_router":      "Bitte öffnen Sie diese Seite über die Anmeldeseite des WLANs.",
		"oauth_soon":     "Dieses Netz meldet Gäste mit einem Konto an; diese Anmeldung ist hier noch nicht verfügbar.",
		"router_error":   "Das Netz meldet: %s",
	},
	"pt": {
		"title":          "Acesso Wi-Fi",
		"prompt":         "Introduza o código de acesso do seu voucher.",
		"code":           "Código de acesso",
		"connect":        "Ligar",
		"accept_terms":   "Aceito os termos de utilização",
		"terms":          "Termos de utilização",
		"need_terms":     "Aceite primeiro os termos de utilização.",
		"coupon_unknown": "Esse código não é válido. Verifique-o e tente novamente.",
		"coupon_expired": "Esse código expirou. Peça um novo.",
		"coupon_used":    "Esse código já foi usado noutro dispositivo.",
		"coupon_revoked": "Esse código foi retirado. Peça um novo.",
		"need_code":      "Escreva o seu código de acesso.",
		"slow_down":      "Demasiadas tentativas. Tente novamente dentro de %d segundos.",
		"online":         "Está ligado",
		"remaining":      "Tempo restante: %s",
		"continue":       "Continuar",
		"connecting":     "A ligar…",
		"preview":        "Pré-visualização: é assim que os clientes veem a página. Os códigos escritos aqui não são usados.",
		"router_failed":  "Não foi possível iniciar a sessão agora. Tente novamente dentro de momentos.",
		"no_router":      "Abra esta página a partir da página de acesso da rede Wi-Fi.",
		"oauth_soon":     "Esta rede identifica os clientes com uma conta; esse acesso ainda não está disponível aqui.",
		"router_error":   "A rede indicou: %s",
	},
}

// portalLanguage picks the guest's language: the first language of
// Accept-Language the portal speaks, else the instance's locale, else
// English.
func portalLanguage(acceptLanguage, instanceLocale string) string {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if _, ok := portalLanguages[base]; ok {
			return base
		}
	}
	base, _, _ := strings.Cut(strings.ToLower(instanceLocale), "-")
	if _, ok := portalLanguages[base]; ok {
		return base
	}
	return "en"
}
