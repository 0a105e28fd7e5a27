package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/auth/password"
)

// token is POST /token?grant_type=password|refresh_token|pkce.
func (a *API) token(w http.ResponseWriter, r *http.Request) error {
	if err := a.allow(a.limitToken, "ip:"+a.clientIP(r)); err != nil {
		return err
	}
	var s *sessionResponse
	var err error
	switch grant := r.URL.Query().Get("grant_type"); grant {
	case "password":
		s, err = a.passwordGrant(r)
	case "refresh_token":
		s, err = a.refreshGrant(w, r)
	case "pkce":
		s, err = a.pkceGrant(r)
	default:
		return oauthError("unsupported_grant_type", "")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

type passwordParams struct {
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
}

func (a *API) passwordGrant(r *http.Request) (*sessionResponse, error) {
	var p passwordParams
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	switch {
	case p.Email != "" && p.Phone != "":
		return nil, badRequest("validation_failed", "Only an email address or phone number should be provided on login.")
	case p.Phone != "":
		return nil, badRequest("phone_provider_disabled", "Phone logins are disabled")
	case p.Email == "":
		return nil, badRequest("validation_failed", "missing email or phone")
	}
	email := normalizeEmail(p.Email)
	if err := a.allow(a.limitAccount, "acct:"+email); err != nil {
		return nil, err
	}
	// The password is checked (and, when its cost is outdated, hashed
	// again) between two short transactions, not inside one: argon2id
	// takes tens of milliseconds of CPU, and a pool connection held that
	// long is one the Data API cannot use.
	var u *user
	err := a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		var err error
		u, err = findUserByEmail(ctx, tx, email, false)
		return err
	})
	if errors.Is(err, errNoUser) || (err == nil && u.EncryptedPassword == "") {
		_, _ = password.Verify(p.Password, a.dummyHash) // same work as a real check
		return nil, errInvalidCredentials()
	}
	if err != nil {
		return nil, err
	}
	ok, verr := password.Verify(p.Password, u.EncryptedPassword)
	if !ok {
		return nil, errInvalidCredentials().withCause(verr)
	}
	var rehash string
	if password.NeedsRehash(u.EncryptedPassword, a.opts.PasswordHash) {
		if rehash, err = a.hashPassword(p.Password); err != nil {
			return nil, err
		}
	}
	var s *sessionResponse
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		// Signing in is for the password just checked: a change in
		// between (or a deletion) makes these credentials stale.
		cur, err := findUserByID(ctx, tx, u.ID, true)
		if errors.Is(err, errNoUser) || (err == nil && cur.EncryptedPassword != u.EncryptedPassword) {
			return errInvalidCredentials()
		}
		if err != nil {
			return err
		}
		if cur.banned(a.opts.Now()) {
			return badRequest("user_banned", "User is banned")
		}
		if !cur.confirmed() {
			return badRequest("email_not_confirmed", "Email not confirmed")
		}
		if rehash != "" {
			if _, err := tx.Exec(ctx, `update auth.users set encrypted_password = $2 where id = $1`, cur.ID, rehash); err != nil {
				return err
			}
		}
		if s, err = a.newSession(ctx, tx, r, cur, amrPassword); err != nil {
			return err
		}
		return a.audit(ctx, tx, r, cur, "login", map[string]any{"provider": "email"})
	})
	if err != nil {
		return nil, err
	}
	var weak *password.WeakPasswordError
	if errors.As(password.CheckStrength(p.Password, a.opts.PasswordMinLength), &weak) {
		s.WeakPassword = weak
	}
	return s, nil
}

type refreshParams struct {
	RefreshToken string `json:"refresh_token"`
}

// refreshLookupSQL finds a refresh token with its session and user,
// locking the token and the session: refreshes of one session queue up.
const refreshLookupSQL = `select rt.id, rt.revoked, rt.updated_at, rt.session_id::text, s.not_after, rt.user_id
from auth.refresh_tokens rt join auth.sessions s on s.id = rt.session_id
where rt.token = $1
for update of rt, s`

const activeTokenSQL = `select token, coalesce(parent, '') from auth.refresh_tokens
where session_id = $1 and revoked = false order by id desc limit 1`

const rotateSQL = `with old as (
  update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1 and revoked = false),
new as (
  insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
  values ($2, $3, $4, false, now(), now(), $5, $6))
update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now(),
  user_agent = coalesce(nullif($7, ''), user_agent), ip = coalesce($8::inet, ip)
where id = $6`

// revokeFamilySQL leaves updated_at alone, as GoTrue's RevokeTokenFamily.
const revokeFamilySQL = `update auth.refresh_tokens set revoked = true
where session_id = $1 and revoked = false`

// refreshGrant rotates a refresh token with GoTrue's reuse detection:
// a revoked token that is the parent of the session's active token gets
// that active token back; within the reuse interval of its revocation it
// gets a new child; any other reuse revokes every token of the session
// (committed) and fails with refresh_token_already_used.
func (a *API) refreshGrant(w http.ResponseWriter, r *http.Request) (*sessionResponse, error) {
	var p refreshParams
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	if p.RefreshToken == "" {
		return nil, oauthError("invalid_request", "refresh_token required")
	}
	var s *sessionResponse
	var reused bool
	err := a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		var id int64
		var revoked bool
		var updatedAt time.Time
		var sid, userID string
		var notAfter *time.Time
		err := tx.QueryRow(ctx, refreshLookupSQL, p.RefreshToken).Scan(&id, &revoked, &updatedAt, &sid, &notAfter, &userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
		}
		if err != nil {
			return err
		}
		u, err := findUserByID(ctx, tx, userID, false)
		if errors.Is(err, errNoUser) {
			return badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
		}
		if err != nil {
			return err
		}
		w.Header().Set("sb-auth-user-id", u.ID)
		now := a.opts.Now()
		if u.banned(now) {
			return badRequest("user_banned", "Invalid Refresh Token: User Banned")
		}
		if notAfter != nil && now.After(*notAfter) {
			return badRequest("session_expired", "Invalid Refresh Token: Session Expired")
		}
		w.Header().Set("sb-auth-session-id", sid)
		issued := ""
		if revoked {
			var active, parent string
			err := tx.QueryRow(ctx, activeTokenSQL, sid).Scan(&active, &parent)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			switch {
			case active != "" && parent == p.RefreshToken:
				issued = active // the client missed the earlier answer
			case active != "" && now.Before(updatedAt.Add(a.opts.ReuseInterval)):
				// Concurrent refresh inside the reuse interval: a new child.
				// With no active token the family was revoked (or the
				// session ended): that is never reuse to allow.
			default:
				if _, err := tx.Exec(ctx, revokeFamilySQL, sid); err != nil {
					return err
				}
				reused = true
				return a.audit(ctx, tx, r, u, "token_revoked", map[string]any{"reason": "refresh_token_reuse"})
			}
		}
		if issued == "" {
			issued = newRefreshToken()
			var ip any
			if s := a.clientIP(r); s != "" {
				ip = s
			}
			if _, err := tx.Exec(ctx, rotateSQL, id, nilInstance, issued, u.ID, p.RefreshToken, sid, r.UserAgent(), ip); err != nil {
				return err
			}
		}
		amr, err := sessionAMR(ctx, tx, sid)
		if err != nil {
			return err
		}
		s, err = a.issue(u, sid, issued, amr)
		return err
	})
	if err != nil {
		return nil, err
	}
	if reused {
		return nil, badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used")
	}
	return s, nil
}

type pkceParams struct {
	AuthCode     string `json:"auth_code"`
	CodeVerifier string `json:"code_verifier"`
}

// flowStateExpiry is how long a PKCE auth code may be exchanged (GoTrue's 5 min).
const flowStateExpiry = 5 * time.Minute

func (a *API) pkceGrant(r *http.Request) (*sessionResponse, error) {
	var p pkceParams
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	if p.AuthCode == "" || p.CodeVerifier == "" {
		return nil, badRequest("validation_failed", "invalid request: both auth code and code verifier should be non-empty")
	}
	var s *sessionResponse
	err := a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		var userID, method, challengeMethod, challenge string
		var created time.Time
		err := tx.QueryRow(ctx, `delete from auth.flow_state where auth_code = $1
			returning coalesce(user_id::text, ''), authentication_method, code_challenge_method::text, code_challenge,
			coalesce(auth_code_issued_at, created_at)`, p.AuthCode).
			Scan(&userID, &method, &challengeMethod, &challenge, &created)
		if errors.Is(err, pgx.ErrNoRows) {
			return newError(http.StatusNotFound, "flow_state_not_found", "invalid flow state, no valid flow state found")
		}
		if err != nil {
			return err
		}
		if a.opts.Now().After(created.Add(flowStateExpiry)) {
			return badRequest("flow_state_expired", "invalid flow state, flow state has expired")
		}
		if !challengeMatches(challengeMethod, challenge, p.CodeVerifier) {
			return forbidden("bad_code_verifier", "code challenge does not match previously saved code verifier")
		}
		u, err := findUserByID(ctx, tx, userID, false)
		if errors.Is(err, errNoUser) {
			return newError(http.StatusNotFound, "user_not_found", "User not found")
		}
		if err != nil {
			return err
		}
		if u.banned(a.opts.Now()) {
			return badRequest("user_banned", "User is banned")
		}
		s, err = a.newSession(ctx, tx, r, u, method)
		return err
	})
	return s, err
}

func challengeMatches(method, challenge, verifier string) bool {
	var want string
	switch strings.ToLower(method) {
	case "s256":
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	case "plain":
		want = verifier
	default:
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}
