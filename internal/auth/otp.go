package auth

import (
	"context"
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"
)

type recoverParams struct {
	Email string `json:"email"`
	pkce
}

// recover is POST /recover: a recovery mail when the address belongs to
// a user, and the same 200 {} either way.
func (a *API) recover(w http.ResponseWriter, r *http.Request) error {
	var p recoverParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Email == "" {
		return badRequest("validation_failed", "Password recovery requires an email")
	}
	email, err := a.mailAddress(r, p.Email)
	if err != nil {
		return err
	}
	flow, err := p.pkce.flow()
	if err != nil {
		return err
	}
	redirect := a.redirectTo(r)
	mailed := false
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := findUserByEmail(ctx, tx, email, true)
		if errors.Is(err, errNoUser) {
			return nil
		}
		if err != nil || a.recentlySent(u.RecoverySentAt) {
			return err
		}
		if err := a.mailToken(ctx, tx, u, recoveryKind, "recovery", "recovery", u.Email, redirect, flow, amrRecovery); err != nil {
			return err
		}
		mailed = true
		return a.audit(ctx, tx, r, u, "user_recovery_requested", nil)
	})
	return a.mailAnswer(w, mailed, err)
}

// mailAddress validates the address of a request that sends mail and
// applies those endpoints' limits: per client, per address, and the
// project's mail budget. They are taken whether or not the address is
// registered. It returns the normalised address.
func (a *API) mailAddress(r *http.Request, raw string) (string, error) {
	email, err := validateEmail(raw)
	if err != nil {
		return "", err
	}
	if err := a.allow(a.limitOTP, "ip:"+a.clientIP(r)); err != nil {
		return "", err
	}
	if err := a.allow(a.limitAccount, "acct:"+email); err != nil {
		return "", err
	}
	return email, a.allowMail()
}

func (a *API) mailAnswer(w http.ResponseWriter, mailed bool, err error) error {
	if err != nil {
		return err
	}
	if mailed {
		a.opts.MailEnqueued()
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

type otpParams struct {
	Email      string         `json:"email"`
	Phone      string         `json:"phone"`
	Data       map[string]any `json:"data"`
	CreateUser *bool          `json:"create_user"`
	pkce
}

// otp is POST /otp (and /magiclink): a mail with a code and a link. A
// new address gets a user (unless create_user is false or sign-ups are
// off) and the confirmation mail; a confirmed user gets the magic link.
// The answer is 200 {} whether or not the address is registered.
func (a *API) otp(w http.ResponseWriter, r *http.Request) error {
	var p otpParams
	if err := decode(r, &p); err != nil {
		return err
	}
	switch {
	case p.Email != "" && p.Phone != "":
		return badRequest("validation_failed", "Only an email address or phone number should be provided")
	case p.Phone != "":
		return unprocessable("phone_provider_disabled", "Unsupported phone provider")
	case p.Email == "":
		return badRequest("validation_failed", "An email address or phone number is required")
	}
	email, err := a.mailAddress(r, p.Email)
	if err != nil {
		return err
	}
	flow, err := p.pkce.flow()
	if err != nil {
		return err
	}
	create := p.CreateUser == nil || *p.CreateUser
	redirect := a.redirectTo(r)
	mailed := false
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := findUserByEmail(ctx, tx, email, true)
		if errors.Is(err, errNoUser) {
			if !create || a.opts.DisableSignup {
				return nil
			}
			if u, err = a.createPasswordless(ctx, tx, r, email, p.Data); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if u.confirmed() {
			if a.recentlySent(u.RecoverySentAt) {
				return nil
			}
			mailed = true
			return a.mailToken(ctx, tx, u, recoveryKind, "magic_link", "magiclink", u.Email, redirect, flow, amrMagicLink)
		}
		if a.recentlySent(u.ConfirmationSentAt) {
			return nil
		}
		mailed = true
		return a.mailToken(ctx, tx, u, confirmationKind, "confirmation", "signup", u.Email, redirect, flow, amrEmailSignup)
	})
	return a.mailAnswer(w, mailed, err)
}

// createPasswordless signs up an address without a password (OTP).
func (a *API) createPasswordless(ctx context.Context, tx pgx.Tx, r *http.Request, email string, data map[string]any) (*user, error) {
	nu := newUser{ID: newUUID(), Email: email,
		AppMetadata: map[string]any{"provider": "email", "providers": []string{"email"}},
		UserMetadata: mergeMetadata(mergeMetadata(data, nil),
			map[string]any{"email": email, "email_verified": false, "phone_verified": false}),
	}
	nu.UserMetadata["sub"] = nu.ID
	if err := insertUser(ctx, tx, nu); err != nil {
		return nil, err
	}
	u, err := findUserByID(ctx, tx, nu.ID, true)
	if err != nil {
		return nil, err
	}
	return u, a.audit(ctx, tx, r, u, "user_signedup", map[string]any{"provider": "email"})
}

type resendParams struct {
	Type  string `json:"type"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	pkce
}

// resend is POST /resend: the signup confirmation or the email change
// mail again. 200 {} whether or not there was anything to resend.
func (a *API) resend(w http.ResponseWriter, r *http.Request) error {
	var p resendParams
	if err := decode(r, &p); err != nil {
		return err
	}
	switch p.Type {
	case "signup", "email_change":
	case "sms", "phone_change":
		return unprocessable("phone_provider_disabled", "Unsupported phone provider")
	default:
		return badRequest("validation_failed", "Missing one of these types: signup, email_change, sms, phone_change")
	}
	if p.Email == "" {
		return badRequest("validation_failed", "Type provided requires an email address")
	}
	email, err := a.mailAddress(r, p.Email)
	if err != nil {
		return err
	}
	redirect := a.redirectTo(r)
	mailed := false
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := findUserByEmail(ctx, tx, email, true)
		if errors.Is(err, errNoUser) {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case p.Type == "signup" && !u.confirmed() && !a.recentlySent(u.ConfirmationSentAt):
			mailed = true
			return a.mailToken(ctx, tx, u, confirmationKind, "confirmation", "signup", u.Email, redirect, nil, "")
		case p.Type == "email_change" && u.NewEmail != "" && !a.recentlySent(u.EmailChangeSentAt):
			mailed = true
			return a.mailToken(ctx, tx, u, emailChangeKind, "email_change", "email_change", u.NewEmail, redirect, nil, "")
		}
		return nil
	})
	return a.mailAnswer(w, mailed, err)
}
