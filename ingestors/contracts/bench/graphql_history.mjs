// Agreement with graphql-inspector on real history: for every SDL file in a
// git repository, diffs each consecutive pair of its versions with
// graphql-inspector (`diff` from @graphql-inspector/core) and with our `diff`
// example, and counts `RULE:CRITICALITY` both report.
//
//   TOOLS_DIR=/tmp/cmpTools node ingestors/contracts/bench/graphql_history.mjs GIT_DIR [SCRATCH=/tmp/graphql_history]
// (build the example first: cargo build -p brain-ingest-contracts --example diff)
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(process.env.TOOLS_DIR ?? '/tmp/cmpTools', 'package.json'));
const { diff } = require('@graphql-inspector/core');
const { buildSchema } = require('graphql');
const [gitDir, scratchArg] = process.argv.slice(2);
const scratch = scratchArg ?? '/tmp/graphql_history';
const ours = join(process.env.CARGO_TARGET_DIR ?? join(here, '../../../target'), 'debug/examples/diff');
const git = (...a) => spawnSync('git', ['--git-dir', gitDir, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
const opts = { assumeValid: true, assumeValidSDL: true }; // subgraphs use directives they do not define
const level = { Breaking: 'BREAKING', Warning: 'DANGEROUS', Safe: 'NON_BREAKING' };

const files = git('ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter((f) => /\.(graphqls?|gql)$/.test(f));
const tot = { pairs: 0, exact: 0, upstream: 0, found: 0, missed: 0, extra: 0, skipped: 0 };
const missedBy = {}, extraBy = {};
mkdirSync(scratch, { recursive: true });
for (const file of files) {
  const revs = git('log', '--format=%H', '--', file).split('\n').filter(Boolean).reverse();
  for (let i = 1; i < revs.length; i++) {
    const [a, b] = [git('show', `${revs[i - 1]}:${file}`), git('show', `${revs[i]}:${file}`)];
    if (!a || !b) { tot.skipped++; continue; }
    let theirs;
    try {
      theirs = (await diff(buildSchema(a, opts), buildSchema(b, opts))).map((c) => `${c.type}:${c.criticality.level}`);
    } catch {
      tot.skipped++; // not a buildable schema on its own (client documents, federation without definitions)
      continue;
    }
    const [op, np] = [join(scratch, 'old.graphql'), join(scratch, 'new.graphql')];
    writeFileSync(op, a);
    writeFileSync(np, b);
    const o = spawnSync(ours, [op, np], { encoding: 'utf8' });
    if (o.status === 2) { console.log(`ours failed on ${file}@${revs[i]}: ${o.stderr.trim()}`); tot.skipped++; continue; }
    const left = JSON.parse(o.stdout).map((c) => `${c.rule}:${level[c.level]}`);
    const missed = [];
    for (const t of theirs) {
      const k = left.indexOf(t);
      if (k >= 0) left.splice(k, 1); else missed.push(t);
    }
    tot.pairs++; tot.upstream += theirs.length; tot.found += theirs.length - missed.length;
    tot.missed += missed.length; tot.extra += left.length;
    if (!missed.length && !left.length) tot.exact++;
    else console.log(`DIFF ${file}@${revs[i].slice(0, 8)}: missed [${missed}] extra [${left}]`);
    for (const m of missed) missedBy[m] = (missedBy[m] ?? 0) + 1;
    for (const m of left) extraBy[m] = (extraBy[m] ?? 0) + 1;
  }
}
console.log(JSON.stringify(tot), 'missed:', JSON.stringify(missedBy), 'extra:', JSON.stringify(extraBy));
