package rest

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// DefaultSchemas are exposed when Options.Schemas is empty, those of them
// that exist: the shared core and the four products.
var DefaultSchemas = []string{"public", "creatorpulse", "producers_avenue", "streamvibe", "influencer"}

// Reload reloads the schema cache now, as NOTIFY pgrst, 'reload schema'
// does.
func (h *Handler) Reload(ctx context.Context) error {
	schemas := h.opts.Schemas
	if len(schemas) == 0 {
		var err error
		if schemas, err = existingSchemas(ctx, h.opts.Pool, DefaultSchemas); err != nil {
			return fmt.Errorf("rest: list schemas: %w", err)
		}
	}
	c, err := schema.Load(ctx, h.opts.Pool, schemas)
	if err != nil {
		return fmt.Errorf("rest: %w", err)
	}
	h.cache.Store(c)
	// Kept plans name the cache they were made with, so they could never
	// be used again; dropping them also lets the old cache go.
	h.plans.Clear()
	return nil
}

func existingSchemas(ctx context.Context, q schema.Querier, wanted []string) ([]string, error) {
	rows, err := q.Query(ctx, `select nspname from pg_catalog.pg_namespace where nspname = any($1)`, wanted)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	exists := map[string]bool{}
	for _, n := range names {
		exists[n] = true
	}
	var out []string
	for _, w := range wanted { // keep the configured order: the first is the default
		if exists[w] {
			out = append(out, w)
		}
	}
	return out, nil
}

// listen keeps a dedicated connection LISTENing on the pgrst channel and
// reloads on 'reload schema' (or an empty payload) and 'reload config'. It
// reconnects with backoff and, after a reconnect, reloads the cache, since
// notifications sent meanwhile are lost. It returns when ctx ends.
func (h *Handler) listen(ctx context.Context) {
	defer close(h.listenDone)
	cfg := h.opts.Pool.Config().ConnConfig.Copy()
	backoff := 500 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := h.listenOnce(ctx, cfg, !first)
		first = false
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("rest: schema cache listener lost its connection; retrying", slog.String("error", err.Error()), slog.Duration("backoff", backoff))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (h *Handler) listenOnce(ctx context.Context, cfg *pgx.ConnConfig, reload bool) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "listen pgrst"); err != nil {
		return err
	}
	if reload {
		if err := h.Reload(ctx); err != nil {
			h.log.Error("rest: reload schema cache", slog.String("error", err.Error()))
		}
	}
	h.listening.Store(true)
	defer h.listening.Store(false)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		switch n.Payload {
		case "", "reload schema":
			if err := h.Reload(ctx); err != nil {
				h.log.Error("rest: reload schema cache", slog.String("error", err.Error()))
			} else {
				h.log.Info("rest: schema cache reloaded")
			}
		case "reload config":
			if h.opts.Runner != nil {
				if err := h.opts.Runner.Reload(ctx); err != nil {
					h.log.Error("rest: reload role settings", slog.String("error", err.Error()))
				}
			}
		}
	}
}
