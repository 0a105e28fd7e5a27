// supabase-js against /rest/v1 of the built binary, as an app would use it:
// two users signed up through supabase.auth, the fixture in
// fixtures/rest.sql (a small blog in public, tables prefixed compat_), and
// every postgrest-js builder method with its error cases.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startServer } from './harness.mjs'

let srv, anon, service, alice, bob, aliceId, bobId

const ids = (rows) => rows.map((r) => r.id)

async function signUp (email) {
  const sb = srv.client()
  const { data, error } = await sb.auth.signUp({ email, password: 'secret123' })
  assert.equal(error, null)
  return { sb, id: data.user.id }
}

before(async () => {
  srv = await startServer()
  anon = srv.client()
  service = srv.client(srv.keys.service_role_key)
  const stamp = Date.now();
  ({ sb: alice, id: aliceId } = await signUp(`alice-${stamp}@example.com`));
  ({ sb: bob, id: bobId } = await signUp(`bob-${stamp}@example.com`))
  await srv.sql(join(import.meta.dirname, 'fixtures/rest.sql'), { alice: aliceId, bob: bobId })
  await srv.reloadSchema(async () => {
    const { error } = await service.from('compat_probe').select('id').limit(1)
    return error === null
  })
})
after(async () => { await srv?.stop() })

// Posts visible: anon 1,3,5 (published); alice 1,2,3,5; bob 1,3,4,5; service all.
const posts = () => service.from('compat_posts').select('id').order('id')

test('RLS: the same query as owner, other user, anon and service role', async () => {
  const q = (sb) => sb.from('compat_posts').select('id').order('id')
  for (const [sb, want] of [[alice, [1, 2, 3, 5]], [bob, [1, 3, 4, 5]], [anon, [1, 3, 5]], [service, [1, 2, 3, 4, 5]]]) {
    const { data, error, status } = await q(sb)
    assert.equal(error, null)
    assert.equal(status, 200)
    assert.deepEqual(ids(data), want)
  }
  // Comments follow their post's visibility (a policy with a subquery under RLS).
  const c = (sb) => sb.from('compat_comments').select('id').order('id')
  assert.deepEqual(ids((await c(alice)).data), [1, 2, 3, 4])
  assert.deepEqual(ids((await c(bob)).data), [1, 2, 3])
  assert.deepEqual(ids((await c(anon)).data), [1, 2, 3])
  assert.deepEqual(ids((await c(service)).data), [1, 2, 3, 4])
  // Owner-only table: each user their own, service role all, anon no privilege.
  const n = (sb) => sb.from('compat_notes').select('body').order('id')
  assert.deepEqual((await n(alice)).data, [{ body: 'alice 1' }, { body: 'alice 2' }])
  assert.deepEqual((await n(bob)).data, [{ body: 'bob 1' }])
  assert.equal((await n(service)).data.length, 3)
  const denied = await n(anon)
  assert.equal(denied.error?.code, '42501')
  assert.equal(denied.status, 401)
  assert.equal(denied.data, null)
  // Embeds apply RLS too, and counts only count visible rows.
  const e = (sb) => sb.from('compat_authors').select('id, compat_posts!author_id(id)').order('id')
    .order('id', { referencedTable: 'compat_posts' })
  assert.deepEqual((await e(anon)).data, [
    { id: 1, compat_posts: [{ id: 1 }] }, { id: 2, compat_posts: [{ id: 3 }] }, { id: 3, compat_posts: [{ id: 5 }] }])
  assert.deepEqual((await e(bob)).data, [
    { id: 1, compat_posts: [{ id: 1 }] }, { id: 2, compat_posts: [{ id: 3 }, { id: 4 }] }, { id: 3, compat_posts: [{ id: 5 }] }])
  for (const [sb, want] of [[alice, 4], [bob, 4], [anon, 3], [service, 5]]) {
    const { count, data, status } = await sb.from('compat_posts').select('*', { count: 'exact', head: true })
    assert.equal(count, want)
    assert.equal(data, null)
    assert.equal(status, 200)
  }
  // A user's JWT reaches auth.uid() in functions.
  assert.equal((await alice.rpc('compat_whoami')).data, aliceId)
  assert.equal((await anon.rpc('compat_whoami')).data, null)
})

test('select: columns, aliases, casts, JSON paths', async () => {
  const { data, error } = await service.from('compat_posts')
    .select('id, heading:title, lang:meta->>lang, words:meta->words, rating::text, created_at, period, tags')
    .eq('id', 1).single()
  assert.equal(error, null)
  assert.deepEqual(data, {
    id: 1, heading: 'Hello Go', lang: 'en', words: 120, rating: '5',
    created_at: '2024-01-01T00:00:00+00:00', period: '[1,5)', tags: ['go', 'intro']
  })
  const star = await anon.from('compat_authors').select().order('id')
  assert.deepEqual(star.data, [{ id: 1, name: 'Ann', country: 'NO' }, { id: 2, name: 'Ben', country: 'SE' }, { id: 3, name: 'Cy', country: null }])
})

test('embeds: to-one with hints and aliases, to-many, one-to-one, nested', async () => {
  const { data, error } = await service.from('compat_posts')
    .select('id, author:compat_authors!compat_posts_author_id_fkey(name), editor:compat_authors!editor_id(name)')
    .in('id', [1, 2]).order('id')
  assert.equal(error, null)
  assert.deepEqual(data, [
    { id: 1, author: { name: 'Ann' }, editor: { name: 'Ben' } },
    { id: 2, author: { name: 'Ann' }, editor: null }])

  const many = await anon.from('compat_authors')
    .select('name, posts:compat_posts!compat_posts_author_id_fkey(id, title)')
    .order('name').order('id', { referencedTable: 'posts' })
  assert.equal(many.error, null)
  assert.deepEqual(many.data, [
    { name: 'Ann', posts: [{ id: 1, title: 'Hello Go' }] },
    { name: 'Ben', posts: [{ id: 3, title: 'JS notes' }] },
    { name: 'Cy', posts: [{ id: 5, title: 'Fox and dog' }] }])

  // One-to-one (the FK is the PK): an object, or null.
  const o2o = await anon.from('compat_authors').select('id, compat_author_bios(bio)').order('id')
  assert.deepEqual(o2o.data, [
    { id: 1, compat_author_bios: { bio: 'Ann writes about Go' } },
    { id: 2, compat_author_bios: { bio: 'Ben writes about JS' } },
    { id: 3, compat_author_bios: null }])
  const back = await anon.from('compat_author_bios').select('bio, compat_authors(name)').eq('author_id', 2).single()
  assert.deepEqual(back.data, { bio: 'Ben writes about JS', compat_authors: { name: 'Ben' } })

  const nested = await anon.from('compat_posts')
    .select('id, compat_authors!author_id(name, compat_author_bios(bio)), compat_comments(body)')
    .eq('id', 1).order('id', { referencedTable: 'compat_comments' }).single()
  assert.equal(nested.error, null)
  assert.deepEqual(nested.data, {
    id: 1,
    compat_authors: { name: 'Ann', compat_author_bios: { bio: 'Ann writes about Go' } },
    compat_comments: [{ body: 'nice' }, { body: 'thanks' }]
  })
})

test('embeds: many-to-many, !inner, spread, views, ambiguity', async () => {
  const m2m = await anon.from('compat_posts').select('id, compat_tags(name)')
    .in('id', [1, 5]).order('id').order('name', { referencedTable: 'compat_tags' })
  assert.equal(m2m.error, null)
  assert.deepEqual(m2m.data, [
    { id: 1, compat_tags: [{ name: 'go' }] },
    { id: 5, compat_tags: [{ name: 'go' }, { name: 'sql' }] }])
  const back = await alice.from('compat_tags').select('name, compat_posts(id)').eq('name', 'sql')
    .order('id', { referencedTable: 'compat_posts' }).single()
  assert.deepEqual(back.data, { name: 'sql', compat_posts: [{ id: 2 }, { id: 5 }] })

  // !inner drops parents without a matching child; a plain embed keeps them.
  const inner = await service.from('compat_authors').select('name, compat_posts!author_id!inner(id)')
    .eq('compat_posts.published', false).order('name')
  assert.equal(inner.error, null)
  assert.deepEqual(inner.data, [{ name: 'Ann', compat_posts: [{ id: 2 }] }, { name: 'Ben', compat_posts: [{ id: 4 }] }])
  const left = await service.from('compat_authors').select('name, compat_posts!author_id(id)')
    .eq('compat_posts.published', false).order('name')
  assert.deepEqual(left.data.map((a) => a.compat_posts.length), [1, 1, 0])
  const tagged = await service.from('compat_tags').select('name, compat_posts!inner(id)')
    .eq('compat_posts.id', 3)
  assert.deepEqual(tagged.data, [{ name: 'js', compat_posts: [{ id: 3 }] }])

  const spread = await anon.from('compat_posts').select('id, ...compat_authors!author_id(author_name:name, country)')
    .eq('id', 3).single()
  assert.equal(spread.error, null)
  assert.deepEqual(spread.data, { id: 3, author_name: 'Ben', country: 'SE' })

  // Relationships through a view.
  const view = await anon.from('compat_post_list').select('id, title, compat_authors(name)').order('id')
  assert.equal(view.error, null)
  assert.deepEqual(view.data, [
    { id: 1, title: 'Hello Go', compat_authors: { name: 'Ann' } },
    { id: 3, title: 'JS notes', compat_authors: { name: 'Ben' } },
    { id: 5, title: 'Fox and dog', compat_authors: { name: 'Cy' } }])

  // Two FKs to compat_authors: 300 PGRST201 until a hint picks one.
  const amb = await anon.from('compat_posts').select('id, compat_authors(name)')
  assert.equal(amb.error?.code, 'PGRST201')
  assert.equal(amb.status, 300)
  assert.equal(amb.data, null)
  assert.ok(Array.isArray(amb.error.details))
  const none = await anon.from('compat_tags').select('id, compat_notes(id)')
  assert.equal(none.error?.code, 'PGRST200')
  assert.equal(none.status, 400)
})

test('filters: comparison, pattern, is, in', async () => {
  const cases = [
    [(q) => q.eq('author_id', 1), [1, 2]],
    [(q) => q.neq('author_id', 1), [3, 4, 5]],
    [(q) => q.gt('rating', 3), [1, 5]],
    [(q) => q.gte('rating', 3), [1, 2, 5]],
    [(q) => q.lt('rating', 3), [4]],
    [(q) => q.lte('rating', 3), [2, 4]],
    [(q) => q.like('title', '%o%'), [1, 3, 4, 5]],
    [(q) => q.like('title', '*tips'), [2]],
    [(q) => q.ilike('title', '%GO%'), [1]],
    [(q) => q.likeAnyOf('title', ['%Go', '%dog']), [1, 5]],
    [(q) => q.likeAllOf('title', ['%o%', '%d%']), [4, 5]],
    [(q) => q.ilikeAnyOf('title', ['hello%', 'js%']), [1, 3]],
    [(q) => q.ilikeAllOf('title', ['%O%', '%g%']), [1, 5]],
    [(q) => q.regexMatch('title', '^[A-Z]{2}'), [2, 3]],
    [(q) => q.regexIMatch('title', '^hello'), [1]],
    [(q) => q.is('editor_id', null), [2, 4, 5]],
    [(q) => q.is('published', true), [1, 3, 5]],
    [(q) => q.is('published', false), [2, 4]],
    [(q) => q.isDistinct('editor_id', 1), [1, 2, 4, 5]],
    [(q) => q.in('id', [1, 3, 99]), [1, 3]],
    [(q) => q.in('slug', ['hello-go', 'x,y', 'a (paren)']), [1]],
    [(q) => q.in('id', []), []],
    [(q) => q.notIn('id', [1, 2]), [3, 4, 5]],
    [(q) => q.eq('meta->>lang', 'en'), [1, 2]],
    [(q) => q.gt('meta->words', 100), [1, 2]],
    [(q) => q.eq('created_at', '2024-03-01T00:00:00+00:00'), [3]],
    [(q) => q.gte('created_at', '2024-04-01'), [4, 5]],
    [(q) => q.eq('title', "Bob draft").eq('published', false), [4]]
  ]
  for (const [f, want] of cases) {
    const { data, error, status } = await f(posts())
    assert.equal(error, null, f.toString())
    assert.equal(status, 200)
    assert.deepEqual(ids(data), want, f.toString())
  }
})

test('filters: arrays, JSON, ranges, full-text search', async () => {
  const cases = [
    [(q) => q.contains('tags', ['go']), [1, 5]],
    [(q) => q.contains('tags', '{go,sql}'), [5]],
    [(q) => q.containedBy('tags', ['go', 'intro', 'sql']), [1, 2, 4, 5]],
    [(q) => q.contains('meta', { lang: 'en' }), [1, 2]],
    [(q) => q.containedBy('meta', { lang: 'de', words: 1 }), [5]],
    [(q) => q.overlaps('tags', ['js', 'sql']), [2, 3, 5]],
    [(q) => q.overlaps('period', '[4,11)'), [1, 2, 3]],
    [(q) => q.contains('period', '[4,4]'), [1, 3]],
    [(q) => q.rangeGt('period', '[9,10)'), [2, 5]],
    [(q) => q.rangeGte('period', '[3,4)'), [2, 3, 5]],
    [(q) => q.rangeLt('period', '[9,10)'), [1, 3]],
    [(q) => q.rangeLte('period', '[0,8)'), [1, 3]],
    [(q) => q.rangeAdjacent('period', '[5,10)'), [1, 2]],
    [(q) => q.textSearch('fts', 'fox'), [1, 5]],
    [(q) => q.textSearch('fts', "'fox' & 'dog'"), [5]],
    [(q) => q.textSearch('body', 'cats & dogs', { config: 'english' }), [2, 3]],
    [(q) => q.textSearch('fts', 'lazy dogs', { type: 'plain', config: 'english' }), [2]],
    [(q) => q.textSearch('body', 'quick brown', { type: 'phrase', config: 'english' }), [1]],
    [(q) => q.textSearch('body', 'brown quick', { type: 'phrase', config: 'english' }), []],
    [(q) => q.textSearch('fts', 'dog -cat', { type: 'websearch', config: 'english' }), [5]],
    [(q) => q.textSearch('fts', '"fat cats" or fox', { type: 'websearch' }), [1, 2, 5]]
  ]
  for (const [f, want] of cases) {
    const { data, error } = await f(posts())
    assert.equal(error, null, f.toString())
    assert.deepEqual(ids(data), want, f.toString())
  }
})

test('filters: match, not, or (nested, referencedTable), filter', async () => {
  const cases = [
    [(q) => q.match({ author_id: 1, published: true }), [1]],
    [(q) => q.not('rating', 'gt', 3), [2, 4]],
    [(q) => q.not('editor_id', 'is', null), [1, 3]],
    [(q) => q.not('tags', 'cs', '{intro}'), [2, 4, 5]],
    [(q) => q.not('id', 'in', '(1,2)'), [3, 4, 5]],
    [(q) => q.not('fts', 'fts', 'fox'), [2, 3, 4]],
    [(q) => q.or('rating.gt.4,editor_id.eq.1'), [1, 3]],
    [(q) => q.or('id.eq.4,and(author_id.eq.1,published.is.false)'), [2, 4]],
    [(q) => q.or('title.ilike.*go*,tags.cs.{js},id.in.(4,5)'), [1, 3, 4, 5]],
    [(q) => q.or('and(rating.gte.4,not.or(id.eq.1,id.eq.2)),slug.is.null'), [4, 5]],
    [(q) => q.or('meta->>lang.eq.de,period.adj."[5,10)"'), [1, 2, 5]],
    [(q) => q.or('fts.wfts(english).lazy,body.phfts(english).dogs bark'), [2, 3]],
    [(q) => q.or('title.eq.Hello Go,title.eq."SQL tips"'), [1, 2]],
    [(q) => q.gte('id', 2).or('rating.is.null,rating.lt.2'), [3, 4]],
    [(q) => q.filter('title', 'ilike', '%TIPS'), [2]],
    [(q) => q.filter('tags', 'cs', '{intro}'), [1, 3]],
    [(q) => q.filter('id', 'in', '(2,4)'), [2, 4]],
    [(q) => q.filter('rating', 'not.is', null).filter('rating', 'lt', 4), [2, 4]]
  ]
  for (const [f, want] of cases) {
    const { data, error } = await f(posts())
    assert.equal(error, null, f.toString())
    assert.deepEqual(ids(data), want, f.toString())
  }
  // or() on an embedded resource narrows the embedded rows only.
  const { data, error } = await service.from('compat_authors').select('id, compat_posts!author_id(id)')
    .or('rating.eq.5,rating.is.null', { referencedTable: 'compat_posts' })
    .order('id').order('id', { referencedTable: 'compat_posts' })
  assert.equal(error, null)
  assert.deepEqual(data, [
    { id: 1, compat_posts: [{ id: 1 }] }, { id: 2, compat_posts: [{ id: 3 }] }, { id: 3, compat_posts: [] }])
  const emb = await service.from('compat_authors').select('id, compat_posts!author_id(id)')
    .gt('compat_posts.rating', 2).order('id').order('id', { referencedTable: 'compat_posts' })
  assert.deepEqual(emb.data.map((a) => ids(a.compat_posts)), [[1, 2], [], [5]])
})

test('order, range, limit (also on embedded resources)', async () => {
  const o = async (f) => ids((await f(service.from('compat_posts').select('id'))).data)
  assert.deepEqual(await o((q) => q.order('rating', { ascending: false })), [3, 1, 5, 2, 4]) // desc: nulls first
  assert.deepEqual(await o((q) => q.order('rating', { ascending: false, nullsFirst: false })), [1, 5, 2, 4, 3])
  assert.deepEqual(await o((q) => q.order('rating')), [4, 2, 5, 1, 3]) // asc: nulls last
  assert.deepEqual(await o((q) => q.order('rating', { nullsFirst: true })), [3, 4, 2, 5, 1])
  assert.deepEqual(await o((q) => q.order('author_id', { ascending: false }).order('id')), [5, 3, 4, 1, 2])
  assert.deepEqual(await o((q) => q.order('meta->>lang').order('id', { ascending: false })), [5, 2, 1, 3, 4])
  assert.deepEqual(await o((q) => q.order('id').range(1, 3)), [2, 3, 4])
  assert.deepEqual(await o((q) => q.order('id').limit(2)), [1, 2])
  assert.deepEqual(await o((q) => q.order('id').range(10, 20)), [])

  const { data, error } = await service.from('compat_authors')
    .select('id, posts:compat_posts!author_id(id)')
    .order('id')
    .order('rating', { referencedTable: 'posts', ascending: false, nullsFirst: true })
    .limit(1, { referencedTable: 'posts' })
  assert.equal(error, null)
  assert.deepEqual(data, [{ id: 1, posts: [{ id: 1 }] }, { id: 2, posts: [{ id: 3 }] }, { id: 3, posts: [{ id: 5 }] }])
  const ranged = await service.from('compat_posts').select('id, compat_comments(id)').eq('id', 1)
    .order('id', { referencedTable: 'compat_comments' }).range(1, 1, { referencedTable: 'compat_comments' }).single()
  assert.deepEqual(ranged.data, { id: 1, compat_comments: [{ id: 2 }] })
})

test('single and maybeSingle with 0, 1 and 2 rows', async () => {
  const one = await anon.from('compat_posts').select('id, title').eq('id', 1).single()
  assert.equal(one.error, null)
  assert.equal(one.status, 200)
  assert.deepEqual(one.data, { id: 1, title: 'Hello Go' })

  const zero = await anon.from('compat_posts').select('id').eq('id', 2).single() // hidden by RLS
  assert.equal(zero.data, null)
  assert.equal(zero.status, 406)
  assert.equal(zero.error?.code, 'PGRST116')
  assert.equal(zero.error?.details, 'The result contains 0 rows')
  assert.equal(zero.error?.message, 'Cannot coerce the result to a single JSON object')

  const two = await anon.from('compat_posts').select('id').in('id', [1, 3]).single()
  assert.equal(two.status, 406)
  assert.equal(two.error?.code, 'PGRST116')
  assert.equal(two.error?.details, 'The result contains 2 rows')

  const m1 = await anon.from('compat_posts').select('id').eq('id', 3).maybeSingle()
  assert.deepEqual([m1.data, m1.error, m1.status], [{ id: 3 }, null, 200])
  const m0 = await anon.from('compat_posts').select('id').eq('id', 4).maybeSingle()
  assert.deepEqual([m0.data, m0.error, m0.status], [null, null, 200])
  const m2 = await anon.from('compat_posts').select('id').in('id', [1, 3]).maybeSingle()
  assert.equal(m2.data, null)
  assert.equal(m2.status, 406)
  assert.equal(m2.error?.code, 'PGRST116')
})

test('csv() and stripNulls()', async () => {
  const { data, error, status } = await anon.from('compat_authors').select('id, name, country').order('id').csv()
  assert.equal(error, null)
  assert.equal(status, 200)
  assert.equal(data, 'id,name,country\n1,Ann,NO\n2,Ben,SE\n3,Cy,')
  const quoted = await service.from('compat_posts').select('id, title, tags').eq('id', 1).csv()
  assert.equal(quoted.data, 'id,title,tags\n1,"Hello Go","{go,intro}"')
  const stripped = await anon.from('compat_authors').select('id, country').order('id').stripNulls()
  assert.deepEqual(stripped.data, [{ id: 1, country: 'NO' }, { id: 2, country: 'SE' }, { id: 3 }])
})

test('count exact, planned, estimated (with and without head)', async () => {
  const exact = await anon.from('compat_posts').select('id', { count: 'exact' }).order('id').limit(2)
  assert.equal(exact.error, null)
  assert.equal(exact.count, 3)
  assert.equal(exact.status, 206)
  assert.deepEqual(ids(exact.data), [1, 3])
  const all = await anon.from('compat_posts').select('id', { count: 'exact' })
  assert.equal(all.count, 3)
  assert.equal(all.status, 200)
  const filtered = await service.from('compat_posts').select('*', { count: 'exact', head: true }).eq('author_id', 2)
  assert.deepEqual([filtered.data, filtered.count, filtered.status, filtered.error], [null, 2, 200, null])
  const planned = await service.from('compat_posts').select('*', { count: 'planned', head: true })
  assert.equal(planned.error, null)
  assert.equal(typeof planned.count, 'number')
  assert.ok(planned.count >= 0)
  const estimated = await service.from('compat_posts').select('id', { count: 'estimated' }).limit(1)
  assert.equal(estimated.error, null)
  assert.equal(estimated.count, 5) // below max rows: exact
  assert.equal(estimated.status, 206)
  const noCount = await anon.from('compat_posts').select('id')
  assert.equal(noCount.count, null)
  const emptyHead = await anon.from('compat_notes').select('*', { count: 'exact', head: true })
  assert.equal(emptyHead.status, 401)
  assert.equal(emptyHead.count, null)
  const beyond = await anon.from('compat_posts').select('id', { count: 'exact' }).range(10, 12)
  assert.equal(beyond.status, 416)
  assert.equal(beyond.error?.code, 'PGRST103')
})

test('read errors: unknown column, unknown table, bad schema, bad filter', async () => {
  const col = await anon.from('compat_posts').select('id, nope')
  assert.equal(col.error?.code, '42703')
  assert.equal(col.status, 400)
  assert.equal(col.data, null)
  const colFilter = await anon.from('compat_posts').select('id').eq('nope', 1)
  assert.equal(colFilter.error?.code, '42703')
  const table = await anon.from('compat_nope').select()
  assert.equal(table.error?.code, 'PGRST205')
  assert.equal(table.status, 404)
  assert.match(table.error.message, /compat_nope/)
  const schema = await anon.schema('nope').from('compat_posts').select()
  assert.equal(schema.error?.code, 'PGRST106')
  assert.equal(schema.status, 406)
  const typ = await anon.from('compat_posts').select('id').eq('id', 'abc')
  assert.equal(typ.error?.code, '22P02')
  assert.equal(typ.status, 400)
  const parse = await anon.from('compat_posts').select('id').filter('id', 'nop', 1)
  assert.equal(parse.error?.code, 'PGRST100')
  assert.equal(parse.status, 400)
  const notEmbedded = await anon.from('compat_posts').select('id').eq('compat_comments.id', 1)
  assert.equal(notEmbedded.error?.code, 'PGRST108')
  await assert.rejects(async () => { await anon.from('compat_nope').select().throwOnError() }, (e) => e.code === 'PGRST205')
})

test('schema() switching', async () => {
  const pub = await anon.from('compat_probe').select('origin')
  assert.deepEqual(pub.data, [{ origin: 'public' }])
  const explicit = await anon.schema('public').from('compat_probe').select('origin')
  assert.deepEqual(explicit.data, [{ origin: 'public' }])
  const other = await anon.schema('creatorpulse').from('compat_probe').select('origin')
  assert.equal(other.error, null)
  assert.deepEqual(other.data, [{ origin: 'creatorpulse' }])
  const ins = await service.schema('creatorpulse').from('compat_probe').insert({ id: 2, origin: 'cp-insert' }).select().single()
  assert.equal(ins.error, null)
  assert.equal(ins.status, 201)
  assert.deepEqual(ins.data, { id: 2, origin: 'cp-insert' })
  assert.equal((await anon.from('compat_probe').select('id')).data.length, 1)
  const missing = await anon.schema('creatorpulse').from('compat_posts').select()
  assert.equal(missing.error?.code, 'PGRST205')
  const fn = await anon.schema('creatorpulse').rpc('compat_add', { a: 1 })
  assert.equal(fn.error?.code, 'PGRST202')
  assert.equal(fn.status, 404)
})

test('rpc: scalar, set-returning with filters, json argument, volatile, get and head', async () => {
  const add = await anon.rpc('compat_add', { a: 1, b: 2 })
  assert.deepEqual([add.data, add.error, add.status], [3, null, 200])
  assert.equal((await anon.rpc('compat_add', { a: 1 })).data, 11) // default argument
  const get = await anon.rpc('compat_add', { a: 5 }, { get: true })
  assert.deepEqual([get.data, get.error], [15, null])

  const set = await anon.rpc('compat_posts_by', { author: 1 }).select('id, title')
  assert.equal(set.error, null)
  assert.deepEqual(set.data, [{ id: 1, title: 'Hello Go' }]) // RLS inside the invoker's function
  const own = await alice.rpc('compat_posts_by', { author: 1 }).select('id').order('id', { ascending: false })
  assert.deepEqual(ids(own.data), [2, 1])
  const filtered = await service.rpc('compat_posts_by', { author: 2 }, { get: true })
    .select('id, compat_authors!author_id(name)').gt('id', 3)
  assert.equal(filtered.error, null)
  assert.deepEqual(filtered.data, [{ id: 4, compat_authors: { name: 'Ben' } }])
  const one = await service.rpc('compat_posts_by', { author: 1 }).select('id').eq('id', 2).single()
  assert.deepEqual(one.data, { id: 2 })
  const counted = await service.rpc('compat_posts_by', { author: 1 }, { count: 'exact' }).select('id').limit(1)
  assert.equal(counted.count, 2)
  assert.equal(counted.data.length, 1)
  const head = await service.rpc('compat_posts_by', { author: 2 }, { head: true, count: 'exact' })
  assert.deepEqual([head.data, head.error, head.count, head.status], [null, null, 2, 200])
  const csv = await service.rpc('compat_posts_by', { author: 2 }).select('id,title').order('id').csv()
  assert.equal(csv.data, 'id,title\n3,"JS notes"\n4,"Bob draft"')

  // A single unnamed jsonb parameter takes the whole body; a named one its key.
  const echo = await anon.rpc('compat_echo', { x: 1, list: [1, 'two', { three: 3 }] })
  assert.deepEqual(echo.data, { x: 1, list: [1, 'two', { three: 3 }] })
  const tc = await anon.rpc('compat_tag_count', { filter: { names: ['go', 'js', 'nope'] } })
  assert.deepEqual([tc.data, tc.error], [2, null])
  const tcHead = await anon.rpc('compat_tag_count', { filter: { names: ['go'] } }, { head: true })
  // head with an object argument is a POST with return=minimal, which
  // PostgREST ignores for functions: the body still comes back.
  assert.deepEqual([tcHead.data, tcHead.error, tcHead.status], [1, null, 200])

  // Volatile: POST writes; GET runs read-only and fails with 25006 → 405.
  const rate = await alice.rpc('compat_rate', { post: 2, stars: 4 })
  assert.equal(rate.error, null)
  assert.equal(rate.data.id, 2)
  assert.equal(rate.data.rating, 4)
  const denied = await bob.rpc('compat_rate', { post: 2, stars: 0 }) // RLS: not bob's post
  assert.equal(denied.error, null)
  assert.equal(denied.data.id, null) // a composite of nulls, as PostgREST returns it
  assert.equal((await service.from('compat_posts').select('rating').eq('id', 2).single()).data.rating, 4)
  await service.rpc('compat_rate', { post: 2, stars: 3 })
  const ro = await alice.rpc('compat_rate', { post: 2, stars: 1 }, { get: true })
  assert.equal(ro.error?.code, '25006')
  assert.equal(ro.status, 405)

  const v = await alice.rpc('compat_touch')
  assert.deepEqual([v.data, v.error, v.status], [null, null, 204])
  const vGet = await alice.rpc('compat_touch', {}, { get: true }) // volatile but only reads: fine
  assert.deepEqual([vGet.data, vGet.error, vGet.status], [null, null, 204])
  const anonTouch = await anon.rpc('compat_touch')
  assert.equal(anonTouch.error?.code, '42501')
  assert.equal(anonTouch.status, 401)

  const unknown = await anon.rpc('compat_nope', { a: 1 })
  assert.equal(unknown.error?.code, 'PGRST202')
  assert.equal(unknown.status, 404)
  const wrongArgs = await anon.rpc('compat_add', { z: 1 })
  assert.equal(wrongArgs.error?.code, 'PGRST202')
})

test('insert: single, bulk, with select and embeds, defaults, errors', async () => {
  const ins = await alice.from('compat_posts').insert({ author_id: 1, title: 'New one', slug: 'new-one' })
  assert.deepEqual([ins.data, ins.error, ins.status], [null, null, 201])
  const rep = await alice.from('compat_posts')
    .insert({ author_id: 2, title: 'With select', rating: 2, tags: ['a', 'b'], meta: { k: [1] } })
    .select('id, title, owner_id, published, tags, meta, compat_authors!author_id(name)').single()
  assert.equal(rep.error, null)
  assert.equal(rep.status, 201)
  assert.ok(rep.data.id > 100)
  assert.deepEqual({ ...rep.data, id: 0 }, {
    id: 0, title: 'With select', owner_id: aliceId, published: false, tags: ['a', 'b'], meta: { k: [1] },
    compat_authors: { name: 'Ben' }
  })

  // Bulk: the union of keys becomes columns=; missing keys are null unless defaultToNull:false.
  const bulk = await bob.from('compat_posts')
    .insert([{ author_id: 2, title: 'b1' }, { author_id: 2, title: 'b2', published: true }], { count: 'exact' })
    .select('title, published')
  assert.equal(bulk.error?.code, '23502') // published is NOT NULL and the first row lacks it
  assert.equal(bulk.status, 400)
  const bulk2 = await bob.from('compat_posts')
    .insert([{ author_id: 2, title: 'b1' }, { author_id: 2, title: 'b2', published: true }], { count: 'exact', defaultToNull: false })
    .select('title, published')
  assert.equal(bulk2.error, null)
  assert.equal(bulk2.status, 201)
  assert.equal(bulk2.count, 2)
  assert.deepEqual(bulk2.data, [{ title: 'b1', published: false }, { title: 'b2', published: true }])

  // Errors.
  const check = await alice.from('compat_posts').insert({ author_id: 1, title: 'bad', rating: 9 })
  assert.equal(check.error?.code, '23514')
  assert.equal(check.status, 400)
  assert.match(check.error.message, /compat_posts_rating_check/)
  const unique = await alice.from('compat_posts').insert({ author_id: 1, title: 'dup', slug: 'hello-go' })
  assert.equal(unique.error?.code, '23505')
  assert.equal(unique.status, 409)
  const fk = await alice.from('compat_posts').insert({ author_id: 99, title: 'fk' })
  assert.equal(fk.error?.code, '23503')
  assert.equal(fk.status, 409)
  const anonIns = await anon.from('compat_posts').insert({ author_id: 1, title: 'anon' })
  assert.equal(anonIns.error?.code, '42501')
  assert.equal(anonIns.status, 401)
  const forged = await alice.from('compat_posts').insert({ author_id: 1, title: 'forged', owner_id: bobId })
  assert.equal(forged.error?.code, '42501')
  assert.equal(forged.status, 403)
  assert.match(forged.error.message, /row-level security/)
  const badCol = await alice.from('compat_posts').insert({ author_id: 1, title: 'x', nope: 1 })
  assert.equal(badCol.error?.code, 'PGRST204')
  assert.equal(badCol.status, 400)
  const badTable = await alice.from('compat_nope').insert({ a: 1 })
  assert.equal(badTable.error?.code, 'PGRST205')
  // Nothing of the failed inserts was written.
  const { count } = await service.from('compat_posts').select('*', { count: 'exact', head: true })
    .in('title', ['bad', 'dup', 'fk', 'anon', 'forged'])
  assert.equal(count, 0)
  await service.from('compat_posts').delete().gt('id', 100)
})

test('upsert: merge, onConflict, ignoreDuplicates, defaultToNull false', async () => {
  const merged = await service.from('compat_tags').upsert({ id: 1, name: 'golang' }).select()
  assert.equal(merged.error, null)
  assert.equal(merged.status, 200) // every row updated
  assert.deepEqual(merged.data, [{ id: 1, name: 'golang' }])
  const created = await service.from('compat_tags').upsert([{ id: 1, name: 'go' }, { id: 10, name: 'rust' }]).select().order('id')
  assert.equal(created.status, 201)
  assert.deepEqual(created.data, [{ id: 1, name: 'go' }, { id: 10, name: 'rust' }])

  // onConflict names the unique column: the row named rust gets the new id.
  const onName = await service.from('compat_tags').upsert({ id: 12, name: 'rust' }, { onConflict: 'name' }).select()
  assert.equal(onName.error, null)
  assert.equal(onName.status, 200)
  assert.deepEqual(onName.data, [{ id: 12, name: 'rust' }])
  const noKey = await service.from('compat_tags').upsert({ id: 13, name: 'rust' }).select()
  assert.equal(noKey.error?.code, '23505') // conflict on the PK only: name is taken
  assert.equal(noKey.status, 409)

  const ignored = await service.from('compat_post_tags')
    .upsert([{ post_id: 1, tag_id: 1 }, { post_id: 1, tag_id: 3 }], { ignoreDuplicates: true }).select()
  assert.equal(ignored.error, null)
  assert.equal(ignored.status, 201)
  assert.deepEqual(ignored.data, [{ post_id: 1, tag_id: 3 }]) // the existing pair is skipped

  // defaultToNull:false keeps defaults for absent keys on insert and leaves columns alone on update.
  const up = await alice.from('compat_posts')
    .upsert([{ id: 200, author_id: 1, title: 'u1' }, { id: 201, author_id: 1, title: 'u2', rating: 2 }], { defaultToNull: false })
    .select('id, rating, published, created_at').order('id')
  assert.equal(up.error, null)
  assert.deepEqual(up.data, [
    { id: 200, rating: null, published: false, created_at: '2024-06-01T00:00:00+00:00' },
    { id: 201, rating: 2, published: false, created_at: '2024-06-01T00:00:00+00:00' }])
  const again = await alice.from('compat_posts')
    .upsert([{ id: 200, title: 'u1b', author_id: 1 }, { id: 201, title: 'u2b', author_id: 1, published: true }], { defaultToNull: false })
    .select('id, title, rating, published').order('id')
  assert.equal(again.status, 200)
  assert.deepEqual(again.data, [
    { id: 200, title: 'u1b', rating: null, published: false },
    { id: 201, title: 'u2b', rating: 2, published: true }])
  // Upserting onto someone else's row: the update is hidden by RLS → 42501.
  const steal = await bob.from('compat_posts').upsert({ id: 200, author_id: 1, title: 'mine' }).select()
  assert.equal(steal.error?.code, '42501')
  assert.equal(steal.status, 403)
  await service.from('compat_posts').delete().in('id', [200, 201])
  await service.from('compat_post_tags').delete().eq('post_id', 1).eq('tag_id', 3)
  await service.from('compat_tags').delete().eq('id', 12)
})

test('update and delete: with select, counts, RLS, errors', async () => {
  const seed = await alice.from('compat_posts')
    .insert([{ author_id: 1, title: 'up1', rating: 1 }, { author_id: 1, title: 'up2', rating: 1 }]).select('id')
  assert.equal(seed.error, null)
  const [p1, p2] = ids(seed.data)

  const upd = await alice.from('compat_posts').update({ rating: 3, published: true }).in('id', [p1, p2])
  assert.deepEqual([upd.data, upd.error, upd.status], [null, null, 204])
  const sel = await alice.from('compat_posts').update({ rating: 4 }, { count: 'exact' }).eq('id', p1)
    .select('id, rating, published')
  assert.equal(sel.error, null)
  assert.equal(sel.status, 200)
  assert.equal(sel.count, 1)
  assert.deepEqual(sel.data, [{ id: p1, rating: 4, published: true }])
  const single = await alice.from('compat_posts').update({ title: 'up2!' }).eq('id', p2).select('title').single()
  assert.deepEqual(single.data, { title: 'up2!' })

  // Another user's rows do not match: nothing is updated or deleted.
  const other = await bob.from('compat_posts').update({ title: 'hacked' }, { count: 'exact' }).eq('id', p1).select()
  assert.deepEqual([other.data, other.error, other.count], [[], null, 0])
  const otherDel = await bob.from('compat_posts').delete({ count: 'exact' }).eq('id', p1)
  assert.deepEqual([otherDel.error, otherDel.count, otherDel.status], [null, 0, 204])
  const anonUpd = await anon.from('compat_posts').update({ title: 'x' }).eq('id', p1)
  assert.equal(anonUpd.error?.code, '42501')
  assert.equal(anonUpd.status, 401)
  // Moving a row to another owner fails the WITH CHECK.
  const give = await alice.from('compat_posts').update({ owner_id: bobId }).eq('id', p1)
  assert.equal(give.error?.code, '42501')
  assert.equal(give.status, 403)
  const check = await alice.from('compat_posts').update({ rating: -1 }).eq('id', p1)
  assert.equal(check.error?.code, '23514')
  assert.equal(check.status, 400)
  const unique = await alice.from('compat_posts').update({ slug: 'sql-tips' }).eq('id', p1)
  assert.equal(unique.error?.code, '23505')
  assert.equal(unique.status, 409)
  const badCol = await alice.from('compat_posts').update({ nope: 1 }).eq('id', p1)
  assert.equal(badCol.error?.code, 'PGRST204')
  const unfiltered = await alice.from('compat_posts').update({ rating: 0 })
  assert.equal(unfiltered.error?.code, '21000')
  assert.equal(unfiltered.status, 400)
  // single() on a write that matches two rows: 406, and nothing is changed.
  const two = await alice.from('compat_posts').update({ rating: 0 }).in('id', [p1, p2]).select('id').single()
  assert.equal(two.error?.code, 'PGRST116')
  assert.equal(two.status, 406)
  assert.deepEqual((await alice.from('compat_posts').select('rating').eq('id', p1).single()).data, { rating: 4 })

  const del = await alice.from('compat_posts').delete({ count: 'exact' }).eq('id', p1).select('id, title')
  assert.equal(del.error, null)
  assert.equal(del.status, 200)
  assert.equal(del.count, 1)
  assert.deepEqual(del.data, [{ id: p1, title: 'up1' }])
  const delMin = await alice.from('compat_posts').delete().eq('id', p2)
  assert.deepEqual([delMin.data, delMin.error, delMin.status], [null, null, 204])
  const unfilteredDel = await alice.from('compat_posts').delete()
  assert.equal(unfilteredDel.error?.code, '21000')
  assert.equal(unfilteredDel.status, 400)
  assert.deepEqual(ids((await posts()).data), [1, 2, 3, 4, 5])

  // Comments: insert as oneself, not as another user; delete one's own only.
  const c = await bob.from('compat_comments').insert({ post_id: 3, body: 'self' }).select('id, user_id').single()
  assert.equal(c.error, null)
  assert.equal(c.data.user_id, bobId)
  const notMine = await alice.from('compat_comments').delete({ count: 'exact' }).eq('id', c.data.id)
  assert.equal(notMine.count, 0)
  const mine = await bob.from('compat_comments').delete({ count: 'exact' }).eq('id', c.data.id)
  assert.equal(mine.count, 1)
})

test('keys: publishable acts as anon, secret as service_role', async () => {
  const pub = srv.client(srv.keys.publishable_key)
  assert.deepEqual(ids((await pub.from('compat_posts').select('id').order('id')).data), [1, 3, 5])
  const secret = srv.client(srv.keys.secret_key)
  assert.deepEqual(ids((await secret.from('compat_posts').select('id').order('id')).data), [1, 2, 3, 4, 5])
  const denied = await pub.from('compat_notes').select()
  assert.equal(denied.error?.code, '42501')
  assert.equal(denied.status, 401)
})

test('embeds: null filters, related order, counts with !inner, star', async () => {
  const noBio = await anon.from('compat_authors').select('name, compat_author_bios(bio)').is('compat_author_bios', null)
  assert.equal(noBio.error, null)
  assert.deepEqual(noBio.data, [{ name: 'Cy', compat_author_bios: null }])
  const withBio = await anon.from('compat_authors').select('name, compat_author_bios()')
    .not('compat_author_bios', 'is', null).order('name')
  assert.deepEqual(withBio.data, [{ name: 'Ann' }, { name: 'Ben' }])

  const byAuthor = await anon.from('compat_post_list').select('id, compat_authors(name)')
    .order('compat_authors(name)', { ascending: false })
  assert.equal(byAuthor.error, null)
  assert.deepEqual(ids(byAuthor.data), [5, 3, 1])

  const counted = await service.from('compat_authors').select('name, compat_posts!author_id!inner(id)', { count: 'exact' })
    .eq('compat_posts.published', false).order('name')
  assert.equal(counted.count, 2)
  const m2mInner = await anon.from('compat_posts').select('id, compat_tags!inner()').eq('compat_tags.name', 'go').order('id')
  assert.deepEqual(m2mInner.data, [{ id: 1 }, { id: 5 }])

  const star = await anon.from('compat_posts').select('*, compat_comments(*)').eq('id', 3).single()
  assert.equal(star.error, null)
  assert.equal(star.data.title, 'JS notes')
  assert.equal(star.data.fts, "'bark':4 'cat':6 'dog':3 'js':1 'note':2")
  assert.deepEqual(star.data.compat_comments, [{ id: 3, post_id: 3, user_id: aliceId, body: 'cool' }])
  const strippedOne = await anon.from('compat_authors').select('id, country').eq('id', 3).single().stripNulls()
  assert.deepEqual(strippedOne.data, { id: 3 })

  const badOp = await anon.from('compat_authors').select('name, compat_author_bios(bio)').eq('compat_author_bios', 'x')
  assert.equal(badOp.error?.code, 'PGRST120')
  const badOrder = await anon.from('compat_authors').select('name, compat_author_bios(bio)').order('compat_posts(id)')
  assert.equal(badOrder.status, 400)
})

test('values with reserved characters, unicode, long in-lists', async () => {
  const title = 'Odd, (chars). "quoted" & 100% \\ back + plus æøå 🙂'
  const ins = await alice.from('compat_posts').insert({ author_id: 1, title, slug: 'odd-chars' }).select('id, title').single()
  assert.equal(ins.error, null)
  assert.equal(ins.data.title, title)
  const eq = await alice.from('compat_posts').select('id').eq('title', title)
  assert.deepEqual(ids(eq.data), [ins.data.id])
  // in() quotes values holding , ( ) but escapes nothing inside, so (as on
  // PostgREST) a value with a double quote or backslash cannot go through in().
  const plain = 'Odd, (chars). & 100% + plus æøå 🙂'
  const ins2 = await alice.from('compat_posts').insert({ author_id: 1, title: plain }).select('id').single()
  const inq = await alice.from('compat_posts').select('id').in('title', [plain, 'x'])
  assert.equal(inq.error, null)
  assert.deepEqual(ids(inq.data), [ins2.data.id])
  const bad = await alice.from('compat_posts').select('id').in('title', [title])
  assert.equal(bad.error?.code, 'PGRST100')
  await alice.from('compat_posts').delete().eq('id', ins2.data.id)
  const like = await alice.from('compat_posts').select('id').like('title', '%100\\%%')
  assert.deepEqual(ids(like.data), [ins.data.id])
  const many = Array.from({ length: 1000 }, (_, i) => i + 1)
  const big = await anon.from('compat_posts').select('id').in('id', many).order('id')
  assert.equal(big.error, null)
  assert.deepEqual(ids(big.data), [1, 3, 5])
  await alice.from('compat_posts').delete().eq('id', ins.data.id)
})

test('writes: single() rolls back, counts on insert/upsert, maxAffected, delete with embeds', async () => {
  const two = await alice.from('compat_posts').insert([{ author_id: 1, title: 'rb1' }, { author_id: 1, title: 'rb2' }])
    .select('id').single()
  assert.equal(two.error?.code, 'PGRST116')
  assert.equal(two.status, 406)
  const { count: left } = await service.from('compat_posts').select('*', { count: 'exact', head: true }).in('title', ['rb1', 'rb2'])
  assert.equal(left, 0)

  const counted = await alice.from('compat_posts').insert({ author_id: 1, title: 'cnt' }, { count: 'exact' })
  assert.deepEqual([counted.data, counted.error, counted.count, counted.status], [null, null, 1, 201])
  const up = await service.from('compat_tags').upsert([{ id: 2, name: 'sql' }, { id: 20, name: 'zig' }], { count: 'exact' })
  assert.deepEqual([up.error, up.count, up.status], [null, 2, 201])

  const mine = (await alice.from('compat_posts').select('id').eq('title', 'cnt').single()).data.id
  const capped = await alice.from('compat_posts').update({ rating: 1 }).eq('author_id', 1).maxAffected(1)
  assert.equal(capped.error?.code, 'PGRST124')
  assert.equal(capped.status, 400)
  const fine = await alice.from('compat_posts').update({ rating: 2 }).eq('id', mine).maxAffected(1).select('rating')
  assert.deepEqual([fine.error, fine.data], [null, [{ rating: 2 }]])

  // The insert policy only checks user_id, but RETURNING (select()) also needs
  // the select policy, and bob cannot see comments on alice's unpublished post.
  const c = await bob.from('compat_comments').insert({ post_id: mine, body: 'on cnt' }).select('id')
  assert.equal(c.error?.code, '42501')
  assert.equal(c.status, 403)
  const blind = await bob.from('compat_comments').insert({ post_id: mine, body: 'on cnt' })
  assert.deepEqual([blind.error, blind.status], [null, 201])
  const del = await alice.from('compat_posts').delete().eq('id', mine).select('id, compat_authors!author_id(name)')
  assert.equal(del.error, null)
  assert.deepEqual(del.data, [{ id: mine, compat_authors: { name: 'Ann' } }])
  await service.from('compat_tags').delete().eq('id', 20)
})

test('rpc: arrays, set-returning scalars, single, raised errors, geojson', async () => {
  assert.equal((await anon.rpc('compat_sum', { nums: [1, 2, 3] })).data, 6)
  const get = await anon.rpc('compat_sum', { nums: [4, 5] }, { get: true })
  assert.deepEqual([get.data, get.error], [9, null])
  const series = await anon.rpc('compat_series', { n: 6 }).gte('compat_series', 3).order('compat_series', { ascending: false }).limit(2)
  assert.equal(series.error, null)
  assert.deepEqual(series.data, [6, 5])
  const cnt = await anon.rpc('compat_series', { n: 6 }, { head: true, count: 'exact' })
  assert.deepEqual([cnt.data, cnt.count, cnt.status], [null, 6, 200])
  const single = await anon.rpc('compat_posts_by', { author: 3 }).select('id, title').single()
  assert.deepEqual(single.data, { id: 5, title: 'Fox and dog' })
  const none = await anon.rpc('compat_posts_by', { author: 99 }).select('id').maybeSingle()
  assert.deepEqual([none.data, none.error], [null, null])
  const raised = await anon.rpc('compat_fail', { msg: 'nope, not today' })
  assert.equal(raised.error?.code, 'P0001')
  assert.equal(raised.error?.message, 'nope, not today')
  assert.equal(raised.error?.hint, 'compat hint')
  assert.equal(raised.status, 400)
  // GeoJSON needs PostGIS (ST_AsGeoJSON), which this cluster lacks: 42883 → 404 as on PostgREST.
  const geo = await anon.from('compat_posts').select('id').geojson()
  assert.equal(geo.status, 404)
  assert.equal(geo.error?.code, '42883')
})

test('embeds: to-many spread, !left, junction hint, nested filters, aliases in modifiers', async () => {
  const spread = await anon.from('compat_posts').select('id, ...compat_comments(body)').eq('id', 1)
    .order('id', { referencedTable: 'compat_comments' })
  assert.equal(spread.error, null)
  assert.deepEqual(spread.data, [{ id: 1, body: ['nice', 'thanks'] }])
  const left = await anon.from('compat_authors').select('id, compat_author_bios!left(bio)').eq('id', 3)
  assert.deepEqual(left.data, [{ id: 3, compat_author_bios: null }])
  const junction = await anon.from('compat_posts').select('id, compat_tags!compat_post_tags(name)').eq('id', 5)
    .order('name', { referencedTable: 'compat_tags' })
  assert.deepEqual(junction.data, [{ id: 5, compat_tags: [{ name: 'go' }, { name: 'sql' }] }])
  const nested = await service.from('compat_authors').select('id, posts:compat_posts!author_id(id, compat_comments(id))')
    .eq('posts.compat_comments.id', 1).eq('id', 1).order('id', { referencedTable: 'posts' })
  assert.deepEqual(nested.data, [{ id: 1, posts: [{ id: 1, compat_comments: [{ id: 1 }] }, { id: 2, compat_comments: [] }] }])
  const aliasOr = await service.from('compat_authors').select('id, posts:compat_posts!author_id(id)')
    .or('id.eq.1,id.eq.5', { referencedTable: 'posts' }).order('id')
  assert.deepEqual(aliasOr.data, [{ id: 1, posts: [{ id: 1 }] }, { id: 2, posts: [] }, { id: 3, posts: [{ id: 5 }] }])
  const byAlias = await service.from('compat_posts').select('id, author:compat_authors!author_id(name)')
    .order('author(name)', { ascending: false }).order('id').limit(3)
  assert.deepEqual(ids(byAlias.data), [5, 3, 4])
  const agg = await anon.from('compat_posts').select('count()')
  assert.equal(agg.error?.code, 'PGRST123') // aggregates are off, as on hosted Supabase
  assert.equal(agg.status, 400)
  const empty = await service.from('compat_tags').insert([]).select()
  assert.deepEqual([empty.data, empty.error, empty.status], [[], null, 201])
  const noop = await service.from('compat_tags').update({}).eq('id', 1).select()
  assert.deepEqual([noop.data, noop.error, noop.status], [[], null, 200])
  const neg = await anon.from('compat_posts').select('id').range(3, 1)
  assert.equal(neg.error?.code, 'PGRST103')
  assert.equal(neg.status, 416)
})
