package ratelimit_test

import (
	"sync"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/auth/ratelimit"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T, r ratelimit.Rate) (*ratelimit.Limiter, *clock) {
		t.Helper()
		c := &clock{t: time.Unix(1000, 0)}
		return ratelimit.New(r, c.now), c
	}

	t.Run("BurstThenRefill", func(t *testing.T) {
		t.Parallel()
		l, c := setup(t, ratelimit.Rate{N: 150, Per: 5 * time.Minute}) // 1 per 2 s, burst 30
		for i := range 30 {
			if ok, _ := l.Allow("ip"); !ok {
				t.Fatalf("request %d refused within the burst", i)
			}
		}
		ok, retry := l.Allow("ip")
		if ok || retry != 2*time.Second {
			t.Fatalf("31st: ok=%v retry=%v", ok, retry)
		}
		c.add(2 * time.Second)
		if ok, _ := l.Allow("ip"); !ok {
			t.Fatal("not refilled after 2 s")
		}
		if ok, _ := l.Allow("other"); !ok {
			t.Fatal("keys share a bucket")
		}
	})
	t.Run("SmallRateBurstIsN", func(t *testing.T) {
		t.Parallel()
		l, _ := setup(t, ratelimit.Rate{N: 3, Per: time.Hour})
		for range 3 {
			if ok, _ := l.Allow("a"); !ok {
				t.Fatal("refused within burst")
			}
		}
		if ok, retry := l.Allow("a"); ok || retry != 20*time.Minute {
			t.Fatalf("ok=%v retry=%v", ok, retry)
		}
	})
	t.Run("OffAllowsAll", func(t *testing.T) {
		t.Parallel()
		l, _ := setup(t, ratelimit.Rate{})
		for range 1000 {
			if ok, _ := l.Allow("a"); !ok {
				t.Fatal("refused")
			}
		}
	})
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	r, err := ratelimit.ParseRate("150/5m")
	if err != nil || r.N != 150 || r.Per != 5*time.Minute || r.String() != "150/5m0s" {
		t.Fatalf("%v %v", r, err)
	}
	if r, err := ratelimit.ParseRate("off"); err != nil || !r.Off() {
		t.Fatalf("%v %v", r, err)
	}
	for _, bad := range []string{"", "150", "0/5m", "x/5m", "5/forever", "5/1ms"} {
		if _, err := ratelimit.ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
}
