package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

type adminUserParams struct {
	ID           string          `json:"id"`
	Email        *string         `json:"email"`
	Phone        string          `json:"phone"`
	Password     *string         `json:"password"`
	PasswordHash string          `json:"password_hash"`
	EmailConfirm bool            `json:"email_confirm"`
	PhoneConfirm bool            `json:"phone_confirm"`
	UserMetadata json.RawMessage `json:"user_metadata"`
	AppMetadata  json.RawMessage `json:"app_metadata"`
	Role         string          `json:"role"`
	BanDuration  string          `json:"ban_duration"`
}

// adminRoles are the roles the admin API may give a user: those the Data
// API accepts for a signed-in caller.
var adminRoles = map[string]bool{"authenticated": true, "service_role": true}

func objectParam(raw json.RawMessage, name string) (map[string]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, badRequest("bad_json", "Could not parse request body as JSON: %s must be an object", name)
	}
	return m, nil
}

// parseBan reads ban_duration: "none" lifts a ban, a Go duration sets one.
func parseBan(s string, now time.Time) (*time.Time, bool, error) {
	if s == "" {
		return nil, false, nil
	}
	if s == "none" {
		return nil, true, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return nil, false, badRequest("validation_failed", "invalid format for ban duration: %s", s)
	}
	t := now.Add(d).UTC()
	return &t, true, nil
}

func (a *API) passwordHashParam(p adminUserParams) (string, error) {
	switch {
	case p.PasswordHash != "" && p.Password != nil:
		return "", badRequest("validation_failed", "Only a password or a password hash should be provided")
	case p.PasswordHash != "":
		h := p.PasswordHash
		if !strings.HasPrefix(h, "$argon2id$") && !strings.HasPrefix(h, "$2a$") && !strings.HasPrefix(h, "$2b$") && !strings.HasPrefix(h, "$2y$") {
			return "", badRequest("validation_failed", "Invalid password hash format")
		}
		return h, nil
	case p.Password != nil:
		if err := a.checkPassword(*p.Password); err != nil {
			return "", err
		}
		return a.hashPassword(*p.Password)
	}
	return "", nil
}

// adminCreateUser is POST /admin/users.
func (a *API) adminCreateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.requireAdmin(r); err != nil {
		return err
	}
	var p adminUserParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Phone != "" {
		return unprocessable("phone_provider_disabled", "Phone users are not supported")
	}
	email := ""
	if p.Email != nil && *p.Email != "" {
		var err error
		if email, err = validateEmail(*p.Email); err != nil {
			return err
		}
	}
	id := p.ID
	if id == "" {
		id = newUUID()
	} else if !isUUID(id) {
		return badRequest("validation_failed", "id must be a UUID")
	}
	if p.Role != "" && !adminRoles[p.Role] {
		return badRequest("validation_failed", "role must be authenticated or service_role")
	}
	meta, err := objectParam(p.UserMetadata, "user_metadata")
	if err != nil {
		return err
	}
	app, err := objectParam(p.AppMetadata, "app_metadata")
	if err != nil {
		return err
	}
	banned, _, err := parseBan(p.BanDuration, a.opts.Now())
	if err != nil {
		return err
	}
	hash, err := a.passwordHashParam(p)
	if err != nil {
		return err
	}
	providers := []string{}
	appMeta := map[string]any{}
	if email != "" {
		appMeta["provider"], providers = "email", []string{"email"}
	}
	appMeta["providers"] = providers
	appMeta = mergeMetadata(appMeta, app)
	userMeta := mergeMetadata(meta, nil)
	if email != "" {
		userMeta = mergeMetadata(userMeta, map[string]any{"sub": id, "email": email, "email_verified": p.EmailConfirm, "phone_verified": false})
	}
	var out *user
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		if email != "" {
			if taken, err := emailTaken(ctx, tx, email, ""); err != nil || taken {
				if err == nil {
					err = errEmailExists()
				}
				return err
			}
		}
		nu := newUser{ID: id, Email: email, Password: hash, Confirmed: p.EmailConfirm && email != "", Role: p.Role,
			AppMetadata: appMeta, UserMetadata: userMeta, BannedUntil: banned}
		if err := insertUser(ctx, tx, nu); errors.Is(err, errEmailTaken) {
			return errEmailExists()
		} else if err != nil {
			return err
		}
		var err error
		if out, err = findUserByID(ctx, tx, id, false); err != nil {
			return err
		}
		return a.audit(ctx, tx, r, out, "user_signedup", map[string]any{"provider": "email", "via": "admin"})
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// adminListUsers is GET /admin/users?page=&per_page=, newest first, with
// X-Total-Count and GoTrue's Link header (page= first in each URL: the
// client reads it from there).
func (a *API) adminListUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.requireAdmin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := pageParam(q.Get("page"), 1)
	if err != nil {
		return err
	}
	perPage, err := pageParam(q.Get("per_page"), 50)
	if err != nil {
		return err
	}
	perPage = min(perPage, 1000)
	filter := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q.Get("filter")) + "%"
	var users []*user
	var total int64
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `select count(*) from auth.users u where u.deleted_at is null
			and ($1 = '%%' or u.email ilike $1 or u.raw_user_meta_data->>'full_name' ilike $1)`, filter).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `select `+userColumns+` from auth.users u where u.deleted_at is null
			and ($1 = '%%' or u.email ilike $1 or u.raw_user_meta_data->>'full_name' ilike $1)
			order by u.created_at desc, u.id limit $2 offset $3`, filter, perPage, (page-1)*perPage)
		if err != nil {
			return err
		}
		users, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*user, error) { return scanUser(row) })
		return err
	})
	if err != nil {
		return err
	}
	if users == nil {
		users = []*user{}
	}
	h := w.Header()
	h.Set("X-Total-Count", strconv.FormatInt(total, 10))
	last := int64(math.Ceil(float64(total) / float64(perPage)))
	var links []string
	link := func(p int64, rel string) string {
		return fmt.Sprintf(`</admin/users?page=%d&per_page=%d>; rel="%s"`, p, perPage, rel)
	}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(last, "last"))
	h.Set("Link", strings.Join(links, ", "))
	writeJSON(w, http.StatusOK, map[string]any{"users": users, "aud": "authenticated"})
	return nil
}

func pageParam(v string, def int64) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > math.MaxInt32 {
		return 0, badRequest("validation_failed", "Bad Pagination Parameters")
	}
	return n, nil
}

// adminUserID reads the {id} path value as GoTrue does: not a UUID is 404.
func adminUserID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !isUUID(id) {
		return "", newError(http.StatusNotFound, "validation_failed", "user_id must be an UUID")
	}
	return strings.ToLower(id), nil
}

// adminGetUser is GET /admin/users/{id}.
func (a *API) adminGetUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.requireAdmin(r); err != nil {
		return err
	}
	id, err := adminUserID(r)
	if err != nil {
		return err
	}
	var u *user
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		var err error
		u, err = findUserByID(ctx, tx, id, false)
		return err
	})
	if errors.Is(err, errNoUser) {
		return errUserNotFound()
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// adminUpdateUser is PUT /admin/users/{id}.
func (a *API) adminUpdateUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.requireAdmin(r); err != nil {
		return err
	}
	id, err := adminUserID(r)
	if err != nil {
		return err
	}
	var p adminUserParams
	if err := decode(r, &p); err != nil {
		return err
	}
	if p.Phone != "" {
		return unprocessable("phone_provider_disabled", "Phone users are not supported")
	}
	if p.Role != "" && !adminRoles[p.Role] {
		return badRequest("validation_failed", "role must be authenticated or service_role")
	}
	var email string
	if p.Email != nil && *p.Email != "" {
		if email, err = validateEmail(*p.Email); err != nil {
			return err
		}
	}
	meta, err := objectParam(p.UserMetadata, "user_metadata")
	if err != nil {
		return err
	}
	app, err := objectParam(p.AppMetadata, "app_metadata")
	if err != nil {
		return err
	}
	banned, setBan, err := parseBan(p.BanDuration, a.opts.Now())
	if err != nil {
		return err
	}
	hash, err := a.passwordHashParam(p)
	if err != nil {
		return err
	}
	var out *user
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := findUserByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if email != "" && email != u.Email {
			taken, err := emailTaken(ctx, tx, email, u.ID)
			if err != nil {
				return err
			}
			if taken {
				return errEmailExists()
			}
			if err := applyEmailChange(ctx, tx, u.ID, email); err != nil {
				return err
			}
		}
		if p.EmailConfirm {
			if err := confirmEmail(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		if hash != "" {
			if _, err := tx.Exec(ctx, `update auth.users set encrypted_password = $2 where id = $1`, u.ID, hash); err != nil {
				return err
			}
		}
		if p.Role != "" {
			if _, err := tx.Exec(ctx, `update auth.users set role = $2 where id = $1`, u.ID, p.Role); err != nil {
				return err
			}
		}
		if setBan {
			if _, err := tx.Exec(ctx, `update auth.users set banned_until = $2 where id = $1`, u.ID, banned); err != nil {
				return err
			}
		}
		if err := updateMetadata(ctx, tx, u.ID, "raw_user_meta_data", u.UserMetadata, meta); err != nil {
			return err
		}
		if err := updateMetadata(ctx, tx, u.ID, "raw_app_meta_data", u.AppMetadata, app); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update auth.users set updated_at = now() where id = $1`, u.ID); err != nil {
			return err
		}
		if out, err = findUserByID(ctx, tx, u.ID, false); err != nil {
			return err
		}
		return a.audit(ctx, tx, r, out, "user_modified", map[string]any{"via": "admin"})
	})
	if errors.Is(err, errNoUser) {
		return errUserNotFound()
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func updateMetadata(ctx context.Context, tx pgx.Tx, id, column string, current, updates map[string]any) error {
	if updates == nil {
		return nil
	}
	b, err := json.Marshal(mergeMetadata(current, updates))
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `update auth.users set `+column+` = $2 where id = $1`, id, string(b))
	return err
}

type deleteParams struct {
	ShouldSoftDelete bool `json:"should_soft_delete"`
}

// adminDeleteUser is DELETE /admin/users/{id}: 200 {}. A soft delete
// keeps the row (for foreign keys) with deleted_at set, the addresses
// obfuscated and the sessions and identities removed, as GoTrue does.
func (a *API) adminDeleteUser(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.requireAdmin(r); err != nil {
		return err
	}
	id, err := adminUserID(r)
	if err != nil {
		return err
	}
	var p deleteParams
	if err := decodeOptional(r, &p); err != nil {
		return err
	}
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := findUserByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := a.audit(ctx, tx, r, u, "user_deleted", map[string]any{"soft": p.ShouldSoftDelete}); err != nil {
			return err
		}
		if !p.ShouldSoftDelete {
			if _, err := tx.Exec(ctx, `delete from auth.users where id = $1`, u.ID); err != nil {
				return errDatabase(err, "Database error deleting user")
			}
			return nil
		}
		if _, err := tx.Exec(ctx, `delete from auth.sessions where user_id = $1`, u.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from auth.identities where user_id = $1`, u.ID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `update auth.users set deleted_at = now(), updated_at = now(),
			email = case when email is null then null else md5(email) || '@deleted.invalid' end,
			phone = null, encrypted_password = '', confirmation_token = '', recovery_token = '',
			email_change_token_new = '', email_change = '', raw_app_meta_data = '{}', raw_user_meta_data = '{}'
			where id = $1`, u.ID)
		return err
	})
	if errors.Is(err, errNoUser) {
		return errUserNotFound()
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

type inviteParams struct {
	Email string         `json:"email"`
	Data  map[string]any `json:"data"`
}

// invite is POST /invite (admin): a user with invited_at and an invite mail.
func (a *API) invite(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.requireAdmin(r); err != nil {
		return err
	}
	var p inviteParams
	if err := decode(r, &p); err != nil {
		return err
	}
	email, err := validateEmail(p.Email)
	if err != nil {
		return err
	}
	redirect := a.redirectTo(r)
	var out *user
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, err := a.invitee(ctx, tx, email, p.Data)
		if err != nil {
			return err
		}
		if err := a.mailToken(ctx, tx, u, confirmationKind, "invite", "invite", email, redirect, nil, ""); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, r, u, "user_invited", nil); err != nil {
			return err
		}
		out, err = findUserByID(ctx, tx, u.ID, false)
		return err
	})
	if err != nil {
		return err
	}
	a.opts.MailEnqueued()
	writeJSON(w, http.StatusOK, out)
	return nil
}

// invitee returns the (unconfirmed) user to invite, creating it; a
// confirmed user cannot be invited.
func (a *API) invitee(ctx context.Context, tx pgx.Tx, email string, data map[string]any) (*user, error) {
	u, err := findUserByEmail(ctx, tx, email, true)
	if err == nil {
		if u.confirmed() {
			return nil, errEmailExists()
		}
		_, err := tx.Exec(ctx, `update auth.users set invited_at = now() where id = $1`, u.ID)
		return u, err
	}
	if !errors.Is(err, errNoUser) {
		return nil, err
	}
	nu := newUser{ID: newUUID(), Email: email, Invited: true,
		AppMetadata: map[string]any{"provider": "email", "providers": []string{"email"}},
		UserMetadata: mergeMetadata(mergeMetadata(data, nil),
			map[string]any{"email": email, "email_verified": false, "phone_verified": false})}
	nu.UserMetadata["sub"] = nu.ID
	if err := insertUser(ctx, tx, nu); errors.Is(err, errEmailTaken) {
		return nil, errEmailExists()
	} else if err != nil {
		return nil, err
	}
	return findUserByID(ctx, tx, nu.ID, true)
}

type generateLinkParams struct {
	Type       string         `json:"type"`
	Email      string         `json:"email"`
	NewEmail   string         `json:"new_email"`
	Password   string         `json:"password"`
	Data       map[string]any `json:"data"`
	RedirectTo string         `json:"redirect_to"`
}

// generateLink is POST /admin/generate_link: the link and code a mail
// would carry, without sending it; the user's fields flattened in.
func (a *API) generateLink(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.requireAdmin(r); err != nil {
		return err
	}
	var p generateLinkParams
	if err := decode(r, &p); err != nil {
		return err
	}
	email, err := validateEmail(p.Email)
	if err != nil {
		return err
	}
	redirect := a.opts.SiteURL
	if a.redirectAllowed(p.RedirectTo) {
		redirect = p.RedirectTo
	} else if v := r.URL.Query().Get("redirect_to"); a.redirectAllowed(v) {
		redirect = v
	}
	var hash string
	if p.Type == "signup" {
		if p.Password == "" {
			return badRequest("validation_failed", "Signup requires a valid password")
		}
		if err := a.checkPassword(p.Password); err != nil {
			return err
		}
		if hash, err = a.hashPassword(p.Password); err != nil {
			return err
		}
	}
	var newEmail string
	if strings.HasPrefix(p.Type, "email_change") {
		if newEmail, err = validateEmail(p.NewEmail); err != nil {
			return err
		}
	}
	var out map[string]any
	err = a.tx(r.Context(), func(ctx context.Context, tx pgx.Tx) error {
		u, kind, verifyType, err := a.linkTarget(ctx, tx, p, email, hash, newEmail)
		if err != nil {
			return err
		}
		to := email
		if kind == emailChangeKind {
			to = newEmail
		}
		otp, tokenHash := newOTP(to, a.opts.OTPLength)
		if err := saveToken(ctx, tx, u.ID, kind, tokenHash, to); err != nil {
			return err
		}
		if u, err = findUserByID(ctx, tx, u.ID, false); err != nil {
			return err
		}
		b, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return err
		}
		out["action_link"] = a.verifyURL + "?token=" + url.QueryEscape(tokenHash) + "&type=" + verifyType + "&redirect_to=" + url.QueryEscape(redirect)
		out["email_otp"], out["hashed_token"], out["redirect_to"], out["verification_type"] = otp, tokenHash, redirect, verifyType
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// linkTarget finds or creates the user a generated link is for.
func (a *API) linkTarget(ctx context.Context, tx pgx.Tx, p generateLinkParams, email, hash, newEmail string) (*user, tokenKind, string, error) {
	switch p.Type {
	case "signup":
		u, err := findUserByEmail(ctx, tx, email, true)
		if err == nil {
			if u.confirmed() {
				return nil, tokenKind{}, "", errEmailExists()
			}
			return u, confirmationKind, "signup", nil
		}
		if !errors.Is(err, errNoUser) {
			return nil, tokenKind{}, "", err
		}
		nu := newUser{ID: newUUID(), Email: email, Password: hash,
			AppMetadata: map[string]any{"provider": "email", "providers": []string{"email"}},
			UserMetadata: mergeMetadata(mergeMetadata(p.Data, nil),
				map[string]any{"email": email, "email_verified": false, "phone_verified": false})}
		nu.UserMetadata["sub"] = nu.ID
		if err := insertUser(ctx, tx, nu); errors.Is(err, errEmailTaken) {
			return nil, tokenKind{}, "", errEmailExists()
		} else if err != nil {
			return nil, tokenKind{}, "", err
		}
		u, err = findUserByID(ctx, tx, nu.ID, true)
		return u, confirmationKind, "signup", err
	case "invite":
		u, err := a.invitee(ctx, tx, email, p.Data)
		return u, confirmationKind, "invite", err
	case "magiclink", "recovery", "email_change_current", "email_change_new":
		u, err := findUserByEmail(ctx, tx, email, true)
		if errors.Is(err, errNoUser) {
			return nil, tokenKind{}, "", newError(http.StatusNotFound, "user_not_found", "User with this email not found")
		}
		if err != nil {
			return nil, tokenKind{}, "", err
		}
		if p.Type == "magiclink" || p.Type == "recovery" {
			return u, recoveryKind, p.Type, nil
		}
		if taken, err := emailTaken(ctx, tx, newEmail, u.ID); err != nil || taken {
			if err == nil {
				err = errEmailExists()
			}
			return nil, tokenKind{}, "", err
		}
		if _, err := tx.Exec(ctx, `update auth.users set email_change = $2 where id = $1`, u.ID, newEmail); err != nil {
			return nil, tokenKind{}, "", err
		}
		u.NewEmail = newEmail
		return u, emailChangeKind, "email_change", nil
	}
	return nil, tokenKind{}, "", badRequest("validation_failed", "Invalid generate_link type %q", p.Type)
}
