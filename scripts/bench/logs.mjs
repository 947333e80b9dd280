// Benchmark: `leakguard logs` on a generated ≥ 1 GB application/access log and its .gz, next to the floors
// `cat > /dev/null` and `zcat > /dev/null`; `leakguard redact` throughput through a pipe and its peak RSS.
// Everything pinned to one core. Target (issue 5): logs on the .gz ≤ 2× zcat; redact ≥ 100 MB/s, RSS < 150 MB.
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, CLI, duBytes, hyperfine, mb, peakRssMb, randomString, rng, sh } from './lib.mjs';

const DIR = join(BENCH, 'logs');
const LOG = join(DIR, 'app.log');
const GZ = join(DIR, 'app.log.gz');
const TARGET_BYTES = 1.05e9;
const BLOCK_BYTES = 8e6;

const PATHS = ['/api/v1/orders', '/api/v1/users/me', '/healthz', '/static/app.js', '/api/v2/search?q=shoes', '/login', '/api/v1/cart/items'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0', 'curl/8.5.0', 'kube-probe/1.29', 'Go-http-client/1.1'];

/** One realistic line: nginx access log, app log, JSON log (with escapes) or a stack-trace fragment. */
function line(r, i) {
  const ts = `2024-05-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`;
  const kind = r();
  if (kind < 0.35) {
    const ip = `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
    return `${ip} - - [${String(1 + (i % 28)).padStart(2, '0')}/May/2024:${String(i % 24).padStart(2, '0')}:13:55 +0000] "GET ${PATHS[i % PATHS.length]} HTTP/1.1" ${r() < 0.9 ? 200 : 404} ${Math.floor(r() * 50000)} "-" "${AGENTS[i % AGENTS.length]}"`;
  }
  if (kind < 0.7) {
    const level = r() < 0.8 ? 'INFO' : r() < 0.5 ? 'WARN' : 'DEBUG';
    return `${ts} ${level} [worker-${Math.floor(r() * 16)}] order ${randomString(r, 12, '0123456789abcdef')} processed in ${Math.floor(r() * 900)}ms user_id=${Math.floor(r() * 1e6)} session refreshed`;
  }
  if (kind < 0.97) {
    return `{"time":"${ts}","level":"info","msg":"request completed","path":"${PATHS[i % PATHS.length].replace(/\//g, '\\/')}","status":200,"duration_ms":${Math.floor(r() * 500)},"ua":"${AGENTS[i % AGENTS.length]}","trace":"${randomString(r, 32, '0123456789abcdef')}","note":"said \\"ok\\""}`;
  }
  return `    at com.acme.orders.OrderService.process(OrderService.java:${Math.floor(r() * 400)})`;
}

function secret(r) {
  return r() < 0.5 ? `ghp_${randomString(r, 36)}` : `AKIA${randomString(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
}

/** ~1 GB: 8 MB blocks of generated lines (regenerated every 16 blocks), each block with a couple of planted secrets. */
export function buildLogsCorpus() {
  if (existsSync(join(DIR, '.done'))) return;
  sh(`rm -rf ${DIR} && mkdir -p ${DIR}`);
  const r = rng(7);
  const fd = openSync(LOG, 'w');
  let written = 0;
  let lines = [];
  let i = 0;
  for (let block = 0; written < TARGET_BYTES; block++) {
    if (block % 16 === 0) {
      lines = [];
      let size = 0;
      while (size < BLOCK_BYTES) {
        const l = line(r, i++);
        lines.push(l);
        size += l.length + 1;
      }
    }
    const copy = [...lines];
    copy.splice(Math.floor(r() * copy.length), 0, `${new Date(Date.UTC(2024, 4, 1) + block * 60000).toISOString()} DEBUG outbound call auth=${secret(r)}`);
    copy.splice(Math.floor(r() * copy.length), 0, `{"time":"2024-05-01T00:00:00Z","msg":"config dump","token":"\\u0067hp_${randomString(r, 36)}"}`);
    const text = `${copy.join('\n')}\n`;
    writeSync(fd, text);
    written += Buffer.byteLength(text);
  }
  closeSync(fd);
  sh(`gzip -6 -c ${LOG} > ${GZ}`);
  sh(`touch ${join(DIR, '.done')}`);
}

export function benchLogs() {
  buildLogsCorpus();
  const bytes = duBytes(LOG);
  const gzBytes = duBytes(GZ);
  // `logs` uses both cores (the main thread reads and inflates, workers match); `redact` is one pipe on one core.
  const pin = 'taskset -c 0';
  const cmd = {
    cat: `cat ${LOG} > /dev/null`,
    zcat: `zcat ${GZ} > /dev/null`,
    logs: `node ${CLI} logs ${LOG} --format json -o /dev/null`,
    logsGz: `node ${CLI} logs ${GZ} --format json -o /dev/null`,
    logsGzOne: `${pin} node ${CLI} logs ${GZ} --jobs 1 --format json -o /dev/null`,
    redact: `cat ${LOG} | ${pin} node ${CLI} redact > /dev/null`,
  };
  const [cat, zcat, logs, logsGz, logsGzOne, redact] = hyperfine(
    [
      { name: 'cat', command: cmd.cat },
      { name: 'zcat', command: cmd.zcat },
      { name: 'logs', command: cmd.logs },
      { name: 'logs-gz', command: cmd.logsGz },
      { name: 'logs-gz-1', command: cmd.logsGzOne },
      { name: 'redact', command: cmd.redact },
    ],
    { runs: 2, warmup: 0 },
  );
  const size = `${mb(bytes).toFixed(0)} MB`;
  const gzSize = `${mb(gzBytes).toFixed(0)} MB .gz of ${size}`;
  const redactRss = peakRssMb(`cat ${LOG} | node ${CLI} redact`);
  return {
    rows: [
      { mode: 'logs (2 cores)', input: `generated log, ${size}`, tool: 'leakguard logs', wall: logs.median, cpu: logs.cpu, rss: peakRssMb(cmd.logs), mbps: mb(bytes) / logs.median, ratio: `${(logs.median / cat.median).toFixed(2)}× cat` },
      { mode: 'logs', input: 'same', tool: 'cat > /dev/null (floor)', wall: cat.median, cpu: cat.cpu, mbps: mb(bytes) / cat.median, ratio: '1.00' },
      { mode: 'logs (2 cores)', input: gzSize, tool: 'leakguard logs', wall: logsGz.median, cpu: logsGz.cpu, rss: peakRssMb(cmd.logsGz), mbps: mb(bytes) / logsGz.median, ratio: `${(logsGz.median / zcat.median).toFixed(2)}× zcat (target ≤ 2)` },
      { mode: 'logs (1 core)', input: 'same', tool: 'leakguard logs --jobs 1', wall: logsGzOne.median, cpu: logsGzOne.cpu, mbps: mb(bytes) / logsGzOne.median, ratio: `${(logsGzOne.median / zcat.median).toFixed(2)}× zcat` },
      { mode: 'logs', input: 'same', tool: 'zcat > /dev/null (floor)', wall: zcat.median, cpu: zcat.cpu, mbps: mb(bytes) / zcat.median, ratio: '1.00' },
      { mode: 'redact (1 core)', input: `pipe, ${size}`, tool: 'cat | leakguard redact', wall: redact.median, cpu: redact.cpu, rss: redactRss, mbps: mb(bytes) / redact.median, ratio: `target ≥ 100 MB/s, RSS < 150 MB` },
    ],
    commands: Object.values(cmd),
    notes: 'MB/s for the .gz row is decoded bytes per second. Peak RSS is from GNU time on one extra run (whole process, Node included). Every JSON line of the corpus escapes `/` (PHP-style), so the JSON-unescape pass runs on ~27% of the bytes: a pessimistic case.',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows } = benchLogs();
  console.log(JSON.stringify(rows, null, 2));
}
