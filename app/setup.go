package app

import (
	"fmt"
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
// what gatehouse saw, and how to fix it when it is not.
type SetupStep struct {
	ID     string
	OK     bool
	Detail string
	Fix    string
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
			steps = append(steps, SetupStep{ID: id, Detail: "Not checked: gatehouse cannot read the router.",
				Fix: "Fix the API step first."})
		}
		return steps
	}
	inUse := ServersInUse(f.Site, f.Servers)
	steps = append(steps, serverStep(f, inUse), loginPageStep(f, inUse), loginMethodStep(inUse),
		gardenStep(f), testLoginStep(f))
	return steps
}

// apiStep: gatehouse reaches the router's API and logs in.
func apiStep(f SetupFacts) SetupStep {
	st := SetupStep{ID: StepAPI}
	if f.RouterErr == nil {
		st.OK = true
		st.Detail = fmt.Sprintf("Logged in to %s as %s.", f.Site.Host, f.Site.Username)
		if v := f.Site.Status.RouterOSVersion; v != "" {
			st.Detail += " RouterOS " + v + "."
		}
		return st
	}
	st.Detail = "gatehouse cannot use the router's API: " + f.RouterErr.Error()
	st.Fix = apiFix(f)
	return st
}

// apiFix is the RouterOS commands that let gatehouse in.
func apiFix(f SetupFacts) string {
	service := "api"
	if f.Site.TLS {
		service = "api-ssl"
	}
	host := ""
	if u, err := url.Parse(f.BaseURL); err == nil {
		host = u.Hostname()
	}
	addr, note := "<gatehouse's address>", ""
	if a, err := netip.ParseAddr(host); err == nil {
		addr = a.String()
		note = fmt.Sprintf("%s is the host of server.base_url; gatehouse cannot know the address the router sees it by, so change it if that differs (NAT, a second network card).", addr)
	} else {
		note = fmt.Sprintf("server.base_url names %q, not an address; put the address the router sees gatehouse by in its place.", host)
	}
	user := f.Site.Username
	if user == "" {
		user = "gatehouse"
	}
	return "In the router's terminal (Winbox > New Terminal), paste:\n" +
		"/user group add name=gatehouse policy=api,read,write,sensitive\n" +
		"/user add name=" + user + " group=gatehouse password=\"<the password set for this site>\"\n" +
		"/ip service set " + service + " address=" + addr + "/32 disabled=no\n" + note +
		" Check that the site's host, port and TLS setting match the router."
}

func serverStep(f SetupFacts, inUse []HotspotServer) SetupStep {
	st := SetupStep{ID: StepHotspotServer}
	names := make([]string, len(f.Servers))
	for i, s := range f.Servers {
		names[i] = s.Name
	}
	switch {
	case len(f.Servers) == 0:
		st.Detail = "The router has no hotspot server."
		st.Fix = "Set up the hotspot on the guest interface: IP > Hotspot > Hotspot Setup in Winbox, or /ip hotspot setup in the terminal. Then choose the server in this site's settings."
	case len(inUse) == 0:
		st.Detail = fmt.Sprintf("The site names hotspot server %q; the router has %s.", f.Site.HotspotServer, strings.Join(names, ", "))
		st.Fix = "Edit the site and choose one of the router's hotspot servers."
	case f.Site.HotspotServer == "all" || f.Site.HotspotServer == "":
		st.OK = true
		st.Detail = "All of the router's hotspot servers: " + strings.Join(names, ", ") + "."
	default:
		st.OK = true
		st.Detail = fmt.Sprintf("Hotspot server %s (profile %s).", inUse[0].Name, inUse[0].Profile)
		if inUse[0].Disabled {
			st.OK = false
			st.Detail = fmt.Sprintf("Hotspot server %s is disabled on the router.", inUse[0].Name)
			st.Fix = "Enable it: /ip hotspot enable " + inUse[0].Name
		}
	}
	return st
}

func loginPageStep(f SetupFacts, inUse []HotspotServer) SetupStep {
	st := SetupStep{ID: StepLoginPage}
	if len(f.Instances) == 0 {
		st.Detail = "No portal uses this site yet."
		st.Fix = "Create a portal (Portals > New) and tick this site; then install its login page."
		return st
	}
	if len(inUse) == 0 {
		st.Detail = "Not checked: no hotspot server."
		st.Fix = "Fix the hotspot server step first."
		return st
	}
	var bad []string
	var good []string
	for _, path := range loginPagePaths(inUse) {
		file, ok := f.LoginPages[path]
		switch {
		case !ok:
			bad = append(bad, path+" is missing")
		case isOurs(file.Contents, f.BaseURL, f.Instances, f.Site.ID):
			good = append(good, path)
		case strings.Contains(file.Contents, "/portal/") && strings.Contains(file.Contents, "site="+f.Site.ID):
			bad = append(bad, path+" is gatehouse's but points at another address (an old server.base_url?)")
		default:
			bad = append(bad, path+" is not gatehouse's (RouterOS's own page or another one)")
		}
	}
	if len(bad) == 0 {
		st.OK = true
		st.Detail = "gatehouse's login page is installed: " + strings.Join(good, ", ") + "."
		return st
	}
	st.Detail = strings.Join(bad, "; ") + "."
	st.Fix = "Press \"Install login page\": the router downloads it from gatehouse (/tool/fetch) into its hotspot directory. Or download login.html from the portal's page and upload it to the router's hotspot directory (Winbox > Files)."
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
	st := SetupStep{ID: StepLoginMethod}
	if len(inUse) == 0 {
		st.Detail = "Not checked: no hotspot server."
		st.Fix = "Fix the hotspot server step first."
		return st
	}
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
		st.Detail = "Server profile " + strings.Join(none, ", ") + " allows neither http-pap nor http-chap: guests cannot log in with a code."
		st.Fix = "Press \"Enable PAP\" (adds http-pap to the profile's login-by and keeps the methods it has)."
	case len(chapOnly) > 0:
		st.OK = true
		st.Detail = "Server profile " + strings.Join(chapOnly, ", ") + " allows http-chap only: the portal works, but a card's QR code cannot log in through the hotspot's own login URL, which needs http-pap."
		st.Fix = "Optional: press \"Enable PAP\" (adds http-pap and keeps the methods the profile has)."
	default:
		st.OK = true
		st.Detail = "Server profile " + strings.Join(pap, ", ") + " allows http-pap."
	}
	var noMACCookie []string
	for _, s := range inUse {
		if !slices.Contains(s.LoginBy, LoginByMACCookie) && !slices.Contains(noMACCookie, s.Profile) {
			noMACCookie = append(noMACCookie, s.Profile)
		}
	}
	if st.OK && len(noMACCookie) > 0 {
		st.Detail += " Returning guests must type their code again once the browser's cookie is gone: " +
			strings.Join(noMACCookie, ", ") + " has no mac-cookie in login-by."
		st.Fix = strings.TrimSpace(st.Fix + " Optional: add mac-cookie to the profile's login-by (/ip hotspot profile set " +
			noMACCookie[0] + " login-by=...,mac-cookie); gatehouse's user profiles keep RouterOS' add-mac-cookie=yes.")
	}
	return st
}

func gardenStep(f SetupFacts) SetupStep {
	st := SetupStep{ID: StepWalledGarden}
	stat := f.Site.Status
	switch {
	case stat.LastError != "":
		st.Detail = "The last sync failed: " + stat.LastError
		st.Fix = "Press \"Sync now\"; if the router still refuses a row, the error names it."
	case stat.LastSyncAt == nil:
		st.Detail = "gatehouse has not synced this router yet."
		st.Fix = "Press \"Sync now\"."
	default:
		st.OK = true
		st.Detail = "gatehouse's walled garden rows and hotspot users are in place (last sync " + stat.LastSyncAt.UTC().Format(time.RFC3339) + ")."
	}
	return st
}

func testLoginStep(f SetupFacts) SetupStep {
	st := SetupStep{ID: StepTestLogin, Fix: "Press \"Test login\"."}
	t := f.TestLogin
	switch {
	case t == nil:
		st.Detail = "No test login since gatehouse started."
	case t.OK():
		st.OK, st.Fix = true, ""
		st.Detail = t.Summary()
	default:
		st.Detail = t.Summary()
		st.Fix = "Press \"Test login\" again after fixing what the router refused."
	}
	return st
}

// Summary says in one sentence what the test login did.
func (t TestLogin) Summary() string {
	at := t.At.UTC().Format(time.RFC3339)
	if t.OK() {
		s := fmt.Sprintf("At %s the router accepted test user %s on server %s", at, t.User, t.Server)
		if t.Device != "" {
			s += " and logged in device " + t.Device + " with it"
		}
		return s + "; the user is removed again."
	}
	s := fmt.Sprintf("At %s the test login failed", at)
	switch {
	case !t.Created:
		s += " creating the test user"
	case !t.Found:
		s += ": the router did not list the test user"
	case t.Device != "" && !t.LoggedIn:
		s += " logging in device " + t.Device
	case !t.Removed:
		s += " removing the test user (the next sync removes it)"
	}
	if t.Error != "" {
		s += ": " + t.Error
	}
	return s + "."
}
