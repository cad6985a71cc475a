// Rendered by Portico: do not edit. See nginx-render/src/stream-h2c.ts.
var PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

function preread(s) {
  s.on('upload', function (data, flags) {
    var n = Math.min(data.length, PREFACE.length);
    var prefix = data.slice(0, n) === PREFACE.slice(0, n);
    if (prefix && n < PREFACE.length && !flags.last) return;
    s.variables.portico_h2c = prefix && n === PREFACE.length ? 'h2' : 'http1';
    s.off('upload');
    s.done();
  });
}

export default { preread };
