// The console's definition editor: save, upload, a new survey.
// Baked into console.js, inside its closure, where its marker is (ConsoleEndpoints.Script): it shares the helpers there.

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
