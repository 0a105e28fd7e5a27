package streamvibe_test

import (
	"strings"
	"testing"
)

// suggest writes an AI suggestion for item as the service role.
func (b *testBundle) suggest(t *testing.T, item string) string {
	t.Helper()
	var id string
	b.MustScan(t, service(), `insert into streamvibe.ai_suggestion (content_item_id, provider_id, suggested_titles, suggested_description, suggested_tags, seo_score)
		select $1, id, '{"Weeknight pasta in 15 minutes","Pasta like Nonna"}', 'Fast, cheap and good.', '{pasta,weeknight,recipe}', 80
		from streamvibe.ai_provider where slug = 'local' returning id`, []any{item}, &id)
	return id
}

func TestApplySuggestion(t *testing.T) {
	t.Parallel()

	t.Run("AppliesChosenFieldsWithRevisions", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.connect(t, b.alice, "youtube")
		s := b.suggest(t, c.item)
		var title string
		b.MustScan(t, user(b.alice), `select (streamvibe.apply_ai_suggestion($1, '{title,tags}', 2)).title`, []any{s}, &title)
		if title != "Pasta like Nonna" {
			t.Fatalf("title %q", title)
		}
		if got := b.OwnerString(t, `select tags::text from streamvibe.content_item where id = $1`, c.item); got != "{pasta,weeknight,recipe}" {
			t.Fatalf("tags %s", got)
		}
		if got := b.OwnerString(t, `select description from streamvibe.content_item where id = $1`, c.item); got != "A quick weeknight recipe" {
			t.Fatalf("description changed: %s", got)
		}
		if got := b.OwnerString(t, `select string_agg(field_name || ':' || old_value || '>' || new_value || ':' || change_source || ':' || user_id, ' ' order by field_name)
			from streamvibe.content_revision where content_item_id = $1`, c.item); got !=
			"tags:{pasta,cooking}>{pasta,weeknight,recipe}:ai_suggestion:"+b.alice+" title:Cooking pasta at home>Pasta like Nonna:ai_suggestion:"+b.alice {
			t.Fatalf("revisions %s", got)
		}
		if got := b.OwnerString(t, `select string_agg(applied_field || '=' || applied_value, ' ' order by applied_field)
			from streamvibe.ai_suggestion_application where suggestion_id = $1 and applied_by_user_id = $2`, s, b.alice); got !=
			"tags={pasta,weeknight,recipe} title=Pasta like Nonna" {
			t.Fatalf("applications %s", got)
		}
		if n := b.OwnerInt(t, `select count(*) from streamvibe.ai_suggestion where id = $1 and is_applied and applied_at is not null`, s); n != 1 {
			t.Fatalf("suggestion not marked applied")
		}
		_, err := b.Exec(user(b.alice), false, `select streamvibe.apply_ai_suggestion($1)`, s)
		wantState(t, err, "PT409", "applying twice")
	})

	t.Run("AllOrNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.connect(t, b.alice, "youtube")
		s := b.suggest(t, c.item)
		// title and description are applied before the unknown field is met.
		_, err := b.Exec(user(b.alice), false, `select streamvibe.apply_ai_suggestion($1, '{title,description,thumbnail}')`, s)
		e := wantState(t, err, "22023", "unknown field")
		if e.ColumnName != "fields" || !strings.Contains(e.Message, "thumbnail") {
			t.Fatalf("column %q message %q", e.ColumnName, e.Message)
		}
		_, err = b.Exec(user(b.alice), false, `select streamvibe.apply_ai_suggestion($1, '{description,title}', 9)`, s)
		wantState(t, err, "22023", "title index out of range")
		if got := b.OwnerString(t, `select title || '|' || description from streamvibe.content_item where id = $1`, c.item); got != "Cooking pasta at home|A quick weeknight recipe" {
			t.Fatalf("item changed: %s", got)
		}
		if n := b.OwnerInt(t, `select (select count(*) from streamvibe.content_revision where content_item_id = $1)
			+ (select count(*) from streamvibe.ai_suggestion_application where suggestion_id = $2)
			+ (select count(*) from streamvibe.ai_suggestion where id = $2 and is_applied)`, c.item, s); n != 0 {
			t.Fatalf("%d rows written by refused applications", n)
		}
		// Someone else's suggestion does not exist for bob.
		_, err = b.Exec(user(b.bob), false, `select streamvibe.apply_ai_suggestion($1)`, s)
		wantState(t, err, "PT404", "bob applies alice's suggestion")
	})
}

func TestRevisions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.connect(t, b.alice, "youtube")

	// A manual edit through the Data API's path writes revisions.
	b.MustExec(t, user(b.alice), `update streamvibe.content_item set title = 'Pasta, fast', tags = '{pasta}' where id = $1`, c.item)
	if got := b.OwnerString(t, `select string_agg(field_name || ':' || change_source, ' ' order by field_name)
		from streamvibe.content_revision where content_item_id = $1`, c.item); got != "tags:manual title:manual" {
		t.Fatalf("revisions %s", got)
	}
	// Views and other untracked columns write none.
	b.MustExec(t, service(), `update streamvibe.content_item set views_count = 10 where id = $1`, c.item)
	if n := b.OwnerInt(t, `select count(*) from streamvibe.content_revision where content_item_id = $1`, c.item); n != 2 {
		t.Fatalf("%d revisions, want 2", n)
	}

	var titleRev, tagsRev string
	b.OwnerScan(t, `select id from streamvibe.content_revision where content_item_id = $1 and field_name = 'title'`, []any{c.item}, &titleRev)
	b.OwnerScan(t, `select id from streamvibe.content_revision where content_item_id = $1 and field_name = 'tags'`, []any{c.item}, &tagsRev)

	// Bob cannot see or revert alice's revisions.
	var seen int
	b.MustScan(t, user(b.bob), `select count(*) from streamvibe.content_revision`, nil, &seen)
	if seen != 0 {
		t.Fatalf("bob sees %d revisions", seen)
	}
	_, err := b.Exec(user(b.bob), false, `select streamvibe.revert_content_revision($1)`, titleRev)
	wantState(t, err, "PT404", "bob reverts alice's revision")

	var title string
	b.MustScan(t, user(b.alice), `select (streamvibe.revert_content_revision($1)).title`, []any{titleRev}, &title)
	if title != "Cooking pasta at home" {
		t.Fatalf("reverted title %q", title)
	}
	b.MustExec(t, user(b.alice), `select streamvibe.revert_content_revision($1)`, tagsRev)
	if got := b.OwnerString(t, `select tags::text from streamvibe.content_item where id = $1`, c.item); got != "{pasta,cooking}" {
		t.Fatalf("reverted tags %s", got)
	}
	if got := b.OwnerString(t, `select string_agg(field_name, ' ' order by field_name) from streamvibe.content_revision
		where content_item_id = $1 and change_source = 'revert' and change_reason like 'revert of revision %'`, c.item); got != "tags title" {
		t.Fatalf("revert revisions %s", got)
	}
	// Revisions are history: nobody rewrites them.
	_, err = b.Exec(service(), false, `update streamvibe.content_revision set new_value = 'x' where id = $1`, titleRev)
	wantState(t, err, "42501", "service role rewrites a revision")
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.connect(t, b.alice, "youtube")

	cases := []struct {
		name, sql, state, column string
	}{
		{"UnknownContentType", `insert into streamvibe.content_item (social_account_id, content_type_id, platform_content_id)
			values ('{account}', gen_random_uuid(), 'v1')`, "23503", "content_item_content_type_id_fkey"},
		{"LinkedInIsNotStreamVibes", `insert into streamvibe.social_account (user_id, platform_id, account_name)
			select '{bob}', id, 'Bob' from public.platforms where slug = 'linkedin'`, "23503", "platform_id"},
		{"UnknownPlatform", `insert into streamvibe.platform_connection (user_id, platform_id, platform_user_id)
			values ('{bob}', gen_random_uuid(), 'x')`, "23503", "platform_id"},
		{"VaultNameThatDoesNotExist", `insert into streamvibe.platform_connection (user_id, platform_id, platform_user_id, vault_secret_name)
			select '{bob}', id, 'x', 'nope/missing' from streamvibe.platform where slug = 'tiktok'`, "23503", "vault_secret_name"},
		{"TitleTooLong", `update streamvibe.content_item set title = repeat('x', 501) where id = '{item}'`, "23514", "content_item_title_check"},
		{"BadSyncFrequency", `update streamvibe.user_setting set sync_frequency_hours = 0 where user_id = '{alice}'`, "23514", "user_setting_sync_frequency_hours_check"},
		{"ConnectionOfAnotherUser", `insert into streamvibe.social_account (user_id, connection_id, platform_id, account_name)
			select '{bob}', '{conn}', id, 'Stolen' from streamvibe.platform where slug = 'youtube'`, "23514", "connection_id"},
	}
	ids := strings.NewReplacer("{account}", c.account, "{bob}", b.bob, "{alice}", b.alice, "{item}", c.item, "{conn}", c.conn)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.Exec(service(), false, ids.Replace(tc.sql))
			e := wantState(t, err, tc.state, tc.name)
			if e.ColumnName != tc.column && e.ConstraintName != tc.column {
				t.Fatalf("names column %q constraint %q, want %q", e.ColumnName, e.ConstraintName, tc.column)
			}
		})
	}
	// Nothing was written by the refusals.
	if n := b.OwnerInt(t, `select (select count(*) from streamvibe.social_account where user_id = $1)
		+ (select count(*) from streamvibe.platform_connection where user_id = $1)
		+ (select count(*) from streamvibe.content_revision)`, b.bob); n != 0 {
		t.Fatalf("%d rows written by refused statements", n)
	}

	// The vault holds the token, the table only its name; deleting the
	// connection deletes the secret.
	var name, token string
	b.MustScan(t, service(), `select vault_secret_name, streamvibe.platform_connection_secret(id, $2) from streamvibe.platform_connection where id = $1`,
		[]any{c.conn, vaultKey}, &name, &token)
	if name != "streamvibe/platform_connection/"+c.conn || !strings.Contains(token, "ya29.secret") {
		t.Fatalf("vault name %q token %q", name, token)
	}
	_, err := b.Exec(user(b.alice), false, `select streamvibe.platform_connection_secret($1, $2)`, c.conn, vaultKey)
	wantState(t, err, "42501", "alice reads her token")
	b.MustExec(t, user(b.alice), `delete from streamvibe.platform_connection where id = $1`, c.conn)
	if n := b.OwnerInt(t, `select count(*) from system.vault_secrets where name = $1`, name); n != 0 {
		t.Fatalf("secret left in the vault")
	}
}
