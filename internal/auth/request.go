package auth

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// APIVersion20240101 is the only dated API version GoTrue knows.
const APIVersion20240101 = "2024-01-01"

const apiVersionHeader = "X-Supabase-Api-Version"

// newAPIVersion reports whether the client asked for the 2024-01-01
// error shapes (supabase-js always does).
func newAPIVersion(r *http.Request) bool {
	v := r.Header.Get(apiVersionHeader)
	if v == "" {
		return false
	}
	t, err := time.Parse("2006-01-02", v)
	return err == nil && !t.Before(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
}

// apiVersion echoes the version header, which is how the client knows to
// read error codes from the new shape.
func apiVersion(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if newAPIVersion(r) {
			w.Header().Set(apiVersionHeader, APIVersion20240101)
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies at GoTrue's 1 MB.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// decode reads a JSON body into v, as GoTrue's retrieveRequestParams:
// unknown fields are ignored, an empty or broken body is bad_json.
func decode(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return badRequest("bad_json", "Could not parse request body as JSON: %v", err)
	}
	return nil
}

// decodeOptional is decode for endpoints whose body may be absent.
func decodeOptional(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil || len(strings.TrimSpace(string(body))) == 0 {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return badRequest("bad_json", "Could not parse request body as JSON: %v", err)
	}
	return nil
}

func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, newError(http.StatusRequestEntityTooLarge, "request_entity_too_large",
				"Request body too large (max %d bytes)", mbe.Limit)
		}
		return nil, newError(http.StatusInternalServerError, "unexpected_failure", "Could not read body into byte slice").withCause(err)
	}
	return body, nil
}

// clientIP is the address rate limits and sessions record: the trusted
// header's first entry when configured and present, else the peer.
func (a *API) clientIP(r *http.Request) string {
	if h := a.opts.RateLimitHeader; h != "" {
		if v := r.Header.Get(h); v != "" {
			first, _, _ := strings.Cut(v, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.String()
	}
	return ""
}
