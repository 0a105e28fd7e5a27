// The four products as their frontends use them with supabase-js: one
// client per product schema (createClient(url, anonKey, { db: { schema } })),
// users signed up through supabase.auth, and the service role client for
// what a backend job or webhook does. One server for the file.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './harness.mjs'

let srv
const stamp = Date.now()
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// A user of product schema, signed up (confirmed at once) with a session.
async function signUp (schema, name, data = {}) {
  const sb = srv.client(srv.keys.anon_key, { db: { schema } })
  const email = `${name}-${stamp}@example.com`
  const { data: d, error } = await sb.auth.signUp({ email, password: 'a long secret', options: { data } })
  assert.equal(error, null)
  assert.ok(d.session, 'signed in at sign-up')
  return { sb, id: d.user.id, email }
}

// The service role client of a product schema.
const service = (schema) => srv.client(srv.keys.service_role_key, { db: { schema } })

// ok returns data, failing with the PostgREST error otherwise.
function ok ({ data, error, status }, want = [200, 201, 204]) {
  assert.equal(error, null, `unexpected error (status ${status}): ${JSON.stringify(error)}`)
  assert.ok([].concat(want).includes(status), `status ${status}`)
  return data
}

// refused checks a PostgREST error as supabase-js returns it.
function refused ({ data, error, status }, code, httpStatus, text) {
  assert.equal(data, null)
  assert.ok(error, `expected ${code}, got data`)
  assert.equal(error.code, code, JSON.stringify(error))
  assert.equal(status, httpStatus, JSON.stringify(error))
  if (text) assert.match(error.message, text)
  return error
}

before(async () => { srv = await startServer() })
after(async () => { await srv?.stop() })

test('CreatorPulse: preferences, sources, trends and drafts, feedback, accept and publish', async () => {
  const { sb: pulse, id: uid, email } = await signUp('creatorpulse', 'pulse')
  const system = service('creatorpulse')

  ok(await pulse.from('creator_profiles').insert({ user_id: uid, email, full_name: 'Pia Pulse', creator_handle: `pia${stamp}` }))
  // Delivery preferences: the defaults on first use, then the creator's choice.
  const prefs = ok(await pulse.rpc('ensure_delivery_preferences'))
  assert.equal(prefs.user_id, uid)
  assert.deepEqual(prefs.delivery_days, ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'])
  assert.equal(prefs.max_drafts_per_delivery, 5)
  const updated = ok(await pulse.from('delivery_preferences')
    .update({ delivery_time: '07:30:00', delivery_days: ['monday', 'thursday'], whatsapp_enabled: true, whatsapp_number: '+4915112345678', platforms: ['twitter', 'linkedin'] })
    .eq('user_id', uid).select('delivery_time, delivery_days, whatsapp_enabled').single())
  assert.deepEqual(updated, { delivery_time: '07:30:00', delivery_days: ['monday', 'thursday'], whatsapp_enabled: true })
  assert.equal(ok(await pulse.rpc('ensure_delivery_preferences')).id, prefs.id, 'one row per user')
  refused(await pulse.from('delivery_preferences').update({ max_drafts_per_delivery: 51 }).eq('user_id', uid),
    '23514', 400, /max_drafts_per_delivery/)

  // Content sources.
  const sources = ok(await pulse.from('content_sources').insert([
    { user_id: uid, source_type: 'twitter_handle', source_identifier: '@levelsio', source_name: 'Pieter Levels', priority_level: 8 },
    { user_id: uid, source_type: 'newsletter_rss', source_identifier: 'https://www.lennysnewsletter.com/feed', source_name: 'Lenny', crawl_frequency: '6 hours' }
  ], { defaultToNull: false }).select('id, source_type, priority_level, is_active').order('priority_level', { ascending: false }))
  assert.equal(sources.length, 2)
  assert.deepEqual(sources.map((s) => [s.source_type, s.priority_level, s.is_active]),
    [['twitter_handle', 8, true], ['newsletter_rss', 5, true]])
  refused(await pulse.from('content_sources').insert({ user_id: uid, source_type: 'myspace', source_identifier: 'x', source_name: 'x' }),
    '23514', 400, /source_type/)
  refused(await pulse.from('content_sources').insert({ user_id: uid, source_type: 'twitter_handle', source_identifier: 'x', source_name: 'x', priority_level: 11 }),
    '23514', 400, /priority_level/)
  assert.equal((await pulse.from('content_sources').select('*', { count: 'exact', head: true })).count, 2)

  // The backend: billing (the Stripe webhook), a trend and three generated drafts.
  ok(await system.from('subscription_billing').insert({ user_id: uid, subscription_status: 'active', monthly_credit_limit: 3 }))
  const trend = ok(await system.from('trend_insights').insert({
    user_id: uid, trend_topic: 'Build in public', trend_description: 'Founders sharing revenue numbers weekly',
    confidence_score: 0.82, source_count: 14, relevant_keywords: ['buildinpublic', 'mrr']
  }).select('id').single())
  const drafts = ok(await system.from('content_drafts').insert([
    { user_id: uid, platform: 'twitter', content_type: 'thread', content: 'We hit $10k MRR. Here is everything we tried (1/7)', trend_source_id: trend.id, voice_confidence_score: 0.9 },
    { user_id: uid, platform: 'twitter', content_type: 'single_tweet', content: 'Revenue is a lagging indicator.', trend_source_id: trend.id },
    { user_id: uid, platform: 'linkedin', content_type: 'linkedin_short', content: 'Three lessons from building in public.' }
  ], { defaultToNull: false }).select('id, platform, status'))
  assert.deepEqual(drafts.map((d) => d.status), ['pending', 'pending', 'pending'])
  const [thread, tweet, post] = drafts.map((d) => d.id)
  // The monthly limit (3 credits) is spent: a fourth generation is refused.
  refused(await system.from('content_drafts').insert({ user_id: uid, platform: 'twitter', content_type: 'single_tweet', content: 'One more' }),
    'PT402', 402, /credit limit reached/)

  // The creator reads them (own rows only) and gives feedback.
  const mine = ok(await pulse.from('content_drafts').select('id, platform, trend_insights(trend_topic)').order('created_at'))
  assert.equal(mine.length, 3)
  assert.equal(mine.find((d) => d.id === thread).trend_insights.trend_topic, 'Build in public')
  ok(await pulse.from('content_drafts').update({ feedback_score: 1 }).eq('id', thread))
  refused(await pulse.from('content_drafts').update({ feedback_score: 2 }).eq('id', tweet), '23514', 400, /feedback_score/)
  // Accept, reject, publish.
  ok(await pulse.from('content_drafts').update({ status: 'approved', user_edits: 'tightened the hook' }).eq('id', thread))
  ok(await pulse.from('content_drafts').update({ status: 'rejected', feedback_score: -1 }).eq('id', tweet))
  refused(await pulse.from('content_drafts').update({ status: 'published' }).eq('id', post), '23514', 400, /status/)
  const published = ok(await pulse.from('content_drafts')
    .update({ status: 'published', published_url: 'https://x.com/pia/status/1' }).eq('id', thread)
    .select('status, published_at').single())
  assert.equal(published.status, 'published')
  assert.ok(Date.now() - Date.parse(published.published_at) < 60_000, 'published_at stamped')
  // The creator cannot write what the system measures.
  refused(await pulse.from('content_drafts').update({ engagement_prediction: { likes: 1e6 } }).eq('id', thread), '42501', 403)

  // Analytics counters of the day, per platform, and the usage ledger.
  const analytics = ok(await pulse.from('creator_analytics')
    .select('platform, drafts_generated, drafts_accepted, drafts_rejected, content_published').order('platform'))
  assert.deepEqual(analytics, [
    { platform: 'linkedin', drafts_generated: 1, drafts_accepted: 0, drafts_rejected: 0, content_published: 0 },
    { platform: 'twitter', drafts_generated: 2, drafts_accepted: 1, drafts_rejected: 1, content_published: 1 }
  ])
  const usage = ok(await pulse.from('usage_tracking').select('action_type, credits_consumed'))
  const byType = {}
  for (const u of usage) byType[u.action_type] = (byType[u.action_type] ?? []).concat(Number(u.credits_consumed))
  assert.deepEqual(byType, { draft_generated: [1, 1, 1], draft_accepted: [0], draft_rejected: [0] })
  const today = usage.length && ok(await pulse.from('usage_tracking').select('usage_date').limit(1).single()).usage_date
  assert.equal(ok(await pulse.rpc('calculate_daily_credits', { user_uuid: uid, target_date: today })), 3)

  // Another creator sees none of it; anon has no access.
  const { sb: other } = await signUp('creatorpulse', 'pulse-other')
  assert.deepEqual(ok(await other.from('content_drafts').select('id')), [])
  refused(await other.rpc('calculate_daily_credits', { user_uuid: uid, target_date: today }), '42501', 403)
  refused(await srv.client(srv.keys.anon_key, { db: { schema: 'creatorpulse' } }).from('content_drafts').select('id'), '42501', 401)
})

test('Producers Avenue: follow, list a beat, buy it, escrow, payout', async () => {
  const schema = 'producers_avenue'
  const { sb: seller, id: sellerId } = await signUp(schema, 'seller', { username: `metro${stamp}` })
  const { sb: buyer, id: buyerId } = await signUp(schema, 'buyer', { username: `wheezy${stamp}` })
  const system = service(schema)

  // Sign-up made each profile, a basic subscription and an empty wallet.
  const profile = ok(await seller.from('user_profiles').select('username, followers_count').eq('user_id', sellerId).single())
  assert.equal(profile.username, `metro${stamp}`)
  assert.equal(ok(await seller.from('subscriptions').select('tier').eq('user_id', sellerId).single()).tier, 'basic')
  assert.deepEqual(ok(await seller.from('wallets').select('balance_available, balance_pending, balance_reserved').eq('user_id', sellerId).single()),
    { balance_available: 0, balance_pending: 0, balance_reserved: 0 })

  // They follow each other: connected.
  ok(await seller.from('followers').insert({ follower_id: sellerId, following_id: buyerId }), 201)
  assert.equal(ok(await seller.rpc('follow_status', { other: buyerId })), 'following')
  assert.equal(ok(await buyer.rpc('follow_status', { other: sellerId })), 'follower')
  ok(await buyer.from('followers').insert({ follower_id: buyerId, following_id: sellerId }), 201)
  assert.equal(ok(await seller.rpc('follow_status', { other: buyerId })), 'connected')
  assert.equal(ok(await buyer.rpc('follow_status', { other: sellerId })), 'connected')
  const { count: links } = await buyer.from('connections').select('*', { count: 'exact', head: true })
  assert.equal(links, 2, 'one connection row per direction')
  assert.deepEqual(ok(await buyer.from('user_profiles').select('followers_count, following_count').eq('user_id', sellerId).single()),
    { followers_count: 1, following_count: 1 })
  refused(await buyer.from('followers').insert({ follower_id: buyerId, following_id: buyerId }), '23514', 400)

  // The seller lists a beat.
  const beat = ok(await seller.from('products').insert({
    seller_id: sellerId, title: 'Midnight Trap Beat', slug: `midnight-trap-${stamp}`, description: '140 BPM, F minor, tagged MP3 + WAV stems',
    price: 100, status: 'active', license_type: 'commercial', genre_tags: ['trap', 'hip-hop'], file_urls: ['https://files.example.com/stems.zip']
  }).select('id, price_cents, purchases_count').single())
  assert.equal(beat.price_cents, 10000)
  assert.equal(ok(await buyer.from('products').select('title').textSearch('search_vector', 'trap', { config: 'english' })).length, 1)
  // Paid files are not readable by column; only buyers get them.
  refused(await buyer.from('products').select('file_urls').eq('id', beat.id), '42501', 403)
  refused(await buyer.rpc('product_file_urls', { product_id: beat.id }), '42501', 403)
  // Users cannot record purchases; the payment webhook (service role) does.
  const purchase = { idempotency_key: `stripe:pi_${stamp}`, buyer_id: buyerId, item_type: 'product', item_id: beat.id, amount_cents: 10000, processor: 'stripe' }
  refused(await buyer.rpc('record_purchase', purchase), '42501', 403)
  refused(await system.rpc('record_purchase', { ...purchase, idempotency_key: `stripe:pi_${stamp}_low`, amount_cents: 9999 }), '23514', 400, /listed price/)
  const sale = ok(await system.rpc('record_purchase', purchase))
  // Stripe 2.9 % + 30 c; basic tier 40 % commission; the rest pending.
  assert.equal(sale.amount_total, 10000)
  assert.equal(sale.amount_fees, 320)
  assert.equal(sale.amount_commission, 4000)
  assert.equal(sale.amount_seller, 5680)
  assert.equal(sale.seller_tier, 'basic')
  const replay = ok(await system.rpc('record_purchase', purchase))
  assert.equal(replay.transaction_id, sale.transaction_id, 'the same idempotency key returns the first result')
  assert.deepEqual(ok(await buyer.rpc('product_file_urls', { product_id: beat.id })), ['https://files.example.com/stems.zip'])
  assert.equal(ok(await buyer.from('products').select('purchases_count').eq('id', beat.id).single()).purchases_count, 1)
  const wallet = () => seller.from('wallets').select('balance_available, balance_pending, balance_reserved').eq('user_id', sellerId).single()
  assert.deepEqual(ok(await wallet()), { balance_available: 0, balance_pending: 5680, balance_reserved: 0 })

  // Payout onboarding (the Stripe Connect webhook), then the seller asks early.
  ok(await system.from('wallets').update({ stripe_account_id: `acct_${stamp}`, stripe_account_status: 'enabled', payouts_enabled: true }).eq('user_id', sellerId))
  const payout = (key, cents) => seller.rpc('request_payout', { idempotency_key: key, user_id: sellerId, amount_cents: cents, method: 'stripe' })
  refused(await payout(`po-early-${stamp}`, 5000), '23514', 400, /exceeds the available balance of 0/)

  // Escrow: nothing is due after 6 days, the share after 7 (time moved by as_of).
  const day = 24 * 3600 * 1000
  const release = (key, ms) => system.rpc('release_pending', { idempotency_key: key, as_of: new Date(Date.now() + ms).toISOString() })
  assert.deepEqual(ok(await release(`rel-6d-${stamp}`, 6 * day)), { released_count: 0, released_cents: 0 })
  refused(await seller.rpc('release_pending', { idempotency_key: `rel-user-${stamp}` }), '42501', 403)
  assert.deepEqual(ok(await release(`rel-7d-${stamp}`, 7 * day + 60_000)), { released_count: 1, released_cents: 5680 })
  assert.deepEqual(ok(await wallet()), { balance_available: 5680, balance_pending: 0, balance_reserved: 0 })

  // Payouts: 4999 cents is refused and moves nothing; 5000 is reserved.
  const err = refused(await payout(`po-4999-${stamp}`, 4999), '23514', 400, /payouts start at 5000 cents; 4999 cents requested/)
  assert.ok(err.hint)
  assert.deepEqual(ok(await wallet()), { balance_available: 5680, balance_pending: 0, balance_reserved: 0 })
  refused(await buyer.rpc('request_payout', { idempotency_key: `po-thief-${stamp}`, user_id: sellerId, amount_cents: 5000, method: 'stripe' }),
    '42501', 403, /your own wallet/)
  const requested = ok(await payout(`po-${stamp}`, 5000))
  assert.equal(requested.status, 'pending')
  assert.equal(requested.amount, 5000)
  assert.deepEqual(ok(await wallet()), { balance_available: 680, balance_pending: 0, balance_reserved: 5000 })
  const payouts = ok(await seller.from('payouts').select('id, amount, status, payout_method'))
  assert.deepEqual(payouts, [{ id: requested.payout_id, amount: 5000, status: 'pending', payout_method: 'stripe' }])
  assert.deepEqual(ok(await buyer.from('payouts').select('id')), [])
  // The buyer reviews the beat (a verified purchase); only the seller responds.
  const review = ok(await buyer.from('reviews').insert({ reviewer_id: buyerId, reviewable_type: 'product', reviewable_id: beat.id, rating: 5, review_text: 'Hard-hitting 808s.' })
    .select('id, seller_id, is_verified_purchase').single())
  assert.deepEqual([review.seller_id, review.is_verified_purchase], [sellerId, true])
  refused(await buyer.from('reviews').insert({ reviewer_id: buyerId, reviewable_type: 'product', reviewable_id: beat.id, rating: 4 }), '23505', 409)
  ok(await seller.from('reviews').update({ seller_response: 'Thanks for the love!' }).eq('id', review.id))
  assert.deepEqual(ok(await buyer.from('products').select('reviews_count, rating_average').eq('id', beat.id).single()),
    { reviews_count: 1, rating_average: 5 })
  // The buyer's side: one completed purchase in their history.
  const bought = ok(await buyer.from('transactions').select('id, amount_total, status').eq('buyer_id', buyerId))
  assert.deepEqual(bought, [{ id: sale.transaction_id, amount_total: 10000, status: 'completed' }])
})

test('StreamVibe: connect, sync, apply an AI suggestion, revert, quota', async () => {
  const schema = 'streamvibe'
  const { sb: vibe, id: uid } = await signUp(schema, 'vibe')
  const system = service(schema)

  // Sign-up gave a free, active subscription with zero usage.
  const sub = () => vibe.from('subscription').select('syncs_used, ai_analyses_used, subscription_tier(slug, max_ai_analyses_per_month)').eq('user_id', uid).single()
  assert.deepEqual(ok(await sub()), { syncs_used: 0, ai_analyses_used: 0, subscription_tier: { slug: 'free', max_ai_analyses_per_month: 10 } })

  // The OAuth callback (service role) connects a YouTube channel.
  const youtube = ok(await system.from('platform').select('id').eq('slug', 'youtube').single())
  const conn = ok(await system.from('platform_connection').insert({
    user_id: uid, platform_id: youtube.id, platform_user_id: `UC${stamp}`, platform_username: 'vibecooks'
  }).select('id').single())
  const secretName = ok(await system.rpc('store_platform_connection_secret', {
    connection_id: conn.id, secret: JSON.stringify({ access_token: 'ya29.secret', refresh_token: '1//secret' }), key: 'compat-vault-key-0123456789abcdef'
  }))
  assert.match(secretName, /^streamvibe\/platform_connection\//)
  const account = ok(await system.from('social_account').insert({
    user_id: uid, connection_id: conn.id, platform_id: youtube.id, account_name: 'Vibe Cooks', visibility: 'public'
  }).select('id').single())
  const mineConn = ok(await vibe.from('platform_connection').select('*').single())
  assert.equal(mineConn.vault_secret_name, secretName)
  assert.ok(!JSON.stringify(mineConn).includes('ya29'), 'no token in the row')
  refused(await vibe.from('social_account').insert({ user_id: uid, platform_id: youtube.id, account_name: 'Mine' }), '42501', 403)

  // A sync (service role): one quota unit, three items upserted by platform id.
  const video = ok(await system.from('content_type').select('id').eq('slug', 'long_video').single())
  const item = (n, title, description, tags) => ({
    social_account_id: account.id, content_type_id: video.id, platform_content_id: `vid-${n}`,
    title, description, tags, published_at: new Date(Date.now() - n * 3600_000).toISOString()
  })
  const batch = [
    item(1, 'Cooking pasta at home', 'A quick weeknight recipe', ['pasta', 'cooking']),
    item(2, 'Sourdough for beginners', 'Starter to loaf in 48 hours', ['bread', 'baking']),
    item(3, 'Knife skills 101', 'Dice, julienne, chiffonade', ['knives'])
  ]
  assert.equal(ok(await system.rpc('consume_quota', { quota_type: 'sync', user_id: uid, reason: 'youtube sync' })), 1)
  ok(await system.from('content_item').upsert(batch, { onConflict: 'social_account_id,platform_content_id' }), 201)
  assert.equal(ok(await system.rpc('consume_quota', { quota_type: 'sync', user_id: uid, reason: 'youtube sync' })), 2)
  // A re-sync only updates: 200, as PostgREST answers an upsert without inserts.
  ok(await system.from('content_item').upsert(batch.slice(0, 2), { onConflict: 'social_account_id,platform_content_id' }), 200)
  const { data: items, count } = await vibe.from('content_item').select('id, title, platform_id', { count: 'exact' }).order('published_at', { ascending: false })
  assert.equal(count, 3, 'a re-sync does not duplicate')
  assert.deepEqual(items.map((i) => i.title), ['Cooking pasta at home', 'Sourdough for beginners', 'Knife skills 101'])
  assert.ok(items.every((i) => i.platform_id === youtube.id))
  const pasta = items[0].id
  const found = ok(await vibe.from('content_item').select('id').textSearch('search_vector', 'cook', { config: 'english' }))
  assert.deepEqual(found, [{ id: pasta }])

  // An AI suggestion arrives (service role, one ai_analysis unit).
  const provider = ok(await system.from('ai_provider').select('id').eq('slug', 'local').single())
  assert.equal(ok(await system.rpc('consume_quota', { quota_type: 'ai_analysis', user_id: uid, related_entity_type: 'content_item', related_entity_id: pasta })), 1)
  const suggestion = ok(await system.from('ai_suggestion').insert({
    content_item_id: pasta, provider_id: provider.id, suggested_titles: ['Weeknight pasta in 15 minutes', 'Pasta like Nonna'],
    suggested_description: 'Fast, cheap and good.', suggested_tags: ['pasta', 'weeknight', 'recipe'], seo_score: 80
  }).select('id, is_applied').single())
  assert.equal(suggestion.is_applied, false)

  // The creator applies title and tags (second title) through rpc.
  const applied = ok(await vibe.rpc('apply_ai_suggestion', { suggestion_id: suggestion.id, fields: ['title', 'tags'], title_index: 2 }))
  assert.equal(applied.title, 'Pasta like Nonna')
  assert.deepEqual(applied.tags, ['pasta', 'weeknight', 'recipe'])
  assert.equal(applied.description, 'A quick weeknight recipe')
  assert.equal(ok(await vibe.from('ai_suggestion').select('is_applied').eq('id', suggestion.id).single()).is_applied, true)
  refused(await vibe.rpc('apply_ai_suggestion', { suggestion_id: suggestion.id }), 'PT409', 409)
  const applications = ok(await vibe.from('ai_suggestion_application').select('applied_field, applied_value').order('applied_field'))
  assert.deepEqual(applications, [
    { applied_field: 'tags', applied_value: '{pasta,weeknight,recipe}' },
    { applied_field: 'title', applied_value: 'Pasta like Nonna' }
  ])
  const revisions = ok(await vibe.from('content_revision').select('id, field_name, old_value, new_value, change_source')
    .eq('content_item_id', pasta).order('field_name'))
  assert.deepEqual(revisions.map((r) => [r.field_name, r.old_value, r.new_value, r.change_source]), [
    ['tags', '{pasta,cooking}', '{pasta,weeknight,recipe}', 'ai_suggestion'],
    ['title', 'Cooking pasta at home', 'Pasta like Nonna', 'ai_suggestion']
  ])

  // A manual edit from the app is a revision too.
  ok(await vibe.from('content_item').update({ description: 'Pasta in 15 minutes' }).eq('id', items[1].id))
  assert.deepEqual(ok(await vibe.from('content_revision').select('field_name, old_value, new_value, change_source').eq('content_item_id', items[1].id)),
    [{ field_name: 'description', old_value: 'Starter to loaf in 48 hours', new_value: 'Pasta in 15 minutes', change_source: 'manual' }])

  // Another user can neither see nor revert the revision; the creator reverts the title.
  const { sb: other } = await signUp(schema, 'vibe-other')
  const titleRev = revisions.find((r) => r.field_name === 'title').id
  refused(await other.rpc('revert_content_revision', { revision_id: titleRev }), 'PT404', 404)
  const reverted = ok(await vibe.rpc('revert_content_revision', { revision_id: titleRev }))
  assert.equal(reverted.title, 'Cooking pasta at home')
  assert.deepEqual(reverted.tags, ['pasta', 'weeknight', 'recipe'], 'only the reverted field changes')
  const history = ok(await vibe.from('content_revision').select('field_name, change_source').eq('content_item_id', pasta).order('created_at'))
  assert.equal(history.length, 3)
  assert.deepEqual(history.at(-1), { field_name: 'title', change_source: 'revert' })

  // The free tier's 10 AI analyses: 1 used, 9 more, then 402.
  refused(await vibe.from('subscription').update({ ai_analyses_used: 0 }).eq('user_id', uid), '42501', 403)
  assert.equal(ok(await vibe.rpc('consume_quota', { quota_type: 'ai_analysis', amount: 9 })), 10)
  const spent = refused(await vibe.rpc('consume_quota', { quota_type: 'ai_analysis' }), 'PT402', 402, /ai_analysis quota exhausted: 10 of 10/)
  assert.ok(spent.message)
  refused(await vibe.rpc('consume_quota', { quota_type: 'uploads' }), '22023', 400, /quota_type/)
  assert.deepEqual(ok(await sub()), { syncs_used: 2, ai_analyses_used: 10, subscription_tier: { slug: 'free', max_ai_analyses_per_month: 10 } })
  // Every change is in the history, and the counters recount from it.
  const hist = ok(await vibe.from('quota_usage_history').select('quota_type, operation, amount'))
  const sum = (t) => hist.filter((h) => h.quota_type === t).reduce((a, h) => a + h.amount * (h.operation === 'increment' ? 1 : -1), 0)
  assert.equal(hist.length, 4)
  assert.equal(sum('sync'), 2)
  assert.equal(sum('ai_analysis'), 10)
})

test('Influencer: onboarding starts the trial, campaign, keyword search run by the worker, plan limit', async () => {
  const schema = 'influencer'
  const { sb: brand, id: uid, email } = await signUp(schema, 'brand')

  // Onboarding: the profile, then completing it starts the 7-day trial.
  const created = ok(await brand.from('user_profiles').insert({ user_id: uid, email, full_name: 'Bea Brand', company_name: 'Iced & Co', onboarding_step: 'info_captured' })
    .select('onboarding_step, trial_status, current_plan').single())
  assert.deepEqual(created, { onboarding_step: 'info_captured', trial_status: 'pending', current_plan: 'free' })
  const done = ok(await brand.from('user_profiles').update({ onboarding_step: 'completed', intended_plan: 'glow_up' }).eq('user_id', uid)
    .select('trial_status, trial_start_date, trial_end_date, plan_campaigns_limit, plan_creators_limit').single())
  assert.equal(done.trial_status, 'active')
  const days = (Date.parse(done.trial_end_date) - Date.parse(done.trial_start_date)) / 86400_000
  assert.equal(Math.round(days), 7)
  assert.deepEqual([done.plan_campaigns_limit, done.plan_creators_limit], [3, 1000], 'the glow_up plan during the trial')
  refused(await brand.from('user_profiles').update({ trial_status: 'converted' }).eq('user_id', uid), '42501', 403)
  refused(await brand.from('user_profiles').update({ onboarding_step: 'pending' }).eq('user_id', uid), 'PT409', 409)

  // A campaign and a keyword search.
  const campaign = ok(await brand.from('campaigns').insert({ user_id: uid, name: 'Summer iced coffee', search_type: 'keyword' }).select('id, status').single())
  refused(await brand.from('scraping_jobs').insert({ user_id: uid, campaign_id: campaign.id, platform: 'Vine', keywords: ['x'], target_results: 5 }),
    '22023', 400, /unknown platform Vine/)
  refused(await brand.from('scraping_jobs').insert({ user_id: uid, campaign_id: campaign.id, platform: 'TikTok', keywords: ['x'], target_results: 5000 }),
    'PT402', 402, /creators limit/)
  const job = ok(await brand.from('scraping_jobs').insert({
    user_id: uid, campaign_id: campaign.id, platform: 'tiktok', keywords: ['iced coffee', 'cold brew'], target_results: 60
  }).select('id, status, platform, progress').single())
  assert.deepEqual([job.status, job.platform, Number(job.progress)], ['pending', 'TikTok', 0])

  // The worker in serve works it with the offline provider; the brand polls.
  const seen = new Set()
  const progress = []
  let state
  const deadline = Date.now() + 20_000
  for (;;) {
    state = ok(await brand.from('scraping_jobs').select('status, progress, processed_runs, processed_results, error').eq('id', job.id).single())
    seen.add(state.status)
    progress.push(Number(state.progress))
    if (['completed', 'error', 'timeout'].includes(state.status)) break
    assert.ok(Date.now() < deadline, `job still ${state.status} at ${state.progress}%`)
    await sleep(200)
  }
  assert.equal(state.status, 'completed', JSON.stringify(state))
  assert.ok([...seen].every((s) => ['pending', 'processing', 'completed'].includes(s)), [...seen].join())
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back')
  assert.equal(state.error, null)
  assert.equal(Number(state.progress), 100)
  assert.equal(state.processed_results, 60)
  assert.ok(state.processed_runs >= 1)
  refused(await brand.from('scraping_jobs').update({ progress: 0 }).eq('id', job.id), '42501', 403)

  // The results: pages of creators, 60 in all, none partial.
  const pages = ok(await brand.from('scraping_results').select('page_cursor, partial, creators').eq('job_id', job.id).order('page_cursor'))
  assert.equal(pages.length, state.processed_runs)
  const creators = pages.flatMap((p) => p.creators)
  assert.equal(creators.length, 60)
  assert.ok(pages.every((p) => p.partial === false))
  assert.ok(creators.every((c) => typeof c === 'object' && c !== null))
  assert.equal(new Set(creators.map((c) => JSON.stringify(c))).size, 60, 'no duplicate creators')
  const usage = ok(await brand.from('user_profiles').select('usage_campaigns_current, usage_creators_current_month').eq('user_id', uid).single())
  assert.deepEqual(usage, { usage_campaigns_current: 1, usage_creators_current_month: 60 })

  // Another user reads nothing of it.
  const { sb: other, id: otherId, email: otherEmail } = await signUp(schema, 'brand-other')
  ok(await other.from('user_profiles').insert({ user_id: otherId, email: otherEmail, full_name: 'Otto' }))
  assert.deepEqual(ok(await other.from('scraping_results').select('id')), [])
  refused(await other.from('scraping_jobs').insert({ user_id: otherId, campaign_id: campaign.id, platform: 'TikTok', keywords: ['x'], target_results: 5 }),
    '23503', 409)

  // The plan's 3 campaigns: two more fit, the fourth is refused with 402.
  ok(await brand.from('campaigns').insert([{ user_id: uid, name: 'Fall launch', search_type: 'keyword' }, { user_id: uid, name: 'Holiday', search_type: 'keyword' }]), 201)
  refused(await brand.from('campaigns').insert({ user_id: uid, name: 'One too many', search_type: 'keyword' }), 'PT402', 402, /campaign/)
  const { count } = await brand.from('campaigns').select('*', { count: 'exact', head: true })
  assert.equal(count, 3)
})
