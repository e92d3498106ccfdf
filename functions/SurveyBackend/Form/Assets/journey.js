  /* ---- The journey: served inside form.js (FormAssets) ----
     Where a respondent's answers place them, worked out in the browser from the public definition (its journey and
     the options' points), so the answers never leave the page for it. The same rule as Journey/JourneyScore.cs: both
     run tests/journey-vectors.json. Journey.score(survey, answers) → null for a survey without a journey, else
     { score, stage, indexes: [{ index, score }] }; answers are question id → option id, or an array of them. */
  var Journey = (function () {
    function list(a) { return a == null ? [] : [].concat(a); }
    function points(o) { return o.points == null ? 0 : o.points; }
    function byPoints(a, b) { return b - a; }
    function sum(a) { return a.reduce(function (n, p) { return n + p; }, 0); }
    function isScored(q) { return q.options.some(function (o) { return o.points != null; }); }

    // Single choice: its highest option. Multiple: its maxSelections highest non-exclusive options (all with no limit),
    // or its highest exclusive option if that is more.
    function maxPoints(q) {
      var together = q.options.filter(function (o) { return !o.exclusive; }).map(points).sort(byPoints);
      if (q.type === 'single') return together.length ? together[0] : 0;
      var alone = q.options.filter(function (o) { return o.exclusive; }).map(points);
      return Math.max(sum(together.slice(0, q.maxSelections || together.length)), Math.max.apply(null, [0].concat(alone)));
    }
    // The options chosen, at most the question's most: unanswered, unknown options and "Other" add 0.
    function chosenPoints(q, chosen) {
      var ids = list(chosen);
      return Math.min(sum(q.options.filter(function (o) { return ids.indexOf(o.id) >= 0; }).map(points)), maxPoints(q));
    }
    // (200 × points + max) / (2 × max) in integers: 100 × points / max, half rounding up.
    function scale(got, max) { return Math.floor((200 * got + max) / (2 * max)); }
    function scoreOf(questions, answers) {
      var got = 0, max = 0;
      questions.forEach(function (q) { got += chosenPoints(q, answers[q.id]); max += maxPoints(q); });
      return scale(got, max);
    }
    function stageFor(journey, score) {
      var stage = journey.stages[0];
      journey.stages.forEach(function (s) { if (s.minScore <= score) stage = s; });
      return stage;
    }

    function score(survey, answers) {
      var journey = survey.journey;
      if (!journey) return null;
      var byId = {};
      survey.questions.forEach(function (q) { byId[q.id] = q; });
      var total = scoreOf(survey.questions.filter(isScored), answers || {});
      return {
        score: total,
        stage: stageFor(journey, total),
        indexes: (journey.indexes || []).map(function (index) {
          return { index: index, score: scoreOf(index.questions.map(function (id) { return byId[id]; }), answers || {}) };
        }),
      };
    }
    return { score: score };
  }());
