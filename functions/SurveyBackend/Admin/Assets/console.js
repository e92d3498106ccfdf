// The survey owner's console. Plain DOM calls (no framework, nothing from elsewhere), every text set with
// textContent. The function key lives in sessionStorage and goes out only as the x-functions-key header of
// same-origin requests: never in a URL, never logged, never in the DOM once signed in.
(function () {
  'use strict';

  var KEY_NAME = 'survey-console-key';
  var POLL_MS = 5000;
  var MAX_DAYS = 90;
  var SVG = 'http://www.w3.org/2000/svg';

  var state = { surveys: [], current: null, group: '', openQuestion: undefined, polling: null, busy: false, previewTimer: null, previewSeq: 0 };

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (name) {
      if (name === 'text') node.textContent = attrs[name];
      else if (name === 'className') node.className = attrs[name];
      else if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) node.setAttribute(name, attrs[name] === true ? '' : attrs[name]);
    });
    (children || []).forEach(function (child) { if (child !== null && child !== undefined) node.append(child); });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, String(attrs[name])); });
    return node;
  }

  function say(text) { $('status').textContent = text; }

  function number(n) { return n === null || n === undefined ? '' : Number(n).toLocaleString('en-GB'); }

  function when(iso) {
    if (!iso) return '–';
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function dayLabel(day) {
    var d = new Date(day + 'T00:00:00Z');
    return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  }

  // --- The API -------------------------------------------------------------------------------------------------

  function ApiError(status, problem) {
    this.status = status;
    this.problem = problem && typeof problem === 'object' ? problem : {};
    this.message = this.problem.detail || this.problem.title || ('The backend answered ' + status + '.');
  }

  function api(method, path, body) {
    var headers = { 'Accept': 'application/json', 'x-functions-key': sessionStorage.getItem(KEY_NAME) || '' };
    var init = { method: method, headers: headers, cache: 'no-store', credentials: 'same-origin', referrerPolicy: 'no-referrer' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      var type = response.headers.get('content-type') || '';
      var read = type.indexOf('json') >= 0 ? response.json().catch(function () { return null; }) : response.text();
      return read.then(function (data) {
        if (response.status === 401) {
          signOut('That key was not accepted. Paste the whole function key again (no spaces around it).');
          throw new ApiError(401, data);
        }
        if (!response.ok) throw new ApiError(response.status, data);
        return data;
      });
    }, function () {
      throw new ApiError(0, { title: 'The backend cannot be reached.', detail: 'The backend cannot be reached. Check the connection and try again.' });
    });
  }

  function survey(path) { return 'admin/surveys/' + encodeURIComponent(state.current.id) + path; }

  // --- Signing in and out --------------------------------------------------------------------------------------

  function showKeyError(text) {
    var error = $('key-error');
    error.textContent = text;
    error.hidden = !text;
    if (text) $('key').setAttribute('aria-invalid', 'true'); else $('key').removeAttribute('aria-invalid');
  }

  function signIn(event) {
    event.preventDefault();
    var key = $('key').value.trim();
    if (!key) { showKeyError('Paste the function key first.'); $('key').focus(); return; }
    sessionStorage.setItem(KEY_NAME, key);
    showKeyError('');
    say('Checking the key…');
    api('GET', 'admin/surveys').then(function (data) {
      $('key').value = '';
      enter(data);
    }, function (error) {
      if (error.status !== 401) {
        sessionStorage.removeItem(KEY_NAME);
        showKeyError(error.message);
        $('key').focus();
        say('');
      }
    });
  }

  function enter(data) {
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    say('Signed in.');
    renderSurveys(data.surveys || []);
    $('main').focus();
    var wanted = decodeURIComponent((location.hash || '').replace(/^#/, ''));
    if (wanted && state.surveys.some(function (s) { return s.id === wanted; })) openSurvey(wanted);
    refreshIntake().catch(report);
    startPolling();
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY_NAME);
    stopPolling();
    state.current = null;
    $('app').hidden = true;
    $('survey').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    ['#survey-table tbody', '#release-table tbody', '#mailing-table tbody', '#poison-table tbody', '#intake-table tbody'].forEach(function (s) { document.querySelector(s).replaceChildren(); });
    $('results').replaceChildren();
    $('daily-chart').replaceChildren();
    $('definition-json').value = '';
    showKeyError(message || '');
    say(message ? '' : 'Signed out.');
    $('key').focus();
  }

  // --- Surveys -------------------------------------------------------------------------------------------------

  function renderSurveys(surveys) {
    state.surveys = surveys;
    var body = document.querySelector('#survey-table tbody');
    body.replaceChildren.apply(body, surveys.map(function (s) {
      var open = el('button', { type: 'button', className: 'link', 'data-survey': s.id, text: s.title });
      open.addEventListener('click', function () { openSurvey(s.id, true); });
      return el('tr', { className: state.current && state.current.id === s.id ? 'current' : null, 'data-survey-row': s.id }, [
        el('td', { 'data-label': 'Survey' }, [open]),
        el('td', { 'data-label': 'Id' }, [el('code', { text: s.id })]),
        el('td', { 'data-label': 'Status', text: s.status }),
        el('td', { 'data-label': 'Opens', text: when(s.opensAt) }),
        el('td', { 'data-label': 'Closes', text: when(s.closesAt) }),
        el('td', { className: 'num', 'data-label': 'Respondents', 'data-respondents': s.id, text: number(s.respondents) }),
      ]);
    }));
    $('no-surveys').hidden = surveys.length > 0;
  }

  function openSurvey(id, focus) {
    state.current = { id: id, definition: null, results: null, releases: [], reports: [] };
    state.group = '';
    history.replaceState(null, '', '#' + encodeURIComponent(id));
    renderSurveys(state.surveys);
    $('survey').hidden = false;
    $('release-message').hidden = true;
    $('publish-message').hidden = true;
    $('definition-errors').hidden = true;
    $('report-publish-at').value = localNow();
    var s = state.surveys.find(function (x) { return x.id === id; });
    $('survey-title').textContent = s ? s.title : id;
    if (focus) $('survey-title').focus();
    api('GET', survey('')).then(function (definition) {
      if (!state.current || state.current.id !== id) return;
      state.current.definition = definition;
      $('definition-json').value = JSON.stringify(definition, null, 2);
      renderMeta();
      return refreshCurrent();
    }).catch(report);
  }

  function renderMeta() {
    var d = state.current.definition;
    var s = state.surveys.find(function (x) { return x.id === state.current.id; });
    $('survey-title').textContent = english(d.title);
    $('survey-meta').textContent = 'Status ' + d.status + '. Opens ' + when(d.opensAt) + ', closes ' + when(d.closesAt)
      + '. Groups of fewer than ' + d.minGroupSize + ' are never shown.' + (s ? ' Respondents so far: ' + number(s.respondents) + '.' : '');
  }

  // --- Refreshing ----------------------------------------------------------------------------------------------

  function startPolling() {
    stopPolling();
    state.polling = setInterval(function () { if (!document.hidden) refreshAll(); }, POLL_MS);
  }

  function stopPolling() { if (state.polling) clearInterval(state.polling); state.polling = null; }

  function refreshAll() {
    if (state.busy || !sessionStorage.getItem(KEY_NAME)) return Promise.resolve();
    state.busy = true;
    return Promise.all([
      api('GET', 'admin/surveys').then(function (data) { renderSurveys(data.surveys || []); if (state.current && state.current.definition) renderMeta(); }),
      refreshPoison(),
      refreshIntake(),
      state.current && state.current.definition ? refreshCurrent() : null,
    ]).catch(report).finally(function () { state.busy = false; });
  }

  function refreshCurrent() {
    var id = state.current.id;
    return Promise.all([
      api('GET', survey('/days')),
      api('GET', survey('/results')),
      api('GET', survey('/releases')),
      api('GET', survey('/reports')),
    ]).then(function (all) {
      if (!state.current || state.current.id !== id) return;
      renderDays(all[0]);
      state.current.results = all[1];
      renderGroups();
      renderResults();
      renderReleases(Array.isArray(all[2]) ? all[2] : (all[2].releases || []));
      return refreshMailings(all[3].reports || []);
    });
  }

  /*__RESULTS_JS__*/

  /*__REPORTS_JS__*/

  // --- Failed messages -----------------------------------------------------------------------------------------

  function refreshPoison() {
    return api('GET', 'admin/poison').then(function (data) {
      var rows = (data.queues || []).map(function (q) { return { name: q.poisonQueue || q.queue, queue: q.queue, waiting: q.waiting }; });
      if (data.recipients) rows.push({ name: 'Unreadable report addresses', queue: 'recipients', waiting: data.recipients.unreadable });
      var body = document.querySelector('#poison-table tbody');
      body.replaceChildren.apply(body, rows.map(function (r) {
        var action = r.waiting > 0 ? el('button', { type: 'button', 'data-replay': r.queue, text: 'Replay ' + r.waiting }) : el('span', { className: 'meta', text: 'Nothing to replay' });
        if (r.waiting > 0) action.addEventListener('click', function () { replay(r.queue, action); });
        return el('tr', { 'data-queue': r.queue }, [el('td', null, [el('code', { text: r.name })]), el('td', { className: 'num', 'data-field': 'waiting', text: number(r.waiting) }), el('td', null, [action])]);
      }));
      if (data.submissions) body.append(stuckRow(data.submissions));
    });
  }

  // Submissions the sweeper gave up on: their answers wait for a replay, their report addresses only until a date.
  function stuckRow(s) {
    var note = s.stuck === 0 ? 'None'
      : s.holdingAddresses === 0 ? 'Their answers wait for a replay of submissions; no report address is kept.'
      : s.holdingAddresses + ' still ' + (s.holdingAddresses === 1 ? 'holds a report address' : 'hold report addresses') +
        ', removed from ' + when(s.firstAddressRemovedAt) + ' (' + days(s.addressesKeptFor) + ' after arrival). Replay submissions before then; the answers are kept either way.';
    return el('tr', { 'data-queue': 'stuck-submissions' }, [
      el('td', null, [el('code', { text: 'Submissions never processed' })]),
      el('td', { className: 'num', 'data-field': 'waiting', text: number(s.stuck) }),
      el('td', { 'data-field': 'addresses' }, [el('span', { className: s.holdingAddresses > 0 ? '' : 'meta', text: note })]),
    ]);
  }

  // "7.00:00:00" (a TimeSpan) as "7 days".
  function days(span) {
    var d = /^(\d+)\./.exec(span || '');
    return d ? d[1] + (d[1] === '1' ? ' day' : ' days') : span;
  }

  function replay(queue, button) {
    button.disabled = true;
    api('POST', 'admin/poison/' + encodeURIComponent(queue) + '/replay').then(function (data) {
      var text = 'Replayed ' + number(data.replayed) + ' message' + (data.replayed === 1 ? '' : 's') + ' from ' + queue + '.';
      say(text);
      showMessage('poison-message', 'ok', [el('p', { text: text })], false);
      return refreshPoison();
    }).catch(report).finally(function () { button.disabled = false; });
  }

  /*__DEFINITION_JS__*/

  // --- Messages ------------------------------------------------------------------------------------------------

  function showMessage(id, kind, children, focus) {
    var box = $(id);
    box.className = 'message ' + kind;
    box.replaceChildren.apply(box, children.filter(Boolean));
    box.hidden = false;
    if (focus !== false) box.focus();
  }

  function report(error) {
    if (error && error.status === 401) return;
    say(error && error.message ? error.message : 'Something went wrong.');
  }

  // --- Start ---------------------------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', function () {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', function () { signOut(); });
    $('new-survey').addEventListener('click', newSurvey);
    $('refresh').addEventListener('click', function () { refreshAll().then(function () { say('Refreshed.'); }); });
    $('group').addEventListener('change', function () { state.group = $('group').value; renderResults(); });
    $('make-release').addEventListener('click', makeRelease);
    $('publish-form').addEventListener('submit', publish);
    $('report-summary').addEventListener('input', schedulePreview);
    $('save-definition').addEventListener('click', saveDefinition);
    $('definition-file').addEventListener('change', upload);
    preview();
    if (sessionStorage.getItem(KEY_NAME)) {
      api('GET', 'admin/surveys').then(enter, report);
    } else {
      $('key').focus();
    }
  });
})();
