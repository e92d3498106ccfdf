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

  // --- Respondents per day -------------------------------------------------------------------------------------

  function renderDays(data) {
    var days = fillDays(data.days || []);
    $('daily-total').textContent = number(data.respondents) + ' respondent' + (data.respondents === 1 ? '' : 's') + ' so far';
    $('daily-total').setAttribute('data-total', String(data.respondents));
    var chart = $('daily-chart');
    if (days.length === 0) {
      chart.replaceChildren(el('p', { className: 'meta', text: 'No responses counted yet.' }));
      $('daily-table').replaceChildren();
      return;
    }
    var max = Math.max.apply(null, days.map(function (d) { return d.respondents; }).concat([1]));
    var width = 640, height = 200, left = 36, bottom = 24, top = 10;
    // A bar is at most 40 units wide, so a survey's first days do not look like a wall.
    var step = Math.min(40, (width - left - 4) / days.length);
    var busiest = days.reduce(function (a, b) { return b.respondents > a.respondents ? b : a; });
    var picture = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label':
      'Bar chart of respondents per day, ' + dayLabel(days[0].day) + ' to ' + dayLabel(days[days.length - 1].day)
      + '. Busiest day ' + dayLabel(busiest.day) + ' with ' + busiest.respondents + '.' });
    picture.append(svg('line', { x1: left, y1: height - bottom, x2: width - 2, y2: height - bottom, 'class': 'baseline' }));
    [0, max].forEach(function (v) {
      var t = svg('text', { x: left - 6, y: height - bottom - (v / max) * (height - bottom - top) + 4, 'text-anchor': 'end', 'class': 'axis' });
      t.textContent = String(v);
      picture.append(t);
    });
    var labelEvery = Math.ceil(days.length / 8);
    days.forEach(function (d, i) {
      var h = (d.respondents / max) * (height - bottom - top);
      var bar = svg('rect', { x: left + i * step + step * 0.15, y: height - bottom - h, width: Math.max(1, step * 0.7), height: h, 'class': 'bar' });
      var tip = svg('title', {});
      tip.textContent = dayLabel(d.day) + ': ' + d.respondents;
      bar.append(tip);
      picture.append(bar);
      if (i % labelEvery === 0) {
        var t = svg('text', { x: left + i * step + step / 2, y: height - 6, 'text-anchor': 'middle', 'class': 'axis' });
        t.textContent = dayLabel(d.day);
        picture.append(t);
      }
    });
    chart.replaceChildren(picture);
    if (data.undated > 0) chart.append(el('p', { className: 'meta', text: number(data.undated) + ' counted before days were kept (a rebuild of the aggregates dates them).' }));
    $('daily-table').replaceChildren(el('table', null, [
      el('thead', null, [el('tr', null, [el('th', { scope: 'col', text: 'Day' }), el('th', { scope: 'col', className: 'num', text: 'Respondents' })])]),
      el('tbody', null, days.filter(function (d) { return d.respondents > 0; }).map(function (d) {
        return el('tr', null, [el('td', { text: d.day }), el('td', { className: 'num', text: number(d.respondents) })]);
      })),
    ]));
  }

  // Every day from the first to the last (days without responses as zero), at most the last MAX_DAYS.
  function fillDays(days) {
    if (days.length === 0) return [];
    var counts = {};
    days.forEach(function (d) { counts[d.day] = d.respondents; });
    var out = [];
    var last = new Date(days[days.length - 1].day + 'T00:00:00Z');
    for (var t = new Date(days[0].day + 'T00:00:00Z'); t <= last; t.setUTCDate(t.getUTCDate() + 1)) {
      var key = t.toISOString().slice(0, 10);
      out.push({ day: key, respondents: counts[key] || 0 });
    }
    return out.slice(-MAX_DAYS);
  }

  // --- Live results --------------------------------------------------------------------------------------------

  // The journey's stage is counted as the answer to a derived question, 'journey.stage' (docs/journey.md): named from the model.
  function findQuestion(id) {
    var journey = state.current.definition.journey;
    if (id === 'journey.stage' && journey)
      return { text: 'Stage: ' + english(journey.title), options: (journey.stages || []).map(function (s) { return { id: s.id, text: s.name }; }) };
    return (state.current.definition.questions || []).find(function (x) { return x.id === id; });
  }

  function questionText(id) {
    var q = findQuestion(id);
    return q ? english(q.text) : id;
  }

  function optionText(questionId, optionId) {
    if (optionId === 'other') return 'Other';
    var q = findQuestion(questionId);
    var o = q && (q.options || []).find(function (x) { return x.id === optionId; });
    return o ? english(o.text) : optionId;
  }

  // A definition's text as an admin writes it: a string (English) or one per language ({ en, cy }); the console reads English.
  function english(text) { return text && typeof text === 'object' ? text.en : text; }

  function renderGroups() {
    var select = $('group');
    var results = state.current.results;
    var options = [el('option', { value: '', text: 'Everyone (' + number(results.respondents) + ')' })];
    (results.segments || []).forEach(function (s) {
      var value = s.questionId + '|' + s.optionId;
      options.push(el('option', { value: value, text: questionText(s.questionId) + ': ' + optionText(s.questionId, s.optionId)
        + (s.suppressed ? ' (hidden)' : ' (' + number(s.respondents) + ')') }));
    });
    select.replaceChildren.apply(select, options);
    select.value = options.some(function (o) { return o.value === state.group; }) ? state.group : '';
  }

  function renderResults() {
    var results = state.current.results;
    var box = $('results');
    var scope = results;
    if (state.group) {
      scope = (results.segments || []).find(function (s) { return s.questionId + '|' + s.optionId === state.group; });
      if (!scope || scope.suppressed) {
        box.replaceChildren(el('p', { className: 'hidden-figure', text: 'This group is hidden: it is too small to show without revealing someone.' }));
        return;
      }
    }
    if (state.openQuestion === undefined && (scope.questions || []).length) state.openQuestion = scope.questions[0].id;
    box.replaceChildren.apply(box, (scope.questions || []).map(function (q) {
      var rows = (q.options || []).map(function (o) {
        var hidden = o.count === null || o.count === undefined;
        var track = el('span', { className: 'track', 'aria-hidden': 'true' });
        if (!hidden) {
          var fill = el('span', { className: 'fill' });
          fill.style.width = Math.round((o.share || 0) * 1000) / 10 + '%';
          track.append(fill);
        }
        return el('tr', null, [
          el('th', { scope: 'row', text: optionText(q.id, o.id) }),
          el('td', { className: hidden ? 'num hidden-figure' : 'num', text: hidden ? 'hidden' : number(o.count) }),
          el('td', { className: hidden ? 'num hidden-figure' : 'num', text: hidden ? '' : Math.round((o.share || 0) * 100) + '%' }),
          el('td', { className: 'bar-cell' }, [track]),
        ]);
      });
      var answered = q.answered === null || q.answered === undefined ? 'hidden' : number(q.answered);
      // One question open at a time keeps a long survey short; the one the owner opened stays open on refresh.
      var details = el('details', { className: 'question', 'data-question': q.id, open: state.openQuestion === q.id }, [
        el('summary', null, [el('span', { className: 'q-text', text: questionText(q.id) }), el('span', { className: 'meta', text: ' answered by ' + answered })]),
        el('div', { className: 'scroll' }, [el('table', null, [
          el('thead', null, [el('tr', null, [el('th', { scope: 'col', text: 'Option' }), el('th', { scope: 'col', className: 'num', text: 'Count' }),
            el('th', { scope: 'col', className: 'num', text: 'Share' }), el('th', { scope: 'col', text: 'Bar' })])]),
          el('tbody', null, rows),
        ])]),
      ]);
      details.addEventListener('toggle', function () {
        if (details.open) state.openQuestion = q.id;
        else if (state.openQuestion === q.id) state.openQuestion = null;
      });
      return details;
    }));
  }

  // --- Releases ------------------------------------------------------------------------------------------------

  function renderReleases(releases) {
    state.current.releases = releases;
    var body = document.querySelector('#release-table tbody');
    body.replaceChildren.apply(body, releases.map(function (r) {
      return el('tr', null, [el('td', { text: 'Release ' + r.release }), el('td', { className: 'num', text: number(r.respondents) }),
        el('td', { text: when(r.createdAt) }), el('td', { className: 'num', text: number(r.hiddenFigures) })]);
    }));
    $('no-releases').hidden = releases.length > 0;

    var select = $('report-release');
    var previous = select.value;
    var options = releases.slice().reverse().map(function (r) {
      return el('option', { value: String(r.release), text: 'Release ' + r.release + ' (' + number(r.respondents) + ' respondents, ' + when(r.createdAt) + ')' });
    });
    options.push(el('option', { value: '', text: 'Make a new release now' }));
    select.replaceChildren.apply(select, options);
    select.value = options.some(function (o) { return o.value === previous; }) && previous !== '' ? previous : options[0].value;
  }

  function makeRelease() {
    var button = $('make-release');
    button.disabled = true;
    api('POST', survey('/releases')).then(function (made) {
      showMessage('release-message', 'ok', [el('p', { text: 'Release ' + made.release + ' made: ' + number(made.respondents) + ' respondents, frozen ' + when(made.createdAt) + '.' })]);
      return refreshCurrent();
    }, function (error) {
      var needed = error.problem.respondentsNeeded;
      showMessage('release-message', 'error', [
        el('p', { text: error.status === 409 && typeof needed === 'number'
          ? 'No release yet: it needs ' + needed + ' more respondent' + (needed === 1 ? '' : 's') + '.'
          : error.message }),
        error.status === 409 ? el('p', { text: error.problem.detail || '' }) : null,
      ]);
    }).finally(function () { button.disabled = false; });
  }

  // --- Publishing ----------------------------------------------------------------------------------------------

  function localNow() {
    var d = new Date();
    d.setSeconds(0, 0);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  }

  function schedulePreview() {
    clearTimeout(state.previewTimer);
    state.previewTimer = setTimeout(preview, 250);
  }

  function preview() {
    var seq = ++state.previewSeq;
    var text = $('report-summary').value;
    if (!text.trim()) { $('preview').replaceChildren(el('p', { className: 'meta', text: 'The summary appears here as the report page shows it.' })); return; }
    api('POST', 'admin/summary-preview', { summary: text }).then(function (data) {
      // The report page's own renderer made this HTML, every text in it encoded; the CSP allows no script in it.
      if (seq === state.previewSeq) $('preview').innerHTML = data.html;
    }).catch(report);
  }

  function setFieldError(name, text) {
    var error = $('err-' + name);
    if (!error) return false;
    error.textContent = text || '';
    error.hidden = !text;
    var field = document.querySelector('#publish-form [name="' + name + '"]');
    if (field) { if (text) field.setAttribute('aria-invalid', 'true'); else field.removeAttribute('aria-invalid'); }
    return true;
  }

  function publish(event) {
    event.preventDefault();
    ['title', 'summary', 'publishAt', 'release'].forEach(function (n) { setFieldError(n, ''); });
    var when_ = $('report-publish-at').value;
    var body = { title: $('report-title').value, summary: $('report-summary').value };
    if (!when_) { setFieldError('publishAt', 'Give the date and time the report becomes public.'); $('report-publish-at').focus(); return; }
    body.publishAt = new Date(when_).toISOString();
    if ($('report-release').value) body.release = Number($('report-release').value);
    if ($('report-final').checked) body.final = true;
    var button = event.submitter || document.querySelector('#publish-form button');
    button.disabled = true;
    api('POST', survey('/reports'), body).then(function (made) {
      var page = 'reports/' + encodeURIComponent(made.reportId);
      showMessage('publish-message', 'ok', [
        el('p', { text: 'Published, showing release ' + made.release + '. Public from ' + when(made.publishAt || body.publishAt) + '.' }),
        el('ul', { className: 'links' }, [
          el('li', null, [el('a', { href: page, text: 'The report page' })]),
          el('li', null, [el('a', { href: page + '/results.csv', text: 'The figures as CSV' })]),
          el('li', null, [el('a', { href: page + '/slides', text: 'The slides' })]),
        ]),
        el('p', { className: 'meta', text: 'Its public address: ' + made.url }),
      ]);
      return refreshCurrent();
    }, function (error) {
      var lines = [];
      if (error.status === 400 && error.problem.errors) {
        Object.keys(error.problem.errors).forEach(function (path) {
          var text = error.problem.errors[path].join(' ');
          if (!setFieldError(path, text)) lines.push(el('li', null, [el('code', { text: path || '(body)' }), ' ' + text]));
        });
        var first = document.querySelector('#publish-form [aria-invalid="true"]');
        showMessage('publish-message', 'error', [el('p', { text: 'The report was not published; see the fields marked.' }), lines.length ? el('ul', null, lines) : null], !first);
        if (first) first.focus();
        return;
      }
      var needed = error.problem.respondentsNeeded;
      showMessage('publish-message', 'error', [el('p', { text: error.status === 409 && typeof needed === 'number'
        ? 'A new release cannot be made yet: it needs ' + needed + ' more respondent' + (needed === 1 ? '' : 's') + '. Choose an existing release, or wait.'
        : error.message })]);
    }).finally(function () { button.disabled = false; });
  }

  // --- Mailings ------------------------------------------------------------------------------------------------

  function refreshMailings(reports) {
    return Promise.all(reports.map(function (r) {
      return api('GET', 'admin/reports/' + encodeURIComponent(r.reportId) + '/deliveries').then(function (d) { return { report: r, delivery: d }; },
        function () { return { report: r, delivery: null }; });
    })).then(function (rows) {
      var body = document.querySelector('#mailing-table tbody');
      body.replaceChildren.apply(body, rows.slice().reverse().map(function (row) {
        var d = row.delivery || {};
        var cells = [d.recipients, d.sent, d.failed, d.pending, d.unsubscribed];
        return el('tr', { 'data-report': row.report.reportId }, [
          el('th', { scope: 'row' }, [el('a', { href: 'reports/' + encodeURIComponent(row.report.reportId), text: row.report.title }),
            el('br'), el('span', { className: 'meta', text: 'public from ' + when(row.report.publishAt) })]),
          el('td', { 'data-field': 'status', 'data-label': 'Status', text: d.status || row.report.mailing }),
        ].concat(cells.map(function (v, i) {
          return el('td', { className: 'num', 'data-field': ['recipients', 'sent', 'failed', 'pending', 'unsubscribed'][i],
            'data-label': ['Recipients', 'Sent', 'Failed', 'Pending', 'Unsubscribed'][i], text: number(v) });
        })));
      }));
      $('no-mailings').hidden = rows.length > 0;
    });
  }

  // --- Submissions per hour ------------------------------------------------------------------------------------

  var REFUSALS = [['flood', 'Flood'], ['proof', 'No proof of work'], ['origin', 'Another site'], ['token', 'No form token'], ['honeypot', 'Honeypot']];

  function refreshIntake() {
    return api('GET', 'admin/intake?hours=24').then(function (data) {
      var hours = (data.hours || []).filter(function (h) {
        return h.accepted > 0 || REFUSALS.some(function (r) { return h.refused[r[0]] > 0; });
      }).reverse();
      var refused = function (h) { return REFUSALS.reduce(function (sum, r) { return sum + h.refused[r[0]]; }, 0); };
      var accepted = hours.reduce(function (sum, h) { return sum + h.accepted; }, 0);
      var refusedAll = hours.reduce(function (sum, h) { return sum + refused(h); }, 0);
      $('intake-summary').textContent = number(accepted) + ' accepted, ' + number(refusedAll) + ' refused';
      var body = document.querySelector('#intake-table tbody');
      body.replaceChildren.apply(body, hours.map(function (h) {
        var hour = new Date(h.hour);
        var label = hour.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' }) + ', ' + hour.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
        return el('tr', { 'data-hour': h.hour }, [el('th', { scope: 'row', text: label }), el('td', { className: 'num', 'data-label': 'Accepted', 'data-field': 'accepted', text: number(h.accepted) })]
          .concat(REFUSALS.map(function (r) { return el('td', { className: 'num', 'data-label': r[1], 'data-field': r[0], text: number(h.refused[r[0]]) }); })));
      }));
      $('no-intake').hidden = hours.length > 0;
    });
  }

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

  // --- The definition ------------------------------------------------------------------------------------------

  function saveDefinition() {
    var text = $('definition-json').value;
    var parsed;
    try { parsed = JSON.parse(text); } catch (e) {
      return showDefinitionErrors('The text is not valid JSON, so nothing was saved.', { '': [String(e.message || e)] });
    }
    if (!parsed || typeof parsed !== 'object' || typeof parsed.id !== 'string' || !parsed.id) {
      return showDefinitionErrors('The definition was not saved.', { id: ['The definition needs an id (3–64 of a–z, 0–9 and -).'] });
    }
    var button = $('save-definition');
    button.disabled = true;
    api('PUT', 'admin/surveys/' + encodeURIComponent(parsed.id), text).then(function (saved) {
      $('definition-json').removeAttribute('aria-invalid');
      showMessage('definition-errors', 'ok', [el('p', { text: 'Saved “' + saved.title + '” (' + parsed.id + ').' })]);
      return api('GET', 'admin/surveys').then(function (data) {
        renderSurveys(data.surveys || []);
        if (!state.current || state.current.id !== parsed.id) openSurvey(parsed.id);
        else { state.current.definition = null; openSurvey(parsed.id); }
        $('definition-errors').hidden = false;
      });
    }, function (error) {
      if (error.status === 400 && error.problem.errors) {
        showDefinitionErrors('The definition was not saved: ' + Object.keys(error.problem.errors).length + ' fault(s), each at its path in the JSON.', error.problem.errors);
      } else if (error.status === 409) {
        $('definition-json').setAttribute('aria-invalid', 'true');
        showMessage('definition-errors', 'error', [
          el('p', { text: 'Not saved: this survey already has responses, so its questions are fixed.' }),
          el('p', { text: 'You may still change: the title and description, the wording of questions and options, required marks, limits such as maxSelections, the status and the open and close dates.' }),
          el('p', { text: 'You may not add, remove or reorder questions or options, change an id or a question type, turn “Other” on or off, or change the segments.' }),
        ]);
      } else {
        showMessage('definition-errors', 'error', [el('p', { text: error.message })]);
      }
    }).finally(function () { button.disabled = false; });
  }

  function showDefinitionErrors(title, errors) {
    $('definition-json').setAttribute('aria-invalid', 'true');
    showMessage('definition-errors', 'error', [
      el('p', { text: title }),
      el('ul', null, Object.keys(errors).map(function (path) {
        return el('li', { 'data-path': path }, [el('code', { text: path || '(the whole text)' }), ': ' + errors[path].join(' ')]);
      })),
    ]);
  }

  function newSurvey() {
    state.current = null;
    history.replaceState(null, '', location.pathname + location.search);
    $('survey').hidden = true;
    renderSurveys(state.surveys);
    $('definition-json').value = JSON.stringify({ id: 'my-survey', title: 'My survey', status: 'draft', segments: [], minGroupSize: 5,
      privacy: { controller: 'Your organisation', contact: 'mailto:privacy@example.org' }, questions: [] }, null, 2);
    $('definition-errors').hidden = true;
    $('definition-title').scrollIntoView();
    $('definition-json').focus();
  }

  function upload() {
    var file = $('definition-file').files[0];
    if (!file) return;
    file.text().then(function (text) {
      $('definition-json').value = text;
      say('Loaded ' + file.name + '. Check it, then save.');
    });
  }

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
