/* The phone's outbox for field forms (DHIS2-style offline entry).
 *
 * An entry is the whole form (fields and photos) with its idempotency key, kept in IndexedDB until the
 * server has stored it. Sending posts the same multipart form to the same page with "X-Field-Sync: 1"; the
 * server answers 201/200 (stored, or stored before under the same key) or 400/409 with a Chinese reason, which
 * stays with the entry on the phone. Nothing is removed without the person deciding so.
 */
(function () {
  "use strict";
  const DB_NAME = "jianfu-field";
  const STORE = "entries";
  const KEPT_SENT = 50;
  let dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = window.idb.openDB(DB_NAME, 1, {
        upgrade(database) {
          const store = database.createObjectStore(STORE, { keyPath: "id" });
          store.createIndex("user", "user");
        },
      });
    }
    return dbPromise;
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function cookie(name) {
    const match = document.cookie.split("; ").find((row) => row.startsWith(name + "="));
    return match ? decodeURIComponent(match.split("=")[1]) : "";
  }

  function chosenText(form, name) {
    const field = form.elements[name];
    if (!field) return "";
    if (field.tagName === "SELECT") return field.selectedIndex >= 0 ? field.options[field.selectedIndex].text : "";
    return String(field.value || "");
  }

  const KIND_LABELS = { "monitoring-event": "负担事件", "grid-report": "网格事件" };

  /* Read the form into an entry; its idempotency key is made here, once, and kept for every resend. */
  function fromForm(form, kind, user) {
    const key = newKey();
    const fields = [];
    const files = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (name === "csrfmiddlewaretoken") continue; // the cookie's token is sent at sending time
      if (value instanceof File) {
        if (value.size > 0) files.push({ name, blob: value, filename: value.name || "photo.jpg" });
      } else {
        fields.push([name, name === "idempotency_key" ? key : value]);
      }
    }
    if (!fields.some(([name]) => name === "idempotency_key")) fields.push(["idempotency_key", key]);
    const place = chosenText(form, "village") || chosenText(form, "community");
    const what = chosenText(form, "kind") || chosenText(form, "event_class");
    const text = String((form.elements.description && form.elements.description.value) || "").slice(0, 30);
    return {
      id: key, kind, user: String(user), url: form.getAttribute("action") || window.location.pathname,
      fields, files, label: [KIND_LABELS[kind] || "记录", place, what].filter(Boolean).join(" · "), text,
      createdAt: new Date().toISOString(), status: "waiting", attempts: 0, reason: "", resultUrl: "", sentAt: "",
    };
  }

  async function put(entry) {
    return (await db()).put(STORE, entry);
  }

  async function remove(id) {
    return (await db()).delete(STORE, id);
  }

  async function get(id) {
    return (await db()).get(STORE, id);
  }

  async function list(user) {
    const all = await (await db()).getAllFromIndex(STORE, "user", String(user));
    return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  function body(entry) {
    const data = new FormData();
    for (const [name, value] of entry.fields) data.append(name, value);
    for (const file of entry.files) data.append(file.name, file.blob, file.filename);
    return data;
  }

  /* Send one entry and record the outcome on it: "sent", "rejected" (with the reason) or still "waiting". */
  async function send(entry) {
    entry.attempts += 1;
    entry.lastTriedAt = new Date().toISOString();
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST", body: body(entry), credentials: "same-origin", redirect: "follow",
        headers: { "X-Field-Sync": "1", "X-CSRFToken": cookie("csrftoken"), Accept: "application/json" },
      });
    } catch (error) {
      entry.status = "waiting";
      entry.reason = "没有信号，等待发送";
      await put(entry);
      return entry;
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    const answer = isJson ? await response.json() : {};
    if (response.ok && isJson && answer.url) {
      Object.assign(entry, { status: "sent", reason: answer.message || "", resultUrl: answer.url,
                             sentAt: new Date().toISOString(), files: [], created: !!answer.created });
    } else if (response.redirected && response.url.includes("/accounts/login")) {
      Object.assign(entry, { status: "waiting", reason: "登录已过期，请重新登录后自动发送" });
    } else if (response.status === 400 || response.status === 409 || response.status === 403 || response.status === 404) {
      const reason = answer.reason || (response.status === 403 ? "您已没有提交这类记录的权限" : "服务器拒收");
      Object.assign(entry, { status: "rejected", reason, duplicates: answer.duplicates || [] });
    } else {
      Object.assign(entry, { status: "waiting", reason: "服务器暂时无法处理（" + response.status + "），稍后自动重试" });
    }
    await put(entry);
    return entry;
  }

  async function pruneSent(user) {
    const sent = (await list(user)).filter((e) => e.status === "sent");
    for (const old of sent.slice(KEPT_SENT)) await remove(old.id);
  }

  let syncing = null;
  /* Send every waiting entry of this person, oldest first; one run at a time in this page. */
  function syncAll(user) {
    if (syncing) return syncing;
    syncing = (async () => {
      try {
        const waiting = (await list(user)).filter((e) => e.status === "waiting").reverse();
        for (const entry of waiting) {
          const result = await send(entry);
          if (result.status === "waiting" && result.reason.startsWith("没有信号")) break;
        }
        await pruneSent(user);
      } finally {
        syncing = null;
        document.dispatchEvent(new CustomEvent("jianfu:outbox-changed"));
      }
    })();
    return syncing;
  }

  async function resend(id) {
    const entry = await get(id);
    if (!entry) return null;
    entry.status = "waiting";
    entry.reason = "";
    entry.fields = entry.fields.filter(([name]) => name !== "ignore_duplicates");
    entry.fields.push(["ignore_duplicates", "on"]);
    await put(entry);
    const result = await send(entry);
    document.dispatchEvent(new CustomEvent("jianfu:outbox-changed"));
    return result;
  }

  window.JianfuOutbox = { fromForm, put, get, remove, list, send, syncAll, resend, newKey };
})();
