package schema

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Querier is a pool, a connection or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Load reads the catalog for the given schemas. Run it as a role that
// sees the catalog (any role does); privileges are not consulted, because
// the database enforces them on every request anyway.
func Load(ctx context.Context, q Querier, schemas []string) (*Cache, error) {
	c := &Cache{
		Schemas:       schemas,
		Relations:     map[Name]*Relation{},
		Functions:     map[Name][]*Function{},
		relationships: map[Name][]*Relationship{},
	}
	steps := []func(context.Context, Querier) error{c.loadRelations, c.loadColumns, c.loadKeys, c.loadFunctions}
	for _, step := range steps {
		if err := step(ctx, q); err != nil {
			return nil, fmt.Errorf("load schema cache: %w", err)
		}
	}
	fks, err := loadForeignKeys(ctx, q, schemas)
	if err != nil {
		return nil, fmt.Errorf("load schema cache: %w", err)
	}
	views, err := loadViewSources(ctx, q, schemas)
	if err != nil {
		return nil, fmt.Errorf("load schema cache: %w", err)
	}
	c.buildRelationships(append(fks, viewForeignKeys(c, fks, views)...))
	return c, nil
}

const relationsSQL = `
select n.nspname, c.relname,
       case c.relkind when 'r' then 'table' when 'p' then 'partitioned_table' when 'v' then 'view'
                      when 'm' then 'materialized_view' else 'foreign_table' end,
       c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 8) = 8,
       c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 4) = 4,
       c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 16) = 16,
       coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '')
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')`

func (c *Cache) loadRelations(ctx context.Context, q Querier) error {
	rows, err := q.Query(ctx, relationsSQL, c.Schemas)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := &Relation{byName: map[string]*Column{}}
		if err := rows.Scan(&r.Name.Schema, &r.Name.Name, &r.Kind, &r.Insertable, &r.Updatable, &r.Deletable, &r.Description); err != nil {
			return err
		}
		c.Relations[r.Name] = r
	}
	return rows.Err()
}

const columnsSQL = `
select n.nspname, c.relname, a.attname, a.attnum,
       pg_catalog.format_type(a.atttypid, a.atttypmod),
       coalesce(bt.typname, t.typname),
       not a.attnotnull,
       coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), ''),
       a.attgenerated <> '' or a.attidentity = 'a',
       coalesce(pg_catalog.col_description(c.oid, a.attnum), '')
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_type t on t.oid = a.atttypid
left join pg_catalog.pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f')
  and a.attnum > 0 and not a.attisdropped
order by n.nspname, c.relname, a.attnum`

func (c *Cache) loadColumns(ctx context.Context, q Querier) error {
	rows, err := q.Query(ctx, columnsSQL, c.Schemas)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n Name
		col := &Column{}
		if err := rows.Scan(&n.Schema, &n.Name, &col.Name, &col.Position, &col.Type, &col.BaseType,
			&col.Nullable, &col.Default, &col.Generated, &col.Description); err != nil {
			return err
		}
		if r := c.Relations[n]; r != nil {
			r.Columns = append(r.Columns, col)
			r.byName[col.Name] = col
		}
	}
	return rows.Err()
}

// keysSQL lists primary keys, unique constraints and unique indexes
// without predicates or expressions.
const keysSQL = `
select n.nspname, c.relname, i.indisprimary,
       array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord)
             join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
             order by k.ord)
from pg_catalog.pg_index i
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1) and i.indisunique and i.indpred is null and 0 <> all (i.indkey)`

func (c *Cache) loadKeys(ctx context.Context, q Querier) error {
	rows, err := q.Query(ctx, keysSQL, c.Schemas)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n Name
		var primary bool
		var cols []string
		if err := rows.Scan(&n.Schema, &n.Name, &primary, &cols); err != nil {
			return err
		}
		r := c.Relations[n]
		switch {
		case r == nil:
		case primary:
			r.PrimaryKey = cols
		default:
			r.Uniques = append(r.Uniques, cols)
		}
	}
	return rows.Err()
}

const functionsSQL = `
select n.nspname, p.proname,
       coalesce(p.proargnames, '{}'), coalesce(p.proargmodes::text[], '{}'),
       array(select pg_catalog.format_type(t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) t),
       p.pronargdefaults,
       pg_catalog.format_type(p.prorettype, null), p.proretset,
       coalesce(rn.nspname, ''), coalesce(rc.relname, ''), rt.typtype = 'c',
       case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
       coalesce(pg_catalog.obj_description(p.oid, 'pg_proc'), ''),
       array(select a.attname from pg_catalog.pg_attribute a
             where rt.typtype = 'c' and a.attrelid = rt.typrelid and a.attnum > 0 and not a.attisdropped order by a.attnum),
       array(select pg_catalog.format_type(a.atttypid, a.atttypmod) from pg_catalog.pg_attribute a
             where rt.typtype = 'c' and a.attrelid = rt.typrelid and a.attnum > 0 and not a.attisdropped order by a.attnum)
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
join pg_catalog.pg_type rt on rt.oid = p.prorettype
left join pg_catalog.pg_class rc on rc.oid = rt.typrelid and rc.relkind in ('r', 'p', 'v', 'm', 'f')
left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname = any($1) and p.prokind = 'f'`

func (c *Cache) loadFunctions(ctx context.Context, q Querier) error {
	rows, err := q.Query(ctx, functionsSQL, c.Schemas)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		f := &Function{}
		var names, modes, types, attNames, attTypes []string
		var nDefaults int
		if err := rows.Scan(&f.Name.Schema, &f.Name.Name, &names, &modes, &types, &nDefaults,
			&f.ReturnType, &f.ReturnsSet, &f.ReturnsRow.Schema, &f.ReturnsRow.Name, &f.ReturnsComp,
			&f.Volatility, &f.Description, &attNames, &attTypes); err != nil {
			return err
		}
		f.Args = inputArgs(names, modes, types, nDefaults)
		f.Outputs = outputArgs(names, modes, types)
		if len(f.Outputs) == 0 && f.ReturnsRow.Name == "" {
			for i, n := range attNames {
				f.Outputs = append(f.Outputs, Arg{Name: n, Type: attTypes[i]})
			}
		}
		c.Functions[f.Name] = append(c.Functions[f.Name], f)
	}
	return rows.Err()
}

// inputArgs keeps the IN, INOUT and VARIADIC arguments; the last
// nDefaults of them have defaults.
func inputArgs(names, modes, types []string, nDefaults int) []Arg {
	var args []Arg
	for i, typ := range types {
		mode := "i"
		if i < len(modes) {
			mode = modes[i]
		}
		if mode == "o" || mode == "t" {
			continue
		}
		a := Arg{Type: typ, Variadic: mode == "v"}
		if i < len(names) {
			a.Name = names[i]
		}
		args = append(args, a)
	}
	for i := len(args) - nDefaults; i < len(args); i++ {
		if i >= 0 {
			args[i].HasDefault = true
		}
	}
	return args
}

// outputArgs keeps the OUT, INOUT and TABLE arguments: the columns of the
// rows the function returns.
func outputArgs(names, modes, types []string) []Arg {
	var out []Arg
	for i, typ := range types {
		if i >= len(modes) || (modes[i] != "o" && modes[i] != "b" && modes[i] != "t") {
			continue
		}
		a := Arg{Type: typ}
		if i < len(names) {
			a.Name = names[i]
		}
		out = append(out, a)
	}
	return out
}
