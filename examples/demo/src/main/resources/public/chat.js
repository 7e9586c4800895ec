// The page /chat: joins /ws/chat/{room} and shows its messages and member count.
// User text only ever reaches the page as text nodes (textContent, append of strings), never as HTML,
// so a message like <img src=x onerror=...> is shown, not run.
"use strict";

const byId = id => document.getElementById(id);
const joinForm = byId("join"), chat = byId("chat"), messages = byId("messages");
let socket = null;

function status(text) {
  byId("status").textContent = text;
}

function line(className, ...parts) {
  const item = document.createElement("li");
  item.className = className;
  item.append(...parts);
  messages.append(item);
  item.scrollIntoView({block: "end"});
}

function said(user, text) {
  const who = document.createElement("b");
  who.textContent = user;
  const what = document.createElement("span");
  what.className = "text";
  what.textContent = text;
  line("message", who, ": ", what);
}

function receive(event) {
  const message = JSON.parse(event.data);
  switch (message.type) {
    case "message":
      said(message.user, message.text);
      break;
    case "presence":
      byId("members").textContent = String(message.members);
      line("presence", `${message.user} ${message.event}`);
      break;
    case "error":
      status(message.text);
      break;
    default:
      status(`Unknown message type ${message.type}`);
  }
}

function join(user, room) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}/ws/chat/${encodeURIComponent(room)}?user=${encodeURIComponent(user)}`;
  socket = new WebSocket(url, "chat.v1");
  status("Connecting...");
  socket.addEventListener("open", () => {
    byId("room-name").textContent = room;
    messages.replaceChildren();
    joinForm.hidden = true;
    chat.hidden = false;
    status(`Connected as ${user}`);
    byId("text").focus();
  });
  socket.addEventListener("message", receive);
  socket.addEventListener("close", event => {
    chat.hidden = true;
    joinForm.hidden = false;
    status(event.code === 1000 ? "Left the room" : `Disconnected (${event.code}${event.reason ? ": " + event.reason : ""})`);
    socket = null;
  });
}

joinForm.addEventListener("submit", event => {
  event.preventDefault();
  join(byId("user").value.trim(), byId("room").value.trim());
});

byId("send").addEventListener("submit", event => {
  event.preventDefault();
  const input = byId("text");
  const text = input.value.trim();
  if (text && socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({text}));
    input.value = "";
  }
});

byId("leave").addEventListener("click", () => socket && socket.close(1000, "left"));
