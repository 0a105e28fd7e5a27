package auth

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/keys"
)

// sessionResponse is GoTrue's AccessTokenResponse.
type sessionResponse struct {
	AccessToken  string                      `json:"access_token"`
	TokenType    string                      `json:"token_type"`
	ExpiresIn    int                         `json:"expires_in"`
	ExpiresAt    int64                       `json:"expires_at"`
	RefreshToken string                      `json:"refresh_token"`
	User         *user                       `json:"user"`
	WeakPassword *password.WeakPasswordError `json:"weak_password,omitempty"`

	sessionID string
}

type amrEntry struct {
	Method    string `json:"method"`
	Timestamp int64  `json:"timestamp"`
}

// Authentication methods recorded in auth.mfa_amr_claims (GoTrue's).
const (
	amrPassword    = "password"
	amrOTP         = "otp"
	amrMagicLink   = "magiclink"
	amrRecovery    = "recovery"
	amrInvite      = "invite"
	amrEmailSignup = "email/signup"
	amrEmailChange = "email_change"
	amrAnonymous   = "anonymous"
)

// newSessionSQL creates the session, its amr claim and first refresh
// token, and records the sign-in, in one statement.
const newSessionSQL = `with s as (
  insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
  values ($1, $2::uuid, now(), now(), 'aal1', nullif($3, ''), $4::inet) returning id),
amr as (
  insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
  select $5, id, now(), now(), $6 from s),
rt as (
  insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
  select $7, $8, ($2::uuid)::text, false, now(), now(), null, id from s)
update auth.users set last_sign_in_at = now(), updated_at = now() where id = $2::uuid
returning last_sign_in_at`

// newSession signs u in: a session, a refresh token and an access token.
func (a *API) newSession(ctx context.Context, tx pgx.Tx, r *http.Request, u *user, method string) (*sessionResponse, error) {
	sid, token := newUUID(), newRefreshToken()
	var ip any
	if s := a.clientIP(r); s != "" {
		ip = s
	}
	var lastSignIn time.Time
	if err := tx.QueryRow(ctx, newSessionSQL, sid, u.ID, r.UserAgent(), ip, newUUID(), method, nilInstance, token).Scan(&lastSignIn); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	lastSignIn = lastSignIn.UTC()
	u.LastSignInAt = &lastSignIn
	now := a.opts.Now()
	return a.issue(u, sid, token, []amrEntry{{Method: method, Timestamp: now.Unix()}})
}

// issue signs an access token for u in session sid and wraps it with the
// refresh token in GoTrue's response shape.
func (a *API) issue(u *user, sid, refreshToken string, amr []amrEntry) (*sessionResponse, error) {
	now := a.opts.Now()
	exp := now.Add(a.opts.JWTExpiry)
	claims := jwt.MapClaims{
		"iss": a.issuer, "sub": u.ID, "aud": u.Aud, "exp": exp.Unix(), "iat": now.Unix(),
		"email": u.Email, "phone": u.Phone, "app_metadata": u.AppMetadata, "user_metadata": u.UserMetadata,
		"role": u.Role, "aal": "aal1", "amr": amr, "session_id": sid, "is_anonymous": u.IsAnonymous,
	}
	at, err := keys.Sign(a.opts.Secret, claims)
	if err != nil {
		return nil, err
	}
	return &sessionResponse{
		AccessToken: at, TokenType: "bearer", ExpiresIn: int(a.opts.JWTExpiry.Seconds()), ExpiresAt: exp.Unix(),
		RefreshToken: refreshToken, User: u, sessionID: sid,
	}, nil
}

// sessionAMR reads the amr claims of a session.
func sessionAMR(ctx context.Context, tx pgx.Tx, sid string) ([]amrEntry, error) {
	var raw []byte
	err := tx.QueryRow(ctx, `select coalesce(jsonb_agg(jsonb_build_object('method', authentication_method,
		'timestamp', extract(epoch from created_at)::bigint) order by created_at), '[]')
		from auth.mfa_amr_claims where session_id = $1`, sid).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("read amr: %w", err)
	}
	var out []amrEntry
	return out, json.Unmarshal(raw, &out)
}

const refreshAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newRefreshToken is 22 random alphanumerics (131 bits); the wire format
// is opaque to clients.
func newRefreshToken() string {
	b := make([]byte, 22)
	n := big.NewInt(int64(len(refreshAlphabet)))
	for i := range b {
		x, err := rand.Int(rand.Reader, n)
		if err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		b[i] = refreshAlphabet[x.Int64()]
	}
	return string(b)
}
