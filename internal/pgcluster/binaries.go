package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// MinMajorVersion is the oldest PostgreSQL major version creatorbase runs on.
const MinMajorVersion = 15

// ErrBinariesNotFound means no usable PostgreSQL server binaries were found.
var ErrBinariesNotFound = errors.New("PostgreSQL server binaries not found: install PostgreSQL 15 or newer, or set DATABASE_URL")

// Binaries locates one PostgreSQL installation's server programs.
type Binaries struct {
	Dir     string // directory holding postgres, initdb and friends
	Version string // e.g. "15.18"
	Major   int
}

// Path returns the full path of the named program in the installation.
func (b Binaries) Path(name string) string { return filepath.Join(b.Dir, name) }

// FindBinaries looks for postgres and initdb on PATH, then in
// `pg_config --bindir`, then in the newest /usr/lib/postgresql/<n>/bin.
func FindBinaries(ctx context.Context) (Binaries, error) {
	var tooOld []string
	for _, dir := range candidateDirs(ctx) {
		b, err := probe(ctx, dir)
		if err != nil {
			continue
		}
		if b.Major < MinMajorVersion {
			tooOld = append(tooOld, b.Version+" in "+b.Dir)
			continue
		}
		return b, nil
	}
	if len(tooOld) > 0 {
		return Binaries{}, fmt.Errorf("%w (found only %s)", ErrBinariesNotFound, strings.Join(tooOld, ", "))
	}
	return Binaries{}, ErrBinariesNotFound
}

func candidateDirs(ctx context.Context) []string {
	var dirs []string
	if p, err := exec.LookPath("postgres"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	if pgc, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.CommandContext(ctx, pgc, "--bindir").Output(); err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(versions, func(i, j int) bool { return versionOf(versions[i]) > versionOf(versions[j]) })
	return append(dirs, versions...)
}

func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

var versionRe = regexp.MustCompile(`\(PostgreSQL\) (\d+)(\.\d+)?`)

func probe(ctx context.Context, dir string) (Binaries, error) {
	for _, name := range []string{"postgres", "initdb"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() {
			return Binaries{}, ErrBinariesNotFound
		}
	}
	out, err := exec.CommandContext(ctx, filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return Binaries{}, fmt.Errorf("run postgres --version: %w", err)
	}
	m := versionRe.FindStringSubmatch(string(out))
	if m == nil {
		return Binaries{}, fmt.Errorf("unrecognised postgres --version output %q", out)
	}
	major, _ := strconv.Atoi(m[1])
	return Binaries{Dir: dir, Version: m[1] + m[2], Major: major}, nil
}
