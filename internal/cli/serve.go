package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/auth"
	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/jwtauth"
	"github.com/creatorbase/creatorbase/internal/keys"
	"github.com/creatorbase/creatorbase/internal/pgcluster"
	"github.com/creatorbase/creatorbase/internal/server"
	"github.com/creatorbase/creatorbase/internal/version"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "start the API (and the embedded PostgreSQL when DATABASE_URL is not set)",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			return serve(ctx, cfg, cmd.Root().Writer, cmd.Root().ErrWriter)
		},
	}
}

// serve is the whole life of the server, in order: listen (so a port in
// use is reported first and /health answers 503 while starting), database,
// secret, migrations, the request pool, ready; then wait for a signal or
// a dying database, and shut down in reverse within the deadline.
func serve(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) (err error) {
	logger := newLogger(cfg, stderr)
	srv := server.New(server.Options{Logger: logger, Version: version.Version, MaxBodyBytes: cfg.MaxBodyBytes})
	l, err := srv.Listen(cfg.Listen)
	if err != nil {
		return err
	}
	// A first start that fails leaves no half-made data dir behind. This
	// runs last, after the cluster has stopped.
	if _, statErr := os.Stat(cfg.DataDir); errors.Is(statErr, os.ErrNotExist) {
		defer func() {
			if err != nil {
				_ = os.RemoveAll(cfg.DataDir)
			}
		}()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(l) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if serr := srv.Shutdown(sctx); serr != nil {
			logger.Warn("http shutdown", "error", serr)
		}
	}()

	owner, err := openOwner(ctx, cfg, logger, false)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := owner.Close(context.WithoutCancel(ctx)); cerr != nil {
			logger.Warn("stopping embedded PostgreSQL", "error", cerr)
		}
	}()

	secret, err := keys.LoadSecret(cfg.DataDir, cfg.JWTSecret)
	if err != nil {
		return err
	}
	if err := prepareDatabase(ctx, cfg, logger, owner.URL, secret); err != nil {
		return err
	}
	authURL, err := database.AuthenticatorURL(owner.URL, database.AuthenticatorPassword(secret))
	if err != nil {
		return err
	}
	pool, err := database.Open(ctx, authURL, cfg.DBMaxConns)
	if err != nil {
		return err
	}
	defer pool.Close()

	project, err := keys.Derive(secret)
	if err != nil {
		return err
	}
	verifier, err := jwtauth.New(secret, project, jwtauth.Options{CacheEntries: cfg.JWTCacheEntries})
	if err != nil {
		return err
	}
	runner, err := database.NewRunner(ctx, pool, database.WithAcquireTimeout(cfg.DBPoolTimeout))
	if err != nil {
		return err
	}
	svc, err := startServices(ctx, cfg, logger, srv, owner.URL, pool, runner, verifier)
	if err != nil {
		return err
	}
	defer svc.stop(context.WithoutCancel(ctx), logger)
	outbox, err := newOutboxDispatchers(cfg, runner, logger)
	if err != nil {
		return err
	}
	authAPI, err := newAuthAPI(cfg, runner, verifier, secret, logger, outbox.mail.Notify)
	if err != nil {
		return err
	}
	srv.Handle("/auth/v1/", http.StripPrefix("/auth/v1", authAPI))
	stopOutbox := outbox.start(ctx)
	defer stopOutbox()

	// In-flight requests finish before the workers, the mail dispatcher
	// and the pool stop (defers run last first; the shutdown registered
	// at the top runs again harmlessly).
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	srv.MarkReady(pool.Ping)
	printBanner(stdout, cfg, project)
	logger.Info("creatorbase ready", "url", cfg.APIURL(), "version", version.Version)

	var dbDone <-chan struct{}
	if owner.Cluster != nil {
		dbDone = owner.Cluster.Done()
	}
	select {
	case <-ctx.Done():
		logger.Info("shutting down")
		return nil
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-dbDone:
		return errors.New("the embedded PostgreSQL stopped unexpectedly; see " + pgcluster.LogPath(cfg.DataDir))
	}
}

// prepareDatabase migrates (or refuses an outdated schema) and sets the
// authenticator's password, as the owner.
func prepareDatabase(ctx context.Context, cfg config.Config, logger *slog.Logger, ownerURL string, secret []byte) error {
	m, err := database.NewMigrator(ctx, ownerURL, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	if cfg.Migrate {
		if _, err := migrateAll(ctx, m, ownerURL, logger); err != nil {
			return err
		}
	} else if err := m.CheckCurrent(ctx); err != nil {
		return err
	}
	conn, err := database.Connect(ctx, ownerURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return database.SetAuthenticatorPassword(ctx, conn, database.AuthenticatorPassword(secret))
}

// printBanner shows what a client needs, as `supabase start` does.
func printBanner(w io.Writer, cfg config.Config, p keys.Project) {
	db := "DATABASE_URL (" + config.RedactURL(cfg.DatabaseURL) + ")"
	if cfg.Embedded() {
		db = "embedded PostgreSQL (connect with: creatorbase psql)"
	}
	dir, _ := filepath.Abs(cfg.DataDir)
	fmt.Fprintf(w, `creatorbase is running.

         API URL: %s
        Database: %s
        anon key: %s
service_role key: %s
 publishable key: %s
      secret key: %s
        Data dir: %s
`, cfg.APIURL(), db, p.Anon, p.ServiceRole, p.Publishable, p.Secret, dir)
}

// newAuthAPI builds /auth/v1 from the configuration.
func newAuthAPI(cfg config.Config, runner *database.Runner, verifier *jwtauth.Verifier, secret []byte,
	logger *slog.Logger, mailEnqueued func()) (http.Handler, error) {
	a := cfg.Auth
	return auth.New(auth.Options{
		Runner: runner, Verifier: verifier, Secret: secret, Logger: logger.With("component", "auth"),
		Version: version.Version, APIURL: cfg.APIURL(), SiteURL: a.SiteURL, URIAllowList: a.URIAllowList,
		JWTExpiry: cfg.JWTExpiry, MailerAutoconfirm: a.MailerAutoconfirm, DisableSignup: a.DisableSignup,
		AnonymousSignIns: a.AnonymousSignIns, PasswordMinLength: a.PasswordMinLength, PasswordHash: a.PasswordHash,
		ReuseInterval: a.ReuseInterval, OTPExpiry: a.OTPExpiry, OTPLength: a.OTPLength,
		MailerMaxFrequency: a.MailerMaxFrequency, RateLimitHeader: a.RateLimitHeader,
		Rates: auth.Rates{Token: a.RateToken, Verify: a.RateVerify, OTP: a.RateOTP, Anonymous: a.RateAnonymous,
			Account: a.RateAccount, EmailSent: a.RateEmailSent},
		MailEnqueued: mailEnqueued,
	})
}
