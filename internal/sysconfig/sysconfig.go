// Package sysconfig keeps the rows of system.configurations in memory and
// current. A Watcher loads the table once, then LISTENs on the channel the
// table's trigger notifies (creatorbase_config) over a dedicated
// connection and reloads on every change, so a running server sees a
// change within milliseconds, without polling. When the connection drops
// it reconnects with exponential backoff and reloads, so changes made
// while it was away are not missed.
//
// Rows with is_hot_reloadable = false keep the value they had when the
// Watcher started (or stay absent if they were absent) until the process
// restarts, as seed 004 defines the flag.
//
// Reads never block: Snapshot returns the current immutable snapshot, and
// the typed getters read from it.
package sysconfig

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the LISTEN/NOTIFY channel system.configurations' trigger
// notifies on every change.
const Channel = "creatorbase_config"

// Value types, as system.configurations.value_type spells them.
const (
	TypeString   = "string"
	TypeNumber   = "number"
	TypeInteger  = "integer"
	TypeBoolean  = "boolean"
	TypeDuration = "duration"
	TypeJSON     = "json"
)

// Value is one configuration row.
type Value struct {
	Category      string
	Key           string
	Type          string          // one of the Type constants
	Raw           json.RawMessage // the jsonb value as stored
	Description   string
	HotReloadable bool
	UpdatedAt     time.Time
}

type name struct{ category, key string }

// Snapshot is an immutable view of every configuration at one moment.
type Snapshot struct {
	values   map[name]Value
	version  uint64
	loadedAt time.Time
}

// Version counts loads: it grows by one each time the Watcher reloads.
func (s *Snapshot) Version() uint64 { return s.version }

// LoadedAt is when this snapshot was read from the database.
func (s *Snapshot) LoadedAt() time.Time { return s.loadedAt }

// Len is the number of configurations.
func (s *Snapshot) Len() int { return len(s.values) }

// Lookup returns the configuration category.key.
func (s *Snapshot) Lookup(category, key string) (Value, bool) {
	v, ok := s.values[name{category, key}]
	return v, ok
}

// All returns every configuration, in no particular order.
func (s *Snapshot) All() []Value {
	out := make([]Value, 0, len(s.values))
	for _, v := range s.values {
		out = append(out, v)
	}
	return out
}

// String returns a string configuration, or def when it is missing or not
// a string.
func (s *Snapshot) String(category, key, def string) string {
	v, ok := s.Lookup(category, key)
	if !ok {
		return def
	}
	var out string
	if json.Unmarshal(v.Raw, &out) != nil {
		return def
	}
	return out
}

// Int returns an integer configuration, or def when it is missing or not
// a whole number that fits in an int64.
func (s *Snapshot) Int(category, key string, def int64) int64 {
	v, ok := s.Lookup(category, key)
	if !ok {
		return def
	}
	n, err := strconv.ParseInt(string(v.Raw), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(v.Raw), 64)
		if ferr != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return def
		}
		return int64(f)
	}
	return n
}

// Float returns a number configuration, or def when it is missing or not
// a number.
func (s *Snapshot) Float(category, key string, def float64) float64 {
	v, ok := s.Lookup(category, key)
	if !ok {
		return def
	}
	var out float64
	if json.Unmarshal(v.Raw, &out) != nil {
		return def
	}
	return out
}

// Bool returns a boolean configuration, or def when it is missing or not
// a boolean.
func (s *Snapshot) Bool(category, key string, def bool) bool {
	v, ok := s.Lookup(category, key)
	if !ok {
		return def
	}
	var out bool
	if json.Unmarshal(v.Raw, &out) != nil {
		return def
	}
	return out
}

// Duration returns a duration configuration ("30s", "1h30m"), or def when
// it is missing or does not parse.
func (s *Snapshot) Duration(category, key string, def time.Duration) time.Duration {
	v, ok := s.Lookup(category, key)
	if !ok {
		return def
	}
	var str string
	if json.Unmarshal(v.Raw, &str) != nil {
		return def
	}
	d, err := time.ParseDuration(str)
	if err != nil {
		return def
	}
	return d
}

// JSON decodes a configuration into dst. It reports whether the
// configuration exists; a value that does not decode into dst is an error.
func (s *Snapshot) JSON(category, key string, dst any) (bool, error) {
	v, ok := s.Lookup(category, key)
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(v.Raw, dst); err != nil {
		return true, fmt.Errorf("configuration %s.%s: %w", category, key, err)
	}
	return true, nil
}

// Options configure a Watcher.
type Options struct {
	// ConnString is the database URL of the watcher's own connection. The
	// server passes the authenticator's URL and Role "service_role".
	ConnString string
	// Role, when set, is assumed with SET ROLE after connecting: the role
	// that may read system.configurations.
	Role string
	// Logger receives reloads and connection trouble; nil discards.
	Logger *slog.Logger
	// MinBackoff and MaxBackoff bound the wait between reconnection
	// attempts, which doubles from MinBackoff (default 100ms) up to
	// MaxBackoff (default 30s), with jitter.
	MinBackoff, MaxBackoff time.Duration
	// OnChange, when set, is called from the watcher's goroutine after
	// every reload with the new snapshot. It must not block for long.
	OnChange func(*Snapshot)
}

// Watcher holds the current configuration snapshot and keeps it current.
type Watcher struct {
	opts    Options
	cfg     *pgx.ConnConfig
	log     *slog.Logger
	current atomic.Pointer[Snapshot]
	version atomic.Uint64

	// pinned holds, for each configuration that is not hot reloadable,
	// its row at start-up (nil: absent). Touched only by the loader.
	pinned    map[name]*Value
	pinnedSet bool

	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// New connects, loads the configuration and starts watching it. It fails
// if the first connection or load fails, so a server does not start with
// no configuration. The watcher stops when ctx is cancelled or Close is
// called.
func New(ctx context.Context, opts Options) (*Watcher, error) {
	cfg, err := pgx.ParseConfig(opts.ConnString)
	if err != nil {
		return nil, fmt.Errorf("sysconfig: parse database url: %w", err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "creatorbase-sysconfig"
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 100 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(30*time.Second, opts.MinBackoff)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Watcher{opts: opts, cfg: cfg, log: log.With("component", "sysconfig"), done: make(chan struct{})}

	conn, err := w.connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := w.reload(ctx, conn); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	w.cancel = cancel
	// Stop with the caller's context as well as with Close.
	stop := context.AfterFunc(ctx, cancel)
	go func() {
		defer close(w.done)
		defer stop()
		w.run(runCtx, conn)
	}()
	return w, nil
}

// Snapshot returns the current configuration. It never blocks.
func (w *Watcher) Snapshot() *Snapshot { return w.current.Load() }

// String, Int, Float, Bool and Duration read the current snapshot.
func (w *Watcher) String(category, key, def string) string {
	return w.Snapshot().String(category, key, def)
}

// Int reads an integer configuration from the current snapshot.
func (w *Watcher) Int(category, key string, def int64) int64 {
	return w.Snapshot().Int(category, key, def)
}

// Float reads a number configuration from the current snapshot.
func (w *Watcher) Float(category, key string, def float64) float64 {
	return w.Snapshot().Float(category, key, def)
}

// Bool reads a boolean configuration from the current snapshot.
func (w *Watcher) Bool(category, key string, def bool) bool {
	return w.Snapshot().Bool(category, key, def)
}

// Duration reads a duration configuration from the current snapshot.
func (w *Watcher) Duration(category, key string, def time.Duration) time.Duration {
	return w.Snapshot().Duration(category, key, def)
}

// Done is closed when the watcher has stopped.
func (w *Watcher) Done() <-chan struct{} { return w.done }

// Close stops the watcher, closes its connection and waits for its
// goroutine to end. The last snapshot stays readable.
func (w *Watcher) Close() error {
	w.once.Do(w.cancel)
	<-w.done
	return nil
}

func (w *Watcher) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, w.cfg)
	if err != nil {
		return nil, fmt.Errorf("sysconfig: connect: %w", err)
	}
	if w.opts.Role != "" {
		if _, err := conn.Exec(ctx, "select set_config('role', $1, false)", w.opts.Role); err != nil {
			_ = conn.Close(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("sysconfig: set role %s: %w", w.opts.Role, err)
		}
	}
	// LISTEN before loading, so no change falls between the two.
	if _, err := conn.Exec(ctx, "listen "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		_ = conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("sysconfig: listen: %w", err)
	}
	return conn, nil
}

// run waits for notifications on conn and reloads; when the connection
// fails it reconnects with backoff. It returns when ctx is done.
func (w *Watcher) run(ctx context.Context, conn *pgx.Conn) {
	defer func() {
		if conn != nil {
			_ = conn.Close(context.WithoutCancel(ctx))
		}
	}()
	attempt := 0
	for {
		if conn == nil {
			var err error
			conn, err = w.connect(ctx)
			if err == nil {
				err = w.reload(ctx, conn)
			}
			if err != nil {
				if conn != nil {
					_ = conn.Close(context.WithoutCancel(ctx))
					conn = nil
				}
				if ctx.Err() != nil {
					return
				}
				wait := w.backoff(attempt)
				attempt++
				w.log.Warn("configuration watcher cannot reach the database", "error", err, "retry_in", wait)
				if !sleep(ctx, wait) {
					return
				}
				continue
			}
			if attempt > 0 {
				w.log.Info("configuration watcher reconnected", "attempts", attempt)
			}
			attempt = 0
		}

		err := w.listen(ctx, conn)
		if ctx.Err() != nil {
			return
		}
		w.log.Warn("configuration watcher lost its connection", "error", err)
		_ = conn.Close(context.WithoutCancel(ctx))
		conn = nil
	}
}

// listen reloads on every notification until the connection fails or ctx
// is done. Notifications that queue up during a reload are coalesced into
// one more reload.
func (w *Watcher) listen(ctx context.Context, conn *pgx.Conn) error {
	done, cancel := context.WithCancel(context.Background())
	cancel() // an already-done context: drains buffered notifications without waiting
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		w.log.Debug("configuration changed", "payload", n.Payload)
		for {
			more, _ := conn.WaitForNotification(done)
			if more == nil {
				break
			}
		}
		if err := w.reload(ctx, conn); err != nil {
			return err
		}
	}
}

func (w *Watcher) reload(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, `select category, key, value_type, value::text, coalesce(description, ''),
		is_hot_reloadable, updated_at from system.configurations`)
	if err != nil {
		return fmt.Errorf("sysconfig: load: %w", err)
	}
	values := map[name]Value{}
	var raw string
	for rows.Next() {
		var v Value
		if err := rows.Scan(&v.Category, &v.Key, &v.Type, &raw, &v.Description, &v.HotReloadable, &v.UpdatedAt); err != nil {
			rows.Close()
			return fmt.Errorf("sysconfig: load: %w", err)
		}
		v.Raw = json.RawMessage(raw)
		values[name{v.Category, v.Key}] = v
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sysconfig: load: %w", err)
	}
	w.applyPinned(values)
	s := &Snapshot{values: values, version: w.version.Add(1), loadedAt: time.Now()}
	w.current.Store(s)
	w.log.Debug("configuration loaded", "count", len(values), "version", s.version)
	if w.opts.OnChange != nil {
		w.opts.OnChange(s)
	}
	return nil
}

// applyPinned keeps the start-up state of configurations that are not hot
// reloadable: the first load records them, later loads restore them.
func (w *Watcher) applyPinned(values map[name]Value) {
	if !w.pinnedSet {
		w.pinned = map[name]*Value{}
		for n, v := range values {
			if !v.HotReloadable {
				w.pinned[n] = &v
			}
		}
		w.pinnedSet = true
		return
	}
	for n, v := range values {
		if p, ok := w.pinned[n]; ok {
			if p == nil || string(p.Raw) != string(v.Raw) {
				w.log.Info("configuration change needs a restart", "category", n.category, "key", n.key)
			}
			if p == nil {
				delete(values, n)
			} else {
				values[n] = *p
			}
			continue
		}
		if !v.HotReloadable {
			// Appeared after start-up: takes effect at the next start.
			w.pinned[n] = nil
			delete(values, n)
			w.log.Info("configuration change needs a restart", "category", n.category, "key", n.key)
		}
	}
	for n, p := range w.pinned {
		if _, ok := values[n]; !ok && p != nil {
			values[n] = *p
		}
	}
}

func (w *Watcher) backoff(attempt int) time.Duration {
	d := w.opts.MinBackoff << min(attempt, 20)
	if d <= 0 || d > w.opts.MaxBackoff {
		d = w.opts.MaxBackoff
	}
	// Jitter: between half and all of d, so many servers do not reconnect
	// in lockstep.
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d or until ctx is done; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
