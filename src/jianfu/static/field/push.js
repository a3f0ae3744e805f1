/* Turns Web Push on or off for this phone (the preferences page). */
(function () {
  "use strict";
  const panel = document.getElementById("push-panel");
  if (!panel) return;
  const status = document.getElementById("push-status");
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    status.textContent = "这台设备的浏览器不支持推送。";
    return;
  }
  function applicationKey(base64) {
    const padded = (base64 + "=".repeat((4 - (base64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }
  function csrf() {
    const row = document.cookie.split("; ").find((r) => r.startsWith("csrftoken="));
    return row ? decodeURIComponent(row.split("=")[1]) : "";
  }
  async function post(url, body) {
    const response = await fetch(url, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() } });
    status.textContent = (await response.json()).detail || "";
  }
  document.getElementById("push-on").addEventListener("click", async () => {
    if ((await Notification.requestPermission()) !== "granted") {
      status.textContent = "没有获得通知权限：请在手机设置中允许本应用发送通知。";
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: applicationKey(panel.dataset.vapidKey) });
    await post(panel.dataset.subscribeUrl, subscription.toJSON());
  });
  document.getElementById("push-off").addEventListener("click", async () => {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (!subscription) {
      status.textContent = "这台设备没有开启推送。";
      return;
    }
    await post(panel.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  });
})();
