// Package schema is the Data API's schema cache: the relations, columns,
// keys, relationships and functions of the exposed schemas, read from the
// PostgreSQL catalog. Identifiers in generated SQL come only from here.
package schema

import (
	"sort"
	"strings"
)

// Name is a schema-qualified name.
type Name struct {
	Schema string
	Name   string
}

func (n Name) String() string { return n.Schema + "." + n.Name }

// Column is one column of a relation.
type Column struct {
	Name        string
	Position    int
	Type        string // format_type, e.g. "text", "character varying(255)", "integer[]"
	BaseType    string // the element or domain base type name, e.g. "int4", "jsonb"
	Nullable    bool
	Default     string // the default expression, "" when none
	Generated   bool   // a generated or identity-always column
	Description string
}

// Relation is a table, view, materialized view or foreign table.
type Relation struct {
	Name        Name
	Kind        string // "table", "view", "materialized_view", "foreign_table", "partitioned_table"
	Columns     []*Column
	PrimaryKey  []string
	Uniques     [][]string // unique constraints and unique indexes, primary key excluded
	Insertable  bool
	Updatable   bool
	Deletable   bool
	Description string

	byName map[string]*Column
}

// Column returns the named column, or nil.
func (r *Relation) Column(name string) *Column { return r.byName[name] }

// IsView reports whether the relation is a view of any kind.
func (r *Relation) IsView() bool { return r.Kind == "view" || r.Kind == "materialized_view" }

// hasUnique reports whether cols are exactly the primary key or a unique set.
func (r *Relation) hasUnique(cols []string) bool {
	key := setKey(cols)
	if len(r.PrimaryKey) > 0 && setKey(r.PrimaryKey) == key {
		return true
	}
	for _, u := range r.Uniques {
		if setKey(u) == key {
			return true
		}
	}
	return false
}

// Cardinality of a relationship, as PostgREST names them.
type Cardinality string

// The cardinalities.
const (
	ManyToOne  Cardinality = "many-to-one"
	OneToMany  Cardinality = "one-to-many"
	OneToOne   Cardinality = "one-to-one"
	ManyToMany Cardinality = "many-to-many"
)

// Relationship leads from Source to Target. For many-to-many it passes
// through Junction: Source.SourceColumns = Junction.JunctionSource and
// Junction.JunctionTarget = Target.TargetColumns.
type Relationship struct {
	Source        Name
	Target        Name
	Cardinality   Cardinality
	Constraint    string // the foreign key's name (for !hint); for M2M, the target-side one
	SourceColumns []string
	TargetColumns []string

	Junction         *Name
	JunctionSource   []string // junction columns referencing Source
	JunctionTarget   []string // junction columns referencing Target
	JunctionSourceFK string
	JunctionTargetFK string
}

// ToOne reports whether the target is at most one row.
func (r *Relationship) ToOne() bool { return r.Cardinality == ManyToOne || r.Cardinality == OneToOne }

// Arg is one argument of a function.
type Arg struct {
	Name       string
	Type       string
	HasDefault bool
	Variadic   bool
}

// Function is one overload of a callable function.
type Function struct {
	Name        Name
	Args        []Arg // IN, INOUT and VARIADIC arguments, in order
	ReturnType  string
	ReturnsSet  bool
	ReturnsRow  Name   // the composite type's relation when it returns rows of a table or view
	ReturnsComp bool   // returns a composite (row) type
	Volatility  string // "immutable", "stable", "volatile"
	Description string
	// Outputs are the columns of the rows it returns when they are not a
	// table's or view's: OUT/INOUT/TABLE parameters, or the attributes of
	// a composite type.
	Outputs []Arg
}

// IsVoid reports whether the function returns nothing.
func (f *Function) IsVoid() bool { return f.ReturnType == "void" }

// Cache is a snapshot of the exposed schemas.
type Cache struct {
	Schemas       []string
	Relations     map[Name]*Relation
	Functions     map[Name][]*Function
	relationships map[Name][]*Relationship
}

// Relation returns a relation, or nil.
func (c *Cache) Relation(schema, name string) *Relation { return c.Relations[Name{schema, name}] }

// Relationships returns every relationship leaving a relation.
func (c *Cache) Relationships(from Name) []*Relationship { return c.relationships[from] }

// Exposed reports whether a schema is exposed.
func (c *Cache) Exposed(schema string) bool {
	for _, s := range c.Schemas {
		if s == schema {
			return true
		}
	}
	return false
}

// FindRelationships returns the relationships from one relation to another
// matching hint: empty, a foreign key name, a column of the source or the
// target that the key uses, or (for M2M) a junction table name.
func (c *Cache) FindRelationships(from Name, to string, hint string) []*Relationship {
	var out []*Relationship
	for _, r := range c.relationships[from] {
		if r.Target.Name != to {
			continue
		}
		if hint == "" || matchesHint(r, hint) {
			out = append(out, r)
		}
	}
	return out
}

func matchesHint(r *Relationship, hint string) bool {
	if r.Constraint == hint || r.JunctionSourceFK == hint {
		return true
	}
	if r.Junction != nil && r.Junction.Name == hint {
		return true
	}
	cols := append(append([]string{}, r.SourceColumns...), r.TargetColumns...)
	if r.Cardinality != ManyToMany {
		for _, c := range cols {
			if c == hint {
				return true
			}
		}
	}
	return false
}

func setKey(cols []string) string {
	s := append([]string(nil), cols...)
	sort.Strings(s)
	return strings.Join(s, "\x00")
}

// NewRelation builds a relation from columns, for row types that are not
// relations of their own (a function's OUT parameters, a composite type).
func NewRelation(name Name, kind string, columns []*Column) *Relation {
	r := &Relation{Name: name, Kind: kind, Columns: columns, byName: map[string]*Column{}}
	for _, c := range columns {
		r.byName[c.Name] = c
	}
	return r
}

// NewCache builds a cache from parts, for tests and tools that do not read
// a catalog: relationships are derived from the foreign keys as Load does.
func NewCache(schemas []string, relations []*Relation, functions []*Function, fks []ForeignKey) *Cache {
	c := &Cache{Schemas: schemas, Relations: map[Name]*Relation{}, Functions: map[Name][]*Function{},
		relationships: map[Name][]*Relationship{}}
	for _, r := range relations {
		if r.byName == nil {
			r.byName = map[string]*Column{}
			for _, col := range r.Columns {
				r.byName[col.Name] = col
			}
		}
		c.Relations[r.Name] = r
	}
	for _, f := range functions {
		c.Functions[f.Name] = append(c.Functions[f.Name], f)
	}
	c.buildRelationships(fks)
	return c
}
