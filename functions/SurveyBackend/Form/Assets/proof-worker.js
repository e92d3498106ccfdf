/* The proof of work's Web Worker (GET /api/proof-worker.js), started by form.js while the person answers, so the page
   never stutters. It solves one challenge the way altcha's own worker does (altcha 3.2.2, PBKDF2/SHA-256): keys of
   PBKDF2(password = nonce + counter as 4 big-endian bytes, salt, cost iterations) for counters start, start + step, …
   until one begins with the challenge's keyPrefix; then it posts { counter, derivedKey } back. WebCrypto only. */
'use strict';
function bytes(hex) {
  var out = new Uint8Array(hex.length / 2);
  for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}
function hex(buffer) {
  return Array.prototype.map.call(buffer, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
}
self.onmessage = async function (e) {
  var p = e.data.parameters;
  var nonce = bytes(p.nonce), salt = bytes(p.salt), prefix = bytes(p.keyPrefix);
  var password = new Uint8Array(nonce.length + 4);
  password.set(nonce);
  var counterAt = new DataView(password.buffer);
  var started = performance.now();
  for (var counter = e.data.start; counter <= 0xffffffff; counter += e.data.step) {
    counterAt.setUint32(nonce.length, counter, false);
    var key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
    var derived = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: salt, iterations: p.cost, hash: 'SHA-256' }, key, p.keyLength * 8));
    var i = 0;
    while (i < prefix.length && derived[i] === prefix[i]) i++;
    if (i === prefix.length) {
      self.postMessage({ counter: counter, derivedKey: hex(derived), time: Math.round(performance.now() - started) });
      return;
    }
  }
  self.postMessage({ error: 'no solution' });
};
