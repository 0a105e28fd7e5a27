package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/creatorbase/creatorbase/internal/database"
)

// ErrNotFound means no such user.
var ErrNotFound = errors.New("user not found")

// ErrMustKeep means a row about the user may not be deleted (a ledger, a
// legal hold): the purge did nothing.
var ErrMustKeep = errors.New("the account has records that must be kept")

// secretKeys are left out of exports: credentials are not personal data
// the person needs back, and must never leave the database.
var secretKeys = []string{"encrypted_password", "confirmation_token", "recovery_token", "email_change_token_new",
	"email_change_token_current", "phone_change_token", "reauthentication_token", "token", "token_hash", "secret",
	"access_token", "refresh_token", "refresh_token_hmac_key"}

// Resolve finds a user by id or email.
func Resolve(ctx context.Context, db database.TxBeginner, idOrEmail string) (string, error) {
	var id string
	err := database.WithTx(ctx, db, func(ctx context.Context, tx pgx.Tx) error {
		return tx.QueryRow(ctx, `select id::text from auth.users
			where id::text = $1 or lower(email) = lower($1) order by id::text = $1 desc limit 1`, idOrEmail).Scan(&id)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("%w: %s", ErrNotFound, idOrEmail)
	}
	return id, err
}

// Export returns one JSON document: {"user_id", "exported_at", "tables":
// {"schema.table": [rows]}} with every row about the user in every schema,
// secrets removed. It runs as the database owner.
func Export(ctx context.Context, db database.TxBeginner, userID string) (json.RawMessage, error) {
	var doc json.RawMessage
	err := database.WithTx(ctx, db, func(ctx context.Context, tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, "select exists (select from auth.users where id = $1::uuid)", userID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return fmt.Errorf("%w: %s", ErrNotFound, userID)
		}
		cols, err := userColumns(ctx, tx)
		if err != nil {
			return err
		}
		order, tables := byTable(cols)
		// One jsonb_build_object per table, joined with ||: a single call
		// would pass the 100-argument limit once enough tables exist.
		parts := []string{`jsonb_build_object('auth.users', (select coalesce(jsonb_agg(to_jsonb(t) - $2::text[]), '[]') from auth.users t where id = $1::uuid))`}
		for _, table := range order {
			var conds []string
			for _, c := range tables[table] {
				conds = append(conds, pgx.Identifier{c.Column}.Sanitize()+" = $1::uuid")
			}
			parts = append(parts, fmt.Sprintf("jsonb_build_object(%s, (select coalesce(jsonb_agg(to_jsonb(t) - $2::text[]), '[]') from %s t where %s))",
				database.QuoteLiteral(table), tables[table][0].ident(), strings.Join(conds, " or ")))
		}
		sql := `select jsonb_build_object('user_id', $1::text, 'exported_at', now(), 'tables', ` +
			strings.Join(parts, " || ") + `)`
		return tx.QueryRow(ctx, sql, userID, secretKeys).Scan(&doc)
	})
	return doc, err
}

// Purge deletes everything about the user in one transaction: rows whose
// key restricts deletion first (in as many passes as the keys need), then
// the auth.users row, whose cascades take the rest; keys that set null
// are left to do so. It proves the result by walking the catalog again,
// records an account_purged event without personal data, and returns how
// many rows went from each table.
func Purge(ctx context.Context, db database.TxBeginner, userID string) (map[string]int64, error) {
	counts := map[string]int64{}
	err := database.WithTx(ctx, db, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "set local events.allow_delete = on"); err != nil {
			return err
		}
		cols, err := userColumns(ctx, tx)
		if err != nil {
			return err
		}
		if err := deleteRestricted(ctx, tx, cols, userID, counts); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, "delete from auth.users where id = $1::uuid", userID)
		if err != nil {
			return mustKeep("auth.users", err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: %s", ErrNotFound, userID)
		}
		counts["auth.users"] = 1
		if err := verifyGone(ctx, tx, cols, userID); err != nil {
			return err
		}
		data, _ := json.Marshal(map[string]any{"tables": len(counts)})
		_, err = tx.Exec(ctx, `select events.append_event('account', $1, 'account_purged', $2::jsonb, 'account_purged:' || $1, 'creatorbase')`,
			userID, string(data))
		return err
	})
	return counts, err
}

// deleteRestricted deletes the user's rows from tables whose keys would
// block the auth.users delete, or that have no key at all. A delete that a
// foreign key blocks is retried in the next pass, after its dependants.
func deleteRestricted(ctx context.Context, tx pgx.Tx, cols []userColumn, userID string, counts map[string]int64) error {
	var pending []userColumn
	for _, c := range cols {
		if c.OnDelete == "a" || c.OnDelete == "r" || c.OnDelete == "" {
			pending = append(pending, c)
		}
	}
	for len(pending) > 0 {
		var blocked []userColumn
		var lastErr error
		for _, c := range pending {
			table := c.name()
			if _, err := tx.Exec(ctx, "savepoint purge_step"); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, "delete from "+c.ident()+" where "+pgx.Identifier{c.Column}.Sanitize()+" = $1::uuid", userID)
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23503" {
				if _, err := tx.Exec(ctx, "rollback to savepoint purge_step"); err != nil {
					return err
				}
				blocked, lastErr = append(blocked, c), mustKeep(table, err)
				continue
			}
			if err != nil {
				return mustKeep(table, err)
			}
			counts[table] += tag.RowsAffected()
		}
		if len(blocked) == len(pending) {
			return lastErr
		}
		pending = blocked
	}
	return nil
}

// verifyGone walks the user columns again: no row may still name the user.
func verifyGone(ctx context.Context, tx pgx.Tx, cols []userColumn, userID string) error {
	for _, c := range cols {
		var left int64
		sql := "select count(*) from " + c.ident() +
			" where " + pgx.Identifier{c.Column}.Sanitize() + " = $1::uuid"
		if err := tx.QueryRow(ctx, sql, userID).Scan(&left); err != nil {
			return err
		}
		if left > 0 {
			return fmt.Errorf("purge left %d row(s) in %s.%s (%s)", left, c.Schema, c.Table, c.Column)
		}
	}
	return nil
}

func mustKeep(table string, err error) error {
	return fmt.Errorf("%w: deleting from %s: %w", ErrMustKeep, table, err)
}
