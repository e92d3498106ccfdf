/* The survey form's script (GET /api/form.js), for the backend's own page /api/surveys/{id}/form, on its own or in the
   frame that embed.js puts on a host page. The page works without it; with it, the form checks answers as the server
   does, posts JSON with the page's submissionId (kept for every retry, so never counted twice), retries network
   failures and 503/429 with backoff (honouring Retry-After), shows 400 errors by field, and shows the thank-you with
   the journey and "How you compare" worked out here. In a frame it tells the host page its height, an integer, and nothing else.
   No cookies, no framework, no requests to anyone but the backend it was loaded from. */
(function () {
  'use strict';
  // The backend is wherever this script came from: .../api/form.js → .../api/
  var api = new URL('.', document.currentScript.src).href;
  var OTHER = 'other';
  var MAX_OTHER = 200;
  var MAX_EMAIL = 254;
  // What EmailAddress.Check refuses as hidden: spaces, controls, format characters (bidi, zero-width), private use.
  var HIDDEN = /[\p{Z}\p{Cc}\p{Cf}\p{Co}\p{Cn}\uFFFD]/u;
  var ATTEMPTS = 6;
  // Language → key → text: the same resources as the server's pages (Languages/strings.*.json), baked in by FormAssets.
  var TEXT = '__UI_TEXT__';
  function fmt(text, values) {
    Object.keys(values).forEach(function (k) { text = text.split('{' + k + '}').join(String(values[k])); });
    return text;
  }
  function byId(id) { return document.getElementById(id); }
  function cssEscape(s) { return window.CSS && window.CSS.escape ? window.CSS.escape(s) : s; }

  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v == null || v === false) return;
      if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    });
    (kids || []).forEach(function (k) { if (k) el.append(k); });
    return el;
  }

/*__COMPARE_JS__*/
/*__JOURNEY_JS__*/
/*__JOURNEY_SCREEN_JS__*/

  /* ---- The form on the page: f holds its parts (see setUp) ---- */

  function setUp(form) {
    var container = form.parentNode;
    var lang = TEXT[container.getAttribute('lang')] ? container.getAttribute('lang') : 'en';
    var f = {
      form: form, container: container, lang: lang, L: TEXT[lang],
      surveyId: form.getAttribute('data-survey-id'),
      // The server's, in the page: the no-JavaScript post would carry the same one.
      submissionId: form.elements.submissionId.value,
      email: byId('sv-email'), consent: byId('sv-consent'),
      status: form.querySelector('.sv-status'), button: form.querySelector('.sv-submit'), busy: false,
    };
    linkControls(f);
    form.addEventListener('submit', function (e) { submit(f, e); });
    startProof(f);
    return f;
  }

  // The rules between controls: the consent box, exclusive options, and "Other" text.
  function linkControls(f) {
    var consentBox = f.consent.closest('.sv-consent');
    // The consent question only matters once an email is given.
    function syncConsent() {
      var has = f.email.value.trim() !== '';
      consentBox.hidden = !has;
      if (!has) f.consent.checked = false;
    }
    f.email.addEventListener('input', syncConsent);
    syncConsent();

    f.form.addEventListener('change', function (e) {
      var t = e.target;
      if (t.type !== 'checkbox' || !t.checked || t === f.consent) return;
      // An exclusive option ("We don't use it yet") and the others exclude each other.
      f.form.querySelectorAll('input[name="' + t.name + '"]').forEach(function (o) {
        if (o !== t && (t.hasAttribute('data-exclusive') || o.hasAttribute('data-exclusive'))) o.checked = false;
      });
    });
    // Typing an "Other" answer chooses "Other".
    f.form.querySelectorAll('.sv-other .sv-input').forEach(function (input) {
      input.addEventListener('input', function () {
        var box = byId('sv-q-' + input.name.slice(6) + '-' + OTHER);
        if (input.value.trim() !== '' && !box.checked) {
          box.checked = true;
          box.dispatchEvent(new Event('change', { bubbles: true }));
        }
      });
    });
  }

  // What the respondent has ticked and typed, in the shape of the JSON body.
  function readAnswers(f) {
    var given = { answers: {}, other: {}, respondent: null };
    f.form.querySelectorAll('.sv-question').forEach(function (q) {
      var id = q.getAttribute('data-question');
      var chosen = Array.prototype.filter.call(q.querySelectorAll('.sv-control'), function (c) { return c.checked; })
        .map(function (c) { return c.value; });
      if (q.getAttribute('data-type') === 'radio') { if (chosen.length) given.answers[id] = chosen[0]; }
      else if (chosen.length) given.answers[id] = chosen;
      var other = byId('sv-other-' + id);
      if (other && other.value.trim() !== '') given.other[id] = other.value.trim();
    });
    var mail = f.email.value.trim();
    if (mail) given.respondent = { email: mail, wantsReport: f.consent.checked, consent: f.consent.checked };
    return given;
  }

  // The JSON post's body, assembled here and only here: the page's submissionId and language, the answers, the honeypot,
  // and the proof of work.
  function jsonBody(f, given, proof) {
    var body = { submissionId: f.submissionId, lang: f.lang, answers: given.answers, other: given.other, website: f.form.elements.website.value, proof: proof };
    if (given.respondent) body.respondent = given.respondent;
    return body;
  }

  // The server's rules (SubmissionRules), so most mistakes are caught before a round trip.
  function check(f, given) {
    var errors = {};
    var L = f.L;
    function add(path, text) { (errors[path] = errors[path] || []).push(text); }
    f.form.querySelectorAll('.sv-question').forEach(function (q) {
      var id = q.getAttribute('data-question');
      var chosen = given.answers[id] == null ? [] : [].concat(given.answers[id]);
      var max = +q.getAttribute('data-max');
      if (!chosen.length && q.getAttribute('data-required') === 'true') add('answers.' + id, L['error.required']);
      if (max && chosen.length > max) add('answers.' + id, fmt(L['error.tooMany'], { max: max }));
      var ex = q.querySelector('[data-exclusive]:checked');
      if (ex && chosen.length > 1) add('answers.' + id, fmt(L['error.exclusive'], { option: ex.labels[0].textContent }));
      var other = given.other[id];
      if (other != null) {
        if (other.length > MAX_OTHER) add('other.' + id, fmt(L['error.otherTooLong'], { max: MAX_OTHER }));
        else if (chosen.indexOf(OTHER) < 0) add('other.' + id, fmt(L['error.otherNotChosen'], { option: L['form.other'] }));
      }
    });
    var r = given.respondent;
    // Octets, as the server counts them (it also counts an internationalised domain as its punycode).
    if (r && new TextEncoder().encode(r.email).length > MAX_EMAIL) add('respondent.email', fmt(L['error.emailTooLong'], { max: MAX_EMAIL }));
    else if (r && r.wantsReport && HIDDEN.test(r.email)) add('respondent.email', L['error.emailCharacters']);
    else if (r && r.wantsReport && !/^[^\s@]{1,64}@[^\s@]+\.[^\s@.]{2,}$/.test(r.email)) add('respondent.email', L['error.emailInvalid']);
    return errors;
  }

  /* ---- Errors at their fields and in a summary that takes focus ---- */

  // Where a field path's error goes, and what a summary link focuses.
  function field(f, path) {
    var m = /^answers\.([^.[]+)/.exec(path);
    if (m) {
      var q = f.form.querySelector('.sv-question[data-question="' + cssEscape(m[1]) + '"]');
      return q && { box: q, anchor: q.querySelector('.sv-options'), described: q.querySelector('fieldset'), target: q.querySelector('.sv-control'), id: 'sv-err-q-' + m[1] };
    }
    m = /^other\.(.+)$/.exec(path);
    var input = m ? byId('sv-other-' + m[1])
      : path === 'respondent.email' ? f.email
      : /^respondent\.(wantsReport|consent)$/.test(path) ? f.consent : null;
    if (!input) return null;
    var box = input.closest('.sv-other, .sv-field, .sv-consent');
    return { box: box, anchor: input.closest('.sv-option') || input, described: input, target: input, input: input, id: 'sv-err-' + (m ? 'other-' + m[1] : input === f.email ? 'email' : 'consent') };
  }

  function clearErrors(f) {
    var form = f.form;
    var old = form.querySelector('.sv-summary');
    if (old) old.remove();
    form.querySelectorAll('.sv-error').forEach(function (e) { e.remove(); });
    form.querySelectorAll('.sv-question--error, .sv-field--error, .sv-other--error').forEach(function (e) {
      e.classList.remove('sv-question--error', 'sv-field--error', 'sv-other--error');
    });
    form.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
    form.querySelectorAll('[aria-describedby]').forEach(function (e) {
      var ids = e.getAttribute('aria-describedby').split(' ').filter(function (id) { return id.indexOf('sv-err-') !== 0; });
      if (ids.length) e.setAttribute('aria-describedby', ids.join(' ')); else e.removeAttribute('aria-describedby');
    });
  }

  function showErrors(f, errors) {
    clearErrors(f);
    var items = [];
    var byField = {};
    Object.keys(errors).forEach(function (path) {
      var fd = field(f, path);
      if (fd && !byField[fd.id]) byField[fd.id] = { f: fd, texts: [] };
      errors[path].forEach(function (text) {
        if (fd) byField[fd.id].texts.push(text);
        items.push({ f: fd, text: text });
      });
    });
    Object.keys(byField).forEach(function (key) {
      var fd = byField[key].f;
      fd.anchor.before(h('p', { class: 'sv-error', id: fd.id }, [h('span', { class: 'sv-visually-hidden', text: f.L['form.errorPrefix'] + ' ' }), byField[key].texts.join(' ')]));
      fd.box.classList.add(fd.input ? (fd.box.classList.contains('sv-other') ? 'sv-other--error' : 'sv-field--error') : 'sv-question--error');
      if (fd.input) fd.input.setAttribute('aria-invalid', 'true');
      var d = fd.described.getAttribute('aria-describedby');
      fd.described.setAttribute('aria-describedby', (d ? d + ' ' : '') + fd.id);
    });
    // In the order of the form, so the summary reads like the page.
    var controls = Array.prototype.slice.call(f.form.querySelectorAll('input'));
    items.sort(function (a, b) { return (a.f ? controls.indexOf(a.f.target) : -1) - (b.f ? controls.indexOf(b.f.target) : -1); });
    var list = h('ul');
    items.forEach(function (item) {
      if (!item.f) return list.append(h('li', { text: item.text }));
      var a = h('a', { href: '#' + item.f.target.id, text: item.text });
      // Focus by hand: a fragment would scroll the frame, which has no scroll of its own inside a host page.
      a.addEventListener('click', function (e) { e.preventDefault(); item.f.target.focus(); });
      list.append(h('li', {}, [a]));
    });
    var summary = h('div', { class: 'sv-summary', tabindex: '-1', role: 'alert', 'aria-labelledby': 'sv-summary-title' }, [
      h('h2', { class: 'sv-summary-title', id: 'sv-summary-title', text: f.L['form.errorSummary'] }), list]);
    f.form.querySelector('.sv-intro').after(summary);
    summary.focus();
  }

  /* ---- The proof of work, solved while the person answers ---- */

  // A challenge from the backend, solved in Web Workers (GET /api/proof-worker.js) from the moment the page is up, so a
  // person usually never waits for it. Resolves to null when no proof can be made (no workers or WebCrypto, no challenge).
  function startProof(f) {
    f.proofReady = false;
    f.proof = solve().catch(function () { return null; }).then(function (proof) { f.proofReady = true; return proof; });
  }

  async function solve() {
    var challenge = null;
    for (var attempt = 1; !challenge; attempt++) {
      try {
        var res = await fetch(api + 'challenge', { credentials: 'omit', cache: 'no-store' });
        if (res.ok) challenge = await res.json();
      } catch (e) { challenge = null; }
      if (!challenge && attempt >= ATTEMPTS) throw new Error('no challenge');
      if (!challenge) await wait(Math.min(1000 * Math.pow(2, attempt - 1), 15000));
    }
    // Each worker tries every n-th counter, as altcha's do; a few, so the page itself stays smooth.
    var n = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4));
    var workers = [];
    try {
      var solution = await new Promise(function (resolve, reject) {
        for (var i = 0; i < n; i++) {
          var worker = new Worker(api + 'proof-worker.js');
          worker.onmessage = function (e) { if (e.data.error) reject(new Error(e.data.error)); else resolve(e.data); };
          worker.onerror = reject;
          worker.postMessage({ parameters: challenge.parameters, start: i, step: n });
          workers.push(worker);
        }
      });
    } finally {
      workers.forEach(function (w) { w.terminate(); });
    }
    var payload = { challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution: solution };
    return { expiresAt: challenge.parameters.expiresAt, payload: btoa(JSON.stringify(payload)) };
  }

  // The proof for this post: the one in hand unless it expires within a minute. Says so (politely) only if it makes the
  // person wait.
  async function proofFor(f) {
    if (!f.proofReady) say(f, f.L['form.preparing']);
    var proof = await f.proof;
    if (proof && proof.expiresAt * 1000 - Date.now() < 60000) {
      startProof(f);
      say(f, f.L['form.preparing']);
      proof = await f.proof;
    }
    return proof;
  }

  // A 403 whose type names the proof (expired, used, invalid): a fresh one may pass.
  async function proofRefused(res) {
    if (!res || res.status !== 403) return false;
    var problem = await res.clone().json().catch(function () { return {}; });
    return /:proof-/.test(problem.type || '');
  }

  /* ---- Sending, counted once ---- */

  function say(f, text, problem) {
    f.status.textContent = text;
    f.status.classList.toggle('sv-status--problem', !!problem);
  }

  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function send(f, body) {
    var url = api + 'surveys/' + encodeURIComponent(f.surveyId) + '/responses';
    for (var attempt = 1; ; attempt++) {
      var res = null;
      try {
        res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
      } catch (e) { res = null; }
      if (res && res.status !== 503 && res.status !== 429) return res;
      if (attempt >= ATTEMPTS) return res;
      var after = res && parseFloat(res.headers.get('Retry-After'));
      var delay = after > 0 ? Math.min(after, 30) * 1000 : Math.min(1000 * Math.pow(2, attempt - 1), 15000);
      say(f, fmt(f.L['form.retrying'], { seconds: Math.ceil(delay / 1000) }), true);
      await wait(delay);
    }
  }

  async function submit(f, e) {
    // The language switch is the server's: it posts the answers so far and comes back in the other language.
    if (e.submitter && e.submitter.name === 'switchLang') return;
    e.preventDefault();
    if (f.busy) return;
    var given = readAnswers(f);
    var errors = check(f, given);
    if (Object.keys(errors).length) return showErrors(f, errors);
    clearErrors(f);
    f.busy = f.button.disabled = true;
    try {
      var proof = await proofFor(f);
      // No proof can be made here (an old browser, no challenge): the page's own post, which needs none, sends the answers.
      if (!proof) return HTMLFormElement.prototype.submit.call(f.form);
      say(f, f.L['form.sending']);
      var res = await send(f, jsonBody(f, given, proof.payload));
      if (await proofRefused(res)) {
        startProof(f);
        proof = await proofFor(f);
        if (!proof) return HTMLFormElement.prototype.submit.call(f.form);
        say(f, f.L['form.sending']);
        res = await send(f, jsonBody(f, given, proof.payload));
      }
      var json = res ? await res.json().catch(function () { return {}; }) : {};
      if (res && res.ok) return thankYou(f, json.receipt || f.submissionId, given.answers);
      if (res && res.status === 400 && json.errors) { say(f, ''); return showErrors(f, json.errors); }
      if (res && res.status === 410) return message(f.container, f.L['page.closedTitle'], f.L['page.closedText']);
      if (res && res.status === 404) return message(f.container, f.L['page.notFoundTitle'], f.L['page.notFoundText']);
      say(f, f.L['form.notSent'], true);
    } finally {
      f.busy = f.button.disabled = false;
    }
  }

  /* ---- What comes after ---- */

  function message(container, title, text) {
    var box = h('div', { class: 'sv-done sv-message', tabindex: '-1' }, [h('h1', { class: 'sv-title', text: title }), h('p', { text: text })]);
    container.replaceChildren(box);
    box.focus();
  }

  // The thank-you screen: the receipt, then what is worked out here from the answers just sent (nothing is sent again).
  function thankYou(f, receipt, answers) {
    var box = h('div', { class: 'sv-done', tabindex: '-1' }, [
      h('h1', { class: 'sv-title', text: f.L['form.thanksTitle'] }),
      h('p', { text: f.L['form.thanksText'] }),
      h('p', { text: f.L['form.receipt'] + ' ' }, [h('code', { class: 'sv-receipt', text: receipt })])]);
    f.container.replaceChildren(box);
    box.focus();
    // The release and the wording, fetched once for both: where they are on the journey, then how they compare.
    var loading = Compare.load(f.surveyId, f.lang);
    JourneyScreen.show(f.container, loading, answers, 2, f.L.journey);
    Compare.show(f.container, loading, answers, 2, f.L.compare);
  }

  // In a frame (embed.js), the host page sizes the frame to this page, so it never scrolls inside: it is told the
  // height, an integer, and nothing else. To any parent ('*'): the frame is allowed on several origins, and a number is all it says.
  function reportHeight() {
    if (window.parent === window || !window.ResizeObserver) return;
    var last = 0;
    new ResizeObserver(function () {
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== last) window.parent.postMessage(last = height, '*');
    }).observe(document.documentElement);
  }

  function start() {
    reportHeight();
    var form = document.querySelector('.sv > form.sv-form[data-survey-id]');
    if (form && !form.hasAttribute('data-enhanced')) {
      form.setAttribute('data-enhanced', 'true');
      setUp(form);
    }
    // A frame on another origin does not honour autofocus (the error summary of a page the server sent back).
    var first = document.querySelector('[autofocus]');
    if (first) first.focus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
