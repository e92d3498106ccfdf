// altcha-lib 2.8.0 (npm), run live by the tests that check our C# proof of work against the reference, both ways.
//   node scripts/altcha.mjs create SIGNATURE_SECRET KEY_SECRET COST COUNTER EXPIRES_AT  → a challenge (JSON)
//   node scripts/altcha.mjs solve < challenge.json                                      → its proof, as the widget sends it
//   node scripts/altcha.mjs verify SIGNATURE_SECRET [KEY_SECRET] < proof                → altcha-lib's verdict (JSON)
// Challenges are altcha-lib's default format (v2) with PBKDF2/SHA-256, as the app issues them.
import { createChallenge, solveChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

const [command, ...args] = process.argv.slice(2);
const stdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').trim();
};

if (command === 'create') {
  const [signature, keySignature, cost, counter, expiresAt] = args;
  const challenge = await createChallenge({
    algorithm: 'PBKDF2/SHA-256', cost: Number(cost), counter: Number(counter), expiresAt: Number(expiresAt), deriveKey,
    hmacSignatureSecret: signature, hmacKeySignatureSecret: keySignature,
  });
  process.stdout.write(JSON.stringify(challenge));
} else if (command === 'solve') {
  const challenge = JSON.parse(await stdin());
  // A test waits for this: give up after 20 s rather than altcha-lib's 90.
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 20_000 });
  if (!solution) { console.error('no solution found'); process.exit(1); }
  // The payload the altcha widget puts in its hidden field: base64 of the challenge and its solution.
  process.stdout.write(Buffer.from(JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution })).toString('base64'));
} else if (command === 'verify') {
  const [signature, keySignature] = args;
  const { challenge, solution } = JSON.parse(Buffer.from(await stdin(), 'base64').toString('utf8'));
  const result = await verifySolution({ challenge, solution, deriveKey, hmacSignatureSecret: signature, hmacKeySignatureSecret: keySignature });
  process.stdout.write(JSON.stringify(result));
} else {
  console.error('usage: node scripts/altcha.mjs create|solve|verify …');
  process.exit(2);
}
