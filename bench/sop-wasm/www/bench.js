// The browser half of `cargo xtask bench-sop`: Helpline's SOP search in wasm and
// MiniSearch, on the same 5,000 articles and the same keystrokes, in the same page.
//
// Method, the same for both engines:
// - one untimed warm-up pass over every keystroke;
// - then each keystroke timed ROUNDS (3) times in a row: the driver reports the
//   first timing ("single pass") and the best of the three;
// - a timing is one search asking for LIMIT (5) hits; if the page's timer is
//   coarser than 20 µs (Chromium coarsens performance.now() to 100 µs in pages
//   that are not cross-origin isolated), each timing covers BATCH_COARSE
//   searches of the same keystroke and is divided by it. The server sends
//   COOP/COEP headers, so the page is isolated and the timer is 5 µs.
// The work is cut into chunks with a yield in between, so the WebDriver polls
// of the driver get through; no chunk boundary falls inside a timing.
//
// The result is left as JSON in window.__sopBench (progress in
// window.__sopBenchProgress) for the driver to read.

import init, * as sop from './pkg/helpline_sop_bench_wasm.js';

const LIMIT = 5;
const ROUNDS = 3;
const BATCH_COARSE = 20;
const CHUNK = 200;

const status = document.getElementById('status');
function progress(what) {
  window.__sopBenchProgress = what;
  status.textContent = what;
}

const yieldToBrowser = () => new Promise((resolve) => setTimeout(resolve, 0));

function chunks(list) {
  const out = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** The smallest step performance.now() takes, in ms. */
function timerResolution() {
  let smallest = Infinity;
  for (let i = 0; i < 100; i++) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    smallest = Math.min(smallest, b - a);
  }
  return smallest;
}

/** Gzip size of `bytes` with the browser's own CompressionStream. */
async function gzipSize(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function fetchOk(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return response;
}

async function helpline(corpusText, queries, indexBytes, batch) {
  const out = {};
  progress('wasm: building the index from the corpus');
  await yieldToBrowser();
  out.build_ms = sop.build_index(corpusText);
  progress('wasm: decoding the index bytes');
  await yieldToBrowser();
  const t = performance.now();
  out.decode_ms = sop.load_index(indexBytes);
  out.load_call_ms = performance.now() - t;
  out.index_bytes = indexBytes.byteLength;
  out.index_gzip_bytes = await gzipSize(indexBytes);

  const parts = chunks(queries).map((c) => JSON.stringify(c));
  for (const [i, part] of parts.entries()) {
    progress(`wasm: warm-up ${i + 1}/${parts.length}`);
    sop.run_queries(part, LIMIT, 1, 1);
    await yieldToBrowser();
  }
  out.times = [];
  out.hits = [];
  for (const [i, part] of parts.entries()) {
    progress(`wasm: measuring ${i + 1}/${parts.length}`);
    const result = JSON.parse(sop.run_queries(part, LIMIT, ROUNDS, batch));
    out.times.push(...result.times);
    out.hits.push(...result.hits);
    await yieldToBrowser();
  }
  return out;
}

async function miniSearch(docs, queries, batch) {
  const out = {};
  // Comparable to Helpline's ranking: title, tags and plain-text body, title
  // boosted 3 and tags 2, prefix search for type-ahead, fuzzy for typos,
  // OR-combined terms (MiniSearch's default), the top LIMIT hits kept.
  const options = {
    idField: 'id',
    fields: ['title', 'tags', 'body'],
    searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 3, tags: 2 }, combineWith: 'OR' },
  };
  progress('MiniSearch: building the index (addAll)');
  await yieldToBrowser();
  let t = performance.now();
  const engine = new MiniSearch(options);
  engine.addAll(docs);
  out.build_ms = performance.now() - t;

  // What shipping MiniSearch's index to the widget would cost: its JSON, and
  // loadJSON on first open.
  progress('MiniSearch: serialising and reloading the index');
  await yieldToBrowser();
  const json = JSON.stringify(engine);
  const jsonBytes = new TextEncoder().encode(json);
  out.index_bytes = jsonBytes.byteLength;
  out.index_gzip_bytes = await gzipSize(jsonBytes);
  t = performance.now();
  MiniSearch.loadJSON(json, options);
  out.decode_ms = performance.now() - t;

  const search = (q) => engine.search(q).slice(0, LIMIT);
  const parts = chunks(queries);
  for (const [i, part] of parts.entries()) {
    progress(`MiniSearch: warm-up ${i + 1}/${parts.length}`);
    for (const q of part) search(q);
    await yieldToBrowser();
  }
  out.times = [];
  out.hits = [];
  for (const [i, part] of parts.entries()) {
    progress(`MiniSearch: measuring ${i + 1}/${parts.length}`);
    for (const q of part) {
      const perRound = [];
      let found = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const started = performance.now();
        for (let b = 0; b < batch; b++) found = search(q).length;
        perRound.push((performance.now() - started) / batch);
      }
      out.times.push(perRound);
      out.hits.push(found);
    }
    await yieldToBrowser();
  }
  return out;
}

async function main() {
  progress('fetching the corpus, the keystrokes and the index');
  const [corpusText, docs, queries, indexBytes] = await Promise.all([
    fetchOk('corpus.json').then((r) => r.text()),
    fetchOk('minisearch-docs.json').then((r) => r.json()),
    fetchOk('queries.json').then((r) => r.json()),
    fetchOk('index.bin').then((r) => r.arrayBuffer()).then((b) => new Uint8Array(b)),
  ]);
  progress('instantiating the wasm');
  let t = performance.now();
  await init({ module_or_path: './pkg/helpline_sop_bench_wasm_bg.wasm' });
  const wasmInitMs = performance.now() - t;

  const resolution = timerResolution();
  const batch = resolution > 0.02 ? BATCH_COARSE : 1;
  const result = {
    user_agent: navigator.userAgent,
    cross_origin_isolated: self.crossOriginIsolated === true,
    timer_resolution_ms: resolution,
    batch,
    rounds: ROUNDS,
    limit: LIMIT,
    keystrokes: queries.length,
    articles: docs.length,
    wasm_init_ms: wasmInitMs,
    helpline: await helpline(corpusText, queries, indexBytes, batch),
    minisearch: await miniSearch(docs, queries, batch),
  };
  progress('done');
  document.getElementById('result').textContent =
    `${result.keystrokes} keystrokes over ${result.articles} articles: see the driver's table`;
  window.__sopBench = JSON.stringify(result);
}

main().catch((err) => {
  progress('failed');
  window.__sopBench = JSON.stringify({ error: String((err && err.stack) || err) });
});
