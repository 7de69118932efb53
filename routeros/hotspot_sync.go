package routeros

import (
	"context"
	"fmt"
	"strings"

	"gatehouse/app"
)

// Reconcile makes the items gatehouse owns on the router equal to want,
// in phases so that every reference exists when it is used: profiles,
// then users and walled garden, then the sessions of removed users, then
// profiles no longer wanted. Items gatehouse does not own (no gatehouse
// comment, or for profiles no gatehouse- name) and rows the router made
// itself are never changed. A refused command is reported in the result,
// never stops the rest, and is retried by the next pass; an unreachable
// router returns EUnavailable. Interrupted at any point and run again, it
// converges without duplicates. Items that someone else changed or
// removed since the last clean pass are reported as Drift (hotspot_drift.go).
func (r *Router) Reconcile(ctx context.Context, want app.RouterState) (app.SyncResult, error) {
	var res app.SyncResult
	rd, err := r.read(ctx, want, false)
	for _, why := range rd.refused {
		addError(&res, why)
	}
	if err != nil {
		return res, err
	}
	res.Usage = rd.usage
	refusals := len(res.Errors) // walled-garden rules never pushed: not the router's doing
	for _, d := range rd.diffs {
		res.Drift = append(res.Drift, d.drift...)
	}
	plans := rd.plans
	// Phase 1: profiles; phase 2: users and walled garden.
	if err := r.apply(ctx, &res, plans[0].changes(), &res.Added); err != nil {
		return res, err
	}
	var changes []commands
	var removes [][]string
	removedUsers := map[string]bool{}
	for _, p := range plans[1:] {
		changes = append(changes, p.changes())
		removes = append(removes, p.removes...)
		if p.t.menu == menuUser {
			for _, name := range p.names {
				removedUsers[name] = true
			}
		}
	}
	if err := r.apply(ctx, &res, concat(changes...), &res.Added); err != nil {
		return res, err
	}
	if err := r.apply(ctx, &res, words(removes), &res.Removed); err != nil {
		return res, err
	}
	// Phase 3: guests of removed users leave; phase 4: unused profiles go.
	if len(removedUsers) > 0 {
		if err := r.endSessions(ctx, removedUsers, ""); err != nil {
			return res, err
		}
	}
	if err := r.apply(ctx, &res, words(plans[0].removes), &res.Removed); err != nil {
		return res, err
	}
	if len(res.Errors) == refusals {
		r.memorize(rd.tables)
	} else {
		r.forget()
	}
	return res, nil
}

// reading is what a pass read from the router: per table (profiles
// first) its diff and the commands that would make it match, with the
// coupon users' traffic and the walled-garden rules refused.
type reading struct {
	tables  []*table
	diffs   []*diff
	plans   []plan
	usage   []app.CouponUsage
	refused []string
}

// read reads the router's rows of every table and diffs them with want,
// one row at a time; describe keeps the changes in words (a dry run).
func (r *Router) read(ctx context.Context, want app.RouterState, describe bool) (reading, error) {
	profiles, rest, refused := tables(want)
	rd := reading{tables: append([]*table{profiles}, rest...), refused: refused}
	reads := make([][]string, len(rd.tables))
	rd.diffs = make([]*diff, len(rd.tables))
	each := make([]func(map[string]string), len(rd.tables))
	var usage usageCount
	for i, t := range rd.tables {
		reads[i] = []string{t.menu + "/print", "=.proplist=" + t.proplist}
		d := t.newDiff()
		d.pushed, d.describe = r.memoryOf(t.menu), describe
		rd.diffs[i], each[i] = d, d.row
		if t.menu == menuUser {
			each[i] = func(row map[string]string) { d.row(row); usage.user(row) }
		}
	}
	got := r.c.runEach(ctx, reads, each)
	rd.plans = make([]plan, len(rd.tables))
	for i, t := range rd.tables {
		if got[i].Err != nil {
			return rd, errRead(t.menu, r.host, got[i].Err)
		}
		rd.plans[i] = rd.diffs[i].plan()
	}
	// Running sessions are read after the users' counters: a session that
	// ends in between is then missed once, never counted twice.
	active, err := r.c.Run(ctx, menuActive+"/print", "=.proplist=user,bytes-in,bytes-out")
	if err != nil {
		return rd, errRead(menuActive, r.host, err)
	}
	rd.usage = usage.total(active.Rows)
	return rd, nil
}

// applyChunk is how many commands apply makes and sends at a time: enough
// to keep every pipeline full, few enough that a big pass holds little.
const applyChunk = 512

// apply runs commands and counts them: adds in *count (or Updated for
// sets), removes in *count. Refused commands become result errors; an
// unreachable router ends the pass.
func (r *Router) apply(ctx context.Context, res *app.SyncResult, cmds commands, count *int) error {
	for start := 0; start < cmds.n; start += applyChunk {
		batch := make([][]string, min(applyChunk, cmds.n-start))
		for i := range batch {
			batch[i] = cmds.at(start + i)
		}
		for i, x := range r.c.RunAll(ctx, batch) {
			verb := batch[i][0][strings.LastIndexByte(batch[i][0], '/')+1:]
			switch {
			case x.Err == nil && verb == "set":
				res.Updated++
			case x.Err == nil:
				*count++
			case app.ErrorCode(x.Err) == app.EUnavailable:
				return fmt.Errorf("reconcile %s: %w", r.host, x.Err)
			case verb == "remove" && app.ErrorCode(x.Err) == app.ENotFound:
				// gone already: that is what was wanted
			default:
				addError(res, fmt.Sprintf("%s %s: %s", batch[i][0], itemName(batch[i]), refusal(batch[i], x.Err)))
			}
		}
	}
	return nil
}

// refusal words a command's !trap for an operator. An "unknown parameter"
// names the menu and the parameters that may be the one: RouterOS' API
// does not always say which (docs/routeros.md §4).
func refusal(words []string, err error) string {
	msg, ok := TrapMessage(err)
	if !ok {
		return err.Error()
	}
	if app.ErrorCode(err) == app.EConflict {
		return "an item that gatehouse does not own is in the way: " + msg
	}
	param, unknown := strings.CutPrefix(msg, "unknown parameter")
	if !unknown {
		return msg
	}
	menu := words[0][:strings.LastIndexByte(words[0], '/')]
	if param = strings.TrimSpace(param); param != "" {
		return fmt.Sprintf("%s (this router's %s has no property %q)", msg, menu, param)
	}
	var sent []string
	for _, w := range words[1:] {
		if name, _, ok := strings.Cut(strings.TrimPrefix(w, "="), "="); ok && name != ".id" {
			sent = append(sent, name)
		}
	}
	return fmt.Sprintf("%s (this router's %s lacks one of the properties sent: %s)", msg, menu, strings.Join(sent, ", "))
}

// addError records a refusal in the result, keeping the first
// maxSyncErrors.
func addError(res *app.SyncResult, msg string) {
	if len(res.Errors) < maxSyncErrors {
		res.Errors = append(res.Errors, msg)
	}
}

// itemName picks the most telling attribute of a command for messages.
func itemName(words []string) string {
	for _, key := range []string{"=name=", "=dst-address=", "=dst-host=", "=.id="} {
		for _, w := range words[1:] {
			if v, ok := strings.CutPrefix(w, key); ok {
				return v
			}
		}
	}
	return ""
}
