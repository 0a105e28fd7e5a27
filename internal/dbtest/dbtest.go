// Package dbtest gives every test its own migrated PostgreSQL database.
//
// One server serves a whole `go test` run: the one named by
// CREATORBASE_TEST_DATABASE_URL (a superuser URL; `make test` starts one
// with internal/tools/testpg), or else a throwaway embedded cluster that
// this test binary starts on first use and stops in Main. The migrations
// run once into a template database, named after a hash of the migration
// files; each test gets a clone of it (CREATE DATABASE ... TEMPLATE), which
// takes milliseconds, and drops it when the test passes.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/jobs"
	"github.com/creatorbase/creatorbase/internal/pgcluster"
	"github.com/creatorbase/creatorbase/migrations"
)

// EnvURL names the variable holding a superuser URL of a test server.
const EnvURL = "CREATORBASE_TEST_DATABASE_URL"

// JWTSecret is the project secret every test uses, so that all test
// processes agree on the cluster-wide authenticator password.
const JWTSecret = "creatorbase-test-secret-0123456789abcdef"

// TestSettings make a throwaway cluster fast and roomy.
var TestSettings = map[string]string{
	"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
	"max_connections": "300", "shared_buffers": "64MB",
}

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
	cluster    *pgcluster.Cluster
	clusterDir string

	templates sync.Map // template name -> *templateOnce
)

// Main runs the tests of a package and stops the embedded cluster if one
// was started: func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if cluster != nil {
		_ = cluster.Stop(context.Background())
		_ = os.RemoveAll(clusterDir)
	}
	return code
}

// server returns the superuser URL of the test server, starting one if
// none is configured.
func server(ctx context.Context) (string, error) {
	serverOnce.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			serverURL = u
			return
		}
		clusterDir, serverErr = TempDataDir()
		if serverErr != nil {
			return
		}
		cluster, serverErr = pgcluster.Start(ctx, pgcluster.Options{DataDir: clusterDir, NoSync: true, Settings: TestSettings})
		if serverErr == nil {
			serverURL = cluster.OwnerURL()
		}
	})
	return serverURL, serverErr
}

// TempDataDir makes a directory that PostgreSQL can use even when the
// tests run as root and the cluster runs as another user (t.TempDir's
// directories are private to the test's user). The caller removes it.
func TempDataDir() (string, error) {
	dir, err := os.MkdirTemp("", "creatorbase-test-")
	if err != nil {
		return "", err
	}
	return dir, os.Chmod(dir, 0o711)
}

// DB is one test's database.
type DB struct {
	Name             string
	OwnerURL         string // superuser
	AuthenticatorURL string // the request pool's login role
}

// New gives the test a fresh database with every migration applied.
func New(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	su, err := server(ctx)
	if err != nil {
		t.Fatalf("dbtest: test server: %v", err)
	}
	tpl, err := template(ctx, su)
	if err != nil {
		t.Fatalf("dbtest: template: %v", err)
	}
	return clone(t, su, tpl)
}

// NewEmpty gives the test a database with no migrations applied.
func NewEmpty(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	su, err := server(ctx)
	if err != nil {
		t.Fatalf("dbtest: test server: %v", err)
	}
	// The template's migrations create the cluster-wide roles, so that
	// tests migrating empty databases in parallel find them in place.
	if _, err := template(ctx, su); err != nil {
		t.Fatalf("dbtest: template: %v", err)
	}
	return clone(t, su, "template0")
}

func clone(t testing.TB, su, tpl string) *DB {
	t.Helper()
	ctx := context.Background()
	name := "test_" + randomHex(8)
	conn, err := pgx.Connect(ctx, su)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "create database "+name+" template "+tpl); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	db := &DB{Name: name, OwnerURL: withDatabase(su, name)}
	db.AuthenticatorURL, err = database.AuthenticatorURL(db.OwnerURL, database.AuthenticatorPassword([]byte(JWTSecret)))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("dbtest: kept database %s for inspection", name)
			return
		}
		c, err := pgx.Connect(ctx, su)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "drop database if exists "+name+" with (force)")
	})
	return db
}

// Owner opens a pool on the test database as the superuser, closed when
// the test ends.
func (d *DB) Owner(t testing.TB) *pgxpool.Pool { return d.pool(t, d.OwnerURL, 4) }

// Authenticator opens a pool as the authenticator role, as serve does.
func (d *DB) Authenticator(t testing.TB) *pgxpool.Pool { return d.pool(t, d.AuthenticatorURL, 4) }

func (d *DB) pool(t testing.TB, u string, conns int32) *pgxpool.Pool {
	t.Helper()
	p, err := database.Open(context.Background(), u, conns)
	if err != nil {
		t.Fatalf("dbtest: open pool: %v", err)
	}
	t.Cleanup(p.Close)
	return p
}

type templateOnce struct {
	once sync.Once
	err  error
}

// template makes sure the migrated template database exists. Several test
// processes may race to make it; an advisory lock lets one win.
func template(ctx context.Context, su string) (string, error) {
	hash, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "creatorbase_tpl_" + hash
	v, _ := templates.LoadOrStore(name, &templateOnce{})
	to := v.(*templateOnce)
	to.once.Do(func() { to.err = makeTemplate(ctx, su, name) })
	return name, to.err
}

func makeTemplate(ctx context.Context, su, name string) error {
	conn, err := pgx.Connect(ctx, su)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "select pg_advisory_lock(hashtext('creatorbase dbtest template'))"); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock(hashtext('creatorbase dbtest template'))") //nolint:errcheck // unlock on a closing session
	var exists bool
	if err := conn.QueryRow(ctx, "select exists (select from pg_database where datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if err := migrateInto(ctx, conn, su, name); err != nil {
			return err
		}
	}
	// The roles are the cluster's; make sure the authenticator's password
	// is the one every test derives from JWTSecret.
	return database.SetAuthenticatorPassword(ctx, conn, database.AuthenticatorPassword([]byte(JWTSecret)))
}

// migrateInto builds the template under a scratch name and renames it when
// complete, so an interrupted run never leaves a half-migrated template.
func migrateInto(ctx context.Context, conn *pgx.Conn, su, name string) error {
	scratch := name + "_new"
	if _, err := conn.Exec(ctx, "drop database if exists "+scratch+" with (force)"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "create database "+scratch+" template template0"); err != nil {
		return err
	}
	m, err := database.NewMigrator(ctx, withDatabase(su, scratch), nil)
	if err != nil {
		return err
	}
	_, err = m.Up(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, withDatabase(su, scratch))
	if err != nil {
		return err
	}
	err = jobs.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "alter database "+scratch+" rename to "+name)
	return err
}

// migrationsHash names the template after the migrations' contents and
// River's version, so a changed migration gets a new template.
func migrationsHash() (string, error) {
	h := sha256.New()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/riverqueue/river" {
				fmt.Fprintf(h, "river %s\x00", d.Version)
			}
		}
	}
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func withDatabase(u, db string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = "/" + db
	return p.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
