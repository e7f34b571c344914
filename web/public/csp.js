// Runs first, before any other script, style or request. It adds the page's second
// Content-Security-Policy, whose connect-src is exactly 'self' plus the origins of the RPC URLs
// the user chose, one per chain (kept in localStorage by the watch-only form, which reloads
// the page when the set of origins changes). Browsers enforce every policy a page has, so the
// page can connect only where BOTH policies allow: index.html's base policy (connect-src
// 'self' http: https:) and this one. docs/web.md explains why it is done this way.
(function () {
  'use strict';
  var origins = [];
  function add(text) {
    try {
      var url = new URL(text);
      // URL.origin is "scheme://host[:port]": no spaces, quotes or semicolons can reach the policy.
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && origins.indexOf(url.origin) < 0) origins.push(url.origin);
    } catch (error) { /* not a URL: no origin */ }
  }
  try {
    var saved = JSON.parse(window.localStorage.getItem('ballast.watch') || 'null');
    if (saved && typeof saved.rpcUrl === 'string') add(saved.rpcUrl);      // the one-URL form of earlier versions
    var rpcs = saved && typeof saved.rpcs === 'object' && saved.rpcs ? saved.rpcs : {};
    Object.keys(rpcs).sort(function (a, b) { return Number(a) - Number(b); }).forEach(function (id) {
      if (/^[1-9][0-9]*$/.test(id) && typeof rpcs[id] === 'string') add(rpcs[id]);
    });
  } catch (error) {
    origins = [];
  }
  var meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = "connect-src 'self'" + (origins.length ? ' ' + origins.join(' ') : '');
  meta.setAttribute('data-ballast-rpc-origins', origins.join(' '));
  document.head.appendChild(meta);
})();
