// Starts the built creatorbase binary on a temporary data dir and a free
// loopback port, and gives tests what a supabase-js app needs.
import { spawn, execFile } from 'node:child_process'
import { mkdtemp, chmod, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient } from '@supabase/supabase-js'

const run = promisify(execFile)
export const BIN = process.env.CREATORBASE_BIN ?? join(import.meta.dirname, '../../bin/creatorbase')

// Node 20 has no WebSocket; supabase-js refuses to build a client without
// a transport even when realtime is never used.
class NoWebSocket {
  constructor () { throw new Error('realtime is not used by these tests') }
}

function freePort () {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

export async function startServer (env = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'creatorbase-compat-'))
  await chmod(dataDir, 0o711) // the embedded cluster runs as another user under root
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const allEnv = {
    ...process.env,
    CREATORBASE_DATA_DIR: dataDir,
    CREATORBASE_LISTEN: `127.0.0.1:${port}`,
    CREATORBASE_LOG_LEVEL: 'warn',
    CREATORBASE_RATE_LIMIT_TOKEN: 'off',
    CREATORBASE_RATE_LIMIT_OTP: 'off',
    CREATORBASE_RATE_LIMIT_VERIFY: 'off',
    CREATORBASE_RATE_LIMIT_ACCOUNT: 'off',
    CREATORBASE_RATE_LIMIT_EMAIL_SENT: 'off',
    CREATORBASE_MAILER_MAX_FREQUENCY: '0s',
    ...env
  }
  const child = spawn(BIN, ['serve'], { env: allEnv, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`creatorbase exited ${child.exitCode}: ${stderr}`)
    try {
      const r = await fetch(`${url}/health`)
      if (r.status === 200) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGTERM')
      throw new Error(`creatorbase did not become healthy: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const cli = async (...args) => (await run(BIN, args, { env: allEnv })).stdout
  const keys = JSON.parse(await cli('keys', '--json'))
  return {
    url,
    keys,
    cli,
    // options are createClient's, e.g. { db: { schema: 'creatorpulse' } }.
    client (key = keys.anon_key, options = {}) {
      return createClient(url, key, {
        ...options,
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, ...options.auth },
        realtime: { transport: NoWebSocket, ...options.realtime }
      })
    },
    // Runs a SQL file as the database owner (psql, stopping at the first
    // error); vars become psql variables (-v name=value).
    async sql (file, vars = {}) {
      const v = Object.entries(vars).flatMap(([k, val]) => ['-v', `${k}=${val}`])
      return cli('psql', '--', '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...v, '-f', file)
    },
    // NOTIFY pgrst, 'reload schema', then waits until ready() is true (the
    // schema cache reloads asynchronously).
    async reloadSchema (ready) {
      await cli('psql', '--', '-X', '-q', '-c', "NOTIFY pgrst, 'reload schema'")
      const deadline = Date.now() + 10_000
      while (!(await ready())) {
        if (Date.now() > deadline) throw new Error('the schema cache did not reload')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    // The newest mail to an address, from the dev mailbox.
    async lastMail (to) {
      const rows = JSON.parse(await cli('mail', 'list', '--json', '--to', to, '--limit', '1'))
      if (rows.length === 0) throw new Error(`no mail to ${to}`)
      return rows[0]
    },
    async stop () {
      child.kill('SIGTERM')
      await exited
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}
