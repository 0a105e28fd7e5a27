package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cpu is the CPU time, in clock ticks (1/100 s), that creatorbase and the
// PostgreSQL cluster (postmaster, live backends and reaped ones) have used.
type cpu struct{ goTicks, pgTicks int64 }

// sampleCPU reads both from /proc. Backends that ended since the last
// sample are counted through the postmaster's cutime/cstime.
func sampleCPU(goPid, postmaster int) (cpu, error) {
	var c cpu
	st, err := procStat(goPid)
	if err != nil {
		return c, err
	}
	c.goTicks = st.utime + st.stime
	pm, err := procStat(postmaster)
	if err != nil {
		return c, err
	}
	c.pgTicks = pm.utime + pm.stime + pm.cutime + pm.cstime
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return c, err
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := procStat(pid); err == nil && st.ppid == int64(postmaster) {
			c.pgTicks += st.utime + st.stime
		}
	}
	return c, nil
}

type stat struct{ ppid, utime, stime, cutime, cstime int64 }

func procStat(pid int) (stat, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return stat{}, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	// Fields after the command, from 0: state ppid … utime(11) stime(12) cutime(13) cstime(14).
	return stat{ppid: n(1), utime: n(11), stime: n(12), cutime: n(13), cstime: n(14)}, nil
}

// postmasterPid is the first line of the cluster's postmaster.pid.
func postmasterPid(clusterDir string) (int, error) {
	b, err := os.ReadFile(filepath.Join(clusterDir, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(line))
}

// perRequestUS spreads the ticks between two samples over n requests.
func perRequestUS(ticks int64, n float64) float64 {
	if n <= 0 {
		return 0
	}
	return float64(ticks) * 1e6 / 100 / n
}
