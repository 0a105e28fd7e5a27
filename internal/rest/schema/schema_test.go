package schema_test

import (
	"context"
	"os"
	"testing"

	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

const fixture = `
create schema shop;
create table shop.authors (id bigint generated always as identity primary key, name text not null);
comment on table shop.authors is 'People who write';
create table shop.profiles (author_id bigint unique references shop.authors(id), bio text default 'none');
create table shop.books (id bigint primary key, title text not null, author_id bigint references shop.authors(id),
  editor_id bigint constraint books_editor_fkey references shop.authors(id), tags text[], meta jsonb);
create table shop.tags (id int primary key, label text unique);
create table shop.book_tags (book_id bigint references shop.books(id), tag_id int references shop.tags(id), primary key (book_id, tag_id));
create view shop.recent_books as select id, title, author_id from shop.books;
create function shop.add(a int, b int default 1) returns int language sql immutable as 'select a + b';
create function shop.books_by(author bigint) returns setof shop.books language sql stable as 'select * from shop.books where author_id = author';
create function shop.touch(payload json) returns void language sql volatile as 'select';
create function shop.outy(x int, out y int, out z int) language sql as 'select x, x';
`

func load(t *testing.T) *schema.Cache {
	t.Helper()
	db := dbtest.New(t)
	ctx := context.Background()
	if _, err := db.Owner(t).Exec(ctx, fixture); err != nil {
		t.Fatal(err)
	}
	c, err := schema.Load(ctx, db.Authenticator(t), []string{"shop"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoad(t *testing.T) {
	t.Parallel()
	c := load(t)

	t.Run("RelationsAndColumns", func(t *testing.T) {
		books := c.Relation("shop", "books")
		if books == nil || books.Kind != "table" || len(books.Columns) != 6 {
			t.Fatalf("books: %+v", books)
		}
		if col := books.Column("tags"); col == nil || col.Type != "text[]" || !col.Nullable {
			t.Fatalf("tags column: %+v", col)
		}
		if col := c.Relation("shop", "authors").Column("id"); !col.Generated {
			t.Fatal("identity always column not marked generated")
		}
		if got := c.Relation("shop", "profiles").Column("bio").Default; got != "'none'::text" {
			t.Fatalf("default %q", got)
		}
		if c.Relation("shop", "authors").Description != "People who write" {
			t.Fatal("description lost")
		}
		v := c.Relation("shop", "recent_books")
		if v == nil || !v.IsView() || !v.Insertable || !v.Updatable {
			t.Fatalf("auto-updatable view: %+v", v)
		}
		if pk := c.Relation("shop", "book_tags").PrimaryKey; len(pk) != 2 || pk[0] != "book_id" {
			t.Fatalf("composite key %v", pk)
		}
	})

	t.Run("Relationships", func(t *testing.T) {
		books := schema.Name{Schema: "shop", Name: "books"}
		authors := schema.Name{Schema: "shop", Name: "authors"}
		if got := c.FindRelationships(books, "authors", ""); len(got) != 2 {
			t.Fatalf("books → authors: %d relationships, want 2 (author and editor)", len(got))
		}
		got := c.FindRelationships(books, "authors", "books_editor_fkey")
		if len(got) != 1 || got[0].Cardinality != schema.ManyToOne || got[0].SourceColumns[0] != "editor_id" {
			t.Fatalf("by constraint hint: %+v", got)
		}
		if got := c.FindRelationships(books, "authors", "author_id"); len(got) != 1 {
			t.Fatalf("by column hint: %d", len(got))
		}
		back := c.FindRelationships(authors, "books", "books_editor_fkey")
		if len(back) != 1 || back[0].Cardinality != schema.OneToMany {
			t.Fatalf("authors → books: %+v", back)
		}
		one := c.FindRelationships(authors, "profiles", "")
		if len(one) != 1 || one[0].Cardinality != schema.OneToOne || !one[0].ToOne() {
			t.Fatalf("one-to-one: %+v", one)
		}
		m2m := c.FindRelationships(books, "tags", "")
		if len(m2m) != 1 || m2m[0].Cardinality != schema.ManyToMany || m2m[0].Junction.Name != "book_tags" {
			t.Fatalf("many-to-many: %+v", m2m)
		}
		if got := c.FindRelationships(books, "tags", "book_tags"); len(got) != 1 {
			t.Fatal("junction hint")
		}
		view := c.FindRelationships(schema.Name{Schema: "shop", Name: "recent_books"}, "authors", "")
		if len(view) != 1 || view[0].Constraint != "books_author_id_fkey" {
			t.Fatalf("view relationships: %+v", view)
		}
		if got := c.FindRelationships(authors, "recent_books", ""); len(got) != 1 {
			t.Fatalf("relationship into the view: %d", len(got))
		}
	})

	t.Run("Functions", func(t *testing.T) {
		add := c.Functions[schema.Name{Schema: "shop", Name: "add"}]
		if len(add) != 1 || len(add[0].Args) != 2 || add[0].Args[1].HasDefault != true || add[0].Args[0].HasDefault ||
			add[0].Volatility != "immutable" || add[0].ReturnType != "integer" {
			t.Fatalf("add: %+v", add[0])
		}
		by := c.Functions[schema.Name{Schema: "shop", Name: "books_by"}][0]
		if !by.ReturnsSet || by.ReturnsRow.Name != "books" || !by.ReturnsComp {
			t.Fatalf("books_by: %+v", by)
		}
		out := c.Functions[schema.Name{Schema: "shop", Name: "outy"}][0]
		if len(out.Args) != 1 || out.Args[0].Name != "x" {
			t.Fatalf("out parameters counted as inputs: %+v", out.Args)
		}
	})
}
