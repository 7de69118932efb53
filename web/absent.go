package web

import (
	"context"

	"gatehouse/app"
)

// errNoRouters and errNoScheduler answer for parts left out of a Server
// (tests that need no router or scheduler): the feature is unavailable,
// the server does not crash.
var (
	errNoRouters   = &app.Error{Code: app.EUnavailable, Reason: "router_unavailable", Message: "no router reconciler runs in this server"}
	errNoScheduler = &app.Error{Code: app.EUnavailable, Message: "no scheduler runs in this server"}
)

// noRouters stands in for a missing RouterControl.
type noRouters struct{}

func (noRouters) Sync(context.Context, string) (app.SyncResult, error) {
	return app.SyncResult{}, errNoRouters
}

func (noRouters) Disconnect(context.Context, string, string) (app.SiteUser, error) {
	return app.SiteUser{}, errNoRouters
}

func (noRouters) LoginGuest(context.Context, string, string, string, string, string) error {
	return errNoRouters
}

func (noRouters) Kick()         {}
func (noRouters) SitesChanged() {}

// noScheduler stands in for a missing ScheduleRunner.
type noScheduler struct{}

func (noScheduler) RunNow(context.Context, string) ([]app.Coupon, error) { return nil, errNoScheduler }
func (noScheduler) ScheduleChanged(string)                               {}

func (noRouters) HostMAC(context.Context, string, string) (string, error) {
	return "", errNoRouters
}

func (noRouters) EndGuestSession(context.Context, string, string, string) error { return errNoRouters }

func (noRouters) HotspotServers(context.Context, string) ([]app.HotspotServer, error) {
	return nil, errNoRouters
}

func (noRouters) RouterFile(context.Context, string, string) (app.RouterFile, error) {
	return app.RouterFile{}, errNoRouters
}

func (noRouters) FetchFile(context.Context, string, string, string) (app.RouterFile, error) {
	return app.RouterFile{}, errNoRouters
}

func (noRouters) AddLoginMethod(context.Context, string, string, string) error { return errNoRouters }

func (noRouters) TestLogin(context.Context, string, string) (app.TestLogin, error) {
	return app.TestLogin{}, errNoRouters
}

func (noRouters) LastTestLogin(string) (app.TestLogin, bool) { return app.TestLogin{}, false }
