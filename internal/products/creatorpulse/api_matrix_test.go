package creatorpulse_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/rest"
)

const apiSecret = "creatorpulse-api-test-secret-0123456789"

// apiAuth validates HS256 tokens as the gateway does; no token is anon.
func apiAuth(r *http.Request) (string, []byte, error) {
	raw, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !found || raw == "" {
		return "anon", []byte(`{"role":"anon"}`), nil
	}
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(apiSecret), nil },
		jwt.WithValidMethods([]string{"HS256"})); err != nil {
		return "", nil, errors.Join(rest.ErrJWTInvalid, err)
	}
	role, _ := claims["role"].(string)
	out, _ := json.Marshal(claims)
	return role, out, nil
}

// apiToken signs the claims of a matrix actor; anon has none and gets no token.
func apiToken(t *testing.T, req database.Request) string {
	t.Helper()
	if req.Claims == nil {
		return ""
	}
	claims := jwt.MapClaims{}
	if err := json.Unmarshal(req.Claims, &claims); err != nil {
		t.Fatalf("claims %s: %v", req.Claims, err)
	}
	claims["exp"] = time.Now().Add(time.Hour).Unix()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(apiSecret))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return s
}

// dataAPI is the Data API over one test database, called as supabase-js
// does with db: { schema: 'creatorpulse' }.
// Its ids and tokens are those of its own database's fixture and people.
type dataAPI struct {
	h      http.Handler
	ids    *strings.Replacer
	tokens map[string]string // per matrix actor
}

func (b *testBundle) dataAPI(t *testing.T, ids *strings.Replacer) *dataAPI {
	t.Helper()
	ctx := context.Background()
	pool := b.DB.Authenticator(t)
	runner, err := database.NewRunner(ctx, pool)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	h, err := rest.New(ctx, rest.Options{Runner: runner, Pool: pool, Schemas: []string{"creatorpulse"},
		Authenticate: apiAuth, AllowTxOverride: true, NoListen: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("rest: %v", err)
	}
	t.Cleanup(func() { _ = h.Close() })
	tokens := map[string]string{}
	for actor, req := range b.rlsActors() {
		tokens[actor] = apiToken(t, req)
	}
	return &dataAPI{h: h, ids: ids, tokens: tokens}
}

// apiResult is what one request came back with.
type apiResult struct {
	status int
	rows   int64  // rows returned (GET) or affected (Content-Range total)
	code   string // the error's code, if any
	body   string
}

func (a *dataAPI) do(token, method, url, prefer, body string) apiResult {
	req := httptest.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if method == http.MethodGet {
		req.Header.Set("Accept-Profile", "creatorpulse")
	} else {
		req.Header.Set("Content-Profile", "creatorpulse")
		req.Header.Set("Content-Type", "application/json")
	}
	if prefer != "" {
		req.Header.Set("Prefer", prefer)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	res := apiResult{status: rec.Code, body: rec.Body.String(), rows: -1}
	if rec.Code >= 400 {
		var e struct{ Code string }
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		res.code = e.Code
		return res
	}
	if method == http.MethodGet {
		var rows []json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &rows); err == nil {
			res.rows = int64(len(rows))
		}
		return res
	}
	cr := rec.Header().Get("Content-Range")
	if i := strings.LastIndexByte(cr, '/'); i >= 0 {
		if n, err := strconv.ParseInt(cr[i+1:], 10, 64); err == nil {
			res.rows = n
		}
	}
	return res
}

// cell sends one matrix statement as its Data API request. Writes end in
// Prefer: tx=rollback, so the cells do not interfere.
func (a *dataAPI) cell(actor string, tc tableCase, op string) (method, url string, res apiResult) {
	token := a.tokens[actor]
	key := a.ids.Replace(tc.key)
	switch op {
	case "select":
		method, url = http.MethodGet, "/"+tc.table+"?select=*&"+key
		res = a.do(token, method, url, "", "")
	case "insert":
		method, url = http.MethodPost, "/"+tc.table
		res = a.do(token, method, url, "return=minimal, count=exact, tx=rollback", a.ids.Replace(tc.row))
	case "update":
		method, url = http.MethodPatch, "/"+tc.table+"?"+key
		res = a.do(token, method, url, "return=minimal, count=exact, tx=rollback", a.ids.Replace(tc.set))
	case "delete":
		method, url = http.MethodDelete, "/"+tc.table+"?"+key
		res = a.do(token, method, url, "return=minimal, count=exact, tx=rollback", "")
	}
	return method, url, res
}

// TestAPIMatrix runs TestRLSMatrix's cells (same fixture, same rows, same
// expectations) through the Data API: GET, POST, PATCH and DELETE as each
// actor, with PostgREST's statuses and error codes for the refusals.
func TestAPIMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.fixture(t)
	shared := b.dataAPI(t, ids)
	actors := b.rlsActors()

	// The SQL matrix makes room for a row unique per user in the insert
	// cell's own transaction; a request cannot, so those insert cells run
	// on a database of their own where the prep statement was committed.
	prepared := func(tc tableCase) *dataAPI {
		pb := setup(t)
		pids := pb.fixture(t)
		pb.OwnerExec(t, pids.Replace(tc.prepInsert))
		return pb.dataAPI(t, pids)
	}

	covered := map[string]bool{}
	for _, tc := range rlsCases() {
		covered[tc.table] = true
		if tc.key == "" || tc.row == "" || tc.set == "" {
			t.Fatalf("%s: no Data API key, row or change", tc.table)
		}
		insertAPI := shared
		if tc.prepInsert != "" {
			insertAPI = prepared(tc)
		}
		for actor := range actors {
			want, found := tc.want[actor]
			if !found {
				t.Fatalf("%s: no expectations for %s", tc.table, actor)
			}
			for i, op := range ops {
				a := shared
				if op == "insert" {
					a = insertAPI
				}
				t.Run(tc.table+"/"+actor+"/"+op, func(t *testing.T) {
					t.Parallel()
					method, url, res := a.cell(actor, tc, op)
					what := method + " " + url
					switch want[i] {
					case deny:
						status := http.StatusForbidden
						if actor == "anon" {
							status = http.StatusUnauthorized
						}
						if res.status != status || res.code != "42501" {
							t.Fatalf("%s: %d %s, want %d 42501 (refused)", what, res.status, res.body, status)
						}
					case ok, none:
						status := map[string]int{"select": 200, "insert": 201, "update": 204, "delete": 204}[op]
						wantRows := int64(1)
						if want[i] == none {
							wantRows = 0
						}
						if res.status != status {
							t.Fatalf("%s: %d %s, want %d (%s)", what, res.status, res.body, status, want[i])
						}
						if res.rows != wantRows {
							t.Fatalf("%s: %d rows, want %d (%s)", what, res.rows, wantRows, want[i])
						}
					}
				})
			}
		}
	}

	t.Run("CoversEveryTable", func(t *testing.T) {
		t.Parallel()
		b.CoversEveryTable(t, "creatorpulse", covered, "TestAPIMatrix")
	})
}
