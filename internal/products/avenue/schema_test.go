package avenue_test

import (
	"testing"
)

func TestSeedData(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var categories, skills, genres, subGenres int
	b.OwnerScan(t, `select (select count(*) from producers_avenue.categories),
		(select count(*) from producers_avenue.skills),
		(select count(*) from producers_avenue.genres),
		(select count(*) from producers_avenue.genres where parent_genre_id is not null)`, nil,
		&categories, &skills, &genres, &subGenres)
	if categories != 8 || skills < 100 || genres < 50 || subGenres < 30 {
		t.Fatalf("categories %d (want 8), skills %d (want 100+), genres %d (want 50+), sub-genres %d", categories, skills, genres, subGenres)
	}
	var unassigned int
	b.OwnerScan(t, `select count(*) from producers_avenue.categories c
		where not exists (select 1 from producers_avenue.skills s where s.category_id = c.id)`, nil, &unassigned)
	if unassigned != 0 {
		t.Fatalf("%d categories without skills", unassigned)
	}
}

func TestSignupMakesProfileSubscriptionWallet(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var username, tier, status string
	var balance int
	b.OwnerScan(t, `select p.username, s.tier, s.status, w.balance_available
		from producers_avenue.user_profiles p
		join producers_avenue.subscriptions s using (user_id)
		join producers_avenue.wallets w using (user_id) where p.user_id = $1`, []any{b.alice}, &username, &tier, &status, &balance)
	if username != "alice_beats" || tier != "basic" || status != "active" || balance != 0 {
		t.Fatalf("got %s %s %s %d", username, tier, status, balance)
	}
	// A taken username gets a suffix instead of failing the signup.
	other := b.NewUserMeta(t, "alice@elsewhere.example", `{"username": "alice_beats"}`)
	b.OwnerScan(t, `select username from producers_avenue.user_profiles where user_id = $1`, []any{other}, &username)
	if username == "alice_beats" || len(username) < 12 {
		t.Fatalf("second alice_beats got %q", username)
	}
}
