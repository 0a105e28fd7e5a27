package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrStartFailed means the postmaster exited or never accepted connections.
var ErrStartFailed = errors.New("PostgreSQL failed to start")

// maxSocketPath is the longest unix socket path Linux accepts, less room
// for the "/.s.PGSQL.NNNNN" PostgreSQL appends.
const maxSocketPath = 107 - len("/.s.PGSQL.65535")

// launch starts the postmaster and waits for it to accept connections.
// Transient conflicts (a port taken between choosing and binding, shared
// memory still held by the dying children of a killed postmaster) are
// retried with a fresh port.
func (c *Cluster) launch(ctx context.Context) error {
	if err := c.chooseSocketDir(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.StartTimeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		err := c.launchOnce(ctx)
		if err == nil {
			return nil
		}
		if !errors.Is(err, errTransient) || attempt == 8 || ctx.Err() != nil {
			return err
		}
		c.opts.Logger.Info("retrying PostgreSQL start", "attempt", attempt, "reason", err.Error())
		time.Sleep(time.Duration(attempt) * 250 * time.Millisecond)
	}
}

var errTransient = errors.New("transient start failure")

func (c *Cluster) launchOnce(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logStart, _ := c.logFile.Seek(0, 2)
	args := append([]string{"-D", c.dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + c.socketDir},
		sortedSettings(c.opts.Settings)...)
	cmd := exec.Command(c.bins.Path("postgres"), args...)
	cmd.Dir = c.dir
	cmd.Env = childEnv()
	cmd.Stdout, cmd.Stderr = c.logFile, c.logFile
	cmd.SysProcAttr = c.id.sysProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: %v", ErrStartFailed, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	c.cmd, c.done, c.port = cmd, done, port
	if err := c.waitReady(ctx); err != nil {
		_ = cmd.Process.Signal(os.Kill)
		<-done
		return c.explain(err, logStart)
	}
	c.opts.Logger.Info("embedded PostgreSQL ready", "pid", cmd.Process.Pid, "port", port, "socket_dir", c.socketDir)
	return nil
}

var errExited = errors.New("postmaster exited")

func (c *Cluster) waitReady(ctx context.Context) error {
	for {
		select {
		case <-c.done:
			return errExited
		case <-ctx.Done():
			return fmt.Errorf("no connection within %s", c.opts.StartTimeout)
		default:
		}
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(cctx, c.OwnerURL())
		cancel()
		if err == nil {
			_ = conn.Close(ctx)
			return nil
		}
		select {
		case <-c.done:
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// explain turns a failed start into one line that says why, taken from the
// postmaster's own log.
func (c *Cluster) explain(err error, logStart int64) error {
	b, _ := os.ReadFile(c.logFile.Name())
	if logStart < int64(len(b)) {
		b = b[logStart:]
	}
	tail := lastLines(string(b), 2)
	for _, transient := range []string{"could not bind", "Address already in use", "pre-existing shared memory block", "lock file"} {
		if strings.Contains(tail, transient) {
			return fmt.Errorf("%w: %s", errTransient, tail)
		}
	}
	if tail == "" {
		tail = err.Error()
	}
	return fmt.Errorf("%w: %s (full log: %s)", ErrStartFailed, tail, c.logFile.Name())
}

// chooseSocketDir puts the socket inside PGDATA unless that path is too
// long for a unix socket, in which case it uses a private temporary one.
func (c *Cluster) chooseSocketDir() error {
	if len(c.dir) <= maxSocketPath {
		c.socketDir = c.dir
		return nil
	}
	dir, err := os.MkdirTemp("", "creatorbase-sock-")
	if err != nil {
		return err
	}
	if err := c.id.chown(dir); err != nil {
		return err
	}
	c.socketDir, c.tmpSocket = dir, true
	return nil
}

func (c *Cluster) removeTmpSocket() {
	if c.tmpSocket {
		_ = os.RemoveAll(c.socketDir)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(s string, n int) string {
	var keep []string
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0 && len(keep) < n; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			keep = append([]string{l}, keep...)
		}
	}
	return strings.Join(keep, " | ")
}

// LogPath is where the postmaster of dataDir writes its log.
func LogPath(dataDir string) string { return filepath.Join(dataDir, LogFile) }
