// The remix tree on /records/<id>/lineage/: the record in the middle, what it is built on in
// layers above, what was built on it below. Cards are HTML (real links and buttons, so the
// keyboard and screen readers work as anywhere else), edges are SVG, and both sit on one
// stage that d3-zoom pans and zooms. Data comes from the lineage API a page at a time: the
// first page of ancestors and of direct remixes, then whatever a visitor opens.
// The lists below the drawing show the same tree without JavaScript.
(() => {
  "use strict";

  const host = document.querySelector("[data-lineage-tree]");
  if (!host || !window.d3 || !window.fetch) return;
  const d3 = window.d3;

  const PAGE = 12; // remixes (or sources) per page when a card is opened
  const FIRST_ANCESTORS = 60; // nearest ancestors, every depth, at first load
  // Sizes in CSS pixels at 100%: lineage.css styles the inside of the cards, this lays them out.
  const NODE = { w: 248, h: 96 };
  const CENTRE = { w: 304, h: 112 };
  const GAP = { x: 24, y: 72 }; // between sibling subtrees; between layers
  const GRID = { from: 6, maxCols: 6, x: 16, y: 32, pad: 18, label: 30 }; // many leaves
  const FIRST_SCALE_MIN = 0.72; // below this the first view centres on the record instead
  const KINDS = { text: "Writing", image: "Art", audio: "Music", video: "Film" };
  const GLYPHS = {
    text: '<svg viewBox="0 0 24 24"><path d="M5 6.5h14M5 10.5h14M5 14.5h14M5 18.5h8"/></svg>',
    image:
      '<svg viewBox="0 0 24 24"><rect x="3.5" y="4.5" width="17" height="15" rx="2.5"/><circle cx="9" cy="9.5" r="1.8"/><path d="m4 17 5-4.5 3.5 3 3-2.5 4.5 4"/></svg>',
    audio:
      '<svg viewBox="0 0 24 24"><path d="M9 17.5V6l10.5-2v11.5"/><circle cx="6.5" cy="17.5" r="2.5"/><circle cx="17" cy="15.5" r="2.5"/></svg>',
    video:
      '<svg viewBox="0 0 24 24"><rect x="3" y="5" width="18" height="14" rx="3"/><path d="m10 9 5 3-5 3z"/></svg>',
    gone: '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="7.5" stroke-dasharray="3 3"/></svg>',
    centre:
      '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="7"/><circle cx="12" cy="12" r="2.2"/><path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3"/></svg>',
  };

  const viewport = host.querySelector(".tree-viewport");
  const stage = host.querySelector(".tree-stage");
  const frameLayer = host.querySelector(".tree-frames");
  const cardLayer = host.querySelector(".tree-cards");
  const moreLayer = host.querySelector(".tree-mores");
  const edgeLayer = d3.select(host.querySelector(".tree-edges"));
  const status = host.querySelector(".tree-status");
  const zoomLevel = host.querySelector(".tree-zoom-level");
  const apiUrl = host.dataset.apiUrl;
  const centreId = Number(host.dataset.recordId);
  const motion = window.matchMedia("(prefers-reduced-motion: reduce)");

  const items = new Map(); // record id -> item (see itemOf)
  const extras = new Map(); // "more" cards, group frames and empty-state notes, by key
  let centre = null;
  let layout = null; // the last computed positions
  let moved = false; // whether the visitor has panned or zoomed (then resizing keeps their view)

  // Data ------------------------------------------------------------------------------------
  function itemOf(node, side, parent) {
    return {
      id: node.id,
      data: node,
      side, // "centre", "up" (an ancestor) or "down" (a descendant)
      parent, // the card it was opened from: it is laid out under (or over) that one
      via: new Set(node.via), // every shown card one step closer to the centre it links to
      depth: parent ? parent.depth + 1 : 0,
      kids: { up: [], down: [] },
      open: { up: side !== "down", down: side === "centre" },
      cursor: { up: null, down: null },
      total: { up: null, down: null },
      fetched: { up: false, down: false },
      loading: { up: false, down: false },
      // Whether every source of this card is loaded (then an empty list means an original).
      sourcesKnown: false,
      el: null,
      toggles: { up: null, down: null },
    };
  }

  function lineageUrl(id, params) {
    // The API address is /api/v1/records/<id>/lineage; the page gives us the centre's.
    const url = new URL(apiUrl.replace(new RegExp(`/${centreId}(/|$)`), `/${id}$1`), location.href);
    Object.entries(params).forEach(([k, v]) => v != null && url.searchParams.set(k, v));
    return url;
  }

  async function fetchPage(item, side) {
    const params =
      side === "down"
        ? { direction: "descendants", limit: PAGE }
        : item.id === centreId
          ? { direction: "ancestors", limit: FIRST_ANCESTORS } // every depth, nearest first
          : { direction: "ancestors", depth: 1, limit: PAGE };
    params.cursor = item.cursor[side];
    const response = await fetch(lineageUrl(item.id, params), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    return response.json();
  }

  // Adds one page of the API to the tree; returns the cards that are new.
  function addPage(item, side, page) {
    item.fetched[side] = true;
    item.cursor[side] = page.next_cursor;
    item.total[side] = page.total;
    const fresh = [];
    for (const node of page.items) {
      const known = items.get(node.id);
      if (known) {
        node.via.forEach((v) => known.via.add(v)); // another path to a card already drawn
        continue;
      }
      // Pages of every depth (the centre's ancestors) name the cards they hang from.
      const parent =
        item === centre && side === "up"
          ? items.get(node.via.find((v) => items.has(v))) || centre
          : item;
      const child = itemOf(node, side, parent);
      if (parent === centre && side === "up") child.depth = node.depth || 1; // as the API counts
      items.set(child.id, child);
      parent.kids[side].push(child);
      fresh.push(child);
    }
    if (side === "up") {
      if (item === centre) {
        // Nearest first: every card two layers nearer than the last one has all its sources.
        const last = page.items.length ? page.items[page.items.length - 1].depth : 0;
        items.forEach((it) => {
          if (it.side !== "down" && (!page.next_cursor || it.depth <= last - 2)) {
            it.sourcesKnown = true;
          }
        });
      } else if (!page.next_cursor) {
        item.sourcesKnown = true;
      }
    }
    return fresh;
  }

  // Layout ----------------------------------------------------------------------------------
  // Each side is a tree hanging from the centre (a card is placed under the card it was
  // opened from; other links to it are extra edges). Subtrees are boxes side by side; many
  // unopened siblings wrap into a framed grid so a record with sixty remixes stays compact.
  const sizeOf = (item) => (item === centre ? CENTRE : NODE);
  const kidsOf = (item, side) => (item.open[side] ? item.kids[side] : []);
  const hasMore = (item, side) => item.open[side] && Boolean(item.cursor[side]);
  const isOpen = (item, side) =>
    item.open[side] && Boolean(item.kids[side].length || item.cursor[side]);

  // As many columns as fit the drawing's width at a readable size: two on a phone.
  function gridColumns() {
    const room = viewport.clientWidth / FIRST_SCALE_MIN - 2 * GRID.pad;
    return Math.max(2, Math.min(GRID.maxCols, Math.floor(room / (NODE.w + GRID.x))));
  }

  function measure(item, side, boxes) {
    const own = sizeOf(item);
    const kids = kidsOf(item, side);
    const more = hasMore(item, side);
    let group = null;
    if (kids.length || more) {
      const sub = kids.map((kid) => measure(kid, side, boxes));
      const cells = kids.length + (more ? 1 : 0);
      const leaves = kids.every((kid) => !kidsOf(kid, side).length && !hasMore(kid, side));
      if (leaves && cells >= GRID.from) {
        const roughlySquare = Math.max(3, Math.ceil(Math.sqrt(cells * 1.8)));
        const cols = Math.min(cells, gridColumns(), roughlySquare);
        const rows = Math.ceil(cells / cols);
        // Rows keep apart for the +N badges that stick out of the cards, if any do.
        const gapY = kids.some((kid) => toggleState(kid, side)) ? GRID.y : GRID.x;
        group = {
          grid: true,
          cols,
          gapY,
          w: cols * NODE.w + (cols - 1) * GRID.x + 2 * GRID.pad,
          h: GRID.label + rows * NODE.h + (rows - 1) * gapY + 2 * GRID.pad,
        };
      } else {
        group = {
          grid: false,
          w: sub.reduce((sum, b) => sum + b.w, 0) + (more ? NODE.w : 0) + GAP.x * (cells - 1),
          h: Math.max(more ? NODE.h : 0, ...sub.map((b) => b.h)),
        };
      }
    }
    const box = {
      w: Math.max(own.w, group ? group.w : 0),
      h: own.h + (group ? GAP.y + group.h : 0),
      own,
      group,
    };
    boxes.set(item.id, box);
    return box;
  }

  // `top` counts away from the centre; `real` turns it into stage coordinates (up is negative).
  function place(item, side, left, top, boxes, out) {
    const box = boxes.get(item.id);
    const real = (y, h) => (side === "up" ? CENTRE.h - y - h : y);
    const cx = left + box.w / 2;
    out.cards.set(item.id, {
      item,
      x: cx - box.own.w / 2,
      y: real(top, box.own.h),
      w: box.own.w,
      h: box.own.h,
    });
    const group = box.group;
    if (!group) return;
    const kids = kidsOf(item, side);
    const more = hasMore(item, side);
    const groupTop = top + box.own.h + GAP.y;
    const groupLeft = cx - group.w / 2;
    if (group.grid) {
      const frame = { x: groupLeft, y: real(groupTop, group.h), w: group.w, h: group.h };
      out.frames.set(`${item.id}:${side}`, { ...frame, item, side, shown: kids.length });
      const cells = more ? [...kids, null] : kids;
      cells.forEach((kid, i) => {
        const x = frame.x + GRID.pad + (i % group.cols) * (NODE.w + GRID.x);
        const y =
          frame.y + GRID.label + GRID.pad + Math.floor(i / group.cols) * (NODE.h + group.gapY);
        if (kid) out.cards.set(kid.id, { item: kid, x, y, w: NODE.w, h: NODE.h, framed: true });
        else out.mores.set(`${item.id}:${side}`, { item, side, x, y, w: NODE.w, h: NODE.h });
      });
      return;
    }
    let x = groupLeft;
    kids.forEach((kid) => {
      place(kid, side, x, groupTop, boxes, out);
      x += boxes.get(kid.id).w + GAP.x;
    });
    if (more) {
      const y = real(groupTop, NODE.h);
      out.mores.set(`${item.id}:${side}`, { item, side, x, y, w: NODE.w, h: NODE.h });
    }
  }

  function computeLayout() {
    const out = {
      cards: new Map(),
      frames: new Map(),
      mores: new Map(),
      notes: new Map(),
      edges: [],
    };
    for (const side of ["up", "down"]) {
      const boxes = new Map();
      const box = measure(centre, side, boxes);
      place(centre, side, -box.w / 2, 0, boxes, out);
    }
    // Edges run from the upper card's foot to the lower card's head; a framed grid gets one.
    const framed = new Set();
    out.cards.forEach((card) => {
      const item = card.item;
      if (item === centre) return;
      item.via.forEach((v) => {
        const other = out.cards.get(v);
        if (!other) return;
        if (card.framed && v === item.parent.id) {
          const key = `${v}:${item.side}`;
          if (!framed.has(key)) {
            framed.add(key);
            const frame = out.frames.get(key);
            out.edges.push(
              item.side === "up"
                ? { key: `f${key}`, from: frame, to: other, ids: [v], root: v }
                : { key: `f${key}`, from: other, to: frame, ids: [v], root: v },
            );
          }
          return;
        }
        out.edges.push(
          item.side === "up"
            ? { key: `${item.id}>${v}`, from: card, to: other, ids: [item.id, v], root: v }
            : { key: `${v}>${item.id}`, from: other, to: card, ids: [v, item.id], root: v },
        );
      });
    });
    out.mores.forEach((more, key) => {
      if (out.frames.has(key)) return;
      const owner = out.cards.get(more.item.id);
      out.edges.push(
        more.side === "up"
          ? {
              key: `m${key}`,
              from: more,
              to: owner,
              ids: [more.item.id],
              root: owner.item.id,
              more: true,
            }
          : {
              key: `m${key}`,
              from: owner,
              to: more,
              ids: [more.item.id],
              root: owner.item.id,
              more: true,
            },
      );
    });
    out.columns = gridColumns();
    // What an empty side means, said once: an original; nothing built on it yet.
    if (centre.sourcesKnown && !centre.kids.up.length) {
      out.notes.set("up", { text: "An original: it is not built on other records", y: -GAP.y / 2 });
    }
    if (centre.fetched.down && !centre.kids.down.length && !centre.cursor.down) {
      out.notes.set("down", { text: "No remixes yet", y: CENTRE.h + GAP.y / 2 });
    }
    return out;
  }

  function edgePath(edge) {
    const x1 = edge.from.x + edge.from.w / 2;
    const y1 = edge.from.y + edge.from.h;
    const x2 = edge.to.x + edge.to.w / 2;
    const y2 = edge.to.y;
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1}C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  }

  // Cards -----------------------------------------------------------------------------------
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const quoted = (item) => `“${item.data.title}”`;

  function buildCard(item) {
    const node = item.data;
    const el = document.createElement("div");
    el.className = `tree-node tree-kind-${node.kind}`;
    if (item === centre) el.classList.add("is-centre");
    if (!node.visible) el.classList.add("is-gone");
    el.dataset.id = node.id;
    el.title = node.title;

    const thumb = document.createElement("span");
    thumb.className = "tree-thumb";
    thumb.setAttribute("aria-hidden", "true");
    if (node.visible && node.thumbnail) {
      const img = document.createElement("img");
      img.src = node.thumbnail;
      img.alt = "";
      img.decoding = "async";
      img.draggable = false;
      thumb.append(img);
    } else {
      thumb.innerHTML = GLYPHS[node.visible ? node.kind : "gone"] || GLYPHS.text;
    }

    const body = document.createElement("span");
    body.className = "tree-body";
    const title = document.createElement(node.visible ? "a" : "span");
    title.className = "tree-title";
    title.textContent = node.title;
    if (node.visible) {
      title.href = node.url;
      title.draggable = false;
    }
    const author = document.createElement("span");
    author.className = "tree-author";
    author.textContent = node.author.display_name;
    const meta = document.createElement("span");
    meta.className = "tree-meta";
    // The text sits in a span of its own: an ellipsis needs a block that clips, and the
    // meta line is a flex row (the kind's dot, then the words).
    const metaText = document.createElement("span");
    metaText.className = "tree-meta-text";
    meta.append(metaText);
    body.append(title, author, meta);
    el.append(thumb, body);

    if ((node.visible || node.deleted) && item !== centre) {
      const recentre = document.createElement("a");
      recentre.className = "tree-recentre";
      recentre.href = node.lineage_url;
      recentre.draggable = false;
      recentre.setAttribute("aria-label", `Centre the tree on ${quoted(item)}`);
      recentre.title = "Centre the tree here";
      recentre.innerHTML = GLYPHS.centre;
      el.append(recentre);
    }
    el.addEventListener("pointerenter", () => highlight(item.id, true));
    el.addEventListener("pointerleave", () => highlight(item.id, false));
    el.addEventListener("focusin", () => highlight(item.id, true));
    el.addEventListener("focusout", () => highlight(item.id, false));
    item.el = el;
    item.meta = metaText;
    return el;
  }

  function syncMeta(item) {
    const node = item.data;
    const bits = [KINDS[node.kind] || node.kind];
    if (node.usages.length) bits.push(node.usages.join(", "));
    else if (item.side === "up" && item.sourcesKnown && !item.kids.up.length)
      bits.push("an original");
    if (item === centre && node.remix_count)
      bits.push(plural(node.remix_count, "remix", "remixes"));
    const text = bits.join(" · ");
    item.meta.textContent = text;
    // Cut for space, it ends with "…"; the whole of it is on hover.
    item.meta.parentNode.title = text;
  }

  function toggleState(item, side) {
    const kids = item.kids[side].length;
    const what = side === "down" ? "remixes" : "sources";
    // A record that is no longer public cannot be asked about; a tombstone still can.
    const askable = item.data.visible || item.data.deleted;
    if (item.loading[side]) {
      return { open: false, text: "", busy: true, label: `Loading the ${what} of ${quoted(item)}` };
    }
    if (isOpen(item, side)) {
      if (item === centre) return null;
      return { open: true, text: "−", label: `Hide the ${what} of ${quoted(item)}` };
    }
    if (side === "down") {
      const count = Math.max(item.data.remix_count, kids);
      if (!count || (item.fetched.down && !kids) || (!askable && !kids)) return null;
      return {
        open: false,
        text: `+${count}`,
        label: `Show ${count === 1 ? "the remix" : `the ${count} remixes`} of ${quoted(item)}`,
      };
    }
    if (kids || (!item.sourcesKnown && askable)) {
      return {
        open: false,
        text: kids ? `+${kids}` : "+",
        label: `Show what ${quoted(item)} is built on`,
      };
    }
    return null;
  }

  function syncToggle(item, side) {
    const state = item === centre || item.side === side ? toggleState(item, side) : null;
    let button = item.toggles[side];
    if (!state) {
      if (button) {
        // Nothing to open after all: the focus goes to the card's own link.
        if (button.contains(document.activeElement)) {
          (item.el.querySelector("a") || viewport).focus({ preventScroll: true });
        }
        button.remove();
      }
      item.toggles[side] = null;
      return;
    }
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = `tree-toggle tree-toggle-${side}`;
      button.addEventListener("click", () => toggle(item, side));
      item.el.append(button);
      item.toggles[side] = button;
    }
    button.textContent = state.text;
    button.setAttribute("aria-label", state.label);
    button.title = state.label;
    button.setAttribute("aria-expanded", String(state.open));
    button.setAttribute("aria-busy", String(Boolean(state.busy)));
  }

  function buildMore(item, side) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `tree-more tree-more-${side}`;
    button.addEventListener("click", () => loadMore(item, side, button));
    return button;
  }

  function syncMore(button, item, side) {
    // The centre's sources come a page of every depth at a time: the older generations.
    const lineage = side === "up" && item === centre;
    const [one, many] =
      side === "down"
        ? ["remix", "remixes"]
        : lineage
          ? ["older source", "older sources"]
          : ["source", "sources"];
    const shown = lineage ? countSide("up") : item.kids[side].length;
    const total =
      side === "down" ? Math.max(item.data.remix_count, item.total.down || 0) : item.total[side];
    const left = total != null ? Math.max(total - shown, 0) : 0;
    const next = Math.min(lineage ? FIRST_ANCESTORS : PAGE, left);
    const main = document.createElement("strong");
    main.textContent = item.loading[side] ? "Loading…" : next ? `Show ${next} more` : "Show more";
    const sub = document.createElement("span");
    sub.textContent = left ? `${plural(left, one, many)} not shown yet` : `more ${many}`;
    button.replaceChildren(main, sub);
    button.setAttribute(
      "aria-label",
      `Show more ${many} of ${quoted(item)}${left ? ` (${left} not shown yet)` : ""}`,
    );
    button.setAttribute("aria-busy", String(item.loading[side]));
  }

  function countSide(side) {
    let n = 0;
    items.forEach((it) => (n += it.side === side ? 1 : 0));
    return n;
  }

  // Drawing ---------------------------------------------------------------------------------
  const duration = () => (motion.matches ? 0 : 380);
  const animate = (selection, t) => (t ? selection.transition(t) : selection);
  const translate = (p) => `translate(${p.x}px, ${p.y}px)`;

  // Cards in document order: the centre, its sources (each followed by theirs), its remixes.
  function inOrder() {
    const order = [centre];
    const walk = (item, side) =>
      kidsOf(item, side).forEach((kid) => {
        order.push(kid);
        walk(kid, side);
      });
    walk(centre, "up");
    walk(centre, "down");
    return order;
  }

  // Blurs nothing: if a control that is about to go has the focus, the drawing takes it.
  function release(el) {
    if (el.contains(document.activeElement)) viewport.focus({ preventScroll: true });
  }

  function render({ anchor = null, reveal = null, first = false } = {}) {
    const before = layout;
    layout = computeLayout();
    const t =
      first || !before || !duration()
        ? null
        : d3.transition().duration(duration()).ease(d3.easeCubicOut);

    // A card being shown grows from its parent's former place; a card being hidden goes there.
    const origin = (item) => {
      for (let p = item.parent; p; p = p.parent) {
        const at = (before && before.cards.get(p.id)) || layout.cards.get(p.id);
        if (at) return { x: at.x + (at.w - NODE.w) / 2, y: at.y + (at.h - NODE.h) / 2 };
      }
      return { x: -NODE.w / 2, y: 0 };
    };

    // Cards, kept in document order so that Tab walks the tree; a card is moved in the
    // document only when it is shown again, never while it might hold the focus.
    let next = null;
    const order = inOrder().filter((item) => layout.cards.has(item.id));
    for (let i = order.length - 1; i >= 0; i--) {
      const item = order[i];
      const el = item.el || buildCard(item);
      if (el.parentNode !== cardLayer || el.dataset.leaving) {
        delete el.dataset.leaving;
        d3.select(el).interrupt();
        cardLayer.insertBefore(el, next);
        if (t) {
          el.style.transform = translate(origin(item));
          el.style.opacity = "0";
        }
      }
      next = el;
    }
    order.forEach((item) => {
      const at = layout.cards.get(item.id);
      syncMeta(item);
      syncToggle(item, "up");
      syncToggle(item, "down");
      item.el.style.width = `${at.w}px`;
      item.el.style.height = `${at.h}px`;
      animate(d3.select(item.el), t).style("transform", translate(at)).style("opacity", "1");
    });
    items.forEach((item) => {
      const el = item.el;
      if (!el || layout.cards.has(item.id) || el.parentNode !== cardLayer || el.dataset.leaving)
        return;
      release(el);
      if (!t) {
        el.remove();
        return;
      }
      el.dataset.leaving = "true";
      d3.select(el)
        .transition(t)
        .style("transform", translate(origin(item)))
        .style("opacity", "0")
        .on("end", () => el.dataset.leaving && el.remove());
    });

    // Grids' frames and "show more" cards.
    const wanted = new Set();
    layout.frames.forEach((frame, key) => {
      wanted.add(`frame:${key}`);
      let el = extras.get(`frame:${key}`);
      if (!el) {
        el = document.createElement("div");
        el.className = `tree-frame tree-frame-${frame.side}`;
        el.setAttribute("aria-hidden", "true");
        el.append(document.createElement("span"));
        extras.set(`frame:${key}`, el);
        frameLayer.append(el);
        if (t) {
          const from = origin({ parent: frame.item });
          Object.assign(el.style, {
            transform: translate(from),
            width: `${NODE.w}px`,
            height: `${NODE.h}px`,
            opacity: "0",
          });
        }
      }
      // (The centre's ancestors come at every depth at once: no count of its own sources.)
      const total =
        frame.side === "down"
          ? frame.item.data.remix_count
          : frame.item !== centre && frame.item.total.up;
      const what = frame.side === "down" ? "remixes" : "sources";
      el.firstChild.textContent =
        total && total > frame.shown
          ? `${frame.shown} of ${total} ${what}`
          : `${frame.shown} ${what}`;
      animate(d3.select(el).interrupt(), t)
        .style("transform", translate(frame))
        .style("width", `${frame.w}px`)
        .style("height", `${frame.h}px`)
        .style("opacity", "1");
    });
    layout.mores.forEach((more, key) => {
      wanted.add(`more:${key}`);
      let el = extras.get(`more:${key}`);
      if (!el) {
        el = buildMore(more.item, more.side);
        extras.set(`more:${key}`, el);
        moreLayer.append(el);
        if (t)
          Object.assign(el.style, {
            transform: translate(origin({ parent: more.item })),
            opacity: "0",
          });
      }
      syncMore(el, more.item, more.side);
      el.style.width = `${more.w}px`;
      el.style.height = `${more.h}px`;
      animate(d3.select(el).interrupt(), t)
        .style("transform", translate(more))
        .style("opacity", "1");
    });
    layout.notes.forEach((note, key) => {
      wanted.add(`note:${key}`);
      let el = extras.get(`note:${key}`);
      if (!el) {
        el = document.createElement("p");
        el.className = "tree-note";
        extras.set(`note:${key}`, el);
        frameLayer.append(el);
      }
      el.textContent = note.text;
      el.style.transform = `translate(-50%, -50%) translate(0px, ${note.y}px)`;
    });
    extras.forEach((el, key) => {
      if (wanted.has(key)) return;
      extras.delete(key);
      release(el);
      el.remove();
    });

    // Edges grow from the card nearer the centre.
    const dot = (id) => {
      const p = (before && before.cards.get(id)) || layout.cards.get(id);
      const at = { x: p.x + p.w / 2, y: p.y + p.h / 2, w: 0, h: 0 };
      return edgePath({ from: at, to: at });
    };
    const paths = edgeLayer
      .selectAll("path")
      .data(layout.edges, (e) => e.key)
      .join(
        (enter) =>
          enter
            .append("path")
            .attr("d", (e) => (t ? dot(e.root) : edgePath(e)))
            .attr("opacity", t ? 0 : 1),
        (update) => update,
        (exit) => (t ? exit.transition(t).attr("opacity", 0).remove() : exit.remove()),
      )
      .attr("class", (e) => (e.more ? "is-more" : null))
      .attr("data-ids", (e) => ` ${e.ids.join(" ")} `);
    animate(paths.interrupt(), t).attr("d", edgePath).attr("opacity", 1);

    moveCamera({ before, anchor, reveal, first, t });
  }

  function highlight(id, on) {
    edgeLayer
      .selectAll("path")
      .filter(function () {
        return this.getAttribute("data-ids").includes(` ${id} `);
      })
      .classed("is-lit", on);
  }

  // Camera ----------------------------------------------------------------------------------
  const zoom = d3
    .zoom()
    .scaleExtent([0.15, 2.5])
    .interpolate(d3.interpolate) // straight moves, so cards and camera glide together
    // d3's default, except that a double click on a badge or a link is two clicks, not a zoom.
    .filter(
      (event) =>
        (!event.ctrlKey || event.type === "wheel") &&
        !event.button &&
        !(event.type === "dblclick" && event.target.closest("a, button")),
    )
    .on("zoom", (event) => {
      const { x, y, k } = event.transform;
      stage.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
      viewport.style.backgroundPosition = `${x}px ${y}px`;
      viewport.style.backgroundSize = `${28 * k}px ${28 * k}px`;
      host.dataset.scale = k.toFixed(3);
      zoomLevel.textContent = `${Math.round(k * 100)}%`;
      if (event.sourceEvent) moved = true;
    });
  const view = d3.select(viewport).call(zoom);

  function bounds(keys) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    const add = (r) => {
      x0 = Math.min(x0, r.x);
      y0 = Math.min(y0, r.y - 16); // room for the toggles that stick out
      x1 = Math.max(x1, r.x + r.w);
      y1 = Math.max(y1, r.y + r.h + 16);
    };
    if (keys) keys.forEach(add);
    else {
      [layout.cards, layout.frames, layout.mores].forEach((m) => m.forEach(add));
      layout.notes.forEach((note) => add({ x: -CENTRE.w / 2, y: note.y - 12, w: CENTRE.w, h: 24 }));
    }
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  // The room the drawing keeps clear: the side labels above and below, the zoom buttons.
  function margins() {
    const narrow = viewport.clientWidth < 600;
    return { top: 48, bottom: 68, side: narrow ? 12 : 32 };
  }

  function fitTransform(box, maxScale = 1) {
    const m = margins();
    const w = viewport.clientWidth - 2 * m.side;
    const h = viewport.clientHeight - m.top - m.bottom;
    const k = Math.max(0.15, Math.min(maxScale, w / box.w, h / box.h));
    return d3.zoomIdentity
      .translate(m.side + w / 2 - (box.x + box.w / 2) * k, m.top + h / 2 - (box.y + box.h / 2) * k)
      .scale(k);
  }

  function firstTransform() {
    const box = bounds();
    const fit = fitTransform(box);
    if (fit.k >= FIRST_SCALE_MIN) return fit;
    // Too big to read whole: the record in the middle at a readable size, without leaving
    // an empty band on a side where the tree ends.
    const k = FIRST_SCALE_MIN;
    const m = margins();
    const c = layout.cards.get(centre.id);
    const w = viewport.clientWidth;
    const h = viewport.clientHeight;
    const clamp = (t, lo, size, before, span, after) => {
      if (size * k <= span - before - after)
        return before + (span - before - after - size * k) / 2 - lo * k;
      return Math.min(before - lo * k, Math.max(span - after - (lo + size) * k, t));
    };
    const x = clamp(w / 2 - (c.x + c.w / 2) * k, box.x, box.w, m.side, w, m.side);
    const y = clamp(h / 2 - (c.y + c.h / 2) * k, box.y, box.h, m.top, h, m.bottom);
    return d3.zoomIdentity.translate(x, y).scale(k);
  }

  function setCamera(transform, t) {
    if (t) view.transition(t).call(zoom.transform, transform);
    else view.call(zoom.transform, transform);
  }

  function moveCamera({ before, anchor, reveal, first, t }) {
    if (first) {
      setCamera(firstTransform(), null);
      return;
    }
    const current = d3.zoomTransform(viewport);
    const k = current.k;
    let { x, y } = current;
    // The card that was opened or closed stays where it was, under the pointer or finger.
    if (anchor && before) {
      const was = before.cards.get(anchor.id);
      const now = layout.cards.get(anchor.id);
      if (was && now) {
        x += (was.x - now.x) * k;
        y += (was.y - now.y) * k;
      }
    }
    // Then what was just opened comes into view, if it fits, with as small a move as can be.
    const shown = (reveal || [])
      .map((key) => layout.cards.get(key) || layout.frames.get(key) || layout.mores.get(key))
      .filter(Boolean);
    if (shown.length) {
      const box = bounds(shown);
      const m = margins();
      const nudge = (start, size, span, before, after) => {
        const end = start + size * k;
        if (size * k > span - before - after) return 0;
        if (start < before) return before - start;
        if (end > span - after) return span - after - end;
        return 0;
      };
      x += nudge(box.x * k + x, box.w, viewport.clientWidth, m.side, m.side);
      y += nudge(box.y * k + y, box.h, viewport.clientHeight, m.top, m.bottom);
    }
    if (x !== current.x || y !== current.y) setCamera(d3.zoomIdentity.translate(x, y).scale(k), t);
  }

  function zoomBy(factor) {
    moved = true;
    const t = duration() ? view.transition().duration(duration() * 0.6) : view;
    t.call(zoom.scaleBy, factor);
  }

  function fit() {
    moved = false;
    const t = duration() ? d3.transition().duration(duration()).ease(d3.easeCubicOut) : null;
    setCamera(fitTransform(bounds(), 1.25), t);
  }

  // Keeps a card reached with Tab inside the drawing (the browser would scroll the viewport,
  // which is not how this drawing moves).
  viewport.addEventListener("focusin", (event) => {
    viewport.scrollTop = 0;
    viewport.scrollLeft = 0;
    const el = event.target.closest(".tree-node, .tree-more");
    if (!el || !event.target.matches(":focus-visible")) return;
    const current = d3.zoomTransform(viewport);
    const box = el.getBoundingClientRect();
    const frame = viewport.getBoundingClientRect();
    const m = 32;
    let dx = 0;
    let dy = 0;
    if (box.left < frame.left + m) dx = frame.left + m - box.left;
    else if (box.right > frame.right - m) dx = frame.right - m - box.right;
    if (box.top < frame.top + m) dy = frame.top + m - box.top;
    else if (box.bottom > frame.bottom - m) dy = frame.bottom - m - box.bottom;
    if (dx || dy) {
      const t = duration() ? d3.transition().duration(duration() * 0.6) : null;
      setCamera(current.translate(dx / current.k, dy / current.k), t);
    }
  });

  viewport.addEventListener("keydown", (event) => {
    if (event.target !== viewport || event.altKey || event.ctrlKey || event.metaKey) return;
    const step = 80;
    const moves = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    if (moves[event.key]) {
      moved = true;
      view.call(zoom.translateBy, ...moves[event.key].map((v) => v / d3.zoomTransform(viewport).k));
    } else if (event.key === "+" || event.key === "=") zoomBy(1.25);
    else if (event.key === "-" || event.key === "_") zoomBy(0.8);
    else if (event.key === "0") fit();
    else return;
    event.preventDefault();
  });

  host.querySelector("[data-tree-zoom=in]").addEventListener("click", () => zoomBy(1.25));
  host.querySelector("[data-tree-zoom=out]").addEventListener("click", () => zoomBy(0.8));
  host.querySelector("[data-tree-zoom=fit]").addEventListener("click", fit);
  const full = host.querySelector("[data-tree-fullscreen]");
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener("click", () =>
      document.fullscreenElement ? document.exitFullscreen() : host.requestFullscreen(),
    );
    document.addEventListener("fullscreenchange", () => {
      const on = document.fullscreenElement === host;
      full.setAttribute("aria-pressed", String(on));
      full.querySelector("span").textContent = on ? "Exit full screen" : "Full screen";
    });
  }
  new ResizeObserver(() => {
    if (!layout) return;
    if (layout.columns !== gridColumns()) render({ anchor: centre });
    if (!moved) setCamera(firstTransform(), null);
  }).observe(viewport);

  // Opening and closing ---------------------------------------------------------------------
  function say(text) {
    status.textContent = text;
  }

  async function load(item, side) {
    item.loading[side] = true;
    syncToggle(item, side);
    const more = extras.get(`more:${item.id}:${side}`);
    if (more) syncMore(more, item, side);
    try {
      return addPage(item, side, await fetchPage(item, side));
    } catch (error) {
      say(
        `The ${side === "down" ? "remixes" : "sources"} of ${quoted(item)} could not be loaded: try again.`,
      );
      throw error;
    } finally {
      item.loading[side] = false;
    }
  }

  function told(item, side) {
    const what = side === "down" ? ["remix", "remixes"] : ["source", "sources"];
    const shown = item.kids[side].length;
    const total = side === "down" ? item.data.remix_count : item.total[side];
    if (!shown) return `${quoted(item)} has no ${what[1]} you can see.`;
    if (total && total > shown)
      return `Showing ${shown} of ${total} ${what[1]} of ${quoted(item)}.`;
    return `Showing ${plural(shown, what[0], what[1])} of ${quoted(item)}.`;
  }

  async function toggle(item, side) {
    if (item.loading[side]) return;
    if (isOpen(item, side)) {
      item.open[side] = false;
      say(`Hid the ${side === "down" ? "remixes" : "sources"} of ${quoted(item)}.`);
      render({ anchor: item });
      return;
    }
    if (!item.fetched[side] && (side === "down" || !item.sourcesKnown)) {
      try {
        await load(item, side);
      } catch {
        syncToggle(item, side);
        return;
      }
    }
    item.open[side] = true;
    say(told(item, side));
    const reveal = [item.id, ...item.kids[side].map((k) => k.id), `${item.id}:${side}`];
    render({ anchor: item, reveal });
  }

  async function loadMore(item, side, button) {
    if (item.loading[side]) return;
    let fresh;
    try {
      fresh = await load(item, side);
    } catch {
      syncMore(button, item, side);
      return;
    }
    say(
      item === centre && side === "up"
        ? `Loaded ${plural(fresh.length, "more source", "more sources")}.`
        : told(item, side),
    );
    const hadFocus = button.contains(document.activeElement);
    render({ anchor: item, reveal: fresh.map((k) => k.id) });
    // The button moves past what it loaded; once there is nothing left, focus the first of it.
    if (hadFocus && !button.isConnected && fresh.length) {
      const link = fresh[0].el && fresh[0].el.querySelector("a, button");
      if (link) link.focus({ preventScroll: true });
    }
  }

  // Start -----------------------------------------------------------------------------------
  async function start() {
    host.hidden = false;
    host.setAttribute("aria-busy", "true");
    try {
      const probe = { id: centreId, cursor: { up: null, down: null } }; // before its card exists
      const [up, down] = await Promise.all([fetchPage(probe, "up"), fetchPage(probe, "down")]);
      centre = itemOf(up.record, "centre", null);
      items.set(centre.id, centre);
      addPage(centre, "up", up);
      addPage(centre, "down", down);
      render({ first: true });
      say("");
    } catch (error) {
      say("The drawing could not be loaded. The lists below show the same tree.");
      host.classList.add("is-broken");
      console.error(error);
    } finally {
      host.removeAttribute("aria-busy");
    }
  }

  start();
})();
