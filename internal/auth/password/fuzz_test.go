package password

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// fuzzLimits are far tighter than the production caps so that every input
// the fuzzer can build is cheap to verify; the parsing and cap-checking code
// is the same.
var fuzzLimits = limits{
	maxMemory:      1024,
	maxIterations:  4,
	maxParallelism: 4,
	maxWork:        2048,
	maxBcryptCost:  5,
}

// fuzzTimeBound is far above the cost of the most expensive input allowed by
// fuzzLimits (a few milliseconds), leaving room for -race and loaded CI.
const fuzzTimeBound = 2 * time.Second

func FuzzVerify(f *testing.F) {
	f.Add("password", refArgon2id)
	f.Add("password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc")
	f.Add("U*U", refBcrypt)
	f.Add("\xa3", "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq")
	f.Add("pw", mustHash(f, testParams, "pw"))
	f.Add("密码", mustHash(f, Params{Memory: 32, Iterations: 2, Parallelism: 4, SaltLen: 8, KeyLen: 16}, "密码"))
	f.Add("pw", "$argon2id$v=19$m=4294967295,t=4294967295,p=255$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("pw", "$argon2id$v=19$m=262144,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("pw", "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")
	f.Add("pw", "$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("pw", "$argon2id$v=19$m=256,t=2,p=1,keyid=x$c29tZXNhbHQ=$nf65EOgLrQMR")
	f.Add("", "")
	f.Add(strings.Repeat("a", MaxLength+1), refArgon2id)

	f.Fuzz(func(t *testing.T, plain, encoded string) {
		start := time.Now()
		ok, err := verify(plain, encoded, &fuzzLimits)
		if d := time.Since(start); d > fuzzTimeBound {
			t.Fatalf("verify took %v (> %v)", d, fuzzTimeBound)
		}
		if err != nil {
			if ok {
				t.Fatalf("verify = true with error %v", err)
			}
			if !errors.Is(err, ErrUnknownFormat) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLong) {
				t.Fatalf("verify returned unexpected error %v", err)
			}
		}

		// Anything accepted under the fuzz caps respects them.
		if h, err := parsePHC(encoded, &fuzzLimits); err == nil {
			p := h.params
			if p.Memory > fuzzLimits.maxMemory || p.Iterations > fuzzLimits.maxIterations ||
				p.Parallelism > fuzzLimits.maxParallelism || uint64(p.Memory)*uint64(p.Iterations) > fuzzLimits.maxWork {
				t.Fatalf("accepted %+v above the fuzz caps", p)
			}
		}
		if isBcryptPrefix(encoded) {
			if cost, err := checkBcrypt(encoded, &fuzzLimits); err == nil && cost > fuzzLimits.maxBcryptCost {
				t.Fatalf("accepted bcrypt cost %d above the fuzz cap", cost)
			}
		}

		// The production parser (no hashing, so cheap at any cost) must not
		// panic, must keep accepted hashes within the production caps and
		// must accept exactly one spelling of each hash.
		h, err := parsePHC(encoded, &defaultLimits)
		switch {
		case err == nil:
			if verr := h.params.Validate(); verr != nil {
				t.Fatalf("accepted params that fail Validate: %v", verr)
			}
			if re := encodePHC(h.params, h.salt, h.key); re != encoded {
				t.Fatalf("non-canonical hash accepted: %q re-encodes as %q", encoded, re)
			}
			if NeedsRehash(encoded, h.params) {
				t.Fatalf("NeedsRehash(hash, own params) = true")
			}
		case errors.Is(err, ErrUnknownFormat), errors.Is(err, ErrMalformed):
			if !NeedsRehash(encoded, DefaultParams) {
				t.Fatalf("NeedsRehash(unparsable) = false")
			}
		default:
			t.Fatalf("parsePHC returned unexpected error %v", err)
		}
	})
}
