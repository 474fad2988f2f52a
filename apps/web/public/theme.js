// Sets the colour theme before the first paint, so that a dark page never flashes white: a
// blocking script in index.html's <head> (an external file, since the Content-Security-Policy
// allows no inline script). It repeats, as small as it can, what src/lib/theme.ts decides;
// src/lib/theme.test.ts runs this file to check that the two agree.
(function () {
  var choice = null;
  try {
    choice = JSON.parse(localStorage.getItem('confab:theme'));
  } catch (e) {
    // No storage (disabled, private mode) or an unreadable value: follow the system.
  }
  var prefersDark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var theme = choice === 'dark' || (choice !== 'light' && prefersDark) ? 'dark' : 'light';
  document.documentElement.setAttribute('data-theme', theme);
  var meta = document.querySelector('meta[name="color-scheme"]');
  if (meta) meta.setAttribute('content', theme);
})();
