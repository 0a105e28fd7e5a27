-- Producers Avenue money: a double-entry ledger in integer cents under the
-- seed's transactions, wallets and payouts.
--
-- Accounts (ledger_accounts.code):
--   user:<id>:pending | :available | :reserved   a seller's escrow, spendable
--                                               balance, and payouts in flight
--   processor:stripe | processor:paypal         money arriving from (negative)
--                                               or returned to the processors
--   fees:stripe | fees:paypal                   processing fees (paid by sellers)
--   platform:commission                         the platform's commission
--   payouts:sent                                money paid out to sellers
-- An account's balance is the sum of its entries; each ledger transaction's
-- entries sum to zero (a deferred constraint trigger checks at commit);
-- entries, journal and idempotency records are append-only. wallets'
-- balance_* columns are a cache kept by a trigger on ledger_entries, and
-- ledger_violations() lists every disagreement (tests, `creatorbase doctor`).
--
-- Money-moving functions, each SECURITY DEFINER with an empty search_path
-- and an idempotency key (Stripe semantics: same key + same parameters ->
-- the first result; same key + other parameters -> SQLSTATE PT409;
-- refused calls are not stored). An advisory lock on the key serialises
-- racing callers, then wallets are locked in user-id order.
--   record_purchase      service role (the payment webhook)
--   release_pending      service role / the periodic job (7-day hold)
--   request_payout       the seller (or service role): >= 5000 cents,
--                        <= available, no negative balance, payouts enabled
--   approve_payout       admins (or service role)
--   complete_payout      service role (the payout webhook)
--   fail_payout          service role or admins: the money returns
--   cancel_payout        the seller, while pending
--   refund_purchase      service role: refund or chargeback, reversing
--                        every entry, even into a negative balance

-- +goose Up

-- ============================================================== append-only
-- +goose StatementBegin
create function producers_avenue.ledger_append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'producers_avenue.% is append-only: rows cannot be %d', tg_table_name, lower(tg_op)
    using errcode = 'PT403', hint = 'Correct money with a new, reversing transaction.';
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.ledger_append_only() from public;
create trigger ledger_entries_append_only before update or delete on producers_avenue.ledger_entries
  for each row execute function producers_avenue.ledger_append_only();
create trigger ledger_transactions_append_only before update or delete on producers_avenue.ledger_transactions
  for each row execute function producers_avenue.ledger_append_only();
create trigger money_requests_append_only before update or delete on producers_avenue.money_requests
  for each row execute function producers_avenue.ledger_append_only();
create trigger ledger_entries_no_truncate before truncate on producers_avenue.ledger_entries
  for each statement execute function producers_avenue.ledger_append_only();
create trigger ledger_transactions_no_truncate before truncate on producers_avenue.ledger_transactions
  for each statement execute function producers_avenue.ledger_append_only();

-- ============================================================== balance at commit
-- +goose StatementBegin
create function producers_avenue.ledger_check_balanced() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  tx uuid;
  total bigint;
  n int;
begin
  if tg_table_name = 'ledger_entries' then
    tx := new.ledger_transaction_id;
  else
    tx := new.id;
  end if;
  select coalesce(sum(e.amount), 0), count(*) into total, n
    from producers_avenue.ledger_entries e where e.ledger_transaction_id = tx;
  if total <> 0 or n < 2 then
    raise exception 'ledger transaction % does not balance: % entries summing to % cents', tx, n, total
      using errcode = '23514';
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.ledger_check_balanced() from public;
create constraint trigger ledger_entries_balanced after insert on producers_avenue.ledger_entries
  deferrable initially deferred for each row execute function producers_avenue.ledger_check_balanced();
create constraint trigger ledger_transactions_have_entries after insert on producers_avenue.ledger_transactions
  deferrable initially deferred for each row execute function producers_avenue.ledger_check_balanced();

-- ============================================================== accounts and the wallet cache
-- +goose StatementBegin
create function producers_avenue.ledger_account(owner uuid, kind text) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  c text := case when owner is null then pg_catalog.replace(kind, '_', ':') else 'user:' || owner || ':' || pg_catalog.substr(kind, 6) end;
  id uuid;
begin
  select a.id into id from producers_avenue.ledger_accounts a where a.code = c;
  if id is null then
    insert into producers_avenue.ledger_accounts (code, user_id, kind) values (c, owner, kind)
    on conflict (code) do nothing;
    select a.id into id from producers_avenue.ledger_accounts a where a.code = c;
  end if;
  return id;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.ledger_account(uuid, text) from public;

insert into producers_avenue.ledger_accounts (code, kind) values
  ('processor:stripe', 'processor_stripe'), ('processor:paypal', 'processor_paypal'),
  ('fees:stripe', 'fees_stripe'), ('fees:paypal', 'fees_paypal'),
  ('platform:commission', 'platform_commission'), ('payouts:sent', 'payouts_sent');

-- A wallet gets its three accounts when it is made (at signup).
-- +goose StatementBegin
create function producers_avenue.wallets_after_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform producers_avenue.ledger_account(new.user_id, 'user_pending');
  perform producers_avenue.ledger_account(new.user_id, 'user_available');
  perform producers_avenue.ledger_account(new.user_id, 'user_reserved');
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.wallets_after_insert() from public;
create trigger wallets_after_insert after insert on producers_avenue.wallets
  for each row execute function producers_avenue.wallets_after_insert();

-- +goose StatementBegin
create function producers_avenue.ledger_entries_to_wallet() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  a producers_avenue.ledger_accounts;
begin
  select * into a from producers_avenue.ledger_accounts where id = new.account_id;
  if a.user_id is not null then
    update producers_avenue.wallets w
       set balance_pending = w.balance_pending + case when a.kind = 'user_pending' then new.amount else 0 end,
           balance_available = w.balance_available + case when a.kind = 'user_available' then new.amount else 0 end,
           balance_reserved = w.balance_reserved + case when a.kind = 'user_reserved' then new.amount else 0 end
     where w.user_id = a.user_id;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.ledger_entries_to_wallet() from public;
create trigger ledger_entries_to_wallet after insert on producers_avenue.ledger_entries
  for each row execute function producers_avenue.ledger_entries_to_wallet();

-- Post one balanced ledger transaction: accounts[i] gets amounts[i]; zero
-- amounts are skipped. Returns the journal id.
-- +goose StatementBegin
create function producers_avenue.ledger_post(kind text, idempotency_key text, accounts uuid[], amounts bigint[],
                                             transaction_id uuid default null, payout_id uuid default null, memo text default null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  tx uuid;
begin
  insert into producers_avenue.ledger_transactions (kind, idempotency_key, transaction_id, payout_id, memo)
  values (ledger_post.kind, ledger_post.idempotency_key, ledger_post.transaction_id, ledger_post.payout_id, ledger_post.memo)
  returning id into tx;
  insert into producers_avenue.ledger_entries (ledger_transaction_id, account_id, amount)
  select tx, a, m from unnest(accounts, amounts) as u(a, m) where m <> 0;
  return tx;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.ledger_post(text, text, uuid[], bigint[], uuid, uuid, text) from public;

-- Lock wallets in user-id order (no deadlocks between money calls).
-- +goose StatementBegin
create function producers_avenue.lock_wallets(variadic users uuid[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- PERFORM reads every row (a SQL function would stop at the first).
  perform 1 from producers_avenue.wallets w where w.user_id = any (users) order by w.user_id for update;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.lock_wallets(uuid[]) from public;

-- ============================================================== idempotency
-- The stored result for key, or null when the key is new. Takes the key's
-- advisory lock first, so racing calls with one key run one at a time and
-- the later ones find the first one's result.
-- +goose StatementBegin
create function producers_avenue.money_request_begin(key text, operation text, params jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r producers_avenue.money_requests;
begin
  if key is null or pg_catalog.char_length(key) not between 1 and 255 then
    raise exception 'an idempotency key (1 to 255 characters) is required' using errcode = '22023';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('producers_avenue.money:' || key, 0));
  select * into r from producers_avenue.money_requests m where m.idempotency_key = key;
  if not found then
    return null;
  end if;
  if r.operation <> operation or r.request_hash <> pg_catalog.md5(params::text) then
    raise exception 'idempotency key % was already used with different parameters', key
      using errcode = 'PT409', hint = 'Use a new idempotency key for a new request.';
  end if;
  return r.result;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.money_request_begin(text, text, jsonb) from public;

-- +goose StatementBegin
create function producers_avenue.money_request_finish(key text, operation text, params jsonb, result jsonb) returns jsonb
language sql
security definer
set search_path = ''
as $$
  insert into producers_avenue.money_requests (idempotency_key, operation, request_hash, result)
  values (key, operation, pg_catalog.md5(params::text), result)
  returning result
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.money_request_finish(text, text, jsonb, jsonb) from public;

-- The seller's tier for commission: partner accounts pay the ultimate
-- rate; a lapsed subscription pays the basic rate.
-- +goose StatementBegin
create function producers_avenue.commission_for(seller uuid, out tier text, out rate numeric, out version integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  cfg jsonb := coalesce(producers_avenue.config('commission_rates'), '{}');
  partner boolean;
begin
  select p.is_partner_account, case when s.status in ('active', 'past_due') then s.tier else 'basic' end
    into partner, tier
    from producers_avenue.user_profiles p left join producers_avenue.subscriptions s on s.user_id = p.user_id
   where p.user_id = seller;
  tier := case when partner then 'ultimate' else coalesce(tier, 'basic') end;
  rate := coalesce((cfg -> 'rates' ->> tier)::numeric,
                   case tier when 'ultimate' then 10 when 'premium' then 20 when 'standard' then 30 else 40 end);
  version := coalesce((cfg ->> 'version')::int, 0);
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.commission_for(uuid) from public;
grant execute on function producers_avenue.commission_for(uuid) to authenticated, service_role;

-- Half-up rounding of amount * basis points / 10000, in integers.
-- +goose StatementBegin
create function producers_avenue.bp_of(amount bigint, bp bigint) returns bigint
language sql
immutable
set search_path = ''
as $$
  select (amount * bp + 5000) / 10000
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.bp_of(bigint, bigint) from public;
grant execute on function producers_avenue.bp_of(bigint, bigint) to authenticated, service_role;

-- ============================================================== purchases
-- A buyer paid amount_cents for an item (product, service order or
-- webinar). Buyers pay the listed price only; the seller pays the
-- processor fee and the commission of their tier at sale time. The
-- seller's share waits in pending until the hold ends.
-- +goose StatementBegin
create function producers_avenue.record_purchase(
  idempotency_key text, buyer_id uuid, item_type text, item_id uuid, amount_cents integer,
  processor text, processor_ref jsonb default '{}'
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  params jsonb := pg_catalog.jsonb_build_object('buyer_id', buyer_id, 'item_type', item_type, 'item_id', item_id,
                    'amount_cents', amount_cents, 'processor', processor, 'processor_ref', coalesce(processor_ref, '{}'));
  prior jsonb;
  seller uuid;
  expected bigint;
  minimum bigint;
  fees jsonb := coalesce(producers_avenue.config('processor_fees'), '{}') -> processor;
  fee bigint := 0;
  c record;
  commission bigint := 0;
  share bigint;
  hold interval := coalesce((producers_avenue.config('escrow_hold') #>> '{}')::interval, interval '7 days');
  tx producers_avenue.transactions;
  ltx uuid;
  o producers_avenue.orders;
  w producers_avenue.webinars;
  p producers_avenue.products;
  result jsonb;
begin
  prior := producers_avenue.money_request_begin(idempotency_key, 'record_purchase', params);
  if prior is not null then
    return prior;
  end if;
  if processor not in ('stripe', 'paypal', 'wallet') then
    raise exception 'unknown payment processor %', processor using errcode = '22023', hint = 'Use stripe, paypal or wallet.';
  end if;
  if amount_cents is null or amount_cents < 0 then
    raise exception 'amount must be zero or more cents' using errcode = '22023';
  end if;

  if item_type = 'product' then
    select * into p from producers_avenue.products where id = item_id for update;
    if not found or p.status <> 'active' or not p.is_approved then
      raise exception 'product % is not on sale', item_id using errcode = '23514';
    end if;
    seller := p.seller_id;
    expected := p.price_cents;
    minimum := case when p.allow_name_your_price then (p.minimum_price * 100)::bigint end;
    if (minimum is null and amount_cents <> expected) or (minimum is not null and amount_cents < minimum) then
      raise exception 'amount % cents does not match the listed price (% cents)', amount_cents, coalesce(minimum, expected)
        using errcode = '23514', hint = 'Buyers pay the listed price.';
    end if;
  elsif item_type = 'service' then
    select * into o from producers_avenue.orders where id = item_id for update;
    if not found or o.buyer_id is distinct from record_purchase.buyer_id then
      raise exception 'order % does not belong to this buyer', item_id using errcode = '23514';
    end if;
    if o.transaction_id is not null or o.status <> 'pending' then
      raise exception 'order % is already paid or no longer pending', item_id using errcode = '23514';
    end if;
    seller := o.seller_id;
    if amount_cents <> o.package_price_cents then
      raise exception 'amount % cents does not match the package price (% cents)', amount_cents, o.package_price_cents
        using errcode = '23514';
    end if;
  elsif item_type = 'webinar' then
    select * into w from producers_avenue.webinars where id = item_id;
    if not found then
      raise exception 'no such webinar' using errcode = '23514';
    end if;
    seller := w.host_id;
    if amount_cents <> w.price_cents then
      raise exception 'amount % cents does not match the ticket price (% cents)', amount_cents, w.price_cents
        using errcode = '23514';
    end if;
  else
    raise exception 'unknown item type %', item_type using errcode = '22023', hint = 'Use product, service or webinar.';
  end if;
  if seller is null or seller = buyer_id then
    raise exception 'buyer and seller must be different people' using errcode = '23514';
  end if;

  perform producers_avenue.lock_wallets(buyer_id, seller);
  if processor = 'wallet' and amount_cents > (select w2.balance_available from producers_avenue.wallets w2 where w2.user_id = buyer_id) then
    raise exception 'wallet balance is too low for % cents', amount_cents using errcode = '23514';
  end if;

  if amount_cents > 0 then
    fee := producers_avenue.bp_of(amount_cents, coalesce((fees ->> 'percent_bp')::bigint, 0)) + coalesce((fees ->> 'fixed_cents')::bigint, 0);
  end if;
  select * into c from producers_avenue.commission_for(seller);
  commission := producers_avenue.bp_of(amount_cents, (c.rate * 100)::bigint);
  share := amount_cents - fee - commission;
  if share < 0 then
    raise exception 'a sale of % cents does not cover its fees (% cents) and commission (% cents)', amount_cents, fee, commission
      using errcode = '23514', hint = 'Raise the price.';
  end if;

  insert into producers_avenue.transactions (buyer_id, seller_id, transaction_type, related_id, amount_total, amount_fees,
    amount_commission, amount_seller, commission_rate, seller_tier, fee_schedule_version, payment_processor, payment_method,
    stripe_payment_intent_id, stripe_charge_id, paypal_transaction_id, paypal_order_id, status, completed_at, available_at,
    idempotency_key, metadata)
  values (buyer_id, seller, case item_type when 'product' then 'product_purchase' when 'service' then 'service_purchase' else 'webinar_registration' end,
    item_id, amount_cents, fee, commission, share, c.rate, c.tier, c.version, processor,
    case processor when 'stripe' then 'card' when 'paypal' then 'paypal' else 'wallet_balance' end,
    processor_ref ->> 'stripe_payment_intent_id', processor_ref ->> 'stripe_charge_id',
    processor_ref ->> 'paypal_transaction_id', processor_ref ->> 'paypal_order_id',
    'completed', pg_catalog.now(), pg_catalog.now() + hold, idempotency_key,
    pg_catalog.jsonb_build_object('processor_fees', fees))
  returning * into tx;

  if amount_cents > 0 then
    ltx := producers_avenue.ledger_post('purchase', idempotency_key,
      array[case when processor = 'wallet' then producers_avenue.ledger_account(buyer_id, 'user_available')
                 else producers_avenue.ledger_account(null, 'processor_' || processor) end,
            case when processor = 'wallet' then null else producers_avenue.ledger_account(null, 'fees_' || processor) end,
            producers_avenue.ledger_account(null, 'platform_commission'),
            producers_avenue.ledger_account(seller, 'user_pending')],
      array[-amount_cents, fee, commission, share]::bigint[], tx.id);
  else
    update producers_avenue.transactions set released_at = pg_catalog.now() where id = tx.id;
  end if;

  update producers_avenue.wallets set
    total_earned_stripe = total_earned_stripe + case when processor = 'stripe' then share else 0 end,
    total_earned_paypal = total_earned_paypal + case when processor = 'paypal' then share else 0 end,
    total_earned = total_earned + share
  where user_id = seller;
  if processor = 'wallet' then
    update producers_avenue.wallets set total_spent_on_platform = total_spent_on_platform + amount_cents where user_id = buyer_id;
  end if;

  if item_type = 'product' then
    update producers_avenue.products set purchases_count = purchases_count + 1 where id = item_id;
  elsif item_type = 'service' then
    update producers_avenue.orders set transaction_id = tx.id where id = item_id;
  else
    insert into producers_avenue.webinar_registrations (webinar_id, user_id, payment_status)
    values (item_id, buyer_id, 'paid')
    on conflict (webinar_id, user_id) do update set payment_status = 'paid';
  end if;
  perform producers_avenue.notify(seller, 'sale', 'New sale', 'You sold ' || item_type || ' for ' || amount_cents || ' cents.', null, buyer_id, tx.id);

  result := pg_catalog.jsonb_build_object('transaction_id', tx.id, 'ledger_transaction_id', ltx,
    'amount_total', amount_cents, 'amount_fees', fee, 'amount_commission', commission, 'amount_seller', share,
    'commission_rate', c.rate, 'seller_tier', c.tier, 'available_at', tx.available_at);
  return producers_avenue.money_request_finish(idempotency_key, 'record_purchase', params, result);
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.record_purchase(text, uuid, text, uuid, integer, text, jsonb) from public;
grant execute on function producers_avenue.record_purchase(text, uuid, text, uuid, integer, text, jsonb) to service_role;

-- ============================================================== release
-- Move seller shares whose hold ended by as_of from pending to available,
-- up to max_rows sales per call, one journal entry each. Sales locked by a
-- concurrent refund or release are skipped (the next run takes them).
-- +goose StatementBegin
create function producers_avenue.release_pending(idempotency_key text, as_of timestamptz default null, max_rows integer default 1000)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  at timestamptz := coalesce(as_of, pg_catalog.now());
  params jsonb := pg_catalog.jsonb_build_object('as_of', as_of, 'max_rows', max_rows);
  prior jsonb;
  t record;
  due uuid[];
  sellers uuid[];
  n int := 0;
  cents bigint := 0;
begin
  prior := producers_avenue.money_request_begin(idempotency_key, 'release_pending', params);
  if prior is not null then
    return prior;
  end if;
  -- Lock the due sales (skipping those a refund holds), then their
  -- sellers' wallets in id order, then move the money.
  select pg_catalog.array_agg(d.id order by d.id), pg_catalog.array_agg(distinct d.seller_id)
    into due, sellers
    from (select x.id, x.seller_id from producers_avenue.transactions x
           where x.status = 'completed' and x.released_at is null and x.available_at <= at
             and x.transaction_type in ('product_purchase', 'service_purchase', 'webinar_registration')
           order by x.available_at
           limit max_rows
           for update skip locked) d;
  if due is not null then
    perform producers_avenue.lock_wallets(variadic sellers);
  end if;
  for t in select x.id, x.seller_id, x.amount_seller from producers_avenue.transactions x
            where x.id = any (coalesce(due, '{}')) order by x.available_at loop
    if t.amount_seller > 0 then
      perform producers_avenue.ledger_post('release', idempotency_key,
        array[producers_avenue.ledger_account(t.seller_id, 'user_pending'), producers_avenue.ledger_account(t.seller_id, 'user_available')],
        array[-t.amount_seller, t.amount_seller]::bigint[], t.id);
    end if;
    update producers_avenue.transactions set released_at = pg_catalog.now() where id = t.id;
    n := n + 1;
    cents := cents + t.amount_seller;
  end loop;
  return producers_avenue.money_request_finish(idempotency_key, 'release_pending', params,
    pg_catalog.jsonb_build_object('released_count', n, 'released_cents', cents));
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.release_pending(text, timestamptz, integer) from public;
grant execute on function producers_avenue.release_pending(text, timestamptz, integer) to service_role;

-- ============================================================== payouts
-- +goose StatementBegin
create function producers_avenue.request_payout(idempotency_key text, user_id uuid, amount_cents integer, method text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  params jsonb := pg_catalog.jsonb_build_object('user_id', user_id, 'amount_cents', amount_cents, 'method', method);
  prior jsonb;
  minimum int := coalesce((producers_avenue.config('min_payout_cents') #>> '{}')::int, 5000);
  w producers_avenue.wallets;
  po producers_avenue.payouts;
  ltx uuid;
begin
  if coalesce(auth.role(), '') <> 'service_role' and request_payout.user_id is distinct from (select auth.uid())
     and pg_catalog.current_setting('request.jwt.claims', true) is not null and pg_catalog.current_setting('request.jwt.claims', true) <> '' then
    raise exception 'you can request payouts of your own wallet only' using errcode = '42501';
  end if;
  prior := producers_avenue.money_request_begin(idempotency_key, 'request_payout', params);
  if prior is not null then
    return prior;
  end if;
  if amount_cents is null or amount_cents < minimum then
    raise exception 'payouts start at % cents; % cents requested', minimum, coalesce(amount_cents, 0)
      using errcode = '23514', hint = 'Wait until your available balance reaches the minimum.';
  end if;
  if method not in ('stripe', 'paypal') then
    raise exception 'unknown payout method %', method using errcode = '22023', hint = 'Use stripe or paypal.';
  end if;
  perform producers_avenue.lock_wallets(request_payout.user_id);
  select * into w from producers_avenue.wallets x where x.user_id = request_payout.user_id;
  if not found or not w.payouts_enabled then
    raise exception 'payouts are not enabled for this wallet' using errcode = '23514', hint = 'Finish payout onboarding first.';
  end if;
  if (method = 'stripe' and (w.stripe_account_id is null or w.stripe_account_status is distinct from 'enabled'))
     or (method = 'paypal' and (w.paypal_email is null or not w.paypal_verified)) then
    raise exception 'no verified % payout account', method using errcode = '23514';
  end if;
  if w.balance_pending < 0 or w.balance_available < 0 then
    raise exception 'a negative balance (after a refund or chargeback) blocks payouts' using errcode = '23514';
  end if;
  if amount_cents > w.balance_available then
    raise exception 'payout of % cents exceeds the available balance of % cents', amount_cents, w.balance_available
      using errcode = '23514';
  end if;
  insert into producers_avenue.payouts (user_id, wallet_id, amount, payout_method, status, idempotency_key)
  values (request_payout.user_id, w.id, amount_cents, method, 'pending', idempotency_key)
  returning * into po;
  ltx := producers_avenue.ledger_post('payout_request', idempotency_key,
    array[producers_avenue.ledger_account(request_payout.user_id, 'user_available'), producers_avenue.ledger_account(request_payout.user_id, 'user_reserved')],
    array[-amount_cents, amount_cents]::bigint[], null, po.id);
  return producers_avenue.money_request_finish(idempotency_key, 'request_payout', params,
    pg_catalog.jsonb_build_object('payout_id', po.id, 'ledger_transaction_id', ltx, 'status', po.status, 'amount', po.amount));
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.request_payout(text, uuid, integer, text) from public;
grant execute on function producers_avenue.request_payout(text, uuid, integer, text) to authenticated, service_role;

-- Finish a payout: to completed (the money leaves), or to failed or
-- cancelled (it returns to available).
-- +goose StatementBegin
create function producers_avenue.payout_transition(idempotency_key text, operation text, payout_id uuid, to_status text,
                                                   external_id text default null, reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  params jsonb := pg_catalog.jsonb_build_object('payout_id', payout_id, 'to', to_status, 'external_id', external_id, 'reason', reason);
  prior jsonb;
  po producers_avenue.payouts;
  ltx uuid;
  allowed text[] := case to_status when 'processing' then array['pending']
                                   when 'completed' then array['processing']
                                   when 'failed' then array['pending', 'processing']
                                   when 'cancelled' then array['pending'] end;
begin
  prior := producers_avenue.money_request_begin(idempotency_key, operation, params);
  if prior is not null then
    return prior;
  end if;
  select * into po from producers_avenue.payouts p where p.id = payout_id;
  if not found then
    raise exception 'no such payout' using errcode = 'P0002';
  end if;
  perform producers_avenue.lock_wallets(po.user_id);
  select * into po from producers_avenue.payouts p where p.id = payout_id for update;
  if not (po.status = any (allowed)) then
    raise exception 'a % payout cannot become %', po.status, to_status using errcode = '23514';
  end if;
  if to_status = 'completed' then
    ltx := producers_avenue.ledger_post('payout_complete', idempotency_key,
      array[producers_avenue.ledger_account(po.user_id, 'user_reserved'), producers_avenue.ledger_account(null, 'payouts_sent')],
      array[-po.amount, po.amount]::bigint[], null, po.id);
    update producers_avenue.wallets set
      total_withdrawn_stripe = total_withdrawn_stripe + case when po.payout_method = 'stripe' then po.amount else 0 end,
      total_withdrawn_paypal = total_withdrawn_paypal + case when po.payout_method = 'paypal' then po.amount else 0 end,
      total_withdrawn = total_withdrawn + po.amount
    where user_id = po.user_id;
  elsif to_status in ('failed', 'cancelled') then
    ltx := producers_avenue.ledger_post(case to_status when 'failed' then 'payout_fail' else 'payout_cancel' end, idempotency_key,
      array[producers_avenue.ledger_account(po.user_id, 'user_reserved'), producers_avenue.ledger_account(po.user_id, 'user_available')],
      array[-po.amount, po.amount]::bigint[], null, po.id);
  end if;
  update producers_avenue.payouts p set
    status = to_status,
    approved_at = case when to_status = 'processing' then pg_catalog.now() else p.approved_at end,
    approved_by = case when to_status = 'processing' then (select auth.uid()) else p.approved_by end,
    completed_at = case when to_status = 'completed' then pg_catalog.now() else p.completed_at end,
    failed_at = case when to_status = 'failed' then pg_catalog.now() else p.failed_at end,
    failure_reason = case when to_status in ('failed', 'cancelled') then reason else p.failure_reason end,
    stripe_payout_id = case when to_status = 'completed' and p.payout_method = 'stripe' then coalesce(external_id, p.stripe_payout_id) else p.stripe_payout_id end,
    paypal_batch_id = case when to_status = 'completed' and p.payout_method = 'paypal' then coalesce(external_id, p.paypal_batch_id) else p.paypal_batch_id end
  where p.id = po.id;
  perform producers_avenue.notify(po.user_id, 'payout', 'Payout ' || to_status,
    'Your payout of ' || po.amount || ' cents is ' || to_status || '.', null, (select auth.uid()), po.id);
  return producers_avenue.money_request_finish(idempotency_key, operation, params,
    pg_catalog.jsonb_build_object('payout_id', po.id, 'status', to_status, 'ledger_transaction_id', ltx));
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.payout_transition(text, text, uuid, text, text, text) from public;

-- +goose StatementBegin
create function producers_avenue.approve_payout(idempotency_key text, payout_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not (producers_avenue.is_admin() or coalesce(auth.role(), '') = 'service_role') then
    raise exception 'only admins approve payouts' using errcode = '42501';
  end if;
  return producers_avenue.payout_transition(idempotency_key, 'approve_payout', payout_id, 'processing');
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.approve_payout(text, uuid) from public;
grant execute on function producers_avenue.approve_payout(text, uuid) to authenticated, service_role;

-- +goose StatementBegin
create function producers_avenue.complete_payout(idempotency_key text, payout_id uuid, external_id text default null) returns jsonb
language sql
security definer
set search_path = ''
as $$
  select producers_avenue.payout_transition(idempotency_key, 'complete_payout', payout_id, 'completed', external_id)
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.complete_payout(text, uuid, text) from public;
grant execute on function producers_avenue.complete_payout(text, uuid, text) to service_role;

-- +goose StatementBegin
create function producers_avenue.fail_payout(idempotency_key text, payout_id uuid, reason text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not (producers_avenue.is_admin() or coalesce(auth.role(), '') in ('service_role', '')) then
    raise exception 'only admins and the payout service fail payouts' using errcode = '42501';
  end if;
  return producers_avenue.payout_transition(idempotency_key, 'fail_payout', payout_id, 'failed', null, reason);
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.fail_payout(text, uuid, text) from public;
grant execute on function producers_avenue.fail_payout(text, uuid, text) to authenticated, service_role;

-- +goose StatementBegin
create function producers_avenue.cancel_payout(idempotency_key text, payout_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') <> 'service_role' and not exists (
       select 1 from producers_avenue.payouts p where p.id = payout_id and p.user_id = (select auth.uid())) then
    raise exception 'you can cancel your own payouts only' using errcode = '42501';
  end if;
  return producers_avenue.payout_transition(idempotency_key, 'cancel_payout', payout_id, 'cancelled', null, 'cancelled by the seller');
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.cancel_payout(text, uuid) from public;
grant execute on function producers_avenue.cancel_payout(text, uuid) to authenticated, service_role;

-- ============================================================== refunds and chargebacks
-- Reverse a sale completely: the buyer's money goes back to the processor
-- (or the buyer's wallet), fee and commission are reversed, and the seller's
-- share leaves pending -- or available when already released, which may
-- turn it negative and then blocks payouts until new sales cover it.
-- +goose StatementBegin
create function producers_avenue.refund_purchase(idempotency_key text, transaction_id uuid, kind text default 'refund', reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  params jsonb := pg_catalog.jsonb_build_object('transaction_id', transaction_id, 'kind', kind, 'reason', reason);
  prior jsonb;
  t producers_avenue.transactions;
  r producers_avenue.transactions;
  ltx uuid;
begin
  prior := producers_avenue.money_request_begin(idempotency_key, 'refund_purchase', params);
  if prior is not null then
    return prior;
  end if;
  if kind not in ('refund', 'chargeback') then
    raise exception 'unknown refund kind %', kind using errcode = '22023', hint = 'Use refund or chargeback.';
  end if;
  -- The sale first (a concurrent release skips it), then the wallets.
  select * into t from producers_avenue.transactions x where x.id = transaction_id for update;
  if not found or t.transaction_type not in ('product_purchase', 'service_purchase', 'webinar_registration') then
    raise exception 'no such sale' using errcode = 'P0002';
  end if;
  -- Then the item, as a purchase does, then the wallets.
  if t.transaction_type = 'product_purchase' then
    perform 1 from producers_avenue.products p where p.id = t.related_id for update;
  elsif t.transaction_type = 'service_purchase' then
    perform 1 from producers_avenue.orders o where o.id = t.related_id for update;
  end if;
  perform producers_avenue.lock_wallets(t.buyer_id, t.seller_id);
  if t.status <> 'completed' then
    raise exception 'sale % is already % and cannot be reversed again', t.id, t.status using errcode = '23514';
  end if;

  insert into producers_avenue.transactions (buyer_id, seller_id, transaction_type, related_id, amount_total, amount_fees,
    amount_commission, amount_seller, commission_rate, seller_tier, fee_schedule_version, payment_processor, payment_method,
    status, completed_at, refund_of, idempotency_key, metadata)
  values (t.buyer_id, t.seller_id, kind, t.related_id, t.amount_total, t.amount_fees, t.amount_commission, t.amount_seller,
    t.commission_rate, t.seller_tier, t.fee_schedule_version, t.payment_processor, t.payment_method,
    'completed', pg_catalog.now(), t.id, idempotency_key,
    pg_catalog.jsonb_build_object('reason', reason, 'released_before', t.released_at is not null))
  returning * into r;

  if t.amount_total > 0 then
    ltx := producers_avenue.ledger_post(kind, idempotency_key,
      array[case when t.payment_processor = 'wallet' then producers_avenue.ledger_account(t.buyer_id, 'user_available')
                 else producers_avenue.ledger_account(null, 'processor_' || t.payment_processor) end,
            case when t.payment_processor = 'wallet' then null else producers_avenue.ledger_account(null, 'fees_' || t.payment_processor) end,
            producers_avenue.ledger_account(null, 'platform_commission'),
            producers_avenue.ledger_account(t.seller_id, case when t.released_at is null then 'user_pending' else 'user_available' end)],
      array[t.amount_total, -t.amount_fees, -t.amount_commission, -t.amount_seller]::bigint[], r.id, null, reason);
  end if;

  update producers_avenue.transactions x set status = case kind when 'refund' then 'refunded' else 'disputed' end,
         refunded_at = pg_catalog.now(), released_at = coalesce(x.released_at, pg_catalog.now())
   where x.id = t.id;
  update producers_avenue.wallets set
    total_earned_stripe = total_earned_stripe - case when t.payment_processor = 'stripe' then t.amount_seller else 0 end,
    total_earned_paypal = total_earned_paypal - case when t.payment_processor = 'paypal' then t.amount_seller else 0 end,
    total_earned = total_earned - t.amount_seller
  where user_id = t.seller_id;
  if t.payment_processor = 'wallet' then
    update producers_avenue.wallets set total_spent_on_platform = total_spent_on_platform - t.amount_total where user_id = t.buyer_id;
  end if;

  if t.transaction_type = 'product_purchase' then
    update producers_avenue.products set purchases_count = greatest(purchases_count - 1, 0) where id = t.related_id;
  elsif t.transaction_type = 'service_purchase' then
    perform pg_catalog.set_config('producers_avenue.refunding', 'on', true);
    update producers_avenue.orders set status = 'refunded' where id = t.related_id and status <> 'refunded';
    perform pg_catalog.set_config('producers_avenue.refunding', 'off', true);
  else
    update producers_avenue.webinar_registrations set payment_status = 'refunded'
     where webinar_id = t.related_id and user_id = t.buyer_id;
  end if;
  perform producers_avenue.notify(t.seller_id, 'refund', case kind when 'refund' then 'Sale refunded' else 'Chargeback' end,
    t.amount_seller || ' cents were taken back from your earnings.', null, null, r.id);
  perform producers_avenue.notify(t.buyer_id, 'refund', 'Refund issued', t.amount_total || ' cents are on their way back.', null, null, r.id);

  return producers_avenue.money_request_finish(idempotency_key, 'refund_purchase', params,
    pg_catalog.jsonb_build_object('transaction_id', r.id, 'refund_of', t.id, 'ledger_transaction_id', ltx,
                                  'from', case when t.released_at is null then 'pending' else 'available' end));
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.refund_purchase(text, uuid, text, text) from public;
grant execute on function producers_avenue.refund_purchase(text, uuid, text, text) to service_role;

-- ============================================================== invariants
-- Every disagreement in the money data; no rows means the books are sound.
--   unbalanced          a journal entry's entries do not sum to zero or are < 2
--   global_sum          all entries together do not sum to zero
--   wallet_cache        a wallet balance differs from its ledger account
--   reserved_payouts    reserved differs from the user's open payouts
--   commission          a sale's commission is not rate x total (half-up)
--   sale_arithmetic     total <> fees + commission + seller share
--   released_pending    pending differs from the unreleased shares of sales
-- +goose StatementBegin
create function producers_avenue.ledger_violations()
returns table (check_name text, subject text, detail text)
language sql
stable
security definer
set search_path = ''
as $$
  select 'unbalanced', lt.id::text, 'entries ' || count(e.id) || ', sum ' || coalesce(sum(e.amount), 0)
    from producers_avenue.ledger_transactions lt
    left join producers_avenue.ledger_entries e on e.ledger_transaction_id = lt.id
   group by lt.id having coalesce(sum(e.amount), 0) <> 0 or count(e.id) < 2
  union all
  select 'global_sum', 'ledger', 'sum ' || sum(e.amount)
    from producers_avenue.ledger_entries e having coalesce(sum(e.amount), 0) <> 0
  union all
  select 'wallet_cache', w.user_id::text || ':' || k.kind,
         'wallet ' || k.cached || ', ledger ' || coalesce((select sum(e.amount) from producers_avenue.ledger_entries e
                                                             join producers_avenue.ledger_accounts a on a.id = e.account_id
                                                            where a.user_id = w.user_id and a.kind = k.kind), 0)
    from producers_avenue.wallets w
    cross join lateral (values ('user_pending', w.balance_pending::bigint), ('user_available', w.balance_available::bigint),
                               ('user_reserved', w.balance_reserved::bigint)) k(kind, cached)
   where k.cached <> coalesce((select sum(e.amount) from producers_avenue.ledger_entries e
                                 join producers_avenue.ledger_accounts a on a.id = e.account_id
                                where a.user_id = w.user_id and a.kind = k.kind), 0)
  union all
  select 'reserved_payouts', w.user_id::text, 'reserved ' || w.balance_reserved || ', open payouts ' || coalesce(p.open, 0)
    from producers_avenue.wallets w
    left join (select user_id, sum(amount) as open from producers_avenue.payouts
                where status in ('pending', 'processing') group by user_id) p on p.user_id = w.user_id
   where w.balance_reserved <> coalesce(p.open, 0)
  union all
  select 'commission', t.id::text, 'commission ' || t.amount_commission || ' at ' || t.commission_rate || '% of ' || t.amount_total
    from producers_avenue.transactions t
   where t.transaction_type in ('product_purchase', 'service_purchase', 'webinar_registration')
     and t.amount_commission <> (t.amount_total::bigint * (t.commission_rate * 100)::bigint + 5000) / 10000
  union all
  select 'sale_arithmetic', t.id::text, t.amount_total || ' <> ' || t.amount_fees || ' + ' || t.amount_commission || ' + ' || t.amount_seller
    from producers_avenue.transactions t
   where t.amount_total <> t.amount_fees + t.amount_commission + t.amount_seller
  union all
  select 'released_pending', w.user_id::text, 'pending ' || w.balance_pending || ', unreleased sales ' || coalesce(s.held, 0)
    from producers_avenue.wallets w
    left join (select seller_id, sum(amount_seller) as held from producers_avenue.transactions
                where status = 'completed' and released_at is null
                  and transaction_type in ('product_purchase', 'service_purchase', 'webinar_registration')
                group by seller_id) s on s.seller_id = w.user_id
   where w.balance_pending <> coalesce(s.held, 0)
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.ledger_violations() from public;
grant execute on function producers_avenue.ledger_violations() to service_role;
comment on function producers_avenue.ledger_violations() is 'Every money invariant that does not hold, one row per violation; empty when the books are sound.';

-- +goose Down
drop function if exists producers_avenue.ledger_violations();
drop function if exists producers_avenue.refund_purchase(text, uuid, text, text);
drop function if exists producers_avenue.cancel_payout(text, uuid);
drop function if exists producers_avenue.fail_payout(text, uuid, text);
drop function if exists producers_avenue.complete_payout(text, uuid, text);
drop function if exists producers_avenue.approve_payout(text, uuid);
drop function if exists producers_avenue.payout_transition(text, text, uuid, text, text, text);
drop function if exists producers_avenue.request_payout(text, uuid, integer, text);
drop function if exists producers_avenue.release_pending(text, timestamptz, integer);
drop function if exists producers_avenue.record_purchase(text, uuid, text, uuid, integer, text, jsonb);
drop function if exists producers_avenue.bp_of(bigint, bigint);
drop function if exists producers_avenue.commission_for(uuid);
drop function if exists producers_avenue.money_request_finish(text, text, jsonb, jsonb);
drop function if exists producers_avenue.money_request_begin(text, text, jsonb);
drop function if exists producers_avenue.lock_wallets(uuid[]);
drop function if exists producers_avenue.ledger_post(text, text, uuid[], bigint[], uuid, uuid, text);
drop trigger if exists ledger_entries_to_wallet on producers_avenue.ledger_entries;
drop function if exists producers_avenue.ledger_entries_to_wallet();
drop trigger if exists wallets_after_insert on producers_avenue.wallets;
drop function if exists producers_avenue.wallets_after_insert();
drop trigger if exists ledger_transactions_have_entries on producers_avenue.ledger_transactions;
drop trigger if exists ledger_entries_balanced on producers_avenue.ledger_entries;
drop function if exists producers_avenue.ledger_check_balanced();
drop trigger if exists ledger_transactions_no_truncate on producers_avenue.ledger_transactions;
drop trigger if exists ledger_entries_no_truncate on producers_avenue.ledger_entries;
drop trigger if exists money_requests_append_only on producers_avenue.money_requests;
drop trigger if exists ledger_transactions_append_only on producers_avenue.ledger_transactions;
drop trigger if exists ledger_entries_append_only on producers_avenue.ledger_entries;
drop function if exists producers_avenue.ledger_append_only();
-- The platform accounts go with their table in 0200's Down; entries may
-- reference them.
drop function if exists producers_avenue.ledger_account(uuid, text);
