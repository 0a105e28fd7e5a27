package jwtauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/creatorbase/creatorbase/internal/jwtauth"
)

func TestFromRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	user := sign(t, testSecret, userClaims())
	expired := sign(t, testSecret, with(userClaims(), "exp", testNow.Add(-time.Hour).Unix()))
	forged := sign(t, "another-secret-another-secret-0123456789", jwt.MapClaims{"role": "service_role"})

	tests := []struct {
		name     string
		auth     string
		apikey   string
		query    string
		wantRole string
		wantSub  string
		wantErr  error
	}{
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
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/rest/v1/x?"+tt.query, nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			if tt.apikey != "" {
				r.Header.Set("apikey", tt.apikey)
			}
			c, err := b.v.FromRequest(r)
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
