/* Shows the phone's outbox (waiting, sent back with the server's reason, sent) and sends what waits whenever
 * signal returns. Used under each field form and on the outbox page. */
(function () {
  "use strict";
  const box = document.getElementById("field-outbox");
  if (!box || !window.JianfuOutbox || !window.indexedDB) return;
  const outbox = window.JianfuOutbox;
  const user = box.dataset.user;
  const STATES = { waiting: ["待发送", "warning"], rejected: ["被退回", "danger"], sent: ["已发送", "success"] };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function when(iso) {
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  function actions(entry) {
    const group = element("div", "d-flex gap-2 mt-1");
    const again = element("button", "btn btn-sm btn-outline-primary", entry.duplicates && entry.duplicates.length ? "不是同一件事，仍然上报" : "重新发送");
    again.type = "button";
    again.addEventListener("click", () => outbox.resend(entry.id));
    const drop = element("button", "btn btn-sm btn-outline-danger", "删除这条记录");
    drop.type = "button";
    drop.addEventListener("click", async () => {
      if (window.confirm("删除后这条记录不会再发送，确定删除？")) {
        await outbox.remove(entry.id);
        render();
      }
    });
    const fix = element("a", "btn btn-sm btn-outline-secondary", "修改后重新提交");
    fix.href = entry.url + "#entry=" + entry.id;
    group.classList.add("flex-wrap");
    group.append(fix, again, drop);
    return group;
  }

  function item(entry) {
    const [label, tone] = STATES[entry.status] || STATES.waiting;
    const li = element("li", "list-group-item");
    li.dataset.state = entry.status;
    const head = element("div", "d-flex justify-content-between gap-2");
    head.append(element("span", "fw-semibold", entry.label), element("span", "badge text-bg-" + tone, label));
    li.append(head, element("span", "d-block small text-body-secondary", "记录于 " + when(entry.createdAt) + (entry.text ? " · " + entry.text : "")));
    if (entry.status === "sent") {
      const link = element("a", "small", entry.created === false ? "已在服务器上（此前已保存，未重复保存）" : "查看已保存的记录");
      link.href = entry.resultUrl;
      li.append(link);
    } else if (entry.reason) {
      li.append(element("span", "d-block small " + (entry.status === "rejected" ? "text-danger" : ""), entry.reason));
    }
    if (entry.status === "rejected") li.append(actions(entry));
    return li;
  }

  async function render() {
    const entries = await outbox.list(user);
    const groups = { waiting: [], rejected: [], sent: [] };
    for (const entry of entries) (groups[entry.status] || groups.waiting).push(entry);
    const counts = box.querySelector("[data-outbox-counts]");
    counts.textContent = `待发送 ${groups.waiting.length} 条，被退回 ${groups.rejected.length} 条，已发送 ${groups.sent.length} 条`;
    const list = box.querySelector("[data-outbox-list]");
    list.replaceChildren(...[...groups.rejected, ...groups.waiting, ...groups.sent].map(item));
    if (!entries.length) list.append(element("li", "list-group-item text-body-secondary", "手机上没有待发送的记录。"));
  }

  async function sync() {
    if (navigator.onLine === false) return render();
    await outbox.syncAll(user);
    return render();
  }

  document.addEventListener("jianfu:outbox-changed", render);
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  setInterval(async () => {
    if ((await outbox.list(user)).some((e) => e.status === "waiting")) sync();
  }, 30000);
  const button = box.querySelector("[data-outbox-sync]");
  if (button) button.addEventListener("click", sync);
  sync();
})();
