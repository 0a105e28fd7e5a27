// Package account implements a person's rights over their data across
// every product: export (one JSON document of every row about them) and
// purge (everything deleted in one transaction). Which tables hold data
// about a person is read from the catalog on every call, so a table added
// by a later migration is never forgotten.
package account

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// userColumn is a uuid column that identifies a person: auth.users.id,
// every column that references such a column through a foreign key, and
// every uuid column named user_id (for append-only logs without keys).
type userColumn struct {
	Schema, Table, Column string
	// OnDelete is the foreign key's action when the person goes: "c"
	// cascade, "n" set null, "d" set default, "a"/"r" no action or
	// restrict; "" for columns without a key.
	OnDelete string
}

// userColumnsSQL follows foreign keys from auth.users(id) outwards, to a
// fixed point, through single-column keys of type uuid.
const userColumnsSQL = `
with recursive fk as (
  select con.conrelid as relid, a.attname as col, con.confrelid as refrelid, af.attname as refcol,
         con.confdeltype as ondelete
  from pg_catalog.pg_constraint con
  join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
  join pg_catalog.pg_attribute af on af.attrelid = con.confrelid and af.attnum = con.confkey[1]
  where con.contype = 'f' and cardinality(con.conkey) = 1 and a.atttypid = 'uuid'::regtype
),
ident(relid, col, ondelete) as (
  select 'auth.users'::regclass::oid, 'id'::name, ''::"char"
  union
  select fk.relid, fk.col, fk.ondelete from fk join ident on fk.refrelid = ident.relid and fk.refcol = ident.col
),
named as (
  select a.attrelid as relid, a.attname as col, ''::"char" as ondelete
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_class c on c.oid = a.attrelid and c.relkind in ('r', 'p')
  where a.attname = 'user_id' and a.atttypid = 'uuid'::regtype and not a.attisdropped
    and not exists (select from ident i where i.relid = a.attrelid and i.col = a.attname)
)
select distinct n.nspname, c.relname, u.col, u.ondelete::text
from (select * from ident union all select * from named) u
join pg_catalog.pg_class c on c.oid = u.relid and c.relkind in ('r', 'p')
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'
  and not (n.nspname = 'auth' and c.relname = 'users')
order by 1, 2, 3`

func userColumns(ctx context.Context, tx pgx.Tx) ([]userColumn, error) {
	rows, err := tx.Query(ctx, userColumnsSQL)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (userColumn, error) {
		var c userColumn
		err := row.Scan(&c.Schema, &c.Table, &c.Column, &c.OnDelete)
		return c, err
	})
}

// name is how a table appears in documents and counts: schema.table.
func (c userColumn) name() string { return c.Schema + "." + c.Table }

// ident is the table's quoted identifier, for SQL.
func (c userColumn) ident() string { return pgx.Identifier{c.Schema, c.Table}.Sanitize() }

// byTable groups the columns of each table (by schema.table), keeping the
// catalog's order.
func byTable(cols []userColumn) ([]string, map[string][]userColumn) {
	var order []string
	m := map[string][]userColumn{}
	for _, c := range cols {
		if _, seen := m[c.name()]; !seen {
			order = append(order, c.name())
		}
		m[c.name()] = append(m[c.name()], c)
	}
	return order, m
}
