// Test helpers: a real `vokter serve` on a free loopback port with a temporary database, an
// Akismet API key made by `vokter apikey add` and a moderator token to look at what was stored.
//
// Both npm clients put the key in the host name (KEY.localhost:PORT). So that this works without
// touching the machine's name resolution, this module maps "localhost" and every
// "*.localhost" name to 127.0.0.1 inside this test process only (dns.lookup, which Node's
// http module calls for each connection); the Host header still carries the key.
'use strict'

const { spawn, execFileSync } = require('node:child_process')
const dns = require('node:dns')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const binary =
  process.env.VOKTER_BINARY || path.resolve(__dirname, '..', '..', 'build', 'debug', 'vokter')

const systemLookup = dns.lookup
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options
    options = {}
  }
  if (hostname === 'localhost' || String(hostname).endsWith('.localhost')) {
    const all = typeof options === 'object' && options.all
    return process.nextTick(() =>
      all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)
    )
  }
  return systemLookup.call(dns, hostname, options, callback)
}

const BLOG = 'https://blogg.example.no'

function vokter(args, db) {
  return execFileSync(binary, [...args, '--db', db], { encoding: 'utf8' })
}

// Starts the server; resolves to { port, key, token, stop(), moderation(path) }.
async function startVokter() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vokter-akismet-'))
  const db = path.join(dir, 'vokter.db')
  const key = vokter(['apikey', 'add', 'blogg', '--blog', BLOG], db).split('\n')[1].trim()
  const token = vokter(['moderator', 'add', 'kari'], db).split('\n')[1].trim()
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--db', db], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let log = ''
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vokter did not start:\n${log}`)), 20000)
    child.stderr.on('data', chunk => {
      log += chunk
      const match = /listening on http:\/\/[^\s:]+:(\d+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.on('exit', code => reject(new Error(`vokter exited with ${code}:\n${log}`)))
  })
  return {
    port,
    key,
    token,
    log: () => log,
    async moderation(route) {
      const res = await fetch(`http://127.0.0.1:${port}${route}`, {
        headers: { Authorization: `Bearer ${token}` }
      })
      if (res.status !== 200) throw new Error(`${route} -> ${res.status}`)
      return res.json()
    },
    async stop() {
      const exited = new Promise(resolve => child.on('exit', resolve))
      child.kill('SIGTERM')
      await exited
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

// A ham comment, a spam comment, and the fields every request carries, in Akismet's names.
const common = {
  user_ip: '203.0.113.7',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  referrer: `${BLOG}/2026/11/fem-laeringspunkter/`,
  permalink: `${BLOG}/2026/11/fem-laeringspunkter/`,
  comment_type: 'comment'
}
const ham = {
  ...common,
  comment_author: 'Kari Nordmann',
  comment_author_email: 'kari@example.no',
  comment_content: 'Takk for en god oppsummering – særlig punkt 3 om blåbær!'
}
const spam = {
  ...common,
  user_ip: '198.51.100.66',
  comment_author: 'cheap pills',
  comment_author_email: 'deals@pills.example',
  comment_content:
    'Buy cheap viagra and cialis online without prescription! Best casino bonus ' +
    'http://pills.example http://cheap.example http://casino.example'
}

module.exports = { startVokter, BLOG, common, ham, spam }
