package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/auth/ratelimit"
	cbmail "github.com/creatorbase/creatorbase/internal/mail"
)

// allow takes a token from l's bucket for key, or answers 429.
func (a *API) allow(l *ratelimit.Limiter, key string) error {
	if ok, retry := l.Allow(key); !ok {
		return rateLimited("over_request_rate_limit", "Request rate limit reached", retry)
	}
	return nil
}

// allowMail counts one mail against the project-wide limit.
func (a *API) allowMail() error {
	if ok, retry := a.limitMail.Allow("mail"); !ok {
		return rateLimited("over_email_send_rate_limit", "Email rate limit exceeded", retry)
	}
	return nil
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

var emailPattern = regexp.MustCompile(`^[a-zA-Z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$`)

// validateEmail normalises an address or answers GoTrue's errors.
func validateEmail(s string) (string, error) {
	email := normalizeEmail(s)
	if email == "" {
		return "", badRequest("validation_failed", "An email address is required")
	}
	if len(email) > 255 {
		return "", badRequest("validation_failed", "An email address is too long")
	}
	if !emailPattern.MatchString(email) {
		return "", badRequest("email_address_invalid", "Unable to validate email address: invalid format")
	}
	if _, err := mail.ParseAddress(email); err != nil {
		return "", badRequest("email_address_invalid", "Unable to validate email address: invalid format")
	}
	return email, nil
}

// checkPassword applies the password policy to a new password.
func (a *API) checkPassword(plain string) error {
	if len(plain) > password.MaxLength {
		return badRequest("validation_failed", "Password cannot be longer than %d characters", password.MaxLength)
	}
	if err := password.CheckStrength(plain, a.opts.PasswordMinLength); err != nil {
		if w, ok := err.(*password.WeakPasswordError); ok {
			return weakPassword(w)
		}
		return err
	}
	return nil
}

func (a *API) hashPassword(plain string) (string, error) {
	h, err := password.Hash(a.opts.PasswordHash, plain)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// redirectTo returns the request's redirect_to when the site or the
// allow list permits it, else the site URL (GoTrue's getReferrer).
func (a *API) redirectTo(r *http.Request) string {
	if v := r.URL.Query().Get("redirect_to"); a.redirectAllowed(v) {
		return v
	}
	return a.opts.SiteURL
}

func (a *API) redirectAllowed(v string) bool {
	if v == "" {
		return false
	}
	ref, err := url.Parse(v)
	if err != nil || ref.Hostname() == "" {
		return false
	}
	if site, err := url.Parse(a.opts.SiteURL); err == nil && site.Hostname() == ref.Hostname() {
		return true
	}
	for _, pattern := range a.opts.URIAllowList {
		if globMatch(pattern, v) {
			return true
		}
	}
	return false
}

// globMatch matches GoTrue's allow-list globs: * within one host label
// or path segment, ** across them.
func globMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch {
		case strings.HasPrefix(pattern[i:], "**"):
			b.WriteString(".*")
			i++
		case pattern[i] == '*':
			b.WriteString(`[^./]*`)
		case pattern[i] == '?':
			b.WriteString(`[^./]`)
		default:
			b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}

// Kinds of one-time token: the auth.users column holding the hash, the
// column with its sent time, and the one_time_tokens type.
type tokenKind struct {
	column, sentColumn, ottType string
}

var (
	confirmationKind = tokenKind{"confirmation_token", "confirmation_sent_at", "confirmation_token"}
	recoveryKind     = tokenKind{"recovery_token", "recovery_sent_at", "recovery_token"}
	emailChangeKind  = tokenKind{"email_change_token_new", "email_change_sent_at", "email_change_token_new"}
)

// newOTP returns an n-digit code and GoTrue's token hash for it:
// hex(sha224(email + otp)).
func newOTP(email string, n int) (otp, hash string) {
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	x, err := rand.Int(rand.Reader, limit)
	if err != nil {
		panic(err)
	}
	otp = fmt.Sprintf("%0*d", n, x)
	return otp, tokenHash(email, otp)
}

func tokenHash(email, otp string) string {
	sum := sha256.Sum224([]byte(email + otp))
	return hex.EncodeToString(sum[:])
}

// saveToken stores a token hash for a user: in its auth.users column (with
// the sent time) and in auth.one_time_tokens.
func saveToken(ctx context.Context, tx pgx.Tx, userID string, k tokenKind, hash, relatesTo string) error {
	_, err := tx.Exec(ctx, `update auth.users set `+k.column+` = $2, `+k.sentColumn+` = now(), updated_at = now() where id = $1`, userID, hash)
	if err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	_, err = tx.Exec(ctx, `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
		values ($1, $2, $3, $4, $5, now(), now())
		on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`,
		newUUID(), userID, k.ottType, hash, relatesTo)
	if err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	return nil
}

// clearToken forgets a used token.
func clearToken(ctx context.Context, tx pgx.Tx, userID string, k tokenKind) error {
	if _, err := tx.Exec(ctx, `update auth.users set `+k.column+` = '' where id = $1`, userID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `delete from auth.one_time_tokens where user_id = $1 and token_type = $2`, userID, k.ottType)
	return err
}

// pkce is the code challenge a request may carry.
type pkce struct {
	CodeChallenge       *string `json:"code_challenge"`
	CodeChallengeMethod *string `json:"code_challenge_method"`
}

var codeChallengePattern = regexp.MustCompile(`^[a-zA-Z0-9._~-]{43,128}$`)

// flow returns the request's PKCE parameters when it starts a PKCE flow,
// and nil when it does not.
func (p *pkce) flow() (*pkce, error) {
	if p.CodeChallenge == nil || *p.CodeChallenge == "" {
		return nil, nil
	}
	if !codeChallengePattern.MatchString(*p.CodeChallenge) {
		return nil, badRequest("validation_failed", "code challenge has to be between 43 and 128 characters of A-Z, a-z, 0-9, -, ., _ and ~")
	}
	m := ""
	if p.CodeChallengeMethod != nil {
		m = strings.ToLower(*p.CodeChallengeMethod)
	}
	if m != "s256" && m != "plain" {
		return nil, badRequest("validation_failed", "code challenge method not supported")
	}
	return p, nil
}

// saveFlow records a PKCE flow for a user and an authentication method.
func saveFlow(ctx context.Context, tx pgx.Tx, userID, method string, p pkce) error {
	_, err := tx.Exec(ctx, `delete from auth.flow_state where user_id = $1 and authentication_method = $2`, userID, method)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge,
		provider_type, authentication_method, created_at, updated_at)
		values ($1, $2, $3, $4, $5, 'email', $6, now(), now())`,
		newUUID(), userID, newUUID(), strings.ToLower(*p.CodeChallengeMethod), *p.CodeChallenge, method)
	return err
}

// mailToken creates a one-time token of kind k for u, records a PKCE flow
// when asked, and enqueues the mail: the address gets the code and a
// verify link.
func (a *API) mailToken(ctx context.Context, tx pgx.Tx, u *user, k tokenKind, template, verifyType, to, redirect string, flow *pkce, flowMethod string) error {
	otp, hash := newOTP(to, a.opts.OTPLength)
	if flow != nil {
		hash = "pkce_" + hash
		if err := saveFlow(ctx, tx, u.ID, flowMethod, *flow); err != nil {
			return err
		}
	}
	if err := saveToken(ctx, tx, u.ID, k, hash, to); err != nil {
		return err
	}
	link := a.verifyURL + "?token=" + url.QueryEscape(hash) + "&type=" + verifyType + "&redirect_to=" + url.QueryEscape(redirect)
	return cbmail.Enqueue(ctx, tx, cbmail.Message{Template: template, To: to, Data: cbmail.Data{
		SiteURL: a.opts.SiteURL, ConfirmationURL: link, Token: otp, TokenHash: hash, RedirectTo: redirect,
		Email: u.Email, NewEmail: u.NewEmail,
	}})
}

// recentlySent reports whether a mail of a kind went out within the
// configured minimum interval.
func (a *API) recentlySent(sent *time.Time) bool {
	return sent != nil && a.opts.Now().Before(sent.Add(a.opts.MailerMaxFrequency))
}
