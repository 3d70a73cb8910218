// Runs just before uPlot (served as the start of /playground/uplot.js, see vendorFiles() in src/server/staff.ts).
// uPlot builds `new Intl.NumberFormat(navigator.language)` as soon as it loads; a browser that reports a tag Intl
// rejects — chromium started under LANG=C says "en-US@posix" — would stop uPlot from loading and leave the
// dashboard without charts. Then this page reads navigator.language as the nearest valid tag ("en-US"), or
// "vi-VN". The dashboard formats its own dates and numbers in Vietnamese anyway (staff.js), whatever the browser.
(function () {
  'use strict';
  var valid = function (tag) {
    if (typeof tag !== 'string' || tag === '') return false;
    try {
      new Intl.NumberFormat(tag);
      return true;
    } catch (e) {
      return false;
    }
  };
  var lang = typeof navigator !== 'undefined' ? navigator.language : undefined;
  if (valid(lang)) return;
  // "en-US@posix", "en_US.UTF-8" → "en-US".
  var cleaned = String(lang || '').split(/[@.]/)[0].replace(/_/g, '-');
  var tag = valid(cleaned) ? cleaned : 'vi-VN';
  try {
    Object.defineProperty(navigator, 'language', { configurable: true, get: function () { return tag; } });
  } catch (e) {
    // A browser that refuses the override keeps its own tag; uPlot then fails to load and the dashboard says
    // that it cannot draw charts in this browser (its tables still show).
  }
})();
