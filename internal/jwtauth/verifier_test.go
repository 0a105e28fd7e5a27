package jwtauth_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/creatorbase/creatorbase/internal/jwtauth"
	"github.com/creatorbase/creatorbase/internal/keys"
)

const testSecret = "jwtauth-test-secret-0123456789abcdef"

var testNow = time.Unix(1_800_000_000, 0)

type testBundle struct {
	v       *jwtauth.Verifier
	project keys.Project
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	return setupWith(t, jwtauth.Options{Audience: "authenticated", Now: func() time.Time { return testNow }})
}

func setupWith(t testing.TB, opts jwtauth.Options) *testBundle {
	t.Helper()
	p, err := keys.Derive([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jwtauth.New([]byte(testSecret), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{v: v, project: p}
}

func sign(t testing.TB, secret string, claims jwt.MapClaims) string {
	t.Helper()
	s, err := keys.Sign([]byte(secret), claims)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func userClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e", "role": "authenticated", "aud": "authenticated",
		"iat": testNow.Unix(), "exp": testNow.Add(time.Hour).Unix(),
	}
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for kk, vv := range c {
		out[kk] = vv
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

// rawToken assembles a token from a header and payload, signed with secret
// by HMAC-SHA256 regardless of what the header claims.
func rawToken(header, payload, secret string) string {
	enc := base64.RawURLEncoding
	s := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(s))
	return s + "." + enc.EncodeToString(m.Sum(nil))
}

func TestVerifyAcceptsGoodTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	t.Run("UserToken", func(t *testing.T) {
		t.Parallel()
		c, err := b.v.Verify(sign(t, testSecret, userClaims()))
		if err != nil {
			t.Fatal(err)
		}
		if c.Role() != "authenticated" || c.Sub() != "8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e" {
			t.Fatalf("claims %v", c)
		}
	})
	t.Run("ProjectKeys", func(t *testing.T) {
		t.Parallel()
		for key, role := range map[string]string{b.project.Anon: "anon", b.project.ServiceRole: "service_role"} {
			c, err := b.v.Verify(key)
			if err != nil || c.Role() != role {
				t.Fatalf("role %s: %v %v", role, c, err)
			}
		}
	})
	t.Run("WithinLeeway", func(t *testing.T) {
		t.Parallel()
		c := with(userClaims(), "exp", testNow.Add(-20*time.Second).Unix())
		c = with(c, "nbf", testNow.Add(20*time.Second).Unix())
		if _, err := b.v.Verify(sign(t, testSecret, c)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("MissingRoleIsAnon", func(t *testing.T) {
		t.Parallel()
		c, err := b.v.Verify(sign(t, testSecret, jwt.MapClaims{"exp": testNow.Add(time.Minute).Unix()}))
		if err != nil || c.Role() != "anon" {
			t.Fatalf("%v %v", c, err)
		}
	})
	t.Run("AudienceArray", func(t *testing.T) {
		t.Parallel()
		if _, err := b.v.Verify(sign(t, testSecret, with(userClaims(), "aud", []string{"x", "authenticated"}))); err != nil {
			t.Fatal(err)
		}
	})
}

// TestVerifyAttackMatrix: none of these may be accepted (issue 3; security.md §6 API2).
func TestVerifyAttackMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	good := sign(t, testSecret, userClaims())
	parts := strings.Split(good, ".")
	payload, _ := json.Marshal(with(userClaims(), "role", "service_role"))
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
	hs384, err := jwt.NewWithClaims(jwt.SigningMethodHS384, userClaims()).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, userClaims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	userJSON, _ := json.Marshal(userClaims())

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"AlgNone", none, jwtauth.ErrAlgorithm},
		{"AlgNoneUnsigned", strings.TrimSuffix(none, "."), jwtauth.ErrMalformed},
		{"AlgNoneWithHMAC", rawToken(`{"alg":"none","typ":"JWT"}`, string(userJSON), testSecret), jwtauth.ErrAlgorithm},
		{"AlgNoneLowercaseHS", rawToken(`{"alg":"hs256","typ":"JWT"}`, string(userJSON), testSecret), jwtauth.ErrAlgorithm},
		{"WrongAlgHS384", hs384, jwtauth.ErrAlgorithm},
		{"RS256Header", rawToken(`{"alg":"RS256","typ":"JWT"}`, string(userJSON), testSecret), jwtauth.ErrAlgorithm},
		{"WrongSecret", sign(t, "another-secret-another-secret-0123456789", userClaims()), jwtauth.ErrSignature},
		{"Expired", sign(t, testSecret, with(userClaims(), "exp", testNow.Add(-31*time.Second).Unix())), jwtauth.ErrExpired},
		{"NotYetValid", sign(t, testSecret, with(userClaims(), "nbf", testNow.Add(time.Minute).Unix())), jwtauth.ErrNotYetValid},
		{"IssuedInFuture", sign(t, testSecret, with(userClaims(), "iat", testNow.Add(time.Minute).Unix())), jwtauth.ErrNotYetValid},
		{"NonNumericExp", sign(t, testSecret, with(userClaims(), "exp", "tomorrow")), jwtauth.ErrClaimType},
		{"WrongAud", sign(t, testSecret, with(userClaims(), "aud", "other")), jwtauth.ErrAudience},
		{"WrongAudArray", sign(t, testSecret, with(userClaims(), "aud", []string{"a", "b"})), jwtauth.ErrAudience},
		{"NumericAud", sign(t, testSecret, with(userClaims(), "aud", 7)), jwtauth.ErrClaimType},
		{"RolePostgres", sign(t, testSecret, with(userClaims(), "role", "postgres")), jwtauth.ErrRole},
		{"RoleSupabaseAdmin", sign(t, testSecret, with(userClaims(), "role", "supabase_admin")), jwtauth.ErrRole},
		{"RoleAuthenticator", sign(t, testSecret, with(userClaims(), "role", "authenticator")), jwtauth.ErrRole},
		{"RoleAuthAdmin", sign(t, testSecret, with(userClaims(), "role", "supabase_auth_admin")), jwtauth.ErrRole},
		{"RoleNotString", sign(t, testSecret, with(userClaims(), "role", []string{"anon"})), jwtauth.ErrClaimType},
		{"MissingSub", sign(t, testSecret, with(userClaims(), "sub", nil)), jwtauth.ErrMissingSub},
		{"SubNotString", sign(t, testSecret, with(userClaims(), "sub", 42)), jwtauth.ErrClaimType},
		{"TamperedPayload", tampered, jwtauth.ErrSignature},
		{"TamperedSignature", parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])), jwtauth.ErrSignature},
		{"Empty", "", jwtauth.ErrMalformed},
		{"TwoParts", parts[0] + "." + parts[1], jwtauth.ErrMalformed},
		{"FourParts", good + ".x", jwtauth.ErrMalformed},
		{"NotBase64", "%%%." + parts[1] + "." + parts[2], jwtauth.ErrMalformed},
		{"Oversized", parts[0] + "." + strings.Repeat("a", jwtauth.MaxTokenBytes) + "." + parts[2], jwtauth.ErrTooLarge},
		{"PayloadNotObject", rawToken(`{"alg":"HS256"}`, `[1,2]`, testSecret), jwtauth.ErrMalformed},
		{"PayloadTrailingData", rawToken(`{"alg":"HS256"}`, `{"role":"anon"} {}`, testSecret), jwtauth.ErrMalformed},
		{"UnknownKidStillNeedsSecret", rawToken(`{"alg":"HS256","kid":"nope"}`, string(userJSON), "another-secret-another-secret-0123456789"), jwtauth.ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := b.v.Verify(tt.token)
			if err == nil {
				t.Fatalf("accepted: %v", c)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			isToken, isClaims := errors.Is(err, jwtauth.ErrTokenInvalid), errors.Is(err, jwtauth.ErrClaimsInvalid)
			if isToken == isClaims {
				t.Fatalf("%v must be in exactly one class (token %v, claims %v)", err, isToken, isClaims)
			}
		})
	}
}

func TestNewRefusesShortSecret(t *testing.T) {
	t.Parallel()
	p, err := keys.Derive([]byte("short"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jwtauth.New([]byte("short"), p, jwtauth.Options{}); !errors.Is(err, jwtauth.ErrShortSecret) {
		t.Fatalf("got %v", err)
	}
}

func TestClaimsJSONFillsRole(t *testing.T) {
	t.Parallel()
	b, err := jwtauth.Claims{"sub": "x"}.JSON()
	if err != nil || !strings.Contains(string(b), `"role":"anon"`) {
		t.Fatalf("%s %v", b, err)
	}
}
