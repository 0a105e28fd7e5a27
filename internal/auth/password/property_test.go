package password

import (
	"math/rand/v2"
	"testing"
	"testing/quick"
)

// TestPropertyRoundTrip: for any string, its hash verifies it, rejects any
// different string, needs no rehash with its own parameters, and re-encodes
// to itself.
func TestPropertyRoundTrip(t *testing.T) {
	t.Parallel()
	cfg := &quick.Config{MaxCount: 200}
	roundTrip := func(plain string) bool {
		h, err := Hash(testParams, plain)
		if err != nil {
			return false
		}
		ok, err := Verify(plain, h)
		if !ok || err != nil {
			return false
		}
		parsed, err := parsePHC(h, &defaultLimits)
		return err == nil && encodePHC(parsed.params, parsed.salt, parsed.key) == h && !NeedsRehash(h, testParams)
	}
	if err := quick.Check(roundTrip, cfg); err != nil {
		t.Error(err)
	}
	distinct := func(a, b string) bool {
		if a == b {
			return true
		}
		h, err := Hash(testParams, a)
		if err != nil {
			return false
		}
		ok, err := Verify(b, h)
		return !ok && err == nil
	}
	if err := quick.Check(distinct, cfg); err != nil {
		t.Error(err)
	}
}

// TestPropertyRandomParams: any valid (small) parameter set hashes,
// verifies, and is recovered exactly from the encoded string.
func TestPropertyRandomParams(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		par := uint8(1 + r.IntN(4))
		p := Params{
			Parallelism: par,
			Memory:      8*uint32(par) + r.Uint32N(256),
			Iterations:  1 + r.Uint32N(3),
			SaltLen:     MinSaltLen + r.Uint32N(MaxSaltLen-MinSaltLen+1),
			KeyLen:      MinKeyLen + r.Uint32N(MaxKeyLen-MinKeyLen+1),
		}
		plain := randomString(r, r.IntN(64))
		h, err := Hash(p, plain)
		if err != nil {
			t.Fatalf("#%d Hash(%+v) = %v", i, p, err)
		}
		if ok, err := Verify(plain, h); !ok || err != nil {
			t.Fatalf("#%d Verify(%+v) = %v, %v", i, p, ok, err)
		}
		if ok, err := Verify(plain+"\x00", h); ok || err != nil {
			t.Fatalf("#%d Verify(wrong, %+v) = %v, %v", i, p, ok, err)
		}
		parsed, err := parsePHC(h, &defaultLimits)
		if err != nil || parsed.params != p {
			t.Fatalf("#%d parsed %+v, %v; want %+v", i, parsed, err, p)
		}
		if NeedsRehash(h, p) || !NeedsRehash(h, testParams) && p != testParams {
			t.Fatalf("#%d NeedsRehash inconsistent for %+v", i, p)
		}
	}
}

// randomString returns n random runes drawn from ASCII, Latin-1, CJK and
// emoji ranges, plus occasional invalid UTF-8 bytes.
func randomString(r *rand.Rand, n int) string {
	b := make([]byte, 0, 4*n)
	for range n {
		switch r.IntN(5) {
		case 0:
			b = append(b, byte(0x20+r.IntN(0x5f)))
		case 1:
			b = append(b, string(rune(0xa0+r.IntN(0x60)))...)
		case 2:
			b = append(b, string(rune(0x4e00+r.IntN(0x5000)))...)
		case 3:
			b = append(b, string(rune(0x1f300+r.IntN(0x300)))...)
		default:
			b = append(b, byte(0x80+r.IntN(0x80)))
		}
	}
	return string(b)
}
