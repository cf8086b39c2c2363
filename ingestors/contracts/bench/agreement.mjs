// Agreement bench: runs buf and graphql-inspector and our `diff` example on
// the pairs under pairs/ and prints, per pair and in total, the rule ids both
// found, the ones only the upstream tool found (missed) and the ones only we
// found (extra). For GraphQL the criticality level must agree too.
//
// Setup (outside the project):
//   mkdir -p /tmp/cmpTools && cd /tmp/cmpTools && npm init -y &&
//   npm install @bufbuild/buf @graphql-inspector/core@6 graphql
// Run from the workspace root:
//   TOOLS_DIR=/tmp/cmpTools node ingestors/contracts/bench/agreement.mjs
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tools = process.env.TOOLS_DIR ?? '/tmp/cmpTools';
const require = createRequire(join(tools, 'package.json'));
const { diff } = require('@graphql-inspector/core');
const { buildSchema } = require('graphql');
const buf = join(tools, 'node_modules/.bin/buf');

// Ours is `cargo run -p brain-ingest-contracts --example diff -- OLD NEW`; build it
// once and run the binary so the bench does not queue on cargo's lock per pair.
spawnSync('cargo', ['build', '-q', '-p', 'brain-ingest-contracts', '--example', 'diff'], { stdio: 'inherit' });
const target = process.env.CARGO_TARGET_DIR ?? join(here, '../../../target');
const oursBin = join(target, 'debug/examples/diff');

function ours(oldPath, newPath, extra = []) {
  const r = spawnSync(oursBin, [...extra, oldPath, newPath], { encoding: 'utf8' });
  if (r.status === 2) return { error: r.stderr.trim() };
  return { changes: JSON.parse(r.stdout) };
}

function compare(theirs, mine) {
  const left = [...mine];
  const found = [];
  const missed = [];
  for (const t of theirs) {
    const i = left.indexOf(t);
    if (i >= 0) {
      found.push(t);
      left.splice(i, 1);
    } else missed.push(t);
  }
  return { found, missed, extra: left };
}

const totals = {};
function report(kind, name, theirs, mine) {
  const c = compare(theirs, mine);
  const t = (totals[kind] ??= { pairs: 0, exact: 0, found: 0, missed: 0, extra: 0, upstream: 0 });
  t.pairs += 1;
  t.upstream += theirs.length;
  t.found += c.found.length;
  t.missed += c.missed.length;
  t.extra += c.extra.length;
  if (!c.missed.length && !c.extra.length) t.exact += 1;
  const status = !c.missed.length && !c.extra.length ? 'ok ' : 'DIFF';
  console.log(`${status} ${kind}/${name}: found [${c.found}] missed [${c.missed}] extra [${c.extra}]`);
}

const categories = (process.env.CATEGORIES ?? 'FILE,PACKAGE,WIRE_JSON,WIRE').split(',');
for (const category of categories) {
  const config = JSON.stringify({ version: 'v1', breaking: { use: [category] } });
  for (const name of readdirSync(join(here, 'pairs/proto')).sort()) {
    const dir = join(here, 'pairs/proto', name);
    const r = spawnSync(buf, ['breaking', 'new', '--against', 'old', '--error-format', 'json', '--config', config], {
      cwd: dir,
      encoding: 'utf8',
    });
    const theirs = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).type).sort();
    const file = 'acme/orders/v1/orders.proto';
    const o = ours(join(dir, 'old', file), join(dir, 'new', file), ['--category', category]);
    const mine = o.error ? [`error: ${o.error}`] : o.changes.map((c) => c.rule).sort();
    report(`proto ${category}`, name, theirs, mine);
  }
}

const level = { Breaking: 'BREAKING', Warning: 'DANGEROUS', Safe: 'NON_BREAKING' };
for (const name of readdirSync(join(here, 'pairs/graphql')).sort()) {
  const dir = join(here, 'pairs/graphql', name);
  const [op, np] = [join(dir, 'old.graphql'), join(dir, 'new.graphql')];
  const theirs = (await diff(buildSchema(readFileSync(op, 'utf8')), buildSchema(readFileSync(np, 'utf8'))))
    .map((c) => `${c.type}:${c.criticality.level}`)
    .sort();
  const o = ours(op, np);
  const mine = o.error ? [`error: ${o.error}`] : o.changes.map((c) => `${c.rule}:${level[c.level]}`).sort();
  report('graphql', name, theirs, mine);
}

for (const [kind, t] of Object.entries(totals)) {
  console.log(
    `${kind}: ${t.pairs} pairs, ${t.exact} identical; upstream findings ${t.upstream}, found ${t.found}, missed ${t.missed}, extra ${t.extra}`,
  );
}
