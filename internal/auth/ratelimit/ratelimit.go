// Package ratelimit is an in-memory token bucket per key (client address,
// account), as GoTrue's limiters: a Rate of N events per period refills
// continuously and allows bursts of up to min(N, 30) events.
package ratelimit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxBurst caps a bucket's size (GoTrue's burst of 30).
const MaxBurst = 30

// Rate is N events per Per; the zero Rate means no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// Off reports whether r imposes no limit.
func (r Rate) Off() bool { return r.N <= 0 || r.Per <= 0 }

// String is the form ParseRate reads: "150/5m0s", or "off".
func (r Rate) String() string {
	if r.Off() {
		return "off"
	}
	return strconv.Itoa(r.N) + "/" + r.Per.String()
}

// ParseRate reads "N/duration" (e.g. "150/5m") or "off".
func ParseRate(s string) (Rate, error) {
	if s == "off" {
		return Rate{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	if !ok {
		return Rate{}, fmt.Errorf("%q is not N/duration (such as 30/5m) or off", s)
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 1 || count > 1_000_000_000 {
		return Rate{}, fmt.Errorf("%q: count must be a positive number", s)
	}
	d, err := time.ParseDuration(per)
	if err != nil || d < time.Second || d > 24*time.Hour {
		return Rate{}, fmt.Errorf("%q: period must be a duration between 1s and 24h", s)
	}
	return Rate{N: count, Per: d}, nil
}

// Limiter holds one bucket per key.
type Limiter struct {
	rate  Rate
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// sweepAt is the number of buckets above which full (idle) buckets are
// dropped, at most once a minute, so memory stays bounded by activity.
const sweepAt = 10_000

// New returns a limiter for r; now may be nil (time.Now).
func New(r Rate, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	burst := float64(min(r.N, MaxBurst))
	return &Limiter{rate: r, burst: burst, now: now, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket. When none is left it returns
// false and how long until one is.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.rate.Off() {
		return true, 0
	}
	perToken := float64(l.rate.Per) / float64(l.rate.N) // ns per token
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now, perToken)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+float64(now.Sub(b.at))/perToken)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * perToken)
}

func (l *Limiter) sweep(now time.Time, perToken float64) {
	if len(l.buckets) < sweepAt || now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/perToken >= l.burst {
			delete(l.buckets, k)
		}
	}
}
