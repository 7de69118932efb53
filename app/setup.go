package app

import (
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// HotspotServer is a hotspot server on a router (/ip/hotspot) together
// with what its server profile (/ip/hotspot/profile) says about logging in.
type HotspotServer struct {
	Name      string
	Interface string
	Disabled  bool
	Profile   string
	// HTMLDirectory is the profile's html-directory: where the router
	// serves login.html from ("hotspot" unless changed).
	HTMLDirectory string
	// LoginBy are the profile's login methods (cookie, http-chap, http-pap ...).
	LoginBy []string
}

// LoginPagePath is the name of a server's login.html in the router's
// file list (/file): <html-directory>/login.html.
func (h HotspotServer) LoginPagePath() string {
	dir := strings.Trim(h.HTMLDirectory, "/")
	if dir == "" {
		dir = "hotspot"
	}
	return dir + "/login.html"
}

// RouterFile is a file in a router's storage (/file).
type RouterFile struct {
	Name string
	Type string
	Size int64
	// Contents is the file's text; "" when the router does not send it
	// (large files).
	Contents string
}

// Login methods of a hotspot server profile (login-by) that gatehouse's
// portal can use.
const (
	LoginByPAP  = "http-pap"
	LoginByCHAP = "http-chap"
	// LoginByMACCookie lets a device back on by its MAC address after its
	// browser cookie expired (docs/routeros.md §6).
	LoginByMACCookie = "mac-cookie"
)

// TestLoginComment marks the hotspot user of a test login; the prefix makes
// the next reconcile pass remove a test user that was left behind.
func TestLoginComment(at time.Time) string {
	return CommentPrefix + "t=" + at.UTC().Format("20060102T150405Z")
}

// TestLogin is what a test login did on a router: it created a one-off
// hotspot user, read it back, logged a device in with it when one was
// named, and removed it again.
type TestLogin struct {
	SiteID   string
	User     string
	Server   string // the server the user was created on ("all" for any)
	Device   string // address of the device logged in, "" for none
	Created  bool
	Found    bool // the router listed the user after creating it
	LoggedIn bool // the router accepted the login of Device
	Removed  bool
	Error    string // the router's refusal, "" when every step worked
	At       time.Time
}

// OK reports whether every step of the test login worked.
func (t TestLogin) OK() bool {
	return t.Error == "" && t.Created && t.Found && t.Removed && (t.Device == "" || t.LoggedIn)
}

// Setup step ids, in the order of the checklist.
const (
	StepAPI           = "api"
	StepHotspotServer = "hotspot_server"
	StepLoginPage     = "login_page"
	StepLoginMethod   = "login_method"
	StepWalledGarden  = "walled_garden"
	StepTestLogin     = "test_login"
)

// SetupStep is one line of a site's setup checklist: whether it is done,
// what gatehouse saw, and how to fix it when it is not. The sentences are
// Texts so the admin page can word them in its reader's language.
type SetupStep struct {
	ID     string
	OK     bool
	Detail []Text
	// Fix is what to do by hand, empty when nothing is left to do.
	Fix []Text
	// Commands are RouterOS terminal lines the fix asks to paste; they
	// follow the fix's first sentence.
	Commands []string
}

// DetailEnglish is what gatehouse saw, in English.
func (s SetupStep) DetailEnglish() string { return EnglishOf(s.Detail) }

// FixEnglish is the fix in English: its first sentence, then each command
// on a line of its own, then the rest; "" when there is no fix.
func (s SetupStep) FixEnglish() string {
	if len(s.Fix) == 0 {
		return ""
	}
	if len(s.Commands) == 0 {
		return EnglishOf(s.Fix)
	}
	out := s.Fix[0].English() + "\n" + strings.Join(s.Commands, "\n")
	if rest := EnglishOf(s.Fix[1:]); rest != "" {
		out += "\n" + rest
	}
	return out
}

// SetupFacts is what the checklist is built from: the stored site, what
// the router said just now, and gatehouse's own settings.
type SetupFacts struct {
	Site Site
	// BaseURL is gatehouse's server.base_url.
	BaseURL string
	// RouterErr is the error of reading the router now (nil: read).
	RouterErr error
	// Servers are the router's hotspot servers.
	Servers []HotspotServer
	// LoginPages are the router's login.html files by name; a missing
	// name means the file is not there.
	LoginPages map[string]RouterFile
	// Instances are the ids of the instances (portals) that use the site.
	Instances []string
	// TestLogin is the last test login, nil when none ran.
	TestLogin *TestLogin
}

// ServersInUse returns the hotspot servers a site uses: the one it names,
// or every server for "all".
func ServersInUse(site Site, servers []HotspotServer) []HotspotServer {
	if site.HotspotServer == "" || site.HotspotServer == "all" {
		return servers
	}
	for _, s := range servers {
		if s.Name == site.HotspotServer {
			return []HotspotServer{s}
		}
	}
	return nil
}

// LoginPageMarker is the text that makes a login.html gatehouse's for an
// instance at a site: the portal link it sends guests to, as the generated
// page writes it (HTML-escaped, which leaves it unchanged).
func LoginPageMarker(baseURL, instanceID, siteID string) string {
	return strings.TrimRight(baseURL, "/") + "/portal/" + url.PathEscape(instanceID) + "?site=" + url.QueryEscape(siteID)
}

// SetupChecklist builds a site's checklist from what gatehouse knows and
// what the router said. It does no I/O.
func SetupChecklist(f SetupFacts) []SetupStep {
	steps := []SetupStep{apiStep(f)}
	if f.RouterErr != nil {
		for _, id := range []string{StepHotspotServer, StepLoginPage, StepLoginMethod, StepWalledGarden, StepTestLogin} {
			steps = append(steps, SetupStep{ID: id, Detail: []Text{T("check.not_checked_router")},
				Fix: []Text{T("check.fix_api_first")}})
		}
		return steps
	}
	inUse := ServersInUse(f.Site, f.Servers)
	steps = append(steps, serverStep(f, inUse), loginPageStep(f, inUse), loginMethodStep(inUse),
		gardenStep(f), testLoginStep(f))
	return steps
}

// notCheckedWithoutServer is a step that needs a hotspot server first.
func notCheckedWithoutServer(id string) SetupStep {
	return SetupStep{ID: id, Detail: []Text{T("check.not_checked_server")}, Fix: []Text{T("check.fix_server_first")}}
}

// apiStep: gatehouse reaches the router's API and logs in.
func apiStep(f SetupFacts) SetupStep {
	st := SetupStep{ID: StepAPI}
	if f.RouterErr == nil {
		st.OK = true
		st.Detail = []Text{T("check.api_ok", "host", f.Site.Host, "user", f.Site.Username)}
		if v := f.Site.Status.RouterOSVersion; v != "" {
			st.Detail = append(st.Detail, T("check.api_version", "version", v))
		}
		return st
	}
	st.Detail = []Text{T("check.api_failed", "error", f.RouterErr.Error())}
	st.Fix, st.Commands = apiFix(f)
	return st
}

// apiFix is how to let gatehouse in: the RouterOS commands and what to
// check in them.
func apiFix(f SetupFacts) ([]Text, []string) {
	service := "api"
	if f.Site.TLS {
		service = "api-ssl"
	}
	host := ""
	if u, err := url.Parse(f.BaseURL); err == nil {
		host = u.Hostname()
	}
	addr, note := "<gatehouse's address>", T("check.api_fix_no_address", "host", host)
	if a, err := netip.ParseAddr(host); err == nil {
		addr = a.String()
		note = T("check.api_fix_address", "address", addr)
	}
	user := f.Site.Username
	if user == "" {
		user = "gatehouse"
	}
	commands := []string{
		"/user group add name=gatehouse policy=api,read,write,sensitive",
		"/user add name=" + user + " group=gatehouse password=\"<the password set for this site>\"",
		"/ip service set " + service + " address=" + addr + "/32 disabled=no",
	}
	return []Text{T("check.api_fix"), note, T("check.api_fix_match")}, commands
}

func serverStep(f SetupFacts, inUse []HotspotServer) SetupStep {
	st := SetupStep{ID: StepHotspotServer}
	names := make([]string, len(f.Servers))
	for i, s := range f.Servers {
		names[i] = s.Name
	}
	switch {
	case len(f.Servers) == 0:
		st.Detail, st.Fix = []Text{T("check.server_none")}, []Text{T("check.server_none_fix")}
	case len(inUse) == 0:
		st.Detail = []Text{T("check.server_unknown", "server", f.Site.HotspotServer, "servers", strings.Join(names, ", "))}
		st.Fix = []Text{T("check.server_unknown_fix")}
	case f.Site.HotspotServer == "all" || f.Site.HotspotServer == "":
		st.OK = true
		st.Detail = []Text{T("check.server_all", "servers", strings.Join(names, ", "))}
	case inUse[0].Disabled:
		st.Detail = []Text{T("check.server_disabled", "server", inUse[0].Name)}
		st.Fix = []Text{T("check.server_disabled_fix", "command", "/ip hotspot enable "+inUse[0].Name)}
	default:
		st.OK = true
		st.Detail = []Text{T("check.server_one", "server", inUse[0].Name, "profile", inUse[0].Profile)}
	}
	return st
}

func loginPageStep(f SetupFacts, inUse []HotspotServer) SetupStep {
	st := SetupStep{ID: StepLoginPage}
	if len(f.Instances) == 0 {
		st.Detail, st.Fix = []Text{T("check.page_no_portal")}, []Text{T("check.page_no_portal_fix")}
		return st
	}
	if len(inUse) == 0 {
		return notCheckedWithoutServer(StepLoginPage)
	}
	var bad []Text
	var good []string
	for _, path := range loginPagePaths(inUse) {
		file, ok := f.LoginPages[path]
		switch {
		case !ok:
			bad = append(bad, T("check.page_missing", "file", path))
		case isOurs(file.Contents, f.BaseURL, f.Instances, f.Site.ID):
			good = append(good, path)
		case strings.Contains(file.Contents, "/portal/") && strings.Contains(file.Contents, "site="+f.Site.ID):
			bad = append(bad, T("check.page_old_address", "file", path))
		default:
			bad = append(bad, T("check.page_foreign", "file", path))
		}
	}
	if len(bad) == 0 {
		st.OK = true
		st.Detail = []Text{T("check.page_installed", "files", strings.Join(good, ", "))}
		return st
	}
	st.Detail, st.Fix = bad, []Text{T("check.page_fix")}
	return st
}

// loginPagePaths are the distinct login.html names of the servers.
func loginPagePaths(servers []HotspotServer) []string {
	var out []string
	for _, s := range servers {
		if p := s.LoginPagePath(); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// LoginPagePaths returns the distinct login.html names of the hotspot
// servers a site uses.
func LoginPagePaths(servers []HotspotServer) []string { return loginPagePaths(servers) }

func isOurs(contents, baseURL string, instances []string, siteID string) bool {
	for _, in := range instances {
		if strings.Contains(contents, LoginPageMarker(baseURL, in, siteID)) {
			return true
		}
	}
	return false
}

func loginMethodStep(inUse []HotspotServer) SetupStep {
	if len(inUse) == 0 {
		return notCheckedWithoutServer(StepLoginMethod)
	}
	st := SetupStep{ID: StepLoginMethod}
	var none, chapOnly, pap []string
	seen := map[string]bool{}
	for _, s := range inUse {
		if seen[s.Profile] {
			continue
		}
		seen[s.Profile] = true
		switch {
		case slices.Contains(s.LoginBy, LoginByPAP):
			pap = append(pap, s.Profile)
		case slices.Contains(s.LoginBy, LoginByCHAP):
			chapOnly = append(chapOnly, s.Profile)
		default:
			none = append(none, s.Profile)
		}
	}
	switch {
	case len(none) > 0:
		st.Detail = []Text{T("check.method_none", "profiles", strings.Join(none, ", "))}
		st.Fix = []Text{T("check.method_none_fix")}
	case len(chapOnly) > 0:
		st.OK = true
		st.Detail = []Text{T("check.method_chap_only", "profiles", strings.Join(chapOnly, ", "))}
		st.Fix = []Text{T("check.method_chap_fix")}
	default:
		st.OK = true
		st.Detail = []Text{T("check.method_pap", "profiles", strings.Join(pap, ", "))}
	}
	var noMACCookie []string
	for _, s := range inUse {
		if !slices.Contains(s.LoginBy, LoginByMACCookie) && !slices.Contains(noMACCookie, s.Profile) {
			noMACCookie = append(noMACCookie, s.Profile)
		}
	}
	if st.OK && len(noMACCookie) > 0 {
		st.Detail = append(st.Detail, T("check.method_no_cookie", "profiles", strings.Join(noMACCookie, ", ")))
		st.Fix = append(st.Fix, T("check.method_cookie_fix",
			"command", "/ip hotspot profile set "+noMACCookie[0]+" login-by=...,mac-cookie"))
	}
	return st
}

func gardenStep(f SetupFacts) SetupStep {
	st := SetupStep{ID: StepWalledGarden}
	stat := f.Site.Status
	switch {
	case stat.LastError != "" && stat.LastErrorText != nil: // gatehouse's own words: the page words them too
		st.Detail = []Text{T("check.sync_failed_as"), *stat.LastErrorText}
		st.Fix = []Text{T("check.sync_failed_fix")}
	case stat.LastError != "":
		st.Detail = []Text{T("check.sync_failed", "error", stat.LastError)}
		st.Fix = []Text{T("check.sync_failed_fix")}
	case stat.LastSyncAt == nil:
		st.Detail, st.Fix = []Text{T("check.sync_never")}, []Text{T("check.sync_never_fix")}
	default:
		st.OK = true
		st.Detail = []Text{T("check.sync_ok", "at", stat.LastSyncAt.UTC().Format(time.RFC3339))}
	}
	return st
}

func testLoginStep(f SetupFacts) SetupStep {
	st := SetupStep{ID: StepTestLogin}
	switch t := f.TestLogin; {
	case t == nil:
		st.Detail, st.Fix = []Text{T("check.test_none")}, []Text{T("check.test_fix")}
	case t.OK():
		st.OK, st.Detail = true, t.Summary()
	default:
		st.Detail, st.Fix = t.Summary(), []Text{T("check.test_again_fix")}
	}
	return st
}

// Summary says what the test login did: one sentence, and the router's
// refusal when there was one.
func (t TestLogin) Summary() []Text {
	at := t.At.UTC().Format(time.RFC3339)
	if t.OK() {
		if t.Device != "" {
			return []Text{T("check.test_ok_device", "at", at, "user", t.User, "server", t.Server, "device", t.Device)}
		}
		return []Text{T("check.test_ok", "at", at, "user", t.User, "server", t.Server)}
	}
	var out []Text
	switch {
	case !t.Created:
		out = append(out, T("check.test_failed_create", "at", at))
	case !t.Found:
		out = append(out, T("check.test_failed_list", "at", at))
	case t.Device != "" && !t.LoggedIn:
		out = append(out, T("check.test_failed_device", "at", at, "device", t.Device))
	case !t.Removed:
		out = append(out, T("check.test_failed_remove", "at", at))
	default:
		out = append(out, T("check.test_failed", "at", at))
	}
	if t.Error != "" {
		out = append(out, T("check.test_router_said", "error", t.Error))
	}
	return out
}
