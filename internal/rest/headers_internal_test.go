package rest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// wantHeaders is what request.headers must decode to: encoding/json's
// reading of the same headers.
func wantHeaders(h http.Header) map[string]string {
	m := map[string]string{}
	for k, v := range h {
		if lk := strings.ToLower(k); lk != "cookie" {
			m[lk] = strings.Join(v, ", ")
		}
	}
	b, _ := json.Marshal(m)
	out := map[string]string{}
	_ = json.Unmarshal(b, &out)
	return out
}

func checkHeadersJSON(t *testing.T, h http.Header) {
	t.Helper()
	got := headersJSON(h)
	var m map[string]string
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatalf("headersJSON(%q) = %s: not JSON: %v", h, got, err)
	}
	want := wantHeaders(h)
	if len(m) != len(want) {
		t.Fatalf("headersJSON(%q) = %s, want %v", h, got, want)
	}
	for k, v := range want {
		if m[k] != v {
			t.Fatalf("headersJSON(%q)[%q] = %q, want %q", h, k, m[k], v)
		}
	}
}

func TestHeadersJSON(t *testing.T) {
	t.Parallel()
	for _, h := range []http.Header{
		{},
		{"Authorization": {"Bearer x.y.z"}, "Cookie": {"sb=secret"}, "Accept": {"a", "b"}},
		{"X-Quote": {`he said "hi" \ bye`}, "X-Ctl": {"a\x00b\x1f\tc\n"}, "X-Utf8": {"héllo ✓ \U0001F600"}},
		{"X-Bad": {"a\xffb\xc3"}, "X-Html": {"<a href='x'>&</a>"}},
	} {
		checkHeadersJSON(t, h)
	}
	if got := string(headersJSON(http.Header{"B": {"2"}, "A": {"1"}})); got != `{"a":"1","b":"2"}` {
		t.Fatalf("names not sorted: %s", got)
	}
}

func FuzzHeadersJSON(f *testing.F) {
	f.Add("X-Name", "value", "v2")
	f.Add("Cookie", "a=b", "")
	f.Add("X-Bad", "\xff\"\\\x01", "é")
	f.Fuzz(func(t *testing.T, name, v1, v2 string) {
		checkHeadersJSON(t, http.Header{name: {v1, v2}, "Apikey": {v2}})
	})
}
