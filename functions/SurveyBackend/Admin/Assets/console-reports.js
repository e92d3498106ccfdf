// The console's releases, publishing and mailings.
// Baked into console.js, inside its closure, where its marker is (ConsoleEndpoints.Script): it shares the helpers there.

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
