// Agreement with buf on real history: samples .proto files modified between
// two revisions of a git repository, writes each file's import closure at both
// revisions to a scratch directory, runs `buf breaking` (FILE) on it and our
// `diff` example on the file, and counts the rule ids both report.
//
//   TOOLS_DIR=/tmp/cmpTools node ingestors/contracts/bench/proto_history.mjs \
//     GIT_DIR OLD_REV NEW_REV [SAMPLES=80] [SCRATCH=/tmp/proto_history]
// (build the example first: cargo build -p brain-ingest-contracts --example diff)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [gitDir, oldRev, newRev, samplesArg, scratchArg] = process.argv.slice(2);
const samples = Number(samplesArg ?? 80);
const scratch = scratchArg ?? '/tmp/proto_history';
const buf = join(process.env.TOOLS_DIR ?? '/tmp/cmpTools', 'node_modules/.bin/buf');
const ours = join(process.env.CARGO_TARGET_DIR ?? join(here, '../../../target'), 'debug/examples/diff');

const git = (...args) => spawnSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const show = (rev, path) => {
  const r = git('show', `${rev}:${path}`);
  return r.status === 0 ? r.stdout : null;
};
// Imports are read with a regex: enough to gather files for buf to compile.
function closure(rev, path) {
  const seen = new Map();
  const stack = [path];
  while (stack.length) {
    const p = stack.pop();
    if (seen.has(p)) continue;
    if (p.startsWith('google/protobuf/')) { seen.set(p, null); continue; } // buf has the well-known types
    const text = show(rev, p);
    if (text === null) return null;
    seen.set(p, text);
    for (const m of text.matchAll(/^\s*import\s+(?:public\s+|weak\s+|option\s+)?"([^"]+)"/gm)) stack.push(m[1]);
  }
  return seen;
}

const changed = git('diff', '--no-renames', '--name-only', '--diff-filter=M', oldRev, newRev, '--', '*.proto')
  .stdout.split('\n').filter(Boolean).sort();
// Deterministic sample: every k-th file.
const step = Math.max(1, Math.floor(changed.length / samples));
rmSync(scratch, { recursive: true, force: true });
const tot = { pairs: 0, exact: 0, upstream: 0, found: 0, missed: 0, extra: 0, skipped: 0 };
const byRule = {};
for (let i = 0; i < changed.length && tot.pairs < samples; i += step) {
  const target = changed[i];
  const [co, cn] = [closure(oldRev, target), closure(newRev, target)];
  if (!co || !cn) { tot.skipped++; continue; }
  const dir = join(scratch, String(i));
  for (const [side, files] of [['old', co], ['new', cn]]) {
    for (const [p, text] of files) {
      if (text === null) continue;
      mkdirSync(dirname(join(dir, side, p)), { recursive: true });
      writeFileSync(join(dir, side, p), text);
    }
  }
  const r = spawnSync(buf, ['breaking', 'new', '--against', 'old', '--error-format', 'json'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 100) { tot.skipped++; continue; }
  const theirs = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((x) => x.path === `new/${target}`).map((x) => x.type).sort();
  const o = spawnSync(ours, [join(dir, 'old', target), join(dir, 'new', target)], { encoding: 'utf8' });
  if (o.status === 2) { console.log(`ours failed on ${target}: ${o.stderr.trim()}`); tot.skipped++; continue; }
  const left = JSON.parse(o.stdout).map((c) => c.rule);
  const missed = [];
  for (const t of theirs) {
    byRule[t] = (byRule[t] ?? 0) + 1;
    const k = left.indexOf(t);
    if (k >= 0) left.splice(k, 1); else missed.push(t);
  }
  tot.pairs++; tot.upstream += theirs.length; tot.found += theirs.length - missed.length;
  tot.missed += missed.length; tot.extra += left.length;
  if (!missed.length && !left.length) tot.exact++;
  else console.log(`DIFF ${target}: missed [${missed}] extra [${left}]`);
}
console.log(JSON.stringify(tot), 'buf findings by rule:', JSON.stringify(byRule));
