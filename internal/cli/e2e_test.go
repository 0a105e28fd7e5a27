package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeAPIsEndToEnd walks one person through the mounted APIs of the
// real binary: sign up (/auth/v1), read the shared catalog and their own
// profile (/rest/v1), and export their data (/functions/v1).
func TestServeAPIsEndToEnd(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	p := startServe(t, dir)
	p.waitHealthy(t)
	out, _, _ := run(t, nil, "keys", "--json", "--data-dir", dir)
	var k map[string]string
	if err := json.Unmarshal([]byte(out), &k); err != nil {
		t.Fatal(err)
	}
	anon := k["anon_key"]

	call := func(method, path, token, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, p.url+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("apikey", anon)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	status, body := call("POST", "/auth/v1/signup", anon, `{"email":"e2e@example.com","password":"correct horse","data":{"full_name":"E2E Person"}}`)
	if status != 200 {
		t.Fatalf("signup: %d %s", status, body)
	}
	var session struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal([]byte(body), &session); err != nil || session.AccessToken == "" {
		t.Fatalf("signup session: %v %s", err, body)
	}

	if status, body := call("GET", "/rest/v1/platforms?select=slug&order=slug", anon, ""); status != 200 || !strings.Contains(body, `"youtube"`) {
		t.Fatalf("platforms as anon: %d %s", status, body)
	}
	status, body = call("GET", "/rest/v1/users?select=id,full_name", session.AccessToken, "")
	if status != 200 || !strings.Contains(body, "E2E Person") || strings.Count(body, `"id"`) != 1 {
		t.Fatalf("own profile: %d %s", status, body)
	}
	// anon has no grant on profiles: PostgREST's 401 with 42501.
	if status, body := call("GET", "/rest/v1/users?select=id", anon, ""); status != 401 || !strings.Contains(body, "42501") {
		t.Fatalf("profiles as anon: %d %s", status, body)
	}

	// The system and events schemas are not exposed: PostgREST's PGRST106.
	for _, schema := range []string{"system", "events", "auth"} {
		req, _ := http.NewRequest("GET", p.url+"/rest/v1/configurations", nil)
		req.Header.Set("apikey", anon)
		req.Header.Set("Authorization", "Bearer "+session.AccessToken)
		req.Header.Set("Accept-Profile", schema)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 406 || !strings.Contains(string(b), "PGRST106") {
			t.Fatalf("schema %s through the Data API: %d %s", schema, resp.StatusCode, b)
		}
	}

	status, body = call("POST", "/functions/v1/account-export", session.AccessToken, "{}")
	if status != 200 || !strings.Contains(body, session.User.ID) || strings.Contains(body, "encrypted_password") {
		t.Fatalf("account-export: %d %.300s", status, body)
	}
	if status, _ := call("POST", "/functions/v1/account-export", anon, "{}"); status != 401 {
		t.Fatalf("account-export as anon: %d", status)
	}
}
