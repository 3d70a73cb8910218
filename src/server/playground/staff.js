// Staff tabs of the playground: "Đề xuất" (proposals: accept in one click, or "Bỏ qua") and "Bảng theo dõi"
// (dashboard with uPlot charts, served from this server). Plain browser JavaScript; text via textContent only.
/* global $, el, api */
'use strict';

(() => {
  // $, el and api (JSON calls with the playground's credentials) come from app.js, loaded just before.
  const call = api;
  const pct = (x) => `${Math.round(x * 100)}%`;
  const cell = (c) => (c instanceof Node ? el('td', {}, c) : el('td', { textContent: String(c) }));
  const row = (...cells) => el('tr', {}, ...cells.map(cell));
  const empty = (cols, text) => el('tr', {}, el('td', { colSpan: cols, className: 'hint', textContent: text }));
  const item = (text) => el('li', { className: 'hint', textContent: text });

  // ---- "Đề xuất" --------------------------------------------------------------------------------------------

  async function loadProposals() {
    const days = $('proposals-days').value;
    const pg = $('proposals-playground').checked ? '&playground=1' : '';
    $('proposals-status').textContent = 'Đang tải đề xuất…';
    let p;
    try {
      p = await call(`/api/proposals?days=${encodeURIComponent(days)}${pg}`);
    } catch (err) {
      $('proposals-status').textContent = `Không tải được đề xuất: ${err.message}`;
      return;
    }
    $('proposals-status').textContent =
      `Từ ngày ${p.since} (${p.days} ngày)` + (p.includePlayground ? ' · gồm câu hỏi thử trên trang này' : ' · chỉ câu hỏi của người dân') + ` · tính trong ${p.ms} ms`;

    $('proposals-alternates').replaceChildren(
      ...(p.alternates.length
        ? p.alternates.map((a) => {
            const li = el('li', {}, el('p', { className: 'q', textContent: `“${a.question}”` }));
            const how = [a.picks ? `${a.picks} lần chọn từ danh sách` : '', a.reasks ? `${a.reasks} lần hỏi lại` : ''].filter(Boolean).join(', ');
            li.append(el('p', { className: 'meta', textContent: `→ ${a.entryTitle} (${a.entryId}) · ${how}` }));
            li.append(actions(a.key, a.entryId, a.entryTitle, a.question));
            return li;
          })
        : [item('Chưa có đề xuất nào.')]),
    );
    const dis = $('proposals-disliked').tBodies[0];
    dis.replaceChildren(
      ...(p.disliked.length
        ? p.disliked.map((d) => row(d.entryTitle, d.down, d.up, pct(d.rate), d.examples.join(' · ')))
        : [empty(5, 'Chưa có câu trả lời nào bị chê.')]),
    );
    $('proposals-clusters').replaceChildren(
      ...(p.clusters.length
        ? p.clusters.map((c) => {
            const li = el('li', {}, el('p', { className: 'q', textContent: `${c.count} câu hỏi, ví dụ: “${c.examples[0]}”` }));
            if (c.examples.length > 1) li.append(el('p', { className: 'meta', textContent: c.examples.slice(1).map((e) => `“${e}”`).join(' · ') }));
            li.append(actions(c.key, c.entryId, c.entryTitle, c.examples[0]));
            return li;
          })
        : [item('Không có câu hỏi nào chưa trả lời.')]),
    );
  }

  function actions(key, entryId, entryTitle, question) {
    const box = el('div', { className: 'actions' });
    const note = el('p', { className: 'hint', role: 'status' });
    if (entryId) {
      const add = el('button', { type: 'button', textContent: `Thêm vào mục “${entryTitle}”` });
      add.addEventListener('click', async () => {
        add.disabled = true;
        try {
          const r = await call('/api/proposals/accept', { key, entryId, question });
          note.textContent = `Đã thêm vào ${r.file}. Bot đã nạp lại nội dung (phiên bản ${r.version}).`;
          box.closest('li').classList.add('done');
        } catch (err) {
          add.disabled = false;
          note.textContent = err.message;
        }
      });
      box.append(add);
    }
    const skip = el('button', { type: 'button', className: 'secondary', textContent: 'Bỏ qua' });
    skip.addEventListener('click', async () => {
      try {
        await call('/api/proposals/skip', { key });
        box.closest('li').remove();
      } catch (err) {
        note.textContent = err.message;
      }
    });
    box.append(skip, note);
    return box;
  }

  // ---- "Bảng theo dõi" ---------------------------------------------------------------------------------------

  const COLORS = ['#0b5cad', '#c2410c', '#15803d', '#7c3aed', '#ca8a04', '#be185d', '#0e7490'];
  const charts = new Map();
  const CHANNEL_VI = { telegram: 'Telegram', zalo: 'Zalo', web: 'Trang thử', cli: 'Dòng lệnh' };

  // Dates and numbers in Vietnamese with a fixed locale, whatever the browser reports (an invalid one such as
  // "en-US@posix" must not break the charts: see locale-guard.js). Days are UTC dates, shown as such.
  const dayShort = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
  const dayLong = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
  const number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
  const dateOf = (ts) => new Date(ts * 1000);

  function plot(id, days, series, unit = '') {
    const box = $(id);
    charts.get(id)?.destroy();
    box.replaceChildren();
    if (!days.length) {
      box.append(el('p', { className: 'hint', textContent: 'Chưa có dữ liệu.' }));
      return;
    }
    if (typeof uPlot === 'undefined') {
      box.append(el('p', { className: 'hint', textContent: 'Trình duyệt này không vẽ được biểu đồ; số liệu có trong các bảng bên dưới và tệp CSV.' }));
      return;
    }
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const width = Math.max(280, box.clientWidth - 12);
    const num = (v) => (v == null ? '' : number.format(v) + unit);
    const opts = {
      width,
      height: 220,
      tzDate: (ts) => uPlot.tzDate(dateOf(ts), 'Etc/UTC'),
      series: [
        { label: 'Ngày', value: (u, ts) => (ts == null ? '' : dayLong.format(dateOf(ts))) },
        ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, points: { size: 6 }, value: (u, v) => num(v) })),
      ],
      axes: [
        { values: (u, splits) => splits.map((ts) => (ts == null ? '' : dayShort.format(dateOf(ts)))) },
        { size: 44, values: (u, splits) => splits.map(num) },
      ],
      scales: { x: { time: true } },
      legend: { show: true },
    };
    charts.set(id, new uPlot(opts, [xs, ...series.map((s) => s.values)], box));
  }

  async function loadDashboard() {
    const days = $('dashboard-days').value;
    $('dashboard-csv').href = `/api/dashboard.csv?days=${encodeURIComponent(days)}`;
    $('dashboard-status').textContent = 'Đang tải…';
    let d;
    try {
      d = await call(`/api/dashboard?days=${encodeURIComponent(days)}`);
    } catch (err) {
      $('dashboard-status').textContent = `Không tải được bảng theo dõi: ${err.message}`;
      return;
    }
    const total = d.usage.reduce((n, u) => n + u.count, 0);
    $('dashboard-status').textContent = `Từ ngày ${d.since} (${d.days} ngày) · ${total} tin nhắn`;
    const dayList = [...new Set(d.usage.map((u) => u.day))].sort();
    const by = (key) => {
      const names = [...new Set(d.usage.map((u) => u[key]))].sort();
      return names.map((n) => ({ name: n, values: dayList.map((day) => d.usage.filter((u) => u.day === day && u[key] === n).reduce((s, u) => s + u.count, 0)) }));
    };
    const wardName = (w) => (!w ? 'Không qua link' : d.wards[w] || w);
    plot('chart-channels', dayList, by('channel').map((s) => ({ label: CHANNEL_VI[s.name] || s.name, values: s.values })));
    plot('chart-wards', dayList, by('ward').map((s) => ({ label: wardName(s.name), values: s.values })));
    const kinds = by('kind');
    const sum = dayList.map((_, i) => kinds.reduce((n, k) => n + k.values[i], 0));
    const share = (k) => {
      const s = kinds.find((x) => x.name === k);
      return dayList.map((_, i) => (s && sum[i] ? Math.round((s.values[i] / sum[i]) * 1000) / 10 : 0));
    };
    plot('chart-shares', dayList, [
      { label: 'Trả lời được', values: share('answer') },
      { label: 'Gợi ý', values: share('suggest') },
      { label: 'Không khớp', values: share('fallback') },
    ], '%');
    const title = (id) => d.titles[id] || id;
    $('dashboard-top').tBodies[0].replaceChildren(...(d.topEntries.length ? d.topEntries.map((e) => row(title(e.entryId), e.count)) : [empty(2, 'Chưa có.')]));
    $('dashboard-votes').tBodies[0].replaceChildren(...(d.votes.length ? d.votes.map((v) => row(title(v.entryId), v.up, v.down)) : [empty(3, 'Chưa có góp ý.')]));
    $('dashboard-residents').tBodies[0].replaceChildren(
      ...(d.residents.length ? d.residents.map((r) => row(wardName(r.ward), CHANNEL_VI[r.channel] || r.channel, r.count, r.firstDay)) : [empty(4, 'Chưa có người dân nào vào qua link phường/xã.')]),
    );
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('tab-proposals').addEventListener('click', loadProposals);
    $('proposals-refresh').addEventListener('click', loadProposals);
    $('proposals-days').addEventListener('change', loadProposals);
    $('proposals-playground').addEventListener('change', loadProposals);
    $('tab-dashboard').addEventListener('click', loadDashboard);
    $('dashboard-days').addEventListener('change', loadDashboard);
  });
})();
