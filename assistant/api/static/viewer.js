// ResearchDesk page viewer: the cited page as a server-rendered image with the quoted span
// highlighted (boxes from the server), its extracted text beside it, page navigation.
// Uses $, state and api from app.js; like it, inserts server text only as text.
"use strict";

// ---- page viewer -----------------------------------------------------------------------
async function openViewer(citation) {
  state.viewer = {
    documentId: citation.document_id, page: citation.page_start || 1,
    cited: citation.page_start || 1, quote: citation.quote, pages: 1, format: "",
  };
  $("viewer-title").textContent = citation.title;
  $("viewer").dataset.state = "loading";
  $("viewer").showModal();
  try {
    const doc = await (await api(`/v1/documents/${encodeURIComponent(citation.document_id)}`)).json();
    state.viewer.pages = doc.pages || 1;
    state.viewer.format = doc.format;
    await showPage();
  } catch (error) {
    $("viewer-status").textContent = `Cannot open this document: ${error.message}`;
    $("viewer").dataset.state = "error";
  }
}

async function showPage() {
  const v = state.viewer;
  const highlight = v.page === v.cited ? v.quote : "";
  $("page-label").textContent = `Page ${v.page} of ${v.pages}`;
  $("page-prev").disabled = v.page <= 1;
  $("page-next").disabled = v.page >= v.pages;
  $("viewer-status").textContent = "Loading…";
  $("viewer").dataset.state = "loading";
  $("page-marks").replaceChildren();
  const base = `/v1/documents/${encodeURIComponent(v.documentId)}/pages/${v.page}`;
  try {
    const text = await (await api(base)).json();
    showText(text.text, highlight);
    const figure = $("page-figure");
    figure.hidden = v.format !== "pdf";
    if (v.format === "pdf") {
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
      if (highlight && !boxes.length) {
        $("viewer-status").textContent = "The quoted text could not be located on the page image.";
        $("viewer").dataset.state = "ready";
        return;
      }
    }
    $("viewer-status").textContent = "";
    $("viewer").dataset.state = "ready";
    const first = $("page-marks").firstElementChild || document.querySelector("#page-text mark");
    if (first) first.scrollIntoView({ block: "center" });
  } catch (error) {
    $("viewer-status").textContent = `Cannot show page ${v.page}: ${error.message}`;
    $("viewer").dataset.state = "error";
  }
}

function showText(text, quote) {
  const pre = $("page-text");
  if (!quote) { pre.textContent = text; return; }
  const words = quote.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const match = new RegExp(words.join("\\s+"), "i").exec(text);
  if (!match) { pre.textContent = text; return; }
  const mark = document.createElement("mark");
  mark.textContent = match[0];
  pre.replaceChildren(text.slice(0, match.index), mark, text.slice(match.index + match[0].length));
}

function turnPage(delta) {
  const v = state.viewer;
  if (!v) return;
  const next = v.page + delta;
  if (next < 1 || next > v.pages) return;
  v.page = next;
  showPage();
}
