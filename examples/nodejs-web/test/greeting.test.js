'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { greeting, parsePort, DEFAULT_GREETING } = require('../app');

test('default greeting when GREETING is unset', () => {
  assert.equal(greeting({}), `${DEFAULT_GREETING}\n`);
});

test('greeting from the environment', () => {
  assert.equal(greeting({ GREETING: 'Howdy' }), 'Howdy\n');
});

test('includes the app name when SLIPWAY_APP_NAME is set', () => {
  assert.equal(greeting({ GREETING: 'Howdy', SLIPWAY_APP_NAME: 'shop-staging' }), 'Howdy (app: shop-staging)\n');
});

test('PORT is required and must be numeric', () => {
  assert.throws(() => parsePort(undefined), /PORT is not set/);
  assert.throws(() => parsePort('http'), /PORT must be a number/);
  assert.equal(parsePort('5000'), 5000);
});
