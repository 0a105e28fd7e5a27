package password

import (
	"errors"
	"testing"
)

// testParams are deliberately tiny so the suite runs quickly under -race.
var testParams = Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

func TestDefaultParams(t *testing.T) {
	t.Parallel()
	if err := DefaultParams.Validate(); err != nil {
		t.Fatalf("DefaultParams.Validate() = %v", err)
	}
	if !DefaultParams.MeetsOWASP() {
		t.Fatal("DefaultParams.MeetsOWASP() = false")
	}
	if testParams.MeetsOWASP() {
		t.Fatal("testParams.MeetsOWASP() = true, want false")
	}
}

func TestParamsValidate(t *testing.T) {
	t.Parallel()
	with := func(f func(*Params)) Params {
		p := testParams
		f(&p)
		return p
	}
	tests := []struct {
		name string
		p    Params
		ok   bool
	}{
		{"tiny test params", testParams, true},
		{"default", DefaultParams, true},
		{"zero value", Params{}, false},
		{"memory zero", with(func(p *Params) { p.Memory = 0 }), false},
		{"memory 8 KiB per lane", with(func(p *Params) { p.Memory, p.Parallelism = 32, 4 }), true},
		{"memory below 8 KiB per lane", with(func(p *Params) { p.Memory, p.Parallelism = 31, 4 }), false},
		{"memory at cap", with(func(p *Params) { p.Memory = MaxMemory }), true},
		{"memory above cap", with(func(p *Params) { p.Memory = MaxMemory + 1 }), false},
		{"iterations zero", with(func(p *Params) { p.Iterations = 0 }), false},
		{"iterations at cap", with(func(p *Params) { p.Iterations = MaxIterations }), true},
		{"iterations above cap", with(func(p *Params) { p.Iterations = MaxIterations + 1 }), false},
		{"work at cap", with(func(p *Params) { p.Memory, p.Iterations = MaxMemory, MaxWork/MaxMemory }), true},
		{"work above cap", with(func(p *Params) { p.Memory, p.Iterations = MaxMemory, MaxWork/MaxMemory+1 }), false},
		{"parallelism zero", with(func(p *Params) { p.Parallelism = 0 }), false},
		{"parallelism at cap", with(func(p *Params) { p.Memory, p.Parallelism = 8*MaxParallelism, MaxParallelism }), true},
		{"parallelism above cap", with(func(p *Params) { p.Memory, p.Parallelism = 8*255, 255 }), false},
		{"salt too short", with(func(p *Params) { p.SaltLen = MinSaltLen - 1 }), false},
		{"salt minimum", with(func(p *Params) { p.SaltLen = MinSaltLen }), true},
		{"salt too long", with(func(p *Params) { p.SaltLen = MaxSaltLen + 1 }), false},
		{"key too short", with(func(p *Params) { p.KeyLen = MinKeyLen - 1 }), false},
		{"key too long", with(func(p *Params) { p.KeyLen = MaxKeyLen + 1 }), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.p.Validate()
			if tc.ok && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if !tc.ok && !errors.Is(err, ErrInvalidParams) {
				t.Fatalf("Validate() = %v, want ErrInvalidParams", err)
			}
		})
	}
}

func TestParamsMeetsOWASP(t *testing.T) {
	t.Parallel()
	p := func(m, t uint32, par uint8, salt uint32) Params {
		return Params{Memory: m, Iterations: t, Parallelism: par, SaltLen: salt, KeyLen: 32}
	}
	tests := []struct {
		name string
		p    Params
		want bool
	}{
		{"46 MiB t=1", p(47104, 1, 1, 16), true},
		{"19 MiB t=2", p(19456, 2, 1, 16), true},
		{"12 MiB t=3", p(12288, 3, 1, 16), true},
		{"9 MiB t=4", p(9216, 4, 1, 16), true},
		{"7 MiB t=5", p(7168, 5, 1, 16), true},
		{"64 MiB t=1", p(65536, 1, 1, 16), true},
		{"64 MiB t=3 p=4 (RFC 9106)", p(65536, 3, 4, 16), true},
		{"just under 46 MiB t=1", p(47103, 1, 1, 16), false},
		{"just under 19 MiB t=2", p(19455, 2, 1, 16), false},
		{"7 MiB t=4", p(7168, 4, 1, 16), false},
		{"19 MiB t=2 short salt", p(19456, 2, 1, 8), false},
		{"invalid", p(19456, 2, 0, 16), false},
		{"tiny", testParams, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.p.MeetsOWASP(); got != tc.want {
				t.Fatalf("MeetsOWASP(%+v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}
