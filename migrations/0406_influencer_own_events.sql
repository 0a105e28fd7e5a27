-- Users read their own Influencer events (trial_started, trial_expired,
-- onboarding_completed, usage_reset ...) through influencer.events.
--
-- events.events lets only platform admins and the service role read
-- (0021). influencer.events is a security_invoker view over it, so a brand
-- saw none of its own trial history. The narrowest change is one more
-- permissive SELECT policy on events.events, limited to:
--   * events this product appended: idempotency_key starting
--     'influencer:' (0401 keys every event influencer:<event>:<user_id>...;
--     only SECURITY DEFINER triggers and the service role can append), and
--   * of this product's user aggregates ('user', 'onboarding'), and
--   * whose aggregate is the caller: aggregate_id = auth.uid().
-- Other products' events (other key prefixes), other users' events and
-- anon (no grant at all) are unchanged. The policy is OR'ed with
-- events_select_admin. Users still cannot insert, update or delete.

-- +goose Up
create policy events_select_own_influencer on events.events for select to authenticated
  using (
    aggregate_id = ((select auth.uid()))::text
    and aggregate_type in ('user', 'onboarding')
    and starts_with(idempotency_key, 'influencer:')
  );
comment on policy events_select_own_influencer on events.events is
  'Influencer (0406): a user reads the events of their own influencer profile (keys influencer:..., aggregate user/onboarding = auth.uid()).';
comment on view influencer.events is 'Seed 004 events, read-only, over events.events: the events this product appended (keys influencer:...). A user sees their own (0406); admins and the service role see all.';

-- +goose Down
drop policy if exists events_select_own_influencer on events.events;
comment on view influencer.events is 'Seed 004 events, read-only, over events.events: the events this product appended (keys influencer:...). Admins and the service role.';
