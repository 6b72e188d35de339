// Utility globals, loaded the first time a scenario touches one.
(function (G, L) {
  'use strict';
  const def = L.def;
  def('uuidgen', function uuidgen() {
    const h = '0123456789abcdef';
    let s = '';
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) s += '-';
      else if (i === 14) s += '4';
      else if (i === 19) s += h[8 + Math.floor(Math.random() * 4)];
      else s += h[Math.floor(Math.random() * 16)];
    }
    return s;
  });
  def('getLocalTime', function getLocalTime() { return new Date(L.epoch + L.clock); });
  def('levenshtein_distance', function levenshtein_distance(a, b) {
    a = String(a);
    b = String(b);
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length];
  });
  function utf8(str) {
    const out = [];
    for (const ch of String(str)) {
      const c = ch.codePointAt(0);
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }
  function fromUtf8(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i] & 255;
      let c;
      let n;
      if (b < 0x80) { c = b; n = 1; } else if (b >> 5 === 6) { c = b & 31; n = 2; } else if (b >> 4 === 14) { c = b & 15; n = 3; } else { c = b & 7; n = 4; }
      for (let k = 1; k < n; k++) c = (c << 6) | (bytes[i + k] & 63);
      s += String.fromCodePoint(c);
      i += n;
    }
    return s;
  }
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  def('str2bytes', (s) => utf8(s));
  def('bytes2str', (b) => fromUtf8(Array.from(b)));
  def('bytes2hex', (b) => Array.from(b, (x) => ((x & 255) < 16 ? '0' : '') + (x & 255).toString(16)).join(''));
  def('hex2bytes', (h) => {
    const out = [];
    for (let i = 0; i + 1 < h.length; i += 2) out.push(parseInt(h.substr(i, 2), 16));
    return out;
  });
  def('base64_encode', function base64_encode(s) {
    const b = typeof s === 'string' ? utf8(s) : Array.from(s);
    let out = '';
    for (let i = 0; i < b.length; i += 3) {
      const n = (b[i] << 16) | ((b[i + 1] || 0) << 8) | (b[i + 2] || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
    }
    return out;
  });
  def('base64_decode', function base64_decode(s) {
    const clean = String(s).replace(/[^A-Za-z0-9+/]/g, '');
    const out = [];
    for (let i = 0; i < clean.length; i += 4) {
      const n = (B64.indexOf(clean[i]) << 18) | (B64.indexOf(clean[i + 1]) << 12) | ((B64.indexOf(clean[i + 2]) & 63) << 6) | (B64.indexOf(clean[i + 3]) & 63);
      out.push((n >> 16) & 255);
      if (i + 2 < clean.length) out.push((n >> 8) & 255);
      if (i + 3 < clean.length) out.push(n & 255);
    }
    return fromUtf8(out);
  });
})(globalThis, __lab);
