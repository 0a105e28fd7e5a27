package cli_test

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkColdStart: empty data dir to /health 200, including initdb and
// every migration. Target: 15 s on a 2-core machine.
func BenchmarkColdStart(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := benchDataDir(b)
		b.StartTimer()
		p := startServeB(b, dir)
		b.StopTimer()
		stopServe(b, p)
		b.StartTimer()
	}
}

// BenchmarkWarmStart: an initialised data dir to /health 200. Target: 2 s.
// It also reports the idle resident memory of the creatorbase process
// (target 60 MB), read after a second of idling.
func BenchmarkWarmStart(b *testing.B) {
	dir := benchDataDir(b)
	stopServe(b, startServeB(b, dir))
	var rss float64
	b.ResetTimer()
	for b.Loop() {
		p := startServeB(b, dir)
		b.StopTimer()
		time.Sleep(time.Second)
		rss = rssMB(b, p.cmd.Process.Pid)
		stopServe(b, p)
		b.StartTimer()
	}
	b.ReportMetric(rss, "MB-idle-rss")
}

func benchDataDir(b *testing.B) string {
	b.Helper()
	dir, err := os.MkdirTemp("", "creatorbase-bench-")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Chmod(dir, 0o711); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir + "/data"
}

func startServeB(b *testing.B, dir string) *proc {
	b.Helper()
	p := startServeTB(b, dir)
	deadline := time.Now().Add(60 * time.Second)
	for p.healthStatus() != 200 {
		if time.Now().After(deadline) {
			b.Fatalf("not healthy: %s", p.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return p
}

func stopServe(b *testing.B, p *proc) {
	b.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		b.Fatal("serve did not stop")
	}
}

func rssMB(b *testing.B, pid int) float64 {
	b.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
