  /* ---- How you compare: served inside form.js (FormAssets), with h() and api from it ----
     The respondent's own answers beside the survey's latest public release, worked out here in the browser. The only
     requests are load()'s two GETs with no body (the release, and the public definition in the page's language), made
     once for this and the journey: the answers never leave the page again. The same figures and words as Form/HowYouCompare.cs and Form/ThankYouRenderer.cs (no-JS page). */
  var Compare = (function () {
    // The words of the language shown, set by show() (embed.js's words from Languages/strings.*.json).
    var T = null;

    function percent(share) { return (Math.round(share * 1000) / 10) + '%'; }
    function date(iso) { var d = new Date(iso); return d.getUTCDate() + ' ' + T.months.split(',')[d.getUTCMonth()] + ' ' + d.getUTCFullYear(); }
    function list(a) { return a == null ? [] : [].concat(a); }
    function find(items, id) { for (var i = 0; i < (items || []).length; i++) if (items[i].id === id) return items[i]; return null; }

    function reported(survey, qid, oid) {
      var groups = (survey.reportingGroups || {})[qid] || [];
      for (var i = 0; i < groups.length; i++) if (groups[i].options.indexOf(oid) >= 0) return groups[i].id;
      return oid;
    }
    function optionText(survey, qid, id) {
      var group = find((survey.reportingGroups || {})[qid], id);
      if (group) return group.text;
      var q = find(survey.questions, qid);
      var o = q && find(q.options, id);
      return o ? o.text : id === 'other' ? T.other : id;
    }
    function shown(q, o) { return !q || q.suppressed || q.answered == null || !o || o.suppressed || o.count == null ? null : o.share; }
    function share(q, oid) { var s = shown(q, find(q && q.options, oid)); return s == null ? T.hidden : percent(s); }
    function atOrBefore(q, oid) {
      var options = (q && q.options) || [];
      var index = options.findIndex(function (o) { return o.id === oid; });
      if (index < 0 || q.suppressed || q.answered == null || q.answered === 0) return T.hidden;
      var upTo = options.slice(0, index + 1);
      if (upTo.some(function (o) { return o.suppressed || o.count == null; })) return T.hidden;
      var sum = upTo.reduce(function (n, o) { return n + o.count; }, 0);
      return percent(Math.round(sum / q.answered * 1000) / 1000);
    }

    function build(survey, bench, answers) {
      var columns = [{ label: T.everyone, segment: null }];
      var scopes = [];
      bench.segments.map(function (s) { return s.questionId; }).filter(function (id, i, all) { return all.indexOf(id) === i; }).forEach(function (sid) {
        var own = list(answers[sid]);
        if (!own.length) return;
        var gid = reported(survey, sid, own[0]);
        var seg = bench.segments.find(function (s) { return s.questionId === sid && s.optionId === gid; });
        columns.push({ label: optionText(survey, sid, gid), segment: sid });
        scopes.push({ sid: sid, seg: seg && !seg.suppressed && seg.questions ? seg : null });
      });
      var questions = [];
      survey.questions.forEach(function (question) {
        var chosen = list(answers[question.id]);
        var everyone = find(bench.questions, question.id);
        if (!chosen.length || !everyone) return;
        var inScopes = scopes.map(function (s) {
          return s.sid === question.id ? { applies: false } : { applies: true, q: s.seg ? find(s.seg.questions, question.id) : null };
        });
        function cells(figure) {
          return [figure(everyone)].concat(inScopes.map(function (s) { return !s.applies ? '' : s.q ? figure(s.q) : T.hidden; }));
        }
        var rows = [];
        chosen.map(function (o) { return reported(survey, question.id, o); }).filter(function (id, i, all) { return all.indexOf(id) === i; }).forEach(function (oid) {
          rows.push({ label: optionText(survey, question.id, oid), cells: cells(function (q) { return share(q, oid); }) });
        });
        if (question.ordered && question.type === 'single') {
          var oid = reported(survey, question.id, chosen[0]);
          rows.push({ label: T.stage, stage: true, cells: cells(function (q) { return atOrBefore(q, oid); }) });
        }
        questions.push({ id: question.id, text: question.text, rows: rows });
      });
      return { columns: columns, questions: questions };
    }

    function render(section, bench, model) {
      var hidden = false;
      section.append(
        h('p', { text: T.intro.replace('{release}', bench.release).replace('{date}', date(bench.createdAt)).replace('{respondents}', bench.respondents.toLocaleString('en-GB')) }),
        h('p', { text: T['private'] }));
      model.questions.forEach(function (q) {
        var head = h('tr', {}, [h('th', { scope: 'col', text: T.answer })].concat(model.columns.map(function (c) { return h('th', { scope: 'col', text: c.label }); })));
        var body = h('tbody', {}, q.rows.map(function (r) {
          return h('tr', { class: r.stage ? 'sv-compare-stage' : null }, [h('th', { scope: 'row', text: r.label })].concat(r.cells.map(function (c) {
            if (c === T.hidden) hidden = true;
            return h('td', { text: c });
          })));
        }));
        section.append(h('table', { class: 'sv-compare-table', 'data-question': q.id }, [h('caption', { text: q.text }), h('thead', {}, [head]), body]));
      });
      if (hidden) section.append(h('p', { class: 'sv-compare-note', text: T.footnote }));
    }

    async function get(url) {
      try { return await fetch(url, { credentials: 'omit' }); } catch (e) { return null; }
    }

    // What the thank-you screens read, once for both (the journey and this): the latest public release and the survey's
    // wording. Two GETs with no body and no query but the language; { bench: null, none: true } when nothing is published.
    async function load(surveyId, lang) {
      var base = api + 'surveys/' + encodeURIComponent(surveyId);
      var res = await get(base + '/benchmark');
      var bench = res && res.ok ? await res.json().catch(function () { return null; }) : null;
      var def = await get(base + '?lang=' + encodeURIComponent(lang));
      var survey = def && def.ok ? await def.json().catch(function () { return null; }) : null;
      return { bench: bench, survey: survey, none: !!res && res.status === 404 };
    }

    async function show(container, loading, answers, level, texts) {
      T = texts;
      var status = h('p', { class: 'sv-compare-none', text: T.loading });
      var section = h('section', { class: 'sv-compare', 'aria-labelledby': 'sv-compare-title' }, [
        h('h' + level, { class: 'sv-compare-title', id: 'sv-compare-title', text: T.heading }), status]);
      container.append(section);
      var loaded = await loading;
      if (loaded.none) { status.textContent = T.none; return; }
      if (!loaded.bench || !loaded.survey) { status.textContent = T.failed; return; }
      status.remove();
      render(section, loaded.bench, build(loaded.survey, loaded.bench, answers));
    }

    // The pure helpers are shared with journey-screen.js, which reads the release the same way.
    return { load: load, show: show, find: find, reported: reported, shown: shown, percent: percent };
  })();
