package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrInUse means another creatorbase process holds the data directory.
var ErrInUse = errors.New("data directory is in use")

// InUseError says which process holds the data directory.
type InUseError struct {
	Dir string
	Pid int
}

func (e *InUseError) Error() string {
	who := "another creatorbase process"
	if e.Pid > 0 {
		who = fmt.Sprintf("another creatorbase process (pid %d)", e.Pid)
	}
	return fmt.Sprintf("data directory %s is in use by %s: stop it first, or choose another --data-dir", e.Dir, who)
}

func (e *InUseError) Unwrap() error { return ErrInUse }

// dirLock is an exclusive flock on <data-dir>/creatorbase.lock. The kernel
// drops it when the process dies, however it dies, so a crash never leaves
// a stale lock behind. The file is opened close-on-exec, so the postmaster
// does not inherit it.
type dirLock struct{ f *os.File }

func lockDataDir(dataDir string) (*dirLock, error) {
	path := filepath.Join(dataDir, "creatorbase.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &InUseError{Dir: dataDir, Pid: LockHolder(dataDir)}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dirLock{f: f}, nil
}

// LockHolder returns the pid written by the process holding the data dir
// lock, or 0 when unknown.
func LockHolder(dataDir string) int {
	b, err := os.ReadFile(filepath.Join(dataDir, "creatorbase.lock"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
	l.f = nil
}
