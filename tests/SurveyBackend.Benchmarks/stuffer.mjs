// A script that stuffs the survey, as an attacker would write it, for the `stuffing` benchmark (loopback only, bounded).
//   node stuffer.mjs BASE_URL SURVEY_ID MODE COUNT CONCURRENCY SECONDS
// MODE: `none` posts valid answers without a proof; `solve` gets a challenge, solves it with altcha-lib's own solver
// (the reference, and what an attacker would take) and posts with it. Stops after COUNT posts or SECONDS, whichever
// first, and prints one JSON line: statuses, accepted, wall and CPU seconds of this process (the solver's work included).
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'scripts', 'package.json'));
const { solveChallenge } = require('altcha-lib');
const { deriveKey } = require('altcha-lib/algorithms/pbkdf2');

const [base, surveyId, mode, count, concurrency, seconds] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
const answers = { organisationType: 'county', region: 'wales', role: 'digital', channels: ['twitter'], maturity: 'engage',
  customerService: 'process', teamSize: '1-2', challenge: 'skills' };
const statuses = {};
let started = 0;
const cpu0 = process.cpuUsage();
const wall0 = performance.now();

async function proof() {
  const challenge = await (await fetch(new URL('api/challenge', base))).json();
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function worker() {
  while (started < Number(count) && Date.now() < deadline) {
    started++;
    const body = { submissionId: randomUUID(), answers };
    if (mode === 'solve') body.proof = await proof();
    const res = await fetch(new URL(`api/surveys/${surveyId}/responses`, base),
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  mode, posts: started, statuses, accepted: statuses[202] ?? 0,
  wallSeconds: (performance.now() - wall0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6,
}));
