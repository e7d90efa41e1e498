'use strict';

const { parsePort, createServer } = require('./app');

let port;
try {
  port = parsePort(process.env.PORT);
} catch (err) {
  console.error(`nodejs-web: ${err.message}`);
  process.exit(2);
}

const server = createServer(process.env);
server.listen(port, () => {
  console.log(`nodejs-web listening on port ${server.address().port}`);
});

const shutdown = () => server.close(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
