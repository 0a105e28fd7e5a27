package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/database"
)

// currentUserSQL loads the token's user and whether its session lives,
// in the one round trip of GET /user.
const currentUserSQL = `select ` + userColumns + `, $2 = '' or exists (select from auth.sessions where id = nullif($2, '')::uuid)
from auth.users u where u.id = $1`

// checkClaimIDs refuses sub and session_id claims that are not UUIDs as
// GoTrue does: no such user, no such session.
func checkClaimIDs(sub, sid string) error {
	if !isUUID(sub) {
		return forbidden("user_not_found", "User from sub claim in JWT does not exist")
	}
	if sid != "" && !isUUID(sid) {
		return forbidden("session_not_found", "Session from session_id claim in JWT does not exist")
	}
	return nil
}

// getUser is GET /user.
func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	c, err := a.requireUser(r)
	if err != nil {
		return err
	}
	if err := checkClaimIDs(c.Sub(), c.SessionID()); err != nil {
		return err
	}
	var u *user
	var sessionOK bool
	err = a.opts.Runner.Run(r.Context(), database.Request{Role: "supabase_auth_admin", ReadOnly: true}, func(b *pgx.Batch) {
		b.Queue(currentUserSQL, c.Sub(), c.SessionID()).QueryRow(func(row pgx.Row) error {
			var err error
			u, err = scanUser(row, &sessionOK)
			return err
		})
	})
	if err := userLookupError(u, sessionOK, err); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func userLookupError(u *user, sessionOK bool, err error) error {
	switch {
	case errors.Is(err, pgx.ErrNoRows) || (err == nil && u.DeletedAt != nil):
		return forbidden("user_not_found", "User from sub claim in JWT does not exist")
	case err != nil:
		return err
	case !sessionOK:
		return forbidden("session_not_found", "Session from session_id claim in JWT does not exist")
	}
	return nil
}

// loadCurrentUser is GET /user's lookup inside a transaction, locking the row.
func loadCurrentUser(ctx context.Context, tx pgx.Tx, sub, sid string) (*user, error) {
	if err := checkClaimIDs(sub, sid); err != nil {
		return nil, err
	}
	var ok bool
	u, err := scanUser(tx.QueryRow(ctx, currentUserSQL+" for update of u", sub, sid), &ok)
	if err := userLookupError(u, ok, err); err != nil {
		return nil, err
	}
	return u, nil
}

type updateUserParams struct {
	Email    string          `json:"email"`
	Phone    string          `json:"phone"`
	Password *string         `json:"password"`
	Data     json.RawMessage `json:"data"`
	pkce
}

// updateUser is PUT /user: merge data into user_metadata (null deletes a
// key), change the password (other sessions end), change the email
// (mailed confirmation unless autoconfirm).
func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	c, err := a.requireUser(r)
	if err != nil {
		return err
	}
	var p updateUserParams
	if err := decode(r, &p); err != nil {
		return err
	}
	var data map[string]any
	if len(p.Data) > 0 && string(p.Data) != "null" {
		if err := json.Unmarshal(p.Data, &data); err != nil {
			return badRequest("bad_json", "Could not parse request body as JSON: %v", err)
		}
	}
	if p.Phone != "" {
		return unprocessable("phone_provider_disabled", "Phone updates are disabled")
	}
	var hash string
	if p.Password != nil {
		if err := a.checkPassword(*p.Password); err != nil {
			return err
		}
		if hash, err = a.hashPassword(*p.Password); err != nil {
			return err
		}
	}
	var newEmail string
	if p.Email != "" {
		if newEmail, err = validateEmail(p.Email); err != nil {
			return err
		}
	}
	// "Same password" takes an argon2id check: done before the
	// transaction, against the hash read here, so that no pool connection
	// waits on it.
	var same sameCheck
	if p.Password != nil {
		if same, err = a.samePassword(r.Context(), c.Sub(), c.SessionID(), *p.Password); err != nil {
			return err
		}
	}
	redirect := a.redirectTo(r)
	mailed := false
	var out *user
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := loadCurrentUser(ctx, tx, c.Sub(), c.SessionID())
		if err != nil {
			return err
		}
		if data != nil {
			b, err := json.Marshal(mergeMetadata(u.UserMetadata, data))
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1`, u.ID, string(b)); err != nil {
				return err
			}
		}
		if p.Password != nil {
			if err := a.changePassword(ctx, tx, r, u, *p.Password, hash, c.SessionID(), same); err != nil {
				return err
			}
		}
		if newEmail != "" && newEmail != u.Email {
			if mailed, err = a.changeEmail(ctx, tx, r, u, newEmail, redirect); err != nil {
				return err
			}
		}
		out, err = findUserByID(ctx, tx, u.ID, false)
		return err
	})
	if err != nil {
		return err
	}
	if mailed {
		a.opts.MailEnqueued()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// sameCheck is whether a new password equals the one stored as hash.
type sameCheck struct {
	hash string
	same bool
}

// samePassword reads the signed-in user's stored hash in a short
// transaction and checks plain against it with no connection held.
func (a *API) samePassword(ctx context.Context, sub, sid, plain string) (sameCheck, error) {
	var stored string
	err := a.tx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		u, err := loadCurrentUser(ctx, tx, sub, sid)
		if err == nil {
			stored = u.EncryptedPassword
		}
		return err
	})
	if err != nil {
		return sameCheck{}, err
	}
	return sameCheck{hash: stored, same: stored != "" && verifies(plain, stored)}, nil
}

func verifies(plain, hash string) bool {
	ok, _ := password.Verify(plain, hash)
	return ok
}

func (a *API) changePassword(ctx context.Context, tx pgx.Tx, r *http.Request, u *user, plain, hash, sid string, checked sameCheck) error {
	same := checked.same
	if u.EncryptedPassword != checked.hash { // changed since the check: check again
		same = u.EncryptedPassword != "" && verifies(plain, u.EncryptedPassword)
	}
	if same {
		return unprocessable("same_password", "New password should be different from the old password.")
	}
	if _, err := tx.Exec(ctx, `update auth.users set encrypted_password = $2, updated_at = now() where id = $1`, u.ID, hash); err != nil {
		return err
	}
	// GoTrue's UpdatePassword: every other session of the user ends.
	if _, err := tx.Exec(ctx, `delete from auth.sessions where user_id = $1 and id::text <> $2`, u.ID, sid); err != nil {
		return err
	}
	return a.audit(ctx, tx, r, u, "user_updated_password", nil)
}

// changeEmail applies an email change at once with autoconfirm, or mails
// a confirmation to the new address.
func (a *API) changeEmail(ctx context.Context, tx pgx.Tx, r *http.Request, u *user, newEmail, redirect string) (bool, error) {
	taken, err := emailTaken(ctx, tx, newEmail, u.ID)
	if err != nil {
		return false, err
	}
	if taken {
		return false, errEmailExists()
	}
	if a.opts.MailerAutoconfirm {
		return false, applyEmailChange(ctx, tx, u.ID, newEmail)
	}
	if err := a.allow(a.limitOTP, "ip:"+a.clientIP(r)); err != nil {
		return false, err
	}
	if err := a.allowMail(); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, `update auth.users set email_change = $2, email_change_confirm_status = 0 where id = $1`, u.ID, newEmail); err != nil {
		return false, err
	}
	u.NewEmail = newEmail
	if err := a.mailToken(ctx, tx, u, emailChangeKind, "email_change", "email_change", newEmail, redirect, nil, ""); err != nil {
		return false, err
	}
	return true, a.audit(ctx, tx, r, u, "user_modified", map[string]any{"email_change": true})
}

// applyEmailChange makes newEmail the user's (confirmed) address.
func applyEmailChange(ctx context.Context, tx pgx.Tx, userID, newEmail string) error {
	_, err := tx.Exec(ctx, `update auth.users set email = $2::text, email_change = '', email_change_token_new = '',
		email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now(),
		raw_user_meta_data = case when raw_user_meta_data ? 'email'
		  then jsonb_set(raw_user_meta_data, '{email}', to_jsonb($2::text)) else raw_user_meta_data end
		where id = $1`, userID, newEmail)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text),
		updated_at = now() where user_id = $1 and provider = 'email'`, userID, newEmail)
	return err
}

// logout is POST /logout?scope=global|local|others; 204.
func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	c, err := a.requireUser(r)
	if err != nil {
		return err
	}
	scope := r.URL.Query().Get("scope")
	var q string
	switch scope {
	case "", "global":
		q = `delete from auth.sessions where user_id = $1 and $2::text is not null`
	case "local":
		q = `delete from auth.sessions where user_id = $1 and id::text = $2`
	case "others":
		q = `delete from auth.sessions where user_id = $1 and id::text <> $2`
	default:
		return badRequest("validation_failed", "Unsupported logout scope %q", scope)
	}
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := loadCurrentUser(ctx, tx, c.Sub(), c.SessionID())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, q, u.ID, c.SessionID()); err != nil {
			return err
		}
		return a.audit(ctx, tx, r, u, "logout", map[string]any{"scope": scope})
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
