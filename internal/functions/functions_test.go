package functions_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/functions"
)

var errBadToken = errors.New("bad token")

// auth treats "Bearer user-<id>" as an authenticated user, "Bearer bad" as
// an invalid token and anything else as anon.
func auth(r *http.Request) (string, []byte, error) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case tok == "bad":
		return "", nil, errBadToken
	case strings.HasPrefix(tok, "user-"):
		return "authenticated", []byte(`{"role":"authenticated","sub":"` + strings.TrimPrefix(tok, "user-") + `"}`), nil
	}
	return "anon", []byte(`{"role":"anon"}`), nil
}

func setup(t *testing.T) http.Handler {
	t.Helper()
	reg := functions.NewRegistry()
	reg.Register("echo", func(_ context.Context, req *functions.Request) (any, error) {
		return map[string]any{"role": req.Caller.Role, "user": req.Caller.UserID, "method": req.Method, "body": req.Body}, nil
	})
	reg.Register("members-only", func(_ context.Context, req *functions.Request) (any, error) {
		if req.Caller.UserID == "" {
			return nil, functions.Errorf(http.StatusForbidden, "forbidden", "sign in first")
		}
		return "welcome", nil
	})
	reg.Register("broken", func(context.Context, *functions.Request) (any, error) {
		return nil, errors.New("database password is hunter2")
	})
	return reg.Handler(auth, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestInvoke(t *testing.T) {
	t.Parallel()
	h := setup(t)
	tests := []struct {
		name, method, path, token, body string
		wantStatus                      int
		wantBody                        string
		notBody                         string
	}{
		{name: "PostWithBodyAsUser", method: "POST", path: "/echo", token: "user-42", body: `{"a":1}`,
			wantStatus: 200, wantBody: `{"body":{"a":1},"method":"POST","role":"authenticated","user":"42"}`},
		{name: "GetAsAnon", method: "GET", path: "/echo", wantStatus: 200, wantBody: `"role":"anon"`},
		{name: "UnknownFunction", method: "POST", path: "/nope", wantStatus: 404, wantBody: `"Function not found"`},
		{name: "InvalidToken", method: "POST", path: "/echo", token: "bad", wantStatus: 401, wantBody: `"Invalid JWT"`},
		{name: "BadJSON", method: "POST", path: "/echo", body: `{"a":`, wantStatus: 400, wantBody: `"bad_json"`},
		{name: "FunctionError", method: "POST", path: "/members-only", wantStatus: 403, wantBody: `"sign in first"`},
		{name: "FunctionAllowed", method: "POST", path: "/members-only", token: "user-1", wantStatus: 200, wantBody: `"welcome"`},
		{name: "InternalErrorHidden", method: "POST", path: "/broken", wantStatus: 500, wantBody: `"Internal error"`, notBody: "hunter2"},
		{name: "OtherVerb", method: "DELETE", path: "/echo", wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantBody) ||
				(tt.notBody != "" && strings.Contains(rec.Body.String(), tt.notBody)) {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if rec.Code != 405 && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("not JSON: %s", rec.Body)
			}
		})
	}
}

func TestRegisterRefusesBadNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "Upper", "has space", "../x"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("name %q accepted", name)
				}
			}()
			functions.NewRegistry().Register(name, nil)
		}()
	}
}
