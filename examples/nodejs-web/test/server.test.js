'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createServer } = require('../app');

test('HTTP endpoints', async (t) => {
  const server = createServer({ GREETING: 'Hi from a test', SLIPWAY_APP_NAME: 'ci' });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${server.address().port}`;

  await t.test('GET / serves the greeting', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'Hi from a test (app: ci)\n');
  });

  await t.test('GET /health is ok', async () => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok\n');
  });

  await t.test('unknown path is 404', async () => {
    const res = await fetch(`${base}/nope`);
    assert.equal(res.status, 404);
    await res.text();
  });
});
