// supabase-js auth against the built binary, as an app would use it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from './harness.mjs'

let srv
before(async () => {
  // A short reuse interval, so the reuse test does not wait 10 s.
  srv = await startServer({ CREATORBASE_REFRESH_TOKEN_REUSE_INTERVAL: '1s' })
})
after(async () => { await srv?.stop() })

let n = 0
const email = () => `user${++n}-${Date.now()}@example.com`

test('signUp, signInWithPassword, getUser', async () => {
  const sb = srv.client()
  const address = email()
  const { data, error } = await sb.auth.signUp({ email: address, password: 'secret123', options: { data: { full_name: 'Ada' } } })
  assert.equal(error, null)
  assert.ok(data.session?.access_token)
  assert.equal(data.user.email, address)
  assert.equal(data.user.user_metadata.full_name, 'Ada')

  const signIn = await sb.auth.signInWithPassword({ email: address, password: 'secret123' })
  assert.equal(signIn.error, null)
  const { data: got, error: getErr } = await sb.auth.getUser()
  assert.equal(getErr, null)
  assert.equal(got.user.id, data.user.id)

  const wrong = await srv.client().auth.signInWithPassword({ email: address, password: 'nope-nope' })
  assert.equal(wrong.error?.code, 'invalid_credentials')
  assert.equal(wrong.error?.status, 400)

  const again = await srv.client().auth.signUp({ email: address, password: 'secret123' })
  assert.equal(again.error?.code, 'user_already_exists')
})

test('publishable key works like the anon key', async () => {
  const sb = srv.client(srv.keys.publishable_key)
  const { data, error } = await sb.auth.signUp({ email: email(), password: 'secret123' })
  assert.equal(error, null)
  assert.ok(data.session)
  assert.equal((await sb.auth.getUser()).data.user.id, data.user.id)
})

test('updateUser: metadata and password', async () => {
  const sb = srv.client()
  const address = email()
  await sb.auth.signUp({ email: address, password: 'secret123' })
  const { data, error } = await sb.auth.updateUser({ data: { plan: 'pro' } })
  assert.equal(error, null)
  assert.equal(data.user.user_metadata.plan, 'pro')
  assert.equal((await sb.auth.updateUser({ password: 'changed123' })).error, null)
  const weak = await sb.auth.updateUser({ password: '123' })
  assert.equal(weak.error?.code, 'weak_password')
  assert.equal((await srv.client().auth.signInWithPassword({ email: address, password: 'changed123' })).error, null)
})

test('refreshSession rotates, and reuse revokes the session', async () => {
  const sb = srv.client()
  const { data } = await sb.auth.signUp({ email: email(), password: 'secret123' })
  const rt0 = data.session.refresh_token
  const r1 = await sb.auth.refreshSession({ refresh_token: rt0 })
  assert.equal(r1.error, null)
  const rt1 = r1.data.session.refresh_token
  assert.notEqual(rt1, rt0)
  // The parent of the active token gets the active token back.
  const again = await srv.client().auth.refreshSession({ refresh_token: rt0 })
  assert.equal(again.error, null)
  assert.equal(again.data.session.refresh_token, rt1)
  const r2 = await srv.client().auth.refreshSession({ refresh_token: rt1 })
  assert.equal(r2.error, null)
  await new Promise((resolve) => setTimeout(resolve, 1200)) // past the reuse interval
  const reuse = await srv.client().auth.refreshSession({ refresh_token: rt0 })
  assert.equal(reuse.error?.code, 'refresh_token_already_used')
  assert.equal(reuse.error?.status, 400)
  const family = await srv.client().auth.refreshSession({ refresh_token: r2.data.session.refresh_token })
  assert.equal(family.error?.code, 'refresh_token_already_used')
})

async function sessions (address, count) {
  const clients = []
  for (let i = 0; i < count; i++) {
    const sb = srv.client()
    const r = await sb.auth.signInWithPassword({ email: address, password: 'secret123' })
    assert.equal(r.error, null)
    clients.push(sb)
  }
  return clients
}

async function alive (sb) {
  const { data: { session } } = await sb.auth.getSession()
  if (!session) return false
  const { error } = await srv.client().auth.getUser(session.access_token)
  return error === null
}

test('signOut with each scope', async () => {
  const address = email()
  await srv.client().auth.signUp({ email: address, password: 'secret123' })

  let [a, b, c] = await sessions(address, 3)
  assert.equal((await a.auth.signOut({ scope: 'others' })).error, null)
  assert.deepEqual([await alive(a), await alive(b), await alive(c)], [true, false, false])

  ;[b, c] = await sessions(address, 2)
  assert.equal((await b.auth.signOut({ scope: 'local' })).error, null)
  assert.deepEqual([await alive(a), await alive(c)], [true, true])
  assert.equal((await b.auth.getSession()).data.session, null)

  assert.equal((await c.auth.signOut()).error, null) // global by default
  assert.equal(await alive(a), false)
})

test('resetPasswordForEmail, then verifyOtp with the mailed code', async () => {
  const address = email()
  await srv.client().auth.signUp({ email: address, password: 'secret123' })
  const sb = srv.client()
  const { error } = await sb.auth.resetPasswordForEmail(address, { redirectTo: 'http://127.0.0.1:3000/reset' })
  assert.equal(error, null)
  const unknown = await sb.auth.resetPasswordForEmail(email())
  assert.equal(unknown.error, null)

  const mail = await srv.lastMail(address)
  assert.equal(mail.template, 'recovery')
  assert.match(mail.payload.token, /^\d{6}$/)
  const show = await srv.cli('mail', 'show', String(mail.id))
  assert.match(show, new RegExp(mail.payload.token))

  const { data, error: verr } = await sb.auth.verifyOtp({ email: address, token: mail.payload.token, type: 'recovery' })
  assert.equal(verr, null)
  assert.ok(data.session)
  assert.equal((await sb.auth.updateUser({ password: 'recovered1' })).error, null)
  assert.equal((await srv.client().auth.signInWithPassword({ email: address, password: 'recovered1' })).error, null)

  const used = await srv.client().auth.verifyOtp({ email: address, token: mail.payload.token, type: 'recovery' })
  assert.equal(used.error?.code, 'otp_expired')
})

test('auth.admin: createUser, listUsers, deleteUser', async () => {
  for (const key of [srv.keys.service_role_key, srv.keys.secret_key]) {
    const admin = srv.client(key).auth.admin
    const address = email()
    const { data, error } = await admin.createUser({ email: address, password: 'pw123456', email_confirm: true, user_metadata: { a: 1 } })
    assert.equal(error, null)
    assert.equal(data.user.email, address)
    assert.ok(data.user.email_confirmed_at)

    const list = await admin.listUsers({ page: 1, perPage: 50 })
    assert.equal(list.error, null)
    assert.ok(list.data.users.some((u) => u.id === data.user.id))
    assert.ok(list.data.total >= 1)

    assert.equal((await admin.deleteUser(data.user.id)).error, null)
    const gone = await admin.getUserById(data.user.id)
    assert.equal(gone.error?.status, 404)
  }
  const notAdmin = await srv.client().auth.admin.listUsers()
  assert.equal(notAdmin.error?.code, 'not_admin')
})
