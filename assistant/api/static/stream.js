// ResearchDesk chat page: asking, streaming the answer, and the turn's failure states.
// Uses $, state, api, HttpError and PENDING from app.js; like it, inserts server text only
// as text.
"use strict";

// ---- asking and streaming ---------------------------------------------------------------
function newTurn(question) {
  const node = $("turn-template").content.firstElementChild.cloneNode(true);
  node.querySelector(".question").textContent = question;
  $("thread").append(node);
  return node;
}

function setBusy(busy) {
  $("send").disabled = busy;
  $("stop").hidden = !busy;
}

async function ask(event) {
  if (event) event.preventDefault();
  const question = $("question").value.trim();
  if (!question || state.controller) return;
  sessionStorage.setItem(PENDING, question);
  const turn = newTurn(question);
  await run(turn, question);
}

function parseEvents(buffer, onEvent) {
  let at;
  while ((at = buffer.indexOf("\n\n")) >= 0) {
    const block = buffer.slice(0, at);
    buffer = buffer.slice(at + 2);
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) name = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length) onEvent(name, JSON.parse(data.join("\n")));
  }
  return buffer;
}

// POST /v1/chat as a stream. A conversation the server no longer knows for this key (the
// user signed in again with a new key after the old one was refused) is a 404: the
// question then starts a new conversation instead of failing.
async function openStream(turn, question, signal) {
  const body = { message: question, stream: true };
  if (state.conversationId) body.conversation_id = state.conversationId;
  try {
    return await api("/v1/chat", { method: "POST", body: JSON.stringify(body), signal });
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 404 && body.conversation_id)) throw error;
    state.conversationId = null;
    turn.dataset.restarted = "true";
    delete body.conversation_id;
    return api("/v1/chat", { method: "POST", body: JSON.stringify(body), signal });
  }
}

async function run(turn, question) {
  const answer = turn.querySelector(".answer");
  const status = turn.querySelector(".status");
  const actions = turn.querySelector(".actions");
  answer.textContent = "";
  actions.hidden = true;
  status.textContent = "Searching the library…";
  turn.classList.remove("failed", "stopped");
  delete turn.dataset.state;
  turn.dataset.tokens = "0";
  turn.classList.add("streaming");
  state.controller = new AbortController();
  setBusy(true);
  let finished = false;
  try {
    const response = await openStream(turn, question, state.controller.signal);
    $("question").value = "";
    sessionStorage.removeItem(PENDING);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = parseEvents(buffer + value, (name, data) => {
        if (name === "meta") {
          state.conversationId = data.conversation_id;
        } else if (name === "token") {
          status.textContent = "Writing…";
          turn.dataset.tokens = String(Number(turn.dataset.tokens || 0) + 1);
          answer.append(document.createTextNode(data.text));
        } else if (name === "answer") {
          finished = true;
          showAnswer(turn, data);
          loadConversations();
        } else if (name === "error") {
          finished = true;
          throw new HttpError(data.status, data.detail, data.retry_after);
        }
      });
    }
    if (!finished) throw new Error("the stream ended early");
  } catch (error) {
    showError(turn, question, error);
  } finally {
    turn.classList.remove("streaming");
    state.controller = null;
    setBusy(false);
  }
}

function retryIn(seconds) {
  const n = Number(seconds);
  return Number.isFinite(n) && n > 0 ? `Retry in ${Math.ceil(n)} seconds.` : "Retry shortly.";
}

// A failed or stopped turn keeps what arrived; `data-state` says which, for styles and tests.
function showError(turn, question, error) {
  const status = turn.querySelector(".status");
  const actions = turn.querySelector(".actions");
  const partial = Number(turn.dataset.tokens || 0) > 0;
  const kept = partial ? " What arrived is shown above." : "";
  let kind = "failed";
  if (error.name === "AbortError") {
    kind = "stopped";
    status.textContent = `Stopped.${kept || " Nothing had arrived yet."}`;
  } else if (error instanceof HttpError && error.status === 401) {
    status.textContent = "Signed out: your key was refused.";
    turn.dataset.state = "signed-out";
    turn.classList.add("failed");
    return;
  } else if (error instanceof HttpError && error.status === 429) {
    status.textContent = `Too many requests. ${retryIn(error.retryAfter)}`;
  } else if (error instanceof HttpError && error.status === 503) {
    status.textContent = `The service is unavailable: ${error.message}. ${retryIn(error.retryAfter)}`;
  } else if (error instanceof HttpError) {
    status.textContent = `Error ${error.status}: ${error.message}`;
  } else {
    status.textContent = `Connection lost before the answer was complete (${error.message}).${kept}`;
    kind = "disconnected";
  }
  turn.dataset.state = kind;
  turn.classList.add(kind === "stopped" ? "stopped" : "failed");
  actions.hidden = false;
  const retry = actions.querySelector(".retry");
  retry.onclick = () => run(turn, question);
}
