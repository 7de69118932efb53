// Package scheduler runs gatehouse's timed and background work: the coupon
// schedules (driven by robfig/cron with each schedule's own DST-aware slot
// calculation from package app), the hourly purges (ended coupons, old
// audit events), the router reconcile loops (Reconciler: one worker per
// site that keeps its router in step with the database), scheduled
// backups, and the metrics those produce.
//
// It is an adapter like db and web: it imports app only and declares the
// store methods it needs as a small interface; package main passes the
// concrete store. A schedule run is one synchronous function, RunSlot,
// called by cron and by "run now" alike; the store makes each (schedule,
// slot) generate at most once, even across processes and restarts.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"gatehouse/app"
)

// Store is the part of the database the scheduler calls, cut from
// app.ScheduleStore, app.CouponStore, app.ReportStore and app.GuestStore,
// where the contracts are written; PurgeAudit is not in app.AuditStore yet
// (an exception listed in docs/design.md, "Where interfaces live").
// Package db implements it.
type Store interface {
	AllSchedules(ctx context.Context) ([]app.Schedule, error)
	RunSchedule(ctx context.Context, scheduleID, slotKey string) (app.ScheduleRun, []app.Coupon, bool, error)
	PurgeCoupons(ctx context.Context, endedBefore time.Time) (int, error)
	PurgeAudit(ctx context.Context, before time.Time) (int, error)
	PurgeOnlineSamples(ctx context.Context, before time.Time) (int, error)
	AnonymizeGuests(ctx context.Context, before, attemptsBefore time.Time) (int, error)
}

// Notifier is told when a run queued notifications, so it sends them now
// rather than at its next poll. It must not block.
type Notifier interface {
	Kick()
}

// Config tunes the scheduler.
type Config struct {
	// Retention is how long ended coupons are kept before the purge.
	Retention time.Duration
	// AuditRetention is how long audit events are kept before the purge;
	// 0 keeps them for ever.
	AuditRetention time.Duration
	// GuestRetention is how long guests' MAC and IP addresses and
	// identities are kept before the purge anonymizes them; 0 means
	// app.DefaultGuestRetention.
	GuestRetention time.Duration
	// PurgeEvery is how often the purge runs; default one hour.
	PurgeEvery time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Metrics counts schedule runs and failures; nil counts nothing.
	Metrics *Metrics
}

// Scheduler runs coupon schedules and the purge. Start it, and
// Close it to stop; it is safe for concurrent use.
type Scheduler struct {
	store    Store
	notifier Notifier
	cfg      Config
	logger   *slog.Logger
	cron     *cron.Cron

	ctx    context.Context // cancelled by Close: ends runs in flight
	cancel context.CancelFunc

	mu        sync.Mutex
	entries   map[string]cron.EntryID // schedule id → cron entry
	manualSeq atomic.Int64            // tells apart "run now" calls in the same instant
}

// New returns a scheduler over store; notifier may be nil.
func New(store Store, notifier Notifier, cfg Config, logger *slog.Logger) *Scheduler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PurgeEvery <= 0 {
		cfg.PurgeEvery = time.Hour
	}
	logger = logger.With("component", "scheduler")
	cronLog := cronLogger{logger}
	ctx, cancel := context.WithCancel(context.Background())
	return &Scheduler{
		store:    store,
		notifier: notifier,
		cfg:      cfg,
		logger:   logger,
		cron:     cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cronLog), cron.WithChain(cron.Recover(cronLog))),
		ctx:      ctx,
		cancel:   cancel,
		entries:  map[string]cron.EntryID{},
	}
}

// Start loads every schedule, runs the most recent missed slot of each
// where that is still useful (see CatchUp), and starts the timers.
func (s *Scheduler) Start(ctx context.Context) error {
	list, err := s.store.AllSchedules(ctx)
	if err != nil {
		return fmt.Errorf("load schedules: %w", err)
	}
	for _, sch := range list {
		s.add(sch)
	}
	s.CatchUp(ctx, list)
	s.cron.Schedule(cron.Every(s.cfg.PurgeEvery), cron.FuncJob(s.purge))
	s.cron.Start()
	s.logger.Info("scheduler started", "schedules", len(list))
	return nil
}

// Close stops the timers and waits for runs in flight, or until ctx ends.
func (s *Scheduler) Close(ctx context.Context) error {
	done := s.cron.Stop().Done()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel() // abandon: the run's transaction rolls back
		return errors.New("scheduler: runs still in flight at shutdown")
	}
}

// ScheduleChanged reloads one schedule after it was created, edited or
// deleted, so that the change takes effect at once.
func (s *Scheduler) ScheduleChanged(scheduleID string) {
	list, err := s.store.AllSchedules(s.ctx)
	if err != nil {
		s.logger.Error("reload schedules", "err", err)
		return
	}
	s.remove(scheduleID)
	for _, sch := range list {
		if sch.ID == scheduleID {
			s.add(sch)
		}
	}
}

// RunNow generates one batch of the schedule immediately, outside its
// timetable, and returns the coupons.
func (s *Scheduler) RunNow(ctx context.Context, scheduleID string) ([]app.Coupon, error) {
	key := fmt.Sprintf("%s%s#%d", app.ManualSlotPrefix, s.cfg.Now().UTC().Format(time.RFC3339Nano), s.manualSeq.Add(1))
	_, coupons, _, err := s.RunSlot(ctx, scheduleID, key)
	return coupons, err
}

// RunSlot is the one function that generates a schedule's batch, for cron
// and "run now" alike. created is false when the slot had already run.
func (s *Scheduler) RunSlot(ctx context.Context, scheduleID, slotKey string) (app.ScheduleRun, []app.Coupon, bool, error) {
	run, coupons, created, err := s.store.RunSchedule(ctx, scheduleID, slotKey)
	s.cfg.Metrics.scheduleRan(created, err)
	if err != nil {
		return run, nil, false, fmt.Errorf("run schedule %s slot %s: %w", scheduleID, slotKey, err)
	}
	if created {
		s.logger.Info("schedule ran", "schedule", scheduleID, "slot", slotKey, "coupons", len(coupons))
		if s.notifier != nil {
			s.notifier.Kick()
		}
	}
	return run, coupons, created, nil
}
