// The OpenAPI document a real `vokter serve` answers at /openapi.json: valid OpenAPI 3.1 by
// @seriousme/openapi-schema-validator (the specification's JSON schema, and every $ref
// resolved), and true to the service: real answers of every documented operation have a
// documented status and media type, and their bodies match the documented schemas (ajv,
// JSON Schema 2020-12, the dialect of OpenAPI 3.1).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Validator } from '@seriousme/openapi-schema-validator'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

const here = path.dirname(fileURLToPath(import.meta.url))
const binary =
  process.env.VOKTER_BINARY || path.resolve(here, '..', '..', 'build', 'debug', 'vokter')

// A `vokter serve` on a free loopback port over a temporary database, with a moderator token
// and an Akismet key; `env` adds to the environment (VOKTER_ISSO_PREFIX, …).
async function startVokter(env = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vokter-openapi-'))
  const db = path.join(dir, 'vokter.db')
  const secret = args => execFileSync(binary, [...args, '--db', db], { encoding: 'utf8' })
    .split('\n')[1].trim()
  const token = secret(['moderator', 'add', 'kari'])
  const key = secret(['apikey', 'add', 'blogg', '--blog', 'https://blogg.example.no'])
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--db', db,
    '--rate-limit-per-minute', '0', '--log-requests', 'false'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env }
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
    base: `http://127.0.0.1:${port}`,
    token,
    key,
    async stop() {
      const exited = new Promise(resolve => child.on('exit', resolve))
      child.kill('SIGTERM')
      await exited
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

async function fetchDocument(server) {
  const res = await fetch(`${server.base}/openapi.json`)
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8')
  return res.json()
}

// Validates `doc`; resolves to { valid, errors } with every $ref resolved when it is valid.
// Works on a copy: resolveRefs() replaces the references in place, leaving cycles.
async function validate(doc) {
  const validator = new Validator()
  const result = await validator.validate(structuredClone(doc))
  if (result.valid) {
    try {
      validator.resolveRefs()
    } catch (error) {
      return { valid: false, errors: [String(error)] }
    }
  }
  return result
}

async function assertValid(doc) {
  const result = await validate(doc)
  assert.ok(result.valid, `the validator reports:\n${JSON.stringify(result.errors, null, 2)}`)
}

let server
let doc

before(async () => {
  server = await startVokter()
  doc = await fetchDocument(server)
})
after(() => server?.stop())

test('the served document is valid OpenAPI 3.1', async () => {
  assert.match(doc.openapi, /^3\.1\./)
  assert.ok(Validator.supportedVersions.has('3.1'))
  await assertValid(doc)
})

test('broken copies of it are reported invalid', async () => {
  // An operation without `responses` would not do: OpenAPI 3.1 made that field optional.
  const breakages = {
    'a response without its description': d => {
      delete d.paths['/api/counts'].get.responses['200'].description
    },
    'responses of the wrong type': d => {
      d.paths['/api/counts'].get.responses = '200'
    },
    'a parameter in the body': d => {
      d.paths['/api/comments'].get.parameters[0].in = 'body'
    },
    'a $ref to nothing': d => {
      d.paths['/api/counts'].get.responses['422'] = { $ref: '#/components/responses/Nothing' }
    },
    'a status that is no status': d => {
      d.paths['/api/counts'].get.responses['2000'] = { description: 'two thousand' }
    }
  }
  for (const [what, breakIt] of Object.entries(breakages)) {
    const broken = structuredClone(doc)
    broken.openapi = '3.1.0'
    breakIt(broken)
    const result = await validate(broken)
    assert.equal(result.valid, false, `${what}: reported valid`)
  }
})

test('with another Isso prefix, or none, the document is valid too', async () => {
  for (const prefix of ['/kommentarer', '']) {
    const other = await startVokter({ VOKTER_ISSO_PREFIX: prefix })
    try {
      const served = await fetchDocument(other)
      await assertValid(served)
      const isso = Object.keys(served.paths).filter(p => p.endsWith('/new'))
      assert.deepEqual(isso, prefix ? [`${prefix}/new`] : [])
    } finally {
      await other.stop()
    }
  }
})

// --- Real answers against the document ---------------------------------------------------------

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
let documentAdded = false
const compiled = new Map()

function pointer(parts) {
  return '#/' + parts.map(p => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')
}

function resolveResponse(response) {
  if (!response?.$ref) return response
  const name = response.$ref.replace('#/components/responses/', '')
  return doc.components.responses[name]
}

const mediaType = type => (type || '').split(';')[0].trim().toLowerCase()

// Every operation a check has seen, to tell at the end which were never tried.
const seen = new Set()

// `res` (with `body` read as text) is an answer to operation `method template`: its status is
// documented (or falls under `default`), its media type is one the response documents, and a
// JSON body matches the documented schema; a text/plain one with documented examples is one
// of them.
function checkAnswer(method, template, res, body) {
  const operation = `${method.toUpperCase()} ${template}`
  seen.add(operation)
  const documented = doc.paths[template]?.[method]
  assert.ok(documented, `${operation} is not documented`)
  const status = String(res.status)
  const key = status in documented.responses ? status : 'default'
  const response = resolveResponse(documented.responses[key])
  assert.ok(response, `${operation} answered ${status}, which is not documented`)
  if (!response.content) {
    assert.equal(body, '', `${operation} ${status}: a body where none is documented`)
    return
  }
  const type = mediaType(res.headers.get('content-type'))
  const entry = Object.entries(response.content).find(([name]) => mediaType(name) === type)
  assert.ok(entry, `${operation} ${status}: ${type} is not documented (${Object.keys(response.content)})`)
  const [name, media] = entry
  if (type.endsWith('json')) {
    if (!documentAdded) {
      ajv.addSchema(doc, 'openapi.json')
      documentAdded = true
    }
    const where = response === documented.responses[key]
      ? pointer(['paths', template, method, 'responses', key, 'content', name, 'schema'])
      : pointer(['components', 'responses', documented.responses[key].$ref.split('/').pop(),
        'content', name, 'schema'])
    if (!compiled.has(where)) compiled.set(where, ajv.compile({ $ref: `openapi.json${where}` }))
    const check = compiled.get(where)
    const value = JSON.parse(body)
    assert.ok(check(value), `${operation} ${status}: the body does not match ${where}:\n` +
      `${JSON.stringify(check.errors, null, 2)}\n${body.slice(0, 2000)}`)
  } else if (type === 'text/plain' && media.schema?.examples) {
    assert.ok(media.schema.examples.includes(body), `${operation} ${status}: ${body}`)
  }
}

// Asks the server and checks the answer; resolves to { res, body, json }.
async function ask(method, template, { path: concrete, headers = {}, body, form, token } = {}) {
  const init = { method: method.toUpperCase(), headers: { ...headers }, redirect: 'manual' }
  if (token) init.headers.Authorization = `Bearer ${server.token}`
  if (form !== undefined) {
    init.headers['Content-Type'] = 'application/x-www-form-urlencoded'
    init.body = new URLSearchParams(form).toString()
  } else if (typeof body === 'string') {
    init.body = body
  } else if (body !== undefined) {
    init.headers['Content-Type'] = init.headers['Content-Type'] || 'application/json'
    init.body = JSON.stringify(body)
  }
  const res = await fetch(server.base + (concrete || template), init)
  const text = await res.text()
  checkAnswer(method, template, res, text)
  let json
  if (mediaType(res.headers.get('content-type')).endsWith('json')) json = JSON.parse(text)
  return { res, body: text, json }
}

test('an answer unlike the document fails the check', () => {
  const answer = (status, type) => ({ status, headers: new Headers({ 'content-type': type }) })
  const json = 'application/json; charset=utf-8'
  checkAnswer('get', '/api/form-token', answer(200, json), '{"form_token":"1.ab"}')
  assert.throws(() => checkAnswer('get', '/api/form-token', answer(200, json), '{"token":1}'),
    /does not match/)
  assert.throws(() => checkAnswer('post', '/api/comments', answer(201, json),
    '{"id":1,"status":"published","parent":null,"edit_token":"x","edit_until":"x"}'),
  /does not match/)
  assert.throws(() => checkAnswer('get', '/api/counts', answer(422, json), '{}'), /not documented/)
  assert.throws(() => checkAnswer('post', '/1.1/comment-check',
    answer(200, 'text/plain; charset=utf-8'), 'maybe'))
  assert.throws(() => checkAnswer('get', '/metrics', answer(200, 'text/html'), ''),
    /not documented/)
  seen.clear()
})

test('real answers of every documented operation match the document', async () => {
  const thread = '/blogg/fem-laeringspunkter'
  const auth = { token: true }

  // The public comment API.
  const posted = await ask('post', '/api/comments', {
    body: { thread, name: 'Kari', email: 'kari@example.no', website: 'kari.example.no',
      body: 'Takk for en god oppsummering – særlig punkt 3!' }
  })
  assert.equal(posted.res.status, 201)
  const id = posted.json.id
  const reply = await ask('post', '/api/comments', {
    body: { thread, parent: id, name: 'Ola', body: 'Enig, og punkt 4 er like godt.' }
  })
  assert.equal(reply.res.status, 201)
  await ask('post', '/api/comments', { form: { thread, name: 'Per', body: 'Uten JavaScript.' } })
  assert.equal((await ask('post', '/api/comments', { body: { thread } })).res.status, 422)
  assert.equal((await ask('post', '/api/comments', { body: 'not json', headers: { 'Content-Type': 'application/json' } })).res.status, 400)
  assert.equal((await ask('post', '/api/comments', { body: 'x', headers: { 'Content-Type': 'text/plain' } })).res.status, 415)
  const page = await ask('get', '/api/comments', { path: `/api/comments?thread=${thread}&limit=1` })
  assert.equal(page.json.comments[0].replies.length, 1)
  await ask('get', '/api/counts', { path: `/api/counts?thread=${thread}&thread=/blogg/ny` })
  await ask('get', '/api/form-token', { path: `/api/form-token?thread=${thread}` })
  await ask('put', '/api/comments/{id}', {
    path: `/api/comments/${id}`,
    headers: { 'X-Edit-Token': posted.json.edit_token },
    body: { body: 'Takk for en god oppsummering – særlig punkt 3 og 4!' }
  })
  assert.equal((await ask('put', '/api/comments/{id}', {
    path: `/api/comments/${id}`, headers: { 'X-Edit-Token': 'wrong' }, body: { body: 'x' }
  })).res.status, 403)
  await ask('delete', '/api/comments/{id}', {
    path: `/api/comments/${reply.json.id}`, headers: { 'X-Edit-Token': reply.json.edit_token }
  })
  assert.equal((await ask('delete', '/api/comments/{id}', {
    path: '/api/comments/999999', headers: { 'X-Edit-Token': 'x' }
  })).res.status, 404)

  // For operators.
  await ask('get', '/healthz')
  await ask('get', '/metrics')
  const openapi = await ask('get', '/openapi.json')
  const etag = openapi.res.headers.get('etag')
  assert.equal((await ask('get', '/openapi.json', { headers: { 'If-None-Match': etag } })).res.status, 304)

  // The embedded web files.
  for (const [route, item] of Object.entries(doc.paths)) {
    if (item.get?.tags?.includes('web')) await ask('get', route)
  }

  // The moderator API.
  assert.equal((await ask('get', '/api/moderation/queue')).res.status, 401)
  const queue = await ask('get', '/api/moderation/queue', { ...auth, path: '/api/moderation/queue?status=approved&sort=newest&limit=1' })
  assert.ok(queue.json.next_cursor)
  await ask('get', '/api/moderation/queue', { ...auth, path: `/api/moderation/queue?status=approved&sort=newest&cursor=${queue.json.next_cursor}` })
  await ask('get', '/api/moderation/comments/{id}', { ...auth, path: `/api/moderation/comments/${id}` })
  assert.equal((await ask('get', '/api/moderation/comments/{id}', { ...auth, path: '/api/moderation/comments/999999' })).res.status, 404)
  await ask('post', '/api/moderation/decisions', { ...auth, body: { ids: [id, 999999], action: 'reject', note: 'test' } })
  assert.equal((await ask('post', '/api/moderation/decisions', { ...auth, body: { ids: [], action: 'x' } })).res.status, 422)
  await ask('get', '/api/moderation/log', { ...auth })
  await ask('get', '/api/moderation/stats', { ...auth })
  const me = await ask('get', '/api/moderation/me', { ...auth })
  assert.equal(me.json.name, 'kari')
  await ask('post', '/api/moderation/personal-data', { ...auth, body: { email: 'kari@example.no' } })
  assert.equal((await ask('post', '/api/moderation/personal-data', { ...auth, body: { email: 'nobody@example.no' } })).res.status, 404)
  const rules = await ask('get', '/api/rules', { ...auth })
  assert.equal((await ask('put', '/api/rules', { ...auth, body: rules.json.text || '', headers: { 'Content-Type': 'text/plain' } })).res.status, 409)
  if (rules.json.text) {
    await ask('post', '/api/rules/check', { ...auth, path: '/api/rules/check?rescore=10', body: rules.json.text, headers: { 'Content-Type': 'text/plain' } })
  }
  assert.equal((await ask('post', '/api/rules/check', { ...auth, body: 'not = [a rule file', headers: { 'Content-Type': 'text/plain' } })).res.status, 422)
  await ask('post', '/api/rules/reload', { ...auth })
  await ask('post', '/api/moderation/personal-data/erase', { ...auth, body: { email: 'kari@example.no', bodies: true } })

  // The Akismet-compatible API.
  const akismet = { user_ip: '203.0.113.7', comment_content: 'Takk!', permalink: `https://blogg.example.no${thread}` }
  assert.equal((await ask('post', '/1.1/verify-key', { form: { key: server.key, blog: 'https://blogg.example.no' } })).body, 'valid')
  assert.equal((await ask('post', '/1.1/verify-key', { form: { key: 'nope' } })).body, 'invalid')
  await ask('post', '/1.1/comment-check', { form: { ...akismet, api_key: server.key } })
  assert.equal((await ask('post', '/1.1/comment-check', { form: { api_key: server.key } })).body, 'Missing required field: user_ip.')
  await ask('post', '/1.1/submit-spam', { form: { ...akismet, api_key: server.key } })
  await ask('post', '/1.1/submit-ham', { form: { ...akismet, api_key: server.key } })
  assert.equal((await ask('post', '/1.1/submit-ham', { body: 'x'.repeat(300000), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).res.status, 413)

  // The Isso-compatible API.
  await ask('get', '/isso/config')
  const isso = await ask('post', '/isso/new', {
    path: `/isso/new?uri=${thread}`, body: { text: 'Fra *Isso*.', author: 'Kari', email: null, website: null, parent: null }
  })
  assert.equal(isso.res.status, 201)
  const cookie = isso.res.headers.get('set-cookie').split(';')[0]
  await ask('post', '/isso/new', { path: `/isso/new?uri=${thread}`, body: { text: 'Svar.', parent: isso.json.id } })
  assert.equal((await ask('post', '/isso/new', { path: `/isso/new?uri=${thread}`, body: { text: 'x' }, headers: { 'Content-Type': 'text/plain' } })).res.status, 403)
  await ask('get', '/isso/', { path: `/isso/?uri=${thread}&nested_limit=5` })
  await ask('get', '/isso/', { path: `/isso/?uri=${thread}&parent=${isso.json.id}` })
  await ask('get', '/isso/id/{id}', { path: `/isso/id/${isso.json.id}?plain=1` })
  await ask('put', '/isso/id/{id}', { path: `/isso/id/${isso.json.id}`, headers: { Cookie: cookie }, body: { text: 'Fra *Isso*, rettet.' } })
  await ask('post', '/isso/preview', { body: { text: '**fet**' } })
  await ask('post', '/isso/count', { body: [thread, '/blogg/ny', 7] })
  await ask('get', '/isso/css/isso.css')
  const deleted = await ask('delete', '/isso/id/{id}', { path: `/isso/id/${isso.json.id}`, headers: { Cookie: cookie } })
  assert.equal(deleted.json?.mode, 4)  // its reply keeps its place
  assert.equal((await ask('delete', '/isso/id/{id}', { path: `/isso/id/${isso.json.id}`, headers: { Cookie: cookie } })).res.status, 404)

  const untried = []
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      if (!seen.has(`${method.toUpperCase()} ${route}`)) untried.push(`${method.toUpperCase()} ${route}`)
    }
  }
  assert.deepEqual(untried, [], 'documented operations this test never asked')
})
