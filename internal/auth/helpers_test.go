package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/auth"
	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/jwtauth"
	"github.com/creatorbase/creatorbase/internal/keys"
	"github.com/creatorbase/creatorbase/internal/mail"
)

// testParams keep password hashing cheap in tests.
var testParams = password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

type testBundle struct {
	db      *dbtest.DB
	h       http.Handler
	owner   *pgxpool.Pool
	project keys.Project
	opts    auth.Options
}

// setup gives a test its own database and Auth API; tweak adjusts the
// options (autoconfirm on, generous limits and a 10 s reuse interval
// otherwise).
func setup(t testing.TB, tweak ...func(*auth.Options)) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	ctx := context.Background()
	runner, err := database.NewRunner(ctx, db.Authenticator(t))
	if err != nil {
		t.Fatal(err)
	}
	project, err := keys.Derive([]byte(dbtest.JWTSecret))
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := jwtauth.New([]byte(dbtest.JWTSecret), project, jwtauth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := auth.Options{
		Runner: runner, Verifier: verifier, Secret: []byte(dbtest.JWTSecret), Version: "test",
		APIURL: "http://127.0.0.1:54321", SiteURL: "http://app.test", URIAllowList: []string{"myapp://**"},
		MailerAutoconfirm: true, PasswordHash: testParams, ReuseInterval: 10 * time.Second,
		MailerMaxFrequency: time.Minute, Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	}
	for _, f := range tweak {
		f(&opts)
	}
	h, err := auth.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{db: db, h: h, owner: db.Owner(t), project: project, opts: opts}
}

// withPool gives the bundle's Auth API a request pool of its own, of
// conns connections, and returns it for the test to watch.
func (b *testBundle) withPool(t testing.TB, conns int32) *pgxpool.Pool {
	t.Helper()
	pool, err := database.Open(context.Background(), b.db.AuthenticatorURL, conns)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	runner, err := database.NewRunner(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	b.opts.Runner = runner
	if b.h, err = auth.New(b.opts); err != nil {
		t.Fatal(err)
	}
	return pool
}

type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

// json decodes the body into a map.
func (r response) json() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &m); err != nil {
		r.t.Fatalf("body %q: %v", r.Body.String(), err)
	}
	return m
}

// expect checks the status and, in the 2024-01-01 shape, the error code.
func (r response) expect(status int, code string) map[string]any {
	r.t.Helper()
	if r.Code != status {
		r.t.Fatalf("status %d, want %d; body %s", r.Code, status, r.Body.String())
	}
	if status == http.StatusNoContent {
		return nil
	}
	m := r.json()
	if code != "" && m["code"] != code {
		r.t.Fatalf("code %v, want %s; body %s", m["code"], code, r.Body.String())
	}
	return m
}

type req struct {
	method, path string
	body         any
	bearer       string
	apikey       string
	remote       string
	header       map[string]string
}

func (b *testBundle) do(t *testing.T, rq req) response {
	t.Helper()
	var body io.Reader
	switch v := rq.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(v)
	default:
		buf, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(buf)
	}
	r := httptest.NewRequest(rq.method, rq.path, body)
	r.Header.Set("X-Supabase-Api-Version", "2024-01-01")
	if rq.body != nil {
		r.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	apikey := rq.apikey
	if apikey == "" {
		apikey = b.project.Anon
	}
	r.Header.Set("apikey", apikey)
	bearer := rq.bearer
	if bearer == "" {
		bearer = apikey
	}
	if bearer != "-" {
		r.Header.Set("Authorization", "Bearer "+bearer)
	}
	if rq.remote != "" {
		r.RemoteAddr = rq.remote
	}
	for k, v := range rq.header {
		if v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	return response{w, t}
}

func (b *testBundle) admin(t *testing.T, method, path string, body any) response {
	t.Helper()
	return b.do(t, req{method: method, path: path, body: body, apikey: b.project.ServiceRole})
}

// signUp signs a user up (autoconfirm) and returns the session.
func (b *testBundle) signUp(t *testing.T, email, pw string) map[string]any {
	t.Helper()
	return b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"email": email, "password": pw, "data": map[string]any{"full_name": "A"}}}).
		expect(http.StatusOK, "")
}

func (b *testBundle) signIn(t *testing.T, email, pw string) map[string]any {
	t.Helper()
	return b.do(t, req{method: "POST", path: "/token?grant_type=password", body: map[string]any{"email": email, "password": pw}}).
		expect(http.StatusOK, "")
}

func (b *testBundle) refresh(t *testing.T, token string) response {
	t.Helper()
	return b.do(t, req{method: "POST", path: "/token?grant_type=refresh_token", body: map[string]any{"refresh_token": token}})
}

// lastMail returns the newest mail to an address from the outbox.
func (b *testBundle) lastMail(t *testing.T, to string) mail.Row {
	t.Helper()
	rows, err := mail.List(context.Background(), b.owner, to, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("no mail to %s", to)
	}
	return rows[0]
}

func (b *testBundle) mailCount(t *testing.T, to string) int {
	t.Helper()
	rows, err := mail.List(context.Background(), b.owner, to, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

func (b *testBundle) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := b.owner.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func str(m map[string]any, path ...string) string {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = mm[p]
	}
	s, _ := v.(string)
	return s
}

// testWriter sends the API's logs to the test's output.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
