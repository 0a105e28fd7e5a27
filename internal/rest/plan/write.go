package plan

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// writeTarget resolves the relation and the representation node of a
// write: the select tree read back from pgrst_source.
func (b *builder) writeTarget() (*schema.Relation, *node, error) {
	rel, err := b.lookupRelation()
	if err != nil {
		return nil, nil, err
	}
	rep := &node{rel: rel, label: rel.Name.Name, ref: "pgrst_source", from: "pgrst_source", limit: query.NoLimit}
	if err := b.resolveTree(rep, b.q.Select); err != nil {
		return nil, nil, err
	}
	return rel, rep, nil
}

// returning is the RETURNING clause: 1 when no body is wanted (so that
// SELECT policies do not apply, as on PostgREST), the key for a Location
// header, else the columns the representation reads.
func (b *builder) returning(rel *schema.Relation, rep *node) string {
	me := qualified(rel.Name.Schema, rel.Name.Name)
	switch {
	case b.q.Prefer.Return == query.ReturnRepresentation:
	case b.q.Prefer.Return == query.ReturnHeadersOnly && b.in.Action == ActionInsert && len(rel.PrimaryKey) > 0:
		cols := make([]string, len(rel.PrimaryKey))
		for i, c := range rel.PrimaryKey {
			cols[i] = me + "." + quoteIdent(c)
		}
		return " RETURNING " + sqlList(cols)
	default:
		return " RETURNING 1"
	}
	var cols []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			cols = append(cols, me+"."+quoteIdent(c))
		}
	}
	for _, it := range rep.items {
		if it.Kind == query.ItemField && it.Field.Name == "*" {
			return " RETURNING " + me + ".*"
		}
		if it.Kind == query.ItemField {
			add(it.Field.Name)
		}
	}
	for _, e := range rep.embeds {
		for _, c := range e.rel.SourceColumns {
			add(c)
		}
	}
	if len(cols) == 0 {
		return " RETURNING 1"
	}
	return " RETURNING " + sqlList(cols)
}

// finish wraps the data-modifying CTE(s) into the result statement.
func (b *builder) finish(pl *Plan, ctes string, rel *schema.Relation, rep *node, inserted string) (*Plan, error) {
	inner := "SELECT * FROM pgrst_source"
	body := "NULL::text"
	if b.q.Prefer.Return == query.ReturnRepresentation {
		// Filters and order belong to the statement; the representation
		// keeps only what embeds ask for.
		rep.filters, rep.logic, rep.order = nil, nil, nil
		list, err := b.selectList(rep)
		if err != nil {
			return nil, err
		}
		joins, err := b.joins(rep, nil)
		if err != nil {
			return nil, err
		}
		inner = "SELECT " + sqlList(list) + " FROM pgrst_source" + joins
		body = b.bodyExpr(false, false)
		pl.Single = b.q.Accept.Kind == query.MediaObject
	}
	total := "NULL::bigint"
	if b.q.Prefer.Count != query.CountNone {
		total = "pg_catalog.count(_postgrest_t)"
	}
	location := "NULL::text[]"
	if b.in.Action == ActionInsert && b.q.Prefer.Return == query.ReturnHeadersOnly && len(rel.PrimaryKey) > 0 {
		vals := make([]string, len(rel.PrimaryKey))
		for i, c := range rel.PrimaryKey {
			vals[i] = "pgrst_source." + quoteIdent(c) + "::text"
		}
		location = "(SELECT ARRAY[" + sqlList(vals) + "] FROM pgrst_source LIMIT 1)"
		pl.KeyColumns = rel.PrimaryKey
	}
	abort := b.abortExpr(pl)
	pl.Main = Statement{
		SQL: "WITH " + ctes + " SELECT " + total + " AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, " +
			body + " AS body, " + location + " AS location, " + responseGUCs + ", " + inserted + " AS inserted" + abort +
			" FROM (" + inner + ") _postgrest_t",
		Args: b.p.args,
	}
	return pl, nil
}

// abortExpr records in pgrst.abort whether the affected rows break an
// object Accept or Prefer: max-affected, so that AbortSQL can roll back.
func (b *builder) abortExpr(pl *Plan) string {
	var conds []string
	if b.q.Accept.Kind == query.MediaObject {
		conds = append(conds, "pg_catalog.count(_postgrest_t) <> 1")
	}
	if b.q.Prefer.Handling == query.HandlingStrict && b.q.Prefer.MaxAffected != nil && b.in.Action != ActionInsert {
		conds = append(conds, "pg_catalog.count(_postgrest_t) > "+b.p.add(*b.q.Prefer.MaxAffected))
	}
	if len(conds) == 0 {
		return ""
	}
	pl.Abort = true
	return ", pg_catalog.set_config('pgrst.abort', CASE WHEN " + strings.Join(conds, " OR ") +
		" THEN 'yes' ELSE 'no' END, true) AS pgrst_abort"
}

// columnsFor validates payload keys (or columns=) against the relation.
func columnsFor(rel *schema.Relation, keys []string) ([]*schema.Column, error) {
	cols := make([]*schema.Column, 0, len(keys))
	for _, k := range keys {
		c := rel.Column(k)
		if c == nil {
			return nil, columnNotFound(rel.Name.Name, k)
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// recordDef renders a json_to_record(set) column definition list.
func recordDef(cols []*schema.Column) string {
	defs := make([]string, len(cols))
	for i, c := range cols {
		defs[i] = quoteIdent(c.Name) + " " + c.Type
	}
	return "(" + sqlList(defs) + ")"
}

// insert plans POST on a table or view: one INSERT ... SELECT from
// json_to_recordset over the whole body (one bind parameter), or one per
// key set with missing=default.
func (b *builder) insert() (*Plan, error) {
	rel, rep, err := b.writeTarget()
	if err != nil {
		return nil, err
	}
	pl, err := parsePayload(b.in.Body)
	if err != nil {
		return nil, err
	}
	groups, err := b.insertGroups(rel, pl)
	if err != nil {
		return nil, err
	}
	plan := &Plan{}
	conflict, upsert := b.onConflict(rel)
	plan.UpsertApplied = upsert
	merge := upsert && b.q.Prefer.Resolution == query.ResolutionMergeDuplicates
	returning := b.returning(rel, rep)
	var ctes []string
	if len(groups) == 1 {
		ctes = []string{"pgrst_source AS (" + b.insertSQL(rel, groups[0], conflict, merge) + returning + ")"}
	} else {
		var union []string
		for i, g := range groups {
			name := "pgrst_i" + itoa(i+1)
			ctes = append(ctes, name+" AS ("+b.insertSQL(rel, g, conflict, merge)+returning+")")
			union = append(union, "SELECT * FROM "+name)
		}
		ctes = append(ctes, "pgrst_source AS ("+strings.Join(union, " UNION ALL ")+")")
	}
	inserted := "NULL::bigint"
	if merge {
		inserted = "NULLIF(pg_catalog.current_setting('pgrst.inserted', true), '')::bigint"
	}
	plan.MissingDefault = b.q.Prefer.Missing == query.MissingDefault
	rep.filters, rep.logic = nil, nil
	return b.finish(plan, strings.Join(ctes, ", "), rel, rep, inserted)
}

// insertGroup is rows inserted with one column list.
type insertGroup struct {
	cols []*schema.Column
	body string
}

func (b *builder) insertGroups(rel *schema.Relation, pl *payload) ([]insertGroup, error) {
	if b.q.Columns == nil {
		var first []string
		if len(pl.keys) > 0 {
			first = pl.keys[0]
		}
		for _, k := range pl.keys[min(1, len(pl.keys)):] {
			if !sameKeys(first, k) {
				return nil, invalidBody("All object keys must match")
			}
		}
		cols, err := columnsFor(rel, first)
		if err != nil {
			return nil, err
		}
		return []insertGroup{{cols: cols, body: rowsJSON(pl.rows)}}, nil
	}
	cols, err := columnsFor(rel, b.q.Columns)
	if err != nil {
		return nil, err
	}
	if b.q.Prefer.Missing != query.MissingDefault {
		return []insertGroup{{cols: cols, body: rowsJSON(pl.rows)}}, nil
	}
	// missing=default: rows lacking a key take the column's default, so
	// rows are inserted grouped by the keys they have.
	var groups []insertGroup
	index := map[string]int{}
	var rows [][]json.RawMessage
	for i, keys := range pl.keys {
		present := map[string]bool{}
		for _, k := range keys {
			present[k] = true
		}
		var gcols []*schema.Column
		var sig []string
		for _, c := range cols {
			if present[c.Name] {
				gcols = append(gcols, c)
				sig = append(sig, c.Name)
			}
		}
		k := strings.Join(sig, "\x00")
		gi, ok := index[k]
		if !ok {
			gi = len(groups)
			index[k] = gi
			groups = append(groups, insertGroup{cols: gcols})
			rows = append(rows, nil)
		}
		rows[gi] = append(rows[gi], pl.rows[i])
	}
	for i := range groups {
		groups[i].body = rowsJSON(rows[i])
	}
	if len(groups) == 0 {
		groups = []insertGroup{{cols: cols, body: "[]"}}
	}
	return groups, nil
}

// onConflict renders ON CONFLICT (target) for resolution=..., on the
// on_conflict columns or the primary key. Without either the preference is
// ignored, as PostgREST does.
func (b *builder) onConflict(rel *schema.Relation) ([]string, bool) {
	if b.q.Prefer.Resolution == query.ResolutionNone {
		return nil, false
	}
	target := b.q.OnConflict
	if target == nil {
		target = rel.PrimaryKey
	}
	if len(target) == 0 {
		return nil, false
	}
	return target, true
}

func (b *builder) insertSQL(rel *schema.Relation, g insertGroup, conflict []string, merge bool) string {
	me := qualified(rel.Name.Schema, rel.Name.Name)
	body := b.p.add(g.body) + "::json"
	var sql string
	if len(g.cols) == 0 {
		sql = "INSERT INTO " + me + " SELECT FROM pg_catalog.json_array_elements(" + body + ") pgrst_body"
	} else {
		names := make([]string, len(g.cols))
		sel := make([]string, len(g.cols))
		for i, c := range g.cols {
			names[i] = quoteIdent(c.Name)
			sel[i] = "pgrst_body." + quoteIdent(c.Name)
		}
		sql = "INSERT INTO " + me + " (" + sqlList(names) + ") SELECT " + sqlList(sel) +
			" FROM pg_catalog.json_to_recordset(" + body + ") AS pgrst_body" + recordDef(g.cols)
	}
	if merge {
		sql += " WHERE pg_catalog.set_config('pgrst.inserted', (COALESCE(NULLIF(pg_catalog.current_setting('pgrst.inserted', true), '')::bigint, 0) + 1)::text, true) IS NOT NULL"
	}
	if conflict == nil {
		return sql
	}
	target := make([]string, len(conflict))
	for i, c := range conflict {
		target[i] = quoteIdent(c)
	}
	sql += " ON CONFLICT (" + sqlList(target) + ")"
	if !merge || len(g.cols) == 0 {
		return sql + " DO NOTHING"
	}
	sets := make([]string, len(g.cols))
	for i, c := range g.cols {
		sets[i] = quoteIdent(c.Name) + " = EXCLUDED." + quoteIdent(c.Name)
	}
	return sql + " DO UPDATE SET " + sqlList(sets) +
		" WHERE pg_catalog.set_config('pgrst.inserted', (pg_catalog.current_setting('pgrst.inserted', true)::bigint - 1)::text, true) IS NOT NULL"
}

// filteredTarget is the node the WHERE of an UPDATE or DELETE is built on:
// the table itself, with the request's top-level filters.
func (b *builder) filteredTarget(rel *schema.Relation, rep *node) (*node, []string, error) {
	target := b.relationNode(rel)
	target.filters, target.logic = rep.filters, rep.logic
	where, err := b.where(target)
	if err != nil {
		return nil, nil, err
	}
	if len(where) == 0 && b.in.AllowUnfiltered {
		where = []string{"TRUE"}
	}
	if len(where) == 0 {
		verb := "UPDATE"
		if b.in.Action == ActionDelete {
			verb = "DELETE"
		}
		return nil, nil, newError(http.StatusBadRequest, "21000", verb+" requires a WHERE clause", nil, "")
	}
	return target, where, nil
}

// update plans PATCH: UPDATE ... SET c = pgrst_body.c FROM json_to_record
// over the body (one bind parameter) WHERE the filters.
func (b *builder) update() (*Plan, error) {
	rel, rep, err := b.writeTarget()
	if err != nil {
		return nil, err
	}
	pl, err := parsePayload(b.in.Body)
	if err != nil {
		return nil, err
	}
	var keys []string
	row := "{}"
	if len(pl.rows) > 0 {
		keys, row = pl.keys[0], string(pl.rows[0])
	}
	if b.q.Columns != nil {
		keys = b.q.Columns
	}
	cols, err := columnsFor(rel, keys)
	if err != nil {
		return nil, err
	}
	_, where, err := b.filteredTarget(rel, rep)
	if err != nil {
		return nil, err
	}
	me := qualified(rel.Name.Schema, rel.Name.Name)
	returning := b.returning(rel, rep)
	var dml string
	if len(cols) == 0 {
		// Nothing to set: PostgREST answers as if no row matched.
		dml = "SELECT" + strings.TrimPrefix(returning, " RETURNING") + " FROM " + me + " WHERE false AND " + strings.Join(where, " AND ")
	} else {
		sets := make([]string, len(cols))
		for i, c := range cols {
			sets[i] = quoteIdent(c.Name) + " = pgrst_body." + quoteIdent(c.Name)
		}
		dml = "UPDATE " + me + " SET " + sqlList(sets) + " FROM (SELECT * FROM pg_catalog.json_to_record(" + b.p.add(row) +
			"::json) AS pgrst_body" + recordDef(cols) + ") pgrst_body WHERE " + strings.Join(where, " AND ") + returning
	}
	return b.finish(&Plan{}, "pgrst_source AS ("+dml+")", rel, rep, "NULL::bigint")
}

// delete plans DELETE ... WHERE the filters.
func (b *builder) delete() (*Plan, error) {
	rel, rep, err := b.writeTarget()
	if err != nil {
		return nil, err
	}
	_, where, err := b.filteredTarget(rel, rep)
	if err != nil {
		return nil, err
	}
	dml := "DELETE FROM " + qualified(rel.Name.Schema, rel.Name.Name) + " WHERE " + strings.Join(where, " AND ") + b.returning(rel, rep)
	return b.finish(&Plan{}, "pgrst_source AS ("+dml+")", rel, rep, "NULL::bigint")
}
