package pgcluster_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/pgcluster"
)

type testBundle struct {
	dataDir string
	opts    pgcluster.Options
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	dir, err := dbtest.TempDataDir()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	dataDir := filepath.Join(dir, "data")
	return &testBundle{dataDir: dataDir, opts: pgcluster.Options{DataDir: dataDir, NoSync: true}}
}

func start(t *testing.T, opts pgcluster.Options) *pgcluster.Cluster {
	t.Helper()
	c, err := pgcluster.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	return c
}

func query(t *testing.T, url, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func exec(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestCluster(t *testing.T) {
	t.Parallel()

	t.Run("FirstStartInitialisesAndRestartKeepsData", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := start(t, b.opts)
		if got := query(t, c.OwnerURL(), "select current_setting('server_encoding')"); got != "UTF8" {
			t.Fatalf("encoding %s, want UTF8", got)
		}
		if got := query(t, c.OwnerURL(), "select current_setting('password_encryption')"); got != "scram-sha-256" {
			t.Fatalf("password_encryption %s", got)
		}
		exec(t, c.OwnerURL(), "create table kept (x int)")
		fi, err := os.Stat(filepath.Join(b.dataDir, pgcluster.PasswordFile))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("password file: %v mode %v, want 0600", err, fi.Mode().Perm())
		}
		if err := c.Stop(context.Background()); err != nil {
			t.Fatalf("stop: %v", err)
		}
		if _, err := os.Stat(filepath.Join(c.Dir(), "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("postmaster.pid left after a clean stop: %v", err)
		}
		c2 := start(t, b.opts)
		if got := query(t, c2.OwnerURL(), "select to_regclass('kept')::text"); got != "kept" {
			t.Fatalf("table lost across restart: %q", got)
		}
	})

	t.Run("SecondInstanceRefused", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		start(t, b.opts)
		_, err := pgcluster.Start(context.Background(), b.opts)
		var inUse *pgcluster.InUseError
		if !errors.As(err, &inUse) || !errors.Is(err, pgcluster.ErrInUse) {
			t.Fatalf("got %v, want an InUseError", err)
		}
		if inUse.Pid != os.Getpid() {
			t.Fatalf("lock holder pid %d, want %d", inUse.Pid, os.Getpid())
		}
		if !strings.Contains(err.Error(), "stop it first") {
			t.Fatalf("message does not say what to do: %v", err)
		}
	})

	t.Run("AttachFindsRunningCluster", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := start(t, b.opts)
		url, err := pgcluster.Attach(b.dataDir)
		if err != nil {
			t.Fatal(err)
		}
		if got := query(t, url, "select current_user"); got != pgcluster.OwnerRole {
			t.Fatalf("attached as %s", got)
		}
		_ = c.Stop(context.Background())
		if _, err := pgcluster.Attach(b.dataDir); err == nil {
			t.Fatal("attach to a stopped cluster succeeded")
		}
	})

	t.Run("RecoversAfterPostmasterKilled", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := start(t, b.opts)
		exec(t, c.OwnerURL(), "create table survived (x int)")
		if err := syscall.Kill(c.Pid(), syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-c.Done()
		if _, err := os.Stat(filepath.Join(c.Dir(), "postmaster.pid")); err != nil {
			t.Fatalf("expected a stale postmaster.pid after kill -9: %v", err)
		}
		_ = c.Stop(context.Background())
		c2 := start(t, b.opts)
		if got := query(t, c2.OwnerURL(), "select to_regclass('survived')::text"); got != "survived" {
			t.Fatalf("table lost after crash recovery: %q", got)
		}
	})

	t.Run("IgnoresPidFileOfAnotherProcess", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := start(t, b.opts)
		_ = c.Stop(context.Background())
		// A recycled pid: postmaster.pid names a live process that is not postgres.
		stale := strconv.Itoa(os.Getpid()) + "\n" + c.Dir() + "\n0\n5432\n/tmp\n\n0 0\nready\n"
		if err := os.WriteFile(filepath.Join(c.Dir(), "postmaster.pid"), []byte(stale), 0o600); err != nil {
			t.Fatal(err)
		}
		start(t, b.opts)
	})

	t.Run("FailedFirstStartLeavesNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.opts.Settings = map[string]string{"shared_buffers": "not-a-size"}
		_, err := pgcluster.Start(context.Background(), b.opts)
		if !errors.Is(err, pgcluster.ErrStartFailed) {
			t.Fatalf("got %v, want ErrStartFailed", err)
		}
		if !strings.Contains(err.Error(), "shared_buffers") {
			t.Fatalf("error does not say why: %v", err)
		}
		if _, err := os.Stat(b.dataDir); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("data dir left behind after a failed first start: %v", err)
		}
	})

	t.Run("DataDirThatIsAFile", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		if err := os.WriteFile(b.dataDir, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := pgcluster.Start(context.Background(), b.opts)
		if err == nil || !strings.Contains(err.Error(), "not a directory") {
			t.Fatalf("got %v, want a not-a-directory error", err)
		}
	})

	t.Run("RunsAsUnprivilegedUserUnderRoot", func(t *testing.T) {
		t.Parallel()
		if os.Geteuid() != 0 {
			t.Skip("only meaningful as root")
		}
		b := setup(t)
		c := start(t, b.opts)
		var st syscall.Stat_t
		if err := syscall.Stat(c.Dir(), &st); err != nil {
			t.Fatal(err)
		}
		if st.Uid == 0 {
			t.Fatal("cluster directory owned by root")
		}
		status, err := os.ReadFile("/proc/" + strconv.Itoa(c.Pid()) + "/status")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "Uid:") && strings.Fields(line)[1] == "0" {
				t.Fatalf("postmaster runs as root: %s", line)
			}
		}
	})

	t.Run("UnknownOSUserUnderRoot", func(t *testing.T) {
		t.Parallel()
		if os.Geteuid() != 0 {
			t.Skip("only meaningful as root")
		}
		b := setup(t)
		b.opts.OSUser = "no-such-user-creatorbase"
		_, err := pgcluster.Start(context.Background(), b.opts)
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestStopEndsPostmaster(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := start(t, b.opts)
	pid := c.Pid()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("postmaster %d still exists after Stop (kill 0: %v)", pid, err)
	}
}

func TestFindBinaries(t *testing.T) {
	t.Parallel()
	b, err := pgcluster.FindBinaries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if b.Major < pgcluster.MinMajorVersion {
		t.Fatalf("major %d", b.Major)
	}
	if _, err := os.Stat(b.Path("initdb")); err != nil {
		t.Fatal(err)
	}
}
