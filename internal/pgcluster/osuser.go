package pgcluster

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the OS identity the cluster's processes run under. When
// creatorbase is not root it is the current user, and nothing changes.
type runAs struct {
	cred *syscall.Credential // nil: the current user
	name string
}

// osIdentity picks the identity for initdb and postgres. PostgreSQL refuses
// to run as root, so root hands the cluster to an unprivileged user.
func osIdentity(name string) (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{}, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return runAs{}, fmt.Errorf("running as root, the embedded PostgreSQL must run as an unprivileged OS user, but user %q does not exist: create it (useradd --system %s) or set CREATORBASE_POSTGRES_OS_USER", name, name)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	if uid == 0 {
		return runAs{}, fmt.Errorf("CREATORBASE_POSTGRES_OS_USER %q is root; PostgreSQL will not run as root", name)
	}
	return runAs{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, name: name}, nil
}

// sysProcAttr runs the child as the identity, in its own process group (so
// a terminal's Ctrl-C reaches creatorbase, which then stops the cluster in
// order), and makes the kernel send it SIGQUIT if creatorbase dies, so a
// killed creatorbase never leaves an orphan postmaster.
//
// Linux ties the parent-death signal to the thread that forked, not the
// process. The Go runtime does not end its threads (only a thread locked
// with runtime.LockOSThread whose goroutine exits is ended), and nothing
// here locks threads, so the signal fires when the process dies. If that
// ever changes, the next start still finds and stops the orphan (clearStale).
func (r runAs) sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: r.cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
}

// chown hands a path to the identity.
func (r runAs) chown(path string) error {
	if r.cred == nil {
		return nil
	}
	return os.Chown(path, int(r.cred.Uid), int(r.cred.Gid))
}

// checkReachable makes sure the identity can walk down to dir: every
// ancestor must be searchable by it. A clear message beats initdb's.
func (r runAs) checkReachable(dir string) error {
	if r.cred == nil {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok && !searchable(fi.Mode(), st, r.cred) {
			return fmt.Errorf("OS user %q, which runs the embedded PostgreSQL, cannot reach %s because %s is not searchable by it: run `chmod o+x %s` or choose a --data-dir elsewhere (for example under /var/lib or /tmp)", r.name, abs, p, p)
		}
		if p == "/" || p == "." {
			return nil
		}
	}
}

func searchable(mode os.FileMode, st *syscall.Stat_t, c *syscall.Credential) bool {
	switch {
	case st.Uid == c.Uid:
		return mode&0o100 != 0
	case st.Gid == c.Gid:
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}
