package auth

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// user is a row of auth.users as GoTrue's User model renders it; fields
// with json:"-" never leave the server.
type user struct {
	ID                     string         `json:"id"`
	Aud                    string         `json:"aud"`
	Role                   string         `json:"role"`
	Email                  string         `json:"email"`
	EmailConfirmedAt       *time.Time     `json:"email_confirmed_at,omitempty"`
	InvitedAt              *time.Time     `json:"invited_at,omitempty"`
	Phone                  string         `json:"phone"`
	PhoneConfirmedAt       *time.Time     `json:"phone_confirmed_at,omitempty"`
	ConfirmationSentAt     *time.Time     `json:"confirmation_sent_at,omitempty"`
	ConfirmedAt            *time.Time     `json:"confirmed_at,omitempty"`
	RecoverySentAt         *time.Time     `json:"recovery_sent_at,omitempty"`
	NewEmail               string         `json:"new_email,omitempty"`
	EmailChangeSentAt      *time.Time     `json:"email_change_sent_at,omitempty"`
	NewPhone               string         `json:"new_phone,omitempty"`
	PhoneChangeSentAt      *time.Time     `json:"phone_change_sent_at,omitempty"`
	ReauthenticationSentAt *time.Time     `json:"reauthentication_sent_at,omitempty"`
	LastSignInAt           *time.Time     `json:"last_sign_in_at,omitempty"`
	AppMetadata            map[string]any `json:"app_metadata"`
	UserMetadata           map[string]any `json:"user_metadata"`
	Identities             []identity     `json:"identities"`
	CreatedAt              time.Time      `json:"created_at"`
	UpdatedAt              time.Time      `json:"updated_at"`
	BannedUntil            *time.Time     `json:"banned_until,omitempty"`
	DeletedAt              *time.Time     `json:"deleted_at,omitempty"`
	IsAnonymous            bool           `json:"is_anonymous"`

	EncryptedPassword   string `json:"-"`
	ConfirmationToken   string `json:"-"`
	RecoveryToken       string `json:"-"`
	EmailChangeTokenNew string `json:"-"`
}

// identity is a row of auth.identities as GoTrue renders it.
type identity struct {
	IdentityID   string         `json:"identity_id"`
	ID           string         `json:"id"`
	UserID       string         `json:"user_id"`
	IdentityData map[string]any `json:"identity_data"`
	Provider     string         `json:"provider"`
	LastSignInAt *time.Time     `json:"last_sign_in_at,omitempty"`
	CreatedAt    *time.Time     `json:"created_at,omitempty"`
	UpdatedAt    *time.Time     `json:"updated_at,omitempty"`
	Email        string         `json:"email,omitempty"`
}

// userColumns are read by scanUser, from auth.users aliased u.
const userColumns = `u.id::text, coalesce(u.aud, ''), coalesce(u.role, ''), coalesce(u.email, ''),
  u.email_confirmed_at, u.invited_at, coalesce(u.phone, ''), u.phone_confirmed_at, u.confirmation_sent_at,
  u.confirmed_at, u.recovery_sent_at, coalesce(u.email_change, ''), u.email_change_sent_at,
  coalesce(u.phone_change, ''), u.phone_change_sent_at, u.reauthentication_sent_at, u.last_sign_in_at,
  coalesce(u.raw_app_meta_data, '{}'), coalesce(u.raw_user_meta_data, '{}'), u.created_at, u.updated_at,
  u.banned_until, u.deleted_at, u.is_anonymous, coalesce(u.encrypted_password, ''),
  coalesce(u.confirmation_token, ''), coalesce(u.recovery_token, ''), coalesce(u.email_change_token_new, ''),
  coalesce((select jsonb_agg(jsonb_build_object(
      'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, 'identity_data', i.identity_data,
      'provider', i.provider, 'last_sign_in_at', i.last_sign_in_at, 'created_at', i.created_at,
      'updated_at', i.updated_at, 'email', i.email) order by i.created_at)
    from auth.identities i where i.user_id = u.id), '[]')`

// scanUser reads userColumns, plus any extra destinations after them.
func scanUser(row pgx.Row, extra ...any) (*user, error) {
	u := &user{}
	var created, updated *time.Time
	var identities []byte
	dest := []any{&u.ID, &u.Aud, &u.Role, &u.Email,
		&u.EmailConfirmedAt, &u.InvitedAt, &u.Phone, &u.PhoneConfirmedAt, &u.ConfirmationSentAt,
		&u.ConfirmedAt, &u.RecoverySentAt, &u.NewEmail, &u.EmailChangeSentAt,
		&u.NewPhone, &u.PhoneChangeSentAt, &u.ReauthenticationSentAt, &u.LastSignInAt,
		&u.AppMetadata, &u.UserMetadata, &created, &updated,
		&u.BannedUntil, &u.DeletedAt, &u.IsAnonymous, &u.EncryptedPassword,
		&u.ConfirmationToken, &u.RecoveryToken, &u.EmailChangeTokenNew, &identities}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(identities, &u.Identities); err != nil {
		return nil, fmt.Errorf("identities of %s: %w", u.ID, err)
	}
	if created != nil {
		u.CreatedAt = *created
	}
	if updated != nil {
		u.UpdatedAt = *updated
	}
	u.normalize()
	return u, nil
}

// normalize renders every time in UTC, as GoTrue's JSON does, and fills
// the defaults GoTrue's model has.
func (u *user) normalize() {
	for _, t := range []**time.Time{&u.EmailConfirmedAt, &u.InvitedAt, &u.PhoneConfirmedAt, &u.ConfirmationSentAt,
		&u.ConfirmedAt, &u.RecoverySentAt, &u.EmailChangeSentAt, &u.PhoneChangeSentAt, &u.ReauthenticationSentAt,
		&u.LastSignInAt, &u.BannedUntil, &u.DeletedAt} {
		if *t != nil {
			v := (*t).UTC()
			*t = &v
		}
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	for i := range u.Identities {
		id := &u.Identities[i]
		for _, t := range []**time.Time{&id.LastSignInAt, &id.CreatedAt, &id.UpdatedAt} {
			if *t != nil {
				v := (*t).UTC()
				*t = &v
			}
		}
	}
	if u.Identities == nil {
		u.Identities = []identity{}
	}
	if u.AppMetadata == nil {
		u.AppMetadata = map[string]any{}
	}
	if u.UserMetadata == nil {
		u.UserMetadata = map[string]any{}
	}
	if u.Role == "" {
		u.Role = "authenticated"
	}
	if u.Aud == "" {
		u.Aud = "authenticated"
	}
}

func (u *user) confirmed() bool { return u.EmailConfirmedAt != nil || u.PhoneConfirmedAt != nil }

func (u *user) banned(now time.Time) bool { return u.BannedUntil != nil && u.BannedUntil.After(now) }

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// mergeMetadata applies GoTrue's metadata update: top-level keys are
// set, null values delete them.
func mergeMetadata(dst, updates map[string]any) map[string]any {
	out := make(map[string]any, len(dst)+len(updates))
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range updates {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// isUUID reports whether s is a UUID in its canonical text form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}
