package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"

	"github.com/jackc/pgx/v5"
	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/keys"
	"github.com/creatorbase/creatorbase/internal/pgcluster"
	"github.com/creatorbase/creatorbase/internal/products/avenue"
	"github.com/creatorbase/creatorbase/internal/vault"
)

func doctorCommand() *cli.Command {
	return &cli.Command{
		Name:  "doctor",
		Usage: "check binaries, data dir, database connectivity and migrations, and say what to do",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			d := &doctor{w: cmd.Root().Writer}
			d.run(ctx, cfg)
			if d.failed > 0 {
				return cli.Exit(fmt.Sprintf("%d check(s) failed", d.failed), 1)
			}
			return nil
		},
	}
}

type doctor struct {
	w      io.Writer
	failed int
}

func (d *doctor) ok(format string, args ...any) { fmt.Fprintf(d.w, "ok    "+format+"\n", args...) }

func (d *doctor) fail(what, todo string) {
	d.failed++
	fmt.Fprintf(d.w, "FAIL  %s\n      -> %s\n", what, todo)
}

func (d *doctor) run(ctx context.Context, cfg config.Config) {
	d.ok("configuration is valid (creatorbase config shows it)")
	d.secret(cfg)
	if cfg.Embedded() && !d.embedded(ctx, cfg) {
		return
	}
	owner, err := openOwner(ctx, cfg, nil, true)
	if err != nil {
		d.fail("database: "+err.Error(), "fix the database settings above (DATABASE_URL, or the data dir); the PostgreSQL log is "+pgcluster.LogPath(cfg.DataDir))
		return
	}
	defer owner.Close(ctx)
	m, err := database.NewMigrator(ctx, owner.URL, nil)
	if err != nil {
		d.fail("database connection: "+err.Error(), "check that the server runs and the credentials are right")
		return
	}
	defer m.Close()
	d.ok("database answers as the owner")
	switch n, err := m.Pending(ctx); {
	case err != nil:
		d.fail("migrations: "+err.Error(), "run creatorbase migrate status for details")
	case n > 0:
		d.fail(fmt.Sprintf("%d migration(s) pending", n), "run creatorbase migrate up (serve does it on start unless --migrate=false)")
	default:
		d.ok("schema is up to date")
		d.ledger(ctx, owner.URL)
		d.vault(ctx, cfg, owner.URL)
	}
}

// vault checks that the configured key still opens the stored secrets: a
// changed CREATORBASE_VAULT_KEY (or JWT secret, when the key is derived
// from it) would otherwise surface only when an OAuth token is needed.
func (d *doctor) vault(ctx context.Context, cfg config.Config, ownerURL string) {
	key, err := vaultKey(cfg)
	if err != nil {
		d.fail("vault key: "+err.Error(), "set CREATORBASE_VAULT_KEY to 16+ characters")
		return
	}
	conn, err := database.Connect(ctx, ownerURL)
	if err != nil {
		d.fail("vault check: "+err.Error(), "check the database connection")
		return
	}
	defer conn.Close(ctx)
	var name string
	switch err := conn.QueryRow(ctx, "select name from system.vault_secrets order by created_at limit 1").Scan(&name); {
	case errors.Is(err, pgx.ErrNoRows):
		d.ok("vault is empty")
	case err != nil:
		d.fail("vault check: "+err.Error(), "run creatorbase migrate status")
	default:
		v, _ := vault.New(key)
		if _, err := v.Get(ctx, conn, name); err != nil {
			d.fail("the vault key does not open the stored secrets (tried "+name+")",
				"restore the CREATORBASE_VAULT_KEY (or JWT secret) the secrets were stored with")
			return
		}
		d.ok("vault key opens the stored secrets")
	}
}

// vaultKey is the configured vault key, or one derived from the JWT secret.
func vaultKey(cfg config.Config) (string, error) {
	if cfg.VaultKey != "" {
		return cfg.VaultKey, nil
	}
	secret, err := keys.LoadSecret(cfg.DataDir, cfg.JWTSecret)
	if err != nil {
		return "", err
	}
	return vault.DeriveKey(secret), nil
}

// ledger runs Producers Avenue's money invariant check.
func (d *doctor) ledger(ctx context.Context, ownerURL string) {
	pool, err := database.Open(ctx, ownerURL, 1)
	if err != nil {
		d.fail("ledger check: "+err.Error(), "check the database connection")
		return
	}
	defer pool.Close()
	vs, err := avenue.LedgerViolations(ctx, pool)
	switch {
	case err != nil:
		d.fail("ledger check: "+err.Error(), "run creatorbase migrate status")
	case len(vs) > 0:
		d.fail(fmt.Sprintf("%d money ledger violation(s), first: %s %s: %s", len(vs), vs[0].Check, vs[0].Subject, vs[0].Detail),
			"list them with: creatorbase psql -- -c 'select * from producers_avenue.ledger_violations()'")
	default:
		d.ok("money ledger balances (every transaction sums to zero, wallets match)")
	}
}

// secret checks the JWT secret without generating one.
func (d *doctor) secret(cfg config.Config) {
	_, err := os.Stat(filepath.Join(cfg.DataDir, keys.SecretFile))
	switch {
	case cfg.JWTSecret == "" && errors.Is(err, os.ErrNotExist):
		d.ok("JWT secret will be generated into the data dir on first start")
		return
	case cfg.JWTSecret == "" && err != nil:
		d.fail("JWT secret: "+err.Error(), "make the data dir readable")
		return
	}
	if _, err := keys.LoadSecret(cfg.DataDir, cfg.JWTSecret); err != nil {
		d.fail("JWT secret: "+err.Error(), "set CREATORBASE_JWT_SECRET to 32+ characters, or remove the bad "+keys.SecretFile+" file from the data dir")
		return
	}
	d.ok("JWT secret available")
}

// embedded checks what the embedded cluster needs; false stops the tour.
func (d *doctor) embedded(ctx context.Context, cfg config.Config) bool {
	b, err := pgcluster.FindBinaries(ctx)
	if err != nil {
		d.fail(err.Error(), "run make run (it installs Debian's postgresql package as root), or apt-get install postgresql, or set DATABASE_URL")
		return false
	}
	d.ok("PostgreSQL %s server binaries in %s", b.Version, b.Dir)
	if os.Geteuid() == 0 {
		if _, err := user.Lookup(cfg.PostgresOSUser); err != nil {
			d.fail("running as root, but OS user "+cfg.PostgresOSUser+" does not exist", "useradd --system "+cfg.PostgresOSUser+", or set CREATORBASE_POSTGRES_OS_USER")
			return false
		}
		d.ok("running as root: PostgreSQL runs as OS user %s", cfg.PostgresOSUser)
	}
	dir, _ := filepath.Abs(cfg.DataDir)
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, os.ErrNotExist):
		d.ok("data dir %s will be created, with its PostgreSQL cluster, on first start", dir)
		return false
	case err != nil:
		d.fail("data dir "+dir+": "+err.Error(), "make it readable, or choose another --data-dir")
		return false
	case !fi.IsDir():
		d.fail("data dir "+dir+" is not a directory", "choose another --data-dir")
		return false
	}
	d.ok("data dir %s", dir)
	if _, err := os.Stat(filepath.Join(dir, pgcluster.ClusterSubdir, "PG_VERSION")); err != nil {
		d.ok("no PostgreSQL cluster yet: serve initialises it on first start")
		return false
	}
	return true
}
