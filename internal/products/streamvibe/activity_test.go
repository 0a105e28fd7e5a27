package streamvibe_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// activity returns kind:count of who's StreamVibe rows in view (one of
// public.my_activity, streamvibe.my_activity), sorted by kind.
func (b *testBundle) activity(t *testing.T, who, view string) string {
	t.Helper()
	return b.ActivityKinds(t, who, view, "streamvibe")
}

func TestMyActivity(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.connect(t, b.alice, "youtube")

	// A fresh user has no StreamVibe activity (signup rows are not activity).
	if got := b.activity(t, b.alice, "public.my_activity"); got != "" {
		t.Fatalf("fresh alice: %s", got)
	}

	// Two fields edited by hand: two content_edited rows.
	b.MustExec(t, user(b.alice), `update streamvibe.content_item set title = 'Pasta', description = 'Quick' where id = $1`, c.item)
	// A sync by the service role writes revisions attributed to alice, but
	// they are not her doing.
	err := b.Runner.Do(context.Background(), service(), func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `select set_config('streamvibe.change_source', 'sync', true)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `update streamvibe.content_item set category = 'Food' where id = $1`, c.item)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// An applied suggestion (title and tags) is one row, not one per field.
	s := b.suggest(t, c.item)
	b.MustScan(t, user(b.alice), `select (streamvibe.apply_ai_suggestion($1, '{title,tags}')).id`, []any{s}, new(string))
	// Reverting the manual title edit.
	rev := b.OwnerString(t, `select id::text from streamvibe.content_revision
		where content_item_id = $1 and field_name = 'title' and change_source = 'manual'`, c.item)
	b.MustScan(t, user(b.alice), `select (streamvibe.revert_content_revision($1)).id`, []any{rev}, new(string))

	const want = "content_edited:2 revision_reverted:1 suggestion_applied:1"
	for _, view := range []string{"public.my_activity", "streamvibe.my_activity"} {
		if got := b.activity(t, b.alice, view); got != want {
			t.Fatalf("alice's %s: %s, want %s", view, got, want)
		}
	}
	var details string
	b.MustScan(t, user(b.alice), `select details::text from public.my_activity where kind = 'suggestion_applied' and entity_id = $1`,
		[]any{s}, &details)
	if want := `{"fields": ["tags", "title"], "version": 1, "content_item_id": "` + c.item + `"}`; details != want {
		t.Fatalf("suggestion_applied details %s, want %s", details, want)
	}
	// The other branches are still there.
	if n := b.OwnerInt(t, `select count(*) from pg_views where schemaname = 'public' and viewname = 'my_activity'
		and definition like '%creatorpulse.my_activity%' and definition like '%streamvibe.my_activity%' and definition like '%tenant_joined%'`); n != 1 {
		t.Fatalf("public.my_activity lost a branch")
	}

	// Another user and an admin (who may read every revision) see only their own.
	for _, who := range []string{b.bob, b.admin} {
		if got := b.activity(t, who, "public.my_activity"); got != "" {
			t.Fatalf("%s sees %s", who, got)
		}
	}
	// Once the item is soft-deleted its history leaves the timeline.
	b.MustScan(t, user(b.alice), `select streamvibe.soft_delete_content_item($1)`, []any{c.item}, new(any))
	if got := b.activity(t, b.alice, "public.my_activity"); got != "" {
		t.Fatalf("alice after soft delete: %s", got)
	}
	_, err = b.Exec(anon(), true, `select 1 from streamvibe.my_activity`)
	wantState(t, err, "42501", "anon streamvibe.my_activity")
}
