// Seeds the demo's two waves through the real routes, once: answers to the 2016 wave and to the current survey,
// a release and a published report of each, so the current report shows the change since 2016 with all three cases
// (a comparable question, one reworded but marked comparable, one not asked in 2016).
// Usage: node scripts/demo-waves.mjs <base url> <function key>. Skips itself when the 2016 wave already has a release.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

const [base, key] = process.argv.slice(2);
const perWave = 80;
const previousFile = 'functions/SurveyBackend/Surveys/Samples/social-media-in-local-government-2016.json';
const currentId = 'social-media-in-local-government';

// The flood guard allows each client a burst of 20: each batch of answers comes from its own loopback address.
let nextAddress = 2;
function request(method, path, body, { admin = false, from = '127.0.0.1' } = {}) {
  const url = new URL(path, base);
  const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers = { 'content-type': 'application/json' };
  if (admin) headers['x-functions-key'] = key;
  if (data) headers['content-length'] = data.length;
  return new Promise((resolve, reject) => {
    const req = http.request({ method, host: url.hostname, port: url.port, path: url.pathname + url.search, headers, localAddress: from }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null, text });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function must(promise, what) {
  const res = await promise;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res;
}

// A small seeded generator, so every first start seeds the same answers.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Later options grow likelier in the later wave, so the shares move between the waves.
function answers(definition, next, lean) {
  const result = {};
  for (const q of definition.questions) {
    const ids = q.options.filter(o => !o.exclusive).map(o => o.id);
    const weights = ids.map((_, i) => 1 + lean * i);
    const pick = pool => {
      const total = pool.reduce((s, i) => s + weights[i], 0);
      let r = next() * total;
      for (const i of pool) { r -= weights[i]; if (r <= 0) return i; }
      return pool[pool.length - 1];
    };
    if (q.type === 'single') { result[q.id] = ids[pick(ids.map((_, i) => i))]; continue; }
    const count = 1 + Math.floor(next() * Math.min(3, q.maxSelections ?? 3));
    const pool = ids.map((_, i) => i);
    const chosen = [];
    while (chosen.length < count && pool.length) chosen.push(...pool.splice(pool.indexOf(pick(pool)), 1));
    result[q.id] = chosen.map(i => ids[i]);
  }
  return result;
}

// Each answer pays with a solved proof of work, as a script must (start.sh runs it at a low difficulty).
async function proof(from) {
  const challenge = (await must(request('GET', '/api/challenge', undefined, { from }), 'challenge')).json;
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function submit(surveyId, definition, seed, lean) {
  const next = random(seed);
  for (let i = 0; i < perWave; i += 20) {
    const from = `127.0.0.${nextAddress++}`;
    for (let j = i; j < Math.min(perWave, i + 20); j++) {
      const body = { submissionId: randomUUID(), answers: answers(definition, next, lean), website: '', proof: await proof(from) };
      await must(request('POST', `/api/surveys/${surveyId}/responses`, body, { from }), 'submit');
    }
  }
}

async function counted(surveyId) {
  for (let i = 0; i < 240; i++) {
    const res = await must(request('GET', `/api/admin/surveys/${surveyId}/results`, undefined, { admin: true }), 'results');
    if (res.json.respondents >= perWave) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${surveyId}: the answers were not all counted in time`);
}

async function publish(surveyId, title, summary) {
  const publishAt = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const res = await must(request('POST', `/api/admin/surveys/${surveyId}/reports`, { title, summary, publishAt }, { admin: true }), 'publish');
  return res.json.url;
}

const previous = JSON.parse(readFileSync(previousFile, 'utf8'));
const releases = await request('GET', `/api/admin/surveys/${previous.id}/releases`, undefined, { admin: true });
if (releases.status === 200 && releases.json.length > 0) {
  console.log('Demo waves already seeded.');
  process.exit(0);
}

// The 2016 wave is closed: open it for its answers, then put it back exactly as the sample has it.
await must(request('PUT', `/api/admin/surveys/${previous.id}`, { ...previous, status: 'open', closesAt: new Date(Date.now() + 86_400_000).toISOString() }, { admin: true }), 'open 2016');
await submit(previous.id, previous, 2016, 0.2);
const current = (await must(request('GET', `/api/surveys/${currentId}`), 'current survey')).json;
await submit(currentId, current, 2017, 0.8);
await counted(previous.id);
await counted(currentId);
await publish(previous.id, 'Social media in local government 2016', 'The 2016 wave (demo answers).');
await must(request('PUT', `/api/admin/surveys/${previous.id}`, readFileSync(previousFile, 'utf8'), { admin: true }), 'close 2016');
// The current survey declares Welsh, so its report is published in both languages (?lang=cy reads it in Welsh).
const url = await publish(currentId,
  { en: 'Social media in local government: what changed since 2016', cy: "Y cyfryngau cymdeithasol mewn llywodraeth leol: beth sydd wedi newid ers 2016" },
  { en: 'Demo answers: the report shows the change since the 2016 wave.', cy: "Atebion enghreifftiol: mae'r adroddiad yn dangos y newid ers cylch 2016." });
console.log(`Demo report with the change since 2016: ${url}`);
