// httpRequest and Net, loaded on first use: answered from the lab's fixtures
// (by exact URL) or refused with a clear error. The lab makes no requests.
(function (G, L) {
  'use strict';
  function request(url, options) {
    const key = String(url);
    const f = L.fixture(key);
    if (f === undefined) {
      return Promise.reject(new Error('httpRequest(' + key + '): the lab makes no network requests and has no fixture for this URL'));
    }
    return Promise.resolve({ code: f.code, text: f.text, headers: f.headers, url: key, options });
  }
  L.def('httpRequest', function httpRequest(url, a, b) {
    if (typeof a === 'function') {
      request(url, b).then((r) => a(r), (e) => a({ code: -1, error: String(e.message), url: String(url) }));
      return undefined;
    }
    return request(url, a);
  });
  L.def('Net', {
    httpRequestAsync: (url, options) => request(url, options),
    httpRequest: (url, cb, options) => G.httpRequest(url, cb, options),
  });
})(globalThis, __lab);
