// The `akismet-api` 6.x client against a real `vokter serve`. It sends verify-key to
// PROTOCOL://HOST/1.1/ and everything else to PROTOCOL://KEY.HOST/1.1/ (the key in the host
// name), form-encoded, and maps its own option names (ip, content, …) to Akismet's.
'use strict'

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { AkismetClient } = require('akismet-api')
const { startVokter, BLOG, common, ham, spam } = require('./vokter.js')

let server
let client

before(async () => {
  server = await startVokter()
  client = new AkismetClient({
    key: server.key,
    blog: BLOG,
    host: `localhost:${server.port}`,
    protocol: 'http',
    lang: 'nb_NO',
    charset: 'UTF-8'
  })
})
after(() => server.stop())

function clientWithKey(key) {
  return new AkismetClient({ key, blog: BLOG, host: `localhost:${server.port}`, protocol: 'http' })
}

test('verify-key: the key from `vokter apikey add` is valid, another is not', async () => {
  assert.equal(await client.verifyKey(), true)
  assert.equal(await clientWithKey('0123456789ab').verifyKey(), false)
})

test('comment-check: a friendly comment is ham', async () => {
  assert.equal(await client.checkSpam(ham), false)
})

test('comment-check: the client\'s own option names map to the same fields', async () => {
  const isSpam = await client.checkSpam({
    ip: '203.0.113.8',
    useragent: common.user_agent,
    permalink: common.permalink,
    name: 'Ola',
    email: 'ola@example.no',
    content: 'Fin tur i fjellet i helga, takk for tipset.'
  })
  assert.equal(isSpam, false)
})

test('comment-check: pharmacy and casino spam is spam', async () => {
  assert.equal(await client.checkSpam(spam), true)
  const page = await server.moderation('/api/moderation/queue?status=spam&sort=newest')
  assert.equal(page.items[0].name, 'cheap pills')
  assert.ok(page.items[0].hits.some(hit => hit.rule === 'PHARMA_WORDS'))
})

test('comment-check: a filled honeypot is spam', async () => {
  const isSpam = await client.checkSpam({
    ...ham,
    comment_content: 'Helt vanlig tekst, men skjemaet hadde et skjult felt fylt ut.',
    honeypot: 'http://robot.example'
  })
  assert.equal(isSpam, true)
})

test('comment-check: a bad key is refused', async () => {
  await assert.rejects(clientWithKey('0123456789ab').checkSpam(ham), /Invalid API key/)
})

test('comment-check without user_ip fails with Vokter\'s debug help', async () => {
  const { user_ip, ...withoutIp } = ham
  await assert.rejects(client.checkSpam(withoutIp), /Empty "user_ip" value/)
})

test('is_test: answered, nothing stored', async () => {
  const before = await server.moderation('/api/moderation/stats')
  assert.equal(await client.checkSpam({ ...spam, isTest: true }), true)
  const after = await server.moderation('/api/moderation/stats')
  assert.deepEqual(after.by_status, before.by_status)
})

test('submit-spam and submit-ham move the stored comments like a moderator would', async () => {
  const missed = { ...ham, user_ip: '203.0.113.20', comment_content: 'Sjekk profilen min, da!' }
  assert.equal(await client.checkSpam(missed), false)
  const res = await client.submitSpam(missed)
  assert.equal(res.text, 'Thanks for making the web a better place.')
  const filed = await server.moderation('/api/moderation/queue?status=spam&sort=newest')
  const item = filed.items.find(i => i.body === missed.comment_content)
  assert.ok(item, 'the reported comment is filed as spam')
  const detail = await server.moderation(`/api/moderation/comments/${item.id}`)
  assert.equal(detail.history.at(-1).moderator, 'akismet:blogg')

  const reprieved = (await client.submitHam(missed)).text
  assert.equal(reprieved, 'Thanks for making the web a better place.')
  const approved = await server.moderation('/api/moderation/queue?status=approved&sort=newest')
  assert.ok(approved.items.some(i => i.id === item.id))
})

test('Vokter never publishes what Akismet clients check', async () => {
  const res = await fetch(
    `http://127.0.0.1:${server.port}/api/comments?thread=${encodeURIComponent(common.permalink)}`
  )
  assert.equal(res.status, 200)
  assert.equal((await res.json()).total, 0)
})
