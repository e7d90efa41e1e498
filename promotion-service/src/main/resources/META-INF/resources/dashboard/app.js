// Slipway dashboard: a small ES module, no framework and no build step (ADR 0018).
// Every value from the API reaches the page through textContent or an attribute, never as HTML.

const TOKEN_KEY = 'slipway.token';
const main = document.getElementById('main');
const sessionNav = document.getElementById('session');
let services = { build: '', test: '', deploy: '' };
let session = null;
let stopLive = () => {};

/** Creates an element: h('a', {href: '#/'}, 'text', child…). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, message, service) {
    super(message);
    this.status = status;
    this.service = service;
  }
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function base(service) {
  return service === 'promotion' ? '' : services[service] || '';
}

/** Calls a service's API with the session's token; answers parsed JSON (or text). */
async function api(service, path, options = {}) {
  const headers = { Authorization: 'Bearer ' + token(), ...(options.headers || {}) };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(base(service) + path, {
    method: options.method || 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await r.text();
  let body = text;
  try { body = text ? JSON.parse(text) : null; } catch (e) { /* plain text */ }
  if (!r.ok) {
    const message = body && body.message ? body.message : r.status + ' ' + r.statusText;
    throw new ApiError(r.status, message, service);
  }
  return body;
}

/**
 * Follows a server-sent event stream with the token in a header (EventSource cannot send one);
 * calls onEvent(data) per event and reconnects after a drop. Answers a function that stops it.
 */
function follow(service, path, onEvent, onState = () => {}) {
  const abort = new AbortController();
  let stopped = false;
  (async () => {
    while (!stopped) {
      try {
        const r = await fetch(base(service) + path, {
          headers: { Authorization: 'Bearer ' + token(), Accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!r.ok) throw new ApiError(r.status, 'stream answered ' + r.status);
        onState('live');
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            const data = block.split(/\r?\n/).filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).replace(/^ /, '')).join('\n');
            if (data) onEvent(data);
          }
        }
        if (!stopped) onState('ended');
        return;
      } catch (e) {
        if (stopped) return;
        onState(e.status === 401 || e.status === 403 || e.status === 404 ? 'refused' : 'reconnecting');
        if (e.status === 401 || e.status === 403 || e.status === 404) return;
        await new Promise((ok) => setTimeout(ok, 3000));
      }
    }
  })();
  return () => { stopped = true; abort.abort(); };
}

const ROLES = ['viewer', 'developer', 'admin'];
function may(role) {
  return session && ROLES.indexOf(session.role) >= ROLES.indexOf(role);
}

function short(sha, n = 7) {
  return sha ? String(sha).slice(0, n) : '—';
}

function when(instant) {
  if (!instant) return '—';
  const d = new Date(instant);
  const ago = Math.round((Date.now() - d.getTime()) / 1000);
  const rel = ago < 60 ? ago + ' s ago' : ago < 3600 ? Math.round(ago / 60) + ' min ago'
    : ago < 86400 ? Math.round(ago / 3600) + ' h ago' : Math.round(ago / 86400) + ' d ago';
  return h('time', { datetime: d.toISOString(), title: d.toISOString() }, rel);
}

function status(s) {
  return h('span', { class: 'status ' + (s || 'none') }, s || 'none');
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function show(...children) {
  main.replaceChildren(...children);
}

function failure(e) {
  return h('p', { class: 'error', role: 'alert' }, e.status === 401
    ? (e.service || 'this') + '-service does not accept this token (tokens belong to one service; the admin token works everywhere).'
    : e.status === 403 ? 'Your role may not see this.' : String(e.message || e));
}

// ---- login ----

function renderLogin(message) {
  sessionNav.replaceChildren();
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true });
  const error = h('p', { class: 'error', role: 'alert' }, message || '');
  const form = h('form', { class: 'login card', onsubmit: async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    try {
      await start();
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      error.textContent = e.status === 401 ? 'The service does not know this token.' : String(e.message);
    }
  } },
  h('h1', {}, 'Sign in'),
  h('p', {}, 'Paste a Slipway API token. It is kept in this tab only (session storage) and sent to the services as a bearer token.'),
  h('label', { for: 'token' }, 'API token'), input,
  h('button', { type: 'submit' }, 'Sign in'), error);
  show(form);
  input.focus();
}

async function start() {
  session = await api('promotion', '/dashboard/session');
  sessionNav.replaceChildren(
    h('span', { id: 'who' }, session.name + ' (' + session.role + ') '),
    h('button', { class: 'link', type: 'button', onclick: () => {
      sessionStorage.removeItem(TOKEN_KEY);
      session = null;
      stopLive();
      history.replaceState(null, '', '#/');
      renderLogin('Signed out.');
    } }, 'Sign out'));
  await route();
}

// ---- routing ----

async function route() {
  stopLive();
  stopLive = () => {};
  if (!token() || !session) return renderLogin();
  const hash = location.hash || '#/';
  let m;
  try {
    if ((m = hash.match(/^#\/pipelines\/([0-9a-f-]{36})\/test-runs$/))) await renderTestRuns(m[1]);
    else if ((m = hash.match(/^#\/pipelines\/([0-9a-f-]{36})$/))) await renderPipeline(m[1]);
    else if ((m = hash.match(/^#\/test-runs\/([0-9a-f-]{36})$/))) await renderTestRun(m[1]);
    else if ((m = hash.match(/^#\/builds\/([0-9a-f-]{36})$/))) await renderBuild(m[1]);
    else if ((m = hash.match(/^#\/apps\/([a-z][a-z0-9-]{1,28}[a-z0-9])\/logs$/))) await renderAppLogs(m[1]);
    else await renderPipelines();
  } catch (e) {
    // Tokens belong to one service (ADR 0006): only promotion-service refusing it ends the session.
    if (e.status === 401 && e.service === 'promotion') {
      sessionStorage.removeItem(TOKEN_KEY);
      return renderLogin('The token was refused; sign in again.');
    }
    show(failure(e));
  }
}

async function renderPipelines() {
  const list = await api('promotion', '/pipelines');
  document.title = 'Pipelines · Slipway';
  show(h('h1', {}, 'Pipelines'),
    list.length === 0 ? h('p', { class: 'muted' }, 'No pipeline yet: slipway pipelines:create.')
      : h('ul', { class: 'plain card' }, list.map((p) => h('li', {},
        h('a', { href: '#/pipelines/' + p.id }, p.name), ' ', h('span', { class: 'muted' }, p.repository_url || '')))));
}

// ---- pipeline page ----

async function renderPipeline(id) {
  const overview = await api('promotion', '/pipelines/' + id + '/overview');
  document.title = overview.pipeline.name + ' · Slipway';
  const live = h('span', { class: 'live', id: 'live', 'aria-live': 'polite' }, 'connecting…');
  const page = {
    review: h('section', { class: 'card column', 'aria-labelledby': 'col-review' }),
    staging: h('section', { class: 'card column', 'aria-labelledby': 'col-staging' }),
    production: h('section', { class: 'card column', 'aria-labelledby': 'col-production' }),
    ship: h('section', { class: 'card ship', 'aria-labelledby': 'ship-title' }),
    promotion: h('section', { class: 'card promotion', 'aria-labelledby': 'promotion-title', id: 'promotion' }),
    releases: h('section', { class: 'card', 'aria-labelledby': 'releases-title' }),
    dora: h('section', { class: 'card', 'aria-labelledby': 'dora-title' }),
  };
  show(
    h('h1', {}, 'Pipeline ', h('span', { id: 'pipeline-name' }, overview.pipeline.name), ' ', live),
    h('p', {}, h('a', { href: '#/pipelines/' + id + '/test-runs', id: 'test-runs-link' }, 'Test runs (CI)'),
      ' · ', h('a', { href: '#/' }, 'All pipelines')),
    h('div', { class: 'columns' }, page.review, page.staging, page.production),
    h('div', { class: 'columns' }, page.ship, page.promotion, page.releases),
    page.dora);
  let latest = overview;
  let pending = false;
  const refresh = async () => {
    try {
      latest = await api('promotion', '/pipelines/' + id + '/overview');
      drawColumns(page, latest);
      pending = await drawPromotion(page, id, latest);
      await drawReleases(page, latest);
    } catch (e) {
      live.textContent = 'refresh failed: ' + e.message;
    }
  };
  drawColumns(page, latest);
  pending = await drawPromotion(page, id, latest);
  await drawReleases(page, latest);
  drawDora(page, id, latest);
  let timer = null;
  page.refresh = () => { clearTimeout(timer); timer = setTimeout(refresh, 150); };
  currentPage = page;
  stopLive = follow('promotion', '/dashboard/pipelines/' + id + '/events', (data) => {
    if (data === 'gone') live.textContent = 'pipeline deleted';
    if (data === 'changed' || (data === 'heartbeat' && pending)) page.refresh();
  }, (state) => { live.textContent = state === 'live' ? '● live' : state; });
}

let currentPage = null;

function appCard(app, stage) {
  const r = app.current_release;
  const t = app.test_run;
  return h('article', { class: 'app', 'data-app': app.app_name, 'data-stage': stage },
    h('h3', {}, app.app_name, ' ', h('a', { href: '#/apps/' + app.app_name + '/logs', class: 'small' }, 'logs')),
    facts([
      ['Release', h('span', { class: 'release-version' }, r ? 'v' + r.version : 'none yet')],
      ['Commit', h('span', { class: 'mono' }, short(r && r.commit_sha))],
      ['Artifact', h('span', { class: 'mono', title: r ? r.artifact_digest : '' }, r ? short(r.artifact_digest, 19) : '—')],
      ['Deployed', r ? when(r.deployed_at) : '—'],
      ['CI', t ? h('a', { href: '#/test-runs/' + t.id }, status(t.status), ' #' + t.number) : status(null)],
    ]));
}

function drawColumns(page, o) {
  const stage = (name) => (o.stages.find((s) => s.stage === name) || { apps: [] }).apps;
  page.review.replaceChildren(h('h2', { id: 'col-review' }, 'Review apps'),
    o.review_apps.length === 0 ? h('p', { class: 'muted' }, 'No open pull request has a review app.')
      : h('ul', { class: 'plain', id: 'review-apps' }, o.review_apps.map((a) => h('li', { 'data-pr': a.pr_number },
        h('h3', {}, 'PR #' + a.pr_number), facts([
          ['App', a.app_name],
          ['Status', status(a.status)],
          ['URL', a.url ? h('a', { href: a.url, class: 'review-app-link', target: '_blank', rel: 'noopener' }, a.url) : '—'],
          ['Updated', when(a.updated_at)],
        ])))));
  for (const name of ['staging', 'production']) {
    const apps = stage(name);
    page[name].replaceChildren(h('h2', { id: 'col-' + name }, name === 'staging' ? 'Staging' : 'Production'),
      ...(apps.length === 0 ? [h('p', { class: 'muted' }, 'No app in this stage.')] : apps.map((a) => appCard(a, name))));
  }
  if (o.builds_in_flight.length > 0) {
    page.review.append(h('h2', {}, 'Builds in flight'), h('ul', { class: 'plain', id: 'builds' },
      o.builds_in_flight.map((b) => h('li', {}, h('a', { href: '#/builds/' + b.id }, short(b.commit_sha)), ' ',
        b.branch || '', b.pr_number ? ' (PR #' + b.pr_number + ')' : '', ' ', status(b.status)))));
  }
  const p = o.promotion_preview;
  page.ship.replaceChildren(h('h2', { id: 'ship-title' }, 'Would ship'),
    !p ? h('p', { class: 'muted' }, 'Nothing to compare yet.')
      : p.commits.length === 0 ? h('p', { class: 'muted' }, p.target_app + ' already runs ' + short(p.source_commit_sha) + '.')
        : h('div', {}, h('p', {}, p.commits.length + ' commit(s) from ' + p.source_app + ' to ' + p.target_app + ':'),
          h('ol', { id: 'would-ship' }, p.commits.map((c) => h('li', { class: 'mono' }, short(c.sha), ' ', when(c.pushed_at))))));
}

/** Draws the promotion box; answers whether a promotion is still pending (then heartbeats refresh it). */
async function drawPromotion(page, id, o) {
  const p = o.promotion_preview;
  const history = await api('promotion', '/pipelines/' + id + '/promotions?limit=5');
  const last = history[0];
  const box = [h('h2', { id: 'promotion-title' }, 'Promote')];
  const stagingHasRelease = (o.stages.find((s) => s.stage === 'staging') || { apps: [] }).apps
    .some((a) => a.current_release);
  if (may('developer') && p && stagingHasRelease) {
    const message = h('p', { class: 'error', role: 'alert' });
    box.push(h('button', { type: 'button', id: 'promote', onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        await api('promotion', '/pipelines/' + id + '/promotions', { method: 'POST', body: { source: { app: p.source_app } } });
        currentPage && currentPage.refresh();
      } catch (e) {
        message.textContent = e.message;
      } finally {
        ev.target.disabled = false;
      }
    } }, 'Promote ' + p.source_app + ' to ' + p.target_app), message);
  } else if (!may('developer')) {
    box.push(h('p', { class: 'muted', id: 'promote-role' }, 'Promoting needs the developer role.'));
  }
  if (last) {
    box.push(h('div', { id: 'last-promotion' },
      h('p', {}, 'Last promotion: ', status(last.status), ' ', last.source.app, ' ', last.source.release,
        ' by ', last.requested_by || '—', ' ', when(last.created_at)),
      h('ul', { class: 'plain' },
        last.gates.map((g) => h('li', {}, g.passed ? '✔ ' : '✖ ', g.gate, g.reason ? ': ' + g.reason : '')),
        last.targets.map((t) => h('li', {}, '→ ', t.app, ' ', status(t.status), t.error ? ' ' + t.error : ''))),
      last.approvals.length ? h('p', {}, 'Approved by ', last.approvals.map((a) => a.approver).join(', ')) : null,
      last.status === 'pending' && may('developer') && last.gates.some((g) => !g.passed)
        ? h('button', { type: 'button', class: 'secondary', id: 'approve', onclick: async () => {
          try { await api('promotion', '/promotions/' + last.id + '/approvals', { method: 'POST' }); } catch (e) { alert(e.message); }
          currentPage && currentPage.refresh();
        } }, 'Approve') : null));
  }
  page.promotion.replaceChildren(...box);
  return !!last && last.status === 'pending';
}

async function drawReleases(page, o) {
  const prod = (o.stages.find((s) => s.stage === 'production') || { apps: [] }).apps[0];
  const content = [h('h2', { id: 'releases-title' }, 'Production releases')];
  if (!prod) {
    page.releases.replaceChildren(...content, h('p', { class: 'muted' }, 'No production app.'));
    return;
  }
  try {
    const releases = (await api('deploy', '/apps/' + encodeURIComponent(prod.app_name) + '/releases')).slice(0, 6);
    page.prodReleases = releases;
    if (releases.length === 0) content.push(h('p', { class: 'muted' }, prod.app_name + ' has no release yet.'));
    content.push(h('ul', { class: 'plain' }, releases.map((r) => h('li', {},
      h('strong', {}, 'v' + r.version), ' ', status(r.status), ' ', r.current ? '(current) ' : '',
      h('span', { class: 'muted' }, r.description || ''), ' ',
      may('developer') && !r.current && r.status === 'succeeded'
        ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
          if (!confirm('Roll ' + prod.app_name + ' back to v' + r.version + '?')) return;
          try {
            await api('deploy', '/apps/' + encodeURIComponent(prod.app_name) + '/releases', { method: 'POST', body: { rollback_to: 'v' + r.version } });
          } catch (e) { alert(e.message); }
          currentPage && currentPage.refresh();
        } }, 'Rollback to v' + r.version) : null))));
  } catch (e) {
    content.push(failure(e));
  }
  page.releases.replaceChildren(...content);
}

/** DORA figures for 30 and 90 days, with a deployments-per-week chart as inline SVG. */
async function drawDora(page, id, o) {
  const box = [h('h2', { id: 'dora-title' }, 'DORA metrics')];
  try {
    const [d30, d90] = await Promise.all(['30d', '90d'].map((w) => api('promotion', '/pipelines/' + id + '/metrics/dora?window=' + w)));
    const fmt = (m) => (m && m.median_seconds !== null ? duration(m.median_seconds) : '—');
    const rate = (r) => (r && r.rate !== null ? Math.round(r.rate * 100) + ' %' : '—');
    const figure = (name, v30, v90) => h('div', { class: 'figure' }, h('div', { class: 'muted' }, name),
      h('div', { class: 'value' }, v30), h('div', { class: 'muted' }, '90 days: ' + v90));
    box.push(h('div', { class: 'dora' },
      figure('Deployments / day (30 d)', d30.deployment_frequency.per_day.toFixed(2), d90.deployment_frequency.per_day.toFixed(2)),
      figure('Lead time (median)', fmt(d30.lead_time_for_changes), fmt(d90.lead_time_for_changes)),
      figure('Change failure rate', rate(d30.change_failure_rate), rate(d90.change_failure_rate)),
      figure('Time to restore (median)', fmt(d30.time_to_restore), fmt(d90.time_to_restore))));
    box.push(h('h3', {}, 'Production deployments per week, last 90 days'), trend(page.prodReleases || []));
  } catch (e) {
    box.push(failure(e));
  }
  page.dora.replaceChildren(...box);
}

function duration(seconds) {
  return seconds < 120 ? Math.round(seconds) + ' s' : seconds < 7200 ? Math.round(seconds / 60) + ' min'
    : seconds < 172800 ? Math.round(seconds / 3600) + ' h' : Math.round(seconds / 86400) + ' d';
}

function trend(releases) {
  const weeks = new Array(13).fill(0);
  const now = Date.now();
  for (const r of releases) {
    if (r.status !== 'succeeded' || !r.finished_at) continue;
    const age = Math.floor((now - new Date(r.finished_at).getTime()) / (7 * 86400000));
    if (age >= 0 && age < 13) weeks[12 - age] += 1;
  }
  const max = Math.max(1, ...weeks);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'trend');
  svg.setAttribute('viewBox', '0 0 130 60');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Deployments per week, oldest first: ' + weeks.join(', '));
  weeks.forEach((n, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const height = (n / max) * 56;
    rect.setAttribute('x', String(i * 10 + 1));
    rect.setAttribute('y', String(58 - height));
    rect.setAttribute('width', '8');
    rect.setAttribute('height', String(Math.max(height, 0.5)));
    svg.append(rect);
  });
  return svg;
}

// ---- CI ----

async function renderTestRuns(pipelineId) {
  const runs = await api('test', '/pipelines/' + pipelineId + '/test-runs?per_page=50');
  document.title = 'Test runs · Slipway';
  show(h('h1', {}, 'Test runs'),
    h('p', {}, h('a', { href: '#/pipelines/' + pipelineId }, '← Pipeline')),
    h('div', { class: 'card table-scroll' }, h('table', { id: 'test-runs' },
      h('thead', {}, h('tr', {}, ['Run', 'Status', 'Commit', 'Branch', 'Counts', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, runs.map((r) => h('tr', { 'data-status': r.status },
        h('td', {}, h('a', { href: '#/test-runs/' + r.id }, '#' + r.number)),
        h('td', {}, status(r.status)),
        h('td', { class: 'mono' }, short(r.commit_sha)),
        h('td', {}, r.branch || '', r.pr_number ? ' (PR #' + r.pr_number + ')' : ''),
        h('td', {}, r.counts ? r.counts.passed + ' passed, ' + r.counts.failed + ' failed, ' + r.counts.skipped + ' skipped' : '—'),
        h('td', {}, when(r.created_at))))))));
}

const OUTCOME_ORDER = { failed: 0, skipped: 1, passed: 2 };

async function renderTestRun(id) {
  const run = await api('test', '/test-runs/' + id);
  const [cases, flaky] = await Promise.all([
    api('test', '/test-runs/' + id + '/test-cases'),
    api('test', '/pipelines/' + run.pipeline_id + '/flaky-tests').catch(() => []),
  ]);
  const isFlaky = (c) => flaky.some((f) => f.suite === c.suite && f.name === c.name);
  cases.sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]);
  document.title = 'Test run #' + run.number + ' · Slipway';
  const log = h('pre', { class: 'log', id: 'test-output', tabindex: '0', 'aria-label': 'Test output' });
  show(h('h1', {}, 'Test run #' + run.number + ' ', status(run.status)),
    h('p', {}, h('a', { href: '#/pipelines/' + run.pipeline_id + '/test-runs' }, '← Test runs'),
      run.build_id ? [' · ', h('a', { href: '#/builds/' + run.build_id }, 'Build log')] : null),
    h('section', { class: 'card' }, facts([
      ['Commit', h('span', { class: 'mono' }, short(run.commit_sha))],
      ['Branch', run.branch || '—'],
      ['Message', run.message || '—'],
      ['Counts', run.counts ? run.counts.passed + ' passed, ' + run.counts.failed + ' failed, ' + run.counts.skipped + ' skipped' : '—'],
    ])),
    h('section', { class: 'card table-scroll', 'aria-labelledby': 'cases-title' }, h('h2', { id: 'cases-title' }, 'Test cases (failed first)'),
      h('table', { id: 'test-cases' },
        h('thead', {}, h('tr', {}, ['Outcome', 'Suite', 'Name', 'Message'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, cases.map((c) => h('tr', { 'data-outcome': c.outcome },
          h('td', {}, status(c.outcome), isFlaky(c) ? [' ', h('span', { class: 'flaky', title: 'failed and passed on the same commit' }, 'flaky')] : null),
          h('td', { class: 'wrap' }, c.suite || ''),
          h('td', { class: 'wrap case-name' }, c.name),
          h('td', { class: 'wrap' }, c.message || '')))))),
    h('section', { class: 'card', 'aria-labelledby': 'output-title' }, h('h2', { id: 'output-title' }, 'Output (node 0, live)'), log));
  stopLive = streamLog('test', '/test-runs/' + id + '/nodes/0/output', log);
}

async function renderBuild(id) {
  const build = await api('build', '/builds/' + id);
  document.title = 'Build · Slipway';
  const log = h('pre', { class: 'log', id: 'build-log', tabindex: '0', 'aria-label': 'Build log' });
  show(h('h1', {}, 'Build ', status(build.status)),
    h('section', { class: 'card' }, facts([
      ['Commit', h('span', { class: 'mono' }, short(build.commit_sha))],
      ['Branch', build.branch || '—'],
    ])),
    h('section', { class: 'card' }, h('h2', {}, 'Log (live)'), log));
  stopLive = streamLog('build', '/builds/' + id + '/log', log);
}

async function renderAppLogs(app) {
  document.title = app + ' logs · Slipway';
  const log = h('pre', { class: 'log', id: 'app-log', tabindex: '0', 'aria-label': app + ' log' });
  show(h('h1', {}, app + ' logs'), h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => history.back() }, '← Back')),
    h('section', { class: 'card' }, h('h2', {}, 'Live (last 100 lines, then as they come)'), log));
  stopLive = streamLog('deploy', '/apps/' + encodeURIComponent(app) + '/logs', log);
}

/** Follows a log's server-sent events into a pre, keeping the view at the bottom. */
function streamLog(service, path, pre) {
  return follow(service, path, (line) => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(line + '\n');
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }, (state) => { if (state === 'refused') pre.append('(the log is not available to this token)\n'); });
}

// ---- boot ----

window.addEventListener('hashchange', () => { route(); main.focus(); });
(async () => {
  try {
    const r = await fetch('/dashboard/services');
    if (r.ok) services = await r.json();
  } catch (e) { /* same origin for every service */ }
  if (!token()) return renderLogin();
  try {
    await start();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    renderLogin(e.status === 401 ? 'The token was refused; sign in again.' : String(e.message));
  }
})();
