package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"gatehouse/routeros/routerostest"
)

// Someone edits a gatehouse user's limit-uptime and removes a walled-garden
// row on the router: a dry run lists exactly those two changes and changes
// nothing, the next pass repairs them and counts drift 2 (with an audit
// event), and a second dry run lists nothing.
func TestDryRunAndDrift(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 2, "minutes_valid": 60}).json(t, &coupons)
	wantStatus(t, e.admin(http.MethodPost, "/captive/walled-garden/"+site, map[string]any{"name": "Payments", "ip_address": "203.0.113.0/24"}), http.StatusCreated)
	sync := "/captive/sites/" + site + "/sync"
	settleRouter(t, e, site)
	if dry := e.admin(http.MethodPost, sync+"?dry_run=true", nil).object(t); len(dry["changes"].([]any)) != 0 || dry["dry_run"] != true {
		t.Fatalf("dry run of a router in step = %v", dry)
	}

	code := coupons[0]["code"].(string)
	editBehindGatehouse(fake, code)
	before := len(fake.Rows("/ip/hotspot/walled-garden/ip"))

	dry := e.admin(http.MethodPost, sync+"?dry_run=true", nil).object(t)
	changes := dry["changes"].([]any)
	if len(changes) != 2 || dry["updated"] != float64(1) || dry["added"] != float64(1) {
		t.Fatalf("dry run = %v, want the user's limit-uptime set and the walled-garden row added", dry)
	}
	set, add := changes[0].(map[string]any), changes[1].(map[string]any)
	attr := set["attributes"].([]any)[0].(map[string]any)
	if set["menu"] != "/ip/hotspot/user" || set["action"] != "set" || set["item"] != code ||
		attr["name"] != "limit-uptime" || attr["router"] != "5h" || attr["want"] != "1h" {
		t.Errorf("first change = %v", set)
	}
	if add["menu"] != "/ip/hotspot/walled-garden/ip" || add["action"] != "add" || add["item"] != "203.0.113.0/24" ||
		!strings.HasPrefix(add["comment"].(string), "gatehouse:w=") {
		t.Errorf("second change = %v", add)
	}
	if after := len(fake.Rows("/ip/hotspot/walled-garden/ip")); after != before {
		t.Fatalf("the dry run changed the router: %d walled-garden rows, had %d", after, before)
	}

	res := e.admin(http.MethodPost, sync, nil).object(t)
	if res["added"] != float64(1) || res["updated"] != float64(1) {
		t.Fatalf("repairing pass = %v", res)
	}
	status := e.admin(http.MethodGet, "/captive/sites/"+site, nil).object(t)["status"].(map[string]any)
	if status["drift_count"] != float64(2) {
		t.Errorf("drift_count = %v, want 2", status["drift_count"])
	}
	var events []map[string]any
	e.admin(http.MethodGet, "/captive/audit-events?actor=reconciler", nil).json(t, &events)
	text := ""
	for _, ev := range events {
		text += ev["action"].(string) + "\n"
	}
	if !strings.Contains(text, "/ip/hotspot/user: "+code+" changed (limit-uptime)") || !strings.Contains(text, "203.0.113.0/24 removed") {
		t.Errorf("audit events = %s", text)
	}
	if dry := e.admin(http.MethodPost, sync+"?dry_run=true", nil).object(t); len(dry["changes"].([]any)) != 0 {
		t.Errorf("dry run after the repair = %v", dry)
	}
	// A change gatehouse makes itself (a revoked coupon) is no drift.
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+inst+"/coupons/"+coupons[1]["id"].(string), nil), http.StatusNoContent)
	e.admin(http.MethodPost, sync, nil)
	e.admin(http.MethodPost, sync, nil)
	if st := e.admin(http.MethodGet, "/captive/sites/"+site, nil).object(t)["status"].(map[string]any); st["drift_count"] != float64(2) {
		t.Errorf("drift_count after a revocation = %v, want still 2", st["drift_count"])
	}
}

// settleRouter syncs a site until two passes in a row have nothing to do:
// the passes earlier changes kicked off in the background are over, so
// none repairs an edit made next before a test looks.
func settleRouter(t *testing.T, e *env, site string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for idle := 0; idle < 2; {
		res := e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil).object(t)
		idle++
		if res["added"] != float64(0) || res["updated"] != float64(0) || res["removed"] != float64(0) {
			idle = 0
		}
		if time.Now().After(deadline) {
			t.Fatalf("the router did not settle: %v", res)
		}
	}
}

// editBehindGatehouse does on the router what someone in WinBox might:
// sets the limit-uptime of code's user to 5h and removes the walled-garden
// row of 203.0.113.0/24.
func editBehindGatehouse(fake *routerostest.Router, code string) {
	for _, u := range fake.Rows("/ip/hotspot/user") {
		if u["name"] == code {
			fake.SetRow("/ip/hotspot/user", u[".id"], map[string]string{"limit-uptime": "5h"})
		}
	}
	for _, g := range fake.Rows("/ip/hotspot/walled-garden/ip") {
		if g["dst-address"] == "203.0.113.0/24" {
			fake.RemoveRow("/ip/hotspot/walled-garden/ip", g[".id"])
		}
	}
}
