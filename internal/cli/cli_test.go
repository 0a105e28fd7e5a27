package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// These tests drive the real binary, as a user would.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "creatorbase-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "creatorbase")
	if out, err := exec.Command("go", "build", "-o", binary, "../../cmd/creatorbase").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build creatorbase: %v\n%s", err, out)
		os.Exit(1)
	}
	code := dbtest.Main(m)
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer is written by a child process while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	url            string
	dataDir        string
}

func dataDir(t *testing.T) string {
	t.Helper()
	dir, err := dbtest.TempDataDir()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return filepath.Join(dir, "data")
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServe runs `creatorbase serve` on a free port; env adds variables.
func startServe(t *testing.T, dir string, env ...string) *proc {
	t.Helper()
	return startServeTB(t, dir, env...)
}

func startServeTB(t testing.TB, dir string, env ...string) *proc {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary, "serve", "--data-dir", dir, "--listen", addr)
	cmd.Env = append(os.Environ(), env...)
	p := &proc{cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{}), url: "http://" + addr, dataDir: dir}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	return p
}

func (p *proc) healthStatus() int {
	resp, err := http.Get(p.url + "/health")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (p *proc) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if p.healthStatus() == http.StatusOK {
			return
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited early: %s", p.stderr)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve not healthy within 60 s: %s", p.stderr)
}

func (p *proc) waitExit(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("serve did not exit within %s", d)
		return -1
	}
}

func postmasterPid(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "postgres", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func waitProcessGone(t *testing.T, pid int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("process %d still running after %s", pid, d)
}

// run runs the binary to completion.
func run(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	_ = cmd.Run()
	return o.String(), e.String(), cmd.ProcessState.ExitCode()
}

func TestServeLifecycle(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	p := startServe(t, dir)
	p.waitHealthy(t)

	out := p.stdout.String()
	for _, want := range []string{"API URL: " + p.url, "anon key: ey", "service_role key: ey", "Data dir: " + dir} {
		if !strings.Contains(out, want) {
			t.Fatalf("banner lacks %q:\n%s", want, out)
		}
	}

	keysOut, _, code := run(t, nil, "keys", "--json", "--data-dir", dir, "--listen", strings.TrimPrefix(p.url, "http://"))
	var k map[string]string
	if err := json.Unmarshal([]byte(keysOut), &k); err != nil || code != 0 {
		t.Fatalf("keys --json: %v %q", err, keysOut)
	}
	if k["url"] != p.url || !strings.Contains(out, k["anon_key"]) || !strings.Contains(out, k["service_role_key"]) {
		t.Fatalf("keys --json disagrees with the banner: %v", k)
	}

	status, _, code := run(t, nil, "migrate", "status", "--data-dir", dir)
	if code != 0 || !strings.Contains(status, "0001_auth_roles.sql") || strings.Contains(status, "pending") {
		t.Fatalf("migrate status while serving (code %d):\n%s", code, status)
	}

	_, stderr, code := run(t, nil, "serve", "--data-dir", dir, "--listen", freeAddr(t))
	if code == 0 || !strings.Contains(stderr, "in use by another creatorbase process") {
		t.Fatalf("second serve on the same data dir: code %d, %s", code, stderr)
	}

	pg := postmasterPid(t, dir)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.waitExit(t, 30*time.Second); code != 0 {
		t.Fatalf("serve exited %d after SIGTERM: %s", code, p.stderr)
	}
	waitProcessGone(t, pg, 5*time.Second)
}

func TestServeAfterKillDashNine(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	p := startServe(t, dir)
	p.waitHealthy(t)
	pg := postmasterPid(t, dir)
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.waitExit(t, 10*time.Second)
	waitProcessGone(t, pg, 15*time.Second) // the kernel's parent-death signal ends it

	again := startServe(t, dir)
	again.waitHealthy(t)
}

func TestHealthUnavailableUntilDatabaseAnswers(t *testing.T) {
	t.Parallel()
	// A "database" that accepts connections and never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	p := startServe(t, dataDir(t), "DATABASE_URL=postgres://u:p@"+l.Addr().String()+"/db?connect_timeout=60")
	deadline := time.Now().Add(10 * time.Second)
	got := 0
	for time.Now().Before(deadline) && got == 0 {
		got = p.healthStatus()
		time.Sleep(20 * time.Millisecond)
	}
	if got != http.StatusServiceUnavailable {
		t.Fatalf("/health while the database does not answer: %d, want 503", got)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitExit(t, 30*time.Second)
}

func TestBadInput(t *testing.T) {
	t.Parallel()

	oneLine := func(t *testing.T, stderr string, code int, want string) {
		t.Helper()
		if code == 0 {
			t.Fatalf("exit code 0, want failure; stderr %q", stderr)
		}
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		last := lines[len(lines)-1]
		if !strings.HasPrefix(last, "creatorbase: ") || !strings.Contains(last, want) {
			t.Fatalf("stderr %q: want a last line `creatorbase: ...%s...`", stderr, want)
		}
	}

	t.Run("UnknownFlag", func(t *testing.T) {
		t.Parallel()
		_, stderr, code := run(t, nil, "serve", "--no-such-flag")
		oneLine(t, stderr, code, "no-such-flag")
	})
	t.Run("InvalidOption", func(t *testing.T) {
		t.Parallel()
		_, stderr, code := run(t, []string{"CREATORBASE_LISTEN=nonsense"}, "serve")
		oneLine(t, stderr, code, "CREATORBASE_LISTEN")
	})
	t.Run("PortInUse", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		dir := dataDir(t)
		_, stderr, code := run(t, nil, "serve", "--data-dir", dir, "--listen", l.Addr().String())
		oneLine(t, stderr, code, "already in use")
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatal("a refused start created the data dir")
		}
	})
	t.Run("WrongDatabaseURL", func(t *testing.T) {
		t.Parallel()
		dir := dataDir(t)
		_, stderr, code := run(t, []string{"DATABASE_URL=postgres://nobody:wrong@127.0.0.1:1/nothing?connect_timeout=5"},
			"serve", "--data-dir", dir, "--listen", freeAddr(t))
		oneLine(t, stderr, code, "cannot connect to PostgreSQL at 127.0.0.1:1 as nobody")
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatal("a failed first start left the data dir behind")
		}
		if strings.Contains(stderr, "wrong") {
			t.Fatalf("password leaked: %s", stderr)
		}
	})
	t.Run("PostgresFailsToStart", func(t *testing.T) {
		t.Parallel()
		dir := dataDir(t)
		// A cluster directory that is not one: PG_VERSION present, nothing else.
		if err := os.MkdirAll(filepath.Join(dir, "postgres"), 0o700); err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, "postgres", "PG_VERSION"), []byte("15\n"), 0o600)
		_ = os.WriteFile(filepath.Join(dir, "postgres-password"), []byte("x"), 0o600)
		_ = os.Chmod(dir, 0o711)
		_, stderr, code := run(t, nil, "serve", "--data-dir", dir, "--listen", freeAddr(t))
		oneLine(t, stderr, code, "PostgreSQL failed to start")
	})
}

func TestCommandsAgainstDatabaseURL(t *testing.T) {
	t.Parallel()
	db := dbtest.NewEmpty(t)
	env := []string{"DATABASE_URL=" + db.OwnerURL, "CREATORBASE_JWT_SECRET=" + dbtest.JWTSecret}

	_, stderr, code := run(t, env, "serve", "--migrate=false", "--data-dir", dataDir(t), "--listen", freeAddr(t))
	if code == 0 || !strings.Contains(stderr, "pending") || !strings.Contains(stderr, "migrate up") {
		t.Fatalf("serve --migrate=false on an empty database: code %d %s", code, stderr)
	}

	out, stderr, code := run(t, env, "doctor")
	if code == 0 || !strings.Contains(out, "migration(s) pending") {
		t.Fatalf("doctor on an unmigrated database: code %d\n%s%s", code, out, stderr)
	}
	if out, stderr, code := run(t, env, "migrate", "up"); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("migrate up: %d %s %s", code, out, stderr)
	}
	if out, _, code := run(t, env, "doctor"); code != 0 || !strings.Contains(out, "schema is up to date") ||
		!strings.Contains(out, "money ledger balances") || !strings.Contains(out, "vault is empty") {
		t.Fatalf("doctor after migrate: %d\n%s", code, out)
	}
	if _, stderr, code := run(t, env, "psql", "--", "-c", "select system.vault_put('probe', 'secret', 'the-right-key-0123')"); code != 0 {
		t.Fatalf("vault_put: %s", stderr)
	}
	if out, _, code := run(t, append(env, "CREATORBASE_VAULT_KEY=the-right-key-0123"), "doctor"); code != 0 || !strings.Contains(out, "vault key opens") {
		t.Fatalf("doctor with the right vault key: %d\n%s", code, out)
	}
	if out, _, code := run(t, env, "doctor"); code == 0 || !strings.Contains(out, "does not open the stored secrets") {
		t.Fatalf("doctor with the wrong vault key: %d\n%s", code, out)
	}
	if _, _, code := run(t, env, "psql", "--", "-c", "select system.vault_delete('probe')"); code != 0 {
		t.Fatal("vault_delete failed")
	}
	if out, stderr, code := run(t, env, "migrate", "down"); code != 0 || !strings.Contains(out, "rolled back") {
		t.Fatalf("migrate down: %d %s %s", code, out, stderr)
	}
	if out, _, _ := run(t, env, "migrate", "status"); !strings.Contains(out, "pending") {
		t.Fatalf("status after down shows nothing pending:\n%s", out)
	}
	if out, stderr, code := run(t, env, "psql", "--", "-At", "-c", "select 40 + 2"); code != 0 || strings.TrimSpace(out) != "42" {
		t.Fatalf("psql: %d %q %s", code, out, stderr)
	}
	if _, _, code := run(t, env, "psql", "--", "-c", "select nonsense_column"); code == 0 {
		t.Fatal("psql failure did not fail the command")
	}
	out, _, code = run(t, env, "config")
	if code != 0 || !strings.Contains(out, "DATABASE_URL") || strings.Contains(out, mustPassword(t, db.OwnerURL)) {
		t.Fatalf("config shows the password or misses DATABASE_URL:\n%s", out)
	}
}

func TestDoctorAndVersion(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	out, stderr, code := run(t, nil, "doctor", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "server binaries") || !strings.Contains(out, "on first start") {
		t.Fatalf("doctor on a fresh data dir: code %d\n%s%s", code, out, stderr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("doctor created the data dir")
	}
	if out, _, code := run(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "creatorbase ") {
		t.Fatalf("version: %d %q", code, out)
	}
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "up", "--help"}, {"keys", "--help"}} {
		if out, _, code := run(t, nil, args...); code != 0 || !strings.Contains(out, "USAGE") {
			t.Fatalf("%v: %d %q", args, code, out)
		}
	}
}

func mustPassword(t *testing.T, u string) string {
	t.Helper()
	i := strings.Index(u, "://")
	j := strings.Index(u, "@")
	creds := u[i+3 : j]
	_, pw, _ := strings.Cut(creds, ":")
	if pw == "" {
		t.Fatal("test URL has no password")
	}
	return pw
}
