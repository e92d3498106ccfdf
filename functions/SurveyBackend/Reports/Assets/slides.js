/* Slides: one slide at a time, driven from the keyboard (arrows, space, PageUp/PageDown, Home/End) or the buttons.
   Without this script every slide is on the page, one under the other. Charts download from the copy each slide
   carries (a blob), so the page keeps working offline once loaded. Printing shows every slide, one a page (CSS). */
(function () {
  'use strict';
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  if (!slides.length) return;
  var where = document.getElementById('where');
  var said = document.getElementById('said');
  var prev = document.getElementById('prev');
  var next = document.getElementById('next');
  var current = 0;
  document.documentElement.classList.add('js');
  document.querySelector('.controls').hidden = false;

  function show(n, announce) {
    current = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (s, k) { s.hidden = k !== current; });
    var heading = slides[current].querySelector('h1, h2');
    // The words come with the page, in its language ("Slide {number} of {count}").
    var position = where.getAttribute('data-words').replace('{number}', current + 1).replace('{count}', slides.length);
    where.textContent = position;
    // Screen readers hear the new slide's heading; the visible counter stays short.
    if (announce && heading) said.textContent = heading.textContent + ' (' + position + ')';
    prev.disabled = current === 0;
    next.disabled = current === slides.length - 1;
    if (location.hash !== '#' + slides[current].id) history.replaceState(null, '', '#' + slides[current].id);
  }

  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    // Space and Enter on a link or button do what the control does.
    if (t && (t.tagName === 'A' || t.tagName === 'BUTTON') && (e.key === ' ' || e.key === 'Enter')) return;
    switch (e.key) {
      case 'ArrowRight': case 'ArrowDown': case 'PageDown': show(current + 1, true); break;
      case ' ': show(current + (e.shiftKey ? -1 : 1), true); break;
      case 'ArrowLeft': case 'ArrowUp': case 'PageUp': show(current - 1, true); break;
      case 'Home': show(0, true); break;
      case 'End': show(slides.length - 1, true); break;
      default: return;
    }
    e.preventDefault();
  });
  prev.addEventListener('click', function () { show(current - 1, true); });
  next.addEventListener('click', function () { show(current + 1, true); });

  document.querySelectorAll('a[data-chart]').forEach(function (a) {
    a.addEventListener('click', function () {
      var copy = document.getElementById('file-' + a.getAttribute('data-chart'));
      if (!copy) return;
      var blob = new Blob(['<?xml version="1.0" encoding="UTF-8"?>\n' + copy.innerHTML.trim() + '\n'], { type: 'image/svg+xml' });
      var url = URL.createObjectURL(blob);
      a.href = url;
      setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
    });
  });

  var start = slides.findIndex(function (s) { return '#' + s.id === location.hash; });
  show(start < 0 ? 0 : start, false);
})();
