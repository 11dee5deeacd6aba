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

// A message that is not JSON is reported, never thrown from an event handler.
function parseMessage(text, what) {
  try {
    return { data: JSON.parse(text) };
  } catch {
    return { problem: `The server sent an unreadable ${what}.` };
  }
}

// fetch, with a network failure (server down, connection refused) returned as a sentence instead of thrown.
async function request(url, options) {
  try {
    return { response: await fetch(url, options) };
  } catch (error) {
    return { problem: `the server did not answer (${error.message}). Check that it is running, then try again.` };
  }
}

function cancelRun(url) {
  fetch(url, { method: 'DELETE', keepalive: true }).catch(() => {
    // The run is canceled anyway once no client has followed it for the server's grace period.
  });
}

// Follows a run's Server-Sent Events. The browser's EventSource resumes by itself after a dropped connection
// (sending Last-Event-ID), so a drop is shown and waited out; when it gives up (the server answered the reconnect
// with something other than an event stream: 404 once the run is gone), the run's own URL says what became of it.
// Note that the connection's 'error' event and the server's 'error' event share a name: only the server's has data.
function followRun(run, handlers, ui) {
  const source = new EventSource(run.events_url);
  let dropped = false;
  const resume = () => {
    if (dropped) {
      dropped = false;
      ui.resumed();
    }
  };
  for (const [type, handle] of Object.entries(handlers)) {
    source.addEventListener(type, event => {
      if (typeof event.data !== 'string') return;
      resume();
      const { data, problem } = parseMessage(event.data, `"${type}" event`);
      if (problem) ui.ended('error', problem); else handle(data);
    });
  }
  source.addEventListener('open', resume);
  source.addEventListener('error', async event => {
    if (typeof event.data === 'string' || ui.isDone()) return;
    if (source.readyState === EventSource.CONNECTING) {
      dropped = true;
      ui.dropped();
      return;
    }
    source.close();
    const { response, problem } = await request(run.cancel_url, { headers: { Accept: 'application/json' } });
    if (ui.isDone()) return;
    if (problem) ui.ended('error', `The connection to the run was lost and ${problem}`);
    else if (response.status === 404) ui.ended('error', `The run is gone from the server: ${(await problemText(response)).replace(/^404 No such run\.\s*/, '')}`);
    else if (!response.ok) ui.ended('error', `The run's event stream stopped: ${await problemText(response)}`);
    else {
      const info = (await response.json().catch(() => ({}))) ?? {};
      ui.ended('error', `The run's event stream stopped; the server says the run is ${info.state ?? 'in an unknown state'}${info.cancel_reason ? ` (${info.cancel_reason})` : ''}.`);
    }
  });
  return source;
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
  attempt: 0,
  socket: null,
  source: null,
  cancelUrl: null,
  done: true,
  started: false,
  runningText: '',
  total: 0,
  order: 0,
  maxElapsed: 1,
  document: {},
};

const extractStatus = $('#extract-status');

function resetExtraction() {
  Object.assign(extraction, { done: false, started: false, runningText: '', total: 0, order: 0, maxElapsed: 1, document: {}, cancelUrl: null });
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

function setExtractRunning(text) {
  extraction.runningText = text;
  setStatus(extractStatus, 'running', text);
}

// Ends the attempt on the page: the form is usable again, and late messages of this attempt are ignored.
function finishExtraction(state, text) {
  extraction.done = true;
  extraction.attempt++;
  if (state) setStatus(extractStatus, state, text);
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
      extraction.started = true;
      extraction.total = meta.extractors_total;
      setProgress(0, extraction.total);
      setExtractRunning(`Running ${meta.extractors_total} extractors at once on ${meta.input_name ?? 'the upload'} (${meta.input_bytes} bytes)…`);
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
      finishExtraction('complete', `Complete: ${meta.extractors_succeeded} of ${meta.extractors_total} extractors succeeded in ${Math.round(meta.elapsed_ms)} ms.`);
      break;
    case 'error':
      finishExtraction('error', `Error ${message.error.status}: ${message.error.detail}`);
      break;
    case 'canceled':
      finishExtraction('canceled', `Canceled on the server (${meta.reason}).`);
      break;
  }
}

const extractionUi = {
  isDone: () => extraction.done,
  dropped: () => setStatus(extractStatus, 'reconnecting', 'The connection dropped: reconnecting… (the run goes on on the server)'),
  resumed: () => setStatus(extractStatus, 'running', extraction.runningText || 'Reconnected.'),
  ended: (state, text) => finishExtraction(state, text),
};

function extractOverSocket(file) {
  const attempt = extraction.attempt;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // The server rejects names over 255 characters or with control characters; a file name is only a label.
  const name = file.name.replace(/[\u0000-\u001f]/g, '').slice(0, 255);
  const socket = new WebSocket(`${scheme}://${location.host}/ws/extraction?name=${encodeURIComponent(name)}`);
  extraction.socket = socket;
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => socket.send(file);
  socket.onmessage = event => {
    if (attempt !== extraction.attempt) return;
    const { data, problem } = parseMessage(event.data, 'message');
    if (problem) finishExtraction('error', problem); else onExtractionMessage(data);
  };
  socket.onclose = event => {
    if (extraction.socket === socket) extraction.socket = null;
    if (attempt !== extraction.attempt || extraction.done) return;
    // A WebSocket run belongs to its socket: the server cancels it when the connection goes, so there is nothing to resume.
    if (!extraction.started && event.code === 1006) {
      finishExtraction('error', 'Could not connect to the server: check that it is running, then try again.');
    } else if (event.code === 1006) {
      finishExtraction('error', 'The connection dropped, and the server canceled the run with it (a WebSocket run cannot resume). Try again.');
    } else {
      finishExtraction('error', `The server closed the connection (${event.code}${event.reason ? ': ' + event.reason : ''}).`);
    }
  };
}

async function extractOverSse(file) {
  const attempt = extraction.attempt;
  const body = new FormData();
  body.append('image', file, file.name);
  const { response, problem } = await request('/api/extraction/runs', { method: 'POST', body });
  if (attempt !== extraction.attempt) {
    // Canceled while uploading: the run may have been created after all, so cancel it too.
    if (response?.status === 201) response.json().then(run => cancelRun(run.cancel_url), () => {});
    return;
  }
  if (problem) {
    finishExtraction('error', `Could not start the extraction: ${problem}`);
    return;
  }
  if (!response.ok) {
    finishExtraction('error', await problemText(response));
    return;
  }
  const run = await response.json();
  extraction.cancelUrl = run.cancel_url;
  extraction.source = followRun(run, Object.fromEntries(
    ['started', 'extractor_progress', 'extractor_complete', 'complete', 'error', 'canceled'].map(stage => [stage, onExtractionMessage])), extractionUi);
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
  setExtractRunning(`Uploading ${file.name}…`);
  const transport = new FormData($('#extract-form')).get('transport');
  if (transport === 'sse') extractOverSse(file); else extractOverSocket(file);
});

function cancelExtraction() {
  if (extraction.socket) extraction.socket.close(1000, 'canceled by the user');
  if (extraction.cancelUrl) cancelRun(extraction.cancelUrl);
}

$('#extract-cancel').addEventListener('click', () => {
  cancelExtraction();
  finishExtraction('canceled', 'Canceled.');
});

// ---- beam search ----
const beam = {
  attempt: 0,
  source: null,
  cancelUrl: null,
  done: true,
  prompt: '',
  expected: 0,
  iterations: 0,
  iteration: 0,
  scored: 0,
  failed: 0,
};
const beamStatus = $('#beam-status');

function iterationSection(iteration) {
  const container = $('#beam-iterations');
  let section = container.querySelector(`[data-iteration="${iteration}"]`);
  if (!section) {
    section = el('section', { class: 'iteration', dataset: { iteration: String(iteration) } },
      el('h3', { textContent: `Iteration ${iteration + 1} ` }, el('small')),
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

function beamProgressText() {
  const failed = beam.failed ? `, ${beam.failed} failed` : '';
  return `Searching for "${beam.prompt}": iteration ${beam.iteration + 1} of ${beam.iterations}, ${beam.scored} of ${beam.expected} candidates scored${failed}…`;
}

// The expected count is width x iterations; a search that stops early ends below it, and the bar then jumps to full.
function showBeamProgress(final) {
  const done = beam.scored + beam.failed;
  const share = final ? 1 : beam.expected ? Math.min(1, done / beam.expected) : 0;
  $('#beam-bar').style.width = `${100 * share}%`;
  const count = $('#beam-count');
  Object.assign(count.dataset, { scored: String(beam.scored), failed: String(beam.failed), expected: String(beam.expected), iteration: String(beam.iteration + 1) });
  count.textContent = beam.expected ? `${done} / ${beam.expected}` : '';
  if (!final && !beam.done && beamStatus.dataset.state === 'running') setStatus(beamStatus, 'running', beamProgressText());
}

function seeIteration(iteration) {
  beam.iteration = Math.max(beam.iteration, iteration);
}

function finishBeam(state, text) {
  beam.done = true;
  beam.attempt++;
  if (state) setStatus(beamStatus, state, text);
  beam.source?.close();
  beam.source = null;
  $('#beam-start').disabled = false;
  $('#beam-cancel').disabled = true;
}

const beamHandlers = {
  search_started(data) {
    Object.assign(beam, { prompt: data.prompt, expected: data.beam_width * data.iterations, iterations: data.iterations });
    setStatus(beamStatus, 'running', beamProgressText());
    showBeamProgress(false);
  },
  image_generated(data) {
    seeIteration(data.iteration);
    const card = candidateCard(data.iteration, data.candidate_id);
    if (data.image_url) $('img', card).src = data.image_url;
    $('.prompt', card).textContent = data.combined_prompt;
    showBeamProgress(false);
  },
  candidate_scored(data) {
    const c = data.candidate;
    seeIteration(c.iteration);
    beam.scored++;
    const card = candidateCard(c.iteration, c.id);
    if (c.image_url && !$('img', card).src) $('img', card).src = c.image_url;
    card.classList.replace('pending', 'scored');
    $('.score', card).textContent = `total ${c.total.toFixed(3)} · align ${c.alignment.toFixed(2)} · aesth ${c.aesthetic.toFixed(2)}`;
    showBeamProgress(false);
  },
  candidate_failed(data) {
    seeIteration(data.iteration);
    beam.failed++;
    const card = candidateCard(data.iteration, data.candidate_id);
    card.classList.remove('pending');
    card.classList.add('failed');
    $('.score', card).textContent = `failed at ${data.stage}: ${data.error}`;
    showBeamProgress(false);
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
    const stopped = data.stop_description ?? data.stop_reason;
    panel.hidden = false;
    panel.replaceChildren(
      el('img', { src: best.image_url ?? '', alt: `best candidate ${best.id}` }),
      el('div', {},
        el('h2', { textContent: `Best: ${best.id} (iteration ${best.iteration + 1}), total ${best.total.toFixed(3)}` }),
        el('p', { textContent: `WHAT: ${best.what}` }),
        el('p', { textContent: `HOW: ${best.how}` }),
        el('p', { class: 'stop', textContent: `Stopped: ${stopped}. ${data.candidates_scored} scored, ${data.candidates_failed} failed in ${Math.round(data.elapsed_ms)} ms.` })));
    showBeamProgress(true);
    finishBeam('complete', `Search complete: ${stopped}.`);
  },
  error(data) {
    finishBeam('error', `${data.error.title} ${data.error.detail}`);
  },
  canceled(data) {
    finishBeam('canceled', `Canceled on the server (${data.reason}).`);
  },
};

const beamUi = {
  isDone: () => beam.done,
  dropped: () => setStatus(beamStatus, 'reconnecting', 'The connection dropped: reconnecting… (the search goes on on the server)'),
  resumed: () => setStatus(beamStatus, 'running', beamProgressText()),
  ended: (state, text) => finishBeam(state, text),
};

$('#beam-form').addEventListener('submit', async event => {
  event.preventDefault();
  const attempt = ++beam.attempt;
  Object.assign(beam, { done: false, cancelUrl: null, prompt: '', expected: 0, iterations: 0, iteration: 0, scored: 0, failed: 0 });
  $('#beam-iterations').replaceChildren();
  $('#beam-best').hidden = true;
  showBeamProgress(false);
  $('#beam-start').disabled = true;
  $('#beam-cancel').disabled = false;
  setStatus(beamStatus, 'starting', 'Starting…');
  const body = {
    prompt: $('#beam-prompt').value,
    beam_width: Number($('#beam-width').value),
    keep_top: Number($('#beam-keep').value),
    iterations: Number($('#beam-iterations-count').value),
  };
  const { response, problem } = await request('/api/beam/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (attempt !== beam.attempt) {
    // Canceled while starting: the run may have been created after all, so cancel it too.
    if (response?.status === 201) response.json().then(run => cancelRun(run.cancel_url), () => {});
    return;
  }
  if (problem) {
    finishBeam('error', `Could not start the search: ${problem}`);
    return;
  }
  if (!response.ok) {
    finishBeam('error', await problemText(response));
    return;
  }
  const run = await response.json();
  beam.cancelUrl = run.cancel_url;
  setStatus(beamStatus, 'running', 'Started; waiting for the first event…');
  beam.source = followRun(run, beamHandlers, beamUi);
});

$('#beam-cancel').addEventListener('click', () => {
  if (beam.cancelUrl) cancelRun(beam.cancelUrl);
  finishBeam('canceled', 'Canceled.');
});

// Closing the page cancels what it started: the socket closes by itself, and SSE runs get an explicit DELETE
// (the server would also cancel them once no client has been connected for its grace period).
window.addEventListener('pagehide', () => {
  if (!extraction.done) cancelExtraction();
  if (!beam.done && beam.cancelUrl) cancelRun(beam.cancelUrl);
});
