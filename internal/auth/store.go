package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/creatorbase/creatorbase/internal/database"
)

// errNoUser is the store's not-found; handlers turn it into the answer
// their endpoint gives.
var errNoUser = errors.New("no such user")

// nilInstance is GoTrue's instance_id for every row.
const nilInstance = "00000000-0000-0000-0000-000000000000"

// tx runs fn in one transaction as supabase_auth_admin.
func (a *API) tx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	return a.opts.Runner.Do(ctx, database.Request{Role: "supabase_auth_admin"}, fn)
}

const userByIDSQL = `select ` + userColumns + ` from auth.users u where u.id = $1`

const userByEmailSQL = `select ` + userColumns + ` from auth.users u
where lower(u.email) = $1 and u.is_sso_user = false
order by u.created_at limit 1`

// findUserByID loads a user; deleted (soft) users count as absent.
func findUserByID(ctx context.Context, tx pgx.Tx, id string, lock bool) (*user, error) {
	q := userByIDSQL
	if lock {
		q += " for update of u"
	}
	u, err := scanUser(tx.QueryRow(ctx, q, id))
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && u.DeletedAt != nil) {
		return nil, errNoUser
	}
	return u, err
}

func findUserByEmail(ctx context.Context, tx pgx.Tx, email string, lock bool) (*user, error) {
	q := userByEmailSQL
	if lock {
		q += " for update of u"
	}
	u, err := scanUser(tx.QueryRow(ctx, q, email))
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && u.DeletedAt != nil) {
		return nil, errNoUser
	}
	return u, err
}

// newUser is what insertUser writes.
type newUser struct {
	ID           string
	Email        string
	Password     string // encoded hash, or ""
	Confirmed    bool
	Invited      bool
	Anonymous    bool
	Role         string
	AppMetadata  map[string]any
	UserMetadata map[string]any
	BannedUntil  *time.Time
}

const insertUserSQL = `insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_anonymous, banned_until)
values ($1, $2, 'authenticated', $3, nullif($4, ''), $5,
  case when $6 then now() end, case when $7 then now() end,
  '', '', '', '', $8, $9, false, now(), now(), $10, $11)`

const insertIdentitySQL = `insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
values ($1, $2::text, ($2::text)::uuid, $3, 'email', now(), now(), now())`

// insertUser writes a user and, with an email, its email identity. The
// INSERT into auth.users fires the triggers products hang on it; their
// failure is GoTrue's 500 "Database error saving new user". A duplicate
// email (a concurrent sign-up) is errEmailTaken.
func insertUser(ctx context.Context, tx pgx.Tx, nu newUser) error {
	role := nu.Role
	if role == "" {
		role = "authenticated"
	}
	app, err := json.Marshal(nu.AppMetadata)
	if err != nil {
		return err
	}
	meta, err := json.Marshal(nu.UserMetadata)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "savepoint new_user"); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, insertUserSQL, nilInstance, nu.ID, role, nu.Email, nu.Password, nu.Confirmed, nu.Invited,
		string(app), string(meta), nu.Anonymous, nu.BannedUntil)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "users_email_partial_key" {
			if _, rerr := tx.Exec(ctx, "rollback to savepoint new_user"); rerr != nil {
				return rerr
			}
			return errEmailTaken
		}
		return errDatabase(err, "Database error saving new user")
	}
	if nu.Email == "" {
		return nil
	}
	idData, err := json.Marshal(map[string]any{
		"sub": nu.ID, "email": nu.Email, "email_verified": nu.Confirmed, "phone_verified": false,
	})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, insertIdentitySQL, newUUID(), nu.ID, string(idData)); err != nil {
		return errDatabase(err, "Database error saving new user")
	}
	return nil
}

var errEmailTaken = errors.New("email address taken")

// emailTaken reports whether another live user has the address.
func emailTaken(ctx context.Context, tx pgx.Tx, email, exceptID string) (bool, error) {
	var taken bool
	err := tx.QueryRow(ctx, `select exists (select from auth.users
		where lower(email) = $1 and is_sso_user = false and id::text <> $2)`, email, exceptID).Scan(&taken)
	return taken, err
}

// confirmEmailSQL confirms a user's address (GoTrue's User.Confirm).
const confirmEmailSQL = `with u as (
  update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
    raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || '{"email_verified": true}', updated_at = now()
  where id = $1 returning id)
update auth.identities set identity_data = identity_data || '{"email_verified": true}', updated_at = now()
where user_id = (select id from u) and provider = 'email'`

func confirmEmail(ctx context.Context, tx pgx.Tx, userID string) error {
	if _, err := tx.Exec(ctx, confirmEmailSQL, userID); err != nil {
		return fmt.Errorf("confirm email: %w", err)
	}
	return nil
}

// audit appends to auth.audit_log_entries, as GoTrue does.
func (a *API) audit(ctx context.Context, tx pgx.Tx, r *http.Request, actor *user, action string, traits map[string]any) error {
	payload := map[string]any{"action": action, "log_type": logType(action), "actor_via_sso": false}
	if actor != nil {
		payload["actor_id"], payload["actor_username"] = actor.ID, actor.Email
	}
	if traits != nil {
		payload["traits"] = traits
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
		values ($1, $2, $3, now(), $4)`, nilInstance, newUUID(), string(b), a.clientIP(r))
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

func logType(action string) string {
	switch action {
	case "login", "logout", "token_refreshed", "token_revoked":
		return "token"
	case "user_signedup", "user_invited", "user_deleted", "user_modified", "user_recovery_requested",
		"user_confirmation_requested", "user_repeated_signup", "user_updated_password":
		return "user"
	}
	return "account"
}
