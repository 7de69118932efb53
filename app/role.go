package app

// Role is what an API token or admin account is allowed to do.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin     Role = "admin"     // everything
	RoleOperator  Role = "operator"  // everything but tokens and site changes
	RoleFrontdesk Role = "frontdesk" // coupons and their desk tasks, schedule links, plans (read), own shifts, guests online
)

// Roles lists every valid role.
var Roles = []Role{RoleAdmin, RoleOperator, RoleFrontdesk}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Action is something a caller of the admin API wants to do.
type Action string

// The actions the admin API checks. Reads and writes are separate so a role
// can be allowed to look without being allowed to change.
const (
	ActManageTokens       Action = "tokens.manage"
	ActReadSites          Action = "sites.read"
	ActManageSites        Action = "sites.manage"
	ActSyncSites          Action = "sites.sync"
	ActReadInstances      Action = "instances.read"
	ActManageInstances    Action = "instances.manage"
	ActReadIntegrations   Action = "integrations.read"
	ActManageIntegrations Action = "integrations.manage"
	ActReadWalledGarden   Action = "walled_garden.read"
	ActManageWalledGarden Action = "walled_garden.manage"
	ActListCoupons        Action = "coupons.list"
	ActCreateCoupons      Action = "coupons.create"
	ActRevokeCoupons      Action = "coupons.revoke"
	ActUpdateCoupons      Action = "coupons.update" // note, extend, free for a new device
	ActReadSchedules      Action = "schedules.read"
	ActManageSchedules    Action = "schedules.manage"
	ActListSiteUsers      Action = "site_users.list"
	ActDisconnectUsers    Action = "site_users.disconnect"
	ActReadAudit          Action = "audit.read"
	ActReadDashboard      Action = "dashboard.read"
	ActReadPlans          Action = "plans.read"
	ActManagePlans        Action = "plans.manage"
	// ActUseShifts is a clerk's own shift: open, read, close. Seeing
	// everyone's shifts is ActReadShifts.
	ActUseShifts   Action = "shifts.use"
	ActReadShifts  Action = "shifts.read"
	ActReadLedger  Action = "ledger.read"
	ActReadReports Action = "reports.read"
	// ActManageGuests is guests' personal data: consent receipts, access
	// and erasure requests.
	ActManageGuests Action = "guests.manage"
	// ActSession is what every signed-in caller may do: see who they are
	// and sign out.
	ActSession Action = "session"
)

// Actions lists every action, in the order a user interface shows them.
var Actions = []Action{
	ActSession, ActReadDashboard, ActReadSites, ActManageSites, ActSyncSites,
	ActReadInstances, ActManageInstances, ActReadIntegrations, ActManageIntegrations,
	ActReadWalledGarden, ActManageWalledGarden, ActListCoupons, ActCreateCoupons, ActRevokeCoupons, ActUpdateCoupons,
	ActReadSchedules, ActManageSchedules, ActReadPlans, ActManagePlans, ActUseShifts, ActReadShifts, ActReadLedger,
	ActReadReports, ActListSiteUsers, ActDisconnectUsers, ActManageGuests, ActReadAudit, ActManageTokens,
}

// frontdeskActions is all a front-desk clerk may do: hand out coupons and
// look after them (note, extend, revoke, free for a new device), see the
// plans they sell, run their own shift, see who is online and disconnect
// a guest.
var frontdeskActions = map[Action]bool{
	ActSession:         true,
	ActListCoupons:     true,
	ActCreateCoupons:   true,
	ActRevokeCoupons:   true,
	ActUpdateCoupons:   true,
	ActReadSchedules:   true,
	ActReadPlans:       true,
	ActUseShifts:       true,
	ActListSiteUsers:   true,
	ActDisconnectUsers: true,
}

// operatorDenied is what an operator may not do: manage tokens or change the
// set of routers (sites hold router credentials).
var operatorDenied = map[Action]bool{
	ActManageTokens: true,
	ActManageSites:  true,
}

// Allowed lists the actions role r may perform, in the order of Actions.
func (r Role) Allowed() []Action {
	var out []Action
	for _, a := range Actions {
		if r.Can(a) {
			out = append(out, a)
		}
	}
	return out
}

// Can reports whether role r may perform a.
func (r Role) Can(a Action) bool {
	switch r {
	case RoleAdmin:
		return true
	case RoleOperator:
		return !operatorDenied[a]
	case RoleFrontdesk:
		return frontdeskActions[a]
	}
	return false
}
