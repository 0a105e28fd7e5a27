package auth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

type verifyParams struct {
	Type      string `json:"type"`
	Token     string `json:"token"`
	TokenHash string `json:"token_hash"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

// verifyKinds lists, per verification type, the token kinds it may match.
var verifyKinds = map[string][]tokenKind{
	"signup":       {confirmationKind},
	"invite":       {confirmationKind},
	"magiclink":    {recoveryKind},
	"recovery":     {recoveryKind},
	"email":        {confirmationKind, recoveryKind},
	"email_change": {emailChangeKind},
}

// verified is the outcome of a verification.
type verified struct {
	session  *sessionResponse
	authCode string // PKCE: the code to exchange instead of a session
}

// verifyPost is POST /verify: a code (with email) or a token hash; 200
// with a session.
func (a *API) verifyPost(w http.ResponseWriter, r *http.Request) error {
	var p verifyParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if err := a.allow(a.limitVerify, "ip:"+a.clientIP(r)); err != nil {
		return err
	}
	if _, ok := verifyKinds[p.Type]; !ok {
		if p.Type == "sms" || p.Type == "phone_change" {
			return unprocessable("phone_provider_disabled", "Unsupported phone provider")
		}
		return badRequest("validation_failed", "Verify requires a verification type")
	}
	var email string
	switch {
	case p.TokenHash != "":
	case p.Token != "" && p.Email != "":
		email = normalizeEmail(p.Email)
		if err := a.allow(a.limitAccount, "acct:"+email); err != nil {
			return err
		}
	case p.Token != "" && p.Phone != "":
		return unprocessable("phone_provider_disabled", "Unsupported phone provider")
	default:
		return badRequest("validation_failed", "Verify requires either a token or a token hash")
	}
	v, err := a.verify(r, p.Type, p.TokenHash, email, p.Token, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v.session)
	return nil
}

// verifyGet is GET /verify?token=<hash>&type=&redirect_to=, the link in
// the mail: 303 to redirect_to with the session in the fragment, or
// ?code= for PKCE, or the error in the fragment.
func (a *API) verifyGet(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	redirect := a.redirectTo(r)
	fail := func(e *apiError) error {
		frag := url.Values{"error": {"access_denied"}, "error_code": {e.code}, "error_description": {e.msg}}
		http.Redirect(w, r, withoutFragment(redirect)+"#"+frag.Encode(), http.StatusSeeOther)
		return nil
	}
	if ok, retry := a.limitVerify.Allow("ip:" + a.clientIP(r)); !ok {
		return rateLimited("over_request_rate_limit", "Request rate limit reached", retry)
	}
	typ := q.Get("type")
	if _, ok := verifyKinds[typ]; !ok || q.Get("token") == "" {
		return fail(badRequest("validation_failed", "Verify requires a token and a verification type"))
	}
	v, err := a.verify(r, typ, q.Get("token"), "", "", true)
	if err != nil {
		var e *apiError
		if errors.As(err, &e) && e.status < 500 {
			if e.code == "otp_expired" {
				e.msg = "Email link is invalid or has expired"
			}
			return fail(e)
		}
		return err
	}
	if v.authCode != "" {
		u, perr := url.Parse(redirect)
		if perr != nil {
			return perr
		}
		vals := u.Query()
		vals.Set("code", v.authCode)
		u.RawQuery = vals.Encode()
		http.Redirect(w, r, u.String(), http.StatusSeeOther)
		return nil
	}
	s := v.session
	frag := url.Values{
		"access_token": {s.AccessToken}, "token_type": {"bearer"}, "expires_in": {strconv.Itoa(s.ExpiresIn)},
		"expires_at": {strconv.FormatInt(s.ExpiresAt, 10)}, "refresh_token": {s.RefreshToken}, "type": {typ},
	}
	http.Redirect(w, r, withoutFragment(redirect)+"#"+frag.Encode()+"&sb=", http.StatusSeeOther)
	return nil
}

func withoutFragment(u string) string {
	base, _, _ := strings.Cut(u, "#")
	return base
}

// verify checks a token and applies what it proves: a confirmed address,
// a recovery or magic-link sign-in, an email change. Links (fromLink)
// of PKCE flows yield an auth code instead of a session.
func (a *API) verify(r *http.Request, typ, hash, email, otp string, fromLink bool) (*verified, error) {
	var out verified
	err := a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, kind, stored, err := a.findByToken(ctx, tx, typ, hash, email, otp)
		if err != nil {
			return err
		}
		if u.banned(a.opts.Now()) {
			return forbidden("user_banned", "User is banned")
		}
		method, err := a.applyVerification(ctx, tx, r, u, typ, kind)
		if err != nil {
			return err
		}
		if fromLink && strings.HasPrefix(stored, "pkce_") {
			return tx.QueryRow(ctx, `update auth.flow_state set auth_code_issued_at = now(), updated_at = now()
				where id = (select id from auth.flow_state where user_id = $1 order by created_at desc limit 1)
				returning auth_code`, u.ID).Scan(&out.authCode)
		}
		if u, err = findUserByID(ctx, tx, u.ID, false); err != nil {
			return err
		}
		out.session, err = a.newSession(ctx, tx, r, u, method)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errOTPExpired().withCause(err)
	}
	return &out, err
}

// findByToken finds the user whose stored token of one of typ's kinds
// matches, and that has not expired.
func (a *API) findByToken(ctx context.Context, tx pgx.Tx, typ, hash, email, otp string) (*user, tokenKind, string, error) {
	for _, k := range verifyKinds[typ] {
		var q string
		var args []any
		switch {
		case hash != "":
			q = `select ` + userColumns + ` from auth.users u where u.` + k.column + ` = $1 and u.deleted_at is null`
			args = []any{hash}
		default:
			addr := "u.email"
			if k == emailChangeKind {
				addr = "u.email_change"
			}
			h := tokenHash(email, otp)
			q = `select ` + userColumns + ` from auth.users u where lower(` + addr + `) = $1
				and u.` + k.column + ` in ($2::text, 'pkce_' || $2::text) and u.deleted_at is null`
			args = []any{email, h}
		}
		u, err := scanUser(tx.QueryRow(ctx, q+" limit 1 for update of u", args...))
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, k, "", err
		}
		stored, sent := u.ConfirmationToken, u.ConfirmationSentAt
		switch k {
		case recoveryKind:
			stored, sent = u.RecoveryToken, u.RecoverySentAt
		case emailChangeKind:
			stored, sent = u.EmailChangeTokenNew, u.EmailChangeSentAt
		}
		if stored == "" || sent == nil || a.opts.Now().After(sent.Add(a.opts.OTPExpiry)) {
			return nil, k, "", errOTPExpired()
		}
		return u, k, stored, nil
	}
	return nil, tokenKind{}, "", errOTPExpired()
}

// applyVerification records what a verified token proves and returns the
// session's authentication method.
func (a *API) applyVerification(ctx context.Context, tx pgx.Tx, r *http.Request, u *user, typ string, k tokenKind) (string, error) {
	if err := clearToken(ctx, tx, u.ID, k); err != nil {
		return "", err
	}
	switch k {
	case emailChangeKind:
		taken, err := emailTaken(ctx, tx, u.NewEmail, u.ID)
		if err != nil {
			return "", err
		}
		if taken {
			return "", errEmailExists()
		}
		if err := applyEmailChange(ctx, tx, u.ID, u.NewEmail); err != nil {
			return "", err
		}
		return amrEmailChange, a.audit(ctx, tx, r, u, "user_modified", map[string]any{"email_change": true})
	case confirmationKind:
		if err := confirmEmail(ctx, tx, u.ID); err != nil {
			return "", err
		}
		method := amrEmailSignup
		switch {
		case typ == "invite" || u.InvitedAt != nil && !u.confirmed():
			method = amrInvite
		case typ == "email":
			method = amrOTP
		}
		return method, a.audit(ctx, tx, r, u, "user_signedup", map[string]any{"provider": "email"})
	default: // recovery, magic link
		if !u.confirmed() {
			if err := confirmEmail(ctx, tx, u.ID); err != nil {
				return "", err
			}
		}
		method := amrMagicLink
		switch typ {
		case "recovery":
			method = amrRecovery
		case "email":
			method = amrOTP
		}
		return method, a.audit(ctx, tx, r, u, "login", map[string]any{"provider": "email", "method": method})
	}
}
