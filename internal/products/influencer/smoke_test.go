package influencer_test

import "testing"

func TestSchemaApplies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if n := b.ownerInt(t, "select count(*) from influencer.subscription_plans"); n != 4 {
		t.Fatalf("plans %d", n)
	}
}
