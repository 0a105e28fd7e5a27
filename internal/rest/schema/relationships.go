package schema

import "context"

// ForeignKey is one foreign key constraint (or one inferred for a view).
type ForeignKey struct {
	Name          string
	Source        Name
	Target        Name
	SourceColumns []string
	TargetColumns []string
}

const foreignKeysSQL = `
select con.conname, sn.nspname, sc.relname, tn.nspname, tc.relname,
       array(select a.attname from unnest(con.conkey) with ordinality k(attnum, ord)
             join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord),
       array(select a.attname from unnest(con.confkey) with ordinality k(attnum, ord)
             join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord)
from pg_catalog.pg_constraint con
join pg_catalog.pg_class sc on sc.oid = con.conrelid
join pg_catalog.pg_namespace sn on sn.oid = sc.relnamespace
join pg_catalog.pg_class tc on tc.oid = con.confrelid
join pg_catalog.pg_namespace tn on tn.oid = tc.relnamespace
where con.contype = 'f' and sn.nspname = any($1) and tn.nspname = any($1)`

func loadForeignKeys(ctx context.Context, q Querier, schemas []string) ([]ForeignKey, error) {
	rows, err := q.Query(ctx, foreignKeysSQL, schemas)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ForeignKey
	for rows.Next() {
		var fk ForeignKey
		if err := rows.Scan(&fk.Name, &fk.Source.Schema, &fk.Source.Name, &fk.Target.Schema, &fk.Target.Name,
			&fk.SourceColumns, &fk.TargetColumns); err != nil {
			return nil, err
		}
		out = append(out, fk)
	}
	return out, rows.Err()
}

// viewSource says that a view reads a base relation.
type viewSource struct {
	View Name
	Base Name
}

// viewSourcesSQL lists the relations each view reads, from the view's
// rewrite rule dependencies (information_schema.view_table_usage would
// hide views the current role does not own).
const viewSourcesSQL = `
select distinct vn.nspname, v.relname, tn.nspname, t.relname
from pg_catalog.pg_rewrite r
join pg_catalog.pg_class v on v.oid = r.ev_class
join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
join pg_catalog.pg_depend d on d.objid = r.oid and d.classid = 'pg_catalog.pg_rewrite'::regclass
     and d.refclassid = 'pg_catalog.pg_class'::regclass
join pg_catalog.pg_class t on t.oid = d.refobjid
join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
where v.relkind in ('v', 'm') and t.oid <> v.oid and t.relkind in ('r', 'p', 'v', 'm', 'f')
  and vn.nspname = any($1)`

func loadViewSources(ctx context.Context, q Querier, schemas []string) ([]viewSource, error) {
	rows, err := q.Query(ctx, viewSourcesSQL, schemas)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []viewSource
	for rows.Next() {
		var s viewSource
		if err := rows.Scan(&s.View.Schema, &s.View.Name, &s.Base.Schema, &s.Base.Name); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// viewForeignKeys lends a base table's foreign keys to the views over it:
// a view that shows every column of a key, under the same names, takes
// part in the key's relationships. Views that rename key columns get
// none (PostgREST follows renames by parsing the view's query tree; this
// is the documented simplification).
func viewForeignKeys(c *Cache, fks []ForeignKey, views []viewSource) []ForeignKey {
	var out []ForeignKey
	hasAll := func(n Name, cols []string) bool {
		r := c.Relations[n]
		if r == nil {
			return false
		}
		for _, col := range cols {
			if r.Column(col) == nil {
				return false
			}
		}
		return true
	}
	for _, v := range views {
		for _, fk := range fks {
			if fk.Source == v.Base && hasAll(v.View, fk.SourceColumns) {
				lent := fk
				lent.Source = v.View
				out = append(out, lent)
			}
			if fk.Target == v.Base && hasAll(v.View, fk.TargetColumns) {
				lent := fk
				lent.Target = v.View
				out = append(out, lent)
			}
		}
	}
	return out
}

// buildRelationships derives PostgREST's relationships from foreign keys:
// each key gives a many-to-one (or one-to-one) and its inverse, and each
// pair of keys on a junction table whose key covers both gives a
// many-to-many in both directions.
func (c *Cache) buildRelationships(fks []ForeignKey) {
	add := func(r *Relationship) { c.relationships[r.Source] = append(c.relationships[r.Source], r) }
	bySource := map[Name][]ForeignKey{}
	for _, fk := range fks {
		src, tgt := c.Relations[fk.Source], c.Relations[fk.Target]
		if src == nil || tgt == nil {
			continue
		}
		bySource[fk.Source] = append(bySource[fk.Source], fk)
		unique := src.hasUnique(fk.SourceColumns)
		forward, backward := ManyToOne, OneToMany
		if unique {
			forward, backward = OneToOne, OneToOne
		}
		add(&Relationship{Source: fk.Source, Target: fk.Target, Cardinality: forward, Constraint: fk.Name,
			SourceColumns: fk.SourceColumns, TargetColumns: fk.TargetColumns})
		add(&Relationship{Source: fk.Target, Target: fk.Source, Cardinality: backward, Constraint: fk.Name,
			SourceColumns: fk.TargetColumns, TargetColumns: fk.SourceColumns})
	}
	for junction, keys := range bySource {
		j := c.Relations[junction]
		for i, a := range keys {
			for k, b := range keys {
				if i == k || !coveredByKey(j, a.SourceColumns, b.SourceColumns) {
					continue
				}
				jn := junction
				add(&Relationship{Source: a.Target, Target: b.Target, Cardinality: ManyToMany, Constraint: b.Name,
					SourceColumns: a.TargetColumns, TargetColumns: b.TargetColumns,
					Junction: &jn, JunctionSource: a.SourceColumns, JunctionTarget: b.SourceColumns,
					JunctionSourceFK: a.Name, JunctionTargetFK: b.Name})
			}
		}
	}
}

// coveredByKey reports whether the primary key or a unique key of the
// junction contains every column of both foreign keys.
func coveredByKey(j *Relation, a, b []string) bool {
	keys := append([][]string{j.PrimaryKey}, j.Uniques...)
	for _, key := range keys {
		set := map[string]bool{}
		for _, col := range key {
			set[col] = true
		}
		all := len(key) > 0
		for _, col := range append(append([]string{}, a...), b...) {
			all = all && set[col]
		}
		if all {
			return true
		}
	}
	return false
}
