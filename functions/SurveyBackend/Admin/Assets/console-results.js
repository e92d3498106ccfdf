// The console's figures: respondents per day, live results, submissions per hour.
// Baked into console.js, inside its closure, where its marker is (ConsoleEndpoints.Script): it shares the helpers there.

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

