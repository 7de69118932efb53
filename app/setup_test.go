package app

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSetupChecklist(t *testing.T) {
	synced := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	site := Site{ID: "s1", Host: "192.168.88.1", Username: "gatehouse", HotspotServer: "all",
		Status: SiteStatus{State: SiteOnline, LastSyncAt: &synced}}
	base := "http://192.168.88.10:8080"
	ours := `<a href="` + LoginPageMarker(base, "i1", "s1") + `&amp;mac=$(mac-esc)">`
	pap := HotspotServer{Name: "hotspot1", Profile: "hsprof1", HTMLDirectory: "hotspot", LoginBy: []string{"cookie", "http-pap"}}
	chap := HotspotServer{Name: "hs2", Profile: "p2", HTMLDirectory: "flash/hs2", LoginBy: []string{"http-chap"}}
	none := HotspotServer{Name: "hs3", Profile: "p3", HTMLDirectory: "hotspot", LoginBy: []string{"cookie"}}
	okTest := &TestLogin{User: "gh-test-x", Server: "all", Created: true, Found: true, Removed: true, At: synced}
	files := map[string]RouterFile{"hotspot/login.html": {Contents: ours}, "flash/hs2/login.html": {Contents: ours}}

	for _, tc := range []struct {
		name string
		f    SetupFacts
		want map[string]bool   // step id -> ok
		says map[string]string // step id -> text in detail or fix
	}{
		{"all green", SetupFacts{Site: site, BaseURL: base, Servers: []HotspotServer{pap, chap}, LoginPages: files,
			Instances: []string{"i1"}, TestLogin: okTest},
			map[string]bool{StepAPI: true, StepHotspotServer: true, StepLoginPage: true, StepLoginMethod: true, StepWalledGarden: true, StepTestLogin: true},
			map[string]string{StepLoginMethod: "http-chap only", StepHotspotServer: "hotspot1, hs2"}},
		{"router down", SetupFacts{Site: site, BaseURL: base, RouterErr: errors.New("connection refused")},
			map[string]bool{StepAPI: false, StepLoginPage: false, StepTestLogin: false},
			map[string]string{StepAPI: "/ip service set api address=192.168.88.10/32", StepLoginPage: "Not checked"}},
		{"base_url by name", SetupFacts{Site: site, BaseURL: "https://wifi.example.org", RouterErr: errors.New("x")},
			map[string]bool{StepAPI: false}, map[string]string{StepAPI: `names "wifi.example.org"`}},
		{"fresh router", SetupFacts{Site: site, BaseURL: base, Servers: []HotspotServer{none},
			LoginPages: map[string]RouterFile{"hotspot/login.html": {Contents: "<html>RouterOS</html>"}}, Instances: []string{"i1"}},
			map[string]bool{StepLoginPage: false, StepLoginMethod: false, StepTestLogin: false},
			map[string]string{StepLoginPage: "not gatehouse's", StepLoginMethod: "Enable PAP"}},
		{"old base_url", SetupFacts{Site: site, BaseURL: "http://10.0.0.2:8080", Servers: []HotspotServer{pap}, LoginPages: files, Instances: []string{"i1"}},
			map[string]bool{StepLoginPage: false}, map[string]string{StepLoginPage: "another address"}},
		{"missing page, no portal", SetupFacts{Site: site, BaseURL: base, Servers: []HotspotServer{pap}},
			map[string]bool{StepLoginPage: false}, map[string]string{StepLoginPage: "No portal"}},
		{"unknown server", SetupFacts{Site: Site{ID: "s1", HotspotServer: "gone"}, BaseURL: base, Servers: []HotspotServer{pap}},
			map[string]bool{StepHotspotServer: false, StepWalledGarden: false}, map[string]string{StepHotspotServer: `"gone"`}},
		{"no servers", SetupFacts{Site: site, BaseURL: base},
			map[string]bool{StepHotspotServer: false}, map[string]string{StepHotspotServer: "/ip hotspot setup"}},
		{"failed test", SetupFacts{Site: site, BaseURL: base, Servers: []HotspotServer{pap},
			TestLogin: &TestLogin{Server: "all", At: synced, Error: "router says: input does not match any value of server"}},
			map[string]bool{StepTestLogin: false}, map[string]string{StepTestLogin: "creating the test user. The router said: router says"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			steps := SetupChecklist(tc.f)
			if len(steps) != 6 {
				t.Fatalf("%d steps, want 6", len(steps))
			}
			got := map[string]SetupStep{}
			for _, s := range steps {
				got[s.ID] = s
				checkTexts(t, s.ID, append(append([]Text{}, s.Detail...), s.Fix...))
			}
			for id, ok := range tc.want {
				if got[id].OK != ok {
					t.Errorf("%s ok = %v, want %v: %+v", id, got[id].OK, ok, got[id])
				}
				if !got[id].OK && len(got[id].Fix) == 0 {
					t.Errorf("%s is not done and has no fix", id)
				}
			}
			for id, text := range tc.says {
				if s := got[id]; !strings.Contains(s.DetailEnglish()+"\n"+s.FixEnglish(), text) {
					t.Errorf("%s says %q / %q, want %q in it", id, s.DetailEnglish(), s.FixEnglish(), text)
				}
			}
		})
	}
}

// A profile without mac-cookie works, and the step says what returning
// guests then go through; with it, nothing is suggested.
func TestLoginMethodMACCookieHint(t *testing.T) {
	without := HotspotServer{Name: "hotspot1", Profile: "hsprof1", LoginBy: []string{"cookie", "http-pap"}}
	st := loginMethodStep([]HotspotServer{without})
	if !st.OK || !strings.Contains(st.DetailEnglish(), "hsprof1 has no mac-cookie") || !strings.Contains(st.FixEnglish(), "mac-cookie") {
		t.Errorf("without mac-cookie: %+v", st)
	}
	with := without
	with.LoginBy = []string{"cookie", "http-pap", "mac-cookie"}
	if st := loginMethodStep([]HotspotServer{with}); !st.OK || strings.Contains(st.DetailEnglish(), "mac-cookie") || len(st.Fix) != 0 {
		t.Errorf("with mac-cookie: %+v", st)
	}
}

// checkTexts fails for a Text the admin page could not word: a key without
// an English template (and so, by the catalogue test, in no language) or a
// template param left unfilled.
func checkTexts(t *testing.T, where string, texts []Text) {
	t.Helper()
	for _, x := range texts {
		if _, ok := EnglishTexts[x.Key]; !ok {
			t.Errorf("%s: key %q has no English template", where, x.Key)
		}
		if s := x.English(); strings.ContainsAny(s, "{}") {
			t.Errorf("%s: %q leaves a placeholder: %q", where, x.Key, s)
		}
	}
}

// A param is put in once: a value that looks like a placeholder stays as
// it is, and a param the template does not name is ignored.
func TestTextEnglish(t *testing.T) {
	got := T("check.api_ok", "host", "{user}", "user", "ops", "extra", "x").English()
	if want := "Logged in to {user} as ops."; got != want {
		t.Errorf("English() = %q, want %q", got, want)
	}
	if got := T("no.such.key").English(); got != "no.such.key" {
		t.Errorf("unknown key = %q", got)
	}
	sum := TestLogin{At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Error: "failure: no such item"}.Summary()
	if got := EnglishOf(sum); got != "At 2026-01-02T03:04:05Z the test login failed creating the test user. The router said: failure: no such item" {
		t.Errorf("summary = %q", got)
	}
}

// A sync that failed in gatehouse's own words (a Text) is shown as that
// Text after "The last sync failed:", so the page words all of it; other
// errors are quoted as they are.
func TestGardenStepLastError(t *testing.T) {
	text := T("router.cannot_connect", "router", "192.168.88.1:8728", "cause", "connection refused")
	st := gardenStep(SetupFacts{Site: Site{Status: SiteStatus{LastError: "sync: " + text.English(), LastErrorText: &text}}})
	if st.OK || len(st.Detail) != 2 || st.Detail[0].Key != "check.sync_failed_as" || st.Detail[1].Key != "router.cannot_connect" ||
		st.DetailEnglish() != "The last sync failed: cannot connect to router 192.168.88.1:8728: connection refused" {
		t.Errorf("with a Text: %+v", st)
	}
	st = gardenStep(SetupFacts{Site: Site{Status: SiteStatus{LastError: "database is locked"}}})
	if len(st.Detail) != 1 || st.DetailEnglish() != "The last sync failed: database is locked" {
		t.Errorf("without: %+v", st)
	}
}
