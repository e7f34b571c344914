// Runs first, before any other script, style or request. It adds the page's second
// Content-Security-Policy, whose connect-src is exactly 'self' plus the origin of the RPC URL
// the user chose for watch-only mode (kept in localStorage, set by the watch-only form, which
// reloads the page when it changes). Browsers enforce every policy a page has, so the page
// can connect only where BOTH policies allow: index.html's base policy (connect-src 'self'
// http: https:) and this one. docs/web.md explains why it is done this way.
(function () {
  'use strict';
  var origin = '';
  try {
    var saved = JSON.parse(window.localStorage.getItem('ballast.watch') || 'null');
    if (saved && typeof saved.rpcUrl === 'string') {
      var url = new URL(saved.rpcUrl);
      // URL.origin is "scheme://host[:port]": no spaces, quotes or semicolons can reach the policy.
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password) origin = url.origin;
    }
  } catch (error) {
    origin = '';
  }
  var meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = "connect-src 'self'" + (origin ? ' ' + origin : '');
  meta.setAttribute('data-ballast-rpc-origin', origin);
  document.head.appendChild(meta);
})();
