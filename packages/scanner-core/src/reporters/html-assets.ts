/** The HTML report's inline style and script: no external file, font or request of any kind. */

export const HTML_STYLE = `
:root { --accent: #2f6feb; --muted: #6e7781; --bg: #ffffff; --fg: #1f2328; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted, .note, .empty { color: var(--muted); } .note { font-size: 12px; margin: 4px 0 0; }
.totals { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0; }
.total { flex: 1 1 140px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--soft); }
.total .n { font-size: 24px; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { margin: 0; flex: 1 1 520px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; overflow: hidden; }
.chart.wide { flex-basis: 100%; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg .label { font-size: 11px; fill: var(--fg); } svg .value { font-size: 11px; fill: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 10px; }
.filters input { flex: 1 1 260px; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
.filters select { padding: 5px; border: 1px solid var(--line); border-radius: 6px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); position: sticky; top: 0; cursor: pointer; user-select: none; }
td.num { text-align: right; }
tr.hidden { display: none; }
.sev { display: inline-block; padding: 1px 7px; border-radius: 10px; color: #fff; font-size: 12px; }
.sev-critical { background: #a3218e; } .sev-high { background: #d1242f; } .sev-medium { background: #bf8700; }
.sev-low { background: #0969da; } .sev-info { background: #6e7781; }
.fact { font-size: 12px; color: var(--muted); }
.places { margin: 4px 0 0; padding-left: 18px; } .prov { font-size: 11px; color: var(--muted); }
summary { cursor: pointer; word-break: break-all; }
`;

/** Filtering (text, severity, rule) and column sorting. Works on the rows already in the page. */
export const HTML_SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var q = document.getElementById('q'), sev = document.getElementById('sev'), rule = document.getElementById('rule');
  var shown = document.getElementById('shown');
  function apply() {
    var text = q.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (r) {
      var ok = (!text || r.getAttribute('data-search').indexOf(text) >= 0) &&
        (!sev.value || r.getAttribute('data-severity') === sev.value) &&
        (!rule.value || r.getAttribute('data-rule') === rule.value);
      r.classList.toggle('hidden', !ok);
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' secrets shown';
  }
  [q, sev, rule].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  // A link can carry a filter: report.html#q=deploy&severity=high&rule=github.pat-classic
  location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
    var kv = pair.split('='), value = decodeURIComponent(kv[1] || '');
    if (kv[0] === 'q') q.value = value;
    if (kv[0] === 'severity') sev.value = value;
    if (kv[0] === 'rule') rule.value = value;
  });
  var order = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  Array.prototype.forEach.call(document.querySelectorAll('#findings th'), function (th, col) {
    var asc = true;
    th.addEventListener('click', function () {
      var key = function (r) {
        var t = r.children[col].textContent.trim();
        return col === 0 ? order[t] : col === 3 ? Number(t) : t.toLowerCase();
      };
      rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
      asc = !asc;
      var body = document.querySelector('#findings tbody');
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
`;
