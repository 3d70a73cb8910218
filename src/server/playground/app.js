// Staff playground: talks to /api/ask and /api/status. Plain browser JavaScript, no build step.
// Everything from the server is inserted with textContent (never innerHTML), so content can't inject markup.
'use strict';

const STATUS_EVERY_MS = 5000; // how often the reload status is refreshed
const UNVERIFIED = '(chưa xác minh)';
/** Staff-only label of a link's graded status (content/links.yaml → status, backed by its source). */
const LINK_STATUS = { official: 'nguồn chính thức', corroborated: 'nhiều nguồn cùng ghi, chưa có trang chính thức', unverified: 'chưa xác minh' };

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const c of children) node.append(c);
  return node;
};

/** Sets text only when it changed, so live regions don't re-announce the same status every few seconds. */
const setText = (node, text) => {
  if (node.textContent !== text) node.textContent = text;
};

let chatId = newChatId();

function newChatId() {
  return 'pg-' + Math.random().toString(36).slice(2, 12);
}

// ---- talking to the server -------------------------------------------------------------------------------

async function api(path, body) {
  const res = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message || `Lỗi ${res.status}`);
  return data;
}

async function ask(body, shown) {
  addUser(shown);
  try {
    const data = await api('/api/ask', { ...body, chatId });
    addBot(data.reply);
    showDebug(data);
    refreshStatus();
  } catch (err) {
    addNote(`Không gửi được: ${err.message}`);
  }
}

// ---- the conversation -------------------------------------------------------------------------------------

function scrollDown() {
  const chat = $('chat');
  chat.scrollTop = chat.scrollHeight;
}

function addUser(text) {
  $('chat').append(el('li', { className: 'msg user' }, el('span', { className: 'who visually-hidden', textContent: 'Bạn: ' }), text));
  scrollDown();
}

function addNote(text) {
  $('chat').append(el('li', { className: 'msg note', textContent: text }));
  scrollDown();
}

/** Text with bare https:// addresses turned into links, as chat apps do. */
function linkify(text) {
  const frag = document.createDocumentFragment();
  const re = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    frag.append(text.slice(last, m.index));
    frag.append(el('a', { href: m[0], textContent: m[0], target: '_blank', rel: 'noopener noreferrer' }));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

function addBot(reply) {
  const li = el('li', { className: `msg bot kind-${reply.kind}` }, el('span', { className: 'who visually-hidden', textContent: 'Bot: ' }));
  for (const block of reply.blocks) if (block.trim()) li.append(el('p', {}, linkify(block.trim())));

  if (reply.links.length) {
    const ul = el('ul', { className: 'links' });
    for (const l of reply.links) {
      const a = el('a', { href: l.url, textContent: l.title, rel: 'noopener noreferrer' });
      if (!l.url.startsWith('tel:')) a.target = '_blank';
      const item = el('li', {}, a);
      if (!l.verified) item.append(' ', el('span', { className: 'unverified', textContent: UNVERIFIED }));
      if (l.status && l.status !== 'unverified') item.append(' ', el('span', { className: `link-status status-${l.status}`, textContent: `[${LINK_STATUS[l.status] ?? l.status}]` }));
      ul.append(item);
    }
    li.append(ul);
  }

  if (reply.qr.length) {
    const box = el('div', { className: 'qrs' });
    for (const q of reply.qr) {
      const img = el('img', { src: `/qr/${encodeURIComponent(q.linkId)}.png`, alt: `Mã QR: ${q.title}`, width: 160, height: 160 });
      box.append(el('figure', {}, img, el('figcaption', { textContent: q.title })));
    }
    li.append(box);
  }

  if (reply.choices.length) {
    if (reply.choicesIntro) li.append(el('p', { className: 'choices-intro', textContent: reply.choicesIntro }));
    const group = el('div', { className: 'choices', role: 'group' });
    group.setAttribute('aria-label', reply.choicesIntro || 'Các lựa chọn');
    for (const c of reply.choices) {
      const b = el('button', { type: 'button', textContent: c.label });
      b.dataset.payload = c.payload;
      b.addEventListener('click', () => ask({ choice: c.payload }, c.label));
      group.append(b);
    }
    li.append(group);
  }
  // 👍/👎 under an answer (the same as Telegram's buttons; typing "đúng" / "sai" works too).
  if (reply.feedback) {
    const f = reply.feedback;
    const box = el('div', { className: 'feedback', role: 'group' }, el('p', { className: 'prompt', textContent: f.prompt }));
    box.setAttribute('aria-label', f.prompt);
    for (const c of [f.up, f.down]) {
      const b = el('button', { type: 'button', className: 'secondary', textContent: c.label });
      b.dataset.payload = c.payload;
      b.addEventListener('click', () => {
        for (const x of box.querySelectorAll('button')) x.disabled = true; // one vote per answer
        ask({ choice: c.payload }, c.label);
      });
      box.append(b);
    }
    li.append(box);
  }
  $('chat').append(li);
  // A long answer scrolls to its start (the resident reads from the top), a short one to the bottom.
  const chat = $('chat');
  if (li.offsetHeight > chat.clientHeight) chat.scrollTop = li.offsetTop - chat.offsetTop;
  else scrollDown();
}

// ---- debug panel -------------------------------------------------------------------------------------------

const DECISIONS = { answer: 'trả lời', suggest: 'gợi ý "Ý bạn là…?"', fallback: 'không khớp (trả lời dự phòng)', none: 'không cần khớp' };

function showDebug({ reply, plain, debug }) {
  $('debug-empty').hidden = true;
  $('debug').hidden = false;
  $('debug-normalized').textContent = debug ? debug.normalized || '(trống)' : '—';
  $('debug-decision').textContent = debug ? DECISIONS[debug.decision] || debug.decision : 'không cần khớp (lệnh hoặc nút bấm)';
  $('debug-kind').textContent = reply.kind + (reply.entryId ? ` → ${reply.entryId}` : '');

  const table = $('debug-candidates');
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const c of debug ? debug.candidates : []) {
    body.append(el('tr', {}, el('td', {}, el('code', { textContent: c.id })), el('td', { textContent: c.score.toFixed(3) }), el('td', { textContent: c.question })));
  }
  table.hidden = body.rows.length === 0;
  $('debug-plain').textContent = plain;
  $('debug-plain-box').hidden = false;
}

// ---- content version and reload status ---------------------------------------------------------------------

const CHANNEL_STATE = { off: 'tắt', polling: 'đang chạy (polling)', webhook: 'đang chạy (webhook)', error: 'lỗi' };
const time = (iso) => new Date(iso).toLocaleTimeString('vi-VN');
const MAX_ERRORS_SHOWN = 10; // a YAML slip often cascades; the first errors are the ones to fix

/** "faq/x.yaml:12:5 lỗi …" → the position in code font, the message in normal text. */
function issueItem(line) {
  const m = /^(\S+:\d+:\d+) (.*)$/s.exec(line);
  return m ? el('li', {}, el('code', { textContent: m[1] }), ' ', m[2]) : el('li', { textContent: line });
}

async function refreshStatus() {
  let s;
  try {
    s = await api('/api/status');
  } catch (err) {
    setText($('version'), `Không lấy được trạng thái: ${err.message}`);
    return;
  }
  const chans = Object.entries(s.channels)
    .map(([name, c]) => `${name}: ${CHANNEL_STATE[c.state] || c.state}`)
    .join(', ');
  setText(
    $('version'),
    `Phiên bản nội dung ${s.version} · ${s.entries} mục, ${s.topics} chủ đề · nạp lúc ${time(s.loadedAt)}` +
      (s.reload.ok ? ' · lần nạp gần nhất: thành công' : ' · lần nạp gần nhất: CÓ LỖI') +
      (chans ? ` · ${chans}` : ''),
  );

  const banner = $('reload-error');
  banner.hidden = s.reload.ok;
  if (!s.reload.ok) {
    setText($('reload-error-intro'), `Lần nạp lúc ${time(s.reload.at)} không thành công. Bot vẫn trả lời bằng phiên bản ${s.reload.version}.`);
    const list = $('reload-errors');
    if (list.dataset.key !== s.reload.errors.join('\n')) {
      list.dataset.key = s.reload.errors.join('\n');
      const shown = s.reload.errors.slice(0, MAX_ERRORS_SHOWN).map(issueItem);
      const more = s.reload.errors.length - MAX_ERRORS_SHOWN;
      if (more > 0) shown.push(el('li', { textContent: `… và ${more} lỗi khác (chạy "npm run check" để xem hết). Thường chỉ cần sửa lỗi đầu tiên.` }));
      list.replaceChildren(...shown);
    }
  }

  const w = s.reload.warnings || [];
  $('warnings').hidden = w.length === 0;
  setText($('warnings-summary'), `${w.length} cảnh báo về nội dung (bot vẫn dùng được)`);
  const wl = $('warnings-list');
  if (wl.dataset.key !== w.join('\n')) {
    wl.dataset.key = w.join('\n');
    wl.replaceChildren(...w.map(issueItem));
  }
}

// ---- "Câu hỏi chưa trả lời" tab: /api/report (the usage store) --------------------------------------------

const KIND_VI = { answer: 'trả lời', suggest: 'gợi ý', fallback: 'không khớp', smalltalk: 'trò chuyện', command: 'lệnh' };
const row = (...cells) => el('tr', {}, ...cells.map((c) => (c instanceof Node ? el('td', {}, c) : el('td', { textContent: String(c) }))));
const emptyRow = (cols, text) => el('tr', {}, el('td', { colSpan: cols, className: 'hint', textContent: text }));

async function loadReport() {
  const days = $('report-days').value;
  setText($('report-status'), 'Đang tải báo cáo…');
  let data;
  try {
    data = await api(`/api/report?days=${encodeURIComponent(days)}`);
  } catch (err) {
    setText($('report-status'), `Không tải được báo cáo: ${err.message}`);
    return;
  }
  const r = data.report;
  if (data.store.state !== 'ok' || !r) {
    setText(
      $('report-status'),
      data.store.state === 'off'
        ? 'Kho thống kê chưa bật trên máy chủ này.'
        : `Kho thống kê đang lỗi (bot vẫn trả lời bình thường): ${data.store.error || ''}`,
    );
  } else {
    setText($('report-status'), `Từ ngày ${r.since} (${r.days} ngày) · cập nhật lúc ${new Date().toLocaleTimeString('vi-VN')}`);
  }
  const un = $('report-unanswered').tBodies[0];
  const picks = $('report-picks').tBodies[0];
  const usage = $('report-usage').tBodies[0];
  un.replaceChildren(
    ...(r && r.unanswered.length
      ? r.unanswered.map((u) =>
          row(u.count, el('code', { textContent: u.normalized }), u.example, u.kinds.split(',').map((k) => KIND_VI[k] || k).join(', '), u.lastDay),
        )
      : [emptyRow(5, 'Chưa có câu hỏi nào trong khoảng này.')]),
  );
  picks.replaceChildren(
    ...(r && r.picks.length
      ? r.picks.map((p) => row(p.count, p.example, el('span', {}, el('code', { textContent: p.pickedId }), p.pickedTitle ? ` — ${p.pickedTitle}` : '')))
      : [emptyRow(3, 'Chưa có lượt chọn gợi ý nào.')]),
  );
  // Rows are day × channel × ward × kind: one line per day × channel × ward, kinds as columns.
  const lines = new Map();
  for (const u of r ? r.usage : []) {
    const key = `${u.day}|${u.channel}|${u.ward}`;
    const line = lines.get(key) || { day: u.day, channel: u.channel, ward: u.ward, answer: 0, suggest: 0, fallback: 0, other: 0, total: 0 };
    if (u.kind === 'answer' || u.kind === 'suggest' || u.kind === 'fallback') line[u.kind] += u.count;
    else line.other += u.count;
    line.total += u.count;
    lines.set(key, line);
  }
  usage.replaceChildren(
    ...(lines.size
      ? [...lines.values()].map((l) => {
          const ward = !l.ward ? '(không qua link phường/xã)' : data.wards && data.wards[l.ward] ? `${data.wards[l.ward]} (${l.ward})` : l.ward;
          return row(l.day, l.channel, ward, l.answer, l.suggest, l.fallback, l.other, l.total);
        })
      : [emptyRow(8, 'Chưa có lượt dùng nào.')]),
  );
}

// ---- tabs: one button + one panel each (see the comment in index.html) ----------------------------------

function setUpTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  document.querySelector('[role="tablist"]').hidden = tabs.length < 2;
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
    tab.focus();
  };
  tabs.forEach((t, i) => {
    t.tabIndex = t.getAttribute('aria-selected') === 'true' ? 0 : -1;
    t.addEventListener('click', () => select(t));
    t.addEventListener('keydown', (e) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length]);
    });
  });
}

// ---- start ---------------------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  setUpTabs();
  $('tab-report').addEventListener('click', loadReport);
  $('report-refresh').addEventListener('click', loadReport);
  $('report-days').addEventListener('change', loadReport);
  const input = $('question');
  $('ask-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    ask({ text }, text);
  });
  $('menu').addEventListener('click', () => ask({ text: '/menu' }, '/menu'));
  $('reset').addEventListener('click', () => {
    chatId = newChatId();
    $('chat').replaceChildren();
    addNote('Đã bắt đầu cuộc trò chuyện mới.');
    input.focus();
  });
  refreshStatus();
  setInterval(refreshStatus, STATUS_EVERY_MS);
  window.addEventListener('focus', refreshStatus); // back from the editor: show the reload result at once
  input.focus();
});
