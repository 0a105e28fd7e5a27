package auth

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
)

type signupParams struct {
	Email    string         `json:"email"`
	Phone    string         `json:"phone"`
	Password string         `json:"password"`
	Data     map[string]any `json:"data"`
	pkce
}

// signup is POST /signup: with autoconfirm a session, otherwise the user
// and a confirmation mail. An existing confirmed address answers 422
// user_already_exists with autoconfirm, and an obfuscated user (200)
// without, so that sign-up does not reveal who is registered.
func (a *API) signup(w http.ResponseWriter, r *http.Request) error {
	if a.opts.DisableSignup {
		return unprocessable("signup_disabled", "Signups not allowed for this instance")
	}
	var p signupParams
	if err := decode(r, &p); err != nil {
		return err
	}
	switch {
	case p.Email != "" && p.Phone != "":
		return badRequest("validation_failed", "Only an email address or phone number should be provided on signup.")
	case p.Email == "" && p.Phone == "":
		return a.signupAnonymously(w, r, p)
	case p.Phone != "":
		return unprocessable("phone_provider_disabled", "Phone signups are disabled")
	}
	if err := a.allow(a.limitOTP, "ip:"+a.clientIP(r)); err != nil {
		return err
	}
	if p.Password == "" {
		return badRequest("validation_failed", "Signup requires a valid password")
	}
	if err := a.checkPassword(p.Password); err != nil {
		return err
	}
	email, err := validateEmail(p.Email)
	if err != nil {
		return err
	}
	if err := a.allow(a.limitAccount, "acct:"+email); err != nil {
		return err
	}
	flow, err := p.pkce.flow()
	if err != nil {
		return err
	}
	hash, err := a.hashPassword(p.Password)
	if err != nil {
		return err
	}
	if !a.opts.MailerAutoconfirm {
		if err := a.allowMail(); err != nil {
			return err
		}
	}
	redirect := a.redirectTo(r)

	var resp any
	mailed := false
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		existing, err := findUserByEmail(ctx, tx, email, true)
		if err != nil && !errors.Is(err, errNoUser) {
			return err
		}
		if existing != nil {
			resp, mailed, err = a.repeatedSignup(ctx, tx, r, existing, p, redirect, flow)
			return err
		}
		meta := mergeMetadata(p.Data, nil)
		nu := newUser{ID: newUUID(), Email: email, Password: hash, Confirmed: a.opts.MailerAutoconfirm,
			AppMetadata:  map[string]any{"provider": "email", "providers": []string{"email"}},
			UserMetadata: mergeMetadata(meta, map[string]any{"sub": "", "email": email, "email_verified": a.opts.MailerAutoconfirm, "phone_verified": false}),
		}
		nu.UserMetadata["sub"] = nu.ID
		if err := insertUser(ctx, tx, nu); errors.Is(err, errEmailTaken) {
			if a.opts.MailerAutoconfirm {
				return unprocessable("user_already_exists", "User already registered")
			}
			resp = obfuscatedUser(email, p.Data, a.opts.Now())
			return nil
		} else if err != nil {
			return err
		}
		u, err := findUserByID(ctx, tx, nu.ID, false)
		if err != nil {
			return err
		}
		if err := a.audit(ctx, tx, r, u, "user_signedup", map[string]any{"provider": "email"}); err != nil {
			return err
		}
		if a.opts.MailerAutoconfirm {
			resp, err = a.newSession(ctx, tx, r, u, amrPassword)
			return err
		}
		if err := a.mailToken(ctx, tx, u, confirmationKind, "confirmation", "signup", email, redirect, flow, amrEmailSignup); err != nil {
			return err
		}
		mailed = true
		resp, err = findUserByID(ctx, tx, u.ID, false)
		return err
	})
	if err != nil {
		return err
	}
	if mailed {
		a.opts.MailEnqueued()
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// repeatedSignup answers a sign-up for an address that is registered.
func (a *API) repeatedSignup(ctx context.Context, tx pgx.Tx, r *http.Request, u *user, p signupParams, redirect string, flow *pkce) (any, bool, error) {
	if u.confirmed() || a.opts.MailerAutoconfirm {
		if err := a.audit(ctx, tx, r, u, "user_repeated_signup", map[string]any{"provider": "email"}); err != nil {
			return nil, false, err
		}
		if a.opts.MailerAutoconfirm {
			return nil, false, unprocessable("user_already_exists", "User already registered")
		}
		return obfuscatedUser(u.Email, p.Data, a.opts.Now()), false, nil
	}
	// Not confirmed yet: send the confirmation again (GoTrue keeps the
	// stored password: the caller has not proven who they are).
	if a.recentlySent(u.ConfirmationSentAt) {
		return u, false, nil
	}
	if err := a.mailToken(ctx, tx, u, confirmationKind, "confirmation", "signup", u.Email, redirect, flow, amrEmailSignup); err != nil {
		return nil, false, err
	}
	u, err := findUserByID(ctx, tx, u.ID, false)
	return u, true, err
}

// obfuscatedUser is GoTrue's sanitizeUser: what a repeated sign-up for a
// confirmed address sees when confirmations are on. The id is random and
// identities is empty, so nothing about the real user leaks.
func obfuscatedUser(email string, data map[string]any, now time.Time) *user {
	now = now.UTC()
	if data == nil {
		data = map[string]any{}
	}
	return &user{
		ID: newUUID(), Role: "", Aud: "", Email: email, Phone: "", ConfirmationSentAt: &now,
		AppMetadata:  map[string]any{"provider": "email", "providers": []string{"email"}},
		UserMetadata: data, Identities: []identity{}, CreatedAt: now, UpdatedAt: now,
	}
}

// signupAnonymously is POST /signup without email or phone.
func (a *API) signupAnonymously(w http.ResponseWriter, r *http.Request, p signupParams) error {
	if !a.opts.AnonymousSignIns {
		return unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled")
	}
	if err := a.allow(a.limitAnon, "ip:"+a.clientIP(r)); err != nil {
		return err
	}
	var s *sessionResponse
	err := a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		nu := newUser{ID: newUUID(), Anonymous: true, AppMetadata: map[string]any{}, UserMetadata: mergeMetadata(p.Data, nil)}
		if err := insertUser(ctx, tx, nu); err != nil {
			return err
		}
		u, err := findUserByID(ctx, tx, nu.ID, false)
		if err != nil {
			return err
		}
		if err := a.audit(ctx, tx, r, u, "user_signedup", map[string]any{"provider": "anonymous"}); err != nil {
			return err
		}
		s, err = a.newSession(ctx, tx, r, u, amrAnonymous)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}
