package plan

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// node is one relation of the select tree: the request's target or an
// embedded resource.
type node struct {
	rel   *schema.Relation
	label string // the name in messages: the relation's name, or the function's
	ref   string // how columns are qualified in SQL: "s"."t" or "pgrst_2"
	from  string // the FROM item

	items   []query.SelectItem
	embeds  []*embed
	filters []query.Filter
	logic   []query.LogicTree
	order   []query.OrderTerm
	limit   int64
	offset  int64
	outputs []string // output column names, for spreads
}

// embed is an embedded resource below a node.
type embed struct {
	key   string // what paths name it by: the alias, else the relation
	item  query.SelectItem
	rel   *schema.Relationship
	node  *node
	alias string // the lateral join's alias
}

func itoa(n int) string { return strconv.Itoa(n) }

// newRoot makes the node for a relation of the exposed schema.
func (b *builder) relationNode(rel *schema.Relation) *node {
	return &node{rel: rel, label: rel.Name.Name, ref: qualified(rel.Name.Schema, rel.Name.Name),
		from: qualified(rel.Name.Schema, rel.Name.Name), limit: query.NoLimit}
}

// lookupRelation finds the request's relation, or answers PGRST205.
func (b *builder) lookupRelation() (*schema.Relation, error) {
	rel := b.in.Cache.Relation(b.in.Schema, b.in.Name)
	if rel == nil {
		return nil, relationNotFound(b.in.Cache, b.in.Schema, b.in.Name)
	}
	return rel, nil
}

func relationNotFound(c *schema.Cache, schemaName, name string) *Error {
	var candidates []string
	for n := range c.Relations {
		if n.Schema == schemaName {
			candidates = append(candidates, n.Name)
		}
	}
	hint := ""
	if best := closest(name, candidates); best != "" {
		hint = fmt.Sprintf("Perhaps you meant the table '%s.%s'", schemaName, best)
	}
	return newError(http.StatusNotFound, "PGRST205",
		fmt.Sprintf("Could not find the table '%s.%s' in the schema cache", schemaName, name), nil, hint)
}

// resolve builds the select tree below n from items, then attaches the
// filters, logic trees, orders and ranges of the request to their nodes.
func (b *builder) resolveTree(root *node, items []query.SelectItem) error {
	if err := b.resolveItems(root, items, 0); err != nil {
		return err
	}
	for _, f := range b.q.Filters {
		n, err := b.find(root, f.Path)
		if err != nil {
			return err
		}
		n.filters = append(n.filters, f)
	}
	for _, l := range b.q.Logic {
		n, err := b.find(root, l.Path)
		if err != nil {
			return err
		}
		n.logic = append(n.logic, l.Tree)
	}
	for _, o := range b.q.Orders {
		n, err := b.find(root, o.Path)
		if err != nil {
			return err
		}
		n.order = o.Terms
	}
	for _, r := range b.q.EmbedRanges {
		n, err := b.find(root, r.Path)
		if err != nil {
			return err
		}
		n.limit, n.offset = r.Limit, r.Offset
	}
	return nil
}

const maxEmbedDepth = 16

func (b *builder) resolveItems(n *node, items []query.SelectItem, depth int) error {
	if depth > maxEmbedDepth {
		return newError(http.StatusBadRequest, "PGRST100", "embedding is nested too deeply", nil, "")
	}
	n.items = items
	for _, it := range items {
		switch it.Kind {
		case query.ItemField:
			if it.Aggregate != query.AggNone {
				return newError(http.StatusBadRequest, "PGRST123", "Use of aggregate functions is not allowed", nil, "")
			}
			if it.Field.Name == "*" {
				if n.rel == nil {
					continue
				}
				for _, c := range n.rel.Columns {
					n.outputs = append(n.outputs, c.Name)
				}
				continue
			}
			if n.rel == nil || n.rel.Column(it.Field.Name) == nil {
				return undefinedColumn(n.label, it.Field.Name)
			}
			n.outputs = append(n.outputs, outputName(it))
		case query.ItemEmbed, query.ItemSpread:
			if n.rel == nil {
				return noRelationship(n.label, it.Relation, b.in.Schema)
			}
			rel, err := b.relationship(n, it)
			if err != nil {
				return err
			}
			target := b.in.Cache.Relations[rel.Target]
			alias := b.nextAlias()
			child := &node{rel: target, label: target.Name.Name, ref: quoteIdent(alias),
				from: qualified(target.Name.Schema, target.Name.Name) + " AS " + quoteIdent(alias), limit: query.NoLimit}
			key := it.Relation
			if it.Alias != "" {
				key = it.Alias
			}
			e := &embed{key: key, item: it, rel: rel, node: child, alias: alias}
			n.embeds = append(n.embeds, e)
			if err := b.resolveItems(child, it.Children, depth+1); err != nil {
				return err
			}
			switch {
			case it.Kind == query.ItemSpread:
				n.outputs = append(n.outputs, child.outputs...)
			case len(it.Children) > 0:
				n.outputs = append(n.outputs, key)
			}
		}
	}
	return nil
}

// outputName is the JSON key of a selected field.
func outputName(it query.SelectItem) string {
	if it.Alias != "" {
		return it.Alias
	}
	return it.Field.OutputName()
}

// relationship picks the one relationship an embed means, or answers
// PGRST200 (none) or PGRST201 (several).
func (b *builder) relationship(n *node, it query.SelectItem) (*schema.Relationship, error) {
	found := b.in.Cache.FindRelationships(n.rel.Name, it.Relation, it.Hint)
	// A relationship to another schema is named by its table alone, as
	// PostgREST does; prefer the request's own schema when both exist.
	var same []*schema.Relationship
	for _, r := range found {
		if r.Target.Schema == n.rel.Name.Schema {
			same = append(same, r)
		}
	}
	if len(same) > 0 {
		found = same
	}
	// O2O relationships appear twice when both sides are unique; keep one.
	found = dedupe(found)
	switch len(found) {
	case 0:
		return nil, noRelationship(n.label, it.Relation, n.rel.Name.Schema)
	case 1:
		return found[0], nil
	}
	details := make([]map[string]string, len(found))
	var hints []string
	for i, r := range found {
		details[i] = map[string]string{
			"cardinality":  string(r.Cardinality),
			"embedding":    n.label + " with " + it.Relation,
			"relationship": describe(r),
		}
		hint := r.Constraint
		if r.Junction != nil {
			hint = r.Junction.Name
		}
		hints = append(hints, fmt.Sprintf("'%s!%s'", it.Relation, hint))
	}
	return nil, newError(http.StatusMultipleChoices, "PGRST201",
		fmt.Sprintf("Could not embed because more than one relationship was found for '%s' and '%s'", n.label, it.Relation),
		details,
		fmt.Sprintf("Try changing '%s' to one of the following: %s. Find the desired relationship in the 'details' key.",
			it.Relation, strings.Join(hints, ", ")))
}

func dedupe(rs []*schema.Relationship) []*schema.Relationship {
	var out []*schema.Relationship
	seen := map[string]bool{}
	for _, r := range rs {
		k := r.Constraint + "\x00" + string(r.Cardinality) + "\x00" + strings.Join(r.SourceColumns, ",")
		if r.Junction != nil {
			k += "\x00" + r.Junction.String() + r.JunctionSourceFK
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

func describe(r *schema.Relationship) string {
	if r.Junction != nil {
		return fmt.Sprintf("%s using %s(%s) and %s(%s)", r.Junction.String(), r.JunctionSourceFK,
			strings.Join(r.JunctionSource, ", "), r.JunctionTargetFK, strings.Join(r.JunctionTarget, ", "))
	}
	src, tgt := r.Source, r.Target
	if r.Cardinality == schema.OneToMany {
		src, tgt = tgt, src
		return fmt.Sprintf("%s using %s(%s) and %s(%s)", r.Constraint, src.String(), strings.Join(r.TargetColumns, ", "),
			tgt.String(), strings.Join(r.SourceColumns, ", "))
	}
	return fmt.Sprintf("%s using %s(%s) and %s(%s)", r.Constraint, src.String(), strings.Join(r.SourceColumns, ", "),
		tgt.String(), strings.Join(r.TargetColumns, ", "))
}

func noRelationship(from, to, schemaName string) *Error {
	return newError(http.StatusBadRequest, "PGRST200",
		fmt.Sprintf("Could not find a relationship between '%s' and '%s' in the schema cache", from, to),
		fmt.Sprintf("Searched for a foreign key relationship between '%s' and '%s' in the schema '%s', but no matches were found.", from, to, schemaName),
		"")
}

// find walks an embed path (aliases or relation names) from root.
func (b *builder) find(root *node, path []string) (*node, error) {
	n := root
	for _, name := range path {
		e := n.embed(name)
		if e == nil {
			return nil, newError(http.StatusBadRequest, "PGRST108",
				fmt.Sprintf("'%s' is not an embedded resource in this request", name), nil,
				fmt.Sprintf("Verify that '%s' is included in the 'select' query parameter.", name))
		}
		n = e.node
	}
	return n, nil
}

// embed finds a direct embed by alias first, then by relation name.
func (n *node) embed(name string) *embed {
	for _, e := range n.embeds {
		if e.key == name {
			return e
		}
	}
	for _, e := range n.embeds {
		if e.item.Relation == name {
			return e
		}
	}
	return nil
}

// closest returns the candidate nearest to name, when it is near enough
// to be a likely typo.
func closest(name string, candidates []string) string {
	best, bestD := "", len(name)/2+2
	for _, c := range candidates {
		if d := levenshtein(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
