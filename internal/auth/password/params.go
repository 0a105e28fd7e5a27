package password

import (
	"errors"
	"fmt"
)

// Params are argon2id cost parameters.
type Params struct {
	// Memory is the memory cost in KiB (argon2 "m").
	Memory uint32
	// Iterations is the number of passes over memory (argon2 "t").
	Iterations uint32
	// Parallelism is the number of lanes (argon2 "p").
	Parallelism uint8
	// SaltLen is the length of the random salt in bytes.
	SaltLen uint32
	// KeyLen is the length of the derived hash in bytes.
	KeyLen uint32
}

// DefaultParams are the parameters for new hashes: m=19456 KiB (19 MiB),
// t=2, p=1, a 16-byte salt and a 32-byte hash.
//
// This is exactly OWASP's recommended argon2id configuration (Password
// Storage Cheat Sheet), which is also the default of RustCrypto's argon2 and
// of Ruby's argon2id. Of OWASP's equivalent-strength options it uses the
// least memory per sign-in (19 MiB, so 50 concurrent sign-ins need about
// 1 GiB) and takes roughly 40 ms on one core of a current x86 server. p=1
// because a server already spreads concurrent sign-ins over its cores. The
// 128-bit salt is RFC 9106's recommendation and the 256-bit hash matches the
// reference argon2 CLI. Raise Memory or Iterations if the hardware allows;
// NeedsRehash upgrades existing hashes on the next sign-in.
//
// The package itself never reads DefaultParams; callers pass Params to Hash
// and NeedsRehash explicitly. Treat it as read-only.
var DefaultParams = Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLen:     16,
	KeyLen:      32,
}

// Caps on argon2id parameters. Validate rejects Params outside them, and
// Verify refuses (with ErrMalformed) stored hashes outside them before doing
// any work, which bounds the cost of verifying an attacker-planted hash to
// at most MaxMemory of RAM and MaxWork KiB-passes of computation (about
// 1–2 s on one core).
const (
	// MinMemoryPerLane is argon2's floor: Memory must be at least
	// 8 KiB times Parallelism.
	MinMemoryPerLane = 8
	// MaxMemory is the largest accepted Memory, in KiB (256 MiB).
	MaxMemory = 256 * 1024
	// MaxIterations is the largest accepted Iterations.
	MaxIterations = 16
	// MaxParallelism is the largest accepted Parallelism.
	MaxParallelism = 16
	// MaxWork is the largest accepted Memory×Iterations, in KiB-passes
	// (for example 256 MiB with t=2, or 64 MiB with t=8).
	MaxWork = 512 * 1024
	// MinSaltLen is the shortest accepted salt in bytes (RFC 9106 minimum).
	MinSaltLen = 8
	// MaxSaltLen is the longest accepted salt in bytes.
	MaxSaltLen = 64
	// MinKeyLen is the shortest accepted hash in bytes (128 bits).
	MinKeyLen = 16
	// MaxKeyLen is the longest accepted hash in bytes.
	MaxKeyLen = 128
)

// ErrInvalidParams is wrapped by the errors Params.Validate returns.
var ErrInvalidParams = errors.New("password: invalid argon2id parameters")

// limits are the caps that parameters are checked against. Production code
// always uses defaultLimits; the fuzz test uses tighter ones so that every
// input it generates is cheap to verify.
type limits struct {
	maxMemory      uint32
	maxIterations  uint32
	maxParallelism uint8
	maxWork        uint64
	maxBcryptCost  int
}

var defaultLimits = limits{
	maxMemory:      MaxMemory,
	maxIterations:  MaxIterations,
	maxParallelism: MaxParallelism,
	maxWork:        MaxWork,
	maxBcryptCost:  MaxBcryptCost,
}

// Validate reports whether p can be used with Hash. It rejects values that
// are zero, below argon2's own minimums or above the package caps; it does
// not enforce a security floor (tests use m=64 KiB, t=1), see MeetsOWASP.
func (p Params) Validate() error {
	return p.validate(&defaultLimits)
}

func (p Params) validate(l *limits) error {
	switch {
	case p.Parallelism == 0:
		return fmt.Errorf("%w: parallelism must be at least 1", ErrInvalidParams)
	case p.Parallelism > l.maxParallelism:
		return fmt.Errorf("%w: parallelism %d exceeds the maximum %d", ErrInvalidParams, p.Parallelism, l.maxParallelism)
	case p.Memory < MinMemoryPerLane*uint32(p.Parallelism):
		return fmt.Errorf("%w: memory %d KiB is below %d KiB per lane (p=%d)", ErrInvalidParams, p.Memory, MinMemoryPerLane, p.Parallelism)
	case p.Memory > l.maxMemory:
		return fmt.Errorf("%w: memory %d KiB exceeds the maximum %d KiB", ErrInvalidParams, p.Memory, l.maxMemory)
	case p.Iterations == 0:
		return fmt.Errorf("%w: iterations must be at least 1", ErrInvalidParams)
	case p.Iterations > l.maxIterations:
		return fmt.Errorf("%w: iterations %d exceeds the maximum %d", ErrInvalidParams, p.Iterations, l.maxIterations)
	case uint64(p.Memory)*uint64(p.Iterations) > l.maxWork:
		return fmt.Errorf("%w: memory×iterations %d exceeds the maximum %d KiB-passes", ErrInvalidParams, uint64(p.Memory)*uint64(p.Iterations), l.maxWork)
	case p.SaltLen < MinSaltLen || p.SaltLen > MaxSaltLen:
		return fmt.Errorf("%w: salt length %d is outside %d..%d bytes", ErrInvalidParams, p.SaltLen, MinSaltLen, MaxSaltLen)
	case p.KeyLen < MinKeyLen || p.KeyLen > MaxKeyLen:
		return fmt.Errorf("%w: key length %d is outside %d..%d bytes", ErrInvalidParams, p.KeyLen, MinKeyLen, MaxKeyLen)
	}
	return nil
}

// owaspOptions are the equivalent-strength argon2id configurations of the
// OWASP Password Storage Cheat Sheet, as (memory KiB, iterations) pairs, all
// with parallelism 1.
var owaspOptions = [...]struct{ memory, iterations uint32 }{
	{47104, 1},
	{19456, 2},
	{12288, 3},
	{9216, 4},
	{7168, 5},
}

// MeetsOWASP reports whether p is valid and at least as strong as one of
// OWASP's recommended argon2id configurations (m=47104 KiB t=1,
// m=19456 t=2, m=12288 t=3, m=9216 t=4 or m=7168 t=5) with a salt of at
// least 16 bytes. Use it to refuse weak production settings at start-up.
func (p Params) MeetsOWASP() bool {
	if p.Validate() != nil || p.SaltLen < 16 {
		return false
	}
	for _, o := range owaspOptions {
		if p.Memory >= o.memory && p.Iterations >= o.iterations {
			return true
		}
	}
	return false
}
