'use strict';

const http = require('node:http');

const DEFAULT_GREETING = 'Hello from Slipway';

/** Text served on GET /, built from the environment. */
function greeting(env) {
  const text = env.GREETING && env.GREETING.trim() !== '' ? env.GREETING : DEFAULT_GREETING;
  const app = env.SLIPWAY_APP_NAME && env.SLIPWAY_APP_NAME.trim() !== '' ? ` (app: ${env.SLIPWAY_APP_NAME})` : '';
  return `${text}${app}\n`;
}

/** Parses $PORT; throws with a clear message when missing or malformed. */
function parsePort(value) {
  if (value === undefined || value === null || String(value).trim() === '') {
    throw new Error('PORT is not set; set PORT to the TCP port to listen on (e.g. PORT=5000)');
  }
  const port = Number(String(value).trim());
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a number between 0 and 65535, got '${value}'`);
  }
  return port;
}

function createServer(env) {
  return http.createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const send = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    if (path === '/') return send(200, greeting(env));
    if (path === '/health') return send(200, 'ok\n');
    return send(404, 'not found\n');
  });
}

module.exports = { DEFAULT_GREETING, greeting, parsePort, createServer };
