// ResearchDesk chat page: a plain client of the public /v1 API.
// Everything from the server is shown with textContent, never parsed as HTML.
"use strict";

const KEY = "rd.key";
const PENDING = "rd.pending";
const $ = (id) => document.getElementById(id);

const state = { conversationId: null, controller: null, viewer: null, imageUrl: null };

function key() { return sessionStorage.getItem(KEY); }

class HttpError extends Error {
  constructor(status, detail, retryAfter) {
    super(detail);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {}, { Authorization: `Bearer ${key()}` });
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
    const error = new HttpError(response.status, detail, response.headers.get("Retry-After"));
    if (response.status === 401) signOut("Your key was refused (expired or revoked). Sign in again.");
    throw error;
  }
  return response;
}

// ---- sign-in ------------------------------------------------------------------------
function show(signedIn) {
  $("signin").hidden = signedIn;
  $("chat").hidden = !signedIn;
  $("session").hidden = !signedIn;
  if (signedIn) {
    loadConversations();
    const pending = sessionStorage.getItem(PENDING);
    if (pending) $("question").value = pending;
    $("question").focus();
  } else {
    $("api-key").focus();
  }
}

function signOut(message) {
  const typed = $("question").value;
  if (typed) sessionStorage.setItem(PENDING, typed);
  sessionStorage.removeItem(KEY);
  if (message === undefined) {
    sessionStorage.removeItem(PENDING);
    $("thread").replaceChildren();
    state.conversationId = null;
  }
  $("signin-error").textContent = message || "";
  show(false);
}

async function signIn(event) {
  event.preventDefault();
  const candidate = $("api-key").value.trim();
  $("signin-error").textContent = "";
  if (!/^[A-Za-z0-9_-]{8,200}$/.test(candidate)) {
    $("signin-error").textContent = "That does not look like an API key (rd_…).";
    return;
  }
  const response = await fetch("/v1/documents", { headers: { Authorization: `Bearer ${candidate}` } });
  if (response.status === 401) {
    $("signin-error").textContent = "Unknown or revoked API key.";
    return;
  }
  if (!response.ok) {
    $("signin-error").textContent = `The service answered ${response.status}; try again shortly.`;
    return;
  }
  sessionStorage.setItem(KEY, candidate);
  $("api-key").value = "";
  show(true);
}

// ---- conversations (the server's list of this key's own) -------------------------------
async function loadConversations() {
  let list = [];
  try {
    list = (await (await api("/v1/conversations?limit=50")).json()).conversations;
  } catch (error) {
    $("conversation-list").replaceChildren(Object.assign(document.createElement("li"), {
      textContent: `Conversations unavailable: ${error.message}`,
    }));
    return;
  }
  if (!list.length) {
    $("conversation-list").replaceChildren(Object.assign(document.createElement("li"), {
      className: "empty", textContent: "No conversations yet.",
    }));
    return;
  }
  $("conversation-list").replaceChildren(...list.map((c) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = c.title;
    button.title = `${c.turns} question(s)`;
    if (c.id === state.conversationId) button.setAttribute("aria-current", "true");
    button.addEventListener("click", () => openConversation(c.id));
    li.append(button);
    return li;
  }));
}

async function openConversation(id) {
  state.conversationId = id;
  const thread = $("thread");
  thread.replaceChildren();
  try {
    const detail = await (await api(`/v1/conversations/${encodeURIComponent(id)}`)).json();
    const earlier = document.createElement("li");
    earlier.className = "turn earlier";
    const head = document.createElement("p");
    head.textContent = "Earlier questions in this conversation (follow-ups build on them):";
    const list = document.createElement("ol");
    list.append(...detail.turns.map((t) => Object.assign(document.createElement("li"), { textContent: t.question })));
    earlier.append(head, list);
    thread.append(earlier);
  } catch (error) {
    thread.append(Object.assign(document.createElement("li"), {
      className: "turn", textContent: `Cannot open this conversation: ${error.message}`,
    }));
  }
  loadConversations();
  $("question").focus();
}

function newConversation() {
  state.conversationId = null;
  $("thread").replaceChildren();
  loadConversations();
  $("question").focus();
}

const MESSAGES = {
  not_found: "I could not find this in the research library.",
  declined: "I can't help with that request.",
  blocked: "This message was blocked by a safety check.",
};

function showAnswer(turn, data) {
  const notice = turn.querySelector(".notice");
  const status = turn.querySelector(".status");
  turn.dataset.outcome = data.outcome;
  turn.dataset.tier = data.tier;
  turn.dataset.traceId = data.trace_id;
  status.textContent = turn.dataset.restarted ?
    "This question started a new conversation: the earlier one belongs to the refused key." : "";
  renderAnswerText(turn.querySelector(".answer"), data.answer, data.citations);
  if (data.outcome === "escalated") {
    notice.textContent = `Escalated for review: reference ${data.approval_id || "(none)"}, ` +
      "status pending. Nothing has been executed.";
    notice.className = "notice escalated";
    notice.hidden = false;
  } else if (MESSAGES[data.outcome]) {
    notice.textContent = MESSAGES[data.outcome] + (data.reason ? ` (${data.reason})` : "");
    notice.className = `notice ${data.outcome}`;
    notice.hidden = false;
  } else if (data.tier === "medium") {
    notice.textContent = "This reads as advice for a specific client: the firm's disclaimer " +
      "at the end of the answer applies.";
    notice.className = "notice flagged";
    notice.hidden = false;
  }
  if (data.outcome === "not_found" && data.closest_documents.length) {
    const closest = turn.querySelector(".closest");
    const head = document.createElement("li");
    head.textContent = "Closest documents:";
    closest.replaceChildren(head, ...data.closest_documents.map((title) => {
      const li = document.createElement("li");
      li.textContent = title;
      return li;
    }));
    closest.hidden = false;
  }
  renderCitations(turn.querySelector(".citations"), data.citations);
  setupFeedback(turn, data.trace_id);
}

function renderAnswerText(container, text, citations) {
  const numbers = new Set(citations.map((c) => String(c.number)));
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    parts.push(document.createTextNode(text.slice(last, match.index)));
    if (numbers.has(match[1])) {
      const link = document.createElement("button");
      link.type = "button";
      link.className = "cite-ref";
      link.textContent = `[${match[1]}]`;
      const citation = citations.find((c) => String(c.number) === match[1]);
      link.addEventListener("click", () => openViewer(citation));
      parts.push(link);
    } else {
      parts.push(document.createTextNode(match[0]));
    }
    last = match.index + match[0].length;
  }
  parts.push(document.createTextNode(text.slice(last)));
  container.replaceChildren(...parts);
}

function pagesOf(c) {
  if (c.page_start == null) return c.section ? `section “${c.section}”` : "";
  return c.page_end && c.page_end !== c.page_start ? `pp. ${c.page_start}–${c.page_end}` : `p. ${c.page_start}`;
}

function renderCitations(list, citations) {
  list.replaceChildren(...citations.map((c) => {
    const li = document.createElement("li");
    li.className = "citation";
    li.value = c.number;
    li.dataset.documentId = c.document_id;
    li.dataset.chunkId = c.chunk_id;
    li.dataset.page = String(c.page_start || 1);
    li.append(citeButton(c, c));
    // More quotes of the same source on other pages: each opens its own page.
    for (const place of c.also || []) {
      li.append(citeButton(c, { ...c, ...place }));
    }
    return li;
  }));
}

function citeButton(c, place) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "cite-open";
  const title = document.createElement("strong");
  title.textContent = c.title;
  const where = document.createElement("span");
  where.className = "where";
  where.textContent = pagesOf(place);
  const quote = document.createElement("q");
  quote.textContent = place.quote;
  button.append(`[${c.number}] `, title, " ", where, quote);
  button.addEventListener("click", () => openViewer(place));
  return button;
}

function setupFeedback(turn, traceId) {
  const form = turn.querySelector(".feedback");
  const said = form.querySelector(".feedback-status");
  form.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());
  for (const button of form.querySelectorAll(".rate")) {
    button.addEventListener("click", async () => {
      const comment = form.querySelector(".comment").value.trim();
      const body = { trace_id: traceId, rating: button.dataset.rating };
      if (comment) body.comment = comment;
      try {
        await api("/v1/feedback", { method: "POST", body: JSON.stringify(body) });
        said.textContent = "Thanks, your feedback was recorded.";
        form.querySelectorAll("button, input").forEach((el) => { el.disabled = true; });
      } catch (error) {
        said.textContent = `Feedback not sent: ${error.message}`;
      }
    });
  }
}

function init() {
  $("signin-form").addEventListener("submit", signIn);
  $("ask-form").addEventListener("submit", ask);
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) ask(event);
  });
  $("stop").addEventListener("click", () => state.controller && state.controller.abort());
  $("sign-out").addEventListener("click", () => signOut());
  $("new-chat").addEventListener("click", newConversation);
  $("viewer-close").addEventListener("click", () => $("viewer").close());
  $("page-prev").addEventListener("click", () => turnPage(-1));
  $("page-next").addEventListener("click", () => turnPage(1));
  $("text-scope").addEventListener("click", toggleScope);
  $("viewer").addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") turnPage(-1);
    if (event.key === "ArrowRight") turnPage(1);
  });
  show(Boolean(key()));
}

document.addEventListener("DOMContentLoaded", init);
