/* A field form (the monitor's burden event, the grid worker's report) that works without signal.
 *
 * On submit the entry goes into the phone's outbox first, then is sent. Stored by the server: the page opens
 * the record as before. No signal: the entry waits on the phone, the form clears for the next one, and the
 * outbox sends it when signal returns. Refused while the person is here: the form is posted the ordinary way
 * so the page shows each field's error as usual (nothing was stored, so nothing is stored twice).
 */
(function () {
  "use strict";
  const form = document.querySelector("form[data-field-form]");
  if (!form || !window.indexedDB || !window.JianfuOutbox || !window.fetch) return;
  const outbox = window.JianfuOutbox;
  const kind = form.dataset.fieldForm;
  const user = form.dataset.user;
  const button = form.querySelector("button[type=submit]");
  const notice = document.getElementById("field-notice");

  let editing = null; // a refused entry the person opened to correct

  function say(text, tone) {
    if (!notice) return;
    form.before(notice); // above the form, where the eye is after submitting
    notice.className = "alert alert-" + tone;
    notice.textContent = text;
    notice.hidden = false;
  }

  /* "修改后重新提交": the refused entry comes back into the form (its photo is kept unless a new one is chosen). */
  async function reopen(id) {
    const entry = await outbox.get(id);
    if (!entry || entry.user !== String(user)) return;
    const values = new Map(entry.fields);
    for (const field of form.elements) {
      if (!field.name || field.type === "file" || field.type === "hidden") continue;
      if (field.type === "checkbox") field.checked = values.has(field.name);
      else if (values.has(field.name)) field.value = values.get(field.name);
    }
    editing = entry;
    say("正在修改被退回的记录：" + entry.reason, "info");
  }

  const opened = window.location.hash.match(/^#entry=([0-9a-f]{16,64})$/);
  if (opened) reopen(opened[1]);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    const entry = outbox.fromForm(form, kind, user);
    if (editing && !entry.files.length) entry.files = editing.files;
    try {
      await outbox.put(entry);
    } catch (error) {
      button.disabled = false;
      HTMLFormElement.prototype.submit.call(form); // no room on the phone: the ordinary post works with signal
      return;
    }
    const result = await outbox.send(entry);
    if (editing && result.status !== "rejected") {
      await outbox.remove(editing.id); // the corrected entry replaces the refused one
      editing = null;
    }
    if (result.status === "sent") {
      window.location.assign(result.resultUrl);
      return;
    }
    if (result.status === "rejected") {
      await outbox.remove(entry.id);
      HTMLFormElement.prototype.submit.call(form); // the page shows each field's error
      return;
    }
    const waiting = (await outbox.list(user)).filter((e) => e.status === "waiting").length;
    say("没有信号：这条记录已保存在手机上（共 " + waiting + " 条待发送），有信号后自动发送。可以继续记录下一条。", "warning");
    if (notice) notice.scrollIntoView({ block: "start" });
    form.reset();
    const key = form.elements.idempotency_key;
    if (key) key.value = outbox.newKey();
    button.disabled = false;
    document.dispatchEvent(new CustomEvent("jianfu:outbox-changed"));
  });
})();
