// Package server is creatorbase's HTTP front: the route table, the
// middleware chain every request passes (request id, access log and
// metrics, panic recovery, CORS, body limit), /health and /metrics, and a
// graceful shutdown.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Options configure a Server.
type Options struct {
	Logger       *slog.Logger
	Version      string
	MaxBodyBytes int64
}

// Server serves the API. Until MarkReady is called /health answers 503,
// so a load balancer does not send traffic to a process still migrating.
type Server struct {
	opts    Options
	mux     *http.ServeMux
	metrics *metrics
	ready   atomic.Pointer[func(context.Context) error]
	http    *http.Server
}

// New builds a server with /health and /metrics; services add their
// routes with Handle.
func New(opts Options) *Server {
	s := &Server{opts: opts, mux: http.NewServeMux(), metrics: newMetrics()}
	s.mux.HandleFunc("GET /health", s.health)
	s.mux.Handle("GET /metrics", s.metrics.handler())
	return s
}

// Handle registers a handler for a ServeMux pattern such as "/rest/v1/".
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Registry is the Prometheus registry served at /metrics.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.Registry() }

// MarkReady makes /health answer 200 while check (a database ping) passes.
func (s *Server) MarkReady(check func(context.Context) error) { s.ready.Store(&check) }

// MarkNotReady makes /health answer 503 again, as during shutdown.
func (s *Server) MarkNotReady() { s.ready.Store(nil) }

// Handler is the full chain, outermost first.
func (s *Server) Handler() http.Handler {
	var h http.Handler = capturePattern(s.mux)
	h = limitBody(s.opts.MaxBodyBytes, h)
	h = cors(h)
	h = recoverPanics(s.opts.Logger, h)
	return observe(s.opts.Logger, s.metrics, h)
}

// Listen binds addr. It is separate from Serve so that a port in use is
// reported before anything else starts.
func (s *Server) Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("cannot listen on %s: the address is already in use; stop the other process or pass --listen with another port", addr)
		}
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return l, nil
}

// Serve serves on l until Shutdown; it returns nil after a clean shutdown.
func (s *Server) Serve(l net.Listener) error {
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelWarn),
	}
	if err := s.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.MarkNotReady()
	if s.http == nil {
		return nil
	}
	return s.http.Shutdown(ctx)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	check := s.ready.Load()
	if check == nil {
		WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "starting", "version": s.opts.Version})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := (*check)(ctx); err != nil {
		s.opts.Logger.WarnContext(ctx, "health check failed", "error", err)
		WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "version": s.opts.Version})
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.opts.Version})
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
