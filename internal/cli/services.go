package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/account"
	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/functions"
	"github.com/creatorbase/creatorbase/internal/jobs"
	"github.com/creatorbase/creatorbase/internal/jwtauth"
	"github.com/creatorbase/creatorbase/internal/products/avenue"
	"github.com/creatorbase/creatorbase/internal/products/creatorpulse"
	"github.com/creatorbase/creatorbase/internal/products/influencer"
	"github.com/creatorbase/creatorbase/internal/products/streamvibe"
	"github.com/creatorbase/creatorbase/internal/rest"
	"github.com/creatorbase/creatorbase/internal/retention"
	"github.com/creatorbase/creatorbase/internal/server"
	"github.com/creatorbase/creatorbase/internal/sysconfig"
)

// services are what serve runs on top of the HTTP server and the request
// pool: the Data API, functions, background jobs and live configuration.
type services struct {
	owner  *pgxpool.Pool
	rest   *rest.Handler
	jobs   *jobs.Client
	config *sysconfig.Watcher
}

// startServices mounts /rest/v1 and /functions/v1 and starts the workers.
func startServices(ctx context.Context, cfg config.Config, logger *slog.Logger, srv *server.Server,
	ownerURL string, pool *pgxpool.Pool, runner *database.Runner, verifier *jwtauth.Verifier) (_ *services, err error) {
	s := &services{}
	defer func() {
		if err != nil {
			s.stop(context.WithoutCancel(ctx), logger)
		}
	}()
	if s.owner, err = database.Open(ctx, ownerURL, 5); err != nil {
		return s, err
	}
	auth := authenticate(verifier)
	s.rest, err = rest.New(ctx, rest.Options{Runner: runner, Pool: pool, MaxBodyBytes: cfg.MaxBodyBytes,
		Authenticate: auth, Logger: logger})
	if err != nil {
		return s, err
	}
	srv.Handle("/rest/v1/", http.StripPrefix("/rest/v1", s.rest))

	fns := functions.NewRegistry()
	registerAccountFunctions(fns, s.owner)
	srv.Handle("/functions/v1/", http.StripPrefix("/functions/v1", fns.Handler(auth, logger)))

	s.config, err = sysconfig.New(ctx, sysconfig.Options{ConnString: pool.Config().ConnString(), Role: "service_role", Logger: logger})
	if err != nil {
		return s, err
	}
	if s.jobs, err = jobs.New(s.owner, newJobRegistry(s.owner), jobs.Options{Workers: true, Logger: logger}); err != nil {
		return s, err
	}
	return s, s.jobs.Start(ctx)
}

// stop stops the workers (letting running jobs finish for a while), the
// configuration watcher and the schema cache listener.
func (s *services) stop(ctx context.Context, logger *slog.Logger) {
	if s.jobs != nil {
		jctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := s.jobs.Stop(jctx); err != nil {
			logger.Warn("stopping jobs", "error", err)
		}
		cancel()
	}
	if s.config != nil {
		_ = s.config.Close()
	}
	if s.rest != nil {
		_ = s.rest.Close()
	}
	if s.owner != nil {
		s.owner.Close()
	}
}

// newJobRegistry registers every product's workers and periodic jobs; serve
// and worker share it, so either can work any job.
func newJobRegistry(owner *pgxpool.Pool) *jobs.Registry {
	reg := jobs.NewRegistry()
	policies := &retention.Registry{}
	creatorpulse.RegisterRetention(policies)
	retention.Schedule(reg, &retention.Worker{Registry: policies, Pool: owner}, time.Hour)
	avenue.RegisterJobs(reg, owner, time.Hour)
	streamvibe.RegisterJobs(reg, owner)
	influencer.RegisterJobs(reg, owner)
	return reg
}

// authenticate turns the gateway's verdict into the Data API's errors.
func authenticate(v *jwtauth.Verifier) func(*http.Request) (string, []byte, error) {
	return func(r *http.Request) (string, []byte, error) {
		id, err := v.Identify(r)
		switch {
		case errors.Is(err, jwtauth.ErrRole):
			return "", nil, fmt.Errorf("%w: %v", rest.ErrRoleNotAllowed, err)
		case errors.Is(err, jwtauth.ErrExpired):
			return "", nil, fmt.Errorf("%w: JWT expired", rest.ErrJWTExpired)
		case errors.Is(err, jwtauth.ErrClaimsInvalid):
			return "", nil, fmt.Errorf("%w: %v", rest.ErrJWTExpired, err)
		case err != nil:
			return "", nil, fmt.Errorf("%w: %v", rest.ErrJWTInvalid, err)
		}
		return id.Role, id.Claims, nil
	}
}

// registerAccountFunctions adds account-export and account-delete: the
// signed-in person's own data, as `creatorbase user export|purge` gives
// an operator anyone's.
func registerAccountFunctions(fns *functions.Registry, owner *pgxpool.Pool) {
	signedIn := func(req *functions.Request) (string, error) {
		if req.Caller.Role != "authenticated" || req.Caller.UserID == "" {
			return "", functions.Errorf(http.StatusUnauthorized, "not_authenticated", "Sign in to manage your account")
		}
		return req.Caller.UserID, nil
	}
	fns.Register("account-export", func(ctx context.Context, req *functions.Request) (any, error) {
		id, err := signedIn(req)
		if err != nil {
			return nil, err
		}
		return account.Export(ctx, owner, id)
	})
	fns.Register("account-delete", func(ctx context.Context, req *functions.Request) (any, error) {
		id, err := signedIn(req)
		if err != nil {
			return nil, err
		}
		counts, err := account.Purge(ctx, owner, id)
		if errors.Is(err, account.ErrMustKeep) {
			return nil, functions.Errorf(http.StatusConflict, "must_keep", "Your account has records that must be kept (for example payments); contact support")
		}
		if err != nil {
			return nil, err
		}
		return map[string]any{"deleted": true, "tables": len(counts)}, nil
	})
}
