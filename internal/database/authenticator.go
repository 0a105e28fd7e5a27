package database

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
)

// AuthenticatorRole is the login role of the request pool.
const AuthenticatorRole = "authenticator"

// AuthenticatorPassword derives the authenticator role's password from the
// project's JWT secret, so that every creatorbase process sharing one
// database (and one secret) agrees on it without another secret to keep.
func AuthenticatorPassword(jwtSecret []byte) string {
	m := hmac.New(sha256.New, jwtSecret)
	m.Write([]byte("creatorbase authenticator password v1"))
	return hex.EncodeToString(m.Sum(nil))
}

// SetAuthenticatorPassword sets the authenticator's password, as the owner.
func SetAuthenticatorPassword(ctx context.Context, owner *pgx.Conn, password string) error {
	sql := "alter role " + AuthenticatorRole + " with login password " + QuoteLiteral(password)
	if _, err := owner.Exec(ctx, sql); err != nil {
		return fmt.Errorf("set authenticator password: %w", err)
	}
	return nil
}

// AuthenticatorURL is ownerURL with the authenticator's credentials.
func AuthenticatorURL(ownerURL, password string) (string, error) {
	u, err := url.Parse(ownerURL)
	if err != nil || u.Scheme == "" {
		// keyword/value form: later keys win in libpq syntax
		return ownerURL + " user=" + AuthenticatorRole + " password=" + password, nil
	}
	u.User = url.UserPassword(AuthenticatorRole, password)
	q := u.Query()
	q.Del("user")
	q.Del("password")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// QuoteLiteral quotes s as an SQL string literal (standard_conforming_strings
// on), for the few statements that take no parameters.
func QuoteLiteral(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}
