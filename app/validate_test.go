package app

import "testing"

func TestIsDNSName(t *testing.T) {
	cases := []struct {
		in       string
		wildcard bool
		want     bool
	}{
		{"accounts.google.com", false, true},
		{"localhost", false, true},
		{"router-1.lan.", false, true},
		{"*.example.com", true, true},
		{"*.example.com", false, false},
		{"a.*.com", true, false},
		{"-bad.example.com", false, false},
		{"bad-.example.com", false, false},
		{"exa mple.com", false, false},
		{"1.2.3.4", false, false},
		{"1.2.3.999", false, false},
		{"", false, false},
		{"a..b", false, false},
	}
	for _, tc := range cases {
		if got := IsDNSName(tc.in, tc.wildcard); got != tc.want {
			t.Errorf("IsDNSName(%q, %v) = %v, want %v", tc.in, tc.wildcard, got, tc.want)
		}
	}
}

func TestIsColorAndLocale(t *testing.T) {
	for in, want := range map[string]bool{"#fff": true, "#0396D5": true, "#ffff": false, "fff": false, "#ggg": false, "": false} {
		if got := IsColor(in); got != want {
			t.Errorf("IsColor(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]bool{"en": true, "pt-BR": true, "zh-Hant-TW": true, "e": false, "en_US": false, "english please": false} {
		if got := IsLocale(in); got != want {
			t.Errorf("IsLocale(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRoles(t *testing.T) {
	cases := []struct {
		role Role
		act  Action
		want bool
	}{
		{RoleAdmin, ActManageTokens, true},
		{RoleOperator, ActManageTokens, false},
		{RoleOperator, ActManageSites, false},
		{RoleOperator, ActReadSites, true},
		{RoleOperator, ActManageInstances, true},
		{RoleFrontdesk, ActCreateCoupons, true},
		{RoleFrontdesk, ActListCoupons, true},
		{RoleFrontdesk, ActReadSchedules, true},
		{RoleFrontdesk, ActListSiteUsers, true},
		{RoleFrontdesk, ActManageSchedules, false},
		{RoleFrontdesk, ActReadInstances, false},
		{RoleFrontdesk, ActDisconnectUsers, true},
		{RoleFrontdesk, ActRevokeCoupons, true},
		{RoleFrontdesk, ActUpdateCoupons, true},
		{RoleFrontdesk, ActReadDashboard, false},
		{RoleFrontdesk, ActSyncSites, false},
		{RoleFrontdesk, ActReadSites, false},
		{RoleFrontdesk, ActReadAudit, false},
		{RoleOperator, ActUpdateCoupons, true},
		{RoleAdmin, ActManagePlans, true},
		{RoleOperator, ActManagePlans, true},
		{RoleOperator, ActReadPlans, true},
		{RoleFrontdesk, ActReadPlans, true},
		{RoleFrontdesk, ActManagePlans, false},
		{Role("root"), ActReadSites, false},
	}
	for _, tc := range cases {
		if got := tc.role.Can(tc.act); got != tc.want {
			t.Errorf("%s.Can(%s) = %v, want %v", tc.role, tc.act, got, tc.want)
		}
	}
}

func TestInstanceValidate(t *testing.T) {
	valid := func() Instance {
		in := NewInstance()
		in.Name, in.Strategy, in.SessionTTL = "Guest", StrategyCoupon, 3600
		return in
	}
	cases := []struct {
		name  string
		mut   func(*Instance)
		param string
	}{
		{"valid", func(*Instance) {}, ""},
		{"ttl at min", func(in *Instance) { in.SessionTTL = MinSessionTTL }, ""},
		{"ttl at max", func(in *Instance) { in.SessionTTL = MaxSessionTTL }, ""},
		{"ttl below", func(in *Instance) { in.SessionTTL = MinSessionTTL - 1 }, "session_ttl"},
		{"window above", func(in *Instance) { in.AuthWindowTTL = MaxAuthWindowTTL + 1 }, "auth_window_ttl"},
		{"oauth2 needs integration", func(in *Instance) { in.Strategy = StrategyOAuth2 }, "auth_integration_id"},
		{"bad subnet", func(in *Instance) { in.Sites = []InstanceSite{{ID: "x", Subnets: []string{"nope"}}} }, "sites[0].subnets[0]"},
		{"multi-line name", func(in *Instance) { in.Name = "a\nb" }, "name"},
	}
	for _, tc := range cases {
		in := valid()
		tc.mut(&in)
		in.Normalize()
		err := in.Validate()
		if tc.param == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Param != tc.param || e.Code != EInvalid {
			t.Errorf("%s: error = %v, want invalid %s", tc.name, err, tc.param)
		}
	}
}
