package dbtest

import (
	"context"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
)

// Migrator opens a migrator on d, closed when the test ends, for tests
// that run migrations down and up.
func (d *DB) Migrator(t testing.TB) *database.Migrator {
	t.Helper()
	m, err := database.NewMigrator(context.Background(), d.OwnerURL, nil)
	if err != nil {
		t.Fatalf("dbtest: migrator: %v", err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// NewMigrated gives the test a database of its own that its migrator
// brought up from empty; n is how many migrations it applied.
func NewMigrated(t testing.TB) (db *DB, m *database.Migrator, n int) {
	t.Helper()
	db = NewEmpty(t)
	m = db.Migrator(t)
	n, err := m.Up(context.Background())
	if err != nil {
		t.Fatalf("dbtest: up: %v", err)
	}
	return db, m, n
}

// ViewDef is the definition of view (schema.name) as PostgreSQL prints it.
func (d *DB) ViewDef(t testing.TB, view string) string {
	t.Helper()
	var def string
	if err := d.Owner(t).QueryRow(context.Background(), `select pg_get_viewdef($1::regclass)`, view).Scan(&def); err != nil {
		t.Fatalf("dbtest: definition of %s: %v", view, err)
	}
	return def
}
