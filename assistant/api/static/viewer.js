// ResearchDesk page viewer: the cited page as a server-rendered image with the quoted span
// highlighted (boxes from the server), its extracted text beside it, page navigation.
// Uses $, state and api from app.js; like it, inserts server text only as text.
"use strict";

// ---- page viewer -----------------------------------------------------------------------
// PDF citations: the page image with the span boxed, its text beside it. Page-less formats
// (Markdown, Word, HTML, text...) have no image: the cited chunk's section is shown as
// text with the span marked, and a button switches to the whole document.
async function openViewer(citation) {
  state.viewer = {
    documentId: citation.document_id, page: citation.page_start || 1,
    cited: citation.page_start || 1, quote: citation.quote, pages: 1, format: "",
    chunkId: citation.chunk_id, textOnly: false, whole: false,
  };
  $("viewer-title").textContent = citation.title;
  $("viewer").dataset.state = "loading";
  $("viewer").showModal();
  try {
    const doc = await (await api(`/v1/documents/${encodeURIComponent(citation.document_id)}`)).json();
    state.viewer.pages = doc.pages || 1;
    state.viewer.format = doc.format;
    state.viewer.textOnly = doc.format !== "pdf";
    await showPage();
  } catch (error) {
    $("viewer-status").textContent = `Cannot open this document: ${error.message}`;
    $("viewer").dataset.state = "error";
  }
}

function setLayout(v) {
  $("page-figure").hidden = v.textOnly;
  $("viewer").classList.toggle("text-only", v.textOnly);
  for (const id of ["page-prev", "page-next"]) $(id).hidden = v.textOnly;
  $("text-scope").hidden = !v.textOnly;
  $("text-scope").textContent = v.whole ? "Show the cited section" : "Show the whole document";
  $("page-prev").disabled = v.page <= 1;
  $("page-next").disabled = v.page >= v.pages;
  $("page-label").textContent = v.textOnly ? "" : `Page ${v.page} of ${v.pages}`;
  $("page-text-title").textContent = v.textOnly ? "" : "Extracted text";
}

async function showPage() {
  const v = state.viewer;
  const highlight = v.page === v.cited ? v.quote : "";
  setLayout(v);
  $("viewer-status").textContent = "Loading…";
  $("viewer").dataset.state = "loading";
  $("page-marks").replaceChildren();
  const base = `/v1/documents/${encodeURIComponent(v.documentId)}/pages/${v.page}`;
  try {
    const page = await (await api(base)).json();
    let notes = [];
    if (v.textOnly) {
      notes = showSection(page, highlight);
    } else if (!showText(page.text, highlight)) {
      notes.push("The quoted text could not be found in the page's extracted text.");
    }
    if (!v.textOnly) {
      const query = highlight ? `?highlight=${encodeURIComponent(highlight)}` : "";
      const response = await api(`${base}/image${query}`);
      const [width, height] = response.headers.get("X-Image-Size").split("x").map(Number);
      const boxes = JSON.parse(response.headers.get("X-Highlight-Boxes") || "[]");
      if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
      state.imageUrl = URL.createObjectURL(await response.blob());
      const img = $("page-image");
      img.alt = `Page ${v.page} of ${$("viewer-title").textContent}`;
      img.src = state.imageUrl;
      $("page-marks").replaceChildren(...boxes.map(([x0, y0, x1, y1]) => {
        const mark = document.createElement("div");
        mark.className = "mark";
        mark.style.left = `${(100 * x0) / width}%`;
        mark.style.top = `${(100 * y0) / height}%`;
        mark.style.width = `${(100 * (x1 - x0)) / width}%`;
        mark.style.height = `${(100 * (y1 - y0)) / height}%`;
        return mark;
      }));
      await img.decode();
      if (highlight && !boxes.length) notes = ["The quoted text could not be located on the page image."];
    }
    $("viewer-status").textContent = notes.join(" ");
    $("viewer").dataset.state = "ready";
    const first = $("page-marks").firstElementChild || document.querySelector("#page-text mark");
    if (first) first.scrollIntoView({ block: "center" });
  } catch (error) {
    $("viewer-status").textContent = `Cannot show page ${v.page}: ${error.message}`;
    $("viewer").dataset.state = "error";
  }
}

// The cited chunk's section of a page-less document (every chunk of that section, runs
// that the page text separates joined by an ellipsis), or the whole text; notes to show.
function showSection(page, quote) {
  const v = state.viewer;
  const cited = page.chunks.find((c) => c.chunk_id === v.chunkId);
  const notes = [];
  let text = page.text;
  if (!cited) {
    notes.push("The cited passage is no longer in this document's index (it was re-ingested); showing the whole document.");
  } else if (!v.whole) {
    const spans = page.chunks.filter((c) => c.section === cited.section)
      .map((c) => [c.start, c.end]).sort((a, b) => a[0] - b[0]);
    const runs = [];
    for (const [start, end] of spans) {
      const last = runs[runs.length - 1];
      if (last && start <= last[1] + 2 && !page.text.slice(last[1], start).trim()) last[1] = Math.max(last[1], end);
      else runs.push([start, end]);
    }
    text = runs.map(([start, end]) => page.text.slice(start, end)).join("\n\n…\n\n");
  }
  const section = cited && cited.section ? `Section “${cited.section}”` : "Cited passage";
  $("page-label").textContent = v.whole || !cited ? "Whole document" : section;
  $("page-text-title").textContent = v.whole || !cited ? "Document text" : section;
  if (!showText(text, quote) && quote) {
    notes.push(`The quoted text could not be found in ${v.whole || !cited ? "the document" : "this section"}.`);
  }
  return notes;
}

// The text with the first match of ``quote`` (any whitespace between its words) marked;
// false when the quote is not in it.
function showText(text, quote) {
  const pre = $("page-text");
  if (!quote) { pre.textContent = text; return true; }
  const words = quote.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const match = new RegExp(words.join("\\s+"), "i").exec(text);
  if (!match) { pre.textContent = text; return false; }
  const mark = document.createElement("mark");
  mark.textContent = match[0];
  pre.replaceChildren(text.slice(0, match.index), mark, text.slice(match.index + match[0].length));
  return true;
}

function toggleScope() {
  const v = state.viewer;
  if (!v || !v.textOnly) return;
  v.whole = !v.whole;
  showPage();
}

function turnPage(delta) {
  const v = state.viewer;
  if (!v || v.textOnly) return;
  const next = v.page + delta;
  if (next < 1 || next > v.pages) return;
  v.page = next;
  showPage();
}
