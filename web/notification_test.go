package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"gatehouse/app"
)

// ngCreate creates a notification group as admin and returns the 201 body.
func ngCreate(t testing.TB, e *env, body map[string]any) map[string]any {
	t.Helper()
	r := e.admin(http.MethodPost, "/captive/notification-groups", body)
	wantStatus(t, r, http.StatusCreated)
	return r.object(t)
}

var ngIDShape = regexp.MustCompile(`^ng_[0-9a-f]{32}$`)

func TestNotificationGroupLifecycle(t *testing.T) {
	e := newEnv(t, "")
	g := ngCreate(t, e, map[string]any{"name": " Front office ", "emails": []string{"desk@example.com", " boss@example.com "}})
	id, _ := g["id"].(string)
	if !ngIDShape.MatchString(id) {
		t.Errorf("id = %q, want ng_ and 32 hex digits", id)
	}
	secret, _ := g["webhook_secret"].(string)
	if len(secret) != 64 {
		t.Errorf("webhook_secret in the create answer = %q, want 64 hex digits", secret)
	}
	if g["name"] != "Front office" || g["webhook_url"] != nil || len(g["emails"].([]any)) != 2 || g["emails"].([]any)[1] != "boss@example.com" {
		t.Errorf("created = %v, want trimmed name and emails, webhook_url null", g)
	}
	stored, err := e.store.NotificationGroup(t.Context(), id)
	if err != nil || stored.WebhookSecret != secret {
		t.Fatalf("stored secret = %q, %v; want the one shown at create", stored.WebhookSecret, err)
	}

	r := e.admin(http.MethodGet, "/captive/notification-groups/"+id, nil)
	wantStatus(t, r, http.StatusOK)
	got := r.object(t)
	if _, ok := got["webhook_secret"]; ok || strings.Contains(string(r.body), secret) {
		t.Fatalf("GET shows the webhook secret: %s", r.body)
	}
	if got["created_at"] != g["created_at"] || got["name"] != "Front office" {
		t.Errorf("GET = %v, want the created group", got)
	}

	// Partial update: only the webhook is added; the secret is kept.
	r = e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"webhook_url": "https://hooks.example.com/gh"})
	wantStatus(t, r, http.StatusOK)
	got = r.object(t)
	if got["webhook_url"] != "https://hooks.example.com/gh" || got["name"] != "Front office" || len(got["emails"].([]any)) != 2 {
		t.Errorf("after PUT {webhook_url}: %v, want the URL added and the rest kept", got)
	}
	if _, ok := got["webhook_secret"]; ok {
		t.Fatalf("PUT shows the webhook secret: %s", r.body)
	}
	if stored, _ := e.store.NotificationGroup(t.Context(), id); stored.WebhookSecret != secret {
		t.Errorf("secret after partial update = %q, want it kept", stored.WebhookSecret)
	}

	// emails null removes them, leaving the webhook; webhook_url null then
	// would leave nothing and is refused.
	r = e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"emails": nil, "webhook_secret": "rotated-secret-0123"})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); len(got["emails"].([]any)) != 0 || strings.Contains(string(r.body), "rotated-secret-0123") {
		t.Errorf("after PUT {emails:null}: %s, want no emails and no secret", r.body)
	}
	if stored, _ := e.store.NotificationGroup(t.Context(), id); stored.WebhookSecret != "rotated-secret-0123" {
		t.Errorf("secret after rotation = %q, want rotated-secret-0123", stored.WebhookSecret)
	}
	wantError(t, e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"webhook_url": nil}),
		http.StatusBadRequest, "parameter_missing", "emails")
	r = e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"webhook_url": nil, "emails": []string{"desk@example.com"}})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["webhook_url"] != nil {
		t.Errorf("after PUT {webhook_url:null}: %s, want webhook_url null", r.body)
	}

	second := ngCreate(t, e, map[string]any{"name": "Ops", "webhook_url": "http://192.0.2.5/hook", "webhook_secret": "given-secret-0123"})
	if second["webhook_secret"] != "given-secret-0123" {
		t.Errorf("create with a secret answered webhook_secret = %v, want given", second["webhook_secret"])
	}
	list := e.admin(http.MethodGet, "/captive/notification-groups", nil)
	wantStatus(t, list, http.StatusOK)
	var groups []map[string]any
	list.json(t, &groups)
	if len(groups) != 2 || groups[0]["id"] != id || groups[1]["id"] != second["id"] {
		t.Fatalf("list = %s, want both groups, oldest first", list.body)
	}
	if strings.Contains(string(list.body), "webhook_secret") {
		t.Fatalf("list shows webhook secrets: %s", list.body)
	}

	wantStatus(t, e.admin(http.MethodDelete, "/captive/notification-groups/"+id, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, "/captive/notification-groups/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"name": "x"}), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodDelete, "/captive/notification-groups/"+id, nil), http.StatusNotFound, "resource_missing", "")
}

func TestNotificationGroupBadInput(t *testing.T) {
	e := newEnv(t, "")
	valid := func(extra map[string]any) map[string]any {
		m := map[string]any{"name": "Front office", "emails": []string{"desk@example.com"}}
		for k, v := range extra {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	cases := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"missing name", valid(map[string]any{"name": nil}), "parameter_missing", "name"},
		{"blank name", valid(map[string]any{"name": "  "}), "parameter_missing", "name"},
		{"no emails and no webhook", valid(map[string]any{"emails": nil}), "parameter_missing", "emails"},
		{"empty emails", valid(map[string]any{"emails": []string{}}), "parameter_missing", "emails"},
		{"bad email", valid(map[string]any{"emails": []string{"not-an-address"}}), "parameter_invalid", "emails"},
		{"named email", valid(map[string]any{"emails": []string{"Desk <desk@example.com>"}}), "parameter_invalid", "emails"},
		{"emails not array", valid(map[string]any{"emails": "desk@example.com"}), "parameter_invalid", "emails"},
		{"bad url", valid(map[string]any{"webhook_url": "not a url"}), "parameter_invalid", "webhook_url"},
		{"ftp url", valid(map[string]any{"webhook_url": "ftp://example.com/hook"}), "parameter_invalid", "webhook_url"},
		{"unknown field", valid(map[string]any{"colour": "red"}), "unknown_parameter", "colour"},
		{"not json", "{name:", "invalid_json", ""},
		{"empty body", "", "invalid_json", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPost, "/captive/notification-groups", tc.body), http.StatusBadRequest, tc.code, tc.param)
		})
	}
	if list := e.admin(http.MethodGet, "/captive/notification-groups", nil); string(list.body) != "[]\n" {
		t.Fatalf("bad input changed something: groups = %s", list.body)
	}

	id := ngCreate(t, e, valid(nil))["id"].(string)
	wantError(t, e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"name": ""}), http.StatusBadRequest, "parameter_missing", "name")
	wantError(t, e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"emails": []string{"x@"}}), http.StatusBadRequest, "parameter_invalid", "emails")
	wantError(t, e.admin(http.MethodPut, "/captive/notification-groups/"+id, map[string]any{"extra": 1}), http.StatusBadRequest, "unknown_parameter", "extra")
	if again := e.admin(http.MethodGet, "/captive/notification-groups/"+id, nil).object(t); again["name"] != "Front office" || len(again["emails"].([]any)) != 1 {
		t.Fatalf("failed updates changed the group: %v", again)
	}
	for _, bad := range []string{"not-a-group", "01900000-0000-7000-8000-000000000000", "ng_0190c0de00007000800000000000abcd", "ng_xyz"} {
		wantError(t, e.admin(http.MethodGet, "/captive/notification-groups/"+bad, nil), http.StatusNotFound, "resource_missing", "")
	}
}

func TestNotificationGroupRoles(t *testing.T) {
	e := newEnv(t, "")
	body := map[string]any{"name": "Front office", "emails": []string{"desk@example.com"}}
	id := ngCreate(t, e, body)["id"].(string)
	path := "/captive/notification-groups/" + id
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/captive/notification-groups"},
		{http.MethodPost, "/captive/notification-groups"},
		{http.MethodGet, path},
		{http.MethodPut, path},
		{http.MethodDelete, path},
	} {
		var b any
		if c.method == http.MethodPost || c.method == http.MethodPut {
			b = body
		}
		wantError(t, e.as(app.RoleFrontdesk, c.method, c.path, b), http.StatusForbidden, "permission_denied", "")
	}
	wantError(t, e.call(http.MethodGet, "/captive/notification-groups", "", nil), http.StatusUnauthorized, "authentication_required", "")
	wantStatus(t, e.as(app.RoleOperator, http.MethodGet, path, nil), http.StatusOK)
	wantStatus(t, e.as(app.RoleOperator, http.MethodPut, path, map[string]any{"name": "Desk"}), http.StatusOK)
	wantStatus(t, e.as(app.RoleOperator, http.MethodDelete, path, nil), http.StatusNoContent)
}

func TestNotificationGroupInUse(t *testing.T) {
	e := newEnv(t, "")
	groupID := ngCreate(t, e, map[string]any{"name": "Front office", "emails": []string{"desk@example.com"}})["id"].(string)
	r := e.admin(http.MethodPost, "/captive/instances", map[string]any{"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600})
	wantStatus(t, r, http.StatusCreated)
	schedules := "/captive/instances/" + r.object(t)["id"].(string) + "/coupon-schedules"
	r = e.admin(http.MethodPost, schedules, map[string]any{"name": "Daily passes", "count": 5, "recurrence_type": "daily",
		"valid_for_in_minutes": 480, "timezone": "Europe/Berlin", "notification_group_id": groupID})
	wantStatus(t, r, http.StatusCreated)
	scheduleID := r.object(t)["id"].(string)

	r = e.admin(http.MethodDelete, "/captive/notification-groups/"+groupID, nil)
	wantError(t, r, http.StatusConflict, "resource_conflict", "")
	if !strings.Contains(string(r.body), "Daily passes") {
		t.Errorf("conflict %s does not name the schedule", r.body)
	}
	wantStatus(t, e.admin(http.MethodGet, "/captive/notification-groups/"+groupID, nil), http.StatusOK)

	wantStatus(t, e.admin(http.MethodPut, schedules+"/"+scheduleID, map[string]any{"notification_group_id": nil}), http.StatusOK)
	wantStatus(t, e.admin(http.MethodDelete, "/captive/notification-groups/"+groupID, nil), http.StatusNoContent)
}
