package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// route is one endpoint. An empty action marks a public route; any other
// needs a bearer token whose role may perform the action.
type route struct {
	method    string
	path      string
	action    app.Action
	handle    httprouter.Handle
	bodyLimit int64
}

// routes lists every endpoint gatehouse serves. It is the one place to
// look for what exists and who may call it; web/openapi.yaml documents the
// same list and a test keeps the two in step.
func (s *Server) routes() []route {
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	)
	return []route{
		{method: get, path: "/healthz", handle: s.healthz},
		{method: get, path: "/livez", handle: s.livez},
		{method: get, path: "/readyz", handle: s.readyz},
		{method: get, path: "/metrics", handle: s.metrics},
		{method: get, path: "/openapi.yaml", handle: s.openAPI},

		{method: get, path: "/", handle: s.adminPage},
		{method: get, path: "/ui/*filepath", handle: s.adminAsset},
		{method: post, path: "/auth/login", handle: s.login, bodyLimit: loginBodyLimit},
		{method: post, path: "/auth/logout", action: app.ActSession, handle: s.logout},
		{method: get, path: "/auth/me", action: app.ActSession, handle: s.me},
		{method: put, path: "/auth/me", action: app.ActSession, handle: s.setMe},
		{method: get, path: "/captive/dashboard", action: app.ActReadDashboard, handle: s.dashboard},

		{method: get, path: "/captive/instances", action: app.ActReadInstances, handle: s.listInstances},
		{method: post, path: "/captive/instances", action: app.ActManageInstances, handle: s.createInstance},
		{method: get, path: "/captive/instances/:instanceId", action: app.ActReadInstances, handle: s.getInstance},
		{method: put, path: "/captive/instances/:instanceId", action: app.ActManageInstances, handle: s.updateInstance},
		{method: del, path: "/captive/instances/:instanceId", action: app.ActManageInstances, handle: s.deleteInstance},

		{method: get, path: "/captive/instances/:instanceId/coupons", action: app.ActListCoupons, handle: s.listCoupons},
		{method: post, path: "/captive/instances/:instanceId/coupons", action: app.ActCreateCoupons, handle: s.createCoupons},
		{method: del, path: "/captive/instances/:instanceId/coupons/:couponId", action: app.ActRevokeCoupons, handle: s.revokeCoupon},
		{method: put, path: "/captive/instances/:instanceId/coupons/:couponId", action: app.ActUpdateCoupons, handle: s.updateCoupon},
		{method: post, path: "/captive/instances/:instanceId/coupon-actions/:couponId/extend", action: app.ActUpdateCoupons, handle: s.extendCoupon},
		{method: post, path: "/captive/instances/:instanceId/coupon-actions/:couponId/release", action: app.ActUpdateCoupons, handle: s.releaseCoupon},
		{method: post, path: "/captive/instances/:instanceId/coupons/cards", action: app.ActListCoupons, handle: s.couponCards},
		{method: get, path: "/captive/coupons", handle: s.signedCoupons},

		{method: get, path: "/captive/instances/:instanceId/coupon-schedules", action: app.ActReadSchedules, handle: s.listSchedules},
		{method: post, path: "/captive/instances/:instanceId/coupon-schedules", action: app.ActManageSchedules, handle: s.createSchedule},
		{method: get, path: "/captive/instances/:instanceId/coupon-schedules/:scheduleId", action: app.ActReadSchedules, handle: s.getSchedule},
		{method: put, path: "/captive/instances/:instanceId/coupon-schedules/:scheduleId", action: app.ActManageSchedules, handle: s.updateSchedule},
		{method: del, path: "/captive/instances/:instanceId/coupon-schedules/:scheduleId", action: app.ActManageSchedules, handle: s.deleteSchedule},
		{method: post, path: "/captive/instances/:instanceId/coupon-schedules/:scheduleId/run", action: app.ActManageSchedules, handle: s.runSchedule},
		{method: get, path: "/captive/instances/:instanceId/coupon-schedules/:scheduleId/generate_url", action: app.ActReadSchedules, handle: s.generateScheduleURL},
		{method: get, path: "/captive/instances/:instanceId/coupon-schedules/:scheduleId/runs", action: app.ActReadSchedules, handle: s.listScheduleRuns},

		{method: get, path: "/captive/plans", action: app.ActReadPlans, handle: s.listPlans},
		{method: post, path: "/captive/plans", action: app.ActManagePlans, handle: s.createPlan},
		{method: get, path: "/captive/plans/:planId", action: app.ActReadPlans, handle: s.getPlan},
		{method: put, path: "/captive/plans/:planId", action: app.ActManagePlans, handle: s.updatePlan},
		{method: del, path: "/captive/plans/:planId", action: app.ActManagePlans, handle: s.deletePlan},

		{method: get, path: "/captive/ledger", action: app.ActReadLedger, handle: s.listLedger},
		{method: get, path: "/captive/ledger/verify", action: app.ActReadLedger, handle: s.verifyLedger},
		{method: get, path: "/captive/shifts", action: app.ActUseShifts, handle: s.listShifts},
		{method: post, path: "/captive/shifts", action: app.ActUseShifts, handle: s.openShift},
		{method: get, path: "/captive/shifts/:shiftId", action: app.ActUseShifts, handle: s.getShift},
		{method: post, path: "/captive/shifts/:shiftId/close", action: app.ActUseShifts, handle: s.closeShift},
		{method: get, path: "/captive/reports/sales", action: app.ActReadReports, handle: s.salesReport},
		{method: get, path: "/captive/reports/usage", action: app.ActReadReports, handle: s.usageReport},
		{method: get, path: "/captive/reports/online", action: app.ActReadReports, handle: s.onlineReport},
		{method: get, path: "/captive/instances/:instanceId/consents", action: app.ActManageGuests, handle: s.listConsents},
		{method: get, path: "/captive/terms-versions/:hash", action: app.ActManageGuests, handle: s.getTermsVersion},
		{method: get, path: "/captive/guests", action: app.ActManageGuests, handle: s.findGuest},
		{method: del, path: "/captive/guests", action: app.ActManageGuests, handle: s.eraseGuest},

		{method: post, path: "/captive/instances/:instanceId/images/:type", action: app.ActManageInstances, handle: s.uploadImage, bodyLimit: maxImageBody},
		{method: get, path: "/captive/instances/:instanceId/hotspot/login.html", action: app.ActReadInstances, handle: s.hotspotLoginHTML},

		{method: get, path: "/captive/auth-integrations", action: app.ActReadIntegrations, handle: s.listAuthIntegrations},
		{method: post, path: "/captive/auth-integrations", action: app.ActManageIntegrations, handle: s.createAuthIntegration},
		{method: get, path: "/captive/auth-integrations/:authIntegrationId", action: app.ActReadIntegrations, handle: s.getAuthIntegration},
		{method: put, path: "/captive/auth-integrations/:authIntegrationId", action: app.ActManageIntegrations, handle: s.updateAuthIntegration},
		{method: del, path: "/captive/auth-integrations/:authIntegrationId", action: app.ActManageIntegrations, handle: s.deleteAuthIntegration},

		{method: get, path: "/captive/sites", action: app.ActReadSites, handle: s.listSites},
		{method: post, path: "/captive/sites", action: app.ActManageSites, handle: s.createSite},
		{method: get, path: "/captive/sites/:siteId", action: app.ActReadSites, handle: s.getSite},
		{method: put, path: "/captive/sites/:siteId", action: app.ActManageSites, handle: s.updateSite},
		{method: del, path: "/captive/sites/:siteId", action: app.ActManageSites, handle: s.deleteSite},

		{method: post, path: "/captive/sites/:siteId/sync", action: app.ActSyncSites, handle: s.syncSite},
		{method: get, path: "/captive/sites/:siteId/users", action: app.ActListSiteUsers, handle: s.listSiteUsers},
		{method: del, path: "/captive/sites/:siteId/users/:userId", action: app.ActDisconnectUsers, handle: s.disconnectSiteUser},
		{method: get, path: "/captive/sites/:siteId/setup", action: app.ActSyncSites, handle: s.siteSetup},
		{method: post, path: "/captive/sites/:siteId/setup/test-login", action: app.ActSyncSites, handle: s.testLogin},
		{method: get, path: "/captive/sites/:siteId/hotspot-servers", action: app.ActSyncSites, handle: s.listHotspotServers},
		{method: post, path: "/captive/sites/:siteId/install-login-page", action: app.ActSyncSites, handle: s.installLoginPage},
		{method: post, path: "/captive/sites/:siteId/enable-pap", action: app.ActSyncSites, handle: s.enablePAP},

		{method: get, path: "/captive/walled-garden/:siteId", action: app.ActReadWalledGarden, handle: s.listWalledGarden},
		{method: post, path: "/captive/walled-garden/:siteId", action: app.ActManageWalledGarden, handle: s.createWalledGardenEntry},
		{method: get, path: "/captive/walled-garden/:siteId/:walledGardenEntryId", action: app.ActReadWalledGarden, handle: s.getWalledGardenEntry},
		{method: put, path: "/captive/walled-garden/:siteId/:walledGardenEntryId", action: app.ActManageWalledGarden, handle: s.updateWalledGardenEntry},
		{method: del, path: "/captive/walled-garden/:siteId/:walledGardenEntryId", action: app.ActManageWalledGarden, handle: s.deleteWalledGardenEntry},

		{method: get, path: "/captive/notification-groups", action: app.ActManageSchedules, handle: s.listNotificationGroups},
		{method: post, path: "/captive/notification-groups", action: app.ActManageSchedules, handle: s.createNotificationGroup},
		{method: get, path: "/captive/notification-groups/:notificationGroupId", action: app.ActManageSchedules, handle: s.getNotificationGroup},
		{method: put, path: "/captive/notification-groups/:notificationGroupId", action: app.ActManageSchedules, handle: s.updateNotificationGroup},
		{method: del, path: "/captive/notification-groups/:notificationGroupId", action: app.ActManageSchedules, handle: s.deleteNotificationGroup},

		{method: get, path: "/portal/:instanceId", handle: s.portalPage},
		{method: post, path: "/portal/:instanceId/login", handle: s.portalLogin},
		{method: get, path: "/portal/:instanceId/preview", handle: s.portalPreview},
		{method: get, path: "/portal/:instanceId/login.html", handle: s.routerLoginHTML},
		{method: get, path: "/portal/:instanceId/images/:type", handle: s.portalImage},
		{method: get, path: "/portal/:instanceId/oauth/start", handle: s.oauthStart},
		{method: get, path: "/oauth2/callback", handle: s.oauthCallback},
		{method: get, path: "/oauth2/test/:authIntegrationId", handle: s.oauthTest},
		{method: get, path: "/oauth2/device", handle: s.deviceEntry},
		{method: post, path: "/oauth2/device", handle: s.deviceConfirm},
		{method: get, path: "/oauth2/device/wait", handle: s.deviceWait},
		{method: get, path: "/oauth2/device/status", handle: s.deviceStatus},

		{method: get, path: "/captive/audit-events", action: app.ActReadAudit, handle: s.listAuditEvents},

		{method: get, path: "/captive/tokens", action: app.ActManageTokens, handle: s.listTokens},
		{method: post, path: "/captive/tokens", action: app.ActManageTokens, handle: s.createToken},
		{method: del, path: "/captive/tokens/:tokenId", action: app.ActManageTokens, handle: s.revokeToken},
	}
}
