// StreamingBeam web sample: plain JavaScript, no build step.
// Extraction: the image goes over a WebSocket (or a POST plus an EventSource); each message is one stage.
// Beam search: a POST creates the run, an EventSource follows it (and resumes with Last-Event-ID after a drop).
'use strict';

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function setStatus(node, state, text) {
  node.dataset.state = state;
  node.textContent = text;
}

async function problemText(response) {
  try {
    const problem = await response.json();
    return `${response.status} ${problem.title ?? ''} ${problem.detail ?? ''}`.trim();
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

// Deep-merges b into a, later values winning, as the server's TokenDocument does for equal weights.
function deepMerge(a, b) {
  for (const [key, value] of Object.entries(b ?? {})) {
    if (value && typeof value === 'object' && !Array.isArray(value) && a[key] && typeof a[key] === 'object' && !Array.isArray(a[key])) {
      deepMerge(a[key], value);
    } else {
      a[key] = value;
    }
  }
  return a;
}

// ---- tabs ----
for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    for (const other of document.querySelectorAll('.tab')) {
      other.setAttribute('aria-selected', String(other === tab));
      document.getElementById(other.dataset.view).hidden = other !== tab;
    }
  });
}

// ---- extraction ----
const extraction = {
  socket: null,
  source: null,
  cancelUrl: null,
  done: true,
  total: 0,
  order: 0,
  maxElapsed: 1,
  document: {},
};

const extractStatus = $('#extract-status');

function resetExtraction() {
  Object.assign(extraction, { done: false, total: 0, order: 0, maxElapsed: 1, document: {}, cancelUrl: null });
  $('#extract-cards').replaceChildren();
  $('#extract-timeline').replaceChildren();
  $('#extract-document').textContent = '{}';
  setProgress(0, 0);
}

function setProgress(completed, total) {
  $('#extract-bar').style.width = total ? `${(100 * completed) / total}%` : '0';
  const count = $('#extract-count');
  count.dataset.completed = completed;
  count.dataset.total = total;
  count.textContent = `${completed} / ${total}`;
}

function finishExtraction() {
  extraction.done = true;
  $('#extract-start').disabled = false;
  $('#extract-cancel').disabled = true;
  extraction.source?.close();
  extraction.source = null;
}

function layoutTimeline() {
  for (const item of $('#extract-timeline').children) {
    $('.dot', item).style.left = `${(100 * Number(item.dataset.elapsed)) / extraction.maxElapsed}%`;
  }
}

function onExtractionMessage(message) {
  const meta = message.metadata ?? {};
  switch (message.stage) {
    case 'started':
      extraction.total = meta.extractors_total;
      setProgress(0, extraction.total);
      setStatus(extractStatus, 'running', `Running ${meta.extractors_total} extractors at once on ${meta.input_name ?? 'the upload'} (${meta.input_bytes} bytes)…`);
      break;
    case 'extractor_progress':
    case 'extractor_complete': {
      const provisional = message.stage === 'extractor_progress';
      const cards = $('#extract-cards');
      const existing = cards.querySelector(`[data-extractor="${CSS.escape(meta.extractor)}"]`);
      const order = provisional || !existing ? ++extraction.order : Number(existing.dataset.order);
      const card = el('article', {
        class: `token-card ${meta.status}`,
        dataset: { extractor: meta.extractor, order: String(order), status: meta.status, final: String(Boolean(meta.is_final)) },
      },
      el('header', {}, el('strong', { textContent: meta.extractor }), el('span', { textContent: `${meta.status} · ${meta.elapsed_ms} ms` })),
      el('pre', { textContent: message.tokens ? JSON.stringify(message.tokens, null, 1) : (meta.error ?? meta.skip_reason ?? '') }));
      if (existing) existing.replaceWith(card); else cards.append(card);
      if (provisional) break;

      extraction.maxElapsed = Math.max(extraction.maxElapsed, meta.elapsed_ms);
      $('#extract-timeline').append(el('li', { class: meta.status, dataset: { elapsed: String(meta.elapsed_ms) } },
        el('span', { textContent: meta.extractor }), el('span', { class: 'track' }, el('span', { class: 'dot' })), el('span', { class: 'ms', textContent: `${Math.round(meta.elapsed_ms)} ms` })));
      layoutTimeline();
      if (meta.status === 'succeeded') deepMerge(extraction.document, message.tokens);
      $('#extract-document').textContent = JSON.stringify(extraction.document, null, 2);
      setProgress(meta.extractors_completed, meta.extractors_total);
      break;
    }
    case 'complete':
      // The server's merge is authoritative (it weighs sources); it equals the live one when weights do not clash.
      extraction.document = message.tokens ?? {};
      $('#extract-document').textContent = JSON.stringify(extraction.document, null, 2);
      setProgress(meta.extractors_completed, meta.extractors_total);
      setStatus(extractStatus, 'complete', `Complete: ${meta.extractors_succeeded} of ${meta.extractors_total} extractors succeeded in ${Math.round(meta.elapsed_ms)} ms.`);
      finishExtraction();
      break;
    case 'error':
      setStatus(extractStatus, 'error', `Error ${message.error.status}: ${message.error.detail}`);
      finishExtraction();
      break;
    case 'canceled':
      setStatus(extractStatus, 'canceled', `Canceled (${meta.reason}).`);
      finishExtraction();
      break;
  }
}

function extractOverSocket(file) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws/extraction`);
  extraction.socket = socket;
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => socket.send(file);
  socket.onmessage = event => onExtractionMessage(JSON.parse(event.data));
  socket.onclose = event => {
    extraction.socket = null;
    if (!extraction.done) {
      setStatus(extractStatus, 'error', `The connection closed (${event.code}${event.reason ? ': ' + event.reason : ''}).`);
      finishExtraction();
    }
  };
}

async function extractOverSse(file) {
  const body = new FormData();
  body.append('image', file, file.name);
  const response = await fetch('/api/extraction/runs', { method: 'POST', body });
  if (!response.ok) {
    setStatus(extractStatus, 'error', await problemText(response));
    finishExtraction();
    return;
  }
  const run = await response.json();
  extraction.cancelUrl = run.cancel_url;
  const source = new EventSource(run.events_url);
  extraction.source = source;
  for (const stage of ['started', 'extractor_progress', 'extractor_complete', 'complete', 'error', 'canceled']) {
    source.addEventListener(stage, event => onExtractionMessage(JSON.parse(event.data)));
  }
}

$('#extract-form').addEventListener('submit', event => {
  event.preventDefault();
  const file = $('#extract-file').files[0];
  if (!file) {
    setStatus(extractStatus, 'error', 'Choose an image first.');
    return;
  }
  resetExtraction();
  $('#extract-start').disabled = true;
  $('#extract-cancel').disabled = false;
  setStatus(extractStatus, 'running', `Uploading ${file.name}…`);
  const transport = new FormData($('#extract-form')).get('transport');
  if (transport === 'sse') extractOverSse(file); else extractOverSocket(file);
});

function cancelExtraction() {
  if (extraction.socket) extraction.socket.close(1000, 'canceled by the user');
  if (extraction.source && extraction.cancelUrl) fetch(extraction.cancelUrl, { method: 'DELETE', keepalive: true });
}

$('#extract-cancel').addEventListener('click', () => {
  cancelExtraction();
  setStatus(extractStatus, 'canceled', 'Canceled.');
  finishExtraction();
});

// ---- beam search ----
const beam = { source: null, cancelUrl: null };
const beamStatus = $('#beam-status');

function iterationSection(iteration) {
  const container = $('#beam-iterations');
  let section = container.querySelector(`[data-iteration="${iteration}"]`);
  if (!section) {
    section = el('section', { class: 'iteration', dataset: { iteration: String(iteration) } },
      el('h3', { textContent: `Iteration ${iteration} ` }, el('small')),
      el('div', { class: 'candidates' }));
    container.append(section);
  }
  return section;
}

function candidateCard(iteration, id) {
  const section = iterationSection(iteration);
  let card = section.querySelector(`[data-candidate="${CSS.escape(id)}"]`);
  if (!card) {
    card = el('figure', { class: 'candidate pending', dataset: { candidate: id } },
      el('img', { alt: `candidate ${id}` }),
      el('figcaption', {}, el('strong', { textContent: id }), el('span', { class: 'score', textContent: 'scoring…' }), el('span', { class: 'prompt' })));
    $('.candidates', section).append(card);
  }
  return card;
}

function finishBeam() {
  beam.source?.close();
  beam.source = null;
  $('#beam-start').disabled = false;
  $('#beam-cancel').disabled = true;
}

const beamHandlers = {
  search_started(data) {
    setStatus(beamStatus, 'running', `Searching for "${data.prompt}": width ${data.beam_width}, keep ${data.keep_top}, ${data.iterations} iterations, seed ${data.seed}, on ${data.providers}.`);
  },
  image_generated(data) {
    const card = candidateCard(data.iteration, data.candidate_id);
    if (data.image_url) $('img', card).src = data.image_url;
    $('.prompt', card).textContent = data.combined_prompt;
  },
  candidate_scored(data) {
    const c = data.candidate;
    const card = candidateCard(c.iteration, c.id);
    if (c.image_url && !$('img', card).src) $('img', card).src = c.image_url;
    card.classList.replace('pending', 'scored');
    $('.score', card).textContent = `total ${c.total.toFixed(3)} · align ${c.alignment.toFixed(2)} · aesth ${c.aesthetic.toFixed(2)}`;
  },
  candidate_failed(data) {
    const card = candidateCard(data.iteration, data.candidate_id);
    card.classList.remove('pending');
    card.classList.add('failed');
    $('.score', card).textContent = `failed at ${data.stage}: ${data.error}`;
  },
  iteration_completed(data) {
    const section = iterationSection(data.iteration);
    const survivors = new Set(data.survivors.map(s => s.id));
    for (const card of section.querySelectorAll('.candidate')) {
      card.classList.add(survivors.has(card.dataset.candidate) ? 'survivor' : 'dropped');
    }
    // Parents that survive into the next pool are shown where they were born; mark them there too.
    for (const id of survivors) document.querySelector(`.candidate[data-candidate="${CSS.escape(id)}"]`)?.classList.replace('dropped', 'survivor');
    $('h3 small', section).textContent = `survivors: ${data.survivors.map(s => `${s.id} (${s.total.toFixed(3)})`).join(', ')}; best so far ${data.best_so_far?.id ?? '—'}`;
  },
  search_completed(data) {
    const best = data.best;
    const panel = $('#beam-best');
    panel.hidden = false;
    panel.replaceChildren(
      el('img', { src: best.image_url ?? '', alt: `best candidate ${best.id}` }),
      el('div', {},
        el('h2', { textContent: `Best: ${best.id} (iteration ${best.iteration}), total ${best.total.toFixed(3)}` }),
        el('p', { textContent: `WHAT: ${best.what}` }),
        el('p', { textContent: `HOW: ${best.how}` }),
        el('p', { textContent: `Stopped: ${data.stop_reason} after ${data.iterations} iterations; ${data.candidates_scored} scored, ${data.candidates_failed} failed; ${Math.round(data.elapsed_ms)} ms.` })));
    setStatus(beamStatus, 'complete', 'Search complete.');
    finishBeam();
  },
  error(data) {
    setStatus(beamStatus, 'error', `${data.error.title} ${data.error.detail}`);
    finishBeam();
  },
  canceled(data) {
    setStatus(beamStatus, 'canceled', `Canceled (${data.reason}).`);
    finishBeam();
  },
};

$('#beam-form').addEventListener('submit', async event => {
  event.preventDefault();
  $('#beam-iterations').replaceChildren();
  $('#beam-best').hidden = true;
  $('#beam-start').disabled = true;
  const body = {
    prompt: $('#beam-prompt').value,
    beam_width: Number($('#beam-width').value),
    keep_top: Number($('#beam-keep').value),
    iterations: Number($('#beam-iterations-count').value),
  };
  const response = await fetch('/api/beam/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) {
    setStatus(beamStatus, 'error', await problemText(response));
    finishBeam();
    return;
  }
  const run = await response.json();
  beam.cancelUrl = run.cancel_url;
  $('#beam-cancel').disabled = false;
  setStatus(beamStatus, 'running', 'Starting…');
  const source = new EventSource(run.events_url);
  beam.source = source;
  for (const [type, handle] of Object.entries(beamHandlers)) {
    source.addEventListener(type, e => handle(JSON.parse(e.data)));
  }
});

$('#beam-cancel').addEventListener('click', () => {
  if (beam.cancelUrl) fetch(beam.cancelUrl, { method: 'DELETE', keepalive: true });
  setStatus(beamStatus, 'canceled', 'Canceled.');
  finishBeam();
});

// Closing the page cancels what it started: the socket closes by itself, and SSE runs get an explicit DELETE
// (the server would also cancel them once no client has been connected for its grace period).
window.addEventListener('pagehide', () => {
  if (!extraction.done) cancelExtraction();
  if (beam.source && beam.cancelUrl) fetch(beam.cancelUrl, { method: 'DELETE', keepalive: true });
});
