/* Survey embed (GET /api/embed.js): puts the survey into each <div data-survey="id"> as a cross-origin iframe of the
   backend's own form page, so no script on the host page (analytics, session replay, tag managers, extensions) can
   read what a respondent types. The frame tells the page one thing, its height as an integer, and the embed believes
   it only from the backend's origin. Nothing here fetches, stores or sets cookies. */
(function () {
  'use strict';
  // The backend is wherever this script came from: .../api/embed.js → .../api/
  var api = new URL('.', document.currentScript.src).href;
  var origin = new URL(api).origin;
  // The embed options that travel to the frame, data-X → ?X= (never anything a respondent types).
  var OPTIONS = ['lang'];
  // Language → the frame's accessible name, from Languages/strings.*.json (embed.frameTitle), baked in by FormAssets.
  var TITLES = '__FRAME_TITLES__';
  // Keep the frame's own origin (its posts carry it, never "null"), its scripts and forms, printing, and links that
  // open a new tab or a mail client (the privacy notice's contact).
  var SANDBOX = 'allow-same-origin allow-scripts allow-forms allow-modals allow-popups allow-popups-to-escape-sandbox';
  var frames = [];

  function mount(host) {
    if (host.hasAttribute('data-survey-mounted')) return;
    host.setAttribute('data-survey-mounted', '');
    var url = new URL('surveys/' + encodeURIComponent(host.getAttribute('data-survey')) + '/form', api);
    OPTIONS.forEach(function (name) {
      var value = host.getAttribute('data-' + name);
      if (value) url.searchParams.set(name, value);
    });
    var frame = document.createElement('iframe');
    frame.setAttribute('sandbox', SANDBOX);
    frame.title = host.getAttribute('data-title') || TITLES[host.getAttribute('data-lang')] || TITLES.en;
    frame.referrerPolicy = 'no-referrer';
    // Styles through the CSSOM, which a host's strict style-src allows; the height follows the frame's messages.
    var style = frame.style;
    style.display = 'block';
    style.width = '100%';
    style.height = '720px';
    style.border = '0';
    frame.src = url.href;
    // The <noscript> frame (the snippet's fallback) gives way to this one.
    host.replaceChildren(frame);
    frames.push(frame);
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== origin || !Number.isInteger(e.data) || e.data < 1 || e.data > 100000) return;
    frames.forEach(function (frame) {
      if (frame.contentWindow === e.source) frame.style.height = e.data + 'px';
    });
  });

  function start() { document.querySelectorAll('div[data-survey]').forEach(mount); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
