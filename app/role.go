package app

// Role is what an API token or admin account is allowed to do.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin     Role = "admin"     // everything
	RoleOperator  Role = "operator"  // everything but tokens and site changes
	RoleFrontdesk Role = "frontdesk" // coupons, schedule links, guests online
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
	ActReadSchedules      Action = "schedules.read"
	ActManageSchedules    Action = "schedules.manage"
	ActListSiteUsers      Action = "site_users.list"
	ActDisconnectUsers    Action = "site_users.disconnect"
	ActReadAudit          Action = "audit.read"
)

// frontdeskActions is all a front-desk clerk may do: hand out coupons and
// see who is online.
var frontdeskActions = map[Action]bool{
	ActListCoupons:   true,
	ActCreateCoupons: true,
	ActReadSchedules: true,
	ActListSiteUsers: true,
}

// operatorDenied is what an operator may not do: manage tokens or change the
// set of routers (sites hold router credentials).
var operatorDenied = map[Action]bool{
	ActManageTokens: true,
	ActManageSites:  true,
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
