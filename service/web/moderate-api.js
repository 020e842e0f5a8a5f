// The moderator API client: every call carries the bearer token kept in sessionStorage (this
// tab only, gone when it closes). A 401 signs the moderator out through onSignedOut.

const TOKEN_KEY = 'vokter:moderator-token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
  onSignedOut: () => {},
};

// An API answer that is not 2xx: status, the problem document (if any) and a readable message.
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

// Calls the API; resolves with the parsed JSON body (null for 204), rejects with ApiError.
// `body` is sent as JSON unless it is a string (then as text/plain, for rule files).
export async function call(method, path, body, token = session.token()) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (typeof body === 'string') {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'omit' });
  let data = null;
  if (res.status !== 204) {
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
  }
  if (res.ok) return data;
  if (res.status === 401 && token === session.token()) {
    session.signOut();
    session.onSignedOut('expired');
  }
  throw new ApiError(res.status, data);
}

export const api = {
  me: () => call('GET', '/api/moderation/me'),
  comment: (id) => call('GET', `/api/moderation/comments/${encodeURIComponent(id)}`),
  queue: (params) => call('GET', `/api/moderation/queue?${new URLSearchParams(params)}`),
  decide: (ids, action) => call('POST', '/api/moderation/decisions', { ids, action }),
  stats: () => call('GET', '/api/moderation/stats'),
  rules: () => call('GET', '/api/rules'),
  checkRules: (text) => call('POST', '/api/rules/check?rescore=500', text),
  saveRules: (text) => call('PUT', '/api/rules', text),
};
