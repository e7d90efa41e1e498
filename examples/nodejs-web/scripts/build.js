'use strict';

// `npm run build`: writes a small build output so the build step is observable.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });
// Reproducible builds: a build time comes from SOURCE_DATE_EPOCH (the commit's time, set by the
// platform), so building the same commit twice gives the same bytes.
const epoch = process.env.SOURCE_DATE_EPOCH;
const builtAt = epoch ? new Date(Number(epoch) * 1000) : new Date();
const info = {
  name: pkg.name,
  version: pkg.version,
  node: process.version,
  builtAt: builtAt.toISOString(),
};
fs.writeFileSync(path.join(dist, 'build-info.json'), JSON.stringify(info, null, 2) + '\n');
console.log(`wrote dist/build-info.json for ${pkg.name}@${pkg.version}`);
