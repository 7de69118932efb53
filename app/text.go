package app

import "strings"

// Text is a sentence gatehouse writes for a person reading the admin page:
// a key into the admin page's message catalogues (web/ui/i18n/<lang>.js),
// the values it names, and, for API clients and logs, its English words.
// The page words it in the reader's language; gatehouse never has to know
// that language. Every key is in EnglishTexts, and a test keeps the
// catalogues' English equal to it.
type Text struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params"`
}

// T makes a Text of key with params given as name, value pairs.
func T(key string, pairs ...string) Text {
	t := Text{Key: key, Params: map[string]string{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		t.Params[pairs[i]] = pairs[i+1]
	}
	return t
}

// English is the text in English: its template with each {name} replaced
// by the param of that name. An unknown key gives the key itself.
func (t Text) English() string {
	tmpl, ok := EnglishTexts[t.Key]
	if !ok {
		return t.Key
	}
	if len(t.Params) == 0 {
		return tmpl
	}
	// Placeholders end in "}", so none is a prefix of another and the
	// pairs' order does not matter; each is replaced once, in one pass.
	pairs := make([]string, 0, 2*len(t.Params))
	for name, value := range t.Params {
		pairs = append(pairs, "{"+name+"}", value)
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// EnglishOf joins texts' English words with spaces.
func EnglishOf(texts []Text) string {
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = t.English()
	}
	return strings.Join(parts, " ")
}

// EnglishTexts are the English templates of every Text key gatehouse
// writes: the setup checklist (check.*), the front desk's refusals
// (refusal.*, the message of an API error, which the page starts with a
// capital and ends with a full stop), a router's errors as a site's last
// error (router.*; {cause} and {message} stay in the words of the system
// or the router) and the admin page's setup banner (warning.*). Params are written {name}; times are RFC 3339 and named
// {at} so the page can show them in the reader's form.
var EnglishTexts = map[string]string{
	"check.not_checked_router":      "Not checked: gatehouse cannot read the router.",
	"check.fix_api_first":           "Fix the API step first.",
	"check.not_checked_server":      "Not checked: no hotspot server.",
	"check.fix_server_first":        "Fix the hotspot server step first.",
	"check.api_ok":                  "Logged in to {host} as {user}.",
	"check.api_version":             "RouterOS {version}.",
	"check.api_failed":              "gatehouse cannot use the router's API: {error}",
	"check.api_fix":                 "In the router's terminal (Winbox > New Terminal), paste:",
	"check.api_fix_address":         "{address} is the host of server.base_url; gatehouse cannot know the address the router sees it by, so change it if that differs (NAT, a second network card).",
	"check.api_fix_no_address":      "server.base_url names \"{host}\", not an address; put the address the router sees gatehouse by in its place.",
	"check.api_fix_match":           "Check that the site's host, port and TLS setting match the router.",
	"check.server_none":             "The router has no hotspot server.",
	"check.server_none_fix":         "Set up the hotspot on the guest interface: IP > Hotspot > Hotspot Setup in Winbox, or /ip hotspot setup in the terminal. Then choose the server in this site's settings.",
	"check.server_unknown":          "The site names hotspot server \"{server}\"; the router has {servers}.",
	"check.server_unknown_fix":      "Edit the site and choose one of the router's hotspot servers.",
	"check.server_all":              "All of the router's hotspot servers: {servers}.",
	"check.server_one":              "Hotspot server {server} (profile {profile}).",
	"check.server_disabled":         "Hotspot server {server} is disabled on the router.",
	"check.server_disabled_fix":     "Enable it: {command}",
	"check.page_no_portal":          "No portal uses this site yet.",
	"check.page_no_portal_fix":      "Create a portal (Portals > New) and tick this site; then install its login page.",
	"check.page_installed":          "gatehouse's login page is installed: {files}.",
	"check.page_missing":            "{file} is missing.",
	"check.page_old_address":        "{file} is gatehouse's but points at another address (an old server.base_url?).",
	"check.page_foreign":            "{file} is not gatehouse's (RouterOS's own page or another one).",
	"check.page_fix":                "Press \"Install login page\": the router downloads it from gatehouse (/tool/fetch) into its hotspot directory. Or download login.html from the portal's page and upload it to the router's hotspot directory (Winbox > Files).",
	"check.method_none":             "Server profile {profiles} allows neither http-pap nor http-chap: guests cannot log in with a code.",
	"check.method_none_fix":         "Press \"Enable PAP\" (adds http-pap to the profile's login-by and keeps the methods it has).",
	"check.method_chap_only":        "Server profile {profiles} allows http-chap only: the portal works, but a card's QR code cannot log in through the hotspot's own login URL, which needs http-pap.",
	"check.method_chap_fix":         "Optional: press \"Enable PAP\" (adds http-pap and keeps the methods the profile has).",
	"check.method_pap":              "Server profile {profiles} allows http-pap.",
	"check.method_no_cookie":        "Returning guests must type their code again once the browser's cookie is gone: {profiles} has no mac-cookie in login-by.",
	"check.method_cookie_fix":       "Optional: add mac-cookie to the profile's login-by ({command}); gatehouse's user profiles keep RouterOS' add-mac-cookie=yes.",
	"check.sync_failed":             "The last sync failed: {error}",
	"check.sync_failed_as":          "The last sync failed:",
	"check.sync_failed_fix":         "Press \"Sync now\"; if the router still refuses a row, the error names it.",
	"check.sync_never":              "gatehouse has not synced this router yet.",
	"check.sync_never_fix":          "Press \"Sync now\".",
	"check.sync_ok":                 "gatehouse's walled garden rows and hotspot users are in place (last sync {at}).",
	"check.test_none":               "No test login since gatehouse started.",
	"check.test_fix":                "Press \"Test login\".",
	"check.test_again_fix":          "Press \"Test login\" again after fixing what the router refused.",
	"check.test_ok":                 "At {at} the router accepted test user {user} on server {server}; the user is removed again.",
	"check.test_ok_device":          "At {at} the router accepted test user {user} on server {server} and logged in device {device} with it; the user is removed again.",
	"check.test_failed":             "At {at} the test login failed.",
	"check.test_failed_create":      "At {at} the test login failed creating the test user.",
	"check.test_failed_list":        "At {at} the test login failed: the router did not list the test user.",
	"check.test_failed_device":      "At {at} the test login failed logging in device {device}.",
	"check.test_failed_remove":      "At {at} the test login failed removing the test user (the next sync removes it).",
	"check.test_router_said":        "The router said: {error}",
	"refusal.void_not_seller":       "coupon {code} was sold by {seller}; only they, an operator or an admin may void it",
	"refusal.void_no_shift":         "coupon {code} was sold outside a shift; an operator or an admin may void it",
	"refusal.void_shift_closed":     "the shift coupon {code} was sold in is closed; an operator or an admin may void it",
	"refusal.shift_open":            "{name} already has an open shift ({shift}); close it first",
	"refusal.shift_not_yours":       "this is {name}'s shift; only they, an operator or an admin may close it",
	"refusal.shift_closed":          "this shift was closed at {at}",
	"refusal.extend_revoked":        "coupon {code} is revoked; hand out a new code",
	"refusal.extend_ended":          "the session of coupon {code} ended at {at}; hand out a new code",
	"refusal.release_revoked":       "coupon {code} is revoked",
	"refusal.release_unused":        "coupon {code} has not been used yet: any device can log in with it",
	"refusal.release_ended":         "the session of coupon {code} has ended",
	"refusal.cards_base_url":        "Printing cards is refused: guests would be sent to {base_url}, an address only the computer gatehouse runs on can open. Set {setting} in the config file (or the environment variable {env}) to the address guests' devices reach gatehouse at, for example http://192.168.88.10:8080, and restart gatehouse.",
	"refusal.login_page_base_url":   "Downloading login.html is refused: guests would be sent to {base_url}, an address only the computer gatehouse runs on can open. Set {setting} in the config file (or the environment variable {env}) to the address guests' devices reach gatehouse at, for example http://192.168.88.10:8080, and restart gatehouse.",
	"router.unreachable_retry":      "router {router} unreachable, next attempt in {wait}: {cause}",
	"router.cannot_connect":         "cannot connect to router {router}: {cause}",
	"router.login_refused":          "cannot connect to router {router}: login as \"{user}\" refused: {reason}",
	"router.call_aborted":           "call to router {router} aborted: client closed; the command may or may not have been applied",
	"router.call_cancelled":         "call to router {router} cancelled: {cause}; the command may or may not have been applied",
	"router.no_answer":              "router {router} did not answer within {timeout}; the command may or may not have been applied",
	"router.connection_lost":        "connection to router {router} lost: {cause}; the command may or may not have been applied",
	"router.not_sent_closed":        "command not sent to router {router}: client closed",
	"router.not_sent":               "command not sent to router {router}: {cause}",
	"router.not_sent_no_connection": "command not sent to router {router}: no connection",
	"router.says":                   "router {router} says: {message}",
	"router.changes_refused":        "{count} changes refused by the router, first: {first}",
	"warning.base_url_loopback":     "Guests cannot reach gatehouse: login.html and printed cards would send them to {base_url}, which only this computer can open, so both are refused. Set {setting} in the config file (or the environment variable {env}) to the address guests' devices reach gatehouse at, for example http://192.168.88.10:8080, and restart gatehouse.",
}
