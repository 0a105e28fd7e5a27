package password

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// refArgon2id is the reference implementation's vector for "password".
const refArgon2id = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"

// refBcrypt is OpenWall crypt_blowfish's vector for "U*U".
const refBcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"

func mustBcrypt(t testing.TB, plain string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(plain), bcrypt.MinCost)
	if err != nil {
		t.Fatalf("bcrypt.GenerateFromPassword: %v", err)
	}
	return string(h)
}

func TestVerifyWrongPassword(t *testing.T) {
	t.Parallel()
	const right = "correct horse battery staple"
	argon := mustHash(t, testParams, right)
	bc := mustBcrypt(t, right)
	tests := []struct{ name, plain string }{
		{"empty", ""},
		{"one char off", "correct horse battery stapla"},
		{"prefix", "correct horse"},
		{"extra char", right + "!"},
		{"case", strings.ToUpper(right)},
		{"trailing nul", right + "\x00"},
	}
	for _, tc := range tests {
		for scheme, h := range map[string]string{"argon2id": argon, "bcrypt": bc} {
			t.Run(scheme+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				if ok, err := Verify(tc.plain, h); ok || err != nil {
					t.Fatalf("Verify() = %v, %v; want false, nil", ok, err)
				}
			})
		}
	}
}

// tamper replaces the byte at i with another character of the same base64
// alphabet, so the result still parses.
func tamper(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func TestVerifyTamperedHash(t *testing.T) {
	t.Parallel()
	const plain = "hunter22"
	h := mustHash(t, testParams, plain)
	fields := strings.Split(h, "$") // "", "argon2id", "v=19", "m=..", salt, hash
	saltAt := strings.LastIndex(h, "$"+fields[4]+"$") + 1
	keyAt := strings.LastIndex(h, "$") + 1
	bc := mustBcrypt(t, plain)

	tests := []struct {
		name    string
		encoded string
		wantErr error // nil: a clean (false, nil)
	}{
		{"salt first char", tamper(h, saltAt), nil},
		{"salt middle char", tamper(h, saltAt+10), nil},
		{"hash first char", tamper(h, keyAt), nil},
		{"hash middle char", tamper(h, keyAt+20), nil},
		{"memory", strings.Replace(h, "m=64,", "m=72,", 1), nil},
		{"iterations", strings.Replace(h, "t=1,", "t=2,", 1), nil},
		{"parallelism", strings.Replace(h, "p=1$", "p=2$", 1), nil},
		{"hash truncated by 3 bytes", h[:keyAt] + fields[5][4:], nil},
		{"salt truncated by 3 bytes", h[:saltAt] + fields[4][4:] + "$" + fields[5], nil},
		{"hash swapped with salt", h[:saltAt] + fields[5] + "$" + fields[4], nil},
		{"hash removed", h[:keyAt], ErrMalformed},
		{"version", strings.Replace(h, "v=19", "v=16", 1), ErrMalformed},
		{"algorithm argon2i", strings.Replace(h, "argon2id", "argon2i", 1), ErrUnknownFormat},
		{"trailing newline", h + "\n", ErrMalformed},
		{"bcrypt salt char", tamper(bc, 7+5), nil},
		{"bcrypt hash char", tamper(bc, 7+22+10), nil},
		{"bcrypt cost", bc[:4] + "05" + bc[6:], nil},
		{"bcrypt trailing char", bc + "A", ErrMalformed},
		{"bcrypt truncated", bc[:len(bc)-1], ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.encoded == h || tc.encoded == bc {
				t.Fatal("test case did not change the hash")
			}
			ok, err := Verify(plain, tc.encoded)
			if ok {
				t.Fatalf("Verify(tampered) = true")
			}
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("Verify(tampered) error = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestVerifyBcryptGenerated(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, plain string }{
		{"ascii", "correct horse battery staple"},
		{"empty", ""},
		{"unicode", "pässwörd 密码 🔑"},
		{"72 bytes", strings.Repeat("x", MaxBcryptLength)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := mustBcrypt(t, tc.plain) // x/crypto writes $2a$
			for _, prefix := range []string{"$2a$", "$2b$", "$2y$"} {
				encoded := prefix + h[4:]
				if ok, err := Verify(tc.plain, encoded); !ok || err != nil {
					t.Errorf("Verify(%s) = %v, %v; want true, nil", prefix, ok, err)
				}
				if ok, err := Verify(tc.plain+"x", encoded); ok || err != nil && !errors.Is(err, ErrTooLong) {
					t.Errorf("Verify(%s, wrong) = %v, %v; want false", prefix, ok, err)
				}
				if !NeedsRehash(encoded, testParams) {
					t.Errorf("NeedsRehash(%s) = false", prefix)
				}
			}
			if _, err := Verify(tc.plain, "$2x$"+h[4:]); !errors.Is(err, ErrUnknownFormat) {
				t.Errorf("Verify($2x$) error = %v, want ErrUnknownFormat", err)
			}
		})
	}
}

// TestVerifyBcryptVectors uses fixed vectors from OpenWall's crypt_blowfish
// (wrapper.c), the implementation behind PHP's and glibc's bcrypt.
func TestVerifyBcryptVectors(t *testing.T) {
	t.Parallel()
	const chars72 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	tests := []struct {
		name, encoded, plain string
	}{
		{"U*U", refBcrypt, "U*U"},
		{"U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", "U*U*"},
		{"U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", "U*U*U"},
		{"empty", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", ""},
		{"72 bytes", "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui", chars72},
		{"2b 8-bit", "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "\xff\xff\xa3"},
		{"2y 8-bit", "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "\xff\xff\xa3"},
		{"2y a3", "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq", "\xa3"},
		{"2a a3", "$2a$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq", "\xa3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if ok, err := Verify(tc.plain, tc.encoded); !ok || err != nil {
				t.Errorf("Verify(right) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := Verify(tc.plain+"?", tc.encoded); ok || err != nil && !errors.Is(err, ErrTooLong) {
				t.Errorf("Verify(wrong) = %v, %v; want false", ok, err)
			}
		})
	}
	// bcrypt ignores bytes after the 72nd; crypt_blowfish verifies this
	// password against the 72-byte vector, but Verify refuses it rather than
	// truncating silently.
	t.Run("73+ bytes refused", func(t *testing.T) {
		t.Parallel()
		ok, err := Verify(chars72+"chars after 72 are ignored", "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui")
		if ok || !errors.Is(err, ErrTooLong) {
			t.Fatalf("Verify() = %v, %v; want false, ErrTooLong", ok, err)
		}
	})
}

func TestVerifyTooLong(t *testing.T) {
	t.Parallel()
	argon := mustHash(t, testParams, "x")
	tests := []struct {
		name, plain, encoded string
		wantErr              error
	}{
		{"argon2id at MaxLength", strings.Repeat("a", MaxLength), argon, nil},
		{"argon2id above MaxLength", strings.Repeat("a", MaxLength+1), argon, ErrTooLong},
		{"bcrypt at 72", strings.Repeat("a", MaxBcryptLength), refBcrypt, nil},
		{"bcrypt above 72", strings.Repeat("a", MaxBcryptLength+1), refBcrypt, ErrTooLong},
		{"malformed hash wins", strings.Repeat("a", MaxLength+1), "$argon2id$v=19$", ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ok, err := Verify(tc.plain, tc.encoded)
			if ok || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("Verify() = %v, %v; want false, %v", ok, err, tc.wantErr)
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	const (
		salt   = "c29tZXNhbHQ"                                 // "somesalt"
		key    = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4" // 32 bytes
		bcSalt = "CCCCCCCCCCCCCCCCCCCCC."
		bcKey  = "E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
	)
	phc := func(params string) string { return "$argon2id$v=19$" + params + "$" + salt + "$" + key }
	tests := []struct {
		name, encoded string
		want          error
	}{
		// Not a supported scheme.
		{"empty", "", ErrUnknownFormat},
		{"plaintext", "hunter2", ErrUnknownFormat},
		{"dollar", "$", ErrUnknownFormat},
		{"argon2i", "$argon2i$v=19$m=256,t=2,p=1$" + salt + "$" + key, ErrUnknownFormat},
		{"argon2d", "$argon2d$v=19$m=256,t=2,p=1$" + salt + "$" + key, ErrUnknownFormat},
		{"upper case", "$ARGON2ID$v=19$m=256,t=2,p=1$" + salt + "$" + key, ErrUnknownFormat},
		{"leading space", " " + refArgon2id, ErrUnknownFormat},
		{"no leading dollar", refArgon2id[1:], ErrUnknownFormat},
		{"scrypt", "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E", ErrUnknownFormat},
		{"md5crypt", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", ErrUnknownFormat},
		{"bcrypt 2x", "$2x$05$" + bcSalt + bcKey, ErrUnknownFormat},
		{"bcrypt 2", "$2$05$" + bcSalt + bcKey, ErrUnknownFormat},
		{"bcrypt 2c", "$2c$05$" + bcSalt + bcKey, ErrUnknownFormat},

		// argon2id structure.
		{"prefix only", "$argon2id$", ErrMalformed},
		{"version only", "$argon2id$v=19", ErrMalformed},
		{"version 16", "$argon2id$v=16$m=256,t=2,p=1$" + salt + "$" + key, ErrMalformed},
		{"version 019", "$argon2id$v=019$m=256,t=2,p=1$" + salt + "$" + key, ErrMalformed},
		{"no version", "$argon2id$m=256,t=2,p=1$" + salt + "$" + key, ErrMalformed},
		{"missing hash field", "$argon2id$v=19$m=256,t=2,p=1$" + salt, ErrMalformed},
		{"extra field", refArgon2id + "$" + key, ErrMalformed},
		{"parameters reordered", phc("t=2,m=256,p=1"), ErrMalformed},
		{"parameter missing", phc("m=256,t=2"), ErrMalformed},
		{"keyid", phc("m=256,t=2,p=1,keyid=abc"), ErrMalformed},
		{"data", phc("m=256,t=2,p=1,data=abc"), ErrMalformed},
		{"spaces", phc("m=256, t=2, p=1"), ErrMalformed},
		{"leading zero", phc("m=0256,t=2,p=1"), ErrMalformed},
		{"plus sign", phc("m=+256,t=2,p=1"), ErrMalformed},
		{"negative", phc("m=256,t=-2,p=1"), ErrMalformed},
		{"hex", phc("m=0x100,t=2,p=1"), ErrMalformed},
		{"empty value", phc("m=,t=2,p=1"), ErrMalformed},
		{"m overflows uint32", phc("m=4294967296,t=2,p=1"), ErrMalformed},
		{"p overflows uint8", phc("m=4096,t=2,p=256"), ErrMalformed},
		{"m zero", phc("m=0,t=2,p=1"), ErrMalformed},
		{"t zero", phc("m=256,t=0,p=1"), ErrMalformed},
		{"p zero", phc("m=256,t=2,p=0"), ErrMalformed},
		{"m below 8 per lane", phc("m=8,t=2,p=2"), ErrMalformed},
		{"salt padded", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "=$" + key, ErrMalformed},
		{"hash padded", refArgon2id + "=", ErrMalformed},
		{"salt with newline", "$argon2id$v=19$m=256,t=2,p=1$c29tZX\nNhbHQ$" + key, ErrMalformed},
		{"salt url-safe alphabet", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNh-_Q$" + key, ErrMalformed},
		{"salt non-canonical bits", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHR$" + key, ErrMalformed},
		{"salt impossible length", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQAA$" + key, ErrMalformed},
		{"salt too short", "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$" + key, ErrMalformed},
		{"salt empty", "$argon2id$v=19$m=256,t=2,p=1$$" + key, ErrMalformed},
		{"salt too long", "$argon2id$v=19$m=256,t=2,p=1$" + strings.Repeat("A", 88) + "$" + key, ErrMalformed},
		{"hash too short", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$nf65EOgLrQMR/uI", ErrMalformed},
		{"hash empty", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$", ErrMalformed},
		{"hash too long", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + strings.Repeat("A", 172), ErrMalformed},
		{"huge string", refArgon2id + strings.Repeat("A", 1<<20), ErrMalformed},

		// bcrypt structure.
		{"bcrypt prefix only", "$2a$", ErrMalformed},
		{"bcrypt too short", refBcrypt[:59], ErrMalformed},
		{"bcrypt too long", refBcrypt + ".", ErrMalformed},
		{"bcrypt one-digit cost", "$2a$5$" + bcSalt + bcKey + ".", ErrMalformed},
		{"bcrypt cost letters", "$2a$0a$" + bcSalt + bcKey, ErrMalformed},
		{"bcrypt cost 03", "$2a$03$" + bcSalt + bcKey, ErrMalformed},
		{"bcrypt cost 32", "$2a$32$" + bcSalt + bcKey, ErrMalformed},
		{"bcrypt no separator", "$2a$05x" + bcSalt + bcKey, ErrMalformed},
		{"bcrypt standard base64 char", "$2a$05$" + bcSalt[:21] + "+" + bcKey, ErrMalformed},
		{"bcrypt dollar in body", "$2a$05$" + bcSalt + bcKey[:30] + "$", ErrMalformed},
		{"bcrypt newline", "$2a$05$" + bcSalt + bcKey[:30] + "\n", ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ok, err := Verify("password", tc.encoded)
			if ok || !errors.Is(err, tc.want) {
				t.Fatalf("Verify() = %v, %v; want false, %v", ok, err, tc.want)
			}
			if strings.Contains(err.Error(), "c29tZXNhbHQ") || strings.Contains(err.Error(), "CCCCCCCC") {
				t.Errorf("error %q quotes the stored hash", err)
			}
			if !NeedsRehash(tc.encoded, testParams) {
				t.Errorf("NeedsRehash(malformed) = false")
			}
		})
	}
}

// TestVerifyRefusesAbsurdCost checks that hashes above the caps are refused
// before any hashing: each must fail fast, although honouring them would
// take minutes or gigabytes.
func TestVerifyRefusesAbsurdCost(t *testing.T) {
	t.Parallel()
	const tail = "$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	tests := []struct{ name, encoded string }{
		{"m max uint32", "$argon2id$v=19$m=4294967295,t=2,p=1" + tail},
		{"m just above cap", "$argon2id$v=19$m=262145,t=1,p=1" + tail},
		{"t max uint32", "$argon2id$v=19$m=256,t=4294967295,p=1" + tail},
		{"t just above cap", "$argon2id$v=19$m=256,t=17,p=1" + tail},
		{"p 255", "$argon2id$v=19$m=4096,t=1,p=255" + tail},
		{"p just above cap", "$argon2id$v=19$m=4096,t=1,p=17" + tail},
		{"work above cap", "$argon2id$v=19$m=262144,t=3,p=1" + tail},
		{"bcrypt cost 31", "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},
		{"bcrypt cost just above cap", "$2b$15$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			ok, err := Verify("password", tc.encoded)
			if d := time.Since(start); d > 250*time.Millisecond {
				t.Errorf("Verify took %v; the cap check must come before hashing", d)
			}
			if ok || !errors.Is(err, ErrMalformed) {
				t.Fatalf("Verify() = %v, %v; want false, ErrMalformed", ok, err)
			}
		})
	}
}

func TestVerifyUnicode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		plain      string
		impostors  []string
		withBcrypt bool
	}{
		// No normalisation: NFC and NFD spellings are different passwords.
		{"nfc", "caf\u00e9", []string{"cafe\u0301", "cafe", "CAF\u00c9"}, true},
		{"nfd", "cafe\u0301", []string{"caf\u00e9", "cafe"}, true},
		{"cjk", "密码密码", []string{"密码", "密碼密碼"}, true},
		{"emoji zwj", "👩‍👩‍👧", []string{"👩👩👧", "👩‍👩"}, true},
		{"full-width", "ｐａｓｓｗｏｒｄ", []string{"password"}, true},
		{"nul inside", "a\x00b", []string{"a", "a\x00c"}, false},
		{"invalid utf-8", "\xc3\x28", []string{"\xc3", "\ufffd("}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			hashes := []string{mustHash(t, testParams, tc.plain)}
			if tc.withBcrypt {
				hashes = append(hashes, mustBcrypt(t, tc.plain))
			}
			for _, h := range hashes {
				if ok, err := Verify(tc.plain, h); !ok || err != nil {
					t.Errorf("Verify(%q, %.4s…) = %v, %v; want true, nil", tc.plain, h, ok, err)
				}
				for _, imp := range tc.impostors {
					if ok, err := Verify(imp, h); ok || err != nil {
						t.Errorf("Verify(%q, hash of %q) = %v, %v; want false, nil", imp, tc.plain, ok, err)
					}
				}
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()
	h := mustHash(t, testParams, "pw")
	def := mustHash(t, DefaultParams, "pw")
	with := func(f func(*Params)) Params {
		p := testParams
		f(&p)
		return p
	}
	tests := []struct {
		name    string
		encoded string
		p       Params
		want    bool
	}{
		{"same params", h, testParams, false},
		{"default params hash", def, DefaultParams, false},
		{"test hash vs default", h, DefaultParams, true},
		{"default hash vs test", def, testParams, true},
		{"memory differs", h, with(func(p *Params) { p.Memory = 128 }), true},
		{"iterations differ", h, with(func(p *Params) { p.Iterations = 2 }), true},
		{"parallelism differs", h, with(func(p *Params) { p.Parallelism = 2 }), true},
		{"salt length differs", h, with(func(p *Params) { p.SaltLen = 32 }), true},
		{"key length differs", h, with(func(p *Params) { p.KeyLen = 64 }), true},
		{"reference vector, own params", refArgon2id, Params{Memory: 256, Iterations: 2, Parallelism: 1, SaltLen: 8, KeyLen: 32}, false},
		{"reference vector, default", refArgon2id, DefaultParams, true},
		{"bcrypt generated", mustBcrypt(t, "pw"), testParams, true},
		{"bcrypt vector", refBcrypt, DefaultParams, true},
		{"bcrypt 2y", "$2y$" + refBcrypt[4:], DefaultParams, true},
		{"empty", "", testParams, true},
		{"garbage", "not a hash", testParams, true},
		{"above caps", "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", Params{Memory: 4294967295, Iterations: 2, Parallelism: 1, SaltLen: 8, KeyLen: 32}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := NeedsRehash(tc.encoded, tc.p); got != tc.want {
				t.Fatalf("NeedsRehash() = %v, want %v", got, tc.want)
			}
		})
	}
}
