/* Survey embed. On a host page: renders the survey into each <div data-survey="id"> inside a shadow root.
   On the backend's own /form page: takes over the server-rendered form. Either way it checks answers as the
   server does, posts JSON with one submissionId per form (kept for every retry, so never counted twice),
   retries network failures and 503/429 with backoff (honouring Retry-After), and shows 400 errors by field.
   No cookies, no framework, no requests to anyone but the backend it was loaded from. */
(function () {
  'use strict';
  var script = document.currentScript;
  // The backend is wherever this script came from: .../api/embed.js → .../api/
  var api = new URL('.', (script && script.src) || location.href).href;
  var STYLES = '__FORM_CSS__';
  var OTHER = 'other';
  var MAX_OTHER = 200;
  var MAX_EMAIL = 254;
  var ATTEMPTS = 6;
  // Language → key → text: the same resources as the server's pages (Languages/strings.*.json), baked in by FormAssets.
  var TEXT = '__UI_TEXT__';
  function words(lang) { return TEXT[lang] || TEXT.en; }
  function fmt(text, values) {
    Object.keys(values).forEach(function (k) { text = text.split('{' + k + '}').join(String(values[k])); });
    return text;
  }

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

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var x = Array.prototype.map.call(b, function (n) { return (n + 256).toString(16).slice(1); }).join('');
    return x.slice(0, 8) + '-' + x.slice(8, 12) + '-' + x.slice(12, 16) + '-' + x.slice(16, 20) + '-' + x.slice(20);
  }

  /* ---- Rendering: the same markup as FormRenderer.cs ---- */

  function option(q, type, id, text, exclusive) {
    var cid = 'sv-q-' + q.id + '-' + id;
    return h('div', { class: 'sv-option' }, [
      h('input', { class: 'sv-control', type: type, id: cid, name: 'answers.' + q.id, value: id, 'data-exclusive': exclusive ? 'true' : null }),
      h('label', { class: 'sv-option-label', for: cid, text: text })]);
  }

  function question(q, n, L) {
    var type = q.type === 'single' ? 'radio' : 'checkbox';
    var hint = q.type === 'single' ? L['form.hintOne'] : q.maxSelections ? fmt(L['form.hintUpTo'], { max: q.maxSelections }) : L['form.hintAll'];
    var options = h('div', { class: 'sv-options' });
    q.options.forEach(function (o) {
      if (o.exclusive) options.append(h('p', { class: 'sv-or', text: L['form.or'] }));
      options.append(option(q, type, o.id, o.text, o.exclusive));
    });
    if (q.allowOther) {
      options.append(option(q, type, OTHER, L['form.other'], false));
      options.append(h('div', { class: 'sv-other' }, [
        h('label', { class: 'sv-label', for: 'sv-other-' + q.id, text: fmt(L['form.otherLabel'], { max: MAX_OTHER }) }),
        h('input', { class: 'sv-input', type: 'text', id: 'sv-other-' + q.id, name: 'other.' + q.id, maxlength: MAX_OTHER, autocomplete: 'off' })]));
    }
    var legend = h('legend', { class: 'sv-legend', text: n + '. ' + q.text });
    if (q.required) legend.append(' ', h('span', { class: 'sv-required', text: L['form.required'] }));
    return h('div', { class: 'sv-question', 'data-question': q.id, 'data-type': type, 'data-required': String(!!q.required), 'data-max': q.maxSelections || null }, [
      h('fieldset', { class: 'sv-fieldset', 'aria-describedby': 'sv-hint-q-' + q.id }, [
        legend, h('p', { class: 'sv-hint', id: 'sv-hint-q-' + q.id, text: hint }), options])]);
  }

  // The language switch, as FormRenderer writes it: a submit button per other language the survey offers.
  function languageSwitch(languages, lang) {
    var others = (languages || []).filter(function (l) { return l !== lang && TEXT[l]; });
    if (!others.length) return null;
    return h('p', { class: 'sv-language' }, others.map(function (l) {
      return h('button', { type: 'submit', class: 'sv-language-switch', name: 'switchLang', value: l, lang: l, formnovalidate: true, text: words(l)['language.name'] });
    }));
  }

  function render(s, L, lang) {
    var form = h('form', { class: 'sv-form', novalidate: true, 'data-survey-id': s.id }, [
      languageSwitch(s.languages, lang),
      h('h2', { class: 'sv-title', text: s.title }),
      s.description ? h('p', { class: 'sv-description', text: s.description }) : null,
      h('p', { class: 'sv-intro', text: fmt(L['form.intro'], { required: L['form.required'] }) }),
      h('input', { type: 'hidden', name: 'lang', value: lang })]);
    s.questions.forEach(function (q, i) { form.append(question(q, i + 1, L)); });
    form.append(
      h('fieldset', { class: 'sv-fieldset sv-respondent', 'aria-describedby': 'sv-hint-email' }, [
        h('legend', { class: 'sv-legend', text: L['form.reportLegend'] }),
        h('p', { class: 'sv-hint', id: 'sv-hint-email', text: L['form.reportHint'] }),
        h('div', { class: 'sv-field' }, [
          h('label', { class: 'sv-label', for: 'sv-email', text: L['form.emailLabel'] }),
          h('input', { class: 'sv-input', type: 'email', id: 'sv-email', name: 'respondent.email', autocomplete: 'email', spellcheck: 'false', maxlength: MAX_EMAIL })]),
        h('div', { class: 'sv-consent' }, [h('div', { class: 'sv-option' }, [
          h('input', { class: 'sv-control', type: 'checkbox', id: 'sv-consent', name: 'respondent.wantsReport', value: 'true' }),
          h('label', { class: 'sv-option-label', for: 'sv-consent', text: L['form.consent'] })])])]),
      h('div', { class: 'sv-hp', 'aria-hidden': 'true' }, [
        h('label', { for: 'sv-website', text: L['form.honeypot'] }),
        h('input', { type: 'text', id: 'sv-website', name: 'website', tabindex: '-1', autocomplete: 'off' })]),
      h('p', { class: 'sv-status', role: 'status' }),
      h('button', { type: 'submit', class: 'sv-submit', id: 'sv-submit', text: L['form.submit'] }));
    return form;
  }

  function message(root, title, text, level) {
    var box = h('div', { class: 'sv-done sv-message', tabindex: '-1' }, [h(level, { class: 'sv-title', text: title }), h('p', { text: text })]);
    root.replaceChildren(box);
    return box;
  }

/*__COMPARE_JS__*/

  /* ---- Behaviour: shared by the embedded form and the /form page ---- */

  // lang: the form's language; onSwitch(language, answers): how this form changes language (null: post the switch).
  function enhance(form, container, root, level, survey, lang, onSwitch) {
    var L = words(lang);
    var surveyId = form.getAttribute('data-survey-id');
    var hidden = form.querySelector('input[name="submissionId"]');
    var submissionId = hidden ? hidden.value : uuid();
    var email = root.getElementById('sv-email');
    var consent = root.getElementById('sv-consent');
    var consentBox = consent.closest('.sv-consent');
    var status = form.querySelector('.sv-status');
    var button = form.querySelector('.sv-submit');
    var busy = false;

    // The consent question only matters once an email is given.
    function syncConsent() {
      var has = email.value.trim() !== '';
      consentBox.hidden = !has;
      if (!has) consent.checked = false;
    }
    email.addEventListener('input', syncConsent);
    syncConsent();

    form.addEventListener('change', function (e) {
      var t = e.target;
      if (t.type !== 'checkbox' || !t.checked || t === consent) return;
      // An exclusive option ("We don't use it yet") and the others exclude each other.
      form.querySelectorAll('input[name="' + t.name + '"]').forEach(function (o) {
        if (o !== t && (t.hasAttribute('data-exclusive') || o.hasAttribute('data-exclusive'))) o.checked = false;
      });
    });
    // Typing an "Other" answer chooses "Other".
    form.querySelectorAll('.sv-other .sv-input').forEach(function (input) {
      input.addEventListener('input', function () {
        var box = root.getElementById('sv-q-' + input.name.slice(6) + '-' + OTHER);
        if (input.value.trim() !== '' && !box.checked) {
          box.checked = true;
          box.dispatchEvent(new Event('change', { bubbles: true }));
        }
      });
    });

    function read() {
      var body = { submissionId: submissionId, lang: lang, answers: {}, other: {}, website: form.elements.website.value };
      form.querySelectorAll('.sv-question').forEach(function (q) {
        var id = q.getAttribute('data-question');
        var chosen = Array.prototype.filter.call(q.querySelectorAll('.sv-control'), function (c) { return c.checked; })
          .map(function (c) { return c.value; });
        if (q.getAttribute('data-type') === 'radio') { if (chosen.length) body.answers[id] = chosen[0]; }
        else if (chosen.length) body.answers[id] = chosen;
        var other = root.getElementById('sv-other-' + id);
        if (other && other.value.trim() !== '') body.other[id] = other.value.trim();
      });
      var mail = email.value.trim();
      if (mail) body.respondent = { email: mail, wantsReport: consent.checked, consent: consent.checked };
      return body;
    }

    // The server's rules (SubmissionRules), so most mistakes are caught before a round trip.
    function check(body) {
      var errors = {};
      function add(path, text) { (errors[path] = errors[path] || []).push(text); }
      form.querySelectorAll('.sv-question').forEach(function (q) {
        var id = q.getAttribute('data-question');
        var answer = body.answers[id];
        var chosen = answer == null ? [] : [].concat(answer);
        var max = +q.getAttribute('data-max');
        if (!chosen.length && q.getAttribute('data-required') === 'true') add('answers.' + id, L['error.required']);
        if (max && chosen.length > max) add('answers.' + id, fmt(L['error.tooMany'], { max: max }));
        var ex = q.querySelector('[data-exclusive]:checked');
        if (ex && chosen.length > 1) add('answers.' + id, fmt(L['error.exclusive'], { option: ex.labels[0].textContent }));
        var other = body.other[id];
        if (other != null) {
          if (other.length > MAX_OTHER) add('other.' + id, fmt(L['error.otherTooLong'], { max: MAX_OTHER }));
          else if (chosen.indexOf(OTHER) < 0) add('other.' + id, fmt(L['error.otherNotChosen'], { option: L['form.other'] }));
        }
      });
      var r = body.respondent;
      if (r && r.wantsReport && !/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(r.email)) add('respondent.email', L['error.emailInvalid']);
      if (r && r.email.length > MAX_EMAIL) add('respondent.email', fmt(L['error.emailTooLong'], { max: MAX_EMAIL }));
      return errors;
    }

    // Where a field path's error goes, and what a summary link focuses.
    function field(path) {
      var m = /^answers\.([^.[]+)/.exec(path);
      if (m) {
        var q = form.querySelector('.sv-question[data-question="' + CSS_escape(m[1]) + '"]');
        return q && { box: q, anchor: q.querySelector('.sv-options'), described: q.querySelector('fieldset'), target: q.querySelector('.sv-control'), id: 'sv-err-q-' + m[1] };
      }
      m = /^other\.(.+)$/.exec(path);
      var input = m ? root.getElementById('sv-other-' + m[1])
        : path === 'respondent.email' ? email
        : /^respondent\.(wantsReport|consent)$/.test(path) ? consent : null;
      if (!input) return null;
      var box = input.closest('.sv-other, .sv-field, .sv-consent');
      return { box: box, anchor: input.closest('.sv-option') || input, described: input, target: input, input: input, id: 'sv-err-' + (m ? 'other-' + m[1] : input === email ? 'email' : 'consent') };
    }

    function clearErrors() {
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

    function showErrors(errors) {
      clearErrors();
      var items = [];
      var byField = {};
      Object.keys(errors).forEach(function (path) {
        var f = field(path);
        var key = f ? f.id : '';
        if (f && !byField[key]) byField[key] = { f: f, texts: [] };
        errors[path].forEach(function (text) {
          if (f) byField[key].texts.push(text);
          items.push({ f: f, text: text });
        });
      });
      Object.keys(byField).forEach(function (key) {
        var f = byField[key].f;
        var p = h('p', { class: 'sv-error', id: f.id }, [h('span', { class: 'sv-visually-hidden', text: L['form.errorPrefix'] + ' ' }), byField[key].texts.join(' ')]);
        f.anchor.before(p);
        f.box.classList.add(f.input ? (f.box.classList.contains('sv-other') ? 'sv-other--error' : 'sv-field--error') : 'sv-question--error');
        if (f.input) f.input.setAttribute('aria-invalid', 'true');
        var d = f.described.getAttribute('aria-describedby');
        f.described.setAttribute('aria-describedby', (d ? d + ' ' : '') + f.id);
      });
      // In the order of the form, so the summary reads like the page.
      var controls = Array.prototype.slice.call(form.querySelectorAll('input'));
      items.sort(function (a, b) { return (a.f ? controls.indexOf(a.f.target) : -1) - (b.f ? controls.indexOf(b.f.target) : -1); });
      var list = h('ul');
      items.forEach(function (item) {
        if (!item.f) return list.append(h('li', { text: item.text }));
        var a = h('a', { href: '#' + item.f.target.id, text: item.text });
        // Fragment links do not reach into a shadow root: move focus by hand.
        a.addEventListener('click', function (e) { e.preventDefault(); item.f.target.focus(); });
        list.append(h('li', [], [a]));
      });
      var summary = h('div', { class: 'sv-summary', tabindex: '-1', role: 'alert', 'aria-labelledby': 'sv-summary-title' }, [
        h('h2', { class: 'sv-summary-title', id: 'sv-summary-title', text: L['form.errorSummary'] }), list]);
      form.querySelector('.sv-intro').after(summary);
      summary.focus();
    }

    function say(text, problem) {
      status.textContent = text;
      status.classList.toggle('sv-status--problem', !!problem);
    }

    function done(receipt, answers) {
      var box = h('div', { class: 'sv-done', tabindex: '-1' }, [
        h(level, { class: 'sv-title', text: L['form.thanksTitle'] }),
        h('p', { text: L['form.thanksText'] }),
        h('p', { text: L['form.receipt'] + ' ' }, [h('code', { class: 'sv-receipt', text: receipt })])]);
      container.replaceChildren(box);
      box.focus();
      // Worked out here from the answers just sent; nothing about them is sent again.
      Compare.show(container, surveyId, survey, answers, level === 'h1' ? 2 : 3, L.compare, lang);
    }

    function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

    async function send(body) {
      var url = api + 'surveys/' + encodeURIComponent(surveyId) + '/responses';
      for (var attempt = 1; ; attempt++) {
        var res = null;
        try {
          res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
        } catch (e) { res = null; }
        if (res && res.status !== 503 && res.status !== 429) return res;
        if (attempt >= ATTEMPTS) return res;
        var after = res && parseFloat(res.headers.get('Retry-After'));
        var delay = after > 0 ? Math.min(after, 30) * 1000 : Math.min(1000 * Math.pow(2, attempt - 1), 15000);
        say(fmt(L['form.retrying'], { seconds: Math.ceil(delay / 1000) }), true);
        await wait(delay);
      }
    }

    form.addEventListener('submit', async function (e) {
      var switchTo = e.submitter && e.submitter.name === 'switchLang' ? e.submitter.value : null;
      // The /form page's switch posts the answers so far to the server, which answers in the other language.
      if (switchTo && !onSwitch) return;
      e.preventDefault();
      if (switchTo) return onSwitch(switchTo, read());
      if (busy) return;
      var body = read();
      var errors = check(body);
      if (Object.keys(errors).length) return showErrors(errors);
      clearErrors();
      busy = true;
      button.disabled = true;
      say(L['form.sending']);
      try {
        var res = await send(body);
        var json = res ? await res.json().catch(function () { return {}; }) : {};
        if (res && res.ok) return done(json.receipt || submissionId, body.answers);
        if (res && res.status === 400 && json.errors) { say(''); return showErrors(json.errors); }
        if (res && res.status === 410) return message(container, L['page.closedTitle'], L['page.closedText'], level).focus();
        if (res && res.status === 404) return message(container, L['page.notFoundTitle'], L['page.notFoundText'], level).focus();
        say(L['form.notSent'], true);
      } finally {
        busy = false;
        button.disabled = false;
      }
    });
  }

  function CSS_escape(s) { return window.CSS && window.CSS.escape ? window.CSS.escape(s) : s; }

  function isOpen(s) {
    var now = Date.now();
    return s.status === 'open' && (!s.opensAt || now >= Date.parse(s.opensAt)) && (!s.closesAt || now < Date.parse(s.closesAt));
  }

  // Puts answers read from one form (enhance's read()) back into another: the language switch keeps them.
  function restore(root, form, body) {
    Object.keys(body.answers).forEach(function (qid) {
      [].concat(body.answers[qid]).forEach(function (oid) {
        var box = root.getElementById('sv-q-' + qid + '-' + oid);
        if (box) box.checked = true;
      });
    });
    Object.keys(body.other).forEach(function (qid) {
      var input = root.getElementById('sv-other-' + qid);
      if (input) input.value = body.other[qid];
    });
    if (body.respondent) {
      root.getElementById('sv-email').value = body.respondent.email;
      root.getElementById('sv-consent').checked = !!body.respondent.wantsReport;
    }
    root.getElementById('sv-email').dispatchEvent(new Event('input'));
  }

  async function load(id, lang) {
    var res = null;
    for (var attempt = 0; attempt < 3 && !(res && res.status < 500); attempt++) {
      if (attempt) await new Promise(function (r) { setTimeout(r, 1000 * attempt); });
      try { res = await fetch(api + 'surveys/' + encodeURIComponent(id) + '?lang=' + encodeURIComponent(lang), { credentials: 'omit' }); } catch (e) { res = null; }
    }
    return res;
  }

  async function mount(host) {
    if (host.shadowRoot || host.getAttribute('data-survey-mounted')) return;
    host.setAttribute('data-survey-mounted', 'true');
    var root = host.attachShadow({ mode: 'open' });
    // A constructed stylesheet: host pages with a strict style-src still let it through, and nothing leaks out.
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
    // data-lang="cy" asks for Welsh; the survey answers in it only if it offers it (never a Welsh page of English text).
    var lang = TEXT[host.getAttribute('data-lang')] ? host.getAttribute('data-lang') : 'en';
    var box = h('div', { class: 'sv', lang: lang }, [h('p', { role: 'status', text: words(lang)['form.loading'] })]);
    root.append(box);
    var id = host.getAttribute('data-survey');
    var res = await load(id, lang);
    if (!res || !res.ok) {
      var L = words(lang);
      return res && res.status === 404
        ? message(box, L['page.notFoundTitle'], L['page.notFoundText'], 'h2')
        : message(box, L['page.loadFailedTitle'], L['page.loadFailedText'], 'h2');
    }
    var survey = await res.json();
    show(box, root, survey, null, null);

    function show(box, root, survey, answers, focus) {
      var lang = TEXT[survey.lang] ? survey.lang : 'en';
      var L = words(lang);
      box.setAttribute('lang', lang);
      if (!isOpen(survey)) return message(box, L['page.closedTitle'], L['page.closedText'], 'h2');
      var form = render(survey, L, lang);
      box.replaceChildren(form);
      enhance(form, box, root, 'h2', survey, lang, async function (to, kept) {
        var next = await load(id, to);
        if (!next || !next.ok) return;
        show(box, root, await next.json(), kept, true);
      });
      if (answers) restore(root, form, answers);
      if (focus) { var again = form.querySelector('.sv-language-switch'); if (again) again.focus(); }
    }
  }

  function start() {
    document.querySelectorAll('div[data-survey]').forEach(mount);
    // The backend's own /form page: the server rendered the form; take it over for the JSON path.
    var page = document.querySelector('.sv > form.sv-form[data-survey-id]');
    if (page && !page.hasAttribute('data-enhanced')) {
      page.setAttribute('data-enhanced', 'true');
      enhance(page, page.parentNode, document, 'h1', null, TEXT[page.parentNode.getAttribute('lang')] ? page.parentNode.getAttribute('lang') : 'en', null);
      var summary = page.querySelector('.sv-summary');
      if (summary) summary.focus();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
