package jwtauth_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/creatorbase/creatorbase/internal/jwtauth"
)

// FuzzVerify: no input panics, and whatever is accepted has an allowed
// role and, when authenticated, a sub.
func FuzzVerify(f *testing.F) {
	b := setup(f)
	f.Add(sign(f, testSecret, userClaims()))
	f.Add(b.project.Anon)
	f.Add(rawToken(`{"alg":"HS256"}`, `{"role":"service_role","exp":1e300}`, testSecret))
	f.Add(rawToken(`{"alg":"HS256"}`, `{"role":"authenticated","exp":"x"}`, testSecret))
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := b.v.Verify(token)
		if err != nil {
			if !errors.Is(err, jwtauth.ErrTokenInvalid) && !errors.Is(err, jwtauth.ErrClaimsInvalid) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		switch c.Role() {
		case "anon", "service_role":
		case "authenticated":
			if c.Sub() == "" {
				t.Fatal("authenticated without sub")
			}
		default:
			t.Fatalf("accepted role %q", c.Role())
		}
	})
}

// FuzzFromRequest fuzzes the header parsing: Authorization and apikey.
func FuzzFromRequest(f *testing.F) {
	b := setup(f)
	f.Add("Bearer "+sign(f, testSecret, userClaims()), "")
	f.Add("Bearer sb_publishable_x", b.project.Publishable)
	f.Add("bearer  ", b.project.Secret)
	f.Add("Basic x", "sb_")
	f.Fuzz(func(t *testing.T, auth, apikey string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{auth}
		r.Header["Apikey"] = []string{apikey}
		c, err := b.v.FromRequest(r)
		if err != nil {
			return
		}
		if c.Role() == "service_role" && apikey != b.project.Secret && apikey != b.project.ServiceRole &&
			jwtauth.BearerToken(auth) != b.project.ServiceRole {
			if _, verr := b.v.Verify(jwtauth.BearerToken(auth)); verr != nil {
				t.Fatalf("service_role from auth %q apikey %q", auth, apikey)
			}
		}
	})
}
