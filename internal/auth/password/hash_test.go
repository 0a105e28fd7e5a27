package password

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func mustHash(t testing.TB, p Params, plain string) string {
	t.Helper()
	h, err := Hash(p, plain)
	if err != nil {
		t.Fatalf("Hash(%+v) = %v", p, err)
	}
	return h
}

func TestHashFormat(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	a := mustHash(t, testParams, "correct horse battery staple")
	b := mustHash(t, testParams, "correct horse battery staple")
	for _, h := range []string{a, b} {
		if !re.MatchString(h) {
			t.Errorf("Hash() = %q, does not match %v", h, re)
		}
	}
	if a == b {
		t.Errorf("two hashes of the same password are equal (%q): salt is not random", a)
	}
	// Other parameters are encoded as given.
	p := Params{Memory: 256, Iterations: 3, Parallelism: 2, SaltLen: 8, KeyLen: 16}
	h := mustHash(t, p, "x")
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=256,t=3,p=2\$[A-Za-z0-9+/]{11}\$[A-Za-z0-9+/]{22}$`).MatchString(h) {
		t.Errorf("Hash(%+v) = %q", p, h)
	}
}

func TestHashRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, plain string }{
		{"ascii", "correct horse battery staple"},
		{"empty", ""},
		{"spaces", "  leading and trailing  "},
		{"nul byte", "a\x00b"},
		{"latin accents", "pässwörd"},
		{"cjk", "密码密码密码"},
		{"emoji", "🔑🗝️👩‍👩‍👧"},
		{"rtl", "كلمة السر"},
		{"invalid utf-8", "\xff\xfe\xfd"},
		{"max length", strings.Repeat("a", MaxLength)},
		{"max length multibyte", strings.Repeat("€", MaxLength/3)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := mustHash(t, testParams, tc.plain)
			ok, err := Verify(tc.plain, h)
			if err != nil || !ok {
				t.Fatalf("Verify(own hash) = %v, %v; want true, nil", ok, err)
			}
			if NeedsRehash(h, testParams) {
				t.Errorf("NeedsRehash(fresh hash, same params) = true")
			}
			got, err := parsePHC(h, &defaultLimits)
			if err != nil {
				t.Fatalf("parsePHC(own hash) = %v", err)
			}
			if re := encodePHC(got.params, got.salt, got.key); re != h {
				t.Errorf("re-encoded hash = %q, want %q", re, h)
			}
		})
	}
}

func TestHashErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		p     Params
		plain string
		want  error
	}{
		{"zero params", Params{}, "x", ErrInvalidParams},
		{"memory above cap", Params{Memory: MaxMemory + 1, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, "x", ErrInvalidParams},
		{"short salt", Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 4, KeyLen: 32}, "x", ErrInvalidParams},
		{"too long", testParams, strings.Repeat("a", MaxLength+1), ErrTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, err := Hash(tc.p, tc.plain)
			if !errors.Is(err, tc.want) || h != "" {
				t.Fatalf("Hash() = %q, %v; want \"\", %v", h, err, tc.want)
			}
		})
	}
}

// TestArgon2idReferenceVectors checks interoperability with the reference
// implementation (phc-winner-argon2 src/test.c, password "password", salt
// "somesalt").
func TestArgon2idReferenceVectors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, encoded string }{
		{"m=256 t=2 p=1", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"},
		{"m=256 t=2 p=2", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if ok, err := Verify("password", tc.encoded); err != nil || !ok {
				t.Errorf("Verify(right) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := Verify("passwore", tc.encoded); err != nil || ok {
				t.Errorf("Verify(wrong) = %v, %v; want false, nil", ok, err)
			}
			h, err := parsePHC(tc.encoded, &defaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if string(h.salt) != "somesalt" || h.params.SaltLen != 8 || h.params.KeyLen != 32 {
				t.Errorf("parsed %+v salt %q", h.params, h.salt)
			}
		})
	}
}
