// Package app is the domain of gatehouse: the things an operator and a
// guest deal with (sites and what a router should hold, portal instances
// and their themes, coupons and their schedules, guests and their
// sessions, sign-in with identity providers, accounts, tokens and roles,
// the audit log), the rules that hold whatever the storage or transport
// (validation, coupon lifecycle, schedule slots, signed links, which
// walled-garden hosts are never let through), and the one error vocabulary
// every other package speaks (error.go).
//
// It sits at the centre of the architecture and does no I/O. The adapters
// around it — db (SQLite), routeros (MikroTik routers), scheduler (cron and
// reconcile loops) and web (HTTP) — import app and never each other; package
// main wires them together. Services are declared here as interfaces and
// implemented by the adapters (db implements the stores), so the HTTP layer
// depends on behaviour, not on SQL.
package app
