// Package app is the domain of gatehouse: the types an operator works with
// (sites, instances, auth integrations, walled garden entries, API tokens),
// their validation rules, the roles and what each may do, and the one error
// vocabulary every other package speaks.
//
// It sits at the centre of the architecture and does no I/O. The adapters
// around it — db (SQLite), routeros (MikroTik routers), scheduler (cron and
// reconcile loops) and web (HTTP) — import app and never each other; package
// main wires them together. Services are declared here as interfaces and
// implemented by the adapters (db implements the stores), so the HTTP layer
// depends on behaviour, not on SQL.
package app
