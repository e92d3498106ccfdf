  /* ---- The journey on the thank-you screen: served inside form.js (FormAssets), with h(), Compare and Journey from it ----
     Where the respondent's answers place them (Journey.score, worked out here from the public definition), what that
     stage means and what to do next, their sub-index scores, and where peers are: the share of their own group of the
     release's first segment question (organisation type) and of all councils at each stage, read from the release's
     derived question "journey.stage" as "how you compare" reads a question. Nothing is sent for it: it uses what
     Compare.load() fetched. The same markup as Form/JourneyRenderer.cs, with a print button where that has a hint. */
  var JourneyScreen = (function () {
    var STAGE = 'journey.stage';
    var T = null;

    function date(iso) { var d = new Date(iso); return d.getUTCDate() + ' ' + T.months.split(',')[d.getUTCMonth()] + ' ' + d.getUTCFullYear(); }
    function list(a) { return a == null ? [] : [].concat(a); }
    function share(q, stageId) {
      var s = q ? Compare.shown(q, Compare.find(q.options, stageId)) : null;
      return s == null ? T.hidden : Compare.percent(s);
    }
    function groupText(survey, qid, id) {
      var group = Compare.find((survey.reportingGroups || {})[qid], id);
      var q = Compare.find(survey.questions, qid);
      var o = q && Compare.find(q.options, id);
      return group ? group.text : o ? o.text : id;
    }

    // Columns: the respondent's own group (when they gave one), then everyone; "–" for a hidden group or figure.
    function peers(survey, bench, answers, stageId) {
      var everyone = Compare.find(bench.questions, STAGE);
      if (!everyone) return null;
      var columns = [], scopes = [];
      var sid = bench.segments.length ? bench.segments[0].questionId : null;
      var own = sid ? list(answers[sid]) : [];
      if (own.length) {
        var gid = Compare.reported(survey, sid, own[0]);
        var seg = bench.segments.find(function (s) { return s.questionId === sid && s.optionId === gid; });
        columns.push(groupText(survey, sid, gid));
        scopes.push(seg && !seg.suppressed && seg.questions ? Compare.find(seg.questions, STAGE) : null);
      }
      columns.push(T.everyone);
      scopes.push(everyone);
      return {
        columns: columns,
        rows: survey.journey.stages.map(function (s) {
          return { id: s.id, name: s.name, yours: s.id === stageId, cells: scopes.map(function (q) { return share(q, s.id); }) };
        }),
      };
    }

    function peersPart(section, loaded, answers, stageId) {
      var bench = loaded.bench;
      var model = bench && peers(loaded.survey, bench, answers, stageId);
      if (!model) {
        return section.append(h('p', { class: 'sv-journey-none', text: loaded.none ? T.none : bench ? T.notCounted : T.failed }));
      }
      var hidden = false;
      var head = h('tr', {}, [h('th', { scope: 'col', text: T.stageColumn })].concat(model.columns.map(function (c) { return h('th', { scope: 'col', text: c }); })));
      var body = h('tbody', {}, model.rows.map(function (r) {
        var name = h('th', { scope: 'row', text: r.name }, r.yours ? [' ', h('span', { class: 'sv-journey-mark', text: T.yours })] : []);
        return h('tr', { class: r.yours ? 'sv-journey-yours' : null, 'data-stage': r.id }, [name].concat(r.cells.map(function (c) {
          if (c === T.hidden) hidden = true;
          return h('td', { text: c });
        })));
      }));
      section.append(
        h('p', { class: 'sv-journey-intro', text: T.peersIntro.replace('{release}', bench.release).replace('{date}', date(bench.createdAt)) }),
        h('table', { class: 'sv-journey-peers' }, [h('caption', { text: T.peersCaption }), h('thead', {}, [head]), body]));
      if (hidden) section.append(h('p', { class: 'sv-journey-note', text: T.footnote }));
    }

    function render(survey, result, level) {
      var sub = 'h' + (level + 1);
      var section = h('section', { class: 'sv-journey', id: 'journey', 'aria-labelledby': 'sv-journey-title', 'data-stage': result.stage.id }, [
        h('h' + level, { class: 'sv-journey-title', id: 'sv-journey-title', text: survey.journey.title }),
        h('p', { class: 'sv-journey-stage', text: T.stage + ': ' }, [h('strong', { text: result.stage.name })]),
        h('p', { class: 'sv-journey-score', text: T.score + ': ' }, [h('strong', { text: T.outOf.replace('{score}', result.score) })]),
        h('p', { class: 'sv-journey-about', text: result.stage.about }),
        h(sub, { class: 'sv-journey-subtitle', text: T.next }),
        h('p', { class: 'sv-journey-next', text: result.stage.next })]);
      if (result.indexes.length) {
        section.append(h('table', { class: 'sv-journey-indexes' }, [
          h('caption', { text: T.indexes }),
          h('thead', {}, [h('tr', {}, [h('th', { scope: 'col', text: T.index }), h('th', { scope: 'col', text: T.indexScore })])]),
          h('tbody', {}, result.indexes.map(function (i) {
            return h('tr', {}, [h('th', { scope: 'row', text: i.index.name }), h('td', { text: String(i.score) })]);
          }))]));
      }
      section.append(h(sub, { class: 'sv-journey-subtitle', text: T.peers }));
      return section;
    }

    // A place held at once (so the journey comes before "how you compare"), filled when the release and wording are in.
    async function show(container, loading, answers, level, texts) {
      T = texts;
      var place = h('div');
      container.append(place);
      var loaded = await loading;
      var result = loaded.survey && Journey.score(loaded.survey, answers);
      if (!result) return place.remove();
      var section = render(loaded.survey, result, level);
      peersPart(section, loaded, answers, result.stage.id);
      var print = h('button', { type: 'button', class: 'sv-print', text: T.print });
      print.addEventListener('click', function () { window.print(); });
      section.append(h('p', { class: 'sv-journey-private', text: T['private'] }), h('p', { class: 'sv-print-row' }, [print]));
      place.replaceWith(section);
    }

    return { show: show };
  })();
