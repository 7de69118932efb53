package scheduler

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"gatehouse/app"
)

// slotSchedule adapts an app.Schedule to cron.Schedule, so robfig/cron
// drives the timer while app decides when slots are (DST gaps and folds,
// short months).
type slotSchedule struct {
	s      app.Schedule
	logger *slog.Logger
}

// Next implements cron.Schedule. A zero time tells cron never to run.
func (ss slotSchedule) Next(t time.Time) time.Time {
	at, _, err := ss.s.NextSlot(t)
	if err != nil {
		ss.logger.Error("schedule has no next slot", "schedule", ss.s.ID, "err", err)
		return time.Time{}
	}
	return at
}

// add registers a schedule with cron. Its job runs the slot that is due
// when the timer fires; a run still going when the next slot comes makes
// cron skip that firing rather than overlap.
func (s *Scheduler) add(sch app.Schedule) {
	job := cron.FuncJob(func() {
		_, key, err := sch.PrevSlot(s.cfg.Now())
		if err != nil {
			s.logger.Error("find due slot", "schedule", sch.ID, "err", err)
			return
		}
		if _, _, _, err := s.RunSlot(s.ctx, sch.ID, key); err != nil {
			s.logger.Error("scheduled run failed", "schedule", sch.ID, "err", err)
		}
	})
	wrapped := cron.NewChain(cron.SkipIfStillRunning(cronLogger{s.logger})).Then(job)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.entries[sch.ID]; ok {
		s.cron.Remove(old)
	}
	s.entries[sch.ID] = s.cron.Schedule(slotSchedule{sch, s.logger}, wrapped)
}

// remove unregisters a schedule.
func (s *Scheduler) remove(scheduleID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.entries[scheduleID]; ok {
		s.cron.Remove(id)
		delete(s.entries, scheduleID)
	}
}

// NextRun returns when a loaded schedule runs next, or the zero time.
func (s *Scheduler) NextRun(scheduleID string) time.Time {
	s.mu.Lock()
	id, ok := s.entries[scheduleID]
	s.mu.Unlock()
	if !ok {
		return time.Time{}
	}
	return s.cron.Entry(id).Next
}

// CatchUp runs, for each schedule, the most recent slot at or before now
// if it has not run, came after the schedule was created, and its coupons
// would still be valid now. Older missed slots are skipped and counted in
// the log: printing a week of vouchers after an outage helps nobody.
func (s *Scheduler) CatchUp(ctx context.Context, list []app.Schedule) {
	now := s.cfg.Now()
	for _, sch := range list {
		at, key, err := sch.PrevSlot(now)
		if err != nil || at.Before(sch.CreatedAt) {
			continue
		}
		if sch.LastRun != nil && sch.LastRun.SlotKey == key {
			continue
		}
		if skipped := s.missedBefore(sch, at); skipped > 0 {
			s.logger.Warn("skipped missed schedule slots", "schedule", sch.ID, "slots", skipped)
		}
		if !now.Before(at.Add(time.Duration(sch.ValidForMinutes) * time.Minute)) {
			s.logger.Warn("skipped missed schedule slot: its coupons would already have expired", "schedule", sch.ID, "slot", key)
			continue
		}
		if _, _, created, err := s.RunSlot(ctx, sch.ID, key); err != nil {
			s.logger.Error("catch-up run failed", "schedule", sch.ID, "err", err)
		} else if created {
			s.logger.Info("ran missed schedule slot", "schedule", sch.ID, "slot", key)
		}
	}
}

// missedBefore counts the slots between the schedule's last run (or its
// creation) and the slot at, not counting either; at most 1000.
func (s *Scheduler) missedBefore(sch app.Schedule, at time.Time) int {
	from := sch.CreatedAt
	if sch.LastRun != nil && sch.LastRun.RanAt.After(from) {
		from = sch.LastRun.RanAt
	}
	n := 0
	for t := from; n < 1000; n++ {
		next, _, err := sch.NextSlot(t)
		if err != nil || !next.Before(at) {
			return n
		}
		t = next
	}
	return n
}

// purge deletes coupons that ended longer ago than the retention, audit
// events older than the audit retention, and guests-online samples older
// than app.OnlineRetention; it anonymizes guests' data older than the
// guest retention.
func (s *Scheduler) purge() {
	now := s.cfg.Now()
	if s.cfg.Retention > 0 {
		n, err := s.store.PurgeCoupons(s.ctx, now.Add(-s.cfg.Retention))
		switch {
		case err != nil:
			s.logger.Error("purge coupons", "err", err)
		case n > 0:
			s.logger.Info("purged ended coupons", "count", n, "retention", s.cfg.Retention)
		}
	}
	if s.cfg.AuditRetention > 0 {
		n, err := s.store.PurgeAudit(s.ctx, now.Add(-s.cfg.AuditRetention))
		switch {
		case err != nil:
			s.logger.Error("purge audit events", "err", err)
		case n > 0:
			s.logger.Info("purged old audit events", "count", n, "retention", s.cfg.AuditRetention)
		}
	}
	if _, err := s.store.PurgeOnlineSamples(s.ctx, now.Add(-app.OnlineRetention)); err != nil {
		s.logger.Error("purge guests-online samples", "err", err)
	}
	keep := cmp.Or(s.cfg.GuestRetention, app.DefaultGuestRetention)
	n, err := s.store.AnonymizeGuests(s.ctx, now.Add(-keep), now.Add(-min(keep, app.OAuthAttemptRetention)))
	switch {
	case err != nil:
		s.logger.Error("anonymize guests' data", "err", err)
	case n > 0:
		s.logger.Info("anonymized guests' data past retention", "rows", n, "retention", keep)
	}
}

// cronLogger adapts slog to robfig/cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
