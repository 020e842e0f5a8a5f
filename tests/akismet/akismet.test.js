// The `akismet` 2.x client against a real `vokter serve`. It sends verify-key to http://HOST:PORT
// and everything else to http://ENDPOINT:PORT, where ENDPOINT defaults to KEY.HOST (the key in
// the host name); its Content-Type header is just "charset=utf-8". Its callbacks only say
// spam (body "true") or not, so a refused request looks like ham to it.
'use strict'

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const akismet = require('akismet')
const { startVokter, BLOG, ham, spam } = require('./vokter.js')

let server
let client

before(async () => {
  server = await startVokter()
  client = akismet.client({ blog: BLOG, apiKey: server.key, host: 'localhost', port: server.port })
})
after(() => server.stop())

const call = (c, method, ...args) =>
  new Promise((resolve, reject) =>
    c[method](...args, (err, result) => (err ? reject(err) : resolve(result)))
  )

test('verify-key: valid for the key from `vokter apikey add`, invalid for another', async () => {
  assert.equal(await call(client, 'verifyKey'), true)
  const other = akismet.client({ blog: BLOG, apiKey: 'badbadbadbad', host: 'localhost', port: server.port })
  assert.equal(await call(other, 'verifyKey'), false)
})

test('comment-check: ham is false, spam is true', async () => {
  assert.equal(await call(client, 'checkComment', { ...ham }), false)
  assert.equal(await call(client, 'checkComment', { ...spam }), true)
})

test('comment-check: a filled honeypot is spam', async () => {
  const filled = {
    ...ham,
    comment_content: 'Et innlegg fra et skjema der det skjulte feltet ble fylt ut.',
    honeypot_field_name: 'hp_website',
    hp_website: 'http://robot.example'
  }
  assert.equal(await call(client, 'checkComment', filled), true)
})

test('comment-check with the key as the api_key field on a plain endpoint', async () => {
  const plain = akismet.client({
    blog: BLOG,
    apiKey: server.key,
    host: '127.0.0.1',
    endPoint: '127.0.0.1',
    port: server.port
  })
  assert.equal(await call(plain, 'checkComment', { ...spam, api_key: server.key }), true)
  // Without the key anywhere, Vokter answers "invalid", which this client reports as not spam.
  assert.equal(await call(plain, 'checkComment', { ...spam }), false)
})

test('comment-check without user_ip: the debug help explains it', async () => {
  const { user_ip, ...withoutIp } = ham
  assert.equal(await call(client, 'checkComment', withoutIp), false)
  // What the client hides: the answer and its header, seen with a plain request.
  const res = await fetch(`http://127.0.0.1:${server.port}/1.1/comment-check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...withoutIp, api_key: server.key, blog: BLOG })
  })
  assert.equal(res.status, 200)
  assert.equal(await res.text(), 'Missing required field: user_ip.')
  assert.equal(res.headers.get('x-akismet-debug-help'), 'Empty "user_ip" value')
})

test('submit-spam and submit-ham are thanked and move the stored comment', async () => {
  const missed = { ...ham, user_ip: '203.0.113.30', comment_content: 'Besøk nettbutikken min!' }
  assert.equal(await call(client, 'checkComment', { ...missed }), false)
  await call(client, 'submitSpam', { ...missed })
  let page = await server.moderation('/api/moderation/queue?status=spam&sort=newest')
  const item = page.items.find(i => i.body === missed.comment_content)
  assert.ok(item, 'the reported comment is filed as spam')
  await call(client, 'submitHam', { ...missed })
  page = await server.moderation('/api/moderation/queue?status=approved&sort=newest')
  assert.ok(page.items.some(i => i.id === item.id))
})
