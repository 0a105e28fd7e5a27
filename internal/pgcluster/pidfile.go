package pgcluster

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// pidFile is what PostgreSQL writes to postmaster.pid: pid, data dir,
// start time, port, socket directory, listen address, shared memory key
// and status, one per line.
type pidFile struct {
	Pid       int
	Port      int
	SocketDir string
	Status    string
}

func readPidFile(clusterDir string) (pidFile, error) {
	b, err := os.ReadFile(filepath.Join(clusterDir, "postmaster.pid"))
	if err != nil {
		return pidFile{}, err
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 5 {
		return pidFile{}, errors.New("postmaster.pid is incomplete")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil {
		return pidFile{}, fmt.Errorf("postmaster.pid: bad pid %q", lines[0])
	}
	port, _ := strconv.Atoi(strings.TrimSpace(lines[3]))
	pf := pidFile{Pid: pid, Port: port, SocketDir: strings.TrimSpace(lines[4])}
	if len(lines) > 7 {
		pf.Status = strings.TrimSpace(lines[7])
	}
	return pf, nil
}

// isPostgres reports whether pid is a live postgres process.
func isPostgres(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	argv0, _, _ := bytes.Cut(cmdline, []byte{0})
	return filepath.Base(string(argv0)) == "postgres" || bytes.HasPrefix(cmdline, []byte("postgres:"))
}

// clearStale prepares a cluster directory whose previous owner died. We
// hold the data dir lock, so a postmaster still running there is an orphan
// of an earlier creatorbase: it is asked to shut down. A postmaster.pid
// naming a dead process, or one that is not postgres, is removed so that
// PostgreSQL does not mistake a recycled pid for a running server.
func clearStale(clusterDir string, logf func(msg string, args ...any)) error {
	pf, err := readPidFile(clusterDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	pidPath := filepath.Join(clusterDir, "postmaster.pid")
	if err != nil || !isPostgres(pf.Pid) {
		logf("removing stale postmaster.pid", "pid", pf.Pid)
		return os.Remove(pidPath)
	}
	logf("stopping orphaned postmaster left by an earlier run", "pid", pf.Pid)
	_ = syscall.Kill(pf.Pid, syscall.SIGINT)
	if waitGone(pf.Pid, 15*time.Second) {
		return nil
	}
	_ = syscall.Kill(pf.Pid, syscall.SIGQUIT)
	if waitGone(pf.Pid, 5*time.Second) {
		return nil
	}
	return fmt.Errorf("an orphaned postmaster (pid %d) keeps running in %s and does not stop", pf.Pid, clusterDir)
}

func waitGone(pid int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !isPostgres(pid) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
