package jwtauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/creatorbase/creatorbase/internal/jwtauth"
)

type requestCase struct {
	name     string
	auth     string
	apikey   string
	query    string
	wantRole string
	wantSub  string
	wantErr  error
}

func (tc requestCase) request() *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/rest/v1/x?"+tc.query, nil)
	if tc.auth != "" {
		r.Header.Set("Authorization", tc.auth)
	}
	if tc.apikey != "" {
		r.Header.Set("apikey", tc.apikey)
	}
	return r
}

// requestCases are the gateway's decisions, shared by FromRequest and
// Identify.
func requestCases(t *testing.T, b *testBundle) []requestCase {
	user := sign(t, testSecret, userClaims())
	expired := sign(t, testSecret, with(userClaims(), "exp", testNow.Add(-time.Hour).Unix()))
	forged := sign(t, "another-secret-another-secret-0123456789", jwt.MapClaims{"role": "service_role"})
	return []requestCase{
		{name: "NothingIsAnon", wantRole: "anon"},
		{name: "UserBearer", auth: "Bearer " + user, apikey: b.project.Publishable, wantRole: "authenticated", wantSub: "8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e"},
		{name: "LowercaseScheme", auth: "bearer " + user, wantRole: "authenticated"},
		{name: "BearerPublishableMapsThroughAPIKey", auth: "Bearer " + b.project.Publishable, apikey: b.project.Publishable, wantRole: "anon"},
		{name: "BearerPublishableWithSecretAPIKey", auth: "Bearer " + b.project.Publishable, apikey: b.project.Secret, wantRole: "service_role"},
		{name: "SecretKeyAsBearerAndAPIKey", auth: "Bearer " + b.project.Secret, apikey: b.project.Secret, wantRole: "service_role"},
		{name: "BearerOpaqueWithoutAPIKeyIsAnon", auth: "Bearer " + b.project.Secret, wantRole: "anon"},
		{name: "LegacyAnonKey", auth: "Bearer " + b.project.Anon, apikey: b.project.Anon, wantRole: "anon"},
		{name: "LegacyServiceKeyAsAPIKeyOnly", apikey: b.project.ServiceRole, wantRole: "service_role"},
		{name: "APIKeyQueryParam", query: "apikey=" + b.project.Secret, wantRole: "service_role"},
		{name: "EmptyBearerFallsBackToAPIKey", auth: "Bearer ", apikey: b.project.Publishable, wantRole: "anon"},
		{name: "BasicAuthIsNoToken", auth: "Basic dXNlcjpwYXNz", wantRole: "anon"},
		{name: "UnknownOpaqueKey", apikey: "sb_secret_guess", wantErr: jwtauth.ErrInvalidKey},
		{name: "ForgedAPIKey", apikey: forged, wantErr: jwtauth.ErrInvalidKey},
		{name: "ForgedBearer", auth: "Bearer " + forged, apikey: b.project.Publishable, wantErr: jwtauth.ErrSignature},
		{name: "ExpiredBearer", auth: "Bearer " + expired, wantErr: jwtauth.ErrExpired},
		{name: "GarbageBearer", auth: "Bearer abc", wantErr: jwtauth.ErrMalformed},
	}
}

func TestFromRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tt := range requestCases(t, b) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := b.v.FromRequest(tt.request())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("got %v (%v), want %v", err, c, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Role() != tt.wantRole || (tt.wantSub != "" && c.Sub() != tt.wantSub) {
				t.Fatalf("claims %v", c)
			}
		})
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Bearer abc": "abc", "BEARER abc": "abc", "  Bearer   abc  ": "abc", "Bearer": "", "Token abc": "", "": "",
	} {
		if got := jwtauth.BearerToken(in); got != want {
			t.Errorf("BearerToken(%q) = %q, want %q", in, got, want)
		}
	}
}

// Identify decides as FromRequest does, the first time and when the
// answer comes from its cache.
func TestIdentifyAgreesWithFromRequest(t *testing.T) {
	t.Parallel()
	b := setupCached(t, func() time.Time { return testNow })
	for _, tt := range requestCases(t, b) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for round := range 2 {
				id, err := b.v.Identify(tt.request())
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("round %d: got %v, want %v", round, err, tt.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				c, err := b.v.FromRequest(tt.request())
				if err != nil {
					t.Fatal(err)
				}
				want, _ := c.JSON()
				if id.Role != tt.wantRole || id.Role != c.Role() || string(id.Claims) != string(want) {
					t.Fatalf("round %d: identity %s %s, want %s %s", round, id.Role, id.Claims, c.Role(), want)
				}
			}
		})
	}
}

// A remembered token stops working when it expires, as a fresh one would.
func TestIdentifyCachedTokenExpires(t *testing.T) {
	t.Parallel()
	var now atomic.Pointer[time.Time]
	start := testNow
	now.Store(&start)
	b := setupCached(t, func() time.Time { return *now.Load() })
	tok := sign(t, testSecret, with(userClaims(), "exp", testNow.Add(time.Minute).Unix()))
	r := requestCase{auth: "Bearer " + tok}.request()
	if _, err := b.v.Identify(r); err != nil {
		t.Fatal(err)
	}
	within := testNow.Add(time.Minute + jwtauth.Leeway - time.Second)
	now.Store(&within)
	if _, err := b.v.Identify(r); err != nil {
		t.Fatalf("inside the leeway: %v", err)
	}
	past := testNow.Add(time.Minute + jwtauth.Leeway)
	now.Store(&past)
	for range 2 {
		if _, err := b.v.Identify(r); !errors.Is(err, jwtauth.ErrExpired) {
			t.Fatalf("past exp + leeway: %v, want ErrExpired", err)
		}
	}
}

// A token valid beyond what UnixNano can hold (exp in the year 2286)
// stays valid when it comes from the cache.
func TestIdentifyFarFutureExpiry(t *testing.T) {
	t.Parallel()
	b := setupCached(t, func() time.Time { return testNow })
	r := requestCase{auth: "Bearer " + sign(t, testSecret, with(userClaims(), "exp", int64(1e10)))}.request()
	for round := range 2 {
		if _, err := b.v.Identify(r); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

func setupCached(t *testing.T, now func() time.Time) *testBundle {
	t.Helper()
	return setupWith(t, jwtauth.Options{Audience: "authenticated", Now: now, CacheEntries: 100})
}
