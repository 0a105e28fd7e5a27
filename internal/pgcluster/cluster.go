// Package pgcluster runs creatorbase's embedded default database: a private
// PostgreSQL cluster in the data directory, made from the machine's own
// PostgreSQL binaries, listening on a unix socket and a loopback port, and
// stopped when creatorbase stops.
package pgcluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Names inside the data directory, and the owner of the cluster.
const (
	ClusterSubdir = "postgres"          // PGDATA
	PasswordFile  = "postgres-password" // the owner's password, mode 0600
	LogFile       = "postgres.log"      // the postmaster's stderr
	OwnerRole     = "postgres"          // superuser made by initdb, as on Supabase
	Database      = "postgres"          // the database creatorbase uses
)

// Options configure an embedded cluster.
type Options struct {
	DataDir      string            // creatorbase's data directory
	OSUser       string            // who runs PostgreSQL when creatorbase is root (default "postgres")
	Settings     map[string]string // extra server settings (-c name=value)
	NoSync       bool              // initdb --no-sync: for throwaway test clusters
	StartTimeout time.Duration     // how long to wait for connections (default 60 s)
	Logger       *slog.Logger
}

// Cluster is a running embedded PostgreSQL.
type Cluster struct {
	opts      Options
	bins      Binaries
	id        runAs
	lock      *dirLock
	dir       string
	password  string
	socketDir string
	tmpSocket bool
	port      int
	logFile   *os.File

	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
	stopErr  error
}

// Start initialises the cluster on first use and starts it. It holds the
// data directory's lock until Stop, so a second creatorbase on the same
// data directory gets an *InUseError. When Start fails on a data
// directory it created, it removes it again.
func Start(ctx context.Context, opts Options) (_ *Cluster, err error) {
	if opts.OSUser == "" {
		opts.OSUser = "postgres"
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 60 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	bins, err := FindBinaries(ctx)
	if err != nil {
		return nil, err
	}
	id, err := osIdentity(opts.OSUser)
	if err != nil {
		return nil, err
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, err
	}
	created, err := makeDataDir(dataDir, id)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil && created {
			_ = os.RemoveAll(dataDir)
		}
	}()
	c := &Cluster{opts: opts, bins: bins, id: id, dir: filepath.Join(dataDir, ClusterSubdir)}
	if c.lock, err = lockDataDir(dataDir); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			c.lock.release()
		}
	}()
	if err := id.checkReachable(c.dir); err != nil {
		return nil, err
	}
	if err := c.ensureInitialised(ctx, dataDir); err != nil {
		return nil, err
	}
	if err := clearStale(c.dir, opts.Logger.Warn); err != nil {
		return nil, err
	}
	if c.logFile, err = os.OpenFile(filepath.Join(dataDir, LogFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600); err != nil {
		return nil, fmt.Errorf("open postgres log: %w", err)
	}
	if err := c.launch(ctx); err != nil {
		_ = c.logFile.Close()
		c.removeTmpSocket()
		return nil, err
	}
	return c, nil
}

// makeDataDir creates the data directory if needed and reports whether it
// did. Under root the directory must stay searchable by the cluster's user.
func makeDataDir(dir string, id runAs) (bool, error) {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return false, fmt.Errorf("data dir %s is not a directory", dir)
	case err == nil:
		return false, checkWritable(dir)
	case !errors.Is(err, os.ErrNotExist):
		return false, fmt.Errorf("data dir %s is not readable: %w", dir, err)
	}
	mode := os.FileMode(0o700)
	if id.cred != nil {
		mode = 0o711
	}
	if err := os.MkdirAll(dir, mode); err != nil {
		return false, fmt.Errorf("cannot create data dir %s: %w", dir, err)
	}
	return true, os.Chmod(dir, mode)
}

func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("data dir %s is not writable: %w", dir, err)
	}
	_ = f.Close()
	return os.Remove(f.Name())
}

// ensureInitialised runs initdb into a scratch directory and renames it
// into place only when it succeeded, so a failed first start leaves no
// half-made cluster behind.
func (c *Cluster) ensureInitialised(ctx context.Context, dataDir string) error {
	pwPath := filepath.Join(dataDir, PasswordFile)
	if _, err := os.Stat(filepath.Join(c.dir, "PG_VERSION")); err == nil {
		pw, err := os.ReadFile(pwPath)
		if err != nil {
			return fmt.Errorf("the cluster in %s has no owner password file %s: restore it, or move the data dir away to start afresh", c.dir, pwPath)
		}
		c.password = string(pw)
		return nil
	}
	c.opts.Logger.Info("initialising embedded PostgreSQL", "dir", c.dir, "version", c.bins.Version)
	password, err := randomHex(24)
	if err != nil {
		return err
	}
	scratch := c.dir + ".init"
	_ = os.RemoveAll(scratch)
	defer os.RemoveAll(scratch)
	pwTmp := filepath.Join(dataDir, ".initdb-password")
	if err := os.WriteFile(pwTmp, []byte(password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwTmp)
	if err := c.id.chown(pwTmp); err != nil {
		return err
	}
	if err := c.initdb(ctx, scratch, pwTmp); err != nil {
		return err
	}
	if err := writeFileAtomic(pwPath, []byte(password), 0o600); err != nil {
		return err
	}
	if err := os.Rename(scratch, c.dir); err != nil {
		return fmt.Errorf("move new cluster into place: %w", err)
	}
	c.password = password
	return nil
}

func (c *Cluster) initdb(ctx context.Context, dir, pwFile string) error {
	args := []string{"-D", dir, "-U", OwnerRole, "--auth=scram-sha-256", "--pwfile=" + pwFile,
		"--encoding=UTF8", "--no-instructions"}
	if c.opts.NoSync {
		args = append(args, "--no-sync")
	}
	var out []byte
	var err error
	for _, locale := range []string{"C.UTF-8", "C"} {
		if err := c.emptyDir(dir); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, c.bins.Path("initdb"), append(args, "--locale="+locale)...)
		cmd.Dir = "/"
		cmd.Env = childEnv()
		cmd.SysProcAttr = c.id.sysProcAttr()
		if out, err = cmd.CombinedOutput(); err == nil {
			return nil
		}
	}
	return fmt.Errorf("initdb failed: %w: %s", err, errorLines(string(out)))
}

// emptyDir makes dir an empty directory owned by the cluster's user:
// initdb running as that user cannot create it inside a root-owned data dir.
func (c *Cluster) emptyDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		return err
	}
	return c.id.chown(dir)
}

// errorLines keeps the lines of a tool's output that say what went wrong.
func errorLines(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "error") || strings.Contains(l, "FATAL") {
			keep = append(keep, strings.TrimSpace(l))
		}
	}
	if len(keep) == 0 {
		return lastLines(out, 2)
	}
	return strings.Join(keep, " | ")
}

// URL returns a connection string for role over the cluster's unix socket.
func (c *Cluster) URL(role, password string) string {
	return socketURL(c.socketDir, c.port, role, password)
}

// OwnerURL connects as the cluster's superuser.
func (c *Cluster) OwnerURL() string { return c.URL(OwnerRole, c.password) }

// Port is the loopback TCP port the cluster listens on.
func (c *Cluster) Port() int { return c.port }

// Dir is the cluster's PGDATA.
func (c *Cluster) Dir() string { return c.dir }

// Pid is the postmaster's process id.
func (c *Cluster) Pid() int { return c.cmd.Process.Pid }

// Done is closed when the postmaster exits, expectedly or not.
func (c *Cluster) Done() <-chan struct{} { return c.done }

// Stop shuts the cluster down: a fast shutdown first (open transactions
// roll back, everything is flushed), an immediate one if ctx ends first,
// and a kill as the last resort. It then releases the data directory.
func (c *Cluster) Stop(ctx context.Context) error {
	c.stopOnce.Do(func() {
		c.stopErr = c.terminate(ctx)
		_ = c.logFile.Close()
		c.removeTmpSocket()
		c.lock.release()
	})
	return c.stopErr
}

func (c *Cluster) terminate(ctx context.Context) error {
	select {
	case <-c.done:
		return nil
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
	}
	_ = c.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.done:
		return errors.New("postgres needed an immediate shutdown")
	case <-time.After(5 * time.Second):
	}
	_ = c.cmd.Process.Kill()
	<-c.done
	return errors.New("postgres had to be killed")
}

// Attach returns the owner URL of a cluster that another creatorbase
// process started in dataDir.
func Attach(dataDir string) (string, error) {
	pf, err := readPidFile(filepath.Join(dataDir, ClusterSubdir))
	if err != nil || !isPostgres(pf.Pid) {
		return "", fmt.Errorf("no running PostgreSQL in %s", dataDir)
	}
	pw, err := os.ReadFile(filepath.Join(dataDir, PasswordFile))
	if err != nil {
		return "", fmt.Errorf("read owner password: %w", err)
	}
	return socketURL(pf.SocketDir, pf.Port, OwnerRole, string(pw)), nil
}

func socketURL(socketDir string, port int, role, password string) string {
	q := url.Values{"host": {socketDir}, "port": {strconv.Itoa(port)}, "sslmode": {"disable"}}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(role, password), Path: "/" + Database, RawQuery: q.Encode()}
	return u.String()
}

func childEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "TZ=UTC", "LC_ALL=C.UTF-8"}
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func sortedSettings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	args := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, "-c", k+"="+m[k])
	}
	return args
}
